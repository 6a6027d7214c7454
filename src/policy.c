/*-------------------------------------------------------------------------
 *
 * policy.c
 *		The capacity policy, a pure function.
 *
 * Given the settings, the previous state and one sample, compute the demand
 * (cpu, memory and connections goals, each in ACU), the target capacity,
 * and move the capacity toward it the way Aurora Serverless v2 does:
 * 0.5 ACU steps within [min, max]; scale-up after the demand has stayed
 * above capacity for scale_up_delay seconds, in steps that grow with the
 * capacity (each step at most doubles it); scale-down only after the demand
 * has stayed below capacity for scale_down_delay seconds, then one gradual
 * step (a quarter of the capacity, at least 0.5 ACU) every
 * scale_down_interval seconds.  A capacity outside a new [min, max] moves
 * inside at once.
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
	st->capacity = as_round_up_step(start_capacity);
	st->target = st->capacity;
	st->above_since = NAN;
	st->below_since = NAN;
	st->last_up_t = NAN;
	st->last_down_t = NAN;
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
	d->connections_goal = x->connections / AS_CONNECTIONS_PER_CURRENT_ACU;

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
	double		floor_acu = as_policy_floor(s);
	double		next = cap;
	AsPolicyEvent *ev;

	if (cap > s->max_capacity)
	{
		next = s->max_capacity;
		ev = as_add_event(out, AS_EVENT_SCALE_DOWN, cap, next, "max_capacity");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "capacity %g ACU is above max_capacity %g ACU",
					 cap, s->max_capacity);
		st->last_down_t = x->t;
		st->above_since = st->below_since = NAN;
	}
	else if (cap < floor_acu)
	{
		next = floor_acu;
		ev = as_add_event(out, AS_EVENT_SCALE_UP, cap, next, "min_capacity");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "capacity %g ACU is below min_capacity %g ACU",
					 cap, s->min_capacity);
		st->last_up_t = x->t;
		st->above_since = st->below_since = NAN;
	}
	else if (d->target > cap)
	{
		st->below_since = NAN;
		if (isnan(st->above_since))
			st->above_since = x->t;
		if (as_elapsed(x->t, st->above_since) >= s->scale_up_delay - AS_T_EPSILON)
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
		st->above_since = st->below_since = NAN;

	st->capacity = next;
}

void
as_policy_step(const AsPolicySettings *s, AsPolicyState *st,
			   const AsSample *x, AsPolicyOutput *out)
{
	memset(out, 0, sizeof(*out));
	if (!st->started)
		as_policy_init(s, st, s->min_capacity);

	as_demand_compute(s, x, &out->demand);
	st->target = out->demand.target;

	as_step_v2(s, st, x, out);
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
#undef AS_DIFF
	return len > 0;
}
