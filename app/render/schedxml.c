/* schedxml.c — schedule.xml (xmlTextWriter, streaming into a memory
 * buffer) and schedule.json (json-c) from one document model, in the
 * element order of FEEDS.md §6.2–§6.5 and the property rules of §7.2.
 * Every string passes sx_clean() first: xmlTextWriter escapes markup but
 * writes C0 controls unchanged, which XML 1.0 forbids outright. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <sodium.h>

#include "core/buf.h"
#include "schedxml.h"

/* --- text ------------------------------------------------------------------ */

/* Length of the UTF-8 sequence at p and its code point; 0 when invalid. */
static size_t
utf8_seq(const unsigned char *p, unsigned *cp)
{
	size_t	 n, i;
	unsigned c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

char *
sx_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char		*out, *o;
	size_t		 n;
	unsigned	 cp;

	/* U+FFFD (3 bytes) for one invalid byte at most triples the size. */
	out = o = malloc(strlen((const char *)p) * 3 + 1);
	if (out == NULL)
		abort();
	while (*p != '\0') {
		if ((n = utf8_seq(p, &cp)) == 0) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			p++;
			continue;
		}
		if (cp == '\r') {
			/* CR LF becomes LF; a lone CR goes. */
			p++;
			continue;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F ||
		    cp == 0xFFFE || cp == 0xFFFF) {
			p += n;
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = '\0';
	return out;
}

void
sx_hhmm(int64_t minutes, char out[8])
{
	if (minutes < 0)
		minutes = 0;
	snprintf(out, 8, "%02d:%02d", (int)(minutes / 60 % 100),
	    (int)(minutes % 60));
}

void
sx_acronym(const char *code, char *out, size_t outsz)
{
	size_t	 i;

	for (i = 0; code[i] != '\0' && i + 1 < outsz; i++)
		out[i] = code[i] == '-' ? '_' : code[i];
	out[i] = '\0';
}

/* Latin-1 letters U+00C0–U+00FF as ASCII ("" for × and ÷). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "ae", "a", "ae", "c",	/* C0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* C8 */
	"d", "n", "o", "o", "o", "o", "oe", "",		/* D0 */
	"o", "u", "u", "u", "ue", "y", "th", "ss",	/* D8 */
	"a", "a", "a", "a", "ae", "a", "ae", "c",	/* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* E8 */
	"d", "n", "o", "o", "o", "o", "oe", "",		/* F0 */
	"o", "u", "u", "u", "ue", "y", "th", "y",	/* F8 */
};

void
sx_slug(const char *title, size_t max, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)(title ? title : "");
	size_t		 o = 0, n;
	unsigned	 cp;
	int		 dash = 0;

	if (max == 0 || max > outsz - 1)
		max = outsz - 1;
	while (*p != '\0' && o < max) {
		const char	*rep = NULL;
		char		 one[2] = { 0, 0 };

		if ((n = utf8_seq(p, &cp)) == 0)
			n = 1, cp = 0xFFFD;
		p += n;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			one[0] = (char)cp, rep = one;
		else if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)(cp - 'A' + 'a'), rep = one;
		else if (cp >= 0xC0 && cp <= 0xFF && *latin1[cp - 0xC0])
			rep = latin1[cp - 0xC0];
		if (rep == NULL) {
			dash = o > 0;
			continue;
		}
		if (dash && o < max)
			out[o++] = '-';
		dash = 0;
		for (; *rep != '\0' && o < max; rep++)
			out[o++] = *rep;
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
	if (o == 0)
		snprintf(out, outsz, "activity");
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sx_uuid8(const char *ns, const char *name, char out[SX_UUID_LEN + 1])
{
	unsigned char	 b[16], d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	size_t		 i, k = 0;
	int		 hi, lo;

	if (ns == NULL || strlen(ns) != SX_UUID_LEN)
		return -1;
	for (i = 0; i < SX_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ns[i] != '-')
				return -1;
			continue;
		}
		if ((hi = hexval(ns[i])) < 0 || (lo = hexval(ns[++i])) < 0)
			return -1;
		b[k++] = (unsigned char)(hi << 4 | lo);
	}
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, b, sizeof(b));
	crypto_hash_sha256_update(&st, (const unsigned char *)name,
	    strlen(name));
	crypto_hash_sha256_final(&st, d);
	d[6] = (unsigned char)((d[6] & 0x0F) | 0x80);
	d[8] = (unsigned char)((d[8] & 0x3F) | 0x80);
	snprintf(out, SX_UUID_LEN + 1, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3], d[4],
	    d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
	    d[15]);
	return 0;
}

