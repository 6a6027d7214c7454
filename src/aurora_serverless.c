/*-------------------------------------------------------------------------
 *
 * aurora_serverless.c
 *		Module entry: settings, shared memory, the worker and the hooks.
 *
 * Loaded through shared_preload_libraries, _PG_init defines the settings,
 * asks for shared memory, registers the worker and installs the hooks.
 * Loaded any other way (a plain CREATE EXTENSION), it does nothing: every
 * SQL function then says that the library must be preloaded.  Neither does
 * it in a server that pg_upgrade starts (binary upgrade mode): no worker
 * samples, pauses or writes the state file or postgresql.auto.conf of a
 * cluster in the middle of an upgrade, and no connection of pg_upgrade's is
 * counted, held or refused.
 *
 * This file must not know what the hooks or the worker do.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"

#include "admin.h"
#include "alarms.h"
#include "blockers.h"
#include "guc.h"
#include "pausework.h"
#include "sessions.h"
#include "state.h"
#include "worker.h"

#include "api/apiworker.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static shmem_request_hook_type as_prev_shmem_request = NULL;
static shmem_startup_hook_type as_prev_shmem_startup = NULL;

static void
as_shmem_request_hook(void)
{
	if (as_prev_shmem_request)
		as_prev_shmem_request();
	as_shmem_request();
}

static void
as_shmem_startup_hook(void)
{
	if (as_prev_shmem_startup)
		as_prev_shmem_startup();
	as_shmem_startup();
}

void
_PG_init(void)
{
	/* not preloaded: no settings (some size shared memory), nothing else */
	if (!process_shared_preload_libraries_in_progress)
		return;

	/* pg_upgrade's server: stand aside, say so in its log */
	if (IsBinaryUpgrade)
	{
		ereport(LOG,
				(errmsg("aurora_serverless: not started in binary upgrade mode"),
				 errdetail("The worker, the connection hooks and the state file wait for the server's next start.")));
		return;
	}

	as_define_gucs();

	as_prev_shmem_request = shmem_request_hook;
	shmem_request_hook = as_shmem_request_hook;
	as_prev_shmem_startup = shmem_startup_hook;
	shmem_startup_hook = as_shmem_startup_hook;

	as_register_worker();
	as_api_register_worker();
	as_sessions_install_hooks();
	as_blockers_install_hooks();
	as_pausework_install_hooks();
	as_admin_install_callbacks();
	as_alarms_install_callbacks();
}
