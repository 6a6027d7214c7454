/*-------------------------------------------------------------------------
 *
 * apiworker.h
 *		The background worker that serves the AWS API endpoint.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_APIWORKER_H
#define AS_APIWORKER_H

#include "fmgr.h"

#define AS_API_WORKER_TYPE "aurora_serverless api"

extern void as_api_register_worker(void);
extern PGDLLEXPORT void as_api_worker_main(Datum main_arg);

#endif							/* AS_APIWORKER_H */
