/*-------------------------------------------------------------------------
 *
 * cloudwatch.c
 *		get_metric_statistics(): CloudWatch's GetMetricStatistics over the
 *		recorded samples, one row per period that has samples, as
 *		`aws cloudwatch get-metric-statistics` returns its datapoints.
 *
 * Arguments are checked as CloudWatch checks them, with the valid names in
 * the error: the metrics of an Aurora Serverless v2 instance
 * (ServerlessDatabaseCapacity, ACUUtilization, CPUUtilization,
 * DatabaseConnections, FreeableMemory), the statistics Average, Maximum,
 * Minimum, Sum and SampleCount, a period of whole seconds, and at most 1440
 * datapoints per call.
 *
 * This file must not know the sampler, the policy or the worker.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type_d.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "cloudwatch.h"
#include "compat.h"
#include "sqlutil.h"
#include "text.h"
#include "state.h"
#include "statistics.h"

PG_FUNCTION_INFO_V1(as_get_metric_statistics);

/* CloudWatch returns at most this many datapoints for one call. */
#define AS_MAX_DATAPOINTS	1440

/* A CloudWatch metric name, or an error that lists the valid ones. */
AsMetricId
as_cloudwatch_metric_or_error(const char *name)
{
	AsMetricId	id;

	if (!as_metric_by_name(name, &id) || id >= AS_MID_NCLOUDWATCH ||
		strcmp(name, as_metric_cloudwatch_name(id)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown metric \"%s\"", as_clip(name, 64)),
				 errdetail("The metrics of an Aurora Serverless v2 instance are %s.",
						   as_metric_cloudwatch_names())));
	return id;
}

/* A CloudWatch statistic name, or an error that lists the valid ones. */
AsStatistic
as_statistic_or_error(const char *name)
{
	AsStatistic st;

	if (!as_statistic_by_name(name, &st))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown statistic \"%s\"", as_clip(name, 64)),
				 errdetail("The statistics are %s.", as_statistic_names())));
	return st;
}

/* A period in seconds: 1 .. 86400. */
int
as_period_or_error(int32 period)
{
	if (period < 1 || period > 86400)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be between 1 and 86400 seconds"),
				 errdetail("Got %d.", period)));
	return period;
}

#define AS_STATS_COLS 7

/*
 * get_metric_statistics(metric_name text, start_time timestamptz,
 * end_time timestamptz, period int, statistics text[]) returns table
 * (timestamp, average, maximum, minimum, sum, sample_count, unit)
 */
Datum
as_get_metric_statistics(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsMetricId	id;
	TimestampTz start;
	TimestampTz end;
	int			period;
	bool		wanted[AS_STAT_N] = {false};
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	void	   *copy;
	AsMetric   *rows;
	int			n;
	AsStats		stats;
	TimestampTz bucket = DT_NOBEGIN;
	static const char *const arg_names[] = {
		"metric_name", "start_time", "end_time", "period", "statistics"
	};

	as_require_loaded();
	for (int a = 0; a < lengthof(arg_names); a++)
		as_arg_not_null(fcinfo, a, arg_names[a]);
	id = as_cloudwatch_metric_or_error(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	start = PG_GETARG_TIMESTAMPTZ(1);
	end = PG_GETARG_TIMESTAMPTZ(2);
	period = as_period_or_error(PG_GETARG_INT32(3));
	if (TIMESTAMP_NOT_FINITE(start) || TIMESTAMP_NOT_FINITE(end) || start >= end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("start_time must be before end_time, and both finite")));
	/* in double: end - start may not fit in an int64 (4713 BC to 294276) */
	if (((double) end - (double) start) / ((double) period * USECS_PER_SEC) >=
		AS_MAX_DATAPOINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the time range holds more than %d periods of %d s",
						AS_MAX_DATAPOINTS, period),
				 errhint("CloudWatch returns at most %d datapoints: use a longer period or a shorter range.",
						 AS_MAX_DATAPOINTS)));

	arr = PG_GETARG_ARRAYTYPE_P(4);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("statistics must be a one-dimensional array")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems,
					  &elem_nulls, &nelems);
	if (nelems < 1 || nelems > AS_STAT_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("statistics must name 1 to %d statistics", AS_STAT_N),
				 errdetail("The statistics are %s.", as_statistic_names())));
	for (int i = 0; i < nelems; i++)
	{
		if (elem_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("statistics must not hold null")));
		wanted[as_statistic_or_error(TextDatumGetCString(elems[i]))] = true;
	}

	as_init_materialized_srf(fcinfo);
	LWLockAcquire(as_shared->lock, LW_SHARED);
	n = as_ring_copy_palloc(&copy, as_metrics, sizeof(AsMetric),
							as_shared->metrics_pos, as_shared->metrics_size);
	LWLockRelease(as_shared->lock);
	rows = (AsMetric *) copy;

	as_stats_init(&stats);
	for (int r = 0; r <= n; r++)
	{
		TimestampTz b = r < n ? as_period_start(rows[r].sample_time, period) : 0;

		if (r < n && (rows[r].sample_time < start || rows[r].sample_time >= end))
			continue;
		if ((r == n || b != bucket) && stats.n > 0)
		{
			Datum		values[AS_STATS_COLS];
			bool		nulls[AS_STATS_COLS];

			memset(nulls, 0, sizeof(nulls));
			values[0] = TimestampTzGetDatum(bucket);
			for (int s = 0; s < AS_STAT_N; s++)
			{
				if (wanted[s])
					values[1 + s] = as_numeric_datum(as_stats_get(&stats, (AsStatistic) s),
													 s == AS_STAT_SAMPLE_COUNT ? 0 : 3);
				else
					nulls[1 + s] = true;
			}
			values[6] = CStringGetTextDatum(as_metric_unit(id));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			as_stats_init(&stats);
		}
		if (r == n)
			break;
		bucket = b;
		as_stats_add(&stats, as_metric_value(&rows[r], id));
	}
	return (Datum) 0;
}
