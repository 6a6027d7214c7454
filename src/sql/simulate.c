/*-------------------------------------------------------------------------
 *
 * simulate.c
 *		simulate(samples jsonb, settings jsonb): run the policy the worker
 *		runs over synthetic samples and return the trajectory.
 *
 * samples is a JSON array of objects with any of "t" (seconds), "cpu" (busy
 * vCPUs), "memory_gib" (working set) and "connections"; a missing "t" is the
 * previous one plus sample_interval.  "min_capacity" and "max_capacity" in a
 * sample change the range from that sample on, as modify_capacity() does;
 * "blocked" says that no scaling point exists at that sample (v1), and
 * "requested_capacity" models a modify_current_capacity() call (v1);
 * "awake_connections" (default: connections) keep it from pausing, "arrivals"
 * (default: the rise in awake_connections) resume it, "rejected" counts
 * refused connections, and "pause" / "resume" model those calls;
 * "writer_capacity" makes the sample one of a reader in promotion tier 0 or
 * 1 whose writer runs at that capacity (0: is paused), "reader" one of any
 * reader (a reader resumes later), and "logical_replication" says that
 * logical replication is enabled and keeps the instance (a writer or a
 * reader in tier 0 or 1) from auto-pausing.  settings is
 * a JSON object whose keys are setting names without the prefix; a missing key
 * takes the value in force now, or its default where the library is not
 * preloaded (simulate() needs no worker).  No clock is read: the same input
 * gives the same output.
 *
 * This file must not know the sampler or the worker.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "guc.h"
#include "policy.h"
#include "sqlutil.h"
#include "state.h"

PG_FUNCTION_INFO_V1(as_simulate);

/* Most samples one call accepts. */
#define AS_SIMULATE_MAX_SAMPLES		10000000

/* Settings of a simulation beyond the policy's own. */
typedef struct AsSimOptions
{
	double		sample_interval;	/* s between samples without "t" */
	double		start_capacity; /* NaN: the floor */
} AsSimOptions;

static char *
as_key_name(const JsonbValue *k)
{
	return pnstrdup(k->val.string.val, k->val.string.len);
}

/* A JSON number as a finite double within [lo, hi], or an error. */
static double
as_json_number(const JsonbValue *v, const char *what, const char *key,
			   double lo, double hi)
{
	char	   *shown;
	double		d;

	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" must be a number", what, key)));
	shown = DatumGetCString(DirectFunctionCall1(numeric_out,
												NumericGetDatum(v->val.numeric)));
	d = strtod(shown, NULL);
	if (strlen(shown) > 24)
		strcpy(shown + 20, "...");
	if (!isfinite(d) || d < lo || d > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is out of range: %s", what, key, shown),
				 errdetail("It must be between %g and %g.", lo, hi)));
	return d;
}

/* A delay in seconds within [0, hi], or -1 for the profile's. */
static double
as_json_delay(const JsonbValue *v, const char *key, double hi)
{
	double		d = as_json_number(v, "setting", key, -1, hi);

	if (d < 0 && d != AS_BY_PROFILE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("setting \"%s\" is out of range: %g", key, d),
				 errdetail("It must be -1 (the scaling_lag profile's) or between 0 and %g.",
						   hi)));
	return d;
}

static AsTimeoutAction
as_json_timeout_action(const JsonbValue *v)
{
	char	   *name;

	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("setting \"timeout_action\" must be a string")));
	name = pnstrdup(v->val.string.val, v->val.string.len);
	return as_timeout_action_or_error(name);
}

