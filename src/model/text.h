/*-------------------------------------------------------------------------
 *
 * text.h
 *		Names checked by character, text cut at character boundaries, HTML
 *		escaping.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_TEXT_H
#define AS_TEXT_H

#include "lib/stringinfo.h"

/* What is wrong with a name a user chose. */
typedef enum AsNameProblem
{
	AS_NAME_OK = 0,
	AS_NAME_EMPTY,
	AS_NAME_TOO_LONG,
	AS_NAME_BAD_ENCODING,
	AS_NAME_CONTROL,			/* C0, DEL or C1 */
	AS_NAME_FORMAT				/* bidirectional formatting, line separators */
} AsNameProblem;

/* Bytes a name of n characters may need in UTF-8, with its NUL. */
#define AS_NAME_BYTES(n)	((n) * 4 + 1)

extern AsNameProblem as_check_name(const char *s, int maxchars);
extern AsNameProblem as_check_setting_name(const char *s, int maxchars);
extern const char *as_name_problem_detail(AsNameProblem problem);
extern void as_name_or_error(const char *what, const char *s, int maxchars);
extern char *as_clip(const char *s, int maxchars);
extern int	as_clip_bytes(const char *s, int len, int limit);
extern void as_clip_to_valid(char *buf);
extern void as_append_html(StringInfo buf, const char *s);

#endif							/* AS_TEXT_H */
