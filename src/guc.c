/*-------------------------------------------------------------------------
 *
 * guc.c
 *		Every setting of aurora_serverless, with a comment on each.
 *
 * Names mirror AWS's settings where one exists (min_capacity, max_capacity,
 * engine_mode).  Check hooks validate only their own value; rules between
 * settings (min <= max, the v1 capacity list) are checked where both are
 * known: by the worker when it applies the configuration, and by
 * modify_capacity().
 *
 * This file must not know shared memory or the policy's internals.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#include "cgroup.h"
#include "cluster.h"
#include "compat.h"
#include "cpulimit.h"

#include "guc.h"
#include "model.h"
#include "text.h"

#include "api/http.h"

static const struct config_enum_entry as_engine_mode_options[] = {
	{"v2", AS_ENGINE_V2, false},
	{"v1", AS_ENGINE_V1, false},
	{NULL, 0, false}
};

static const struct config_enum_entry as_basis_options[] = {
	{"max_capacity", AS_BASIS_MAX_CAPACITY, false},
	{"current_capacity", AS_BASIS_CURRENT_CAPACITY, false},
	{NULL, 0, false}
};

const struct config_enum_entry as_timeout_action_options[] = {
	{"RollbackCapacityChange", AS_TIMEOUT_ROLLBACK, false},
	{"ForceApplyCapacityChange", AS_TIMEOUT_FORCE_APPLY, false},
	{NULL, 0, false}
};

static const struct config_enum_entry as_scaling_lag_options[] = {
	{"instant", AS_LAG_INSTANT, false},
	{"aurora", AS_LAG_AURORA, false},
	{NULL, 0, false}
};

/* AWS's EngineMode: v2 (provisioned with Serverless v2) or v1. */
int			as_guc_engine_mode = AS_ENGINE_V2;

/* AWS's MinCapacity / MaxCapacity, in ACU. */
double		as_guc_min_capacity = AS_DEFAULT_MIN_CAPACITY;
double		as_guc_max_capacity = AS_DEFAULT_MAX_CAPACITY;

/* How often the worker samples the backends. */
int			as_guc_sample_interval_ms = 1000;

/* The CPU one ACU buys, and how busy the policy keeps it. */
double		as_guc_vcpus_per_acu = AS_DEFAULT_VCPUS_PER_ACU;
int			as_guc_target_cpu_utilization = AS_DEFAULT_TARGET_CPU;

/* Headroom added to the working set, percent. */
int			as_guc_memory_headroom = AS_DEFAULT_MEMORY_HEADROOM;

/* Pacing of scaling, seconds. */
int			as_guc_scale_up_delay = AS_DEFAULT_SCALE_UP_DELAY;
int			as_guc_scale_down_delay = AS_BY_PROFILE;
int			as_guc_scale_down_interval = AS_DEFAULT_SCALE_DOWN_INTERVAL;

/* Which capacity the derived max_connections is evaluated at. */
int			as_guc_max_connections_basis = AS_BASIS_MAX_CAPACITY;

/* Ring sizes (shared memory, so fixed at server start). */
int			as_guc_metrics_history = 3600;
int			as_guc_events_history = 1000;

/* How often the state file is written, seconds. */
int			as_guc_flush_interval = 5;

/* Seconds before the postmaster restarts a worker that died. */
int			as_guc_worker_restart_time = 5;

/* v1: AWS's SecondsBeforeTimeout and TimeoutAction. */
int			as_guc_seconds_before_timeout = AS_DEFAULT_SECONDS_BEFORE_TIMEOUT;
int			as_guc_timeout_action = AS_TIMEOUT_ROLLBACK;

/* v1: no scale-down this long after a scale-up, or after a scale-down. */
int			as_guc_v1_cooldown_after_scale_up = AS_DEFAULT_V1_COOLDOWN_AFTER_UP;
int			as_guc_v1_cooldown_after_scale_down = AS_DEFAULT_V1_COOLDOWN_AFTER_DOWN;

