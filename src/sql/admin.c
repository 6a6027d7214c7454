/*-------------------------------------------------------------------------
 *
 * admin.c
 *		modify_capacity(): AWS's ModifyDBCluster for the scaling
 *		configuration (the range, and SecondsUntilAutoPause);
 *		modify_current_capacity(): AWS's
 *		ModifyCurrentDBClusterCapacity for v1.
 *
 * A call validates its arguments as AWS does; when its transaction has
 * committed (and only then), the range is put in force in shared memory,
 * recorded as a config_change event, and left for the worker to write to
 * postgresql.auto.conf (autoconf.c) and signal a reload.  So the change
 * applies at once, survives a restart, shows in SHOW and pg_settings once
 * written (within a sample), and is undone by a rollback or a failed commit.
 * A refused call changes nothing.
 *
 * pause() and resume() act at once: they ask the worker and wait for it.
 *
 * modify_current_capacity() asks the worker, at commit, to move a v1
 * instance to a capacity: the worker searches for a scaling point and
 * applies, rolls back or forces the change as the call says.
 *
 * Permission is the EXECUTE grant on the function (revoked from PUBLIC by
 * the install script), as for pg_stat_statements_reset(); the settings file
 * is written with the bootstrap superuser's rights.
 *
 * This file must not know the sampler or the policy's rules.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "utils/timestamp.h"

#include "admin.h"
#include "autoconf.h"
#include "blockers.h"
#include "sqlutil.h"
#include "state.h"
#include "worker.h"

PG_FUNCTION_INFO_V1(as_modify_capacity);
PG_FUNCTION_INFO_V1(as_modify_current_capacity);
PG_FUNCTION_INFO_V1(as_pause);
PG_FUNCTION_INFO_V1(as_resume);

/* Changes waiting for their transaction to commit. */
typedef struct AsPendingChange
{
	bool		pending;		/* either below */
	SubTransactionId subid;		/* subtransaction that made the last one */
	bool		has_range;
	double		min_capacity;
	double		max_capacity;
	bool		has_pause;		/* seconds_until_auto_pause given */
	int			seconds_until_auto_pause;
	bool		has_request;
	double		request_capacity;
	double		request_timeout;
	AsTimeoutAction request_action;
} AsPendingChange;

static AsPendingChange as_pending;

/*
 * At commit, once nothing can undo it: put the range in force, record it,
 * leave it for the worker to write to postgresql.auto.conf, and hand a v1
 * capacity request to the worker.  Runs in a commit callback, where an error
 * would come too late to abort the transaction: it only takes the lock and
 * copies values.  A range that the engine mode in force no longer accepts
 * (the mode changed since the call) is recorded as config_rejected instead.
 */
static void
as_apply_committed(void)
{
	AsPolicySettings after;
	AsCheckResult check;
	AsPolicyEvent ev;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_pending.has_request)
	{
		as_shared->request_pending = true;
		as_shared->request_capacity = as_pending.request_capacity;
		as_shared->request_timeout = as_pending.request_timeout;
		as_shared->request_action = as_pending.request_action;
	}
	if (as_pending.has_range)
	{
		after = as_shared->settings;
		after.min_capacity = as_pending.min_capacity;
		after.max_capacity = as_pending.max_capacity;
		if (as_pending.has_pause)
			after.seconds_until_auto_pause = as_pending.seconds_until_auto_pause;
		memset(&ev, 0, sizeof(ev));
		ev.from_capacity = ev.to_capacity = as_shared->policy.capacity;
		strlcpy(ev.reason, "modify_capacity", sizeof(ev.reason));
		if (!as_check_capacity_range(after.engine_mode, after.min_capacity,
									 after.max_capacity, &check))
		{
			ev.kind = AS_EVENT_CONFIG_REJECTED;
			snprintf(ev.detail, sizeof(ev.detail), "%s: %s", check.message,
					 check.detail);
			as_push_event(GetCurrentTimestamp(), &ev);
		}
		else
		{
			ev.kind = AS_EVENT_CONFIG_CHANGE;
			if (as_settings_describe_change(&as_shared->settings, &after,
											ev.detail, sizeof(ev.detail)))
				as_push_event(GetCurrentTimestamp(), &ev);
			as_shared->settings = after;
			as_autoconf_post(after.min_capacity, after.max_capacity,
							 as_pending.has_pause ?
							 as_pending.seconds_until_auto_pause : -1);
		}
		as_shared->flush_requested = true;
	}
	LWLockRelease(as_shared->lock);
	as_wake_worker();
}

