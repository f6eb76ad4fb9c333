/* tmpl.c — compile mustache-like templates once, render them many times. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "render/esc.h"
#include "render/tmpl.h"

#define MAX_NEST	64		/* open sections in one template */
#define MAX_PARTIAL	16		/* nested partials at render time */
#define MAX_DIRDEPTH	16		/* subdirectory levels */
#define MAX_FILE	(1024 * 1024)	/* bytes per template file */

enum ntype {
	N_TEXT,		/* literal bytes of the source */
	N_VAR,		/* {{x}} escaped */
	N_RAW,		/* {{{x}}} {{&x}} */
	N_SECTION,	/* {{#x}} */
	N_INVERTED,	/* {{^x}} */
	N_PARTIAL	/* {{>x}} */
};

/*
 * A template is a flat array of nodes in source order; a section's body
 * is the nodes between it and `end`, so rendering never re-parses and
 * walks memory front to back.
 */
struct node {
	enum ntype		 type;
	unsigned		 line;
	size_t			 off;	/* N_TEXT: in src, else in names */
	size_t			 len;	/* N_TEXT: bytes, else parts (0: .) */
	size_t			 end;	/* sections: node after the body */
	const struct tmpl	*part;	/* N_PARTIAL, set by resolve() */
};

struct tmpl {
	char		*name;
	char		*file;		/* for messages */
	char		*src;
	char		*names;		/* name parts, each NUL-terminated */
	struct node	*nodes;
	size_t		 nnodes;
};

struct tmpl_set {
	struct tmpl	*t;		/* sorted by name once linked */
	size_t		 n;
};

struct ctx {
	json_object		*v;
	const struct ctx	*up;
};

struct rstate {
	struct buf	*out;
	int		 depth;		/* partials entered */
	int		 fail;
};

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static struct node *
addnode(struct tmpl *t, size_t *cap, enum ntype type, unsigned line)
{
	struct node	*nd;

	if (t->nnodes == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		t->nodes = xrealloc(t->nodes, *cap * sizeof(*t->nodes));
	}
	nd = &t->nodes[t->nnodes++];
	memset(nd, 0, sizeof(*nd));
	nd->type = type;
	nd->line = line;
	return nd;
}

static int
namechar(char c, int partial)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	    (partial && (c == '/' || c == '.'));
}

/*
 * Store a tag's name in the pool as NUL-terminated dotted parts, so that
 * lookups at render time hand json-c ready keys. Returns an error text
 * or NULL.
 */
static const char *
storename(struct buf *pool, const char *p, size_t n, int partial,
    struct node *nd)
{
	size_t	 i, start;

	if (!partial && n == 1 && p[0] == '.') {
		nd->len = 0;
		return NULL;
	}
	nd->off = pool->len;
	nd->len = 1;
	for (i = 0, start = 0; i < n; i++) {
		if (!partial && p[i] == '.') {
			if (i == start || i + 1 == n)
				return "bad name";
			buf_putc(pool, '\0');
			nd->len++;
			start = i + 1;
			continue;
		}
		if (!namechar(p[i], partial))
			return "bad name";
		buf_putc(pool, p[i]);
	}
	buf_putc(pool, '\0');
	return NULL;
}

