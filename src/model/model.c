/*-------------------------------------------------------------------------
 *
 * model.c
 *		Aurora Serverless's documented numbers, as pure functions.
 *
 * Sources are Amazon's Aurora user guide unless a comment says otherwise.
 * This file must not know a clock, shared memory, settings or SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "model.h"

/* Aurora Serverless v1 capacities for Aurora PostgreSQL. */
const double as_v1_capacities[AS_V1_NCAPACITIES] = {
	2, 4, 8, 16, 32, 64, 192, 384
};

/*
 * DBInstanceClassMemory at a given capacity.  Aurora does not publish it; it
 * reserves memory for its own components.  A line of 1922 MiB per ACU less
 * 203 MiB is the simplest model that reproduces every max_connections value
 * AWS documents for Serverless v2 (1 ACU: 189, 4: 823, 8: 1669, 16: 3360,
 * 32 and more: 5000).
 */
#define AS_MEMORY_PER_ACU_BYTES		(1922.0 * 1048576.0)
#define AS_MEMORY_RESERVED_BYTES	(203.0 * 1048576.0)

/*
 * The buffer pool Aurora PostgreSQL gives a Serverless v2 instance, which it
 * resizes with the capacity, as measured on Aurora PostgreSQL 15.5
 * (keisuke.dev, 2024): 384 MiB at 1 ACU, about 4.7-5.5 GiB at 4 (5.1 here),
 * 11 GiB at 8, 14 GiB at 10.5, 17 GiB at 12.5; and the 128 MiB (16384 pages)
 * seen at 0.5 ACU.  Between two measurements the pool is interpolated on a
 * line; above the last it grows by 1.4 GiB per ACU (70% of an ACU's 2 GiB,
 * near the last measured segments' 1.2 to 1.5).
 */
static const double as_pool_acu[] = {0.5, 1, 4, 8, 10.5, 12.5};
static const double as_pool_gib[] = {0.125, 0.375, 5.1, 11, 14, 17};
#define AS_POOL_POINTS		lengthof(as_pool_acu)
#define AS_POOL_GIB_PER_ACU_ABOVE	1.4

const char *
as_engine_mode_name(AsEngineMode mode)
{
	return mode == AS_ENGINE_V1 ? "v1" : "v2";
}

/*
 * AWS's DBCluster.EngineMode: Serverless v2 instances belong to a
 * "provisioned" cluster; v1 was its own "serverless" mode.
 */
const char *
as_aws_engine_mode_name(AsEngineMode mode)
{
	return mode == AS_ENGINE_V1 ? "serverless" : "provisioned";
}

/* "v2" or "v1" into *mode; false for anything else. */
bool
as_parse_engine_mode(const char *name, AsEngineMode *mode)
{
	if (strcmp(name, "v2") == 0)
		*mode = AS_ENGINE_V2;
	else if (strcmp(name, "v1") == 0)
		*mode = AS_ENGINE_V1;
	else
		return false;
	return true;
}

/* Smallest multiple of 0.5 at or above acu (a tiny tolerance absorbs
 * floating-point noise such as 2.0000000001). */
double
as_round_up_step(double acu)
{
	if (acu <= 0)
		return 0;
	return ceil(acu / AS_CAPACITY_STEP - 1e-9) * AS_CAPACITY_STEP;
}

/* Largest multiple of 0.5 at or below acu. */
double
as_round_down_step(double acu)
{
	if (acu <= 0)
		return 0;
	return floor(acu / AS_CAPACITY_STEP + 1e-9) * AS_CAPACITY_STEP;
}

bool
as_is_step_multiple(double acu)
{
	double		steps;

	if (!isfinite(acu))
		return false;
	steps = acu / AS_CAPACITY_STEP;
	return steps == floor(steps);
}

double
as_instance_class_memory(double acu)
{
	double		bytes = acu * AS_MEMORY_PER_ACU_BYTES - AS_MEMORY_RESERVED_BYTES;

	return bytes > 0 ? bytes : 0;
}

/*
 * LEAST(DBInstanceClassMemory / 9531392, 5000) evaluated at max_capacity, as
 * Serverless v2 does, and capped at 2000 when min_capacity is 0.5 or 0.
 */
int
as_max_connections_for(double max_capacity, double min_capacity)
{
	int			n = as_max_connections_at(max_capacity);

	if (min_capacity <= AS_V2_MIN_AWAKE && n > AS_MAX_CONNECTIONS_LOW_MIN_CAP)
		return AS_MAX_CONNECTIONS_LOW_MIN_CAP;
	return n;
}

/* LEAST(DBInstanceClassMemory / 9531392, 5000) for an instance of acu. */
int
as_max_connections_at(double acu)
{
	double		n = floor(as_instance_class_memory(acu) /
						  AS_MAX_CONNECTIONS_DIVISOR);

	return n < AS_MAX_CONNECTIONS_CAP ? (int) n : AS_MAX_CONNECTIONS_CAP;
}

/*
 * The limit that follows the capacity of the moment: about 180 connections
 * per ACU (90 at 0.5 ACU, 360 at 2, 1440 at 8, as seen on Serverless v2),
 * never more than the documented limit at max_capacity.
 */
int
as_max_connections_current(double capacity, double max_capacity,
						   double min_capacity)
{
	int			at_max = as_max_connections_for(max_capacity, min_capacity);
	double		n = floor(capacity * AS_CONNECTIONS_PER_CURRENT_ACU);

	return n < at_max ? (int) n : at_max;
}

