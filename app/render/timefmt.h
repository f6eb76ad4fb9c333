/* timefmt.h — instants shown to people: "22 Nov 2026, 14:05 CET" in a
 * given IANA zone. The JSON keeps RFC 3339 UTC beside it (PRODUCT §19:
 * `_local` companions). */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <json-c/json.h>

/* Parse "YYYY-MM-DDTHH:MM:SSZ" into out (≥ 40 bytes) formatted in tz.
 * Returns out, or NULL when utc is NULL or malformed. */
const char *time_local(const char *utc, const char *tz, char *out,
	    size_t outsz);
/* Set key = utc and key_local = time_local(utc, tz) (both may be null). */
void	 vset_time(json_object *, const char *key, const char *utc,
	    const char *tz);

#endif
