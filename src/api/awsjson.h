/*-------------------------------------------------------------------------
 *
 * awsjson.h
 *		JSON for the AWS JSON 1.0 protocol: escaping, the error document,
 *		and requests read into the Query protocol's parameter names.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AWSJSON_H
#define AS_AWSJSON_H

#include "lib/stringinfo.h"

#include "form.h"

/* Nesting deeper than this is refused. */
#define AS_JSON_MAX_DEPTH 32

extern void as_json_escape(StringInfo buf, const char *s);
extern bool as_json_to_form(const char *body, size_t len, AsForm *form,
							char *message, size_t message_len);
extern void as_json_error(StringInfo buf, const char *type,
						  const char *message);

#endif							/* AS_AWSJSON_H */
