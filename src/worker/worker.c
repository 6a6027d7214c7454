/*-------------------------------------------------------------------------
 *
 * worker.c
 *		The background worker: every sample_interval it takes a sample, runs
 *		the policy, and records the result; every flush_interval it writes
 *		the state file.
 *
 * The loop sleeps on its latch, reloads the configuration when signalled
 * (so a changed setting applies at the next tick), and leaves on SIGTERM
 * after a last write of the state file.  It connects to shared catalogs
 * only, so that it shows in pg_stat_activity with backend_type
 * "aurora_serverless worker", and reads everything else from shared memory.
 * The hot path takes no heavyweight lock and allocates nothing that grows:
 * what it allocates per tick lives in a context reset every tick.
 *
 * It must not know SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>
#include <signal.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/varlena.h"
#include "utils/timestamp.h"
#include "utils/pidfile.h"

#include "alarms.h"
#include "autoconf.h"
#include "blockers.h"
#include "cluster.h"
#include "cpulimit.h"
#include "guc.h"
#include "model.h"
#include "pausework.h"
#include "policy.h"
#include "sampler.h"
#include "state.h"
#include "statefile.h"
#include "worker.h"

/* Configuration last read from the settings, valid or not. */
static AsPolicySettings as_last_wanted;

/* Blockers found while searching for a scaling point; allocated once. */
static AsBlocker *as_found = NULL;
static int	as_found_max = 0;

void
as_register_worker(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_ConsistentState;
	worker.bgw_restart_time = as_guc_worker_restart_time;
	strlcpy(worker.bgw_library_name, "aurora_serverless", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "as_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, AS_WORKER_TYPE, BGW_MAXLEN);
	strlcpy(worker.bgw_type, AS_WORKER_TYPE, BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* Ask the worker to tick now (after a change made from SQL). */
void
as_wake_worker(void)
{
	Latch	   *latch;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->tick_requested = true;
	latch = as_shared->worker_latch;
	LWLockRelease(as_shared->lock);
	if (latch)
		SetLatch(latch);
}

static void
as_worker_detach(int code, Datum arg)
{
	/* a worker that exits lifts the CPU limit; a restarted one restores it */
	as_cpulimit_lift();

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_shared->worker_pid == MyProcPid)
	{
		as_shared->worker_pid = 0;
		as_shared->worker_latch = NULL;
	}
	LWLockRelease(as_shared->lock);
}

/*
 * Report the roles of pause_ignore_roles that do not exist: they match no
 * connection.  ALTER SYSTEM refuses them; a configuration file cannot be
 * checked until the worker reads it.
 */
static void
as_check_ignore_roles(void)
{
	static char *checked = NULL;
	char	   *raw;
	List	   *names;
	ListCell   *lc;

	if (checked != NULL && strcmp(checked, as_guc_pause_ignore_roles) == 0)
		return;
	if (checked)
		pfree(checked);
	checked = MemoryContextStrdup(TopMemoryContext, as_guc_pause_ignore_roles);

	raw = pstrdup(as_guc_pause_ignore_roles);
	if (!SplitIdentifierString(raw, ',', &names))
		return;					/* the check hook refused it already */
	StartTransactionCommand();
	foreach(lc, names)
	{
		if (!OidIsValid(get_role_oid((char *) lfirst(lc), true)))
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("role \"%s\" in \"aurora_serverless.pause_ignore_roles\" does not exist",
							(char *) lfirst(lc)),
					 errdetail("It matches no connection, so it keeps nothing from pausing.")));
	}
	CommitTransactionCommand();
	list_free(names);
	pfree(raw);
}

/* The settings as of the last configuration read; empty before the first. */
static AsGucSnapshot as_last_gucs;

/*
 * Apply the settings to the shared state, once per configuration read.  An
 * invalid min/max pair keeps the range in force and is recorded as
 * config_rejected; everything else applies, and one config_change event
 * lists every setting that changed.  range_written: the read follows the
 * worker's own write of a committed modify_capacity() range, which is in
 * force and was recorded already.
 *
 * A modify_capacity() may commit while the worker writes an earlier one, or
 * between a reload and the write of its own range: the file read then is
 * older than what is in force.  Until its range is written, the committed
 * range (and seconds_until_auto_pause, when it gave one) stays in force:
 * postgresql.auto.conf will hold it, and it overrides the other files.
 */
