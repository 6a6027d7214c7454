/*-------------------------------------------------------------------------
 *
 * cpulimit.c
 *		aurora_serverless.enforce_cpu: the server gets only the CPU that the
 *		current capacity buys.  The worker keeps the cgroup's limit at
 *		capacity x vcpus_per_acu at every capacity change, pause and resume,
 *		and reads how long the limit held the server back, so that the demand
 *		still sees what the server wanted.
 *
 * Every server process runs under the limit, the worker too: it is part of
 * the instance, as Aurora's own agents run within its capacity; its cost is
 * well under 1% of a vCPU, and CFS shares the quota among the cgroup's tasks,
 * so it still gets its turn when the backends are throttled.  A paused
 * instance keeps the limit of 0.5 ACU, the least an awake one has, so that a
 * connection can wake it: a limit left behind by a crash is never below that.
 * Where the machine has fewer CPUs than the capacity buys, the limit stops at
 * what it has.  The limit is lifted when enforcement is turned off and when
 * the worker exits (at a server shutdown too); a worker that dies is started
 * again and restores it.  Where the cgroup cannot be written, a WARNING and a
 * config_rejected event say so once, and the instance goes on in report-only
 * mode (capacity.cpu_enforced is false).
 *
 * Runs in the worker.  It must not know SQL or the policy's rules: it is
 * given the capacity.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <unistd.h>

#include "miscadmin.h"
#include "utils/timestamp.h"

#include "cgroup.h"
#include "model.h"
#include "cpulimit.h"
#include "guc.h"
#include "state.h"

/* Seconds between two attempts at a cgroup that could not be used. */
#define AS_CPULIMIT_RETRY_S		30

static AsCgroup as_cg;
static bool as_cg_ready = false;	/* opened, server moved in */
static double as_written = -1;	/* limit written, vCPUs; -1: none yet */
static char as_cg_setting[MAXPGPATH];	/* cpu_cgroup it was opened for */
static TimestampTz as_failed_at = 0;	/* last failure, for the retry */
static bool as_have_stats = false;
static uint64 as_last_throttled_us = 0;
static TimestampTz as_last_throttled_at = 0;	/* when it was read */
static double as_last_held_back = 0;	/* the rate that reading gave */
static bool as_published_off = false;	/* "not enforced" published */

/* CPUs of the machine: the limit never asks for more. */
int
as_machine_vcpus(void)
{
	long		n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int) n : 1;
}

/* Publish what is in force for the capacity view and describe(). */
static void
as_publish(bool enforced, double limit, const char *problem)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	as_shared->cpu_enforced = enforced;
	as_shared->cpu_limit_vcpus = enforced ? limit : 0;
	as_shared->machine_vcpus = as_machine_vcpus();
	strlcpy(as_shared->cpu_cgroup_dir, as_cg_ready ? as_cg.dir : "",
			sizeof(as_shared->cpu_cgroup_dir));
	strlcpy(as_shared->cpu_problem, problem ? problem : "",
			sizeof(as_shared->cpu_problem));
	LWLockRelease(as_shared->lock);
}

/* Report, once per failure, that the limit cannot be enforced. */
static void
as_report_failure(const char *why)
{
	char		detail[sizeof(((AsPolicyEvent *) 0)->detail)];
	bool		again;
	double		capacity;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	again = strcmp(as_shared->cpu_problem, why) == 0;
	capacity = as_shared->policy.capacity;
	LWLockRelease(as_shared->lock);
	as_failed_at = GetCurrentTimestamp();
	as_cg_ready = false;
	as_written = -1;
	as_publish(false, 0, why);
	if (again)
		return;
	snprintf(detail, sizeof(detail), "CPU limit not enforced: %s", why);
	as_record_event(AS_EVENT_CONFIG_REJECTED, capacity, capacity, "enforce_cpu",
					detail);
	ereport(WARNING,
			(errmsg("aurora_serverless: cannot enforce the CPU limit: %s", why),
			 errdetail("Capacity is reported as before, but the server's CPU is not limited."),
			 errhint("As root, create a cgroup and hand it to the server's user (mkdir /sys/fs/cgroup/cpu/postgres; chown -R postgres /sys/fs/cgroup/cpu/postgres), then set \"aurora_serverless.cpu_cgroup\" to it; see docs/cpu-limits.md for systemd and containers.")));
}

