/* billing.c — unit prices, money, the billing hook runner and the
 * append-only billing history (PRODUCT §4).
 *
 * The hook is an operator's command that hears of every license change
 * before it is applied and may refuse it. It runs while the caller holds
 * the pool's row lock, so what it approves is exactly what is applied;
 * its deadline is therefore short and absolute, and anything but a clear
 * "yes" in time counts as "no". */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "billing.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/util.h"
#include "db/db.h"
#include "model/user.h"
#include "render/timefmt.h"
#include "render/view.h"

#define HOOK_OUT_MAX	16384	/* a verdict is a few hundred bytes */
#define HOOK_ERR_MAX	1024	/* kept for the log */
#define HOOK_MARGIN_MS	2000	/* left before request_timeout */
#define HOOK_MIN_MS	500	/* less than this: don't even start it */

extern char	**environ;

static struct dbq q_insert = DBQ(
    "INSERT INTO billing_events (org_id, pool_id, kind, product,"
    " old_quantity, new_quantity, unit_price_cents, currency,"
    " actor_user_id, at, hook_reference) VALUES (?, NULLIF(?, 0), ?, ?,"
    " NULLIF(?, -1), ?, ?, ?, NULLIF(?, 0), COALESCE(?, UTC_TIMESTAMP(3)),"
    " NULLIF(?, ''))");
static struct dbq q_new_pool = DBQ(
    "SELECT id FROM license_pools WHERE org_id = ? AND product = ?"
    " ORDER BY id DESC LIMIT 1");
static struct dbq q_history = DBQ(
    "SELECT b.id, b.kind, b.pool_id, p.label, b.product,"
    " COALESCE(b.old_quantity, -1), COALESCE(b.new_quantity, -1),"
    " b.unit_price_cents, b.currency,"
    " DATE_FORMAT(b.at, '%Y-%m-%dT%H:%i:%sZ'), b.hook_reference,"
    " u.name, u.email "
    "FROM billing_events b"
    " LEFT JOIN license_pools p ON p.id = b.pool_id"
    " LEFT JOIN users u ON u.id = b.actor_user_id "
    "WHERE b.org_id = ? ORDER BY b.at DESC, b.id DESC LIMIT ?");

static const char *const kinds[] = {
	"pool_created", "quantity_changed", "pool_closed"
};
static const char *const kind_labels[] = {
	"Pool created", "Quantity changed", "Pool closed"
};

const char *
billing_kind_name(enum billing_kind k)
{
	return k <= BK_POOL_CLOSED ? kinds[k] : "";
}

static const char *
kind_label(const char *name)
{
	size_t	 i;

	for (i = 0; i < countof(kinds); i++)
		if (strcmp(name, kinds[i]) == 0)
			return kind_labels[i];
	return name;
}

int64_t
billing_unit_price(enum product p)
{
	switch (p) {
	case PROD_ORG_STANDARD:
		return cfg->price_org_standard;
	case PROD_ORG_PRO:
		return cfg->price_org_pro;
	case PROD_EVENT_PRO:
		return cfg->price_event_pro;
	default:
		return 0;
	}
}

const char *
billing_money(struct req *r, int64_t cents)
{
	char		 digits[24], grouped[32];
	uint64_t	 u = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
	size_t		 n, i, j = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, u / 100);
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	return arena_printf(r->a, "%s %s%s.%02u", cfg->currency,
	    cents < 0 ? "-" : "", grouped, (unsigned)(u % 100));
}

json_object *
billing_prices_json(struct req *r)
{
	json_object	*o = json_object_new_object(), *p;
	int		 i;

	for (i = 0; i < PROD__MAX; i++) {
		p = json_object_new_object();
		vset_int(p, "unit_price_cents",
		    billing_unit_price((enum product)i));
		vset_str(p, "unit_price", billing_money(r,
		    billing_unit_price((enum product)i)));
		vset_str(p, "currency", cfg->currency);
		vset_str(p, "period", cfg->billing_period);
		vset_obj(o, product_name((enum product)i), p);
	}
	return o;
}

/* --- the hook runner ------------------------------------------------- */

