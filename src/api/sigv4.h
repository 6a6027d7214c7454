/*-------------------------------------------------------------------------
 *
 * sigv4.h
 *		AWS Signature Version 4: parsing a signed request's Authorization
 *		header and date, and checking its signature with a secret.
 *
 * Pure: no I/O, no clock, no shared memory.  The caller passes the time
 * and the request; the same code builds into the server and into the
 * standalone test and fuzzing programs (with FRONTEND defined).
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_SIGV4_H
#define AS_SIGV4_H

/* The largest clock difference AWS accepts, seconds (15 minutes). */
#define AS_SIGV4_MAX_SKEW	(15 * 60)

#define AS_SIGV4_KEY_ID_LEN		128
#define AS_SIGV4_SCOPE_PART_LEN 64
#define AS_SIGV4_SIGNED_HEADERS_LEN 1024
#define AS_SIGV4_HEX_LEN		64	/* a SHA-256 digest in hexadecimal */

/* One header of a request, as received (any case, untrimmed). */
typedef struct AsHttpHeader
{
	const char *name;
	const char *value;
} AsHttpHeader;

/* What a signature covers. */
typedef struct AsSigV4Request
{
	const char *method;			/* "POST" */
	const char *path;			/* the path as sent, percent-encoded */
	const char *query;			/* the query string as sent, without '?' */
	const AsHttpHeader *headers;
	int			nheaders;
	const char *body;
	size_t		body_len;
} AsSigV4Request;

/* The parts of a signed request's Authorization header and date. */
typedef struct AsSigV4Auth
{
	char		access_key_id[AS_SIGV4_KEY_ID_LEN + 1];
	char		date[9];		/* YYYYMMDD of the credential scope */
	char		region[AS_SIGV4_SCOPE_PART_LEN + 1];
	char		service[AS_SIGV4_SCOPE_PART_LEN + 1];
	char		signed_headers[AS_SIGV4_SIGNED_HEADERS_LEN + 1];
	char		signature[AS_SIGV4_HEX_LEN + 1];
	char		amz_date[17];	/* YYYYMMDDTHHMMSSZ, as sent */
	int64		amz_time;		/* the same, seconds since 1970-01-01 UTC */
} AsSigV4Auth;

/* Outcomes; each is one AWS error code, named beside it. */
typedef enum AsSigV4Status
{
	AS_SIGV4_OK = 0,
	AS_SIGV4_MISSING,			/* MissingAuthenticationToken, 403 */
	AS_SIGV4_INCOMPLETE,		/* IncompleteSignature, 400 */
	AS_SIGV4_EXPIRED,			/* SignatureDoesNotMatch, 403: too old */
	AS_SIGV4_NOT_YET_CURRENT,	/* SignatureDoesNotMatch, 403: too new */
	AS_SIGV4_MISMATCH			/* SignatureDoesNotMatch, 403 */
} AsSigV4Status;

extern AsSigV4Status as_sigv4_parse(const AsSigV4Request *req, int64 now,
									AsSigV4Auth *auth,
									char *message, size_t message_len);
extern AsSigV4Status as_sigv4_check(const AsSigV4Request *req,
									const AsSigV4Auth *auth,
									const char *secret,
									char *message, size_t message_len);

extern bool as_sigv4_parse_authorization(const char *value, AsSigV4Auth *auth,
										 char *message, size_t message_len);
extern bool as_sigv4_parse_amz_date(const char *value, int64 *seconds);
extern void as_sigv4_format_amz_date(int64 seconds, char *out);
extern char *as_sigv4_canonical_request(const AsSigV4Request *req,
										const char *signed_headers);
extern char *as_sigv4_string_to_sign(const AsSigV4Auth *auth,
									 const char *canonical_request);
extern bool as_sigv4_signature(const char *secret, const AsSigV4Auth *auth,
							   const char *string_to_sign, char *hex);
extern bool as_sigv4_hex_equal(const char *a, const char *b);
extern const char *as_http_header(const AsHttpHeader *headers, int n,
								  const char *name);

/* Days since 1970-01-01 of a civil date, and back (pure arithmetic). */
extern int64 as_days_from_civil(int year, int month, int day);
extern void as_civil_from_days(int64 days, int *year, int *month, int *day);

#endif							/* AS_SIGV4_H */
