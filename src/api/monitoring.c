/*-------------------------------------------------------------------------
 *
 * monitoring.c
 *		The CloudWatch actions (service monitoring, API version 2010-08-01),
 *		in the Query protocol and in AWS JSON 1.0 alike.
 *
 * Each action turns its parameters into calls of the extension's SQL
 * functions and views and their results into CloudWatch's elements:
 *   GetMetricStatistics   get_metric_statistics()
 *   GetMetricData         get_metric_statistics(), once per MetricStat
 *   ListMetrics           the metrics this instance publishes, named as
 *                         CloudWatch names them, with its dimensions
 *   PutMetricAlarm        put_metric_alarm()
 *   DescribeAlarms        the alarms view
 *   DeleteAlarms          delete_alarms()
 *   SetAlarmState         set_alarm_state()
 *   DescribeAlarmHistory  scaling_events' alarm events
 * The metrics are this instance's, namespace AWS/RDS, under the dimensions
 * AWS/RDS publishes them with: DBInstanceIdentifier (instance_name),
 * DBClusterIdentifier, and DBClusterIdentifier with Role (WRITER or
 * READER, what this instance is).  Other namespaces, dimensions or metric
 * names have no data, as in CloudWatch: an empty answer, not an error.
 *
 * It holds no metric or alarm logic: statistics, periods and alarm
 * validation are the SQL functions'.  It must not know HTTP, SigV4 or
 * shared memory; of the encodings it knows only that HistoryData is JSON
 * text in either protocol, as CloudWatch defines it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "awsjson.h"
#include "monitoring.h"

#define AS_CW_XMLNS "http://monitoring.amazonaws.com/doc/2010-08-01/"
#define AS_CW_NAMESPACE "AWS/RDS"
#define AS_CW_MAX_DATAPOINTS 1440

/* The metrics of an Aurora Serverless v2 instance, as CloudWatch names them. */
static const char *const as_cw_metrics[] = {
	"ServerlessDatabaseCapacity", "ACUUtilization", "CPUUtilization",
	"DatabaseConnections", "FreeableMemory", NULL
};

/* Who this instance is, for the dimensions. */
typedef struct AsCwSelf
{
	char	   *instance;
	char	   *cluster;
	const char *role;			/* WRITER or READER */
} AsCwSelf;

static void
as_cw_self(AsApiCall *call, AsCwSelf *self)
{
	if (as_api_sql(call,
				   "SELECT c.instance_name, d->>'DBClusterIdentifier', c.role"
				   " FROM aurora_serverless.cluster AS c, aurora_serverless.describe() AS d",
				   0, NULL, NULL) != 1)
		elog(ERROR, "the cluster view returned no row");
	self->instance = pstrdup(as_api_value(0, 1));
	self->cluster = pstrdup(as_api_value(0, 2));
	self->role = strcmp(as_api_value(0, 3), "writer") == 0 ? "WRITER" : "READER";
}

static bool
as_cw_known_metric(const char *name)
{
	for (const char *const *m = as_cw_metrics; *m; m++)
		if (strcmp(*m, name) == 0)
			return true;
	return false;
}

/*
 * Do the dimensions under prefix (prefix.member.N.Name / .Value) designate
 * this instance's series?  None does (AWS/RDS's aggregate over the
 * account's instances: here, the one).
 */
static bool
as_cw_dimensions_match(AsApiCall *call, const AsCwSelf *self,
					   const char *prefix)
{
	char	   *list = psprintf("%s.member", prefix);
	int			n = as_form_list_len(call->params, list);
	bool		match = true;
	bool		has_cluster = false;
	bool		has_role = false;

	if (n > 30)
		as_api_fail(call, 400, "InvalidParameterValue",
					"The collection %s must not have a size greater than 30.",
					prefix);
	for (int i = 1; i <= n; i++)
	{
		const char *name = as_api_param(call, psprintf("%s.%d.Name", list, i), true);
		const char *value = as_api_param(call, psprintf("%s.%d.Value", list, i), true);

		if (strcmp(name, "DBInstanceIdentifier") == 0)
			match = match && pg_strcasecmp(value, self->instance) == 0;
		else if (strcmp(name, "DBClusterIdentifier") == 0)
		{
			has_cluster = true;
			match = match && pg_strcasecmp(value, self->cluster) == 0;
		}
		else if (strcmp(name, "Role") == 0)
		{
			has_role = true;
			match = match && strcmp(value, self->role) == 0;
		}
		else
			match = false;
	}
	/* AWS/RDS publishes Role under a cluster only */
	return match && (!has_role || has_cluster);
}