/* Lift the limit, if one was written. */
void
as_cpulimit_lift(void)
{
	char		why[256];

	if (as_cg_ready && as_written >= 0)
	{
		if (!as_cgroup_set_limit(&as_cg, 0, why, sizeof(why)))
			ereport(LOG,
					(errmsg("aurora_serverless: could not lift the CPU limit: %s", why)));
		else
			ereport(LOG,
					(errmsg("aurora_serverless: lifted the CPU limit of cgroup \"%s\"",
							as_cg.dir)));
	}
	as_cg_ready = false;
	as_written = -1;
	as_have_stats = false;
}

/* Open the cgroup of the setting and move the server into it. */
static bool
as_cpulimit_start(double max_vcpus)
{
	char		why[256];

	strlcpy(as_cg_setting, as_guc_cpu_cgroup, sizeof(as_cg_setting));
	if (!as_cgroup_open(as_guc_cpu_cgroup, PostmasterPid, &as_cg, why,
						sizeof(why)))
	{
		as_report_failure(why);
		return false;
	}
	if (!as_cgroup_writable(&as_cg))
	{
		snprintf(why, sizeof(why), "the server's user may not write the limit of cgroup \"%s\"",
				 as_cg.dir);
		as_report_failure(why);
		return false;
	}
	if (!as_cgroup_join_server(&as_cg, PostmasterPid, why, sizeof(why)))
	{
		as_report_failure(why);
		return false;
	}
	as_cg_ready = true;
	as_written = -1;
	as_have_stats = false;
	ereport(LOG,
			(errmsg("aurora_serverless: enforcing the CPU limit in cgroup \"%s\" (cgroup %s)",
					as_cg.dir, as_cg.version == AS_CGROUP_V2 ? "v2" : "v1")));
	if (max_vcpus > as_machine_vcpus())
		ereport(LOG,
				(errmsg("aurora_serverless: max_capacity buys %g vCPUs but this machine has %d; the limit stops at %d",
						max_vcpus, as_machine_vcpus(), as_machine_vcpus())));
	return true;
}

/*
 * Each tick, before the sample is taken: how many CPUs the limit held back
 * since the last reading (the cgroup's throttled time, which the kernel
 * counts for each CPU on which the server had a task waiting), or 0.  Like
 * the sampler's CPU rates, it is measured over min_rate_window_us at least.
 */
double
as_cpulimit_throttled_vcpus(TimestampTz now, int64 min_rate_window_us)
{
	uint64		nr;
	uint64		us;
	double		interval_us = (double) (now - as_last_throttled_at);

	if (!as_cg_ready)
		return 0;
	/* asked again right after the last reading: the rate it gave */
	if (as_have_stats && interval_us < min_rate_window_us)
		return as_last_held_back;
	if (!as_cgroup_throttling(&as_cg, &nr, &us))
		return 0;
	as_last_held_back = 0;
	if (as_have_stats && interval_us > 0 && us >= as_last_throttled_us)
		as_last_held_back = Min((double) (us - as_last_throttled_us) / interval_us,
								(double) as_machine_vcpus());
	as_last_throttled_us = us;
	as_last_throttled_at = now;
	as_have_stats = true;
	return as_last_held_back;
}

/*
 * Each tick, after the policy: keep the limit at what the capacity buys
 * (paused: the floor's), or lift it when enforcement is off.
 */
void
as_cpulimit_apply(double capacity, bool paused, double vcpus_per_acu,
				  double max_capacity)
{
	double		want;
	char		why[256];

	if (!as_guc_enforce_cpu)
	{
		if (as_cg_ready)
			as_cpulimit_lift();
		as_failed_at = 0;
		if (!as_published_off)
			as_publish(false, 0, NULL);
		as_published_off = true;
		return;
	}
	as_published_off = false;
	if (as_cg_ready && strcmp(as_cg_setting, as_guc_cpu_cgroup) != 0)
	{
		as_cpulimit_lift();
		as_failed_at = 0;
	}
	if (!as_cg_ready)
	{
		if (as_failed_at != 0 &&
			strcmp(as_cg_setting, as_guc_cpu_cgroup) == 0 &&
			!TimestampDifferenceExceeds(as_failed_at, GetCurrentTimestamp(),
										AS_CPULIMIT_RETRY_S * 1000))
			return;
		if (!as_cpulimit_start(max_capacity * vcpus_per_acu))
			return;
	}

	want = (paused ? AS_V2_MIN_AWAKE : capacity) * vcpus_per_acu;
	want = Min(want, (double) as_machine_vcpus());
	if (want == as_written)
		return;
	if (!as_cgroup_set_limit(&as_cg, want, why, sizeof(why)))
	{
		as_report_failure(why);
		return;
	}
	as_written = want;
	as_publish(true, want, NULL);
}
