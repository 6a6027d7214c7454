/*-------------------------------------------------------------------------
 *
 * cgroup.c
 *		The CPU limit: the kernel's CPU controller, a cgroup's cpu.max
 *		(cgroup v2) or cpu.cfs_quota_us / cpu.cfs_period_us (cgroup v1), set
 *		to the vCPUs the current capacity buys; and its throttling
 *		statistics, which tell that the limit held back demand.
 *
 * The cgroup is a directory given by aurora_serverless.cpu_cgroup, or, when
 * that is empty, the one the postmaster runs in.  Whoever may write it (root
 * hands it to the server's user, systemd delegates it) decides; this file
 * only reads and writes its files and moves the server's own processes into
 * it.  Every function answers with false and a sentence in why when the
 * kernel refuses, so that the caller can report and go on without a limit.
 *
 * This file must not know the policy, shared memory or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

/* The period of the CFS bandwidth control, microseconds. */
#define AS_CGROUP_PERIOD_US		100000
/* The kernel's least quota, microseconds. */
#define AS_CGROUP_MIN_QUOTA_US	1000

static bool
as_read_file(const char *path, char *buf, size_t size)
{
	int			fd = open(path, O_RDONLY);
	ssize_t		n;

	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/*
 * Write text as the file's whole value.  O_TRUNC, as a shell's ">" opens:
 * the kernel's cgroup files take each write as the new value anyway, and a
 * plain file standing in for one (test/t/015) then holds just the value.
 */
static bool
as_write_file(const char *path, const char *text, char *why, size_t why_size)
{
	int			fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t		len = strlen(text);

	if (fd < 0 || write(fd, text, len) != len)
	{
		int			save = errno;

		if (fd >= 0)
			close(fd);
		errno = save;
		snprintf(why, why_size, "could not write \"%s\": %m", path);
		return false;
	}
	if (close(fd) != 0)
	{
		snprintf(why, why_size, "could not write \"%s\": %m", path);
		return false;
	}
	return true;
}

/*
 * The directory of the cgroup a process is in, for the CPU controller: the
 * unified hierarchy's "0::path" when /sys/fs/cgroup is cgroup v2, or the
 * line of the v1 hierarchy that holds the "cpu" controller, under the mount
 * point of that hierarchy.
 */
static bool
as_cgroup_of_process(int pid, char *dir, size_t size, char *why,
					 size_t why_size)
{
	char		path[64];
	char		buf[4096];
	char	   *line;
	char	   *save = NULL;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (!as_read_file(path, buf, sizeof(buf)))
	{
		snprintf(why, why_size, "could not read \"%s\": %m", path);
		return false;
	}
	/* cgroup v2 mounted at /sys/fs/cgroup: the one line "0::/path" */
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
	{
		for (line = strtok_r(buf, "\n", &save); line;
			 line = strtok_r(NULL, "\n", &save))
		{
			if (strncmp(line, "0::", 3) == 0)
			{
				snprintf(dir, size, "/sys/fs/cgroup%s",
						 strcmp(line + 3, "/") == 0 ? "" : line + 3);
				return true;
			}
		}
	}
	/* cgroup v1: "N:cpu,cpuacct:/path", mounted at /sys/fs/cgroup/cpu... */
	for (line = strtok_r(buf, "\n", &save); line;
		 line = strtok_r(NULL, "\n", &save))
	{
		char	   *controllers = strchr(line, ':');
		char	   *rel;
		char		list[256];
		char	   *c;
		char	   *save2 = NULL;

		if (controllers == NULL || (rel = strchr(controllers + 1, ':')) == NULL)
			continue;
		snprintf(list, sizeof(list), "%.*s", (int) (rel - controllers - 1),
				 controllers + 1);
		for (c = strtok_r(list, ",", &save2); c; c = strtok_r(NULL, ",", &save2))
		{
			if (strcmp(c, "cpu") == 0)
			{
				snprintf(list, sizeof(list), "%.*s", (int) (rel - controllers - 1),
						 controllers + 1);
				snprintf(dir, size, "/sys/fs/cgroup/%s%s", list,
						 strcmp(rel + 1, "/") == 0 ? "" : rel + 1);
				if (access(dir, F_OK) != 0)
					snprintf(dir, size, "/sys/fs/cgroup/cpu%s",
							 strcmp(rel + 1, "/") == 0 ? "" : rel + 1);
				return true;
			}
		}
	}
	snprintf(why, why_size, "no CPU controller is listed in \"%s\"", path);
	return false;
}

/*
 * cgroup v2 with delegation (systemd's Delegate=): the server may not write
 * the limit of the cgroup it was started in, but may create a child, move
 * itself into it and enable the CPU controller for its children, in that
 * order (a cgroup v2 with processes cannot enable controllers for children).
 * dir is the child; its parent must be delegated.
 */
static bool
as_cgroup_make_v2_child(const char *dir, int postmaster_pid, char *why,
						size_t why_size)
{
	char		parent[MAXPGPATH];
	char		path[MAXPGPATH + 32];
	char	   *slash;
	AsCgroup	child;

	strlcpy(parent, dir, sizeof(parent));
	slash = strrchr(parent, '/');
	if (slash == NULL || slash == parent)
		return false;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", parent);
	if (access(path, W_OK) != 0)
		return false;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
	{
		snprintf(why, why_size, "could not create cgroup \"%s\": %m", dir);
		return false;
	}
	strlcpy(child.dir, dir, sizeof(child.dir));
	child.version = AS_CGROUP_V2;
	if (!as_cgroup_join_server(&child, postmaster_pid, why, why_size) ||
		!as_write_file(path, "+cpu", why, why_size))
		return false;
	return true;
}

/*
 * Find the cgroup named by setting (an absolute path), or the postmaster's
 * when setting is empty, and which interface it has.  Under cgroup v2
 * delegation, a child of the delegated cgroup is made (the one named, or
 * "aurora_serverless" under the postmaster's).  Does not check that the
 * limit can be written: as_cgroup_writable() tells.
 */
bool
as_cgroup_open(const char *setting, int postmaster_pid, AsCgroup *cg,
			   char *why, size_t why_size)
{
	char		path[MAXPGPATH + 32];

	memset(cg, 0, sizeof(*cg));
	why[0] = '\0';
	if (setting == NULL || setting[0] == '\0')
	{
		if (!as_cgroup_of_process(postmaster_pid, cg->dir, sizeof(cg->dir),
								  why, why_size))
			return false;
		/* delegated v2: the postmaster's own limit is not ours to write */
		snprintf(path, sizeof(path), "%s/cpu.max", cg->dir);
		if (access(path, W_OK) != 0)
		{
			char		child[MAXPGPATH];

			snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg->dir);
			snprintf(child, sizeof(child), "%s/aurora_serverless", cg->dir);
			if (access(path, W_OK) == 0 &&
				as_cgroup_make_v2_child(child, postmaster_pid, why, why_size))
				strlcpy(cg->dir, child, sizeof(cg->dir));
			else if (why[0])
				return false;
		}
	}
	else
	{
		strlcpy(cg->dir, setting, sizeof(cg->dir));
		snprintf(path, sizeof(path), "%s/cpu.max", cg->dir);
		if (access(cg->dir, F_OK) != 0 || access(path, F_OK) != 0)
		{
			(void) as_cgroup_make_v2_child(cg->dir, postmaster_pid, why,
										   why_size);
			if (why[0])
				return false;
		}
	}

	snprintf(path, sizeof(path), "%s/cpu.max", cg->dir);
	if (access(path, F_OK) == 0)
	{
		cg->version = AS_CGROUP_V2;
		return true;
	}
	snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", cg->dir);
	if (access(path, F_OK) == 0)
	{
		cg->version = AS_CGROUP_V1;
		return true;
	}
	snprintf(why, why_size,
			 "\"%s\" is not a cgroup with the CPU controller (it has neither cpu.max nor cpu.cfs_quota_us)",
			 cg->dir);
	return false;
}