static void
as_apply_config(bool range_written)
{
	static const char *const range_names[] = {
		"min_capacity", "max_capacity", "seconds_until_auto_pause", NULL
	};
	static const char *const mode_and_range_names[] = {
		"engine_mode", "min_capacity", "max_capacity", NULL
	};
	AsPolicySettings want;
	AsPolicySettings next;
	AsCheckResult check;
	AsGucSnapshot now;
	const char *const *skip = range_written ? range_names : NULL;
	char		changes[sizeof(((AsPolicyEvent *) 0)->detail)];
	bool		first = as_last_gucs.context == NULL;

	as_settings_from_gucs(&want);
	as_check_ignore_roles();
	as_gucs_capture(&now);

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->basis = (AsConnectionsBasis) as_guc_max_connections_basis;
	next = as_shared->settings;
	if (memcmp(&want, &as_last_wanted, sizeof(want)) != 0)
	{
		as_last_wanted = want;
		next = want;
		if (range_written || as_shared->range_write_pending)
		{
			/* the committed range is in force already; keep it */
			next.min_capacity = as_shared->settings.min_capacity;
			next.max_capacity = as_shared->settings.max_capacity;
			if (as_shared->range_write_pending &&
				as_shared->range_write_pause >= 0)
				next.seconds_until_auto_pause =
					as_shared->settings.seconds_until_auto_pause;
		}
		else if (!as_check_capacity_range(want.engine_mode, want.min_capacity,
										  want.max_capacity, &check))
		{
			AsPolicyEvent ev;

			next.engine_mode = as_shared->settings.engine_mode;
			next.min_capacity = as_shared->settings.min_capacity;
			next.max_capacity = as_shared->settings.max_capacity;
			skip = mode_and_range_names;

			as_event_init(&ev, AS_EVENT_CONFIG_REJECTED, as_shared->policy.capacity, "configuration");
			snprintf(ev.detail, sizeof(ev.detail), "%s: %s", check.message,
					 check.detail);
			as_push_event(GetCurrentTimestamp(), &ev);
			ereport(WARNING,
					(errmsg("aurora_serverless: %s; keeping min_capacity %g and max_capacity %g",
							check.message, next.min_capacity, next.max_capacity),
					 errdetail("%s", check.detail)));
		}
	}

	/*
	 * At the worker's start there is no earlier read to compare with: only
	 * the policy's settings kept in the state file are.
	 */
	if (first ?
		as_settings_describe_change(&as_shared->settings, &next, changes,
									sizeof(changes)) :
		as_gucs_describe_changes(&as_last_gucs, &now, skip, changes,
								 sizeof(changes)))
	{
		AsPolicyEvent ev;

		as_event_init(&ev, AS_EVENT_CONFIG_CHANGE, as_shared->policy.capacity, "configuration");
		strlcpy(ev.detail, changes, sizeof(ev.detail));
		as_push_event(GetCurrentTimestamp(), &ev);
	}
	as_shared->settings = next;
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);

	as_gucs_free(&as_last_gucs);
	as_last_gucs = now;
}

/*
 * Write a committed modify_capacity() range to postgresql.auto.conf, if one
 * waits, then read the configuration again and have every process do so.
 */
static void
as_write_committed_range(void)
{
	if (!as_autoconf_write_pending())
		return;
	ProcessConfigFile(PGC_SIGHUP);
	as_apply_config(true);
	/* what pg_reload_conf() does */
	if (kill(PostmasterPid, SIGHUP) != 0)
		ereport(LOG,
				(errmsg("aurora_serverless: could not signal the postmaster to reload: %m")));
}

/*
 * Is the server shutting down?  The postmaster writes "stopping" into
 * postmaster.pid before it asks its children to exit.
 */
static bool
as_server_stopping(void)
{
	char		path[MAXPGPATH];
	char		buf[1024];
	FILE	   *f;
	int			line = 0;
	bool		stopping = false;

	snprintf(path, sizeof(path), "%s/postmaster.pid", DataDir);
	f = AllocateFile(path, "r");
	if (f == NULL)
		return false;
	while (fgets(buf, sizeof(buf), f) != NULL)
	{
		if (++line == LOCK_FILE_LINE_PM_STATUS)
		{
			stopping = strncmp(buf, PM_STATUS_STOPPING,
							   strlen(PM_STATUS_STOPPING)) == 0;
			break;
		}
	}
	FreeFile(f);
	return stopping;
}

