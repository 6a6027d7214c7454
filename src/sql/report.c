/*-------------------------------------------------------------------------
 *
 * report.c
 *		Pictures of the recorded samples: chart(), a text chart that fits a
 *		terminal, and report(), one self-contained HTML page with an inline
 *		SVG of capacity, connections and CPU on one time axis.
 *
 * report() draws three panels over one time axis: capacity (the capacity
 * held, the target, min and max, paused spans shaded, scaling events and
 * refusals marked), connections with the derived max_connections, and CPU
 * utilization with the CPU limit; the window's usage and cost head the page.
 * The page fetches nothing: no script, no font, no image.
 *
 * This file must not know the sampler, the policy's rules or the worker.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "guc.h"
#include "sqlutil.h"
#include "text.h"
#include "state.h"
#include "statistics.h"
#include "usage.h"

PG_FUNCTION_INFO_V1(as_chart);
PG_FUNCTION_INFO_V1(as_report);

/* Rows of a text chart, each of eight levels. */
#define AS_CHART_ROWS		8

/* The samples and events of a window, copied out under one lock. */
typedef struct AsWindow
{
	AsMetric   *metrics;
	int			nmetrics;
	AsEvent    *events;
	int			nevents;
	AsPolicySettings settings;
} AsWindow;

static void
as_load_window(AsWindow *w, TimestampTz since, TimestampTz until)
{
	void	   *m;
	void	   *e;
	int			nm;
	int			ne;
	int			k = 0;

	as_require_loaded();
	LWLockAcquire(as_shared->lock, LW_SHARED);
	nm = as_ring_copy_palloc(&m, as_metrics, sizeof(AsMetric),
							 as_shared->metrics_pos, as_shared->metrics_size);
	ne = as_ring_copy_palloc(&e, as_events, sizeof(AsEvent),
							 as_shared->events_pos, as_shared->events_size);
	w->settings = as_shared->settings;
	LWLockRelease(as_shared->lock);

	w->metrics = (AsMetric *) m;
	for (int i = 0; i < nm; i++)
		if (w->metrics[i].sample_time >= since && w->metrics[i].sample_time <= until)
			w->metrics[k++] = w->metrics[i];
	w->nmetrics = k;
	w->events = (AsEvent *) e;
	k = 0;
	for (int i = 0; i < ne; i++)
		if (w->events[i].event_time >= since && w->events[i].event_time <= until)
			w->events[k++] = w->events[i];
	w->nevents = k;
}

