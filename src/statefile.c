/*-------------------------------------------------------------------------
 *
 * statefile.c
 *		The state file: the policy's state, the latest sample and both rings,
 *		kept across restarts and crashes.
 *
 * Layout: a header (magic, format version, PostgreSQL major, record sizes,
 * counts), the metrics oldest first, the events oldest first, the hourly
 * accounting oldest first, and a CRC-32C of everything before it.  The worker
 * writes it to a temporary file, fsyncs it and renames it over the old one
 * (durable_rename), so a crash leaves either the old file or the new one.  The
 * postmaster reads it when it creates shared memory; a missing, short, foreign
 * or corrupt file is a LOG line and a fresh start, never a failed start.  So
 * is a file of another instance (the header names the instance) in a server
 * that starts as a standby or in targeted recovery (standby.signal or
 * recovery.signal): a base backup copies the file, and a new replica's
 * history starts with itself.  A server that starts as a primary takes the
 * history of the file in its data directory whichever instance name or
 * PostgreSQL major wrote it (the layout does not depend on the major, and
 * the record sizes are checked): its own under another port or host name,
 * or the old cluster's, copied in after pg_upgrade.  The LOG line says so.
 *
 * This file must not know SQL, the sampler or the policy's rules.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/xlog.h"
#include "port/pg_crc32c.h"
#include "storage/fd.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "cluster.h"
#include "state.h"
#include "statefile.h"
#include "text.h"

#define AS_FILE_MAGIC	0x41535256	/* "ASRV" */
#define AS_FILE_FORMAT	10

typedef struct AsFileHeader
{
	uint32		magic;
	uint32		format;
	uint32		pg_major;
	uint32		header_size;
	uint32		metric_size;
	uint32		event_size;
	uint32		bucket_size;
	uint32		nmetrics;
	uint32		nevents;
	uint32		nbuckets;
	char		instance_name[AS_INSTANCE_NAME_LEN];	/* whose history it is */
	TimestampTz written_at;
	TimestampTz last_scaling_at;
	AsPolicyState policy;
	AsMetric	last;
	AsAlarm		alarms[AS_MAX_ALARMS];
} AsFileHeader;

/*
 * Format 8, which version 1.0 of the extension wrote: the same records but
 * for two flags of AsMetric (in what was its padding), shorter names, and
 * alarms laid out as below.  A file of format 8 is read into format 10, so
 * that an update of the extension keeps the history, the accounting and
 * the alarm definitions.  The sizes are those format 8 had: should a record
 * change, the assertions fail and the conversion must be looked at again.
 */
#define AS_FILE_FORMAT_V8	8
#define AS_NAME_LEN_V8		64

typedef struct AsAlarmV8
{
	bool		used;
	char		name[AS_NAME_LEN_V8];
	uint8		metric;
	uint8		statistic;
	uint8		comparison;
	uint8		state;
	int32		period;
	int32		evaluation_periods;
	double		threshold;
	char		reason[256];
	TimestampTz state_updated;
	TimestampTz evaluated_to;
} AsAlarmV8;

typedef struct AsFileHeaderV8
{
	uint32		magic;
	uint32		format;
	uint32		pg_major;
	uint32		header_size;
	uint32		metric_size;
	uint32		event_size;
	uint32		bucket_size;
	uint32		nmetrics;
	uint32		nevents;
	uint32		nbuckets;
	char		instance_name[AS_NAME_LEN_V8];
	TimestampTz written_at;
	TimestampTz last_scaling_at;
	AsPolicyState policy;
	AsMetric	last;
	AsAlarmV8	alarms[64];
} AsFileHeaderV8;

StaticAssertDecl(sizeof(AsAlarmV8) == 360, "format 8's alarm");
StaticAssertDecl(sizeof(AsFileHeaderV8) == 23656, "format 8's header");
StaticAssertDecl(sizeof(AsMetric) == 216 && sizeof(AsEvent) == 288 &&
				 sizeof(AsUsageBucket) == 80,
				 "the records of format 8 are read as they are");