/* Statistics as CloudWatch names them, joined for string_to_array(). */
static char *
as_cw_statistics(AsApiCall *call, const char *prefix, int *count)
{
	char	   *list = psprintf("%s.member", prefix);
	int			n = as_form_list_len(call->params, list);
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 1; i <= n; i++)
	{
		const char *s = as_api_param(call, psprintf("%s.%d", list, i), true);

		if (strchr(s, ',') != NULL)
			as_api_fail(call, 400, "InvalidParameterValue",
						"The value %.64s for parameter Statistics is not valid.", s);
		appendStringInfo(&buf, "%s%s", i > 1 ? "," : "", s);
	}
	*count = n;
	return buf.data;
}

/* Percentiles are not kept: a clear refusal. */
static void
as_cw_refuse_percentile(AsApiCall *call, const char *stat)
{
	as_api_fail(call, 400, "InvalidParameterValue",
				"The statistic %.64s is not available here: aurora_serverless keeps SampleCount, Average, Sum, Minimum and Maximum, not percentiles.",
				stat);
}

/* CloudWatch's limit on the datapoints one call may ask for. */
static void
as_cw_check_datapoints(AsApiCall *call, int64 start, int64 end, int64 period)
{
	int64		span = end - start;
	int64		n;

	if (span <= 0 || period <= 0)
		return;					/* get_metric_statistics() says what is wrong */
	n = (span + period * 1000000 - 1) / (period * 1000000);
	if (n > AS_CW_MAX_DATAPOINTS)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"You have requested up to " INT64_FORMAT " datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
					n, AS_CW_MAX_DATAPOINTS);
}

/*
 * get_metric_statistics() for one metric; rows of (epoch microseconds,
 * average, maximum, minimum, sum, sample_count, unit).
 */
static int
as_cw_query(AsApiCall *call, const char *metric, int64 start, int64 end,
			int64 period, const char *statistics)
{
	Oid			types[5] = {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID, TEXTOID};
	Datum		args[5];

	args[0] = CStringGetTextDatum(metric);
	args[1] = as_api_timestamptz(start);
	args[2] = as_api_timestamptz(end);
	args[3] = Int32GetDatum((int32) period);
	args[4] = CStringGetTextDatum(statistics);
	return as_api_sql(call,
					  "SELECT (extract(epoch FROM \"timestamp\") * 1000000)::pg_catalog.int8,"
					  " average, maximum, minimum, sum, sample_count, unit"
					  " FROM aurora_serverless.get_metric_statistics($1, $2, $3, $4,"
					  " pg_catalog.string_to_array($5, ','))"
					  " ORDER BY 1",
					  5, types, args);
}

static void
as_cw_out_value(AsOut *o, const char *name, int row, int col)
{
	double		v;

	if (as_api_double(row, col, &v))
		as_out_double(o, name, v);
}

static void
as_cw_get_metric_statistics(AsApiCall *call)
{
	static const char *const ignored[] = {"Unit", NULL};
	const char *ns = as_api_param(call, "Namespace", true);
	const char *metric = as_api_param(call, "MetricName", true);
	int64		start;
	int64		end;
	int64		period;
	int			nstats;
	int			nextended;
	char	   *stats;
	AsCwSelf	self;
	bool		wanted;
	int			n = 0;
	AsOut	   *o = &call->out;

	if (!as_api_param_time(call, "StartTime", &start))
		(void) as_api_param(call, "StartTime", true);
	if (!as_api_param_time(call, "EndTime", &end))
		(void) as_api_param(call, "EndTime", true);
	if (!as_api_param_int(call, "Period", 1, 86400 * 30, &period))
		(void) as_api_param(call, "Period", true);
	stats = as_cw_statistics(call, "Statistics", &nstats);
	nextended = as_form_list_len(call->params, "ExtendedStatistics.member");
	if (nextended > 0)
		as_cw_refuse_percentile(call, as_api_param(call, "ExtendedStatistics.member.1", true));
	if (nstats == 0)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"Must specify either Statistics or ExtendedStatistics.");
	as_api_ignore_params(call, ignored);
	as_cw_self(call, &self);
	wanted = strcmp(ns, AS_CW_NAMESPACE) == 0 && as_cw_known_metric(metric) &&
		as_cw_dimensions_match(call, &self, "Dimensions");
	as_api_refuse_unused(call);
	as_cw_check_datapoints(call, start, end, period);

	if (wanted)
		n = as_cw_query(call, metric, start, end, period, stats);
	as_out_string(o, "Label", metric);
	as_out_list_begin(o, "Datapoints", "member");
	for (int i = 0; i < n; i++)
	{
		int64		at;
		char	   *unit = as_api_value(i, 7);

		(void) as_parse_int64(as_api_value(i, 1), &at);
		as_out_begin(o, NULL);
		as_out_time(o, "Timestamp", at);
		as_cw_out_value(o, "SampleCount", i, 6);
		as_cw_out_value(o, "Average", i, 2);
		as_cw_out_value(o, "Sum", i, 5);
		as_cw_out_value(o, "Minimum", i, 4);
		as_cw_out_value(o, "Maximum", i, 3);
		if (unit)
			as_out_string(o, "Unit", unit);
		as_out_end(o);
	}
	as_out_end(o);
}

