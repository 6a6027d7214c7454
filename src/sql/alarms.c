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
 * TreatMissingData "missing").  Periods, evaluation periods and the number
 * of alarms follow CloudWatch's PutMetricAlarm rules, with its error names.
 * Definitions apply when their transaction commits, and are kept in the
 * state file; a put holds the alarm's slot from the call, so one that
 * succeeded is never lost at its commit.
 *
 * The worker evaluates from windows it keeps up to date sample by sample
 * (see "evaluation" below): bounded work per tick, none of it under the
 * exclusive lock but the writing back of results.
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
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
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
PG_FUNCTION_INFO_V1(as_set_alarm_state);
PG_FUNCTION_INFO_V1(as_get_alarms);

#define AS_ALARM_CHANNEL	"aurora_serverless_alarm"

/* A failed notifier is tried again after this long. */
#define AS_NOTIFIER_RETRY_S	60

/*
 * CloudWatch's longest evaluation: EvaluationPeriods x Period at most one
 * day for a period under an hour, seven days for longer ones.
 */
#define AS_ALARM_LONG_PERIOD	3600
#define AS_ALARM_SHORT_SPAN		86400
#define AS_ALARM_LONG_SPAN		604800

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

/*
 * Changes of this transaction, waiting for its commit.  A put holds an alarm
 * slot from the call to the end of its transaction (hold): the slot of the
 * alarm it replaces, or a free one for a new alarm.  A held slot is given to
 * no other alarm, even when another transaction deletes the alarm in it
 * meanwhile, so the commit always finds room; a put that finds no slot to
 * hold fails at once, as CloudWatch answers LimitExceeded.  A put of a name
 * that an earlier put of this transaction holds a slot for holds none: the
 * earlier change outlives it (a savepoint rolled back drops the later
 * changes first).
 */
typedef struct AsAlarmChange
{
	bool		is_delete;
	bool		is_set_state;	/* set_alarm_state(): alarm.state, .reason */
	SubTransactionId subid;
	int			hold;			/* slot held until the transaction ends, or -1 */
	AsAlarm		alarm;			/* for a delete, only its name */
} AsAlarmChange;

#define AS_MAX_ALARM_CHANGES	(2 * AS_MAX_ALARMS)

static AsAlarmChange as_changes[AS_MAX_ALARM_CHANGES];
static int	as_nchanges = 0;

static void as_queue_notification(const AsAlarm *a, AsAlarmState old,
								  TimestampTz when);
static void as_copy_clipped(char *dst, size_t size, const char *src);

static int
as_find_alarm(const char *name)
{
	for (int i = 0; i < AS_MAX_ALARMS; i++)
		if (as_shared->alarms[i].used &&
			strcmp(as_shared->alarms[i].name, name) == 0)
			return i;
	return -1;
}

/* The slot this transaction's changes hold for a name, or -1. */
static int
as_held_slot(const char *name)
{
	for (int c = 0; c < as_nchanges; c++)
		if (!as_changes[c].is_delete && as_changes[c].hold >= 0 &&
			strcmp(as_changes[c].alarm.name, name) == 0)
			return as_changes[c].hold;
	return -1;
}

/* Give back the slots these changes hold.  Lock held exclusively. */
static void
as_release_holds(const AsAlarmChange *changes, int n)
{
	for (int c = 0; c < n; c++)
	{
		int			i = changes[c].hold;

		if (i >= 0 && as_shared->alarm_holds[i] > 0)
			as_shared->alarm_holds[i]--;
	}
}

/*
 * At commit, where nothing may fail: apply the changes in order, then give
 * back the slots they held.  A put whose alarm is gone (another
 * transaction deleted it meanwhile) goes back into the slot it held.
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
		if (ch->is_set_state)
		{
			AsAlarm    *a;
			AsAlarmState old;
			TimestampTz now = GetCurrentTimestamp();

			/* deleted since: nothing to set */
			if (i < 0)
				continue;
			a = &as_shared->alarms[i];
			old = (AsAlarmState) a->state;
			strlcpy(a->reason, ch->alarm.reason, sizeof(a->reason));
			a->state_updated = now;
			if (ch->alarm.state != old)
			{
				AsPolicyEvent ev;

				a->state = ch->alarm.state;
				as_event_init(&ev, AS_EVENT_ALARM, as_shared->policy.capacity,
							  as_alarm_state_name((AsAlarmState) a->state));
				snprintf(ev.detail, sizeof(ev.detail), "%s: %s -> %s: %s", a->name,
						 as_alarm_state_name(old),
						 as_alarm_state_name((AsAlarmState) a->state), a->reason);
				as_push_event(now, &ev);
				if (!RecoveryInProgress())
					as_queue_notification(a, old, now);
			}
			continue;
		}
		if (i < 0)
		{
			i = as_held_slot(ch->alarm.name);
			if (i >= 0 && as_shared->alarms[i].used)
				i = -1;
		}
		if (i < 0)
		{
			/* cannot happen: every put holds a slot for its name */
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
	as_release_holds(as_changes, as_nchanges);
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
}

