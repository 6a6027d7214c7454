/*-------------------------------------------------------------------------
 *
 * keys.c
 *		AWS access keys for the API endpoint: create_api_access_key() and
 *		the lookup of a key's secret and role.
 *
 * A key is a row of aurora_serverless.api_access_keys (access_key_id,
 * secret_access_key, role): a table only superusers may read, as for
 * pg_authid's passwords.  create_api_access_key() makes one, with a random
 * 20-character ID ("AKIA" and 16 of AWS's base-32 letters and digits) and
 * a random 40-character secret from pg_strong_random(), or with given ones
 * (fixed dummy keys for tests and local tools); drop_api_access_key()
 * drops one.  A secret is never part of
 * an error message or a log line.
 *
 * The API worker looks a key up as the superuser it connects as, before it
 * takes the key's role.
 *
 * It must not know HTTP, SigV4 or the actions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "state.h"

#include "keys.h"

PG_FUNCTION_INFO_V1(as_create_api_access_key);
PG_FUNCTION_INFO_V1(as_drop_api_access_key);

#define AS_KEY_ID_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#define AS_SECRET_ALPHABET \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* n random characters of an alphabet of 32 or 64, after prefix */
static char *
as_random_key(const char *prefix, const char *alphabet, int n)
{
	size_t		plen = strlen(prefix);
	size_t		alen = strlen(alphabet);
	uint8	   *bytes = palloc(n);
	char	   *out = palloc(plen + n + 1);

	Assert(alen == 32 || alen == 64);
	if (!pg_strong_random(bytes, n))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random bytes for an access key")));
	memcpy(out, prefix, plen);
	for (int i = 0; i < n; i++)
		out[plen + i] = alphabet[bytes[i] % alen];
	out[plen + n] = '\0';
	explicit_bzero(bytes, n);
	pfree(bytes);
	return out;
}

/*
 * create_api_access_key(role name, key_id text DEFAULT NULL,
 *     secret text DEFAULT NULL,
 *     OUT access_key_id text, OUT secret_access_key text)
 */
Datum
as_create_api_access_key(PG_FUNCTION_ARGS)
{
	char	   *role;
	char	   *key_id;
	char	   *secret;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Oid			types[3] = {TEXTOID, TEXTOID, NAMEOID};
	Datum		args[3];
	int			rc;

	/* keys serve the endpoint, which the preloaded library runs */
	as_require_loaded();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("role must not be null"),
				 errhint("Name the role whose privileges requests signed with the key get.")));
	role = NameStr(*PG_GETARG_NAME(0));
	(void) get_role_oid(role, false);

	if (PG_ARGISNULL(1))
		key_id = as_random_key("AKIA", AS_KEY_ID_ALPHABET, 16);
	else
	{
		key_id = text_to_cstring(PG_GETARG_TEXT_PP(1));
		if (strlen(key_id) < 1 || strlen(key_id) > 128 ||
			strspn(key_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != strlen(key_id))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid access key ID \"%.128s\"", key_id),
					 errdetail("An access key ID has 1 to 128 letters, digits or underscores."),
					 errhint("Leave key_id NULL to get a random one.")));
	}
	if (PG_ARGISNULL(2))
		secret = as_random_key("", AS_SECRET_ALPHABET, 40);
	else
	{
		secret = text_to_cstring(PG_GETARG_TEXT_PP(2));
		/* the secret itself is never part of a message */
		if (strlen(secret) < 1 || strlen(secret) > 128)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid secret access key"),
					 errdetail("A secret access key has 1 to 128 characters."),
					 errhint("Leave secret NULL to get a random one.")));
		for (const char *c = secret; *c; c++)
			if (*c <= ' ' || *c > '~')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid secret access key"),
						 errdetail("A secret access key holds printable ASCII characters only, and no spaces."),
						 errhint("Leave secret NULL to get a random one.")));
	}

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SPI_connect();
	args[0] = CStringGetTextDatum(key_id);
	rc = SPI_execute_with_args("SELECT 1 FROM aurora_serverless.api_access_keys WHERE access_key_id = $1",
							   1, types, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %d", rc);
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("access key \"%s\" already exists", key_id),
				 errhint("Drop it first with aurora_serverless.drop_api_access_key(), or choose another ID.")));
	args[1] = CStringGetTextDatum(secret);
	args[2] = DirectFunctionCall1(namein, CStringGetDatum(role));
	rc = SPI_execute_with_args("INSERT INTO aurora_serverless.api_access_keys (access_key_id, secret_access_key, role) VALUES ($1, $2, $3)",
							   3, types, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %d", rc);
	SPI_finish();

	values[0] = CStringGetTextDatum(key_id);
	values[1] = CStringGetTextDatum(secret);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* drop_api_access_key(key_id text) returns void */
Datum
as_drop_api_access_key(PG_FUNCTION_ARGS)
{
	Oid			types[1] = {TEXTOID};
	Datum		args[1];
	char	   *key_id;
	int			rc;

	as_require_loaded();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("key_id must not be null"),
				 errhint("Name the access key ID to drop.")));
	key_id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	SPI_connect();
	args[0] = CStringGetTextDatum(key_id);
	rc = SPI_execute_with_args("DELETE FROM aurora_serverless.api_access_keys WHERE access_key_id = $1",
							   1, types, args, NULL, false, 0);
	if (rc != SPI_OK_DELETE)
		elog(ERROR, "SPI_execute_with_args failed: %d", rc);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("access key \"%.128s\" does not exist", key_id),
				 errhint("aurora_serverless.api_access_keys lists the keys.")));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * In the API worker, in a transaction, as its superuser: the secret and
 * role of a key, palloc'd in the caller's context.  false when there is no
 * such key.  The caller has checked that the table exists.
 */
bool
as_api_key_lookup(const char *access_key_id, char **secret, char **role)
{
	MemoryContext cxt = CurrentMemoryContext;
	Oid			types[1] = {TEXTOID};
	Datum		args[1];
	int			rc;
	bool		found = false;

	SPI_connect();
	args[0] = CStringGetTextDatum(access_key_id);
	rc = SPI_execute_with_args("SELECT secret_access_key, role::text FROM aurora_serverless.api_access_keys WHERE access_key_id = $1",
							   1, types, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %d", rc);
	if (SPI_processed == 1)
	{
		char	   *s = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *r = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		if (s != NULL && r != NULL)
		{
			*secret = MemoryContextStrdup(cxt, s);
			*role = MemoryContextStrdup(cxt, r);
			explicit_bzero(s, strlen(s));
			found = true;
		}
	}
	SPI_finish();
	return found;
}