static void
as_cw_get_metric_data(AsApiCall *call)
{
	static const char *const ignored[] = {"NextToken", "LabelOptions", NULL};
	int			nq = as_form_list_len(call->params, "MetricDataQueries.member");
	int64		start;
	int64		end;
	int64		max_points = 100800;
	const char *scan = as_api_param(call, "ScanBy", false);
	bool		descending = true;
	AsCwSelf	self;
	AsOut	   *o = &call->out;

	if (!as_api_param_time(call, "StartTime", &start))
		(void) as_api_param(call, "StartTime", true);
	if (!as_api_param_time(call, "EndTime", &end))
		(void) as_api_param(call, "EndTime", true);
	(void) as_api_param_int(call, "MaxDatapoints", 1, 100800, &max_points);
	if (scan != NULL)
	{
		if (strcmp(scan, "TimestampAscending") == 0)
			descending = false;
		else if (strcmp(scan, "TimestampDescending") != 0)
			as_api_fail(call, 400, "InvalidParameterValue",
						"ScanBy must be TimestampDescending or TimestampAscending.");
	}
	if (nq == 0)
		(void) as_api_param(call, "MetricDataQueries", true);
	if (nq > 500)
		as_api_fail(call, 400, "InvalidParameterValue",
					"The collection MetricDataQueries must not have a size greater than 500.");
	as_api_ignore_params(call, ignored);
	as_cw_self(call, &self);

	/* every query's parameters are read before anything runs */
	for (int q = 1; q <= nq; q++)
	{
		char	   *p = psprintf("MetricDataQueries.member.%d", q);
		const char *id = as_api_param(call, psprintf("%s.Id", p), true);
		const char *expr = as_api_param(call, psprintf("%s.Expression", p), false);
		bool		ret;

		if (id[0] < 'a' || id[0] > 'z' ||
			strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(id))
			as_api_fail(call, 400, "InvalidParameterValue",
						"The value %.64s for parameter MetricDataQueries.member.%d.Id is not valid: it starts with a lower-case letter and holds letters, digits and underscores.",
						id, q);
		if (expr != NULL)
			as_api_fail(call, 400, "InvalidParameterValue",
						"Metric math expressions are not supported by this endpoint (MetricDataQueries.member.%d.Expression): ask for MetricStat queries.",
						q);
		(void) as_api_param(call, psprintf("%s.MetricStat.Metric.Namespace", p), true);
		(void) as_api_param(call, psprintf("%s.MetricStat.Metric.MetricName", p), true);
		(void) as_api_param(call, psprintf("%s.MetricStat.Stat", p), true);
		(void) as_api_param(call, psprintf("%s.Label", p), false);
		(void) as_api_param(call, psprintf("%s.MetricStat.Unit", p), false);
		(void) as_api_param(call, psprintf("%s.Period", p), false);
		(void) as_api_param(call, psprintf("%s.MetricStat.Period", p), true);
		(void) as_api_param(call, psprintf("%s.AccountId", p), false);
		(void) as_api_param_bool(call, psprintf("%s.ReturnData", p), &ret);
		(void) as_cw_dimensions_match(call, &self,
									  psprintf("%s.MetricStat.Metric.Dimensions", p));
	}
	as_api_refuse_unused(call);

	as_out_list_begin(o, "MetricDataResults", "member");
	for (int q = 1; q <= nq; q++)
	{
		char	   *p = psprintf("MetricDataQueries.member.%d", q);
		const char *id = as_api_param(call, psprintf("%s.Id", p), true);
		const char *ns = as_api_param(call, psprintf("%s.MetricStat.Metric.Namespace", p), true);
		const char *metric = as_api_param(call, psprintf("%s.MetricStat.Metric.MetricName", p), true);
		const char *stat = as_api_param(call, psprintf("%s.MetricStat.Stat", p), true);
		const char *label = as_api_param(call, psprintf("%s.Label", p), false);
		int64		period;
		bool		ret = true;
		int			col;
		int			n = 0;
		int			first,
					last,
					step;

		if (!as_api_param_int(call, psprintf("%s.MetricStat.Period", p), 1, 86400 * 30, &period))
			(void) as_api_param(call, psprintf("%s.MetricStat.Period", p), true);
		(void) as_api_param_bool(call, psprintf("%s.ReturnData", p), &ret);
		if (!ret)
			continue;
		if (strcmp(stat, "Average") == 0)
			col = 2;
		else if (strcmp(stat, "Maximum") == 0)
			col = 3;
		else if (strcmp(stat, "Minimum") == 0)
			col = 4;
		else if (strcmp(stat, "Sum") == 0)
			col = 5;
		else if (strcmp(stat, "SampleCount") == 0)
			col = 6;
		else if (stat[0] == 'p' || stat[0] == 't' || stat[0] == 'P' ||
				 stat[0] == 'T' || strncmp(stat, "IQM", 3) == 0 ||
				 strncmp(stat, "wm", 2) == 0)
		{
			as_cw_refuse_percentile(call, stat);
			col = 0;
		}
		else
		{
			as_api_fail(call, 400, "InvalidParameterValue",
						"The value %.64s for parameter MetricStat.Stat is not valid: use SampleCount, Average, Sum, Minimum or Maximum.",
						stat);
			col = 0;
		}
		as_cw_check_datapoints(call, start, end, period);
		if (strcmp(ns, AS_CW_NAMESPACE) == 0 && as_cw_known_metric(metric) &&
			as_cw_dimensions_match(call, &self,
								   psprintf("%s.MetricStat.Metric.Dimensions", p)))
			n = as_cw_query(call, metric, start, end, period, stat);
		n = (int) Min((int64) n, max_points);
		first = descending ? n - 1 : 0;
		last = descending ? -1 : n;
		step = descending ? -1 : 1;

		as_out_begin(o, NULL);
		as_out_string(o, "Id", id);
		as_out_string(o, "Label", label ? label : metric);
		as_out_list_begin(o, "Timestamps", "member");
		for (int i = first; i != last; i += step)
		{
			int64		at;

			(void) as_parse_int64(as_api_value(i, 1), &at);
			as_out_time(o, NULL, at);
		}
		as_out_end(o);
		as_out_list_begin(o, "Values", "member");
		for (int i = first; i != last; i += step)
		{
			double		v;

			if (as_api_double(i, col, &v))
				as_out_double(o, NULL, v);
			else
				as_out_double(o, NULL, 0);
		}
		as_out_end(o);
		as_out_string(o, "StatusCode", "Complete");
		as_out_end(o);
	}
	as_out_end(o);
	as_out_list_begin(o, "Messages", "member");
	as_out_end(o);
}

