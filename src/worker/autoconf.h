/*-------------------------------------------------------------------------
 *
 * autoconf.h
 *		The scaling range written to postgresql.auto.conf after commit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AUTOCONF_H
#define AS_AUTOCONF_H

extern void as_autoconf_post(double min_capacity, double max_capacity,
							 int seconds_until_auto_pause);
extern bool as_autoconf_write_pending(void);

#endif							/* AS_AUTOCONF_H */
