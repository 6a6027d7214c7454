/*-------------------------------------------------------------------------
 *
 * blockers.c
 *		Each backend tracks, in its own slot, the constructs of its session
 *		that keep Aurora from finding a scaling point or from pausing:
 *		LISTEN, WITH HOLD cursors, session advisory locks, temporary tables
 *		and explicit table locks.
 *
 * Exact, not approximate, by following PostgreSQL's own transaction rules:
 * - LISTEN, UNLISTEN, DISCARD ALL (ProcessUtility hook) and the creation or
 *   drop of a temporary table (object access hook) are pending until the
 *   transaction commits; a subtransaction that aborts takes its own back,
 *   as async.c and the catalogs do;
 * - WITH HOLD cursors are checked against the portal table when the
 *   transaction ends: one declared in a transaction that aborts, or closed,
 *   is gone;
 * - session advisory locks are read from this backend's own entries in the
 *   lock table after the transaction's locks are released, so only session
 *   locks remain; the lists are read without a lock first and are empty in
 *   the common case, which costs sixteen loads per transaction;
 * - LOCK TABLE holds until the transaction ends.
 * The slot is rewritten only when what it shows changes.
 *
 * This file must not know the policy, the worker or SQL output.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_class.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/utility.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "blockers.h"
#include "compat.h"
#include "state.h"

/* A change to a tracked set, waiting for its transaction to commit. */
typedef enum AsOpKind
{
	AS_OP_LISTEN,
	AS_OP_UNLISTEN,
	AS_OP_UNLISTEN_ALL,
	AS_OP_TEMP_CREATE,
	AS_OP_TEMP_DROP
} AsOpKind;

typedef struct AsPendingOp
{
	AsOpKind	kind;
	int			level;			/* transaction nesting level */
	Oid			relid;			/* temp tables */
	char		name[NAMEDATALEN];
} AsPendingOp;

/* A named member of a tracked set; relid for temp tables. */
typedef struct AsMember
{
	Oid			relid;
	int			level;			/* table locks: the nesting level holding it */
	char		name[NAMEDATALEN];
} AsMember;

/* Backend-local state, all in TopMemoryContext. */
static List *as_pending = NIL;	/* AsPendingOp */
static List *as_members[AS_BLOCKER_NTRACKED];	/* AsMember, committed */
static TimestampTz as_since[AS_BLOCKER_NTRACKED];
static char as_advisory_detail[AS_BLOCKER_DETAIL_LEN];
static int	as_advisory_count = 0;
static bool as_dirty = false;	/* the slot must be rewritten */

static ProcessUtility_hook_type as_prev_process_utility = NULL;
static object_access_hook_type as_prev_object_access = NULL;

static void
as_add_pending(AsOpKind kind, Oid relid, const char *name)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	AsPendingOp *op = palloc0(sizeof(AsPendingOp));

	op->kind = kind;
	op->level = GetCurrentTransactionNestLevel();
	op->relid = relid;
	if (name)
		strlcpy(op->name, name, NAMEDATALEN);
	as_pending = lappend(as_pending, op);
	MemoryContextSwitchTo(old);
}

static bool
as_member_matches(AsMember *m, Oid relid, const char *name)
{
	if (OidIsValid(relid))
		return m->relid == relid;
	return strcmp(m->name, name) == 0;
}

static void
as_member_add(AsBlockerKind kind, Oid relid, const char *name)
{
	MemoryContext old;
	AsMember   *m;
	ListCell   *lc;

	foreach(lc, as_members[kind])
	{
		if (as_member_matches((AsMember *) lfirst(lc), relid, name))
			return;
	}
	old = MemoryContextSwitchTo(TopMemoryContext);
	m = palloc0(sizeof(AsMember));
	m->relid = relid;
	m->level = GetCurrentTransactionNestLevel();
	strlcpy(m->name, name, NAMEDATALEN);
	if (as_members[kind] == NIL)
		as_since[kind] = GetCurrentTimestamp();
	as_members[kind] = lappend(as_members[kind], m);
	MemoryContextSwitchTo(old);
	as_dirty = true;
}

static void
as_member_remove(AsBlockerKind kind, Oid relid, const char *name)
{
	ListCell   *lc;

	foreach(lc, as_members[kind])
	{
		AsMember   *m = (AsMember *) lfirst(lc);

		if (as_member_matches(m, relid, name))
		{
			as_members[kind] = foreach_delete_current(as_members[kind], lc);
			pfree(m);
			as_dirty = true;
		}
	}
}