/* The transaction ends without applying its changes. */
static void
as_drop_alarm_changes(void)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_release_holds(as_changes, as_nchanges);
	LWLockRelease(as_shared->lock);
	as_nchanges = 0;
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
			as_drop_alarm_changes();
			break;
		default:
			break;
	}
}

/*
 * A savepoint released: its changes become its parent's.  Rolled back: they
 * are dropped, and the slots they held given back.
 */
static void
as_alarm_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	int			dropped[AS_MAX_ALARM_CHANGES];	/* slots they held */
	int			ndropped = 0;
	int			k = 0;

	if (as_nchanges == 0)
		return;
	for (int c = 0; c < as_nchanges; c++)
	{
		if (as_changes[c].subid != mySubid)
			as_changes[k++] = as_changes[c];
		else if (event == SUBXACT_EVENT_COMMIT_SUB)
		{
			as_changes[c].subid = parentSubid;
			as_changes[k++] = as_changes[c];
		}
		else if (event == SUBXACT_EVENT_ABORT_SUB)
		{
			if (as_changes[c].hold >= 0)
				dropped[ndropped++] = as_changes[c].hold;
		}
		else
			as_changes[k++] = as_changes[c];
	}
	as_nchanges = k;
	if (ndropped > 0)
	{
		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		for (int d = 0; d < ndropped; d++)
			if (as_shared->alarm_holds[dropped[d]] > 0)
				as_shared->alarm_holds[dropped[d]]--;
		LWLockRelease(as_shared->lock);
	}
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
 * CloudWatch's rules for an alarm's periods (PutMetricAlarm): a Period of
 * 10, 20, 30 or a multiple of 60 seconds, at least one evaluation period,
 * and EvaluationPeriods x Period at most one day when the period is under
 * an hour, at most seven days otherwise.  CloudWatch answers ValidationError
 * to anything else.
 */
static void
as_check_alarm_periods(int32 period, int32 evaluation_periods)
{
	int64		span;
	int64		max_span;

	if (period < 1 ||
		!(period == 10 || period == 20 || period == 30 || period % 60 == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be 10, 20, 30 or a multiple of 60 seconds"),
				 errdetail("Got %d. CloudWatch's PutMetricAlarm answers ValidationError to any other period.",
						   period)));
	if (evaluation_periods < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evaluation_periods must be at least 1"),
				 errdetail("Got %d. CloudWatch's PutMetricAlarm answers ValidationError.",
						   evaluation_periods)));
	span = (int64) evaluation_periods * period;
	max_span = period < AS_ALARM_LONG_PERIOD ? AS_ALARM_SHORT_SPAN : AS_ALARM_LONG_SPAN;
	if (span > max_span)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evaluation_periods x period must be at most %s",
						period < AS_ALARM_LONG_PERIOD ? "one day (86400 s) for a period under one hour" :
						"seven days (604800 s)"),
				 errdetail("Got %d periods of %d s: " INT64_FORMAT " s. CloudWatch's PutMetricAlarm answers ValidationError.",
						   evaluation_periods, period, span)));
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
	int			cmp_found = -1;

	as_require_loaded();
	as_name_or_error("alarm_name", name, AS_ALARM_NAME_CHARS);
	memset(&ch, 0, sizeof(ch));
	ch.subid = GetCurrentSubTransactionId();
	ch.hold = -1;
	strlcpy(ch.alarm.name, name, sizeof(ch.alarm.name));
	ch.alarm.used = true;
	ch.alarm.metric = (uint8) as_cloudwatch_metric_or_error(as_text_arg(fcinfo, 1, "metric_name"));
	ch.alarm.statistic = (uint8) as_statistic_or_error(as_text_arg(fcinfo, 2, "statistic"));
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period, evaluation_periods and threshold must not be null")));
	as_check_alarm_periods(PG_GETARG_INT32(3), PG_GETARG_INT32(4));
	ch.alarm.period = PG_GETARG_INT32(3);
	ch.alarm.evaluation_periods = PG_GETARG_INT32(4);
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
	if (as_nchanges >= AS_MAX_ALARM_CHANGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many alarm changes in one transaction"),
				 errdetail("A transaction may put or delete at most %d alarms.",
						   AS_MAX_ALARM_CHANGES)));

	/*
	 * Hold a slot until the transaction ends: the alarm's own, or a free one
	 * (unused and held by no other transaction).  Nothing may fail between
	 * taking the hold and recording the change that gives it back.
	 */
	if (as_held_slot(name) < 0)
	{
		int			slot;

		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		slot = as_find_alarm(name);
		for (int i = 0; i < AS_MAX_ALARMS && slot < 0; i++)
			if (!as_shared->alarms[i].used && as_shared->alarm_holds[i] == 0)
				slot = i;
		if (slot >= 0)
			as_shared->alarm_holds[slot]++;
		LWLockRelease(as_shared->lock);
		if (slot < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("too many alarms"),
					 errdetail("An instance keeps at most %d alarms, counting those that transactions in progress are putting. CloudWatch's PutMetricAlarm answers LimitExceeded.",
							   AS_MAX_ALARMS),
					 errhint("Delete some with aurora_serverless.delete_alarms(), or retry once the other transactions have ended.")));
		ch.hold = slot;
	}
	as_changes[as_nchanges++] = ch;
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
	if (as_nchanges + n > AS_MAX_ALARM_CHANGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many alarm changes in one transaction"),
				 errdetail("A transaction may put or delete at most %d alarms.",
						   AS_MAX_ALARM_CHANGES)));
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
			if (!as_changes[c].is_delete && !as_changes[c].is_set_state &&
				strcmp(as_changes[c].alarm.name, name) == 0)
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
		ch.hold = -1;
		ch.subid = GetCurrentSubTransactionId();
		strlcpy(ch.alarm.name, TextDatumGetCString(elems[i]), sizeof(ch.alarm.name));
		as_changes[as_nchanges++] = ch;
	}
	PG_RETURN_VOID();
}

