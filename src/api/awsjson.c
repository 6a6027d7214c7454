/*-------------------------------------------------------------------------
 *
 * awsjson.c
 *		JSON for the AWS JSON 1.0 protocol.
 *
 * A JSON 1.0 reply is the action's output as one object; an error is
 * {"__type": "Code", "message": "..."} (the protocol's error shape, which
 * botocore and the JavaScript SDK read).
 *
 * Strings are escaped as RFC 8259 requires: quote, backslash and every
 * control character; bytes that are not UTF-8 become U+FFFD, so that the
 * document always parses.
 *
 * A request's body is read into the parameters the Query protocol would
 * have sent for the same call (as_json_to_form()): an object's members as
 * dotted names, an array's elements as NAME.member.N (the member name of
 * the services that speak both, CloudWatch's), scalars as their text, null
 * left out.  So an action reads its parameters the same way whichever
 * protocol the client chose.  A body that is not one JSON object, nests
 * deeper than AS_JSON_MAX_DEPTH, or holds more than AS_FORM_MAX_PARAMS
 * values, a NUL or a lone surrogate, is refused.
 *
 * Pure: no I/O, no ereport; it must not know HTTP, SQL or the actions.
 *
 *-------------------------------------------------------------------------
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "awsjson.h"
#include "form.h"

/* A JSON string, quotes included. */
void
as_json_escape(StringInfo buf, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		len = strlen(s);
	size_t		i = 0;

	appendStringInfoChar(buf, '"');
	while (i < len)
	{
		unsigned char c = p[i];
		int			n;

		switch (c)
		{
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			case '\b':
				appendStringInfoString(buf, "\\b");
				break;
			case '\f':
				appendStringInfoString(buf, "\\f");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			default:
				if (c < 0x20)
					appendStringInfo(buf, "\\u%04x", c);
				else if (c < 0x80)
					appendStringInfoChar(buf, (char) c);
				else if ((n = as_utf8_sequence(p + i, len - i)) > 0)
				{
					appendBinaryStringInfo(buf, (const char *) p + i, n);
					i += n;
					continue;
				}
				else
					appendStringInfoString(buf, "\\ufffd");
				break;
		}
		i++;
	}
	appendStringInfoChar(buf, '"');
}

void
as_json_error(StringInfo buf, const char *type, const char *message)
{
	appendStringInfoString(buf, "{\"__type\":");
	as_json_escape(buf, type);
	appendStringInfoString(buf, ",\"message\":");
	as_json_escape(buf, message);
	appendStringInfoString(buf, "}");
}

/* --- reading a request ---------------------------------------------------- */

typedef struct AsJsonReader
{
	const char *p;
	const char *end;
	AsForm	   *form;
	char	   *message;
	size_t		message_len;
	int			depth;
} AsJsonReader;

static bool
as_json_fail(AsJsonReader *r, const char *what)
{
	if (r->message_len > 0)
		snprintf(r->message, r->message_len,
				 "The request body is not valid JSON for this protocol: %s.", what);
	return false;
}

static void
as_json_skip_ws(AsJsonReader *r)
{
	while (r->p < r->end &&
		   (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
as_json_hex4(const char *p)
{
	int			v = 0;

	for (int i = 0; i < 4; i++)
	{
		char		c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
as_append_utf8(StringInfo buf, uint32 cp)
{
	if (cp < 0x80)
		appendStringInfoChar(buf, (char) cp);
	else if (cp < 0x800)
	{
		appendStringInfoChar(buf, (char) (0xc0 | (cp >> 6)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3f)));
	}
	else if (cp < 0x10000)
	{
		appendStringInfoChar(buf, (char) (0xe0 | (cp >> 12)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 6) & 0x3f)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3f)));
	}
	else
	{
		appendStringInfoChar(buf, (char) (0xf0 | (cp >> 18)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 12) & 0x3f)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 6) & 0x3f)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3f)));
	}
}

