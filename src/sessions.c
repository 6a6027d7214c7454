/*-------------------------------------------------------------------------
 *
 * sessions.c
 *		The backend side: each client connection (or WAL sender) fills its
 *		own slot when it has authenticated, and clears it when it exits; a
 *		session ended by ForceApplyCapacityChange tells its client why.
 *
 * The slot is the sampler's source for counting connections.  Only the
 * owning backend writes its slot, between as_slot_begin_write() and
 * as_slot_end_write().  The previous ClientAuthentication_hook is called
 * first, as every hook here does.
 *
 * This file must not know the policy, the worker or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "libpq/auth.h"
#include "utils/elog.h"
#include "libpq/libpq-be.h"
#include "miscadmin.h"
#include "replication/walsender.h"
#include "storage/ipc.h"
#include "utils/timestamp.h"

#include "blockers.h"
#include "sessions.h"
#include "state.h"

static ClientAuthentication_hook_type as_prev_client_auth = NULL;
static emit_log_hook_type as_prev_emit_log = NULL;

static void
as_session_exit(int code, Datum arg)
{
	AsBackendSlot *slot = as_my_slot();

	if (slot == NULL)
		return;
	as_slot_begin_write(slot);
	slot->pid = 0;
	slot->kind = AS_SLOT_FREE;
	as_slot_end_write(slot);
}

static void
as_client_authentication(Port *port, int status)
{
	AsBackendSlot *slot;

	if (as_prev_client_auth)
		as_prev_client_auth(port, status);

	if (status != STATUS_OK)
		return;
	slot = as_my_slot();
	if (slot == NULL)
		return;

	pg_atomic_write_u32(&slot->ended_by_scaling, 0);
	as_slot_begin_write(slot);
	memset(slot->blockers, 0, sizeof(slot->blockers));
	slot->blocker_mask = 0;
	slot->pid = MyProcPid;
	slot->kind = am_walsender ? AS_SLOT_WALSENDER : AS_SLOT_CLIENT;
	slot->connected_at = MyStartTimestamp;
	as_slot_end_write(slot);
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
}