/*
 * set_alarm_state(alarm_name, state_value, state_reason): CloudWatch's
 * SetAlarmState, at commit.  The alarm takes the state (and the reason,
 * CloudWatch's 1 to 1023 characters, kept to its first 255 bytes) until
 * its next evaluation, at the end of its next period; a change of state is
 * an alarm event and a notification, as one the worker finds.
 */
Datum
as_set_alarm_state(PG_FUNCTION_ARGS)
{
	AsAlarmChange ch;
	char	   *name;
	char	   *state;
	char	   *reason;
	int			found;
	bool		pending = false;
	int			st = -1;

	as_require_loaded();
	name = as_text_arg(fcinfo, 0, "alarm_name");
	state = as_text_arg(fcinfo, 1, "state_value");
	reason = as_text_arg(fcinfo, 2, "state_reason");
	for (int s = AS_ALARM_INSUFFICIENT_DATA; s <= AS_ALARM_ALARM; s++)
		if (strcmp(state, as_alarm_state_name((AsAlarmState) s)) == 0)
			st = s;
	if (st < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown state_value \"%s\"", as_clip(state, 64)),
				 errhint("The states are OK, ALARM and INSUFFICIENT_DATA.")));
	if (reason[0] == '\0' || pg_mbstrlen(reason) > 1023)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("state_reason must be 1 to 1023 characters long")));
	if (as_nchanges >= AS_MAX_ALARM_CHANGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many alarm changes in one transaction"),
				 errdetail("A transaction may change at most %d alarms.",
						   AS_MAX_ALARM_CHANGES)));
	for (int c = 0; c < as_nchanges; c++)
		if (!as_changes[c].is_delete && !as_changes[c].is_set_state &&
			strcmp(as_changes[c].alarm.name, name) == 0)
			pending = true;
	LWLockAcquire(as_shared->lock, LW_SHARED);
	found = as_find_alarm(name);
	LWLockRelease(as_shared->lock);
	if (found < 0 && !pending)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("alarm \"%s\" does not exist", as_clip(name, 64)),
				 errhint("The alarms view lists the alarms.")));

	memset(&ch, 0, sizeof(ch));
	ch.is_set_state = true;
	ch.hold = -1;
	ch.subid = GetCurrentSubTransactionId();
	strlcpy(ch.alarm.name, name, sizeof(ch.alarm.name));
	ch.alarm.state = (uint8) st;
	as_copy_clipped(ch.alarm.reason, sizeof(ch.alarm.reason), reason);
	as_changes[as_nchanges++] = ch;
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

/*
 * Each alarm is evaluated from a window the worker keeps in its own memory
 * and updates as samples arrive: for each of the last evaluation_periods
 * periods, whether it had samples and whether its statistic breached, with
 * the counts of both, the statistic of the period being filled, and the
 * values of the newest periods for the state reason.  A tick feeds it the
 * new sample and closes the periods that ended: work per alarm that does not
 * grow with evaluation_periods or with the history.  A window is built from
 * the metrics ring when an alarm is new or changed and when the worker
 * starts, at most AS_ALARM_REPLAY_ROWS samples per tick for all alarms
 * together; until it is built, its alarm keeps its state.  The worker reads
 * the definitions and the samples under a shared lock, evaluates with no
 * lock, and writes the results back under a short exclusive one, skipping
 * an alarm that was replaced meanwhile.
 */

