/*-------------------------------------------------------------------------
 *
 * statistics.h
 *		The recorded metrics by CloudWatch's names, and CloudWatch's
 *		statistics over periods of them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_STATISTICS_H
#define AS_STATISTICS_H

#include "datatype/timestamp.h"

#include "state.h"

/* A metric that can be read off one recorded sample. */
typedef enum AsMetricId
{
	/* CloudWatch's metrics of an Aurora Serverless v2 instance */
	AS_MID_CAPACITY = 0,		/* ServerlessDatabaseCapacity */
	AS_MID_ACU_UTILIZATION,		/* ACUUtilization */
	AS_MID_CPU_UTILIZATION,		/* CPUUtilization */
	AS_MID_CONNECTIONS,			/* DatabaseConnections */
	AS_MID_FREEABLE_MEMORY,		/* FreeableMemory */
	AS_MID_NCLOUDWATCH,
	/* and a few of the metrics view's, for charts */
	AS_MID_TARGET = AS_MID_NCLOUDWATCH,
	AS_MID_MAX_CONNECTIONS,
	AS_MID_BUSY_VCPUS,
	AS_MID_WORKING_SET_GIB,
	AS_MID_REJECTED,
	AS_MID_NMETRICS
} AsMetricId;

/* CloudWatch's statistics. */
typedef enum AsStatistic
{
	AS_STAT_AVERAGE = 0,
	AS_STAT_MAXIMUM,
	AS_STAT_MINIMUM,
	AS_STAT_SUM,
	AS_STAT_SAMPLE_COUNT,
	AS_STAT_N
} AsStatistic;

/* Running totals of one period. */
typedef struct AsStats
{
	double		sum;
	double		min;
	double		max;
	int64		n;
} AsStats;

extern bool as_metric_by_name(const char *name, AsMetricId *id);
extern const char *as_metric_cloudwatch_name(AsMetricId id);
extern const char *as_metric_column_name(AsMetricId id);
extern const char *as_metric_unit(AsMetricId id);
extern const char *as_metric_cloudwatch_names(void);
extern double as_metric_value(const AsMetric *m, AsMetricId id);

extern bool as_statistic_by_name(const char *name, AsStatistic *st);
extern const char *as_statistic_name(AsStatistic st);
extern const char *as_statistic_names(void);

extern void as_stats_init(AsStats *s);
extern void as_stats_add(AsStats *s, double v);
extern double as_stats_get(const AsStats *s, AsStatistic st);

extern TimestampTz as_period_start(TimestampTz t, int period_s);

#endif							/* AS_STATISTICS_H */
