/*-------------------------------------------------------------------------
 *
 * policy.h
 *		The capacity policy: settings, a sample and the previous state in;
 *		the new state, the demand behind it and any events out.
 *
 * The policy is a pure function.  Time is data (each sample carries its own
 * t in seconds), so the worker, simulate() and replay() run the very same
 * code and get the very same answers from the same samples.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_POLICY_H
#define AS_POLICY_H

#include "model.h"

/* Defaults shared by the settings and the simulations. */
#define AS_DEFAULT_MIN_CAPACITY			0.5
#define AS_DEFAULT_MAX_CAPACITY			16.0
#define AS_DEFAULT_VCPUS_PER_ACU		0.25
#define AS_DEFAULT_TARGET_CPU			70
#define AS_DEFAULT_MEMORY_HEADROOM		25
#define AS_DEFAULT_SCALE_UP_DELAY		1
#define AS_DEFAULT_SCALE_DOWN_DELAY		60
#define AS_DEFAULT_SCALE_DOWN_INTERVAL	10
#define AS_DEFAULT_SECONDS_BEFORE_TIMEOUT	300
#define AS_DEFAULT_V1_COOLDOWN_AFTER_UP		900
#define AS_DEFAULT_V1_COOLDOWN_AFTER_DOWN	310
#define AS_DEFAULT_SECONDS_UNTIL_AUTO_PAUSE	300
#define AS_DEFAULT_RESUME_CAPACITY		2.0
#define AS_DEFAULT_AWAKE_AFTER_WAKEUP	1200

/*
 * AWS's Serverless v2 platform versions (ServerlessV2PlatformVersion, "1" to
 * "4"); new clusters start on the latest.  The aurora profile's scale-up
 * times: versions 1 and 2 as measured in 2024, 3 and 4 derived from AWS's
 * claims (see as_platform_speed_factor()).
 */
#define AS_MIN_PLATFORM_VERSION			1
#define AS_MAX_PLATFORM_VERSION			4
#define AS_DEFAULT_PLATFORM_VERSION		4

/*
 * A reader resumes this much later than the writer under the aurora
 * profile: AWS says "slightly" and gives no figure; 2 s is the model's.
 */
#define AS_READER_RESUME_EXTRA_SECONDS	2.0

/* A negative delay setting means: the scaling_lag profile's value. */
#define AS_BY_PROFILE					(-1)

/* The instant profile's waits; the aurora profile's are in policy.c. */
#define AS_INSTANT_SCALE_DOWN_DELAY		60.0
#define AS_INSTANT_RESUME_SECONDS		0.0

/* Refused connections count as demand this long after the refusal; the
 * refusals of one storm (no gap longer than the second) add up. */
#define AS_REJECTED_MEMORY_S		60.0
#define AS_REJECTED_STORM_GAP_S		10.0

/* How long scale-up steps take. */
typedef enum AsScalingLag
{
	AS_LAG_INSTANT = 0,			/* a step as soon as scale_up_delay allows */
	AS_LAG_AURORA = 1			/* as measured on Aurora: see policy.c */
} AsScalingLag;

/* Aurora Serverless v1's scaling thresholds, in percent. */
#define AS_V1_SCALE_UP_CPU			70.0
#define AS_V1_SCALE_UP_CONNECTIONS	90.0
#define AS_V1_SCALE_DOWN_CPU		30.0
#define AS_V1_SCALE_DOWN_CONNECTIONS	40.0

/* AWS's TimeoutAction: what v1 does when no scaling point comes. */
typedef enum AsTimeoutAction
{
	AS_TIMEOUT_ROLLBACK = 0,	/* RollbackCapacityChange */
	AS_TIMEOUT_FORCE_APPLY = 1	/* ForceApplyCapacityChange */
} AsTimeoutAction;

typedef enum AsInstanceState
{
	AS_STATE_ACTIVE = 0,
	AS_STATE_PAUSED = 1,
	AS_STATE_SCALING = 2,		/* v1: searching for a scaling point */
	AS_STATE_PAUSING = 3,		/* a pause initiated, not yet done */
	AS_STATE_RESUMING = 4		/* a resume initiated, not yet done */
} AsInstanceState;

/* Paused or resuming: 0 ACU, nothing billed. */
#define AS_STATE_IS_PAUSED(state) \
	((state) == AS_STATE_PAUSED || (state) == AS_STATE_RESUMING)