static void
as_cw_list_metrics(AsApiCall *call)
{
	static const char *const ignored[] = {"NextToken", "RecentlyActive",
	"IncludeLinkedAccounts", "OwningAccount", NULL};
	const char *ns = as_api_param(call, "Namespace", false);
	const char *metric = as_api_param(call, "MetricName", false);
	int			nf = as_form_list_len(call->params, "Dimensions.member");
	AsCwSelf	self;
	AsOut	   *o = &call->out;
	const char **fname = palloc0(sizeof(char *) * (nf + 1));
	const char **fvalue = palloc0(sizeof(char *) * (nf + 1));

	for (int i = 1; i <= nf; i++)
	{
		fname[i - 1] = as_api_param(call, psprintf("Dimensions.member.%d.Name", i), true);
		fvalue[i - 1] = as_api_param(call, psprintf("Dimensions.member.%d.Value", i), false);
	}
	as_api_ignore_params(call, ignored);
	as_api_refuse_unused(call);
	as_cw_self(call, &self);

	as_out_list_begin(o, "Metrics", "member");
	if (ns == NULL || strcmp(ns, AS_CW_NAMESPACE) == 0)
	{
		for (const char *const *m = as_cw_metrics; *m; m++)
		{
			if (metric != NULL && strcmp(metric, *m) != 0)
				continue;
			/* the dimension sets AWS/RDS publishes an instance's metric under */
			for (int set = 0; set < 3; set++)
			{
				const char *names[2];
				const char *values[2];
				int			nd;
				bool		keep = true;

				if (set == 0)
				{
					names[0] = "DBInstanceIdentifier";
					values[0] = self.instance;
					nd = 1;
				}
				else
				{
					names[0] = "DBClusterIdentifier";
					values[0] = self.cluster;
					names[1] = "Role";
					values[1] = self.role;
					nd = set == 1 ? 1 : 2;
				}
				for (int f = 0; f < nf; f++)
				{
					bool		found = false;

					for (int d = 0; d < nd; d++)
						if (strcmp(fname[f], names[d]) == 0 &&
							(fvalue[f] == NULL || strcmp(fvalue[f], values[d]) == 0))
							found = true;
					keep = keep && found;
				}
				if (!keep)
					continue;
				as_out_begin(o, NULL);
				as_out_string(o, "Namespace", AS_CW_NAMESPACE);
				as_out_string(o, "MetricName", *m);
				as_out_list_begin(o, "Dimensions", "member");
				for (int d = 0; d < nd; d++)
				{
					as_out_begin(o, NULL);
					as_out_string(o, "Name", names[d]);
					as_out_string(o, "Value", values[d]);
					as_out_end(o);
				}
				as_out_end(o);
				as_out_end(o);
			}
		}
	}
	as_out_end(o);
}

