/*-------------------------------------------------------------------------
 *
 * state.h
 *		The instance-wide state in shared memory: the effective settings, the
 *		policy's state, the latest sample, the metrics and events rings, the
 *		worker's own statistics, and one slot per backend.
 *
 * One struct, one LWLock (tranche "aurora_serverless").  The comment beside
 * each field names what guards it.  Rings have a monotonic uint64 write
 * position; the slot is pos % size.  Writers hold the lock exclusively;
 * readers copy out under LW_SHARED and build tuples after releasing it.
 *
 * Backend slots are written only by their owner (index = PGPROC number),
 * under a change counter that readers use to get a consistent copy without
 * any lock.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_STATE_H
#define AS_STATE_H

#include "datatype/timestamp.h"
#include "port/atomics.h"
#include "storage/lwlock.h"
#include "storage/latch.h"

#include "alarms.h"
#include "cluster.h"
#include "policy.h"
#include "usage.h"

/* One sample as kept in the metrics ring. */
typedef struct AsMetric
{
	TimestampTz sample_time;
	double		interval_s;		/* seconds since the previous sample */
	double		capacity;		/* serverless_database_capacity */
	double		target;			/* target_capacity */
	double		min_capacity;	/* settings in force at the sample */
	double		max_capacity;
	double		acu_utilization;	/* percent of max_capacity */
	double		cpu_utilization;	/* percent of the CPU at max_capacity */
	double		busy_vcpus;
	double		working_set_gib;
	double		shared_in_use_gib;	/* part of the working set in buffers */
	double		throttled_vcpus;	/* CPU demand the limit held back */
	double		cpu_limit_vcpus;	/* limit in force at the sample, or 0 */
	int32		connections;
	int32		awake_connections;	/* connections that keep it awake */
	int32		arrivals;		/* connections that arrived (not ignored) */
	int32		rejected;		/* connections refused by enforcement */
	int32		max_connections;	/* derived limit on the configured basis */
	double		cpu_goal;
	double		memory_goal;
	double		connections_goal;
	uint8		state;			/* AsInstanceState */
	uint8		driver;			/* AsComponent */
	bool		blocked;		/* searched and found no scaling point */
	/* what the interval before this sample held, for accounting */
	double		held_capacity;
	double		held_target;
	bool		held_paused;
	/* requests from SQL that reached the policy at this sample */
	bool		pause_requested;
	bool		resume_requested;
	uint8		request_action; /* AsTimeoutAction */
	double		requested_capacity;
	double		request_timeout;
	/* a reader of a writer's pause group: what its writer imposed */
	double		floor_capacity;
	uint8		group;			/* AsPauseGroup */
	bool		reader;			/* sampled on a reader (hot standby) */
	bool		logical_replication;	/* logical replication kept it awake */
} AsMetric;

/* The accounting of samples that left the metrics ring, one hour each. */
typedef struct AsUsageBucket
{
	TimestampTz hour;			/* start of the hour */
	TimestampTz first;			/* first and last sample in it */
	TimestampTz last;
	AsUsage		usage;
} AsUsageBucket;

/* One event as kept in the events ring. */
typedef struct AsEvent
{
	TimestampTz event_time;
	AsPolicyEvent ev;
} AsEvent;

/* Kinds of process a backend slot may describe. */
typedef enum AsSlotKind
{
	AS_SLOT_FREE = 0,
	AS_SLOT_CLIENT,
	AS_SLOT_WALSENDER,			/* physical replication */
	AS_SLOT_LOGICAL_WALSENDER,	/* logical replication: keeps it awake */
	AS_SLOT_CLUSTER_LINK,		/* a reader reporting to this writer */
	AS_SLOT_CRON_JOB			/* a pg_cron job's client connection: counted,
								 * but neither wakes nor keeps awake */
} AsSlotKind;

/*
 * Constructs that keep Aurora from finding a scaling point (v1) or from
 * pausing.  The first five are tracked by each backend in its slot; the
 * last two are read from the backend status when needed.
 */
