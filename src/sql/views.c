/*-------------------------------------------------------------------------
 *
 * views.c
 *		The reading side of SQL: the functions behind the capacity, metrics,
 *		scaling_events and worker_stats views, describe(), and
 *		max_connections_for().
 *
 * Each copies what it needs out of shared memory under a shared lock, in one
 * pass, and builds its tuples after releasing the lock.  None needs
 * superuser.
 *
 * This file must not know the sampler or the worker's loop.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_authid_d.h"
#include "commands/dbcommands.h"
#include "utils/acl.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "blockers.h"
#include "cluster.h"
#include "compat.h"
#include "cpulimit.h"
#include "guc.h"
#include "model.h"
#include "sqlutil.h"
#include "state.h"

PG_FUNCTION_INFO_V1(as_get_capacity);
PG_FUNCTION_INFO_V1(as_get_metrics);
PG_FUNCTION_INFO_V1(as_get_scaling_events);
PG_FUNCTION_INFO_V1(as_get_worker_stats);
PG_FUNCTION_INFO_V1(as_describe);
PG_FUNCTION_INFO_V1(as_max_connections_for_sql);
PG_FUNCTION_INFO_V1(as_buffer_pool_for_sql);
PG_FUNCTION_INFO_V1(as_get_scaling_blockers);
PG_FUNCTION_INFO_V1(as_get_pause_blockers);

/* Everything the one-row readers need, copied under one lock. */
typedef struct AsSnapshot
{
	AsPolicySettings settings;
	AsConnectionsBasis basis;
	AsPolicyState policy;
	AsMetric	last;
	TimestampTz last_scaling_at;
	bool		in_recovery;
	pid_t		worker_pid;
	AsWorkerStats stats;
	bool		cpu_enforced;
	double		cpu_limit_vcpus;
	int			machine_vcpus;
	char		cpu_cgroup_dir[MAXPGPATH];
	char		cpu_problem[256];
} AsSnapshot;

static void
as_take_snapshot(AsSnapshot *snap)
{
	as_require_loaded();
	LWLockAcquire(as_shared->lock, LW_SHARED);
	snap->settings = as_shared->settings;
	snap->basis = as_shared->basis;
	snap->policy = as_shared->policy;
	snap->last = as_shared->last;
	snap->last_scaling_at = as_shared->last_scaling_at;
	snap->in_recovery = as_shared->in_recovery;
	snap->worker_pid = as_shared->worker_pid;
	snap->stats = as_shared->stats;
	snap->cpu_enforced = as_shared->cpu_enforced;
	snap->cpu_limit_vcpus = as_shared->cpu_limit_vcpus;
	snap->machine_vcpus = as_shared->machine_vcpus;
	strlcpy(snap->cpu_cgroup_dir, as_shared->cpu_cgroup_dir,
			sizeof(snap->cpu_cgroup_dir));
	strlcpy(snap->cpu_problem, as_shared->cpu_problem,
			sizeof(snap->cpu_problem));
	LWLockRelease(as_shared->lock);
}

/* The capacity the connection limits are for: while paused, the resume's. */
static double
as_snapshot_limit_capacity(const AsSnapshot *snap)
{
	return AS_STATE_IS_PAUSED(snap->policy.state) ?
		as_resume_capacity(&snap->settings, &snap->policy) :
		snap->policy.capacity;
}

/* The derived max_connections in force (static on the max_capacity basis). */
static int
as_snapshot_max_connections(const AsSnapshot *snap)
{
	return as_max_connections_in_force(&snap->settings, snap->basis,
									   as_snapshot_limit_capacity(snap));
}

/* The value the next restart would put in force. */
static int
as_snapshot_pending_max_connections(const AsSnapshot *snap)
{
	return as_derived_max_connections(&snap->settings, snap->basis,
									  as_snapshot_limit_capacity(snap));
}

static const char *
as_basis_name(AsConnectionsBasis basis)
{
	return basis == AS_BASIS_CURRENT_CAPACITY ? "current_capacity" : "max_capacity";
}

static double
as_pct(double part, double whole)
{
	return whole > 0 ? part / whole * 100.0 : 0;
}

#define AS_CAPACITY_COLS 31

