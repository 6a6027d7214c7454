/*-------------------------------------------------------------------------
 *
 * compat.h
 *		The one place where differences between PostgreSQL majors live.
 *
 * Each wrapper is a static inline function or a macro named for what it
 * does, so that the rest of the code reads the same on every major.  The
 * extension supports PostgreSQL 15 and later; nothing here may reach below
 * 15.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_COMPAT_H
#define AS_COMPAT_H

#include "postgres.h"

#include "funcapi.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "catalog/pg_authid_d.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/backend_status.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"
#include "utils/memutils.h"

#if PG_VERSION_NUM < 150000
#error "aurora_serverless requires PostgreSQL 15 or later"
#endif

/* Materialize a set-returning function's result into a tuplestore. */
static inline void
as_init_materialized_srf(FunctionCallInfo fcinfo)
{
#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, 0);
#else
	SetSingleFuncCall(fcinfo, 0);
#endif
}

/* The same for a function that returns a set of one scalar type. */
static inline void
as_init_materialized_scalar_srf(FunctionCallInfo fcinfo)
{
#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#else
	SetSingleFuncCall(fcinfo, SRF_SINGLE_USE_EXPECTED);
#endif
}

/* Index of a PGPROC in ProcGlobal->allProcs. */
static inline int
as_proc_number(PGPROC *proc)
{
#if PG_VERSION_NUM >= 170000
	return GetNumberFromPGProc(proc);
#else
	return proc->pgprocno;
#endif
}

/*
 * Does this backend hold any lock through the main lock table?  Read
 * without a lock: only this backend adds its own entries, so an empty
 * answer is exact for what it took itself.
 */
static inline bool
as_own_proclocks_exist(void)
{
	for (int p = 0; p < NUM_LOCK_PARTITIONS; p++)
	{
#if PG_VERSION_NUM >= 160000
		if (!dlist_is_empty(&MyProc->myProcLocks[p]))
			return true;
#else
		if (!SHMQueueEmpty(&MyProc->myProcLocks[p]))
			return true;
#endif
	}
	return false;
}

/* Visit this backend's entries in the main lock table, partition by
 * partition, each under its partition lock in shared mode. */
static inline void
as_scan_own_proclocks(void (*visit) (LOCK *lock, PROCLOCK *proclock, void *arg),
					  void *arg)
{
	for (int p = 0; p < NUM_LOCK_PARTITIONS; p++)
	{
#if PG_VERSION_NUM >= 160000
		dlist_head *head = &MyProc->myProcLocks[p];
		dlist_iter	it;

		if (dlist_is_empty(head))
			continue;
		LWLockAcquire(LockHashPartitionLockByIndex(p), LW_SHARED);
		dlist_foreach(it, head)
		{
			PROCLOCK   *proclock = dlist_container(PROCLOCK, procLink, it.cur);

			visit(proclock->tag.myLock, proclock, arg);
		}
		LWLockRelease(LockHashPartitionLockByIndex(p));
#else
		SHM_QUEUE  *head = &MyProc->myProcLocks[p];
		PROCLOCK   *proclock;

		if (SHMQueueEmpty(head))
			continue;
		LWLockAcquire(LockHashPartitionLockByIndex(p), LW_SHARED);
		proclock = (PROCLOCK *) SHMQueueNext(head, head,
											 offsetof(PROCLOCK, procLink));
		while (proclock)
		{
			visit(proclock->tag.myLock, proclock, arg);
			proclock = (PROCLOCK *) SHMQueueNext(head, &proclock->procLink,
												 offsetof(PROCLOCK, procLink));
		}
		LWLockRelease(LockHashPartitionLockByIndex(p));
#endif
	}
}

/*
 * The backend status of the i-th backend (1-based) in the local snapshot.
 * PostgreSQL 17 names it by index (pgstat_fetch_stat_local_beentry() was
 * renamed with the fix of pg_stat_get_backend_subxact()); 16 and earlier
 * keep the old name.
 */
static inline LocalPgBackendStatus *
as_local_beentry(int i)
{
#if PG_VERSION_NUM >= 170000
	return pgstat_get_local_beentry_by_index(i);
#else
	return pgstat_fetch_stat_local_beentry(i);
#endif
}

/* May this role use the connection slots kept for the few? */
static inline bool
as_role_has_reserved_right(Oid roleid)
{
#if PG_VERSION_NUM >= 160000
	return superuser_arg(roleid) ||
		has_privs_of_role(roleid, ROLE_PG_USE_RESERVED_CONNECTIONS);
#else
	return superuser_arg(roleid);
#endif
}

/* Every setting the server knows; *n receives how many. */
static inline struct config_generic **
as_guc_variables(int *n)
{
#if PG_VERSION_NUM >= 160000
	return get_guc_variables(n);
#else
	*n = GetNumConfigOptions();
	return get_guc_variables();
#endif
}

/* A wait event set that lives as long as the process. */
static inline WaitEventSet *
as_create_wait_event_set(int nevents)
{
#if PG_VERSION_NUM >= 170000
	return CreateWaitEventSet(NULL, nevents);
#else
	return CreateWaitEventSet(TopMemoryContext, nevents);
#endif
}

#endif							/* AS_COMPAT_H */
