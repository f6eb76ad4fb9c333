/* password.h — the password policy and argon2id hashing (AUTH-1..3). */
#ifndef PASSWORD_H
#define PASSWORD_H

#include <stddef.h>

#define PW_HASH_MAX	128

/* Load the common-password list (master, before forking). */
int	 pw_load_common(const char *path, char *err, size_t errsz);
size_t	 pw_common_count(void);
int	 pw_is_common(const char *pw);
/* NULL when acceptable, else a message for the form: 12–128 code points,
 * no control characters, not listed, not the email address. */
const char *pw_policy(const char *pw, const char *email);
/* 0 ok, -1 out of memory (→ 503, never "wrong password"). */
int	 pw_hash(const char *pw, char out[PW_HASH_MAX]);
/* 1 match, 0 no match. Unknown accounts verify a dummy hash (AUTH-5). */
int	 pw_verify(const char *hash, int pepper_id, const char *pw);
void	 pw_verify_dummy(const char *pw);
int	 pw_needs_rehash(const char *hash, int pepper_id);
/* The pepper id stored beside a new hash (0 = none, 1 = key file). */
int	 pw_pepper_id(void);

#endif
