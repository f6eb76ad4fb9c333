/* docs.c — load the Markdown help pages, their front matter and sidebar. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "render/docs.h"
#include "render/md.h"

#define MAX_FILE	(1024 * 1024)
#define MAX_DIRDEPTH	16
#define TITLE_MAX	200
#define DESC_MAX	300

struct docs {
	struct doc_page	 *pages;	/* sidebar order */
	size_t		  n, cap;
	struct doc_page	**byslug;	/* for bsearch */
};

struct fm {
	char	*title, *description, *last_updated;
	int	 has_order, order, has_sidebar;
};

static void
page_clear(struct doc_page *p)
{
	free(p->slug);
	free(p->group);
	free(p->title);
	free(p->description);
	free(p->last_updated);
	free(p->html);
}

void
docs_free(struct docs *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		page_clear(&d->pages[i]);
	free(d->pages);
	free(d->byslug);
	free(d);
}

/* Code points in s, or -1 if it is not valid UTF-8 or holds controls. */
static long
textlen(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 n = 0;
	int			 k, i;
	unsigned		 cp, min;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return -1;
			p++;
			n++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			k = 1; cp = *p & 0x1f; min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			k = 2; cp = *p & 0x0f; min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			k = 3; cp = *p & 0x07; min = 0x10000;
		} else
			return -1;
		for (i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		p += k + 1;
		n++;
	}
	return n;
}

static int
isleap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
date_ok(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 i, y, m, d;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' &&
		    s[i] <= '9'))
			return 0;
	if (s[10] != '\0')
		return 0;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && isleap(y));
}

static int
int_ok(const char *s, int *v)
{
	long	 n = 0;
	int	 neg = 0, digits = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++)
		if (++digits > 9)
			return 0;
		else
			n = n * 10 + (*s - '0');
	if (*s != '\0' || digits == 0)
		return 0;
	*v = (int)(neg ? -n : n);
	return 1;
}

/*
 * One YAML scalar: "double quoted" (\" and \\ escapes), 'single quoted'
 * ('' for '), or plain. Plain values that YAML would read as something
 * else (flow collections, anchors, block scalars, "a: b") are refused
 * rather than silently read differently from real YAML tools.
 */
static const char *
scalar(const char *p, size_t n, struct buf *out)
{
	size_t	 i;
	char	 q;

	if (n > 0 && (p[0] == '"' || p[0] == '\'')) {
		q = p[0];
		for (i = 1; i < n; i++) {
			if (q == '"' && p[i] == '\\') {
				if (i + 1 < n && (p[i + 1] == '"' ||
				    p[i + 1] == '\\')) {
					buf_putc(out, p[++i]);
					continue;
				}
				return "unsupported escape in quoted value";
			}
			if (p[i] == q) {
				if (q == '\'' && i + 1 < n &&
				    p[i + 1] == '\'') {
					buf_putc(out, p[++i]);
					continue;
				}
				break;
			}
			buf_putc(out, p[i]);
		}
		if (i == n)
			return "unterminated quoted value";
		for (i++; i < n && p[i] == ' '; i++)
			;
		if (i < n && (p[i] != '#' || p[i - 1] != ' '))
			return "text after quoted value";
		return NULL;
	}
	if (n > 0 && strchr("[]{}&*!|>%@`,", p[0]) != NULL)
		return "unsupported YAML value (quote it)";
	if (n > 1 && p[0] == '-' && p[1] == ' ')
		return "unsupported YAML value (quote it)";
	for (i = 0; i < n; i++) {
		if (p[i] == '#' && i > 0 && p[i - 1] == ' ')
			break;
		if (p[i] == ':' && (i + 1 == n || p[i + 1] == ' '))
			return "': ' in a plain value (quote it)";
	}
	while (i > 0 && p[i - 1] == ' ')
		i--;
	buf_put(out, p, i);
	return NULL;
}

static int
keychar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * Parse front matter at the top of s. On success *body is where the
 * Markdown starts; on failure the reason is returned and *line says
 * where.
 */
