/* docs.c — the help pages at /docs (PRODUCT §12.5), rendered from
 * Markdown once at start-up and served from memory. */
#include <string.h>

#include "core/req.h"
#include "pages.h"
#include "render/docs.h"
#include "render/view.h"

static struct docs	*docs;

void
pages_set_docs(struct docs *d)
{
	docs = d;
}

static int
show(struct req *r, const char *slug)
{
	const struct doc_page	*p = docs_find(docs, slug);
	json_object		*v = view_new(r);

	vset_obj(v, "sidebar", docs_sidebar_json(docs, slug));
	if (p == NULL) {
		vset_str(v, "slug", slug);
		if (r->fmt == FMT_JSON)
			return render_error(r, 404, "not-found",
			    "There is no help page with that name.");
		return render_page(r, 404, "docs/not_found",
		    "Page not found", v);
	}
	vset_obj(v, "page", docs_page_json(p));
	return render_page(r, 200, "docs/page", p->title, v);
}

/* GET /docs — 200 the index page. */
int
h_docs_index(struct req *r)
{
	return show(r, "index");
}

/* GET /docs/{slug*} — 200 a page, 404 unknown slug. */
int
h_docs_page(struct req *r)
{
	return show(r, req_pathvar(r, 0));
}
