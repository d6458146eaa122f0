/* list_photo.h: photos of needs and micro-wishes: what is asked for when posted, what was done when done (圆梦) */
#ifndef DOMAIN_LIST_PHOTO_H
#define DOMAIN_LIST_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/photo.h"

/* Whose photos: a need's or a wish's. */
enum list_photo_of { LIST_PHOTO_NEED, LIST_PHOTO_WISH, LIST_PHOTO_CASE /* a case's: the case_photo table */ };

/*
 * The most photos of each stage: a need LIST_PHOTO_NEED_ASK when posted, a
 * wish LIST_PHOTO_WISH_ASK (what is wanted); either LIST_PHOTO_DONE with the
 * done note or the fulfilment.
 */
enum { LIST_PHOTO_NEED_ASK = 3, LIST_PHOTO_WISH_ASK = 1, LIST_PHOTO_DONE = 3, LIST_PHOTO_CASE_ASK = 3, LIST_PHOTO_CASE_DONE = 9 };

struct list_photo {
	int64_t id;
	char stage[8]; /* "ask", "done" */
	int width, height;
	int64_t bytes, created_by, created_at;
};

/* The most photos of stage ("ask", "done") a need or a wish has; 0 for another stage. */
int list_photo_max(enum list_photo_of of, const char *stage);

/*
 * Whether photos of stage may be added or removed while the need or wish is
 * in state: "ask" while a need is submitted or accepted, a wish submitted,
 * approved or published (before anyone claims it); "done" while a need is
 * taken, in progress or done (before it is confirmed), a wish claimed or
 * fulfilled (before it is confirmed); a case's "ask" while reported or
 * accepted, "done" while assigned or in progress.
 */
bool list_photo_stage_open(enum list_photo_of of, const char *stage, const char *state);

/*
 * Adds an upload to need or wish id at stage, as photo_add does for a record:
 * checked and re-encoded (photo_encode: no metadata kept), its files stored
 * (photo_store), then the row and the audit entry (need.photo, wish.photo) in
 * one transaction that checks the need or wish again: its state
 * (list_photo_stage_open: else PHOTO_BAD_STATE) and the stage's count
 * (list_photo_max: else PHOTO_FULL). Who may is the caller's decision. The
 * files go again when the row does not come. PHOTO_NOT_FOUND: no such need or wish.
 */
int list_photo_add(struct db *db, const struct actor *who, enum list_photo_of of, int64_t id, const char *stage,
		   const void *buf, size_t len, struct list_photo *out);
/*
 * Removes photo photo_id of need or wish id while its stage is open
 * (PHOTO_BAD_STATE otherwise), audited (need.photo_remove, wish.photo_remove),
 * its files after the commit. A photo keeps its stage: who may remove it
 * (list_photo_get says the stage) is the caller's decision.
 */
int list_photo_remove(struct db *db, const struct actor *who, enum list_photo_of of, int64_t id, int64_t photo_id);
/* Photo photo_id of need or wish id (PHOTO_NOT_FOUND when it has none such). */
int list_photo_get(struct db *db, enum list_photo_of of, int64_t id, int64_t photo_id, struct list_photo *out);
/* The photos of need or wish id, ask before done, oldest first. *items: caller frees. */
int list_photo_list(struct db *db, enum list_photo_of of, int64_t id, struct list_photo **items, size_t *n);
/* Opens photo photo_id of need or wish id (its thumbnail, thumb) for reading: *fd (caller closes) and its size. */
int list_photo_open(struct db *db, enum list_photo_of of, int64_t id, int64_t photo_id, bool thumb, int *fd,
		    uint64_t *size);

#endif
