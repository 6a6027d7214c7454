/*-------------------------------------------------------------------------
 *
 * pausework.c
 *		Work that is not a client's, and a pause.  Logical replication
 *		enabled keeps the writer and the readers in promotion tier 0 or 1
 *		awake; pg_cron jobs neither wake the instance nor keep it awake, do
 *		not run while it is paused, and are cancelled, with autovacuum's
 *		workers, when a pause begins.
 *
 * AWS: when logical replication is enabled for a cluster
 * (rds.logical_replication = 1, PostgreSQL's wal_level = logical), its
 * writer and its readers in promotion tiers 0 and 1 do not auto-pause,
 * whether or not a consumer is connected; pg_cron jobs scheduled while an
 * instance is paused are skipped, and autovacuum or pg_cron work running
 * when the pause begins is cancelled.
 *
 * A pg_cron job is known by what pg_cron makes of it: a background worker
 * of type "pg_cron" (cron.use_background_workers = on), or a client
 * connection whose startup packet names the application pg_cron (off:
 * pg_cron connects over libpq with that fallback_application_name).  Any
 * client may take that name; it then only stops keeping the instance awake
 * itself, and is refused while the instance is paused.
 *
 * A job is refused at its first statement, not at its connection: pg_cron
 * records a refused connection as "connection failed" and a statement's
 * error with its message, so cron.job_run_details says why.  A job or an
 * autovacuum worker that a pause cancels is marked in its backend slot
 * first, so that its error says why instead of "canceling statement due to
 * user request".
 *
 * This file must not know the policy's rules or SQL output.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "parser/analyze.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "utils/acl.h"
#include "utils/backend_status.h"
#include "utils/elog.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "guc.h"
#include "pausework.h"
#include "state.h"

static post_parse_analyze_hook_type as_prev_post_parse_analyze = NULL;
static emit_log_hook_type as_prev_emit_log = NULL;

/* One process a pause cancels, found in the backend status. */
typedef struct AsPauseWork
{
	int			pid;
	bool		autovacuum;		/* else a pg_cron job */
	Oid			userid;
	Oid			datid;
	TimestampTz since;			/* its statement, or the process, began */
	char		activity[AS_BLOCKER_DETAIL_LEN];	/* autovacuum's table */
} AsPauseWork;

/*
 * Does logical replication keep this instance awake?  wal_level = logical
 * is PostgreSQL's rds.logical_replication = 1, and it keeps the writer and
 * the readers in promotion tiers 0 and 1 from pausing; other readers pause
 * on their own.  A reader reads its own wal_level (PostgreSQL 16 and later
 * decode on a standby with wal_level = logical); a tier 0/1 reader also
 * stays awake because its writer does.
 */
bool
as_logical_replication_keeps_awake(bool in_recovery)
{
	return wal_level >= WAL_LEVEL_LOGICAL &&
		(!in_recovery || as_guc_promotion_tier <= 1);
}

/* Is a client connection one of pg_cron's jobs (libpq mode)? */
bool
as_is_cron_connection(const Port *port)
{
	return port->application_name != NULL &&
		strcmp(port->application_name, AS_PG_CRON_APPNAME) == 0;
}

/* Is this process a pg_cron job: its background worker, or its client? */
static bool
as_am_cron_job(void)
{
	AsBackendSlot *slot;

	if (MyBackendType == B_BG_WORKER)
		return MyBgworkerEntry != NULL &&
			strcmp(MyBgworkerEntry->bgw_type, AS_PG_CRON_WORKER_TYPE) == 0;
	if (MyBackendType != B_BACKEND)
		return false;
	/* only this backend writes its slot: no lock to read it */
	slot = as_my_slot();
	return slot != NULL && slot->pid == MyProcPid &&
		slot->kind == AS_SLOT_CRON_JOB;
}

/*
 * A pg_cron job's statement while the instance is pausing, paused or
 * resuming fails: Aurora skips the job, and it does not resume the
 * instance.
 */
static void
as_pausework_post_parse_analyze(ParseState *pstate, Query *query,
								JumbleState *jstate)
{
	AsInstanceState state;

	if (as_prev_post_parse_analyze)
		as_prev_post_parse_analyze(pstate, query, jstate);
	if (as_shared == NULL || !as_am_cron_job())
		return;
	LWLockAcquire(as_shared->lock, LW_SHARED);
	state = as_shared->policy.state;
	LWLockRelease(as_shared->lock);
	if (state != AS_STATE_PAUSING && !AS_STATE_IS_PAUSED(state))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("pg_cron job skipped: the instance is %s",
					as_state_name(state)),
			 errdetail("Aurora Serverless v2 skips pg_cron jobs scheduled while an instance is paused: the job neither runs nor resumes the instance."),
			 errhint("Schedule the job for a time the instance is awake, or keep it awake with a min_capacity above 0.")));
}

/* Work that a pause cancelled says so, not "due to user request". */
static void
as_pausework_emit_log(ErrorData *edata)
{
	AsBackendSlot *slot;

	if (edata->elevel >= ERROR &&
		(edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
		 edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN) &&
		as_shared != NULL && (slot = as_my_slot()) != NULL &&
		pg_atomic_read_u32(&slot->cancelled_by_pause) == (uint32) MyProcPid)
	{
		edata->message = pstrdup(MyBackendType == B_AUTOVAC_WORKER ?
								 "terminating autovacuum worker: the instance is pausing" :
								 "canceling pg_cron job: the instance is pausing");
		edata->detail = pstrdup("Aurora Serverless v2 cancels autovacuum and pg_cron work that is running when a pause begins.");
	}
	if (as_prev_emit_log)
		as_prev_emit_log(edata);
}