static const char *
frontmatter(const char *s, size_t n, struct fm *fm, size_t *body,
    unsigned *line, char *why, size_t whysz)
{
	struct buf	 val;
	const char	*start = s, *e = s + n, *ls, *le, *k, *v, *err = NULL;
	size_t		 indent, sbindent = 0, klen, vlen;
	long		 len;
	int		 insidebar = 0, closed = 0;
	char		**slot;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;		/* a BOM some editors add */
	buf_init(&val);
	*line = 0;
	for (ls = s; ls < e; ls = le + 1) {
		(*line)++;
		if ((le = memchr(ls, '\n', (size_t)(e - ls))) == NULL)
			le = e;
		vlen = (size_t)(le - ls);
		if (vlen > 0 && ls[vlen - 1] == '\r')
			vlen--;
		while (vlen > 0 && ls[vlen - 1] == ' ')
			vlen--;
		if (*line == 1) {
			if (vlen != 3 || memcmp(ls, "---", 3) != 0) {
				err = "no front matter ('---' on line 1)";
				break;
			}
			continue;
		}
		if (vlen == 3 && memcmp(ls, "---", 3) == 0) {
			closed = 1;
			*body = (size_t)((le < e ? le + 1 : e) - start);
			break;
		}
		for (indent = 0; indent < vlen && ls[indent] == ' '; indent++)
			;
		if (indent == vlen || ls[indent] == '#')
			continue;
		if (ls[indent] == '\t') {
			err = "tab in indentation";
			break;
		}

		/* key: value */
		k = ls + indent;
		for (klen = 0; indent + klen < vlen && keychar(k[klen]); klen++)
			;
		if (klen == 0 || indent + klen == vlen || k[klen] != ':' ||
		    (indent + klen + 1 < vlen && k[klen + 1] != ' ')) {
			err = "expected 'key: value'";
			break;
		}
		v = k + klen + 1;
		vlen = (size_t)(ls + vlen - v);
		while (vlen > 0 && *v == ' ') {
			v++;
			vlen--;
		}
		if (vlen > 0 && *v == '#')
			vlen = 0;	/* only a comment */

		if (indent > 0) {
			if (!insidebar) {
				err = "unexpected indentation";
				break;
			}
			if (sbindent == 0)
				sbindent = indent;
			if (indent != sbindent) {
				err = "inconsistent indentation";
				break;
			}
			if (klen != 5 || memcmp(k, "order", 5) != 0) {
				snprintf(why, whysz,
				    "unknown key 'sidebar.%.*s'", (int)klen, k);
				err = why;
				break;
			}
			if (fm->has_order) {
				err = "duplicate key 'sidebar.order'";
				break;
			}
			buf_reset(&val);
			if ((err = scalar(v, vlen, &val)) != NULL)
				break;
			if (!int_ok(buf_cstr(&val), &fm->order)) {
				err = "sidebar.order is not an integer";
				break;
			}
			fm->has_order = 1;
			continue;
		}

		insidebar = 0;
		if (klen == 7 && memcmp(k, "sidebar", 7) == 0) {
			if (fm->has_sidebar) {
				err = "duplicate key 'sidebar'";
				break;
			}
			if (vlen != 0) {
				err = "sidebar must be a nested block";
				break;
			}
			fm->has_sidebar = insidebar = 1;
			continue;
		}
		if (klen == 5 && memcmp(k, "title", 5) == 0)
			slot = &fm->title;
		else if (klen == 11 && memcmp(k, "description", 11) == 0)
			slot = &fm->description;
		else if (klen == 11 && memcmp(k, "lastUpdated", 11) == 0)
			slot = &fm->last_updated;
		else {
			snprintf(why, whysz, "unknown key '%.*s'", (int)klen,
			    k);
			err = why;
			break;
		}
		if (*slot != NULL) {
			snprintf(why, whysz, "duplicate key '%.*s'", (int)klen,
			    k);
			err = why;
			break;
		}
		if (vlen == 0) {
			snprintf(why, whysz, "empty value for '%.*s'",
			    (int)klen, k);
			err = why;
			break;
		}
		buf_reset(&val);
		if ((err = scalar(v, vlen, &val)) != NULL)
			break;
		*slot = xstrdup(buf_cstr(&val));
	}
	buf_free(&val);
	if (err != NULL)
		return err;
	if (!closed)
		return "front matter not closed with '---'";
	if (fm->title == NULL)
		return "title missing";
	if ((len = textlen(fm->title)) < 0)
		return "title is not valid text";
	if (len == 0 || len > TITLE_MAX)
		return "title must be 1-200 characters";
	if (fm->description != NULL) {
		if ((len = textlen(fm->description)) < 0)
			return "description is not valid text";
		if (len == 0 || len > DESC_MAX)
			return "description must be 1-300 characters";
	}
	if (fm->last_updated != NULL && !date_ok(fm->last_updated))
		return "lastUpdated is not a YYYY-MM-DD date";
	return NULL;
}

