/*-------------------------------------------------------------------------
 *
 * awscbor.c
 *		Smithy RPC v2 CBOR: an error document, so that a client that speaks
 *		only this protocol (the Go SDK v2 for CloudWatch) reads why it is
 *		refused.
 *
 * The endpoint answers every Smithy RPC v2 CBOR request with this error: a
 * CBOR map {"__type": CODE, "message": TEXT} (RFC 8949: a map of two
 * pairs, each key and value a text string), which is the protocol's error
 * shape.  It reads no CBOR.
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

#include "awscbor.h"

/* A CBOR text string (major type 3) of len bytes. */
static void
as_cbor_text(StringInfo buf, const char *s)
{
	size_t		len = strlen(s);

	if (len < 24)
		appendStringInfoChar(buf, (char) (0x60 | len));
	else if (len < 0x100)
	{
		appendStringInfoChar(buf, (char) 0x78);
		appendStringInfoChar(buf, (char) len);
	}
	else
	{
		len = Min(len, (size_t) 0xffff);
		appendStringInfoChar(buf, (char) 0x79);
		appendStringInfoChar(buf, (char) (len >> 8));
		appendStringInfoChar(buf, (char) (len & 0xff));
	}
	appendBinaryStringInfo(buf, s, len);
}

void
as_cbor_error(StringInfo buf, const char *type, const char *message)
{
	appendStringInfoChar(buf, (char) 0xa2);
	as_cbor_text(buf, "__type");
	as_cbor_text(buf, type);
	as_cbor_text(buf, "message");
	as_cbor_text(buf, message);
}