static double
as_percent(double part, double whole)
{
	if (whole <= 0)
		return 0;
	return round(part / whole * 10000.0) / 100.0;
}

/*
 * v1, while a change waits for a scaling point: who blocks it now?  Reads
 * the slots and the backend status, never on a tick that is not searching.
 */
static int
as_find_blockers(TimestampTz now)
{
	int			n;

	if (as_found == NULL)
	{
		as_found_max = as_shared->nslots * AS_BLOCKER_NKINDS;
		as_found = MemoryContextAlloc(TopMemoryContext,
									  sizeof(AsBlocker) * as_found_max);
	}
	n = as_scan_blockers(as_found, as_found_max, now,
						 as_guc_long_query_threshold,
						 as_guc_long_transaction_threshold);
	pgstat_clear_backend_activity_snapshot();
	return Min(n, as_found_max);
}

/* One sample, one policy step, one metric and its events. */
static void
as_tick(void)
{
	AsRawSample raw;
	AsSample	x;
	AsPolicyOutput out;
	AsMetric	m;
	AsPolicySettings s;
	bool		in_recovery = RecoveryInProgress();
	double		throttled;
	int64		min_rate_window_us;
	bool		searching;
	int			nblockers = 0;
	char		ended[AS_BLOCKER_DETAIL_LEN];
	TimestampTz end;
	double		tick_us;
	int			own_arrivals;
	AsHeld		held;
	bool		pause_began = false;
	bool		paused_now = false;

	/* CPU rates are measured over half an interval at least */
	min_rate_window_us = (int64) as_guc_sample_interval_ms * 1000 / 2;
	as_sampler_take(&raw, as_role_is_ignored, min_rate_window_us);
	/* under a CPU limit, what it held back is demand too */
	throttled = as_cpulimit_throttled_vcpus(raw.time, min_rate_window_us);

	memset(&x, 0, sizeof(x));
	x.t = (double) raw.time / USECS_PER_SEC;
	x.busy_vcpus = raw.busy_vcpus + throttled;
	x.working_set_gib = raw.working_set_gib;
	x.connections = raw.connections;
	x.awake_connections = raw.awake_connections;
	x.rejected = (int) pg_atomic_exchange_u32(&as_shared->rejected_pending, 0);
	x.arrivals = (int) pg_atomic_exchange_u32(&as_shared->arrivals_pending, 0);
	own_arrivals = x.arrivals;
	x.reader = in_recovery;
	x.logical_replication = as_logical_replication_keeps_awake(in_recovery);

	/* a v1 change needs a scaling point; a pause, in both modes, too */
	LWLockAcquire(as_shared->lock, LW_SHARED);
	searching = (as_shared->settings.engine_mode == AS_ENGINE_V1 &&
				 as_shared->policy.state == AS_STATE_SCALING) ||
		((as_shared->policy.state == AS_STATE_ACTIVE ||
		  as_shared->policy.state == AS_STATE_PAUSING) &&
		 as_auto_pause_enabled(&as_shared->settings) &&
		 x.awake_connections == 0);
	LWLockRelease(as_shared->lock);
	if (searching)
	{
		nblockers = as_find_blockers(raw.time);
		x.blocked = nblockers > 0;
	}

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	s = as_shared->settings;
	memset(&m, 0, sizeof(m));
	m.held_capacity = as_shared->policy.capacity;
	m.held_target = as_shared->policy.target;
	m.held_paused = AS_STATE_IS_PAUSED(as_shared->policy.state);
	x.pause_requested = as_shared->pause_requested;
	x.resume_requested = as_shared->resume_requested;
	as_shared->pause_requested = as_shared->resume_requested = false;
	if (as_shared->request_pending)
	{
		x.requested_capacity = as_shared->request_capacity;
		x.request_timeout = as_shared->request_timeout;
		x.request_action = as_shared->request_action;
		as_shared->request_pending = false;
	}
	/* what the writer or the readers of its cluster add */
	as_cluster_fill_sample(&x, in_recovery, raw.time);
	as_policy_step(&s, &as_shared->policy, &x, &out);

	ended[0] = '\0';
	if (out.force_apply)
	{
		as_end_blocking_sessions(as_found, nblockers, ended, sizeof(ended));
		for (int i = 0; i < out.nevents; i++)
			if (out.events[i].kind == AS_EVENT_FORCE_APPLY)
				snprintf(out.events[i].detail, sizeof(out.events[i].detail),
						 "ended blocking sessions: %s", ended[0] ? ended : "none");
	}

	m.sample_time = raw.time;
	m.interval_s = raw.interval_s;
	m.capacity = as_shared->policy.capacity;
	m.target = as_shared->policy.target;
	m.min_capacity = s.min_capacity;
	m.max_capacity = s.max_capacity;
	m.acu_utilization = as_percent(m.capacity, s.max_capacity);

	/*
	 * The CPU used, of the CPU at max_capacity; paused, CloudWatch reports
	 * exactly 0, not the worker's own CPU
	 */
	m.cpu_utilization = AS_STATE_IS_PAUSED(as_shared->policy.state) ? 0 :
		as_percent(raw.busy_vcpus, s.max_capacity * s.vcpus_per_acu);
	m.busy_vcpus = x.busy_vcpus;
	m.throttled_vcpus = throttled;
	m.cpu_limit_vcpus = as_shared->cpu_enforced ? as_shared->cpu_limit_vcpus : 0;
	m.working_set_gib = raw.working_set_gib;
	m.shared_in_use_gib = raw.shared_in_use_gib;
	m.connections = raw.connections;
	m.awake_connections = x.awake_connections;
	m.arrivals = x.arrivals;
	m.rejected = x.rejected;
	m.max_connections = as_max_connections_in_force(&s, as_shared->basis,
													AS_STATE_IS_PAUSED(as_shared->policy.state) ?
													as_resume_capacity(&s, &as_shared->policy) :
													m.capacity);
	m.cpu_goal = out.demand.cpu_goal;
	m.memory_goal = out.demand.memory_goal;
	m.connections_goal = out.demand.connections_goal;
	m.state = (uint8) as_shared->policy.state;
	m.driver = (uint8) out.demand.driver;
	m.blocked = x.blocked;
	m.pause_requested = x.pause_requested;
	m.resume_requested = x.resume_requested;
	m.requested_capacity = x.requested_capacity;
	m.request_timeout = x.request_timeout;
	m.request_action = (uint8) x.request_action;
	m.floor_capacity = x.floor_capacity;
	m.group = (uint8) x.group;
	m.reader = x.reader;
	m.logical_replication = x.logical_replication;
	as_push_metric(&m);
	as_metric_held(&m, &held);
	as_cluster_after_sample(&held, own_arrivals, in_recovery, raw.time);
	for (int i = 0; i < out.nevents; i++)
	{
		as_push_event(raw.time, &out.events[i]);
		if (out.events[i].kind == AS_EVENT_PAUSE_INITIATED ||
			out.events[i].kind == AS_EVENT_PAUSE)
		{
			pause_began = true;
			paused_now = out.events[i].kind == AS_EVENT_PAUSE;
		}
	}

	/* refusals are aggregated per sample, so a storm cannot flood the ring */
	if (x.rejected > 0)
	{
		AsPolicyEvent ev;

		as_event_init(&ev, AS_EVENT_CONNECTION_REJECTED, as_shared->rejected_capacity, "max_connections");
		snprintf(ev.detail, sizeof(ev.detail),
				 "%d %s refused since the last sample at the limit of %d connections (%g ACU); now %d open",
				 x.rejected, x.rejected == 1 ? "connection" : "connections",
				 as_shared->rejected_limit, as_shared->rejected_capacity,
				 m.connections);
		as_push_event(raw.time, &ev);
		as_shared->flush_requested = true;
	}
	if (out.nevents > 0)
		as_shared->flush_requested = true;

	if (as_shared->in_recovery != in_recovery)
	{
		AsPolicyEvent ev;

		as_event_init(&ev, AS_EVENT_ROLE_CHANGE, m.capacity, in_recovery ? "reader" : "writer");
		strlcpy(ev.detail, in_recovery ? "instance is now a reader (hot standby)" :
				"instance is now the writer (promoted)", sizeof(ev.detail));
		as_push_event(raw.time, &ev);
		as_shared->in_recovery = in_recovery;
		as_shared->flush_requested = true;
	}

	end = GetCurrentTimestamp();
	tick_us = (double) (end - raw.time);
	as_shared->stats.ticks++;
	as_shared->stats.total_tick_us += tick_us;
	as_shared->stats.last_tick_us = tick_us;
	if (tick_us > as_shared->stats.max_tick_us)
		as_shared->stats.max_tick_us = tick_us;
	as_shared->stats.last_tick_at = end;
	as_shared->stats.procs_read = raw.procs_read;
	as_shared->stats.proc_available = raw.proc_available;
	LWLockRelease(as_shared->lock);

	/*
	 * A pause that begins, or is done, cancels autovacuum and pg_cron work
	 * (pausework.c), outside the lock
	 */
	if (pause_began)
		as_pausework_cancel(paused_now, m.held_capacity);
}

