/* test_vw.c — the view writer's two products agree: the JSON text it
 * writes is, byte for byte, what json-c prints of the objects it builds
 * (the API's JSON must not change with the way a page was made). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "render/vw.h"
#include "t.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

typedef void (*writer)(struct vw *, const void *);

/* Write the same view both ways; the text must equal json-c's print of
 * the tree, and the text-mode value must print that text inside a
 * parent, as the pages use it. */
static void
same(const char *name, writer fn, const void *arg, const char *want)
{
	struct vw	 w;
	json_object	*tree, *text, *parent;
	char		 label[160];
	const char	*t;

	vw_tree(&w);
	fn(&w, arg);
	tree = vw_take(&w);
	vw_text(&w);
	fn(&w, arg);
	text = vw_take(&w);

	t = json_object_to_json_string_ext(tree, JSON_FLAGS);
	snprintf(label, sizeof(label), "%s: text equals json-c's", name);
	T_STREQ(json_object_to_json_string_ext(text, JSON_FLAGS), t, label);
	if (want != NULL) {
		snprintf(label, sizeof(label), "%s: the expected JSON", name);
		T_STREQ(t, want, label);
	}
	parent = json_object_new_object();
	json_object_object_add(parent, "v", text);
	json_object_object_add(parent, "n", json_object_new_int(1));
	snprintf(label, sizeof(label), "%s: inside a parent", name);
	{
		char	 whole[8192];

		snprintf(whole, sizeof(whole), "{\"v\":%s,\"n\":1}", t);
		T_STREQ(json_object_to_json_string_ext(parent, JSON_FLAGS),
		    whole, label);
	}
	json_object_put(parent);
	json_object_put(tree);
}

static void
one_string(struct vw *w, const void *arg)
{
	vw_obj(w, NULL);
	vw_str(w, "s", arg);
	vw_end(w);
}

static void
scalars(struct vw *w, const void *arg)
{
	vw_obj(w, NULL);
	vw_int(w, "zero", 0);
	vw_int(w, "min", LLONG_MIN);
	vw_int(w, "max", LLONG_MAX);
	vw_int(w, "neg", -42);
	vw_bool(w, "yes", 1);
	vw_bool(w, "no", 0);
	vw_bool(w, "seven", 7);
	vw_str(w, "null", NULL);
	vw_str(w, "empty", "");
	vw_str(w, "key \"quoted\"\n", "v");
	vw_end(w);
}

/* The shape of a schedule list: an array of objects holding arrays of
 * strings and of objects, empty ones included. */
static void
nested(struct vw *w, const void *arg)
{
	int	 i, k;

	vw_arr(w, NULL);
	for (i = 0; i < 3; i++) {
		vw_obj(w, NULL);
		vw_int(w, "id", i);
		vw_str(w, "name", i == 1 ? "Doors \"open\" / Türen" : "Set");
		vw_arr(w, "areas");
		for (k = 0; k < i; k++)
			vw_str(w, NULL, k ? "Main Stage" : "Green Room");
		vw_end(w);
		vw_arr(w, "markers");
		for (k = 0; k < i; k++) {
			vw_obj(w, NULL);
			vw_str(w, "calendar", "event");
			vw_int(w, "colour", k);
			vw_end(w);
		}
		vw_end(w);
		vw_obj(w, "empty");
		vw_end(w);
		vw_end(w);
	}
	vw_end(w);
}

/* As deep as the writer goes: objects holding arrays holding objects. */
static void
deepest(struct vw *w, const void *arg)
{
	int	 i;

	for (i = 0; i < VW_DEPTH; i++)
		if (i % 2)
			vw_arr(w, "a");
		else
			vw_obj(w, NULL);
	vw_int(w, NULL, 1);
	vw_int(w, NULL, 2);
	for (i = 0; i < VW_DEPTH; i++)
		vw_end(w);
}

static void
empty_list(struct vw *w, const void *arg)
{
	vw_arr(w, NULL);
	vw_end(w);
}

int
main(void)
{
	static const char *const strings[] = {
		"", "plain", "a \"quoted\" word", "back\\slash", "a/b</c>",
		"tab\there", "line\nbreak\r\n", "\b\f", "\x01\x1f\x7f",
		"Zürich – 東京 😀", "\xe2\x80\xa8 line separator",
		"ends with a backslash \\",
	};
	char	 name[64], s[4];
	size_t	 i;
	int	 c;

	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		snprintf(name, sizeof(name), "string #%zu", i);
		same(name, one_string, strings[i], NULL);
	}
	/* Every byte but NUL, alone between two letters. */
	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'b';
		s[3] = '\0';
		snprintf(name, sizeof(name), "byte 0x%02x", c);
		same(name, one_string, s, NULL);
	}
	same("escapes", one_string, "q\"b\\n\n/c\x01",
	    "{\"s\":\"q\\\"b\\\\n\\n/c\\u0001\"}");
	same("scalars", scalars, NULL, "{\"zero\":0,"
	    "\"min\":-9223372036854775808,\"max\":9223372036854775807,"
	    "\"neg\":-42,\"yes\":true,\"no\":false,\"seven\":true,"
	    "\"null\":null,\"empty\":\"\",\"key \\\"quoted\\\"\\n\":\"v\"}");
	same("nested", nested, NULL, NULL);
	same("empty list", empty_list, NULL, "[]");
	same("deepest", deepest, NULL,
	    "{\"a\":[{\"a\":[{\"a\":[{\"a\":[1,2]}]}]}]}");
	return t_done();
}
