/* timefmt.c — format UTC instants in a zone.
 *
 * Switches TZ for the conversion through policy/tz (tz_use), which
 * remembers the zone in force: a page of rows in one zone calls tzset()
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/tz.h"
#include "timefmt.h"

/* An unknown zone shows UTC. */
static void
use_zone(const char *tz)
{
	if (tz_use(tz) != 0)
		(void)tz_use("UTC");
}

const char *
time_local(const char *utc, const char *tz, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 t;
	const char	*end;

	if (utc == NULL)
		return NULL;
	memset(&tm, 0, sizeof(tm));
	end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return NULL;
	t = timegm(&tm);
	use_zone(tz);
	localtime_r(&t, &tm);
	if (strftime(out, outsz, "%-d %b %Y, %H:%M %Z", &tm) == 0)
		return NULL;
	return out;
}

void
vset_time(json_object *o, const char *key, const char *utc, const char *tz)
{
	char	 buf[64], lkey[80];
	const char *loc = time_local(utc, tz, buf, sizeof(buf));

	json_object_object_add(o, key, utc ? json_object_new_string(utc) :
	    NULL);
	snprintf(lkey, sizeof(lkey), "%s_local", key);
	json_object_object_add(o, lkey, loc ? json_object_new_string(loc) :
	    NULL);
}
