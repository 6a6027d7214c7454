/*-------------------------------------------------------------------------
 *
 * cost.c
 *		What the recorded load cost and would cost: usage() and
 *		usage_hourly() from the accounting, replay() and
 *		replay_trajectory() of the recorded samples under other settings,
 *		and recommend().
 *
 * usage() adds the samples still in the metrics ring one by one (exact to
 * the second) and the hourly accounting of older samples: whole hours
 * exactly, and an hour only partly asked for pro rata of the time between
 * its first and last sample.  replay() runs the worker's own policy over
 * the recorded samples, starting from the capacity the first one held and
 * adding the recorded intervals, so a replay under the live settings adds
 * up to what usage() recorded when the settings did not change meanwhile.
 *
 * This file must not know the sampler or the worker's loop.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "utils/builtins.h"
#include "datatype/timestamp.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "blockers.h"
#include "compat.h"
#include "guc.h"
#include "model.h"
#include "policy.h"
#include "sqlutil.h"
#include "state.h"
#include "usage.h"

PG_FUNCTION_INFO_V1(as_usage);
PG_FUNCTION_INFO_V1(as_usage_hourly);
PG_FUNCTION_INFO_V1(as_replay);
PG_FUNCTION_INFO_V1(as_replay_trajectory);
PG_FUNCTION_INFO_V1(as_recommend);

/* The recorded history, copied out of shared memory under one lock. */
typedef struct AsHistory
{
	AsMetric   *metrics;		/* oldest first */
	int			nmetrics;
	AsUsageBucket *buckets;		/* oldest first */
	int			nbuckets;
	AsPolicySettings settings;	/* in force now */
	AsConnectionsBasis basis;
} AsHistory;

static void
as_load_history(AsHistory *h)
{
	void	   *m;
	void	   *b;

	as_require_loaded();
	LWLockAcquire(as_shared->lock, LW_SHARED);
	h->nmetrics = as_ring_copy_palloc(&m, as_metrics, sizeof(AsMetric),
									  as_shared->metrics_pos, as_shared->metrics_size);
	h->nbuckets = as_ring_copy_palloc(&b, as_buckets, sizeof(AsUsageBucket),
									  as_shared->buckets_pos, as_shared->buckets_size);
	h->settings = as_shared->settings;
	h->basis = as_shared->basis;
	LWLockRelease(as_shared->lock);
	h->metrics = (AsMetric *) m;
	h->buckets = (AsUsageBucket *) b;
}

static TimestampTz
as_timestamp_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	as_arg_not_null(fcinfo, argno, name);
	return PG_GETARG_TIMESTAMPTZ(argno);
}

static void
as_check_window(TimestampTz since, TimestampTz until)
{
	if (since > until)
	{
		/* timestamptz_to_str() returns a static buffer: copy the first */
		char	   *since_text = pstrdup(timestamptz_to_str(since));

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since must not be after until"),
				 errdetail("since is %s and until is %s.",
						   since_text, timestamptz_to_str(until))));
	}
}

/*
 * Share of a bucket within [since, until]: whole when its samples all are,
 * none when none is, else the fraction of the time between its first and
 * last sample that the window covers.
 */
static double
as_bucket_share(const AsUsageBucket *b, TimestampTz since, TimestampTz until)
{
	TimestampTz lo = Max(b->first, since);
	TimestampTz hi = Min(b->last, until);

	if (since <= b->first && b->last <= until)
		return 1;
	if (hi < lo)
		return 0;
	return (double) (hi - lo) / (double) (b->last - b->first);
}

static bool
as_in_window(TimestampTz t, TimestampTz since, TimestampTz until)
{
	return t >= since && t <= until;
}

static double
as_price(void)
{
	return as_guc_acu_hour_price;
}

/*
 * usage(since, until) returns record: ACU-hours and what they cost, the
 * average and peak capacity, and the seconds at max, paused and covered.
 */
