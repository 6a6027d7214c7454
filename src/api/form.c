/*-------------------------------------------------------------------------
 *
 * form.c
 *		The parameters of an AWS Query protocol request.
 *
 * A Query request's body (or query string) is application/x-www-form-
 * urlencoded: name=value pairs joined by '&', '+' for a space, %XX for any
 * byte.  Structures flatten into dotted names
 * (ServerlessV2ScalingConfiguration.MinCapacity=4.0) and lists into
 * numbered ones (Filters.Filter.1.Name, EventCategories.EventCategory.2),
 * numbered from 1.  Decoding keeps at most AS_FORM_MAX_PARAMS parameters,
 * refuses a name given twice, a NUL byte and text that is not UTF-8, so
 * that every value can become SQL text as it is.
 *
 * Also here: the typed reading of values (numbers, booleans, ISO 8601
 * timestamps) and the formatting of timestamps back, as the protocol
 * writes them.
 *
 * Pure: no I/O, no clock, no ereport; it must not know HTTP or SQL.
 *
 *-------------------------------------------------------------------------
 */
#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include <math.h>

#include "form.h"
#include "sigv4.h"

/*
 * The length of the well-formed UTF-8 sequence at s (at most len bytes),
 * or 0: overlong forms, surrogates and code points above U+10FFFF are not
 * well-formed.
 */
