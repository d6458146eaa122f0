/* list_photos.h: the photos of a need or a wish as their JSON shows them */
#ifndef API_LIST_PHOTOS_H
#define API_LIST_PHOTOS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "db/db.h"
#include "domain/list_photo.h"

/* [{id, stage, width, height, url, thumb_url}] of need or wish id, ask first; done ones only when with_done. */
json_t *list_photos_json(struct db *db, enum list_photo_of of, int64_t id, bool with_done);

#endif
