/*-------------------------------------------------------------------------
 *
 * blockerscan.c
 *		Find the sessions that block a scaling point or a pause: the tracked
 *		constructs in every backend's slot, and long transactions and long
 *		queries from the backend status.
 *
 * Used by the scaling_blockers view and by the worker while it searches for
 * a scaling point; never on the worker's every tick.  It reads the slots
 * through their change counters and the backend status through
 * PostgreSQL's local snapshot, and takes no heavyweight lock.
 *
 * This file must not know the policy or SQL output.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xlog.h"
#include "storage/procarray.h"
#include "utils/backend_status.h"
#include "utils/timestamp.h"

#include "blockers.h"
#include "guc.h"
#include "compat.h"
#include "pausework.h"
#include "state.h"

const char *
as_blocker_kind_name(AsBlockerKind kind)
{
	switch (kind)
	{
		case AS_BLOCKER_LISTEN:
			return "listen";
		case AS_BLOCKER_WITH_HOLD_CURSOR:
			return "with_hold_cursor";
		case AS_BLOCKER_ADVISORY_LOCK:
			return "advisory_lock";
		case AS_BLOCKER_TEMP_TABLE:
			return "temp_table";
		case AS_BLOCKER_TABLE_LOCK:
			return "table_lock";
		case AS_BLOCKER_LONG_TRANSACTION:
			return "long_transaction";
		case AS_BLOCKER_LONG_QUERY:
			return "long_query";
		case AS_BLOCKER_CONNECTION:
			return "connection";
		case AS_BLOCKER_LOGICAL_REPLICATION:
			return "logical_replication";
		case AS_BLOCKER_LOGICAL_REPLICATION_ENABLED:
			return "logical_replication_enabled";
		case AS_BLOCKER_NKINDS:
			break;
	}
	return "unknown";
}

/* What to do instead, one sentence per kind. */
const char *
as_blocker_hint(AsBlockerKind kind)
{
	switch (kind)
	{
		case AS_BLOCKER_LISTEN:
			return "UNLISTEN when done, or poll a table instead of holding a LISTEN session open.";
		case AS_BLOCKER_WITH_HOLD_CURSOR:
			return "Use a plain cursor inside the transaction, or CLOSE the cursor when done.";
		case AS_BLOCKER_ADVISORY_LOCK:
			return "Use pg_advisory_xact_lock(), which ends with the transaction, or pg_advisory_unlock() when done.";
		case AS_BLOCKER_TEMP_TABLE:
			return "Use an unlogged table, or CREATE TEMP TABLE ... ON COMMIT DROP, or DROP it when done.";
		case AS_BLOCKER_TABLE_LOCK:
			return "Keep transactions that use LOCK TABLE short; the lock ends with the transaction.";
		case AS_BLOCKER_LONG_TRANSACTION:
			return "Commit sooner, or split the work into shorter transactions; set idle_in_transaction_session_timeout.";
		case AS_BLOCKER_LONG_QUERY:
			return "Speed up or split the query, or set statement_timeout.";
		case AS_BLOCKER_CONNECTION:
			return "Close idle connections (a pool's idle timeout), or list monitoring roles in aurora_serverless.pause_ignore_roles.";
		case AS_BLOCKER_LOGICAL_REPLICATION:
			return "Logical replication keeps an Aurora instance awake: stop the subscriber or its stream while the instance should pause.";
		case AS_BLOCKER_LOGICAL_REPLICATION_ENABLED:
			return "AWS: when logical replication is enabled for the cluster (rds.logical_replication = 1), the writer and the readers in promotion tiers 0 and 1 do not auto-pause, whether or not a consumer is connected; readers in tiers 2 to 15 still may. Set wal_level to replica and restart if no logical replication is needed.";
		case AS_BLOCKER_NKINDS:
			break;
	}
	return "";
}

static LocalPgBackendStatus *
as_find_beentry(int pid, int nbackends)
{
	for (int i = 1; i <= nbackends; i++)
	{
		LocalPgBackendStatus *local = as_local_beentry(i);

		if (local && local->backendStatus.st_procpid == pid)
			return local;
	}
	return NULL;
}

static void
as_fill_session(AsBlocker *b, const PgBackendStatus *be)
{
	b->userid = be->st_userid;
	b->datid = be->st_databaseid;
	strlcpy(b->application_name, be->st_appname ? be->st_appname : "",
			sizeof(b->application_name));
}