static void
as_window_args(FunctionCallInfo fcinfo, int first, TimestampTz *since,
			   TimestampTz *until)
{
	if (PG_ARGISNULL(first) || PG_ARGISNULL(first + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("since and until must not be null")));
	*since = PG_GETARG_TIMESTAMPTZ(first);
	*until = PG_GETARG_TIMESTAMPTZ(first + 1);
	if (*since > *until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since must not be after until")));
}

/* "HH:MI:SS" of a timestamp, in the session's time zone. */
static char *
as_clock(TimestampTz t)
{
	char	   *full = pstrdup(timestamptz_to_str(t));
	char	   *colon = strchr(full, ':');

	/* timestamptz_to_str: "2026-11-23 10:01:02.5+00": keep HH:MI:SS */
	if (colon && colon - full >= 2)
		return pnstrdup(colon - 2, 8);
	return full;
}

/*
 * A value of the y axis in at most 6 characters: as it is when it fits
 * (8, 93.75, 1669), else with an SI prefix (12.3G for bytes of memory).
 */
static char *
as_axis_label(double v)
{
	static const char prefixes[] = "kMGTPE";
	char	   *s = psprintf("%.6g", v);

	if (strlen(s) <= 6)
		return s;
	for (int p = 0; p < (int) sizeof(prefixes) - 1; p++)
	{
		v /= 1000;
		if (fabs(v) < 999.5)
		{
			s = psprintf("%.3g%c", v, prefixes[p]);
			if (strlen(s) <= 6)
				return s;
		}
	}
	return pstrdup("big");
}

static void
as_put_line(ReturnSetInfo *rsinfo, const char *line)
{
	Datum		value = CStringGetTextDatum(line);
	bool		isnull = false;

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
}

/*
 * chart(metric text, since, until, width int) returns setof text: a bar chart
 * of a metric over the window, one column per slice of time (the slice's
 * largest value), in Unicode block characters (# where the database's
 * encoding is not UTF-8), with its axis, in width columns.  The characters
 * are written as UTF-8 escapes: src/ holds ASCII only.
 */
Datum
as_chart(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	/* U+2581 .. U+2588, lower one eighth block .. full block, in UTF-8 */
	static const char *const blocks[] = {
		" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;
	AsMetricId	id;
	TimestampTz since;
	TimestampTz until;
	int			width;
	int			plot;
	AsWindow	w;
	double	   *col;
	double		top = 0;
	StringInfoData line;

	as_require_loaded();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("metric and width must not be null")));
	if (!as_metric_by_name(text_to_cstring(PG_GETARG_TEXT_PP(0)), &id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown metric \"%s\"", as_clip(text_to_cstring(PG_GETARG_TEXT_PP(0)), 64)),
				 errdetail("Chart one of serverless_database_capacity, target_capacity, acu_utilization, cpu_utilization, database_connections, max_connections, busy_vcpus, working_set_gib, rejected_connections, freeable_memory, or a CloudWatch name: %s.",
						   as_metric_cloudwatch_names())));
	as_window_args(fcinfo, 1, &since, &until);
	width = PG_GETARG_INT32(3);
	if (width < 20 || width > 500)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("width must be between 20 and 500 columns"),
				 errdetail("Got %d.", width)));

	as_load_window(&w, since, until);
	as_init_materialized_scalar_srf(fcinfo);

	/* the y axis takes 8 columns: the value, a space, the axis */
	plot = width - 8;
	col = palloc(sizeof(double) * plot);
	for (int c = 0; c < plot; c++)
		col[c] = NAN;
	if (w.nmetrics > 0)
	{
		TimestampTz t0 = w.metrics[0].sample_time;
		TimestampTz t1 = w.metrics[w.nmetrics - 1].sample_time;
		double		span = Max((double) (t1 - t0), 1.0);

		for (int i = 0; i < w.nmetrics; i++)
		{
			int			c = (int) ((w.metrics[i].sample_time - t0) / span * (plot - 1));
			double		v = as_metric_value(&w.metrics[i], id);

			if (isnan(col[c]) || v > col[c])
				col[c] = v;
			top = Max(top, v);
		}
	}
	if (top <= 0)
		top = 1;

	initStringInfo(&line);
	appendStringInfo(&line, "%s (%s), %d samples, max %g",
					 as_metric_column_name(id), as_metric_unit(id), w.nmetrics,
					 round(top * 1000) / 1000);
	if (line.len > width)
		line.data[width] = '\0';
	as_put_line(rsinfo, line.data);

	for (int r = AS_CHART_ROWS - 1; r >= 0; r--)
	{
		resetStringInfo(&line);
		if (r == AS_CHART_ROWS - 1)
			appendStringInfo(&line, "%6s %s", as_axis_label(top),
							 utf8 ? "\xe2\x94\xa4" : "|");
		else if (r == 0)
			appendStringInfo(&line, "%6d %s", 0, utf8 ? "\xe2\x94\xa4" : "|");
		else
			appendStringInfo(&line, "%6s %s", "", utf8 ? "\xe2\x94\x82" : "|");
		for (int c = 0; c < plot; c++)
		{
			/* eighths of this row the column fills */
			double		eighths = isnan(col[c]) ? 0 :
			col[c] / top * AS_CHART_ROWS * 8 - r * 8;
			int			e = eighths <= 0 ? 0 : eighths >= 8 ? 8 : (int) ceil(eighths);

			if (!utf8)
				appendStringInfoChar(&line, e >= 4 ? '#' : ' ');
			else
				appendStringInfoString(&line, blocks[e]);
		}
		as_put_line(rsinfo, line.data);
	}

	resetStringInfo(&line);
	appendStringInfo(&line, "%6s %s", "", utf8 ? "\xe2\x94\x94" : "+");
	for (int c = 0; c < plot; c++)
		appendStringInfoString(&line, utf8 ? "\xe2\x94\x80" : "-");
	as_put_line(rsinfo, line.data);
	if (w.nmetrics > 0)
	{
		char	   *from = as_clock(w.metrics[0].sample_time);
		char	   *to = as_clock(w.metrics[w.nmetrics - 1].sample_time);
		int			room = plot - (int) strlen(from);

		/* the first and last times under the ends of the plot, if both fit */
		resetStringInfo(&line);
		appendStringInfo(&line, "%8s%s", "", from);
		if (room > (int) strlen(to))
			appendStringInfo(&line, "%*s", room, to);
		as_put_line(rsinfo, line.data);
	}
	return (Datum) 0;
}

/* --- report() ------------------------------------------------------------ */

