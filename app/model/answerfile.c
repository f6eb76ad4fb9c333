/* answerfile.c — stored files of file answers and their content types. */
#include <string.h>

#include "answerfile.h"
#include "core/arena.h"
#include "core/parse.h"
#include "core/req.h"
#include "db/db.h"
#include "model/advance.h"

#define FILES_MAX	10000	/* files listed for one advance */
#define NAME_MAX_CP	200

#define TS(c) "DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%sZ')"
#define AF_COLS \
    "f.id, f.advance_module_id, f.block_id, f.name, f.ctype, f.size," \
    " f.created_by, u.name, " TS("f.created_at")
#define AF_FROM " FROM answer_files f LEFT JOIN users u ON u.id = f.created_by"

static struct dbq q_list = DBQ(
    "SELECT " AF_COLS AF_FROM
    " JOIN advance_modules m ON m.id = f.advance_module_id"
    " WHERE m.advance_id = ? AND m.event_id = ? AND f.event_id = ?"
    " AND (? = 0 OR f.advance_module_id = ?)"
    " ORDER BY f.advance_module_id, f.block_id, f.id");
static struct dbq q_get = DBQ(
    "SELECT " AF_COLS AF_FROM " WHERE f.id = ? AND f.advance_module_id = ?"
    " AND f.block_id = ? AND f.event_id = ?");
static struct dbq q_data = DBQ(
    "SELECT " AF_COLS ", f.data" AF_FROM " WHERE f.id = ?"
    " AND f.advance_module_id = ? AND f.block_id = ? AND f.event_id = ?");
static struct dbq q_insert = DBQ(
    "INSERT INTO answer_files (event_id, advance_module_id, block_id, name,"
    " ctype, size, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?,"
    " ?, ?, UTC_TIMESTAMP(3))");
/* id 0: every file of the block. */
static struct dbq q_delete = DBQ(
    "DELETE FROM answer_files WHERE advance_module_id = ? AND block_id = ?"
    " AND event_id = ? AND (? = 0 OR id = ?)");

static int
fetch(struct dbq *q, struct answerfile *f, char **data)
{
	memset(f, 0, sizeof(*f));
	if (data != NULL)
		return db_fetch(q, "iiissiisss", &f->id, &f->module_id,
		    &f->block_id, &f->name, &f->ctype, &f->size,
		    &f->created_by, &f->created_by_name, &f->created_at, data);
	return db_fetch(q, "iiissiiss", &f->id, &f->module_id, &f->block_id,
	    &f->name, &f->ctype, &f->size, &f->created_by,
	    &f->created_by_name, &f->created_at);
}

static int
fetch_row(struct req *r, struct dbq *q, void *row)
{
	(void)r;
	return fetch(q, row, NULL);
}

struct answerfile *
answerfile_list(struct req *r, int64_t event_id, int64_t advance_id,
    int64_t module_id, size_t *n)
{
	if (db_select(&q_list, "iiiii", advance_id, event_id, event_id,
	    module_id, module_id) != 0) {
		*n = (size_t)-1;
		return NULL;
	}
	return adv_rows(r, &q_list, fetch_row, sizeof(struct answerfile),
	    FILES_MAX, n);
}

int
answerfile_get(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, int64_t id, struct answerfile *f, const char **data)
{
	struct dbq	*q = data != NULL ? &q_data : &q_get;
	char		*bytes = NULL;
	int		 rc;

	(void)r;
	if (db_select(q, "iiii", id, module_id, block_id, event_id) != 0)
		return -1;
	rc = fetch(q, f, data != NULL ? &bytes : NULL);
	db_done(q);
	if (data != NULL)
		*data = bytes;
	return rc;
}

int64_t
answerfile_insert(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, const char *name, const char *ctype, const void *data,
    size_t len, int64_t uid)
{
	(void)r;
	if (db_exec(&q_insert, "iiissibi", event_id, module_id, block_id,
	    name, ctype, (int64_t)len, data, len, uid) < 0)
		return -1;
	return db_insert_id();
}

