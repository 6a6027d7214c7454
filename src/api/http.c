/*-------------------------------------------------------------------------
 *
 * http.c
 *		The AWS API endpoint's transport, by libmicrohttpd.
 *
 * libmicrohttpd parses HTTP; this file only runs it inside a PostgreSQL
 * process: no thread of its own (external polling), its epoll descriptor
 * waited on beside the worker's latch (as_http_wait_fd(), at most
 * as_http_timeout_ms()), then MHD_run() serves what is ready.  Many
 * keep-alive connections are served at once (AWS clients keep theirs
 * open), each request as soon as its body is complete, one at a time.
 *
 * Bounds: AS_HTTP_MAX_CONNECTIONS connections, AS_HTTP_MAX_BODY bytes of
 * body (a larger Content-Length is refused before the body is read, a
 * chunked body as soon as it grows past it), AS_HTTP_BODY_SECONDS from the
 * headers to the end of the body (a client that trickles its body is
 * answered 408 once it ends), AS_HTTP_BODY_SECONDS of silence within a
 * request and AS_HTTP_IDLE_SECONDS between requests, after which
 * libmicrohttpd closes the connection (a client that stops sending in the
 * middle of a request cannot be answered).  Those refusals go through the application's
 * refusal callback so that they are in AWS's error shape.
 *
 * Inside libmicrohttpd's callbacks nothing may throw (a longjmp would leave
 * its state half changed): memory here is malloc'd and freed by hand, and
 * the application's callbacks promise not to throw.
 *
 * It must not know AWS, SigV4 or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "utils/timestamp.h"

#include "http.h"

/* One request in progress, malloc'd when its URI arrives. */
typedef struct AsHttpConn
{
	char	   *uri;			/* as sent */
	char	   *body;
	size_t		len;
	size_t		cap;
	TimestampTz started;		/* when the headers were complete */
	bool		answered;		/* a response is queued */
	/* refused while its body arrives: answered when the body is complete */
	int			refused_status;
	const char *refused_code;
	const char *refused_message;
	size_t		discarded;		/* body bytes dropped since the refusal */
} AsHttpConn;

static struct MHD_Daemon *as_daemon = NULL;
static AsHttpHandler as_handler = NULL;
static AsHttpRefusal as_refusal = NULL;

/*
 * 'host:port', '[v6 address]:port'; the host is a name or an address.
 * The port is 1 to 65535.
 */
bool
as_http_parse_listen(const char *listen, char *host, size_t host_len,
					 int *port)
{
	const char *colon;
	const char *h = listen;
	size_t		hlen;
	long		p;
	char	   *end;

	if (listen == NULL || listen[0] == '\0')
		return false;
	if (listen[0] == '[')
	{
		const char *close = strchr(listen, ']');

		if (close == NULL || close[1] != ':')
			return false;
		h = listen + 1;
		hlen = close - h;
		colon = close + 1;
	}
	else
	{
		colon = strrchr(listen, ':');
		if (colon == NULL || memchr(listen, ':', colon - listen) != NULL)
			return false;
		hlen = colon - listen;
	}
	if (hlen == 0 || hlen >= host_len)
		return false;
	for (size_t i = 0; i < hlen; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
			  (h[i] >= '0' && h[i] <= '9') || h[i] == '.' || h[i] == '-' ||
			  h[i] == ':' || h[i] == '_'))
			return false;
	if (colon[1] < '0' || colon[1] > '9')
		return false;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || p < 1 || p > 65535)
		return false;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = (int) p;
	return true;
}

static bool
as_sockaddr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
	{
		const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6)
	{
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
			in6->sin6_addr.s6_addr[12] == 127;
	}
	return false;
}

/* libmicrohttpd's own messages: the log, at DEBUG1 */
static void as_http_log(void *cls, const char *fmt, va_list ap) pg_attribute_printf(2, 0);

static void
as_http_log(void *cls, const char *fmt, va_list ap)
{
	char		msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	ereport(DEBUG1,
			(errmsg_internal("aurora_serverless api: libmicrohttpd: %s", msg)));
}

static void *
as_http_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
	AsHttpConn *c = calloc(1, sizeof(AsHttpConn));

	if (c != NULL && (c->uri = strdup(uri)) == NULL)
	{
		free(c);
		c = NULL;
	}
	return c;
}

static void
as_http_completed(void *cls, struct MHD_Connection *connection,
				  void **con_cls, enum MHD_RequestTerminationCode toe)
{
	AsHttpConn *c = *con_cls;

	if (c == NULL)
		return;
	free(c->uri);
	free(c->body);
	free(c);
	*con_cls = NULL;
}

typedef struct AsHeaderCollect
{
	AsHttpHeader *headers;
	int			n;
	bool		overflow;
} AsHeaderCollect;