static void
refuse(struct billing_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
refuse(struct billing_verdict *v, const char *fmt, ...)
{
	va_list	 ap;

	v->accept = 0;
	v->reference[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
}

/* Copy at most dstsz - 1 bytes of UTF-8 text without cutting a
 * character, control characters turned into spaces (the text ends up
 * in pages and logs). */
static void
copy_text(char *dst, size_t dstsz, const char *s)
{
	size_t	 n = strlen(s), i;

	if (n >= dstsz) {
		n = dstsz - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		dst[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? ' ' :
		    s[i];
	dst[n] = '\0';
}

static size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The verdict: exactly one JSON object, "accept" a boolean, "message"
 * and "reference" strings or absent. 0, or -1 for anything else. */
static int
parse_verdict(const char *s, size_t len, struct billing_verdict *v,
    char *why, size_t whysz)
{
	struct json_tokener	*tok;
	json_object		*o, *a, *m = NULL, *ref = NULL;
	size_t			 end;
	int			 rc = -1;

	if ((tok = json_tokener_new()) == NULL)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o == NULL) {
		snprintf(why, whysz, "not JSON");
		return -1;
	}
	for (; end < len; end++)
		if (strchr(" \t\r\n", s[end]) == NULL) {
			snprintf(why, whysz, "text after the JSON object");
			goto out;
		}
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "accept", &a) ||
	    !json_object_is_type(a, json_type_boolean)) {
		snprintf(why, whysz, "no boolean \"accept\"");
		goto out;
	}
	if ((json_object_object_get_ex(o, "message", &m) && m != NULL &&
	    !json_object_is_type(m, json_type_string)) ||
	    (json_object_object_get_ex(o, "reference", &ref) && ref != NULL &&
	    !json_object_is_type(ref, json_type_string))) {
		snprintf(why, whysz, "\"message\" or \"reference\" not a "
		    "string");
		goto out;
	}
	if (ref != NULL && utf8_chars(json_object_get_string(ref)) >
	    BILLING_REF_MAX) {
		snprintf(why, whysz, "\"reference\" longer than %d characters",
		    BILLING_REF_MAX);
		goto out;
	}
	v->accept = json_object_get_boolean(a);
	copy_text(v->message, sizeof(v->message), m != NULL ?
	    json_object_get_string(m) : "");
	copy_text(v->reference, sizeof(v->reference), ref != NULL ?
	    json_object_get_string(ref) : "");
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

/* The hook's environment: ours without BACKOPS_* (configuration
 * overrides may carry the database password). */
static char **
hook_env(void)
{
	char	**env;
	size_t	 n = 0, i, j = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	env = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "BACKOPS_", 8) != 0)
			env[j++] = environ[i];
	env[j] = NULL;
	return env;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
child(const char *cmd, char **env, int in, int out, int err)
{
	struct sigaction	 sa;
	sigset_t		 none;
	char			*argv[4];
	int			 sig, fd;

	/* Its own process group, so a timeout kills what it started too. */
	setpgid(0, 0);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	/* Nothing of ours — the FastCGI and database sockets, the log —
	 * reaches the hook. */
	if (close_range(3, ~0U, 0) != 0)
		for (fd = 3; fd < 1024; fd++)
			close(fd);
	/* Workers ignore PIPE, HUP and INT and may block others; exec keeps
	 * both, so restore the defaults. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = (char *)cmd;
	argv[3] = NULL;
	execve("/bin/sh", argv, env);
	_exit(127);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

int
billing_hook_run(const char *cmd, const char *input, int timeout_ms,
    struct billing_verdict *v)
{
	struct pollfd	 pfd[3];
	char		 out[HOOK_OUT_MAX], err[HOOK_ERR_MAX + 1], scratch[512];
	char		 why[128];
	char		**env;
	size_t		 inlen = strlen(input), off = 0, olen = 0, elen = 0;
	int		 pin[2] = { -1, -1 }, pout[2] = { -1, -1 };
	int		 perr[2] = { -1, -1 }, status = 0, timed_out = 0;
	int		 overflow = 0, i;
	int64_t		 deadline = now_mono_ms() + timeout_ms, left;
	pid_t		 pid;
	ssize_t		 n;

	memset(v, 0, sizeof(*v));
	if (pipe2(pin, O_CLOEXEC) != 0 || pipe2(pout, O_CLOEXEC) != 0 ||
	    pipe2(perr, O_CLOEXEC) != 0) {
		log_msg(LOG_ERROR, "billing_hook=error step=pipe error=%s",
		    lq(strerror(errno)));
		close_fd(&pin[0]), close_fd(&pin[1]);
		close_fd(&pout[0]), close_fd(&pout[1]);
		refuse(v, "The billing system could not be reached, so "
		    "nothing was changed. Try again later.");
		return 1;
	}
	env = hook_env();
	if ((pid = fork()) == 0)
		child(cmd, env, pin[0], pout[1], perr[1]);
	free(env);
	close_fd(&pin[0]), close_fd(&pout[1]), close_fd(&perr[1]);
	if (pid < 0) {
		log_msg(LOG_ERROR, "billing_hook=error step=fork error=%s",
		    lq(strerror(errno)));
		close_fd(&pin[1]), close_fd(&pout[0]), close_fd(&perr[0]);
		refuse(v, "The billing system could not be started, so "
		    "nothing was changed. Try again later.");
		return 1;
	}
	(void)setpgid(pid, pid);	/* as the child does: no race */
	fcntl(pin[1], F_SETFL, O_NONBLOCK);
	fcntl(pout[0], F_SETFL, O_NONBLOCK);
	fcntl(perr[0], F_SETFL, O_NONBLOCK);
	if (inlen == 0)
		close_fd(&pin[1]);

	/* Feed stdin and drain stdout and stderr together: a hook that
	 * answers before reading everything must not block us, nor we it. */
	while (pout[0] >= 0 || perr[0] >= 0) {
		int	*fds[3] = { &pin[1], &pout[0], &perr[0] };

		if ((left = deadline - now_mono_ms()) <= 0) {
			timed_out = 1;
			break;
		}
		for (i = 0; i < 3; i++) {
			pfd[i].fd = *fds[i];	/* -1: ignored by poll */
			pfd[i].events = i == 0 ? POLLOUT : POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, 3, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERROR, "billing_hook=error step=poll "
			    "error=%s", lq(strerror(errno)));
			timed_out = 1;
			break;
		}
		if (pin[1] >= 0 && pfd[0].revents != 0) {
			n = write(pin[1], input + off, inlen - off);
			if (n > 0)
				off += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    off == inlen)
				close_fd(&pin[1]);	/* done, or EPIPE */
		}
		if (pout[0] >= 0 && pfd[1].revents != 0) {
			if (olen < sizeof(out))
				n = read(pout[0], out + olen,
				    sizeof(out) - olen);
			else if ((n = read(pout[0], scratch,
			    sizeof(scratch))) > 0)
				overflow = 1;
			if (n > 0 && olen < sizeof(out))
				olen += (size_t)n;
			if (n == 0 || (n < 0 && errno != EAGAIN &&
			    errno != EINTR))
				close_fd(&pout[0]);
		}
		if (perr[0] >= 0 && pfd[2].revents != 0) {
			n = read(perr[0], elen < HOOK_ERR_MAX ? err + elen :
			    scratch, elen < HOOK_ERR_MAX ? HOOK_ERR_MAX - elen :
			    sizeof(scratch));
			if (n > 0 && elen < HOOK_ERR_MAX)
				elen += (size_t)n;
			if (n == 0 || (n < 0 && errno != EAGAIN &&
			    errno != EINTR))
				close_fd(&perr[0]);
		}
	}
	close_fd(&pin[1]), close_fd(&pout[0]), close_fd(&perr[0]);

	/* Output closed: the exit should follow at once; still bounded. */
	while (!timed_out) {
		pid_t	 w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		if (now_mono_ms() >= deadline) {
			timed_out = 1;
			break;
		}
		nanosleep(&(struct timespec){ 0, 2 * 1000000L }, NULL);
	}
	if (timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		reap(pid, &status);
		log_msg(LOG_WARN, "billing_hook=refused reason=timeout "
		    "timeout_ms=%d", timeout_ms);
		refuse(v, "The billing system did not answer within %d "
		    "seconds, so nothing was changed. Try again later; if it "
		    "keeps happening, tell the operator of this BackOps "
		    "instance.", (timeout_ms + 999) / 1000);
		return 1;
	}
	err[elen] = '\0';
	if (elen > 0)
		log_msg(LOG_INFO, "billing_hook_stderr=%s", lq(err));

	while (olen > 0 && strchr(" \t\r\n", out[olen - 1]) != NULL)
		olen--;
	why[0] = '\0';
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* A message printed before failing is still worth showing. */
		if (olen > 0 && !overflow &&
		    parse_verdict(out, olen, v, why, sizeof(why)) == 0 &&
		    v->message[0] != '\0') {
			char	 m[BILLING_MSG_MAX];

			copy_text(m, sizeof(m) - 80, v->message);
			refuse(v, "Declined by the billing system: %s — nothing "
			    "was changed.", m);
		} else
			refuse(v, "The billing system failed, so nothing was "
			    "changed. Try again later; if it keeps happening, "
			    "tell the operator of this BackOps instance.");
		log_msg(LOG_WARN, "billing_hook=refused reason=exit "
		    "status=%d signal=%d", status != -1 && WIFEXITED(status) ?
		    WEXITSTATUS(status) : -1, status != -1 &&
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		return 1;
	}
	if (olen == 0) {
		log_msg(LOG_WARN, "billing_hook=refused reason=silent");
		refuse(v, "The billing system gave no answer, so nothing was "
		    "changed. Try again later; if it keeps happening, tell the "
		    "operator of this BackOps instance.");
		return 1;
	}
	if (overflow || parse_verdict(out, olen, v, why, sizeof(why)) != 0) {
		log_msg(LOG_WARN, "billing_hook=refused reason=bad_answer "
		    "detail=%s", lq(overflow ? "answer too long" : why));
		refuse(v, "The billing system gave an answer BackOps could not "
		    "read, so nothing was changed. Tell the operator of this "
		    "BackOps instance.");
		return 1;
	}
	if (!v->accept) {
		char	 m[BILLING_MSG_MAX];

		log_msg(LOG_INFO, "billing_hook=refused reason=declined "
		    "message=%s", lq(v->message));
		copy_text(m, sizeof(m) - 80, v->message);
		if (m[0] != '\0')
			refuse(v, "Declined by the billing system: %s — nothing "
			    "was changed.", m);
		else
			refuse(v, "The billing system declined this change, so "
			    "nothing was changed.");
		return 1;
	}
	log_msg(LOG_INFO, "billing_hook=accepted reference=%s",
	    lq(v->reference));
	return 0;
}

