/*-------------------------------------------------------------------------
 *
 * sqlutil.c
 *		Helpers shared by the SQL-callable functions.
 *
 * Every check here raises an ERROR with a proper SQLSTATE before anything
 * changes, so a function that checks its arguments first changes nothing
 * when one of them is bad.
 *
 * This file must not know shared memory or the worker.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "guc.h"
#include "sqlutil.h"
#include "text.h"

/* An argument that must not be null: a clear error (22004) when it is. */
void
as_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * A numeric argument as a double: not null, not NaN, not infinite, and no
 * larger than any capacity could be.
 */
double
as_numeric_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	Numeric		num;
	char	   *text;
	double		v;

	as_arg_not_null(fcinfo, argno, name);
	num = PG_GETARG_NUMERIC(argno);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", name),
				 errdetail("NaN and infinity are not capacities.")));
	text = DatumGetCString(DirectFunctionCall1(numeric_out,
											   NumericGetDatum(num)));

	v = strtod(text, NULL);
	if (!isfinite(v) || fabs(v) > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", name),
				 errdetail("Capacities are between 0 and 384 ACUs.")));
	return v;
}

/* A numeric argument as a finite double of any size a metric may have. */
double
as_number_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	Numeric		num;
	double		v;

	as_arg_not_null(fcinfo, argno, name);
	num = PG_GETARG_NUMERIC(argno);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", name)));
	v = strtod(DatumGetCString(DirectFunctionCall1(numeric_out,
												   NumericGetDatum(num))), NULL);
	if (!isfinite(v) || fabs(v) > 1e18)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", name),
				 errdetail("It must be between -1e18 and 1e18.")));
	return v;
}

/* Raise the error that a refused min/max pair deserves. */
void
as_check_range_or_error(AsEngineMode mode, double min_capacity,
						double max_capacity)
{
	AsCheckResult res;

	if (as_check_capacity_range(mode, min_capacity, max_capacity, &res))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", res.message),
			 errdetail("%s", res.detail),
			 res.hint[0] ? errhint("%s", res.hint) : 0));
}

Datum
as_jsonb_from_buf(StringInfo buf)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data));
}

/* Append "key": to a JSON object under construction. */
void
as_json_key(StringInfo buf, const char *key, bool *first)
{
	if (!*first)
		appendStringInfoString(buf, ", ");
	*first = false;
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
}

/*
 * A user-facing number: a numeric rounded to digits places, without
 * trailing zeros, so that round() and comparisons work without casts and
 * it prints as it reads (2, 0.5, 38.52).
 */
Datum
as_numeric_datum(double v, int digits)
{
	Datum		n = DirectFunctionCall1(float8_numeric, Float8GetDatum(v));

	n = DirectFunctionCall2(numeric_round, n, Int32GetDatum(digits));
	return DirectFunctionCall1(numeric_trim_scale, n);
}

/* AWS's DBClusterIdentifier: aurora_serverless.cluster_identifier. */
const char *
as_cluster_identifier(void)
{
	return as_guc_cluster_identifier && as_guc_cluster_identifier[0] ?
		as_guc_cluster_identifier : "local";
}

/* An engine mode named in SQL, or a clear error. */
AsEngineMode
as_engine_mode_or_error(const char *name)
{
	AsEngineMode mode;

	if (!as_parse_engine_mode(name, &mode))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid engine_mode \"%s\"", as_clip(name, 64)),
				 errhint("Use \"v2\" or \"v1\".")));
	return mode;
}

/* A TimeoutAction named in SQL, or a clear error. */
AsTimeoutAction
as_timeout_action_or_error(const char *name)
{
	AsTimeoutAction action;

	if (!as_parse_timeout_action(name, &action))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid timeout_action \"%s\"", as_clip(name, 64)),
				 errhint("Use RollbackCapacityChange or ForceApplyCapacityChange.")));
	return action;
}