/*
 * Evaluate the alarms after a tick's sample (alarms.c), their time counted
 * in the tick's.
 */
static void
as_evaluate_alarms(void)
{
	TimestampTz start = GetCurrentTimestamp();
	double		us;

	as_alarms_evaluate(start);
	us = (double) (GetCurrentTimestamp() - start);
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->stats.last_tick_us += us;
	as_shared->stats.total_tick_us += us;
	if (as_shared->stats.last_tick_us > as_shared->stats.max_tick_us)
		as_shared->stats.max_tick_us = as_shared->stats.last_tick_us;
	LWLockRelease(as_shared->lock);
}

/*
 * Where PostgreSQL's own max_connections is below the derived one, the
 * emulation cannot hold: PostgreSQL refuses connections the model allows.
 * That matters when connection limits are enforced; otherwise it is the
 * usual state of a dev server with the defaults (100 against 2000), and
 * describe()'s Warnings say it: a LOG line only under enforcement.
 */
static void
as_warn_max_connections(void)
{
	int			derived;
	AsPolicySettings s;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	s = as_shared->settings;
	derived = as_max_connections_in_force(&s, as_shared->basis,
										  AS_STATE_IS_PAUSED(as_shared->policy.state) ?
										  as_resume_capacity(&s, &as_shared->policy) :
										  as_shared->policy.capacity);
	LWLockRelease(as_shared->lock);
	if (MaxConnections < derived)
		ereport(as_guc_enforce_max_connections ? LOG : DEBUG1,
				(errmsg("aurora_serverless: PostgreSQL's max_connections (%d) is below the derived max_connections (%d)",
						MaxConnections, derived),
				 errdetail("Connections beyond %d are refused by PostgreSQL itself, not by the model of Aurora.",
						   MaxConnections),
				 errhint("Raise max_connections to %d to meet Aurora's limit.", derived)));
}