static void
as_xact_callback(XactEvent event, void *arg)
{
	if (!as_pending.pending)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_PREPARE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot PREPARE a transaction that has called %s",
							as_pending.has_range ?
							"aurora_serverless.modify_capacity()" :
							"aurora_serverless.modify_current_capacity()")));
			break;
		case XACT_EVENT_COMMIT:
			as_apply_committed();
			memset(&as_pending, 0, sizeof(as_pending));
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			memset(&as_pending, 0, sizeof(as_pending));
			break;
		default:
			break;
	}
}

static void
as_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (!as_pending.pending || as_pending.subid != mySubid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		memset(&as_pending, 0, sizeof(as_pending));
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		as_pending.subid = parentSubid;
}

void
as_admin_install_callbacks(void)
{
	RegisterXactCallback(as_xact_callback, NULL);
	RegisterSubXactCallback(as_subxact_callback, NULL);
}

/*
 * modify_capacity(min_capacity numeric, max_capacity numeric
 * [, seconds_until_auto_pause int]) returns jsonb
 *
 * Returns the scaling configuration that will be in force once the
 * transaction commits.  The form with three arguments also sets AWS's
 * SecondsUntilAutoPause (NULL: as it is), in the range of the setting.
 */
Datum
as_modify_capacity(PG_FUNCTION_ARGS)
{
	double		min_capacity;
	double		max_capacity;
	int			pause_seconds = -1;
	AsEngineMode mode;
	AsPolicySettings settings;
	StringInfoData buf;
	bool		first = true;

	as_require_loaded();
	min_capacity = as_numeric_arg(fcinfo, 0, "min_capacity");
	max_capacity = as_numeric_arg(fcinfo, 1, "max_capacity");
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		pause_seconds = PG_GETARG_INT32(2);
		if (pause_seconds < 1 || pause_seconds > 86400)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("seconds_until_auto_pause must be between 1 and 86400"),
					 errdetail("Got %d.", pause_seconds),
					 errhint("AWS accepts 300 to 86400 seconds; smaller values are allowed here for tests.")));
	}

	LWLockAcquire(as_shared->lock, LW_SHARED);
	settings = as_shared->settings;
	LWLockRelease(as_shared->lock);
	mode = settings.engine_mode;

	as_check_range_or_error(mode, min_capacity, max_capacity);

	/* max_connections is static: a new max applies at the next restart */
	if (mode == AS_ENGINE_V2)
	{
		int			in_force = as_max_connections_in_force(&settings,
														   AS_BASIS_MAX_CAPACITY, 0);
		int			next = as_max_connections_for(max_capacity, min_capacity);

		if (next != in_force)
			ereport(NOTICE,
					(errmsg("the derived max_connections becomes %d at the next server restart",
							next),
					 errdetail("Aurora evaluates max_connections at max_capacity when an instance starts; %d stays in force until then.",
							   in_force)));
	}

	as_pending.pending = true;
	as_pending.subid = GetCurrentSubTransactionId();
	as_pending.has_range = true;
	as_pending.min_capacity = min_capacity;
	as_pending.max_capacity = max_capacity;
	/* a later call of the transaction without one keeps an earlier one's */
	if (pause_seconds >= 0)
	{
		as_pending.has_pause = true;
		as_pending.seconds_until_auto_pause = pause_seconds;
	}

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "EngineMode", &first);
	escape_json(&buf, as_aws_engine_mode_name(mode));
	as_json_key(&buf, "MinCapacity", &first);
	appendStringInfo(&buf, "%g", min_capacity);
	as_json_key(&buf, "MaxCapacity", &first);
	appendStringInfo(&buf, "%g", max_capacity);
	/* the form with three arguments says what it does to the pause too */
	if (PG_NARGS() > 2)
	{
		as_json_key(&buf, "SecondsUntilAutoPause", &first);
		appendStringInfo(&buf, "%d", as_pending.has_pause ?
						 as_pending.seconds_until_auto_pause :
						 (int) settings.seconds_until_auto_pause);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(as_jsonb_from_buf(&buf));
}

/*
 * modify_current_capacity(capacity numeric, seconds_before_timeout int
 * DEFAULT NULL, timeout_action text DEFAULT NULL) returns jsonb
 *
 * v1 only.  NULL timeout and action take the settings in force.
 */
