/*-------------------------------------------------------------------------
 *
 * rds.c
 *		The RDS actions: DescribeDBClusters, ModifyDBCluster,
 *		DescribeDBInstances, DescribeEvents (API version 2014-10-31).
 *
 * Each action turns its parameters into calls of the extension's SQL
 * functions and views and their results into RDS's elements:
 *   DescribeDBClusters   aurora_serverless.describe(), cluster_instances
 *   ModifyDBCluster      aurora_serverless.modify_capacity(), then as above
 *   DescribeDBInstances  cluster_instances, cluster
 *   DescribeEvents       scaling_events, cluster
 * so that a role sees and changes exactly what it may in SQL.  The cluster
 * is the one this server belongs to: its DBClusterIdentifier is
 * aurora_serverless.cluster_identifier (describe() reports it), its members
 * the instances cluster_instances lists.  ARNs name the request's region
 * and the dummy account AS_API_ACCOUNT_ID.
 *
 * It holds no capacity logic: validation and effect are modify_capacity()'s.
 * It must not know HTTP, SigV4 or shared memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "guc.h"

#include "http.h"
#include "rds.h"

#define AS_RDS_XMLNS "http://rds.amazonaws.com/doc/2014-10-31/"

/* The cluster as describe() and cluster_instances show it. */
typedef struct AsRdsMember
{
	char	   *name;
	bool		writer;
	int			tier;
	char	   *state;
} AsRdsMember;

typedef struct AsRdsCluster
{
	char	   *identifier;
	char	   *status;
	char	   *engine;
	char	   *engine_version;
	bool		v1;				/* EngineMode serverless (v1) */
	char	   *min_capacity;
	char	   *max_capacity;
	char	   *seconds_until_auto_pause;	/* NULL when auto-pause is off */
	char	   *auto_pause;		/* v1 */
	char	   *timeout_action; /* v1 */
	char	   *seconds_before_timeout; /* v1 */
	char	   *capacity;
	int			port;
	char	   *instance;		/* this instance's DBInstanceIdentifier */
	int			nmembers;
	AsRdsMember *members;
} AsRdsCluster;

/* --- reading the cluster -------------------------------------------------- */

static void
as_rds_load(AsApiCall *call, AsRdsCluster *c)
{
	int			n;

	n = as_api_sql(call,
				   "SELECT d->>'DBClusterIdentifier', d->>'Status', d->>'Engine',"
				   " d->>'EngineVersion', d->>'EngineMode',"
				   " coalesce(d->'ServerlessV2ScalingConfiguration', d->'ScalingConfigurationInfo')->>'MinCapacity',"
				   " coalesce(d->'ServerlessV2ScalingConfiguration', d->'ScalingConfigurationInfo')->>'MaxCapacity',"
				   " coalesce(d->'ServerlessV2ScalingConfiguration', d->'ScalingConfigurationInfo')->>'SecondsUntilAutoPause',"
				   " d->'ScalingConfigurationInfo'->>'AutoPause',"
				   " d->'ScalingConfigurationInfo'->>'TimeoutAction',"
				   " d->'ScalingConfigurationInfo'->>'SecondsBeforeTimeout',"
				   " d->>'Capacity', pg_catalog.current_setting('port'),"
				   " (SELECT instance_name FROM aurora_serverless.cluster)"
				   " FROM aurora_serverless.describe() AS d",
				   0, NULL, NULL);
	if (n != 1)
		elog(ERROR, "describe() returned %d rows", n);
	c->identifier = as_api_value(0, 1);
	c->status = as_api_value(0, 2);
	c->engine = as_api_value(0, 3);
	c->engine_version = as_api_value(0, 4);
	c->v1 = strcmp(as_api_value(0, 5), "serverless") == 0;
	c->min_capacity = as_api_value(0, 6);
	c->max_capacity = as_api_value(0, 7);
	c->seconds_until_auto_pause = as_api_value(0, 8);
	c->auto_pause = as_api_value(0, 9);
	c->timeout_action = as_api_value(0, 10);
	c->seconds_before_timeout = as_api_value(0, 11);
	c->capacity = as_api_value(0, 12);
	c->port = atoi(as_api_value(0, 13));
	c->instance = as_api_value(0, 14);

	n = as_api_sql(call,
				   "SELECT instance_name, role, promotion_tier, state"
				   " FROM aurora_serverless.cluster_instances",
				   0, NULL, NULL);
	c->nmembers = n;
	c->members = palloc0(sizeof(AsRdsMember) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		char	   *tier = as_api_value(i, 3);

		c->members[i].name = as_api_value(i, 1);
		c->members[i].writer = strcmp(as_api_value(i, 2), "writer") == 0;
		c->members[i].tier = tier ? atoi(tier) : 1;
		c->members[i].state = as_api_value(i, 4);
	}
}

