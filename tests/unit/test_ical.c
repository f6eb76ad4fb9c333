/* test_ical.c — the iCalendar writer (FEEDS.md §3): VTIMEZONE generation,
 * RRULE text, all-day dates, the repeated hour, text sanitizing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "policy/tz.h"
#include "render/ical.h"
#include "t.h"

static int64_t
day(const char *s)
{
	int64_t	 d = -1;

	tz_parse_date(s, &d);
	return d;
}

static void
test_vtimezone(void)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	T_OK(ical_vtimezone(&b, "UTC", 0) == 0 && b.len == 0,
	    "UTC has no VTIMEZONE");
	T_OK(ical_vtimezone(&b, "Nowhere/Atlantis", 0) == -1, "unknown zone");
	/* 2026-07-10 06:00Z */
	T_OK(ical_vtimezone(&b, "Europe/Berlin", 1783663200) == 0,
	    "Berlin VTIMEZONE");
	s = buf_cstr(&b);
	T_OK(strncmp(s, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n", 37) == 0,
	    "bare TZID first");
	T_OK(strstr(s, "freeassociation") == NULL, "no libical prefix");
	T_OK(strstr(s, "X-LIC-LOCATION") == NULL, "no X-LIC-LOCATION");
	T_OK(strstr(s, "TZUNTIL") == NULL, "no TZUNTIL");
	T_OK(strstr(s, "DTSTART:19810329T020000") != NULL,
	    "real 1981 rule start (Microsoft-compatible truncation)");
	T_OK(strstr(s, "+005328") == NULL, "no local mean time");
	T_OK(strstr(s, "END:VTIMEZONE\r\n") != NULL, "ends");
	buf_free(&b);
}

static void
test_rrule(void)
{
	struct ical_item	 it;
	char			 rr[256];

	memset(&it, 0, sizeof(it));
	it.tzid = "Europe/Berlin";
	T_OK(ical_rrule_text(&it, rr, sizeof(rr)) == -1, "no rule");
	it.freq = "daily";
	it.interval = 1;
	it.until = day("2026-07-12");
	T_OK(ical_rrule_text(&it, rr, sizeof(rr)) == 0, "daily");
	T_STREQ(rr, "FREQ=DAILY;UNTIL=20260712T215959Z", "daily until UTC");
	it.freq = "weekly";
	it.interval = 2;
	it.weekdays = 1 | 4;
	ical_rrule_text(&it, rr, sizeof(rr));
	T_STREQ(rr, "FREQ=WEEKLY;UNTIL=20260712T215959Z;INTERVAL=2;BYDAY=MO,WE",
	    "weekly interval 2");
	it.freq = "monthly";
	it.interval = 1;
	it.all_day = 1;
	ical_rrule_text(&it, rr, sizeof(rr));
	T_STREQ(rr, "FREQ=MONTHLY;UNTIL=20260712", "all-day until date");
	it.all_day = 0;
	it.tzid = "UTC";
	it.freq = "daily";
	ical_rrule_text(&it, rr, sizeof(rr));
	T_STREQ(rr, "FREQ=DAILY;UNTIL=20260712T235959Z", "UTC zone");
	it.tzid = "Europe/Berlin";
	it.freq = "weekly";
	it.interval = 1;
	it.weekdays = 1u << 4;
	it.until = -1;
	ical_rrule_text(&it, rr, sizeof(rr));
	T_STREQ(rr, "FREQ=WEEKLY;BYDAY=FR", "open-ended: no UNTIL");
}

static void
test_event(void)
{
	struct ical_item	 it;
	struct buf		 b;
	const char		*s;

	memset(&it, 0, sizeof(it));
	it.uid = "3b0e9c52-7a1d-4f08-8e2c-91d4b6a0f3e5";
	it.tzid = "Europe/Berlin";
	it.start_utc = 1783663200;		/* 2026-07-10 06:00Z */
	it.end_utc = 1783663200 + 4 * 3600 + 1800;
	it.stamp = 1781599999;
	it.created = 1781500000;
	it.sequence = 2;
	it.summary = "Load-in & rigging\x07";
	it.location = "Main Stage, Loading dock B";
	it.description = "Trucks; at gate B.\r\nBad \xff byte";
	it.url = "https://ops.example.org/events/42/activities/311";
	buf_init(&b);
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "DTSTART;TZID=Europe/Berlin:20260710T080000\r\n") != NULL,
	    "local start with TZID");
	T_OK(strstr(s, "DTEND;TZID=Europe/Berlin:20260710T123000\r\n") != NULL,
	    "local end with TZID");
	T_OK(strstr(s, "SEQUENCE:2\r\n") != NULL, "sequence");
	T_OK(strstr(s, "SUMMARY:Load-in & rigging\r\n") != NULL,
	    "control character stripped");
	T_OK(strstr(s, "LOCATION:Main Stage\\, Loading dock B\r\n") != NULL,
	    "comma escaped");
	T_OK(strstr(s, "Trucks\\; at gate B.\\nBad \xef\xbf\xbd byte") != NULL,
	    "CR dropped, invalid UTF-8 replaced");
	T_OK(strstr(s, "STATUS:CONFIRMED\r\n") != NULL, "confirmed");
	T_OK(strstr(s, "UID:3b0e9c52") < strstr(s, "DTSTAMP:") &&
	    strstr(s, "DTSTAMP:") < strstr(s, "DTSTART") &&
	    strstr(s, "SEQUENCE") < strstr(s, "LAST-MODIFIED") &&
	    strstr(s, "CREATED") < strstr(s, "SUMMARY") &&
	    strstr(s, "URL:") < strstr(s, "STATUS:"), "property order");

	/* The second pass of the repeated hour: 2026-10-25 01:30Z is 02:30
	 * CET, after 02:30 CEST (00:30Z) — written in UTC form. */
	buf_reset(&b);
	it.start_utc = 1792891800;
	it.end_utc = it.start_utc + 1800;
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "DTSTART:20261025T013000Z\r\n") != NULL,
	    "second pass in UTC form");
	buf_reset(&b);
	it.start_utc = 1792891800 - 3600;
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "DTSTART;TZID=Europe/Berlin:20261025T023000\r\n") !=
	    NULL, "first pass as local time");

	buf_reset(&b);
	it.all_day = 1;
	it.first_day = day("2026-07-10");
	it.last_day = day("2026-07-11");
	it.transparent = 1;
	it.cancelled = 1;
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "DTSTART;VALUE=DATE:20260710\r\n") != NULL,
	    "all-day start");
	T_OK(strstr(s, "DTEND;VALUE=DATE:20260712\r\n") != NULL,
	    "all-day end exclusive");
	T_OK(strstr(s, "STATUS:CANCELLED\r\nTRANSP:TRANSPARENT\r\n") != NULL,
	    "cancelled, transparent");
	buf_free(&b);
}

