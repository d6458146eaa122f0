/* cases.h: what cases.c and case_photos.c share at the API edge: who the caller is to a case */
#ifndef API_CASES_H
#define API_CASES_H

#include <stdbool.h>

#include "api/call.h"
#include "domain/case.h"

/* What the caller is to a case. */
struct case_seat {
	bool staff; /* reads its community (ACT_SERVE_READ): a community's staff, its street or district */
	bool manages; /* runs it (ACT_SERVE_MANAGE) */
	bool reporter; /* reported it (or it was entered for them) */
};

/* Loads case {id} (path parameter 0) for a caller who has a seat at it; 404 for anyone else. Caller frees *out. */
int case_or_reply(struct call *c, struct case_file **out, struct case_seat *s);

#endif
