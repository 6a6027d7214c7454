/*-------------------------------------------------------------------------
 *
 * model.h
 *		Aurora Serverless's documented numbers, as pure functions.
 *
 * What an ACU is worth in memory, connections and buffer pool, which
 * capacities each engine mode allows, and which min/max pairs AWS accepts.
 * Nothing here knows a clock, shared memory, settings or SQL: callers pass
 * every input, so the same answers serve the worker, the SQL functions and
 * the simulations.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_MODEL_H
#define AS_MODEL_H

/* 1 ACU is 2 GiB of memory. */
#define AS_GIB_PER_ACU			2.0
#define AS_BYTES_PER_GIB		1073741824.0

/* v2 limits and step. */
#define AS_V2_MAX_CAPACITY		256.0
#define AS_V2_MIN_MAX_CAPACITY	1.0
#define AS_V2_MIN_AWAKE			0.5
#define AS_CAPACITY_STEP		0.5

/* Aurora PostgreSQL's max_connections: LEAST(memory / 9531392, 5000). */
#define AS_MAX_CONNECTIONS_DIVISOR	9531392.0
#define AS_MAX_CONNECTIONS_CAP		5000
#define AS_MAX_CONNECTIONS_LOW_MIN_CAP	2000

/* Connections seen in practice per ACU of current capacity. */
#define AS_CONNECTIONS_PER_CURRENT_ACU	180.0

/* v1 capacities for Aurora PostgreSQL. */
#define AS_V1_NCAPACITIES		8
extern const double as_v1_capacities[AS_V1_NCAPACITIES];

typedef enum AsEngineMode
{
	AS_ENGINE_V2 = 0,
	AS_ENGINE_V1 = 1
} AsEngineMode;

typedef enum AsConnectionsBasis
{
	AS_BASIS_MAX_CAPACITY = 0,
	AS_BASIS_CURRENT_CAPACITY = 1
} AsConnectionsBasis;

/* Why a min/max pair or a capacity was refused, in PostgreSQL's words. */
typedef struct AsCheckResult
{
	bool		ok;
	char		message[128];	/* lower case, no period */
	char		detail[256];	/* full sentence */
	char		hint[256];		/* full sentence, may be empty */
} AsCheckResult;

extern const char *as_engine_mode_name(AsEngineMode mode);
extern const char *as_aws_engine_mode_name(AsEngineMode mode);
extern bool as_parse_engine_mode(const char *name, AsEngineMode *mode);

extern double as_round_up_step(double acu);
extern double as_round_down_step(double acu);
extern bool as_is_step_multiple(double acu);

extern double as_instance_class_memory(double acu);
extern int	as_max_connections_for(double max_capacity, double min_capacity);
extern int	as_max_connections_current(double capacity, double max_capacity,
									   double min_capacity);
extern int	as_max_connections_at(double acu);
extern double as_buffer_pool_bytes(double acu);

extern int	as_v1_index(double capacity);
extern double as_v1_round_up(double acu);

extern bool as_check_capacity_range(AsEngineMode mode, double min_capacity,
									double max_capacity, AsCheckResult *res);

#endif							/* AS_MODEL_H */
