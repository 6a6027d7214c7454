/*
 * libFuzzer harness: the escaping of values into XML (src/api/awsxml.c)
 * and JSON (awsjson.c), and the document builder (awsout.c), on any bytes.
 * Checks: the XML text holds no raw markup character and no character XML
 * 1.0 forbids, the JSON string no raw control character or unescaped
 * quote, and both are valid UTF-8 whatever the input.
 */
#include "postgres_fe.h"

#include "awsjson.h"
#include "awsout.h"
#include "awsxml.h"
#include "form.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf8(const char *s, size_t len)
{
	for (size_t i = 0; i < len;)
	{
		int			l = as_utf8_sequence((const unsigned char *) s + i, len - i);

		if (l == 0)
			__builtin_trap();
		i += l;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	StringInfoData buf;
	AsOut		o;

	memcpy(s, data, size);
	s[size] = '\0';

	initStringInfo(&buf);
	as_xml_escape(&buf, s);
	check_utf8(buf.data, buf.len);
	for (int i = 0; i < buf.len; i++)
	{
		unsigned char c = (unsigned char) buf.data[i];

		if (c == '<' || c == '>' || c == '"' || c == '\'' || c < 0x20 || c == 0x7f)
			__builtin_trap();
		if (c == '&' && strncmp(buf.data + i, "&amp;", 5) != 0 &&
			strncmp(buf.data + i, "&lt;", 4) != 0 &&
			strncmp(buf.data + i, "&gt;", 4) != 0 &&
			strncmp(buf.data + i, "&quot;", 6) != 0 &&
			strncmp(buf.data + i, "&apos;", 6) != 0 &&
			strncmp(buf.data + i, "&#", 2) != 0)
			__builtin_trap();
	}

	resetStringInfo(&buf);
	as_json_escape(&buf, s);
	check_utf8(buf.data, buf.len);
	if (buf.len < 2 || buf.data[0] != '"' || buf.data[buf.len - 1] != '"')
		__builtin_trap();
	for (int i = 1; i < buf.len - 1; i++)
	{
		unsigned char c = (unsigned char) buf.data[i];

		if (c < 0x20)
			__builtin_trap();
		if (c == '\\')
			i++;
		else if (c == '"')
			__builtin_trap();
	}

	/* a document in both formats with the input as a name's value */
	for (int f = 0; f < 2; f++)
	{
		resetStringInfo(&buf);
		as_out_init(&o, f == 0 ? AS_OUT_XML : AS_OUT_JSON, &buf);
		as_out_list_begin(&o, "Events", "Event");
		as_out_begin(&o, NULL);
		as_out_string(&o, "Message", s);
		as_out_double(&o, "Value", (double) size / 3.0);
		as_out_time(&o, "Date", (int64) size * 1000003);
		as_out_end(&o);
		as_out_end(&o);
		as_out_finish(&o);
		check_utf8(buf.data, buf.len);
	}
	pfree(buf.data);
	free(s);
	return 0;
}