/* --- schedule.xml ------------------------------------------------------------ */

#define X(s)	((const xmlChar *)(s))

static int
el(xmlTextWriterPtr w, const char *name, const char *text)
{
	char	*t = sx_clean(text);
	int	 rc = xmlTextWriterWriteElement(w, X(name), X(t));

	free(t);
	return rc < 0 ? -1 : 0;
}

static int
attr(xmlTextWriterPtr w, const char *name, const char *text)
{
	char	*t = sx_clean(text);
	int	 rc = xmlTextWriterWriteAttribute(w, X(name), X(t));

	free(t);
	return rc < 0 ? -1 : 0;
}

static int
start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, X(name)) < 0 ? -1 : 0;
}

static int
end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int
xml_event(xmlTextWriterPtr w, const struct sx_doc *d, const struct sx_event *e)
{
	char	 id[24];
	size_t	 i;
	int	 rc = 0;

	(void)d;
	snprintf(id, sizeof(id), "%lld", (long long)e->id);
	rc |= start(w, "event");
	rc |= attr(w, "id", id);
	rc |= attr(w, "guid", e->guid);
	rc |= el(w, "room", e->room);
	rc |= el(w, "title", e->title);
	rc |= el(w, "type", "activity");
	rc |= el(w, "date", e->date);
	rc |= el(w, "start", e->start);
	rc |= el(w, "duration", e->duration);
	rc |= el(w, "abstract", e->abstract ? e->abstract : "");
	rc |= el(w, "slug", e->slug);
	rc |= el(w, "track", e->track);
	rc |= start(w, "persons");
	for (i = 0; i < e->npersons; i++) {
		char	*t = sx_clean(e->persons[i].name);

		rc |= start(w, "person");
		rc |= attr(w, "guid", e->persons[i].guid);
		rc |= xmlTextWriterWriteString(w, X(t)) < 0 ? -1 : 0;
		rc |= end(w);
		free(t);
	}
	rc |= end(w);
	if (e->description != NULL && *e->description != '\0')
		rc |= el(w, "description", e->description);
	rc |= el(w, "url", e->url);
	rc |= end(w);
	return rc;
}

