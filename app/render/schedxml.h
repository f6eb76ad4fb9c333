/* schedxml.h — the conference schedule format (FEEDS.md §6–§7) read by
 * Giggity, EventFahrplan and the C3VOC tooling: a document model filled
 * by the caller (pages/exports.c), written as schedule.xml with libxml2's
 * xmlTextWriter or as schedule.json with json-c, plus the identifier
 * helpers of §6.6 and the text rules of §6.5. No database, no request:
 * the unit tests drive it directly. */
#ifndef RENDER_SCHEDXML_H
#define RENDER_SCHEDXML_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct buf;

#define SX_GENERATOR_VERSION	"1.0.0"
#define SX_UUID_LEN		36

struct sx_person {
	const char	*name;
	const char	*guid;
};

struct sx_event {
	int64_t		 id;		/* export_id_map */
	char		 guid[SX_UUID_LEN + 1];
	const char	*room;
	const char	*title;
	char		 date[32];	/* local date-time with offset */
	char		 start[8];	/* HH:MM */
	char		 duration[8];	/* HH:MM */
	char		 end[32];	/* JSON only */
	const char	*abstract;	/* Markdown source, "" when none */
	const char	*slug;
	const char	*track;
	const struct sx_person *persons;
	size_t		 npersons;
	const char	*description;	/* NULL: not emitted */
	const char	*url;
	int64_t		 t0;		/* UTC start, for ordering */
};

struct sx_room {
	const char	*name;
	const char	*guid;
	struct sx_event	**events;	/* ordered by start, then guid */
	size_t		 nevents;
};

struct sx_day {
	int		 index;
	char		 date[12];
	char		 start[32];
	char		 end[32];
	struct sx_room	*rooms;		/* only rooms with events */
	size_t		 nrooms;
};

struct sx_track {
	const char	*name;
	const char	*slug;		/* NULL: not emitted */
};

struct sx_doc {
	const char	*version;	/* the schedule revision */
	const char	*title;
	const char	*acronym;
	const char	*start, *end;	/* first and last day */
	const char	*timeslot;	/* HH:MM */
	const char	*time_zone;
	const char	*base_url;	/* with a trailing slash */
	const char	*url;
	const struct sx_track *tracks;
	size_t		 ntracks;
	const struct sx_room *rooms;	/* every room, name and guid */
	size_t		 nrooms;
	const struct sx_day *days;
	size_t		 ndays;
};

/* schedule.xml into out; 0 or -1. */
int	 sx_write_xml(const struct sx_doc *, struct buf *out);
/* schedule.json as a new object (the caller puts it). */
json_object *sx_json(const struct sx_doc *);

/* Name-based version-8 UUID (FEEDS §6.6): SHA-256 over the namespace's
 * 16 bytes and the name, version and variant bits set; out gets 36
 * characters and a NUL. 0, or -1 when ns is not a UUID. */
int	 sx_uuid8(const char *ns, const char *name, char out[SX_UUID_LEN + 1]);
/* The title slug of §6.5: lowercase ASCII letters and digits, Latin-1
 * letters transliterated, other runs → "-", trimmed, at most max
 * characters (0: no limit), "activity" when nothing is left. */
void	 sx_slug(const char *title, size_t max, char *out, size_t outsz);
/* event code → acronym ("-" → "_"). */
void	 sx_acronym(const char *code, char *out, size_t outsz);
/* Text for the writers: C0 controls except TAB and LF, DEL, lone CR,
 * U+FFFE and U+FFFF dropped; invalid UTF-8 becomes U+FFFD. malloc'd. */
char	*sx_clean(const char *);
/* minutes → "HH:MM". */
void	 sx_hhmm(int64_t minutes, char out[8]);

#endif
