/* ical.c — iCalendar components with libical 3.0 (FEEDS.md §3). Each
 * component is built, serialized with libical's folding and escaping,
 * appended to the buffer and freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "core/buf.h"
#include "ical.h"
#include "policy/tz.h"

#define PRODID	"-//BackOps//BackOps 1//EN"

int
ical_zone_is_utc(const char *zone)
{
	return zone == NULL || *zone == '\0' || strcmp(zone, "UTC") == 0;
}

/* Append one property (folded, CRLF-ended) and free it. */
static void
put_prop(struct buf *b, icalproperty *p)
{
	char	*s = icalproperty_as_ical_string_r(p);

	buf_puts(b, s);
	free(s);
	icalproperty_free(p);
}

static icalproperty *
x_prop(const char *name, const char *value)
{
	icalproperty	*p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	return p;
}

char *
ical_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	size_t			 n = strlen((const char *)p);
	char			*out = malloc(n * 3 + 1), *o = out;

	if (out == NULL)
		abort();
	while (*p != '\0') {
		unsigned char	 c = *p;
		size_t		 len = 0, i;
		unsigned	 cp = 0;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
				p++;
				continue;
			}
			*o++ = (char)c;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (len == 0 || i < len || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			p += i > 0 ? i : 1;
			continue;
		}
		memcpy(o, p, len);
		o += len;
		p += len;
	}
	*o = '\0';
	return out;
}

/* A TEXT property from a sanitized copy of s. */
static icalproperty *
text_prop(icalproperty *(*mk)(const char *), const char *s)
{
	char		*c = ical_clean(s);
	icalproperty	*p = mk(c);

	free(c);
	return p;
}

void
ical_begin(struct buf *b, const struct ical_cal *cal)
{
	int		 min = cal->refresh_min < 15 ? 15 : cal->refresh_min;
	char		 ttl[32], *name = ical_clean(cal->name);

	buf_puts(b, "BEGIN:VCALENDAR\r\n");
	put_prop(b, icalproperty_new_version("2.0"));
	put_prop(b, icalproperty_new_prodid(PRODID));
	put_prop(b, icalproperty_new_calscale("GREGORIAN"));
	put_prop(b, icalproperty_new_name(name));
	put_prop(b, x_prop("X-WR-CALNAME", name));
	free(name);
	if (cal->tz_hint != NULL)
		put_prop(b, x_prop("X-WR-TIMEZONE", cal->tz_hint));
	put_prop(b, icalproperty_new_refreshinterval(
	    icaldurationtype_from_int(min * 60)));
	if (min % 60 == 0)
		snprintf(ttl, sizeof(ttl), "PT%dH", min / 60);
	else
		snprintf(ttl, sizeof(ttl), "PT%dM", min);
	put_prop(b, x_prop("X-PUBLISHED-TTL", ttl));
	if (cal->url != NULL)
		put_prop(b, icalproperty_new_url(cal->url));
}

void
ical_end(struct buf *b)
{
	buf_puts(b, "END:VCALENDAR\r\n");
	/* libical keeps its temporary strings in a ring of 2,500 buffers
	 * that it frees only as the ring wraps (a VTIMEZONE makes some 27):
	 * they go with the calendar, not with some later request. Nothing
	 * of ours points into them. */
	icalmemory_free_ring();
}

