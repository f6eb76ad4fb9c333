/* docs.h — help pages under /docs: Markdown files with front matter
 * (PRODUCT §12.5), loaded and rendered once per worker.
 *
 * Front matter is the subset of YAML below, between "---" lines at the
 * top; anything else makes the file bad, and bad files are skipped with
 * a warning naming file and reason:
 *
 *   title: Assigning advances          required, 1-200 characters
 *   description: "Give a collaborator…" optional, <= 300 characters
 *   lastUpdated: 2026-03-02             optional, a real date
 *   sidebar:
 *     order: 3                          optional integer
 *
 * Slug = path below the directory without ".md", only a-z 0-9 - /;
 * group = its top-level folder ("" for files at the top). */
#ifndef DOCS_H
#define DOCS_H

#include <stddef.h>

#include <json-c/json.h>

struct doc_page {
	char	*slug;		/* "index", "advancing/assign" */
	char	*group;		/* "", "advancing" */
	char	*title;
	char	*description;	/* NULL when absent */
	char	*last_updated;	/* YYYY-MM-DD or NULL */
	int	 has_order;
	int	 order;		/* sidebar.order when has_order */
	char	*html;		/* md_render() of the body */
};

struct docs;

/* NULL (and err) only when dir cannot be read; bad files are skipped. */
struct docs	*docs_load(const char *dir, char *err, size_t errsz);
const struct doc_page *docs_find(const struct docs *, const char *slug);
size_t		 docs_count(const struct docs *);
/* Pages in sidebar order: i < docs_count(). */
const struct doc_page *docs_page_at(const struct docs *, size_t i);
/* [{"group","title","pages":[{"slug","title","url","current"}]}] */
json_object	*docs_sidebar_json(const struct docs *, const char *current);
/* {"slug","group","title","description","last_updated","url","html"} */
json_object	*docs_page_json(const struct doc_page *);
void		 docs_free(struct docs *);

#endif
