/*-------------------------------------------------------------------------
 *
 * cpulimit.h
 *		Enforcement of the CPU the current capacity buys, by the worker.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_CPULIMIT_H
#define AS_CPULIMIT_H

#include "datatype/timestamp.h"

extern int	as_machine_vcpus(void);
extern double as_cpulimit_throttled_vcpus(TimestampTz now,
										  int64 min_rate_window_us);
extern void as_cpulimit_apply(double capacity, bool paused,
							  double vcpus_per_acu, double max_capacity);
extern void as_cpulimit_lift(void);

#endif							/* AS_CPULIMIT_H */
