/*-------------------------------------------------------------------------
 *
 * awsxml.h
 *		XML for the AWS Query protocol: escaping, the response envelope and
 *		the error document.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AWSXML_H
#define AS_AWSXML_H

#include "lib/stringinfo.h"

extern void as_xml_escape(StringInfo buf, const char *s);
extern void as_xml_element(StringInfo buf, const char *tag, const char *text);
extern void as_xml_response_begin(StringInfo buf, const char *action,
								  const char *xmlns, bool has_result);
extern void as_xml_response_end(StringInfo buf, const char *action,
								bool has_result, const char *request_id);
extern void as_xml_error(StringInfo buf, const char *xmlns, bool sender,
						 const char *code, const char *message,
						 const char *request_id);

#endif							/* AS_AWSXML_H */