static enum MHD_Result
as_http_header_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	AsHeaderCollect *hc = cls;

	if (hc->n >= AS_HTTP_MAX_HEADERS)
	{
		hc->overflow = true;
		return MHD_NO;
	}
	hc->headers[hc->n].name = key;
	hc->headers[hc->n].value = value ? value : "";
	hc->n++;
	return MHD_YES;
}

/* Queue a response built by the application. */
static enum MHD_Result
as_http_send(struct MHD_Connection *connection, AsHttpConn *c,
			 const AsHttpResponse *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	c->answered = true;
	r = MHD_create_response_from_buffer(resp->body_len, (void *) resp->body,
										MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (resp->content_type)
		MHD_add_response_header(r, "Content-Type", resp->content_type);
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name,
								resp->headers[i].value);
	ret = MHD_queue_response(connection, resp->status, r);
	MHD_destroy_response(r);
	MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT,
							  (unsigned int) AS_HTTP_IDLE_SECONDS);
	return ret;
}

/* Split the URI into path and query; fill the request's other fields. */
static void
as_http_fill(struct MHD_Connection *connection, AsHttpConn *c,
			 const char *method, AsHttpRequest *req, AsHeaderCollect *hc,
			 char *client, size_t client_len)
{
	char	   *q = strchr(c->uri, '?');
	const union MHD_ConnectionInfo *info;

	if (q)
	{
		*q = '\0';
		req->query = q + 1;
	}
	else
		req->query = "";
	req->path = c->uri;
	req->method = method;
	MHD_get_connection_values(connection, MHD_HEADER_KIND, as_http_header_cb,
							  hc);
	req->headers = hc->headers;
	req->nheaders = hc->n;
	req->body = c->body ? c->body : "";
	req->body_len = c->len;
	strlcpy(client, "?", client_len);
	info = MHD_get_connection_info(connection,
								   MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (info && info->client_addr)
	{
		const struct sockaddr *sa = info->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *) sa)->sin_addr,
					  client, client_len);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) sa)->sin6_addr,
					  client, client_len);
	}
	req->client = client;
}

static enum MHD_Result
as_http_refuse(struct MHD_Connection *connection, AsHttpConn *c,
			   const char *method, int status, const char *code,
			   const char *message)
{
	AsHttpRequest req;
	AsHttpResponse resp;
	AsHttpHeader headers[AS_HTTP_MAX_HEADERS];
	AsHeaderCollect hc = {headers, 0, false};
	char		client[64];

	memset(&resp, 0, sizeof(resp));
	as_http_fill(connection, c, method, &req, &hc, client, sizeof(client));
	as_refusal(&req, status, code, message, &resp);
	return as_http_send(connection, c, &resp);
}

static enum MHD_Result
as_http_access(void *cls, struct MHD_Connection *connection, const char *url,
			   const char *method, const char *version,
			   const char *upload_data, size_t *upload_data_size,
			   void **con_cls)
{
	AsHttpConn *c = *con_cls;
	AsHttpRequest req;
	AsHttpResponse resp;
	AsHttpHeader headers[AS_HTTP_MAX_HEADERS];
	AsHeaderCollect hc = {headers, 0, false};
	char		client[64];

	if (c == NULL)
		return MHD_NO;			/* out of memory: close the connection */
	if (c->answered)
	{
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->refused_status != 0)
	{
		/*
		 * Refused while the body arrived: libmicrohttpd answers only once a
		 * request is complete, so drop the rest of the body, and answer then;
		 * a client that goes on for long after, or sends much more, is
		 * disconnected instead.
		 */
		if (*upload_data_size > 0)
		{
			c->discarded += *upload_data_size;
			*upload_data_size = 0;
			if (c->discarded > AS_HTTP_MAX_BODY ||
				TimestampDifferenceExceeds(c->started, GetCurrentTimestamp(),
										   3 * AS_HTTP_BODY_SECONDS * 1000))
				return MHD_NO;
			return MHD_YES;
		}
		return as_http_refuse(connection, c, method, c->refused_status,
							  c->refused_code, c->refused_message);
	}
	if (c->started == 0)
	{
		const char *cl = MHD_lookup_connection_value(connection,
													 MHD_HEADER_KIND,
													 "Content-Length");

		c->started = GetCurrentTimestamp();
		/* in a request, silence ends it sooner than between requests */
		MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT,
								  (unsigned int) AS_HTTP_BODY_SECONDS);
		if (cl != NULL && (strlen(cl) > 9 || atol(cl) > AS_HTTP_MAX_BODY))
			return as_http_refuse(connection, c, method, 413,
								  "RequestEntityTooLarge",
								  "The request body is larger than the endpoint accepts (1 MiB).");
		return MHD_YES;
	}
	if (*upload_data_size > 0)
	{
		size_t		n = *upload_data_size;

		*upload_data_size = 0;
		if (TimestampDifferenceExceeds(c->started, GetCurrentTimestamp(),
									   AS_HTTP_BODY_SECONDS * 1000))
		{
			c->refused_status = 408;
			c->refused_code = "RequestTimeout";
			c->refused_message = "The request body was not received within 10 seconds of its headers.";
			return MHD_YES;
		}
		if (c->len + n > AS_HTTP_MAX_BODY)
		{
			c->refused_status = 413;
			c->refused_code = "RequestEntityTooLarge";
			c->refused_message = "The request body is larger than the endpoint accepts (1 MiB).";
			return MHD_YES;
		}
		if (c->len + n > c->cap)
		{
			size_t		cap = Max(c->cap * 2, Max(c->len + n, 4096));
			char	   *grown;

			cap = Min(cap, (size_t) AS_HTTP_MAX_BODY);
			grown = realloc(c->body, cap);
			if (grown == NULL)
				return MHD_NO;
			c->body = grown;
			c->cap = cap;
		}
		memcpy(c->body + c->len, upload_data, n);
		c->len += n;
		return MHD_YES;
	}

	/* the whole request is here */
	memset(&resp, 0, sizeof(resp));
	as_http_fill(connection, c, method, &req, &hc, client, sizeof(client));
	if (hc.overflow)
		as_refusal(&req, 400, "InvalidRequest",
				   "The request has more headers than the endpoint accepts (64).",
				   &resp);
	else
		as_handler(&req, &resp);
	return as_http_send(connection, c, &resp);
}

