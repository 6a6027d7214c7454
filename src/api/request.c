/*-------------------------------------------------------------------------
 *
 * request.c
 *		One AWS API request, from the bytes http.c hands over to the bytes
 *		it sends back.
 *
 * The steps, each answered with AWS's error when it fails:
 *   1. the protocol, as AWS tells them apart: AWS JSON 1.0 by its
 *      Content-Type (application/x-amz-json-1.0) and X-Amz-Target, Smithy
 *      RPC v2 CBOR by its smithy-protocol header (refused, in CBOR, naming
 *      the protocols served), else the Query protocol (form-encoded, XML
 *      replies);
 *   2. the extension in the API's database (ServiceUnavailable without it);
 *   3. SigV4: the Authorization header and X-Amz-Date within 15 minutes of
 *      now (sigv4.c), the access key (keys.c), the signature with its
 *      secret; or, with api_accept_any_credentials on a loopback endpoint,
 *      any well-formed signature, as local emulators accept;
 *   4. the service named by the credential scope (rds, ...) and its action;
 *   5. the action, in a transaction, as the key's role
 *      (SetUserIdAndSecContext with SECURITY_LOCAL_USERID_CHANGE), calling
 *      the extension's SQL functions and views through SPI: privileges are
 *      exactly those of SQL.
 * Any error (an action's own, or one from SQL) aborts the transaction and
 * becomes AWS's error document: an action's code as it gave it, an SQL
 * error through the SQLSTATE table below (insufficient_privilege is
 * AccessDenied, 403).  Nothing escapes to libmicrohttpd: an ERROR never
 * ends the worker.  Each request has a memory context of its own, reset at
 * the next.
 *
 * It must not know libmicrohttpd, nor what an action does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timeout.h"
#include "utils/timestamp.h"

#include "guc.h"

#include "awscbor.h"
#include "awsjson.h"
#include "awsxml.h"
#include "keys.h"
#include "request.h"
#include "monitoring.h"
#include "rds.h"
#include "sigv4.h"

/* How long an action may run before it is cancelled. */
#define AS_API_STATEMENT_TIMEOUT_MS 30000

/* An AWS error raised by an action, kept until the catch block reads it. */
typedef struct AsApiError
{
	bool		set;
	int			status;
	const char *code;
} AsApiError;

static MemoryContext as_request_cxt = NULL;
static bool as_api_loopback = false;
static AsApiError as_error;

/* the services this endpoint serves */
static const AsApiService *const as_services[] = {
	&as_rds_service,
	&as_monitoring_service,
};

/* --- SQLSTATE to AWS error ------------------------------------------------ */

typedef struct AsSqlstateMap
{
	int			sqlstate;		/* a full SQLSTATE, or a class */
	bool		is_class;
	int			status;
	const char *code;
} AsSqlstateMap;

/*
 * The one table from SQL errors to AWS's: the first entry that matches (a
 * full SQLSTATE before its class) gives the code and HTTP status.
 */
static const AsSqlstateMap as_sqlstate_map[] = {
	{ERRCODE_INSUFFICIENT_PRIVILEGE, false, 403, "AccessDenied"},
	{ERRCODE_NULL_VALUE_NOT_ALLOWED, false, 400, "MissingParameter"},
	{ERRCODE_UNDEFINED_OBJECT, false, 404, "ResourceNotFound"},
	{ERRCODE_DUPLICATE_OBJECT, false, 400, "InvalidParameterValue"},
	{ERRCODE_FEATURE_NOT_SUPPORTED, false, 400, "InvalidParameterCombination"},
	{ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, false, 400, "InvalidDBClusterStateFault"},
	{ERRCODE_OBJECT_IN_USE, false, 400, "InvalidDBClusterStateFault"},
	{ERRCODE_READ_ONLY_SQL_TRANSACTION, false, 400, "InvalidDBClusterStateFault"},
	{ERRCODE_QUERY_CANCELED, false, 503, "ServiceUnavailable"},
	{ERRCODE_CONFIGURATION_LIMIT_EXCEEDED, false, 400, "LimitExceeded"},
	{ERRCODE_T_R_SERIALIZATION_FAILURE, false, 400, "Throttling"},
	{ERRCODE_T_R_DEADLOCK_DETECTED, false, 400, "Throttling"},
	{ERRCODE_LOCK_NOT_AVAILABLE, false, 400, "Throttling"},
	{ERRCODE_DATA_EXCEPTION, true, 400, "InvalidParameterValue"},
	{ERRCODE_INSUFFICIENT_RESOURCES, true, 503, "ServiceUnavailable"},
	{ERRCODE_OPERATOR_INTERVENTION, true, 503, "ServiceUnavailable"},
};