/* Size of the buffer pool Aurora would give this capacity, in bytes. */
double
as_buffer_pool_bytes(double acu)
{
	double		gib;

	if (acu <= as_pool_acu[0])
		gib = as_pool_gib[0];
	else if (acu >= as_pool_acu[AS_POOL_POINTS - 1])
		gib = as_pool_gib[AS_POOL_POINTS - 1] +
			(acu - as_pool_acu[AS_POOL_POINTS - 1]) * AS_POOL_GIB_PER_ACU_ABOVE;
	else
	{
		int			i = 1;

		while (acu > as_pool_acu[i])
			i++;
		gib = as_pool_gib[i - 1] + (as_pool_gib[i] - as_pool_gib[i - 1]) *
			(acu - as_pool_acu[i - 1]) / (as_pool_acu[i] - as_pool_acu[i - 1]);
	}
	return gib * AS_BYTES_PER_GIB;
}

/* Position of a capacity in the v1 list, or -1. */
int
as_v1_index(double capacity)
{
	for (int i = 0; i < AS_V1_NCAPACITIES; i++)
		if (as_v1_capacities[i] == capacity)
			return i;
	return -1;
}

/* Smallest v1 capacity at or above acu; the largest one past the end. */
double
as_v1_round_up(double acu)
{
	for (int i = 0; i < AS_V1_NCAPACITIES; i++)
		if (as_v1_capacities[i] >= acu - 1e-9)
			return as_v1_capacities[i];
	return as_v1_capacities[AS_V1_NCAPACITIES - 1];
}

static bool
as_refuse(AsCheckResult *res, const char *message, const char *detail,
		  const char *hint)
{
	res->ok = false;
	snprintf(res->message, sizeof(res->message), "%s", message);
	snprintf(res->detail, sizeof(res->detail), "%s", detail);
	snprintf(res->hint, sizeof(res->hint), "%s", hint ? hint : "");
	return false;
}

/*
 * Check a min/max pair as AWS's ModifyDBCluster does for the engine mode.
 * v2: steps of 0.5, max in [1, 256], min 0 (auto-pause) or in [0.5, max].
 * v1: both from the v1 list, min <= max.
 */
bool
as_check_capacity_range(AsEngineMode mode, double min_capacity,
						double max_capacity, AsCheckResult *res)
{
	char		detail[256];

	res->ok = true;
	res->message[0] = res->detail[0] = res->hint[0] = '\0';

	if (!isfinite(min_capacity) || !isfinite(max_capacity))
		return as_refuse(res, "capacity must be a finite number",
						 "NaN and infinity are not capacities.",
						 "Give capacities in ACUs, such as 0.5 or 16.");

	if (mode == AS_ENGINE_V1)
	{
		const char *list = "Aurora Serverless v1 for PostgreSQL allows 2, 4, 8, 16, 32, 64, 192 and 384 ACUs.";

		if (as_v1_index(min_capacity) < 0)
		{
			snprintf(detail, sizeof(detail),
					 "min_capacity %g is not a v1 capacity.", min_capacity);
			return as_refuse(res, "invalid min_capacity for engine mode v1",
							 detail, list);
		}
		if (as_v1_index(max_capacity) < 0)
		{
			snprintf(detail, sizeof(detail),
					 "max_capacity %g is not a v1 capacity.", max_capacity);
			return as_refuse(res, "invalid max_capacity for engine mode v1",
							 detail, list);
		}
	}
	else
	{
		if (!as_is_step_multiple(min_capacity) ||
			!as_is_step_multiple(max_capacity))
		{
			snprintf(detail, sizeof(detail),
					 "Capacity moves in steps of 0.5 ACU; got min_capacity %g and max_capacity %g.",
					 min_capacity, max_capacity);
			return as_refuse(res, "capacity must be a multiple of 0.5 ACU",
							 detail, "Round to the nearest 0.5, such as 1.5 or 2.");
		}
		if (min_capacity == AS_V2_MIN_AWAKE && max_capacity == AS_V2_MIN_AWAKE)
			return as_refuse(res, "min_capacity and max_capacity cannot both be 0.5 ACU",
							 "Aurora Serverless v2 needs room to scale above 0.5 ACU.",
							 "Set max_capacity to 1 ACU or more.");
		if (max_capacity < AS_V2_MIN_MAX_CAPACITY ||
			max_capacity > AS_V2_MAX_CAPACITY)
		{
			snprintf(detail, sizeof(detail),
					 "max_capacity must be between 1 and 256 ACUs; got %g.",
					 max_capacity);
			return as_refuse(res, "max_capacity is out of range", detail, NULL);
		}
		if (min_capacity < 0 || min_capacity > AS_V2_MAX_CAPACITY)
		{
			snprintf(detail, sizeof(detail),
					 "min_capacity must be 0 (auto-pause) or between 0.5 and 256 ACUs; got %g.",
					 min_capacity);
			return as_refuse(res, "min_capacity is out of range", detail, NULL);
		}
	}

	if (min_capacity > max_capacity)
	{
		snprintf(detail, sizeof(detail),
				 "min_capacity %g is greater than max_capacity %g.",
				 min_capacity, max_capacity);
		return as_refuse(res, "min_capacity must not exceed max_capacity",
						 detail, NULL);
	}
	return true;
}