/* When a query or a transaction counts as long-running (a blocker). */
int			as_guc_long_query_threshold = 30;
int			as_guc_long_transaction_threshold = 60;

/* v1's AutoPause; v2 pauses when min_capacity is 0. */
bool		as_guc_auto_pause = false;

/* AWS's SecondsUntilAutoPause. */
int			as_guc_seconds_until_auto_pause = AS_DEFAULT_SECONDS_UNTIL_AUTO_PAUSE;

/* How long a resume takes; -1: the scaling_lag profile's. */
int			as_guc_resume_delay_ms = AS_BY_PROFILE;

/* v2: the capacity a resume starts at. */
double		as_guc_resume_capacity = AS_DEFAULT_RESUME_CAPACITY;

/* No auto-pause this long after resume() or a range change while paused. */
int			as_guc_awake_after_wakeup = AS_DEFAULT_AWAKE_AFTER_WAKEUP;

/* Roles whose connections do not keep the instance awake. */
char	   *as_guc_pause_ignore_roles = NULL;

/* Refuse connections beyond the derived max_connections. */
bool		as_guc_enforce_max_connections = false;

/* Limit the server's CPU to what the current capacity buys, in a cgroup. */
bool		as_guc_enforce_cpu = false;

/* The cgroup directory to limit; empty: the one the postmaster runs in. */
char	   *as_guc_cpu_cgroup = NULL;

/* The database the alarm notifier sends NOTIFY in. */
char	   *as_guc_notify_database = NULL;
int			as_guc_promotion_tier = 1;
char	   *as_guc_instance_name = NULL;
char	   *as_guc_writer_conninfo = NULL;
int			as_guc_cluster_stale_timeout = 30;
int			as_guc_cluster_member_expiry = 3600;

/* How long scale-up steps take: instant or aurora. */
int			as_guc_scaling_lag = AS_LAG_INSTANT;

/* Hours of accounting kept beyond the metrics ring. */
int			as_guc_usage_history = 2160;

/*
 * Price of an ACU-hour in us-east-1 (AWS's Aurora pricing page): 0.12 v2
 * Standard, 0.156 v2 I/O-Optimized (30% above Standard), 0.06 v1 (end of
 * life on 31 March 2025).
 */
double		as_guc_acu_hour_price = 0.12;

/*
 * The platform version: AWS's ServerlessV2PlatformVersion, which
 * sets the aurora profile's scale-up speed.
 */
int			as_guc_platform_version = AS_DEFAULT_PLATFORM_VERSION;

/* --- the AWS API endpoint (src/api/) -------------------------------------- */

/* 'host:port' the endpoint listens on; empty: no endpoint. */
char	   *as_guc_api_listen = NULL;

/* The database the endpoint's worker connects to. */
char	   *as_guc_api_database = NULL;

/* A role to run any well-formed request as, on a loopback endpoint. */
char	   *as_guc_api_accept_any_credentials = NULL;

/* AWS's DBClusterIdentifier for the cluster this server belongs to. */
char	   *as_guc_cluster_identifier = NULL;

static bool
as_check_api_listen(char **newval, void **extra, GucSource source)
{
	char		host[256];
	int			port;

	if ((*newval)[0] == '\0' ||
		as_http_parse_listen(*newval, host, sizeof(host), &port))
		return true;
	GUC_check_errdetail("The endpoint's address is host:port, such as 127.0.0.1:4599 or [::1]:4599.");
	GUC_check_errhint("Leave it empty for no endpoint.");
	return false;
}

/* A role name: empty, or up to NAMEDATALEN - 1 bytes. */
static bool
as_check_api_role(char **newval, void **extra, GucSource source)
{
	if (strlen(*newval) >= NAMEDATALEN)
	{
		GUC_check_errdetail("A role name has at most %d bytes.", NAMEDATALEN - 1);
		return false;
	}
	return true;
}

/* 1 to 63 bytes, no control characters. */
static bool
as_check_cluster_identifier(char **newval, void **extra, GucSource source)
{
	AsNameProblem problem = as_check_setting_name(*newval, 63);

	if (problem != AS_NAME_OK)
	{
		GUC_check_errdetail("A DB cluster identifier has 1 to 63 characters, with no control or formatting characters. %s",
							as_name_problem_detail(problem));
		return false;
	}
	return true;
}

