/* parse.h — request parsers: query/urlencoded, cookies, multipart, JSON,
 * and the UTF-8 / control-character checks they share (RELIABILITY §2).
 *
 * All parsers are pure: they allocate from the request arena, never
 * crash on malformed input, and answer one of enum perr. */
#ifndef PARSE_H
#define PARSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "arena.h"

#define PARAMS_MAX	256	/* query and body together */
#define PARAM_NAME_MAX	64
#define COOKIES_MAX	16
#define MULTIPART_PARTS_MAX	8
#define MULTIPART_HEADER_MAX	1024
#define JSON_DEPTH_MAX	16
#define JSON_ARRAY_MAX	1000

enum perr {
	P_OK = 0,
	P_MALFORMED,		/* syntax error (bad multipart, bad JSON) */
	P_BAD_ENCODING,		/* bad %xx, invalid/overlong UTF-8, NUL */
	P_TOO_MANY,		/* more than PARAMS_MAX / parts */
	P_NAME_TOO_LONG,
	P_TOO_DEEP,		/* JSON nesting or array size */
};

enum param_src { SRC_QUERY, SRC_BODY };

struct param {
	const char	*name;
	const char	*value;		/* NUL-terminated; files may hold NULs */
	size_t		 len;
	enum param_src	 src;
	const char	*filename;	/* multipart file part, else NULL */
	const char	*ctype;		/* multipart part Content-Type */
};

struct params {
	struct param	*v;		/* arena array of PARAMS_MAX */
	size_t		 n;
};

struct cookie {
	const char	*name;
	const char	*value;
};

void	 params_init(struct arena *, struct params *);
/* application/x-www-form-urlencoded (also the query string): '+' is a
 * space, %XX decoded; names and values must decode to valid UTF-8 with no
 * NUL. Appends to ps. */
enum perr parse_urlencoded(struct arena *, const char *s, size_t n,
	    enum param_src, struct params *ps);
/* Cookie header: "a=1; b=2". At most COOKIES_MAX kept, the rest ignored.
 * Malformed pairs are skipped, never an error. */
size_t	 parse_cookies(struct arena *, const char *hdr,
	    struct cookie *out, size_t max);
/* multipart/form-data with the boundary taken from the Content-Type. */
enum perr parse_multipart(struct arena *, const char *ctype,
	    const char *body, size_t n, struct params *ps);
/* JSON object or array, depth ≤ JSON_DEPTH_MAX, arrays ≤ JSON_ARRAY_MAX,
 * strings valid UTF-8. On success *out holds a new reference. */
enum perr parse_json(const char *body, size_t n, json_object **out);

/* 1 if s[0..n) is valid UTF-8 (no overlong forms, no surrogates, ≤ U+10FFFF)
 * and has no NUL. */
int	 utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t	 utf8_len(const char *s, size_t n);
/* 1 if s has C0 controls other than tab/newline/CR (multi = 1) or any C0
 * control or DEL (multi = 0, single-line fields). */
int	 has_controls(const char *s, int multi);

#endif
