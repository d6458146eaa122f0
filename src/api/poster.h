/* poster.h: what the A4 check-in posters (SVG, millimetres) of activities and duty shifts share: the page, lines of text */
#ifndef API_POSTER_H
#define API_POSTER_H

#include "base/buf.h"

#define POSTER_W 210
#define POSTER_H 297
#define POSTER_QR_MAX 120 /* mm, at most */

/* The page's start: its white sheet, the red band with heading (e.g. "扫码签到") across the top. */
void poster_begin(struct buf *out, const char *heading);
/*
 * Writes text centred from *y down in lines of at most max_em ems (a character is never split), at most
 * max_lines of them (the last one then ends in "…"); *y moves past them.
 */
void poster_lines(struct buf *out, const char *text, double size, double max_em, int max_lines, const char *weight,
		  double *y);
/* The QR code of url, as large as the page leaves room for below *y (POSTER_QR_MAX at most); *y moves past it. */
int poster_qr(struct buf *out, const char *url, double *y);

#endif
