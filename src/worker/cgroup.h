/*-------------------------------------------------------------------------
 *
 * cgroup.h
 *		The kernel's CPU controller: a cgroup's limit and its throttling.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_CGROUP_H
#define AS_CGROUP_H

typedef enum AsCgroupVersion
{
	AS_CGROUP_NONE = 0,
	AS_CGROUP_V1,				/* cpu.cfs_quota_us, cpu.cfs_period_us */
	AS_CGROUP_V2				/* cpu.max */
} AsCgroupVersion;

typedef struct AsCgroup
{
	char		dir[MAXPGPATH];
	AsCgroupVersion version;
} AsCgroup;

extern bool as_cgroup_open(const char *setting, int postmaster_pid,
						   AsCgroup *cg, char *why, size_t why_size);
extern bool as_cgroup_writable(const AsCgroup *cg);
extern bool as_cgroup_set_limit(const AsCgroup *cg, double vcpus, char *why,
								size_t why_size);
extern bool as_cgroup_get_limit(const AsCgroup *cg, double *vcpus);
extern bool as_cgroup_throttling(const AsCgroup *cg, uint64 *nr_throttled,
								 uint64 *throttled_us);
extern bool as_cgroup_join_server(const AsCgroup *cg, int postmaster_pid,
								  char *why, size_t why_size);

#endif							/* AS_CGROUP_H */