/* The endpoint's host name: aurora_serverless.api_listen's host. */
static const char *
as_rds_endpoint_host(void)
{
	char		host[256];
	int			port;

	if (as_guc_api_listen == NULL ||
		!as_http_parse_listen(as_guc_api_listen, host, sizeof(host), &port) ||
		strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
		return "localhost";
	return pstrdup(host);
}

/* An instance's state, as DBInstanceStatus names it. */
static const char *
as_rds_instance_status(const char *state)
{
	if (state == NULL)
		return "unknown";
	if (strcmp(state, "active") == 0 || strcmp(state, "scaling") == 0)
		return "available";
	return state;
}

static void
as_rds_not_found(AsApiCall *call, const char *identifier)
{
	as_api_fail(call, 404, "DBClusterNotFoundFault",
				"DBCluster %s not found.", identifier);
}

/* MaxRecords: 20 to 100, as RDS allows. */
static void
as_rds_max_records(AsApiCall *call, int64 *max)
{
	*max = 100;
	(void) as_api_param_int(call, "MaxRecords", 20, 100, max);
}

/*
 * Filters.Filter.N.Name / .Values.Value.M: does the value of the filter
 * named name (if given) hold value?  Filters of other names than those in
 * known are refused.
 */
static bool
as_rds_filter_match(AsApiCall *call, const char *const *known,
					const char *name, const char *value)
{
	int			n = as_form_list_len(call->params, "Filters.Filter");
	bool		match = true;

	for (int i = 1; i <= n; i++)
	{
		const char *fname = as_api_param(call,
										 psprintf("Filters.Filter.%d.Name", i),
										 true);
		char	   *prefix = psprintf("Filters.Filter.%d.Values.Value", i);
		int			nv = as_form_list_len(call->params, prefix);
		bool		ok = false;
		bool		is_known = false;

		for (const char *const *k = known; *k; k++)
			if (strcmp(*k, fname) == 0)
				is_known = true;
		if (!is_known)
			as_api_fail(call, 400, "InvalidParameterValue",
						"Unrecognized filter name: %.64s.", fname);
		if (nv == 0)
			as_api_fail(call, 400, "InvalidParameterValue",
						"The filter %s needs at least one value.", fname);
		for (int j = 1; j <= nv; j++)
		{
			const char *v = as_api_param(call, psprintf("%s.%d", prefix, j),
										 false);

			if (v != NULL && pg_strcasecmp(v, value) == 0)
				ok = true;
		}
		if (strcmp(fname, name) == 0)
			match = match && ok;
	}
	return match;
}

/* --- writing -------------------------------------------------------------- */

static void
as_rds_out_number(AsApiCall *call, const char *name, const char *value)
{
	double		d;

	if (value != NULL && as_parse_double(value, &d))
		as_out_double(&call->out, name, d);
}

static void
as_rds_out_cluster(AsApiCall *call, const AsRdsCluster *c, const char *name)
{
	AsOut	   *o = &call->out;
	const char *host = as_rds_endpoint_host();

	as_out_begin(o, name);
	as_out_string(o, "DBClusterIdentifier", c->identifier);
	as_out_string(o, "DBClusterArn",
				  psprintf("arn:aws:rds:%s:%s:cluster:%s", call->region,
						   AS_API_ACCOUNT_ID, c->identifier));
	as_out_string(o, "Status", c->status);
	as_out_string(o, "Engine", c->engine);
	as_out_string(o, "EngineVersion", c->engine_version);
	as_out_string(o, "EngineMode", c->v1 ? "serverless" : "provisioned");
	as_out_string(o, "Endpoint", host);
	as_out_string(o, "ReaderEndpoint", host);
	as_out_int(o, "Port", c->port);
	as_out_bool(o, "MultiAZ", c->nmembers > 1);
	as_out_list_begin(o, "DBClusterMembers", "DBClusterMember");
	for (int i = 0; i < c->nmembers; i++)
	{
		as_out_begin(o, NULL);
		as_out_string(o, "DBInstanceIdentifier", c->members[i].name);
		as_out_bool(o, "IsClusterWriter", c->members[i].writer);
		as_out_string(o, "DBClusterParameterGroupStatus", "in-sync");
		as_out_int(o, "PromotionTier", c->members[i].tier);
		as_out_end(o);
	}
	as_out_end(o);
	if (c->v1)
	{
		as_rds_out_number(call, "Capacity", c->capacity);
		as_out_begin(o, "ScalingConfigurationInfo");
		as_rds_out_number(call, "MinCapacity", c->min_capacity);
		as_rds_out_number(call, "MaxCapacity", c->max_capacity);
		as_out_bool(o, "AutoPause",
					c->auto_pause != NULL && strcmp(c->auto_pause, "true") == 0);
		as_rds_out_number(call, "SecondsUntilAutoPause",
						  c->seconds_until_auto_pause);
		if (c->timeout_action)
			as_out_string(o, "TimeoutAction", c->timeout_action);
		as_rds_out_number(call, "SecondsBeforeTimeout",
						  c->seconds_before_timeout);
		as_out_end(o);
	}
	else
	{
		as_out_begin(o, "ServerlessV2ScalingConfiguration");
		as_rds_out_number(call, "MinCapacity", c->min_capacity);
		as_rds_out_number(call, "MaxCapacity", c->max_capacity);
		as_rds_out_number(call, "SecondsUntilAutoPause",
						  c->seconds_until_auto_pause);
		as_out_end(o);
	}
	as_out_end(o);
}

/* --- the actions ---------------------------------------------------------- */

static const char *const as_rds_cluster_filters[] = {
	"db-cluster-id", "engine", NULL
};

static void
as_rds_describe_db_clusters(AsApiCall *call)
{
	static const char *const ignored[] = {"Marker", "IncludeShared", NULL};
	const char *id = as_api_param(call, "DBClusterIdentifier", false);
	int64		max;
	AsRdsCluster c;
	bool		match;

	as_rds_max_records(call, &max);
	as_api_ignore_params(call, ignored);
	as_rds_load(call, &c);
	match = as_rds_filter_match(call, as_rds_cluster_filters, "db-cluster-id",
								c.identifier) &&
		as_rds_filter_match(call, as_rds_cluster_filters, "engine", c.engine);
	as_api_refuse_unused(call);
	if (id != NULL && pg_strcasecmp(id, c.identifier) != 0)
		as_rds_not_found(call, id);

	as_out_list_begin(&call->out, "DBClusters", "DBCluster");
	if (match)
		as_rds_out_cluster(call, &c, NULL);
	as_out_end(&call->out);
}

static void
as_rds_modify_db_cluster(AsApiCall *call)
{
	const char *id = as_api_param(call, "DBClusterIdentifier", true);
	const char *v2_min = as_api_param(call, "ServerlessV2ScalingConfiguration.MinCapacity", false);
	const char *v2_max = as_api_param(call, "ServerlessV2ScalingConfiguration.MaxCapacity", false);
	const char *v1_min = as_api_param(call, "ScalingConfiguration.MinCapacity", false);
	const char *v1_max = as_api_param(call, "ScalingConfiguration.MaxCapacity", false);
	const char *v2_pause = as_api_param(call, "ServerlessV2ScalingConfiguration.SecondsUntilAutoPause", false);
	const char *v1_pause = as_api_param(call, "ScalingConfiguration.SecondsUntilAutoPause", false);
	const char *min;
	const char *max;
	const char *pause;
	bool		apply;
	double		d;
	AsRdsCluster c;

	(void) as_api_param_bool(call, "ApplyImmediately", &apply);
	as_api_refuse_unused(call);
	if ((v2_min || v2_max || v2_pause) && (v1_min || v1_max || v1_pause))
		as_api_fail(call, 400, "InvalidParameterCombination",
					"ServerlessV2ScalingConfiguration (Serverless v2) and ScalingConfiguration (v1) cannot be given together.");
	min = v2_min ? v2_min : v1_min;
	max = v2_max ? v2_max : v1_max;
	pause = v2_pause ? v2_pause : v1_pause;
	if (pause && (!as_parse_double(pause, &d) || d != floor(d) ||
				  fabs(d) > PG_INT32_MAX))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter SecondsUntilAutoPause is invalid: a whole number of seconds is expected.",
					pause);
	if (min && !as_parse_double(min, &d))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter MinCapacity is invalid: a number is expected.",
					min);
	if (max && !as_parse_double(max, &d))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter MaxCapacity is invalid: a number is expected.",
					max);

	as_rds_load(call, &c);
	if (pg_strcasecmp(id, c.identifier) != 0)
		as_rds_not_found(call, id);

	if (min || max || pause)
	{
		Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
		Datum		args[3];

		/* what is left out stays as it is */
		args[0] = CStringGetTextDatum(min ? min : c.min_capacity);
		args[1] = CStringGetTextDatum(max ? max : c.max_capacity);
		if (pause)
		{
			args[2] = CStringGetTextDatum(pause);
			(void) as_api_sql(call,
							  "SELECT aurora_serverless.modify_capacity($1::pg_catalog.numeric, $2::pg_catalog.numeric, $3::pg_catalog.int4)",
							  3, types, args);
		}
		else
			(void) as_api_sql(call,
							  "SELECT aurora_serverless.modify_capacity($1::pg_catalog.numeric, $2::pg_catalog.numeric)",
							  2, types, args);
		/* in force once committed; the reply shows it */
		as_api_next_transaction(call);
		as_rds_load(call, &c);
	}
	as_rds_out_cluster(call, &c, "DBCluster");
}

