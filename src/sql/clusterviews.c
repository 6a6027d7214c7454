/*-------------------------------------------------------------------------
 *
 * clusterviews.c
 *		The SQL side of an Aurora cluster: cluster_report(), which a
 *		reader's worker calls on its writer after every sample, and the
 *		cluster_instances and cluster views.
 *
 * A writer keeps one member per reader that reports (at most 15, as AWS
 * allows), in shared memory: its promotion tier, capacity, state,
 * connections, the WAL it had not replayed, and the ACU-seconds it recorded
 * since its first report here (each report carries the reader's total since
 * its worker started, so a repeated or lost report neither counts twice nor
 * loses any).  A member is never dropped: one that stops reporting is shown
 * as stale.  A reader shows itself and its writer as of the last answer.
 *
 * This file must not know the link (libpq) or the policy's rules.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "postmaster/postmaster.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/pg_lsn.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "cluster.h"
#include "compat.h"
#include "guc.h"
#include "sqlutil.h"
#include "text.h"
#include "state.h"
#include "worker.h"

PG_FUNCTION_INFO_V1(as_cluster_report);
PG_FUNCTION_INFO_V1(as_get_cluster_instances);
PG_FUNCTION_INFO_V1(as_get_cluster);
PG_FUNCTION_INFO_V1(as_cluster_remove_reader);

/*
 * Readers that this transaction removes from the register, applied when it
 * commits (with the subtransaction that asked, for ROLLBACK TO).
 */
typedef struct AsRemoval
{
	char		name[AS_INSTANCE_NAME_LEN];
	SubTransactionId subid;
} AsRemoval;

static AsRemoval as_removals[AS_CLUSTER_MAX_READERS];
static int	as_nremovals = 0;
static bool as_removal_callbacks = false;

static void
as_report_arg_range(double v, double lo, double hi, const char *name)
{
	if (!(v >= lo && v <= hi))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %g and %g", name, lo, hi),
				 errdetail("Got %.15g.", v)));
}

/*
 * A place in the register for a new reader: a free one, or else the one
 * of the reader that has been stale the longest, which is removed.  NULL
 * when every reader is live.  The caller holds the lock exclusively.
 */
static AsClusterMember *
as_member_slot_for(const char *name, TimestampTz now)
{
	AsClusterMember *oldest = NULL;
	char		why[AS_INSTANCE_NAME_LEN + 64];

	for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
	{
		AsClusterMember *m = &as_shared->cluster.members[i];

		if (m->instance_name[0] == '\0')
			return m;
		if (as_within_stale_timeout(m->last_report_at, now))
			continue;
		if (oldest == NULL || m->last_report_at < oldest->last_report_at)
			oldest = m;
	}
	if (oldest == NULL)
		return NULL;
	snprintf(why, sizeof(why), "after %.0f s stale, to make room for %s",
			 (double) (now - oldest->last_report_at) / USECS_PER_SEC, name);
	as_cluster_remove_member(oldest, now, why);
	return oldest;
}

/*
 * cluster_report(instance_name, promotion_tier, capacity, state,
 * connections, awake_connections, arrivals, run_started_at, acu_seconds,
 * replay_lsn) returns (writer_name, writer_capacity, writer_state): a
 * reader's report, and the writer's answer.
 */