static const AsSqlstateMap *
as_map_sqlstate(int sqlstate)
{
	static const AsSqlstateMap internal = {0, false, 500, "InternalFailure"};

	for (int i = 0; i < lengthof(as_sqlstate_map); i++)
		if (!as_sqlstate_map[i].is_class &&
			as_sqlstate_map[i].sqlstate == sqlstate)
			return &as_sqlstate_map[i];
	for (int i = 0; i < lengthof(as_sqlstate_map); i++)
		if (as_sqlstate_map[i].is_class &&
			as_sqlstate_map[i].sqlstate == ERRCODE_TO_CATEGORY(sqlstate))
			return &as_sqlstate_map[i];
	return &internal;
}

/* --- errors --------------------------------------------------------------- */

void
as_api_fail(AsApiCall *call, int status, const char *code, const char *fmt,...)
{
	char		message[1024];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	as_error.set = true;
	as_error.status = status;
	as_error.code = code;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", message)));
	pg_unreachable();
}

/* The error document in the request's protocol. */
static void
as_api_error_response(AsApiProtocol protocol, const AsApiService *service,
					  int status, const char *code, const char *message,
					  const char *request_id, AsHttpResponse *resp)
{
	StringInfoData buf;

	initStringInfo(&buf);
	resp->status = status;
	resp->nheaders = 0;
	resp->headers[resp->nheaders].name = "x-amzn-RequestId";
	resp->headers[resp->nheaders++].value = request_id;
	if (protocol == AS_API_CBOR)
	{
		as_cbor_error(&buf, code, message);
		resp->content_type = "application/cbor";
		resp->headers[resp->nheaders].name = "smithy-protocol";
		resp->headers[resp->nheaders++].value = "rpc-v2-cbor";
	}
	else if (protocol == AS_API_JSON)
	{
		as_json_error(&buf, code, message);
		resp->content_type = "application/x-amz-json-1.0";
		resp->headers[resp->nheaders].name = "x-amzn-query-error";
		resp->headers[resp->nheaders++].value =
			psprintf("%s;%s", code, status < 500 ? "Sender" : "Receiver");
	}
	else
	{
		as_xml_error(&buf, service ? service->xmlns : as_rds_service.xmlns,
					 status < 500, code, message, request_id);
		resp->content_type = "text/xml";
	}
	resp->body = buf.data;
	resp->body_len = buf.len;
}

/* --- identifiers ---------------------------------------------------------- */

/* A version 4 UUID, as AWS's request IDs are. */
static char *
as_api_request_id(void)
{
	uint8		b[16];

	if (!pg_strong_random(b, sizeof(b)))
		memset(b, 0, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	return psprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
					b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
					b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* --- parameters ----------------------------------------------------------- */

const char *
as_api_param(AsApiCall *call, const char *name, bool required)
{
	const char *v = as_form_get(call->params, name);

	if (v == NULL && required)
		as_api_fail(call, 400, "MissingParameter",
					"The request must contain the parameter %s.", name);
	return v;
}

bool
as_api_param_double(AsApiCall *call, const char *name, double *value)
{
	const char *v = as_api_param(call, name, false);

	if (v == NULL)
		return false;
	if (!as_parse_double(v, value))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter %s is invalid: a number is expected.",
					v, name);
	return true;
}

bool
as_api_param_int(AsApiCall *call, const char *name, int64 min, int64 max,
				 int64 *value)
{
	const char *v = as_api_param(call, name, false);

	if (v == NULL)
		return false;
	if (!as_parse_int64(v, value))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter %s is invalid: an integer is expected.",
					v, name);
	if (*value < min || *value > max)
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%s) for parameter %s is invalid: it must be between " INT64_FORMAT " and " INT64_FORMAT ".",
					v, name, min, max);
	return true;
}