#define AS_SVG_WIDTH	1200
#define AS_PANEL_HEIGHT	200
#define AS_PANEL_GAP	40
#define AS_MARGIN_LEFT	70
#define AS_MARGIN_RIGHT	20
#define AS_MARGIN_TOP	30

typedef struct AsAxis
{
	TimestampTz t0;
	TimestampTz t1;
	double		x0;				/* pixels */
	double		x1;
} AsAxis;

static double
as_x(const AsAxis *a, TimestampTz t)
{
	double		span = Max((double) (a->t1 - a->t0), 1.0);

	return a->x0 + (a->x1 - a->x0) * (double) (t - a->t0) / span;
}

static double
as_y(double v, double top, double panel_y)
{
	return panel_y + AS_PANEL_HEIGHT - AS_PANEL_HEIGHT * Min(v / top, 1.0);
}

/* One series as a polyline: one point per sample. */
static void
as_svg_series(StringInfo svg, const AsWindow *w, const AsAxis *a,
			  AsMetricId id, double top, double panel_y, const char *css_id,
			  const char *style)
{
	appendStringInfo(svg, "<polyline id=\"%s\" data-points=\"%d\" %s points=\"",
					 css_id, w->nmetrics, style);
	for (int i = 0; i < w->nmetrics; i++)
		appendStringInfo(svg, "%s%.1f,%.1f", i ? " " : "",
						 as_x(a, w->metrics[i].sample_time),
						 as_y(as_metric_value(&w->metrics[i], id), top, panel_y));
	appendStringInfoString(svg, "\"/>\n");
}

static void
as_svg_panel(StringInfo svg, const AsAxis *a, double panel_y, double top,
			 const char *title)
{
	appendStringInfo(svg,
					 "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\" fill=\"#fafafa\" stroke=\"#bbb\"/>\n"
					 "<text x=\"%.0f\" y=\"%.0f\" class=\"t\">%s</text>\n"
					 "<text x=\"%.0f\" y=\"%.0f\" class=\"a\" text-anchor=\"end\">%g</text>\n"
					 "<text x=\"%.0f\" y=\"%.0f\" class=\"a\" text-anchor=\"end\">0</text>\n",
					 a->x0, panel_y, a->x1 - a->x0, AS_PANEL_HEIGHT,
					 a->x0, panel_y - 8, title,
					 a->x0 - 6, panel_y + 10, round(top * 100) / 100,
					 a->x0 - 6, panel_y + AS_PANEL_HEIGHT);
}

static double
as_series_top(const AsWindow *w, const AsMetricId *ids, int nids, double floor)
{
	double		top = floor;

	for (int i = 0; i < w->nmetrics; i++)
		for (int k = 0; k < nids; k++)
			top = Max(top, as_metric_value(&w->metrics[i], ids[k]));
	return top;
}

/*
 * report(since, until) returns text: an HTML page to write to a file and
 * open, e.g. psql -XAtc "SELECT aurora_serverless.report()" > report.html
 */