/* Can this process write the cgroup's limit? */
bool
as_cgroup_writable(const AsCgroup *cg)
{
	char		path[MAXPGPATH + 32];

	snprintf(path, sizeof(path), "%s/%s", cg->dir,
			 cg->version == AS_CGROUP_V2 ? "cpu.max" : "cpu.cfs_quota_us");
	return access(path, W_OK) == 0;
}

/*
 * Limit the cgroup to vcpus CPUs (at least the kernel's least quota); 0 or
 * less lifts the limit.
 */
bool
as_cgroup_set_limit(const AsCgroup *cg, double vcpus, char *why,
					size_t why_size)
{
	char		path[MAXPGPATH + 32];
	char		value[64];
	long		quota = -1;

	if (vcpus > 0)
	{
		quota = (long) (vcpus * AS_CGROUP_PERIOD_US + 0.5);
		if (quota < AS_CGROUP_MIN_QUOTA_US)
			quota = AS_CGROUP_MIN_QUOTA_US;
	}
	if (cg->version == AS_CGROUP_V2)
	{
		snprintf(path, sizeof(path), "%s/cpu.max", cg->dir);
		if (quota < 0)
			snprintf(value, sizeof(value), "max %d", AS_CGROUP_PERIOD_US);
		else
			snprintf(value, sizeof(value), "%ld %d", quota, AS_CGROUP_PERIOD_US);
		return as_write_file(path, value, why, why_size);
	}
	snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", cg->dir);
	snprintf(value, sizeof(value), "%d", AS_CGROUP_PERIOD_US);
	if (!as_write_file(path, value, why, why_size))
		return false;
	snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", cg->dir);
	snprintf(value, sizeof(value), "%ld", quota);
	return as_write_file(path, value, why, why_size);
}

