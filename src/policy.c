/*-------------------------------------------------------------------------
 *
 * policy.c
 *		The capacity policy, a pure function.
 *
 * Given the settings, the previous state and one sample, compute the demand
 * (cpu, memory and connections goals, each in ACU), the target capacity, and
 * move the capacity toward it the way Aurora Serverless v2 does: 0.5 ACU steps
 * within [min, max]; scale-up after the demand has stayed above capacity for
 * scale_up_delay seconds, in steps that grow with the capacity (each step at
 * most doubles it); scale-down only after the demand has stayed below capacity
 * for scale_down_delay seconds (a return to capacity shorter than
 * scale_up_delay, a single busy sample, does not restart that wait), then one
 * gradual step (a quarter of the capacity, at least 0.5 ACU) every
 * scale_down_interval seconds.  A capacity outside a new [min, max] moves
 * inside at once.  With the aurora lag profile each scale-up step takes
 * 15..90 s by size.  Auto-pause (v2 with min_capacity 0, or v1 with
 * auto_pause) pauses at 0 ACU after seconds_until_auto_pause with no
 * connection that keeps it awake, and resumes at the capacity it paused at
 * when one arrives.  Engine mode v1 is described at as_step_v1().
 *
 * This file must not know a clock, shared memory or SQL: time is the t of
 * each sample.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "policy.h"

/* Seconds compared with this tolerance, since t is a double. */
#define AS_T_EPSILON	1e-6

/* A scale-up step at most doubles the capacity. */
#define AS_SCALE_UP_RATIO	1.0
/* A scale-down step is at most a quarter of the capacity. */
#define AS_SCALE_DOWN_RATIO	0.25

static const char *const as_event_names[AS_EVENT_NKINDS] = {
	[AS_EVENT_SCALE_UP] = "scale_up",
	[AS_EVENT_SCALE_DOWN] = "scale_down",
	[AS_EVENT_CONFIG_CHANGE] = "config_change",
	[AS_EVENT_CONFIG_REJECTED] = "config_rejected",
	[AS_EVENT_STARTUP] = "startup",
	[AS_EVENT_PAUSE] = "pause",
	[AS_EVENT_RESUME] = "resume",
	[AS_EVENT_CONNECTION_REJECTED] = "connection_rejected",
	[AS_EVENT_SCALING_POINT_SEARCH] = "scaling_point_search",
	[AS_EVENT_SCALING_POINT_TIMEOUT] = "scaling_point_timeout",
	[AS_EVENT_ROLLBACK] = "rollback",
	[AS_EVENT_FORCE_APPLY] = "force_apply",
	[AS_EVENT_ROLE_CHANGE] = "role_change",
};

const char *
as_event_kind_name(AsEventKind kind)
{
	if ((int) kind < 0 || kind >= AS_EVENT_NKINDS)
		return "unknown";
	return as_event_names[kind];
}

const char *
as_state_name(AsInstanceState state)
{
	switch (state)
	{
		case AS_STATE_ACTIVE:
			return "active";
		case AS_STATE_PAUSED:
			return "paused";
		case AS_STATE_SCALING:
			return "scaling";
	}
	return "unknown";
}

const char *
as_component_name(AsComponent component)
{
	switch (component)
	{
		case AS_COMPONENT_CPU:
			return "cpu";
		case AS_COMPONENT_MEMORY:
			return "memory";
		case AS_COMPONENT_CONNECTIONS:
			return "connections";
		case AS_COMPONENT_MIN_CAPACITY:
			return "min_capacity";
		case AS_COMPONENT_MAX_CAPACITY:
			return "max_capacity";
	}
	return "unknown";
}

