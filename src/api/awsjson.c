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
