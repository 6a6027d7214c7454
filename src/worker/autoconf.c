/*-------------------------------------------------------------------------
 *
 * autoconf.c
 *		The scaling configuration written to postgresql.auto.conf, as ALTER
 *		SYSTEM writes it, once the transaction of modify_capacity() has
 *		committed: the range, and seconds_until_auto_pause when it was given.
 *
 * modify_capacity() puts a range in force when its transaction commits and
 * leaves it here for the worker, the one writer, so that a transaction that
 * fails to commit writes nothing and two that commit together cannot mix
 * their pairs on disk: the last range committed is the one written.  The
 * two settings are written one after the other in the order whose pair in
 * between is itself a valid range, so a crash between the writes cannot
 * leave a pair that the next start refuses.
 *
 * This file must not know the SQL functions, the sampler or the policy.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "catalog/pg_authid_d.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/parsenodes.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "autoconf.h"
#include "guc.h"
#include "state.h"

/* ALTER SYSTEM SET name = 'value', as the bootstrap superuser. */
static void
as_alter_system(const char *name, double value)
{
	AlterSystemStmt *stmt = makeNode(AlterSystemStmt);
	VariableSetStmt *set = makeNode(VariableSetStmt);
	A_Const    *val = makeNode(A_Const);
	Oid			save_userid;
	int			save_sec;

	val->val.sval.type = T_String;
	val->val.sval.sval = psprintf("%g", value);
	val->location = -1;
	set->kind = VAR_SET_VALUE;
	set->name = pstrdup(name);
	set->args = list_make1(val);
	stmt->setstmt = set;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(BOOTSTRAP_SUPERUSERID,
						   save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		AlterSystemSetConfigFile(stmt);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec);
	}
	PG_END_TRY();
}

/*
 * Called by a committing backend (at XACT_EVENT_COMMIT, where nothing may
 * fail): leave the committed range for the worker.  A later one replaces an
 * earlier one not yet written.  Caller holds as_shared->lock exclusively.
 */
void
as_autoconf_post(double min_capacity, double max_capacity,
				 int seconds_until_auto_pause)
{
	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	/* a pause delay not written yet stays, unless this call gives one */
	if (!as_shared->range_write_pending)
		as_shared->range_write_pause = -1;
	as_shared->range_write_pending = true;
	as_shared->range_write_min = min_capacity;
	as_shared->range_write_max = max_capacity;
	if (seconds_until_auto_pause >= 0)
		as_shared->range_write_pause = seconds_until_auto_pause;
}

/*
 * In the worker: write the range committed last, if one waits.  Returns
 * true when it wrote one; then the caller rereads the configuration and
 * signals the postmaster, so that every process sees it.  A failure to write
 * (a full disk, say) is logged and recorded as a config_rejected event; the
 * range stays in force until the server restarts.
 */
bool
as_autoconf_write_pending(void)
{
	double		min_capacity;
	double		max_capacity;
	int			pause_seconds;
	double		capacity;
	MemoryContext cxt = CurrentMemoryContext;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (!as_shared->range_write_pending)
	{
		LWLockRelease(as_shared->lock);
		return false;
	}
	as_shared->range_write_pending = false;
	min_capacity = as_shared->range_write_min;
	max_capacity = as_shared->range_write_max;
	pause_seconds = as_shared->range_write_pause;
	capacity = as_shared->policy.capacity;
	LWLockRelease(as_shared->lock);

	PG_TRY();
	{
		StartTransactionCommand();

		/*
		 * The settings as the file has them now: the new max first if the old
		 * min fits under it, else the new min first.  Either pair in between
		 * is a valid range.
		 */
		if (as_guc_min_capacity <= max_capacity)
		{
			as_alter_system("aurora_serverless.max_capacity", max_capacity);
			as_alter_system("aurora_serverless.min_capacity", min_capacity);
		}
		else
		{
			as_alter_system("aurora_serverless.min_capacity", min_capacity);
			as_alter_system("aurora_serverless.max_capacity", max_capacity);
		}
		if (pause_seconds >= 0)
			as_alter_system("aurora_serverless.seconds_until_auto_pause",
							pause_seconds);
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		char		detail[sizeof(((AsPolicyEvent *) 0)->detail)];

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		snprintf(detail, sizeof(detail),
				 "min_capacity %g and max_capacity %g are in force but not written to postgresql.auto.conf: %s",
				 min_capacity, max_capacity, edata->message);
		as_record_event(AS_EVENT_CONFIG_REJECTED, capacity, capacity,
						"modify_capacity",
						detail);
		ereport(LOG,
				(errcode(edata->sqlerrcode),
				 errmsg("aurora_serverless: could not write the scaling range to \"%s\": %s",
						PG_AUTOCONF_FILENAME, edata->message),
				 errdetail("min_capacity %g and max_capacity %g stay in force until the server restarts.",
						   min_capacity, max_capacity)));
		FreeErrorData(edata);
		return false;
	}
	PG_END_TRY();
	return true;
}
