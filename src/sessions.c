/*-------------------------------------------------------------------------
 *
 * sessions.c
 *		The backend side: each client connection (or WAL sender) fills its
 *		own slot when it has authenticated, and clears it when it exits.
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
#include "libpq/libpq-be.h"
#include "miscadmin.h"
#include "replication/walsender.h"
#include "storage/ipc.h"
#include "utils/timestamp.h"

#include "sessions.h"
#include "state.h"

static ClientAuthentication_hook_type as_prev_client_auth = NULL;

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

	as_slot_begin_write(slot);
	slot->pid = MyProcPid;
	slot->kind = am_walsender ? AS_SLOT_WALSENDER : AS_SLOT_CLIENT;
	slot->connected_at = MyStartTimestamp;
	as_slot_end_write(slot);
	before_shmem_exit(as_session_exit, (Datum) 0);
}

void
as_sessions_install_hooks(void)
{
	as_prev_client_auth = ClientAuthentication_hook;
	ClientAuthentication_hook = as_client_authentication;
}