void
as_policy_default_settings(AsPolicySettings *s)
{
	memset(s, 0, sizeof(*s));
	s->engine_mode = AS_ENGINE_V2;
	s->min_capacity = AS_DEFAULT_MIN_CAPACITY;
	s->max_capacity = AS_DEFAULT_MAX_CAPACITY;
	s->vcpus_per_acu = AS_DEFAULT_VCPUS_PER_ACU;
	s->target_cpu_utilization = AS_DEFAULT_TARGET_CPU;
	s->memory_headroom = AS_DEFAULT_MEMORY_HEADROOM;
	s->scale_up_delay = AS_DEFAULT_SCALE_UP_DELAY;
	s->scale_down_delay = AS_DEFAULT_SCALE_DOWN_DELAY;
	s->scale_down_interval = AS_DEFAULT_SCALE_DOWN_INTERVAL;
	s->seconds_before_timeout = AS_DEFAULT_SECONDS_BEFORE_TIMEOUT;
	s->timeout_action = AS_TIMEOUT_ROLLBACK;
	s->v1_cooldown_after_scale_up = AS_DEFAULT_V1_COOLDOWN_AFTER_UP;
	s->v1_cooldown_after_scale_down = AS_DEFAULT_V1_COOLDOWN_AFTER_DOWN;
	s->v1_auto_pause = false;
	s->seconds_until_auto_pause = AS_DEFAULT_SECONDS_UNTIL_AUTO_PAUSE;
	s->scaling_lag = AS_LAG_INSTANT;
}

/* v2 pauses when min_capacity is 0; v1 when AutoPause is on. */
bool
as_auto_pause_enabled(const AsPolicySettings *s)
{
	if (s->engine_mode == AS_ENGINE_V1)
		return s->v1_auto_pause;
	return s->min_capacity == 0;
}

/*
 * How long a scale-up step from capacity takes.  instant: scale_up_delay.
 * aurora: from 15 s at 0.5 ACU to 90 s at 256 ACU, linear in the number of
 * doublings (and never less than scale_up_delay).
 */
double
as_scale_up_step_seconds(const AsPolicySettings *s, double capacity)
{
	double		doublings;
	double		lag;

	if (s->scaling_lag != AS_LAG_AURORA)
		return s->scale_up_delay;
	doublings = log2(Max(capacity, AS_V2_MIN_AWAKE) / AS_V2_MIN_AWAKE);
	lag = AS_AURORA_STEP_MIN_S + (AS_AURORA_STEP_MAX_S - AS_AURORA_STEP_MIN_S) *
		Min(doublings / log2(AS_V2_MAX_CAPACITY / AS_V2_MIN_AWAKE), 1.0);
	return Max(lag, s->scale_up_delay);
}

const char *
as_timeout_action_name(AsTimeoutAction action)
{
	return action == AS_TIMEOUT_FORCE_APPLY ? "ForceApplyCapacityChange" :
		"RollbackCapacityChange";
}

/* AWS's name of a TimeoutAction into *action; false if it is none. */
bool
as_parse_timeout_action(const char *name, AsTimeoutAction *action)
{
	if (strcmp(name, "RollbackCapacityChange") == 0)
		*action = AS_TIMEOUT_ROLLBACK;
	else if (strcmp(name, "ForceApplyCapacityChange") == 0)
		*action = AS_TIMEOUT_FORCE_APPLY;
	else
		return false;
	return true;
}

/*
 * The derived max_connections: v2 evaluates Aurora's formula at
 * max_capacity (or, on the current_capacity basis, follows the capacity of
 * the moment); a v1 instance is an instance of its current capacity.
 */
int
as_derived_max_connections(const AsPolicySettings *s, AsConnectionsBasis basis,
						   double capacity)
{
	if (s->engine_mode == AS_ENGINE_V1)
		return as_max_connections_at(capacity);
	if (basis == AS_BASIS_CURRENT_CAPACITY)
		return as_max_connections_current(capacity, s->max_capacity,
										  s->min_capacity);
	return as_max_connections_for(s->max_capacity, s->min_capacity);
}

/* The least capacity of an instance that is awake. */
double
as_policy_floor(const AsPolicySettings *s)
{
	if (s->min_capacity < AS_V2_MIN_AWAKE)
		return AS_V2_MIN_AWAKE;
	return s->min_capacity;
}

void
as_policy_init(const AsPolicySettings *s, AsPolicyState *st,
			   double start_capacity)
{
	double		floor_acu = as_policy_floor(s);

	memset(st, 0, sizeof(*st));
	st->started = true;
	st->state = AS_STATE_ACTIVE;
	if (!isfinite(start_capacity) || start_capacity < floor_acu)
		start_capacity = floor_acu;
	if (start_capacity > s->max_capacity)
		start_capacity = s->max_capacity;
	st->capacity = s->engine_mode == AS_ENGINE_V1 ?
		as_v1_round_up(start_capacity) : as_round_up_step(start_capacity);
	st->target = st->capacity;
	st->above_since = NAN;
	st->below_since = NAN;
	st->not_below_since = NAN;
	st->last_up_t = NAN;
	st->last_down_t = NAN;
	st->pending_capacity = 0;
	st->search_since = NAN;
	st->retry_after = NAN;
	st->idle_since = NAN;
	st->paused_since = NAN;
	st->paused_from = st->capacity;
	st->rejected_recent = 0;
	st->rejected_until = NAN;
	st->rejected_sum = 0;
	st->rejected_open = 0;
	st->rejected_last_t = NAN;
	st->last_connections = 0;
}

