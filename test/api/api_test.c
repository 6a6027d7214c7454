/*
 * api_test.c: the pure parts of the AWS API endpoint (src/api/sigv4.c,
 * form.c, awsxml.c, awsjson.c, awsout.c, awscbor.c) checked outside the
 * server.
 *
 *   api_test unit             built-in checks on recorded inputs
 *   api_test verify < FILE    signatures made by botocore's own signer,
 *                             one request per line (test/api/sigv4_vectors.py)
 *
 * Prints one TAP line per check and exits non-zero on any failure.  Built
 * with FRONTEND defined against PostgreSQL's frontend libraries
 * (libpgcommon, libpgport), as test/t/026_api_pure.pl builds it.
 */
#include "postgres_fe.h"

#include <math.h>

#include "awscbor.h"
#include "awsjson.h"
#include "awsout.h"
#include "awsxml.h"
#include "form.h"
#include "sigv4.h"

static int	checks = 0;
static int	failures = 0;

static void
check(bool ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", checks, what);
}

static void
check_str(const char *got, const char *want, const char *what)
{
	bool		ok = got != NULL && strcmp(got, want) == 0;

	check(ok, what);
	if (!ok)
		printf("#   got:  %s\n#   want: %s\n", got ? got : "(null)", want);
}

/* --- unit checks ---------------------------------------------------------- */

static void
unit_form(void)
{
	AsForm	   *form = pg_malloc0(sizeof(AsForm));
	char		msg[256];
	const char *body = "Action=ModifyDBCluster&Version=2014-10-31&"
		"ServerlessV2ScalingConfiguration.MinCapacity=4.0&"
		"DBClusterIdentifier=a%3Cb%26c%22d%27e%09f+g&&Empty=&Flag";
	double		d;
	int64		i;
	bool		b;

	check(as_form_decode(body, strlen(body), form, msg, sizeof(msg)),
		  "form: a CLI body decodes");
	check(form->n == 6, "form: six parameters, the empty segment skipped");
	check_str(as_form_get(form, "ServerlessV2ScalingConfiguration.MinCapacity"),
			  "4.0", "form: shorthand structure member");
	check_str(as_form_get(form, "DBClusterIdentifier"), "a<b&c\"d'e\tf g",
			  "form: %XX and + decode");
	check_str(as_form_get(form, "Empty"), "", "form: empty value");
	check_str(as_form_get(form, "Flag"), "", "form: name without '='");
	check(as_form_get(form, "Missing") == NULL, "form: absent is NULL");
	check_str(as_form_unused(form), "Action", "form: unread parameters are found");
	as_form_free(form);

	body = "Filters.Filter.1.Name=db-cluster-id&Filters.Filter.1.Values.Value.1=x"
		"&Filters.Filter.2.Name=y&EventCategories.EventCategory.3=z&Other.10=q";
	check(as_form_decode(body, strlen(body), form, msg, sizeof(msg)),
		  "form: lists decode");
	check(as_form_list_len(form, "Filters.Filter") == 2, "form: list of structures");
	check(as_form_list_len(form, "Filters.Filter.1.Values.Value") == 1,
		  "form: nested list");
	check(as_form_list_len(form, "EventCategories.EventCategory") == 3,
		  "form: list length is the largest index");
	check(as_form_list_len(form, "Other") == 10, "form: two-digit index");
	check(as_form_list_len(form, "Nothing") == 0, "form: absent list");
	as_form_free(form);

	check(!as_form_decode("a=%4", 4, form, msg, sizeof(msg)),
		  "form: truncated escape refused");
	check(!as_form_decode("a=%zz", 5, form, msg, sizeof(msg)),
		  "form: bad escape refused");
	check(!as_form_decode("a=%00", 5, form, msg, sizeof(msg)),
		  "form: NUL refused");
	check(!as_form_decode("a=x\0y", 5, form, msg, sizeof(msg)),
		  "form: raw NUL refused");
	check(!as_form_decode("a=%C3%28", 8, form, msg, sizeof(msg)),
		  "form: invalid UTF-8 refused");
	check(!as_form_decode("a=%ED%A0%80", 11, form, msg, sizeof(msg)),
		  "form: UTF-8 surrogate refused");
	check(!as_form_decode("a=%C0%80", 8, form, msg, sizeof(msg)),
		  "form: overlong UTF-8 refused");
	check(as_form_decode("a=%E2%82%AC", 11, form, msg, sizeof(msg)) &&
		  strcmp(form->params[0].value, "\xe2\x82\xac") == 0,
		  "form: UTF-8 accepted");
	as_form_free(form);
	check(!as_form_decode("a=1&a=2", 7, form, msg, sizeof(msg)),
		  "form: a name given twice refused");
	check(!as_form_decode("=1", 2, form, msg, sizeof(msg)),
		  "form: empty name refused");
	{
		StringInfoData many;

		initStringInfo(&many);
		for (int k = 0; k <= AS_FORM_MAX_PARAMS; k++)
			appendStringInfo(&many, "p%d=1&", k);
		check(!as_form_decode(many.data, many.len, form, msg, sizeof(msg)) &&
			  form->n == 0, "form: more parameters than the bound refused");
		pfree(many.data);
	}

	check(as_parse_double("4.0", &d) && d == 4.0, "value: 4.0");
	check(as_parse_double("0.5", &d) && d == 0.5, "value: 0.5");
	check(!as_parse_double("4,0", &d), "value: 4,0 refused");
	check(!as_parse_double(" 4", &d), "value: leading blank refused");
	check(!as_parse_double("nan", &d), "value: nan refused");
	check(!as_parse_double("1e999", &d), "value: overflow refused");
	check(as_parse_int64("-60", &i) && i == -60, "value: integer");
	check(!as_parse_int64("6x", &i), "value: bad integer refused");
	check(!as_parse_int64("12345678901234567890", &i), "value: huge integer refused");
	check(as_parse_bool("true", &b) && b && as_parse_bool("False", &b) && !b,
		  "value: booleans");
	check(!as_parse_bool("yes", &b), "value: yes is not a boolean");
	pg_free(form);
}

