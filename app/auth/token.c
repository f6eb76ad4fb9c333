/* token.c — random tokens and their keyed hashes. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/conf.h"
#include "token.h"

void
token_random_b64(char out[TOKEN_RAND_B64 + 1])
{
	unsigned char	 raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_RAND_B64 + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static void
keyed_hash(const char *tok, unsigned char hash[TOKEN_HASH_LEN])
{
	crypto_auth_hmacsha256(hash, (const unsigned char *)tok, strlen(tok),
	    cfg->token_key);
}

void
token_new(const char *prefix, char *out, size_t outsz,
    unsigned char hash[TOKEN_HASH_LEN])
{
	char	 rnd[TOKEN_RAND_B64 + 1];

	token_random_b64(rnd);
	snprintf(out, outsz, "%s%s", prefix, rnd);
	sodium_memzero(rnd, sizeof(rnd));
	keyed_hash(out, hash);
}

int
token_hash(const char *prefix, const char *tok,
    unsigned char hash[TOKEN_HASH_LEN])
{
	size_t		 plen = strlen(prefix), i;
	const char	*p;

	if (tok == NULL || strncmp(tok, prefix, plen) != 0 ||
	    strlen(tok) != plen + TOKEN_RAND_B64)
		return -1;
	for (p = tok + plen, i = 0; i < TOKEN_RAND_B64; i++, p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return -1;
	keyed_hash(tok, hash);
	return 0;
}

void
token_uuid(char out[37])
{
	unsigned char	 b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