Datum
as_usage(PG_FUNCTION_ARGS)
{
	TimestampTz since = as_timestamp_arg(fcinfo, 0, "since");
	TimestampTz until = as_timestamp_arg(fcinfo, 1, "until");
	AsHistory	h;
	AsUsage		u;
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10];

	as_check_window(since, until);
	as_load_history(&h);
	memset(&u, 0, sizeof(u));
	for (int i = 0; i < h.nbuckets; i++)
		as_usage_add_scaled(&u, &h.buckets[i].usage,
							as_bucket_share(&h.buckets[i], since, until));
	for (int i = 0; i < h.nmetrics; i++)
	{
		AsHeld		held;

		if (!as_in_window(h.metrics[i].sample_time, since, until))
			continue;
		as_metric_held(&h.metrics[i], &held);
		as_usage_add(&u, &held);
	}

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	memset(nulls, 0, sizeof(nulls));
	values[0] = as_numeric_datum(u.acu_seconds / 3600.0, 6);
	values[1] = as_numeric_datum(u.acu_seconds / 3600.0 * as_price(), 6);
	values[2] = as_numeric_datum(u.seconds > 0 ? u.acu_seconds / u.seconds : 0, 3);
	values[3] = as_numeric_datum(u.peak_capacity, 1);
	values[4] = as_numeric_datum(u.seconds_at_max, 3);
	values[5] = as_numeric_datum(u.seconds_paused, 3);
	values[6] = as_numeric_datum(u.seconds, 3);
	values[7] = as_numeric_datum(u.seconds_underprovisioned, 3);
	values[8] = Int64GetDatum(u.samples);
	values[9] = as_numeric_datum(as_price(), 6);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static void
as_put_hour(ReturnSetInfo *rsinfo, TimestampTz hour, const AsUsage *u)
{
	Datum		values[8];
	bool		nulls[8];

	memset(nulls, 0, sizeof(nulls));
	values[0] = TimestampTzGetDatum(hour);
	values[1] = as_numeric_datum(u->acu_seconds / 3600.0, 6);
	values[2] = as_numeric_datum(u->acu_seconds / 3600.0 * as_price(), 6);
	values[3] = as_numeric_datum(u->seconds > 0 ? u->acu_seconds / u->seconds : 0, 3);
	values[4] = as_numeric_datum(u->peak_capacity, 1);
	values[5] = as_numeric_datum(u->seconds_at_max, 3);
	values[6] = as_numeric_datum(u->seconds_paused, 3);
	values[7] = as_numeric_datum(u->seconds, 3);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* usage_hourly(since, until): the same, one row per hour, oldest first. */
Datum
as_usage_hourly(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimestampTz since = as_timestamp_arg(fcinfo, 0, "since");
	TimestampTz until = as_timestamp_arg(fcinfo, 1, "until");
	AsHistory	h;
	TimestampTz hour = DT_NOBEGIN;
	AsUsage		u;

	as_check_window(since, until);
	as_load_history(&h);
	as_init_materialized_srf(fcinfo);
	memset(&u, 0, sizeof(u));

	/* buckets are older than the ring; the hour at the seam may be shared */
	for (int i = 0; i < h.nbuckets; i++)
	{
		double		share = as_bucket_share(&h.buckets[i], since, until);

		if (share <= 0)
			continue;
		if (hour != DT_NOBEGIN && hour != h.buckets[i].hour)
		{
			as_put_hour(rsinfo, hour, &u);
			memset(&u, 0, sizeof(u));
		}
		hour = h.buckets[i].hour;
		as_usage_add_scaled(&u, &h.buckets[i].usage, share);
	}
	for (int i = 0; i < h.nmetrics; i++)
	{
		TimestampTz t = h.metrics[i].sample_time;
		TimestampTz this_hour = t - t % USECS_PER_HOUR;
		AsHeld		held;

		if (!as_in_window(t, since, until))
			continue;
		if (hour != DT_NOBEGIN && hour != this_hour)
		{
			as_put_hour(rsinfo, hour, &u);
			memset(&u, 0, sizeof(u));
		}
		hour = this_hour;
		as_metric_held(&h.metrics[i], &held);
		as_usage_add(&u, &held);
	}
	if (hour != DT_NOBEGIN)
		as_put_hour(rsinfo, hour, &u);
	return (Datum) 0;
}

/* Settings for a replay: the live ones with another range and mode. */
static void
as_replay_settings(FunctionCallInfo fcinfo, const AsHistory *h,
				   AsPolicySettings *s)
{
	double		min_capacity = as_numeric_arg(fcinfo, 0, "min_capacity");
	double		max_capacity = as_numeric_arg(fcinfo, 1, "max_capacity");
	char	   *mode;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("engine_mode must not be null")));
	mode = text_to_cstring(PG_GETARG_TEXT_PP(2));
	*s = h->settings;
	s->engine_mode = as_engine_mode_or_error(mode);
	as_check_range_or_error(s->engine_mode, min_capacity, max_capacity);
	s->min_capacity = min_capacity;
	s->max_capacity = max_capacity;
}

