/*-------------------------------------------------------------------------
 *
 * state.c
 *		Shared memory: its size, its creation (and reload from the state
 *		file), the rings, and the per-backend slots.
 *
 * This file must not know SQL, the sampler or how the worker paces itself.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/twophase.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "guc.h"
#include "state.h"
#include "statefile.h"
#include "text.h"

#define AS_TRANCHE_NAME "aurora_serverless"
#define AS_SHMEM_NAME "aurora_serverless state"

AsSharedState *as_shared = NULL;
AsMetric   *as_metrics = NULL;
AsEvent    *as_events = NULL;
AsUsageBucket *as_buckets = NULL;
AsBackendSlot *as_slots = NULL;

static int
as_nslots(void)
{
	/* every PGPROC: backends, auxiliary processes, prepared transactions */
	return MaxBackends + NUM_AUXILIARY_PROCS + max_prepared_xacts;
}

Size
as_shmem_size(void)
{
	Size		size = MAXALIGN(sizeof(AsSharedState));

	size = add_size(size, MAXALIGN(mul_size(as_guc_metrics_history,
											sizeof(AsMetric))));
	size = add_size(size, MAXALIGN(mul_size(as_guc_events_history,
											sizeof(AsEvent))));
	size = add_size(size, MAXALIGN(mul_size(as_guc_usage_history,
											sizeof(AsUsageBucket))));
	size = add_size(size, MAXALIGN(mul_size(as_nslots(),
											sizeof(AsBackendSlot))));
	return size;
}

void
as_shmem_request(void)
{
	RequestAddinShmemSpace(as_shmem_size());
	RequestNamedLWLockTranche(AS_TRANCHE_NAME, 1);
}

/* Point the process-local pointers into the segment. */
static void
as_attach_pointers(void)
{
	char	   *p = (char *) as_shared;

	p += MAXALIGN(sizeof(AsSharedState));
	as_metrics = (AsMetric *) p;
	p += MAXALIGN(sizeof(AsMetric) * as_shared->metrics_size);
	as_events = (AsEvent *) p;
	p += MAXALIGN(sizeof(AsEvent) * as_shared->events_size);
	as_buckets = (AsUsageBucket *) p;
	p += MAXALIGN(sizeof(AsUsageBucket) * as_shared->buckets_size);
	as_slots = (AsBackendSlot *) p;
}

/*
 * Create the state at postmaster start and after every crash restart, then
 * load what the state file kept.  Runs in the postmaster: nothing here may
 * raise an ERROR.
 */
void
as_shmem_startup(void)
{
	bool		found;
	AsCheckResult check;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	as_shared = ShmemInitStruct(AS_SHMEM_NAME, as_shmem_size(), &found);
	if (!found)
	{
		memset(as_shared, 0, as_shmem_size());
		as_shared->lock = &(GetNamedLWLockTranche(AS_TRANCHE_NAME))->lock;
		as_shared->metrics_size = as_guc_metrics_history;
		as_shared->events_size = as_guc_events_history;
		as_shared->buckets_size = as_guc_usage_history;
		as_shared->nslots = as_nslots();
		pg_atomic_init_u32(&as_shared->rejected_pending, 0);
		pg_atomic_init_u32(&as_shared->arrivals_pending, 0);
		as_attach_pointers();
		for (int i = 0; i < as_shared->nslots; i++)
		{
			pg_atomic_init_u32(&as_slots[i].changecount, 0);
			pg_atomic_init_u32(&as_slots[i].ended_by_scaling, 0);
			pg_atomic_init_u32(&as_slots[i].cancelled_by_pause, 0);
		}

		as_settings_from_gucs(&as_shared->settings);
		as_shared->basis = (AsConnectionsBasis) as_guc_max_connections_basis;
		as_policy_init(&as_shared->settings, &as_shared->policy,
					   as_shared->settings.min_capacity);
		as_shared->stats.proc_available = true;

		as_state_file_load();

		/* the configuration wins over what the file kept, if it is valid */
		if (!as_check_capacity_range(as_shared->settings.engine_mode,
									 as_shared->settings.min_capacity,
									 as_shared->settings.max_capacity,
									 &check))
		{
			ereport(WARNING,
					(errmsg("aurora_serverless: %s; using min_capacity %g and max_capacity %g",
							check.message, AS_DEFAULT_MIN_CAPACITY,
							AS_DEFAULT_MAX_CAPACITY),
					 errdetail("%s", check.detail)));
			as_shared->settings.engine_mode = AS_ENGINE_V2;
			as_shared->settings.min_capacity = AS_DEFAULT_MIN_CAPACITY;
			as_shared->settings.max_capacity = AS_DEFAULT_MAX_CAPACITY;
		}
		as_shared->boot_min_capacity = as_shared->settings.min_capacity;
		as_shared->boot_max_capacity = as_shared->settings.max_capacity;
	}
	else
		as_attach_pointers();
	LWLockRelease(AddinShmemInitLock);
}

