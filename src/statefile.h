/*-------------------------------------------------------------------------
 *
 * statefile.h
 *		The state file under the data directory: write atomically with a
 *		checksum, read back at start.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_STATEFILE_H
#define AS_STATEFILE_H

#define AS_STATE_FILE		"aurora_serverless.state"
#define AS_STATE_FILE_TMP	"aurora_serverless.state.tmp"

extern void as_state_file_load(void);
extern bool as_state_file_write(void);

#endif							/* AS_STATEFILE_H */
