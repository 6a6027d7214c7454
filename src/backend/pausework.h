/*-------------------------------------------------------------------------
 *
 * pausework.h
 *		Work that is not a client's, and a pause: logical replication
 *		enabled, pg_cron jobs and autovacuum workers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_PAUSEWORK_H
#define AS_PAUSEWORK_H

#include "libpq/libpq-be.h"

/* pg_cron's application_name for its libpq connections, its worker type */
#define AS_PG_CRON_APPNAME		"pg_cron"
#define AS_PG_CRON_WORKER_TYPE	"pg_cron"

extern bool as_logical_replication_keeps_awake(bool in_recovery);
extern bool as_is_cron_connection(const Port *port);
extern void as_pausework_install_hooks(void);
extern int	as_pausework_cancel(bool paused, double capacity);

#endif							/* AS_PAUSEWORK_H */