bool
as_is_attached(void)
{
	return as_shared != NULL;
}

/* Every SQL function starts here. */
void
as_require_loaded(void)
{
	if (as_shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("aurora_serverless must be loaded via \"shared_preload_libraries\""),
				 errdetail("The capacity engine runs in shared memory and a background worker, which exist only when the library is preloaded."),
				 errhint("Add aurora_serverless to \"shared_preload_libraries\" in postgresql.conf and restart the server.")));
}

/*
 * Copy a ring's contents oldest first into dst (room for size elements);
 * returns how many.  Caller holds the lock.
 */
int
as_ring_copy(void *dst, const void *ring, Size elem, uint64 pos, int size)
{
	uint64		n = Min(pos, (uint64) size);
	uint64		start = pos - n;

	for (uint64 k = 0; k < n; k++)
		memcpy((char *) dst + k * elem,
			   (const char *) ring + ((start + k) % size) * elem, elem);
	return (int) n;
}

/* The same into a palloc'd array, for the SQL functions. */
int
as_ring_copy_palloc(void **dst, const void *ring, Size elem, uint64 pos,
					int size)
{
	*dst = palloc(Max(Min(pos, (uint64) size), 1) * elem);
	return as_ring_copy(*dst, ring, elem, pos, size);
}

/* What the interval before a sample held. */
void
as_metric_held(const AsMetric *m, AsHeld *h)
{
	h->capacity = m->held_capacity;
	h->target = m->held_target;
	h->max_capacity = m->max_capacity;
	h->paused = m->held_paused;
	h->interval_s = m->interval_s;
}

/* The sample the policy was given, as recorded; replay() feeds it again. */
void
as_metric_sample(const AsMetric *m, AsSample *x)
{
	memset(x, 0, sizeof(*x));
	x->t = (double) m->sample_time / USECS_PER_SEC;
	x->busy_vcpus = m->busy_vcpus;
	x->working_set_gib = m->working_set_gib;
	x->connections = m->connections;
	x->rejected = m->rejected;
	x->awake_connections = m->awake_connections;
	x->arrivals = m->arrivals;
	x->pause_requested = m->pause_requested;
	x->resume_requested = m->resume_requested;
	x->blocked = m->blocked;
	x->requested_capacity = m->requested_capacity;
	x->request_timeout = m->request_timeout;
	x->request_action = (AsTimeoutAction) m->request_action;
	x->floor_capacity = m->floor_capacity;
	x->group = (AsPauseGroup) m->group;
	x->reader = m->reader;
	x->logical_replication = m->logical_replication;
}

/* Add a sample leaving the metrics ring to the bucket of its hour. */
static void
as_spill_to_bucket(const AsMetric *m)
{
	TimestampTz hour = m->sample_time - m->sample_time % USECS_PER_HOUR;
	AsUsageBucket *b = NULL;
	AsHeld		held;

	if (as_shared->buckets_pos > 0)
	{
		b = &as_buckets[(as_shared->buckets_pos - 1) % as_shared->buckets_size];
		if (b->hour != hour)
			b = NULL;
	}
	if (b == NULL)
	{
		b = &as_buckets[as_shared->buckets_pos % as_shared->buckets_size];
		memset(b, 0, sizeof(*b));
		b->hour = hour;
		b->first = m->sample_time;
		as_shared->buckets_pos++;
	}
	b->last = m->sample_time;
	as_metric_held(m, &held);
	as_usage_add(&b->usage, &held);
}

/*
 * Append a sample to the metrics ring; the sample it replaces goes to the
 * hourly accounting.  Caller holds the lock exclusively.
 */
void
as_push_metric(const AsMetric *m)
{
	AsMetric   *slot;

	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	slot = &as_metrics[as_shared->metrics_pos % as_shared->metrics_size];
	if (as_shared->metrics_pos >= (uint64) as_shared->metrics_size)
		as_spill_to_bucket(slot);
	*slot = *m;
	as_shared->metrics_pos++;
	as_shared->last = *m;
}

