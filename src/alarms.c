/*-------------------------------------------------------------------------
 *
 * alarms.c
 *		CloudWatch metric alarms over the recorded samples: defined by
 *		put_metric_alarm() and delete_alarms() as `aws cloudwatch
 *		put-metric-alarm` and `delete-alarms` define them, shown by the
 *		alarms view, evaluated by the worker at the end of every period, and
 *		announced, at each change of state, by an event and by
 *		NOTIFY aurora_serverless_alarm with a JSON payload shaped like
 *		CloudWatch's alarm message.
 *
 * An alarm looks at evaluation_periods periods of period seconds: ALARM when
 * the statistic of every one of them breaches the threshold, OK when one
 * does not, INSUFFICIENT_DATA when one has no sample (CloudWatch's
 * TreatMissingData "missing").  Definitions apply when their transaction
 * commits, and are kept in the state file.
 *
 * NOTIFY needs a database, which the worker does not connect to: a short
 * lived background worker, the notifier, connects to
 * aurora_serverless.notify_database, sends what is queued and exits.  A
 * reader (hot standby) cannot NOTIFY: its alarms change state and record
 * events, but send nothing.
 *
 * This file must not know the sampler or the policy's rules.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "commands/async.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "alarms.h"
#include "cloudwatch.h"
#include "compat.h"
#include "guc.h"
#include "sqlutil.h"
#include "state.h"
#include "statistics.h"
#include "text.h"

PG_FUNCTION_INFO_V1(as_put_metric_alarm);
PG_FUNCTION_INFO_V1(as_delete_alarms);
PG_FUNCTION_INFO_V1(as_get_alarms);

#define AS_ALARM_CHANNEL	"aurora_serverless_alarm"

/* A failed notifier is tried again after this long. */
#define AS_NOTIFIER_RETRY_S	60

static const char *const as_comparison_names[] = {
	[AS_CMP_GE] = "GreaterThanOrEqualToThreshold",
	[AS_CMP_GT] = "GreaterThanThreshold",
	[AS_CMP_LT] = "LessThanThreshold",
	[AS_CMP_LE] = "LessThanOrEqualToThreshold",
};

/* The words of a comparison in a state reason, as CloudWatch writes them. */
static const char *const as_comparison_words[] = {
	[AS_CMP_GE] = "greater than or equal to",
	[AS_CMP_GT] = "greater than",
	[AS_CMP_LT] = "less than",
	[AS_CMP_LE] = "less than or equal to",
};

static const char *
as_alarm_state_name(AsAlarmState state)
{
	switch (state)
	{
		case AS_ALARM_OK:
			return "OK";
		case AS_ALARM_ALARM:
			return "ALARM";
		case AS_ALARM_INSUFFICIENT_DATA:
			break;
	}
	return "INSUFFICIENT_DATA";
}

static bool
as_breaches(AsComparison cmp, double v, double threshold)
{
	switch (cmp)
	{
		case AS_CMP_GE:
			return v >= threshold;
		case AS_CMP_GT:
			return v > threshold;
		case AS_CMP_LT:
			return v < threshold;
		case AS_CMP_LE:
			return v <= threshold;
	}
	return false;
}

/* --- definitions, applied at commit --------------------------------------- */

/* Changes of this transaction, waiting for its commit. */
typedef struct AsAlarmChange
{
	bool		is_delete;
	SubTransactionId subid;
	AsAlarm		alarm;			/* for a delete, only its name */
} AsAlarmChange;

#define AS_MAX_ALARM_CHANGES	(2 * AS_MAX_ALARMS)

static AsAlarmChange as_changes[AS_MAX_ALARM_CHANGES];
static int	as_nchanges = 0;

static void
as_add_change(const AsAlarmChange *c)
{
	if (as_nchanges >= AS_MAX_ALARM_CHANGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many alarm changes in one transaction"),
				 errdetail("A transaction may put or delete at most %d alarms.",
						   AS_MAX_ALARM_CHANGES)));
	as_changes[as_nchanges++] = *c;
}

