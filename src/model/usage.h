/*-------------------------------------------------------------------------
 *
 * usage.h
 *		Accounting as AWS bills: ACU-seconds, integrated interval by
 *		interval from the capacity held over each one.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_USAGE_H
#define AS_USAGE_H

/* What the instance held over one interval between two samples. */
typedef struct AsHeld
{
	double		capacity;		/* ACU held (0 while paused) */
	double		target;			/* ACU the demand asked for */
	double		max_capacity;	/* in force */
	bool		paused;
	double		interval_s;
} AsHeld;

/* Totals over any number of intervals. */
typedef struct AsUsage
{
	double		acu_seconds;
	double		seconds;
	double		seconds_paused;
	double		seconds_at_max;
	double		seconds_underprovisioned;	/* demand above capacity */
	double		peak_capacity;
	int64		samples;
} AsUsage;

extern void as_usage_add(AsUsage *u, const AsHeld *h);
extern void as_usage_add_scaled(AsUsage *u, const AsUsage *from, double share);

#endif							/* AS_USAGE_H */