/* Append an event to the events ring.  Caller holds the lock exclusively. */
void
as_push_event(TimestampTz when, const AsPolicyEvent *ev)
{
	AsEvent    *slot;

	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	slot = &as_events[as_shared->events_pos % as_shared->events_size];
	slot->event_time = when;
	slot->ev = *ev;
	/* a detail cut by snprintf() may end inside a character */
	as_clip_to_valid(slot->ev.detail);
	as_clip_to_valid(slot->ev.reason);
	as_shared->events_pos++;
	if (ev->kind == AS_EVENT_SCALE_UP || ev->kind == AS_EVENT_SCALE_DOWN)
		as_shared->last_scaling_at = when;
}

/* An event of a kind at one capacity (from and to), its detail empty. */
void
as_event_init(AsPolicyEvent *ev, AsEventKind kind, double capacity,
			  const char *reason)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->from_capacity = ev->to_capacity = capacity;
	strlcpy(ev->reason, reason ? reason : "", sizeof(ev->reason));
}

/* Record an event now; takes the lock. */
void
as_record_event(AsEventKind kind, double from, double to, const char *reason,
				const char *detail)
{
	AsPolicyEvent ev;

	as_event_init(&ev, kind, from, reason);
	ev.to_capacity = to;
	strlcpy(ev.detail, detail ? detail : "", sizeof(ev.detail));

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_push_event(GetCurrentTimestamp(), &ev);
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
}

/*
 * The derived max_connections in force: on the max_capacity basis Aurora
 * evaluates it at start, so the range at server start counts, not a newer
 * one (which applies at the next restart); the current_capacity basis
 * follows the capacity of the moment, capped by the value at start.  A v1
 * instance is an instance of its current capacity.
 */
int
as_max_connections_in_force(const AsPolicySettings *s,
							AsConnectionsBasis basis, double capacity)
{
	AsPolicySettings at_start = *s;

	at_start.min_capacity = as_shared->boot_min_capacity;
	at_start.max_capacity = as_shared->boot_max_capacity;
	return as_derived_max_connections(&at_start, basis, capacity);
}

/* This backend's slot, or NULL when the state is not attached. */
AsBackendSlot *
as_my_slot(void)
{
	int			n;

	if (as_shared == NULL || MyProc == NULL)
		return NULL;
	n = as_proc_number(MyProc);
	if (n < 0 || n >= as_shared->nslots)
		return NULL;
	return &as_slots[n];
}

void
as_slot_begin_write(AsBackendSlot *slot)
{
	pg_atomic_fetch_add_u32(&slot->changecount, 1);
	pg_write_barrier();
}

void
as_slot_end_write(AsBackendSlot *slot)
{
	pg_write_barrier();
	pg_atomic_fetch_add_u32(&slot->changecount, 1);
}

/* The pid, kind (and role, if asked) of a slot, consistently, without
 * copying the rest. */
void
as_slot_read_head(const AsBackendSlot *slot, int *pid, int *kind,
				  NameData *rolname)
{
	for (;;)
	{
		uint32		before = pg_atomic_read_u32((pg_atomic_uint32 *) &slot->changecount);
		uint32		after;

		pg_read_barrier();
		*pid = slot->pid;
		*kind = slot->kind;
		if (rolname)
			memcpy(rolname, &slot->rolname, sizeof(NameData));
		pg_read_barrier();
		after = pg_atomic_read_u32((pg_atomic_uint32 *) &slot->changecount);
		if (before == after && (before & 1) == 0)
			break;
	}
}

/*
 * Copy a slot consistently: retry while its owner is writing or wrote in
 * between.  The owner's writes are short, so this rarely loops.
 */
void
as_slot_read(const AsBackendSlot *slot, AsBackendSlot *copy)
{
	for (;;)
	{
		uint32		before = pg_atomic_read_u32((pg_atomic_uint32 *) &slot->changecount);
		uint32		after;

		pg_read_barrier();
		memcpy(copy, slot, sizeof(*copy));
		pg_read_barrier();
		after = pg_atomic_read_u32((pg_atomic_uint32 *) &slot->changecount);
		if (before == after && (before & 1) == 0)
			break;
		CHECK_FOR_INTERRUPTS();
	}
}
