/* advdata.h — asset-type properties labelled with their sub-assets,
 * for showing line items as text (day sheets, area and activity pages;
 * the answers and items themselves come from model/advtable). */
#ifndef MODEL_ADVDATA_H
#define MODEL_ADVDATA_H

#include <stddef.h>
#include <stdint.h>

struct req;

/* An asset-type property with its sub-asset (sub_key NULL for the
 * type's own), for labelling item properties. */
struct advdata_prop {
	int64_t		 asset_type_id;
	char		*sub_key;
	char		*sub_label;
	char		*key;
	char		*label;
	char		*rtype;
	char		*options;
	int		 retired;
};

/* Every asset property of the event by type, sub-asset, position: the
 * rows (arena) with *n set; *n = (size_t)-1 on error. */
struct advdata_prop *advdata_props(struct req *, int64_t event_id,
	    size_t *n);

#endif
