/*-------------------------------------------------------------------------
 *
 * policy.c
 *		The capacity policy, a pure function.
 *
 * Given the settings, the previous state and one sample, compute the demand
 * (cpu, memory and connections goals, each in ACU), the target capacity, and
 * move the capacity toward it the way Aurora Serverless v2 does: 0.5 ACU steps
 * within [min, max], landing on the target rather than passing it.
 *
 * Scale-up, by the scaling_lag profile.  instant: once the demand has stayed
 * above capacity for scale_up_delay, a step that at most doubles the
 * capacity, one per scale_up_delay.  aurora: as measured on Aurora
 * PostgreSQL 15.5 Serverless v2 (keisuke.dev, 2024): small capacities react
 * in about 2 s and step again within seconds; from 4 ACU a first step comes
 * after about 15 s and each further step waits longer the larger the
 * capacity (35 s at 4 ACU, 70 s at 8, at most 90 s); see
 * as_aurora_reaction_seconds() and the functions after it.  Those are
 * platform versions 1 and 2; versions 3 and 4 take the same steps in less
 * time (as_platform_speed_factor()).
 *
 * Scale-down, both profiles: only after the demand has stayed below capacity
 * for scale_down_delay (the profile's: 60 s instant, 120 s aurora, where
 * Aurora was seen to begin 90 s to 5 min after the load stopped; a return to
 * capacity shorter than scale_up_delay, a single busy sample, does not
 * restart that wait), then one gradual step (a quarter of the capacity, at
 * least 0.5 ACU) every scale_down_interval.  A capacity outside a new
 * [min, max] moves inside at once.
 *
 * Auto-pause (v2 with min_capacity 0, or v1 with auto_pause) goes through
 * the steps AWS reports as RDS events: after seconds_until_auto_pause with
 * no connection that keeps it awake (nor logical replication enabled, for
 * the writer and readers in promotion tier 0 or 1), a pause is initiated
 * (RDS-EVENT-0370);
 * AS_PAUSE_SECONDS later it is done (0372, 0 ACU), unless a connection
 * arrived or a session kept it awake meanwhile, which cancels it (0371).  A connection,
 * resume(), or a change of the range initiates a resume (0373), which takes
 * resume_delay (the profile's: none instant; 15 s aurora, 30 s after a day
 * paused, a reader AS_READER_RESUME_EXTRA_SECONDS more) and is done (0374) at resume_capacity in v2 (AWS: "a relatively
 * small capacity", 2 ACU in its example) or at the paused capacity in v1.
 * After resume() or a range change, no auto-pause for awake_after_wakeup
 * (AWS: at least 20 minutes).  Engine mode v1 is described at as_step_v1().
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

/*
 * How long a pause takes from its initiation; a connection arriving meanwhile
 * cancels it.  AWS does not document it; a few seconds.
 */
#define AS_PAUSE_SECONDS	5.0

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
	[AS_EVENT_PAUSE_INITIATED] = "pause_initiated",
	[AS_EVENT_PAUSE_CANCELLED] = "pause_cancelled",
	[AS_EVENT_RESUME_INITIATED] = "resume_initiated",
	[AS_EVENT_ALARM] = "alarm",
	[AS_EVENT_WRITER_CONNECTED] = "writer_connected",
	[AS_EVENT_WRITER_UNREACHABLE] = "writer_unreachable",
	[AS_EVENT_READER_JOINED] = "reader_joined",
	[AS_EVENT_READER_STALE] = "reader_stale",
	[AS_EVENT_READER_REMOVED] = "reader_removed",
	[AS_EVENT_WORK_CANCELLED] = "work_cancelled",
};

const char *
as_event_kind_name(AsEventKind kind)
{
	if ((int) kind < 0 || kind >= AS_EVENT_NKINDS)
		return "unknown";
	return as_event_names[kind];
}