int
ical_vtimezone(struct buf *b, const char *zone, int64_t earliest)
{
	icaltimezone	*tz;
	icalcomponent	*vtz;
	icalproperty	*p, *next;
	struct icaltimetype start;
	char		*s;

	if (ical_zone_is_utc(zone))
		return 0;	/* pitfall 3: UTC has no component */
	if ((tz = icaltimezone_get_builtin_timezone(zone)) == NULL ||
	    icaltimezone_get_component(tz) == NULL)
		return -1;
	vtz = icalcomponent_new_clone(icaltimezone_get_component(tz));
	/* Pitfall 1: the bare IANA name, no X-LIC-LOCATION. */
	if ((p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY))
	    != NULL)
		icalproperty_set_tzid(p, zone);
	for (p = icalcomponent_get_first_property(vtz, ICAL_X_PROPERTY);
	    p != NULL; p = next) {
		next = icalcomponent_get_next_property(vtz, ICAL_X_PROPERTY);
		if (strcmp(icalproperty_get_x_name(p), "X-LIC-LOCATION") == 0) {
			icalcomponent_remove_property(vtz, p);
			icalproperty_free(p);
		}
	}
	/* Pitfall 4: from one day before the earliest time, no end. */
	start = icaltime_from_timet_with_zone((time_t)(earliest - 86400), 0,
	    icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(vtz, start, icaltime_null_time(), 1);
	s = icalcomponent_as_ical_string_r(vtz);
	buf_puts(b, s);
	free(s);
	icalcomponent_free(vtz);
	return 0;
}

static struct icaltimetype
utc_time(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0,
	    icaltimezone_get_utc_timezone());
}

