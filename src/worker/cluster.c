/*-------------------------------------------------------------------------
 *
 * cluster.c
 *		An Aurora cluster over streaming replication, from the worker's
 *		side: a reader's link to its writer, and a writer's register of the
 *		readers that report to it.
 *
 * A reader's worker holds one libpq session to its writer (the connection
 * of aurora_serverless.writer_conninfo, or primary_conninfo in the database
 * postgres) and, after every sample, reports its name, promotion tier,
 * capacity, state, connections and usage by calling
 * aurora_serverless.cluster_report() there; the answer is the writer's
 * name, capacity and state.  Nothing here blocks: the connection is opened
 * with PQconnectStartParams() and polled, a report is sent with
 * PQsendQueryParams() and read when its answer has come, and the worker's
 * wait includes the socket.  A failure closes the session; the next attempt
 * comes after a back-off that doubles up to AS_LINK_BACKOFF_MAX_MS.  The
 * writer never connects out.
 *
 * What the link brings in feeds the policy like a sample: a reader in
 * promotion tier 0 or 1 runs at least at its writer's capacity and pauses
 * and resumes with it; a writer counts the connections of those readers as
 * its own for pausing, and a connection attempt at one of them as an
 * attempt at itself.  A reader cut off from its writer for
 * cluster_stale_timeout scales on its own and says so.
 *
 * This file must not know SQL; the SQL side of the cluster (the report a
 * writer receives, the views) is clusterviews.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>
#include <unistd.h>

#include "access/xlog.h"
#include "access/xlogrecovery.h"
#include "libpq-fe.h"
#include "miscadmin.h"
#include "postmaster/postmaster.h"
#include "storage/latch.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "cluster.h"
#include "guc.h"
#include "state.h"
#include "text.h"

/* How long a connection or a report may take before the link fails. */
#define AS_LINK_TIMEOUT_MS		10000
/* Back-off after a failure: from the first value, doubling, to the last. */
#define AS_LINK_BACKOFF_MIN_MS	1000
#define AS_LINK_BACKOFF_MAX_MS	15000

#define AS_LINK_REPORT_SQL \
	"SELECT writer_name, writer_capacity, writer_state " \
	"FROM aurora_serverless.cluster_report($1::text, $2::int, $3::numeric, " \
	"$4::text, $5::int, $6::int, $7::bigint, $8::timestamptz, $9::float8, " \
	"$10::pg_lsn)"

/* The link, in the worker only. */
static PGconn * as_link_conn = NULL;
static char *as_link_target = NULL; /* conninfo it was opened with */
static PostgresPollingStatusType as_link_polling;
static bool as_link_busy = false;	/* a report waits for its answer */
static bool as_link_flushing = false;	/* part of it is not sent yet */
static bool as_link_report_due = false; /* a new sample to report */
static TimestampTz as_link_started_at;	/* connection or report began */
static TimestampTz as_link_retry_at = 0;
static int	as_link_backoff_ms = AS_LINK_BACKOFF_MIN_MS;
static bool as_link_told_connected = false; /* writer_connected recorded */
static bool as_link_told_unreachable = false;	/* writer_unreachable recorded */
static char as_link_last_writer[AS_INSTANCE_NAME_LEN];

/* Is conninfo empty or a connection string libpq can parse? */
bool
as_cluster_conninfo_valid(const char *conninfo, char **err)
{
	PQconninfoOption *opts;
	char	   *msg = NULL;

	*err = NULL;
	if (conninfo == NULL || conninfo[0] == '\0')
		return true;
	opts = PQconninfoParse(conninfo, &msg);
	if (opts == NULL)
	{
		if (msg)
		{
			*err = pstrdup(msg);
			PQfreemem(msg);
			/* libpq's messages end in a newline */
			for (size_t n = strlen(*err); n > 0 && (*err)[n - 1] == '\n'; n--)
				(*err)[n - 1] = '\0';
		}
		return false;
	}
	PQconninfoFree(opts);
	return true;
}

/* This instance's name: instance_name, or the host name and the port. */
const char *
as_instance_name(void)
{
	static char name[AS_INSTANCE_NAME_LEN];
	char		host[56];		/* with ":port", at most 63 characters */

	if (as_guc_instance_name && as_guc_instance_name[0])
		return as_guc_instance_name;
	if (gethostname(host, sizeof(host)) != 0)
		strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(name, sizeof(name), "%s:%d", host, PostPortNumber);
	return name;
}