/* The RDS event identifier AWS gives an event, or NULL where it has none. */
const char *
as_event_rds_id(AsEventKind kind)
{
	switch (kind)
	{
		case AS_EVENT_PAUSE_INITIATED:
			return "RDS-EVENT-0370";
		case AS_EVENT_PAUSE_CANCELLED:
			return "RDS-EVENT-0371";
		case AS_EVENT_PAUSE:
			return "RDS-EVENT-0372";
		case AS_EVENT_RESUME_INITIATED:
			return "RDS-EVENT-0373";
		case AS_EVENT_RESUME:
			return "RDS-EVENT-0374";
		default:
			return NULL;
	}
}

/* The state a name (as_state_name's) stands for; false when none. */
bool
as_state_by_name(const char *name, AsInstanceState *state)
{
	for (int s = AS_STATE_ACTIVE; s <= AS_STATE_RESUMING; s++)
		if (strcmp(name, as_state_name((AsInstanceState) s)) == 0)
		{
			*state = (AsInstanceState) s;
			return true;
		}
	return false;
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
		case AS_STATE_PAUSING:
			return "pausing";
		case AS_STATE_RESUMING:
			return "resuming";
	}
	return "unknown";
}

/* The Status that describe() and pause()/resume() report. */
const char *
as_status_name(AsInstanceState state)
{
	if (state == AS_STATE_ACTIVE || state == AS_STATE_SCALING)
		return "available";
	return as_state_name(state);
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
		case AS_COMPONENT_WRITER:
			return "writer";
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
	s->scale_down_delay = AS_BY_PROFILE;
	s->scale_down_interval = AS_DEFAULT_SCALE_DOWN_INTERVAL;
	s->seconds_before_timeout = AS_DEFAULT_SECONDS_BEFORE_TIMEOUT;
	s->timeout_action = AS_TIMEOUT_ROLLBACK;
	s->v1_cooldown_after_scale_up = AS_DEFAULT_V1_COOLDOWN_AFTER_UP;
	s->v1_cooldown_after_scale_down = AS_DEFAULT_V1_COOLDOWN_AFTER_DOWN;
	s->v1_auto_pause = false;
	s->seconds_until_auto_pause = AS_DEFAULT_SECONDS_UNTIL_AUTO_PAUSE;
	s->resume_capacity = AS_DEFAULT_RESUME_CAPACITY;
	s->resume_delay = AS_BY_PROFILE;
	s->awake_after_wakeup = AS_DEFAULT_AWAKE_AFTER_WAKEUP;
	s->scaling_lag = AS_LAG_INSTANT;
	s->platform_version = AS_DEFAULT_PLATFORM_VERSION;
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
 * May the range pause?  v2 pauses only with min_capacity 0, v1 only with
 * auto_pause on; when not, why (a full sentence) goes into why.
 */
bool
as_pause_allowed(const AsPolicySettings *s, char *why, size_t size)
{
	if (as_auto_pause_enabled(s))
		return true;
	if (s->engine_mode == AS_ENGINE_V1)
		snprintf(why, size, "aurora_serverless.auto_pause is off.");
	else
		snprintf(why, size,
				 "min_capacity is %g; Serverless v2 pauses only with min_capacity 0.",
				 s->min_capacity);
	return false;
}

/*
 * The capacity a resume lands on: v2 resumes at a small capacity
 * (resume_capacity, within the range) and scales by demand from there; v1
 * at the capacity it paused at.
 */
double
as_resume_capacity(const AsPolicySettings *s, const AsPolicyState *st)
{
	double		floor_acu = as_policy_floor(s);
	double		to;

	if (s->engine_mode == AS_ENGINE_V1)
		return Min(as_v1_round_up(Max(st->paused_from, floor_acu)),
				   s->max_capacity);
	to = as_round_up_step(Max(s->resume_capacity, floor_acu));
	return Min(to, s->max_capacity);
}

/*
 * How long a resume takes: resume_delay, or the profile's: none (instant);
 * about 15 s, 30 s or more after a day paused (aurora, as AWS documents),
 * and for a reader slightly more (AWS gives no figure: 2 s here).
 */
double
as_resume_seconds(const AsPolicySettings *s, double paused_for, bool reader)
{
	if (s->resume_delay >= 0)
		return s->resume_delay;
	if (s->scaling_lag != AS_LAG_AURORA)
		return AS_INSTANT_RESUME_SECONDS;
	return (paused_for >= 86400 ? 30 : 15) +
		(reader ? AS_READER_RESUME_EXTRA_SECONDS : 0);
}

/*
 * How long demand must stay below capacity before a scale-down:
 * scale_down_delay, or the profile's: 60 s (instant); 120 s (aurora, inside
 * the 90 s .. 5 min after which Aurora was seen to begin).
 */
double
as_scale_down_delay(const AsPolicySettings *s)
{
	if (s->scale_down_delay >= 0)
		return s->scale_down_delay;
	return s->scaling_lag == AS_LAG_AURORA ? 120 : AS_INSTANT_SCALE_DOWN_DELAY;
}

/*
 * How long the aurora profile's scale-up steps take on a platform version,
 * as a share of the times measured in 2024 (versions 1 and 2).  AWS (AWS
 * Database Blog, "Aurora Serverless: faster performance, enhanced scaling,
 * and still scales down to zero", 2026): on one sysbench run with the same
 * capacity settings, version 4 completed 27% faster than version 3 and 41%
 * faster than version 2, so version 3 took 0.59 / 0.73 of version 2's time;
 * version 4 scales "up to 45.0% faster" than version 3, so its steps take
 * 0.55 of version 3's.  The derivation is the model's; AWS publishes no step
 * times for either version.
 */
double
as_platform_speed_factor(int platform_version)
{
	double		v3 = 0.59 / 0.73;

	if (platform_version >= 4)
		return v3 * 0.55;
	if (platform_version == 3)
		return v3;
	return 1.0;
}

/*
 * The aurora profile, calibrated on the measurements of Aurora PostgreSQL
 * 15.5 Serverless v2 under heavy load (keisuke.dev, 2024): range 1-4, first
 * step after 2-12 s and 4 ACU after about 10 s; range 1-32, 1 -> 4 ACU in
 * about 2 s, 4 -> 8 in 15-73 s, 8 -> 10.5 in 67-138 s; range 4-32, 4 -> 8 in
 * 15-16 s, 8 -> 10.5 in 67 s; range 8-32, 8 -> 11 in 16 s.  docs/model.md shows
 * the profile beside them, from a test that fails if it leaves a band.
 *
 * Reaction: how long the demand must stay above capacity before a step:
 * 2 s below 4 ACU, 15 s at 4 ACU, a quarter second more per ACU above; on
 * platform versions 3 and 4, times their speed factor.
 */
double
as_aurora_reaction_seconds(double capacity, int platform_version)
{
	double		measured = capacity < 4 ? 2 : 15 + (capacity - 4) / 4;

	return measured * as_platform_speed_factor(platform_version);
}

/*
 * Cooldown: the least time between a scale-up and the next: 8 s below 4 ACU,
 * then 8.75 s per ACU (35 s at 4, 70 s at 8), at most 90 s; on platform
 * versions 3 and 4, times their speed factor.
 */
double
as_aurora_cooldown_seconds(double capacity, int platform_version)
{
	double		measured = capacity < 4 ? 8 : Min(8.75 * capacity, 90);

	return measured * as_platform_speed_factor(platform_version);
}

/*
 * Where a step from capacity toward target lands: below 4 ACU, half way to
 * the target but at least a doubling and at most four times the capacity;
 * from 4 ACU, a doubling; never past the target.
 */
double
as_aurora_step_to(double capacity, double target)
{
	double		next = Max(2 * capacity,
						   capacity + as_round_up_step((target - capacity) / 2));

	next = Min(next, capacity * (capacity < 4 ? 4 : 2));
	next = Min(next, target);
	return Max(next, capacity + AS_CAPACITY_STEP);
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
	st->pausing_since = NAN;
	st->pause_manual = false;
	st->paused_since = NAN;
	st->paused_from = st->capacity;
	st->paused_min = s->min_capacity;
	st->paused_max = s->max_capacity;
	st->resuming_since = NAN;
	st->resume_admin = false;
	st->admin_wakeup_t = NAN;
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
	/* a reader in promotion tier 0 or 1 runs at least at its writer's */
	if (x->floor_capacity > 0 && as_round_up_step(x->floor_capacity) > goal)
	{
		goal = as_round_up_step(x->floor_capacity);
		d->driver = AS_COMPONENT_WRITER;
	}
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

/* Has the demand stayed above capacity long enough for a scale-up step? */
static bool
as_scale_up_due(const AsPolicySettings *s, const AsPolicyState *st, double t,
				double cap)
{
	if (s->scaling_lag != AS_LAG_AURORA)
		return as_elapsed(t, st->above_since) >= s->scale_up_delay - AS_T_EPSILON;
	return as_elapsed(t, st->above_since) >=
		Max(as_aurora_reaction_seconds(cap, s->platform_version),
			s->scale_up_delay) - AS_T_EPSILON &&
		as_elapsed(t, st->last_up_t) >=
		as_aurora_cooldown_seconds(cap, s->platform_version) - AS_T_EPSILON;
}

/* Where a scale-up step from cap lands. */
static double
as_scale_up_to(const AsPolicySettings *s, double cap, double target)
{
	double		step;

	if (s->scaling_lag == AS_LAG_AURORA)
		return as_aurora_step_to(cap, target);
	step = as_round_up_step(cap * AS_SCALE_UP_RATIO);
	if (step < AS_CAPACITY_STEP)
		step = AS_CAPACITY_STEP;
	return Min(target, cap + step);
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
		if (as_scale_up_due(s, st, x->t, cap))
		{
			next = as_scale_up_to(s, cap, d->target);
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
		if (as_elapsed(x->t, st->below_since) >=
			as_scale_down_delay(s) - AS_T_EPSILON &&
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
	double		writer_acu = Min(as_round_up_step(x->floor_capacity),
								 s->max_capacity);
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
	else if (x->floor_capacity > 0 && cap < writer_acu &&
			 (s->engine_mode == AS_ENGINE_V2 || as_v1_index(writer_acu) >= 0))
	{
		/* the writer scaled up: its tier 0/1 readers follow at once */
		st->capacity = writer_acu;
		ev = as_add_event(out, AS_EVENT_SCALE_UP, cap, st->capacity, "writer");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "the writer runs at %g ACU; a reader in promotion tier 0 or 1 runs at least as high",
					 x->floor_capacity);
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

/* Has the range changed since the pause, or does it no longer allow one? */
static bool
as_range_changed_while_paused(const AsPolicySettings *s,
							  const AsPolicyState *st)
{
	return s->min_capacity != st->paused_min ||
		s->max_capacity != st->paused_max || !as_auto_pause_enabled(s);
}

/* Initiate a resume (RDS-EVENT-0373). */
static void
as_resume_initiate(const AsPolicySettings *s, AsPolicyState *st,
				   const AsSample *x, AsPolicyOutput *out, const char *reason,
				   bool admin)
{
	AsPolicyEvent *ev;

	ev = as_add_event(out, AS_EVENT_RESUME_INITIATED, 0,
					  as_resume_capacity(s, st), reason);
	if (ev)
		snprintf(ev->detail, sizeof(ev->detail),
				 "paused for %.0f s; resuming at %g ACU, which takes %g s",
				 x->t - st->paused_since, as_resume_capacity(s, st),
				 as_resume_seconds(s, x->t - st->paused_since, x->reader));
	st->state = AS_STATE_RESUMING;
	st->resuming_since = x->t;
	st->resume_admin = admin;
	strlcpy(st->resume_reason, reason, sizeof(st->resume_reason));
}

/* A resume that has taken its time is done (RDS-EVENT-0374). */
static void
as_resume_done(const AsPolicySettings *s, AsPolicyState *st,
			   const AsSample *x, AsPolicyOutput *out)
{
	double		to = as_resume_capacity(s, st);
	AsPolicyEvent *ev;

	ev = as_add_event(out, AS_EVENT_RESUME, 0, to, st->resume_reason);
	if (ev)
		snprintf(ev->detail, sizeof(ev->detail),
				 "paused for %.0f s; resumed at %g ACU%s",
				 st->resuming_since - st->paused_since, to,
				 st->resume_admin ? "; no auto-pause for awake_after_wakeup" : "");
	st->state = AS_STATE_ACTIVE;
	st->capacity = to;
	st->target = to;
	st->idle_since = NAN;
	st->above_since = st->below_since = NAN;
	st->last_up_t = x->t;
	if (st->resume_admin)
		st->admin_wakeup_t = x->t;
}

/* Initiate a pause (RDS-EVENT-0370); it is done AS_PAUSE_SECONDS later. */
static void
as_pause_initiate(AsPolicyState *st, const AsSample *x, AsPolicyOutput *out,
				  bool manual)
{
	AsPolicyEvent *ev;
	bool		with_writer = !manual && x->group == AS_GROUP_PAUSED;

	ev = as_add_event(out, AS_EVENT_PAUSE_INITIATED, st->capacity,
					  st->capacity, manual ? "pause" : with_writer ? "writer" : "idle");
	if (ev)
	{
		if (manual)
			snprintf(ev->detail, sizeof(ev->detail),
					 "pause() at %g ACU", st->capacity);
		else if (with_writer)
			snprintf(ev->detail, sizeof(ev->detail),
					 "the writer paused; a reader in promotion tier 0 or 1 pauses with it, at %g ACU",
					 st->capacity);
		else
			snprintf(ev->detail, sizeof(ev->detail),
					 "no connection for %.0f s at %g ACU",
					 x->t - st->idle_since, st->capacity);
	}
	st->state = AS_STATE_PAUSING;
	st->pausing_since = x->t;
	st->pause_manual = manual;
	st->pending_capacity = 0;
}

/*
 * Pause and resume.  Returns true when the sample is spent on them: the
 * instance is pausing, paused or resuming, or began one of them at this
 * sample.
 */
static bool
as_step_pause(const AsPolicySettings *s, AsPolicyState *st, const AsSample *x,
			  AsPolicyOutput *out)
{
	AsPolicyEvent *ev;

	if (st->state == AS_STATE_PAUSING)
	{
		/*
		 * Cancelled by workload while it lasts: a connection arrived, or (for
		 * an auto-pause) one keeps it awake, or a blocker appeared; or by a
		 * range that no longer allows a pause.
		 */
		bool		cancel = x->arrivals > 0 || !as_auto_pause_enabled(s) ||
		(!st->pause_manual && (x->awake_connections > 0 || x->blocked ||
							   x->logical_replication ||
							   x->group == AS_GROUP_AWAKE));

		if (as_elapsed(x->t, st->pausing_since) <
			AS_PAUSE_SECONDS - AS_T_EPSILON || !as_auto_pause_enabled(s))
		{
			if (!cancel)
				return true;
			ev = as_add_event(out, AS_EVENT_PAUSE_CANCELLED, st->capacity,
							  st->capacity,
							  as_auto_pause_enabled(s) ? "workload" :
							  "configuration");
			if (ev)
				snprintf(ev->detail, sizeof(ev->detail),
						 as_auto_pause_enabled(s) ?
						 "a connection arrived or a session keeps it awake; staying at %g ACU" :
						 "the range no longer allows a pause; staying at %g ACU",
						 st->capacity);
			st->state = AS_STATE_ACTIVE;
			st->idle_since = NAN;
			return false;
		}
		ev = as_add_event(out, AS_EVENT_PAUSE, st->capacity, 0,
						  st->pause_manual ? "pause" :
						  x->group == AS_GROUP_PAUSED ? "writer" : "idle");
		if (ev)
			snprintf(ev->detail, sizeof(ev->detail),
					 "paused at %g ACU", st->capacity);
		st->paused_from = st->capacity;
		st->paused_since = st->pausing_since + AS_PAUSE_SECONDS;
		st->paused_min = s->min_capacity;
		st->paused_max = s->max_capacity;
		st->state = AS_STATE_PAUSED;
		st->idle_since = NAN;
		/* a connection that came since then resumes it below */
	}

	if (st->state == AS_STATE_PAUSED)
	{
		if (x->resume_requested)
			as_resume_initiate(s, st, x, out, "resume", true);
		else if (as_range_changed_while_paused(s, st))
			as_resume_initiate(s, st, x, out, "configuration", true);
		else if (x->arrivals > 0)
			as_resume_initiate(s, st, x, out, "connection", false);
		else if (x->group == AS_GROUP_AWAKE)
			as_resume_initiate(s, st, x, out, "writer", false);
		else
		{
			st->capacity = 0;
			st->target = 0;
			out->demand.target = 0;
			return true;
		}
	}

	if (st->state == AS_STATE_RESUMING)
	{
		if (as_elapsed(x->t, st->resuming_since) >=
			as_resume_seconds(s, st->resuming_since - st->paused_since,
							  x->reader) - AS_T_EPSILON)
			as_resume_done(s, st, x, out);
		else
		{
			st->capacity = 0;
			st->target = as_resume_capacity(s, st);
			out->demand.target = st->target;
		}
		return true;
	}

	if (!as_auto_pause_enabled(s))
	{
		st->idle_since = NAN;
		return false;
	}
	if (x->pause_requested)
	{
		as_pause_initiate(st, x, out, true);
		return true;
	}

	/*
	 * A connection open, or one that came and went, is activity; so is an
	 * awake writer to a reader of its pause group.  Logical replication
	 * enabled keeps the writer and readers in promotion tier 0 or 1 awake
	 * whether or not a consumer is connected.
	 */
	if (x->awake_connections > 0 || x->arrivals > 0 || x->blocked ||
		x->logical_replication || x->group == AS_GROUP_AWAKE)
	{
		st->idle_since = NAN;
		return false;
	}
	/* the writer of its group paused: pause with it, at once */
	if (x->group == AS_GROUP_PAUSED)
	{
		as_pause_initiate(st, x, out, false);
		return true;
	}
	if (isnan(st->idle_since))
		st->idle_since = x->t;
	if (as_elapsed(x->t, st->idle_since) <
		s->seconds_until_auto_pause - AS_T_EPSILON ||
		as_elapsed(x->t, st->admin_wakeup_t) <
		s->awake_after_wakeup - AS_T_EPSILON)
		return false;
	as_pause_initiate(st, x, out, false);
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
	AS_DIFF(resume_capacity, "%g", a->resume_capacity, b->resume_capacity);
	AS_DIFF(resume_delay, "%g", a->resume_delay, b->resume_delay);
	AS_DIFF(awake_after_wakeup, "%g", a->awake_after_wakeup,
			b->awake_after_wakeup);
	AS_DIFF(scaling_lag, "%s", a->scaling_lag == AS_LAG_AURORA ? "aurora" : "instant",
			b->scaling_lag == AS_LAG_AURORA ? "aurora" : "instant");
	AS_DIFF(platform_version, "%d", a->platform_version, b->platform_version);
#undef AS_DIFF
	return len > 0;
}