bool
as_api_param_bool(AsApiCall *call, const char *name, bool *value)
{
	const char *v = as_api_param(call, name, false);

	if (v == NULL)
		return false;
	if (!as_parse_bool(v, value))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter %s is invalid: true or false is expected.",
					v, name);
	return true;
}

bool
as_api_param_time(AsApiCall *call, const char *name, int64 *unix_us)
{
	const char *v = as_api_param(call, name, false);
	double		epoch;

	if (v == NULL)
		return false;
	if (as_parse_iso8601(v, unix_us))
		return true;
	/* AWS JSON 1.0 sends epoch seconds */
	if (as_parse_double(v, &epoch) && epoch >= 0 && epoch < 253402300800.0)
	{
		*unix_us = (int64) (epoch * 1000000.0);
		return true;
	}
	as_api_fail(call, 400, "InvalidParameterValue",
				"Value (%.64s) for parameter %s is invalid: an ISO 8601 timestamp such as 2024-01-31T12:00:00Z is expected.",
				v, name);
	return false;
}

/* Accept these parameters without acting on them. */
void
as_api_ignore_params(AsApiCall *call, const char *const *names)
{
	for (; *names; names++)
	{
		size_t		len = strlen(*names);

		for (int i = 0; i < call->params->n; i++)
			if (strncmp(call->params->params[i].name, *names, len) == 0 &&
				(call->params->params[i].name[len] == '\0' ||
				 call->params->params[i].name[len] == '.'))
				call->params->params[i].used = true;
	}
}

/* Refuse a parameter the action did not read: nothing is silently dropped. */
void
as_api_refuse_unused(AsApiCall *call)
{
	const char *name = as_form_unused(call->params);

	if (name != NULL)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"The parameter %s is not supported by %s on this endpoint (aurora_serverless models the scaling configuration, events and capacity only).",
					name, call->action->name);
}

/* --- SQL -------------------------------------------------------------------- */

/* Run a query as the caller's role; returns the rows.  Values as text. */
int
as_api_sql(AsApiCall *call, const char *sql, int nargs, Oid *types,
		   Datum *values)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, values, NULL,
										   false, 0);

	if (rc < 0)
		elog(ERROR, "SPI_execute_with_args failed: %d", rc);
	return (int) SPI_processed;
}

/* A column of a row of the last query, as text; NULL for NULL. */
char	   *
as_api_value(int row, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
}

bool
as_api_double(int row, int col, double *value)
{
	char	   *v = as_api_value(row, col);

	return v != NULL && as_parse_double(v, value);
}

/* A timestamptz Datum for microseconds since 1970. */
Datum
as_api_timestamptz(int64 unix_us)
{
	return TimestampTzGetDatum(unix_us -
							   ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) *
								USECS_PER_DAY));
}

/* the worker's own identity while an action runs as another role */
static Oid	as_saved_userid = InvalidOid;
static int	as_saved_sec_context = 0;

static void
as_api_enter(AsApiCall *call)
{
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	GetUserIdAndSecContext(&as_saved_userid, &as_saved_sec_context);
	SetUserIdAndSecContext(call->role,
						   as_saved_sec_context | SECURITY_LOCAL_USERID_CHANGE);
}

static void
as_api_leave(void)
{
	SetUserIdAndSecContext(as_saved_userid, as_saved_sec_context);
	PopActiveSnapshot();
	SPI_finish();
	CommitTransactionCommand();
}

/*
 * Commit what the action did so far and go on in a new transaction, as the
 * same role: a change applies at commit, and what follows sees it.
 */
void
as_api_next_transaction(AsApiCall *call)
{
	as_api_leave();
	as_api_enter(call);
}

/* --- the request ---------------------------------------------------------- */

void
as_api_request_init(bool loopback)
{
	as_request_cxt = AllocSetContextCreate(TopMemoryContext,
										   "aurora_serverless api request",
										   ALLOCSET_DEFAULT_SIZES);
	as_api_loopback = loopback;
	as_api_settings_changed();
}

/* The accept-any-credentials role in force, or NULL. */
static const char *
as_api_any_role(void)
{
	if (as_guc_api_accept_any_credentials == NULL ||
		as_guc_api_accept_any_credentials[0] == '\0' || !as_api_loopback)
		return NULL;
	return as_guc_api_accept_any_credentials;
}