/* --- consulting and recording ---------------------------------------- */

static void
now_utc(char *out, size_t outsz)
{
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, outsz - n, ".%03uZ",
	    (unsigned)(ts.tv_nsec / 1000000L) % 1000);
}

int
billing_consult(struct req *r, struct billing_change *c,
    struct billing_verdict *v)
{
	json_object	*in;
	int64_t		 budget;
	int		 rc;

	now_utc(c->at, sizeof(c->at));
	memset(v, 0, sizeof(*v));
	if (cfg->billing_hook == NULL || cfg->billing_hook[0] == '\0') {
		v->accept = 1;
		return 0;
	}
	/* The hook runs inside the request: it must end, and be reported,
	 * before the master's request_timeout ends the worker. */
	budget = (int64_t)cfg->request_timeout * 1000 - HOOK_MARGIN_MS -
	    (now_mono_ms() - r->t0_ms);
	if (budget > BILLING_HOOK_MS)
		budget = BILLING_HOOK_MS;
	if (budget < HOOK_MIN_MS) {
		log_msg(LOG_WARN, "billing_hook=refused reason=no_time");
		refuse(v, "The billing system could not be asked in time, so "
		    "nothing was changed. Try again.");
		return 1;
	}
	in = json_object_new_object();
	vset_str(in, "kind", billing_kind_name(c->kind));
	vset_int(in, "org_id", c->org_id);
	vset_str(in, "org_name", c->org_name);
	vset_int(in, "pool_id", c->pool_id);
	vset_str(in, "product", product_name(c->product));
	if (c->old_quantity < 0)
		vset_obj(in, "old_quantity", NULL);
	else
		vset_int(in, "old_quantity", c->old_quantity);
	vset_int(in, "new_quantity", c->new_quantity);
	vset_int(in, "unit_price_cents", billing_unit_price(c->product));
	vset_str(in, "currency", cfg->currency);
	vset_str(in, "actor_email", r->user ? r->user->email : NULL);
	vset_str(in, "time", c->at);
	log_msg(LOG_INFO, "billing_hook=call kind=%s org=%lld pool=%lld "
	    "old=%lld new=%lld", billing_kind_name(c->kind),
	    (long long)c->org_id, (long long)c->pool_id,
	    (long long)c->old_quantity, (long long)c->new_quantity);
	rc = billing_hook_run(cfg->billing_hook,
	    json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), (int)budget, v);
	json_object_put(in);
	return rc;
}