const char *
as_link_state_name(AsLinkState link)
{
	switch (link)
	{
		case AS_LINK_NONE:
			return "none";
		case AS_LINK_CONNECTING:
			return "connecting";
		case AS_LINK_CONNECTED:
			return "connected";
		case AS_LINK_UNREACHABLE:
			return "unreachable";
	}
	return "unknown";
}

/* Was then (a report, an answer) within cluster_stale_timeout of now? */
bool
as_within_stale_timeout(TimestampTz then, TimestampTz now)
{
	return then != 0 &&
		now - then <= (int64) as_guc_cluster_stale_timeout * USECS_PER_SEC;
}

/*
 * Remove a reader from the writer's register, saying why in a
 * reader_removed event; its usage stays in the cluster's totals.  The
 * caller holds the lock exclusively.
 */
void
as_cluster_remove_member(AsClusterMember *m, TimestampTz now, const char *why)
{
	AsPolicyEvent ev;

	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	as_event_init(&ev, AS_EVENT_READER_REMOVED, m->capacity, "cluster");
	/* why first: a long name may not fit */
	snprintf(ev.detail, sizeof(ev.detail), "removed %s: reader %s, promotion tier %d",
			 why, m->instance_name, m->promotion_tier);
	as_push_event(now, &ev);
	as_shared->cluster.removed_acu_seconds += m->acu_seconds;
	memset(m, 0, sizeof(*m));
	as_shared->flush_requested = true;
}

/* The worker starts: its run, which its reports count from, begins. */
void
as_cluster_worker_start(TimestampTz now)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->cluster.run_started_at = now;
	as_shared->cluster.run_arrivals = 0;
	memset(&as_shared->cluster.run_usage, 0,
		   sizeof(as_shared->cluster.run_usage));
	as_shared->cluster.link = AS_LINK_NONE;
	LWLockRelease(as_shared->lock);
}

/*
 * What the cluster adds to a sample; the caller holds the lock.  A writer
 * counts the connections of its tier 0/1 readers as its own for pausing,
 * and their waking attempts as attempts at itself; a tier 0/1 reader with a
 * live link runs at least at its writer's capacity and pauses with it.
 */
void
as_cluster_fill_sample(AsSample *x, bool in_recovery, TimestampTz now)
{
	AsClusterState *c = &as_shared->cluster;

	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	if (!in_recovery)
	{
		int64		awake = x->awake_connections;

		for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
		{
			AsClusterMember *m = &c->members[i];

			if (m->instance_name[0] == '\0' || m->promotion_tier > 1 ||
				!as_within_stale_timeout(m->last_report_at, now))
				continue;
			awake += Max(m->awake_connections, 0);
		}
		/* reports are bounded, but a sum must never wrap to "nobody" */
		x->awake_connections = (int) Min(awake, PG_INT32_MAX);
		x->arrivals += (int) c->group_arrivals;
		c->group_arrivals = 0;
		return;
	}
	if (as_guc_promotion_tier > 1 || c->link != AS_LINK_CONNECTED ||
		!as_within_stale_timeout(c->last_contact_at, now))
		return;
	if (AS_STATE_IS_PAUSED((AsInstanceState) c->writer_state))
		x->group = AS_GROUP_PAUSED;
	else
	{
		x->group = AS_GROUP_AWAKE;
		x->floor_capacity = c->writer_capacity;
	}
}

/*
 * After a sample; the caller holds the lock.  The run's usage and waking
 * attempts grow; a writer marks the readers that stopped reporting as
 * stale; a reader has its sample reported.
 */
void
as_cluster_after_sample(const AsHeld *held, int arrivals,
						bool in_recovery, TimestampTz now)
{
	AsClusterState *c = &as_shared->cluster;

	Assert(LWLockHeldByMeInMode(as_shared->lock, LW_EXCLUSIVE));
	as_usage_add(&c->run_usage, held);
	c->run_arrivals += arrivals;
	if (in_recovery)
	{
		as_link_report_due = true;
		return;
	}
	for (int i = 0; i < AS_CLUSTER_MAX_READERS; i++)
	{
		AsClusterMember *m = &c->members[i];
		AsPolicyEvent ev;

		if (m->instance_name[0] != '\0' && m->stale &&
			now - m->last_report_at >
			(int64) as_guc_cluster_member_expiry * USECS_PER_SEC)
		{
			char		why[64];

			snprintf(why, sizeof(why), "after no report for %d s (cluster_member_expiry)",
					 as_guc_cluster_member_expiry);
			as_cluster_remove_member(m, now, why);
			continue;
		}
		if (m->instance_name[0] == '\0' || m->stale ||
			as_within_stale_timeout(m->last_report_at, now))
			continue;
		m->stale = true;
		as_event_init(&ev, AS_EVENT_READER_STALE, m->capacity, "cluster");
		snprintf(ev.detail, sizeof(ev.detail),
				 "reader %s (promotion tier %d) has not reported for %d s; last at %g ACU",
				 m->instance_name, m->promotion_tier,
				 as_guc_cluster_stale_timeout, m->capacity);
		as_push_event(now, &ev);
		as_shared->flush_requested = true;
	}
}