static unsigned
countnl(const char *p, size_t n)
{
	unsigned	 k = 0;
	const char	*e = p + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

struct opensec {
	size_t		 node;
	const char	*name;
	size_t		 namelen;
	unsigned	 line;
};

static int
compile(struct tmpl *t, size_t srclen, char *err, size_t errsz)
{
	struct opensec	 stack[MAX_NEST];
	struct buf	 pool;
	struct node	*nd;
	const char	*s = t->src, *e = t->src + srclen, *p;
	const char	*lb, *rb;	/* the tag's {{ and }} */
	const char	*name, *why;
	size_t		 cap = 0, depth = 0, namelen, closelen;
	unsigned	 line = 1;
	char		 kind;

	buf_init(&pool);
	for (p = s; p < e; ) {
		lb = memmem(p, (size_t)(e - p), "{{", 2);
		if (lb == NULL)
			lb = e;
		if (lb > p) {
			nd = addnode(t, &cap, N_TEXT, line);
			nd->off = (size_t)(p - s);
			nd->len = (size_t)(lb - p);
			line += countnl(p, nd->len);
		}
		if (lb == e)
			break;

		p = lb + 2;
		kind = p < e ? *p : '\0';
		if (kind == '{' || kind == '&' || kind == '#' || kind == '^' ||
		    kind == '/' || kind == '>' || kind == '!' || kind == '=')
			p++;
		closelen = kind == '{' ? 3 : 2;
		rb = memmem(p, (size_t)(e - p), kind == '{' ? "}}}" : "}}",
		    closelen);
		/* Only comments may span lines; else a lost }} is reported
		 * where it happened, not at some later tag. */
		if (rb == NULL || (kind != '!' &&
		    memchr(p, '\n', (size_t)(rb - p)) != NULL)) {
			seterr(err, errsz, "%s:%u: unterminated tag", t->file,
			    line);
			goto fail;
		}
		name = p;
		namelen = (size_t)(rb - p);
		p = rb + closelen;
		if (kind == '!') {
			line += countnl(name, namelen);
			continue;
		}
		if (kind == '=') {
			seterr(err, errsz, "%s:%u: delimiter change not "
			    "supported", t->file, line);
			goto fail;
		}
		while (namelen > 0 && (*name == ' ' || *name == '\t')) {
			name++;
			namelen--;
		}
		while (namelen > 0 && (name[namelen - 1] == ' ' ||
		    name[namelen - 1] == '\t'))
			namelen--;

		if (namelen == 0) {
			seterr(err, errsz, "%s:%u: empty name", t->file, line);
			goto fail;
		}
		if (kind == '/') {
			if (depth == 0) {
				seterr(err, errsz, "%s:%u: close tag '%.*s' "
				    "without open section", t->file, line,
				    (int)namelen, name);
				goto fail;
			}
			depth--;
			if (stack[depth].namelen != namelen ||
			    memcmp(stack[depth].name, name, namelen) != 0) {
				seterr(err, errsz, "%s:%u: mismatched close "
				    "tag '%.*s' (open is '%.*s' from line %u)",
				    t->file, line, (int)namelen, name,
				    (int)stack[depth].namelen,
				    stack[depth].name, stack[depth].line);
				goto fail;
			}
			t->nodes[stack[depth].node].end = t->nnodes;
			continue;
		}

		switch (kind) {
		case '{':
		case '&':
			nd = addnode(t, &cap, N_RAW, line);
			break;
		case '#':
			nd = addnode(t, &cap, N_SECTION, line);
			break;
		case '^':
			nd = addnode(t, &cap, N_INVERTED, line);
			break;
		case '>':
			nd = addnode(t, &cap, N_PARTIAL, line);
			break;
		default:
			nd = addnode(t, &cap, N_VAR, line);
			break;
		}
		if ((why = storename(&pool, name, namelen, kind == '>',
		    nd)) != NULL) {
			seterr(err, errsz, "%s:%u: %s '%.*s'", t->file, line,
			    why, (int)namelen, name);
			goto fail;
		}
		if (kind == '#' || kind == '^') {
			if (depth == MAX_NEST) {
				seterr(err, errsz, "%s:%u: sections nested "
				    "too deeply", t->file, line);
				goto fail;
			}
			stack[depth].node = t->nnodes - 1;
			stack[depth].name = name;
			stack[depth].namelen = namelen;
			stack[depth].line = line;
			depth++;
		}
	}
	if (depth > 0) {
		depth--;
		seterr(err, errsz, "%s:%u: unclosed section '%.*s'", t->file,
		    stack[depth].line, (int)stack[depth].namelen,
		    stack[depth].name);
		goto fail;
	}
	t->names = pool.p;
	return 0;
fail:
	buf_free(&pool);
	return -1;
}

static void
freetmpl(struct tmpl *t)
{
	free(t->name);
	free(t->file);
	free(t->src);
	free(t->names);
	free(t->nodes);
}

void
tmpl_free(struct tmpl_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		freetmpl(&set->t[i]);
	free(set->t);
	free(set);
}

/* Takes ownership of src. */
static int
add(struct tmpl_set *set, size_t *cap, const char *name, const char *file,
    char *src, size_t len, char *err, size_t errsz)
{
	struct tmpl	*t;

	if (set->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		set->t = xrealloc(set->t, *cap * sizeof(*set->t));
	}
	t = &set->t[set->n++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->file = xstrdup(file);
	t->src = src;
	return compile(t, len, err, errsz);
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name,
	    ((const struct tmpl *)b)->name);
}

static int
cmpkey(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tmpl *)elem)->name);
}

static const struct tmpl *
find(const struct tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL || set->n == 0)
		return NULL;
	return bsearch(name, set->t, set->n, sizeof(*set->t), cmpkey);
}

