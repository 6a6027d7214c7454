/*-------------------------------------------------------------------------
 *
 * sampler.c
 *		Take one sample of what the server is doing.
 *
 * Reads PGPROC (pid, wait event, local transaction id), the extension's
 * backend slots (which processes are client connections), the buffer
 * headers (how many shared buffers hold valid pages) and, where readable,
 * /proc/<pid>/schedstat (or stat) and /proc/<pid>/statm for CPU time and
 * private memory.
 * It takes no lock at all: every field it reads is a single aligned word
 * or comes through a slot's change counter, and a sample is an estimate.
 *
 * To stay cheap at a thousand connections it reads /proc only for the
 * processes that may have run since their last read: a client that waits for
 * its client now and did at the last read, and has ended no transaction since
 * (its slot counts them), has spent no CPU.  Of the others it reads at most
 * AS_PROC_READS_PER_TICK files per sample, in turn, so a tick costs a bounded
 * time however many sessions are busy: each process keeps the CPU rate
 * measured between its last two reads, and the sample's busy vCPUs are the sum
 * of those rates (exact when every process is read every sample, as below the
 * budget; otherwise up to a few samples old).  CPU time is never lost between
 * reads, only attributed later.  A rate is measured over at least the window
 * the caller gives: a sample asked for right after another (a wake from SQL)
 * keeps the rates it has, because a few microseconds of CPU over a
 * millisecond, or the kernel crediting a running task's time a scheduler tick
 * late, would read as a busy CPU.  Private memory changes slowly: a process's
 * statm is read when it is new and then one read in AS_STATM_EVERY.  The
 * buffer pool is counted a window at a time, so a large shared_buffers costs
 * a bounded time per tick.  Everything it keeps is allocated once, in
 * as_sampler_init().
 *
 * Runs in the worker only.  It must not know the policy, SQL or the rings.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <unistd.h>

#include "miscadmin.h"
#include "storage/buf_internals.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "compat.h"
#include "model.h"
#include "sampler.h"
#include "state.h"

/* A running process's private memory is read one read in this many. */
#define AS_STATM_EVERY			10

/* Most /proc files read for one sample (CPU and memory together). */
#define AS_PROC_READS_PER_TICK	32

/* Buffers counted per chunk, and chunks counted per sample. */
#define AS_BUFFER_CHUNK			8192
#define AS_BUFFER_CHUNKS_PER_TICK	1

/* What the sampler remembers of one PGPROC between samples. */
typedef struct AsProcCache
{
	int			pid;			/* 0: nothing cached */
	bool		unread;			/* seen in PGPROC, /proc not read yet */
	bool		gone;			/* its /proc entry has gone: the process
								 * exited and left its pid in PGPROC */
	bool		counts_all;		/* born while sampling: all its CPU is ours */
	bool		wants_read;		/* may have run: read when its turn comes */
	uint32		transactions;	/* slot's count at the last read */
	bool		was_idle;		/* waiting for its client at the last read */
	uint32		transactions_now;	/* slot's count at this sample */
	bool		idle_now;		/* waiting for its client at this sample */
	uint32		reads;			/* reads so far, to pace statm */
	TimestampTz read_at;		/* time of the last read (or first sight) */
	uint64		cpu_ns;			/* CPU time at the last read */
	double		vcpus;			/* CPU rate between its last two reads */
	uint64		private_bytes;	/* resident - shared at the last read */
} AsProcCache;

static AsProcCache *as_cache = NULL;
static int	as_cache_len = 0;
static int	as_next_proc = 0;	/* where the next sample's reads start */
static uint32 *as_chunk_valid = NULL;
static int	as_nchunks = 0;
static int	as_next_chunk = 0;
static bool as_proc_ok = true;
static bool as_schedstat_ok = true;
static long as_clk_tck = 100;
static long as_page_size = 4096;
static TimestampTz as_prev_time = 0;

