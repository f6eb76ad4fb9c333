/* vw.h — a view written once and produced two ways: as json-c objects,
 * which the templates walk, or as JSON text straight into a buffer, for
 * the API. A list of thousands of small objects is otherwise built,
 * printed and freed key by key only to be sent as text (issue 8: the
 * schedule day spent 40 % of its worker time that way).
 *
 * Usage: vw_tree() or vw_text(), then vw_obj()/vw_arr() … vw_end()
 * around the members, then vw_take() for the result — in both modes a
 * json_object to put into the page's view (in text mode an array that
 * prints the text it holds, whatever was written). Keys are string literals: they are neither copied
 * nor checked for repeats, in either mode. The text is what json-c
 * prints with JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
 * (tests/unit/test_vw.c holds them to it). */
#ifndef RENDER_VW_H
#define RENDER_VW_H

#include <json-c/json.h>

#include "core/buf.h"

#define VW_DEPTH	8

struct vw {
	struct buf	*text;			/* text mode: the JSON */
	json_object	*node[VW_DEPTH];	/* tree mode: open containers */
	int		 members[VW_DEPTH + 1];	/* text mode: written so far,
						   per level (0: the top) */
	char		 closer[VW_DEPTH];	/* text mode: '}' or ']' */
	int		 depth;
	json_object	*root;			/* tree mode: the first opened */
};

void		 vw_tree(struct vw *);
void		 vw_text(struct vw *);
/* Open an object or array: the member key of the enclosing object, or
 * NULL for an element of the enclosing array (or the top level). */
void		 vw_obj(struct vw *, const char *key);
void		 vw_arr(struct vw *, const char *key);
void		 vw_end(struct vw *);
/* Members; a NULL string is JSON null. */
void		 vw_str(struct vw *, const char *key, const char *);
void		 vw_int(struct vw *, const char *key, long long);
void		 vw_bool(struct vw *, const char *key, int);
/* The value written (owned by the caller, json_object_put() it); the
 * writer is spent. */
json_object	*vw_take(struct vw *);

#endif