/* The worker's write buffer, allocated once at the first write. */
static char *as_file_buffer = NULL;
static Size as_file_buffer_size = 0;

static Size
as_file_max_size(void)
{
	return sizeof(AsFileHeader) +
		sizeof(AsMetric) * (Size) as_shared->metrics_size +
		sizeof(AsEvent) * (Size) as_shared->events_size +
		sizeof(AsUsageBucket) * (Size) as_shared->buckets_size +
		sizeof(pg_crc32c);
}

static void
as_load_failed(const char *why)
{
	ereport(LOG,
			(errmsg("aurora_serverless: ignoring state file \"%s\": %s",
					AS_STATE_FILE, why),
			 errdetail("Capacity history starts afresh; the file is replaced at the next write.")));
}

/*
 * A file of format 8, checked whole, made into an image of the current
 * format (with its own checksum) in a new buffer.  NULL, with *why set, if
 * the file is not a good one.
 */
static char *
as_state_file_from_v8(const char *buf, Size size, Size *new_size,
					  const char **why)
{
	AsFileHeaderV8 old;
	AsFileHeader hdr;
	Size		records;
	Size		expected;
	pg_crc32c	crc;
	pg_crc32c	stored;
	char	   *img;
	char	   *p;

	if (size < sizeof(old) + sizeof(pg_crc32c))
	{
		*why = "it is truncated";
		return NULL;
	}
	memcpy(&old, buf, sizeof(old));
	if (old.header_size != sizeof(old) || old.metric_size != sizeof(AsMetric) ||
		old.event_size != sizeof(AsEvent) ||
		old.bucket_size != sizeof(AsUsageBucket))
	{
		*why = "its records are not those of format 8";
		return NULL;
	}
	records = (Size) old.nmetrics * sizeof(AsMetric) +
		(Size) old.nevents * sizeof(AsEvent) +
		(Size) old.nbuckets * sizeof(AsUsageBucket);
	expected = sizeof(old) + records + sizeof(pg_crc32c);
	if (expected != size)
	{
		*why = "it is truncated or has trailing bytes";
		return NULL;
	}
	INIT_CRC32C(crc);
	COMP_CRC32C(crc, buf, expected - sizeof(pg_crc32c));
	FIN_CRC32C(crc);
	memcpy(&stored, buf + expected - sizeof(pg_crc32c), sizeof(stored));
	if (!EQ_CRC32C(crc, stored))
	{
		*why = "its checksum does not match";
		return NULL;
	}

	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = AS_FILE_MAGIC;
	hdr.format = AS_FILE_FORMAT;
	hdr.pg_major = old.pg_major;
	hdr.header_size = sizeof(AsFileHeader);
	hdr.metric_size = sizeof(AsMetric);
	hdr.event_size = sizeof(AsEvent);
	hdr.bucket_size = sizeof(AsUsageBucket);
	hdr.nmetrics = old.nmetrics;
	hdr.nevents = old.nevents;
	hdr.nbuckets = old.nbuckets;
	strlcpy(hdr.instance_name, old.instance_name,
			Min(sizeof(hdr.instance_name), sizeof(old.instance_name)));
	hdr.written_at = old.written_at;
	hdr.last_scaling_at = old.last_scaling_at;
	hdr.policy = old.policy;
	hdr.last = old.last;
	hdr.last.reader = false;
	hdr.last.logical_replication = false;
	for (int i = 0; i < lengthof(old.alarms) && i < AS_MAX_ALARMS; i++)
	{
		const AsAlarmV8 *o = &old.alarms[i];
		AsAlarm    *a = &hdr.alarms[i];

		if (!o->used)
			continue;
		a->used = true;
		strlcpy(a->name, o->name, Min(sizeof(a->name), sizeof(o->name)));
		a->metric = o->metric;
		a->statistic = o->statistic;
		a->comparison = o->comparison;
		a->state = o->state;
		a->period = o->period;
		a->evaluation_periods = o->evaluation_periods;
		a->threshold = o->threshold;
		strlcpy(a->reason, o->reason, Min(sizeof(a->reason), sizeof(o->reason)));
		a->state_updated = o->state_updated;
		a->evaluated_to = o->evaluated_to;
	}

	*new_size = sizeof(hdr) + records + sizeof(pg_crc32c);
	img = palloc_extended(*new_size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (img == NULL)
	{
		*why = "out of memory reading it";
		return NULL;
	}
	memcpy(img, &hdr, sizeof(hdr));
	memcpy(img + sizeof(hdr), buf + sizeof(old), records);
	/* the flags format 8 did not have: its padding may hold anything */
	p = img + sizeof(hdr);
	for (uint32 i = 0; i < old.nmetrics; i++, p += sizeof(AsMetric))
	{
		AsMetric	m;

		memcpy(&m, p, sizeof(m));
		m.reader = false;
		m.logical_replication = false;
		memcpy(p, &m, sizeof(m));
	}
	INIT_CRC32C(crc);
	COMP_CRC32C(crc, img, *new_size - sizeof(pg_crc32c));
	FIN_CRC32C(crc);
	memcpy(img + *new_size - sizeof(pg_crc32c), &crc, sizeof(crc));
	return img;
}

/*
 * Read the state file into freshly created shared memory.  Runs in the
 * postmaster with no other process attached.
 */
void
as_state_file_load(void)
{
	int			fd;
	struct stat st;
	char	   *buf;
	AsFileHeader hdr;
	pg_crc32c	crc;
	pg_crc32c	stored;
	Size		expected;
	uint32		keep_m;
	uint32		keep_e;
	uint32		keep_b;
	char	   *p;
	bool		from_older = false;

	fd = OpenTransientFile(AS_STATE_FILE, O_RDONLY | PG_BINARY);
	if (fd < 0)
	{
		if (errno != ENOENT)
			ereport(LOG,
					(errcode_for_file_access(),
					 errmsg("aurora_serverless: could not open state file \"%s\": %m",
							AS_STATE_FILE)));
		else
			ereport(LOG,
					(errmsg("aurora_serverless: no state file \"%s\": capacity history starts afresh",
							AS_STATE_FILE),
					 errdetail("A new server, or one whose file was removed or not copied in after pg_upgrade: no samples, events, accounting or alarms to restore.")));
		return;
	}
	if (fstat(fd, &st) != 0)
	{
		ereport(LOG,
				(errcode_for_file_access(),
				 errmsg("aurora_serverless: could not stat state file \"%s\": %m",
						AS_STATE_FILE)));
		CloseTransientFile(fd);
		return;
	}
	if (st.st_size < (off_t) (Min(sizeof(AsFileHeader), sizeof(AsFileHeaderV8)) +
							  sizeof(pg_crc32c)) ||
		st.st_size > (off_t) MaxAllocHugeSize)
	{
		CloseTransientFile(fd);
		as_load_failed("its size does not match any state file");
		return;
	}

	buf = palloc_extended(st.st_size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (buf == NULL)
	{
		CloseTransientFile(fd);
		as_load_failed("out of memory reading it");
		return;
	}
	if (read(fd, buf, st.st_size) != st.st_size)
	{
		CloseTransientFile(fd);
		pfree(buf);
		as_load_failed("it could not be read whole");
		return;
	}
	CloseTransientFile(fd);

	if (st.st_size >= (off_t) (2 * sizeof(uint32)) &&
		((uint32 *) buf)[0] == AS_FILE_MAGIC &&
		((uint32 *) buf)[1] == AS_FILE_FORMAT_V8)
	{
		const char *why = NULL;
		Size		new_size;
		char	   *img = as_state_file_from_v8(buf, st.st_size, &new_size, &why);

		pfree(buf);
		if (img == NULL)
		{
			as_load_failed(why);
			return;
		}
		ereport(LOG,
				(errmsg("aurora_serverless: reading state file \"%s\" of an earlier version (format %d)",
						AS_STATE_FILE, AS_FILE_FORMAT_V8),
				 errdetail("Its samples, events, accounting and alarms are kept; the file is rewritten in format %d at the next write.",
						   AS_FILE_FORMAT)));
		buf = img;
		st.st_size = new_size;
		from_older = true;
	}
	if (st.st_size < (off_t) (sizeof(AsFileHeader) + sizeof(pg_crc32c)))
	{
		as_load_failed("its size does not match any state file");
		pfree(buf);
		return;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.magic != AS_FILE_MAGIC)
	{
		as_load_failed("it is not an aurora_serverless state file");
		pfree(buf);
		return;
	}
	if (hdr.format != AS_FILE_FORMAT ||
		hdr.header_size != sizeof(AsFileHeader) ||
		hdr.metric_size != sizeof(AsMetric) || hdr.event_size != sizeof(AsEvent) ||
		hdr.bucket_size != sizeof(AsUsageBucket))
	{
		as_load_failed("it was written by another version");
		pfree(buf);
		return;
	}
	expected = sizeof(AsFileHeader) + (Size) hdr.nmetrics * sizeof(AsMetric) +
		(Size) hdr.nevents * sizeof(AsEvent) +
		(Size) hdr.nbuckets * sizeof(AsUsageBucket) + sizeof(pg_crc32c);
	if (expected != (Size) st.st_size)
	{
		as_load_failed("it is truncated or has trailing bytes");
		pfree(buf);
		return;
	}
	INIT_CRC32C(crc);
	COMP_CRC32C(crc, buf, expected - sizeof(pg_crc32c));
	FIN_CRC32C(crc);
	memcpy(&stored, buf + expected - sizeof(pg_crc32c), sizeof(stored));
	if (!EQ_CRC32C(crc, stored))
	{
		as_load_failed("its checksum does not match");
		pfree(buf);
		return;
	}
	hdr.instance_name[AS_INSTANCE_NAME_LEN - 1] = '\0';
	if (strcmp(hdr.instance_name, as_instance_name()) != 0)
	{
		struct stat sst;

		if (stat(STANDBY_SIGNAL_FILE, &sst) == 0 ||
			stat(RECOVERY_SIGNAL_FILE, &sst) == 0)
		{
			as_load_failed(psprintf("it holds the history of instance \"%s\", not of this one (\"%s\"), as a base backup copies it to a new replica",
									hdr.instance_name, as_instance_name()));
			pfree(buf);
			return;
		}
	}

	/* keep the newest entries that fit in this server's rings */
	keep_m = Min(hdr.nmetrics, (uint32) as_shared->metrics_size);
	keep_e = Min(hdr.nevents, (uint32) as_shared->events_size);
	p = buf + sizeof(AsFileHeader) + (Size) (hdr.nmetrics - keep_m) * sizeof(AsMetric);
	for (uint32 i = 0; i < keep_m; i++, p += sizeof(AsMetric))
		memcpy(&as_metrics[i], p, sizeof(AsMetric));
	as_shared->metrics_pos = keep_m;
	p = buf + sizeof(AsFileHeader) + (Size) hdr.nmetrics * sizeof(AsMetric) +
		(Size) (hdr.nevents - keep_e) * sizeof(AsEvent);
	for (uint32 i = 0; i < keep_e; i++, p += sizeof(AsEvent))
	{
		memcpy(&as_events[i], p, sizeof(AsEvent));
		/* the text of an older version may end inside a character */
		as_events[i].ev.detail[sizeof(as_events[i].ev.detail) - 1] = '\0';
		as_clip_to_valid(as_events[i].ev.detail);
	}
	as_shared->events_pos = keep_e;
	keep_b = Min(hdr.nbuckets, (uint32) as_shared->buckets_size);
	p = buf + sizeof(AsFileHeader) + (Size) hdr.nmetrics * sizeof(AsMetric) +
		(Size) hdr.nevents * sizeof(AsEvent) +
		(Size) (hdr.nbuckets - keep_b) * sizeof(AsUsageBucket);
	for (uint32 i = 0; i < keep_b; i++, p += sizeof(AsUsageBucket))
		memcpy(&as_buckets[i], p, sizeof(AsUsageBucket));
	as_shared->buckets_pos = keep_b;

	as_shared->policy = hdr.policy;
	as_shared->last = hdr.last;
	memcpy(as_shared->alarms, hdr.alarms, sizeof(hdr.alarms));
	as_shared->last_scaling_at = hdr.last_scaling_at;
	pfree(buf);
	/* an older format: written in this one soon */
	if (from_older)
		as_shared->flush_requested = true;

	if (strcmp(hdr.instance_name, as_instance_name()) != 0 ||
		hdr.pg_major != PG_VERSION_NUM / 100)
	{
		/* a history taken over: written under this name soon */
		as_shared->flush_requested = true;
		ereport(LOG,
				(errmsg("aurora_serverless: loaded state file \"%s\": capacity %g ACU, %u samples, %u events, %u hours of accounting",
						AS_STATE_FILE, hdr.policy.capacity, keep_m, keep_e, keep_b),
				 errdetail("The file was written by instance \"%s\" on PostgreSQL %u; this server (\"%s\", PostgreSQL %d), which starts as a primary, takes its history over.",
						   hdr.instance_name, hdr.pg_major / 100, as_instance_name(),
						   PG_VERSION_NUM / 10000)));
	}
	else
		ereport(LOG,
				(errmsg("aurora_serverless: loaded state file \"%s\": capacity %g ACU, %u samples, %u events, %u hours of accounting",
						AS_STATE_FILE, hdr.policy.capacity, keep_m, keep_e, keep_b)));
}

/* Consecutive failed writes; only the first of a run is logged. */
static int	as_file_failures = 0;

/* The detail of a failure that starts a run of them. */
#define AS_FAILURE_DETAIL \
	(as_file_failures == 0 ? \
	 errdetail("Later failures are counted in aurora_serverless.worker_stats and logged again once a write succeeds.") : 0)

/*
 * Write the state file once; failures are reported at elevel and as false.
 * Copies the state under a shared lock into a buffer allocated once, then
 * writes outside the lock.
 */
static bool
as_state_file_write_once(int elevel)
{
	AsFileHeader hdr;
	Size		len;
	pg_crc32c	crc;
	int			fd;
	char	   *metrics_dst;
	char	   *events_dst;
	char	   *buckets_dst;

	if (as_file_buffer == NULL)
	{
		as_file_buffer_size = as_file_max_size();
		as_file_buffer = MemoryContextAllocExtended(TopMemoryContext,
													as_file_buffer_size,
													MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
		if (as_file_buffer == NULL)
		{
			ereport(elevel,
					(errmsg("aurora_serverless: out of memory for the state file buffer"),
					 AS_FAILURE_DETAIL));
			return false;
		}
	}

	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = AS_FILE_MAGIC;
	hdr.format = AS_FILE_FORMAT;
	hdr.pg_major = PG_VERSION_NUM / 100;
	hdr.header_size = sizeof(AsFileHeader);
	strlcpy(hdr.instance_name, as_instance_name(), sizeof(hdr.instance_name));
	hdr.metric_size = sizeof(AsMetric);
	hdr.event_size = sizeof(AsEvent);
	hdr.bucket_size = sizeof(AsUsageBucket);

	metrics_dst = as_file_buffer + sizeof(AsFileHeader);
	LWLockAcquire(as_shared->lock, LW_SHARED);
	hdr.nmetrics = as_ring_copy(metrics_dst, as_metrics,
								sizeof(AsMetric), as_shared->metrics_pos,
								as_shared->metrics_size);
	events_dst = metrics_dst + (Size) hdr.nmetrics * sizeof(AsMetric);
	hdr.nevents = as_ring_copy(events_dst, as_events,
							   sizeof(AsEvent), as_shared->events_pos,
							   as_shared->events_size);
	buckets_dst = events_dst + (Size) hdr.nevents * sizeof(AsEvent);
	hdr.nbuckets = as_ring_copy(buckets_dst, as_buckets,
								sizeof(AsUsageBucket), as_shared->buckets_pos,
								as_shared->buckets_size);
	hdr.policy = as_shared->policy;
	hdr.last = as_shared->last;
	memcpy(hdr.alarms, as_shared->alarms, sizeof(hdr.alarms));
	hdr.last_scaling_at = as_shared->last_scaling_at;
	as_shared->flush_requested = false;
	LWLockRelease(as_shared->lock);

	hdr.written_at = GetCurrentTimestamp();
	memcpy(as_file_buffer, &hdr, sizeof(hdr));
	len = sizeof(AsFileHeader) + (Size) hdr.nmetrics * sizeof(AsMetric) +
		(Size) hdr.nevents * sizeof(AsEvent) +
		(Size) hdr.nbuckets * sizeof(AsUsageBucket);
	INIT_CRC32C(crc);
	COMP_CRC32C(crc, as_file_buffer, len);
	FIN_CRC32C(crc);
	memcpy(as_file_buffer + len, &crc, sizeof(crc));
	len += sizeof(crc);

	fd = OpenTransientFile(AS_STATE_FILE_TMP, O_WRONLY | O_CREAT | O_TRUNC | PG_BINARY);
	if (fd < 0)
	{
		ereport(elevel,
				(errcode_for_file_access(),
				 errmsg("aurora_serverless: could not create file \"%s\": %m",
						AS_STATE_FILE_TMP), AS_FAILURE_DETAIL));
		return false;
	}
	errno = 0;
	if (write(fd, as_file_buffer, len) != (ssize_t) len)
	{
		if (errno == 0)
			errno = ENOSPC;
		ereport(elevel,
				(errcode_for_file_access(),
				 errmsg("aurora_serverless: could not write file \"%s\": %m",
						AS_STATE_FILE_TMP), AS_FAILURE_DETAIL));
		CloseTransientFile(fd);
		unlink(AS_STATE_FILE_TMP);
		return false;
	}
	if (pg_fsync(fd) != 0)
	{
		ereport(elevel,
				(errcode_for_file_access(),
				 errmsg("aurora_serverless: could not fsync file \"%s\": %m",
						AS_STATE_FILE_TMP), AS_FAILURE_DETAIL));
		CloseTransientFile(fd);
		unlink(AS_STATE_FILE_TMP);
		return false;
	}
	if (CloseTransientFile(fd) != 0)
	{
		ereport(elevel,
				(errcode_for_file_access(),
				 errmsg("aurora_serverless: could not close file \"%s\": %m",
						AS_STATE_FILE_TMP), AS_FAILURE_DETAIL));
		unlink(AS_STATE_FILE_TMP);
		return false;
	}
	return durable_rename(AS_STATE_FILE_TMP, AS_STATE_FILE, elevel) == 0;
}

/*
 * Write the state file.  Called by the worker.  A failure (a full disk, say)
 * leaves the previous file in place and returns false; the next write tries
 * again.  The first failure of a run is logged, later ones only counted
 * (worker_stats.state_file_failures), and the first success after them is
 * logged, so a disk that stays full costs one line, not one per flush.
 */
bool
as_state_file_write(void)
{
	bool		ok = as_state_file_write_once(as_file_failures == 0 ? LOG : DEBUG1);

	if (!ok)
	{
		as_file_failures++;
		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		as_shared->stats.state_file_failures++;
		LWLockRelease(as_shared->lock);
	}
	else if (as_file_failures > 0)
	{
		ereport(LOG,
				(errmsg("aurora_serverless: wrote state file \"%s\" again after %d failed %s",
						AS_STATE_FILE, as_file_failures,
						as_file_failures == 1 ? "attempt" : "attempts")));
		as_file_failures = 0;
	}
	return ok;
}
