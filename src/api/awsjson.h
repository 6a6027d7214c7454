/*-------------------------------------------------------------------------
 *
 * awsjson.h
 *		JSON for the AWS JSON 1.0 protocol: escaping and the error document.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AWSJSON_H
#define AS_AWSJSON_H

#include "lib/stringinfo.h"

extern void as_json_escape(StringInfo buf, const char *s);
extern void as_json_error(StringInfo buf, const char *type,
						  const char *message);

#endif							/* AS_AWSJSON_H */