/* At start and after a reload: say in the log how requests are checked. */
void
as_api_settings_changed(void)
{
	static char *last = NULL;
	const char *any = as_guc_api_accept_any_credentials ?
	as_guc_api_accept_any_credentials : "";

	if (last != NULL && strcmp(last, any) == 0)
		return;
	if (last)
		pfree(last);
	last = MemoryContextStrdup(TopMemoryContext, any);
	if (any[0] == '\0')
		ereport(LOG,
				(errmsg("aurora_serverless api: requests must be signed with a registered access key")));
	else if (!as_api_loopback)
		ereport(LOG,
				(errmsg("aurora_serverless api: \"aurora_serverless.api_accept_any_credentials\" is ignored: the endpoint does not listen on a loopback address"),
				 errdetail("Requests must be signed with a registered access key."),
				 errhint("Accepting any credentials is for an endpoint on 127.0.0.1 or ::1 only.")));
	else
		ereport(LOG,
				(errmsg("aurora_serverless api: accepting any well-formed signature, as role \"%s\" (aurora_serverless.api_accept_any_credentials)",
						any),
				 errdetail("The endpoint listens on a loopback address; access keys are not checked.")));
}

/* Which protocol the request speaks, from its headers. */
static AsApiProtocol
as_api_protocol(const AsHttpRequest *req)
{
	const char *ctype = as_http_header(req->headers, req->nheaders,
									   "Content-Type");
	const char *smithy = as_http_header(req->headers, req->nheaders,
										"smithy-protocol");

	if (smithy != NULL ||
		(ctype && pg_strncasecmp(ctype, "application/cbor", 16) == 0))
		return AS_API_CBOR;
	if (ctype && (pg_strncasecmp(ctype, "application/x-amz-json-1.0", 26) == 0 ||
				  pg_strncasecmp(ctype, "application/x-amz-json-1.1", 26) == 0))
		return AS_API_JSON;
	return AS_API_QUERY;
}

/* The parameters, flattened as the Query protocol names them. */
static bool
as_api_read_params(AsApiCall *call, const AsHttpRequest *req, char *message,
				   size_t message_len)
{
	call->params = palloc0(sizeof(AsForm));
	call->protocol = as_api_protocol(req);
	if (call->protocol == AS_API_CBOR)
	{
		snprintf(message, message_len,
				 "This endpoint speaks the AWS Query protocol and AWS JSON 1.0, not Smithy RPC v2 CBOR: configure the client for AWS JSON 1.0 (CloudWatch) or use one that sends it (the AWS CLI, boto3, the JavaScript SDK v3).");
		return false;
	}
	if (call->protocol == AS_API_JSON)
	{
		call->target = as_http_header(req->headers, req->nheaders,
									  "X-Amz-Target");
		if (strcmp(req->method, "POST") != 0)
		{
			snprintf(message, message_len, "AWS JSON 1.0 requests are POST requests.");
			return false;
		}
		return as_json_to_form(req->body, req->body_len, call->params,
							   message, message_len);
	}
	if (strcmp(req->method, "POST") == 0)
	{
		if (req->query[0] != '\0')
		{
			snprintf(message, message_len,
					 "Parameters go in the body of a POST request, not in its query string.");
			return false;
		}
		return as_form_decode(req->body, req->body_len, call->params, message,
							  message_len);
	}
	return as_form_decode(req->query, strlen(req->query), call->params,
						  message, message_len);
}

/* A role by name, or InvalidOid with the reason logged. */
static Oid
as_api_role(const char *name, const char *key_id)
{
	Oid			role = get_role_oid(name, true);

	if (!OidIsValid(role))
		ereport(LOG,
				(errmsg("aurora_serverless api: access key \"%s\" maps to role \"%s\", which does not exist",
						key_id, name),
				 errhint("Drop the key with aurora_serverless.drop_api_access_key() and create one for an existing role.")));
	return role;
}

