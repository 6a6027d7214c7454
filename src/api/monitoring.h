/*-------------------------------------------------------------------------
 *
 * monitoring.h
 *		The CloudWatch actions of the AWS API endpoint.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_MONITORING_H
#define AS_MONITORING_H

#include "request.h"

extern const AsApiService as_monitoring_service;

#endif							/* AS_MONITORING_H */