Datum
as_cluster_report(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {
		"instance_name", "promotion_tier", "capacity", "state", "connections",
		"awake_connections", "arrivals", "run_started_at", "acu_seconds",
		"replay_lsn"
	};
	TupleDesc	tupdesc;
	char	   *name;
	int32		tier;
	double		capacity;
	char	   *state_name;
	AsInstanceState state;
	int32		connections;
	int32		awake;
	int64		arrivals;
	TimestampTz run_started_at;
	double		acu_seconds;
	XLogRecPtr	replay;
	XLogRecPtr	flush;
	TimestampTz now = GetCurrentTimestamp();
	AsClusterMember *m = NULL;
	uint64		new_arrivals = 0;
	bool		joined = false;
	bool		returned = false;
	double		stale_for = 0;
	double		max_capacity;
	char		writer_name[AS_INSTANCE_NAME_LEN];
	double		writer_capacity;
	AsInstanceState writer_state;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	as_require_loaded();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	/*
	 * A reader's link runs as a role with what replication needs: only such a
	 * session is the cluster's own traffic, not counted as a client
	 * (sessions.c).  EXECUTE alone is not enough.
	 */
	if (!superuser() && !has_rolreplication(GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cluster_report() must be called by a role with the REPLICATION attribute"),
				 errdetail("A reader reports to its writer as the role it replicates with."),
				 errhint("Report as a role created with LOGIN REPLICATION and granted EXECUTE on this function.")));
	for (int a = 0; a < lengthof(names); a++)
		as_arg_not_null(fcinfo, a, names[a]);
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this instance is a reader: readers report to the writer"),
				 errhint("Point primary_conninfo, or \"aurora_serverless.writer_conninfo\", at the writer.")));

	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	as_name_or_error("instance_name", name, AS_INSTANCE_NAME_CHARS);
	tier = PG_GETARG_INT32(1);
	as_report_arg_range(tier, 0, 15, "promotion_tier");
	capacity = as_numeric_arg(fcinfo, 2, "capacity");
	as_report_arg_range(capacity, 0, AS_V2_MAX_CAPACITY, "capacity");
	if (capacity * 2 != floor(capacity * 2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity must be a multiple of 0.5 ACU"),
				 errdetail("Got %g.", capacity)));
	state_name = text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (!as_state_by_name(state_name, &state))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown state \"%s\"", as_clip(state_name, 32)),
				 errhint("The states are active, pausing, paused, resuming and scaling.")));
	connections = PG_GETARG_INT32(4);
	awake = PG_GETARG_INT32(5);
	arrivals = PG_GETARG_INT64(6);
	if (connections < 0 || awake < 0 || arrivals < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("connections, awake_connections and arrivals must not be negative")));
	/* no server holds more connections than PostgreSQL's own limit */
	as_report_arg_range(connections, 0, MAX_BACKENDS, "connections");
	as_report_arg_range(awake, 0, connections, "awake_connections");
	run_started_at = PG_GETARG_TIMESTAMPTZ(7);
	if (TIMESTAMP_NOT_FINITE(run_started_at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("run_started_at must be finite")));
	acu_seconds = PG_GETARG_FLOAT8(8);
	as_report_arg_range(acu_seconds, 0, 1e15, "acu_seconds");
	replay = PG_GETARG_LSN(9);
	if (strcmp(name, as_instance_name()) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("instance name \"%s\" is the writer's own", name),
				 errhint("Give each instance its own \"aurora_serverless.instance_name\".")));
	flush = GetFlushRecPtr(NULL);

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	max_capacity = as_shared->settings.max_capacity;
	for (int i = 0; i < AS_CLUSTER_MAX_READERS && m == NULL; i++)
		if (strcmp(as_shared->cluster.members[i].instance_name, name) == 0)
			m = &as_shared->cluster.members[i];
	if (m == NULL)
		m = as_member_slot_for(name, now);
	if (m == NULL)
	{
		LWLockRelease(as_shared->lock);
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("the writer has %d readers already", AS_CLUSTER_MAX_READERS),
				 errdetail("An Aurora cluster has a writer and at most %d readers, and every one of them has reported within \"aurora_serverless.cluster_stale_timeout\".",
						   AS_CLUSTER_MAX_READERS)));
	}
	if (m->instance_name[0] == '\0')
	{
		strlcpy(m->instance_name, name, sizeof(m->instance_name));
		m->first_report_at = now;
		m->run_started_at = run_started_at;
		/* the run before its first report here is not the cluster's */
		m->run_acu_seconds = acu_seconds;
		m->run_arrivals = (uint64) arrivals;
		joined = true;
	}
	if (m->stale)
	{
		returned = true;
		stale_for = (double) (now - m->last_report_at) / USECS_PER_SEC;
		m->stale = false;
	}

	/*
	 * The usage and waking attempts since the last report of this run (a new
	 * run counts from zero).  Usage is believed as far as a reader could have
	 * used it: the time since its last report at the cluster's max capacity;
	 * the rest of a report waits for the next one.
	 */
	if (m->run_started_at != run_started_at)
	{
		m->run_acu_seconds = 0;
		m->run_arrivals = 0;
	}
	if (!joined)
	{
		double		elapsed = Max((double) (now - m->last_report_at) / USECS_PER_SEC, 0);
		double		added = Max(acu_seconds - m->run_acu_seconds, 0);

		added = Min(added, elapsed * max_capacity);
		m->acu_seconds += added;
		m->run_acu_seconds += added;
		if ((uint64) arrivals > m->run_arrivals)
			new_arrivals = (uint64) arrivals - m->run_arrivals;
	}
	m->run_started_at = run_started_at;
	m->run_arrivals = (uint64) arrivals;
	m->promotion_tier = tier;
	/* no instance of the cluster runs above its max */
	m->capacity = Min(capacity, max_capacity);
	m->state = (uint8) state;
	m->connections = connections;
	m->awake_connections = awake;
	m->lag_bytes = flush > replay ? flush - replay : 0;
	m->last_report_at = now;
	/* tier 0 and 1 pause and resume with the writer: their attempts wake it */
	if (tier <= 1 && new_arrivals > 0)
		as_shared->cluster.group_arrivals += (uint32) Min(new_arrivals, 1000);

	if (joined || returned)
	{
		AsPolicyEvent ev;

		as_event_init(&ev, AS_EVENT_READER_JOINED, capacity, "cluster");
		if (joined)
			snprintf(ev.detail, sizeof(ev.detail),
					 "reader %s, promotion tier %d, reports at %g ACU", name, tier,
					 capacity);
		else
			snprintf(ev.detail, sizeof(ev.detail),
					 "reader %s, promotion tier %d, reports again after %.0f s, at %g ACU",
					 name, tier, stale_for, capacity);
		as_push_event(now, &ev);
		as_shared->flush_requested = true;
	}

	strlcpy(writer_name, as_instance_name(), sizeof(writer_name));
	writer_capacity = as_shared->policy.capacity;
	writer_state = as_shared->policy.state;
	LWLockRelease(as_shared->lock);

	if (tier <= 1 && new_arrivals > 0)
		as_wake_worker();

	values[0] = CStringGetTextDatum(writer_name);
	values[1] = as_numeric_datum(writer_capacity, 1);
	values[2] = CStringGetTextDatum(as_state_name(writer_state));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

