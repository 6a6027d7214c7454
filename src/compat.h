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
#include "storage/proc.h"

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

/* The local transaction id a PGPROC is running, changed by every xact. */
static inline LocalTransactionId
as_proc_lxid(PGPROC *proc)
{
#if PG_VERSION_NUM >= 170000
	return proc->vxid.lxid;
#else
	return proc->lxid;
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

#endif							/* AS_COMPAT_H */