int
sx_write_xml(const struct sx_doc *d, struct buf *out)
{
	xmlBufferPtr	 xb;
	xmlTextWriterPtr w;
	char		 num[24];
	size_t		 i, j, k;
	int		 rc = 0;

	if ((xb = xmlBufferCreate()) == NULL)
		return -1;
	if ((w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xmlBufferFree(xb);
		return -1;
	}
	rc |= xmlTextWriterSetIndent(w, 1) < 0 ? -1 : 0;
	rc |= xmlTextWriterSetIndentString(w, X("  ")) < 0 ? -1 : 0;
	rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ? -1 : 0;
	rc |= start(w, "schedule");
	rc |= start(w, "generator");
	rc |= attr(w, "name", "BackOps");
	rc |= attr(w, "version", SX_GENERATOR_VERSION);
	rc |= end(w);
	rc |= el(w, "version", d->version);
	rc |= start(w, "conference");
	rc |= el(w, "title", d->title);
	rc |= el(w, "acronym", d->acronym);
	rc |= el(w, "start", d->start);
	rc |= el(w, "end", d->end);
	snprintf(num, sizeof(num), "%zu", d->ndays);
	rc |= el(w, "days", num);
	rc |= el(w, "timeslot_duration", d->timeslot);
	rc |= el(w, "time_zone_name", d->time_zone);
	rc |= el(w, "base_url", d->base_url);
	rc |= el(w, "url", d->url);
	for (i = 0; i < d->ntracks; i++) {
		rc |= start(w, "track");
		rc |= attr(w, "name", d->tracks[i].name);
		if (d->tracks[i].slug != NULL)
			rc |= attr(w, "slug", d->tracks[i].slug);
		rc |= end(w);
	}
	rc |= end(w);
	for (i = 0; i < d->ndays; i++) {
		const struct sx_day *day = &d->days[i];

		rc |= start(w, "day");
		snprintf(num, sizeof(num), "%d", day->index);
		rc |= attr(w, "index", num);
		rc |= attr(w, "date", day->date);
		rc |= attr(w, "start", day->start);
		rc |= attr(w, "end", day->end);
		for (j = 0; j < day->nrooms; j++) {
			const struct sx_room *rm = &day->rooms[j];

			rc |= start(w, "room");
			rc |= attr(w, "name", rm->name);
			rc |= attr(w, "guid", rm->guid);
			for (k = 0; k < rm->nevents; k++)
				rc |= xml_event(w, d, rm->events[k]);
			rc |= end(w);
		}
		rc |= end(w);
	}
	rc |= end(w);
	rc |= xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
	xmlFreeTextWriter(w);
	if (rc == 0)
		buf_put(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc ? -1 : 0;
}

/* --- schedule.json ------------------------------------------------------------ */

static void
jstr(json_object *o, const char *k, const char *v)
{
	char	*t;

	if (v == NULL) {
		json_object_object_add(o, k, NULL);
		return;
	}
	t = sx_clean(v);
	json_object_object_add(o, k, json_object_new_string(t));
	free(t);
}

static json_object *
json_event(const struct sx_event *e)
{
	json_object	*o = json_object_new_object(), *ps;
	size_t		 i;

	jstr(o, "guid", e->guid);
	json_object_object_add(o, "id", json_object_new_int64(e->id));
	jstr(o, "date", e->date);
	jstr(o, "start", e->start);
	jstr(o, "duration", e->duration);
	jstr(o, "end", e->end);
	jstr(o, "room", e->room);
	jstr(o, "slug", e->slug);
	jstr(o, "url", e->url);
	jstr(o, "title", e->title);
	json_object_object_add(o, "subtitle", NULL);
	jstr(o, "track", e->track);
	jstr(o, "type", "activity");
	json_object_object_add(o, "language", NULL);
	jstr(o, "abstract", e->abstract ? e->abstract : "");
	if (e->description != NULL && *e->description != '\0')
		jstr(o, "description", e->description);
	ps = json_object_new_array();
	for (i = 0; i < e->npersons; i++) {
		json_object	*p = json_object_new_object();

		jstr(p, "name", e->persons[i].name);
		jstr(p, "guid", e->persons[i].guid);
		json_object_array_add(ps, p);
	}
	json_object_object_add(o, "persons", ps);
	json_object_object_add(o, "links", json_object_new_array());
	return o;
}

json_object *
sx_json(const struct sx_doc *d)
{
	json_object	*top = json_object_new_object(), *g, *s, *c, *a, *days;
	size_t		 i, j, k;

	jstr(top, "$schema", "https://c3voc.de/schedule/schema.json");
	g = json_object_new_object();
	jstr(g, "name", "BackOps");
	jstr(g, "version", SX_GENERATOR_VERSION);
	json_object_object_add(top, "generator", g);
	s = json_object_new_object();
	jstr(s, "version", d->version);
	jstr(s, "base_url", d->base_url);
	c = json_object_new_object();
	jstr(c, "acronym", d->acronym);
	jstr(c, "title", d->title);
	jstr(c, "start", d->start);
	jstr(c, "end", d->end);
	json_object_object_add(c, "daysCount",
	    json_object_new_int64((int64_t)d->ndays));
	jstr(c, "timeslot_duration", d->timeslot);
	jstr(c, "time_zone_name", d->time_zone);
	jstr(c, "url", d->url);
	a = json_object_new_array();
	for (i = 0; i < d->nrooms; i++) {
		json_object	*r = json_object_new_object();

		jstr(r, "name", d->rooms[i].name);
		jstr(r, "guid", d->rooms[i].guid);
		json_object_array_add(a, r);
	}
	json_object_object_add(c, "rooms", a);
	a = json_object_new_array();
	for (i = 0; i < d->ntracks; i++) {
		json_object	*t = json_object_new_object();

		jstr(t, "name", d->tracks[i].name);
		if (d->tracks[i].slug != NULL)
			jstr(t, "slug", d->tracks[i].slug);
		json_object_array_add(a, t);
	}
	json_object_object_add(c, "tracks", a);
	days = json_object_new_array();
	for (i = 0; i < d->ndays; i++) {
		const struct sx_day *day = &d->days[i];
		json_object	*o = json_object_new_object(), *rooms;

		json_object_object_add(o, "index",
		    json_object_new_int(day->index));
		jstr(o, "date", day->date);
		jstr(o, "day_start", day->start);
		jstr(o, "day_end", day->end);
		rooms = json_object_new_object();
		for (j = 0; j < day->nrooms; j++) {
			json_object	*evs = json_object_new_array();
			char		*name = sx_clean(day->rooms[j].name);

			for (k = 0; k < day->rooms[j].nevents; k++)
				json_object_array_add(evs,
				    json_event(day->rooms[j].events[k]));
			json_object_object_add(rooms, name, evs);
			free(name);
		}
		json_object_object_add(o, "rooms", rooms);
		json_object_array_add(days, o);
	}
	json_object_object_add(c, "days", days);
	json_object_object_add(s, "conference", c);
	json_object_object_add(top, "schedule", s);
	return top;
}