static struct icaltimetype
date_of(int64_t days)
{
	struct icaltimetype	 d = icaltime_null_date();
	time_t			 t = (time_t)(days * 86400);
	struct tm		 tm;

	gmtime_r(&t, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.is_date = 1;
	return d;
}

/* DTSTART/DTEND of a timed item: local time with TZID, or the UTC form
 * for zone UTC and for an instant in the second pass of a repeated hour
 * (§3.4), which local time cannot name. */
static icalproperty *
timed_prop(icalproperty *(*mk)(struct icaltimetype), const char *zone,
    int64_t t)
{
	icaltimezone		*tz;
	struct icaltimetype	 u = utc_time(t), l;
	icalproperty		*p;
	struct tm		 tm;
	int64_t			 back;

	if (ical_zone_is_utc(zone) ||
	    (tz = icaltimezone_get_builtin_timezone(zone)) == NULL)
		return mk(u);
	/* Pitfall 2: convert from a real UTC time. */
	l = icaltime_convert_to_zone(u, tz);
	/* RFC 5545 §3.3.5: a repeated local time means its first pass. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = l.year - 1900;
	tm.tm_mon = l.month - 1;
	tm.tm_mday = l.day;
	tm.tm_hour = l.hour;
	tm.tm_min = l.minute;
	tm.tm_sec = l.second;
	if (tz_local_to_utc(zone, (int64_t)timegm(&tm), &back) != TZ_OK ||
	    back != t)
		return mk(u);
	p = mk(l);
	icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
	return p;
}

int
ical_rrule_text(const struct ical_item *it, char *out, size_t outsz)
{
	static const char *const days[7] = { "MO", "TU", "WE", "TH", "FR",
	    "SA", "SU" };
	struct icalrecurrencetype rt;
	char			 s[256], until[32];
	char			*txt;
	size_t			 n;
	int			 i, first = 1;

	if (it->freq == NULL || outsz == 0)
		return -1;
	until[0] = '\0';
	if (it->until < 0)
		;	/* open-ended weekly or monthly series: no UNTIL */
	else if (it->all_day || ical_zone_is_utc(it->tzid)) {
		struct icaltimetype d = date_of(it->until);

		if (it->all_day)
			snprintf(until, sizeof(until), "%04d%02d%02d", d.year,
			    d.month, d.day);
		else
			snprintf(until, sizeof(until),
			    "%04d%02d%02dT235959Z", d.year, d.month, d.day);
	} else {
		/* The last moment of the until-day in the event zone, UTC. */
		icaltimezone		*tz =
		    icaltimezone_get_builtin_timezone(it->tzid);
		struct icaltimetype	 l = date_of(it->until + 1), u;

		l.is_date = 0;
		l.hour = l.minute = l.second = 0;
		l.zone = tz;
		u = utc_time((int64_t)icaltime_as_timet_with_zone(l, tz) - 1);
		snprintf(until, sizeof(until), "%04d%02d%02dT%02d%02d%02dZ",
		    u.year, u.month, u.day, u.hour, u.minute, u.second);
	}
	n = (size_t)snprintf(s, sizeof(s), "FREQ=%s",
	    strcmp(it->freq, "daily") == 0 ? "DAILY" :
	    strcmp(it->freq, "weekly") == 0 ? "WEEKLY" : "MONTHLY");
	if (it->interval > 1)
		n += (size_t)snprintf(s + n, sizeof(s) - n, ";INTERVAL=%d",
		    it->interval);
	if (strcmp(it->freq, "weekly") == 0 && it->weekdays != 0) {
		n += (size_t)snprintf(s + n, sizeof(s) - n, ";BYDAY=");
		for (i = 0; i < 7; i++)
			if (it->weekdays & (1u << i)) {
				n += (size_t)snprintf(s + n, sizeof(s) - n,
				    "%s%s", first ? "" : ",", days[i]);
				first = 0;
			}
	}
	if (until[0] != '\0')
		snprintf(s + n, sizeof(s) - n, ";UNTIL=%s", until);
	/* Round-trip through libical: its part order in the output. */
	rt = icalrecurrencetype_from_string(s);
	if (rt.freq == ICAL_NO_RECURRENCE)
		return -1;
	txt = icalrecurrencetype_as_string_r(&rt);
	snprintf(out, outsz, "%s", txt ? txt : s);
	free(txt);
	return 0;
}

void
ical_event(struct buf *b, const struct ical_item *it)
{
	icalcomponent	*ev = icalcomponent_new_vevent();
	char		 rr[256], *s;
	size_t		 i;

	icalcomponent_add_property(ev, icalproperty_new_uid(it->uid));
	if (it->has_rid)
		icalcomponent_add_property(ev, it->all_day ?
		    icalproperty_new_recurrenceid(date_of(it->rid)) :
		    timed_prop(icalproperty_new_recurrenceid, it->tzid,
		    it->rid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
	    utc_time(it->stamp)));
	if (it->all_day) {
		icalcomponent_add_property(ev, icalproperty_new_dtstart(
		    date_of(it->first_day)));
		icalcomponent_add_property(ev, icalproperty_new_dtend(
		    date_of(it->last_day + 1)));	/* exclusive, §3.5 */
	} else {
		icalcomponent_add_property(ev, timed_prop(
		    icalproperty_new_dtstart, it->tzid, it->start_utc));
		icalcomponent_add_property(ev, timed_prop(
		    icalproperty_new_dtend, it->tzid, it->end_utc));
	}
	if (ical_rrule_text(it, rr, sizeof(rr)) == 0) {
		icalcomponent_add_property(ev, icalproperty_new_rrule(
		    icalrecurrencetype_from_string(rr)));
		for (i = 0; i < it->nexdates; i++)
			icalcomponent_add_property(ev, it->all_day ?
			    icalproperty_new_exdate(date_of(it->exdates[i])) :
			    timed_prop(icalproperty_new_exdate, it->tzid,
			    it->exdates[i]));
	}
	icalcomponent_add_property(ev, icalproperty_new_sequence(
	    (int)it->sequence));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(
	    utc_time(it->stamp)));
	icalcomponent_add_property(ev, icalproperty_new_created(
	    utc_time(it->created)));
	icalcomponent_add_property(ev, text_prop(icalproperty_new_summary,
	    it->summary));
	if (it->location != NULL && it->location[0] != '\0')
		icalcomponent_add_property(ev, text_prop(
		    icalproperty_new_location, it->location));
	if (it->description != NULL && it->description[0] != '\0')
		icalcomponent_add_property(ev, text_prop(
		    icalproperty_new_description, it->description));
	if (it->url != NULL)
		icalcomponent_add_property(ev, icalproperty_new_url(it->url));
	icalcomponent_add_property(ev, icalproperty_new_status(it->cancelled ?
	    ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	if (it->transparent)
		icalcomponent_add_property(ev, icalproperty_new_transp(
		    ICAL_TRANSP_TRANSPARENT));
	s = icalcomponent_as_ical_string_r(ev);
	buf_puts(b, s);
	free(s);
	icalcomponent_free(ev);
}