static void
as_define_api_gucs(void)
{
	DefineCustomStringVariable("aurora_serverless.api_listen",
							   "Address (host:port) of the AWS API endpoint; empty: no endpoint.",
							   "Served by the worker \"aurora_serverless api\", for aws rds and the AWS SDKs.",
							   &as_guc_api_listen,
							   "",
							   PGC_POSTMASTER, 0,
							   as_check_api_listen, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.api_database",
							   "Database the AWS API endpoint connects to; the extension must be created there.",
							   NULL,
							   &as_guc_api_database,
							   "postgres",
							   PGC_POSTMASTER, 0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.api_accept_any_credentials",
							   "A role to run every well-formed AWS API request as, without checking access keys; empty: off.",
							   "Honoured only while api_listen is a loopback address, as local emulators accept any credentials.",
							   &as_guc_api_accept_any_credentials,
							   "",
							   PGC_SIGHUP, 0,
							   as_check_api_role, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.cluster_identifier",
							   "AWS DBClusterIdentifier of the cluster this server belongs to.",
							   NULL,
							   &as_guc_cluster_identifier,
							   "local",
							   PGC_SIGHUP, 0,
							   as_check_cluster_identifier, NULL, NULL);
}

/* pause_ignore_roles, parsed by its assign hook. */
static List *as_ignore_roles = NIL;

static bool
as_check_capacity(double *newval, void **extra, GucSource source)
{
	if (!as_is_step_multiple(*newval))
	{
		GUC_check_errdetail("Aurora Serverless capacity is set in steps of 0.5 ACU.");
		GUC_check_errhint("Use a value such as 0.5, 1, 1.5 or 2.");
		return false;
	}
	return true;
}

static bool
as_check_vcpus_per_acu(double *newval, void **extra, GucSource source)
{
	if (!isfinite(*newval) || *newval <= 0)
	{
		GUC_check_errdetail("vCPUs per ACU must be a positive number.");
		return false;
	}
	return true;
}

/*
 * A comma-separated list of role names.  Names are checked against the
 * catalog where one can be read (ALTER SYSTEM in a session); elsewhere an
 * unknown name simply matches no connection.
 */
static bool
as_check_ignore_roles(char **newval, void **extra, GucSource source)
{
	char	   *raw = pstrdup(*newval);
	List	   *names;
	ListCell   *lc;

	if (!SplitIdentifierString(raw, ',', &names))
	{
		GUC_check_errdetail("List syntax is invalid.");
		GUC_check_errhint("Give role names separated by commas, such as 'datadog, monitoring'.");
		pfree(raw);
		list_free(names);
		return false;
	}
	if (IsUnderPostmaster && IsTransactionState() && MyDatabaseId != InvalidOid)
	{
		foreach(lc, names)
		{
			if (!OidIsValid(get_role_oid((char *) lfirst(lc), true)))
			{
				GUC_check_errdetail("Role \"%s\" does not exist.",
									(char *) lfirst(lc));
				pfree(raw);
				list_free(names);
				return false;
			}
		}
	}
	pfree(raw);
	list_free(names);
	return true;
}

static void
as_assign_ignore_roles(const char *newval, void *extra)
{
	MemoryContext old;
	char	   *raw;
	List	   *names = NIL;
	ListCell   *lc;

	list_free_deep(as_ignore_roles);
	as_ignore_roles = NIL;
	if (newval == NULL || newval[0] == '\0')
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	raw = pstrdup(newval);
	if (SplitIdentifierString(raw, ',', &names))
	{
		foreach(lc, names)
			as_ignore_roles = lappend(as_ignore_roles, pstrdup((char *) lfirst(lc)));
	}
	list_free(names);
	pfree(raw);
	MemoryContextSwitchTo(old);
}

/*
 * An instance name: empty (host:port), or up to 63 characters with no
 * control or formatting characters.
 */
