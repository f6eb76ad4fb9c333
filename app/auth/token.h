/* token.h — secrets handed to people: sessions, links, API and feed
 * tokens (DESIGN §8, RELIABILITY SES-1).
 *
 * A token is a readable prefix ("bosess_", "boapi_", …) plus 32 random
 * bytes in base64url without padding (43 characters). Only a keyed hash,
 * HMAC-SHA-256 under the token key, is ever stored; lookups compare those
 * hashes, so a database dump yields nothing usable. */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>

#define TOKEN_HASH_LEN	32
#define TOKEN_RAND_B64	43

/* Fill out (≥ strlen(prefix) + 44 bytes) with a new token and hash it. */
void	 token_new(const char *prefix, char *out, size_t outsz,
	    unsigned char hash[TOKEN_HASH_LEN]);
/* Check the prefix and shape, then hash. -1 when malformed. */
int	 token_hash(const char *prefix, const char *tok,
	    unsigned char hash[TOKEN_HASH_LEN]);
/* 43 random base64url characters + NUL (CSRF secrets, UUID-free ids). */
void	 token_random_b64(char out[TOKEN_RAND_B64 + 1]);
/* A random version-4 UUID string (37 bytes with NUL). */
void	 token_uuid(char out[37]);

#endif
