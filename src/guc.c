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

#include "utils/guc.h"

#include "guc.h"
#include "model.h"

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
int			as_guc_scale_down_delay = AS_DEFAULT_SCALE_DOWN_DELAY;
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
							NULL,
							&as_guc_scale_down_delay,
							AS_DEFAULT_SCALE_DOWN_DELAY, 0, 86400,
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
}