/* AWS's ServerlessV2PlatformVersion: a string, "1" to "4", or a number. */
static int
as_json_platform_version(const JsonbValue *v)
{
	char	   *name;
	int			version = 0;

	if (v->type == jbvNumeric)
	{
		double		d = as_json_number(v, "setting", "platform_version",
									   AS_MIN_PLATFORM_VERSION,
									   AS_MAX_PLATFORM_VERSION);

		if (d == floor(d))
			return (int) d;
	}
	else if (v->type == jbvString)
	{
		name = pnstrdup(v->val.string.val, Min(v->val.string.len, 64));
		if (strlen(name) == 1 && name[0] >= '0' + AS_MIN_PLATFORM_VERSION &&
			name[0] <= '0' + AS_MAX_PLATFORM_VERSION)
			version = name[0] - '0';
		if (version == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid platform_version \"%s\"", name),
					 errhint("AWS's Serverless v2 platform versions are \"1\", \"2\", \"3\" and \"4\".")));
		return version;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("setting \"platform_version\" must be a whole number from %d to %d, or a string such as \"%d\"",
					AS_MIN_PLATFORM_VERSION, AS_MAX_PLATFORM_VERSION,
					AS_MAX_PLATFORM_VERSION)));
	return 0;					/* keep the compiler quiet */
}

static void
as_parse_settings(Jsonb *jb, AsPolicySettings *s, AsSimOptions *opt)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("settings must be a JSON object"),
				 errhint("Pass settings such as '{\"min_capacity\": 1, \"max_capacity\": 8}'.")));

	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = as_key_name(&v);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;

		if (strcmp(key, "engine_mode") == 0)
		{
			char	   *mode;

			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("setting \"engine_mode\" must be a string")));
			mode = pnstrdup(v.val.string.val, v.val.string.len);
			s->engine_mode = as_engine_mode_or_error(mode);
		}
		else if (strcmp(key, "min_capacity") == 0)
			s->min_capacity = as_json_number(&v, "setting", key, 0, 384);
		else if (strcmp(key, "max_capacity") == 0)
			s->max_capacity = as_json_number(&v, "setting", key, 0, 384);
		else if (strcmp(key, "vcpus_per_acu") == 0)
			s->vcpus_per_acu = as_json_number(&v, "setting", key, 0.01, 64);
		else if (strcmp(key, "target_cpu_utilization") == 0)
			s->target_cpu_utilization = as_json_number(&v, "setting", key, 1, 100);
		else if (strcmp(key, "memory_headroom") == 0)
			s->memory_headroom = as_json_number(&v, "setting", key, 0, 1000);
		else if (strcmp(key, "scale_up_delay") == 0)
			s->scale_up_delay = as_json_number(&v, "setting", key, 0, 3600);
		else if (strcmp(key, "scale_down_delay") == 0)
			s->scale_down_delay = as_json_delay(&v, key, 86400);
		else if (strcmp(key, "scale_down_interval") == 0)
			s->scale_down_interval = as_json_number(&v, "setting", key, 0, 3600);
		else if (strcmp(key, "seconds_before_timeout") == 0)
			s->seconds_before_timeout = as_json_number(&v, "setting", key, 1, 600);
		else if (strcmp(key, "timeout_action") == 0)
			s->timeout_action = as_json_timeout_action(&v);
		else if (strcmp(key, "v1_cooldown_after_scale_up") == 0)
			s->v1_cooldown_after_scale_up = as_json_number(&v, "setting", key, 0, 86400);
		else if (strcmp(key, "v1_cooldown_after_scale_down") == 0)
			s->v1_cooldown_after_scale_down = as_json_number(&v, "setting", key, 0, 86400);
		else if (strcmp(key, "auto_pause") == 0)
		{
			if (v.type != jbvBool)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("setting \"auto_pause\" must be true or false")));
			s->v1_auto_pause = v.val.boolean;
		}
		else if (strcmp(key, "seconds_until_auto_pause") == 0)
			s->seconds_until_auto_pause = as_json_number(&v, "setting", key, 1, 86400);
		else if (strcmp(key, "resume_capacity") == 0)
		{
			s->resume_capacity = as_json_number(&v, "setting", key, 0.5, 256);
			if (!as_is_step_multiple(s->resume_capacity))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("setting \"resume_capacity\" must be a multiple of 0.5 ACU")));
		}
		else if (strcmp(key, "resume_delay") == 0)
			s->resume_delay = as_json_delay(&v, key, 60);
		else if (strcmp(key, "seconds_awake_after_wakeup") == 0)
			s->awake_after_wakeup = as_json_number(&v, "setting", key, 0, 86400);
		else if (strcmp(key, "scaling_lag") == 0)
		{
			char	   *lag;

			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("setting \"scaling_lag\" must be a string")));
			lag = pnstrdup(v.val.string.val, Min(v.val.string.len, 64));
			if (strcmp(lag, "instant") == 0)
				s->scaling_lag = AS_LAG_INSTANT;
			else if (strcmp(lag, "aurora") == 0)
				s->scaling_lag = AS_LAG_AURORA;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid scaling_lag \"%s\"", lag),
						 errhint("Use \"instant\" or \"aurora\".")));
		}
		else if (strcmp(key, "platform_version") == 0)
			s->platform_version = as_json_platform_version(&v);
		else if (strcmp(key, "sample_interval") == 0)
			opt->sample_interval = as_json_number(&v, "setting", key, 0.001, 86400);
		else if (strcmp(key, "start_capacity") == 0)
			opt->start_capacity = as_json_number(&v, "setting", key, 0, 384);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown setting \"%s\"", key),
					 errhint("Known settings: engine_mode, min_capacity, max_capacity, vcpus_per_acu, target_cpu_utilization, memory_headroom, scale_up_delay, scale_down_delay, scale_down_interval, seconds_before_timeout, timeout_action, v1_cooldown_after_scale_up, v1_cooldown_after_scale_down, auto_pause, seconds_until_auto_pause, resume_capacity, resume_delay, seconds_awake_after_wakeup, scaling_lag, platform_version, sample_interval, start_capacity.")));
	}
	as_check_range_or_error(s->engine_mode, s->min_capacity, s->max_capacity);
}

