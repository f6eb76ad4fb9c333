/* valid.h — declared inputs and their validators (kcgi's kvalid idea).
 *
 * A route lists its fields; the router validates every declared field
 * before the handler runs and leaves typed values in r->in[] (same index).
 * Undeclared parameters are ignored (mass assignment, AC-6). A repeated
 * name for a field that is not F_MULTI is a 400 (parameter pollution).
 * Type and length failures become r->errors (the handler re-shows the form
 * with 422); encoding failures were already refused as 400 by the parser. */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>
#include <stdint.h>

struct req;

enum vtype {
	V_TEXT,		/* single line: trimmed, no controls */
	V_LONGTEXT,	/* multi-line, up to 32 KiB raw; tabs/newlines kept */
	V_SECRET,	/* passwords: not trimmed, no controls at all */
	V_EMAIL,
	V_INT,
	V_BOOL,		/* "1", "true", "on", "yes" / "0", "false", "off", "no", absent */
	V_TZ,		/* IANA zone name known to the system */
	V_DATE,		/* YYYY-MM-DD */
	V_TOKEN,	/* URL-safe token: prefix_ + base64url */
	V_ID,		/* positive integer id */
	V_FILE,		/* multipart file part */
};

enum vflag {
	F_REQUIRED = 1 << 0,	/* absent or empty → "required" error */
	F_MULTI = 1 << 1,	/* may repeat; values in in[].multi */
};

struct field {
	const char	*name;
	enum vtype	 type;
	unsigned	 flags;
	int64_t		 min, max;	/* length in code points, or value */
	const char	*label;		/* for messages: "Email" */
};

/* Validate r->params against the route's fields. Returns 0, or 400 for a
 * duplicate single-valued name (the field is named in the log). */
int	 valid_inputs(struct req *);
/* Add an error for the handler's own checks (422). */
void	 valid_error(struct req *, const char *field, const char *code,
	    const char *message);
/* Is name a zone the tz database knows (and not a file path trick)? */
int	 valid_tz(const char *);
int	 valid_email(const char *);
/* A phone number: 3–40 of digits, spaces and + ( ) - . (≥ 3 digits). */
int	 valid_phone(const char *);
/* An absolute http(s) URL with a host, ≤ 2,000 bytes. */
int	 valid_url(const char *);

#endif