static void
as_cw_put_metric_alarm(AsApiCall *call)
{
	/* accepted, not kept: a change of state is NOTIFY aurora_serverless_alarm */
	static const char *const ignored[] = {"AlarmDescription", "AlarmActions",
		"OKActions", "InsufficientDataActions", "ActionsEnabled", "Tags", "Unit",
	NULL};
	const char *name = as_api_param(call, "AlarmName", true);
	const char *metric = as_api_param(call, "MetricName", true);
	const char *ns = as_api_param(call, "Namespace", true);
	const char *stat = as_api_param(call, "Statistic", false);
	const char *extended = as_api_param(call, "ExtendedStatistic", false);
	const char *threshold = as_api_param(call, "Threshold", true);
	const char *op = as_api_param(call, "ComparisonOperator", true);
	const char *missing = as_api_param(call, "TreatMissingData", false);
	int64		period;
	int64		periods;
	int64		to_alarm;
	double		d;
	AsCwSelf	self;
	Oid			types[7] = {TEXTOID, TEXTOID, TEXTOID, INT4OID, INT4OID, TEXTOID, TEXTOID};
	Datum		args[7];

	if (!as_api_param_int(call, "Period", 1, 86400, &period))
		(void) as_api_param(call, "Period", true);
	if (!as_api_param_int(call, "EvaluationPeriods", 1, 100000, &periods))
		(void) as_api_param(call, "EvaluationPeriods", true);
	if (as_api_param_int(call, "DatapointsToAlarm", 1, 100000, &to_alarm) &&
		to_alarm != periods)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"DatapointsToAlarm other than EvaluationPeriods is not supported: an alarm here goes to ALARM when all its EvaluationPeriods breach.");
	if (missing != NULL && strcmp(missing, "missing") != 0)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"TreatMissingData %.32s is not supported: missing data is treated as missing.",
					missing);
	if (extended != NULL)
		as_cw_refuse_percentile(call, extended);
	if (stat == NULL)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"Must specify either Statistic or ExtendedStatistic.");
	if (!as_parse_double(threshold, &d))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter Threshold is invalid: a number is expected.",
					threshold);
	if (as_form_list_len(call->params, "Metrics.member") > 0)
		as_api_fail(call, 400, "InvalidParameterValue",
					"Metric math alarms (Metrics) are not supported by this endpoint: give MetricName, Namespace and Statistic.");
	as_api_ignore_params(call, ignored);
	as_cw_self(call, &self);
	if (strcmp(ns, AS_CW_NAMESPACE) != 0 ||
		!as_cw_dimensions_match(call, &self, "Dimensions"))
		as_api_fail(call, 400, "InvalidParameterValue",
					"An alarm here watches this instance's metrics: Namespace AWS/RDS, with Dimensions DBClusterIdentifier=%s (and Role=%s) or DBInstanceIdentifier=%s, or none.",
					self.cluster, self.role, self.instance);
	as_api_refuse_unused(call);

	args[0] = CStringGetTextDatum(name);
	args[1] = CStringGetTextDatum(metric);
	args[2] = CStringGetTextDatum(stat);
	args[3] = Int32GetDatum((int32) period);
	args[4] = Int32GetDatum((int32) periods);
	args[5] = CStringGetTextDatum(threshold);
	args[6] = CStringGetTextDatum(op);
	(void) as_api_sql(call,
					  "SELECT aurora_serverless.put_metric_alarm($1, $2, $3, $4, $5,"
					  " $6::pg_catalog.numeric, $7)",
					  7, types, args);
}