/*
 * The limit the cgroup has now, in CPUs; 0 when it has none.  false when it
 * cannot be read.
 */
bool
as_cgroup_get_limit(const AsCgroup *cg, double *vcpus)
{
	char		path[MAXPGPATH + 32];
	char		buf[128];
	long		quota;
	long		period;

	*vcpus = 0;
	if (cg->version == AS_CGROUP_V2)
	{
		snprintf(path, sizeof(path), "%s/cpu.max", cg->dir);
		if (!as_read_file(path, buf, sizeof(buf)))
			return false;
		if (strncmp(buf, "max", 3) == 0)
			return true;
		if (sscanf(buf, "%ld %ld", &quota, &period) != 2 || period <= 0)
			return false;
	}
	else
	{
		snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", cg->dir);
		if (!as_read_file(path, buf, sizeof(buf)) ||
			sscanf(buf, "%ld", &quota) != 1)
			return false;
		if (quota < 0)
			return true;
		snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", cg->dir);
		if (!as_read_file(path, buf, sizeof(buf)) ||
			sscanf(buf, "%ld", &period) != 1 || period <= 0)
			return false;
	}
	*vcpus = (double) quota / period;
	return true;
}

/*
 * The cgroup's throttling counters: periods in which it was throttled, and
 * the time it spent throttled (microseconds).
 */
bool
as_cgroup_throttling(const AsCgroup *cg, uint64 *nr_throttled,
					 uint64 *throttled_us)
{
	char		path[MAXPGPATH + 32];
	char		buf[1024];
	char	   *p;
	unsigned long long v;

	snprintf(path, sizeof(path), "%s/cpu.stat", cg->dir);
	if (!as_read_file(path, buf, sizeof(buf)))
		return false;
	*nr_throttled = 0;
	*throttled_us = 0;
	if ((p = strstr(buf, "nr_throttled ")) != NULL &&
		sscanf(p + strlen("nr_throttled "), "%llu", &v) == 1)
		*nr_throttled = v;
	if ((p = strstr(buf, "throttled_usec ")) != NULL &&
		sscanf(p + strlen("throttled_usec "), "%llu", &v) == 1)
		*throttled_us = v;
	else if ((p = strstr(buf, "throttled_time ")) != NULL &&
			 sscanf(p + strlen("throttled_time "), "%llu", &v) == 1)
		*throttled_us = v / 1000;	/* v1 counts nanoseconds */
	return true;
}

/*
 * Move the postmaster and every process it started into the cgroup; new
 * ones inherit it from the postmaster.  Processes that ended meanwhile are
 * no error.
 */
bool
as_cgroup_join_server(const AsCgroup *cg, int postmaster_pid, char *why,
					  size_t why_size)
{
	char		path[MAXPGPATH + 32];
	char		pidtext[16];
	DIR		   *proc;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir);
	snprintf(pidtext, sizeof(pidtext), "%d", postmaster_pid);
	if (!as_write_file(path, pidtext, why, why_size))
		return false;

	proc = opendir("/proc");
	if (proc == NULL)
		return true;
	while ((de = readdir(proc)) != NULL)
	{
		char		stat_path[64];
		char		buf[512];
		char	   *close_paren;
		int			ppid;
		char		ignored[256];

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(stat_path, sizeof(stat_path), "/proc/%s/stat", de->d_name);
		if (!as_read_file(stat_path, buf, sizeof(buf)) ||
			(close_paren = strrchr(buf, ')')) == NULL ||
			sscanf(close_paren + 1, " %*c %d", &ppid) != 1 ||
			ppid != postmaster_pid)
			continue;
		/* one that ended since /proc was read is no error */
		(void) as_write_file(path, de->d_name, ignored, sizeof(ignored));
	}
	closedir(proc);
	return true;
}
