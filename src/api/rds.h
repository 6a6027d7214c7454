/*-------------------------------------------------------------------------
 *
 * rds.h
 *		The RDS actions of the AWS API endpoint.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_RDS_H
#define AS_RDS_H

#include "request.h"

extern const AsApiService as_rds_service;

#endif							/* AS_RDS_H */