/*
 * Read one sample object into x; t_given says whether "t" was present.  A
 * sample may also change min_capacity or max_capacity from then on, as
 * modify_capacity() would, in s.
 */
/* A whole number of connections, 0 .. 10 million. */
static int
as_json_whole(const JsonbValue *v, const char *what, const char *key)
{
	double		c = as_json_number(v, what, key, 0, 1e7);

	if (c != floor(c))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" must be a whole number", what, key)));
	return (int) c;
}

static bool
as_json_bool(const JsonbValue *v, const char *what, const char *key)
{
	if (v->type != jbvBool)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" must be true or false", what, key)));
	return v->val.boolean;
}

static void
as_parse_sample(JsonbContainer *obj, int index, AsSample *x, bool *t_given,
				AsPolicySettings *s)
{
	bool		range_changed = false;
	int			reader = -1;	/* "reader": -1 absent, 0 false, 1 true */
	JsonbIterator *it = JsonbIteratorInit(obj);
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	char		what[32];

	snprintf(what, sizeof(what), "sample %d field", index);
	*t_given = false;
	x->awake_connections = -1;	/* defaults set by the caller */
	x->arrivals = -1;
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = as_key_name(&v);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (strcmp(key, "t") == 0)
		{
			x->t = as_json_number(&v, what, key, -1e12, 1e12);
			*t_given = true;
		}
		else if (strcmp(key, "cpu") == 0)
			x->busy_vcpus = as_json_number(&v, what, key, 0, 1e6);
		else if (strcmp(key, "memory_gib") == 0)
			x->working_set_gib = as_json_number(&v, what, key, 0, 1e6);
		else if (strcmp(key, "connections") == 0)
			x->connections = as_json_whole(&v, what, key);
		else if (strcmp(key, "blocked") == 0)
			x->blocked = as_json_bool(&v, what, key);
		else if (strcmp(key, "pause") == 0)
			x->pause_requested = as_json_bool(&v, what, key);
		else if (strcmp(key, "resume") == 0)
			x->resume_requested = as_json_bool(&v, what, key);
		else if (strcmp(key, "rejected") == 0)
			x->rejected = as_json_whole(&v, what, key);
		else if (strcmp(key, "awake_connections") == 0)
			x->awake_connections = as_json_whole(&v, what, key);
		else if (strcmp(key, "arrivals") == 0)
			x->arrivals = as_json_whole(&v, what, key);
		else if (strcmp(key, "requested_capacity") == 0)
		{
			x->requested_capacity = as_json_number(&v, what, key, 1, 384);
			x->request_timeout = s->seconds_before_timeout;
			x->request_action = s->timeout_action;
		}
		else if (strcmp(key, "writer_capacity") == 0)
		{
			/* a reader in promotion tier 0 or 1; 0: its writer is paused */
			x->floor_capacity = as_json_number(&v, what, key, 0,
											   AS_V2_MAX_CAPACITY);
			x->group = x->floor_capacity > 0 ? AS_GROUP_AWAKE : AS_GROUP_PAUSED;
			x->reader = true;
		}
		else if (strcmp(key, "reader") == 0)
			reader = as_json_bool(&v, what, key);
		else if (strcmp(key, "logical_replication") == 0)
			x->logical_replication = as_json_bool(&v, what, key);
		else if (strcmp(key, "min_capacity") == 0)
		{
			s->min_capacity = as_json_number(&v, what, key, 0, 384);
			range_changed = true;
		}
		else if (strcmp(key, "max_capacity") == 0)
		{
			s->max_capacity = as_json_number(&v, what, key, 0, 384);
			range_changed = true;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown field \"%s\" in sample %d", key, index),
					 errhint("Sample fields are t, cpu, memory_gib, connections, awake_connections, arrivals, rejected, blocked, pause, resume, requested_capacity, writer_capacity, reader, logical_replication, min_capacity and max_capacity.")));
	}
	if (reader >= 0)
	{
		if (reader == 0 && x->group != AS_GROUP_NONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample %d has a writer_capacity but says it is not a reader",
							index),
					 errdetail("writer_capacity makes the sample one of a reader in promotion tier 0 or 1.")));
		x->reader = x->reader || reader == 1;
	}
	if (range_changed)
		as_check_range_or_error(s->engine_mode, s->min_capacity,
								s->max_capacity);
	if (x->pause_requested)
	{
		char		why[128];

		if (!as_pause_allowed(s, why, sizeof(why)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample %d asks for a pause that the range does not allow",
							index),
					 errdetail("%s", why)));
	}
	if (x->requested_capacity > 0 &&
		(s->engine_mode != AS_ENGINE_V1 || as_v1_index(x->requested_capacity) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sample %d requests capacity %g, which is not a v1 capacity",
						index, x->requested_capacity),
				 errhint("requested_capacity models modify_current_capacity() in engine mode v1.")));
}