/* Seconds from since to t; +infinity when since never happened. */
static double
as_elapsed(double t, double since)
{
	return isnan(since) ? INFINITY : t - since;
}

void
as_demand_compute(const AsPolicySettings *s, const AsSample *x, AsDemand *d)
{
	double		cpu_share = s->vcpus_per_acu * s->target_cpu_utilization / 100.0;
	double		goal;

	d->cpu_goal = cpu_share > 0 ? x->busy_vcpus / cpu_share : 0;
	d->memory_goal = x->working_set_gib * (1.0 + s->memory_headroom / 100.0) /
		AS_GIB_PER_ACU;
	/* refused connections are demand too: Aurora would scale for them */
	d->connections_goal = (x->connections + x->rejected) /
		AS_CONNECTIONS_PER_CURRENT_ACU;

	d->driver = AS_COMPONENT_CPU;
	goal = d->cpu_goal;
	if (d->memory_goal > goal)
	{
		goal = d->memory_goal;
		d->driver = AS_COMPONENT_MEMORY;
	}
	if (d->connections_goal > goal)
	{
		goal = d->connections_goal;
		d->driver = AS_COMPONENT_CONNECTIONS;
	}

	goal = as_round_up_step(goal);
	if (goal <= as_policy_floor(s))
	{
		goal = as_policy_floor(s);
		d->driver = AS_COMPONENT_MIN_CAPACITY;
	}
	if (goal > s->max_capacity)
	{
		goal = s->max_capacity;
		d->driver = AS_COMPONENT_MAX_CAPACITY;
	}
	d->target = goal;
}

static AsPolicyEvent *
as_add_event(AsPolicyOutput *out, AsEventKind kind, double from, double to,
			 const char *reason)
{
	AsPolicyEvent *ev;

	if (out->nevents >= AS_POLICY_MAX_EVENTS)
		return NULL;
	ev = &out->events[out->nevents++];
	ev->kind = kind;
	ev->from_capacity = from;
	ev->to_capacity = to;
	snprintf(ev->reason, sizeof(ev->reason), "%s", reason);
	ev->detail[0] = '\0';
	return ev;
}

static void
as_describe_demand(AsPolicyEvent *ev, const AsDemand *d, const char *lead)
{
	if (ev == NULL)
		return;
	snprintf(ev->detail, sizeof(ev->detail),
			 "%starget %g ACU (goals: cpu %.2f, memory %.2f, connections %.2f ACU)",
			 lead, d->target, d->cpu_goal, d->memory_goal,
			 d->connections_goal);
}

