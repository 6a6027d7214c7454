/*-------------------------------------------------------------------------
 *
 * keys.h
 *		AWS access keys for the API endpoint, each mapped to a role.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_KEYS_H
#define AS_KEYS_H

extern bool as_api_key_lookup(const char *access_key_id, char **secret,
							  char **role);

#endif							/* AS_KEYS_H */