static bool
as_check_instance_name(char **newval, void **extra, GucSource source)
{
	AsNameProblem problem;

	if ((*newval)[0] == '\0')
		return true;
	problem = as_check_setting_name(*newval, AS_INSTANCE_NAME_CHARS);
	if (problem != AS_NAME_OK)
	{
		GUC_check_errdetail("An instance name has 1 to %d characters, with no control or formatting characters. %s",
							AS_INSTANCE_NAME_CHARS, as_name_problem_detail(problem));
		return false;
	}
	return true;
}

/* A connection string: empty, or one that libpq can parse. */
static bool
as_check_writer_conninfo(char **newval, void **extra, GucSource source)
{
	char	   *err = NULL;

	if (!as_cluster_conninfo_valid(*newval, &err))
	{
		GUC_check_errdetail("%s", err ? err : "It is not a connection string.");
		GUC_check_errhint("Use libpq's key=value form or a postgresql:// URI, such as \"host=writer port=5432 user=replicator dbname=postgres\".");
		return false;
	}
	return true;
}

/* A cgroup directory: empty, or an absolute path. */
static bool
as_check_cpu_cgroup(char **newval, void **extra, GucSource source)
{
	if ((*newval)[0] != '\0' && (*newval)[0] != '/')
	{
		GUC_check_errdetail("The cgroup must be given as an absolute path, such as /sys/fs/cgroup/cpu/postgres.");
		GUC_check_errhint("Leave it empty for the cgroup the server runs in.");
		return false;
	}
	return true;
}

/*
 * Turning enforcement on with ALTER SYSTEM (in a session): refuse when the
 * cgroup named by cpu_cgroup cannot be written, and say when the machine has
 * fewer CPUs than max_capacity buys.  A configuration file cannot be checked
 * here; the worker reports it instead, and runs in report-only mode.
 */
static bool
as_check_enforce_cpu(bool *newval, void **extra, GucSource source)
{
	AsCgroup	cg;
	char		why[256];
	double		max_vcpus = as_guc_max_capacity * as_guc_vcpus_per_acu;

	if (!*newval || !IsUnderPostmaster || !IsTransactionState() ||
		MyBackendType != B_BACKEND)
		return true;
	if (!as_cgroup_open(as_guc_cpu_cgroup, PostmasterPid, &cg, why, sizeof(why)))
	{
		GUC_check_errdetail("%s", why);
		GUC_check_errhint("Create a cgroup for the server and set \"aurora_serverless.cpu_cgroup\" to it first; see docs/cpu-limits.md.");
		return false;
	}
	if (!as_cgroup_writable(&cg))
	{
		GUC_check_errdetail("The server's user may not write the CPU limit of cgroup \"%s\".",
							cg.dir);
		GUC_check_errhint("As root: chown -R postgres %s (or delegate it with systemd); see docs/cpu-limits.md.",
						  cg.dir);
		return false;
	}
	if (max_vcpus > as_machine_vcpus())
		ereport(NOTICE,
				(errmsg("max_capacity %g ACU buys %g vCPUs but this machine has %d; the CPU limit stops at %d",
						as_guc_max_capacity, max_vcpus, as_machine_vcpus(),
						as_machine_vcpus())));
	return true;
}

/* Is a role named in pause_ignore_roles? */
bool
as_role_is_ignored(const char *rolname)
{
	ListCell   *lc;

	foreach(lc, as_ignore_roles)
	{
		if (strcmp((char *) lfirst(lc), rolname) == 0)
			return true;
	}
	return false;
}