int
billing_record(struct req *r, const struct billing_change *c,
    const char *reference)
{
	char	 at[32], *p;

	/* "2026-11-22T07:16:00.123Z" → DATETIME(3) "2026-11-22 07:16:00.123" */
	snprintf(at, sizeof(at), "%s", c->at);
	if ((p = strchr(at, 'T')) != NULL)
		*p = ' ';
	if ((p = strchr(at, 'Z')) != NULL)
		*p = '\0';
	return db_exec(&q_insert, "iissiiisiss", c->org_id, c->pool_id,
	    billing_kind_name(c->kind), product_name(c->product),
	    c->old_quantity, c->new_quantity, billing_unit_price(c->product),
	    cfg->currency, r->user ? r->user->id : 0,
	    at[0] != '\0' ? at : NULL, reference) < 0 ? -1 : 0;
}

int
billing_apply(struct req *r, struct billing_change *c, char *msg,
    size_t msgsz, struct billing_verdict *out)
{
	struct billing_verdict	 v;

	if (billing_consult(r, c, &v) != 0) {
		snprintf(msg, msgsz, "%s", v.message);
		if (out != NULL)
			*out = v;
		return 1;
	}
	if (out != NULL)
		*out = v;
	return billing_record(r, c, v.reference) != 0 ? -1 : 0;
}