Datum
as_get_capacity(PG_FUNCTION_ARGS)
{
	AsSnapshot	snap;
	TupleDesc	tupdesc;
	Datum		values[AS_CAPACITY_COLS];
	bool		nulls[AS_CAPACITY_COLS];
	double		cap;
	double		memory_gib;
	double		pool_gib;
	bool		have_sample;
	int			i = 0;

	as_take_snapshot(&snap);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != AS_CAPACITY_COLS)
		elog(ERROR, "capacity() returns %d columns, expected %d",
			 tupdesc->natts, AS_CAPACITY_COLS);

	memset(nulls, 0, sizeof(nulls));
	cap = snap.policy.capacity;
	memory_gib = cap * AS_GIB_PER_ACU;
	pool_gib = as_buffer_pool_bytes(cap) / AS_BYTES_PER_GIB;
	have_sample = snap.last.sample_time != 0;

	values[i++] = CStringGetTextDatum(as_engine_mode_name(snap.settings.engine_mode));
	values[i++] = CStringGetTextDatum(as_state_name(snap.policy.state));
	values[i++] = CStringGetTextDatum(snap.in_recovery ? "reader" : "writer");
	values[i++] = as_numeric_datum(cap, 1);
	values[i++] = as_numeric_datum(snap.policy.target, 1);
	values[i++] = as_numeric_datum(snap.settings.min_capacity, 1);
	values[i++] = as_numeric_datum(snap.settings.max_capacity, 1);
	values[i++] = as_numeric_datum(as_pct(cap, snap.settings.max_capacity), 2);
	values[i++] = as_numeric_datum(snap.last.cpu_utilization, 2);
	values[i++] = Int32GetDatum(snap.last.connections);
	values[i++] = Int32GetDatum(as_snapshot_max_connections(&snap));
	values[i++] = CStringGetTextDatum(as_basis_name(snap.basis));
	values[i++] = as_numeric_datum(memory_gib, 1);
	values[i++] = as_numeric_datum(pool_gib, 3);
	values[i++] = as_numeric_datum(snap.last.working_set_gib, 3);
	/* buffers in use fit the pool, and private memory the rest */
	values[i++] = BoolGetDatum(snap.last.shared_in_use_gib <= pool_gib &&
							   snap.last.working_set_gib -
							   snap.last.shared_in_use_gib <=
							   memory_gib - pool_gib);
	values[i++] = Int64GetDatum((int64) (snap.settings.max_capacity *
										 AS_GIB_PER_ACU * AS_BYTES_PER_GIB -
										 snap.last.working_set_gib *
										 AS_BYTES_PER_GIB));
	values[i++] = as_numeric_datum(snap.last.busy_vcpus, 3);
	values[i++] = as_numeric_datum(snap.last.cpu_goal, 3);
	values[i++] = as_numeric_datum(snap.last.memory_goal, 3);
	values[i++] = as_numeric_datum(snap.last.connections_goal, 3);
	if (have_sample)
		values[i] = TimestampTzGetDatum(snap.last.sample_time);
	else
		nulls[i] = true;
	i++;
	if (snap.last_scaling_at != 0)
		values[i] = TimestampTzGetDatum(snap.last_scaling_at);
	else
		nulls[i] = true;
	i++;
	if (snap.worker_pid != 0)
		values[i] = Int32GetDatum((int32) snap.worker_pid);
	else
		nulls[i] = true;
	i++;
	values[i++] = BoolGetDatum(as_auto_pause_enabled(&snap.settings));
	values[i++] = Int32GetDatum((int32) snap.settings.seconds_until_auto_pause);
	if (AS_STATE_IS_PAUSED(snap.policy.state))
		values[i] = TimestampTzGetDatum((TimestampTz) (snap.policy.paused_since * USECS_PER_SEC));
	else
		nulls[i] = true;
	i++;
	values[i++] = BoolGetDatum(snap.cpu_enforced);
	if (snap.cpu_enforced)
		values[i] = as_numeric_datum(snap.cpu_limit_vcpus, 3);
	else
		nulls[i] = true;
	i++;
	if (have_sample)
		values[i] = CStringGetTextDatum(as_component_name((AsComponent) snap.last.driver));
	else
		nulls[i] = true;
	i++;
	values[i++] = Int32GetDatum(MaxConnections);
	Assert(i == AS_CAPACITY_COLS);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