typedef enum AsEventKind
{
	AS_EVENT_SCALE_UP = 0,
	AS_EVENT_SCALE_DOWN,
	AS_EVENT_CONFIG_CHANGE,
	AS_EVENT_CONFIG_REJECTED,
	AS_EVENT_STARTUP,
	AS_EVENT_PAUSE,
	AS_EVENT_RESUME,
	AS_EVENT_CONNECTION_REJECTED,
	AS_EVENT_SCALING_POINT_SEARCH,
	AS_EVENT_SCALING_POINT_TIMEOUT,
	AS_EVENT_ROLLBACK,
	AS_EVENT_FORCE_APPLY,
	AS_EVENT_ROLE_CHANGE,
	AS_EVENT_PAUSE_INITIATED,
	AS_EVENT_PAUSE_CANCELLED,
	AS_EVENT_RESUME_INITIATED,
	AS_EVENT_ALARM,
	AS_EVENT_WRITER_CONNECTED,	/* a reader reports to its writer */
	AS_EVENT_WRITER_UNREACHABLE,	/* a reader lost its writer */
	AS_EVENT_READER_JOINED,		/* a writer: a reader reports (again) */
	AS_EVENT_READER_STALE,		/* a writer: a reader stopped reporting */
	AS_EVENT_READER_REMOVED,	/* a writer: a reader left its register */
	AS_EVENT_WORK_CANCELLED,	/* a pause cancelled autovacuum or pg_cron */
	AS_EVENT_NKINDS
} AsEventKind;

/* What set the target: a demand component, or a bound. */
typedef enum AsComponent
{
	AS_COMPONENT_CPU = 0,
	AS_COMPONENT_MEMORY,
	AS_COMPONENT_CONNECTIONS,
	AS_COMPONENT_MIN_CAPACITY,	/* every goal was below the floor */
	AS_COMPONENT_MAX_CAPACITY,	/* the goal was above max_capacity */
	AS_COMPONENT_WRITER			/* a reader held at its writer's capacity */
} AsComponent;

/*
 * A reader in promotion tier 0 or 1 pauses and resumes with its writer (the
 * writer and those readers are one pause group); other instances pause on
 * their own.
 */
typedef enum AsPauseGroup
{
	AS_GROUP_NONE = 0,			/* not in a writer's group, or cut off */
	AS_GROUP_AWAKE,				/* the writer is awake: no pause alone */
	AS_GROUP_PAUSED				/* the writer has paused: pause with it */
} AsPauseGroup;

typedef struct AsPolicySettings
{
	AsEngineMode engine_mode;
	double		min_capacity;	/* ACU */
	double		max_capacity;	/* ACU */
	double		vcpus_per_acu;	/* vCPUs one ACU buys */
	double		target_cpu_utilization; /* percent of the vCPUs kept busy */
	double		memory_headroom;	/* percent added to the working set */
	double		scale_up_delay; /* s demand must stay above capacity */
	double		scale_down_delay;	/* s demand must stay below capacity;
									 * AS_BY_PROFILE: the profile's */
	double		scale_down_interval;	/* s between two scale-down steps */
	/* v1 */
	double		seconds_before_timeout; /* s to search for a scaling point */
	AsTimeoutAction timeout_action;
	double		v1_cooldown_after_scale_up; /* s of no scale-down after up */
	double		v1_cooldown_after_scale_down;	/* s of no scale-down after
												 * down */
	/* pause */
	bool		v1_auto_pause;	/* v1's AutoPause (v2: min_capacity 0) */
	double		seconds_until_auto_pause;
	double		resume_capacity;	/* v2: ACU a resume starts at */
	double		resume_delay;	/* s a resume takes; AS_BY_PROFILE: the
								 * profile's */
	double		awake_after_wakeup; /* s with no auto-pause after resume() or
									 * a range change while paused */
	AsScalingLag scaling_lag;
	int			platform_version;	/* AWS's ServerlessV2PlatformVersion, 1 ..
									 * 4: the aurora profile's speed */
} AsPolicySettings;

/* What the sampler saw, or a simulation says it saw. */
typedef struct AsSample
{
	double		t;				/* seconds; only differences matter */
	double		busy_vcpus;		/* CPUs kept busy by the server */
	double		working_set_gib;	/* shared buffers in use + private */
	int			connections;	/* user connections open */
	int			rejected;		/* connections refused since the last one */
	int			awake_connections;	/* those that keep it from pausing */
	int			arrivals;		/* connections (not ignored) that arrived */
	bool		pause_requested;	/* pause() */
	bool		resume_requested;	/* resume() */
	bool		blocked;		/* v1: no scaling point exists now */
	double		requested_capacity; /* v1: modify_current_capacity, or 0 */
	double		request_timeout;	/* its seconds_before_timeout */
	AsTimeoutAction request_action; /* its timeout_action */
	/* a reader in promotion tier 0 or 1, linked to its writer */
	double		floor_capacity; /* the writer's capacity, which it runs at
								 * least at; 0: none */
	AsPauseGroup group;			/* its writer awake or paused */
	bool		reader;			/* a reader (hot standby): resumes later */
	bool		logical_replication;	/* logical replication is enabled and
										 * this is the writer or a reader in
										 * promotion tier 0 or 1: no
										 * auto-pause */
} AsSample;