int
billing_pools_created(struct req *r, int64_t org_id, const char *org_name,
    enum product prod, int64_t quantity, char *msg, size_t msgsz)
{
	struct billing_change	 c;
	int64_t			 pool = 0;
	int			 rc;

	if (db_select(&q_new_pool, "is", org_id, product_name(prod)) != 0)
		return -1;
	rc = db_fetch(&q_new_pool, "i", &pool);
	db_done(&q_new_pool);
	if (rc != 1)
		return -1;
	memset(&c, 0, sizeof(c));
	c.kind = BK_POOL_CREATED;
	c.org_id = org_id;
	c.org_name = org_name;
	c.pool_id = pool;
	c.product = prod;
	c.old_quantity = -1;
	c.new_quantity = quantity;
	return billing_apply(r, &c, msg, msgsz, NULL);
}

json_object *
billing_history(struct req *r, int64_t org_id, const char *tz, int limit)
{
	json_object	*a;
	int64_t		 id, pool, oldq, newq, price;
	char		*kind, *label, *prod, *cur, *at, *ref, *name, *email;
	enum product	 p;
	int		 rc;

	if (db_select(&q_history, "ii", org_id, (int64_t)limit) != 0)
		return NULL;
	a = json_object_new_array();
	while ((rc = db_fetch(&q_history, "isissiiisssss", &id, &kind, &pool,
	    &label, &prod, &oldq, &newq, &price, &cur, &at, &ref, &name,
	    &email)) == 1) {
		json_object	*e = json_object_new_object();
		int64_t		 before = oldq < 0 ? 0 : oldq;

		vset_int(e, "id", id);
		vset_str(e, "kind", kind);
		vset_str(e, "kind_label", kind_label(kind));
		vset_int(e, "pool_id", pool);
		vset_str(e, "pool_label", label);
		vset_str(e, "product", prod);
		vset_str(e, "product_label", product_parse(prod, &p) == 0 ?
		    product_label(p) : prod);
		if (oldq < 0)
			vset_obj(e, "old_quantity", NULL);
		else
			vset_int(e, "old_quantity", oldq);
		vset_int(e, "new_quantity", newq);
		vset_str(e, "from_to", oldq < 0 ? arena_printf(r->a,
		    "— → %lld", (long long)newq) : arena_printf(r->a,
		    "%lld → %lld", (long long)oldq, (long long)newq));
		vset_int(e, "unit_price_cents", price);
		vset_str(e, "unit_price", billing_money(r, price));
		vset_str(e, "currency", cur);
		/* amount: what the pool costs per period after the change;
		 * change: the difference it made. */
		vset_int(e, "amount_cents", newq * price);
		vset_str(e, "amount", billing_money(r, newq * price));
		vset_int(e, "change_cents", (newq - before) * price);
		vset_str(e, "change", arena_printf(r->a, "%s%s",
		    newq >= before ? "+" : "-", billing_money(r,
		    (newq >= before ? newq - before : before - newq) *
		    price)));
		vset_str(e, "actor", name);
		vset_str(e, "actor_email", email);
		vset_time(e, "at", at, tz);
		vset_str(e, "reference", ref);
		json_object_array_add(a, e);
	}
	db_done(&q_history);
	if (rc < 0) {
		json_object_put(a);
		return NULL;
	}
	return a;
}