/* Sort by name and point every partial at its template. */
static int
resolve(struct tmpl_set *set, char *err, size_t errsz)
{
	struct tmpl	*t;
	struct node	*nd;
	size_t		 i, j;

	if (set->n > 0)
		qsort(set->t, set->n, sizeof(*set->t), cmpname);
	for (i = 1; i < set->n; i++)
		if (strcmp(set->t[i - 1].name, set->t[i].name) == 0) {
			seterr(err, errsz, "%s: duplicate template name",
			    set->t[i].file);
			return -1;
		}
	for (i = 0; i < set->n; i++) {
		t = &set->t[i];
		for (j = 0; j < t->nnodes; j++) {
			nd = &t->nodes[j];
			if (nd->type != N_PARTIAL)
				continue;
			nd->part = find(set, t->names + nd->off);
			if (nd->part == NULL) {
				seterr(err, errsz, "%s:%u: unknown partial "
				    "'%s'", t->file, nd->line,
				    t->names + nd->off);
				return -1;
			}
		}
	}
	return 0;
}

struct tmpl_set *
tmpl_load_strings(const char *const *names, const char *const *sources,
    size_t n, char *err, size_t errsz)
{
	struct tmpl_set	*set;
	size_t		 i, cap = 0;

	set = xcalloc(1, sizeof(*set));
	for (i = 0; i < n; i++)
		if (add(set, &cap, names[i], names[i], xstrdup(sources[i]),
		    strlen(sources[i]), err, errsz) != 0)
			goto fail;
	if (resolve(set, err, errsz) != 0)
		goto fail;
	return set;
fail:
	tmpl_free(set);
	return NULL;
}

static char *
slurp(const char *path, size_t *len, char *err, size_t errsz)
{
	struct stat	 st;
	char		*p;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size > MAX_FILE) {
		seterr(err, errsz, "%s: file too large", path);
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
		seterr(err, errsz, "%s: short read", path);
		free(p);
		return NULL;
	}
	p[got] = '\0';
	*len = got;
	return p;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk(struct tmpl_set *set, size_t *cap, const char *root, const char *rel,
    int level, char *err, size_t errsz)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		**ents = NULL, *path, *sub, *src;
	size_t		 nents = 0, entcap = 0, i, len, nl;
	int		 rc = 0;

	if (level > MAX_DIRDEPTH) {
		seterr(err, errsz, "%s/%s: directories nested too deeply",
		    root, rel);
		return -1;
	}
	if (*rel) {
		len = strlen(root) + strlen(rel) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", root, rel);
	} else
		path = xstrdup(root);
	if ((d = opendir(path)) == NULL) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	/* Sorted, so that loading and its first error are deterministic. */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (nents == entcap) {
			entcap = entcap ? entcap * 2 : 16;
			ents = xrealloc(ents, entcap * sizeof(*ents));
		}
		ents[nents++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nents > 0)
		qsort(ents, nents, sizeof(*ents), cmpstr);

	for (i = 0; i < nents && rc == 0; i++) {
		len = strlen(path) + strlen(ents[i]) + 2;
		sub = xmalloc(len);
		snprintf(sub, len, "%s/%s", path, ents[i]);
		if (stat(sub, &st) != 0) {
			seterr(err, errsz, "%s: %s", sub, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			char	*r;

			len = strlen(rel) + strlen(ents[i]) + 2;
			r = xmalloc(len);
			snprintf(r, len, "%s%s%s", rel, *rel ? "/" : "",
			    ents[i]);
			rc = walk(set, cap, root, r, level + 1, err, errsz);
			free(r);
		} else if (S_ISREG(st.st_mode) && (nl = strlen(ents[i])) > 5 &&
		    strcmp(ents[i] + nl - 5, ".html") == 0) {
			char	*name;

			len = strlen(rel) + nl + 2;
			name = xmalloc(len);
			snprintf(name, len, "%s%s%.*s", rel, *rel ? "/" : "",
			    (int)(nl - 5), ents[i]);
			if ((src = slurp(sub, &len, err, errsz)) == NULL)
				rc = -1;
			else
				rc = add(set, cap, name, sub, src, len, err,
				    errsz);
			free(name);
		}
		free(sub);
	}
	for (i = 0; i < nents; i++)
		free(ents[i]);
	free(ents);
	free(path);
	return rc;
}

struct tmpl_set *
tmpl_load_dir(const char *dir, char *err, size_t errsz)
{
	struct tmpl_set	*set;
	size_t		 cap = 0;

	set = xcalloc(1, sizeof(*set));
	if (walk(set, &cap, dir, "", 0, err, errsz) != 0 ||
	    resolve(set, err, errsz) != 0) {
		tmpl_free(set);
		return NULL;
	}
	return set;
}

