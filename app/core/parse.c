/* parse.c — request parsers: query and urlencoded bodies, the Cookie
 * header, multipart/form-data and JSON, and the UTF-8 checks they share
 * (RELIABILITY §2, "Parameters", "JSON" and "Encoding").
 *
 * Every byte here comes from the client. Loops are bounded by explicit
 * lengths, never by a NUL; results are copied into the request arena and
 * NUL-terminated; any failure is an enum perr, never a crash and never a
 * half-filled result (params appended before an error are taken back). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "parse.h"
#include "util.h"

/*
 * UTF-8 and control characters.
 */

/* Length of the well-formed UTF-8 sequence at p (n bytes left), or 0.
 * The ranges are those of Unicode's table 3-7: restricting the second
 * byte after E0, ED, F0 and F4 is what refuses overlong forms, the
 * surrogates D800-DFFF and anything above U+10FFFF. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char	 c = p[0], lo = 0x80, hi = 0xBF;
	size_t		 len, i;

	if (c == 0x00)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;	/* continuation byte, C0, C1 or F5..FF */
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;

	if (s == NULL)
		return n == 0;
	while (i < n) {
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t
utf8_len(const char *s, size_t n)
{
	size_t	 i, cp = 0;

	/* Every code point has exactly one byte that is not 10xxxxxx. */
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			cp++;
	return cp;
}

int
has_controls(const char *s, int multi)
{
	const unsigned char	*p;

	if (s == NULL)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20) {
			if (multi && (*p == '\t' || *p == '\n' || *p == '\r'))
				continue;
			return 1;
		}
		if (*p == 0x7F && !multi)
			return 1;
	}
	return 0;
}

/*
 * application/x-www-form-urlencoded and query strings.
 */

