/*-------------------------------------------------------------------------
 *
 * usage.c
 *		Accounting as AWS bills: ACU-seconds, integrated interval by
 *		interval from the capacity held over each one (0 while paused).
 *
 * The worker, usage() and replay() all add intervals here, so a replay of
 * the recorded samples under the live settings adds up to what was
 * recorded.  This file must not know a clock, shared memory or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "usage.h"

void
as_usage_add(AsUsage *u, const AsHeld *h)
{
	double		held = h->paused ? 0 : h->capacity;

	u->samples++;
	u->seconds += h->interval_s;
	u->acu_seconds += held * h->interval_s;
	if (h->paused)
		u->seconds_paused += h->interval_s;
	else if (held >= h->max_capacity)
		u->seconds_at_max += h->interval_s;
	if (!h->paused && h->target > held)
		u->seconds_underprovisioned += h->interval_s;
	if (held > u->peak_capacity)
		u->peak_capacity = held;
}

/* Add a share (0..1) of other totals, as when part of an hour is asked for;
 * the peak is taken whole. */
void
as_usage_add_scaled(AsUsage *u, const AsUsage *from, double share)
{
	u->samples += (int64) (from->samples * share + 0.5);
	u->seconds += from->seconds * share;
	u->acu_seconds += from->acu_seconds * share;
	u->seconds_paused += from->seconds_paused * share;
	u->seconds_at_max += from->seconds_at_max * share;
	u->seconds_underprovisioned += from->seconds_underprovisioned * share;
	if (share > 0 && from->peak_capacity > u->peak_capacity)
		u->peak_capacity = from->peak_capacity;
}
