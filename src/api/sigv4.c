/*-------------------------------------------------------------------------
 *
 * sigv4.c
 *		AWS Signature Version 4, as the AWS CLI and SDKs sign requests.
 *
 * A signed request carries
 *   Authorization: AWS4-HMAC-SHA256 Credential=KEY/YYYYMMDD/REGION/SERVICE/
 *     aws4_request, SignedHeaders=h1;h2, Signature=HEX
 *   X-Amz-Date: YYYYMMDDTHHMMSSZ
 * and the signature is HMAC-SHA256 over a "string to sign" that hashes the
 * canonical request (method, path, query, the signed headers, and the
 * SHA-256 of the body), keyed by a chain of HMACs that starts from the
 * secret and goes through the date, the region and the service.  The
 * canonical request is built as botocore builds it (botocore.auth.SigV4Auth),
 * which the test program checks against botocore's own signatures.
 *
 * Hashes and HMACs are PostgreSQL's own (common/cryptohash.h, hmac.h), in
 * the server and in the frontend library alike.  Signatures are compared in
 * constant time.
 *
 * Pure: no I/O, no clock (the caller passes the time), no shared memory, no
 * ereport; it must not know HTTP libraries, keys storage or SQL.
 *
 *-------------------------------------------------------------------------
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "common/cryptohash.h"
#include "common/hmac.h"
#include "common/sha2.h"
#include "lib/stringinfo.h"

#include "sigv4.h"

#define AS_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define AS_SIGV4_TERMINATOR "aws4_request"

static const char as_hex_digits[] = "0123456789abcdef";

/* --- dates ---------------------------------------------------------------- */

/*
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar: the
 * year counted from March, so that the leap day ends it, in eras of 400
 * years (146097 days).
 */
int64
as_days_from_civil(int year, int month, int day)
{
	int64		y = (int64) year - (month <= 2 ? 1 : 0);
	int64		era = (y >= 0 ? y : y - 399) / 400;
	int64		year_of_era = y - era * 400;
	int64		month_from_march = (month + 9) % 12;
	int64		day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
	int64		day_of_era = year_of_era * 365 + year_of_era / 4 -
	year_of_era / 100 + day_of_year;

	return era * 146097 + day_of_era - 719468;
}

/* The inverse of as_days_from_civil(). */
void
as_civil_from_days(int64 days, int *year, int *month, int *day)
{
	int64		z = days + 719468;
	int64		era = (z >= 0 ? z : z - 146096) / 146097;
	int64		day_of_era = z - era * 146097;
	int64		year_of_era = (day_of_era - day_of_era / 1460 +
							   day_of_era / 36524 - day_of_era / 146096) / 365;
	int64		day_of_year = day_of_era - (365 * year_of_era +
											year_of_era / 4 -
											year_of_era / 100);
	int64		mp = (5 * day_of_year + 2) / 153;
	int			d = (int) (day_of_year - (153 * mp + 2) / 5 + 1);
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*year = (int) (year_of_era + era * 400 + (m <= 2 ? 1 : 0));
	*month = m;
	*day = d;
}

static int
as_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* n decimal digits at s, or -1 */
static int
as_digits(const char *s, int n)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * X-Amz-Date, ISO 8601 basic format: YYYYMMDDTHHMMSSZ, years 1970 to 9999.
 * Sets seconds since 1970-01-01 UTC.
 */
bool
as_sigv4_parse_amz_date(const char *value, int64 *seconds)
{
	int			year,
				month,
				day,
				hour,
				minute,
				second;

	if (value == NULL || strlen(value) != 16 || value[8] != 'T' ||
		value[15] != 'Z')
		return false;
	year = as_digits(value, 4);
	month = as_digits(value + 4, 2);
	day = as_digits(value + 6, 2);
	hour = as_digits(value + 9, 2);
	minute = as_digits(value + 11, 2);
	second = as_digits(value + 13, 2);
	if (year < 1970 || month < 1 || month > 12 || day < 1 ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
		second < 0 || second > 59)
		return false;
	if (day > as_days_in_month(year, month))
		return false;
	*seconds = as_days_from_civil(year, month, day) * 86400 +
		hour * 3600 + minute * 60 + second;
	return true;
}

