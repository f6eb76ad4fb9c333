/* conf.c — configuration table, parser, validation. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "util.h"

enum ktype { K_STR, K_INT, K_BOOL };

struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	const char	*def;
	long		 min, max;	/* K_INT bounds */
	int		 secret;	/* masked by conf_dump */
};

#define S(n, d)		{ #n, K_STR, offsetof(struct conf, n), d, 0, 0, 0 }
#define SS(n, d)	{ #n, K_STR, offsetof(struct conf, n), d, 0, 0, 1 }
#define I(n, d, lo, hi)	{ #n, K_INT, offsetof(struct conf, n), #d, lo, hi, 0 }
#define B(n, d)		{ #n, K_BOOL, offsetof(struct conf, n), #d, 0, 1, 0 }

static const struct key keys[] = {
	S(base_url, "http://127.0.0.1:8080"),
	S(socket, "var/run/backopsd.sock"),
	I(listen_backlog, 256, 1, 65535),
	B(insecure_dev_cookies, 0),
	I(workers, 0, 0, 256),		/* 0: 2 × CPU cores, at least 2 */
	I(max_requests, 1000, 1, 100000000),
	I(slow_timeout, 5, 1, 3600),
	I(request_timeout, 30, 1, 3600),
	I(shutdown_timeout, 30, 1, 3600),
	I(crash_brake_exits, 10, 1, 1000),
	I(crash_brake_window, 60, 1, 3600),
	I(crash_brake_quiet, 300, 1, 86400),
	I(max_body, 65536, 1024, 16777216),
	I(upload_limit, 104857600, 1024, 2147483647),
	I(invitation_ttl_days, 7, 1, 90),
	I(signup_ip_limit, 5, 1, 1000000),
	I(reset_ip_limit, 5, 1, 1000000),
	S(db_socket, "var/run/mysqld.sock"),
	S(db_host, ""),
	I(db_port, 3306, 1, 65535),
	S(db_name, "backops"),
	S(db_user, "backops"),
	SS(db_password, ""),
	S(db_password_file, ""),
	B(require_durable_db, 1),
	S(token_key_file, "var/secret/token.key"),
	S(pepper_key_file, "var/secret/pepper.key"),
	I(pwhash_opslimit, 2, 2, 20),
	I(pwhash_memlimit_mib, 64, 64, 1024),
	S(common_passwords_file, "build/common-passwords.txt"),
	I(session_idle_timeout, 1800, 60, 86400),
	I(session_absolute_timeout, 43200, 300, 2592000),
	S(sql_dir, "sql"),
	S(template_dir, "app/templates"),
	S(docs_dir, "public/docs"),
	S(data_dir, "var/data"),
	I(price_org_standard, 1500, 0, 100000000),
	I(price_org_pro, 4500, 0, 100000000),
	I(price_event_pro, 2500, 0, 100000000),
	S(currency, "EUR"),
	S(billing_period, "month"),
	S(billing_hook, ""),
	S(mail_from, "BackOps <no-reply@localhost>"),
	S(mail_command, ""),
	S(mail_dir, "var/mail"),
	S(log_file, "-"),
	S(log_level, "info"),
	B(debug_headers, 0),
};

const struct conf *cfg;

const char *
conf_key_name(size_t i)
{
	return i < countof(keys) ? keys[i].name : NULL;
}

static int
set_value(struct conf *c, const struct key *k, const char *v,
    char *err, size_t errsz)
{
	char	*end;
	long	 n;

	switch (k->type) {
	case K_STR: {
		char	**dst = (char **)((char *)c + k->off);

		free(*dst);
		*dst = xstrdup(v);
		return 0;
	}
	case K_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
		    strcmp(v, "yes") == 0 || strcmp(v, "on") == 0)
			n = 1;
		else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
		    strcmp(v, "no") == 0 || strcmp(v, "off") == 0)
			n = 0;
		else {
			snprintf(err, errsz, "%s: expected true or false, "
			    "got \"%s\"", k->name, v);
			return -1;
		}
		*(int *)((char *)c + k->off) = (int)n;
		return 0;
	case K_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' ||
		    n < k->min || n > k->max) {
			snprintf(err, errsz, "%s: expected a whole number "
			    "from %ld to %ld, got \"%s\"", k->name, k->min,
			    k->max, v);
			return -1;
		}
		*(int *)((char *)c + k->off) = (int)n;
		return 0;
	}
	return -1;
}

