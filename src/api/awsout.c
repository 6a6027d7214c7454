/*-------------------------------------------------------------------------
 *
 * awsout.c
 *		The output of an AWS action, rendered in the request's protocol.
 *
 * An action writes its output once, as structures, lists and scalars
 * named as AWS's service model names them, and this renders it: in XML for
 * the Query protocol (a structure is an element, a list an element whose
 * members each take the list's member name, such as
 * <DBClusters><DBCluster>...), or in JSON for AWS JSON 1.0 (a structure is
 * an object, a list an array; timestamps are epoch seconds there, ISO 8601
 * in XML).  So an action serves both protocols without knowing either.
 *
 * Names are string literals of the caller's (kept, not copied).  Nesting
 * deeper than AS_OUT_MAX_DEPTH is a programming error, caught by an
 * assertion.
 *
 * Pure: no I/O, no ereport; it must not know HTTP, SQL or the actions.
 *
 *-------------------------------------------------------------------------
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include <math.h>

#include "awsjson.h"
#include "awsout.h"
#include "awsxml.h"
#include "form.h"

/*
 * The shortest decimal form that reads back as the same double (15
 * significant digits when they suffice, 17 otherwise).
 */
void
as_format_double(char *out, size_t size, double v)
{
	if (!isfinite(v))
	{
		strlcpy(out, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity", size);
		return;
	}
	snprintf(out, size, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, size, "%.17g", v);
}

void
as_out_init(AsOut *o, AsOutFormat format, StringInfo buf)
{
	memset(o, 0, sizeof(*o));
	o->format = format;
	o->buf = buf;
	o->depth = 0;
	o->level[0].first = true;
	if (format == AS_OUT_JSON)
		appendStringInfoChar(buf, '{');
}

void
as_out_finish(AsOut *o)
{
	Assert(o->depth == 0);
	if (o->format == AS_OUT_JSON)
		appendStringInfoChar(o->buf, '}');
}

/*
 * Open a value named name in the current level: the XML start tag (a list
 * member takes the list's member name), or the JSON key.
 */
static void
as_out_open(AsOut *o, const char *name)
{
	AsOutLevel *cur = &o->level[o->depth];

	if (o->format == AS_OUT_XML)
	{
		appendStringInfo(o->buf, "<%s>", cur->list ? cur->member : name);
		return;
	}
	if (!cur->first)
		appendStringInfoChar(o->buf, ',');
	cur->first = false;
	if (!cur->list)
	{
		as_json_escape(o->buf, name);
		appendStringInfoChar(o->buf, ':');
	}
}

static void
as_out_close(AsOut *o, const char *name)
{
	AsOutLevel *cur = &o->level[o->depth];

	if (o->format == AS_OUT_XML)
		appendStringInfo(o->buf, "</%s>", cur->list ? cur->member : name);
}

static void
as_out_push(AsOut *o, const char *name, const char *member, bool list)
{
	AsOutLevel *cur = &o->level[o->depth];
	AsOutLevel *next;

	Assert(o->depth + 1 < AS_OUT_MAX_DEPTH);
	as_out_open(o, name);
	next = &o->level[++o->depth];
	next->name = cur->list ? cur->member : name;
	next->member = member;
	next->list = list;
	next->first = true;
	if (o->format == AS_OUT_JSON)
		appendStringInfoChar(o->buf, list ? '[' : '{');
}

/* A structure; closed by as_out_end(). */
void
as_out_begin(AsOut *o, const char *name)
{
	as_out_push(o, name, NULL, false);
}

/* A list whose members are named member in XML; closed by as_out_end(). */
void
as_out_list_begin(AsOut *o, const char *name, const char *member)
{
	as_out_push(o, name, member, true);
}

void
as_out_end(AsOut *o)
{
	AsOutLevel *cur = &o->level[o->depth];

	Assert(o->depth > 0);
	if (o->format == AS_OUT_JSON)
		appendStringInfoChar(o->buf, cur->list ? ']' : '}');
	else
		appendStringInfo(o->buf, "</%s>", cur->name);
	o->depth--;
}

void
as_out_string(AsOut *o, const char *name, const char *value)
{
	as_out_open(o, name);
	if (o->format == AS_OUT_JSON)
		as_json_escape(o->buf, value);
	else
		as_xml_escape(o->buf, value);
	as_out_close(o, name);
}

/* A raw token: a number or a boolean, the same in both formats. */
static void
as_out_token(AsOut *o, const char *name, const char *token)
{
	as_out_open(o, name);
	appendStringInfoString(o->buf, token);
	as_out_close(o, name);
}

void
as_out_double(AsOut *o, const char *name, double value)
{
	char text[	64];

	if (o->format == AS_OUT_JSON && !isfinite(value))
	{
		/* JSON has no NaN: AWS JSON 1.0 writes these as strings */
		as_format_double(text, sizeof(text), value);
		as_out_string(o, name, text);
		return;
	}
	as_format_double(text, sizeof(text), value);
	as_out_token(o, name, text);
}

void
as_out_int(AsOut *o, const char *name, int64 value)
{
	char text[	32];

	snprintf(text, sizeof(text), INT64_FORMAT, value);
	as_out_token(o, name, text);
}

void
as_out_bool(AsOut *o, const char *name, bool value)
{
	as_out_token(o, name, value ? "true" : "false");
}

/* ISO 8601 with milliseconds in XML; epoch seconds in JSON. */
void
as_out_time(AsOut *o, const char *name, int64 unix_us)
{
	char text[	64];

	if (o->format == AS_OUT_JSON)
	{
		snprintf(text, sizeof(text), "%.3f", (double) unix_us / 1000000.0);
		/* whole seconds without a fraction, as the SDKs print them */
		if (unix_us % 1000000 == 0)
			snprintf(text, sizeof(text), INT64_FORMAT, unix_us / 1000000);
		as_out_token(o, name, text);
		return;
	}
	as_format_iso8601(unix_us, text);
	as_out_string(o, name, text);
}