#define AS_METRICS_COLS 21

Datum
as_get_metrics(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	void	   *copy;
	AsMetric   *rows;
	int			n;

	as_require_loaded();
	as_init_materialized_srf(fcinfo);

	LWLockAcquire(as_shared->lock, LW_SHARED);
	n = as_ring_copy_palloc(&copy, as_metrics, sizeof(AsMetric),
							as_shared->metrics_pos, as_shared->metrics_size);
	LWLockRelease(as_shared->lock);
	rows = (AsMetric *) copy;

	for (int r = 0; r < n; r++)
	{
		AsMetric   *m = &rows[r];
		Datum		values[AS_METRICS_COLS];
		bool		nulls[AS_METRICS_COLS];
		int			i = 0;

		memset(nulls, 0, sizeof(nulls));
		values[i++] = TimestampTzGetDatum(m->sample_time);
		values[i++] = as_numeric_datum(m->capacity, 1);
		values[i++] = as_numeric_datum(m->target, 1);
		values[i++] = as_numeric_datum(m->acu_utilization, 2);
		values[i++] = as_numeric_datum(m->cpu_utilization, 2);
		values[i++] = Int32GetDatum(m->connections);
		values[i++] = Int32GetDatum(m->max_connections);
		values[i++] = as_numeric_datum(m->cpu_goal, 3);
		values[i++] = as_numeric_datum(m->memory_goal, 3);
		values[i++] = as_numeric_datum(m->connections_goal, 3);
		values[i++] = as_numeric_datum(m->busy_vcpus, 3);
		values[i++] = as_numeric_datum(m->working_set_gib, 3);
		values[i++] = CStringGetTextDatum(as_state_name((AsInstanceState) m->state));
		values[i++] = as_numeric_datum(m->min_capacity, 1);
		values[i++] = as_numeric_datum(m->max_capacity, 1);
		values[i++] = Int32GetDatum(m->awake_connections);
		values[i++] = Int32GetDatum(m->rejected);
		values[i++] = as_numeric_datum(m->interval_s, 6);
		values[i++] = as_numeric_datum(m->held_paused ? 0 :
									   m->held_capacity * m->interval_s, 6);
		values[i++] = as_numeric_datum(m->throttled_vcpus, 3);
		if (m->cpu_limit_vcpus > 0)
			values[i] = as_numeric_datum(m->cpu_limit_vcpus, 3);
		else
			nulls[i] = true;
		i++;
		Assert(i == AS_METRICS_COLS);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

#define AS_EVENTS_COLS 7

Datum
as_get_scaling_events(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	void	   *copy;
	AsEvent    *rows;
	int			n;

	as_require_loaded();
	as_init_materialized_srf(fcinfo);

	LWLockAcquire(as_shared->lock, LW_SHARED);
	n = as_ring_copy_palloc(&copy, as_events, sizeof(AsEvent),
							as_shared->events_pos, as_shared->events_size);
	LWLockRelease(as_shared->lock);
	rows = (AsEvent *) copy;

	for (int r = 0; r < n; r++)
	{
		AsEvent    *e = &rows[r];
		Datum		values[AS_EVENTS_COLS];
		bool		nulls[AS_EVENTS_COLS];

		memset(nulls, 0, sizeof(nulls));
		values[0] = TimestampTzGetDatum(e->event_time);
		values[1] = CStringGetTextDatum(as_event_kind_name(e->ev.kind));
		values[2] = as_numeric_datum(e->ev.from_capacity, 1);
		values[3] = as_numeric_datum(e->ev.to_capacity, 1);
		values[4] = CStringGetTextDatum(e->ev.reason);
		values[5] = CStringGetTextDatum(e->ev.detail);
		if (as_event_rds_id(e->ev.kind))
			values[6] = CStringGetTextDatum(as_event_rds_id(e->ev.kind));
		else
			nulls[6] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

#define AS_STATS_COLS 9

Datum
as_get_worker_stats(PG_FUNCTION_ARGS)
{
	AsSnapshot	snap;
	TupleDesc	tupdesc;
	Datum		values[AS_STATS_COLS];
	bool		nulls[AS_STATS_COLS];

	as_take_snapshot(&snap);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum((int64) snap.stats.ticks);
	values[1] = as_numeric_datum(snap.stats.ticks ?
								 snap.stats.total_tick_us / snap.stats.ticks : 0, 1);
	values[2] = as_numeric_datum(snap.stats.max_tick_us, 1);
	values[3] = as_numeric_datum(snap.stats.last_tick_us, 1);
	if (snap.stats.last_tick_at != 0)
		values[4] = TimestampTzGetDatum(snap.stats.last_tick_at);
	else
		nulls[4] = true;
	values[5] = Int32GetDatum((int32) snap.stats.procs_read);
	values[6] = CStringGetTextDatum(snap.stats.proc_available ? "proc" : "sessions");
	if (snap.worker_pid != 0)
		values[7] = Int32GetDatum((int32) snap.worker_pid);
	else
		nulls[7] = true;
	values[8] = Int64GetDatum((int64) snap.stats.state_file_failures);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * describe() returns jsonb shaped like describe-db-clusters' entry for this
 * cluster: the scaling configuration of the engine mode, plus the capacity
 * of the moment.
 */
Datum
as_describe(PG_FUNCTION_ARGS)
{
	AsSnapshot	snap;
	StringInfoData buf;
	bool		first = true;
	bool		inner;

	as_take_snapshot(&snap);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "DBClusterIdentifier", &first);
	escape_json(&buf, as_cluster_identifier());
	as_json_key(&buf, "Engine", &first);
	escape_json(&buf, "aurora-postgresql");
	as_json_key(&buf, "EngineVersion", &first);
	appendStringInfo(&buf, "\"%d.%d\"", PG_VERSION_NUM / 10000,
					 PG_VERSION_NUM % 100);
	as_json_key(&buf, "EngineMode", &first);
	escape_json(&buf, as_aws_engine_mode_name(snap.settings.engine_mode));
	/* AWS's platform version of Serverless v2, a string ("4") */
	if (snap.settings.engine_mode == AS_ENGINE_V2)
	{
		as_json_key(&buf, "ServerlessV2PlatformVersion", &first);
		appendStringInfo(&buf, "\"%d\"", snap.settings.platform_version);
	}
	as_json_key(&buf, "Status", &first);
	escape_json(&buf, as_status_name(snap.policy.state));
	as_json_key(&buf, "Role", &first);
	escape_json(&buf, snap.in_recovery ? "reader" : "writer");
	as_json_key(&buf, "DBClusterMembers", &first);
	as_cluster_describe_members(&buf);

	as_json_key(&buf, snap.settings.engine_mode == AS_ENGINE_V1 ?
				"ScalingConfigurationInfo" : "ServerlessV2ScalingConfiguration",
				&first);
	inner = true;
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "MinCapacity", &inner);
	appendStringInfo(&buf, "%g", snap.settings.min_capacity);
	as_json_key(&buf, "MaxCapacity", &inner);
	appendStringInfo(&buf, "%g", snap.settings.max_capacity);
	if (snap.settings.engine_mode == AS_ENGINE_V1)
	{
		as_json_key(&buf, "TimeoutAction", &inner);
		escape_json(&buf, as_timeout_action_name(snap.settings.timeout_action));
		as_json_key(&buf, "SecondsBeforeTimeout", &inner);
		appendStringInfo(&buf, "%g", snap.settings.seconds_before_timeout);
	}
	if (snap.settings.engine_mode == AS_ENGINE_V1)
	{
		as_json_key(&buf, "AutoPause", &inner);
		appendStringInfoString(&buf, snap.settings.v1_auto_pause ? "true" : "false");
	}
	if (as_auto_pause_enabled(&snap.settings))
	{
		as_json_key(&buf, "SecondsUntilAutoPause", &inner);
		appendStringInfo(&buf, "%g", snap.settings.seconds_until_auto_pause);
	}
	appendStringInfoChar(&buf, '}');

	as_json_key(&buf, "Capacity", &first);
	appendStringInfo(&buf, "%g", snap.policy.capacity);
	as_json_key(&buf, "ServerlessDatabaseCapacity", &first);
	appendStringInfo(&buf, "%g", snap.policy.capacity);
	as_json_key(&buf, "TargetCapacity", &first);
	appendStringInfo(&buf, "%g", snap.policy.target);
	as_json_key(&buf, "MaxConnections", &first);
	appendStringInfo(&buf, "%d", as_snapshot_max_connections(&snap));

	/* the CPU limit: in force, or why not, and what the machine has */
	as_json_key(&buf, "CpuLimit", &first);
	inner = true;
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "Enforced", &inner);
	appendStringInfoString(&buf, snap.cpu_enforced ? "true" : "false");
	if (snap.cpu_enforced)
	{
		as_json_key(&buf, "Cgroup", &inner);
		escape_json(&buf, snap.cpu_cgroup_dir);
		as_json_key(&buf, "LimitVcpus", &inner);
		appendStringInfo(&buf, "%g", snap.cpu_limit_vcpus);
	}
	else if (snap.cpu_problem[0])
	{
		as_json_key(&buf, "Problem", &inner);
		escape_json(&buf, snap.cpu_problem);
	}
	as_json_key(&buf, "MachineVcpus", &inner);
	appendStringInfo(&buf, "%d", snap.machine_vcpus > 0 ? snap.machine_vcpus :
					 as_machine_vcpus());
	if (snap.settings.max_capacity * snap.settings.vcpus_per_acu >
		(snap.machine_vcpus > 0 ? snap.machine_vcpus : as_machine_vcpus()))
	{
		as_json_key(&buf, "Note", &inner);
		escape_json(&buf, psprintf("max_capacity %g ACU buys %g vCPUs but this machine has %d: the limit stops at %d",
								   snap.settings.max_capacity,
								   snap.settings.max_capacity * snap.settings.vcpus_per_acu,
								   as_machine_vcpus(), as_machine_vcpus()));
	}
	appendStringInfoChar(&buf, '}');
	/* the emulation cannot hold where PostgreSQL allows fewer connections */
	if (MaxConnections < as_snapshot_max_connections(&snap))
	{
		as_json_key(&buf, "Warnings", &first);
		appendStringInfoChar(&buf, '[');
		escape_json(&buf, psprintf("PostgreSQL's max_connections is %d, below the derived max_connections %d: connections beyond %d are refused by PostgreSQL itself",
								   MaxConnections, as_snapshot_max_connections(&snap),
								   MaxConnections));
		appendStringInfoChar(&buf, ']');
	}
	/* a static parameter: a new max applies at the next restart */
	if (as_snapshot_pending_max_connections(&snap) !=
		as_snapshot_max_connections(&snap))
	{
		as_json_key(&buf, "PendingModifiedValues", &first);
		inner = true;
		appendStringInfoChar(&buf, '{');
		as_json_key(&buf, "MaxConnections", &inner);
		appendStringInfo(&buf, "%d", as_snapshot_pending_max_connections(&snap));
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, '}');

	PG_RETURN_DATUM(as_jsonb_from_buf(&buf));
}

/* max_connections_for(max_capacity numeric, min_capacity numeric DEFAULT 1) */
Datum
as_max_connections_for_sql(PG_FUNCTION_ARGS)
{
	double		max_capacity;
	double		min_capacity;

	/* a pure function of its arguments: no need of the library preloaded */
	max_capacity = as_numeric_arg(fcinfo, 0, "max_capacity");
	min_capacity = as_numeric_arg(fcinfo, 1, "min_capacity");
	as_check_range_or_error(AS_ENGINE_V2, min_capacity, max_capacity);
	PG_RETURN_INT32(as_max_connections_for(max_capacity, min_capacity));
}

/*
 * buffer_pool_for(capacity numeric) returns numeric: the GiB of buffer pool
 * Aurora gives an instance of that capacity (0.5 .. 256 ACU).
 */
Datum
as_buffer_pool_for_sql(PG_FUNCTION_ARGS)
{
	double		capacity = as_numeric_arg(fcinfo, 0, "capacity");

	if (capacity < AS_V2_MIN_AWAKE || capacity > AS_V2_MAX_CAPACITY ||
		!as_is_step_multiple(capacity))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity must be a multiple of 0.5 between 0.5 and 256 ACUs"),
				 errdetail("Got %g.", capacity)));
	PG_RETURN_DATUM(as_numeric_datum(as_buffer_pool_bytes(capacity) / AS_BYTES_PER_GIB, 3));
}

