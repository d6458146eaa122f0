/* poster.c: the A4 check-in posters' page, lines of text that never split a character, and their QR code */
#include "api/poster.h"

#include <stdio.h>
#include <string.h>

#include "base/qr.h"
#include "base/xalloc.h"
#include "base/xml.h"

void poster_begin(struct buf *out, const char *heading)
{
	buf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%dmm\" height=\"%dmm\" viewBox=\"0 0 %d %d\" "
		      "font-family=\"Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif\">\n"
		      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><rect width=\"%d\" height=\"34\" fill=\"#c8161d\"/>\n"
		      "<text x=\"%d\" y=\"23\" font-size=\"14\" font-weight=\"bold\" fill=\"#fff\" text-anchor=\"middle\">",
		 POSTER_W, POSTER_H, POSTER_W, POSTER_H, POSTER_W, POSTER_H, POSTER_W, POSTER_W / 2);
	xml_text(out, heading);
	buf_addstr(out, "</text>\n");
}

int poster_qr(struct buf *out, const char *url, double *y)
{
	/* As large as the page leaves room for below the text: 120 mm, less for a long title and place. */
	int qr = (int)(POSTER_H - 34 - *y);

	qr = qr > POSTER_QR_MAX ? POSTER_QR_MAX : qr;
	if (qr_svg_at(url, (POSTER_W - qr) / 2, (int)*y, qr, out) < 0)
		return -1;
	*y += qr;
	return 0;
}

/* Bytes of the UTF-8 character at p and its width in ems: a Chinese character is one, a Latin letter about half. */
static size_t glyph(const unsigned char *p, double *width)
{
	size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;

	*width = n >= 3 ? 1.0 : 0.55;
	return strnlen((const char *)p, n);
}

void poster_lines(struct buf *out, const char *text, double size, double max_em, int max_lines, const char *weight,
		  double *y)
{
	const unsigned char *p = (const unsigned char *)text;

	for (int line = 0; *p && line < max_lines; line++) {
		const unsigned char *start = p;
		double used = 0, w;
		size_t n;
		char piece[1024];

		while (*p) {
			size_t len = glyph(p, &w);

			if (used + w > max_em || (size_t)(p - start) + len + sizeof("…") > sizeof(piece))
				break;
			used += w;
			p += len;
		}
		n = (size_t)(p - start);
		memcpy(piece, start, n);
		piece[n] = '\0';
		if (*p && line == max_lines - 1)
			str_copy(piece + n, sizeof(piece) - n, "…");
		*y += size * 1.3;
		buf_addf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"%.1f\" font-weight=\"%s\" text-anchor=\"middle\">",
			 POSTER_W / 2, *y, size, weight);
		xml_text(out, piece);
		buf_addstr(out, "</text>\n");
	}
}

