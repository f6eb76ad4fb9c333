/* vw.c — one view writer, two products: json-c objects or JSON text
 * (see vw.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "render/vw.h"

void
vw_tree(struct vw *w)
{
	memset(w, 0, sizeof(*w));
}

void
vw_text(struct vw *w)
{
	memset(w, 0, sizeof(*w));
	w->text = xmalloc(sizeof(*w->text));
	buf_init(w->text);
}

/* A string as json-c writes it: '"', '\\' and the C escapes by name,
 * other control characters as \u00xx, '/' and everything from 0x20 on
 * as they are. */
static void
put_string(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, run = 0;
	char			 esc[7];

	buf_putc(b, '"');
	for (i = 0; p[i] != '\0'; i++) {
		const char *rep = esc;

		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
			continue;
		switch (p[i]) {
		case '"':  rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		default:
			snprintf(esc, sizeof(esc), "\\u00%c%c", hex[p[i] >> 4],
			    hex[p[i] & 0xf]);
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_put(b, s + run, i - run);
	buf_putc(b, '"');
}

/* Text mode: the comma and key before a member at the current level. */
static void
text_member(struct vw *w, const char *key)
{
	if (w->members[w->depth]++ > 0)
		buf_putc(w->text, ',');
	if (key != NULL) {
		put_string(w->text, key);
		buf_putc(w->text, ':');
	}
}

/* Tree mode: v becomes key of the open object or the next element of
 * the open array (or the root). */
static void
tree_add(struct vw *w, const char *key, json_object *v)
{
	json_object	*parent;

	if (w->depth == 0) {
		if (w->root == NULL)
			w->root = v;
		else
			json_object_put(v);
		return;
	}
	parent = w->node[w->depth - 1];
	if (key != NULL)
		json_object_object_add_ex(parent, key, v,
		    JSON_C_OBJECT_ADD_KEY_IS_NEW |
		    JSON_C_OBJECT_ADD_CONSTANT_KEY);
	else
		json_object_array_add(parent, v);
}

static void
open_container(struct vw *w, const char *key, int object)
{
	if (w->depth == VW_DEPTH)
		abort();	/* a view nested deeper than any page's */
	if (w->text != NULL) {
		text_member(w, key);
		buf_putc(w->text, object ? '{' : '[');
		w->closer[w->depth] = object ? '}' : ']';
		w->members[++w->depth] = 0;
		return;
	}
	w->node[w->depth] = object ? json_object_new_object() :
	    json_object_new_array();
	tree_add(w, key, w->node[w->depth]);
	w->depth++;
}

void
vw_obj(struct vw *w, const char *key)
{
	open_container(w, key, 1);
}

void
vw_arr(struct vw *w, const char *key)
{
	open_container(w, key, 0);
}

void
vw_end(struct vw *w)
{
	if (w->depth == 0)
		abort();	/* more ends than opens */
	w->depth--;
	if (w->text != NULL)
		buf_putc(w->text, w->closer[w->depth]);
}

void
vw_str(struct vw *w, const char *key, const char *v)
{
	if (w->text == NULL) {
		tree_add(w, key, v != NULL ? json_object_new_string(v) : NULL);
		return;
	}
	text_member(w, key);
	if (v != NULL)
		put_string(w->text, v);
	else
		buf_puts(w->text, "null");
}

void
vw_int(struct vw *w, const char *key, long long v)
{
	char			 digits[24], *p = digits + sizeof(digits);
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				     (unsigned long long)v;

	if (w->text == NULL) {
		tree_add(w, key, json_object_new_int64(v));
		return;
	}
	text_member(w, key);
	/* By hand: printf's machinery is most of a small member's cost. */
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_put(w->text, p, (size_t)(digits + sizeof(digits) - p));
}

void
vw_bool(struct vw *w, const char *key, int v)
{
	if (w->text == NULL) {
		tree_add(w, key, json_object_new_boolean(v != 0));
		return;
	}
	text_member(w, key);
	buf_puts(w->text, v ? "true" : "false");
}

json_object *
vw_take(struct vw *w)
{
	json_object	*o;

	if (w->depth != 0)
		abort();	/* a container left open */
	if (w->text == NULL) {
		o = w->root;
		w->root = NULL;
		return o;
	}
	/* An array (type checks still see the list it stands for) that
	 * prints the text instead of its elements. */
	(void)buf_cstr(w->text);
	o = json_object_new_array();
	json_object_set_serializer(o, json_object_userdata_to_json_string,
	    w->text->p, json_object_free_userdata);
	free(w->text);
	w->text = NULL;
	return o;
}