int
tmpl_has(const struct tmpl_set *set, const char *name)
{
	return find(set, name) != NULL;
}

/*
 * Resolve a name: the first part from the innermost context that is an
 * object holding it, the rest strictly inside that value (mustache).
 */
static json_object *
lookup(const struct ctx *c, const char *name, size_t nparts)
{
	json_object	*v = NULL;

	if (nparts == 0)
		return c->v;
	for (; c != NULL; c = c->up)
		if (json_object_is_type(c->v, json_type_object) &&
		    json_object_object_get_ex(c->v, name, &v))
			break;
	if (c == NULL)
		return NULL;
	while (--nparts > 0) {
		name += strlen(name) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, name, &v))
			return NULL;
	}
	return v;
}

static int
falsy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 1;
	case json_type_boolean:
		return !json_object_get_boolean(v);
	case json_type_string:
		return json_object_get_string_len(v) == 0;
	case json_type_int:
		return json_object_get_int64(v) == 0;
	case json_type_double:
		return json_object_get_double(v) == 0.0;
	case json_type_array:
		return json_object_array_length(v) == 0;
	default:
		return 0;
	}
}

static void
putvalue(struct buf *out, json_object *v, int raw)
{
	char		 num[64], *p;
	int64_t		 i;
	uint64_t	 u;
	int		 n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		if (raw)
			buf_put(out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
		else
			esc_html(out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
		return;
	case json_type_int:
		/* By hand: ids and counts are on every page, printf is slow. */
		i = json_object_get_int64(v);
		u = i < 0 ? -(uint64_t)i : (uint64_t)i;
		p = num + sizeof(num);
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (i < 0)
			*--p = '-';
		buf_put(out, p, (size_t)(num + sizeof(num) - p));
		return;
	case json_type_double:
		n = snprintf(num, sizeof(num), "%.15g",
		    json_object_get_double(v));
		break;
	case json_type_boolean:
		buf_puts(out, json_object_get_boolean(v) ? "true" : "false");
		return;
	default:
		/* null, objects and arrays print nothing */
		return;
	}
	if (n > 0 && (size_t)n < sizeof(num))
		buf_put(out, num, (size_t)n);
}

static void
run(struct rstate *st, const struct tmpl *t, size_t i, size_t end,
    const struct ctx *c)
{
	const struct node	*nd;
	json_object		*v;
	struct ctx		 sub;
	size_t			 k, len;

	while (i < end && !st->fail && !st->out->overflow) {
		nd = &t->nodes[i];
		switch (nd->type) {
		case N_TEXT:
			buf_put(st->out, t->src + nd->off, nd->len);
			i++;
			break;
		case N_VAR:
		case N_RAW:
			putvalue(st->out, lookup(c, t->names + nd->off,
			    nd->len), nd->type == N_RAW);
			i++;
			break;
		case N_SECTION:
			v = lookup(c, t->names + nd->off, nd->len);
			sub.up = c;
			if (json_object_is_type(v, json_type_array)) {
				len = json_object_array_length(v);
				for (k = 0; k < len; k++) {
					sub.v = json_object_array_get_idx(v, k);
					run(st, t, i + 1, nd->end, &sub);
				}
			} else if (!falsy(v)) {
				sub.v = v;
				run(st, t, i + 1, nd->end, &sub);
			}
			i = nd->end;
			break;
		case N_INVERTED:
			if (falsy(lookup(c, t->names + nd->off, nd->len)))
				run(st, t, i + 1, nd->end, c);
			i = nd->end;
			break;
		case N_PARTIAL:
			/* Recursive partials are legal; runaway ones stop
			 * the whole render rather than the stack. */
			if (st->depth >= MAX_PARTIAL) {
				log_msg(LOG_ERROR, "msg=\"partial depth "
				    "exceeded\" tmpl=%s line=%u",
				    lq(t->name), nd->line);
				st->fail = 1;
				break;
			}
			st->depth++;
			run(st, nd->part, 0, nd->part->nnodes, c);
			st->depth--;
			i++;
			break;
		}
	}
}

/* -1 also when partials nest deeper than MAX_PARTIAL (output is partial). */
int
tmpl_render(const struct tmpl_set *set, const char *name, json_object *view,
    struct buf *out)
{
	const struct tmpl	*t;
	struct rstate		 st;
	struct ctx		 top;

	if ((t = find(set, name)) == NULL)
		return -1;
	st.out = out;
	st.depth = 0;
	st.fail = 0;
	top.v = view;
	top.up = NULL;
	run(&st, t, 0, t->nnodes, &top);
	return st.fail ? -1 : 0;
}