static void
as_cw_describe_alarms(AsApiCall *call)
{
	static const char *const ignored[] = {"ActionPrefix", "NextToken",
	"ChildrenOfAlarmName", "ParentsOfAlarmName", NULL};
	int			nnames = as_form_list_len(call->params, "AlarmNames.member");
	const char *prefix = as_api_param(call, "AlarmNamePrefix", false);
	const char *state = as_api_param(call, "StateValue", false);
	int			ntypes = as_form_list_len(call->params, "AlarmTypes.member");
	bool		metric_alarms = ntypes == 0;
	int64		max = 50;
	const char **names = palloc0(sizeof(char *) * (nnames + 1));
	AsCwSelf	self;
	AsOut	   *o = &call->out;
	int			n;
	int			emitted = 0;

	for (int i = 1; i <= nnames; i++)
		names[i - 1] = as_api_param(call, psprintf("AlarmNames.member.%d", i), true);
	for (int i = 1; i <= ntypes; i++)
	{
		const char *t = as_api_param(call, psprintf("AlarmTypes.member.%d", i), true);

		if (strcmp(t, "MetricAlarm") == 0)
			metric_alarms = true;
		else if (strcmp(t, "CompositeAlarm") != 0)
			as_api_fail(call, 400, "InvalidParameterValue",
						"AlarmTypes holds MetricAlarm or CompositeAlarm.");
	}
	if (nnames > 100)
		as_api_fail(call, 400, "InvalidParameterValue",
					"The collection AlarmNames must not have a size greater than 100.");
	if (nnames > 0 && prefix != NULL)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"AlarmNames and AlarmNamePrefix cannot be given together.");
	if (state != NULL && strcmp(state, "OK") != 0 && strcmp(state, "ALARM") != 0 &&
		strcmp(state, "INSUFFICIENT_DATA") != 0)
		as_api_fail(call, 400, "InvalidParameterValue",
					"StateValue must be OK, ALARM or INSUFFICIENT_DATA.");
	(void) as_api_param_int(call, "MaxRecords", 1, 100, &max);
	as_api_ignore_params(call, ignored);
	as_api_refuse_unused(call);
	as_cw_self(call, &self);

	n = as_api_sql(call,
				   "SELECT alarm_name, metric_name, statistic, period, evaluation_periods,"
				   " threshold, comparison_operator, state_value, state_reason,"
				   " (extract(epoch FROM state_updated_timestamp) * 1000000)::pg_catalog.int8"
				   " FROM aurora_serverless.alarms ORDER BY alarm_name",
				   0, NULL, NULL);
	as_out_list_begin(o, "MetricAlarms", "member");
	for (int i = 0; i < n && metric_alarms && emitted < max; i++)
	{
		char	   *name = as_api_value(i, 1);
		bool		keep = nnames == 0;
		int64		at;
		char	   *reason = as_api_value(i, 9);
		char	   *updated = as_api_value(i, 10);

		for (int k = 0; k < nnames; k++)
			if (strcmp(names[k], name) == 0)
				keep = true;
		if (prefix != NULL && strncmp(name, prefix, strlen(prefix)) != 0)
			keep = false;
		if (state != NULL && strcmp(state, as_api_value(i, 8)) != 0)
			keep = false;
		if (!keep)
			continue;
		emitted++;
		as_out_begin(o, NULL);
		as_out_string(o, "AlarmName", name);
		as_out_string(o, "AlarmArn",
					  psprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", call->region,
							   AS_API_ACCOUNT_ID, name));
		as_out_bool(o, "ActionsEnabled", true);
		as_out_list_begin(o, "OKActions", "member");
		as_out_end(o);
		as_out_list_begin(o, "AlarmActions", "member");
		as_out_end(o);
		as_out_list_begin(o, "InsufficientDataActions", "member");
		as_out_end(o);
		as_out_string(o, "StateValue", as_api_value(i, 8));
		if (reason)
			as_out_string(o, "StateReason", reason);
		if (updated && as_parse_int64(updated, &at))
			as_out_time(o, "StateUpdatedTimestamp", at);
		as_out_string(o, "MetricName", as_api_value(i, 2));
		as_out_string(o, "Namespace", AS_CW_NAMESPACE);
		as_out_string(o, "Statistic", as_api_value(i, 3));
		as_out_list_begin(o, "Dimensions", "member");
		as_out_begin(o, NULL);
		as_out_string(o, "Name", "DBClusterIdentifier");
		as_out_string(o, "Value", self.cluster);
		as_out_end(o);
		as_out_end(o);
		as_out_int(o, "Period", atoi(as_api_value(i, 4)));
		as_out_int(o, "EvaluationPeriods", atoi(as_api_value(i, 5)));
		as_out_int(o, "DatapointsToAlarm", atoi(as_api_value(i, 5)));
		as_cw_out_value(o, "Threshold", i, 6);
		as_out_string(o, "ComparisonOperator", as_api_value(i, 7));
		as_out_string(o, "TreatMissingData", "missing");
		as_out_end(o);
	}
	as_out_end(o);
	as_out_list_begin(o, "CompositeAlarms", "member");
	as_out_end(o);
}

