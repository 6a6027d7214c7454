/*-------------------------------------------------------------------------
 *
 * sqlutil.h
 *		Helpers shared by the SQL-callable functions: argument checks that
 *		answer bad input with a clear error, and result builders.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_SQLUTIL_H
#define AS_SQLUTIL_H

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "policy.h"

extern void as_arg_not_null(FunctionCallInfo fcinfo, int argno,
							const char *name);
extern double as_numeric_arg(FunctionCallInfo fcinfo, int argno,
							 const char *name);
extern void as_check_range_or_error(AsEngineMode mode, double min_capacity,
									double max_capacity);
extern Datum as_jsonb_from_buf(StringInfo buf);
extern void as_json_key(StringInfo buf, const char *key, bool *first);
extern Datum as_numeric_datum(double v, int digits);
extern double as_number_arg(FunctionCallInfo fcinfo, int argno, const char *name);
extern const char *as_cluster_identifier(void);
extern AsEngineMode as_engine_mode_or_error(const char *name);
extern AsTimeoutAction as_timeout_action_or_error(const char *name);

#endif							/* AS_SQLUTIL_H */
