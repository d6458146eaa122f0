/* qr.h: QR codes drawn as SVG (libqrencode), for sign-up posters and check-in screens */
#ifndef BASE_QR_H
#define BASE_QR_H

#include "base/buf.h"

/*
 * Appends an SVG image of text as a QR code (error correction M, a quiet zone
 * of four modules, one path of black squares, scaled by the viewer) to out.
 * Returns 0, or -1 when text cannot be encoded (too long for a QR code).
 */
int qr_svg(const char *text, struct buf *out);
/* The same as an <svg> element to nest in another SVG, a square of side size at (x, y) in its units. */
int qr_svg_at(const char *text, int x, int y, int size, struct buf *out);

#endif