typedef enum AsBlockerKind
{
	AS_BLOCKER_LISTEN = 0,
	AS_BLOCKER_WITH_HOLD_CURSOR,
	AS_BLOCKER_ADVISORY_LOCK,
	AS_BLOCKER_TEMP_TABLE,
	AS_BLOCKER_TABLE_LOCK,
	AS_BLOCKER_LONG_TRANSACTION,
	AS_BLOCKER_LONG_QUERY,
	AS_BLOCKER_CONNECTION,		/* pause only: a connection keeps it awake */
	AS_BLOCKER_LOGICAL_REPLICATION, /* pause only: so does logical replication */
	AS_BLOCKER_LOGICAL_REPLICATION_ENABLED, /* pause only: wal_level =
											 * logical, no session */
	AS_BLOCKER_NKINDS
} AsBlockerKind;

#define AS_BLOCKER_NTRACKED		(AS_BLOCKER_TABLE_LOCK + 1)
#define AS_BLOCKER_DETAIL_LEN	120

/* One tracked kind of blocker in a backend's slot. */
typedef struct AsSlotBlocker
{
	int32		count;			/* 0: none */
	TimestampTz since;			/* when the first one appeared */
	char		detail[AS_BLOCKER_DETAIL_LEN];	/* names, comma-separated */
} AsSlotBlocker;

/*
 * One per PGPROC.  Only the owning backend writes it, bumping changecount
 * before and after (odd while writing); readers use as_slot_read().
 */
typedef struct AsBackendSlot
{
	pg_atomic_uint32 changecount;
	pg_atomic_uint32 ended_by_scaling;	/* set by the worker before it ends
										 * this session (ForceApply); an
										 * atomic, outside changecount */
	pg_atomic_uint32 cancelled_by_pause;	/* set by the worker before it
											 * cancels this process's work at
											 * a pause; an atomic, outside
											 * changecount */
	int32		pid;			/* 0 when free */
	uint8		kind;			/* AsSlotKind */
	uint32		blocker_mask;	/* bit per tracked kind with count > 0 */
	TimestampTz connected_at;
	NameData	rolname;		/* the role the client authenticated as */
	uint32		transactions;	/* bumped by the owner at every transaction
								 * end, outside changecount: a sampler that
								 * sees it unchanged knows the backend did not
								 * run in between */
	AsSlotBlocker blockers[AS_BLOCKER_NTRACKED];
} AsBackendSlot;

/* The worker's own cost. */
typedef struct AsWorkerStats
{
	uint64		ticks;
	double		total_tick_us;
	double		max_tick_us;
	double		last_tick_us;
	TimestampTz last_tick_at;
	uint32		procs_read;		/* /proc files read at the last tick */
	uint64		state_file_failures;	/* writes of the state file that
										 * failed */
	bool		proc_available; /* false: CPU from sessions on CPU */
} AsWorkerStats;

