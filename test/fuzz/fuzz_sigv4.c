/*
 * libFuzzer harness: SigV4 (src/api/sigv4.c) on any bytes: the input is
 * split at NUL bytes into an Authorization header, an X-Amz-Date, a path,
 * a query string, more headers (name, value) and a body; the whole check
 * runs with a fixed secret and time.  Checks: no out-of-bounds access, no
 * leak (LeakSanitizer), and a result that is one of the known statuses.
 */
#include "postgres_fe.h"

#include "sigv4.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size + 1);
	const char *parts[MAX_PARTS];
	int			n = 0;
	size_t		start = 0;
	AsHttpHeader headers[8];
	int			nh = 0;
	AsSigV4Request req;
	AsSigV4Auth auth;
	AsSigV4Status st;
	char		msg[512];

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && n < MAX_PARTS; i++)
		if (i == size || copy[i] == '\0')
		{
			parts[n++] = copy + start;
			start = i + 1;
		}
	for (int i = n; i < MAX_PARTS; i++)
		parts[i] = "";

	headers[nh].name = "Authorization";
	headers[nh++].value = parts[0];
	headers[nh].name = "X-Amz-Date";
	headers[nh++].value = parts[1];
	headers[nh].name = "Host";
	headers[nh++].value = "127.0.0.1:4599";
	for (int i = 5; i + 1 < n && nh < 8; i += 2)
	{
		headers[nh].name = parts[i];
		headers[nh++].value = parts[i + 1];
	}
	req.method = "POST";
	req.path = parts[2];
	req.query = parts[3];
	req.headers = headers;
	req.nheaders = nh;
	req.body = parts[4];
	req.body_len = strlen(parts[4]);

	/* 2024-01-01T00:00:00Z */
	st = as_sigv4_parse(&req, 1704067200, &auth, msg, sizeof(msg));
	if (st == AS_SIGV4_OK)
		st = as_sigv4_check(&req, &auth, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
							msg, sizeof(msg));
	if (st > AS_SIGV4_MISMATCH)
		__builtin_trap();
	/* the canonical request of whatever header list it is given */
	{
		char	   *cr = as_sigv4_canonical_request(&req, parts[n > 6 ? 6 : 0]);

		if (cr)
			pfree(cr);
	}
	free(copy);
	return 0;
}