static int
as_find_alarm(const char *name)
{
	for (int i = 0; i < AS_MAX_ALARMS; i++)
		if (as_shared->alarms[i].used &&
			strcmp(as_shared->alarms[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * At commit, where nothing may fail: apply the changes in order.  A put
 * that finds no free slot (others filled the table meanwhile) is recorded
 * as config_rejected.
 */
static void
as_apply_alarm_changes(void)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	for (int c = 0; c < as_nchanges; c++)
	{
		const AsAlarmChange *ch = &as_changes[c];
		int			i = as_find_alarm(ch->alarm.name);

		if (ch->is_delete)
		{
			if (i >= 0)
				memset(&as_shared->alarms[i], 0, sizeof(AsAlarm));
			continue;
		}
		if (i < 0)
			for (int k = 0; k < AS_MAX_ALARMS && i < 0; k++)
				if (!as_shared->alarms[k].used)
					i = k;
		if (i < 0)
		{
			AsPolicyEvent ev;

			as_event_init(&ev, AS_EVENT_CONFIG_REJECTED, as_shared->policy.capacity, "put_metric_alarm");
			snprintf(ev.detail, sizeof(ev.detail),
					 "alarm \"%s\" not kept: %d alarms exist already",
					 ch->alarm.name, AS_MAX_ALARMS);
			as_push_event(GetCurrentTimestamp(), &ev);
			continue;
		}
		as_shared->alarms[i] = ch->alarm;
	}
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
}

static void
as_alarm_xact_callback(XactEvent event, void *arg)
{
	if (as_nchanges == 0)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_PREPARE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot PREPARE a transaction that has put or deleted alarms")));
			break;
		case XACT_EVENT_COMMIT:
			as_apply_alarm_changes();
			as_nchanges = 0;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			as_nchanges = 0;
			break;
		default:
			break;
	}
}

static void
as_alarm_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	int			k = 0;

	for (int c = 0; c < as_nchanges; c++)
	{
		if (as_changes[c].subid != mySubid)
			as_changes[k++] = as_changes[c];
		else if (event == SUBXACT_EVENT_COMMIT_SUB)
		{
			as_changes[c].subid = parentSubid;
			as_changes[k++] = as_changes[c];
		}
		else if (event != SUBXACT_EVENT_ABORT_SUB)
			as_changes[k++] = as_changes[c];
	}
	as_nchanges = k;
}

void
as_alarms_install_callbacks(void)
{
	RegisterXactCallback(as_alarm_xact_callback, NULL);
	RegisterSubXactCallback(as_alarm_subxact_callback, NULL);
}

static char *
as_text_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	as_arg_not_null(fcinfo, argno, name);
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * put_metric_alarm(alarm_name, metric_name, statistic, period,
 * evaluation_periods, threshold, comparison_operator): create or replace an
 * alarm, at commit.  A replaced alarm starts again in INSUFFICIENT_DATA.
 */
Datum
as_put_metric_alarm(PG_FUNCTION_ARGS)
{
	AsAlarmChange ch;
	char	   *name = as_text_arg(fcinfo, 0, "alarm_name");
	char	   *cmp;
	int32		evaluation_periods;
	int			existing;
	int			free_slots = 0;
	int			cmp_found = -1;

	as_require_loaded();
	as_name_or_error("alarm_name", name, AS_ALARM_NAME_CHARS);
	memset(&ch, 0, sizeof(ch));
	ch.subid = GetCurrentSubTransactionId();
	strlcpy(ch.alarm.name, name, sizeof(ch.alarm.name));
	ch.alarm.used = true;
	ch.alarm.metric = (uint8) as_cloudwatch_metric_or_error(as_text_arg(fcinfo, 1, "metric_name"));
	ch.alarm.statistic = (uint8) as_statistic_or_error(as_text_arg(fcinfo, 2, "statistic"));
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period, evaluation_periods and threshold must not be null")));
	ch.alarm.period = as_period_or_error(PG_GETARG_INT32(3));
	evaluation_periods = PG_GETARG_INT32(4);
	if (evaluation_periods < 1 ||
		(int64) evaluation_periods * ch.alarm.period > 86400)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evaluation_periods must be at least 1, and evaluation_periods x period at most one day"),
				 errdetail("Got %d periods of %d s.", evaluation_periods,
						   ch.alarm.period)));
	ch.alarm.evaluation_periods = evaluation_periods;
	ch.alarm.threshold = as_number_arg(fcinfo, 5, "threshold");
	cmp = as_text_arg(fcinfo, 6, "comparison_operator");
	for (int i = 0; i < lengthof(as_comparison_names); i++)
		if (strcmp(cmp, as_comparison_names[i]) == 0)
			cmp_found = i;
	if (cmp_found < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown comparison_operator \"%s\"", as_clip(cmp, 64)),
				 errdetail("The comparison operators are GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold and LessThanOrEqualToThreshold.")));
	ch.alarm.comparison = (uint8) cmp_found;
	ch.alarm.state = AS_ALARM_INSUFFICIENT_DATA;
	snprintf(ch.alarm.reason, sizeof(ch.alarm.reason),
			 "Unchecked: Initial alarm creation");
	ch.alarm.state_updated = GetCurrentTimestamp();

	/* the table's room, as far as this transaction can tell */
	LWLockAcquire(as_shared->lock, LW_SHARED);
	existing = as_find_alarm(name);
	for (int i = 0; i < AS_MAX_ALARMS; i++)
		if (!as_shared->alarms[i].used)
			free_slots++;
	LWLockRelease(as_shared->lock);
	for (int c = 0; c < as_nchanges; c++)
		if (!as_changes[c].is_delete)
			free_slots--;
	if (existing < 0 && free_slots <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("too many alarms"),
				 errdetail("An instance keeps at most %d alarms.", AS_MAX_ALARMS),
				 errhint("Delete some with aurora_serverless.delete_alarms().")));
	as_add_change(&ch);
	PG_RETURN_VOID();
}

