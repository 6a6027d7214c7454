/*-------------------------------------------------------------------------
 *
 * admin.c
 *		modify_capacity(): AWS's ModifyDBCluster for the scaling
 *		configuration.
 *
 * A call validates its arguments as AWS does and, when the transaction
 * commits, writes aurora_serverless.min_capacity and max_capacity to
 * postgresql.auto.conf (as ALTER SYSTEM does), puts them in force in shared
 * memory, records a config_change event, and signals a configuration
 * reload.  So the change applies at once, survives a restart, shows in
 * SHOW and pg_settings, and is undone by a rollback.  A refused call
 * changes nothing.
 *
 * Permission is the EXECUTE grant on the function (revoked from PUBLIC by
 * the install script), as for pg_stat_statements_reset(); the settings file
 * is written with the bootstrap superuser's rights.
 *
 * This file must not know the sampler or the policy's rules.
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
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/timestamp.h"

#include "admin.h"
#include "sqlutil.h"
#include "state.h"
#include "worker.h"

PG_FUNCTION_INFO_V1(as_modify_capacity);

/* A change waiting for its transaction to commit. */
typedef struct AsPendingChange
{
	bool		pending;
	SubTransactionId subid;		/* subtransaction that made it */
	double		min_capacity;
	double		max_capacity;
} AsPendingChange;

static AsPendingChange as_pending;

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

/* At pre-commit: write the settings, put them in force, reload. */
static void
as_apply_pending(void)
{
	AsPolicySettings before;
	AsPolicySettings after;
	char		detail[sizeof(((AsPolicyEvent *) 0)->detail)];

	as_alter_system("aurora_serverless.min_capacity", as_pending.min_capacity);
	as_alter_system("aurora_serverless.max_capacity", as_pending.max_capacity);

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	before = as_shared->settings;
	after = before;
	after.min_capacity = as_pending.min_capacity;
	after.max_capacity = as_pending.max_capacity;
	if (as_settings_describe_change(&before, &after, detail, sizeof(detail)))
	{
		AsPolicyEvent ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = AS_EVENT_CONFIG_CHANGE;
		ev.from_capacity = ev.to_capacity = as_shared->policy.capacity;
		strlcpy(ev.reason, "modify_capacity", sizeof(ev.reason));
		strlcpy(ev.detail, detail, sizeof(ev.detail));
		as_push_event(GetCurrentTimestamp(), &ev);
		as_shared->settings = after;
		as_shared->flush_requested = true;
	}
	LWLockRelease(as_shared->lock);

	/* what pg_reload_conf() does: every process rereads the settings */
	if (kill(PostmasterPid, SIGHUP) != 0)
		ereport(WARNING,
				(errmsg("failed to send signal to postmaster: %m")));
	as_wake_worker();
}

static void
as_xact_callback(XactEvent event, void *arg)
{
	if (!as_pending.pending)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			as_apply_pending();
			as_pending.pending = false;
			break;
		case XACT_EVENT_PRE_PREPARE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot PREPARE a transaction that has called aurora_serverless.modify_capacity()")));
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			as_pending.pending = false;
			break;
		default:
			break;
	}
}

static void
as_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (!as_pending.pending || as_pending.subid != mySubid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		as_pending.pending = false;
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		as_pending.subid = parentSubid;
}

void
as_admin_install_callbacks(void)
{
	RegisterXactCallback(as_xact_callback, NULL);
	RegisterSubXactCallback(as_subxact_callback, NULL);
}

/*
 * modify_capacity(min_capacity numeric, max_capacity numeric) returns jsonb
 *
 * Returns the scaling configuration that will be in force once the
 * transaction commits.
 */
Datum
as_modify_capacity(PG_FUNCTION_ARGS)
{
	double		min_capacity;
	double		max_capacity;
	AsEngineMode mode;
	StringInfoData buf;
	bool		first = true;

	as_require_loaded();
	min_capacity = as_numeric_arg(fcinfo, 0, "min_capacity");
	max_capacity = as_numeric_arg(fcinfo, 1, "max_capacity");

	LWLockAcquire(as_shared->lock, LW_SHARED);
	mode = as_shared->settings.engine_mode;
	LWLockRelease(as_shared->lock);

	as_check_range_or_error(mode, min_capacity, max_capacity);

	as_pending.pending = true;
	as_pending.subid = GetCurrentSubTransactionId();
	as_pending.min_capacity = min_capacity;
	as_pending.max_capacity = max_capacity;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	as_json_key(&buf, "EngineMode", &first);
	escape_json(&buf, as_engine_mode_name(mode));
	as_json_key(&buf, "MinCapacity", &first);
	appendStringInfo(&buf, "%g", min_capacity);
	as_json_key(&buf, "MaxCapacity", &first);
	appendStringInfo(&buf, "%g", max_capacity);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(as_jsonb_from_buf(&buf));
}
