/* qr.c: a QR code as an SVG path, one "M x y h1v1h-1z" square per dark module, rows run together */
#include "base/qr.h"

#include <qrencode.h>

#define QUIET 4

int qr_svg(const char *text, struct buf *out)
{
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	int size;

	if (!q)
		return -1;
	size = q->width + 2 * QUIET;
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		 size, size, size, size);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++) {
			int run = 0;

			/* The lowest bit of each module says dark; a run of dark modules is one rectangle. */
			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				buf_addf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
				x += run - 1;
			}
		}
	buf_addstr(out, "\"/></svg>\n");
	QRcode_free(q);
	return 0;
}