static void
as_cw_delete_alarms(AsApiCall *call)
{
	int			n = as_form_list_len(call->params, "AlarmNames.member");
	StringInfoData names;
	Oid			types[1] = {TEXTOID};
	Datum		args[1];

	if (n == 0)
		(void) as_api_param(call, "AlarmNames", true);
	if (n > 100)
		as_api_fail(call, 400, "InvalidParameterValue",
					"The collection AlarmNames must not have a size greater than 100.");
	/* the names as one array literal, each quoted */
	initStringInfo(&names);
	appendStringInfoChar(&names, '{');
	for (int i = 1; i <= n; i++)
	{
		const char *v = as_api_param(call, psprintf("AlarmNames.member.%d", i), true);

		appendStringInfoString(&names, i > 1 ? ",\"" : "\"");
		for (const char *c = v; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				appendStringInfoChar(&names, '\\');
			appendStringInfoChar(&names, *c);
		}
		appendStringInfoChar(&names, '"');
	}
	appendStringInfoChar(&names, '}');
	as_api_refuse_unused(call);
	args[0] = CStringGetTextDatum(names.data);
	(void) as_api_sql(call,
					  "SELECT aurora_serverless.delete_alarms($1::pg_catalog.text[])",
					  1, types, args);
}

static void
as_cw_set_alarm_state(AsApiCall *call)
{
	static const char *const ignored[] = {"StateReasonData", NULL};
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];

	args[0] = CStringGetTextDatum(as_api_param(call, "AlarmName", true));
	args[1] = CStringGetTextDatum(as_api_param(call, "StateValue", true));
	args[2] = CStringGetTextDatum(as_api_param(call, "StateReason", true));
	as_api_ignore_params(call, ignored);
	as_api_refuse_unused(call);
	(void) as_api_sql(call,
					  "SELECT aurora_serverless.set_alarm_state($1, $2, $3)",
					  3, types, args);
}