/* A blocker that is an age: a long transaction or a long query. */
static void
as_add_age_blocker(AsBlocker *out, int max, int *n, const PgBackendStatus *be,
				   AsBlockerKind kind, TimestampTz since, TimestampTz now,
				   const char *lead, const char *tail)
{
	AsBlocker  *b;
	long		secs;
	int			usecs;

	if ((*n)++ >= max)
		return;
	b = &out[*n - 1];
	memset(b, 0, sizeof(*b));
	b->pid = be->st_procpid;
	b->kind = kind;
	b->since = since;
	TimestampDifference(since, now, &secs, &usecs);
	snprintf(b->detail, sizeof(b->detail), "%s %ld s%s", lead, secs, tail);
	as_fill_session(b, be);
}

/* Is a backend a pg_cron job's connection (its slot says so)? */
static bool
as_is_cron_backend(int pid)
{
	PGPROC	   *proc = BackendPidGetProc(pid);
	int			slot_pid;
	int			kind;

	if (proc == NULL)
		return false;
	as_slot_read_head(&as_slots[as_proc_number(proc)], &slot_pid, &kind, NULL);
	return slot_pid == pid && kind == AS_SLOT_CRON_JOB;
}

/*
 * Collect up to max blockers into out; returns how many there are (which
 * may exceed max).  Thresholds are in seconds.  pg_cron jobs are left out:
 * like autovacuum, they are the instance's own work, which a pause cancels
 * (pausework.c), and they block neither a pause nor a scaling point.
 */
int
as_scan_blockers(AsBlocker *out, int max, TimestampTz now,
				 int long_query_s, int long_transaction_s)
{
	int			n = 0;
	int			nbackends = pgstat_fetch_stat_numbackends();

	/* constructs tracked in the slots */
	for (int i = 0; i < as_shared->nslots; i++)
	{
		AsBackendSlot slot;
		LocalPgBackendStatus *local;

		if (as_slots[i].blocker_mask == 0 || as_slots[i].pid == 0)
			continue;
		as_slot_read(&as_slots[i], &slot);
		if (slot.pid == 0 || slot.blocker_mask == 0 ||
			slot.kind == AS_SLOT_CRON_JOB)
			continue;
		local = as_find_beentry(slot.pid, nbackends);
		for (int k = 0; k < AS_BLOCKER_NTRACKED; k++)
		{
			AsBlocker  *b;

			if (slot.blockers[k].count == 0)
				continue;
			if (n++ >= max)
				continue;
			b = &out[n - 1];
			memset(b, 0, sizeof(*b));
			b->pid = slot.pid;
			b->kind = (AsBlockerKind) k;
			b->since = slot.blockers[k].since;
			strlcpy(b->detail, slot.blockers[k].detail, sizeof(b->detail));
			if (local)
				as_fill_session(b, &local->backendStatus);
		}
	}

	/* long transactions and long queries, from the backend status */
	for (int i = 1; i <= nbackends; i++)
	{
		LocalPgBackendStatus *local = as_local_beentry(i);
		PgBackendStatus *be;

		if (local == NULL)
			continue;
		be = &local->backendStatus;
		if (be->st_backendType != B_BACKEND || be->st_procpid == 0)
			continue;
		if ((be->st_xact_start_timestamp != 0 ||
			 be->st_state == STATE_RUNNING) &&
			as_is_cron_backend(be->st_procpid))
			continue;

		if (be->st_xact_start_timestamp != 0 &&
			TimestampDifferenceExceeds(be->st_xact_start_timestamp, now,
									   long_transaction_s * 1000))
			as_add_age_blocker(out, max, &n, be, AS_BLOCKER_LONG_TRANSACTION,
							   be->st_xact_start_timestamp, now, "open for",
							   be->st_state == STATE_IDLEINTRANSACTION ||
							   be->st_state == STATE_IDLEINTRANSACTION_ABORTED ?
							   ", idle in transaction" : "");
		if (be->st_state == STATE_RUNNING &&
			be->st_activity_start_timestamp != 0 &&
			TimestampDifferenceExceeds(be->st_activity_start_timestamp, now,
									   long_query_s * 1000))
			as_add_age_blocker(out, max, &n, be, AS_BLOCKER_LONG_QUERY,
							   be->st_activity_start_timestamp, now,
							   "running for", "");
	}
	return n;
}

static const char *
as_state_words(BackendState state)
{
	switch (state)
	{
		case STATE_IDLE:
			return "idle";
		case STATE_RUNNING:
			return "active";
		case STATE_IDLEINTRANSACTION:
		case STATE_IDLEINTRANSACTION_ABORTED:
			return "idle in transaction";
		default:
			return "connected";
	}
}

