/* lean_304.c — the bench's `lean-304` reference line (issue 8): the
 * floor of a token-checked conditional GET behind ONE statement. A
 * minimal libfcgi responder that hashes the feed token of its path with
 * the installation's token key (HMAC-SHA-256, as backopsd does), reads
 * the token's row with one prepared SELECT and answers 304 when
 * If-None-Match names the ETag the row remembers (FEEDS §4, 0018).
 *
 * What backopsd's 304 does besides is left out on purpose: the token's
 * scope and hint and the time of its last use in the same statement, the
 * key the ETag was made under (build, day, window), the feed's headers,
 * the log line. So the row is not a target but the yardstick the
 * `feed-304` row is read against: how much of the 304's cost is the one
 * round trip FEEDS §5.4 asks for.
 *
 *   lean_304 SOCKET PROCESSES DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *            TOKEN_KEY_FILE
 *
 * GET /__bench/lean-304/<token>: 304 with the ETag when it matches, 200
 * with an empty body when it does not, 404 for an unknown, revoked or
 * malformed token. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>
#include <sodium.h>

#include "leandb.h"
#include "prefork.h"

#define PREFIX		"bofeed_"
#define TOKEN_LEN	(sizeof(PREFIX) - 1 + 43)

#define SQL_TOKEN \
	"SELECT cache_etag FROM feed_token" \
	" WHERE token_hash = ? AND revoked_at IS NULL"

static const char	*db_socket, *db_user, *db_pwfile, *db_name,
			*key_file;
static unsigned char	 key[crypto_auth_hmacsha256_KEYBYTES];
static MYSQL_STMT	*st;
static MYSQL_BIND	 in, out;
static unsigned char	 hash[crypto_auth_hmacsha256_BYTES];
static unsigned long	 hash_len = sizeof(hash);
static char		 etag[40];
static unsigned long	 etag_len;
static my_bool		 etag_null;

/* The first 32 bytes of the key file, as backopsd reads them. */
static int
read_key(void)
{
	int	 fd = open(key_file, O_RDONLY | O_CLOEXEC);
	ssize_t	 n;

	if (fd < 0)
		return -1;
	n = read(fd, key, sizeof(key));
	close(fd);
	return n == (ssize_t)sizeof(key) ? 0 : -1;
}

static int
child_init(void)
{
	if (read_key() != 0) {
		fprintf(stderr, "lean_304: cannot read 32 bytes of %s\n",
		    key_file);
		return 1;
	}
	if ((st = leandb_open("lean_304", db_socket, db_user, db_pwfile,
	    db_name, SQL_TOKEN, 1)) == NULL)
		return 1;
	memset(&in, 0, sizeof(in));
	in.buffer_type = MYSQL_TYPE_BLOB;
	in.buffer = hash;
	in.length = &hash_len;
	memset(&out, 0, sizeof(out));
	out.buffer_type = MYSQL_TYPE_STRING;
	out.buffer = etag;
	out.buffer_length = sizeof(etag);
	out.length = &etag_len;
	out.is_null = &etag_null;
	return mysql_stmt_bind_param(st, &in) != 0 ||
	    mysql_stmt_bind_result(st, &out) != 0;
}

/* No body: a 304 says no length (as backopsd's), the others 0. */
static void
answer(FCGX_Request *r, int status, const char *reason, const char *extra)
{
	FCGX_FPrintF(r->out, "Status: %d %s\r\n%s%s\r\n", status, reason,
	    extra, status == 304 ? "" : "Content-Length: 0\r\n");
}

/* The token's row: 1 with its ETag in etag[], 0 none, -1 failure. */
static int
lookup(const char *tok)
{
	int	 rc;

	crypto_auth_hmacsha256(hash, (const unsigned char *)tok, strlen(tok),
	    key);
	if (mysql_stmt_execute(st) != 0) {
		fprintf(stderr, "lean_304: execute: %s\n", mysql_stmt_error(st));
		return -1;
	}
	rc = mysql_stmt_fetch(st);
	mysql_stmt_free_result(st);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc != 0 || etag_null || etag_len >= sizeof(etag))
		return rc != 0 ? -1 : 0;
	etag[etag_len] = '\0';
	return 1;
}

static void
handle(FCGX_Request *r)
{
	const char	*uri = FCGX_GetParam("DOCUMENT_URI", r->envp),
			*inm = FCGX_GetParam("HTTP_IF_NONE_MATCH", r->envp),
			*tok;
	char		 tag[48], hdr[96];
	int		 rc;

	tok = uri != NULL ? strrchr(uri, '/') : NULL;
	if (tok == NULL || strlen(++tok) != TOKEN_LEN ||
	    strncmp(tok, PREFIX, sizeof(PREFIX) - 1) != 0) {
		answer(r, 404, "Not Found", "");
		return;
	}
	if ((rc = lookup(tok)) < 0) {
		answer(r, 503, "Service Unavailable", "");
		return;
	}
	if (rc == 0) {
		answer(r, 404, "Not Found", "");
		return;
	}
	snprintf(tag, sizeof(tag), "\"%s\"", etag);
	snprintf(hdr, sizeof(hdr), "ETag: %s\r\n"
	    "Cache-Control: private, no-cache\r\n", tag);
	if (inm != NULL && strstr(inm, tag) != NULL)
		answer(r, 304, "Not Modified", hdr);
	else
		answer(r, 200, "OK", hdr);
}

int
main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: lean_304 SOCKET PROCESSES DB_SOCKET "
		    "DB_USER DB_PASSWORD_FILE DB_NAME TOKEN_KEY_FILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	db_socket = argv[3];
	db_user = argv[4];
	db_pwfile = argv[5];
	db_name = argv[6];
	key_file = argv[7];
	return prefork_run("lean_304", argv[1], argv[2], child_init, handle);
}