/* The inverse: out has room for 17 bytes. */
void
as_sigv4_format_amz_date(int64 seconds, char *out)
{
	int64		days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	int64		rest = seconds - days * 86400;
	int			year,
				month,
				day;

	as_civil_from_days(days, &year, &month, &day);
	snprintf(out, 17, "%04d%02d%02dT%02d%02d%02dZ", year, month, day,
			 (int) (rest / 3600), (int) (rest / 60 % 60), (int) (rest % 60));
}

/* --- the Authorization header -------------------------------------------- */

static bool
as_fail(char *message, size_t message_len, const char *text)
{
	if (message_len > 0)
		strlcpy(message, text, message_len);
	return false;
}

/* Copy [start, start+len) into dst (of size dst_size) if it fits. */
static bool
as_copy_part(char *dst, size_t dst_size, const char *start, size_t len)
{
	if (len == 0 || len >= dst_size)
		return false;
	memcpy(dst, start, len);
	dst[len] = '\0';
	return true;
}

/* A credential scope part: a region or a service, [a-z0-9-]. */
static bool
as_scope_word(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			  *s == '-'))
			return false;
	return true;
}

/* Credential=KEY/DATE/REGION/SERVICE/aws4_request */
static bool
as_parse_credential(const char *v, size_t len, AsSigV4Auth *auth,
					char *message, size_t message_len)
{
	const char *parts[5];
	size_t		lens[5];
	int			n = 0;
	const char *p = v;
	const char *end = v + len;

	while (n < 5)
	{
		const char *slash = memchr(p, '/', end - p);

		parts[n] = p;
		if (slash == NULL || n == 4)
		{
			lens[n++] = end - p;
			if (slash != NULL)
				return as_fail(message, message_len,
							   "Credential should be scoped with a valid terminator: 'aws4_request'.");
			break;
		}
		lens[n++] = slash - p;
		p = slash + 1;
	}
	if (n != 5)
		return as_fail(message, message_len,
					   "Credential should be scoped to a valid date, region and service: KEY/YYYYMMDD/REGION/SERVICE/aws4_request.");
	if (!as_copy_part(auth->access_key_id, sizeof(auth->access_key_id),
					  parts[0], lens[0]))
		return as_fail(message, message_len,
					   "Credential must begin with an access key ID of 1 to 128 characters.");
	for (const char *c = auth->access_key_id; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			  (*c >= '0' && *c <= '9') || *c == '_'))
			return as_fail(message, message_len,
						   "The access key ID in Credential may hold only letters, digits and underscores.");
	if (lens[1] != 8 || !as_copy_part(auth->date, sizeof(auth->date),
									  parts[1], lens[1]) ||
		as_digits(auth->date, 8) < 0)
		return as_fail(message, message_len,
					   "Credential should be scoped to a valid date in the format YYYYMMDD.");
	if (!as_copy_part(auth->region, sizeof(auth->region), parts[2], lens[2]) ||
		!as_scope_word(auth->region))
		return as_fail(message, message_len,
					   "Credential should be scoped to a valid region.");
	if (!as_copy_part(auth->service, sizeof(auth->service), parts[3], lens[3]) ||
		!as_scope_word(auth->service))
		return as_fail(message, message_len,
					   "Credential should be scoped to a valid service.");
	if (lens[4] != strlen(AS_SIGV4_TERMINATOR) ||
		memcmp(parts[4], AS_SIGV4_TERMINATOR, lens[4]) != 0)
		return as_fail(message, message_len,
					   "Credential should be scoped with a valid terminator: 'aws4_request'.");
	return true;
}

/* SignedHeaders=a;b;c: lower-case names, host among them */
static bool
as_parse_signed_headers(const char *v, size_t len, AsSigV4Auth *auth,
						char *message, size_t message_len)
{
	bool		has_host = false;
	const char *p;

	if (!as_copy_part(auth->signed_headers, sizeof(auth->signed_headers),
					  v, len))
		return as_fail(message, message_len,
					   "SignedHeaders must list 1 to 1024 bytes of header names.");
	p = auth->signed_headers;
	while (*p)
	{
		const char *semi = strchr(p, ';');
		size_t		n = semi ? (size_t) (semi - p) : strlen(p);

		if (n == 0)
			return as_fail(message, message_len,
						   "SignedHeaders must not hold an empty header name.");
		for (size_t i = 0; i < n; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
				  p[i] == '-' || p[i] == '_' || p[i] == '.'))
				return as_fail(message, message_len,
							   "SignedHeaders must list lower-case header names separated by ';'.");
		if (n == 4 && memcmp(p, "host", 4) == 0)
			has_host = true;
		if (semi == NULL)
			break;
		p = semi + 1;
		if (*p == '\0')
			return as_fail(message, message_len,
						   "SignedHeaders must not hold an empty header name.");
	}
	if (!has_host)
		return as_fail(message, message_len,
					   "'Host' must be a 'SignedHeader' in the AWS Authorization.");
	return true;
}