/* A string, at its opening quote, into out (valid UTF-8, no NUL). */
static bool
as_json_string(AsJsonReader *r, StringInfo out)
{
	r->p++;
	while (r->p < r->end)
	{
		unsigned char c = (unsigned char) *r->p;

		if (c == '"')
		{
			r->p++;
			return true;
		}
		if (c < 0x20)
			return as_json_fail(r, "a control character in a string");
		if (c == '\\')
		{
			if (r->end - r->p < 2)
				break;
			r->p++;
			switch (*r->p)
			{
				case '"':
				case '\\':
				case '/':
					appendStringInfoChar(out, *r->p);
					r->p++;
					break;
				case 'b':
					appendStringInfoChar(out, '\b');
					r->p++;
					break;
				case 'f':
					appendStringInfoChar(out, '\f');
					r->p++;
					break;
				case 'n':
					appendStringInfoChar(out, '\n');
					r->p++;
					break;
				case 'r':
					appendStringInfoChar(out, '\r');
					r->p++;
					break;
				case 't':
					appendStringInfoChar(out, '\t');
					r->p++;
					break;
				case 'u':
					{
						int			cp;

						if (r->end - r->p < 5 || (cp = as_json_hex4(r->p + 1)) < 0)
							return as_json_fail(r, "a broken \\u escape");
						r->p += 5;
						if (cp >= 0xd800 && cp <= 0xdbff)
						{
							int			lo;

							if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
								(lo = as_json_hex4(r->p + 2)) < 0xdc00 || lo > 0xdfff)
								return as_json_fail(r, "a lone surrogate");
							r->p += 6;
							cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
						}
						else if (cp >= 0xdc00 && cp <= 0xdfff)
							return as_json_fail(r, "a lone surrogate");
						if (cp == 0)
							return as_json_fail(r, "a NUL character");
						as_append_utf8(out, (uint32) cp);
						break;
					}
				default:
					return as_json_fail(r, "an unknown escape");
			}
			continue;
		}
		if (c >= 0x80)
		{
			int			l = as_utf8_sequence((const unsigned char *) r->p,
											 r->end - r->p);

			if (l == 0)
				return as_json_fail(r, "a string that is not UTF-8");
			appendBinaryStringInfo(out, r->p, l);
			r->p += l;
			continue;
		}
		appendStringInfoChar(out, (char) c);
		r->p++;
	}
	return as_json_fail(r, "an unterminated string");
}