/* delete_alarms(alarm_names text[]): at commit; every name must exist. */
Datum
as_delete_alarms(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	StringInfoData missing;
	int			nmissing = 0;

	as_require_loaded();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("alarm_names must not be null")));
	arr = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alarm_names must be a one-dimensional array")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n > AS_MAX_ALARMS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alarm_names may name at most %d alarms", AS_MAX_ALARMS)));
	initStringInfo(&missing);
	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (int i = 0; i < n; i++)
	{
		char	   *name;
		bool		pending = false;

		if (nulls[i])
		{
			LWLockRelease(as_shared->lock);
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("alarm_names must not hold null")));
		}
		name = TextDatumGetCString(elems[i]);
		for (int c = 0; c < as_nchanges; c++)
			if (!as_changes[c].is_delete && strcmp(as_changes[c].alarm.name, name) == 0)
				pending = true;
		if (as_find_alarm(name) < 0 && !pending)
		{
			appendStringInfo(&missing, "%s\"%s\"", missing.len ? ", " : "", as_clip(name, 64));
			nmissing++;
		}
	}
	LWLockRelease(as_shared->lock);
	if (missing.len > 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg_plural("alarm %s does not exist",
							   "alarms %s do not exist", nmissing, missing.data),
				 errhint("The alarms view lists the alarms.")));
	for (int i = 0; i < n; i++)
	{
		AsAlarmChange ch;

		memset(&ch, 0, sizeof(ch));
		ch.is_delete = true;
		ch.subid = GetCurrentSubTransactionId();
		strlcpy(ch.alarm.name, TextDatumGetCString(elems[i]), sizeof(ch.alarm.name));
		as_add_change(&ch);
	}
	PG_RETURN_VOID();
}

#define AS_ALARM_COLS 10