/*
 * Parse an Authorization header value.  On failure, message says what is
 * wrong (it never repeats the value: a signature is not a secret, but a
 * client may have put one there).
 */
bool
as_sigv4_parse_authorization(const char *value, AsSigV4Auth *auth,
							 char *message, size_t message_len)
{
	size_t		alg_len = strlen(AS_SIGV4_ALGORITHM);
	const char *p;
	bool		seen_credential = false;
	bool		seen_signed = false;
	bool		seen_signature = false;

	memset(auth, 0, sizeof(*auth));
	if (value == NULL || strncmp(value, AS_SIGV4_ALGORITHM, alg_len) != 0 ||
		(value[alg_len] != ' ' && value[alg_len] != '\t'))
		return as_fail(message, message_len,
					   "Unsupported authorization type: only AWS4-HMAC-SHA256 (Signature Version 4) is accepted.");
	p = value + alg_len;
	for (;;)
	{
		const char *eq;
		const char *end;
		const char *key;
		size_t		key_len;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		key = p;
		eq = strchr(p, '=');
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (eq == NULL || eq > end)
			return as_fail(message, message_len,
						   "Authorization header components must be Key=Value pairs separated by commas.");
		key_len = eq - key;
		p = eq + 1;
		/* the value ends at the comma, less trailing blanks */
		{
			const char *vend = end;

			while (vend > p && (vend[-1] == ' ' || vend[-1] == '\t'))
				vend--;
			if (key_len == 10 && memcmp(key, "Credential", 10) == 0)
			{
				if (seen_credential)
					return as_fail(message, message_len,
								   "Authorization header holds 'Credential' twice.");
				seen_credential = true;
				if (!as_parse_credential(p, vend - p, auth, message,
										 message_len))
					return false;
			}
			else if (key_len == 13 && memcmp(key, "SignedHeaders", 13) == 0)
			{
				if (seen_signed)
					return as_fail(message, message_len,
								   "Authorization header holds 'SignedHeaders' twice.");
				seen_signed = true;
				if (!as_parse_signed_headers(p, vend - p, auth, message,
											 message_len))
					return false;
			}
			else if (key_len == 9 && memcmp(key, "Signature", 9) == 0)
			{
				if (seen_signature)
					return as_fail(message, message_len,
								   "Authorization header holds 'Signature' twice.");
				seen_signature = true;
				if (vend - p != AS_SIGV4_HEX_LEN)
					return as_fail(message, message_len,
								   "Signature must be 64 hexadecimal digits.");
				for (const char *c = p; c < vend; c++)
					if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
						return as_fail(message, message_len,
									   "Signature must be 64 lower-case hexadecimal digits.");
				memcpy(auth->signature, p, AS_SIGV4_HEX_LEN);
				auth->signature[AS_SIGV4_HEX_LEN] = '\0';
			}
			else
				return as_fail(message, message_len,
							   "Authorization header holds an unknown component: only Credential, SignedHeaders and Signature are allowed.");
		}
		p = end;
	}
	if (!seen_credential)
		return as_fail(message, message_len,
					   "Authorization header requires 'Credential' parameter.");
	if (!seen_signed)
		return as_fail(message, message_len,
					   "Authorization header requires 'SignedHeaders' parameter.");
	if (!seen_signature)
		return as_fail(message, message_len,
					   "Authorization header requires 'Signature' parameter.");
	return true;
}

/* --- the canonical request ------------------------------------------------ */

/* A header's value by name, any case; NULL when absent.  The first one. */
const char *
as_http_header(const AsHttpHeader *headers, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (pg_strcasecmp(headers[i].name, name) == 0)
			return headers[i].value;
	return NULL;
}

/* Append a header value with its blanks trimmed and runs of them as one. */
static void
as_append_trimmed(StringInfo buf, const char *v)
{
	bool		pending_space = false;
	bool		any = false;

	for (; *v; v++)
	{
		if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' ||
			*v == '\v' || *v == '\f')
		{
			pending_space = any;
			continue;
		}
		if (pending_space)
			appendStringInfoChar(buf, ' ');
		pending_space = false;
		any = true;
		appendStringInfoChar(buf, *v);
	}
}

