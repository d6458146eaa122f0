/* qr.c: a QR code as an SVG path, one "M x y h1v1h-1z" square per dark module, rows run together */
#include "base/qr.h"

#include <qrencode.h>
#include <stdio.h>

#define QUIET 4

/* The <svg> with attrs (a standalone document's namespace, or a nested one's place) around the code of text. */
static int draw(const char *text, const char *attrs, struct buf *out)
{
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	int size;

	if (!q)
		return -1;
	size = q->width + 2 * QUIET;
	buf_addf(out, "<svg %s viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		 attrs, size, size, size, size);
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

int qr_svg(const char *text, struct buf *out)
{
	return draw(text, "xmlns=\"http://www.w3.org/2000/svg\"", out);
}

int qr_svg_at(const char *text, int x, int y, int size, struct buf *out)
{
	char attrs[96];

	snprintf(attrs, sizeof(attrs), "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", x, y, size, size);
	return draw(text, attrs, out);
}