Datum
as_modify_current_capacity(PG_FUNCTION_ARGS)
{
	double		capacity;
	AsPolicySettings settings;
	double		current;
	double		timeout;
	AsTimeoutAction action;
	StringInfoData buf;
	bool		first = true;

	as_require_loaded();
	capacity = as_numeric_arg(fcinfo, 0, "capacity");

	LWLockAcquire(as_shared->lock, LW_SHARED);
	settings = as_shared->settings;
	current = as_shared->policy.capacity;
	LWLockRelease(as_shared->lock);

	if (settings.engine_mode != AS_ENGINE_V1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("modify_current_capacity() applies to engine mode v1"),
				 errdetail("The engine mode in force is %s; Serverless v2 has no current capacity to set.",
						   as_engine_mode_name(settings.engine_mode)),
				 errhint("Set \"aurora_serverless.engine_mode\" to 'v1', or use aurora_serverless.modify_capacity() for v2.")));
	if (as_v1_index(capacity) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid capacity %g for engine mode v1", capacity),
				 errhint("Aurora Serverless v1 for PostgreSQL allows 2, 4, 8, 16, 32, 64, 192 and 384 ACUs.")));
	if (capacity < settings.min_capacity || capacity > settings.max_capacity)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity %g is outside the scaling range", capacity),
				 errdetail("min_capacity is %g and max_capacity is %g.",
						   settings.min_capacity, settings.max_capacity),
				 errhint("Widen the range with aurora_serverless.modify_capacity() first.")));

	timeout = settings.seconds_before_timeout;
	if (!PG_ARGISNULL(1))
	{
		int32		t = PG_GETARG_INT32(1);

		if (t < 1 || t > 600)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("seconds_before_timeout must be between 1 and 600"),
					 errdetail("Got %d.", t),
					 errhint("AWS accepts 60 to 600 seconds; smaller values are allowed here for tests.")));
		timeout = t;
	}
	action = settings.timeout_action;
	if (!PG_ARGISNULL(2))
	{
		action = as_timeout_action_or_error(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	}

	as_pending.pending = true;
	as_pending.subid = GetCurrentSubTransactionId();
	as_pending.has_request = true;
	as_pending.request_capacity = capacity;
	as_pending.request_timeout = timeout;
	as_pending.request_action = action;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "DBClusterIdentifier", &first);
	escape_json(&buf, as_cluster_identifier());
	as_json_key(&buf, "CurrentCapacity", &first);
	appendStringInfo(&buf, "%g", current);
	as_json_key(&buf, "PendingCapacity", &first);
	appendStringInfo(&buf, "%g", capacity);
	as_json_key(&buf, "SecondsBeforeTimeout", &first);
	appendStringInfo(&buf, "%g", timeout);
	as_json_key(&buf, "TimeoutAction", &first);
	escape_json(&buf, as_timeout_action_name(action));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(as_jsonb_from_buf(&buf));
}

/*
 * How long pause() and resume() wait for the worker: a pause is done at the
 * sample after it was initiated; a resume takes resume_delay (at most 60 s).
 */
#define AS_ACTION_WAIT_MS	90000

static void
as_require_worker(void)
{
	pid_t		pid;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	pid = as_shared->worker_pid;
	LWLockRelease(as_shared->lock);
	if (pid == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the aurora_serverless worker is not running"),
				 errhint("The postmaster restarts it within \"aurora_serverless.worker_restart_time\"; see the server log.")));
}

/*
 * Wait until a pause is done (the policy's pause time differs from before)
 * or was cancelled (the instance is active again after pausing), or until
 * a resume is done (the instance is awake).  Returns the state reached, or
 * AS_STATE_PAUSING / AS_STATE_RESUMING when the worker took too long.
 */
static AsInstanceState
as_wait_for_state(bool want_paused, double paused_since_before)
{
	bool		saw_pausing = false;

	for (int waited = 0; waited < AS_ACTION_WAIT_MS; waited += 20)
	{
		AsInstanceState state;
		double		since;

		LWLockAcquire(as_shared->lock, LW_SHARED);
		state = as_shared->policy.state;
		since = as_shared->policy.paused_since;
		LWLockRelease(as_shared->lock);
		if (want_paused)
		{
			if (state == AS_STATE_PAUSED && !(since == paused_since_before))
				return AS_STATE_PAUSED;
			if (state == AS_STATE_PAUSING)
				saw_pausing = true;
			else if (saw_pausing && !AS_STATE_IS_PAUSED(state))
				return AS_STATE_ACTIVE;
		}
		else if (!AS_STATE_IS_PAUSED(state))
			return state;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 20, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	return want_paused ? AS_STATE_PAUSING : AS_STATE_RESUMING;
}

static Datum
as_state_jsonb(void)
{
	StringInfoData buf;
	bool		first = true;
	AsPolicyState st;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	st = as_shared->policy;
	LWLockRelease(as_shared->lock);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "DBClusterIdentifier", &first);
	escape_json(&buf, as_cluster_identifier());
	as_json_key(&buf, "Status", &first);
	escape_json(&buf, as_status_name(st.state));
	as_json_key(&buf, "Capacity", &first);
	appendStringInfo(&buf, "%g", st.capacity);
	appendStringInfoChar(&buf, '}');
	return as_jsonb_from_buf(&buf);
}

