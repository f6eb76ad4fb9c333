/* timezones.h — the IANA zone names offered in forms. */
#ifndef TIMEZONES_H
#define TIMEZONES_H

#include <stddef.h>

#include <json-c/json.h>

/* Read the system's zone list (zone.tab) once, in the master. */
int	 timezones_load(char *err, size_t errsz);
/* [{"name": …, "selected": bool}], sorted, UTC first. New reference. */
json_object *timezones_json(const char *selected);

#endif