static const struct key *
find_key(const char *name)
{
	size_t	 i;

	for (i = 0; i < countof(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int
load_file(struct conf *c, const char *path, char *err, size_t errsz)
{
	FILE	*f = fopen(path, "r");
	char	 line[4096];
	int	 lineno = 0;

	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char			*s = trim(line), *eq, *name, *val;
		const struct key	*k;

		lineno++;
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected key = value",
			    path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		name = trim(s);
		val = trim(eq + 1);
		if ((k = find_key(name)) == NULL) {
			snprintf(err, errsz, "%s:%d: %s: unknown key", path,
			    lineno, name);
			fclose(f);
			return -1;
		}
		if (set_value(c, k, val, err, errsz) != 0) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int
validate(struct conf *c, char *err, size_t errsz)
{
	size_t	 n;

	n = strlen(c->base_url);
	if (strncmp(c->base_url, "http://", 7) != 0 &&
	    strncmp(c->base_url, "https://", 8) != 0) {
		snprintf(err, errsz, "base_url: must start with http:// or "
		    "https://");
		return -1;
	}
	if (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[n - 1] = '\0';
	c->https = strncmp(c->base_url, "https://", 8) == 0;
	/* SES-3: plain-HTTP cookies only on a loopback base URL. */
	if (c->insecure_dev_cookies &&
	    strncmp(c->base_url, "http://localhost", 16) != 0 &&
	    strncmp(c->base_url, "http://127.0.0.1", 16) != 0) {
		snprintf(err, errsz, "insecure_dev_cookies: allowed only with "
		    "a base_url of http://localhost or http://127.0.0.1");
		return -1;
	}
	if (c->insecure_dev_cookies) {
		const char *rest = c->base_url + 16;

		if (*rest != '\0' && *rest != ':') {
			snprintf(err, errsz, "insecure_dev_cookies: allowed "
			    "only with a loopback base_url");
			return -1;
		}
	}
	if (c->socket[0] == '\0') {
		snprintf(err, errsz, "socket: must not be empty");
		return -1;
	}
	if (c->slow_timeout >= c->request_timeout) {
		snprintf(err, errsz, "slow_timeout: must be below "
		    "request_timeout");
		return -1;
	}
	if (c->workers == 0) {
		long	 cpus = sysconf(_SC_NPROCESSORS_ONLN);

		c->workers = cpus > 1 ? (int)(2 * cpus) : 2;
	}
	if (strlen(c->currency) != 3 || strspn(c->currency,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		snprintf(err, errsz, "currency: an ISO 4217 code such as EUR");
		return -1;
	}
	if (strcmp(c->log_level, "debug") && strcmp(c->log_level, "info") &&
	    strcmp(c->log_level, "warn") && strcmp(c->log_level, "error")) {
		snprintf(err, errsz, "log_level: one of debug, info, warn, "
		    "error");
		return -1;
	}
	return 0;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errsz)
{
	size_t	 i;
	char	 env[128];

	memset(c, 0, sizeof(*c));
	for (i = 0; i < countof(keys); i++)
		if (set_value(c, &keys[i], keys[i].def, err, errsz) != 0)
			return -1;
	if (path != NULL && load_file(c, path, err, errsz) != 0)
		return -1;
	for (i = 0; i < countof(keys); i++) {
		const char	*v;
		size_t		 j;

		snprintf(env, sizeof(env), "BACKOPS_%s", keys[i].name);
		for (j = 8; env[j] != '\0'; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) != NULL &&
		    set_value(c, &keys[i], v, err, errsz) != 0)
			return -1;
	}
	return validate(c, err, errsz);
}

static int
read_key_file(const char *key, const char *path, unsigned char *out,
    char *err, size_t errsz)
{
	int	 fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t	 n;

	if (fd < 0) {
		snprintf(err, errsz, "%s: cannot open %s: %s", key, path,
		    strerror(errno));
		return -1;
	}
	n = read(fd, out, 32);
	close(fd);
	if (n != 32) {
		snprintf(err, errsz, "%s: %s must hold at least 32 bytes",
		    key, path);
		return -1;
	}
	return 0;
}

int
conf_load_secrets(struct conf *c, char *err, size_t errsz)
{
	if (read_key_file("token_key_file", c->token_key_file, c->token_key,
	    err, errsz) != 0)
		return -1;
	c->have_pepper = 0;
	if (c->pepper_key_file[0] != '\0') {
		if (read_key_file("pepper_key_file", c->pepper_key_file,
		    c->pepper_key, err, errsz) != 0)
			return -1;
		c->have_pepper = 1;
	}
	if (c->db_password_file[0] != '\0') {
		FILE	*f = fopen(c->db_password_file, "r");
		char	 line[512];

		if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
			snprintf(err, errsz, "db_password_file: cannot read "
			    "%s", c->db_password_file);
			if (f != NULL)
				fclose(f);
			return -1;
		}
		fclose(f);
		free(c->db_password);
		c->db_password = xstrdup(trim(line));
	}
	return 0;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	for (i = 0; i < countof(keys); i++)
		if (keys[i].type == K_STR)
			free(*(char **)((char *)c + keys[i].off));
	memset(c, 0, sizeof(*c));
}

void
conf_dump(const struct conf *c, int fd)
{
	size_t	 i;

	for (i = 0; i < countof(keys); i++) {
		const void	*p = (const char *)c + keys[i].off;

		if (keys[i].type == K_STR)
			dprintf(fd, "%s = %s\n", keys[i].name,
			    keys[i].secret && **(char *const *)p ? "(set)" :
			    *(char *const *)p);
		else
			dprintf(fd, "%s = %d\n", keys[i].name, *(const int *)p);
	}
}
