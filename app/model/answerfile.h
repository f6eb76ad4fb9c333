/* answerfile.h — the files of file answers (PRODUCT §13.2 "file"): bytes
 * stored with the answer that names them (so they roll back together),
 * their type detected from the content, never from the name or the
 * browser's claim. The answer's value is the ids joined by ",". */
#ifndef MODEL_ANSWERFILE_H
#define MODEL_ANSWERFILE_H

#include <stddef.h>
#include <stdint.h>

struct req;

/* What one stored file is, without its bytes. */
struct answerfile {
	int64_t		 id;
	int64_t		 module_id;
	int64_t		 block_id;
	char		*name;
	char		*ctype;
	int64_t		 size;
	int64_t		 created_by;
	char		*created_by_name;
	char		*created_at;	/* RFC 3339 UTC */
};

/* The largest file one answer stores: the operator's upload limit, but
 * never beyond what one database packet carries (MariaDB's default
 * max_allowed_packet is 16 MiB). */
#define ANSWERFILE_MAX	(15 * 1024 * 1024)

/* The files of every module of one advance (module 0) or of one module,
 * by module, block and id: one query. *n = (size_t)-1 on error. */
struct answerfile *answerfile_list(struct req *, int64_t event_id,
		    int64_t advance_id, int64_t module_id, size_t *n);
/* One file of (module, block); with data set, its bytes too (arena).
 * 1, 0, -1. */
int		 answerfile_get(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, int64_t id,
		    struct answerfile *, const char **data);
/* Store a file: the new id, or -1. */
int64_t		 answerfile_insert(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, const char *name,
		    const char *ctype, const void *data, size_t len,
		    int64_t uid);
/* Remove one file (id > 0) or every file of (module, block) (id 0).
 * Rows removed, or -1. */
int64_t		 answerfile_delete(struct req *, int64_t event_id,
		    int64_t module_id, int64_t block_id, int64_t id);

/* The type of data from its first bytes: PDF, PNG, JPEG, GIF, WebP,
 * Word and Excel documents, other ZIP archives and plain UTF-8 text.
 * NULL for executables, scripts and any other binary (refused). *ext
 * gets the usual extension ("pdf"). */
const char	*answerfile_sniff(const void *data, size_t len,
		    const char **ext);
/* A file name fit to store and to send: no path, no control or quote
 * characters, at most 200 code points; "file" when nothing is left. */
const char	*answerfile_name(struct req *, const char *given);

#endif