static void
unit_dates(void)
{
	int64		us;
	int64		s;
	char		text[AS_ISO8601_LEN];
	char		amz[17];

	check(as_parse_iso8601("2024-02-29T12:34:56Z", &us) &&
		  us == INT64CONST(1709210096000000), "iso8601: leap day, Z");
	check(as_parse_iso8601("2024-02-29T12:34:56.789Z", &us) &&
		  us == INT64CONST(1709210096789000), "iso8601: milliseconds");
	check(as_parse_iso8601("2024-02-29T14:34:56+02:00", &us) &&
		  us == INT64CONST(1709210096000000), "iso8601: offset");
	check(as_parse_iso8601("2024-02-29T12:34:56", &us) &&
		  us == INT64CONST(1709210096000000), "iso8601: no zone is UTC");
	check(as_parse_iso8601("1970-01-01", &us) && us == 0, "iso8601: a date");
	check(!as_parse_iso8601("2023-02-29T00:00:00Z", &us), "iso8601: 2023-02-29 refused");
	check(!as_parse_iso8601("2024-13-01T00:00:00Z", &us), "iso8601: month 13 refused");
	check(!as_parse_iso8601("2024-01-01T24:00:00Z", &us), "iso8601: hour 24 refused");
	check(!as_parse_iso8601("2024-01-01T00:00:00Zjunk", &us), "iso8601: trailing junk refused");
	check(!as_parse_iso8601("2024-01-01T00:00", &us), "iso8601: no seconds refused");
	as_format_iso8601(INT64CONST(1709210096789000), text);
	check_str(text, "2024-02-29T12:34:56.789Z", "iso8601: formatted back");
	as_format_iso8601(0, text);
	check_str(text, "1970-01-01T00:00:00.000Z", "iso8601: the epoch");

	check(as_sigv4_parse_amz_date("20150830T123600Z", &s) && s == 1440938160,
		  "amz date: parsed");
	as_sigv4_format_amz_date(1440938160, amz);
	check_str(amz, "20150830T123600Z", "amz date: formatted back");
	check(!as_sigv4_parse_amz_date("20150830T123600", &s), "amz date: no Z refused");
	check(!as_sigv4_parse_amz_date("20150230T123600Z", &s), "amz date: Feb 30 refused");
	check(!as_sigv4_parse_amz_date("2015-08-30T12:36:00Z", &s),
		  "amz date: extended format refused");
	for (int64 d = -1000; d < 200000; d += 37)
	{
		int			y,
					m,
					dd;

		as_civil_from_days(d, &y, &m, &dd);
		if (as_days_from_civil(y, m, dd) != d)
		{
			check(false, "civil dates: round trip");
			return;
		}
	}
	check(true, "civil dates: 201000 days round-trip");
}

