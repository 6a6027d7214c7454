/*-------------------------------------------------------------------------
 *
 * http.h
 *		The AWS API endpoint's transport: HTTP/1.1 with keep-alive, by
 *		libmicrohttpd, driven from the API worker's own wait loop.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_HTTP_H
#define AS_HTTP_H

#include "sigv4.h"

/* Bounds of a request. */
#define AS_HTTP_MAX_BODY		(1024 * 1024)	/* bytes of body */
#define AS_HTTP_MAX_HEADERS		64
#define AS_HTTP_BODY_SECONDS	10	/* from the headers to the body's end */
#define AS_HTTP_IDLE_SECONDS	30	/* silence before a connection is closed */
#define AS_HTTP_MAX_CONNECTIONS 256

typedef struct AsHttpRequest
{
	const char *method;
	const char *path;			/* as sent, percent-encoded */
	const char *query;			/* as sent, without '?'; "" when none */
	const AsHttpHeader *headers;
	int			nheaders;
	const char *body;
	size_t		body_len;
	const char *client;			/* the peer's address, for the log */
} AsHttpRequest;

typedef struct AsHttpResponse
{
	int			status;
	const char *content_type;
	const char *body;
	size_t		body_len;
	AsHttpHeader headers[4];	/* more headers to send */
	int			nheaders;
} AsHttpResponse;

/*
 * The application's side.  handler answers a complete request; refusal
 * answers one that the transport refuses (status, and an AWS error code and
 * message).  Neither may throw: they are called from inside libmicrohttpd.
 */
typedef void (*AsHttpHandler) (const AsHttpRequest *req, AsHttpResponse *resp);
typedef void (*AsHttpRefusal) (const AsHttpRequest *req, int status,
							   const char *code, const char *message,
							   AsHttpResponse *resp);

extern bool as_http_parse_listen(const char *listen, char *host,
								 size_t host_len, int *port);
extern bool as_http_start(const char *listen, AsHttpHandler handler,
						  AsHttpRefusal refusal, bool *loopback,
						  char *err, size_t err_len);
extern int	as_http_wait_fd(void);
extern long as_http_timeout_ms(void);
extern void as_http_run(void);
extern void as_http_stop(void);

#endif							/* AS_HTTP_H */