typedef struct AsSharedState
{
	LWLock	   *lock;			/* the tranche's one lock; set at creation */

	/*
	 * The range at server start: max_connections on the max_capacity basis is
	 * a static parameter, evaluated at start (a new max applies at the next
	 * restart).  Set once when shared memory is created, then only read,
	 * without the lock.
	 */
	double		boot_min_capacity;
	double		boot_max_capacity;

	/* The worker, guarded by lock. */
	pid_t		worker_pid;
	Latch	   *worker_latch;

	/* What the SQL functions and the worker read, guarded by lock. */
	AsPolicySettings settings;	/* effective settings */
	AsConnectionsBasis basis;	/* max_connections basis */
	AsPolicyState policy;
	AsMetric	last;			/* latest sample; sample_time 0 if none */
	TimestampTz last_scaling_at;
	bool		in_recovery;	/* reader (hot standby) or writer */
	bool		flush_requested;	/* write the state file soon */
	bool		tick_requested; /* sample now: a request from SQL waits */
	AsWorkerStats stats;

	/* Counted by connecting backends, read and reset by the worker. */
	pg_atomic_uint32 rejected_pending;	/* refused by enforcement */
	pg_atomic_uint32 arrivals_pending;	/* arrived, roles not ignored */

	/*
	 * The limit of the last refusal and the capacity it was for, guarded by
	 * lock: the connection_rejected event reports what the refused clients
	 * met, not the limit after a scale-up.
	 */
	int32		rejected_limit;
	double		rejected_capacity;

	/* The CPU limit (cpulimit.c), guarded by lock */
	bool		cpu_enforced;	/* a limit is in force */
	double		cpu_limit_vcpus;	/* its vCPUs, 0 when none */
	int			machine_vcpus;	/* CPUs of the machine */
	char		cpu_cgroup_dir[MAXPGPATH];	/* the cgroup, when in force */
	char		cpu_problem[256];	/* why it is not, when asked for */

	/* CloudWatch metric alarms (alarms.c), guarded by lock */
	AsAlarm		alarms[AS_MAX_ALARMS];

	/*
	 * Per alarm slot, the put_metric_alarm() calls of open transactions that
	 * hold it until their transaction ends (alarms.c): a slot that is unused
	 * but held is given to no other alarm, so a put that succeeded is kept at
	 * its commit.  Guarded by lock; not kept in the state file.
	 */
	int32		alarm_holds[AS_MAX_ALARMS];

	/* Alarm state changes for the notifier, a ring, guarded by lock */
	AsNotification notify_queue[AS_NOTIFY_QUEUE];
	uint64		notify_head;	/* next write position, monotonic */
	uint64		notify_tail;	/* next read position */
	bool		notifier_running;	/* one notifier at a time */
	TimestampTz notifier_failed_at; /* its last failure, or 0 */

	/*
	 * The cluster: a writer's readers, a reader's link (cluster.c), guarded
	 * by lock
	 */
	AsClusterState cluster;

	/* pause() and resume() for the worker, guarded by lock */
	bool		pause_requested;
	bool		resume_requested;

	/*
	 * A committed modify_capacity() range for the worker to write to
	 * postgresql.auto.conf (autoconf.c), guarded by lock
	 */
	bool		range_write_pending;
	double		range_write_min;
	double		range_write_max;
	int32		range_write_pause;	/* seconds_until_auto_pause, or -1 */

	/* v1: a modify_current_capacity() call for the worker, guarded by lock */
	bool		request_pending;
	double		request_capacity;
	double		request_timeout;
	AsTimeoutAction request_action;

	/* Rings, guarded by lock. */
	uint64		metrics_pos;	/* next write position, monotonic */
	uint64		events_pos;
	uint64		buckets_pos;
	int			metrics_size;	/* fixed at start */
	int			events_size;
	int			buckets_size;
	int			nslots;			/* backend slots, fixed at start */
} AsSharedState;

extern AsSharedState *as_shared;
extern AsMetric *as_metrics;
extern AsEvent *as_events;
extern AsUsageBucket *as_buckets;
extern AsBackendSlot *as_slots;

extern Size as_shmem_size(void);
extern void as_shmem_request(void);
extern void as_shmem_startup(void);
extern bool as_is_attached(void);
extern void as_require_loaded(void);

extern int	as_ring_copy(void *dst, const void *ring, Size elem, uint64 pos,
						 int size);
extern int	as_ring_copy_palloc(void **dst, const void *ring, Size elem,
								uint64 pos, int size);
extern void as_push_metric(const AsMetric *m);
extern void as_metric_held(const AsMetric *m, AsHeld *h);
extern void as_metric_sample(const AsMetric *m, AsSample *x);
extern void as_push_event(TimestampTz when, const AsPolicyEvent *ev);
extern void as_event_init(AsPolicyEvent *ev, AsEventKind kind, double capacity,
						  const char *reason);
extern void as_record_event(AsEventKind kind, double from, double to,
							const char *reason, const char *detail);

extern int	as_max_connections_in_force(const AsPolicySettings *s,
										AsConnectionsBasis basis,
										double capacity);
extern AsBackendSlot *as_my_slot(void);
extern void as_slot_begin_write(AsBackendSlot *slot);
extern void as_slot_end_write(AsBackendSlot *slot);
extern void as_slot_read(const AsBackendSlot *slot, AsBackendSlot *copy);
extern void as_slot_read_head(const AsBackendSlot *slot, int *pid, int *kind,
							  NameData *rolname);

#endif							/* AS_STATE_H */