static const char *const as_rds_instance_filters[] = {
	"db-cluster-id", "db-instance-id", "engine", NULL
};

static void
as_rds_describe_db_instances(AsApiCall *call)
{
	static const char *const ignored[] = {"Marker", NULL};
	const char *id = as_api_param(call, "DBInstanceIdentifier", false);
	int64		max;
	AsRdsCluster c;
	AsOut	   *o = &call->out;
	const char *host = as_rds_endpoint_host();
	bool		found = false;
	bool		cluster_match;

	as_rds_max_records(call, &max);
	as_api_ignore_params(call, ignored);
	as_rds_load(call, &c);
	cluster_match = as_rds_filter_match(call, as_rds_instance_filters,
										"db-cluster-id", c.identifier) &&
		as_rds_filter_match(call, as_rds_instance_filters, "engine", c.engine);
	as_api_refuse_unused(call);

	for (int i = 0; i < c.nmembers; i++)
		if (id == NULL || pg_strcasecmp(id, c.members[i].name) == 0)
			found = true;
	if (!found && id != NULL)
		as_api_fail(call, 404, "DBInstanceNotFound",
					"DBInstance %s not found.", id);

	as_out_list_begin(o, "DBInstances", "DBInstance");
	for (int i = 0; i < c.nmembers; i++)
	{
		const AsRdsMember *m = &c.members[i];

		if (id != NULL && pg_strcasecmp(id, m->name) != 0)
			continue;
		if (!cluster_match ||
			!as_rds_filter_match(call, as_rds_instance_filters,
								 "db-instance-id", m->name))
			continue;
		as_out_begin(o, NULL);
		as_out_string(o, "DBInstanceIdentifier", m->name);
		as_out_string(o, "DBInstanceClass", "db.serverless");
		as_out_string(o, "Engine", c.engine);
		as_out_string(o, "EngineVersion", c.engine_version);
		as_out_string(o, "DBInstanceStatus", as_rds_instance_status(m->state));
		if (c.instance != NULL && strcmp(m->name, c.instance) == 0)
		{
			as_out_begin(o, "Endpoint");
			as_out_string(o, "Address", host);
			as_out_int(o, "Port", c.port);
			as_out_end(o);
		}
		as_out_string(o, "DBClusterIdentifier", c.identifier);
		as_out_int(o, "PromotionTier", m->tier);
		as_out_string(o, "DBInstanceArn",
					  psprintf("arn:aws:rds:%s:%s:db:%s", call->region,
							   AS_API_ACCOUNT_ID, m->name));
		as_out_end(o);
	}
	as_out_end(o);
}

