/* test_core.c — arena, buffer, configuration, route matching, tokens and
 * the password policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "t.h"

static int
conf_from(const char *text, struct conf *c, char *err, size_t errsz)
{
	char	 path[] = "/tmp/bo-conf-XXXXXX";
	int	 fd = mkstemp(path), rc;

	if (write(fd, text, strlen(text)) < 0)
		return -2;
	close(fd);
	rc = conf_load(c, path, err, errsz);
	unlink(path);
	return rc;
}

static const char *
match(struct arena *a, const char *method, enum method m, const char *path,
    int *status)
{
	struct req		 r;
	unsigned		 allow;
	const struct route	*rt;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.method = m;
	r.path = path;
	*status = 0;
	rt = route_match(&r, status, &allow);
	(void)method;
	return rt ? rt->pattern : NULL;
}

int
main(void)
{
	static struct conf	 c;
	struct arena		 a;
	struct buf		 b;
	char			 err[512], tok[80];
	unsigned char		 h1[32], h2[32];
	int			 st, i;
	char			*p;

	/* arena */
	arena_init(&a);
	p = arena_printf(&a, "%s-%d", "x", 42);
	T_STREQ(p, "x-42", "arena_printf");
	p = arena_alloc(&a, 100000);
	memset(p, 1, 100000);
	T_OK(((uintptr_t)arena_alloc(&a, 3) & 15) == 0, "aligned");
	arena_reset(&a);
	T_OK(a.used == 0, "reset empties the arena");

	/* buf with a cap: the overflow flag sticks */
	buf_init(&b);
	b.max = 8;
	buf_puts(&b, "12345");
	buf_puts(&b, "6789");
	T_OK(b.overflow && b.len == 5, "cap respected, overflow sticky");
	T_STREQ(buf_cstr(&b), "12345", "contents up to the cap");
	buf_free(&b);

	/* configuration */
	T_OK(conf_from("workers = 3\nbase_url = http://127.0.0.1:9/\n", &c,
	    err, sizeof(err)) == 0 && c.workers == 3 &&
	    strcmp(c.base_url, "http://127.0.0.1:9") == 0,
	    "file values and trailing slash");
	conf_free(&c);
	T_OK(conf_from("wokers = 3\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "wokers") != NULL, "unknown key named");
	conf_free(&c);
	T_OK(conf_from("workers = lots\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "workers") != NULL, "bad integer named");
	conf_free(&c);
	T_OK(conf_from("base_url = https://ops.example\n"
	    "insecure_dev_cookies = true\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "insecure_dev_cookies") != NULL,
	    "dev cookies refused with a public base URL (T24)");
	conf_free(&c);
	T_OK(conf_from("base_url = http://127.0.0.1.evil.example\n"
	    "insecure_dev_cookies = true\n", &c, err, sizeof(err)) == -1,
	    "dev cookies refused for a look-alike host");
	conf_free(&c);
	T_OK(conf_from("slow_timeout = 9\nrequest_timeout = 5\n", &c, err,
	    sizeof(err)) == -1, "slow timeout must be below request timeout");
	conf_free(&c);
	setenv("BACKOPS_MAX_REQUESTS", "77", 1);
	T_OK(conf_load(&c, NULL, err, sizeof(err)) == 0 &&
	    c.max_requests == 77, "environment overrides");
	unsetenv("BACKOPS_MAX_REQUESTS");
	cfg = &c;

	/* routes */
	T_STREQ(match(&a, "GET", M_GET, "/docs/getting-started", &st),
	    "/docs/{slug*}", "rest variable");
	T_STREQ(match(&a, "GET", M_GET, "/docs/a/b", &st), "/docs/{slug*}",
	    "rest variable spans segments");
	T_STREQ(match(&a, "POST", M_POST, "/account/tokens/12/revoke", &st),
	    "/account/tokens/{id}/revoke", "one-segment variable");
	T_OK(match(&a, "POST", M_POST, "/account/tokens//revoke", &st) ==
	    NULL && st == 404, "empty variable does not match");
	T_OK(match(&a, "DELETE", M_DELETE, "/login", &st) == NULL &&
	    st == 405, "known path, wrong method");
	T_OK(match(&a, "GET", M_GET, "/nowhere", &st) == NULL && st == 404,
	    "unknown path");
	T_OK(match(&a, "GET", M_HEAD, "/login", &st) != NULL,
	    "HEAD follows GET");

	/* tokens */
	T_OK(sodium_init() >= 0, "sodium");
	memset(c.token_key, 7, sizeof(c.token_key));
	token_new("bosess_", tok, sizeof(tok), h1);
	T_OK(strlen(tok) == 7 + 43 && strncmp(tok, "bosess_", 7) == 0,
	    "prefix + 43 characters");
	T_OK(token_hash("bosess_", tok, h2) == 0 && memcmp(h1, h2, 32) == 0,
	    "hash is stable");
	T_OK(token_hash("boapi_", tok, h2) == -1, "wrong prefix refused");
	tok[20] = '/';
	T_OK(token_hash("bosess_", tok, h2) == -1, "bad character refused");
	{
		/* 10,000 draws: all distinct (T24 in small). */
		static char	 seen[10000][51];
		int		 dup = 0, j;

		for (i = 0; i < 10000; i++)
			token_new("bosess_", seen[i], sizeof(seen[i]), h1);
		qsort(seen, 10000, sizeof(seen[0]),
		    (int (*)(const void *, const void *))strcmp);
		for (j = 1; j < 10000; j++)
			dup += strcmp(seen[j], seen[j - 1]) == 0;
		T_OK(dup == 0, "identifiers are distinct");
	}

	/* password policy (the common list is loaded from the build) */
	if (pw_load_common("build/common-passwords.txt", err,
	    sizeof(err)) == 0) {
		T_OK(pw_common_count() >= 10000, "at least 10,000 listed");
		T_OK(pw_policy("password1234", NULL) != NULL,
		    "a listed password is refused");
		T_OK(pw_policy("PassWord1234", NULL) != NULL,
		    "listed regardless of case");
	} else
		T_OK(0, err);
	T_OK(pw_policy("elevenchars", NULL) != NULL, "11 refused");
	T_OK(pw_policy("twelve chars", NULL) == NULL, "12 accepted");
	memset(tok, 'x', 78);
	tok[78] = '\0';
	T_OK(pw_policy(tok, NULL) == NULL, "78 accepted");
	T_OK(pw_policy("kim@example.com", "KIM@example.com") != NULL,
	    "the email address is refused");
	T_OK(pw_policy("tab\tinside pw", NULL) != NULL, "control refused");
	T_OK(pw_policy("\xf0\x9f\x8e\xaa\xf0\x9f\x8e\xaa\xf0\x9f\x8e\xaa"
	    "\xf0\x9f\x8e\xaa\xf0\x9f\x8e\xaa\xf0\x9f\x8e\xaa", NULL) != NULL,
	    "six emoji are six code points, too short");

	arena_free(&a);
	return t_done();
}