/* Record a link event now. */
static void as_link_event(AsEventKind kind, const char *fmt,...) pg_attribute_printf(2, 3);

static void
as_link_event(AsEventKind kind, const char *fmt,...)
{
	AsPolicyEvent ev;
	va_list		args;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_event_init(&ev, kind, as_shared->policy.capacity, "cluster");
	va_start(args, fmt);
	vsnprintf(ev.detail, sizeof(ev.detail), fmt, args);
	va_end(args);
	as_push_event(GetCurrentTimestamp(), &ev);
	as_shared->flush_requested = true;
	LWLockRelease(as_shared->lock);
}

static void
as_link_set_state(AsLinkState link, const char *error)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_shared->cluster.link != link)
		as_shared->cluster.link_since = GetCurrentTimestamp();
	as_shared->cluster.link = link;
	if (error)
	{
		strlcpy(as_shared->cluster.link_error, error,
				sizeof(as_shared->cluster.link_error));
		as_clip_to_valid(as_shared->cluster.link_error);
	}
	else if (link == AS_LINK_CONNECTED || link == AS_LINK_NONE)
		as_shared->cluster.link_error[0] = '\0';
	LWLockRelease(as_shared->lock);
}

/* Close the session, if any. */
void
as_cluster_link_close(void)
{
	if (as_link_conn)
		PQfinish(as_link_conn);
	as_link_conn = NULL;
	as_link_busy = false;
	as_link_flushing = false;
}

