/*-------------------------------------------------------------------------
 *
 * awsxml.c
 *		XML for the AWS Query protocol.
 *
 * A Query reply is
 *   <ActionResponse xmlns="..."><ActionResult>...</ActionResult>
 *   <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
 *   </ActionResponse>
 * and an error
 *   <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>...</Code>
 *   <Message>...</Message></Error><RequestId>...</RequestId></ErrorResponse>
 *
 * Text is escaped so that any value reaches the client's parser as it was:
 * the five markup characters as entities, tab, newline and carriage return
 * as character references (a parser would otherwise normalize a carriage
 * return away).  XML 1.0 cannot carry the other control characters, even as
 * references, nor bytes that are not UTF-8: each becomes U+FFFD, the
 * replacement character, so that the document always parses.
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

#include "awsxml.h"
#include "form.h"

/* U+FFFD in UTF-8 */
#define AS_REPLACEMENT "\xef\xbf\xbd"

void
as_xml_escape(StringInfo buf, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		len = strlen(s);
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = p[i];
		int			n;

		switch (c)
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
				appendStringInfoString(buf, "&apos;");
				break;
			case '\t':
				appendStringInfoString(buf, "&#9;");
				break;
			case '\n':
				appendStringInfoString(buf, "&#10;");
				break;
			case '\r':
				appendStringInfoString(buf, "&#13;");
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					appendStringInfoString(buf, AS_REPLACEMENT);
				else if (c < 0x80)
					appendStringInfoChar(buf, (char) c);
				else if ((n = as_utf8_sequence(p + i, len - i)) > 0)
				{
					appendBinaryStringInfo(buf, (const char *) p + i, n);
					i += n;
					continue;
				}
				else
					appendStringInfoString(buf, AS_REPLACEMENT);
				break;
		}
		i++;
	}
}

/* <tag>text</tag> */
void
as_xml_element(StringInfo buf, const char *tag, const char *text)
{
	appendStringInfo(buf, "<%s>", tag);
	as_xml_escape(buf, text);
	appendStringInfo(buf, "</%s>", tag);
}

void
as_xml_response_begin(StringInfo buf, const char *action, const char *xmlns,
					  bool has_result)
{
	appendStringInfo(buf,
					 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%sResponse xmlns=\"%s\">",
					 action, xmlns);
	if (has_result)
		appendStringInfo(buf, "<%sResult>", action);
}

void
as_xml_response_end(StringInfo buf, const char *action, bool has_result,
					const char *request_id)
{
	if (has_result)
		appendStringInfo(buf, "</%sResult>", action);
	appendStringInfoString(buf, "<ResponseMetadata>");
	as_xml_element(buf, "RequestId", request_id);
	appendStringInfo(buf, "</ResponseMetadata></%sResponse>\n", action);
}

/* The error document; sender: the client's fault (4xx), else the server's. */
void
as_xml_error(StringInfo buf, const char *xmlns, bool sender, const char *code,
			 const char *message, const char *request_id)
{
	appendStringInfoString(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (xmlns)
		appendStringInfo(buf, "<ErrorResponse xmlns=\"%s\">", xmlns);
	else
		appendStringInfoString(buf, "<ErrorResponse>");
	appendStringInfoString(buf, "<Error>");
	as_xml_element(buf, "Type", sender ? "Sender" : "Receiver");
	as_xml_element(buf, "Code", code);
	as_xml_element(buf, "Message", message);
	appendStringInfoString(buf, "</Error>");
	as_xml_element(buf, "RequestId", request_id);
	appendStringInfoString(buf, "</ErrorResponse>\n");
}
