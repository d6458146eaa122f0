/* qr.h: QR codes drawn as SVG or PNG (libqrencode, libpng), for sign-up posters, check-in screens and printed certificates */
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
/*
 * The same code as a greyscale PNG image, scale pixels a module (1..32), the
 * quiet zone included: for pages printed or turned into PDF, where an image
 * of fixed pixels is what printers and scanners read best. Appends to out.
 */
int qr_png(const char *text, int scale, struct buf *out);

#endif