/* A number, as RFC 8259 writes one; its text into out. */
static bool
as_json_number(AsJsonReader *r, StringInfo out)
{
	const char *start = r->p;
	const char *p = r->p;

	if (p < r->end && *p == '-')
		p++;
	if (p >= r->end)
		return as_json_fail(r, "a broken number");
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	else
		return as_json_fail(r, "a broken number");
	if (p < r->end && *p == '.')
	{
		p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return as_json_fail(r, "a broken number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return as_json_fail(r, "a broken number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p - start > 64)
		return as_json_fail(r, "a number longer than 64 characters");
	appendBinaryStringInfo(out, start, p - start);
	r->p = p;
	return true;
}

static bool
as_json_literal(AsJsonReader *r, const char *word)
{
	size_t		n = strlen(word);

	if ((size_t) (r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return as_json_fail(r, "an unknown word");
	r->p += n;
	return true;
}

/* Keep one parameter; its name is copied. */
static bool
as_json_put(AsJsonReader *r, const char *name, const char *value)
{
	AsForm	   *f = r->form;

	if (f->n >= AS_FORM_MAX_PARAMS)
	{
		if (r->message_len > 0)
			snprintf(r->message, r->message_len,
					 "The request holds more than %d values.", AS_FORM_MAX_PARAMS);
		return false;
	}
	if (name[0] == '\0' || strlen(name) > AS_FORM_MAX_NAME)
	{
		if (r->message_len > 0)
			snprintf(r->message, r->message_len,
					 "A member name (with its path) must have 1 to %d bytes.",
					 AS_FORM_MAX_NAME);
		return false;
	}
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->params[i].name, name) == 0)
		{
			if (r->message_len > 0)
				snprintf(r->message, r->message_len,
						 "The member %s is given more than once.", name);
			return false;
		}
	f->params[f->n].name = pstrdup(name);
	f->params[f->n].value = pstrdup(value);
	f->params[f->n].used = false;
	f->n++;
	return true;
}

static bool as_json_value(AsJsonReader *r, StringInfo path);

/* A value at path; path is restored before returning. */
static bool
as_json_value(AsJsonReader *r, StringInfo path)
{
	int			base = path->len;
	StringInfoData text;
	bool		ok = true;

	as_json_skip_ws(r);
	if (r->p >= r->end)
		return as_json_fail(r, "it ends early");
	if (*r->p == '{' || *r->p == '[')
	{
		bool		object = *r->p == '{';
		char		close = object ? '}' : ']';
		int			index = 0;
		int			key;

		if (++r->depth > AS_JSON_MAX_DEPTH)
			return as_json_fail(r, "it nests too deep");
		r->p++;
		as_json_skip_ws(r);
		if (r->p < r->end && *r->p == close)
		{
			r->p++;
			r->depth--;
			return true;
		}
		for (;;)
		{
			as_json_skip_ws(r);
			path->len = base;
			path->data[base] = '\0';
			if (object)
			{
				if (r->p >= r->end || *r->p != '"')
					return as_json_fail(r, "a member without a quoted name");
				if (base > 0)
					appendStringInfoChar(path, '.');
				key = path->len;
				if (!as_json_string(r, path))
					return false;
				if (strchr(path->data + key, '.') != NULL)
					return as_json_fail(r, "a member name with a dot");
				as_json_skip_ws(r);
				if (r->p >= r->end || *r->p != ':')
					return as_json_fail(r, "a member without ':'");
				r->p++;
			}
			else
			{
				if (++index > AS_FORM_MAX_PARAMS)
					return as_json_fail(r, "an array too long");
				appendStringInfo(path, "%smember.%d", base > 0 ? "." : "", index);
			}
			if (!as_json_value(r, path))
				return false;
			as_json_skip_ws(r);
			if (r->p < r->end && *r->p == ',')
			{
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == close)
			{
				r->p++;
				break;
			}
			return as_json_fail(r, "a missing ',' or closing bracket");
		}
		path->len = base;
		path->data[base] = '\0';
		r->depth--;
		return true;
	}

	initStringInfo(&text);
	if (*r->p == '"')
		ok = as_json_string(r, &text);
	else if (*r->p == 't')
		ok = as_json_literal(r, "true") && (appendStringInfoString(&text, "true"), true);
	else if (*r->p == 'f')
		ok = as_json_literal(r, "false") && (appendStringInfoString(&text, "false"), true);
	else if (*r->p == 'n')
	{
		/* null: as if the member were left out */
		ok = as_json_literal(r, "null");
		pfree(text.data);
		return ok;
	}
	else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
		ok = as_json_number(r, &text);
	else
		ok = as_json_fail(r, "an unexpected character");
	if (ok)
		ok = as_json_put(r, path->data, text.data);
	pfree(text.data);
	return ok;
}

/*
 * Read a JSON 1.0 request body into form.  An empty body is an empty
 * object.  On failure, form is left empty and message says why.
 */
bool
as_json_to_form(const char *body, size_t len, AsForm *form, char *message,
				size_t message_len)
{
	AsJsonReader r;
	StringInfoData path;
	bool		ok;

	form->n = 0;
	r.p = body;
	r.end = body + len;
	r.form = form;
	r.message = message;
	r.message_len = message_len;
	r.depth = 0;
	as_json_skip_ws(&r);
	if (r.p == r.end)
		return true;
	if (*r.p != '{')
	{
		as_json_fail(&r, "the body is not an object");
		return false;
	}
	initStringInfo(&path);
	ok = as_json_value(&r, &path);
	pfree(path.data);
	if (ok)
	{
		as_json_skip_ws(&r);
		if (r.p != r.end)
			ok = as_json_fail(&r, "something follows the object");
	}
	if (!ok)
		as_form_free(form);
	return ok;
}