/* The alarms and their state; backs the alarms view. */
Datum
as_get_alarms(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsAlarm    *copy;

	as_require_loaded();
	as_init_materialized_srf(fcinfo);
	copy = palloc(sizeof(AsAlarm) * AS_MAX_ALARMS);
	LWLockAcquire(as_shared->lock, LW_SHARED);
	memcpy(copy, as_shared->alarms, sizeof(AsAlarm) * AS_MAX_ALARMS);
	LWLockRelease(as_shared->lock);

	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		AsAlarm    *a = &copy[i];
		Datum		values[AS_ALARM_COLS];
		bool		nulls[AS_ALARM_COLS];

		if (!a->used)
			continue;
		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(a->name);
		values[1] = CStringGetTextDatum(as_metric_cloudwatch_name((AsMetricId) a->metric));
		values[2] = CStringGetTextDatum(as_statistic_name((AsStatistic) a->statistic));
		values[3] = Int32GetDatum(a->period);
		values[4] = Int32GetDatum(a->evaluation_periods);
		values[5] = as_numeric_datum(a->threshold, 6);
		values[6] = CStringGetTextDatum(as_comparison_names[a->comparison]);
		values[7] = CStringGetTextDatum(as_alarm_state_name((AsAlarmState) a->state));
		values[8] = CStringGetTextDatum(a->reason);
		values[9] = TimestampTzGetDatum(a->state_updated);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* --- evaluation, by the worker --------------------------------------------- */

/* Queue the JSON of a state change for the notifier.  Lock held. */
static void
as_queue_notification(const AsAlarm *a, AsAlarmState old, TimestampTz when)
{
	StringInfoData j;
	bool		first = true;
	bool		inner = true;
	AsNotification *slot;

	initStringInfo(&j);
	appendStringInfoChar(&j, '{');
	as_json_key(&j, "AlarmName", &first);
	escape_json(&j, a->name);
	as_json_key(&j, "NewStateValue", &first);
	escape_json(&j, as_alarm_state_name((AsAlarmState) a->state));
	as_json_key(&j, "OldStateValue", &first);
	escape_json(&j, as_alarm_state_name(old));
	as_json_key(&j, "NewStateReason", &first);
	escape_json(&j, a->reason);
	as_json_key(&j, "StateChangeTime", &first);
	escape_json(&j, timestamptz_to_str(when));
	as_json_key(&j, "Trigger", &first);
	appendStringInfoChar(&j, '{');
	as_json_key(&j, "MetricName", &inner);
	escape_json(&j, as_metric_cloudwatch_name((AsMetricId) a->metric));
	as_json_key(&j, "Statistic", &inner);
	escape_json(&j, as_statistic_name((AsStatistic) a->statistic));
	as_json_key(&j, "Period", &inner);
	appendStringInfo(&j, "%d", a->period);
	as_json_key(&j, "EvaluationPeriods", &inner);
	appendStringInfo(&j, "%d", a->evaluation_periods);
	as_json_key(&j, "ComparisonOperator", &inner);
	escape_json(&j, as_comparison_names[a->comparison]);
	as_json_key(&j, "Threshold", &inner);
	appendStringInfo(&j, "%g", a->threshold);
	appendStringInfoString(&j, "}}");

	/* a full queue drops the oldest: the newest state is what matters */
	if (as_shared->notify_head - as_shared->notify_tail >= AS_NOTIFY_QUEUE)
		as_shared->notify_tail++;
	slot = &as_shared->notify_queue[as_shared->notify_head % AS_NOTIFY_QUEUE];
	strlcpy(slot->payload, j.data, sizeof(slot->payload));
	as_shared->notify_head++;
	pfree(j.data);
}

/*
 * Evaluate one alarm over the evaluation_periods periods that end at end,
 * from the samples in rows (oldest first).  Returns the new state, with its
 * reason written in reason.
 */
static AsAlarmState
as_evaluate_alarm(const AsAlarm *a, const AsMetric *rows, int n,
				  TimestampTz end, char *reason, size_t size)
{
	int			np = a->evaluation_periods;
	int64		p = (int64) a->period * USECS_PER_SEC;
	TimestampTz start = end - np * p;
	AsStats    *stats = palloc(sizeof(AsStats) * np);
	int			breaching = 0;
	int			missing = 0;
	StringInfoData points;

	for (int k = 0; k < np; k++)
		as_stats_init(&stats[k]);
	/* the ring is oldest first: walk back from the newest */
	for (int i = n - 1; i >= 0 && rows[i].sample_time >= start; i--)
	{
		if (rows[i].sample_time >= end)
			continue;
		as_stats_add(&stats[(rows[i].sample_time - start) / p],
					 as_metric_value(&rows[i], (AsMetricId) a->metric));
	}
	initStringInfo(&points);
	for (int k = np - 1; k >= 0; k--)
	{
		double		v = as_stats_get(&stats[k], (AsStatistic) a->statistic);

		if (stats[k].n == 0)
		{
			missing++;
			continue;
		}
		if (as_breaches((AsComparison) a->comparison, v, a->threshold))
			breaching++;
		appendStringInfo(&points, "%s%g", points.len ? ", " : "",
						 round(v * 1000) / 1000);
	}
	if (missing > 0)
	{
		snprintf(reason, size, "Insufficient Data: %d datapoint%s %s unknown.",
				 missing, missing == 1 ? "" : "s", missing == 1 ? "was" : "were");
		return AS_ALARM_INSUFFICIENT_DATA;
	}
	snprintf(reason, size,
			 "Threshold Crossed: %d datapoint%s [%s] %s %s%s the threshold (%g).",
			 np, np == 1 ? "" : "s", points.data, np == 1 ? "was" : "were",
			 breaching == np ? "" : (np == 1 ? "not " : "not all "),
			 as_comparison_words[a->comparison], a->threshold);
	return breaching == np ? AS_ALARM_ALARM : AS_ALARM_OK;
}

/*
 * In the worker, after a sample: evaluate each alarm whose period has ended
 * since it was last evaluated; record each change of state as an event and
 * queue it for the notifier.
 */
void
as_alarms_evaluate(TimestampTz now)
{
	void	   *copy = NULL;
	int			n = 0;
	bool		any_due = false;
	bool		changed = false;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (int i = 0; i < AS_MAX_ALARMS; i++)
		if (as_shared->alarms[i].used &&
			as_period_start(now, as_shared->alarms[i].period) >
			as_shared->alarms[i].evaluated_to)
			any_due = true;
	if (any_due)
		n = as_ring_copy_palloc(&copy, as_metrics, sizeof(AsMetric),
								as_shared->metrics_pos, as_shared->metrics_size);
	LWLockRelease(as_shared->lock);
	if (!any_due)
		return;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		AsAlarm    *a = &as_shared->alarms[i];
		TimestampTz end;
		AsAlarmState old;
		AsAlarmState next;
		char		reason[AS_ALARM_REASON_LEN];

		if (!a->used)
			continue;
		end = as_period_start(now, a->period);
		if (end <= a->evaluated_to)
			continue;
		a->evaluated_to = end;
		old = (AsAlarmState) a->state;
		next = as_evaluate_alarm(a, (AsMetric *) copy, n, end, reason,
								 sizeof(reason));
		strlcpy(a->reason, reason, sizeof(a->reason));
		if (next == old)
			continue;
		a->state = (uint8) next;
		a->state_updated = now;
		{
			AsPolicyEvent ev;

			as_event_init(&ev, AS_EVENT_ALARM, as_shared->policy.capacity, as_alarm_state_name(next));
			snprintf(ev.detail, sizeof(ev.detail), "%s: %s -> %s: %s", a->name,
					 as_alarm_state_name(old), as_alarm_state_name(next), reason);
			as_push_event(now, &ev);
		}
		if (!RecoveryInProgress())
			as_queue_notification(a, old, now);
		changed = true;
	}
	if (changed)
		as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
	if (copy)
		pfree(copy);
}

