/*-------------------------------------------------------------------------
 *
 * request.h
 *		One AWS API request: protocol, identity, the action run as the
 *		caller's role in a transaction, and AWS's error shape.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_REQUEST_H
#define AS_REQUEST_H

#include "executor/spi.h"
#include "lib/stringinfo.h"

#include "awsout.h"
#include "form.h"
#include "http.h"

/* The dummy account ID in every ARN the endpoint writes. */
#define AS_API_ACCOUNT_ID "000000000000"

typedef enum AsApiProtocol
{
	AS_API_QUERY,				/* form-encoded parameters, XML replies */
	AS_API_JSON,				/* AWS JSON 1.0 */
	AS_API_CBOR					/* Smithy RPC v2 CBOR: refused */
} AsApiProtocol;

typedef struct AsApiCall AsApiCall;
typedef void (*AsApiActionFn) (AsApiCall *call);

typedef struct AsApiAction
{
	const char *name;			/* AWS's action name: DescribeDBClusters */
	AsApiActionFn fn;
	bool		has_result;		/* Query: the reply has an ActionResult */
} AsApiAction;

/* A service: the actions signed for one SigV4 service name. */
typedef struct AsApiService
{
	const char *signing_name;	/* the credential scope's service: rds */
	const char *iam_prefix;		/* IAM's name for it, in AccessDenied: rds */
	const char *version;		/* the Query protocol's Version: 2014-10-31 */
	const char *xmlns;			/* the Query replies' namespace */
	const char *json_target;	/* AWS JSON 1.0: X-Amz-Target's prefix, or
								 * NULL when the service speaks Query only */
	const AsApiAction *actions;
	int			nactions;
} AsApiService;

struct AsApiCall
{
	const AsApiService *service;
	const AsApiAction *action;
	AsApiProtocol protocol;
	const char *target;			/* AWS JSON 1.0: X-Amz-Target */
	AsForm	   *params;			/* the request's parameters, flattened as the
								 * Query protocol names them */
	const char *region;			/* from the credential scope */
	const char *access_key_id;
	const char *role_name;		/* the PostgreSQL role it runs as */
	Oid			role;
	const char *request_id;
	int64		now_us;			/* the request's time, microseconds since 1970 */
	AsOut		out;			/* the action's output */
	StringInfoData body;
};

/* Raise an AWS error from an action: status, code, message. */
extern void as_api_fail(AsApiCall *call, int status, const char *code,
						const char *fmt,...) pg_attribute_printf(4, 5);

/* Parameters, with AWS's errors for a missing or malformed one. */
extern const char *as_api_param(AsApiCall *call, const char *name,
								bool required);
extern bool as_api_param_double(AsApiCall *call, const char *name,
								double *value);
extern bool as_api_param_int(AsApiCall *call, const char *name, int64 min,
							 int64 max, int64 *value);
extern bool as_api_param_bool(AsApiCall *call, const char *name, bool *value);
extern bool as_api_param_time(AsApiCall *call, const char *name,
							  int64 *unix_us);
extern void as_api_ignore_params(AsApiCall *call, const char *const *names);
extern void as_api_refuse_unused(AsApiCall *call);

/* SQL, as the caller's role. */
extern int	as_api_sql(AsApiCall *call, const char *sql, int nargs,
					   Oid *types, Datum *values);
extern char *as_api_value(int row, int col);
extern bool as_api_double(int row, int col, double *value);
extern void as_api_next_transaction(AsApiCall *call);
extern Datum as_api_timestamptz(int64 unix_us);

/* The endpoint's side of http.c. */
extern void as_api_handle(const AsHttpRequest *req, AsHttpResponse *resp);
extern void as_api_refuse(const AsHttpRequest *req, int status,
						  const char *code, const char *message,
						  AsHttpResponse *resp);
extern void as_api_request_init(bool loopback);
extern void as_api_settings_changed(void);

#endif							/* AS_REQUEST_H */