static int
slug_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '/'))
			return 0;
	return 1;
}

static char *
slurp(const char *path, size_t *len, const char **why)
{
	struct stat	 st;
	char		*p;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size > MAX_FILE) {
		*why = "file too large";
		close(fd);
		return NULL;
	}
	p = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		r = read(fd, p + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		*why = "short read";
		free(p);
		return NULL;
	}
	p[got] = '\0';
	*len = got;
	return p;
}

static void
skip(const char *path, unsigned line, const char *why)
{
	if (line > 0)
		log_msg(LOG_WARN, "msg=\"help page skipped\" file=%s line=%u "
		    "reason=%s", lq(path), line, lq(why));
	else
		log_msg(LOG_WARN, "msg=\"help page skipped\" file=%s "
		    "reason=%s", lq(path), lq(why));
}

static void
load_file(struct docs *d, const char *path, const char *slug)
{
	struct doc_page	*p;
	struct fm	 fm;
	const char	*err = NULL;
	char		*src, why[128];
	size_t		 len, body = 0;
	unsigned	 line = 0;

	if (!slug_ok(slug)) {
		skip(path, 0, "name must use only a-z 0-9 - /");
		return;
	}
	if ((src = slurp(path, &len, &err)) == NULL) {
		skip(path, 0, err);
		return;
	}
	if (memchr(src, '\0', len) != NULL) {
		skip(path, 0, "file contains NUL bytes");
		free(src);
		return;
	}
	memset(&fm, 0, sizeof(fm));
	if ((err = frontmatter(src, len, &fm, &body, &line, why,
	    sizeof(why))) != NULL) {
		skip(path, line, err);
		free(fm.title);
		free(fm.description);
		free(fm.last_updated);
		free(src);
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->pages = xrealloc(d->pages, d->cap * sizeof(*d->pages));
	}
	p = &d->pages[d->n++];
	memset(p, 0, sizeof(*p));
	p->slug = xstrdup(slug);
	p->group = xstrndup(slug, strchr(slug, '/') ?
	    (size_t)(strchr(slug, '/') - slug) : 0);
	p->title = fm.title;
	p->description = fm.description;
	p->last_updated = fm.last_updated;
	p->has_order = fm.has_order;
	p->order = fm.order;
	p->html = md_render_str(src + body, len - body);
	free(src);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
walk(struct docs *d, const char *dir, const char *rel, int level)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*dp;
	char		**ents = NULL, *path, *r;
	size_t		 nents = 0, cap = 0, i, len, nl;

	if (level > MAX_DIRDEPTH) {
		skip(dir, 0, "directories nested too deeply");
		return;
	}
	if ((dp = opendir(dir)) == NULL) {
		skip(dir, 0, strerror(errno));
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (nents == cap) {
			cap = cap ? cap * 2 : 16;
			ents = xrealloc(ents, cap * sizeof(*ents));
		}
		ents[nents++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (nents > 0)
		qsort(ents, nents, sizeof(*ents), cmpstr);
	for (i = 0; i < nents; i++) {
		len = strlen(dir) + strlen(ents[i]) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", dir, ents[i]);
		nl = strlen(ents[i]);
		len = strlen(rel) + nl + 2;
		r = xmalloc(len);
		snprintf(r, len, "%s%s%s", rel, *rel ? "/" : "", ents[i]);
		if (stat(path, &st) != 0)
			skip(path, 0, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			walk(d, path, r, level + 1);
		else if (S_ISREG(st.st_mode) && nl > 3 &&
		    strcmp(ents[i] + nl - 3, ".md") == 0) {
			r[strlen(r) - 3] = '\0';
			load_file(d, path, r);
		}
		free(r);
		free(path);
		free(ents[i]);
	}
	free(ents);
}

static int
cmptitle(const struct doc_page *a, const struct doc_page *b)
{
	int	 c;

	if ((c = ascii_casecmp(a->title, b->title)) != 0)
		return c;
	if ((c = strcmp(a->title, b->title)) != 0)
		return c;
	return strcmp(a->slug, b->slug);
}

/* Top-level group first, then groups by name; in a group ordered pages
 * by sidebar.order, then the rest by title. */
static int
cmpsidebar(const void *va, const void *vb)
{
	const struct doc_page	*a = va, *b = vb;
	int			 c;

	if ((c = strcmp(a->group, b->group)) != 0)
		return c;
	if (a->has_order != b->has_order)
		return a->has_order ? -1 : 1;
	if (a->has_order && a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return cmptitle(a, b);
}

static int
cmpslug(const void *a, const void *b)
{
	return strcmp((*(struct doc_page *const *)a)->slug,
	    (*(struct doc_page *const *)b)->slug);
}

struct docs *
docs_load(const char *dir, char *err, size_t errsz)
{
	struct docs	*d;
	struct stat	 st;
	size_t		 i;

	if (stat(dir, &st) != 0) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", dir);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	walk(d, dir, "", 0);
	if (d->n == 0)
		return d;
	/* "" sorts before any folder name, as the sidebar wants. */
	qsort(d->pages, d->n, sizeof(*d->pages), cmpsidebar);
	d->byslug = xcalloc(d->n, sizeof(*d->byslug));
	for (i = 0; i < d->n; i++)
		d->byslug[i] = &d->pages[i];
	qsort(d->byslug, d->n, sizeof(*d->byslug), cmpslug);
	return d;
}

static int
cmpkey(const void *key, const void *elem)
{
	return strcmp(key, (*(struct doc_page *const *)elem)->slug);
}

const struct doc_page *
docs_find(const struct docs *d, const char *slug)
{
	struct doc_page	**p;

	if (d == NULL || slug == NULL || d->n == 0)
		return NULL;
	p = bsearch(slug, d->byslug, d->n, sizeof(*d->byslug), cmpkey);
	return p ? *p : NULL;
}

size_t
docs_count(const struct docs *d)
{
	return d ? d->n : 0;
}

const struct doc_page *
docs_page_at(const struct docs *d, size_t i)
{
	return d != NULL && i < d->n ? &d->pages[i] : NULL;
}

static json_object *
str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *
url(const char *slug)
{
	struct buf	 b;
	json_object	*o;

	/* Slugs are a-z 0-9 - / only: nothing to encode. */
	buf_init(&b);
	buf_printf(&b, "/docs/%s", slug);
	o = json_object_new_string_len(b.p, (int)b.len);
	buf_free(&b);
	return o;
}

/* "getting-started" → "Getting started" */
static json_object *
group_title(const char *g)
{
	json_object	*o;
	char		*t;
	size_t		 i;

	t = xstrdup(g);
	for (i = 0; t[i] != '\0'; i++)
		if (t[i] == '-')
			t[i] = ' ';
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 32);
	o = json_object_new_string(t);
	free(t);
	return o;
}

json_object *
docs_sidebar_json(const struct docs *d, const char *current)
{
	json_object		*groups, *grp = NULL, *pages = NULL, *pg;
	const struct doc_page	*p, *prev = NULL;
	size_t			 i;

	groups = json_object_new_array();
	for (i = 0; i < docs_count(d); i++) {
		p = &d->pages[i];
		if (prev == NULL || strcmp(prev->group, p->group) != 0) {
			grp = json_object_new_object();
			json_object_object_add(grp, "group",
			    json_object_new_string(p->group));
			json_object_object_add(grp, "title",
			    group_title(p->group));
			pages = json_object_new_array();
			json_object_object_add(grp, "pages", pages);
			json_object_array_add(groups, grp);
		}
		pg = json_object_new_object();
		json_object_object_add(pg, "slug",
		    json_object_new_string(p->slug));
		json_object_object_add(pg, "title",
		    json_object_new_string(p->title));
		json_object_object_add(pg, "url", url(p->slug));
		json_object_object_add(pg, "current", json_object_new_boolean(
		    current != NULL && strcmp(current, p->slug) == 0));
		json_object_array_add(pages, pg);
		prev = p;
	}
	return groups;
}

json_object *
docs_page_json(const struct doc_page *p)
{
	json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "slug", json_object_new_string(p->slug));
	json_object_object_add(o, "group", json_object_new_string(p->group));
	json_object_object_add(o, "title", json_object_new_string(p->title));
	json_object_object_add(o, "description",
	    str_or_null(p->description));
	json_object_object_add(o, "last_updated",
	    str_or_null(p->last_updated));
	json_object_object_add(o, "url", url(p->slug));
	json_object_object_add(o, "html", json_object_new_string(p->html));
	return o;
}