static void
as_member_clear(AsBlockerKind kind)
{
	if (as_members[kind] == NIL)
		return;
	list_free_deep(as_members[kind]);
	as_members[kind] = NIL;
	as_dirty = true;
}

/* Apply the committed transaction's pending changes, in order. */
static void
as_apply_pending(void)
{
	ListCell   *lc;

	foreach(lc, as_pending)
	{
		AsPendingOp *op = (AsPendingOp *) lfirst(lc);

		switch (op->kind)
		{
			case AS_OP_LISTEN:
				as_member_add(AS_BLOCKER_LISTEN, InvalidOid, op->name);
				break;
			case AS_OP_UNLISTEN:
				as_member_remove(AS_BLOCKER_LISTEN, InvalidOid, op->name);
				break;
			case AS_OP_UNLISTEN_ALL:
				as_member_clear(AS_BLOCKER_LISTEN);
				break;
			case AS_OP_TEMP_CREATE:
				as_member_add(AS_BLOCKER_TEMP_TABLE, op->relid, op->name);
				break;
			case AS_OP_TEMP_DROP:
				as_member_remove(AS_BLOCKER_TEMP_TABLE, op->relid, op->name);
				break;
		}
	}
	list_free_deep(as_pending);
	as_pending = NIL;
}

static void
as_discard_pending(int from_level)
{
	ListCell   *lc;

	foreach(lc, as_pending)
	{
		AsPendingOp *op = (AsPendingOp *) lfirst(lc);

		if (op->level >= from_level)
		{
			as_pending = foreach_delete_current(as_pending, lc);
			pfree(op);
		}
	}
}

/* Is this relation one of ours, committed or pending creation? */
static bool
as_is_tracked_temp(Oid relid)
{
	ListCell   *lc;

	foreach(lc, as_members[AS_BLOCKER_TEMP_TABLE])
	{
		if (((AsMember *) lfirst(lc))->relid == relid)
			return true;
	}
	foreach(lc, as_pending)
	{
		AsPendingOp *op = (AsPendingOp *) lfirst(lc);

		if (op->kind == AS_OP_TEMP_CREATE && op->relid == relid)
			return true;
	}
	return false;
}

/* Forget WITH HOLD cursors that no longer exist as held portals. */
static void
as_check_cursors(void)
{
	ListCell   *lc;

	foreach(lc, as_members[AS_BLOCKER_WITH_HOLD_CURSOR])
	{
		AsMember   *m = (AsMember *) lfirst(lc);
		Portal		portal = GetPortalByName(m->name);

		/* a portal of this (ending) transaction does not outlive it */
		if (portal == NULL ||
			portal->createSubid != InvalidSubTransactionId ||
			(portal->cursorOptions & CURSOR_OPT_HOLD) == 0)
		{
			as_members[AS_BLOCKER_WITH_HOLD_CURSOR] =
				foreach_delete_current(as_members[AS_BLOCKER_WITH_HOLD_CURSOR], lc);
			pfree(m);
			as_dirty = true;
		}
	}
}

/* Advisory locks found by a scan; keys kept in order for a stable detail. */
#define AS_ADVISORY_KEYS	32

typedef struct AsAdvisoryScan
{
	int			count;
	int			nkeys;
	char		keys[AS_ADVISORY_KEYS][48];
} AsAdvisoryScan;

static void
as_advisory_visit(LOCK *lock, PROCLOCK *proclock, void *arg)
{
	AsAdvisoryScan *scan = (AsAdvisoryScan *) arg;
	const LOCKTAG *tag = &lock->tag;

	if (tag->locktag_type != LOCKTAG_ADVISORY || proclock->holdMask == 0)
		return;
	scan->count++;
	if (scan->nkeys >= AS_ADVISORY_KEYS)
		return;
	if (tag->locktag_field4 == 2)
		snprintf(scan->keys[scan->nkeys], sizeof(scan->keys[0]), "(%d, %d)",
				 (int32) tag->locktag_field2, (int32) tag->locktag_field3);
	else
		snprintf(scan->keys[scan->nkeys], sizeof(scan->keys[0]), INT64_FORMAT,
				 (int64) (((uint64) tag->locktag_field2 << 32) |
						  tag->locktag_field3));
	scan->nkeys++;
}