/* A replay's result. */
typedef struct AsReplay
{
	AsUsage		usage;
	int			scale_ups;
	int			scale_downs;
} AsReplay;

/*
 * Run the policy over the recorded samples from since on; per_step, when
 * given, sees each sample with the state and output after it.
 */
static void
as_run_replay(const AsPolicySettings *s, const AsHistory *h, TimestampTz since,
			  AsReplay *r,
			  void (*per_step) (const AsMetric *m, const AsPolicyState *st,
								const AsPolicyOutput *out, void *arg),
			  void *arg)
{
	AsPolicyState st;
	bool		started = false;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < h->nmetrics; i++)
	{
		const AsMetric *m = &h->metrics[i];
		AsSample	x;
		AsPolicyOutput out;
		AsHeld		held;

		if (m->sample_time < since)
			continue;
		if (!started)
		{
			/* start from what the first sample held */
			as_policy_init(s, &st, m->held_capacity);
			if (m->held_paused)
			{
				st.state = AS_STATE_PAUSED;
				st.capacity = 0;
				st.paused_since = (double) m->sample_time / USECS_PER_SEC;
			}
			st.target = m->held_target;
			started = true;
		}
		held.capacity = st.capacity;
		held.target = st.target;
		held.max_capacity = s->max_capacity;
		held.paused = AS_STATE_IS_PAUSED(st.state);
		held.interval_s = m->interval_s;
		as_usage_add(&r->usage, &held);

		as_metric_sample(m, &x);
		as_policy_step(s, &st, &x, &out);
		for (int e = 0; e < out.nevents; e++)
		{
			if (out.events[e].kind == AS_EVENT_SCALE_UP)
				r->scale_ups++;
			else if (out.events[e].kind == AS_EVENT_SCALE_DOWN)
				r->scale_downs++;
		}
		if (per_step)
			per_step(m, &st, &out, arg);
	}
}

static TimestampTz
as_replay_since(FunctionCallInfo fcinfo)
{
	return PG_ARGISNULL(3) ? DT_NOBEGIN : PG_GETARG_TIMESTAMPTZ(3);
}

/*
 * replay(min_capacity, max_capacity, engine_mode DEFAULT 'v2', since
 * DEFAULT NULL) returns record: what the recorded load would have cost and
 * how it would have scaled under that range.
 */
Datum
as_replay(PG_FUNCTION_ARGS)
{
	AsHistory	h;
	AsPolicySettings s;
	AsReplay	r;
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10];

	as_load_history(&h);
	as_replay_settings(fcinfo, &h, &s);
	as_run_replay(&s, &h, as_replay_since(fcinfo), &r, NULL, NULL);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	memset(nulls, 0, sizeof(nulls));
	values[0] = as_numeric_datum(r.usage.acu_seconds / 3600.0, 6);
	values[1] = as_numeric_datum(r.usage.acu_seconds / 3600.0 * as_price(), 6);
	values[2] = as_numeric_datum(r.usage.seconds > 0 ?
								 r.usage.acu_seconds / r.usage.seconds : 0, 3);
	values[3] = as_numeric_datum(r.usage.peak_capacity, 1);
	values[4] = as_numeric_datum(r.usage.seconds_at_max, 3);
	values[5] = as_numeric_datum(r.usage.seconds_underprovisioned, 3);
	values[6] = as_numeric_datum(r.usage.seconds_paused, 3);
	values[7] = Int32GetDatum(r.scale_ups);
	values[8] = Int32GetDatum(r.scale_downs);
	values[9] = Int64GetDatum(r.usage.samples);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static void
