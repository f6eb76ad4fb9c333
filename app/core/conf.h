/* conf.h — configuration: `key = value` file, BACKOPS_<KEY> environment
 * overrides, validated at start-up (DESIGN §9). Every key is listed in the
 * table in conf.c and documented in conf/backops.conf.example. */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

struct conf {
	/* web */
	char	*base_url;		/* public origin, no trailing slash */
	char	*socket;		/* FastCGI unix socket path */
	int	 listen_backlog;
	int	 insecure_dev_cookies;
	/* supervision (RELIABILITY §1) */
	int	 workers;
	int	 max_requests;
	int	 slow_timeout;		/* seconds */
	int	 request_timeout;
	int	 shutdown_timeout;
	int	 crash_brake_exits;
	int	 crash_brake_window;
	int	 crash_brake_quiet;
	/* limits */
	int	 max_body;		/* bytes, default for form/JSON routes */
	int	 upload_limit;		/* bytes */
	int	 invitation_ttl_days;	/* invitation links stay valid */
	int	 signup_ip_limit;	/* sign-ups per IP per hour */
	int	 reset_ip_limit;	/* reset requests per IP per hour */
	/* database */
	char	*db_socket;
	char	*db_host;
	int	 db_port;
	char	*db_name;
	char	*db_user;
	char	*db_password;
	char	*db_password_file;
	int	 require_durable_db;
	/* secrets and passwords */
	char	*token_key_file;
	char	*pepper_key_file;
	int	 pwhash_opslimit;
	int	 pwhash_memlimit_mib;
	char	*common_passwords_file;
	/* sessions */
	int	 session_idle_timeout;	/* seconds */
	int	 session_absolute_timeout;
	/* files */
	char	*sql_dir;
	char	*template_dir;
	char	*docs_dir;
	char	*data_dir;
	/* billing (PRODUCT §4): unit prices in cents per period */
	int	 price_org_standard;
	int	 price_org_pro;
	int	 price_event_pro;
	char	*currency;
	char	*billing_period;
	char	*billing_hook;		/* command: JSON in, JSON verdict out */
	/* mail */
	char	*mail_from;
	char	*mail_command;
	char	*mail_dir;
	/* logging */
	char	*log_file;
	char	*log_level;
	/* tests */
	int	 debug_headers;		/* X-Debug-Queries; test config only */
	/* derived, not keys */
	unsigned char token_key[32];
	unsigned char pepper_key[32];
	int	 have_pepper;
	int	 https;			/* base_url is https:// */
};

/* Load defaults, then the file (may be NULL), then the environment.
 * On error writes a message naming the key into err and returns -1. */
int	 conf_load(struct conf *, const char *path, char *err, size_t errsz);
/* Read key files (token key, pepper, db password file). */
int	 conf_load_secrets(struct conf *, char *err, size_t errsz);
void	 conf_free(struct conf *);
/* Iterate documented keys (for tests and `backopsd config`). */
const char *conf_key_name(size_t i);
/* Print every key with its effective value (secrets masked). */
void	 conf_dump(const struct conf *, int fd);



/* The configuration in force in this process (set by main, swapped by the
 * master on HUP before it forks the new generation). */
extern const struct conf *cfg;
#endif