void
params_init(struct arena *a, struct params *ps)
{
	ps->v = arena_calloc(a, PARAMS_MAX, sizeof(*ps->v));
	ps->n = 0;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one name or value of a urlencoded pair into a new arena string.
 * Decoding happens before the UTF-8 check so that %C0%AF and %00 are
 * judged as the bytes they stand for. */
static enum perr
form_decode(struct arena *a, const char *s, size_t n, char **out,
    size_t *outlen)
{
	char	*d = arena_alloc(a, n + 1);
	size_t	 i, j = 0;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			d[j++] = ' ';
		else if (s[i] == '%') {
			if (n - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return P_BAD_ENCODING;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[j++] = s[i];
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return P_BAD_ENCODING;
	*out = d;
	*outlen = j;
	return P_OK;
}

/* Pairs are separated by '&' only: the old ';' alternative would let a
 * proxy and this parser disagree about where a value ends. A pair whose
 * name decodes to nothing ("=x", "=") is skipped like an empty pair: no
 * declared input can have an empty name. */
enum perr
parse_urlencoded(struct arena *a, const char *s, size_t n,
    enum param_src src, struct params *ps)
{
	const char	*pair, *amp, *eq;
	size_t		 start = ps->n, i = 0, len, nlen, vlen;
	char		*name, *value;
	struct param	*p;
	enum perr	 e;

	if (s == NULL)
		return P_OK;
	while (i < n) {
		pair = s + i;
		amp = memchr(pair, '&', n - i);
		len = amp != NULL ? (size_t)(amp - pair) : n - i;
		i += len + 1;
		if (len == 0)
			continue;
		eq = memchr(pair, '=', len);
		nlen = eq != NULL ? (size_t)(eq - pair) : len;
		if ((e = form_decode(a, pair, nlen, &name, &nlen)) != P_OK)
			goto fail;
		if (nlen > PARAM_NAME_MAX) {
			e = P_NAME_TOO_LONG;
			goto fail;
		}
		if (eq != NULL)
			e = form_decode(a, eq + 1, len - (size_t)(eq + 1 - pair),
			    &value, &vlen);
		else
			e = form_decode(a, "", 0, &value, &vlen);
		if (e != P_OK)
			goto fail;
		if (nlen == 0)
			continue;
		if (ps->n >= PARAMS_MAX) {
			e = P_TOO_MANY;
			goto fail;
		}
		p = &ps->v[ps->n++];
		memset(p, 0, sizeof(*p));
		p->name = name;
		p->value = value;
		p->len = vlen;
		p->src = src;
	}
	return P_OK;
fail:
	ps->n = start;
	return e;
}

/*
 * Cookie header (RFC 6265 §4.1.1 syntax, §5.2 leniency on spaces).
 */

/* RFC 7230 tchar: what a cookie name, a header name or an unquoted MIME
 * parameter may consist of. */
static int
tchar(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 1;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 cookie-octet: printable ASCII without space, '"', ',', ';'
 * and '\'. Ours are base64url; anything outside this set is not ours. */
static int
cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' &&
	    c != ';' && c != '\\';
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

size_t
parse_cookies(struct arena *a, const char *hdr, struct cookie *out,
    size_t max)
{
	const char	*p = hdr, *end, *eq, *ns, *ne, *vs, *ve, *q;
	size_t		 n = 0;
	int		 ok;

	if (hdr == NULL)
		return 0;
	while (*p != '\0' && n < max) {
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL) {
			for (ns = p; ns < eq && is_ows(*ns); ns++)
				continue;
			for (ne = eq; ne > ns && is_ows(ne[-1]); ne--)
				continue;
			for (vs = eq + 1; vs < end && is_ows(*vs); vs++)
				continue;
			for (ve = end; ve > vs && is_ows(ve[-1]); ve--)
				continue;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			ok = ne > ns;
			for (q = ns; ok && q < ne; q++)
				ok = tchar((unsigned char)*q);
			for (q = vs; ok && q < ve; q++)
				ok = cookie_octet((unsigned char)*q);
			if (ok) {
				out[n].name = arena_strndup(a, ns,
				    (size_t)(ne - ns));
				out[n].value = arena_strndup(a, vs,
				    (size_t)(ve - vs));
				n++;
			}
		}
		p = *end != '\0' ? end + 1 : end;
	}
	return n;
}

/*
 * multipart/form-data (RFC 7578 on top of RFC 2046 §5.1).
 */

/* One "; name=value" parameter of a MIME header value. */
struct hparam {
	const char	*name;
	size_t		 nlen;
	const char	*val;		/* raw, escapes still in place */
	size_t		 vlen;
	int		 quoted;
};

/* One part's headers, as far as form-data cares. */
struct part {
	char		*name;
	size_t		 nlen;
	char		*filename;	/* NULL: not a file */
	char		*ctype;
	int		 have_disp;
};

static int
span_ieq(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && ascii_ncasecmp(p, lit, n) == 0;
}

static const char *
skip_ows(const char *p, const char *e)
{
	while (p < e && is_ows(*p))
		p++;
	return p;
}

/* Next parameter of a header value between *pp and e: 1 with one in hp,
 * 0 at the end, -1 on a syntax error. Inside quotes only \" and \\ are
 * escapes: curl escapes a quote that way, while browsers percent-encode
 * quotes and send backslashes as they are (a Windows path must survive). */
static int
hparam_next(const char **pp, const char *e, struct hparam *hp)
{
	const char	*p = skip_ows(*pp, e);

	if (p == e)
		return 0;
	if (*p != ';')
		return -1;
	p = skip_ows(p + 1, e);
	if (p == e)
		return 0;		/* a trailing ';' is harmless */
	hp->name = p;
	while (p < e && tchar((unsigned char)*p))
		p++;
	if ((hp->nlen = (size_t)(p - hp->name)) == 0)
		return -1;
	p = skip_ows(p, e);
	if (p == e || *p != '=')
		return -1;
	p = skip_ows(p + 1, e);
	if (p < e && *p == '"') {
		hp->val = ++p;
		while (p < e && *p != '"') {
			if (*p == '\\' && e - p >= 2 &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			p++;
		}
		if (p == e)
			return -1;	/* unterminated quote */
		hp->vlen = (size_t)(p - hp->val);
		hp->quoted = 1;
		p++;
	} else {
		hp->val = p;
		while (p < e && tchar((unsigned char)*p))
			p++;
		if ((hp->vlen = (size_t)(p - hp->val)) == 0)
			return -1;
		hp->quoted = 0;
	}
	*pp = p;
	return 1;
}

/* Arena copy of a parameter value with its quoting undone. */
static char *
hparam_copy(struct arena *a, const struct hparam *hp, size_t *len)
{
	char	*d = arena_alloc(a, hp->vlen + 1);
	size_t	 i, j = 0;

	for (i = 0; i < hp->vlen; i++) {
		if (hp->quoted && hp->val[i] == '\\' && i + 1 < hp->vlen &&
		    (hp->val[i + 1] == '"' || hp->val[i + 1] == '\\'))
			i++;
		d[j++] = hp->val[i];
	}
	d[j] = '\0';
	*len = j;
	return d;
}

/* RFC 2046 bchars: what a boundary may hold; a space only inside. */
static int
boundary_ok(const char *b, size_t n)
{
	size_t	 i;
	int	 c;

	if (n == 0 || n > 70 || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)b[i];
		if (!(c >= '0' && c <= '9') &&
		    !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    (c == '\0' || strchr("'()+_,-./:=? ", c) == NULL))
			return 0;
	}
	return 1;
}

/* The boundary of a "multipart/form-data; boundary=..." Content-Type.
 * A repeated boundary parameter is refused rather than guessed at. */
static enum perr
mp_boundary(struct arena *a, const char *ctype, char **bd, size_t *bdlen)
{
	const char	*p, *e, *semi;
	struct hparam	 hp;
	int		 rc;

	*bd = NULL;
	if (ctype == NULL)
		return P_MALFORMED;
	e = ctype + strlen(ctype);
	if ((semi = strchr(ctype, ';')) == NULL)
		return P_MALFORMED;
	p = skip_ows(ctype, semi);
	while (semi > p && is_ows(semi[-1]))
		semi--;
	if (!span_ieq(p, (size_t)(semi - p), "multipart/form-data"))
		return P_MALFORMED;
	p = semi;
	while ((rc = hparam_next(&p, e, &hp)) == 1) {
		if (!span_ieq(hp.name, hp.nlen, "boundary"))
			continue;
		if (*bd != NULL)
			return P_MALFORMED;
		*bd = hparam_copy(a, &hp, bdlen);
	}
	if (rc < 0 || *bd == NULL || !boundary_ok(*bd, *bdlen))
		return P_MALFORMED;
	return P_OK;
}

/* Content-Disposition: form-data; name="x"[; filename="y"]. Other
 * parameters (filename* included, RFC 7578 §4.2) are ignored; a repeated
 * name or filename is refused because two readers could pick different
 * ones (a classic filter bypass). */
static enum perr
mp_disposition(struct arena *a, const char *p, const char *e,
    struct part *pt)
{
	const char	*t = p;
	struct hparam	 hp;
	size_t		 len;
	int		 rc;

	while (t < e && tchar((unsigned char)*t))
		t++;
	if (!span_ieq(p, (size_t)(t - p), "form-data"))
		return P_MALFORMED;
	p = t;
	while ((rc = hparam_next(&p, e, &hp)) == 1) {
		if (span_ieq(hp.name, hp.nlen, "name")) {
			if (pt->name != NULL)
				return P_MALFORMED;
			pt->name = hparam_copy(a, &hp, &pt->nlen);
		} else if (span_ieq(hp.name, hp.nlen, "filename")) {
			if (pt->filename != NULL)
				return P_MALFORMED;
			pt->filename = hparam_copy(a, &hp, &len);
			if (!utf8_valid(pt->filename, len))
				return P_BAD_ENCODING;
		}
	}
	if (rc < 0 || pt->name == NULL || pt->nlen == 0)
		return P_MALFORMED;
	if (!utf8_valid(pt->name, pt->nlen))
		return P_BAD_ENCODING;
	if (pt->nlen > PARAM_NAME_MAX)
		return P_NAME_TOO_LONG;
	return P_OK;
}

/* One header line (without its CRLF). Control bytes are an encoding
 * error; a line without a colon or a folded continuation is malformed. */
static enum perr
mp_header(struct arena *a, const char *p, size_t n, struct part *pt)
{
	const char	*e = p + n, *colon, *ne, *v, *ve;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') ||
		    p[i] == 0x7F)
			return P_BAD_ENCODING;
	if ((colon = memchr(p, ':', n)) == NULL)
		return P_MALFORMED;
	for (ne = colon; ne > p && is_ows(ne[-1]); ne--)
		continue;
	if (ne == p)
		return P_MALFORMED;
	for (i = 0; p + i < ne; i++)
		if (!tchar((unsigned char)p[i]))
			return P_MALFORMED;
	v = skip_ows(colon + 1, e);
	for (ve = e; ve > v && is_ows(ve[-1]); ve--)
		continue;

	if (span_ieq(p, (size_t)(ne - p), "content-disposition")) {
		if (pt->have_disp)
			return P_MALFORMED;
		pt->have_disp = 1;
		return mp_disposition(a, v, ve, pt);
	}
	if (span_ieq(p, (size_t)(ne - p), "content-type")) {
		if (pt->ctype != NULL)
			return P_MALFORMED;
		pt->ctype = arena_strndup(a, v, (size_t)(ve - v));
		if (!utf8_valid(pt->ctype, (size_t)(ve - v)))
			return P_BAD_ENCODING;
	}
	return P_OK;	/* anything else (Content-Transfer-Encoding …) */
}

/* The header block of a part at h (n bytes left), up to and including
 * the empty line; *used is its size. The block, CRLFs included but not
 * the empty line, is at most MULTIPART_HEADER_MAX bytes, and the search
 * for line ends never looks further than that. Going over is P_TOO_MANY,
 * a limit like the part count (RELIABILITY §2 answers 413 for both),
 * while a block cut short by the end of the body is P_MALFORMED. */
static enum perr
mp_headers(struct arena *a, const char *h, size_t n, size_t *used,
    struct part *pt)
{
	const char	*eol;
	size_t		 off = 0, win, len;
	enum perr	 e;

	for (;;) {
		win = MULTIPART_HEADER_MAX + 2 - off;
		if (win > n - off)
			win = n - off;
		if ((eol = memmem(h + off, win, "\r\n", 2)) == NULL)
			return win < n - off ? P_TOO_MANY : P_MALFORMED;
		len = (size_t)(eol - (h + off));
		if (len == 0)
			break;
		if (off + len + 2 > MULTIPART_HEADER_MAX)
			return P_TOO_MANY;
		if (is_ows(h[off]))
			return P_MALFORMED;	/* obsolete line folding */
		if ((e = mp_header(a, h + off, len, pt)) != P_OK)
			return e;
		off += len + 2;
	}
	*used = off + 2;
	if (!pt->have_disp)
		return P_MALFORMED;
	return P_OK;
}

/* Layout: [preamble CRLF] "--" boundary, then for each part: padding CRLF,
 * headers, CRLF, content, CRLF "--" boundary; the last boundary is followed
 * by "--" and an epilogue, which is ignored. File contents are copied
 * as they are (NULs included); other values must be text. */
enum perr
parse_multipart(struct arena *a, const char *ctype, const char *body,
    size_t n, struct params *ps)
{
	const char	*q;
	char		*bd, *delim, *value;
	size_t		 start = ps->n, bdlen, dlen, p, hlen, clen, nparts = 0;
	struct part	 pt;
	struct param	*pp;
	enum perr	 e;

	if ((e = mp_boundary(a, ctype, &bd, &bdlen)) != P_OK)
		return e;
	if (body == NULL)
		return P_MALFORMED;
	delim = arena_printf(a, "\r\n--%s", bd);
	dlen = bdlen + 4;

	/* The first delimiter may open the body, so it lacks the CRLF. */
	if (n >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = dlen - 2;
	else if ((q = memmem(body, n, delim, dlen)) != NULL)
		p = (size_t)(q - body) + dlen;
	else
		return P_MALFORMED;

	for (;;) {
		if (n - p >= 2 && body[p] == '-' && body[p + 1] == '-')
			return P_OK;		/* close delimiter */
		while (p < n && is_ows(body[p]))
			p++;
		if (n - p < 2 || body[p] != '\r' || body[p + 1] != '\n') {
			e = P_MALFORMED;
			goto fail;
		}
		p += 2;
		if (++nparts > MULTIPART_PARTS_MAX) {
			e = P_TOO_MANY;
			goto fail;
		}
		memset(&pt, 0, sizeof(pt));
		if ((e = mp_headers(a, body + p, n - p, &hlen, &pt)) != P_OK)
			goto fail;
		p += hlen;
		if ((q = memmem(body + p, n - p, delim, dlen)) == NULL) {
			e = P_MALFORMED;
			goto fail;
		}
		clen = (size_t)(q - (body + p));
		value = arena_strndup(a, body + p, clen);
		if (pt.filename == NULL && !utf8_valid(value, clen)) {
			e = P_BAD_ENCODING;
			goto fail;
		}
		if (ps->n >= PARAMS_MAX) {
			e = P_TOO_MANY;
			goto fail;
		}
		pp = &ps->v[ps->n++];
		pp->name = pt.name;
		pp->value = value;
		pp->len = clen;
		pp->src = SRC_BODY;
		pp->filename = pt.filename;
		pp->ctype = pt.ctype;
		p = (size_t)(q - body) + dlen;
	}
fail:
	ps->n = start;
	return e;
}

/*
 * JSON.
 */

static int
hex4(const char *s)
{
	int	 i, v = 0, h;

	for (i = 0; i < 4; i++) {
		if ((h = hexval((unsigned char)s[i])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* What json-c lets through even with JSON_TOKENER_STRICT, checked on the
 * text it accepted: single-quoted strings, raw control characters inside
 * strings, \u0000 (which silently cuts object keys short) and unpaired
 * surrogate escapes (which json-c turns into U+FFFD). The text has parsed
 * already, so tracking string boundaries and escapes is enough. */
static enum perr
json_scan(const char *s, size_t n)
{
	size_t		 i;
	int		 instr = 0, high = 0, u;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!instr) {
			if (c == '"')
				instr = 1;
			else if (c == '\'')
				return P_MALFORMED;
			continue;
		}
		if (c == '\\' && i + 1 < n && s[i + 1] == 'u') {
			if (n - i < 6 || (u = hex4(s + i + 2)) < 0)
				return P_MALFORMED;
			i += 5;
			if (high) {
				if (u < 0xDC00 || u > 0xDFFF)
					return P_BAD_ENCODING;
				high = 0;
			} else if (u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
				return P_BAD_ENCODING;
			else if (u >= 0xD800 && u <= 0xDBFF)
				high = 1;
			continue;
		}
		if (high)
			return P_BAD_ENCODING;	/* high surrogate alone */
		if (c == '\\')
			i++;
		else if (c == '"')
			instr = 0;
		else if (c < 0x20)
			return P_MALFORMED;
	}
	return instr ? P_MALFORMED : P_OK;
}

/* Containers may nest JSON_DEPTH_MAX deep ({"a":1} is 1 deep). The
 * recursion is bounded by the tokener's own limit. */
static enum perr
json_walk(json_object *o, int depth)
{
	struct json_object_iterator	 it, end;
	size_t				 i, len;
	const char			*k;
	enum perr			 e;

	switch (json_object_get_type(o)) {
	case json_type_string:
		return utf8_valid(json_object_get_string(o),
		    (size_t)json_object_get_string_len(o)) ?
		    P_OK : P_BAD_ENCODING;
	case json_type_double:
		/* NaN and Infinity are not JSON; json-c takes them. */
		return isfinite(json_object_get_double(o)) ?
		    P_OK : P_MALFORMED;
	case json_type_array:
		if (depth > JSON_DEPTH_MAX)
			return P_TOO_DEEP;
		if ((len = json_object_array_length(o)) > JSON_ARRAY_MAX)
			return P_TOO_DEEP;
		for (i = 0; i < len; i++)
			if ((e = json_walk(json_object_array_get_idx(o, i),
			    depth + 1)) != P_OK)
				return e;
		return P_OK;
	case json_type_object:
		if (depth > JSON_DEPTH_MAX)
			return P_TOO_DEEP;
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			k = json_object_iter_peek_name(&it);
			if (!utf8_valid(k, strlen(k)))
				return P_BAD_ENCODING;
			if ((e = json_walk(json_object_iter_peek_value(&it),
			    depth + 1)) != P_OK)
				return e;
		}
		return P_OK;
	default:
		return P_OK;
	}
}

enum perr
parse_json(const char *body, size_t n, json_object **out)
{
	struct json_tokener	*tok;
	json_object		*o;
	enum json_tokener_error	 jerr;
	enum json_type		 t;
	size_t			 end, i;
	enum perr		 e;

	*out = NULL;
	if (body == NULL || n == 0 || n > INT_MAX)
		return P_MALFORMED;
	/* json-c counts the innermost scalar as a level of its own, so
	 * [[1]] is 3 deep to it: one more level here, and json_walk()
	 * holds containers to JSON_DEPTH_MAX. */
	if ((tok = json_tokener_new_ex(JSON_DEPTH_MAX + 1)) == NULL)
		abort();	/* out of memory: see util.h */
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)n);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	switch (jerr) {
	case json_tokener_success:
		break;
	case json_tokener_error_depth:
		json_object_put(o);
		return P_TOO_DEEP;
	case json_tokener_error_parse_utf8_string:
		json_object_put(o);
		return P_BAD_ENCODING;
	default:		/* json_tokener_continue: cut short */
		json_object_put(o);
		return P_MALFORMED;
	}

	/* The whole body is one value: only JSON whitespace may follow. */
	for (i = end; i < n; i++)
		if (body[i] != ' ' && body[i] != '\t' && body[i] != '\n' &&
		    body[i] != '\r') {
			json_object_put(o);
			return P_MALFORMED;
		}
	t = json_object_get_type(o);
	if (o == NULL || (t != json_type_object && t != json_type_array)) {
		json_object_put(o);
		return P_MALFORMED;
	}
	if ((e = json_scan(body, end)) != P_OK ||
	    (e = json_walk(o, 1)) != P_OK) {
		json_object_put(o);
		return e;
	}
	*out = o;
	return P_OK;
}
