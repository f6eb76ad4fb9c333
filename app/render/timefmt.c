/* timefmt.c — format UTC instants in a zone.
 *
 * Switches TZ for the conversion: workers are single-threaded and the
 * last zone is remembered, so a page of rows in one zone calls tzset()
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/valid.h"
#include "timefmt.h"

static char	 current_tz[72];

static void
use_zone(const char *tz)
{
	if (tz == NULL || !valid_tz(tz))
		tz = "UTC";
	if (strcmp(current_tz, tz) == 0)
		return;
	snprintf(current_tz, sizeof(current_tz), "%s", tz);
	setenv("TZ", current_tz, 1);
	tzset();
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