as_trajectory_row(const AsMetric *m, const AsPolicyState *st,
				  const AsPolicyOutput *out, void *arg)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) arg;
	Datum		values[10];
	bool		nulls[10];
	StringInfoData evs;

	memset(nulls, 0, sizeof(nulls));
	values[0] = TimestampTzGetDatum(m->sample_time);
	values[1] = as_numeric_datum(out->demand.cpu_goal, 3);
	values[2] = as_numeric_datum(out->demand.memory_goal, 3);
	values[3] = as_numeric_datum(out->demand.connections_goal, 3);
	values[4] = as_numeric_datum(st->target, 1);
	values[5] = as_numeric_datum(st->capacity, 1);
	values[6] = as_numeric_datum(m->capacity, 1);
	values[7] = CStringGetTextDatum(as_state_name(st->state));
	if (out->nevents > 0)
	{
		initStringInfo(&evs);
		for (int e = 0; e < out->nevents; e++)
			appendStringInfo(&evs, "%s%s", e ? "," : "",
							 as_event_kind_name(out->events[e].kind));
		values[8] = CStringGetTextDatum(evs.data);
		values[9] = CStringGetTextDatum(out->events[0].reason);
	}
	else
		nulls[8] = nulls[9] = true;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* replay_trajectory(...): the replay, sample by sample. */
Datum
as_replay_trajectory(PG_FUNCTION_ARGS)
{
	AsHistory	h;
	AsPolicySettings s;
	AsReplay	r;

	as_load_history(&h);
	as_replay_settings(fcinfo, &h, &s);
	as_init_materialized_srf(fcinfo);
	as_run_replay(&s, &h, as_replay_since(fcinfo), &r, as_trajectory_row,
				  fcinfo->resultinfo);
	return (Datum) 0;
}