static void
as_removal_xact_callback(XactEvent event, void *arg)
{
	TimestampTz now;

	if (as_nremovals == 0)
		return;
	if (event != XACT_EVENT_COMMIT)
	{
		if (event == XACT_EVENT_ABORT)
			as_nremovals = 0;
		return;
	}
	/* committed: nothing here may fail */
	now = GetCurrentTimestamp();
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	for (int r = 0; r < as_nremovals; r++)
		for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		{
			AsClusterMember *m = &as_shared->cluster.members[i];

			if (m->instance_name[0] != '\0' &&
				strcmp(m->instance_name, as_removals[r].name) == 0)
				as_cluster_remove_member(m, now, "by cluster_remove_reader()");
		}
	LWLockRelease(as_shared->lock);
	as_nremovals = 0;
}

static void
as_removal_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							SubTransactionId parentSubid, void *arg)
{
	int			k = 0;

	for (int r = 0; r < as_nremovals; r++)
	{
		if (as_removals[r].subid == mySubid && event == SUBXACT_EVENT_ABORT_SUB)
			continue;
		if (as_removals[r].subid == mySubid && event == SUBXACT_EVENT_COMMIT_SUB)
			as_removals[r].subid = parentSubid;
		as_removals[k++] = as_removals[r];
	}
	as_nremovals = k;
}

/*
 * cluster_remove_reader(instance_name): remove a reader from the writer's
 * register when the transaction commits, with a reader_removed event; its
 * usage stays in the cluster's totals.  A reader that reports again joins
 * again: to keep one out, revoke what its role reports with.
 */