/* Steps 2 to 4: everything before the action.  Raises AWS errors. */
static void
as_api_authenticate(AsApiCall *call, const AsHttpRequest *req)
{
	AsSigV4Request sreq;
	AsSigV4Auth auth;
	AsSigV4Status st;
	char		message[512];
	Oid			nsp;
	const char *any_role = as_api_any_role();
	const char *action = NULL;
	const char *version;

	if (!OidIsValid(get_extension_oid("aurora_serverless", true)))
		as_api_fail(call, 503, "ServiceUnavailable",
					"The aurora_serverless extension is not installed in database \"%s\": run CREATE EXTENSION aurora_serverless there, or set aurora_serverless.api_database.",
					get_database_name(MyDatabaseId));
	nsp = get_namespace_oid("aurora_serverless", true);
	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("api_access_keys", nsp)))
		as_api_fail(call, 503, "ServiceUnavailable",
					"The aurora_serverless extension in database \"%s\" predates the API: run ALTER EXTENSION aurora_serverless UPDATE.",
					get_database_name(MyDatabaseId));

	sreq.method = req->method;
	sreq.path = req->path;
	sreq.query = req->query;
	sreq.headers = req->headers;
	sreq.nheaders = req->nheaders;
	sreq.body = req->body;
	sreq.body_len = req->body_len;
	st = as_sigv4_parse(&sreq, call->now_us / 1000000, &auth, message,
						sizeof(message));
	switch (st)
	{
		case AS_SIGV4_OK:
			break;
		case AS_SIGV4_MISSING:
			as_api_fail(call, 403, "MissingAuthenticationToken", "%s", message);
			break;
		case AS_SIGV4_INCOMPLETE:
			as_api_fail(call, 400, "IncompleteSignature", "%s", message);
			break;
		default:
			ereport(LOG,
					(errmsg("aurora_serverless api: refused a request from %s signed with access key \"%s\": %s",
							req->client, auth.access_key_id, message)));
			as_api_fail(call, 403, "SignatureDoesNotMatch", "%s", message);
	}
	/* in the transaction's memory now: kept in the request's */
	call->access_key_id = MemoryContextStrdup(as_request_cxt, auth.access_key_id);
	call->region = MemoryContextStrdup(as_request_cxt, auth.region);

	/* the service the request is signed for */
	for (int i = 0; i < lengthof(as_services); i++)
		if (strcmp(as_services[i]->signing_name, auth.service) == 0)
			call->service = as_services[i];
	if (call->service == NULL)
		as_api_fail(call, 400, "InvalidAction",
					"The request is signed for the service '%s'; this endpoint serves 'rds' and 'monitoring' (CloudWatch).",
					auth.service);

	if (any_role != NULL)
	{
		call->role_name = any_role;
		call->role = as_api_role(any_role, auth.access_key_id);
		if (!OidIsValid(call->role))
			as_api_fail(call, 403, "InvalidClientTokenId",
						"The security token included in the request is invalid.");
	}
	else
	{
		char	   *secret = NULL;
		char	   *role = NULL;

		if (!as_api_key_lookup(auth.access_key_id, &secret, &role))
		{
			ereport(LOG,
					(errmsg("aurora_serverless api: refused a request from %s signed with unknown access key \"%s\"",
							req->client, auth.access_key_id)));
			as_api_fail(call, 403, "InvalidClientTokenId",
						"The security token included in the request is invalid.");
		}
		st = as_sigv4_check(&sreq, &auth, secret, message, sizeof(message));
		explicit_bzero(secret, strlen(secret));
		if (st != AS_SIGV4_OK)
		{
			ereport(LOG,
					(errmsg("aurora_serverless api: refused a request from %s with a wrong signature for access key \"%s\"",
							req->client, auth.access_key_id)));
			as_api_fail(call, 403, "SignatureDoesNotMatch", "%s", message);
		}
		call->role_name = MemoryContextStrdup(as_request_cxt, role);
		call->role = as_api_role(role, auth.access_key_id);
		if (!OidIsValid(call->role))
			as_api_fail(call, 403, "InvalidClientTokenId",
						"The security token included in the request is invalid.");
	}

	/* the action: the parameter Action, or X-Amz-Target's in JSON 1.0 */
	if (call->protocol == AS_API_JSON)
	{
		const char *dot = call->target ? strrchr(call->target, '.') : NULL;

		if (call->service->json_target == NULL)
			as_api_fail(call, 400, "UnknownOperationException",
						"The service '%s' speaks the Query protocol only on this endpoint, as on AWS.",
						call->service->signing_name);
		if (dot == NULL ||
			(size_t) (dot - call->target) != strlen(call->service->json_target) ||
			strncmp(call->target, call->service->json_target, dot - call->target) != 0)
			as_api_fail(call, 400, "UnknownOperationException",
						"X-Amz-Target must be %s.ACTION for the service '%s'.",
						call->service->json_target, call->service->signing_name);
		else
			action = dot + 1;
		version = NULL;
	}
	else
	{
		action = as_form_get(call->params, "Action");
		version = as_form_get(call->params, "Version");
	}
	if (action == NULL || action[0] == '\0')
		as_api_fail(call, 400, "MissingAction",
					"The request must contain the parameter Action.");
	for (int i = 0; i < call->service->nactions; i++)
		if (strcmp(call->service->actions[i].name, action) == 0)
			call->action = &call->service->actions[i];
	if (call->action == NULL)
		as_api_fail(call, 400, call->protocol == AS_API_JSON ?
					"UnknownOperationException" : "InvalidAction",
					"The action %.128s is not valid for this web service.",
					action);
	if (version != NULL && strcmp(version, call->service->version) != 0)
		as_api_fail(call, 400, "InvalidAction",
					"Could not find operation %s for version %.64s: this endpoint serves version %s.",
					action, version, call->service->version);
}

