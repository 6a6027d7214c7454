/*-------------------------------------------------------------------------
 *
 * worker.h
 *		The background worker that samples, runs the policy and keeps the
 *		state file.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_WORKER_H
#define AS_WORKER_H

#include "postmaster/bgworker.h"

#define AS_WORKER_TYPE "aurora_serverless worker"

extern void as_register_worker(void);
extern void as_wake_worker(void);
extern PGDLLEXPORT void as_worker_main(Datum main_arg);

#endif							/* AS_WORKER_H */