/* Exceptions of a series (§3.4): RECURRENCE-ID right after UID, in the
 * event zone with TZID (VALUE=DATE for all-day); EXDATE after RRULE on
 * the series (§3.6). */
static void
test_exception(void)
{
	struct ical_item	 it;
	struct buf		 b;
	const char		*s;
	int64_t			 ex[2];

	memset(&it, 0, sizeof(it));
	it.uid = "3b0e9c52-7a1d-4f08-8e2c-91d4b6a0f3e5";
	it.tzid = "Europe/Berlin";
	it.has_rid = 1;
	it.rid = 1783753200;			/* 2026-07-11 07:00Z */
	it.start_utc = 1783771200;		/* 2026-07-11 12:00Z */
	it.end_utc = it.start_utc + 1800;
	it.stamp = 1781699999;
	it.created = 1781699999;
	it.sequence = 1;
	it.summary = "[Cancelled] Crew briefing";
	it.cancelled = 1;
	buf_init(&b);
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "RECURRENCE-ID;TZID=Europe/Berlin:20260711T090000\r\n")
	    != NULL, "recurrence id in event time");
	T_OK(strstr(s, "UID:3b0e9c52") < strstr(s, "RECURRENCE-ID") &&
	    strstr(s, "RECURRENCE-ID") < strstr(s, "DTSTAMP:"),
	    "recurrence id between UID and DTSTAMP");
	T_OK(strstr(s, "DTSTART;TZID=Europe/Berlin:20260711T140000\r\n") !=
	    NULL, "moved start");
	T_OK(strstr(s, "RRULE") == NULL && strstr(s, "EXDATE") == NULL,
	    "no rule on an exception");
	T_OK(strstr(s, "STATUS:CANCELLED\r\n") != NULL, "cancelled");

	buf_reset(&b);
	it.all_day = 1;
	it.rid = day("2026-07-11");
	it.first_day = it.last_day = day("2026-07-11");
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "RECURRENCE-ID;VALUE=DATE:20260711\r\n") != NULL,
	    "all-day recurrence id as a date");

	/* The series with two skipped occurrences past retention. */
	buf_reset(&b);
	memset(&it, 0, sizeof(it));
	it.uid = "3b0e9c52-7a1d-4f08-8e2c-91d4b6a0f3e5";
	it.tzid = "Europe/Berlin";
	it.start_utc = 1783666800;		/* 2026-07-10 07:00Z */
	it.end_utc = it.start_utc + 1800;
	it.freq = "daily";
	it.interval = 1;
	it.until = day("2026-07-12");
	ex[0] = 1783753200;			/* 2026-07-11 07:00Z */
	ex[1] = 1783839600;			/* 2026-07-12 07:00Z */
	it.exdates = ex;
	it.nexdates = 2;
	it.summary = "Crew briefing";
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "RRULE:FREQ=DAILY;UNTIL=20260712T215959Z\r\n"
	    "EXDATE;TZID=Europe/Berlin:20260711T090000\r\n"
	    "EXDATE;TZID=Europe/Berlin:20260712T090000\r\n") != NULL,
	    "EXDATEs after the rule, in event time");
	T_OK(strstr(s, "RECURRENCE-ID") == NULL, "no recurrence id on the "
	    "series");
	buf_reset(&b);
	it.all_day = 1;
	it.first_day = it.last_day = day("2026-07-10");
	ex[0] = day("2026-07-11");
	it.nexdates = 1;
	ical_event(&b, &it);
	s = buf_cstr(&b);
	T_OK(strstr(s, "EXDATE;VALUE=DATE:20260711\r\n") != NULL,
	    "all-day EXDATE as a date");
	buf_free(&b);
}

static void
test_header(void)
{
	struct ical_cal	 cal = { "Fest · Main; Stage", "Europe/Berlin",
	    "https://ops.example.org/events/42", 60 };
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	ical_begin(&b, &cal);
	ical_end(&b);
	s = buf_cstr(&b);
	T_STREQ(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//BackOps//BackOps 1//EN\r\nCALSCALE:GREGORIAN\r\n"
	    "NAME:Fest · Main\\; Stage\r\nX-WR-CALNAME:Fest · Main; Stage\r\n"
	    "X-WR-TIMEZONE:Europe/Berlin\r\n"
	    "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n"
	    "URL:https://ops.example.org/events/42\r\nEND:VCALENDAR\r\n",
	    "calendar header");
	buf_free(&b);
}

int
main(void)
{
	test_vtimezone();
	test_rrule();
	test_event();
	test_exception();
	test_header();
	return t_done_named("test_ical");
}