int
as_utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	int			n;
	uint32		cp;

	if (len == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
	{
		n = 2;
		cp = c & 0x1f;
	}
	else if (c >= 0xe0 && c <= 0xef)
	{
		n = 3;
		cp = c & 0x0f;
	}
	else if (c >= 0xf0 && c <= 0xf4)
	{
		n = 4;
		cp = c & 0x07;
	}
	else
		return 0;
	if ((size_t) n > len)
		return 0;
	for (int i = 1; i < n; i++)
	{
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		(cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static int
as_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one name or value of len bytes at s.  NULL (and message) on a
 * broken escape, a NUL byte, or text that is not UTF-8.
 */
static char *
as_form_unescape(const char *s, size_t len, const char *what,
				 char *message, size_t message_len)
{
	char	   *out = palloc(len + 1);
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%')
		{
			int			hi = i + 2 < len ? as_hex_value(s[i + 1]) : -1;
			int			lo = i + 2 < len ? as_hex_value(s[i + 2]) : -1;

			if (hi < 0 || lo < 0)
			{
				snprintf(message, message_len,
						 "The %s of a parameter holds a '%%' that is not followed by two hexadecimal digits.",
						 what);
				pfree(out);
				return NULL;
			}
			c = (char) (hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
		{
			snprintf(message, message_len,
					 "The %s of a parameter holds a NUL byte (%%00).", what);
			pfree(out);
			return NULL;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	for (size_t i = 0; i < n;)
	{
		int			l = as_utf8_sequence((const unsigned char *) out + i, n - i);

		if (l == 0)
		{
			snprintf(message, message_len,
					 "The %s of a parameter is not valid UTF-8.", what);
			pfree(out);
			return NULL;
		}
		i += l;
	}
	return out;
}

/*
 * Decode a form body of len bytes (not NUL-terminated) into form.  On
 * failure, form is left empty and message says why.
 */
bool
as_form_decode(const char *body, size_t len, AsForm *form,
			   char *message, size_t message_len)
{
	size_t		pos = 0;

	form->n = 0;
	while (pos < len)
	{
		const char *seg = body + pos;
		const char *amp = memchr(seg, '&', len - pos);
		size_t		seg_len = amp ? (size_t) (amp - seg) : len - pos;
		const char *eq = memchr(seg, '=', seg_len);
		size_t		name_len = eq ? (size_t) (eq - seg) : seg_len;
		char	   *name;
		char	   *value;

		pos += seg_len + (amp ? 1 : 0);
		if (seg_len == 0)
			continue;
		if (form->n >= AS_FORM_MAX_PARAMS)
		{
			snprintf(message, message_len,
					 "The request holds more than %d parameters.",
					 AS_FORM_MAX_PARAMS);
			as_form_free(form);
			return false;
		}
		name = as_form_unescape(seg, name_len, "name", message, message_len);
		if (name == NULL)
		{
			as_form_free(form);
			return false;
		}
		if (name[0] == '\0' || strlen(name) > AS_FORM_MAX_NAME)
		{
			snprintf(message, message_len,
					 "A parameter name must have 1 to %d bytes.",
					 AS_FORM_MAX_NAME);
			pfree(name);
			as_form_free(form);
			return false;
		}
		for (int i = 0; i < form->n; i++)
			if (strcmp(form->params[i].name, name) == 0)
			{
				snprintf(message, message_len,
						 "The parameter %s is given more than once.", name);
				pfree(name);
				as_form_free(form);
				return false;
			}
		value = eq ? as_form_unescape(eq + 1, seg_len - name_len - 1, "value",
									  message, message_len) : palloc0(1);
		if (value == NULL)
		{
			pfree(name);
			as_form_free(form);
			return false;
		}
		form->params[form->n].name = name;
		form->params[form->n].value = value;
		form->params[form->n].used = false;
		form->n++;
	}
	return true;
}

void
as_form_free(AsForm *form)
{
	for (int i = 0; i < form->n; i++)
	{
		pfree(form->params[i].name);
		pfree(form->params[i].value);
	}
	form->n = 0;
}

/* A parameter's value, or NULL; marks it read. */
const char *
as_form_get(AsForm *form, const char *name)
{
	for (int i = 0; i < form->n; i++)
		if (strcmp(form->params[i].name, name) == 0)
		{
			form->params[i].used = true;
			return form->params[i].value;
		}
	return NULL;
}

/*
 * The length of the list whose members are named prefix.N or prefix.N.*:
 * the largest N (1 to AS_FORM_MAX_PARAMS), 0 when there is none.  A list
 * given empty ("prefix=", as botocore sends an empty list) is marked read.
 */
int
as_form_list_len(AsForm *form, const char *prefix)
{
	size_t		plen = strlen(prefix);
	int			max = 0;

	for (int i = 0; i < form->n; i++)
	{
		const char *name = form->params[i].name;
		const char *p;
		int			v = 0;

		if (strncmp(name, prefix, plen) != 0)
			continue;
		if (name[plen] == '\0')
		{
			form->params[i].used = true;
			continue;
		}
		if (name[plen] != '.')
			continue;
		p = name + plen + 1;
		if (*p < '1' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9' && v <= AS_FORM_MAX_PARAMS)
			v = v * 10 + (*p++ - '0');
		if ((*p != '\0' && *p != '.') || v > AS_FORM_MAX_PARAMS)
			continue;
		max = Max(max, v);
	}
	return max;
}

/* The name of a parameter that no one read, or NULL. */
const char *
as_form_unused(const AsForm *form)
{
	for (int i = 0; i < form->n; i++)
		if (!form->params[i].used)
			return form->params[i].name;
	return NULL;
}

/* --- values --------------------------------------------------------------- */

/* A finite decimal number, the whole string. */
bool
as_parse_double(const char *s, double *v)
{
	char	   *end;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t' ||
		strlen(s) > 64)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
			  *c == '+' || *c == 'e' || *c == 'E'))
			return false;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*v);
}

/* A decimal integer, the whole string. */
bool
as_parse_int64(const char *s, int64 *v)
{
	int64		r = 0;
	bool		neg = false;

	if (s == NULL || *s == '\0')
		return false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s == '\0' || strlen(s) > 18)
		return false;
	for (; *s; s++)
	{
		if (*s < '0' || *s > '9')
			return false;
		r = r * 10 + (*s - '0');
	}
	*v = neg ? -r : r;
	return true;
}

/* true or false, any case */
bool
as_parse_bool(const char *s, bool *v)
{
	if (s == NULL)
		return false;
	if (pg_strcasecmp(s, "true") == 0)
		*v = true;
	else if (pg_strcasecmp(s, "false") == 0)
		*v = false;
	else
		return false;
	return true;
}

/*
 * An ISO 8601 timestamp as the AWS clients send one:
 * YYYY-MM-DDTHH:MM:SS, optional fraction, then Z, +HH:MM, -HH:MM, +HHMM or
 * nothing (UTC); or a date alone, YYYY-MM-DD.  Sets microseconds since
 * 1970-01-01 UTC.
 */
bool
as_parse_iso8601(const char *s, int64 *unix_us)
{
	int			year,
				month,
				day,
				hour = 0,
				minute = 0,
				second = 0;
	int64		frac_us = 0;
	int			offset_s = 0;
	size_t		len;
	const char *p;

	if (s == NULL)
		return false;
	len = strlen(s);
	if (len < 10 || len > 40 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	month = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (year < 1 || month < 1 || month > 12 || day < 1)
		return false;
	{
		static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		int			dim = month == 2 && leap ? 29 : days[month - 1];

		if (day > dim)
			return false;
	}
	p = s + 10;
	if (*p != '\0')
	{
		if (*p != 'T' && *p != 't' && *p != ' ')
			return false;
		p++;
		for (int i = 0; i < 8; i++)
			if ((i == 2 || i == 5) ? p[i] != ':' : (p[i] < '0' || p[i] > '9'))
				return false;
		hour = (p[0] - '0') * 10 + (p[1] - '0');
		minute = (p[3] - '0') * 10 + (p[4] - '0');
		second = (p[6] - '0') * 10 + (p[7] - '0');
		if (hour > 23 || minute > 59 || second > 59)
			return false;
		p += 8;
		if (*p == '.' || *p == ',')
		{
			int			digits = 0;
			int64		scale = 100000;

			p++;
			while (*p >= '0' && *p <= '9')
			{
				if (digits < 6)
				{
					frac_us += (*p - '0') * scale;
					scale /= 10;
				}
				digits++;
				p++;
			}
			if (digits == 0 || digits > 9)
				return false;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-')
		{
			int			sign = *p == '-' ? -1 : 1;
			int			oh,
						om;

			p++;
			if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
				return false;
			oh = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
			if (*p == ':')
				p++;
			if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
				return false;
			om = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
			if (oh > 23 || om > 59)
				return false;
			offset_s = sign * (oh * 3600 + om * 60);
		}
		if (*p != '\0')
			return false;
	}
	*unix_us = ((as_days_from_civil(year, month, day) * 86400 +
				 hour * 3600 + minute * 60 + second - offset_s) * 1000000) +
		frac_us;
	return true;
}

/* YYYY-MM-DDTHH:MM:SS.mmmZ into out (AS_ISO8601_LEN bytes). */
void
as_format_iso8601(int64 unix_us, char *out)
{
	int64		ms = unix_us >= 0 ? unix_us / 1000 : -((-unix_us + 999) / 1000);
	int64		secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int64		days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64		rest = secs - days * 86400;
	int			year,
				month,
				day;

	as_civil_from_days(days, &year, &month, &day);
	snprintf(out, AS_ISO8601_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
			 year, month, day, (int) (rest / 3600), (int) (rest / 60 % 60),
			 (int) (rest % 60), (int) (ms - secs * 1000));
}
