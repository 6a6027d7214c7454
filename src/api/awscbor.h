/*-------------------------------------------------------------------------
 *
 * awscbor.h
 *		Smithy RPC v2 CBOR: the one document the endpoint writes in it, the
 *		error that says which protocols it speaks.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_AWSCBOR_H
#define AS_AWSCBOR_H

#include "lib/stringinfo.h"

extern void as_cbor_error(StringInfo buf, const char *type,
						  const char *message);

#endif							/* AS_AWSCBOR_H */