/* The demand behind a sample, every component kept. */
typedef struct AsDemand
{
	double		cpu_goal;		/* ACU */
	double		memory_goal;	/* ACU */
	double		connections_goal;	/* ACU */
	double		target;			/* max of the goals, stepped and clamped */
	AsComponent driver;			/* the component that set target */
} AsDemand;

typedef struct AsPolicyState
{
	bool		started;
	AsInstanceState state;
	double		capacity;		/* ACU now */
	double		target;			/* ACU wanted at the last sample */
	double		above_since;	/* t target rose above capacity, or NaN */
	double		below_since;	/* t target fell below capacity, or NaN */
	double		not_below_since;	/* t target last reached capacity from
									 * below, or NaN */
	double		last_up_t;		/* t of the last scale-up, or NaN */
	double		last_down_t;	/* t of the last scale-down, or NaN */
	/* v1: a change waiting for a scaling point (state AS_STATE_SCALING) */
	double		pending_capacity;
	double		search_since;	/* t the search began */
	double		search_timeout; /* seconds it may last */
	AsTimeoutAction search_action;
	char		search_reason[32];
	double		retry_after;	/* t before which no new search starts */
	/* pause */
	double		idle_since;		/* t the last awake connection left, or NaN */
	double		pausing_since;	/* t a pause was initiated (PAUSING) */
	bool		pause_manual;	/* initiated by pause(), not by idleness */
	double		paused_since;	/* t of the pause (PAUSED, RESUMING) */
	double		paused_from;	/* capacity it paused at (v1 resumes there) */
	double		paused_min;		/* the range it paused under: a change of */
	double		paused_max;		/* it while paused resumes it */
	double		resuming_since; /* t a resume was initiated (RESUMING) */
	bool		resume_admin;	/* by resume() or a range change */
	char		resume_reason[16];	/* connection, resume, configuration or
									 * writer */
	double		admin_wakeup_t; /* t of the last resume by resume() or a range
								 * change, or NaN */
	/* connections wanted while some were refused, kept as demand a while */
	double		rejected_recent;
	double		rejected_until; /* t, or NaN */
	double		rejected_sum;	/* refusals of the current storm */
	double		rejected_open;	/* most connections open during it */
	double		rejected_last_t;	/* t of the last refusal, or NaN */
	int			last_connections;	/* connections at the previous sample */
} AsPolicyState;

typedef struct AsPolicyEvent
{
	AsEventKind kind;
	double		from_capacity;
	double		to_capacity;
	char		reason[32];
	char		detail[224];
} AsPolicyEvent;

#define AS_POLICY_MAX_EVENTS 4

typedef struct AsPolicyOutput
{
	AsDemand	demand;
	bool		force_apply;	/* v1: end the blocking sessions now */
	int			nevents;
	AsPolicyEvent events[AS_POLICY_MAX_EVENTS];
} AsPolicyOutput;

extern const char *as_event_kind_name(AsEventKind kind);
extern const char *as_state_name(AsInstanceState state);
extern bool as_state_by_name(const char *name, AsInstanceState *state);
extern const char *as_status_name(AsInstanceState state);
extern const char *as_component_name(AsComponent component);

extern void as_policy_default_settings(AsPolicySettings *s);
extern double as_policy_floor(const AsPolicySettings *s);
extern void as_policy_init(const AsPolicySettings *s, AsPolicyState *st,
						   double start_capacity);
extern void as_demand_compute(const AsPolicySettings *s, const AsSample *x,
							  AsDemand *d);
extern void as_policy_step(const AsPolicySettings *s, AsPolicyState *st,
						   const AsSample *x, AsPolicyOutput *out);
extern const char *as_timeout_action_name(AsTimeoutAction action);
extern bool as_parse_timeout_action(const char *name, AsTimeoutAction *action);
extern bool as_auto_pause_enabled(const AsPolicySettings *s);
extern const char *as_event_rds_id(AsEventKind kind);
extern bool as_pause_allowed(const AsPolicySettings *s, char *why,
							 size_t size);
extern double as_resume_capacity(const AsPolicySettings *s,
								 const AsPolicyState *st);
extern double as_resume_seconds(const AsPolicySettings *s,
								double paused_for, bool reader);
extern double as_scale_down_delay(const AsPolicySettings *s);
extern double as_platform_speed_factor(int platform_version);
extern double as_aurora_reaction_seconds(double capacity,
										 int platform_version);
extern double as_aurora_cooldown_seconds(double capacity,
										 int platform_version);
extern double as_aurora_step_to(double capacity, double target);
extern int	as_derived_max_connections(const AsPolicySettings *s,
									   AsConnectionsBasis basis,
									   double capacity);
extern bool as_settings_describe_change(const AsPolicySettings *a,
										const AsPolicySettings *b,
										char *buf, size_t size);

#endif							/* AS_POLICY_H */
