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
 * processes that may have run since the previous sample: a client that
 * waits for its client now and did at the last read, and has ended no
 * transaction since (its slot counts them), has spent no CPU, so its
 * cached figures stand.  Private memory changes slowly: a process's statm
 * is read when it is new and then one sample in AS_STATM_EVERY.  The buffer
 * pool is counted a window at a time, so a large shared_buffers costs a
 * bounded time per tick.
 * Everything it keeps is allocated once, in as_sampler_init().
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

/* A running process's private memory is read one sample in this many. */
#define AS_STATM_EVERY			10

/* Buffers counted per chunk, and chunks counted per sample. */
#define AS_BUFFER_CHUNK			16384
#define AS_BUFFER_CHUNKS_PER_TICK	8

/* What the sampler remembers of one PGPROC between samples. */
typedef struct AsProcCache
{
	int			pid;			/* 0: nothing cached */
	uint32		transactions;	/* slot's count at the last read */
	bool		was_idle;		/* waiting for its client at the last read */
	uint64		cpu_ns;			/* CPU time at the last read */
	uint64		private_bytes;	/* resident - shared at the last read */
} AsProcCache;

static AsProcCache *as_cache = NULL;
static int	as_cache_len = 0;
static uint32 *as_chunk_valid = NULL;
static int	as_nchunks = 0;
static int	as_next_chunk = 0;
static bool as_proc_ok = true;
static bool as_schedstat_ok = true;
static uint64 as_tick = 0;
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
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			   &utime, &stime) != 2)
		return false;
	*ns = ((uint64) utime + (uint64) stime) * (UINT64CONST(1000000000) / as_clk_tck);
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
	*bytes = resident > shared ? (uint64) (resident - shared) * as_page_size : 0;
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

/* Client connections, and those of them whose role is not ignored. */
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
		if (pid == 0 || kind != AS_SLOT_CLIENT)
			continue;
		out->connections++;
		if (ignored == NULL || !ignored(NameStr(rolname)))
			out->awake_connections++;
	}
}

void
as_sampler_take(AsRawSample *out, bool (*ignored) (const char *rolname))
{
	uint64		delta_ns = 0;
	uint64		private_bytes = 0;
	bool		first = (as_prev_time == 0);

	memset(out, 0, sizeof(*out));
	out->time = GetCurrentTimestamp();
	out->interval_s = first ? 0 :
		(double) (out->time - as_prev_time) / USECS_PER_SEC;
	as_prev_time = out->time;
	out->proc_available = as_proc_ok;
	as_tick++;

	for (int i = 0; i < as_cache_len; i++)
	{
		PGPROC	   *proc = GetPGProcByNumber(i);
		AsProcCache *c = &as_cache[i];
		int			pid = proc->pid;
		uint32		wait = proc->wait_event_info;
		uint32		transactions = i < as_shared->nslots ?
			as_slots[i].transactions : 0;
		bool		idle = (wait == WAIT_EVENT_CLIENT_READ);
		bool		fresh = (c->pid != pid);
		uint64		ns;

		if (pid == 0 || pid == MyProcPid)
		{
			c->pid = 0;
			continue;
		}
		if (wait == 0)
			out->sessions_on_cpu++;
		if (!as_proc_ok)
			continue;

		/* an idle client that ended no transaction since has not run */
		if (!fresh && idle && c->was_idle && c->transactions == transactions)
		{
			private_bytes += c->private_bytes;
			continue;
		}

		out->procs_read++;
		if (!as_read_cpu_ns(pid, &ns))
		{
			c->pid = 0;			/* gone since PGPROC was read */
			continue;
		}
		if (fresh)
		{
			/* a process born since the last sample spent all it has here */
			if (!first)
				delta_ns += ns;
		}
		else if (ns >= c->cpu_ns)
			delta_ns += ns - c->cpu_ns;
		c->pid = pid;
		c->cpu_ns = ns;
		c->transactions = transactions;
		c->was_idle = idle;
		if ((fresh || (as_tick + i) % AS_STATM_EVERY == 0) &&
			!as_read_private_bytes(pid, &c->private_bytes))
			c->private_bytes = 0;
		private_bytes += c->private_bytes;
	}

	if (!as_proc_ok)
		out->busy_vcpus = out->sessions_on_cpu;
	else if (out->interval_s > 0)
		out->busy_vcpus = (double) delta_ns / 1e9 / out->interval_s;

	out->shared_in_use_gib = (double) as_count_valid_buffers() * BLCKSZ /
		AS_BYTES_PER_GIB;
	out->private_gib = (double) private_bytes / AS_BYTES_PER_GIB;
	out->working_set_gib = out->shared_in_use_gib + out->private_gib;
	as_count_connections(out, ignored);
}
