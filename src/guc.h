/*-------------------------------------------------------------------------
 *
 * guc.h
 *		Every setting of aurora_serverless, and the policy settings they
 *		make.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_GUC_H
#define AS_GUC_H

#include "utils/guc.h"

#include "policy.h"

extern const struct config_enum_entry as_timeout_action_options[];

extern int	as_guc_engine_mode;
extern double as_guc_min_capacity;
extern double as_guc_max_capacity;
extern int	as_guc_sample_interval_ms;
extern double as_guc_vcpus_per_acu;
extern int	as_guc_target_cpu_utilization;
extern int	as_guc_memory_headroom;
extern int	as_guc_scale_up_delay;
extern int	as_guc_scale_down_delay;
extern int	as_guc_scale_down_interval;
extern int	as_guc_max_connections_basis;
extern int	as_guc_metrics_history;
extern int	as_guc_events_history;
extern int	as_guc_flush_interval;
extern int	as_guc_worker_restart_time;
extern int	as_guc_seconds_before_timeout;
extern int	as_guc_timeout_action;
extern int	as_guc_v1_cooldown_after_scale_up;
extern int	as_guc_v1_cooldown_after_scale_down;
extern int	as_guc_long_query_threshold;
extern int	as_guc_long_transaction_threshold;
extern bool as_guc_auto_pause;
extern int	as_guc_seconds_until_auto_pause;
extern int	as_guc_resume_delay_ms;
extern double as_guc_resume_capacity;
extern int	as_guc_awake_after_wakeup;
extern char *as_guc_pause_ignore_roles;
extern bool as_guc_enforce_max_connections;
extern bool as_guc_enforce_cpu;
extern char *as_guc_cpu_cgroup;
extern char *as_guc_notify_database;
extern int	as_guc_promotion_tier;
extern char *as_guc_instance_name;
extern char *as_guc_writer_conninfo;
extern int	as_guc_cluster_stale_timeout;
extern int	as_guc_cluster_member_expiry;
extern int	as_guc_scaling_lag;
extern int	as_guc_usage_history;
extern double as_guc_acu_hour_price;
extern int	as_guc_platform_version;

/* the AWS API endpoint (src/api/) */
extern char *as_guc_api_listen;
extern char *as_guc_api_database;
extern char *as_guc_api_accept_any_credentials;
extern char *as_guc_cluster_identifier;

/* Every aurora_serverless setting's value, as SHOW prints it. */
typedef struct AsGucSnapshot
{
	int			n;
	char	  **names;			/* without the "aurora_serverless." prefix */
	char	  **values;
	bool	   *hidden;			/* superuser-only: compared, not shown */
	MemoryContext context;		/* holds all of it; NULL when empty */
} AsGucSnapshot;

extern bool as_role_is_ignored(const char *rolname);
extern void as_gucs_capture(AsGucSnapshot *snap);
extern void as_gucs_free(AsGucSnapshot *snap);
extern bool as_gucs_describe_changes(const AsGucSnapshot *before,
									 const AsGucSnapshot *after,
									 const char *const *skip,
									 char *buf, size_t size);

extern void as_define_gucs(void);
extern void as_settings_from_gucs(AsPolicySettings *s);

#endif							/* AS_GUC_H */
