/* password.c — policy and argon2id through libsodium.
 *
 * With a pepper key configured (AUTH-3) the hashed input is
 * HMAC-SHA-512/256(pepper, password): 32 bytes instead of the raw
 * password, so a stolen database alone cannot be attacked offline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/util.h"
#include "password.h"

static char	**common;
static size_t	  ncommon;
static char	  dummy_hash[PW_HASH_MAX];

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

int
pw_load_common(const char *path, char *err, size_t errsz)
{
	FILE	*f = fopen(path, "r");
	char	 line[256];
	size_t	 cap = 0, i;

	if (f == NULL) {
		snprintf(err, errsz, "common_passwords_file: cannot open %s",
		    path);
		return -1;
	}
	for (i = 0; i < ncommon; i++)
		free(common[i]);
	free(common);
	common = NULL;
	ncommon = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		lower_ascii(line);
		if (ncommon == cap) {
			cap = cap ? cap * 2 : 16384;
			common = xrealloc(common, cap * sizeof(*common));
		}
		common[ncommon++] = xstrdup(line);
	}
	fclose(f);
	qsort(common, ncommon, sizeof(*common), cmp);
	if (ncommon < 10000) {
		snprintf(err, errsz, "common_passwords_file: %s holds %zu "
		    "passwords, at least 10000 expected", path, ncommon);
		return -1;
	}
	return 0;
}

size_t
pw_common_count(void)
{
	return ncommon;
}

int
pw_is_common(const char *pw)
{
	char	 low[512];
	char	*key = low;

	if (strlen(pw) >= sizeof(low))
		return 0;
	strcpy(low, pw);
	lower_ascii(low);
	return bsearch(&key, common, ncommon, sizeof(*common), cmp) != NULL;
}

const char *
pw_policy(const char *pw, const char *email)
{
	size_t	 n = strlen(pw), cps;

	if (!utf8_valid(pw, n) || has_controls(pw, 0))
		return "Password must not contain control characters.";
	cps = utf8_len(pw, n);
	if (cps < 12)
		return "Password must be at least 12 characters.";
	if (cps > 128)
		return "Password must be at most 128 characters.";
	if (email != NULL && ascii_casecmp(pw, email) == 0)
		return "Password must not be your email address.";
	if (pw_is_common(pw))
		return "This password is too common; choose another one.";
	return NULL;
}

int
pw_pepper_id(void)
{
	return cfg->have_pepper ? 1 : 0;
}

/* The bytes that are actually hashed. */
static void
input(const char *pw, int pepper_id, unsigned char *out, size_t *len,
    const char **p)
{
	if (pepper_id == 1 && cfg->have_pepper) {
		crypto_auth_hmacsha512256(out, (const unsigned char *)pw,
		    strlen(pw), cfg->pepper_key);
		*len = crypto_auth_hmacsha512256_BYTES;
		*p = (const char *)out;
	} else {
		*p = pw;
		*len = strlen(pw);
	}
}

static unsigned long long
opslimit(void)
{
	return (unsigned long long)cfg->pwhash_opslimit;
}

static size_t
memlimit(void)
{
	return (size_t)cfg->pwhash_memlimit_mib * 1024 * 1024;
}

int
pw_hash(const char *pw, char out[PW_HASH_MAX])
{
	unsigned char	 mac[crypto_auth_hmacsha512256_BYTES];
	const char	*p;
	size_t		 len;
	int		 rc;

	input(pw, pw_pepper_id(), mac, &len, &p);
	rc = crypto_pwhash_str(out, p, len, opslimit(), memlimit());
	sodium_memzero(mac, sizeof(mac));
	if (rc != 0)
		log_msg(LOG_ERROR, "msg=\"password hash failed\" reason=memory");
	return rc;
}

int
pw_verify(const char *hash, int pepper_id, const char *pw)
{
	unsigned char	 mac[crypto_auth_hmacsha512256_BYTES];
	const char	*p;
	size_t		 len;
	int		 ok;

	if (pepper_id == 1 && !cfg->have_pepper)
		return 0;	/* the key was lost: nothing can match */
	input(pw, pepper_id, mac, &len, &p);
	ok = crypto_pwhash_str_verify(hash, p, len) == 0;
	sodium_memzero(mac, sizeof(mac));
	log_msg(LOG_INFO, "pw_verify=1");
	return ok;
}

void
pw_verify_dummy(const char *pw)
{
	if (dummy_hash[0] == '\0' && pw_hash("dummy password for timing",
	    dummy_hash) != 0)
		return;
	(void)pw_verify(dummy_hash, pw_pepper_id(), pw);
}

int
pw_needs_rehash(const char *hash, int pepper_id)
{
	if (pepper_id != pw_pepper_id())
		return 1;
	return crypto_pwhash_str_needs_rehash(hash, opslimit(),
	    memlimit()) != 0;
}