static bool
as_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

/*
 * The canonical URI: the path with "." and ".." segments removed, each byte
 * other than an unreserved one or '/' percent-encoded (the path as sent is
 * encoded once more, as botocore does for every service but S3).
 */
static void
as_append_canonical_uri(StringInfo buf, const char *path)
{
	const char **segs;
	int			nsegs = 0;
	int			max = 1;
	char	   *copy;
	char	   *p;
	bool		trailing;

	if (path == NULL || path[0] == '\0')
	{
		appendStringInfoChar(buf, '/');
		return;
	}
	for (const char *c = path; *c; c++)
		if (*c == '/')
			max++;
	segs = palloc(sizeof(char *) * max);
	copy = pstrdup(path);
	trailing = copy[strlen(copy) - 1] == '/';
	p = copy;
	while (p != NULL)
	{
		char	   *slash = strchr(p, '/');

		if (slash)
			*slash = '\0';
		if (strcmp(p, "..") == 0)
		{
			if (nsegs > 0)
				nsegs--;
		}
		else if (p[0] != '\0' && strcmp(p, ".") != 0)
			segs[nsegs++] = p;
		p = slash ? slash + 1 : NULL;
	}
	appendStringInfoChar(buf, '/');
	for (int i = 0; i < nsegs; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, '/');
		for (const unsigned char *c = (const unsigned char *) segs[i]; *c; c++)
		{
			if (as_unreserved(*c))
				appendStringInfoChar(buf, (char) *c);
			else
				appendStringInfo(buf, "%%%02X", *c);
		}
	}
	if (trailing && nsegs > 0)
		appendStringInfoChar(buf, '/');
	pfree(copy);
	pfree(segs);
}

typedef struct AsQueryPair
{
	const char *key;
	size_t		key_len;
	const char *value;
	size_t		value_len;
} AsQueryPair;

static int
as_cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
as_cmp_pairs(const void *a, const void *b)
{
	const AsQueryPair *x = a;
	const AsQueryPair *y = b;
	int			c = as_cmp_bytes(x->key, x->key_len, y->key, y->key_len);

	if (c != 0)
		return c;
	return as_cmp_bytes(x->value, x->value_len, y->value, y->value_len);
}

/* The query string's pairs, as sent, sorted by key and then by value. */
static void
as_append_canonical_query(StringInfo buf, const char *query)
{
	AsQueryPair *pairs;
	int			n = 0;
	int			max = 1;
	const char *p;

	if (query == NULL || query[0] == '\0')
		return;
	for (const char *c = query; *c; c++)
		if (*c == '&')
			max++;
	pairs = palloc(sizeof(AsQueryPair) * max);
	p = query;
	for (;;)
	{
		const char *amp = strchr(p, '&');
		size_t		len = amp ? (size_t) (amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);

		pairs[n].key = p;
		pairs[n].key_len = eq ? (size_t) (eq - p) : len;
		pairs[n].value = eq ? eq + 1 : p + len;
		pairs[n].value_len = eq ? len - (eq - p) - 1 : 0;
		n++;
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	qsort(pairs, n, sizeof(AsQueryPair), as_cmp_pairs);
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, '&');
		appendBinaryStringInfo(buf, pairs[i].key, pairs[i].key_len);
		appendStringInfoChar(buf, '=');
		appendBinaryStringInfo(buf, pairs[i].value, pairs[i].value_len);
	}
	pfree(pairs);
}

static bool
as_sha256_hex(const char *data, size_t len, char *hex)
{
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL)
		return false;
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
	{
		pg_cryptohash_free(ctx);
		return false;
	}
	pg_cryptohash_free(ctx);
	for (int i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
	{
		hex[2 * i] = as_hex_digits[digest[i] >> 4];
		hex[2 * i + 1] = as_hex_digits[digest[i] & 0xf];
	}
	hex[AS_SIGV4_HEX_LEN] = '\0';
	return true;
}

/*
 * The canonical request for the headers named in signed_headers (';'
 * separated, in that order).  NULL when a signed header is missing from the
 * request or hashing failed (out of memory).
 */