/* libpq's message, on one line, without its trailing newline. */
static void
as_one_line(char *dst, size_t size, const char *msg)
{
	strlcpy(dst, msg ? msg : "", size);
	for (char *p = dst; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (size_t n = strlen(dst); n > 0 && dst[n - 1] == ' '; n--)
		dst[n - 1] = '\0';
}

/* The link failed: close it, say so once, and try again later. */
static void
as_link_fail(TimestampTz now, const char *why)
{
	char		msg[160];

	as_one_line(msg, sizeof(msg), why);
	as_cluster_link_close();
	as_link_set_state(AS_LINK_UNREACHABLE, msg);
	if (!as_link_told_unreachable)
	{
		as_link_event(AS_EVENT_WRITER_UNREACHABLE,
					  "%s; scaling on its own load until the writer answers",
					  msg[0] ? msg : "the writer does not answer");
		ereport(LOG,
				(errmsg("aurora_serverless: the writer is unreachable: %s", msg),
				 errdetail("This reader scales on its own load until it can report again.")));
		as_link_told_unreachable = true;
		as_link_told_connected = false;
	}
	as_link_retry_at = TimestampTzPlusMilliseconds(now, as_link_backoff_ms);
	as_link_backoff_ms = Min(as_link_backoff_ms * 2, AS_LINK_BACKOFF_MAX_MS);
}

/* The connection string the link uses now, and whether it is primary's. */
static const char *
as_link_conninfo(bool *from_primary)
{
	const char *primary;

	*from_primary = false;
	if (as_guc_writer_conninfo && as_guc_writer_conninfo[0])
		return as_guc_writer_conninfo;
	*from_primary = true;
	primary = GetConfigOption("primary_conninfo", true, false);
	return primary ? primary : "";
}

static void
as_link_connect(const char *conninfo, bool from_primary, TimestampTz now)
{
	const char *keys[5];
	const char *values[5];
	int			n = 0;
	char	   *parse_error = NULL;

	/*
	 * libpq's complaint about a string it cannot parse quotes the string,
	 * password included: the link's error and its event are read by anyone,
	 * so they only say which setting is wrong.
	 */
	if (!as_cluster_conninfo_valid(conninfo, &parse_error))
	{
		as_link_fail(now, from_primary ?
					 "primary_conninfo is not a valid connection string" :
					 "aurora_serverless.writer_conninfo is not a valid connection string");
		return;
	}

	/* the connection string, then what the link must have whatever it says */
	keys[n] = "dbname";
	values[n++] = conninfo;
	if (from_primary)
	{
		keys[n] = "dbname";
		values[n++] = "postgres";
	}
	keys[n] = "application_name";
	values[n++] = AS_CLUSTER_LINK_APPNAME;
	keys[n] = "replication";
	values[n++] = "false";
	keys[n] = NULL;
	values[n] = NULL;

	as_link_conn = PQconnectStartParams(keys, values, 1);
	as_link_started_at = now;
	if (as_link_conn == NULL)
	{
		as_link_fail(now, "out of memory");
		return;
	}
	if (PQstatus(as_link_conn) == CONNECTION_BAD)
	{
		as_link_fail(now, PQerrorMessage(as_link_conn));
		return;
	}
	as_link_polling = PGRES_POLLING_WRITING;
	as_link_set_state(AS_LINK_CONNECTING, NULL);
}

/* Send what libpq holds of a report; the rest at the next step. */
static void
as_link_flush(TimestampTz now)
{
	int			r = PQflush(as_link_conn);

	if (r < 0)
		as_link_fail(now, PQerrorMessage(as_link_conn));
	else
		as_link_flushing = r > 0;
}

/* Send this instance's report. */
static void
as_link_send_report(TimestampTz now)
{
	char		tier[16];
	char		capacity[32];
	char		state[16];
	char		connections[16];
	char		awake[16];
	char		arrivals[32];
	char		started[64];
	char		acu[64];
	char		lsn[32];
	const char *params[10];
	XLogRecPtr	replay = GetXLogReplayRecPtr(NULL);

	LWLockAcquire(as_shared->lock, LW_SHARED);
	snprintf(tier, sizeof(tier), "%d", as_guc_promotion_tier);
	snprintf(capacity, sizeof(capacity), "%g", as_shared->policy.capacity);
	strlcpy(state, as_state_name(as_shared->policy.state), sizeof(state));
	snprintf(connections, sizeof(connections), "%d", as_shared->last.connections);
	snprintf(awake, sizeof(awake), "%d", as_shared->last.awake_connections);
	snprintf(arrivals, sizeof(arrivals), UINT64_FORMAT,
			 as_shared->cluster.run_arrivals);
	strlcpy(started, timestamptz_to_str(as_shared->cluster.run_started_at),
			sizeof(started));
	snprintf(acu, sizeof(acu), "%.6f", as_shared->cluster.run_usage.acu_seconds);
	LWLockRelease(as_shared->lock);
	snprintf(lsn, sizeof(lsn), "%X/%X", LSN_FORMAT_ARGS(replay));

	params[0] = as_instance_name();
	params[1] = tier;
	params[2] = capacity;
	params[3] = state;
	params[4] = connections;
	params[5] = awake;
	params[6] = arrivals;
	params[7] = started;
	params[8] = acu;
	params[9] = lsn;
	if (!PQsendQueryParams(as_link_conn, AS_LINK_REPORT_SQL, 10, NULL, params,
						   NULL, NULL, 0))
	{
		as_link_fail(now, PQerrorMessage(as_link_conn));
		return;
	}
	as_link_busy = true;
	as_link_report_due = false;
	as_link_started_at = now;
	as_link_flush(now);
}

/* The writer's answer to a report. */
static void
as_link_take_answer(PGresult * res, TimestampTz now)
{
	const char *name;
	double		capacity;
	AsInstanceState state;
	const char *state_name;
	bool		first;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
		PQnfields(res) != 3)
	{
		as_link_fail(now, PQresultStatus(res) == PGRES_TUPLES_OK ?
					 "the writer's answer has an unexpected shape" :
					 PQresultErrorMessage(res));
		return;
	}
	name = PQgetvalue(res, 0, 0);
	capacity = strtod(PQgetvalue(res, 0, 1), NULL);
	state_name = PQgetvalue(res, 0, 2);
	if (!as_state_by_name(state_name, &state))
		state = AS_STATE_ACTIVE;
	if (!isfinite(capacity) || capacity < 0)
		capacity = 0;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->cluster.link = AS_LINK_CONNECTED;
	as_shared->cluster.link_error[0] = '\0';
	as_shared->cluster.last_contact_at = now;
	strlcpy(as_shared->cluster.writer_name, name,
			sizeof(as_shared->cluster.writer_name));
	as_shared->cluster.writer_capacity = capacity;
	as_shared->cluster.writer_state = (uint8) state;
	LWLockRelease(as_shared->lock);

	as_link_backoff_ms = AS_LINK_BACKOFF_MIN_MS;
	first = !as_link_told_connected;
	if (first || strcmp(as_link_last_writer, name) != 0)
	{
		if (as_link_last_writer[0] && strcmp(as_link_last_writer, name) != 0)
			as_link_event(AS_EVENT_WRITER_CONNECTED,
						  "reporting to writer %s (was %s), which runs at %g ACU; promotion tier %d",
						  name, as_link_last_writer, capacity, as_guc_promotion_tier);
		else
			as_link_event(AS_EVENT_WRITER_CONNECTED,
						  "reporting to writer %s, which runs at %g ACU; promotion tier %d",
						  name, capacity, as_guc_promotion_tier);
		ereport(LOG,
				(errmsg("aurora_serverless: reporting to writer %s", name)));
		strlcpy(as_link_last_writer, name, sizeof(as_link_last_writer));
		as_link_told_connected = true;
		as_link_told_unreachable = false;
	}
}

