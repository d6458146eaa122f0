/* static.h: serving the built web front end from one folder */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H

#include "http/request.h"

/*
 * Answers GET/HEAD for a file under root: ETag and 304, a pre-compressed
 * FILE.gz when the client accepts gzip, long caching for hashed assets, and
 * index.html of /admin/ or /m/ for their client-side routes. Never serves a
 * path outside root (no "..", no hidden files, symlinks resolved and checked).
 */
void static_serve(const char *root, struct request *req, struct response *resp);

#endif