/* Keep the CPU limit at what the capacity buys (cpulimit.c). */
static void
as_apply_cpu_limit(void)
{
	double		capacity;
	bool		paused;
	AsPolicySettings s;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	capacity = as_shared->policy.capacity;
	paused = AS_STATE_IS_PAUSED(as_shared->policy.state);
	s = as_shared->settings;
	LWLockRelease(as_shared->lock);
	as_cpulimit_apply(capacity, paused, s.vcpus_per_acu, s.max_capacity);
}

static void
as_worker_startup_event(void)
{
	AsPolicyEvent ev;
	bool		in_recovery = RecoveryInProgress();

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->in_recovery = in_recovery;
	as_event_init(&ev, AS_EVENT_STARTUP, as_shared->policy.capacity, in_recovery ? "reader" : "writer");
	snprintf(ev.detail, sizeof(ev.detail),
			 "worker started as %s at %g ACU (engine mode %s, min %g, max %g)",
			 in_recovery ? "reader" : "writer", as_shared->policy.capacity,
			 as_engine_mode_name(as_shared->settings.engine_mode),
			 as_shared->settings.min_capacity,
			 as_shared->settings.max_capacity);
	as_push_event(GetCurrentTimestamp(), &ev);
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
}

void
as_worker_main(Datum main_arg)
{
	sigjmp_buf	local_sigjmp_buf;
	MemoryContext tick_context;
	volatile TimestampTz next_tick;
	volatile TimestampTz next_flush;
	volatile TimestampTz last_flush = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();

	/* shared catalogs only: visible in pg_stat_activity, no database */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_shared->worker_pid != 0)
	{
		pid_t		other = as_shared->worker_pid;

		LWLockRelease(as_shared->lock);
		ereport(LOG,
				(errmsg("aurora_serverless worker is already running under PID %d",
						(int) other)));
		proc_exit(0);
	}
	as_shared->worker_pid = MyProcPid;
	as_shared->worker_latch = MyLatch;
	as_last_wanted = as_shared->settings;
	LWLockRelease(as_shared->lock);
	before_shmem_exit(as_worker_detach, (Datum) 0);

	as_sampler_init();
	tick_context = AllocSetContextCreate(TopMemoryContext,
										 "aurora_serverless tick",
										 ALLOCSET_DEFAULT_SIZES);
	as_worker_startup_event();
	as_cluster_worker_start(GetCurrentTimestamp());
	as_apply_config(false);
	as_warn_max_connections();

	next_tick = GetCurrentTimestamp();
	next_flush = TimestampTzPlusMilliseconds(next_tick,
											 as_guc_flush_interval * 1000);

	/*
	 * An error in a tick (say, out of memory) is logged and the worker goes
	 * on at the next tick, as a backend goes on after an error; FATAL still
	 * ends it and the postmaster restarts it.
	 */
	if (sigsetjmp(local_sigjmp_buf, 1) != 0)
	{
		error_context_stack = NULL;
		HOLD_INTERRUPTS();
		EmitErrorReport();
		LWLockReleaseAll();
		if (IsTransactionState())
			AbortCurrentTransaction();
		MemoryContextSwitchTo(TopMemoryContext);
		FlushErrorState();
		MemoryContextReset(tick_context);
		RESUME_INTERRUPTS();
		next_tick = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
												as_guc_sample_interval_ms);
	}
	PG_exception_stack = &local_sigjmp_buf;

	while (!ShutdownRequestPending)
	{
		TimestampTz now;
		long		sleep_ms;
		bool		flush;
		bool		tick_now;
		int			link_events;
		int			link_socket = PGINVALID_SOCKET;

		CHECK_FOR_INTERRUPTS();
		as_write_committed_range();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			as_apply_config(false);
		}

		now = GetCurrentTimestamp();
		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		tick_now = as_shared->tick_requested;
		as_shared->tick_requested = false;
		LWLockRelease(as_shared->lock);
		if (tick_now || now >= next_tick)
		{
			MemoryContext old = MemoryContextSwitchTo(tick_context);

			as_tick();
			as_apply_cpu_limit();
			as_evaluate_alarms();
			as_alarms_start_notifier();
			MemoryContextSwitchTo(old);
			MemoryContextReset(tick_context);
			/* the next sample a full interval after this one */
			next_tick = TimestampTzPlusMilliseconds(now,
													as_guc_sample_interval_ms);
		}

		/* a reader's report to its writer; never blocks */
		as_cluster_link_step(RecoveryInProgress(), GetCurrentTimestamp());

		LWLockAcquire(as_shared->lock, LW_SHARED);
		flush = as_shared->flush_requested;
		LWLockRelease(as_shared->lock);
		now = GetCurrentTimestamp();
		if (now >= next_flush ||
			(flush && now - last_flush >= USECS_PER_SEC))
		{
			as_state_file_write();
			last_flush = now;
			next_flush = TimestampTzPlusMilliseconds(now,
													 as_guc_flush_interval * 1000);
		}

		sleep_ms = (long) ((next_tick - GetCurrentTimestamp()) / 1000);
		if (sleep_ms < 1)
			sleep_ms = 1;
		link_events = as_cluster_link_wait_events(&link_socket);
		(void) WaitLatchOrSocket(MyLatch,
								 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH |
								 link_events,
								 link_events ? link_socket : PGINVALID_SOCKET,
								 sleep_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}

	as_write_committed_range();
	as_state_file_write();

	/*
	 * At a server shutdown, a clean exit.  Asked to stop otherwise
	 * (pg_terminate_backend()), exit code 1, so that the postmaster starts
	 * the worker again after worker_restart_time.
	 */
	proc_exit(as_server_stopping() ? 0 : 1);
}