/*
 * What keeps the instance from pausing: logical replication enabled (a
 * first entry with no session, pid 0), every client connection whose role
 * is not in pause_ignore_roles (but skip_pid's), every logical replication
 * connection, then every scaling blocker, which blocks a pause in both
 * engine modes.  Returns the count, which may exceed max.
 */
int
as_scan_pause_blockers(AsBlocker *out, int max, TimestampTz now, int skip_pid)
{
	int			n = 0;
	int			nbackends = pgstat_fetch_stat_numbackends();

	if (as_logical_replication_keeps_awake(RecoveryInProgress()) &&
		n++ < max)
	{
		memset(&out[0], 0, sizeof(out[0]));
		out[0].kind = AS_BLOCKER_LOGICAL_REPLICATION_ENABLED;
		snprintf(out[0].detail, sizeof(out[0].detail),
				 "wal_level = logical (rds.logical_replication = 1): the %s does not auto-pause",
				 RecoveryInProgress() ? "reader, in promotion tier 0 or 1," :
				 "writer");
	}

	for (int i = 1; i <= nbackends; i++)
	{
		LocalPgBackendStatus *local = as_local_beentry(i);
		PgBackendStatus *be;
		PGPROC	   *proc;
		AsBackendSlot *slot;
		int			pid;
		int			kind;
		NameData	rolname;
		long		secs;
		int			usecs;
		AsBlocker  *b;

		if (local == NULL)
			continue;
		be = &local->backendStatus;
		if ((be->st_backendType != B_BACKEND &&
			 be->st_backendType != B_WAL_SENDER) ||
			be->st_procpid == 0 || be->st_procpid == skip_pid)
			continue;
		proc = BackendPidGetProc(be->st_procpid);
		if (proc == NULL)
			continue;
		slot = &as_slots[as_proc_number(proc)];
		as_slot_read_head(slot, &pid, &kind, &rolname);
		if (pid != be->st_procpid ||
			(kind == AS_SLOT_CLIENT && as_role_is_ignored(NameStr(rolname))) ||
			(kind != AS_SLOT_CLIENT && kind != AS_SLOT_LOGICAL_WALSENDER))
			continue;
		if (n++ >= max)
			continue;
		b = &out[n - 1];
		memset(b, 0, sizeof(*b));
		b->pid = pid;
		b->kind = kind == AS_SLOT_CLIENT ? AS_BLOCKER_CONNECTION :
			AS_BLOCKER_LOGICAL_REPLICATION;
		b->since = be->st_state_start_timestamp;
		as_fill_session(b, be);
		if (b->since != 0)
		{
			TimestampDifference(b->since, now, &secs, &usecs);
			snprintf(b->detail, sizeof(b->detail), "%s%s for %ld s",
					 b->kind == AS_BLOCKER_LOGICAL_REPLICATION ?
					 "logical replication, " : "",
					 as_state_words(be->st_state), secs);
		}
		else
			strlcpy(b->detail, as_state_words(be->st_state), sizeof(b->detail));
	}
	return n + as_scan_blockers(out + Min(n, max), Max(max - n, 0), now,
								as_guc_long_query_threshold,
								as_guc_long_transaction_threshold);
}

/*
 * ForceApplyCapacityChange: end every session in list (each once), after
 * marking its slot so that its client is told why.  Writes the pids ended
 * into pids, comma-separated.  Returns how many were signalled.
 */
int
as_end_blocking_sessions(const AsBlocker *list, int n, char *pids, size_t size)
{
	int			ended = 0;
	size_t		len = 0;

	pids[0] = '\0';
	for (int i = 0; i < n; i++)
	{
		int			pid = list[i].pid;
		bool		seen = false;
		PGPROC	   *proc;
		AsBackendSlot *slot;

		for (int j = 0; j < i; j++)
			seen |= (list[j].pid == pid);
		if (seen || pid == MyProcPid)
			continue;
		proc = BackendPidGetProc(pid);
		if (proc == NULL)
			continue;
		slot = &as_slots[as_proc_number(proc)];
		pg_atomic_write_u32(&slot->ended_by_scaling, 1);
		if (kill(pid, SIGTERM) != 0)
			continue;
		ended++;
		if (len < size)
			len += snprintf(pids + len, size - len, "%s%d", len ? ", " : "", pid);
	}
	return ended;
}