char	   *
as_sigv4_canonical_request(const AsSigV4Request *req,
						   const char *signed_headers)
{
	StringInfoData buf;
	char		hex[AS_SIGV4_HEX_LEN + 1];
	const char *p = signed_headers;

	initStringInfo(&buf);
	appendStringInfoString(&buf, req->method);
	appendStringInfoChar(&buf, '\n');
	as_append_canonical_uri(&buf, req->path);
	appendStringInfoChar(&buf, '\n');
	as_append_canonical_query(&buf, req->query);
	appendStringInfoChar(&buf, '\n');
	while (*p)
	{
		const char *semi = strchr(p, ';');
		size_t		n = semi ? (size_t) (semi - p) : strlen(p);
		bool		found = false;

		appendBinaryStringInfo(&buf, p, n);
		appendStringInfoChar(&buf, ':');
		/* every header of that name, values joined by commas */
		for (int i = 0; i < req->nheaders; i++)
		{
			if (strlen(req->headers[i].name) != n ||
				pg_strncasecmp(req->headers[i].name, p, n) != 0)
				continue;
			if (found)
				appendStringInfoChar(&buf, ',');
			found = true;
			as_append_trimmed(&buf, req->headers[i].value);
		}
		if (!found)
		{
			pfree(buf.data);
			return NULL;
		}
		appendStringInfoChar(&buf, '\n');
		if (semi == NULL)
			break;
		p = semi + 1;
	}
	appendStringInfoChar(&buf, '\n');
	appendStringInfoString(&buf, signed_headers);
	appendStringInfoChar(&buf, '\n');
	if (!as_sha256_hex(req->body ? req->body : "", req->body_len, hex))
	{
		pfree(buf.data);
		return NULL;
	}
	appendStringInfoString(&buf, hex);
	return buf.data;
}

/* The string to sign for a canonical request; NULL when hashing failed. */
char	   *
as_sigv4_string_to_sign(const AsSigV4Auth *auth, const char *canonical_request)
{
	StringInfoData buf;
	char		hex[AS_SIGV4_HEX_LEN + 1];

	if (!as_sha256_hex(canonical_request, strlen(canonical_request), hex))
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s\n%s\n%s/%s/%s/%s\n%s", AS_SIGV4_ALGORITHM,
					 auth->amz_date, auth->date, auth->region, auth->service,
					 AS_SIGV4_TERMINATOR, hex);
	return buf.data;
}

static bool
as_hmac(const uint8 *key, size_t key_len, const char *data, size_t len,
		uint8 *out)
{
	pg_hmac_ctx *ctx = pg_hmac_create(PG_SHA256);
	bool		ok;

	if (ctx == NULL)
		return false;
	ok = pg_hmac_init(ctx, key, key_len) >= 0 &&
		pg_hmac_update(ctx, (const uint8 *) data, len) >= 0 &&
		pg_hmac_final(ctx, out, PG_SHA256_DIGEST_LENGTH) >= 0;
	pg_hmac_free(ctx);
	return ok;
}

/*
 * The signature of a string to sign, in hexadecimal (hex has room for 65
 * bytes).  The key chain: "AWS4" + secret, then the date, the region, the
 * service and "aws4_request".  false when hashing failed.
 */