/*
 * pause() returns jsonb: pause now, as auto-pause would, when the range
 * allows a pause and no session (other than the caller's) keeps the
 * instance awake; otherwise say why.
 */
Datum
as_pause(PG_FUNCTION_ARGS)
{
	AsPolicyState st;
	AsPolicySettings settings;
	int			max;
	int			n;
	AsBlocker  *found;
	StringInfoData detail;
	char		why[128];
	AsInstanceState reached;

	as_require_loaded();
	as_require_worker();

	LWLockAcquire(as_shared->lock, LW_SHARED);
	st = as_shared->policy;
	settings = as_shared->settings;
	LWLockRelease(as_shared->lock);
	if (AS_STATE_IS_PAUSED(st.state))
	{
		ereport(NOTICE,
				(errmsg("the instance is already paused")));
		PG_RETURN_DATUM(as_state_jsonb());
	}
	if (!as_pause_allowed(&settings, why, sizeof(why)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot pause: the scaling range does not allow a pause"),
				 errdetail("%s", why),
				 errhint("%s", settings.engine_mode == AS_ENGINE_V1 ?
						 "Set \"aurora_serverless.auto_pause\" to on." :
						 "Set min_capacity to 0 with aurora_serverless.modify_capacity(0, max_capacity).")));

	max = as_shared->nslots * AS_BLOCKER_NKINDS;
	found = palloc(sizeof(AsBlocker) * max);
	n = Min(as_scan_pause_blockers(found, max, GetCurrentTimestamp(), MyProcPid),
			max);
	/* logical replication enabled comes first, with no session */
	if (n > 0 && found[0].kind == AS_BLOCKER_LOGICAL_REPLICATION_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot pause: logical replication is enabled"),
				 errdetail("%s, as AWS documents for rds.logical_replication = 1.",
						   found[0].detail),
				 errhint("Set wal_level to replica and restart if no logical replication is needed.")));
	if (n > 0)
	{
		initStringInfo(&detail);
		for (int i = 0; i < n && i < 5; i++)
			appendStringInfo(&detail, "%sPID %d: %s (%s)", i ? "; " : "",
							 found[i].pid, as_blocker_kind_name(found[i].kind),
							 found[i].detail);
		if (n > 5)
			appendStringInfo(&detail, "; and %d more", n - 5);
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_IN_USE),
				 errmsg("cannot pause: %d %s the instance awake", n,
						n == 1 ? "session construct keeps" : "session constructs keep"),
				 errdetail("%s.", detail.data),
				 errhint("End them, or list monitoring roles in \"aurora_serverless.pause_ignore_roles\"; aurora_serverless.pause_blockers shows them all.")));
	}

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->pause_requested = true;
	LWLockRelease(as_shared->lock);
	as_wake_worker();
	reached = as_wait_for_state(true, st.paused_since);
	if (reached == AS_STATE_ACTIVE)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_IN_USE),
				 errmsg("the pause was cancelled: a connection arrived while the instance was pausing"),
				 errdetail("Aurora cancels a pause because of workload (RDS-EVENT-0371); see aurora_serverless.scaling_events.")));
	if (reached != AS_STATE_PAUSED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the instance did not pause within %d s", AS_ACTION_WAIT_MS / 1000),
				 errdetail("See aurora_serverless.scaling_events.")));
	PG_RETURN_DATUM(as_state_jsonb());
}

/* resume() returns jsonb: resume a paused instance now. */
Datum
as_resume(PG_FUNCTION_ARGS)
{
	AsInstanceState state;

	as_require_loaded();
	as_require_worker();

	LWLockAcquire(as_shared->lock, LW_SHARED);
	state = as_shared->policy.state;
	LWLockRelease(as_shared->lock);
	if (state != AS_STATE_PAUSED)
	{
		if (state != AS_STATE_RESUMING)
		{
			ereport(NOTICE,
					(errmsg("the instance is not paused")));
			PG_RETURN_DATUM(as_state_jsonb());
		}
	}
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->resume_requested = true;
	LWLockRelease(as_shared->lock);
	as_wake_worker();
	if (AS_STATE_IS_PAUSED(as_wait_for_state(false, NAN)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the instance did not resume within %d s", AS_ACTION_WAIT_MS / 1000)));
	PG_RETURN_DATUM(as_state_jsonb());
}