static int
as_key_cmp(const void *a, const void *b)
{
	return strcmp((const char *) a, (const char *) b);
}

/*
 * Session advisory locks: after the transaction's locks are released, any
 * advisory lock this backend still holds is a session lock.
 */
static void
as_check_advisory(void)
{
	AsAdvisoryScan scan;
	StringInfoData names;

	scan.count = 0;
	scan.nkeys = 0;
	if (!as_own_proclocks_exist())
	{
		if (as_advisory_count != 0)
		{
			as_advisory_count = 0;
			as_advisory_detail[0] = '\0';
			as_dirty = true;
		}
		return;
	}
	as_scan_own_proclocks(as_advisory_visit, &scan);
	qsort(scan.keys, scan.nkeys, sizeof(scan.keys[0]), as_key_cmp);
	initStringInfo(&names);
	for (int i = 0; i < scan.nkeys && names.len < AS_BLOCKER_DETAIL_LEN; i++)
		appendStringInfo(&names, "%s%s", i ? ", " : "", scan.keys[i]);
	if (scan.count != as_advisory_count ||
		strncmp(names.data, as_advisory_detail, AS_BLOCKER_DETAIL_LEN - 1) != 0)
	{
		if (as_advisory_count == 0)
			as_since[AS_BLOCKER_ADVISORY_LOCK] = GetCurrentTimestamp();
		as_advisory_count = scan.count;
		strlcpy(as_advisory_detail, names.data, AS_BLOCKER_DETAIL_LEN);
		as_dirty = true;
	}
	pfree(names.data);
}

/* Names of a set, comma-separated, cut to fit with "...". */
static void
as_format_members(List *members, char *buf, size_t size)
{
	ListCell   *lc;
	size_t		len = 0;

	buf[0] = '\0';
	foreach(lc, members)
	{
		const char *name = ((AsMember *) lfirst(lc))->name;
		size_t		need = strlen(name) + (len ? 2 : 0);

		if (len + need + 4 >= size)
		{
			strlcpy(buf + len, len ? ", ..." : "...", size - len);
			return;
		}
		len += snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
	}
}

/* Rewrite the slot from the local state, if it changed. */
static void
as_publish(void)
{
	AsBackendSlot *slot;
	uint32		mask = 0;

	if (!as_dirty)
		return;
	slot = as_my_slot();
	as_dirty = false;
	if (slot == NULL || slot->pid != MyProcPid)
		return;

	as_slot_begin_write(slot);
	for (int k = 0; k < AS_BLOCKER_NTRACKED; k++)
	{
		AsSlotBlocker *b = &slot->blockers[k];

		if (k == AS_BLOCKER_ADVISORY_LOCK)
		{
			b->count = as_advisory_count;
			strlcpy(b->detail, as_advisory_detail, sizeof(b->detail));
		}
		else
		{
			b->count = list_length(as_members[k]);
			as_format_members(as_members[k], b->detail, sizeof(b->detail));
		}
		b->since = b->count > 0 ? as_since[k] : 0;
		if (b->count > 0)
			mask |= (1U << k);
	}
	slot->blocker_mask = mask;
	as_slot_end_write(slot);
}

static void
as_blockers_process_utility(PlannedStmt *pstmt, const char *queryString,
							bool readOnlyTree, ProcessUtilityContext context,
							ParamListInfo params, QueryEnvironment *queryEnv,
							DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *parsetree = pstmt->utilityStmt;

	if (as_prev_process_utility)
		as_prev_process_utility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);

	/* the statement succeeded: note what it changes */
	switch (nodeTag(parsetree))
	{
		case T_ListenStmt:
			as_add_pending(AS_OP_LISTEN, InvalidOid,
						   ((ListenStmt *) parsetree)->conditionname);
			break;
		case T_UnlistenStmt:
			{
				UnlistenStmt *stmt = (UnlistenStmt *) parsetree;

				if (stmt->conditionname)
					as_add_pending(AS_OP_UNLISTEN, InvalidOid, stmt->conditionname);
				else
					as_add_pending(AS_OP_UNLISTEN_ALL, InvalidOid, NULL);
			}
			break;
		case T_DiscardStmt:
			if (((DiscardStmt *) parsetree)->target == DISCARD_ALL)
				as_add_pending(AS_OP_UNLISTEN_ALL, InvalidOid, NULL);
			break;
		case T_DeclareCursorStmt:
			{
				DeclareCursorStmt *stmt = (DeclareCursorStmt *) parsetree;

				/* checked against the portal table at transaction end */
				if (stmt->options & CURSOR_OPT_HOLD)
					as_member_add(AS_BLOCKER_WITH_HOLD_CURSOR, InvalidOid,
								  stmt->portalname);
			}
			break;
		case T_LockStmt:
			{
				ListCell   *lc;

				foreach(lc, ((LockStmt *) parsetree)->relations)
					as_member_add(AS_BLOCKER_TABLE_LOCK, InvalidOid,
								  ((RangeVar *) lfirst(lc))->relname);
				as_publish();
			}
			break;
		default:
			break;
	}
}