static void
unit_authorization(void)
{
	AsSigV4Auth auth;
	char		msg[256];
	const char *good = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/rds/aws4_request, "
		"SignedHeaders=content-type;host;x-amz-date, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

	check(as_sigv4_parse_authorization(good, &auth, msg, sizeof(msg)),
		  "authorization: well formed");
	check_str(auth.access_key_id, "AKIDEXAMPLE", "authorization: key id");
	check_str(auth.region, "us-east-1", "authorization: region");
	check_str(auth.service, "rds", "authorization: service");
	check_str(auth.signed_headers, "content-type;host;x-amz-date",
			  "authorization: signed headers");
	check(!as_sigv4_parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/rds/aws4_request, SignedHeaders=host",
										&auth, msg, sizeof(msg)) &&
		  strstr(msg, "'Signature'") != NULL, "authorization: no Signature");
	check(!as_sigv4_parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/rds/aws5_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
										&auth, msg, sizeof(msg)) &&
		  strstr(msg, "terminator") != NULL, "authorization: bad terminator");
	check(!as_sigv4_parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/rds/aws4_request, SignedHeaders=x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
										&auth, msg, sizeof(msg)) &&
		  strstr(msg, "Host") != NULL, "authorization: host must be signed");
	check(!as_sigv4_parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=5FA00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
										&auth, msg, sizeof(msg)),
		  "authorization: upper-case signature refused");
	check(!as_sigv4_parse_authorization("AWS AKID:abc", &auth, msg, sizeof(msg)),
		  "authorization: Signature Version 2 refused");
	check(!as_sigv4_parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
										&auth, msg, sizeof(msg)),
		  "authorization: bad scope date refused");
}