Datum
as_report(PG_FUNCTION_ARGS)
{
	TimestampTz since;
	TimestampTz until;
	AsWindow	w;
	AsAxis		a;
	StringInfoData h;
	AsUsage		u;
	double		cap_top;
	double		conn_top;
	double		limit_top;
	const char *conn_title = "Connections and the derived max_connections";
	double		cpu_top = 100;
	double		panel[3];
	int			height;
	static const AsMetricId cap_ids[] = {AS_MID_CAPACITY, AS_MID_TARGET};
	static const AsMetricId conn_ids[] = {AS_MID_CONNECTIONS, AS_MID_MAX_CONNECTIONS};

	as_window_args(fcinfo, 0, &since, &until);
	as_load_window(&w, since, until);

	memset(&u, 0, sizeof(u));
	for (int i = 0; i < w.nmetrics; i++)
	{
		AsHeld		held;

		as_metric_held(&w.metrics[i], &held);
		as_usage_add(&u, &held);
	}

	a.t0 = w.nmetrics > 0 ? w.metrics[0].sample_time : since;
	a.t1 = w.nmetrics > 0 ? w.metrics[w.nmetrics - 1].sample_time : until;
	a.x0 = AS_MARGIN_LEFT;
	a.x1 = AS_SVG_WIDTH - AS_MARGIN_RIGHT;
	cap_top = as_series_top(&w, cap_ids, 2, 1);
	for (int i = 0; i < w.nmetrics; i++)
		cap_top = Max(cap_top, w.metrics[i].max_capacity);
	conn_top = as_series_top(&w, conn_ids, 1, 10);
	limit_top = as_series_top(&w, conn_ids + 1, 1, 0);

	/*
	 * A limit far above the connections (2000 at max_capacity for a handful
	 * of clients) would flatten them against the axis: the panel then scales
	 * to the connections and its title says where the limit is.
	 */
	if (limit_top <= 4 * conn_top)
		conn_top = Max(conn_top, limit_top);
	else
	{
		conn_top = ceil(conn_top * 1.25);
		conn_title = psprintf("Connections (the derived max_connections, up to %g, is above the scale)",
							  limit_top);
	}
	for (int k = 0; k < 3; k++)
		panel[k] = AS_MARGIN_TOP + k * (AS_PANEL_HEIGHT + AS_PANEL_GAP) + 20;
	height = (int) panel[2] + AS_PANEL_HEIGHT + 50;

	initStringInfo(&h);
	appendStringInfoString(&h,
						   "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
						   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
						   "<title>aurora_serverless report</title>\n"
						   "<style>body{font-family:sans-serif;margin:16px;color:#222}"
						   "table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}"
						   "th{text-align:left}.t{font-size:13px;font-weight:bold}.a{font-size:11px;fill:#555}"
						   "</style></head><body>\n");
	/* cluster_name is anybody's text: escaped, and no script runs anyway */
	appendStringInfoString(&h, "<h1>aurora_serverless: ");
	as_append_html(&h, as_cluster_identifier());
	appendStringInfoString(&h, "</h1>\n");
	appendStringInfo(&h, "<p>From %s to %s: %d samples, engine mode %s, range %g to %g ACU.</p>\n",
					 pstrdup(timestamptz_to_str(a.t0)), pstrdup(timestamptz_to_str(a.t1)),
					 w.nmetrics, as_engine_mode_name(w.settings.engine_mode),
					 w.settings.min_capacity, w.settings.max_capacity);
	appendStringInfo(&h,
					 "<table id=\"usage\"><tr><th>ACU-hours</th><td>%.6f</td></tr>"
					 "<tr><th>cost at $%g per ACU-hour</th><td>$%.6f</td></tr>"
					 "<tr><th>average capacity</th><td>%.3f ACU</td></tr>"
					 "<tr><th>peak capacity</th><td>%g ACU</td></tr>"
					 "<tr><th>seconds under-provisioned</th><td>%.0f</td></tr>"
					 "<tr><th>seconds paused</th><td>%.0f</td></tr></table>\n",
					 u.acu_seconds / 3600.0, as_guc_acu_hour_price,
					 u.acu_seconds / 3600.0 * as_guc_acu_hour_price,
					 u.seconds > 0 ? u.acu_seconds / u.seconds : 0,
					 u.peak_capacity, u.seconds_underprovisioned, u.seconds_paused);

	appendStringInfoString(&h, "<p>Blue: capacity held, connections, CPU used; orange dashed: "
						   "target capacity; grey: min and max capacity, the CPU limit; red dashed: "
						   "max_connections. Lines across a panel: green, scale-ups; brown, "
						   "scale-downs; red, refused connections; violet, pause and resume; "
						   "blue shading: paused.</p>\n");
	appendStringInfo(&h, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" data-samples=\"%d\">\n",
					 AS_SVG_WIDTH, height, AS_SVG_WIDTH, height, w.nmetrics);
	as_svg_panel(&h, &a, panel[0], cap_top, "Capacity (ACU): held, target, min and max; paused shaded");
	as_svg_panel(&h, &a, panel[1], conn_top, conn_title);
	as_svg_panel(&h, &a, panel[2], cpu_top, "CPU utilization (%) and the CPU limit");

	/* paused spans, shaded across the three panels */
	for (int i = 0; i < w.nmetrics; i++)
	{
		int			j = i;

		if (!AS_STATE_IS_PAUSED((AsInstanceState) w.metrics[i].state))
			continue;
		while (j + 1 < w.nmetrics &&
			   AS_STATE_IS_PAUSED((AsInstanceState) w.metrics[j + 1].state))
			j++;
		for (int k = 0; k < 3; k++)
			appendStringInfo(&h, "<rect class=\"paused\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" fill=\"#c8d8f0\" opacity=\"0.6\"/>\n",
							 as_x(&a, w.metrics[i].sample_time), panel[k],
							 Max(as_x(&a, w.metrics[j].sample_time) -
								 as_x(&a, w.metrics[i].sample_time), 2.0),
							 AS_PANEL_HEIGHT);
		i = j;
	}

	/* capacity panel */
	as_svg_series(&h, &w, &a, AS_MID_TARGET, cap_top, panel[0], "target",
				  "fill=\"none\" stroke=\"#e08020\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"");
	appendStringInfoString(&h, "<g id=\"range\" stroke=\"#888\" stroke-width=\"1\">\n");
	for (int i = 1; i < w.nmetrics; i++)
	{
		double		x0 = as_x(&a, w.metrics[i - 1].sample_time);
		double		x1 = as_x(&a, w.metrics[i].sample_time);

		if (i > 1 && w.metrics[i].min_capacity == w.metrics[i - 1].min_capacity &&
			w.metrics[i].max_capacity == w.metrics[i - 1].max_capacity &&
			i + 1 < w.nmetrics)
			continue;
		appendStringInfo(&h, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
						 "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
						 x0, x1, as_y(w.metrics[i].min_capacity, cap_top, panel[0]),
						 as_y(w.metrics[i].min_capacity, cap_top, panel[0]),
						 x0, x1, as_y(w.metrics[i].max_capacity, cap_top, panel[0]),
						 as_y(w.metrics[i].max_capacity, cap_top, panel[0]));
	}
	appendStringInfoString(&h, "</g>\n");
	as_svg_series(&h, &w, &a, AS_MID_CAPACITY, cap_top, panel[0], "capacity",
				  "fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"");

	/* scaling events and refusals */
	for (int i = 0; i < w.nevents; i++)
	{
		const AsPolicyEvent *ev = &w.events[i].ev;
		double		x = as_x(&a, w.events[i].event_time);
		const char *color;

		if (ev->kind == AS_EVENT_SCALE_UP)
			color = "#2a9d2a";

		else if (ev->kind == AS_EVENT_SCALE_DOWN)
			color = "#b05a00";

		else if (ev->kind == AS_EVENT_CONNECTION_REJECTED)
			color = "#d01010";

		else if (ev->kind == AS_EVENT_PAUSE || ev->kind == AS_EVENT_RESUME)
			color = "#5050a0";

		else
			continue;
		appendStringInfo(&h, "<line class=\"event %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"1\" opacity=\"0.7\"><title>%s %s</title></line>\n",
						 as_event_kind_name(ev->kind), x, x,
						 ev->kind == AS_EVENT_CONNECTION_REJECTED ? panel[1] : panel[0],
						 (ev->kind == AS_EVENT_CONNECTION_REJECTED ? panel[1] : panel[0]) +
						 AS_PANEL_HEIGHT, color, as_event_kind_name(ev->kind),
						 timestamptz_to_str(w.events[i].event_time));
	}

	/* connections panel */
	as_svg_series(&h, &w, &a, AS_MID_MAX_CONNECTIONS, conn_top, panel[1], "max_connections",
				  "fill=\"none\" stroke=\"#d01010\" stroke-width=\"1.5\" stroke-dasharray=\"6,3\"");
	as_svg_series(&h, &w, &a, AS_MID_CONNECTIONS, conn_top, panel[1], "connections",
				  "fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"");

	/*
	 * CPU panel: utilization of the CPU at max, and the limit as a share of
	 * it
	 */
	appendStringInfo(&h, "<polyline id=\"cpu_limit\" data-points=\"%d\" fill=\"none\" stroke=\"#888\" stroke-dasharray=\"4,3\" points=\"",
					 w.nmetrics);
	for (int i = 0; i < w.nmetrics; i++)
	{
		double		at_max = w.metrics[i].max_capacity * w.settings.vcpus_per_acu;
		double		limit = w.metrics[i].cpu_limit_vcpus > 0 && at_max > 0 ?
		100.0 * w.metrics[i].cpu_limit_vcpus / at_max : 100.0;

		appendStringInfo(&h, "%s%.1f,%.1f", i ? " " : "",
						 as_x(&a, w.metrics[i].sample_time),
						 as_y(limit, cpu_top, panel[2]));
	}
	appendStringInfoString(&h, "\"/>\n");
	as_svg_series(&h, &w, &a, AS_MID_CPU_UTILIZATION, cpu_top, panel[2], "cpu",
				  "fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"");

	/* the time axis */
	appendStringInfo(&h, "<text x=\"%.0f\" y=\"%.0f\" class=\"a\">%s</text>"
					 "<text x=\"%.0f\" y=\"%.0f\" class=\"a\" text-anchor=\"end\">%s</text>\n",
					 a.x0, panel[2] + AS_PANEL_HEIGHT + 16, as_clock(a.t0),
					 a.x1, panel[2] + AS_PANEL_HEIGHT + 16, as_clock(a.t1));
	appendStringInfoString(&h, "</svg>\n</body></html>\n");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(h.data, h.len));
}