static void
as_blockers_object_access(ObjectAccessType access, Oid classId, Oid objectId,
						  int subId, void *arg)
{
	if (as_prev_object_access)
		as_prev_object_access(access, classId, objectId, subId, arg);

	if (classId != RelationRelationId || subId != 0)
		return;
	if (access == OAT_POST_CREATE)
	{
		/* the new relation is in the relcache, not yet in the catalogs */
		Relation	rel = RelationIdGetRelation(objectId);

		if (rel == NULL)
			return;
		if (rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP &&
			(rel->rd_rel->relkind == RELKIND_RELATION ||
			 rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE))
			as_add_pending(AS_OP_TEMP_CREATE, objectId,
						   NameStr(rel->rd_rel->relname));
		RelationClose(rel);
	}
	else if (access == OAT_DROP && as_is_tracked_temp(objectId))
		as_add_pending(AS_OP_TEMP_DROP, objectId, NULL);
}

static void
as_blockers_xact(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
			as_apply_pending();
			as_member_clear(AS_BLOCKER_TABLE_LOCK);
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			as_discard_pending(0);
			as_member_clear(AS_BLOCKER_TABLE_LOCK);
			break;
		case XACT_EVENT_PREPARE:
			/* LISTEN and temp tables cannot be prepared; locks move away */
			as_discard_pending(0);
			as_member_clear(AS_BLOCKER_TABLE_LOCK);
			break;
		default:
			break;
	}
}

/*
 * A subtransaction that aborts releases the locks it took: its LOCK TABLE
 * rows go, unless an outer level took the same table too.
 */
static void
as_release_table_locks(int level)
{
	ListCell   *lc;

	foreach(lc, as_members[AS_BLOCKER_TABLE_LOCK])
	{
		AsMember   *m = (AsMember *) lfirst(lc);

		if (m->level >= level)
		{
			as_members[AS_BLOCKER_TABLE_LOCK] =
				foreach_delete_current(as_members[AS_BLOCKER_TABLE_LOCK], lc);
			pfree(m);
			as_dirty = true;
		}
	}
	as_publish();
}

static void
as_blockers_subxact(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *lc;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		as_discard_pending(level);
		as_release_table_locks(level);
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		foreach(lc, as_pending)
		{
			AsPendingOp *op = (AsPendingOp *) lfirst(lc);

			if (op->level >= level)
				op->level = level - 1;
		}
		/* the parent holds the locks now */
		foreach(lc, as_members[AS_BLOCKER_TABLE_LOCK])
		{
			AsMember   *m = (AsMember *) lfirst(lc);

			if (m->level >= level)
				m->level = level - 1;
		}
	}
}

/* After the top-level transaction's locks are released: settle and show. */
static void
as_blockers_release(ResourceReleasePhase phase, bool isCommit,
					bool isTopLevel, void *arg)
{
	if (phase != RESOURCE_RELEASE_AFTER_LOCKS || !isTopLevel)
		return;
	if (as_members[AS_BLOCKER_WITH_HOLD_CURSOR] != NIL)
		as_check_cursors();
	as_check_advisory();
	as_publish();
}

void
as_blockers_install_hooks(void)
{
	as_prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = as_blockers_process_utility;
	as_prev_object_access = object_access_hook;
	object_access_hook = as_blockers_object_access;
	RegisterXactCallback(as_blockers_xact, NULL);
	RegisterSubXactCallback(as_blockers_subxact, NULL);
	RegisterResourceReleaseCallback(as_blockers_release, NULL);
}
