/* md.c — Markdown to safe HTML with libcmark and a pass over its tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "core/util.h"
#include "render/esc.h"
#include "render/md.h"

#define SLUG_MAX	64

struct nodes {
	cmark_node	**v;
	size_t		  n, cap;
};

/* Heading ids handed out so far, to make each one unique. */
struct slugset {
	struct slot {
		char		*slug;
		unsigned	 next;	/* next suffix to try for this base */
	}		*t;
	size_t		 cap, n;
};

static void
push(struct nodes *ns, cmark_node *nd)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 32;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	ns->v[ns->n++] = nd;
}

/*
 * Links: http, https, mailto, tel, relative or fragment. Images: http and
 * https only. A colon before any '/', '?' or '#' means a scheme, and then
 * it must be one we allow verbatim; anything odd before it (spaces,
 * tabs, entities already decoded by cmark) fails the comparison.
 */
static int
url_ok(const char *u, int image)
{
	size_t	 i;

	if (u == NULL)
		return !image;
	i = strcspn(u, ":/?#");
	if (u[i] != ':')
		return !image;
	if ((i == 4 && ascii_ncasecmp(u, "http", 4) == 0) ||
	    (i == 5 && ascii_ncasecmp(u, "https", 5) == 0))
		return 1;
	if (image)
		return 0;
	return (i == 6 && ascii_ncasecmp(u, "mailto", 6) == 0) ||
	    (i == 3 && ascii_ncasecmp(u, "tel", 3) == 0);
}