Datum
as_cluster_remove_reader(PG_FUNCTION_ARGS)
{
	char	   *name;
	bool		found = false;

	as_require_loaded();
	as_arg_not_null(fcinfo, 0, "instance_name");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this instance is a reader: only a writer keeps a register of readers")));
	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (int i = 0; i < AS_CLUSTER_MAX_READERS && !found; i++)
		found = strcmp(as_shared->cluster.members[i].instance_name, name) == 0 &&
			name[0] != '\0';
	LWLockRelease(as_shared->lock);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("reader \"%s\" is not in this writer's register", as_clip(name, 64)),
				 errhint("The cluster_instances view lists the readers.")));
	for (int r = 0; r < as_nremovals; r++)
		if (strcmp(as_removals[r].name, name) == 0)
			PG_RETURN_VOID();
	if (!as_removal_callbacks)
	{
		RegisterXactCallback(as_removal_xact_callback, NULL);
		RegisterSubXactCallback(as_removal_subxact_callback, NULL);
		as_removal_callbacks = true;
	}
	if (as_nremovals >= AS_CLUSTER_MAX_READERS)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("a transaction removes at most %d readers", AS_CLUSTER_MAX_READERS)));
	strlcpy(as_removals[as_nremovals].name, name, AS_INSTANCE_NAME_LEN);
	as_removals[as_nremovals].subid = GetCurrentSubTransactionId();
	as_nremovals++;
	PG_RETURN_VOID();
}

/* What both views read, copied under the lock. */
typedef struct AsClusterSnapshot
{
	bool		in_recovery;
	AsClusterState c;
	double		capacity;
	AsInstanceState state;
	int			connections;
	TimestampTz last_sample_at;
} AsClusterSnapshot;

static void
as_cluster_snapshot(AsClusterSnapshot *snap)
{
	snap->in_recovery = RecoveryInProgress();
	LWLockAcquire(as_shared->lock, LW_SHARED);
	snap->c = as_shared->cluster;
	snap->capacity = as_shared->policy.capacity;
	snap->state = as_shared->policy.state;
	snap->connections = as_shared->last.connections;
	snap->last_sample_at = as_shared->last.sample_time;
	LWLockRelease(as_shared->lock);
}

static bool
as_member_live(const AsClusterMember *m, TimestampTz now)
{
	return !m->stale && as_within_stale_timeout(m->last_report_at, now);
}

/*
 * The order in which AWS would promote the live readers: the lowest
 * promotion tier, then the largest capacity (then the name, to be stable).
 * Fills rank[] (1-based, 0 for none) for every member.
 */
static void
as_failover_order(const AsClusterState *c, TimestampTz now, int *rank)
{
	int			next = 1;
	bool		taken[AS_CLUSTER_MAX_READERS] = {false};

	for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		rank[i] = 0;
	for (;;)
	{
		int			best = -1;

		for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		{
			const AsClusterMember *m = &c->members[i];
			const AsClusterMember *b = best >= 0 ? &c->members[best] : NULL;

			if (taken[i] || m->instance_name[0] == '\0' || !as_member_live(m, now))
				continue;
			if (b == NULL || m->promotion_tier < b->promotion_tier ||
				(m->promotion_tier == b->promotion_tier &&
				 (m->capacity > b->capacity ||
				  (m->capacity == b->capacity &&
				   strcmp(m->instance_name, b->instance_name) < 0))))
				best = i;
		}
		if (best < 0)
			break;
		taken[best] = true;
		rank[best] = next++;
	}
}

/* One entry of DBClusterMembers, as describe-db-clusters shows it. */
static void
as_json_member(StringInfo buf, const char *name, bool writer, int tier,
			   bool *first)
{
	bool		inner = true;

	if (!*first)
		appendStringInfoString(buf, ", ");
	*first = false;
	appendStringInfoChar(buf, '{');
	as_json_key(buf, "DBInstanceIdentifier", &inner);
	escape_json(buf, name);
	as_json_key(buf, "IsClusterWriter", &inner);
	appendStringInfoString(buf, writer ? "true" : "false");
	if (tier >= 0)
	{
		as_json_key(buf, "PromotionTier", &inner);
		appendStringInfo(buf, "%d", tier);
	}
	appendStringInfoChar(buf, '}');
}