static void
as_put_advice(ReturnSetInfo *rsinfo, const char *setting, const char *current,
			  const char *recommended, const char *reason)
{
	Datum		values[4];
	bool		nulls[4];

	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(setting);
	values[1] = CStringGetTextDatum(current);
	values[2] = CStringGetTextDatum(recommended);
	values[3] = CStringGetTextDatum(reason);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static double
as_replay_cost(const AsReplay *r)
{
	return r->usage.acu_seconds / 3600.0 * as_price();
}

/* The share of the time demand may exceed capacity (the lag budget). */
#define AS_RECOMMEND_LAG_BUDGET		0.01

/* A burst shorter than this is not worth a higher minimum. */
#define AS_RECOMMEND_SHORT_BURST_S	300

/*
 * recommend(avoid_all_lag boolean DEFAULT false, min_history interval
 * DEFAULT '1 hour'): min_capacity, max_capacity and warnings, from the
 * samples in the metrics ring.
 *
 * min_capacity weighs cost against under-provisioned time: the least
 * candidate (at least what the working set needs) whose replay keeps demand
 * above capacity for at most 1% of the time, or for none of it when
 * avoid_all_lag is asked; the reason gives its cost and lag beside the
 * current range's and the next candidate's.  A minimum that the load asked
 * for less than 5 minutes (the peak of a short burst) is not advised unless
 * avoid_all_lag: the reason says what it would cost.  With less than
 * min_history of samples it gives no advice: a short burst is not a
 * workload.  max_capacity is above the peak with a quarter of headroom.
 */
Datum
as_recommend(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		avoid_all_lag = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
	double		budget = avoid_all_lag ? 0 : AS_RECOMMEND_LAG_BUDGET;
	double		min_history = 3600;
	double		at_best = 0;
	AsHistory	h;
	AsPolicySettings s;
	AsReplay	now;
	double		peak_memory = 0;
	double		peak_target = 0;
	int			peak_connections = 0;
	double		idle_seconds = 0;
	double		seconds;
	double		floor_acu;
	double		best = -1;
	AsReplay	best_r;
	double		next = -1;
	AsReplay	next_r;
	int			nblockers;
	char		cur[32];
	char		rec[32];

	if (!PG_ARGISNULL(1))
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(1);

		min_history = (double) iv->time / USECS_PER_SEC +
			(double) iv->day * SECS_PER_DAY + (double) iv->month * 30 * SECS_PER_DAY;
		if (min_history < 0 || !isfinite(min_history))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("min_history must not be negative")));
	}
	memset(&best_r, 0, sizeof(best_r));
	memset(&next_r, 0, sizeof(next_r));
	as_load_history(&h);
	as_init_materialized_srf(fcinfo);
	s = h.settings;
	if (h.nmetrics < 2)
	{
		as_put_advice(rsinfo, "min_capacity", psprintf("%g", s.min_capacity),
					  psprintf("%g", s.min_capacity),
					  "Not enough samples yet: let the worker record some load first.");
		return (Datum) 0;
	}

	for (int i = 0; i < h.nmetrics; i++)
	{
		peak_memory = Max(peak_memory, h.metrics[i].memory_goal);
		peak_target = Max(peak_target, h.metrics[i].target);
		peak_connections = Max(peak_connections,
							   h.metrics[i].connections + h.metrics[i].rejected);
		if (h.metrics[i].awake_connections == 0)
			idle_seconds += h.metrics[i].interval_s;
	}
	as_run_replay(&s, &h, DT_NOBEGIN, &now, NULL, NULL);
	seconds = Max(now.usage.seconds, 1);

	/* min_capacity: holds the working set, keeps lag within the budget */
	snprintf(cur, sizeof(cur), "%g", s.min_capacity);
	floor_acu = Max(as_round_up_step(peak_memory), AS_V2_MIN_AWAKE);
	if (seconds < min_history)
		as_put_advice(rsinfo, "min_capacity", cur, cur,
					  psprintf("The history holds %.0f s of samples; recommend() advises on min_capacity from %.0f s or more (min_history: a short burst is not a workload). Now: demand exceeded capacity for %.0f s (%.1f%%), at $%.4f.",
							   seconds, min_history, now.usage.seconds_underprovisioned,
							   100.0 * now.usage.seconds_underprovisioned / seconds,
							   as_replay_cost(&now)));
	else
	{
		for (double c = floor_acu; c <= s.max_capacity; c += AS_CAPACITY_STEP)
		{
			AsPolicySettings t = s;
			AsReplay	r;

			if (s.engine_mode == AS_ENGINE_V1 && as_v1_index(c) < 0)
				continue;
			t.min_capacity = c;
			as_run_replay(&t, &h, DT_NOBEGIN, &r, NULL, NULL);
			if (best >= 0)
			{
				next = c;
				next_r = r;
				break;
			}
			if (r.usage.seconds_underprovisioned <= budget * seconds + 1e-9)
			{
				best = c;
				best_r = r;
			}
		}
		/* how long the load asked for the candidate or more */
		for (int i = 0; best > 0 && i < h.nmetrics; i++)
			if (h.metrics[i].target >= best)
				at_best += h.metrics[i].interval_s;
		if (best > s.min_capacity && !avoid_all_lag &&
			at_best < AS_RECOMMEND_SHORT_BURST_S)
			as_put_advice(rsinfo, "min_capacity", cur, cur,
						  psprintf("Keep it: the load asked for %g ACU or more for only %.0f s of %.0f s, the peak of a short burst. min_capacity %g would cut the time under-provisioned from %.0f s to %.0f s, at $%.4f instead of $%.4f for the time recorded; recommend(avoid_all_lag => true) advises it.",
								   best, at_best, seconds, best,
								   now.usage.seconds_underprovisioned,
								   best_r.usage.seconds_underprovisioned,
								   as_replay_cost(&best_r), as_replay_cost(&now)));
		else if (best < 0)
			as_put_advice(rsinfo, "min_capacity", cur, psprintf("%g", s.max_capacity),
						  psprintf("No min_capacity up to max_capacity keeps demand above capacity to %g%% of the time or less; demand exceeded capacity for %.0f s of %.0f s recorded. Raise max_capacity first.",
								   budget * 100, now.usage.seconds_underprovisioned, seconds));
		else
		{
			snprintf(rec, sizeof(rec), "%g", best);
			as_put_advice(rsinfo, "min_capacity", cur, rec,
						  psprintf("Budget: demand above capacity for at most %g%% of the time%s. The working set needs %g ACU. min_capacity %g: %.0f s (%.2f%%) under-provisioned, $%.4f for the %.0f s recorded; now (%s): %.0f s (%.2f%%), $%.4f%s.%s",
								   budget * 100, avoid_all_lag ? " (avoid_all_lag)" : "",
								   floor_acu, best, best_r.usage.seconds_underprovisioned,
								   100.0 * best_r.usage.seconds_underprovisioned / seconds,
								   as_replay_cost(&best_r), seconds, cur,
								   now.usage.seconds_underprovisioned,
								   100.0 * now.usage.seconds_underprovisioned / seconds,
								   as_replay_cost(&now),
								   next >= 0 ? psprintf("; min_capacity %g: %.0f s, $%.4f",
														next, next_r.usage.seconds_underprovisioned,
														as_replay_cost(&next_r)) : "",
								   s.min_capacity == 0 && s.engine_mode == AS_ENGINE_V2 && best > 0 ?
								   " A min_capacity above 0 gives up auto-pause." : ""));
		}
	}

	/* max_capacity: above the peak, with headroom */
	{
		double		want = Min(Max(as_round_up_step(peak_target * 1.25), 1.0),
							   AS_V2_MAX_CAPACITY);

		if (s.engine_mode == AS_ENGINE_V1)
			want = as_v1_round_up(want);
		snprintf(cur, sizeof(cur), "%g", s.max_capacity);
		if (now.usage.seconds_at_max > 0)
		{
			want = Max(want, Min(s.max_capacity * 2, AS_V2_MAX_CAPACITY));
			if (s.engine_mode == AS_ENGINE_V1)
				want = as_v1_round_up(want);
			as_put_advice(rsinfo, "max_capacity", cur, psprintf("%g", want),
						  psprintf("Capacity sat at max_capacity for %.0f s of %.0f s recorded: the load wanted more.",
								   now.usage.seconds_at_max, seconds));
		}
		else
			as_put_advice(rsinfo, "max_capacity", cur, psprintf("%g", want),
						  psprintf("The peak target was %g ACU; %g leaves a quarter of headroom.",
								   peak_target, want));
	}

	/* connections near the limit at min capacity (a cold start) */
	{
		double		floor_now = as_policy_floor(&s);
		int			limit_at_min = as_max_connections_current(floor_now, s.max_capacity,
															  s.min_capacity);
		double		need = floor_now;

		while (need < AS_V2_MAX_CAPACITY &&
			   as_max_connections_current(need, s.max_capacity, s.min_capacity) * 0.8 <
			   peak_connections)
			need += AS_CAPACITY_STEP;
		as_put_advice(rsinfo, "max_connections (current_capacity basis)",
					  psprintf("%d", limit_at_min),
					  psprintf("%d", as_max_connections_current(need, s.max_capacity,
																s.min_capacity)),
					  peak_connections >= 0.8 * limit_at_min ?
					  psprintf("Peak connections %d are within 20%% of the %d allowed at %g ACU, the capacity of a cold start: a connection storm at min capacity is refused. min_capacity %g allows %d.",
							   peak_connections, limit_at_min, floor_now, need,
							   as_max_connections_current(need, s.max_capacity, s.min_capacity)) :
					  psprintf("Peak connections %d fit the %d allowed at %g ACU.",
							   peak_connections, limit_at_min, floor_now));
	}

	/* time paused against awake */
	snprintf(cur, sizeof(cur), "%g", s.seconds_until_auto_pause);
	if (as_auto_pause_enabled(&s))
		as_put_advice(rsinfo, "seconds_until_auto_pause", cur, cur,
					  psprintf("Paused %.0f s (%.1f%%) of %.0f s recorded; awake %.0f s.",
							   now.usage.seconds_paused,
							   100.0 * now.usage.seconds_paused / seconds, seconds,
							   seconds - now.usage.seconds_paused));
	else
		as_put_advice(rsinfo, "seconds_until_auto_pause", cur, cur,
					  psprintf("Auto-pause is off. No connection kept the instance awake for %.0f s (%.1f%%) of %.0f s recorded; %s",
							   idle_seconds, 100.0 * idle_seconds / seconds, seconds,
							   s.engine_mode == AS_ENGINE_V1 ?
							   "aurora_serverless.auto_pause = on would pause then." :
							   "min_capacity 0 would pause then."));

	/* blockers now */
	{
		int			max = as_shared->nslots * AS_BLOCKER_NKINDS;
		AsBlocker  *found = palloc(sizeof(AsBlocker) * max);

		nblockers = Min(as_scan_blockers(found, max, GetCurrentTimestamp(),
										 as_guc_long_query_threshold,
										 as_guc_long_transaction_threshold), max);
		as_put_advice(rsinfo, "scaling_blockers", psprintf("%d", nblockers), "0",
					  nblockers > 0 ?
					  psprintf("%d constructs block a scaling point or a pause now, first %s in PID %d: %s",
							   nblockers, as_blocker_kind_name(found[0].kind),
							   found[0].pid, as_blocker_hint(found[0].kind)) :
					  "No session blocks a scaling point or a pause now.");
	}
	return (Datum) 0;
}