/*
 * Listen on listen ('host:port') and serve requests with handler.  Sets
 * loopback when every address listened on is a loopback one.  On failure,
 * err says why and nothing is left open.
 */
bool
as_http_start(const char *listen, AsHttpHandler handler,
			  AsHttpRefusal refusal, bool *loopback, char *err,
			  size_t err_len)
{
	char		host[256];
	char		port_text[16];
	int			port;
	struct addrinfo hints;
	struct addrinfo *res = NULL;
	int			rc;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	if (!as_http_parse_listen(listen, host, sizeof(host), &port))
	{
		snprintf(err, err_len, "\"%s\" is not host:port", listen);
		return false;
	}
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) != MHD_YES)
	{
		snprintf(err, err_len,
				 "this libmicrohttpd has no epoll support, which the endpoint needs (Linux)");
		return false;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port_text, sizeof(port_text), "%d", port);
	rc = getaddrinfo(host, port_text, &hints, &res);
	if (rc != 0 || res == NULL)
	{
		snprintf(err, err_len, "could not resolve \"%s\": %s", host,
				 gai_strerror(rc));
		return false;
	}
	*loopback = as_sockaddr_is_loopback(res->ai_addr);
	if (res->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	as_handler = handler;
	as_refusal = refusal;
	as_daemon = MHD_start_daemon(flags, (uint16_t) port, NULL, NULL,
								 as_http_access, NULL,
								 MHD_OPTION_SOCK_ADDR, res->ai_addr,
								 MHD_OPTION_CONNECTION_LIMIT,
								 (unsigned int) AS_HTTP_MAX_CONNECTIONS,
								 MHD_OPTION_CONNECTION_TIMEOUT,
								 (unsigned int) AS_HTTP_IDLE_SECONDS,
								 MHD_OPTION_CONNECTION_MEMORY_LIMIT,
								 (size_t) 64 * 1024,
								 MHD_OPTION_LISTEN_BACKLOG_SIZE,
								 (unsigned int) 128,
								 MHD_OPTION_URI_LOG_CALLBACK, as_http_uri, NULL,
								 MHD_OPTION_NOTIFY_COMPLETED, as_http_completed,
								 NULL,
								 MHD_OPTION_EXTERNAL_LOGGER, as_http_log, NULL,
								 MHD_OPTION_END);
	freeaddrinfo(res);
	if (as_daemon == NULL)
	{
		snprintf(err, err_len, "could not listen on %s (in use, or not an address of this machine?)",
				 listen);
		return false;
	}
	return true;
}

/* The descriptor to wait on for readability before as_http_run(). */
int
as_http_wait_fd(void)
{
	const union MHD_DaemonInfo *info;

	info = MHD_get_daemon_info(as_daemon, MHD_DAEMON_INFO_EPOLL_FD);
	return info ? info->epoll_fd : -1;
}

/* How long one may wait at most before as_http_run(); -1: no limit. */
long
as_http_timeout_ms(void)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(as_daemon, &t) != MHD_YES)
		return -1;
	return t > 60000 ? 60000 : (long) t;
}

void
as_http_run(void)
{
	(void) MHD_run(as_daemon);
}

void
as_http_stop(void)
{
	if (as_daemon != NULL)
		MHD_stop_daemon(as_daemon);
	as_daemon = NULL;
}