/* The plain text under a node: what a reader sees of it. */
static void
plaintext(struct buf *b, cmark_node *root)
{
	cmark_iter	*it;
	cmark_node	*nd;
	const char	*lit;

	it = cmark_iter_new(root);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		nd = cmark_iter_get_node(it);
		switch (cmark_node_get_type(nd)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			if ((lit = cmark_node_get_literal(nd)) != NULL)
				buf_puts(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static cmark_node *
textnode(const char *s)
{
	cmark_node	*t;

	t = cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, s);
	return t;
}

static void
fix(cmark_node *nd)
{
	struct buf	 b;
	cmark_node	*para, *child;
	const char	*lit;
	size_t		 n;

	switch (cmark_node_get_type(nd)) {
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(nd);
		cmark_node_replace(nd, textnode(lit ? lit : ""));
		break;
	case CMARK_NODE_HTML_BLOCK:
		/* A block cannot hold text directly: wrap it. */
		buf_init(&b);
		if ((lit = cmark_node_get_literal(nd)) != NULL) {
			n = strlen(lit);
			while (n > 0 && (lit[n - 1] == '\n' ||
			    lit[n - 1] == '\r'))
				n--;
			buf_put(&b, lit, n);
		}
		para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(para, textnode(buf_cstr(&b)));
		buf_free(&b);
		cmark_node_replace(nd, para);
		break;
	case CMARK_NODE_LINK:
		while ((child = cmark_node_first_child(nd)) != NULL)
			cmark_node_insert_before(nd, child);
		break;
	case CMARK_NODE_IMAGE:
		buf_init(&b);
		plaintext(&b, nd);
		if (b.len > 0)
			cmark_node_insert_before(nd, textnode(buf_cstr(&b)));
		buf_free(&b);
		break;
	default:
		return;
	}
	cmark_node_free(nd);	/* also unlinks it */
}

/*
 * Rewrite the tree before rendering. Offending nodes are gathered first
 * (the iterator must not see the tree change under it) and fixed last to
 * first, so a node is always handled before the container holding it.
 */
static void
sanitize(cmark_node *root)
{
	struct nodes	 ns = { NULL, 0, 0 };
	cmark_iter	*it;
	cmark_node	*nd;

	it = cmark_iter_new(root);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
			continue;
		nd = cmark_iter_get_node(it);
		switch (cmark_node_get_type(nd)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			push(&ns, nd);
			break;
		case CMARK_NODE_LINK:
			if (!url_ok(cmark_node_get_url(nd), 0))
				push(&ns, nd);
			break;
		case CMARK_NODE_IMAGE:
			if (!url_ok(cmark_node_get_url(nd), 1))
				push(&ns, nd);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (ns.n > 0)
		fix(ns.v[--ns.n]);
	free(ns.v);
}

static size_t
hash(const char *s)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct slot *
slot(struct slugset *ss, const char *s)
{
	size_t	 i;

	for (i = hash(s) & (ss->cap - 1); ss->t[i].slug != NULL;
	    i = (i + 1) & (ss->cap - 1))
		if (strcmp(ss->t[i].slug, s) == 0)
			break;
	return &ss->t[i];
}

static void
grow(struct slugset *ss)
{
	struct slugset	 old = *ss;
	size_t		 i;

	ss->cap = old.cap ? old.cap * 2 : 16;
	ss->t = xcalloc(ss->cap, sizeof(*ss->t));
	for (i = 0; i < old.cap; i++)
		if (old.t[i].slug != NULL)
			*slot(ss, old.t[i].slug) = old.t[i];
	free(old.t);
}

static struct slot *
claim(struct slugset *ss, const char *s)
{
	struct slot	*sl;

	if ((ss->n + 1) * 2 > ss->cap)
		grow(ss);
	sl = slot(ss, s);
	if (sl->slug == NULL) {
		sl->slug = xstrdup(s);
		sl->next = 2;
		ss->n++;
		return sl;
	}
	return NULL;
}

/*
 * Lower-case ASCII letters and digits; whitespace, '-' and '_' become
 * one hyphen; other punctuation and non-ASCII are dropped ("What's new?"
 * → "whats-new"). Repeats get -2, -3, skipping ids already taken.
 */
static const char *
mkslug(struct slugset *ss, const char *text)
{
	char		 base[SLUG_MAX + 1], cand[SLUG_MAX + 16];
	struct slot	*sl, *bs;
	size_t		 n = 0;
	int		 hyph = 0;

	for (; *text != '\0' && n < SLUG_MAX; text++) {
		unsigned char c = (unsigned char)*text;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			if (hyph && n > 0) {
				if (n + 2 > SLUG_MAX)
					break;
				base[n++] = '-';
			}
			hyph = 0;
			base[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		} else if (c == ' ' || c == '\t' || c == '-' || c == '_')
			hyph = 1;
	}
	base[n] = '\0';
	if (n == 0)
		strcpy(base, "section");
	if ((sl = claim(ss, base)) != NULL)
		return sl->slug;
	for (;;) {
		/* Re-found every round: claim() may move the table. */
		bs = slot(ss, base);
		snprintf(cand, sizeof(cand), "%s-%u", base, bs->next++);
		if ((sl = claim(ss, cand)) != NULL)
			return sl->slug;
	}
}

void
md_render(struct buf *out, const char *md, size_t n)
{
	struct slugset	 ss = { NULL, 0, 0 };
	struct nodes	 heads = { NULL, 0, 0 };
	const char	**ids = NULL;
	struct buf	 tb;
	cmark_iter	*it;
	cmark_node	*root, *nd;
	char		*html, *p, *q;
	size_t		 i, h = 0;

	root = cmark_parse_document(md ? md : "", md ? n : 0,
	    CMARK_OPT_VALIDATE_UTF8);
	sanitize(root);

	it = cmark_iter_new(root);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE)
		if (cmark_iter_get_event_type(it) == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(nd = cmark_iter_get_node(it)) ==
		    CMARK_NODE_HEADING)
			push(&heads, nd);
	cmark_iter_free(it);
	if (heads.n > 0) {
		ids = xcalloc(heads.n, sizeof(*ids));
		buf_init(&tb);
		for (i = 0; i < heads.n; i++) {
			buf_reset(&tb);
			plaintext(&tb, heads.v[i]);
			ids[i] = mkslug(&ss, buf_cstr(&tb));
		}
		buf_free(&tb);
	}

	/* Safe by default in cmark >= 0.29: raw HTML would be omitted,
	 * though sanitize() has already made it text. */
	html = cmark_render_html(root, CMARK_OPT_DEFAULT);
	cmark_node_free(root);

	/*
	 * cmark escapes every '<' of text, code and attribute values, so a
	 * literal "<h2>" or "<img " here is a tag cmark wrote itself; the
	 * headings come out in the same document order as collected.
	 */
	for (p = html; (q = strchr(p, '<')) != NULL; ) {
		if (q[1] == 'h' && q[2] >= '1' && q[2] <= '6' && q[3] == '>') {
			buf_put(out, p, (size_t)(q - p) + 3);
			if (h < heads.n) {
				buf_puts(out, " id=\"");
				esc_html(out, ids[h], strlen(ids[h]));
				buf_putc(out, '"');
				h++;
			}
			p = q + 3;
		} else if (strncmp(q, "<img ", 5) == 0) {
			buf_put(out, p, (size_t)(q - p) + 4);
			buf_puts(out, " referrerpolicy=\"no-referrer\"");
			p = q + 4;
		} else {
			buf_put(out, p, (size_t)(q - p) + 1);
			p = q + 1;
		}
	}
	buf_puts(out, p);
	cmark_get_default_mem_allocator()->free(html);

	for (i = 0; i < ss.cap; i++)
		free(ss.t[i].slug);
	free(ss.t);
	free(ids);
	free(heads.v);
}

char *
md_render_str(const char *md, size_t n)
{
	struct buf	 b;

	buf_init(&b);
	md_render(&b, md, n);
	buf_cstr(&b);
	return b.p;	/* the caller owns it now */
}
