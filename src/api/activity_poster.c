/* activity_poster.c: the A4 check-in poster (SVG, millimetres): what, when, where, the QR code, how to use it */
#include <stdio.h>
#include <string.h>

#include "api/activity_api.h"
#include "base/qr.h"
#include "base/qrtoken.h"
#include "base/xml.h"

#define PAGE_W 210
#define PAGE_H 297
#define QR_SIZE 120 /* mm, at most */

/* Bytes of the UTF-8 character at p and its width in ems: a Chinese character is one, a Latin letter about half. */
static size_t glyph(const unsigned char *p, double *width)
{
	size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;

	*width = n >= 3 ? 1.0 : 0.55;
	return strnlen((const char *)p, n);
}

/*
 * Writes text centred from *y down in lines of at most max_em ems (a character is never split), at most
 * max_lines of them (the last one then ends in "…"); *y moves past them.
 */
static void lines(struct buf *out, const char *text, double size, double max_em, int max_lines, const char *weight,
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
			 PAGE_W / 2, *y, size, weight);
		xml_text(out, piece);
		buf_addstr(out, "</text>\n");
	}
}

int activity_poster_svg(const struct activity *a, const char *url, struct buf *out)
{
	char when[160], window[64], opens[6], closes[6], organiser[TEXT_BYTES(UNIT_NAME_MAX) + 2 * REGION_TEXT + 16];
	char place[TEXT_BYTES(ACTIVITY_PLACE_MAX) + REGION_TEXT + 16], line[sizeof(organiser) + 16];
	double y = 46;
	int qr;

	activity_when(a, when, sizeof(when));
	activity_organiser_name(a, organiser, sizeof(organiser));
	activity_clock(a->starts_at - QRTOKEN_EARLY, opens);
	activity_clock(a->ends_at, closes);
	snprintf(window, sizeof(window), "签到时间：%s 至 %s", opens, closes);
	snprintf(place, sizeof(place), "地点：%s%s%s", a->place, a->building_name[0] ? "（" : "", a->building_name);
	if (a->building_name[0])
		str_copy(place + strlen(place), sizeof(place) - strlen(place), "）");
	buf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%dmm\" height=\"%dmm\" viewBox=\"0 0 %d %d\" "
		      "font-family=\"Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif\">\n"
		      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><rect width=\"%d\" height=\"34\" fill=\"#c8161d\"/>\n"
		      "<text x=\"%d\" y=\"23\" font-size=\"14\" font-weight=\"bold\" fill=\"#fff\" text-anchor=\"middle\">"
		      "扫码签到</text>\n",
		 PAGE_W, PAGE_H, PAGE_W, PAGE_H, PAGE_W, PAGE_H, PAGE_W, PAGE_W / 2);
	lines(out, a->title, 11, 16, 4, "bold", &y);
	y += 4;
	lines(out, when, 7, 25, 1, "normal", &y);
	lines(out, place, 6.5, 26, 3, "normal", &y);
	snprintf(line, sizeof(line), "主办：%s", organiser);
	lines(out, line, 6.5, 26, 2, "normal", &y);
	y += 5;
	/* As large as the page leaves room for below the text: 120 mm, less for a long title and place. */
	qr = (int)(PAGE_H - 34 - y);
	qr = qr > QR_SIZE ? QR_SIZE : qr;
	if (qr_svg_at(url, (PAGE_W - qr) / 2, (int)y, qr, out) < 0)
		return -1;
	y += qr;
	lines(out, "用手机相机或微信「扫一扫」扫码，登录后点「签到」", 6, 30, 1, "normal", &y);
	lines(out, "离开时再扫一次，点「签退」", 6, 30, 1, "normal", &y);
	lines(out, window, 6, 30, 1, "bold", &y);
	lines(out, "此码仅用于本次活动；活动时间如有调整，请重新打印。", 4.2, 40, 1, "normal", &y);
	buf_addstr(out, "</svg>\n");
	return 0;
}
