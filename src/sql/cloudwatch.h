/*-------------------------------------------------------------------------
 *
 * cloudwatch.h
 *		CloudWatch's names for metrics and statistics, checked for SQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_CLOUDWATCH_H
#define AS_CLOUDWATCH_H

#include "statistics.h"

extern AsMetricId as_cloudwatch_metric_or_error(const char *name);
extern AsStatistic as_statistic_or_error(const char *name);
extern int	as_period_or_error(int32 period);

#endif							/* AS_CLOUDWATCH_H */