void
as_define_gucs(void)
{
	DefineCustomEnumVariable("aurora_serverless.engine_mode",
							 "Aurora Serverless engine mode to model: v2 or v1.",
							 NULL,
							 &as_guc_engine_mode,
							 AS_ENGINE_V2,
							 as_engine_mode_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomRealVariable("aurora_serverless.min_capacity",
							 "Least capacity in ACUs (AWS MinCapacity); 0 enables auto-pause in v2.",
							 NULL,
							 &as_guc_min_capacity,
							 AS_DEFAULT_MIN_CAPACITY, 0.0, 384.0,
							 PGC_SIGHUP, 0,
							 as_check_capacity, NULL, NULL);

	DefineCustomRealVariable("aurora_serverless.max_capacity",
							 "Greatest capacity in ACUs (AWS MaxCapacity).",
							 NULL,
							 &as_guc_max_capacity,
							 AS_DEFAULT_MAX_CAPACITY, 1.0, 384.0,
							 PGC_SIGHUP, 0,
							 as_check_capacity, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.sample_interval",
							"Time between two samples of the backends.",
							NULL,
							&as_guc_sample_interval_ms,
							1000, 100, 60000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomRealVariable("aurora_serverless.vcpus_per_acu",
							 "vCPUs that one ACU buys.",
							 "0.25 makes a 16 ACU instance about a 4 vCPU, 32 GiB machine.",
							 &as_guc_vcpus_per_acu,
							 AS_DEFAULT_VCPUS_PER_ACU, 0.01, 64.0,
							 PGC_SIGHUP, 0,
							 as_check_vcpus_per_acu, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.target_cpu_utilization",
							"Percent of the capacity's vCPUs that the cpu goal keeps busy.",
							NULL,
							&as_guc_target_cpu_utilization,
							AS_DEFAULT_TARGET_CPU, 1, 100,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.memory_headroom",
							"Percent added to the working set by the memory goal.",
							NULL,
							&as_guc_memory_headroom,
							AS_DEFAULT_MEMORY_HEADROOM, 0, 1000,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.scale_up_delay",
							"How long demand must stay above capacity before a scale-up step.",
							NULL,
							&as_guc_scale_up_delay,
							AS_DEFAULT_SCALE_UP_DELAY, 0, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.scale_down_delay",
							"How long demand must stay below capacity before scaling down.",
							"-1 takes the scaling_lag profile's: 60 s for instant, 120 s for aurora.",
							&as_guc_scale_down_delay,
							AS_BY_PROFILE, AS_BY_PROFILE, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.scale_down_interval",
							"Least time between two scale-down steps.",
							NULL,
							&as_guc_scale_down_interval,
							AS_DEFAULT_SCALE_DOWN_INTERVAL, 0, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("aurora_serverless.max_connections_basis",
							 "Capacity at which the derived max_connections is evaluated.",
							 "max_capacity is what AWS documents; current_capacity follows the capacity of the moment.",
							 &as_guc_max_connections_basis,
							 AS_BASIS_MAX_CAPACITY,
							 as_basis_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.metrics_history",
							"Samples kept in the metrics ring.",
							NULL,
							&as_guc_metrics_history,
							3600, 60, 1000000,
							PGC_POSTMASTER, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.events_history",
							"Events kept in the scaling events ring.",
							NULL,
							&as_guc_events_history,
							1000, 16, 100000,
							PGC_POSTMASTER, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.flush_interval",
							"Time between two writes of the state file.",
							NULL,
							&as_guc_flush_interval,
							5, 1, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.worker_restart_time",
							"Time before the postmaster restarts a worker that died.",
							NULL,
							&as_guc_worker_restart_time,
							5, 1, 3600,
							PGC_POSTMASTER, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.seconds_before_timeout",
							"v1: how long to search for a scaling point (AWS SecondsBeforeTimeout).",
							"AWS accepts 60 to 600 seconds; smaller values are allowed here for tests.",
							&as_guc_seconds_before_timeout,
							AS_DEFAULT_SECONDS_BEFORE_TIMEOUT, 1, 600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("aurora_serverless.timeout_action",
							 "v1: what to do when no scaling point comes (AWS TimeoutAction).",
							 NULL,
							 &as_guc_timeout_action,
							 AS_TIMEOUT_ROLLBACK,
							 as_timeout_action_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.v1_cooldown_after_scale_up",
							"v1: no scale-down for this long after a scale-up.",
							NULL,
							&as_guc_v1_cooldown_after_scale_up,
							AS_DEFAULT_V1_COOLDOWN_AFTER_UP, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.v1_cooldown_after_scale_down",
							"v1: no scale-down for this long after a scale-down.",
							NULL,
							&as_guc_v1_cooldown_after_scale_down,
							AS_DEFAULT_V1_COOLDOWN_AFTER_DOWN, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.long_query_threshold",
							"A query running this long is a scaling blocker.",
							NULL,
							&as_guc_long_query_threshold,
							30, 1, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.long_transaction_threshold",
							"A transaction open this long is a scaling blocker.",
							NULL,
							&as_guc_long_transaction_threshold,
							60, 1, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomBoolVariable("aurora_serverless.auto_pause",
							 "v1: pause when idle (AWS AutoPause); v2 pauses when min_capacity is 0.",
							 NULL,
							 &as_guc_auto_pause,
							 false,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.seconds_until_auto_pause",
							"Time with no connection before the instance pauses (AWS SecondsUntilAutoPause).",
							"AWS accepts 300 to 86400 seconds; smaller values are allowed here for tests.",
							&as_guc_seconds_until_auto_pause,
							AS_DEFAULT_SECONDS_UNTIL_AUTO_PAUSE, 1, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.resume_delay",
							"How long a resume takes; connections that woke the instance wait for it.",
							"-1 takes the scaling_lag profile's: none for instant; for aurora 15 s, 30 s after a day paused, as AWS documents.",
							&as_guc_resume_delay_ms,
							AS_BY_PROFILE, AS_BY_PROFILE, 60000,
							PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomRealVariable("aurora_serverless.resume_capacity",
							 "v2: the capacity in ACUs a resume starts at, within the range; demand takes over from there.",
							 "AWS resumes a v2 instance at a relatively small capacity (2 ACU in its example); v1 resumes at the capacity it paused at.",
							 &as_guc_resume_capacity,
							 AS_DEFAULT_RESUME_CAPACITY, 0.5, 256.0,
							 PGC_SIGHUP, 0,
							 as_check_capacity, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.seconds_awake_after_wakeup",
							"No auto-pause for this long after resume() or a range change woke a paused instance.",
							"AWS waits at least 20 minutes.",
							&as_guc_awake_after_wakeup,
							AS_DEFAULT_AWAKE_AFTER_WAKEUP, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.pause_ignore_roles",
							   "Roles whose connections do not keep the instance from pausing.",
							   "A comma-separated list, such as monitoring agents.",
							   &as_guc_pause_ignore_roles,
							   "",
							   PGC_SIGHUP, GUC_LIST_INPUT,
							   as_check_ignore_roles, as_assign_ignore_roles, NULL);

	DefineCustomBoolVariable("aurora_serverless.enforce_max_connections",
							 "Refuse connections beyond the derived max_connections.",
							 "Superusers are never refused.",
							 &as_guc_enforce_max_connections,
							 false,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomBoolVariable("aurora_serverless.enforce_cpu",
							 "Limit the server's CPU to what the current capacity buys (capacity x vcpus_per_acu), with a cgroup.",
							 "Needs a cgroup the server's user may write: see aurora_serverless.cpu_cgroup.",
							 &as_guc_enforce_cpu,
							 false,
							 PGC_SIGHUP, 0,
							 as_check_enforce_cpu, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.cpu_cgroup",
							   "The cgroup directory whose CPU limit enforce_cpu sets.",
							   "Empty: the cgroup the postmaster runs in.  cgroup v2 (cpu.max) and v1 (cpu.cfs_quota_us) are both supported.",
							   &as_guc_cpu_cgroup,
							   "",
							   PGC_SIGHUP, 0,
							   as_check_cpu_cgroup, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.notify_database",
							   "The database in which alarm state changes are sent as NOTIFY aurora_serverless_alarm.",
							   "Clients LISTEN in that database.",
							   &as_guc_notify_database,
							   "postgres",
							   PGC_SIGHUP, 0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.promotion_tier",
							"AWS PromotionTier: 0 and 1 follow the writer's capacity and pause with it; 2 to 15 scale and pause on their own.",
							"A failover promotes the reader with the lowest tier, then the largest capacity.",
							&as_guc_promotion_tier,
							1, 0, 15,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.instance_name",
							   "This instance's name in its cluster (AWS DBInstanceIdentifier).",
							   "Empty: the host name and the port.",
							   &as_guc_instance_name,
							   "",
							   PGC_SIGHUP, 0,
							   as_check_instance_name, NULL, NULL);

	DefineCustomStringVariable("aurora_serverless.writer_conninfo",
							   "How a reader connects to its writer to report.",
							   "Empty: primary_conninfo, in the database postgres.",
							   &as_guc_writer_conninfo,
							   "",
							   PGC_SIGHUP, GUC_SUPERUSER_ONLY,
							   as_check_writer_conninfo, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.cluster_stale_timeout",
							"A reader that has not reported for this long is shown as stale by its writer.",
							NULL,
							&as_guc_cluster_stale_timeout,
							30, 1, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.cluster_member_expiry",
							"A writer removes a reader that has not reported for this long.",
							"Its usage stays in the cluster's totals; a reader that reports again joins again.",
							&as_guc_cluster_member_expiry,
							3600, 1, 7 * 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("aurora_serverless.scaling_lag",
							 "How long scale-up steps take: instant, or aurora (as measured on Aurora, at the speed of platform_version).",
							 NULL,
							 &as_guc_scaling_lag,
							 AS_LAG_INSTANT,
							 as_scaling_lag_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("aurora_serverless.usage_history",
							"Hours of accounting kept for samples older than the metrics ring.",
							NULL,
							&as_guc_usage_history,
							2160, 24, 87600,
							PGC_POSTMASTER, 0,
							NULL, NULL, NULL);

	DefineCustomRealVariable("aurora_serverless.acu_hour_price",
							 "Price of one ACU-hour, in dollars.",
							 "AWS's us-east-1 prices: 0.12 is Serverless v2 Standard, 0.156 v2 I/O-Optimized (30% above Standard), 0.06 Serverless v1 (end of life on 31 March 2025).",
							 &as_guc_acu_hour_price,
							 0.12, 0.0, 1000.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	/* AWS's Serverless v2 platform version */
	DefineCustomIntVariable("aurora_serverless.platform_version",
							"AWS's Serverless v2 platform version (ServerlessV2PlatformVersion): how fast scaling_lag = aurora scales up.",
							"1 and 2 scale as measured on Aurora in 2024; 3 (August 2025) and 4 faster, as AWS states; new clusters start on the latest, 4.",
							&as_guc_platform_version,
							AS_DEFAULT_PLATFORM_VERSION, AS_MIN_PLATFORM_VERSION,
							AS_MAX_PLATFORM_VERSION,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);
	as_define_api_gucs();

	MarkGUCPrefixReserved("aurora_serverless");
}

/* The policy settings the configuration asks for (not yet cross-checked). */
void
as_settings_from_gucs(AsPolicySettings *s)
{
	as_policy_default_settings(s);
	s->engine_mode = (AsEngineMode) as_guc_engine_mode;
	s->min_capacity = as_guc_min_capacity;
	s->max_capacity = as_guc_max_capacity;
	s->vcpus_per_acu = as_guc_vcpus_per_acu;
	s->target_cpu_utilization = as_guc_target_cpu_utilization;
	s->memory_headroom = as_guc_memory_headroom;
	s->scale_up_delay = as_guc_scale_up_delay;
	s->scale_down_delay = as_guc_scale_down_delay;
	s->scale_down_interval = as_guc_scale_down_interval;
	s->seconds_before_timeout = as_guc_seconds_before_timeout;
	s->timeout_action = (AsTimeoutAction) as_guc_timeout_action;
	s->v1_cooldown_after_scale_up = as_guc_v1_cooldown_after_scale_up;
	s->v1_cooldown_after_scale_down = as_guc_v1_cooldown_after_scale_down;
	s->v1_auto_pause = as_guc_auto_pause;
	s->seconds_until_auto_pause = as_guc_seconds_until_auto_pause;
	s->resume_capacity = as_guc_resume_capacity;
	s->resume_delay = as_guc_resume_delay_ms < 0 ? AS_BY_PROFILE :
		as_guc_resume_delay_ms / 1000.0;
	s->awake_after_wakeup = as_guc_awake_after_wakeup;
	s->scaling_lag = (AsScalingLag) as_guc_scaling_lag;
	s->platform_version = as_guc_platform_version;
}

#define AS_GUC_PREFIX "aurora_serverless."

/*
 * Capture the value of every aurora_serverless setting, as SHOW prints it
 * (with its unit).  Used by the worker at each configuration read, so that
 * a config_change event can list every setting that changed; it allocates,
 * but only when the configuration is read, never on a tick.
 */
void
as_gucs_capture(AsGucSnapshot *snap)
{
	int			nvars;
	struct config_generic **vars = as_guc_variables(&nvars);
	size_t		prefix_len = strlen(AS_GUC_PREFIX);
	MemoryContext old;

	snap->context = AllocSetContextCreate(TopMemoryContext,
										  "aurora_serverless settings",
										  ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(snap->context);
	snap->n = 0;
	snap->names = palloc(sizeof(char *) * Max(nvars, 1));
	snap->values = palloc(sizeof(char *) * Max(nvars, 1));
	snap->hidden = palloc(sizeof(bool) * Max(nvars, 1));
	for (int i = 0; i < nvars; i++)
	{
		const char *name = vars[i]->name;

		if (strncmp(name, AS_GUC_PREFIX, prefix_len) != 0 ||
			(vars[i]->flags & GUC_CUSTOM_PLACEHOLDER) != 0)
			continue;
		snap->names[snap->n] = pstrdup(name + prefix_len);

		/*
		 * A superuser-only setting (a connection string may hold a password)
		 * is compared, never shown; and read without a privilege check, which
		 * would need a transaction.
		 */
		snap->hidden[snap->n] = (vars[i]->flags & GUC_SUPERUSER_ONLY) != 0;
		snap->values[snap->n] = snap->hidden[snap->n] ?
			pstrdup(GetConfigOption(name, true, false)) :
			GetConfigOptionByName(name, NULL, true);
		snap->n++;
	}
	MemoryContextSwitchTo(old);
}

void
as_gucs_free(AsGucSnapshot *snap)
{
	if (snap->context)
		MemoryContextDelete(snap->context);
	memset(snap, 0, sizeof(*snap));
}

static bool
as_name_in(const char *name, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/*
 * Describe the settings whose value differs between two snapshots as
 * "name old -> new, ...", leaving out the names in skip (NULL-terminated,
 * may be NULL); the text ends in "..." when buf is too small.  Returns
 * false, with buf empty, when nothing differs.
 */
bool
as_gucs_describe_changes(const AsGucSnapshot *before,
						 const AsGucSnapshot *after,
						 const char *const *skip, char *buf, size_t size)
{
	StringInfoData out;

	initStringInfo(&out);
	for (int i = 0; i < after->n; i++)
	{
		const char *was = NULL;

		if (as_name_in(after->names[i], skip))
			continue;
		for (int j = 0; j < before->n; j++)
			if (strcmp(before->names[j], after->names[i]) == 0)
				was = before->values[j];
		if (was != NULL && strcmp(was, after->values[i]) == 0)
			continue;
		if (after->hidden[i])
		{
			appendStringInfo(&out, "%s%s changed", out.len ? ", " : "",
							 after->names[i]);
			continue;
		}
		appendStringInfo(&out, "%s%s %s -> %s", out.len ? ", " : "",
						 after->names[i],
						 was == NULL ? "(none)" : (was[0] ? was : "''"),
						 after->values[i][0] ? after->values[i] : "''");
	}
	if (out.len >= (int) size && size > 4)
		strcpy(out.data + as_clip_bytes(out.data, out.len, size - 4), "...");
	strlcpy(buf, out.data, size);
	pfree(out.data);
	return buf[0] != '\0';
}