/* One scaling step of v2, from cap toward target. */
static void
as_step_v2(const AsPolicySettings *s, AsPolicyState *st, const AsSample *x,
		   AsPolicyOutput *out)
{
	const AsDemand *d = &out->demand;
	double		cap = st->capacity;
	double		next = cap;
	AsPolicyEvent *ev;

	/*
	 * The wait for a scale-down restarts only when the demand has been back
	 * at capacity for scale_up_delay: a short burst (an autovacuum worker
	 * starting, a connection) does not hold capacity up.  A scale-up needs at
	 * least that long above capacity, so it always finds the wait restarted.
	 */
	if (d->target >= cap)
	{
		if (isnan(st->not_below_since))
			st->not_below_since = x->t;
		if (as_elapsed(x->t, st->not_below_since) >=
			s->scale_up_delay - AS_T_EPSILON)
			st->below_since = NAN;
	}
	else
		st->not_below_since = NAN;

	if (d->target > cap)
	{
		if (isnan(st->above_since))
			st->above_since = x->t;
		if (as_elapsed(x->t, st->above_since) >=
			as_scale_up_step_seconds(s, cap) - AS_T_EPSILON)
		{
			double		step = as_round_up_step(cap * AS_SCALE_UP_RATIO);

			if (step < AS_CAPACITY_STEP)
				step = AS_CAPACITY_STEP;
			next = Min(d->target, cap + step);
			ev = as_add_event(out, AS_EVENT_SCALE_UP, cap, next,
							  as_component_name(d->driver));
			as_describe_demand(ev, d, "");
			st->last_up_t = x->t;
			/* the next step waits for the demand to persist again */
			st->above_since = next < d->target ? x->t : NAN;
		}
	}
	else if (d->target < cap)
	{
		st->above_since = NAN;
		if (isnan(st->below_since))
			st->below_since = x->t;
		if (as_elapsed(x->t, st->below_since) >= s->scale_down_delay - AS_T_EPSILON &&
			as_elapsed(x->t, st->last_down_t) >= s->scale_down_interval - AS_T_EPSILON)
		{
			double		step = as_round_down_step(cap * AS_SCALE_DOWN_RATIO);

			if (step < AS_CAPACITY_STEP)
				step = AS_CAPACITY_STEP;
			next = Max(d->target, cap - step);
			ev = as_add_event(out, AS_EVENT_SCALE_DOWN, cap, next,
							  as_component_name(d->driver));
			as_describe_demand(ev, d, "demand below capacity; ");
			st->last_down_t = x->t;
		}
	}
	else
		st->above_since = NAN;

	st->capacity = next;
}

/*
 * A capacity outside [floor, max] moves inside at once (a new range applies
 * at the next sample).  Returns true when it did.
 */
static bool
as_step_bounds(const AsPolicySettings *s, AsPolicyState *st,
			   const AsSample *x, AsPolicyOutput *out)
{
	double		cap = st->capacity;
	double		floor_acu = as_policy_floor(s);
	AsPolicyEvent *ev;

	if (cap > s->max_capacity)
	{
		st->capacity = s->max_capacity;
		ev = as_add_event(out, AS_EVENT_SCALE_DOWN, cap, st->capacity,
						  "max_capacity");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "capacity %g ACU is above max_capacity %g ACU",
					 cap, s->max_capacity);
		st->last_down_t = x->t;
	}
	else if (cap < floor_acu)
	{
		st->capacity = floor_acu;
		ev = as_add_event(out, AS_EVENT_SCALE_UP, cap, st->capacity,
						  "min_capacity");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "capacity %g ACU is below min_capacity %g ACU",
					 cap, s->min_capacity);
		st->last_up_t = x->t;
	}
	else if (s->engine_mode == AS_ENGINE_V1 && as_v1_index(cap) < 0)
	{
		/* now in v1: move to a capacity v1 has */
		st->capacity = Min(as_v1_round_up(cap), s->max_capacity);
		ev = as_add_event(out, st->capacity > cap ? AS_EVENT_SCALE_UP :
						  AS_EVENT_SCALE_DOWN, cap, st->capacity, "engine_mode");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "%g ACU is not a v1 capacity", cap);
	}
	else
		return false;

	st->above_since = st->below_since = NAN;
	if (st->state == AS_STATE_SCALING)
	{
		st->state = AS_STATE_ACTIVE;
		st->pending_capacity = 0;
	}
	return true;
}

/*
 * Pause and resume.  Returns true when the sample is spent on them: the
 * instance is paused, or paused or resumed at this sample.
 */