/*
 * describe()'s DBClusterMembers: on a writer, itself and its live readers in
 * failover order; on a reader, its writer (when known) and itself.
 */
void
as_cluster_describe_members(StringInfo buf)
{
	AsClusterSnapshot snap;
	TimestampTz now = GetCurrentTimestamp();
	int			rank[AS_CLUSTER_MAX_READERS];
	bool		first = true;

	as_cluster_snapshot(&snap);
	appendStringInfoChar(buf, '[');
	if (snap.in_recovery)
	{
		if (snap.c.writer_name[0] != '\0')
			as_json_member(buf, snap.c.writer_name, true, -1, &first);
		as_json_member(buf, as_instance_name(), false, as_guc_promotion_tier,
					   &first);
	}
	else
	{
		as_json_member(buf, as_instance_name(), true, as_guc_promotion_tier,
					   &first);
		as_failover_order(&snap.c, now, rank);
		for (int r = 1; r <= AS_CLUSTER_MAX_READERS; r++)
			for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
				if (rank[i] == r)
					as_json_member(buf, snap.c.members[i].instance_name, false,
								   snap.c.members[i].promotion_tier, &first);
	}
	appendStringInfoChar(buf, ']');
}

#define AS_INSTANCE_COLS 11

static void
as_put_instance(ReturnSetInfo *rsinfo, const char *name, const char *role,
				int tier, double capacity, const char *state, int connections,
				TimestampTz last_report_at, int64 lag_bytes, double acu_seconds,
				TimestampTz usage_since, int failover_order)
{
	Datum		values[AS_INSTANCE_COLS];
	bool		nulls[AS_INSTANCE_COLS];

	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(role);
	values[2] = Int32GetDatum(tier);
	nulls[2] = tier < 0;
	values[3] = as_numeric_datum(capacity, 1);
	values[4] = CStringGetTextDatum(state);
	values[5] = Int32GetDatum(connections);
	nulls[5] = connections < 0;
	values[6] = TimestampTzGetDatum(last_report_at);
	nulls[6] = last_report_at == 0;
	values[7] = as_numeric_datum((double) lag_bytes, 0);
	nulls[7] = lag_bytes < 0;
	values[8] = as_numeric_datum(acu_seconds / 3600.0, 6);
	nulls[8] = acu_seconds < 0;
	values[9] = TimestampTzGetDatum(usage_since);
	nulls[9] = usage_since == 0;
	values[10] = Int32GetDatum(failover_order);
	nulls[10] = failover_order <= 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * get_cluster_instances(): on a writer, itself and every reader that has
 * reported (stale ones marked so), in failover order; on a reader, itself
 * and its writer as of the last answer.
 */
Datum
as_get_cluster_instances(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsClusterSnapshot snap;
	TimestampTz now = GetCurrentTimestamp();
	int			rank[AS_CLUSTER_MAX_READERS];
	const char *me = as_instance_name();

	as_require_loaded();
	as_init_materialized_srf(fcinfo);
	as_cluster_snapshot(&snap);

	if (snap.in_recovery)
	{
		const AsClusterState *c = &snap.c;

		if (c->writer_name[0] != '\0')
			as_put_instance(rsinfo, c->writer_name, "writer", -1,
							c->writer_capacity,
							c->link == AS_LINK_CONNECTED &&
							as_within_stale_timeout(c->last_contact_at, now) ?
							as_state_name((AsInstanceState) c->writer_state) :
							"unreachable",
							-1, c->last_contact_at, -1, -1, 0, 0);
		as_put_instance(rsinfo, me, "reader", as_guc_promotion_tier,
						snap.capacity, as_state_name(snap.state),
						snap.connections, snap.last_sample_at, -1,
						c->run_usage.acu_seconds, c->run_started_at, 0);
		return (Datum) 0;
	}

	as_put_instance(rsinfo, me, "writer", as_guc_promotion_tier, snap.capacity,
					as_state_name(snap.state), snap.connections,
					snap.last_sample_at, -1, snap.c.run_usage.acu_seconds,
					snap.c.run_started_at, 0);
	as_failover_order(&snap.c, now, rank);
	for (int r = 1; r <= AS_CLUSTER_MAX_READERS + 1; r++)
		for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		{
			const AsClusterMember *m = &snap.c.members[i];

			/* live readers in failover order, then the stale ones */
			if (m->instance_name[0] == '\0' ||
				(r <= AS_CLUSTER_MAX_READERS ? rank[i] != r : rank[i] != 0))
				continue;
			/* paused or resuming: 0 ACU, whatever it reported */
			as_put_instance(rsinfo, m->instance_name, "reader",
							m->promotion_tier,
							AS_STATE_IS_PAUSED((AsInstanceState) m->state) ?
							0 : m->capacity,
							rank[i] ? as_state_name((AsInstanceState) m->state) :
							"stale",
							m->connections, m->last_report_at,
							(int64) m->lag_bytes, m->acu_seconds,
							m->first_report_at, rank[i]);
		}
	return (Datum) 0;
}

#define AS_CLUSTER_COLS 12

/*
 * get_cluster(): one row.  On a writer, the cluster's totals: instances,
 * the average capacity over the live ones (as CloudWatch's cluster-level
 * ServerlessDatabaseCapacity: a paused or resuming instance counts, at 0
 * ACU), their total, and the usage and cost that
 * cluster_instances adds up.  On a reader, its link to the writer.
 */
Datum
as_get_cluster(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	AsClusterSnapshot snap;
	TimestampTz now = GetCurrentTimestamp();
	Datum		values[AS_CLUSTER_COLS];
	bool		nulls[AS_CLUSTER_COLS];

	as_require_loaded();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	as_cluster_snapshot(&snap);
	memset(nulls, 0, sizeof(nulls));

	values[0] = CStringGetTextDatum(as_instance_name());
	values[1] = CStringGetTextDatum(snap.in_recovery ? "reader" : "writer");
	if (snap.in_recovery)
	{
		values[2] = CStringGetTextDatum(snap.c.writer_name);
		nulls[2] = snap.c.writer_name[0] == '\0';
		values[3] = CStringGetTextDatum(as_link_state_name((AsLinkState) snap.c.link));
		values[4] = TimestampTzGetDatum(snap.c.last_contact_at);
		nulls[4] = snap.c.last_contact_at == 0;
		/* libpq's messages name hosts and users: superusers only */
		values[5] = CStringGetTextDatum(snap.c.link_error);
		nulls[5] = snap.c.link_error[0] == '\0' || !superuser();
		for (int k = 6; k < AS_CLUSTER_COLS; k++)
			nulls[k] = true;
	}
	else
	{
		int			instances = 1;
		int			stale = 0;
		double		total = snap.capacity;
		double		acu_seconds = snap.c.run_usage.acu_seconds +
		snap.c.removed_acu_seconds;

		values[2] = CStringGetTextDatum(as_instance_name());
		values[3] = CStringGetTextDatum("writer");
		nulls[4] = nulls[5] = true;
		for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		{
			const AsClusterMember *m = &snap.c.members[i];

			if (m->instance_name[0] == '\0')
				continue;
			acu_seconds += m->acu_seconds;
			if (!as_member_live(m, now))
			{
				stale++;
				continue;
			}
			/* paused or resuming: counted, at 0 ACU, whatever it reported */
			instances++;
			if (!AS_STATE_IS_PAUSED((AsInstanceState) m->state))
				total += m->capacity;
		}
		values[6] = Int32GetDatum(instances);
		values[7] = Int32GetDatum(stale);
		values[8] = as_numeric_datum(total / instances, 3);
		values[9] = as_numeric_datum(total, 1);
		values[10] = as_numeric_datum(acu_seconds / 3600.0, 6);
		values[11] = as_numeric_datum(acu_seconds / 3600.0 * as_guc_acu_hour_price, 6);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}