void
as_sampler_init(void)
{
	char		path[64];
	int			fd;

	as_cache_len = ProcGlobal->allProcCount;
	as_cache = MemoryContextAllocZero(TopMemoryContext,
									  sizeof(AsProcCache) * as_cache_len);
	as_nchunks = (NBuffers + AS_BUFFER_CHUNK - 1) / AS_BUFFER_CHUNK;
	as_chunk_valid = MemoryContextAllocZero(TopMemoryContext,
											sizeof(uint32) * as_nchunks);
	as_clk_tck = sysconf(_SC_CLK_TCK);
	as_page_size = sysconf(_SC_PAGESIZE);
	if (as_clk_tck <= 0)
		as_clk_tck = 100;
	if (as_page_size <= 0)
		as_page_size = 4096;

	/* can this process read its own /proc entry? */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int) MyProcPid);
	fd = open(path, O_RDONLY);
	as_proc_ok = fd >= 0;
	if (fd >= 0)
		close(fd);
	else
		ereport(LOG,
				(errmsg("aurora_serverless: /proc is not readable; the cpu goal counts sessions on CPU instead")));

	/* schedstat is cheaper to read and exact to the nanosecond */
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int) MyProcPid);
	fd = open(path, O_RDONLY);
	as_schedstat_ok = fd >= 0;
	if (fd >= 0)
		close(fd);
}

/* Read a small file into buf, NUL-terminated; false if it is gone. */
static bool
as_read_small(const char *path, char *buf, size_t size)
{
	int			fd = open(path, O_RDONLY);
	ssize_t		n;

	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/*
 * CPU time of a process in nanoseconds: the first field of
 * /proc/<pid>/schedstat, or else utime + stime of /proc/<pid>/stat in clock
 * ticks (the command name may hold spaces and parentheses, so those fields
 * are counted from the last ')').
 */
static bool
as_read_cpu_ns(int pid, uint64 *ns)
{
	char		path[64];
	char		buf[1024];
	char	   *p;
	unsigned long long utime;
	unsigned long long stime;

	if (as_schedstat_ok)
	{
		unsigned long long run;

		snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
		if (!as_read_small(path, buf, sizeof(buf)) ||
			sscanf(buf, "%llu", &run) != 1)
			return false;
		*ns = (uint64) run;
		return true;
	}

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!as_read_small(path, buf, sizeof(buf)))
		return false;
	p = strrchr(buf, ')');
	if (p == NULL)
		return false;

	/*
	 * after ")": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime
	 */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			   &utime, &stime) != 2)
		return false;
	*ns = ((uint64) utime + (uint64) stime) *
		(UINT64CONST(1000000000) / as_clk_tck);
	return true;
}

/* Private resident memory (resident - shared pages), from statm. */
static bool
as_read_private_bytes(int pid, uint64 *bytes)
{
	char		path[64];
	char		buf[256];
	unsigned long size;
	unsigned long resident;
	unsigned long shared;

	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	if (!as_read_small(path, buf, sizeof(buf)))
		return false;
	if (sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3)
		return false;
	*bytes = resident > shared ?
		(uint64) (resident - shared) * as_page_size : 0;
	return true;
}

/* Count valid buffers in a window of chunks; return the pool's total. */
static uint64
as_count_valid_buffers(void)
{
	uint64		total = 0;

	for (int c = 0; c < AS_BUFFER_CHUNKS_PER_TICK && c < as_nchunks; c++)
	{
		int			chunk = as_next_chunk;
		int			first = chunk * AS_BUFFER_CHUNK;
		int			last = Min(first + AS_BUFFER_CHUNK, NBuffers);
		uint32		valid = 0;

		for (int i = first; i < last; i++)
		{
			uint32		state = pg_atomic_read_u32(&GetBufferDescriptor(i)->state);

			if (state & BM_VALID)
				valid++;
		}
		as_chunk_valid[chunk] = valid;
		as_next_chunk = (as_next_chunk + 1) % as_nchunks;
	}
	for (int c = 0; c < as_nchunks; c++)
		total += as_chunk_valid[c];
	return total;
}

/*
 * Client connections, and those that keep the instance awake: clients whose
 * role is not ignored, and logical replication connections.  A pg_cron
 * job's connection counts, but keeps nothing awake.
 */
static void
as_count_connections(AsRawSample *out, bool (*ignored) (const char *rolname))
{
	for (int i = 0; i < as_shared->nslots; i++)
	{
		int			pid;
		int			kind;
		NameData	rolname;

		if (as_slots[i].pid == 0)
			continue;
		as_slot_read_head(&as_slots[i], &pid, &kind, &rolname);
		if (pid != 0 && kind == AS_SLOT_LOGICAL_WALSENDER)
			out->awake_connections++;
		if (pid == 0 || (kind != AS_SLOT_CLIENT && kind != AS_SLOT_CRON_JOB))
			continue;
		out->connections++;
		if (kind == AS_SLOT_CLIENT &&
			(ignored == NULL || !ignored(NameStr(rolname))))
			out->awake_connections++;
	}
}

