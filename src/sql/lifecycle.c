/*-------------------------------------------------------------------------
 *
 * lifecycle.c
 *		reset(): forget the recorded history, as a new server would start.
 *
 * The history (the metrics ring, the scaling events, the hourly accounting
 * behind usage() and cost) is instance-wide and outlives DROP EXTENSION,
 * which removes SQL objects only; reset() is the way to start it afresh
 * without stopping the server and removing the state file.  It keeps what is
 * not history: the settings, the capacity and state of the moment, the alarm
 * definitions (delete_alarms() removes those) and the cluster's register of
 * readers.  The reset applies when the calling transaction commits, and is
 * undone by a rollback; one config_change event with reason "reset" records
 * it, and the worker writes the state file at its next tick.
 *
 * Permission is the EXECUTE grant (revoked from PUBLIC by the install
 * script), as for pg_stat_statements_reset().
 *
 * This file must not know the sampler, the policy's rules or SQL beyond its
 * one function.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#include "state.h"
#include "worker.h"

PG_FUNCTION_INFO_V1(as_reset);

/* A reset waiting for its transaction to commit, and its subtransaction. */
static bool as_reset_pending = false;
static SubTransactionId as_reset_subid = InvalidSubTransactionId;
static bool as_callbacks_registered = false;

/* At commit: empty the rings and record that they were emptied. */
static void
as_reset_apply(void)
{
	AsPolicyEvent ev;
	uint64		samples;
	uint64		events;
	uint64		hours;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	samples = Min(as_shared->metrics_pos, (uint64) as_shared->metrics_size);
	events = Min(as_shared->events_pos, (uint64) as_shared->events_size);
	hours = Min(as_shared->buckets_pos, (uint64) as_shared->buckets_size);
	as_shared->metrics_pos = 0;
	as_shared->events_pos = 0;
	as_shared->buckets_pos = 0;
	as_event_init(&ev, AS_EVENT_CONFIG_CHANGE, as_shared->policy.capacity,
				  "reset");
	snprintf(ev.detail, sizeof(ev.detail),
			 "recorded history reset: " UINT64_FORMAT " samples, " UINT64_FORMAT
			 " events and " UINT64_FORMAT " hours of accounting forgotten",
			 samples, events, hours);
	as_push_event(GetCurrentTimestamp(), &ev);
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
	as_wake_worker();
}

static void
as_reset_xact_callback(XactEvent event, void *arg)
{
	if (!as_reset_pending)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_PREPARE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot PREPARE a transaction that has called aurora_serverless.reset()")));
			break;
		case XACT_EVENT_COMMIT:
			as_reset_pending = false;
			as_reset_apply();
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			as_reset_pending = false;
			break;
		default:
			break;
	}
}

static void
as_reset_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	if (!as_reset_pending || as_reset_subid != mySubid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		as_reset_pending = false;
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		as_reset_subid = parentSubid;
}

/*
 * reset() returns void
 *
 * Forgets the recorded history when the transaction commits.
 */
Datum
as_reset(PG_FUNCTION_ARGS)
{
	as_require_loaded();
	if (!as_callbacks_registered)
	{
		RegisterXactCallback(as_reset_xact_callback, NULL);
		RegisterSubXactCallback(as_reset_subxact_callback, NULL);
		as_callbacks_registered = true;
	}
	/* a reset already pending belongs to this transaction or a parent */
	if (!as_reset_pending)
	{
		as_reset_pending = true;
		as_reset_subid = GetCurrentSubTransactionId();
	}
	PG_RETURN_VOID();
}
