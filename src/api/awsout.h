/*-------------------------------------------------------------------------
 *
 * awsout.h
 *		The output of an AWS action, written once and rendered in the
 *		request's protocol: XML for the Query protocol, JSON for AWS JSON 1.0.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AWSOUT_H
#define AS_AWSOUT_H

#include "lib/stringinfo.h"

typedef enum AsOutFormat
{
	AS_OUT_XML,
	AS_OUT_JSON
} AsOutFormat;

#define AS_OUT_MAX_DEPTH 16

typedef struct AsOutLevel
{
	const char *name;			/* XML: the element to close */
	const char *member;			/* a list: the XML name of its members */
	bool		list;
	bool		first;			/* JSON: nothing written at this level yet */
} AsOutLevel;

typedef struct AsOut
{
	AsOutFormat format;
	StringInfo	buf;
	int			depth;
	AsOutLevel	level[AS_OUT_MAX_DEPTH];
} AsOut;

extern void as_out_init(AsOut *o, AsOutFormat format, StringInfo buf);
extern void as_out_finish(AsOut *o);
extern void as_out_begin(AsOut *o, const char *name);
extern void as_out_list_begin(AsOut *o, const char *name, const char *member);
extern void as_out_end(AsOut *o);
extern void as_out_string(AsOut *o, const char *name, const char *value);
extern void as_out_double(AsOut *o, const char *name, double value);
extern void as_out_int(AsOut *o, const char *name, int64 value);
extern void as_out_bool(AsOut *o, const char *name, bool value);
extern void as_out_time(AsOut *o, const char *name, int64 unix_us);

extern void as_format_double(char *out, size_t size, double v);

#endif							/* AS_AWSOUT_H */