/*
 * How each event of scaling_events appears in RDS: its source (this
 * instance, or the cluster), its category, and the start of its message.
 * Events not listed (alarms: CloudWatch's) are not RDS events.
 */
typedef struct AsRdsEventKind
{
	const char *event;
	bool		cluster;		/* source type db-cluster, else db-instance */
	const char *category;
	const char *message;
} AsRdsEventKind;

static const AsRdsEventKind as_rds_event_kinds[] = {
	{"scale_up", false, "notification", "The DB instance scaled up"},
	{"scale_down", false, "notification", "The DB instance scaled down"},
	{"pause_initiated", false, "notification", "The DB instance is being paused"},
	{"pause_cancelled", false, "notification", "The pause of the DB instance was cancelled because of workload"},
	{"pause", false, "notification", "The DB instance is paused"},
	{"resume_initiated", false, "notification", "The DB instance is resuming"},
	{"resume", false, "notification", "The DB instance resumed"},
	{"startup", false, "availability", "The DB instance started"},
	{"role_change", false, "failover", "The DB instance changed role"},
	{"connection_rejected", false, "notification", "The DB instance refused connections beyond its max_connections"},
	{"writer_connected", false, "availability", "The DB instance reports to its writer"},
	{"writer_unreachable", false, "availability", "The DB instance cannot reach its writer"},
	{"reader_joined", true, "availability", "A reader joined the DB cluster"},
	{"reader_stale", true, "availability", "A reader stopped reporting to the DB cluster"},
	{"config_change", true, "configuration change", "The scaling configuration of the DB cluster changed"},
	{"config_rejected", true, "configuration change", "A scaling configuration of the DB cluster was refused"},
	{"scaling_point_search", true, "notification", "The DB cluster is looking for a scaling point"},
	{"scaling_point_timeout", true, "notification", "The DB cluster found no scaling point in time"},
	{"rollback", true, "notification", "The DB cluster kept its capacity: no scaling point"},
	{"force_apply", true, "notification", "The DB cluster forced a capacity change"},
};