void
as_pausework_install_hooks(void)
{
	as_prev_post_parse_analyze = post_parse_analyze_hook;
	post_parse_analyze_hook = as_pausework_post_parse_analyze;
	as_prev_emit_log = emit_log_hook;
	emit_log_hook = as_pausework_emit_log;
}

/* Is the process of a backend status entry a pg_cron job? */
static bool
as_is_cron_job(const PgBackendStatus *be)
{
	if (be->st_backendType == B_BG_WORKER)
	{
		const char *type = GetBackgroundWorkerTypeByPid(be->st_procpid);

		return type != NULL && strcmp(type, AS_PG_CRON_WORKER_TYPE) == 0;
	}
	if (be->st_backendType == B_BACKEND)
	{
		PGPROC	   *proc = BackendPidGetProc(be->st_procpid);
		int			pid;
		int			kind;

		if (proc == NULL)
			return false;
		as_slot_read_head(&as_slots[as_proc_number(proc)], &pid, &kind, NULL);
		return pid == be->st_procpid && kind == AS_SLOT_CRON_JOB;
	}
	return false;
}

/* Record one cancellation; the caller is in a transaction (names). */
static void
as_record_cancelled(const AsPauseWork *w, bool paused, double capacity,
					TimestampTz now)
{
	char		detail[sizeof(((AsPolicyEvent *) 0)->detail)];
	const char *db = OidIsValid(w->datid) ? get_database_name(w->datid) : NULL;
	const char *when = paused ? "as the instance paused" : "as the pause began";

	if (w->autovacuum)
		snprintf(detail, sizeof(detail),
				 "PID %d: autovacuum worker (%s, database %s) cancelled %s",
				 w->pid, w->activity[0] ? w->activity : "starting",
				 db ? db : "none", when);
	else
	{
		const char *role = OidIsValid(w->userid) ?
		GetUserNameFromId(w->userid, true) : NULL;
		long		secs = 0;
		int			usecs;

		if (w->since != 0)
			TimestampDifference(w->since, now, &secs, &usecs);
		snprintf(detail, sizeof(detail),
				 "PID %d: pg_cron job of role %s (database %s), running for %ld s, cancelled %s; cron.job_run_details has it under job_pid %d",
				 w->pid, role ? role : "unknown", db ? db : "none", secs, when,
				 w->pid);
	}
	as_record_event(AS_EVENT_WORK_CANCELLED, capacity, capacity,
					w->autovacuum ? "autovacuum" : "pg_cron", detail);
}

/*
 * The worker, when a pause begins (pause_initiated) and when it is done
 * (pause): end every autovacuum worker (SIGTERM: a cancelled vacuum would
 * go on with its next table) and cancel every running pg_cron job
 * (SIGINT: its run fails with the reason), each one marked first so that
 * its error names the pause, and each one a work_cancelled event.  A job
 * that starts later is refused by as_pausework_post_parse_analyze().
 * Returns how many were signalled.  Called outside the lock.
 */
int
as_pausework_cancel(bool paused, double capacity)
{
	int			nbackends = pgstat_fetch_stat_numbackends();
	AsPauseWork *work = palloc(sizeof(AsPauseWork) * Max(nbackends, 1));
	int			n = 0;
	TimestampTz now = GetCurrentTimestamp();
	MemoryContext old;

	for (int i = 1; i <= nbackends; i++)
	{
		LocalPgBackendStatus *local = as_local_beentry(i);
		PgBackendStatus *be;
		PGPROC	   *proc;
		AsPauseWork *w;
		bool		autovacuum;

		if (local == NULL)
			continue;
		be = &local->backendStatus;
		if (be->st_procpid == 0 || be->st_procpid == MyProcPid)
			continue;
		autovacuum = be->st_backendType == B_AUTOVAC_WORKER;
		if (!autovacuum &&
			!(be->st_state == STATE_RUNNING && as_is_cron_job(be)))
			continue;
		proc = BackendPidGetProc(be->st_procpid);
		if (proc == NULL)
			continue;
		pg_atomic_write_u32(&as_slots[as_proc_number(proc)].cancelled_by_pause,
							(uint32) be->st_procpid);
		if (kill(be->st_procpid, autovacuum ? SIGTERM : SIGINT) != 0)
			continue;
		w = &work[n++];
		memset(w, 0, sizeof(*w));
		w->pid = be->st_procpid;
		w->autovacuum = autovacuum;
		w->userid = be->st_userid;
		w->datid = be->st_databaseid;
		w->since = be->st_activity_start_timestamp != 0 ?
			be->st_activity_start_timestamp : be->st_proc_start_timestamp;
		if (autovacuum && be->st_activity_raw != NULL)
		{
			char	   *activity = pgstat_clip_activity(be->st_activity_raw);
			const char *prefix = "autovacuum: ";

			/* "autovacuum: VACUUM public.t": the table, catalog knowledge */
			strlcpy(w->activity,
					strncmp(activity, prefix, strlen(prefix)) == 0 ?
					activity + strlen(prefix) : activity,
					sizeof(w->activity));
			pfree(activity);
		}
	}
	/* a transaction ends the snapshot: done with it before one begins */
	pgstat_clear_backend_activity_snapshot();
	if (n == 0)
		return 0;

	old = CurrentMemoryContext;
	StartTransactionCommand();
	for (int i = 0; i < n; i++)
		as_record_cancelled(&work[i], paused, capacity, now);
	CommitTransactionCommand();
	MemoryContextSwitchTo(old);
	pfree(work);
	return n;
}
