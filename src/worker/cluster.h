/*-------------------------------------------------------------------------
 *
 * cluster.h
 *		An Aurora cluster over streaming replication: a writer and the
 *		readers that report to it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_CLUSTER_H
#define AS_CLUSTER_H

#include "access/xlogdefs.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"

#include "policy.h"
#include "usage.h"

/* AWS: a cluster has a writer and up to 15 readers. */
#define AS_CLUSTER_MAX_READERS	15
#define AS_INSTANCE_NAME_CHARS	63	/* characters, not bytes */
#define AS_INSTANCE_NAME_LEN	(AS_INSTANCE_NAME_CHARS * 4 + 1)

/* The application_name of a reader's session on its writer. */
#define AS_CLUSTER_LINK_APPNAME	"aurora_serverless cluster link"

/* A reader's link to its writer. */
typedef enum AsLinkState
{
	AS_LINK_NONE = 0,			/* a writer, or a reader with no conninfo */
	AS_LINK_CONNECTING,
	AS_LINK_CONNECTED,
	AS_LINK_UNREACHABLE			/* failed; tried again after a back-off */
} AsLinkState;

/* On a writer: one reader that reports to it. */
typedef struct AsClusterMember
{
	char		instance_name[AS_INSTANCE_NAME_LEN];	/* "" when free */
	int32		promotion_tier;
	double		capacity;		/* ACU at its last report */
	uint8		state;			/* AsInstanceState */
	int32		connections;
	int32		awake_connections;	/* those that keep it awake */
	TimestampTz run_started_at; /* its worker's start: a new run restarts the
								 * counters below */
	uint64		run_arrivals;	/* waking connection attempts of that run */
	double		run_acu_seconds;	/* ACU-seconds of that run accounted for
									 * (recorded here, or before its first
									 * report) */
	double		acu_seconds;	/* recorded here since first_report_at */
	uint64		lag_bytes;		/* WAL it had not replayed, at the report */
	TimestampTz first_report_at;
	TimestampTz last_report_at;
	bool		stale;			/* marked stale, with an event */
} AsClusterMember;

/*
 * The cluster as this instance sees it; part of the shared state, guarded
 * by its lock.
 */
typedef struct AsClusterState
{
	/* a writer: its readers, and what its pause group asks */
	AsClusterMember members[AS_CLUSTER_MAX_READERS];
	uint32		group_arrivals; /* waking attempts at tier 0/1 readers, for
								 * the next sample */
	double		removed_acu_seconds;	/* recorded for readers since removed */

	/* this instance since its worker started: what it reports */
	TimestampTz run_started_at;
	uint64		run_arrivals;
	AsUsage		run_usage;

	/* a reader: its link to the writer, written by the worker */
	uint8		link;			/* AsLinkState */
	TimestampTz link_since;		/* the link's state changed */
	TimestampTz last_contact_at;	/* the writer's last answer */
	char		writer_name[AS_INSTANCE_NAME_LEN];
	double		writer_capacity;
	uint8		writer_state;	/* AsInstanceState */
	char		link_error[160];	/* why it is unreachable */
} AsClusterState;

extern bool as_cluster_conninfo_valid(const char *conninfo, char **err);
extern const char *as_instance_name(void);
extern const char *as_link_state_name(AsLinkState link);
extern bool as_within_stale_timeout(TimestampTz then, TimestampTz now);
extern void as_cluster_remove_member(AsClusterMember *m, TimestampTz now,
									 const char *why);

/* describe()'s DBClusterMembers array (clusterviews.c) */
extern void as_cluster_describe_members(StringInfo buf);

/* the worker */
extern void as_cluster_worker_start(TimestampTz now);
extern void as_cluster_fill_sample(AsSample *x, bool in_recovery,
								   TimestampTz now);
extern void as_cluster_after_sample(const AsHeld *held, int arrivals,
									bool in_recovery, TimestampTz now);
extern void as_cluster_link_step(bool in_recovery, TimestampTz now);
extern int	as_cluster_link_wait_events(int *socket);
extern void as_cluster_link_close(void);

#endif							/* AS_CLUSTER_H */