static void
as_api_handle_request(const AsHttpRequest *req, AsHttpResponse *resp)
{
	MemoryContext old;
	AsApiCall  *call;
	char		message[512];
	ErrorData  *volatile edata = NULL;

	MemoryContextReset(as_request_cxt);
	old = MemoryContextSwitchTo(as_request_cxt);
	memset(&as_error, 0, sizeof(as_error));
	call = palloc0(sizeof(AsApiCall));
	call->request_id = as_api_request_id();
	call->now_us = (GetCurrentTimestamp() / 1) +
		((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY);
	call->role = InvalidOid;
	memset(resp, 0, sizeof(*resp));

	if (strcmp(req->method, "POST") != 0 && strcmp(req->method, "GET") != 0)
	{
		as_api_error_response(AS_API_QUERY, NULL, 405, "InvalidAction",
							  "Only POST (and GET for the Query protocol) are served.",
							  call->request_id, resp);
		MemoryContextSwitchTo(old);
		return;
	}
	if (!as_api_read_params(call, req, message, sizeof(message)))
	{
		if (call->protocol == AS_API_CBOR)
			as_api_error_response(AS_API_CBOR, NULL, 400,
								  "UnsupportedProtocol", message,
								  call->request_id, resp);
		else if (call->protocol == AS_API_JSON)
			as_api_error_response(AS_API_JSON, NULL, 400,
								  "SerializationException", message,
								  call->request_id, resp);
		else
			as_api_error_response(AS_API_QUERY, NULL, 404,
								  "MalformedQueryString", message,
								  call->request_id, resp);
		MemoryContextSwitchTo(old);
		return;
	}

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		pgstat_report_activity(STATE_RUNNING, "authenticating an AWS API request");
		PushActiveSnapshot(GetTransactionSnapshot());
		as_api_authenticate(call, req);
		PopActiveSnapshot();
		CommitTransactionCommand();
		MemoryContextSwitchTo(as_request_cxt);

		pgstat_report_activity(STATE_RUNNING,
							   psprintf("%s:%s", call->service->signing_name,
										call->action->name));
		initStringInfo(&call->body);
		if (call->protocol == AS_API_QUERY)
			as_xml_response_begin(&call->body, call->action->name,
								  call->service->xmlns,
								  call->action->has_result);
		as_out_init(&call->out,
					call->protocol == AS_API_JSON ? AS_OUT_JSON : AS_OUT_XML,
					&call->body);
		enable_timeout_after(STATEMENT_TIMEOUT, AS_API_STATEMENT_TIMEOUT_MS);
		as_api_enter(call);
		call->action->fn(call);
		as_api_leave();
		disable_timeout(STATEMENT_TIMEOUT, false);
		as_out_finish(&call->out);
		if (call->protocol == AS_API_QUERY)
			as_xml_response_end(&call->body, call->action->name,
								call->action->has_result, call->request_id);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(as_request_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		disable_timeout(STATEMENT_TIMEOUT, false);
		AbortCurrentTransaction();
		/* the error's own message, never the parameters' values */
	}
	PG_END_TRY();
	pgstat_report_activity(STATE_IDLE, NULL);
	MemoryContextSwitchTo(as_request_cxt);

	if (edata == NULL)
	{
		resp->status = 200;
		resp->content_type = call->protocol == AS_API_JSON ?
			"application/x-amz-json-1.0" : "text/xml";
		resp->body = call->body.data;
		resp->body_len = call->body.len;
		resp->headers[0].name = "x-amzn-RequestId";
		resp->headers[0].value = call->request_id;
		resp->nheaders = 1;
		ereport(DEBUG1,
				(errmsg_internal("aurora_serverless api: %s %s:%s as %s: 200",
								 req->client, call->service->signing_name,
								 call->action->name, call->role_name)));
	}
	else if (as_error.set)
		as_api_error_response(call->protocol, call->service, as_error.status,
							  as_error.code, edata->message, call->request_id,
							  resp);
	else
	{
		const AsSqlstateMap *m = as_map_sqlstate(edata->sqlerrcode);
		StringInfoData msg;

		initStringInfo(&msg);
		if (m->status == 403)
			appendStringInfo(&msg,
							 "User: arn:aws:iam::%s:user/%s is not authorized to perform: %s:%s because %s",
							 AS_API_ACCOUNT_ID,
							 call->role_name ? call->role_name : "?",
							 call->service ? call->service->iam_prefix : "?",
							 call->action ? call->action->name : "?",
							 edata->message);
		else
		{
			appendStringInfoString(&msg, edata->message);
			if (edata->detail)
				appendStringInfo(&msg, ": %s", edata->detail);
			if (edata->hint)
				appendStringInfo(&msg, " %s", edata->hint);
		}
		if (m->status >= 500)
			ereport(LOG,
					(errmsg("aurora_serverless api: %s:%s failed: %s",
							call->service ? call->service->signing_name : "?",
							call->action ? call->action->name : "?",
							edata->message),
					 edata->detail ? errdetail("%s", edata->detail) : 0));
		as_api_error_response(call->protocol, call->service, m->status,
							  m->code, msg.data, call->request_id, resp);
	}
	MemoryContextSwitchTo(old);
}

/* What is sent when even an error document could not be made. */
static void
as_api_last_resort(AsHttpResponse *resp)
{
	static const char body[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error>"
	"<Type>Receiver</Type><Code>InternalFailure</Code><Message>The request "
	"processing has failed because of an unknown error, exception or "
	"failure.</Message></Error><RequestId>00000000-0000-0000-0000-000000000000"
	"</RequestId></ErrorResponse>\n";

	memset(resp, 0, sizeof(*resp));
	resp->status = 500;
	resp->content_type = "text/xml";
	resp->body = body;
	resp->body_len = sizeof(body) - 1;
}

/*
 * http.c's handler.  Nothing may escape into libmicrohttpd: an error the
 * request's own handling did not catch (out of memory while reporting one)
 * is logged and answered 500.
 */
void
as_api_handle(const AsHttpRequest *req, AsHttpResponse *resp)
{
	MemoryContext old = CurrentMemoryContext;

	PG_TRY();
	{
		as_api_handle_request(req, resp);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		as_api_last_resort(resp);
	}
	PG_END_TRY();
}

static void
as_api_refuse_request(const AsHttpRequest *req, int status, const char *code,
					  const char *message, AsHttpResponse *resp)
{
	AsApiProtocol protocol = as_api_protocol(req);
	MemoryContext old;

	MemoryContextReset(as_request_cxt);
	old = MemoryContextSwitchTo(as_request_cxt);
	as_api_error_response(protocol, NULL, status, code, message,
						  as_api_request_id(), resp);
	MemoryContextSwitchTo(old);
	ereport(DEBUG1,
			(errmsg_internal("aurora_serverless api: refused a request from %s: %d %s",
							 req->client, status, code)));
}

/* http.c's refusal callback; like as_api_handle(), it never throws. */
void
as_api_refuse(const AsHttpRequest *req, int status, const char *code,
			  const char *message, AsHttpResponse *resp)
{
	MemoryContext old = CurrentMemoryContext;

	PG_TRY();
	{
		as_api_refuse_request(req, status, code, message, resp);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		EmitErrorReport();
		FlushErrorState();
		as_api_last_resort(resp);
	}
	PG_END_TRY();
}