#define AS_SIM_COLS 18

Datum
as_simulate(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *samples;
	AsPolicySettings s;
	AsPolicySettings check;
	AsSimOptions opt;
	AsPolicyState st;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			index = 0;
	int			prev_awake = 0;
	double		prev_t = NAN;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("samples must not be null")));
	samples = PG_GETARG_JSONB_P(0);
	if (!JB_ROOT_IS_ARRAY(samples) || JB_ROOT_IS_SCALAR(samples))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("samples must be a JSON array of objects"),
				 errhint("Pass samples such as '[{\"cpu\": 0.5}, {\"cpu\": 2, \"connections\": 40}]'.")));
	if (JB_ROOT_COUNT(samples) > AS_SIMULATE_MAX_SAMPLES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many samples: %d", (int) JB_ROOT_COUNT(samples)),
				 errdetail("simulate() accepts at most %d samples.",
						   AS_SIMULATE_MAX_SAMPLES)));

	/* a pure function: without the library preloaded, the defaults */
	if (as_is_attached())
	{
		LWLockAcquire(as_shared->lock, LW_SHARED);
		s = as_shared->settings;
		LWLockRelease(as_shared->lock);
	}
	else
		as_policy_default_settings(&s);
	opt.sample_interval = as_guc_sample_interval_ms / 1000.0;
	opt.start_capacity = NAN;
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("settings must not be null"),
				 errhint("Pass '{}' for the settings in force.")));
	as_parse_settings(PG_GETARG_JSONB_P(1), &s, &opt);

	/* check every sample before returning any row */
	check = s;
	it = JsonbIteratorInit(&samples->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		AsSample	x;
		bool		t_given;

		if (tok != WJB_ELEM)
			continue;
		index++;
		if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample %d must be a JSON object", index)));
		memset(&x, 0, sizeof(x));
		as_parse_sample(v.val.binary.data, index, &x, &t_given, &check);
		if (t_given && !isnan(prev_t) && x.t < prev_t)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample %d goes back in time", index),
					 errdetail("Its t is %g, the previous sample's is %g.",
							   x.t, prev_t)));
		prev_t = t_given ? x.t : (isnan(prev_t) ? 0 : prev_t + opt.sample_interval);
	}

	as_init_materialized_srf(fcinfo);
	as_policy_init(&s, &st, isnan(opt.start_capacity) ?
				   as_policy_floor(&s) : opt.start_capacity);

	index = 0;
	prev_t = NAN;
	it = JsonbIteratorInit(&samples->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		AsSample	x;
		AsPolicyOutput out;
		bool		t_given;
		Datum		values[AS_SIM_COLS];
		bool		nulls[AS_SIM_COLS];
		StringInfoData evs;
		int			i = 0;
		double		held;
		double		interval;

		if (tok != WJB_ELEM)
			continue;
		index++;
		memset(&x, 0, sizeof(x));
		as_parse_sample(v.val.binary.data, index, &x, &t_given, &s);
		/* by default every connection keeps it awake, and new ones arrive */
		if (x.awake_connections < 0)
			x.awake_connections = x.connections;
		if (x.arrivals < 0)
			x.arrivals = Max(x.awake_connections - prev_awake, 0);
		prev_awake = x.awake_connections;
		if (!t_given)
			x.t = isnan(prev_t) ? 0 : prev_t + opt.sample_interval;

		/* the capacity held since the previous sample, billed as AWS does */
		held = AS_STATE_IS_PAUSED(st.state) ? 0 : st.capacity;
		interval = isnan(prev_t) ? 0 : x.t - prev_t;
		prev_t = x.t;

		as_policy_step(&s, &st, &x, &out);

		memset(nulls, 0, sizeof(nulls));
		values[i++] = Int32GetDatum(index);
		values[i++] = as_numeric_datum(x.t, 3);
		values[i++] = as_numeric_datum(x.busy_vcpus, 3);
		values[i++] = as_numeric_datum(x.working_set_gib, 3);
		values[i++] = Int32GetDatum(x.connections);
		values[i++] = BoolGetDatum(x.blocked);
		values[i++] = as_numeric_datum(s.min_capacity, 1);
		values[i++] = as_numeric_datum(s.max_capacity, 1);
		values[i++] = as_numeric_datum(out.demand.cpu_goal, 3);
		values[i++] = as_numeric_datum(out.demand.memory_goal, 3);
		values[i++] = as_numeric_datum(out.demand.connections_goal, 3);
		values[i++] = as_numeric_datum(st.target, 1);
		values[i++] = as_numeric_datum(st.capacity, 1);
		values[i++] = CStringGetTextDatum(as_state_name(st.state));
		if (out.nevents > 0)
		{
			initStringInfo(&evs);
			for (int e = 0; e < out.nevents; e++)
				appendStringInfo(&evs, "%s%s", e ? "," : "",
								 as_event_kind_name(out.events[e].kind));
			values[i++] = CStringGetTextDatum(evs.data);
			values[i++] = CStringGetTextDatum(out.events[0].reason);
		}
		else
		{
			nulls[i++] = true;
			nulls[i++] = true;
		}
		values[i++] = as_numeric_datum(held, 1);
		values[i++] = as_numeric_datum(held * interval, 3);
		Assert(i == AS_SIM_COLS);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