#define AS_BLOCKERS_COLS 8

/*
 * Put blockers into an SRF's result, one row each.  Details of other
 * users' sessions follow pg_stat_activity's rules.
 */
static void
as_put_blockers(ReturnSetInfo *rsinfo, AsBlocker *found, int n)
{
	bool		read_all = has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS);

	for (int r = 0; r < n; r++)
	{
		AsBlocker  *b = &found[r];
		Datum		values[AS_BLOCKERS_COLS];
		bool		nulls[AS_BLOCKERS_COLS];
		bool		visible = read_all ||
		(OidIsValid(b->userid) && has_privs_of_role(GetUserId(), b->userid));
		char	   *name;

		memset(nulls, 0, sizeof(nulls));
		/* pid 0: no session, such as logical replication enabled */
		values[0] = Int32GetDatum(b->pid);
		nulls[0] = b->pid == 0;
		name = OidIsValid(b->userid) ? GetUserNameFromId(b->userid, true) : NULL;
		if (name)
			values[1] = CStringGetTextDatum(name);
		else
			nulls[1] = true;
		name = OidIsValid(b->datid) ? get_database_name(b->datid) : NULL;
		if (name)
			values[2] = CStringGetTextDatum(name);
		else
			nulls[2] = true;
		values[3] = CStringGetTextDatum(b->application_name);
		nulls[3] = b->pid == 0;
		values[4] = CStringGetTextDatum(as_blocker_kind_name(b->kind));
		if (visible)
		{
			values[5] = CStringGetTextDatum(b->detail);
			if (b->since != 0)
				values[6] = TimestampTzGetDatum(b->since);
			else
				nulls[6] = true;
		}
		else
		{
			values[5] = CStringGetTextDatum("<insufficient privilege>");
			nulls[6] = true;
		}
		values[7] = CStringGetTextDatum(as_blocker_hint(b->kind));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/*
 * The sessions whose constructs block a scaling point (v1) or a pause, one
 * row per kind of construct per session.
 */
Datum
as_get_scaling_blockers(PG_FUNCTION_ARGS)
{
	int			max;
	int			n;
	AsBlocker  *found;

	as_require_loaded();
	as_init_materialized_srf(fcinfo);
	max = as_shared->nslots * AS_BLOCKER_NKINDS;
	found = palloc(sizeof(AsBlocker) * max);
	n = Min(as_scan_blockers(found, max, GetCurrentTimestamp(),
							 as_guc_long_query_threshold,
							 as_guc_long_transaction_threshold), max);
	as_put_blockers((ReturnSetInfo *) fcinfo->resultinfo, found, n);
	return (Datum) 0;
}

/*
 * What keeps the instance from pausing now: connections whose role is not
 * ignored, and the scaling blockers.  When auto-pause is off, a first row
 * with no pid says so.
 */
Datum
as_get_pause_blockers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsSnapshot	snap;
	int			max;
	int			n;
	AsBlocker  *found;

	as_take_snapshot(&snap);
	as_init_materialized_srf(fcinfo);
	if (!as_auto_pause_enabled(&snap.settings))
	{
		Datum		values[AS_BLOCKERS_COLS];
		bool		nulls[AS_BLOCKERS_COLS];

		memset(nulls, true, sizeof(nulls));
		values[4] = CStringGetTextDatum("auto_pause_off");
		nulls[4] = false;
		values[5] = CStringGetTextDatum(snap.settings.engine_mode == AS_ENGINE_V1 ?
										"aurora_serverless.auto_pause is off" :
										psprintf("min_capacity is %g; Serverless v2 pauses only with min_capacity 0",
												 snap.settings.min_capacity));
		nulls[5] = false;
		values[7] = CStringGetTextDatum(snap.settings.engine_mode == AS_ENGINE_V1 ?
										"Set aurora_serverless.auto_pause = on." :
										"Set min_capacity to 0 with aurora_serverless.modify_capacity(0, max).");
		nulls[7] = false;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	max = as_shared->nslots * AS_BLOCKER_NKINDS;
	found = palloc(sizeof(AsBlocker) * max);
	n = Min(as_scan_pause_blockers(found, max, GetCurrentTimestamp(), 0), max);
	as_put_blockers(rsinfo, found, n);
	return (Datum) 0;
}