/*
 * Move the link on, never blocking: on a writer, close it; on a reader,
 * (re)connect when due, poll a connection under way, read an answer that
 * came, and send the report of a new sample.
 */
void
as_cluster_link_step(bool in_recovery, TimestampTz now)
{
	bool		from_primary;
	const char *conninfo;

	if (!in_recovery)
	{
		if (as_link_conn || as_link_target)
		{
			as_cluster_link_close();
			if (as_link_target)
				pfree(as_link_target);
			as_link_target = NULL;
			as_link_set_state(AS_LINK_NONE, NULL);
		}
		return;
	}

	conninfo = as_link_conninfo(&from_primary);
	if (as_link_target == NULL || strcmp(as_link_target, conninfo) != 0)
	{
		/* re-pointed: a new writer, at once */
		as_cluster_link_close();
		if (as_link_target)
			pfree(as_link_target);
		as_link_target = MemoryContextStrdup(TopMemoryContext, conninfo);
		as_link_retry_at = 0;
		as_link_backoff_ms = AS_LINK_BACKOFF_MIN_MS;
		if (conninfo[0] == '\0')
			as_link_set_state(AS_LINK_NONE,
							  "no writer to report to: primary_conninfo and aurora_serverless.writer_conninfo are empty");
	}
	if (conninfo[0] == '\0')
		return;

	if (as_link_conn == NULL)
	{
		if (now < as_link_retry_at)
			return;
		as_link_connect(conninfo, from_primary, now);
		if (as_link_conn == NULL)
			return;
	}

	if (PQstatus(as_link_conn) != CONNECTION_OK)
	{
		as_link_polling = PQconnectPoll(as_link_conn);
		if (as_link_polling == PGRES_POLLING_FAILED)
		{
			as_link_fail(now, PQerrorMessage(as_link_conn));
			return;
		}
		if (as_link_polling != PGRES_POLLING_OK)
		{
			if (now - as_link_started_at > AS_LINK_TIMEOUT_MS * (int64) 1000)
				as_link_fail(now, "could not connect within 10 s");
			return;
		}
		if (PQsetnonblocking(as_link_conn, 1) != 0)
		{
			as_link_fail(now, PQerrorMessage(as_link_conn));
			return;
		}
		as_link_report_due = true;
	}

	if (as_link_busy)
	{
		if (as_link_flushing)
		{
			as_link_flush(now);
			if (as_link_conn == NULL)
				return;
		}
		if (!PQconsumeInput(as_link_conn))
		{
			as_link_fail(now, PQerrorMessage(as_link_conn));
			return;
		}
		while (as_link_conn && !PQisBusy(as_link_conn))
		{
			PGresult   *res = PQgetResult(as_link_conn);

			if (res == NULL)
			{
				as_link_busy = false;
				break;
			}
			as_link_take_answer(res, now);
			PQclear(res);
		}
		if (as_link_conn == NULL)
			return;
		if (as_link_busy)
		{
			if (now - as_link_started_at > AS_LINK_TIMEOUT_MS * (int64) 1000)
				as_link_fail(now, "the writer did not answer a report within 10 s");
			return;
		}
	}

	if (as_link_report_due)
		as_link_send_report(now);
}

/*
 * What the worker's wait should also wake for: the link's socket, and the
 * WL_SOCKET_* events; 0 when nothing.
 */
int
as_cluster_link_wait_events(int *socket)
{
	if (as_link_conn == NULL || PQsocket(as_link_conn) < 0)
		return 0;
	*socket = PQsocket(as_link_conn);
	if (PQstatus(as_link_conn) != CONNECTION_OK)
		return as_link_polling == PGRES_POLLING_READING ?
			WL_SOCKET_READABLE : WL_SOCKET_WRITEABLE;
	if (!as_link_busy)
		return 0;
	return WL_SOCKET_READABLE | (as_link_flushing ? WL_SOCKET_WRITEABLE : 0);
}