int64_t
answerfile_delete(struct req *r, int64_t event_id, int64_t module_id,
    int64_t block_id, int64_t id)
{
	(void)r;
	return db_exec(&q_delete, "iiiii", module_id, block_id, event_id, id,
	    id);
}

static int
starts(const unsigned char *p, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(p, magic, n) == 0;
}

/* Plain text: valid UTF-8 without NUL and without controls other than
 * tab, newline, carriage return and form feed. */
static int
is_text(const unsigned char *p, size_t len)
{
	size_t	 i;

	if (!utf8_valid((const char *)p, len))
		return 0;
	for (i = 0; i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f)
			return 0;
	return 1;
}

const char *
answerfile_sniff(const void *data, size_t len, const char **ext)
{
	const unsigned char	*p = data;

	*ext = "";
	if (len == 0)
		return NULL;
	/* Programs and scripts first: never stored, whatever follows. */
	if (starts(p, len, "MZ", 2) || starts(p, len, "\177ELF", 4) ||
	    starts(p, len, "#!", 2) || starts(p, len, "\xca\xfe\xba\xbe", 4) ||
	    starts(p, len, "\xfe\xed\xfa\xce", 4) ||
	    starts(p, len, "\xfe\xed\xfa\xcf", 4) ||
	    starts(p, len, "\xce\xfa\xed\xfe", 4) ||
	    starts(p, len, "\xcf\xfa\xed\xfe", 4))
		return NULL;
	if (starts(p, len, "%PDF-", 5))
		return *ext = "pdf", "application/pdf";
	if (starts(p, len, "\x89PNG\r\n\x1a\n", 8))
		return *ext = "png", "image/png";
	if (starts(p, len, "\xff\xd8\xff", 3))
		return *ext = "jpg", "image/jpeg";
	if (starts(p, len, "GIF87a", 6) || starts(p, len, "GIF89a", 6))
		return *ext = "gif", "image/gif";
	if (len >= 12 && starts(p, len, "RIFF", 4) &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return *ext = "webp", "image/webp";
	if (starts(p, len, "PK\x03\x04", 4)) {
		/* Office Open XML: a ZIP whose entries name the part. */
		if (memmem(p, len, "[Content_Types].xml", 19) != NULL) {
			if (memmem(p, len, "word/", 5) != NULL)
				return *ext = "docx", "application/"
				    "vnd.openxmlformats-officedocument."
				    "wordprocessingml.document";
			if (memmem(p, len, "xl/", 3) != NULL)
				return *ext = "xlsx", "application/"
				    "vnd.openxmlformats-officedocument."
				    "spreadsheetml.sheet";
		}
		return *ext = "zip", "application/zip";
	}
	if (is_text(p, len))
		return *ext = "txt", "text/plain; charset=utf-8";
	return NULL;
}

const char *
answerfile_name(struct req *r, const char *given)
{
	const char	*s = given != NULL ? given : "", *slash;
	char		*out, *o;
	size_t		 cps = 0, n;

	/* Browsers may send a whole path; keep its last part. */
	if ((slash = strrchr(s, '/')) != NULL)
		s = slash + 1;
	if ((slash = strrchr(s, '\\')) != NULL)
		s = slash + 1;
	n = strlen(s);
	if (!utf8_valid(s, n))
		return "file";
	o = out = arena_alloc(r->a, n + 1);
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if ((c & 0xc0) != 0x80 && cps++ >= NAME_MAX_CP)
			break;
		*o++ = c < 0x20 || c == 0x7f || c == '"' || c == ';' ?
		    '_' : (char)c;
	}
	*o = '\0';
	while (o > out && (o[-1] == ' ' || o[-1] == '.'))
		*--o = '\0';
	for (o = out; *o == ' ' || *o == '.'; o++)
		;
	return *o != '\0' ? o : "file";
}