/* The newest datapoints a state reason lists. */
#define AS_ALARM_POINTS			8

/*
 * Samples of the history replayed per tick into the windows being built,
 * and per hold of the shared lock.
 */
#define AS_ALARM_REPLAY_ROWS	32768
#define AS_ALARM_REPLAY_CHUNK	4096

/* New samples fed per tick; more (never in practice) rebuild the windows. */
#define AS_ALARM_LIVE_ROWS		256

typedef struct AsAlarmWindow
{
	bool		valid;
	bool		live;			/* built: fed by each new sample */
	bool		located;		/* replay_pos found in the ring */
	uint64		replay_pos;		/* next ring position to replay */
	AsAlarm		def;			/* the definition it is built for */
	int64		period_us;
	int			np;				/* evaluation_periods */
	/* the period being filled */
	bool		open;
	int64		open_k;			/* its index: start / period_us */
	TimestampTz open_start;		/* its bounds, [open_start, open_end) */
	TimestampTz open_end;
	AsStats		open_stats;
	/* periods next_k - np .. next_k - 1, each at bit (k mod np) */
	int64		next_k;
	uint64	   *has_data;
	uint64	   *breaching;
	int			nmissing;
	int			nbreaching;
	double		recent[AS_ALARM_POINTS];	/* by k mod AS_ALARM_POINTS; NaN:
											 * no sample */
} AsAlarmWindow;

static AsAlarmWindow as_windows[AS_MAX_ALARMS];

/* Ring position of the next sample for the built windows. */
static uint64 as_fed_pos = 0;
static bool as_fed_pos_set = false;

/* Buffers of one tick, allocated once. */
typedef struct AsAlarmRow
{
	TimestampTz t;
	double		v[AS_MID_NCLOUDWATCH];
} AsAlarmRow;

static AsAlarm as_defs[AS_MAX_ALARMS];
static AsAlarmRow as_live_rows[AS_ALARM_LIVE_ROWS];
static TimestampTz *as_replay_t = NULL;
static double *as_replay_v = NULL;

static int
as_mod(int64 k, int64 n)
{
	int64		r = k % n;

	return (int) (r < 0 ? r + n : r);
}