static void
unit_window(void)
{
	AsHttpHeader h[3] = {
		{"Host", "127.0.0.1:4599"},
		{"X-Amz-Date", "20240101T000000Z"},
		{"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/rds/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
	};
	AsSigV4Request req = {"POST", "/", "", h, 3, "", 0};
	AsSigV4Auth auth;
	char		msg[512];
	int64		t;

	as_sigv4_parse_amz_date("20240101T000000Z", &t);
	check(as_sigv4_parse(&req, t + 900, &auth, msg, sizeof(msg)) == AS_SIGV4_OK,
		  "window: 15 minutes old is accepted");
	check(as_sigv4_parse(&req, t + 901, &auth, msg, sizeof(msg)) == AS_SIGV4_EXPIRED,
		  "window: older is expired");
	check_str(msg, "Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z (20240101T001501Z - 15 min.)",
			  "window: AWS's message for an expired signature");
	check(as_sigv4_parse(&req, t - 901, &auth, msg, sizeof(msg)) == AS_SIGV4_NOT_YET_CURRENT,
		  "window: too new is refused");
	check_str(msg, "Signature not yet current: 20240101T000000Z is still later than 20231231T235959Z (20231231T234459Z + 15 min.)",
			  "window: AWS's message for a signature not yet current");
	req.nheaders = 2;
	check(as_sigv4_parse(&req, t, &auth, msg, sizeof(msg)) == AS_SIGV4_MISSING,
		  "window: no Authorization is MissingAuthenticationToken");
	h[1].name = "X-Other";
	req.nheaders = 3;
	check(as_sigv4_parse(&req, t, &auth, msg, sizeof(msg)) == AS_SIGV4_INCOMPLETE,
		  "window: no X-Amz-Date is IncompleteSignature");
}

static void
unit_encoders(void)
{
	StringInfoData buf;
	AsOut		o;

	initStringInfo(&buf);
	as_xml_escape(&buf, "a<b>&\"c'\t\n\r\x01\x7f\xc3\xa9\xff!");
	check_str(buf.data,
			  "a&lt;b&gt;&amp;&quot;c&apos;&#9;&#10;&#13;\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd!",
			  "xml: markup, controls, UTF-8 and bad bytes");
	resetStringInfo(&buf);
	as_json_escape(&buf, "a\"b\\c\t\n\x01\xc3\xa9\xff");
	check_str(buf.data, "\"a\\\"b\\\\c\\t\\n\\u0001\xc3\xa9\\ufffd\"",
			  "json: quotes, controls, UTF-8 and bad bytes");

	resetStringInfo(&buf);
	as_out_init(&o, AS_OUT_XML, &buf);
	as_out_list_begin(&o, "DBClusters", "DBCluster");
	as_out_begin(&o, NULL);
	as_out_string(&o, "DBClusterIdentifier", "a&b");
	as_out_double(&o, "MinCapacity", 0.5);
	as_out_bool(&o, "IsClusterWriter", true);
	as_out_list_begin(&o, "EventCategories", "EventCategory");
	as_out_string(&o, NULL, "notification");
	as_out_end(&o);
	as_out_time(&o, "Date", INT64CONST(1709210096789000));
	as_out_end(&o);
	as_out_end(&o);
	as_out_finish(&o);
	check_str(buf.data,
			  "<DBClusters><DBCluster><DBClusterIdentifier>a&amp;b</DBClusterIdentifier>"
			  "<MinCapacity>0.5</MinCapacity><IsClusterWriter>true</IsClusterWriter>"
			  "<EventCategories><EventCategory>notification</EventCategory></EventCategories>"
			  "<Date>2024-02-29T12:34:56.789Z</Date></DBCluster></DBClusters>",
			  "out: XML lists, structures, scalars");
	resetStringInfo(&buf);
	as_out_init(&o, AS_OUT_JSON, &buf);
	as_out_list_begin(&o, "Datapoints", "member");
	as_out_begin(&o, NULL);
	as_out_time(&o, "Timestamp", INT64CONST(1709210096000000));
	as_out_double(&o, "Average", 0.25);
	as_out_end(&o);
	as_out_begin(&o, NULL);
	as_out_int(&o, "SampleCount", 3);
	as_out_end(&o);
	as_out_end(&o);
	as_out_string(&o, "Label", "ACU \"x\"");
	as_out_finish(&o);
	check_str(buf.data,
			  "{\"Datapoints\":[{\"Timestamp\":1709210096,\"Average\":0.25},"
			  "{\"SampleCount\":3}],\"Label\":\"ACU \\\"x\\\"\"}",
			  "out: JSON arrays, objects, scalars");
	{
		char		d[64];

		as_format_double(d, sizeof(d), 0.1 + 0.2);
		check(strtod(d, NULL) == 0.1 + 0.2, "out: doubles read back exactly");
	}
	resetStringInfo(&buf);
	as_xml_error(&buf, "http://rds.amazonaws.com/doc/2014-10-31/", true,
				 "DBClusterNotFoundFault", "DBCluster <x> not found.", "r-1");
	check(strstr(buf.data, "<Type>Sender</Type><Code>DBClusterNotFoundFault</Code>"
				 "<Message>DBCluster &lt;x&gt; not found.</Message></Error>"
				 "<RequestId>r-1</RequestId></ErrorResponse>") != NULL,
		  "xml: the error document");
	pfree(buf.data);
}


static void
unit_json(void)
{
	AsForm	   *form = pg_malloc0(sizeof(AsForm));
	char		msg[256];
	const char *body = "{\"Namespace\":\"AWS/RDS\",\"Dimensions\":[{\"Name\":\"A\","
		"\"Value\":\"x\\u003c\\\"y\\ud83d\\ude00\"}],\"Statistics\":[\"Average\",\"Maximum\"],"
		"\"StartTime\":1700000000.5,\"Flag\":true,\"Off\":false,\"Nothing\":null,"
		"\"Empty\":[],\"Obj\":{},\"Nested\":{\"Deep\":{\"Er\":-1e3}}}";
	StringInfoData buf;
	char		deep[200];

	check(as_json_to_form(body, strlen(body), form, msg, sizeof(msg)),
		  "json: a CloudWatch body reads");
	check_str(as_form_get(form, "Namespace"), "AWS/RDS", "json: a string member");
	check_str(as_form_get(form, "Dimensions.member.1.Value"), "x<\"y\xf0\x9f\x98\x80",
			  "json: an array of objects, escapes and a surrogate pair");
	check_str(as_form_get(form, "Statistics.member.2"), "Maximum",
			  "json: array elements as NAME.member.N");
	check_str(as_form_get(form, "StartTime"), "1700000000.5", "json: a number as its text");
	check_str(as_form_get(form, "Flag"), "true", "json: true");
	check_str(as_form_get(form, "Off"), "false", "json: false");
	check(as_form_get(form, "Nothing") == NULL, "json: null is left out");
	check_str(as_form_get(form, "Nested.Deep.Er"), "-1e3", "json: nested objects as dotted names");
	check(form->n == 9, "json: nine values, empty containers none");
	as_form_free(form);
	check(as_json_to_form("  ", 2, form, msg, sizeof(msg)) && form->n == 0,
		  "json: an empty body is an empty object");
	check(!as_json_to_form("[1]", 3, form, msg, sizeof(msg)), "json: an array body refused");
	check(!as_json_to_form("{\"a\":1} x", 9, form, msg, sizeof(msg)), "json: trailing text refused");
	check(!as_json_to_form("{\"a\":\"\\u0000\"}", 14, form, msg, sizeof(msg)), "json: NUL refused");
	check(!as_json_to_form("{\"a\":\"\\ud800\"}", 14, form, msg, sizeof(msg)), "json: lone surrogate refused");
	check(!as_json_to_form("{\"a.b\":1}", 9, form, msg, sizeof(msg)), "json: a dotted member name refused");
	check(!as_json_to_form("{\"a\":1,\"a\":2}", 13, form, msg, sizeof(msg)), "json: a member twice refused");
	check(!as_json_to_form("{\"a\":01}", 8, form, msg, sizeof(msg)), "json: a leading zero refused");
	check(!as_json_to_form("{\"a\":1e}", 8, form, msg, sizeof(msg)), "json: a broken exponent refused");
	check(!as_json_to_form("{\"a\":\"x", 7, form, msg, sizeof(msg)), "json: an unterminated string refused");
	check(!as_json_to_form("{\"a\":tru}", 9, form, msg, sizeof(msg)), "json: a broken literal refused");
	check(!as_json_to_form("{\"a\":\"\xc3\x28\"}", 9, form, msg, sizeof(msg)), "json: invalid UTF-8 refused");
	memset(deep, 0, sizeof(deep));
	strcpy(deep, "{\"a\":");
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	check(!as_json_to_form(deep, strlen(deep), form, msg, sizeof(msg)) &&
		  strstr(msg, "deep") != NULL, "json: nesting past the bound refused");
	pg_free(form);

	initStringInfo(&buf);
	as_cbor_error(&buf, "X", "m");
	check(buf.len == 20 && memcmp(buf.data, "\xa2\x66__type\x61X\x67message\x61m", 20) == 0,
		  "cbor: the error map");
	pfree(buf.data);
}

/* --- botocore's signatures ------------------------------------------------ */

static char *
unhex(const char *h, size_t *len)
{
	size_t		n = strlen(h) / 2;
	char	   *out = pg_malloc(n + 1);

	for (size_t i = 0; i < n; i++)
	{
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
		{
			fprintf(stderr, "bad hex\n");
			exit(2);
		}
		out[i] = (char) v;
	}
	out[n] = '\0';
	if (len)
		*len = n;
	return out;
}

/*
 * Each line: NAME EXPECT NOW METHOD PATH QUERY SECRET BODY CANONICAL NHEADERS
 * then NHEADERS pairs NAME VALUE; every field but NAME, EXPECT, NOW and
 * NHEADERS in hexadecimal ("-" for empty).  EXPECT is ok, mismatch,
 * expired or future.
 */
static void
verify(FILE *in)
{
	char	   *line = NULL;
	size_t		cap = 0;
	int			n = 0;
	int			bad = 0;

	while (getline(&line, &cap, in) > 0)
	{
		char	   *fields[200];
		int			nf = 0;
		char	   *save = NULL;
		char	   *tok;
		AsHttpHeader headers[64];
		int			nh;
		AsSigV4Request req;
		AsSigV4Auth auth;
		AsSigV4Status st;
		char		msg[512];
		const char *expect;
		const char *got;
		size_t		body_len;

		for (tok = strtok_r(line, " \n", &save); tok && nf < 200;
			 tok = strtok_r(NULL, " \n", &save))
			fields[nf++] = tok;
		if (nf < 10)
			continue;
		nh = atoi(fields[9]);
		if (nh > 64 || nf != 10 + 2 * nh)
		{
			fprintf(stderr, "bad vector line\n");
			exit(2);
		}
#define HEXF(i) (strcmp(fields[i], "-") == 0 ? pg_strdup("") : unhex(fields[i], NULL))
		req.method = HEXF(3);
		req.path = HEXF(4);
		req.query = HEXF(5);
		req.body = strcmp(fields[7], "-") == 0 ? pg_strdup("") : unhex(fields[7], &body_len);
		if (strcmp(fields[7], "-") == 0)
			body_len = 0;
		req.body_len = body_len;
		for (int i = 0; i < nh; i++)
		{
			headers[i].name = HEXF(10 + 2 * i);
			headers[i].value = HEXF(11 + 2 * i);
		}
		req.headers = headers;
		req.nheaders = nh;
		expect = fields[1];
		st = as_sigv4_parse(&req, strtoll(fields[2], NULL, 10), &auth, msg,
							sizeof(msg));
		if (st == AS_SIGV4_OK)
			st = as_sigv4_check(&req, &auth, HEXF(6), msg, sizeof(msg));
		got = st == AS_SIGV4_OK ? "ok" : st == AS_SIGV4_MISMATCH ? "mismatch" :
			st == AS_SIGV4_EXPIRED ? "expired" :
			st == AS_SIGV4_NOT_YET_CURRENT ? "future" : "malformed";
		n++;
		if (strcmp(got, expect) != 0)
		{
			char	   *mine = as_sigv4_canonical_request(&req, auth.signed_headers);

			bad++;
			printf("# %s: expected %s, got %s (%s)\n", fields[0], expect, got, msg);
			if (strcmp(fields[8], "-") != 0)
				printf("# botocore's canonical request:\n%s\n# ours:\n%s\n",
					   unhex(fields[8], NULL), mine ? mine : "(none)");
		}
#undef HEXF
	}
	check(n > 0 && bad == 0,
		  psprintf("sigv4: %d requests signed by botocore verified as expected (%d wrong)",
				   n, bad));
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "unit") == 0)
	{
		unit_form();
		unit_dates();
		unit_authorization();
		unit_window();
		unit_encoders();
		unit_json();
	}
	else if (argc == 2 && strcmp(argv[1], "verify") == 0)
		verify(stdin);
	else
	{
		fprintf(stderr, "usage: api_test unit | verify < vectors\n");
		return 2;
	}
	printf("1..%d\n", checks);
	return failures == 0 ? 0 : 1;
}
