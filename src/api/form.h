/*-------------------------------------------------------------------------
 *
 * form.h
 *		The parameters of an AWS Query protocol request: decoding of
 *		application/x-www-form-urlencoded bodies into a bounded list, and
 *		typed reading of its values.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_FORM_H
#define AS_FORM_H

/* Bounds: a request holds at most this many parameters, names this long. */
#define AS_FORM_MAX_PARAMS	512
#define AS_FORM_MAX_NAME	256

typedef struct AsFormParam
{
	char	   *name;			/* decoded, NUL-terminated */
	char	   *value;			/* decoded, NUL-terminated, valid UTF-8 */
	bool		used;			/* read by the action (to refuse the rest) */
} AsFormParam;

typedef struct AsForm
{
	int			n;
	AsFormParam params[AS_FORM_MAX_PARAMS];
} AsForm;

extern bool as_form_decode(const char *body, size_t len, AsForm *form,
						   char *message, size_t message_len);
extern void as_form_free(AsForm *form);
extern const char *as_form_get(AsForm *form, const char *name);
extern int	as_form_list_len(AsForm *form, const char *prefix);
extern const char *as_form_unused(const AsForm *form);

extern bool as_parse_double(const char *s, double *v);
extern bool as_parse_int64(const char *s, int64 *v);
extern bool as_parse_bool(const char *s, bool *v);
extern bool as_parse_iso8601(const char *s, int64 *unix_us);
extern void as_format_iso8601(int64 unix_us, char *out);
extern int	as_utf8_sequence(const unsigned char *s, size_t len);

/* The output of as_format_iso8601(): YYYY-MM-DDTHH:MM:SS.mmmZ and a NUL. */
#define AS_ISO8601_LEN 25

#endif							/* AS_FORM_H */