static const char *const as_rds_source_types[] = {
	"db-instance", "db-parameter-group", "db-security-group", "db-snapshot",
	"db-cluster", "db-cluster-snapshot", "custom-engine-version", "db-proxy",
	"blue-green-deployment", "db-shard-group", "zero-etl", NULL
};

static void
as_rds_describe_events(AsApiCall *call)
{
	const char *source_type = as_api_param(call, "SourceType", false);
	const char *source_id = as_api_param(call, "SourceIdentifier", false);
	const char *marker = as_api_param(call, "Marker", false);
	int64		start;
	int64		end = call->now_us;
	int64		duration;
	int64		max;
	int64		skip = 0;
	int			ncat;
	const char **categories;
	bool		has_start;
	bool		has_duration;
	AsRdsCluster c;
	Oid			types[2] = {TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		args[2];
	int			n;
	int			emitted = 0;
	int64		seen = 0;
	AsOut	   *o = &call->out;

	as_rds_max_records(call, &max);
	has_start = as_api_param_time(call, "StartTime", &start);
	(void) as_api_param_time(call, "EndTime", &end);
	has_duration = as_api_param_int(call, "Duration", 0, 60 * 24 * 14,
									&duration);
	ncat = as_form_list_len(call->params, "EventCategories.EventCategory");
	categories = palloc0(sizeof(char *) * (ncat + 1));
	for (int i = 1; i <= ncat; i++)
		categories[i - 1] = as_api_param(call,
										 psprintf("EventCategories.EventCategory.%d", i),
										 false);
	if (as_form_list_len(call->params, "Filters.Filter") > 0)
		as_api_fail(call, 400, "InvalidParameterValue",
					"DescribeEvents takes no Filters: use SourceType, SourceIdentifier and EventCategories.");
	as_api_refuse_unused(call);

	if (source_type != NULL)
	{
		bool		known = false;

		for (const char *const *t = as_rds_source_types; *t; t++)
			if (strcmp(*t, source_type) == 0)
				known = true;
		if (!known)
			as_api_fail(call, 400, "InvalidParameterValue",
						"Value (%.64s) for parameter SourceType is invalid: use db-instance, db-cluster or another RDS source type.",
						source_type);
	}
	if (source_id != NULL && source_type == NULL)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"SourceIdentifier needs SourceType.");
	if (!has_start)
		start = end - (has_duration ? duration : 60) * 60 * INT64CONST(1000000);
	if (end < start)
		as_api_fail(call, 400, "InvalidParameterCombination",
					"EndTime must not be before StartTime.");
	if (marker != NULL && (!as_parse_int64(marker, &skip) || skip < 0))
		as_api_fail(call, 400, "InvalidParameterValue",
					"Value (%.64s) for parameter Marker is invalid: pass the Marker of the previous reply.",
					marker);

	as_rds_load(call, &c);
	args[0] = as_api_timestamptz(start);
	args[1] = as_api_timestamptz(end);
	n = as_api_sql(call,
				   "SELECT (extract(epoch FROM event_time) * 1000000)::pg_catalog.int8,"
				   " event, from_capacity, to_capacity, reason, detail, rds_event_id"
				   " FROM aurora_serverless.scaling_events"
				   " WHERE event_time >= $1 AND event_time <= $2"
				   " ORDER BY event_time",
				   2, types, args);

	as_out_list_begin(o, "Events", "Event");
	for (int i = 0; i < n; i++)
	{
		const char *event = as_api_value(i, 2);
		const AsRdsEventKind *k = NULL;
		const char *type;
		const char *ident;
		bool		wanted;
		StringInfoData msg;
		char	   *detail;
		char	   *reason;
		char	   *rds_id;
		double		from,
					to;
		int64		at;

		for (int j = 0; j < lengthof(as_rds_event_kinds); j++)
			if (event && strcmp(as_rds_event_kinds[j].event, event) == 0)
				k = &as_rds_event_kinds[j];
		if (k == NULL)
			continue;
		type = k->cluster ? "db-cluster" : "db-instance";
		ident = k->cluster ? c.identifier : c.instance;
		if (source_type != NULL && strcmp(source_type, type) != 0)
			continue;
		if (source_id != NULL && pg_strcasecmp(source_id, ident) != 0)
			continue;
		wanted = ncat == 0;
		for (int j = 0; j < ncat; j++)
			if (categories[j] && pg_strcasecmp(categories[j], k->category) == 0)
				wanted = true;
		if (!wanted)
			continue;
		if (seen++ < skip)
			continue;
		if (emitted == max)
		{
			as_out_end(o);
			as_out_string(o, "Marker", psprintf(INT64_FORMAT, seen - 1));
			return;
		}

		reason = as_api_value(i, 5);
		detail = as_api_value(i, 6);
		rds_id = as_api_value(i, 7);
		initStringInfo(&msg);
		appendStringInfoString(&msg, k->message);
		if (as_api_double(i, 3, &from) && as_api_double(i, 4, &to) &&
			(strcmp(event, "scale_up") == 0 || strcmp(event, "scale_down") == 0))
		{
			char		f[32],
						t[32];

			as_format_double(f, sizeof(f), from);
			as_format_double(t, sizeof(t), to);
			appendStringInfo(&msg, " from %s ACUs to %s ACUs", f, t);
		}
		if (reason != NULL && reason[0] != '\0')
			appendStringInfo(&msg, " (%s)", reason);
		if (detail != NULL && detail[0] != '\0')
			appendStringInfo(&msg, ": %s", detail);
		else
			appendStringInfoChar(&msg, '.');
		if (rds_id != NULL)
			appendStringInfo(&msg, " [%s]", rds_id);
		(void) as_parse_int64(as_api_value(i, 1), &at);

		as_out_begin(o, NULL);
		as_out_string(o, "SourceIdentifier", ident);
		as_out_string(o, "SourceType", type);
		as_out_string(o, "Message", msg.data);
		as_out_list_begin(o, "EventCategories", "EventCategory");
		as_out_string(o, NULL, k->category);
		as_out_end(o);
		as_out_time(o, "Date", at);
		as_out_string(o, "SourceArn",
					  psprintf("arn:aws:rds:%s:%s:%s:%s", call->region,
							   AS_API_ACCOUNT_ID, k->cluster ? "cluster" : "db",
							   ident));
		as_out_end(o);
		emitted++;
	}
	as_out_end(o);
}

static const AsApiAction as_rds_actions[] = {
	{"DescribeDBClusters", as_rds_describe_db_clusters, true},
	{"ModifyDBCluster", as_rds_modify_db_cluster, true},
	{"DescribeDBInstances", as_rds_describe_db_instances, true},
	{"DescribeEvents", as_rds_describe_events, true},
};

const AsApiService as_rds_service = {
	"rds",
	"rds",
	"2014-10-31",
	AS_RDS_XMLNS,
	NULL,
	as_rds_actions,
	lengthof(as_rds_actions),
};