/* --- the notifier ---------------------------------------------------------- */

/*
 * In the worker: start a notifier when state changes wait for one and none
 * runs (and none failed in the last minute).
 */
void
as_alarms_start_notifier(void)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	bool		start;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	start = as_shared->notify_head != as_shared->notify_tail &&
		!as_shared->notifier_running &&
		(as_shared->notifier_failed_at == 0 ||
		 TimestampDifferenceExceeds(as_shared->notifier_failed_at,
									GetCurrentTimestamp(),
									AS_NOTIFIER_RETRY_S * 1000));
	if (start)
		as_shared->notifier_running = true;
	LWLockRelease(as_shared->lock);
	if (!start)
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, "aurora_serverless", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "as_notifier_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "aurora_serverless notifier", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "aurora_serverless notifier", BGW_MAXLEN);
	worker.bgw_notify_pid = 0;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		as_shared->notifier_running = false;
		as_shared->notifier_failed_at = GetCurrentTimestamp();
		LWLockRelease(as_shared->lock);
		ereport(LOG,
				(errmsg("aurora_serverless: could not start the alarm notifier"),
				 errhint("Raise max_worker_processes.")));
	}
}

/* The notifier leaves: a clean exit or a failure (no such database, say). */
static void
as_notifier_exit(int code, Datum arg)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->notifier_running = false;
	if (code != 0)
		as_shared->notifier_failed_at = GetCurrentTimestamp();
	LWLockRelease(as_shared->lock);
}

/* The notifier: NOTIFY each queued state change, then exit. */
void
as_notifier_main(Datum main_arg)
{
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	before_shmem_exit(as_notifier_exit, (Datum) 0);
	BackgroundWorkerInitializeConnection(as_guc_notify_database, NULL, 0);

	while (!ShutdownRequestPending)
	{
		AsNotification batch[AS_NOTIFY_QUEUE];
		int			n = 0;

		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		while (as_shared->notify_tail != as_shared->notify_head)
			batch[n++] = as_shared->notify_queue[as_shared->notify_tail++ % AS_NOTIFY_QUEUE];
		if (n == 0)
			as_shared->notifier_running = false;
		LWLockRelease(as_shared->lock);
		if (n == 0)
			break;
		StartTransactionCommand();
		for (int i = 0; i < n; i++)
			Async_Notify(AS_ALARM_CHANNEL, batch[i].payload);
		CommitTransactionCommand();
	}
	proc_exit(0);
}
