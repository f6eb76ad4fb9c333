/* test_schedxml.c — the identifier and text helpers of the schedule
 * exports (FEEDS.md §6.5, §6.6): the version-8 test vector, title slugs,
 * the control-character sanitizer, acronyms and durations. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "render/schedxml.h"
#include "t.h"

static const struct {
	const char	*in;
	const char	*want;
} slugs[] = {
	{ "Load-in & rigging", "load-in-rigging" },
	{ "Headliner changeover", "headliner-changeover" },
	{ "Grüße aus Köln, Straße", "gruesse-aus-koeln-strasse" },
	{ "Café Élysée", "cafe-elysee" },
	{ "  --Hello--  ", "hello" },
	{ "🎪🎪", "activity" },
	{ "", "activity" },
	{ "A very long activity title that goes on and on and on", \
	    "a-very-long-activity-title-that-goes-on" },
};

int
main(void)
{
	char	 out[64], u[SX_UUID_LEN + 1];
	char	*s;
	size_t	 i;

	T_OK(sx_uuid8("3b0e9c52-7a1d-4f08-8e2c-91d4b6a0f3e5",
	    "occ:20260710T070000Z", u) == 0, "uuid8 ok");
	T_STREQ(u, "70a2066b-12b6-8c6f-9f3e-88f5056516dc",
	    "uuid8 test vector (FEEDS §6.6)");
	T_OK(sx_uuid8("not-a-uuid", "x", u) == -1, "uuid8 refuses a bad ns");
	T_OK(sx_uuid8("3b0e9c52x7a1d-4f08-8e2c-91d4b6a0f3e5", "x", u) == -1,
	    "uuid8 refuses a misplaced dash");

	for (i = 0; i < sizeof(slugs) / sizeof(slugs[0]); i++) {
		sx_slug(slugs[i].in, 40, out, sizeof(out));
		T_STREQ(out, slugs[i].want, slugs[i].in);
	}
	sx_slug("Stage Crew", 0, out, sizeof(out));
	T_STREQ(out, "stage-crew", "slug without a limit");
	T_OK(strlen("a-very-long-activity-title-that-goes-on") <= 40,
	    "slug fits 40");

	s = sx_clean("a\x07" "b\x1b" "c\td\ne\r\nf\rg\x7f" "h\xef\xbf\xbei");
	T_STREQ(s, "abc\td\ne\nfghi", "sanitizer");
	free(s);
	s = sx_clean("bad \xff byte");
	T_STREQ(s, "bad \xef\xbf\xbd byte", "invalid UTF-8 → U+FFFD");
	free(s);
	s = sx_clean(NULL);
	T_STREQ(s, "", "NULL is empty");
	free(s);

	sx_acronym("harbourfest-2026", out, sizeof(out));
	T_STREQ(out, "harbourfest_2026", "acronym");
	sx_hhmm(270, out);
	T_STREQ(out, "04:30", "hhmm");
	sx_hhmm(1440, out);
	T_STREQ(out, "24:00", "hhmm 24:00");
	sx_hhmm(5, out);
	T_STREQ(out, "00:05", "hhmm minutes");
	return t_done();
}
