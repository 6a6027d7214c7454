/*-------------------------------------------------------------------------
 *
 * sampler.h
 *		What the backends are doing now, read from what the server already
 *		keeps: PGPROC, the extension's backend slots, the buffer headers, and
 *		/proc for the CPU time and private memory of each process.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_SAMPLER_H
#define AS_SAMPLER_H

#include "datatype/timestamp.h"

typedef struct AsRawSample
{
	TimestampTz time;
	double		interval_s;		/* since the previous sample; 0 at first */
	double		busy_vcpus;		/* CPUs kept busy over the interval */
	double		working_set_gib;	/* shared buffers in use + private */
	double		shared_in_use_gib;
	double		private_gib;
	int			connections;	/* client backends */
	int			awake_connections;	/* those whose role is not ignored */
	int			sessions_on_cpu;	/* processes running, not waiting */
	int			procs_read;		/* /proc files read for this sample */
	bool		proc_available; /* CPU from /proc, or from sessions */
} AsRawSample;

extern void as_sampler_init(void);
extern void as_sampler_take(AsRawSample *out,
							bool (*ignored) (const char *rolname),
							int64 min_rate_window_us);

#endif							/* AS_SAMPLER_H */