static bool
as_step_pause(const AsPolicySettings *s, AsPolicyState *st, const AsSample *x,
			  AsPolicyOutput *out)
{
	AsPolicyEvent *ev;

	if (st->state == AS_STATE_PAUSED)
	{
		double		to;

		if (x->arrivals == 0 && !x->resume_requested)
		{
			st->capacity = 0;
			st->target = 0;
			out->demand.target = 0;
			return true;
		}
		to = Min(Max(st->paused_from, as_policy_floor(s)), s->max_capacity);
		if (s->engine_mode == AS_ENGINE_V1)
			to = Min(as_v1_round_up(to), s->max_capacity);
		ev = as_add_event(out, AS_EVENT_RESUME, 0, to,
						  x->resume_requested ? "resume" : "connection");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "paused for %.0f s; resumed at %g ACU",
					 x->t - st->paused_since, to);
		st->state = AS_STATE_ACTIVE;
		st->capacity = to;
		st->target = to;
		st->idle_since = NAN;
		st->above_since = st->below_since = NAN;
		st->last_up_t = x->t;
		return true;
	}

	if (x->pause_requested)
		;
	else if (as_auto_pause_enabled(s) && x->awake_connections == 0 &&
			 !x->blocked)
	{
		if (isnan(st->idle_since))
			st->idle_since = x->t;
		if (as_elapsed(x->t, st->idle_since) <
			s->seconds_until_auto_pause - AS_T_EPSILON)
			return false;
	}
	else
	{
		st->idle_since = NAN;
		return false;
	}

	ev = as_add_event(out, AS_EVENT_PAUSE, st->capacity, 0,
					  x->pause_requested ? "pause" : "idle");
	if (ev)
	{
		if (x->pause_requested)
			snprintf(ev->detail, sizeof(ev->detail),
					 "paused by pause() at %g ACU", st->capacity);
		else
			snprintf(ev->detail, sizeof(ev->detail),
					 "no connection for %.0f s; paused at %g ACU",
					 x->t - st->idle_since, st->capacity);
	}
	st->paused_from = st->capacity;
	st->paused_since = x->t;
	st->state = AS_STATE_PAUSED;
	st->capacity = 0;
	st->target = 0;
	out->demand.target = 0;
	st->pending_capacity = 0;
	st->idle_since = NAN;
	return true;
}

/* v1: begin searching for a scaling point for a change to want. */
static void
as_v1_start_search(AsPolicyState *st, const AsSample *x, double want,
				   double timeout, AsTimeoutAction action, const char *reason,
				   AsPolicyOutput *out)
{
	AsPolicyEvent *ev;

	st->state = AS_STATE_SCALING;
	st->pending_capacity = want;
	st->search_since = x->t;
	st->search_timeout = timeout;
	st->search_action = action;
	strlcpy(st->search_reason, reason, sizeof(st->search_reason));
	ev = as_add_event(out, AS_EVENT_SCALING_POINT_SEARCH, st->capacity, want,
					  reason);
	if (ev)
		snprintf(ev->detail, sizeof(ev->detail),
				 "searching for a scaling point for up to %g s, then %s",
				 timeout, as_timeout_action_name(action));
}

/* v1: apply the change searched for. */
static void
as_v1_apply(AsPolicyState *st, const AsSample *x, AsPolicyOutput *out,
			const char *how)
{
	double		from = st->capacity;
	double		to = st->pending_capacity;
	bool		up = to > from;
	AsPolicyEvent *ev;

	ev = as_add_event(out, up ? AS_EVENT_SCALE_UP : AS_EVENT_SCALE_DOWN,
					  from, to, st->search_reason);
	if (ev)
		snprintf(ev->detail, sizeof(ev->detail), "%s after %.0f s of search",
				 how, x->t - st->search_since);
	st->capacity = to;
	if (up)
		st->last_up_t = x->t;
	else
		st->last_down_t = x->t;
	st->state = AS_STATE_ACTIVE;
	st->pending_capacity = 0;
	st->above_since = st->below_since = NAN;
}

/*
 * Aurora Serverless v1: capacities from a fixed list; scale up one step when
 * CPU > 70% or connections > 90% of the limit, down one step only when CPU
 * < 30% and connections < 40%; no scale-down for a cooldown after any
 * change.  A change waits for a scaling point (a sample that is not
 * blocked) for seconds_before_timeout, then rolls back or is forced.
 */