/* Read one process's /proc files; false if it is gone. */
static bool
as_read_proc(AsProcCache *c, int pid, TimestampTz now, int *reads)
{
	uint64		ns;
	double		elapsed_us = (double) (now - c->read_at);

	(*reads)++;
	if (!as_read_cpu_ns(pid, &ns))
		return false;
	if (c->unread && !c->counts_all)
		c->vcpus = 0;			/* running before sampling began: a baseline */
	else if (elapsed_us > 0 && ns >= c->cpu_ns)
		c->vcpus = (double) (ns - c->cpu_ns) / 1000.0 / elapsed_us;
	else
		c->vcpus = 0;
	if (c->unread || c->reads % AS_STATM_EVERY == 0)
	{
		(*reads)++;
		if (!as_read_private_bytes(pid, &c->private_bytes))
			c->private_bytes = 0;
	}
	c->unread = false;
	c->transactions = c->transactions_now;
	c->was_idle = c->idle_now;
	c->reads++;
	c->cpu_ns = ns;
	c->read_at = now;
	return true;
}

void
as_sampler_take(AsRawSample *out, bool (*ignored) (const char *rolname),
				int64 min_rate_window_us)
{
	double		vcpus = 0;
	uint64		private_bytes = 0;
	bool		first = (as_prev_time == 0);
	int			reads = 0;
	int			last_read = -1;

	memset(out, 0, sizeof(*out));
	out->time = GetCurrentTimestamp();
	out->interval_s = first ? 0 :
		(double) (out->time - as_prev_time) / USECS_PER_SEC;
	out->proc_available = as_proc_ok;

	/* which processes may have run since their last read */
	for (int i = 0; i < as_cache_len; i++)
	{
		PGPROC	   *proc = GetPGProcByNumber(i);
		AsProcCache *c = &as_cache[i];
		int			pid = proc->pid;
		uint32		wait = proc->wait_event_info;
		uint32		transactions = i < as_shared->nslots ?
		as_slots[i].transactions : 0;
		bool		idle = (wait == WAIT_EVENT_CLIENT_READ);

		if (pid == 0 || pid == MyProcPid)
		{
			c->pid = 0;
			continue;
		}
		if (wait == 0)
			out->sessions_on_cpu++;
		if (!as_proc_ok)
			continue;

		if (c->pid != pid)
		{
			memset(c, 0, sizeof(*c));
			c->pid = pid;
			c->unread = true;
			/* a process born since the last sample spent all it has here */
			c->counts_all = !first;
			c->read_at = first ? out->time : as_prev_time;
		}
		/* idle now and at its last read, no transaction ended: has not run */
		c->wants_read = !c->gone &&
			(c->unread || !idle || !c->was_idle ||
			 c->transactions != transactions);
		if (!c->wants_read)
			c->vcpus = 0;
		c->transactions_now = transactions;
		c->idle_now = idle;
	}

	/* read as many as the budget allows, taking turns across samples */
	for (int k = 0; as_proc_ok && k < as_cache_len; k++)
	{
		int			i = (as_next_proc + k) % as_cache_len;
		AsProcCache *c = &as_cache[i];

		if (c->pid == 0 || !c->wants_read)
			continue;
		/* too soon after its last read for a rate: keeps the one it has */
		if (!(c->unread && !c->counts_all) &&
			out->time - c->read_at < min_rate_window_us)
			continue;
		/* a read takes one or two files: stop while two remain */
		if (reads + 2 > AS_PROC_READS_PER_TICK)
			break;
		if (!as_read_proc(c, c->pid, out->time, &reads))
		{
			/* exited: not read again until PGPROC holds another pid */
			c->gone = true;
			c->vcpus = 0;
			c->private_bytes = 0;
		}
		last_read = i;
	}
	if (last_read >= 0)
		as_next_proc = (last_read + 1) % as_cache_len;
	out->procs_read = reads;

	for (int i = 0; i < as_cache_len; i++)
	{
		if (as_cache[i].pid == 0)
			continue;
		vcpus += as_cache[i].vcpus;
		private_bytes += as_cache[i].private_bytes;
	}

	as_prev_time = out->time;
	if (!as_proc_ok)
		out->busy_vcpus = out->sessions_on_cpu;
	else if (!first)
		out->busy_vcpus = vcpus;

	out->shared_in_use_gib = (double) as_count_valid_buffers() * BLCKSZ /
		AS_BYTES_PER_GIB;
	out->private_gib = (double) private_bytes / AS_BYTES_PER_GIB;
	out->working_set_gib = out->shared_in_use_gib + out->private_gib;
	as_count_connections(out, ignored);
}
