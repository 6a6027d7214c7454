/*-------------------------------------------------------------------------
 *
 * apiworker.c
 *		The background worker that serves the AWS API endpoint.
 *
 * Registered at server start only when aurora_serverless.api_listen is
 * set, it connects to aurora_serverless.api_database (where the extension
 * must be created), listens on api_listen, and serves requests from its own
 * wait loop: the latch (reload, shutdown), the postmaster's death, and
 * libmicrohttpd's epoll descriptor, waited on for at most what
 * libmicrohttpd asks.  A worker of its own, not the capacity worker: a
 * slow client or a long call never delays a sample.
 *
 * An error in a request is caught by request.c and answered; an error that
 * escaped would end this worker only (exit code 1), and the postmaster
 * starts it again after worker_restart_time.  A crash (a signal) makes the
 * postmaster restart every backend, as for any process attached to shared
 * memory.
 *
 * It must not know AWS's protocols, SigV4 or the actions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"

#include "compat.h"
#include "guc.h"

#include "apiworker.h"
#include "http.h"
#include "request.h"

void
as_api_register_worker(void)
{
	BackgroundWorker worker;

	if (as_guc_api_listen == NULL || as_guc_api_listen[0] == '\0')
		return;
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	/* a reader (hot standby) answers too: it describes itself */
	worker.bgw_start_time = BgWorkerStart_ConsistentState;
	worker.bgw_restart_time = as_guc_worker_restart_time;
	strlcpy(worker.bgw_library_name, "aurora_serverless", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "as_api_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, AS_API_WORKER_TYPE, BGW_MAXLEN);
	strlcpy(worker.bgw_type, AS_API_WORKER_TYPE, BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* The listening socket closes with the worker, whatever the exit. */
static void
as_api_worker_exit(int code, Datum arg)
{
	as_http_stop();
}

/* Say in the log, once at start, whether the extension is there. */
static void
as_api_check_extension(void)
{
	bool		present;

	StartTransactionCommand();
	present = OidIsValid(get_extension_oid("aurora_serverless", true));
	CommitTransactionCommand();
	if (!present)
		ereport(LOG,
				(errmsg("aurora_serverless api: the extension is not installed in database \"%s\"",
						as_guc_api_database),
				 errdetail("Every request is answered ServiceUnavailable until it is."),
				 errhint("Run CREATE EXTENSION aurora_serverless in database \"%s\", or set \"aurora_serverless.api_database\".",
						 as_guc_api_database)));
}

void
as_api_worker_main(Datum main_arg)
{
	char		err[256];
	bool		loopback = false;
	WaitEventSet *set;
	int			http_pos;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	/* die(): a shutdown cancels a call in progress */
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(as_guc_api_database, NULL, 0);

	/* every name in the actions' SQL is qualified; nothing else is found */
	SetConfigOption("search_path", "pg_catalog", PGC_SUSET, PGC_S_OVERRIDE);
	pgstat_report_appname(AS_API_WORKER_TYPE);

	as_api_check_extension();
	if (!as_http_start(as_guc_api_listen, as_api_handle, as_api_refuse,
					   &loopback, err, sizeof(err)))
	{
		ereport(LOG,
				(errmsg("aurora_serverless api: could not start the endpoint: %s",
						err),
				 errhint("Check \"aurora_serverless.api_listen\"; the worker tries again in %d s.",
						 as_guc_worker_restart_time)));
		proc_exit(1);
	}
	before_shmem_exit(as_api_worker_exit, (Datum) 0);
	ereport(LOG,
			(errmsg("aurora_serverless api: listening on %s for the AWS API (database \"%s\")",
					as_guc_api_listen, as_guc_api_database)));
	as_api_request_init(loopback);

	set = as_create_wait_event_set(3);
	AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	http_pos = AddWaitEventToSet(set, WL_SOCKET_READABLE,
								 as_http_wait_fd(), NULL, NULL);
	(void) http_pos;

	for (;;)
	{
		WaitEvent	ev;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			as_api_settings_changed();
		}
		(void) WaitEventSetWait(set, as_http_timeout_ms(), &ev, 1,
								PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		as_http_run();
	}
}