static void
as_step_v1(const AsPolicySettings *s, AsPolicyState *st, const AsSample *x,
		   AsPolicyOutput *out)
{
	double		cap = st->capacity;
	int			idx = as_v1_index(cap);
	double		cpu_pct = s->vcpus_per_acu > 0 ?
	x->busy_vcpus / (cap * s->vcpus_per_acu) * 100.0 : 0;
	double		conn_pct = 100.0 * x->connections / Max(as_max_connections_at(cap), 1);
	bool		started = false;

	if (x->requested_capacity > 0)
	{
		if (x->requested_capacity != cap)
		{
			as_v1_start_search(st, x, x->requested_capacity, x->request_timeout,
							   x->request_action, "modify_current_capacity", out);
			started = true;
		}
	}
	else if (st->state == AS_STATE_ACTIVE &&
			 !(as_elapsed(x->t, st->retry_after) < 0))
	{
		bool		want_up = (cpu_pct > AS_V1_SCALE_UP_CPU ||
							   conn_pct > AS_V1_SCALE_UP_CONNECTIONS);
		bool		want_down = (cpu_pct < AS_V1_SCALE_DOWN_CPU &&
								 conn_pct < AS_V1_SCALE_DOWN_CONNECTIONS);

		if (want_up && idx >= 0 && idx + 1 < AS_V1_NCAPACITIES &&
			as_v1_capacities[idx + 1] <= s->max_capacity)
		{
			st->below_since = NAN;
			if (isnan(st->above_since))
				st->above_since = x->t;
			if (as_elapsed(x->t, st->above_since) >= s->scale_up_delay - AS_T_EPSILON)
			{
				as_v1_start_search(st, x, as_v1_capacities[idx + 1],
								   s->seconds_before_timeout, s->timeout_action,
								   cpu_pct > AS_V1_SCALE_UP_CPU ? "cpu" : "connections",
								   out);
				started = true;
			}
		}
		else if (want_down && idx > 0 &&
				 as_v1_capacities[idx - 1] >= s->min_capacity &&
				 as_elapsed(x->t, st->last_up_t) >= s->v1_cooldown_after_scale_up - AS_T_EPSILON &&
				 as_elapsed(x->t, st->last_down_t) >= s->v1_cooldown_after_scale_down - AS_T_EPSILON)
		{
			st->above_since = NAN;
			as_v1_start_search(st, x, as_v1_capacities[idx - 1],
							   s->seconds_before_timeout, s->timeout_action,
							   "demand", out);
			started = true;
		}
		else if (!want_up)
			st->above_since = NAN;
	}

	/* a search that began now waits for the next sample's scaling point */
	if (st->state == AS_STATE_SCALING && !started)
	{
		if (!x->blocked)
			as_v1_apply(st, x, out, "scaling point found");
		else if (as_elapsed(x->t, st->search_since) >= st->search_timeout - AS_T_EPSILON)
		{
			AsPolicyEvent *ev;

			ev = as_add_event(out, AS_EVENT_SCALING_POINT_TIMEOUT, cap,
							  st->pending_capacity, st->search_reason);
			if (ev)
				snprintf(ev->detail, sizeof(ev->detail),
						 "no scaling point in %g s; %s", st->search_timeout,
						 as_timeout_action_name(st->search_action));
			if (st->search_action == AS_TIMEOUT_FORCE_APPLY)
			{
				ev = as_add_event(out, AS_EVENT_FORCE_APPLY, cap,
								  st->pending_capacity, st->search_reason);
				if (ev)
					snprintf(ev->detail, sizeof(ev->detail),
							 "blocking sessions are ended");
				out->force_apply = true;
				as_v1_apply(st, x, out, "forced");
			}
			else
			{
				ev = as_add_event(out, AS_EVENT_ROLLBACK, cap, cap,
								  st->search_reason);
				if (ev)
					snprintf(ev->detail, sizeof(ev->detail),
							 "capacity stays at %g ACU instead of %g ACU",
							 cap, st->pending_capacity);
				st->state = AS_STATE_ACTIVE;
				st->pending_capacity = 0;
				st->above_since = NAN;
				/* try again only after as long again */
				st->retry_after = x->t + st->search_timeout;
			}
		}
	}

	/* v1 wants one capacity of its list: the one searched for, or this */
	st->target = st->state == AS_STATE_SCALING ? st->pending_capacity :
		st->capacity;
	out->demand.target = st->target;
}

/*
 * Connections refused by enforcement are demand.  A refused client wanted a
 * connection while the limit was full, so the storm wanted the most
 * connections open during it (at the sample before its first refusal or
 * any sample since) plus every refusal of it (no gap of
 * AS_REJECTED_STORM_GAP_S): clients that were in and left meanwhile do not
 * shrink it.  That number stays in the demand for AS_REJECTED_MEMORY_S
 * after the last refusal, as the retries it causes would, so capacity rises
 * for it and later connections succeed.  Returns the connections the demand
 * counts.
 */
