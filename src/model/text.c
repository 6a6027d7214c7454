/*-------------------------------------------------------------------------
 *
 * text.c
 *		Text that leaves the extension, made safe for where it goes: names a
 *		user chooses checked character by character, text cut at character
 *		boundaries rather than bytes, and escaping for HTML.
 *
 * Names (alarm names, instance names) are limited in characters, not bytes,
 * and may hold no control characters (C0, DEL, C1), no bidirectional
 * formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and no line or paragraph separators (U+2028, U+2029):
 * such characters reorder or split what a reader of an event, a log line,
 * an exporter label or a picture sees.
 *
 * Text is taken to be in the database's encoding in a backend, and UTF-8
 * where there is no database (the postmaster reading settings, the worker),
 * which is what every database of a UTF-8 server holds.
 *
 * This file must not know shared memory, the worker or the policy.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "text.h"

/* The encoding text is checked and cut in. */
static int
as_text_encoding(void)
{
	int			enc = GetDatabaseEncoding();

	return enc == PG_SQL_ASCII ? PG_UTF8 : enc;
}

/* Is the code point one a name may not hold? */
static bool
as_forbidden_code_point(pg_wchar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		c == 0x061c || c == 0x200e || c == 0x200f ||
		(c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
		c == 0x2028 || c == 0x2029;
}

static AsNameProblem
as_check_name_in(int enc, const char *s, int maxchars)
{
	int			len = (int) strlen(s);
	int			chars = 0;

	if (len == 0)
		return AS_NAME_EMPTY;
	if (pg_encoding_verifymbstr(enc, s, len) != len)
		return AS_NAME_BAD_ENCODING;
	for (const char *p = s; *p; p += pg_encoding_mblen(enc, p))
	{
		pg_wchar	c = (unsigned char) *p;

		if (enc == PG_UTF8)
			c = utf8_to_unicode((const unsigned char *) p);
		else if (IS_HIGHBIT_SET(*p))
			c = 0xa0;			/* not ASCII: no rule of ours in other
								 * encodings */
		if (as_forbidden_code_point(c))
			return c < 0x20 || (c >= 0x7f && c <= 0x9f) ?
				AS_NAME_CONTROL : AS_NAME_FORMAT;
		chars++;
	}
	if (chars > maxchars)
		return AS_NAME_TOO_LONG;
	return AS_NAME_OK;
}

/* A name given in SQL, in the database's encoding. */
AsNameProblem
as_check_name(const char *s, int maxchars)
{
	return as_check_name_in(as_text_encoding(), s, maxchars);
}

/*
 * A name given in a setting, read by the postmaster and by backends of
 * databases of any encoding: UTF-8, so that every process agrees.
 */
AsNameProblem
as_check_setting_name(const char *s, int maxchars)
{
	return as_check_name_in(PG_UTF8, s, maxchars);
}

const char *
as_name_problem_detail(AsNameProblem problem)
{
	switch (problem)
	{
		case AS_NAME_OK:
			return "";
		case AS_NAME_EMPTY:
			return "It is empty.";
		case AS_NAME_TOO_LONG:
			return "It has too many characters.";
		case AS_NAME_BAD_ENCODING:
			return "It is not valid in the server's encoding.";
		case AS_NAME_CONTROL:
			return "It holds a control character.";
		case AS_NAME_FORMAT:
			return "It holds a bidirectional formatting character or a line or paragraph separator, which change how the text around it is shown.";
	}
	return "";
}

/* A name a user chose, or an error (22023) that says what is wrong. */
void
as_name_or_error(const char *what, const char *s, int maxchars)
{
	AsNameProblem problem = as_check_name(s, maxchars);

	if (problem == AS_NAME_OK)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be 1 to %d characters, with no control or formatting characters",
					what, maxchars),
			 errdetail("%s", as_name_problem_detail(problem))));
}

/*
 * A copy of s for a message: at most maxchars characters, cut at a
 * character boundary, with "..." when cut.  Bytes that are not valid text
 * end the copy.
 */
char	   *
as_clip(const char *s, int maxchars)
{
	int			enc = as_text_encoding();
	int			len = (int) strlen(s);
	int			valid = pg_encoding_verifymbstr(enc, s, len);
	int			bytes = 0;
	int			chars = 0;

	while (bytes < valid && chars < maxchars)
	{
		bytes += pg_encoding_mblen(enc, s + bytes);
		chars++;
	}
	if (bytes < len)
		return psprintf("%.*s...", bytes, s);
	return pstrdup(s);
}

/*
 * How many of the len bytes of s to keep so that at most limit bytes are
 * kept and the cut falls between characters.
 */
int
as_clip_bytes(const char *s, int len, int limit)
{
	if (len <= limit)
		return len;
	return pg_encoding_mbcliplen(as_text_encoding(), s, len, limit);
}

/*
 * Cut a NUL-terminated buffer in place at the end of its longest valid
 * prefix: what snprintf() cut in the middle of a character, and anything
 * not valid after it, goes.
 */
void
as_clip_to_valid(char *buf)
{
	int			len = (int) strlen(buf);

	buf[pg_encoding_verifymbstr(as_text_encoding(), buf, len)] = '\0';
}

/* Append s to buf escaped for HTML text and attribute values. */
void
as_append_html(StringInfo buf, const char *s)
{
	for (const char *p = s; *p; p++)
	{
		switch (*p)
		{
			case '&':
				appendStringInfoString(buf, "&amp;");
				break;
			case '<':
				appendStringInfoString(buf, "&lt;");
				break;
			case '>':
				appendStringInfoString(buf, "&gt;");
				break;
			case '"':
				appendStringInfoString(buf, "&quot;");
				break;
			case '\'':
				appendStringInfoString(buf, "&#39;");
				break;
			default:
				appendStringInfoChar(buf, *p);
		}
	}
}
