/* qr.c: a QR code as an SVG path, one "M x y h1v1h-1z" square per dark module, rows run together; or as a PNG */
#include "base/qr.h"

#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

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

int qr_png(const char *text, int scale, struct buf *out)
{
	QRcode *q;
	png_image img;
	png_alloc_size_t len = 0;
	unsigned char *pixels;
	void *png;
	int side, rc = -1;

	if (scale < 1 || scale > 32 || !(q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M)))
		return -1;
	side = (q->width + 2 * QUIET) * scale;
	pixels = xmalloc((size_t)side * (size_t)side);
	memset(pixels, 0xff, (size_t)side * (size_t)side);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				for (int dy = 0; dy < scale; dy++)
					memset(pixels + (size_t)((y + QUIET) * scale + dy) * (size_t)side + (size_t)(x + QUIET) * scale,
					       0, (size_t)scale);
	QRcode_free(q);
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)side;
	img.height = (png_uint_32)side;
	img.format = PNG_FORMAT_GRAY;
	/* First the size it takes, then the image itself. */
	if (png_image_write_to_memory(&img, NULL, &len, 0, pixels, side, NULL) && len) {
		png = xmalloc(len);
		if (png_image_write_to_memory(&img, png, &len, 0, pixels, side, NULL))
			rc = buf_add(out, png, len);
		free(png);
	}
	png_image_free(&img);
	free(pixels);
	return rc;
}
