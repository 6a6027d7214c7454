/*
 * libFuzzer harness: the timestamps clients send (src/api/form.c's ISO 8601
 * parameters, sigv4.c's X-Amz-Date) on any string.  Checks: no
 * out-of-bounds access or overflow (UBSan), and that what parses formats
 * back to a string that parses to the same instant.
 */
#include "postgres_fe.h"

#include "form.h"
#include "sigv4.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	int64		us;
	int64		again;
	int64		secs;
	char		text[AS_ISO8601_LEN];
	char		amz[17];

	memcpy(s, data, size);
	s[size] = '\0';
	if (as_parse_iso8601(s, &us) && us >= 0)
	{
		/* formatting keeps milliseconds: the same instant at that precision */
		as_format_iso8601(us, text);
		if (!as_parse_iso8601(text, &again) || again != us / 1000 * 1000)
			__builtin_trap();
	}
	if (as_sigv4_parse_amz_date(s, &secs))
	{
		as_sigv4_format_amz_date(secs, amz);
		if (strcmp(amz, s) != 0)
			__builtin_trap();
	}
	free(s);
	return 0;
}