static void
as_cw_describe_alarm_history(AsApiCall *call)
{
	static const char *const ignored[] = {"NextToken", NULL};
	const char *name = as_api_param(call, "AlarmName", false);
	const char *type = as_api_param(call, "HistoryItemType", false);
	const char *scan = as_api_param(call, "ScanBy", false);
	int64		start = 0;
	int64		end = INT64CONST(253402300799000000);
	int64		max = 100;
	int			ntypes = as_form_list_len(call->params, "AlarmTypes.member");
	Oid			types[2] = {TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		args[2];
	int			n;
	int			emitted = 0;
	bool		descending = true;
	AsOut	   *o = &call->out;

	(void) as_api_param_time(call, "StartDate", &start);
	(void) as_api_param_time(call, "EndDate", &end);
	(void) as_api_param_int(call, "MaxRecords", 1, 100, &max);
	for (int i = 1; i <= ntypes; i++)
		(void) as_api_param(call, psprintf("AlarmTypes.member.%d", i), true);
	if (type != NULL && strcmp(type, "StateUpdate") != 0 &&
		strcmp(type, "ConfigurationUpdate") != 0 && strcmp(type, "Action") != 0 &&
		strcmp(type, "AlarmContributorStateUpdate") != 0 &&
		strcmp(type, "AlarmContributorAction") != 0)
		as_api_fail(call, 400, "InvalidParameterValue",
					"HistoryItemType must be ConfigurationUpdate, StateUpdate or Action.");
	if (scan != NULL)
	{
		if (strcmp(scan, "TimestampAscending") == 0)
			descending = false;
		else if (strcmp(scan, "TimestampDescending") != 0)
			as_api_fail(call, 400, "InvalidParameterValue",
						"ScanBy must be TimestampDescending or TimestampAscending.");
	}
	as_api_ignore_params(call, ignored);
	as_api_refuse_unused(call);

	args[0] = as_api_timestamptz(start);
	args[1] = as_api_timestamptz(end);
	n = as_api_sql(call,
				   "SELECT (extract(epoch FROM event_time) * 1000000)::pg_catalog.int8,"
				   " m[1], m[2], m[3], m[4]"
				   " FROM aurora_serverless.scaling_events,"
				   " pg_catalog.regexp_match(detail,"
				   " '^(.*): (OK|ALARM|INSUFFICIENT_DATA) -> (OK|ALARM|INSUFFICIENT_DATA)(?:: (.*))?$') AS m"
				   " WHERE event = 'alarm' AND event_time >= $1 AND event_time <= $2"
				   " ORDER BY event_time",
				   2, types, args);
	as_out_list_begin(o, "AlarmHistoryItems", "member");
	if (type == NULL || strcmp(type, "StateUpdate") == 0)
	{
		for (int k = 0; k < n && emitted < max; k++)
		{
			int			i = descending ? n - 1 - k : k;
			char	   *alarm = as_api_value(i, 2);
			char	   *from = as_api_value(i, 3);
			char	   *to = as_api_value(i, 4);
			char	   *reason = as_api_value(i, 5);
			int64		at;
			StringInfoData data;

			if (alarm == NULL || (name != NULL && strcmp(name, alarm) != 0))
				continue;
			(void) as_parse_int64(as_api_value(i, 1), &at);
			/* HistoryData: JSON, as CloudWatch writes it */
			initStringInfo(&data);
			appendStringInfoString(&data, "{\"version\":\"1.0\",\"oldState\":{\"stateValue\":");
			as_json_escape(&data, from);
			appendStringInfoString(&data, "},\"newState\":{\"stateValue\":");
			as_json_escape(&data, to);
			appendStringInfoString(&data, ",\"stateReason\":");
			as_json_escape(&data, reason ? reason : "");
			appendStringInfoString(&data, "}}");
			as_out_begin(o, NULL);
			as_out_string(o, "AlarmName", alarm);
			as_out_string(o, "AlarmType", "MetricAlarm");
			as_out_time(o, "Timestamp", at);
			as_out_string(o, "HistoryItemType", "StateUpdate");
			as_out_string(o, "HistorySummary",
						  psprintf("Alarm updated from %s to %s", from, to));
			as_out_string(o, "HistoryData", data.data);
			as_out_end(o);
			emitted++;
		}
	}
	as_out_end(o);
}

static const AsApiAction as_cw_actions[] = {
	{"GetMetricStatistics", as_cw_get_metric_statistics, true},
	{"GetMetricData", as_cw_get_metric_data, true},
	{"ListMetrics", as_cw_list_metrics, true},
	{"PutMetricAlarm", as_cw_put_metric_alarm, false},
	{"DescribeAlarms", as_cw_describe_alarms, true},
	{"DeleteAlarms", as_cw_delete_alarms, false},
	{"SetAlarmState", as_cw_set_alarm_state, false},
	{"DescribeAlarmHistory", as_cw_describe_alarm_history, true},
};

const AsApiService as_monitoring_service = {
	"monitoring",
	"cloudwatch",
	"2010-08-01",
	AS_CW_XMLNS,
	"GraniteServiceVersion20100801",
	as_cw_actions,
	lengthof(as_cw_actions),
};
