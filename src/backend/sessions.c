/*-------------------------------------------------------------------------
 *
 * sessions.c
 *		The backend side of connections: each client connection (or WAL
 *		sender) fills its own slot when it has authenticated and clears it
 *		when it exits; with enforcement on, a connection beyond the derived
 *		max_connections is refused; a connection to a paused instance wakes
 *		it (and is held while it resumes); a session ended by
 *		ForceApplyCapacityChange tells its client why.
 *
 * The slot is the sampler's source for counting connections.  Only the
 * owning backend writes its slot, between as_slot_begin_write() and
 * as_slot_end_write().  Every hook here calls the previous one first.
 *
 * This file must not know the policy's rules, the worker's loop or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "libpq/auth.h"
#include "libpq/libpq-be.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "replication/walsender.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/timestamp.h"

#include "blockers.h"
#include "compat.h"
#include "guc.h"
#include "pausework.h"
#include "sessions.h"
#include "state.h"
#include "worker.h"

static ClientAuthentication_hook_type as_prev_client_auth = NULL;
static emit_log_hook_type as_prev_emit_log = NULL;

static void
as_session_exit(int code, Datum arg)
{
	AsBackendSlot *slot = as_my_slot();

	if (slot == NULL || slot->pid != MyProcPid)
		return;
	as_slot_begin_write(slot);
	slot->pid = 0;
	slot->kind = AS_SLOT_FREE;
	as_slot_end_write(slot);
}

/* Count transactions in the slot: the sampler's sign of activity. */
static void
as_session_xact(XactEvent event, void *arg)
{
	AsBackendSlot *slot;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT)
		return;
	slot = as_my_slot();
	if (slot != NULL)
		slot->transactions++;
}

/* Client connections open now, not counting this backend's own. */
static int
as_count_open_clients(void)
{
	int			n = 0;
	AsBackendSlot *mine = as_my_slot();

	for (int i = 0; i < as_shared->nslots; i++)
	{
		int			pid;
		int			kind;

		if (&as_slots[i] == mine || as_slots[i].pid == 0)
			continue;
		as_slot_read_head(&as_slots[i], &pid, &kind, NULL);
		if (pid != 0 && (kind == AS_SLOT_CLIENT || kind == AS_SLOT_CRON_JOB))
			n++;
	}
	return n;
}

static void
as_fill_slot(AsBackendSlot *slot, const char *rolname, bool cluster_link,
			 bool cron_job)
{
	pg_atomic_write_u32(&slot->ended_by_scaling, 0);
	as_slot_begin_write(slot);
	memset(slot->blockers, 0, sizeof(slot->blockers));
	slot->blocker_mask = 0;
	slot->pid = MyProcPid;
	slot->kind = am_walsender ?
		(am_db_walsender ? AS_SLOT_LOGICAL_WALSENDER : AS_SLOT_WALSENDER) :
		cluster_link ? AS_SLOT_CLUSTER_LINK :
		cron_job ? AS_SLOT_CRON_JOB : AS_SLOT_CLIENT;
	slot->connected_at = MyStartTimestamp;
	namestrcpy(&slot->rolname, rolname);
	as_slot_end_write(slot);
}

/*
 * Register this client, refusing it first when enforcement is on and the
 * derived max_connections is reached.  Counting and registering happen
 * under the lock, so that a storm of connections cannot overshoot.
 */
static void
as_register_client(Port *port, AsBackendSlot *slot, bool cluster_link,
				   bool cron_job)
{
	AsPolicySettings settings;
	AsConnectionsBasis basis;
	double		capacity;
	int			limit;
	int			open;
	Oid			roleid;

	if (am_walsender || cluster_link || !as_guc_enforce_max_connections)
	{
		as_fill_slot(slot, port->user_name, cluster_link, cron_job);
		return;
	}

	/* superusers (and reserved-connection roles) are never refused */
	roleid = get_role_oid(port->user_name, true);
	if (OidIsValid(roleid) && as_role_has_reserved_right(roleid))
	{
		as_fill_slot(slot, port->user_name, false, cron_job);
		return;
	}

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	settings = as_shared->settings;
	basis = as_shared->basis;
	capacity = AS_STATE_IS_PAUSED(as_shared->policy.state) ?
		as_resume_capacity(&settings, &as_shared->policy) :
		as_shared->policy.capacity;
	limit = as_max_connections_in_force(&settings, basis, capacity);
	open = as_count_open_clients();
	if (open >= limit)
	{
		as_shared->rejected_limit = limit;
		as_shared->rejected_capacity = capacity;
		LWLockRelease(as_shared->lock);
		pg_atomic_fetch_add_u32(&as_shared->rejected_pending, 1);
		ereport(FATAL,
				(errcode(ERRCODE_TOO_MANY_CONNECTIONS),
				 errmsg("sorry, too many clients for %g ACU", capacity),
				 errdetail("The derived max_connections at %g ACU is %d (on the %s basis), and %d connections are open.",
						   capacity, limit,
						   basis == AS_BASIS_CURRENT_CAPACITY && settings.engine_mode == AS_ENGINE_V2 ?
						   "current_capacity" : "max_capacity",
						   open),
				 errhint("Retry when capacity has scaled up, or raise \"aurora_serverless.min_capacity\".")));
	}
	as_fill_slot(slot, port->user_name, false, cron_job);
	LWLockRelease(as_shared->lock);
}