bool
as_sigv4_signature(const char *secret, const AsSigV4Auth *auth,
				   const char *string_to_sign, char *hex)
{
	uint8		k[PG_SHA256_DIGEST_LENGTH];
	uint8		next[PG_SHA256_DIGEST_LENGTH];
	size_t		secret_len = strlen(secret);
	char	   *first = palloc(secret_len + 5);
	bool		ok;

	memcpy(first, "AWS4", 4);
	memcpy(first + 4, secret, secret_len + 1);
	ok = as_hmac((const uint8 *) first, secret_len + 4, auth->date,
				 strlen(auth->date), k) &&
		as_hmac(k, sizeof(k), auth->region, strlen(auth->region), next) &&
		as_hmac(next, sizeof(next), auth->service, strlen(auth->service), k) &&
		as_hmac(k, sizeof(k), AS_SIGV4_TERMINATOR,
				strlen(AS_SIGV4_TERMINATOR), next) &&
		as_hmac(next, sizeof(next), string_to_sign, strlen(string_to_sign), k);
	/* the secret's copy and the keys derived from it do not linger */
	explicit_bzero(first, secret_len + 5);
	pfree(first);
	explicit_bzero(next, sizeof(next));
	if (ok)
	{
		for (int i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		{
			hex[2 * i] = as_hex_digits[k[i] >> 4];
			hex[2 * i + 1] = as_hex_digits[k[i] & 0xf];
		}
		hex[AS_SIGV4_HEX_LEN] = '\0';
	}
	explicit_bzero(k, sizeof(k));
	return ok;
}

/* Two 64-digit signatures equal?  In time that does not depend on where
 * they differ. */
bool
as_sigv4_hex_equal(const char *a, const char *b)
{
	volatile unsigned char diff = 0;

	for (int i = 0; i < AS_SIGV4_HEX_LEN; i++)
		diff |= (unsigned char) a[i] ^ (unsigned char) b[i];
	return diff == 0 && a[AS_SIGV4_HEX_LEN] == '\0' &&
		b[AS_SIGV4_HEX_LEN] == '\0';
}

/* --- the whole check ------------------------------------------------------ */

/*
 * First step: the Authorization header, X-Amz-Date, and the time window.
 * Needs no secret, so that the caller can look the key up next.
 */
AsSigV4Status
as_sigv4_parse(const AsSigV4Request *req, int64 now, AsSigV4Auth *auth,
			   char *message, size_t message_len)
{
	const char *authorization = as_http_header(req->headers, req->nheaders,
											   "Authorization");
	const char *date = as_http_header(req->headers, req->nheaders,
									  "X-Amz-Date");
	char		edge[17];
	char		now_text[17];

	if (authorization == NULL || authorization[0] == '\0')
	{
		memset(auth, 0, sizeof(*auth));
		as_fail(message, message_len,
				"The request must contain either a valid (registered) AWS access key ID or X.509 certificate.");
		return AS_SIGV4_MISSING;
	}
	if (!as_sigv4_parse_authorization(authorization, auth, message,
									  message_len))
		return AS_SIGV4_INCOMPLETE;
	if (date == NULL)
	{
		as_fail(message, message_len,
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header; this endpoint reads 'X-Amz-Date'.");
		return AS_SIGV4_INCOMPLETE;
	}
	if (!as_sigv4_parse_amz_date(date, &auth->amz_time))
	{
		as_fail(message, message_len,
				"X-Amz-Date must be in ISO 8601 basic format, YYYYMMDDTHHMMSSZ.");
		return AS_SIGV4_INCOMPLETE;
	}
	memcpy(auth->amz_date, date, 16);
	auth->amz_date[16] = '\0';
	if (memcmp(auth->date, auth->amz_date, 8) != 0)
	{
		if (message_len > 0)
			snprintf(message, message_len,
					 "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%.8s', from '%s'.",
					 auth->date, auth->amz_date, auth->amz_date);
		return AS_SIGV4_MISMATCH;
	}
	as_sigv4_format_amz_date(now, now_text);
	if (auth->amz_time < now - AS_SIGV4_MAX_SKEW)
	{
		as_sigv4_format_amz_date(now - AS_SIGV4_MAX_SKEW, edge);
		if (message_len > 0)
			snprintf(message, message_len,
					 "Signature expired: %s is now earlier than %s (%s - 15 min.)",
					 auth->amz_date, edge, now_text);
		return AS_SIGV4_EXPIRED;
	}
	if (auth->amz_time > now + AS_SIGV4_MAX_SKEW)
	{
		as_sigv4_format_amz_date(now + AS_SIGV4_MAX_SKEW, edge);
		if (message_len > 0)
			snprintf(message, message_len,
					 "Signature not yet current: %s is still later than %s (%s + 15 min.)",
					 auth->amz_date, edge, now_text);
		return AS_SIGV4_NOT_YET_CURRENT;
	}
	return AS_SIGV4_OK;
}

/* Second step: the signature, with the key's secret. */
AsSigV4Status
as_sigv4_check(const AsSigV4Request *req, const AsSigV4Auth *auth,
			   const char *secret, char *message, size_t message_len)
{
	char	   *canonical = as_sigv4_canonical_request(req, auth->signed_headers);
	char	   *sts = canonical ? as_sigv4_string_to_sign(auth, canonical) : NULL;
	char		hex[AS_SIGV4_HEX_LEN + 1];
	bool		ok;

	ok = sts != NULL && as_sigv4_signature(secret, auth, sts, hex) &&
		as_sigv4_hex_equal(hex, auth->signature);
	if (canonical)
		pfree(canonical);
	if (sts)
		pfree(sts);
	if (ok)
		return AS_SIGV4_OK;
	as_fail(message, message_len,
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
	return AS_SIGV4_MISMATCH;
}
