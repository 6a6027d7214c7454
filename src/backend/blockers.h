/*-------------------------------------------------------------------------
 *
 * blockers.h
 *		Backend-side tracking of the constructs that block scaling or a
 *		pause, and the scan that finds them across the instance.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_BLOCKERS_H
#define AS_BLOCKERS_H

#include "datatype/timestamp.h"

#include "state.h"

/* One blocker found by a scan: a construct of one session. */
typedef struct AsBlocker
{
	int			pid;
	Oid			userid;
	Oid			datid;
	AsBlockerKind kind;
	TimestampTz since;
	char		detail[AS_BLOCKER_DETAIL_LEN];
	char		application_name[NAMEDATALEN];
} AsBlocker;

extern void as_blockers_install_hooks(void);

extern const char *as_blocker_kind_name(AsBlockerKind kind);
extern const char *as_blocker_hint(AsBlockerKind kind);
extern int	as_scan_blockers(AsBlocker *out, int max, TimestampTz now,
							 int long_query_s, int long_transaction_s);

extern int	as_scan_pause_blockers(AsBlocker *out, int max, TimestampTz now,
								   int skip_pid);
extern int	as_end_blocking_sessions(const AsBlocker *list, int n,
									 char *pids, size_t size);

/* What a session ended by ForceApplyCapacityChange tells its client. */
#define AS_SEAMLESS_SCALING_MESSAGE \
	"The last transaction was aborted due to Seamless Scaling. Please retry."

#endif							/* AS_BLOCKERS_H */