/* Longest a connection waits for a resume; resume_delay is at most 60 s. */
#define AS_RESUME_WAIT_MAX_MS	90000

/*
 * A connection attempt to a paused instance wakes it (the worker initiates
 * the resume at once), and waits until the resume is done, as Aurora holds
 * it: none under the instant profile, about 15 s under aurora.  A connection
 * that was held says so in the log, with how long, as a cold start's trace.
 */
static void
as_wake_if_paused(void)
{
	bool		woken = false;
	bool		resumed = false;
	bool		worker = true;
	TimestampTz held_since = 0;
	long		held_ms;

	for (long waited = 0; waited < AS_RESUME_WAIT_MAX_MS; waited += 50)
	{
		AsInstanceState state;

		LWLockAcquire(as_shared->lock, LW_SHARED);
		state = as_shared->policy.state;
		worker = as_shared->worker_pid != 0;
		LWLockRelease(as_shared->lock);
		if (!AS_STATE_IS_PAUSED(state))
		{
			resumed = true;
			break;
		}
		if (!worker)
			break;
		if (!woken)
		{
			as_wake_worker();
			woken = true;
			held_since = GetCurrentTimestamp();
		}
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 50, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}

	if (!woken)
		return;
	held_ms = (long) ((GetCurrentTimestamp() - held_since) / 1000);
	if (resumed)
		ereport(LOG,
				(errmsg("connection held %ld ms while the instance resumed",
						held_ms)));
	else
		ereport(LOG,
				(errmsg("connection held %ld ms, and the instance has not resumed",
						held_ms),
				 worker ?
				 errdetail("A connection waits at most %d s for a resume, then goes on without it.",
						   AS_RESUME_WAIT_MAX_MS / 1000) :
				 errdetail("The aurora_serverless worker is not running.")));
}

/*
 * Is this session a reader's link to its writer?  Its application_name
 * says so, but any client can choose that: the role must also be one that
 * replication needs, which a client cannot choose (REPLICATION, or a
 * superuser).  A session that only borrows the name is a client like any
 * other: counted, refused at the limit, waking and keeping awake.
 */
static bool
as_is_cluster_link(Port *port)
{
	Oid			roleid;

	if (am_walsender || port->application_name == NULL ||
		strcmp(port->application_name, AS_CLUSTER_LINK_APPNAME) != 0)
		return false;
	roleid = get_role_oid(port->user_name, true);
	return OidIsValid(roleid) &&
		(superuser_arg(roleid) || has_rolreplication(roleid));
}

/*
 * Every connection attempt, whatever the outcome of its authentication,
 * wakes a paused instance, as in Aurora; but not those of roles in
 * pause_ignore_roles, nor physical replication, nor a reader's link to its
 * writer (the cluster's own traffic), nor a pg_cron job's (Aurora skips
 * the jobs of a paused instance: pausework.c refuses its statements).  An authenticated client is then
 * registered in its slot, and refused first when enforcement is on and the
 * derived max_connections is reached.
 */
static void
as_client_authentication(Port *port, int status)
{
	AsBackendSlot *slot;
	bool		wakes;
	bool		cluster_link;
	bool		cron_job;

	if (as_prev_client_auth)
		as_prev_client_auth(port, status);

	if (as_shared == NULL)
		return;

	cluster_link = as_is_cluster_link(port);
	cron_job = !am_walsender && !cluster_link && as_is_cron_connection(port);
	wakes = (!am_walsender || am_db_walsender) && !cluster_link && !cron_job &&
		!as_role_is_ignored(port->user_name);
	if (wakes)
	{
		pg_atomic_fetch_add_u32(&as_shared->arrivals_pending, 1);
		as_wake_if_paused();
	}

	if (status != STATUS_OK)
		return;
	slot = as_my_slot();
	if (slot == NULL)
		return;
	as_register_client(port, slot, cluster_link, cron_job);
	before_shmem_exit(as_session_exit, (Datum) 0);
}

/*
 * A session ended by ForceApplyCapacityChange: its FATAL tells the client
 * what Aurora's clients see, instead of "terminating connection due to
 * administrator command".
 */
static void
as_emit_log(ErrorData *edata)
{
	AsBackendSlot *slot;

	if (edata->elevel == FATAL && edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN &&
		(slot = as_my_slot()) != NULL &&
		pg_atomic_read_u32(&slot->ended_by_scaling) != 0)
	{
		edata->message = pstrdup(AS_SEAMLESS_SCALING_MESSAGE);
		edata->detail = pstrdup("aurora_serverless forced a capacity change (ForceApplyCapacityChange) and ended this session because it blocked the scaling point.");
	}
	if (as_prev_emit_log)
		as_prev_emit_log(edata);
}

void
as_sessions_install_hooks(void)
{
	as_prev_emit_log = emit_log_hook;
	emit_log_hook = as_emit_log;
	as_prev_client_auth = ClientAuthentication_hook;
	ClientAuthentication_hook = as_client_authentication;
	RegisterXactCallback(as_session_xact, NULL);
}
