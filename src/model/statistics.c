/*-------------------------------------------------------------------------
 *
 * statistics.c
 *		The recorded metrics by the names CloudWatch gives them, and
 *		CloudWatch's statistics (Average, Maximum, Minimum, Sum,
 *		SampleCount) over periods of them, as get-metric-statistics and
 *		metric alarms compute them.
 *
 * A value is read off one recorded sample; a paused sample reads 0 for
 * capacity, ACU and CPU utilization, as CloudWatch reports.  Periods are
 * aligned to the epoch, as CloudWatch aligns them to the clock.
 *
 * This file must not know shared memory, the worker or SQL: it is given the
 * samples.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "statistics.h"

typedef struct AsMetricName
{
	const char *cloudwatch;		/* NULL for a chart-only metric */
	const char *column;			/* the metrics view's column */
	const char *unit;			/* CloudWatch's unit */
} AsMetricName;

static const AsMetricName as_metric_names[AS_MID_NMETRICS] = {
	[AS_MID_CAPACITY] = {"ServerlessDatabaseCapacity", "serverless_database_capacity", "Count"},
	[AS_MID_ACU_UTILIZATION] = {"ACUUtilization", "acu_utilization", "Percent"},
	[AS_MID_CPU_UTILIZATION] = {"CPUUtilization", "cpu_utilization", "Percent"},
	[AS_MID_CONNECTIONS] = {"DatabaseConnections", "database_connections", "Count"},
	[AS_MID_FREEABLE_MEMORY] = {"FreeableMemory", "freeable_memory", "Bytes"},
	[AS_MID_TARGET] = {NULL, "target_capacity", "Count"},
	[AS_MID_MAX_CONNECTIONS] = {NULL, "max_connections", "Count"},
	[AS_MID_BUSY_VCPUS] = {NULL, "busy_vcpus", "Count"},
	[AS_MID_WORKING_SET_GIB] = {NULL, "working_set_gib", "Gigabytes"},
	[AS_MID_REJECTED] = {NULL, "rejected_connections", "Count"},
};

static const char *const as_statistic_names_list[AS_STAT_N] = {
	[AS_STAT_AVERAGE] = "Average",
	[AS_STAT_MAXIMUM] = "Maximum",
	[AS_STAT_MINIMUM] = "Minimum",
	[AS_STAT_SUM] = "Sum",
	[AS_STAT_SAMPLE_COUNT] = "SampleCount",
};

/* A metric by its CloudWatch name or its column in the metrics view. */
bool
as_metric_by_name(const char *name, AsMetricId *id)
{
	for (int i = 0; i < AS_MID_NMETRICS; i++)
	{
		if ((as_metric_names[i].cloudwatch &&
			 strcmp(name, as_metric_names[i].cloudwatch) == 0) ||
			strcmp(name, as_metric_names[i].column) == 0)
		{
			*id = (AsMetricId) i;
			return true;
		}
	}
	return false;
}

const char *
as_metric_cloudwatch_name(AsMetricId id)
{
	return as_metric_names[id].cloudwatch;
}

const char *
as_metric_column_name(AsMetricId id)
{
	return as_metric_names[id].column;
}

const char *
as_metric_unit(AsMetricId id)
{
	return as_metric_names[id].unit;
}

/* "ServerlessDatabaseCapacity, ACUUtilization, ..." for error hints. */
const char *
as_metric_cloudwatch_names(void)
{
	return "ServerlessDatabaseCapacity, ACUUtilization, CPUUtilization, DatabaseConnections, FreeableMemory";
}

/* The value a recorded sample holds for a metric. */
double
as_metric_value(const AsMetric *m, AsMetricId id)
{
	switch (id)
	{
		case AS_MID_CAPACITY:
			return m->capacity;
		case AS_MID_ACU_UTILIZATION:
			return m->acu_utilization;
		case AS_MID_CPU_UTILIZATION:
			return m->cpu_utilization;
		case AS_MID_CONNECTIONS:
			return m->connections;
		case AS_MID_FREEABLE_MEMORY:
			/* memory unused at max_capacity, never below 0 */
			return Max(m->max_capacity * AS_GIB_PER_ACU - m->working_set_gib, 0) *
				AS_BYTES_PER_GIB;
		case AS_MID_TARGET:
			return m->target;
		case AS_MID_MAX_CONNECTIONS:
			return m->max_connections;
		case AS_MID_BUSY_VCPUS:
			return m->busy_vcpus;
		case AS_MID_WORKING_SET_GIB:
			return m->working_set_gib;
		case AS_MID_REJECTED:
			return m->rejected;
		case AS_MID_NMETRICS:
			break;
	}
	return NAN;
}

bool
as_statistic_by_name(const char *name, AsStatistic *st)
{
	for (int i = 0; i < AS_STAT_N; i++)
	{
		if (strcmp(name, as_statistic_names_list[i]) == 0)
		{
			*st = (AsStatistic) i;
			return true;
		}
	}
	return false;
}

const char *
as_statistic_name(AsStatistic st)
{
	return as_statistic_names_list[st];
}

const char *
as_statistic_names(void)
{
	return "Average, Maximum, Minimum, Sum, SampleCount";
}

void
as_stats_init(AsStats *s)
{
	s->sum = 0;
	s->min = INFINITY;
	s->max = -INFINITY;
	s->n = 0;
}

void
as_stats_add(AsStats *s, double v)
{
	s->sum += v;
	s->min = Min(s->min, v);
	s->max = Max(s->max, v);
	s->n++;
}

/* A statistic of a period; NaN when it has no sample. */
double
as_stats_get(const AsStats *s, AsStatistic st)
{
	if (s->n == 0)
		return st == AS_STAT_SAMPLE_COUNT || st == AS_STAT_SUM ? 0 : NAN;
	switch (st)
	{
		case AS_STAT_AVERAGE:
			return s->sum / s->n;
		case AS_STAT_MAXIMUM:
			return s->max;
		case AS_STAT_MINIMUM:
			return s->min;
		case AS_STAT_SUM:
			return s->sum;
		case AS_STAT_SAMPLE_COUNT:
			return (double) s->n;
		case AS_STAT_N:
			break;
	}
	return NAN;
}

/* The start of the period of period_s seconds that holds t. */
TimestampTz
as_period_start(TimestampTz t, int period_s)
{
	int64		p = (int64) period_s * USECS_PER_SEC;
	int64		r = t % p;

	return r < 0 ? t - r - p : t - r;
}
