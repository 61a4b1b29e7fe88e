/* dg_openadr_int.h: what the OpenADR files share; private. */
#ifndef DG_OPENADR_INT_H
#define DG_OPENADR_INT_H

#include <json-c/json.h>

/* The string member key of object o, or NULL. */
const char *dg_oadr_jstr(struct json_object *o, const char *key);

#endif
