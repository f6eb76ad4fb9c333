/* timezones.c — zone names from tzdata's zone.tab, loaded once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "timezones.h"

static char	**zones;
static size_t	  nzones;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
timezones_load(char *err, size_t errsz)
{
	FILE	*f = fopen("/usr/share/zoneinfo/zone.tab", "r");
	char	 line[512];
	size_t	 cap = 0, i;

	if (f == NULL) {
		snprintf(err, errsz, "cannot read /usr/share/zoneinfo/zone.tab "
		    "(install tzdata)");
		return -1;
	}
	for (i = 0; i < nzones; i++)
		free(zones[i]);
	free(zones);
	zones = NULL;
	nzones = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char	*save = NULL, *cc, *coord, *tz;

		if (line[0] == '#')
			continue;
		cc = strtok_r(line, "\t\n", &save);
		coord = strtok_r(NULL, "\t\n", &save);
		tz = strtok_r(NULL, "\t\n", &save);
		if (cc == NULL || coord == NULL || tz == NULL)
			continue;
		if (nzones == cap) {
			cap = cap ? cap * 2 : 512;
			zones = xrealloc(zones, cap * sizeof(*zones));
		}
		zones[nzones++] = xstrdup(tz);
	}
	fclose(f);
	qsort(zones, nzones, sizeof(*zones), cmp);
	return 0;
}

json_object *
timezones_json(const char *selected)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string("UTC"));
	json_object_object_add(o, "selected",
	    json_object_new_boolean(strcmp(selected, "UTC") == 0));
	json_object_array_add(a, o);
	for (i = 0; i < nzones; i++) {
		if (i > 0 && strcmp(zones[i], zones[i - 1]) == 0)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name",
		    json_object_new_string(zones[i]));
		json_object_object_add(o, "selected",
		    json_object_new_boolean(strcmp(selected, zones[i]) == 0));
		json_object_array_add(a, o);
	}
	return a;
}