static bool
as_bit(const uint64 *bits, int i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static void
as_set_bit(uint64 *bits, int i, bool on)
{
	if (on)
		bits[i / 64] |= UINT64CONST(1) << (i % 64);
	else
		bits[i / 64] &= ~(UINT64CONST(1) << (i % 64));
}

/* Every period of the window without samples: a fresh or stale window. */
static void
as_window_clear(AsAlarmWindow *w, int64 next_k)
{
	Size		words = (w->np + 63) / 64;

	memset(w->has_data, 0, words * sizeof(uint64));
	memset(w->breaching, 0, words * sizeof(uint64));
	w->nmissing = w->np;
	w->nbreaching = 0;
	for (int i = 0; i < AS_ALARM_POINTS; i++)
		w->recent[i] = NAN;
	w->next_k = next_k;
}

static void
as_window_free(AsAlarmWindow *w)
{
	if (w->has_data)
		pfree(w->has_data);
	if (w->breaching)
		pfree(w->breaching);
	memset(w, 0, sizeof(*w));
}

/*
 * Record period next_k, with samples (its statistic v breaching or not) or
 * without, in the place of period next_k - np, which leaves the window.
 */
static void
as_window_record(AsAlarmWindow *w, bool has, bool breach, double v)
{
	int			i = as_mod(w->next_k, w->np);

	if (!as_bit(w->has_data, i))
		w->nmissing--;
	else if (as_bit(w->breaching, i))
		w->nbreaching--;
	as_set_bit(w->has_data, i, has);
	as_set_bit(w->breaching, i, has && breach);
	if (!has)
		w->nmissing++;
	else if (breach)
		w->nbreaching++;
	w->recent[as_mod(w->next_k, AS_ALARM_POINTS)] = has ? v : NAN;
	w->next_k++;
}

/* Record the periods before k that are not recorded yet as without samples. */
static void
as_window_skip_to(AsAlarmWindow *w, int64 k)
{
	if (k <= w->next_k)
		return;
	if (k - w->next_k >= w->np)
	{
		as_window_clear(w, k);
		return;
	}
	if (w->nmissing == w->np)
	{
		/* nothing but missing periods: recording more changes nothing */
		w->next_k = k;
		return;
	}
	while (w->next_k < k)
		as_window_record(w, false, false, NAN);
}

/* The period being filled has ended: record it. */
static void
as_window_close_open(AsAlarmWindow *w)
{
	double		v = as_stats_get(&w->open_stats, (AsStatistic) w->def.statistic);

	as_window_skip_to(w, w->open_k);
	if (w->open_k == w->next_k)
		as_window_record(w, true,
						 as_breaches((AsComparison) w->def.comparison, v,
									 w->def.threshold), v);
	w->open = false;
}

/* One sample, in time order. */
static void
as_window_feed(AsAlarmWindow *w, TimestampTz t, double v)
{
	int64		k;

	/* most samples fall in the period being filled */
	if (w->open && t >= w->open_start && t < w->open_end)
	{
		as_stats_add(&w->open_stats, v);
		return;
	}
	k = as_period_start(t, w->def.period) / w->period_us;
	if (k < w->next_k)
		return;					/* a period recorded already */
	if (w->open && k != w->open_k)
	{
		if (k < w->open_k)
			return;				/* the clock went back */
		as_window_close_open(w);
	}
	if (!w->open)
	{
		w->open = true;
		w->open_k = k;
		w->open_start = k * w->period_us;
		w->open_end = w->open_start + w->period_us;
		as_stats_init(&w->open_stats);
	}
	as_stats_add(&w->open_stats, v);
}

/* Every period before end_k has ended: record them all. */
static void
as_window_close_until(AsAlarmWindow *w, int64 end_k)
{
	if (w->open && w->open_k < end_k)
		as_window_close_open(w);
	as_window_skip_to(w, end_k);
}

/*
 * The state of the periods that end at end_k, and its reason, as CloudWatch
 * words it: ALARM when every one breaches, OK when one does not,
 * INSUFFICIENT_DATA when one has no sample.  The reason lists the newest
 * AS_ALARM_POINTS datapoints at most, and always fits in its buffer.
 */
static AsAlarmState
as_window_state(AsAlarmWindow *w, int64 end_k, char *reason, size_t size)
{
	int			np = w->np;
	int			shown = Min(np, AS_ALARM_POINTS);
	char		points[AS_ALARM_POINTS * 16 + 8];
	size_t		len = 0;

	as_window_close_until(w, end_k);
	if (w->nmissing > 0)
	{
		snprintf(reason, size, "Insufficient Data: %d datapoint%s %s unknown.",
				 w->nmissing, w->nmissing == 1 ? "" : "s",
				 w->nmissing == 1 ? "was" : "were");
		return AS_ALARM_INSUFFICIENT_DATA;
	}
	points[0] = '\0';
	for (int j = 0; j < shown; j++)
	{
		double		v = w->recent[as_mod(end_k - 1 - j, AS_ALARM_POINTS)];

		len += snprintf(points + len, sizeof(points) - len, "%s%g",
						j > 0 ? ", " : "", round(v * 1000) / 1000);
	}
	if (np > shown)
		snprintf(points + len, sizeof(points) - len, ", ...");
	snprintf(reason, size,
			 "Threshold Crossed: %d datapoint%s [%s] %s %s%s the threshold (%g).",
			 np, np == 1 ? "" : "s", points, np == 1 ? "was" : "were",
			 w->nbreaching == np ? "" : (np == 1 ? "not " : "not all "),
			 as_comparison_words[w->def.comparison], w->def.threshold);
	return w->nbreaching == np ? AS_ALARM_ALARM : AS_ALARM_OK;
}

/* Same definition (what the state depends on), whatever its state. */
static bool
as_same_definition(const AsAlarm *a, const AsAlarm *b)
{
	return strcmp(a->name, b->name) == 0 && a->metric == b->metric &&
		a->statistic == b->statistic && a->comparison == b->comparison &&
		a->period == b->period &&
		a->evaluation_periods == b->evaluation_periods &&
		a->threshold == b->threshold;
}

/*
 * A window for this definition, empty, to be built from the history that
 * ends now.  A definition outside every rule CloudWatch ever had (from a
 * damaged state file) gets none: its alarm keeps its state.
 */
static void
as_window_start(AsAlarmWindow *w, const AsAlarm *def, TimestampTz now)
{
	Size		words;

	as_window_free(w);
	if (def->period < 1 || def->evaluation_periods < 1 ||
		(int64) def->period * def->evaluation_periods > AS_ALARM_LONG_SPAN ||
		def->metric >= AS_MID_NCLOUDWATCH || def->statistic >= AS_STAT_N ||
		def->comparison > AS_CMP_LE)
		return;
	w->def = *def;
	w->np = def->evaluation_periods;
	w->period_us = (int64) def->period * USECS_PER_SEC;
	words = (w->np + 63) / 64;
	w->has_data = MemoryContextAlloc(TopMemoryContext, words * sizeof(uint64));
	w->breaching = MemoryContextAlloc(TopMemoryContext, words * sizeof(uint64));
	as_window_clear(w, as_period_start(now, def->period) / w->period_us - w->np);
	w->valid = true;
}

/*
 * The first ring position in [from, to) whose sample is at or after t (the
 * ring is in time order).  Lock held.
 */
static uint64
as_ring_search(uint64 from, uint64 to, TimestampTz t)
{
	while (from < to)
	{
		uint64		mid = from + (to - from) / 2;

		if (as_metrics[mid % as_shared->metrics_size].sample_time < t)
			from = mid + 1;
		else
			to = mid;
	}
	return from;
}

/*
 * Feed the windows being built from the history before ring position end,
 * within the tick's budget, AS_ALARM_REPLAY_CHUNK samples per hold of the
 * shared lock.  A window that catches up is built.  Returns the samples fed.
 */
static int
as_windows_replay(uint64 end)
{
	int			budget = AS_ALARM_REPLAY_ROWS;

	for (int i = 0; i < AS_MAX_ALARMS && budget > 0; i++)
	{
		AsAlarmWindow *w = &as_windows[i];

		if (!w->valid || w->live)
			continue;
		if (as_replay_t == NULL)
		{
			as_replay_t = MemoryContextAlloc(TopMemoryContext,
											 sizeof(TimestampTz) * AS_ALARM_REPLAY_CHUNK);
			as_replay_v = MemoryContextAlloc(TopMemoryContext,
											 sizeof(double) * AS_ALARM_REPLAY_CHUNK);
		}
		while (budget > 0 && !w->live)
		{
			int			n = 0;

			LWLockAcquire(as_shared->lock, LW_SHARED);
			{
				uint64		pos = as_shared->metrics_pos;
				uint64		oldest = pos - Min(pos, (uint64) as_shared->metrics_size);

				if (!w->located)
				{
					w->replay_pos = as_ring_search(oldest, Min(end, pos),
												   w->next_k * w->period_us);
					w->located = true;
				}
				if (w->replay_pos < oldest)
					w->replay_pos = oldest;
				if (w->replay_pos < end)
					n = (int) Min((uint64) Min(budget, AS_ALARM_REPLAY_CHUNK),
								  end - w->replay_pos);
				for (int r = 0; r < n; r++)
				{
					const AsMetric *m = &as_metrics[(w->replay_pos + r) % as_shared->metrics_size];

					as_replay_t[r] = m->sample_time;
					as_replay_v[r] = as_metric_value(m, (AsMetricId) w->def.metric);
				}
			}
			LWLockRelease(as_shared->lock);
			for (int r = 0; r < n; r++)
				as_window_feed(w, as_replay_t[r], as_replay_v[r]);
			w->replay_pos += n;
			budget -= n;
			if (w->replay_pos >= end)
				w->live = true;
		}
	}
	return AS_ALARM_REPLAY_ROWS - budget;
}

/* Copy text, cut at a UTF-8 character boundary when it does not fit. */
static void
as_copy_clipped(char *dst, size_t size, const char *src)
{
	int			len = strlen(src);

	if (len >= (int) size)
		len = pg_encoding_mbcliplen(PG_UTF8, src, len, (int) size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The outcome of one alarm's evaluation, written back under the lock. */
typedef struct AsAlarmResult
{
	int			slot;
	TimestampTz evaluated_to;
	AsAlarmState state;
	char		reason[AS_ALARM_REASON_LEN];
	char		detail[sizeof(((AsPolicyEvent *) 0)->detail)];
} AsAlarmResult;

/* Queue a state change for the notifier.  Lock held exclusively. */
static void
as_queue_notification(const AsAlarm *a, AsAlarmState old, TimestampTz when)
{
	AsNotification *slot;

	/* a full queue drops the oldest: the newest state is what matters */
	if (as_shared->notify_head - as_shared->notify_tail >= AS_NOTIFY_QUEUE)
		as_shared->notify_tail++;
	slot = &as_shared->notify_queue[as_shared->notify_head % AS_NOTIFY_QUEUE];
	slot->alarm = *a;
	slot->old_state = (uint8) old;
	slot->changed_at = when;
	as_shared->notify_head++;
}

/*
 * In the worker, after a sample: feed the windows the new samples, evaluate
 * each alarm whose period has ended since it was last evaluated, and record
 * each change of state as an event, queued for the notifier too.
 */
void
as_alarms_evaluate(TimestampTz now)
{
	bool		in_recovery = RecoveryInProgress();
	bool		used[AS_MAX_ALARMS];
	bool		any = false;
	uint64		pos;
	uint64		from;
	int			nlive = 0;
	bool		lost = false;
	AsAlarmResult *results = NULL;
	int			nresults = 0;
	int			replayed;
	TimestampTz start = GetCurrentTimestamp();
	TimestampTz locked;
	int64		held;

	/* the definitions and the new samples, under a shared lock */
	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		used[i] = as_shared->alarms[i].used;
		if (used[i])
		{
			/* bytes and all: compared with memcmp() when writing back */
			memcpy(&as_defs[i], &as_shared->alarms[i], sizeof(AsAlarm));
			any = true;
		}
	}
	pos = as_shared->metrics_pos;
	from = as_fed_pos_set ? as_fed_pos : pos;
	if (any && from < pos)
	{
		uint64		oldest = pos - Min(pos, (uint64) as_shared->metrics_size);

		if (from < oldest || pos - from > AS_ALARM_LIVE_ROWS)
			lost = true;
		else
		{
			for (uint64 p = from; p < pos; p++)
			{
				const AsMetric *m = &as_metrics[p % as_shared->metrics_size];
				AsAlarmRow *row = &as_live_rows[nlive++];

				row->t = m->sample_time;
				for (int id = 0; id < AS_MID_NCLOUDWATCH; id++)
					row->v[id] = as_metric_value(m, (AsMetricId) id);
			}
		}
	}
	LWLockRelease(as_shared->lock);

	/* windows follow the definitions; samples the windows missed rebuild them */
	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		AsAlarmWindow *w = &as_windows[i];

		if (!used[i])
		{
			if (w->valid || w->has_data)
				as_window_free(w);
			continue;
		}
		if (lost || !w->valid || !as_same_definition(&w->def, &as_defs[i]))
			as_window_start(w, &as_defs[i], now);
	}
	if (lost)
		from = pos;
	as_fed_pos = pos;
	as_fed_pos_set = true;
	if (!any)
		return;

	/* build what is not built yet from the history, then feed the new */
	replayed = as_windows_replay(from);
	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		AsAlarmWindow *w = &as_windows[i];

		if (!used[i] || !w->valid || !w->live)
			continue;
		for (int r = 0; r < nlive; r++)
			as_window_feed(w, as_live_rows[r].t, as_live_rows[r].v[w->def.metric]);
	}

	/* evaluate the alarms whose period has ended, with no lock */
	for (int i = 0; i < AS_MAX_ALARMS; i++)
	{
		AsAlarmWindow *w = &as_windows[i];
		TimestampTz end;
		AsAlarmResult *res;

		if (!used[i] || !w->valid || !w->live)
			continue;
		end = as_period_start(now, as_defs[i].period);
		if (end <= as_defs[i].evaluated_to)
			continue;
		if (results == NULL)
			results = palloc(sizeof(AsAlarmResult) * AS_MAX_ALARMS);
		res = &results[nresults++];
		res->slot = i;
		res->evaluated_to = end;
		res->state = as_window_state(w, end / w->period_us, res->reason,
									 sizeof(res->reason));
		res->detail[0] = '\0';
		if (res->state != (AsAlarmState) as_defs[i].state)
		{
			char	   *detail = psprintf("%s: %s -> %s: %s", as_defs[i].name,
										  as_alarm_state_name((AsAlarmState) as_defs[i].state),
										  as_alarm_state_name(res->state),
										  res->reason);

			as_copy_clipped(res->detail, sizeof(res->detail), detail);
			pfree(detail);
		}
	}
	if (nresults == 0)
	{
		if (replayed > 0)
			ereport(DEBUG1,
					(errmsg_internal("aurora_serverless: alarm windows fed %d recorded samples in " INT64_FORMAT " us",
									 replayed, GetCurrentTimestamp() - start)));
		return;
	}

	/* write back, under a short exclusive lock */
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	locked = GetCurrentTimestamp();
	{
		bool		changed = false;

		for (int r = 0; r < nresults; r++)
		{
			const AsAlarmResult *res = &results[r];
			AsAlarm    *a = &as_shared->alarms[res->slot];
			AsAlarmState old = (AsAlarmState) a->state;
			AsPolicyEvent ev;

			/* replaced or deleted since the copy: evaluated again next tick */
			if (memcmp(a, &as_defs[res->slot], sizeof(AsAlarm)) != 0)
				continue;
			a->evaluated_to = res->evaluated_to;
			strlcpy(a->reason, res->reason, sizeof(a->reason));
			if (res->state == old)
				continue;
			a->state = (uint8) res->state;
			a->state_updated = now;
			as_event_init(&ev, AS_EVENT_ALARM, as_shared->policy.capacity,
						  as_alarm_state_name(res->state));
			memcpy(ev.detail, res->detail, sizeof(ev.detail));
			as_push_event(now, &ev);
			if (!in_recovery)
				as_queue_notification(a, old, now);
			changed = true;
		}
		if (changed)
			as_shared->flush_requested = true;
	}
	held = GetCurrentTimestamp() - locked;
	LWLockRelease(as_shared->lock);
	pfree(results);

	/* for the benchmark: the tick's alarm work, and its exclusive part */
	ereport(DEBUG1,
			(errmsg_internal("aurora_serverless: %d alarms evaluated in " INT64_FORMAT " us (%d recorded samples fed), " INT64_FORMAT " us of it under the exclusive lock",
							 nresults, GetCurrentTimestamp() - start, replayed,
							 held)));
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

/*
 * NOTIFY's limit on a payload (async.c: BLCKSZ - NAMEDATALEN - 128; a
 * payload must be shorter).
 */
#define AS_NOTIFY_LIMIT		(BLCKSZ - NAMEDATALEN - 128)

/*
 * The longest payload: escaping makes at most 6 bytes of one (\u00XX), and
 * the rest (keys, state and enum names, numbers, a timestamp of at most
 * MAXDATELEN) is under 512 bytes.  It fits, so no payload is ever cut.
 */
#define AS_NOTIFY_PAYLOAD_MAX \
	(6 * (AS_ALARM_NAME_LEN + AS_ALARM_REASON_LEN) + MAXDATELEN + 512)

StaticAssertDecl(AS_NOTIFY_PAYLOAD_MAX < AS_NOTIFY_LIMIT,
				 "an alarm's NOTIFY payload may exceed NOTIFY's limit");

/* A state change as JSON, in the fields of CloudWatch's alarm message. */
static void
as_notification_json(StringInfo j, const AsNotification *n, const char *name,
					 const char *reason)
{
	const AsAlarm *a = &n->alarm;
	bool		first = true;
	bool		inner = true;

	resetStringInfo(j);
	appendStringInfoChar(j, '{');
	as_json_key(j, "AlarmName", &first);
	escape_json(j, name);
	as_json_key(j, "NewStateValue", &first);
	escape_json(j, as_alarm_state_name((AsAlarmState) a->state));
	as_json_key(j, "OldStateValue", &first);
	escape_json(j, as_alarm_state_name((AsAlarmState) n->old_state));
	as_json_key(j, "NewStateReason", &first);
	escape_json(j, reason);
	as_json_key(j, "StateChangeTime", &first);
	escape_json(j, timestamptz_to_str(n->changed_at));
	as_json_key(j, "Trigger", &first);
	appendStringInfoChar(j, '{');
	as_json_key(j, "MetricName", &inner);
	escape_json(j, as_metric_cloudwatch_name((AsMetricId) a->metric));
	as_json_key(j, "Statistic", &inner);
	escape_json(j, as_statistic_name((AsStatistic) a->statistic));
	as_json_key(j, "Period", &inner);
	appendStringInfo(j, "%d", a->period);
	as_json_key(j, "EvaluationPeriods", &inner);
	appendStringInfo(j, "%d", a->evaluation_periods);
	as_json_key(j, "ComparisonOperator", &inner);
	escape_json(j, as_comparison_names[a->comparison]);
	as_json_key(j, "Threshold", &inner);
	appendStringInfo(j, "%g", a->threshold);
	appendStringInfoString(j, "}}");
}

/*
 * The payload of a state change, whole.  Were it ever over NOTIFY's limit,
 * the reason and then the name would be shortened, before escaping and at a
 * character boundary, never the JSON.
 */
static void
as_notification_payload(StringInfo j, const AsNotification *n)
{
	char		name[AS_ALARM_NAME_LEN];
	char		reason[AS_ALARM_REASON_LEN];

	strlcpy(name, n->alarm.name, sizeof(name));
	strlcpy(reason, n->alarm.reason, sizeof(reason));
	as_notification_json(j, n, name, reason);
	while (j->len >= AS_NOTIFY_LIMIT && (reason[0] != '\0' || name[0] != '\0'))
	{
		char	   *cut = reason[0] != '\0' ? reason : name;
		int			len = strlen(cut);

		cut[pg_mbcliplen(cut, len, len / 2)] = '\0';
		as_notification_json(j, n, name, reason);
	}
}

/* The notifier: NOTIFY each queued state change, then exit. */
void
as_notifier_main(Datum main_arg)
{
	StringInfoData payload;

	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	before_shmem_exit(as_notifier_exit, (Datum) 0);
	BackgroundWorkerInitializeConnection(as_guc_notify_database, NULL, 0);
	initStringInfo(&payload);

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
		{
			as_notification_payload(&payload, &batch[i]);
			Async_Notify(AS_ALARM_CHANNEL, payload.data);
		}
		CommitTransactionCommand();
	}
	proc_exit(0);
}