static int
as_wanted_connections(AsPolicyState *st, const AsSample *x)
{
	if (x->rejected > 0)
	{
		if (as_elapsed(x->t, st->rejected_last_t) > AS_REJECTED_STORM_GAP_S)
		{
			st->rejected_sum = 0;
			st->rejected_open = st->last_connections;
		}
		st->rejected_sum += x->rejected;
		st->rejected_open = Max(st->rejected_open, x->connections);
		st->rejected_last_t = x->t;
		/* an earlier storm still remembered may have wanted more */
		if (!(as_elapsed(x->t, st->rejected_until) < 0))
			st->rejected_recent = 0;
		st->rejected_recent = Max(st->rejected_recent,
								  st->rejected_open + st->rejected_sum);
		st->rejected_until = x->t + AS_REJECTED_MEMORY_S;
	}
	else if (!(as_elapsed(x->t, st->rejected_until) < 0))
		st->rejected_recent = 0;
	st->last_connections = x->connections;
	return Max(x->connections, (int) st->rejected_recent);
}

void
as_policy_step(const AsPolicySettings *s, AsPolicyState *st,
			   const AsSample *x, AsPolicyOutput *out)
{
	AsSample	demand = *x;

	memset(out, 0, sizeof(*out));
	if (!st->started)
		as_policy_init(s, st, s->min_capacity);

	demand.connections = as_wanted_connections(st, x);
	demand.rejected = 0;
	as_demand_compute(s, &demand, &out->demand);
	st->target = out->demand.target;

	if (as_step_pause(s, st, x, out))
		return;
	if (as_step_bounds(s, st, x, out))
		return;
	if (s->engine_mode == AS_ENGINE_V1)
		as_step_v1(s, st, x, out);
	else
	{
		/* v2 has no scaling points: a v1 search ends with the mode */
		st->state = AS_STATE_ACTIVE;
		st->pending_capacity = 0;
		as_step_v2(s, st, x, out);
	}
}

/*
 * Describe what changed between two settings, as "name old -> new, ...".
 * Returns false, with buf empty, when nothing did.
 */
bool
as_settings_describe_change(const AsPolicySettings *a,
							const AsPolicySettings *b, char *buf, size_t size)
{
	size_t		len = 0;

	buf[0] = '\0';
#define AS_DIFF(field, fmt, va, vb) \
	if (a->field != b->field && len < size) \
		len += snprintf(buf + len, size - len, "%s" #field " " fmt " -> " fmt, \
						len ? ", " : "", va, vb)
	AS_DIFF(engine_mode, "%s", as_engine_mode_name(a->engine_mode),
			as_engine_mode_name(b->engine_mode));
	AS_DIFF(min_capacity, "%g", a->min_capacity, b->min_capacity);
	AS_DIFF(max_capacity, "%g", a->max_capacity, b->max_capacity);
	AS_DIFF(vcpus_per_acu, "%g", a->vcpus_per_acu, b->vcpus_per_acu);
	AS_DIFF(target_cpu_utilization, "%g", a->target_cpu_utilization,
			b->target_cpu_utilization);
	AS_DIFF(memory_headroom, "%g", a->memory_headroom, b->memory_headroom);
	AS_DIFF(scale_up_delay, "%g", a->scale_up_delay, b->scale_up_delay);
	AS_DIFF(scale_down_delay, "%g", a->scale_down_delay, b->scale_down_delay);
	AS_DIFF(scale_down_interval, "%g", a->scale_down_interval,
			b->scale_down_interval);
	AS_DIFF(seconds_before_timeout, "%g", a->seconds_before_timeout,
			b->seconds_before_timeout);
	AS_DIFF(timeout_action, "%s", as_timeout_action_name(a->timeout_action),
			as_timeout_action_name(b->timeout_action));
	AS_DIFF(v1_cooldown_after_scale_up, "%g", a->v1_cooldown_after_scale_up,
			b->v1_cooldown_after_scale_up);
	AS_DIFF(v1_cooldown_after_scale_down, "%g", a->v1_cooldown_after_scale_down,
			b->v1_cooldown_after_scale_down);
	AS_DIFF(v1_auto_pause, "%s", a->v1_auto_pause ? "on" : "off",
			b->v1_auto_pause ? "on" : "off");
	AS_DIFF(seconds_until_auto_pause, "%g", a->seconds_until_auto_pause,
			b->seconds_until_auto_pause);
	AS_DIFF(scaling_lag, "%s", a->scaling_lag == AS_LAG_AURORA ? "aurora" : "instant",
			b->scaling_lag == AS_LAG_AURORA ? "aurora" : "instant");
#undef AS_DIFF
	return len > 0;
}
