/* activity_poster.c: the A4 check-in poster (SVG, millimetres): what, when, where, the QR code, how to use it */
#include <stdio.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/poster.h"
#include "base/qrtoken.h"

int activity_poster_svg(const struct activity *a, const char *url, struct buf *out)
{
	char when[160], window[64], opens[6], closes[6], organiser[TEXT_BYTES(UNIT_NAME_MAX) + 2 * REGION_TEXT + 16];
	char place[TEXT_BYTES(ACTIVITY_PLACE_MAX) + REGION_TEXT + 16], line[sizeof(organiser) + 16];
	double y = 46;

	activity_when(a, when, sizeof(when));
	activity_organiser_name(a, organiser, sizeof(organiser));
	activity_clock(a->starts_at - QRTOKEN_EARLY, opens);
	activity_clock(a->ends_at, closes);
	snprintf(window, sizeof(window), "签到时间：%s 至 %s", opens, closes);
	snprintf(place, sizeof(place), "地点：%s%s%s", a->place, a->building_name[0] ? "（" : "", a->building_name);
	if (a->building_name[0])
		str_copy(place + strlen(place), sizeof(place) - strlen(place), "）");
	poster_begin(out, "扫码签到");
	poster_lines(out, a->title, 11, 16, 4, "bold", &y);
	y += 4;
	poster_lines(out, when, 7, 25, 1, "normal", &y);
	poster_lines(out, place, 6.5, 26, 3, "normal", &y);
	snprintf(line, sizeof(line), "主办：%s", organiser);
	poster_lines(out, line, 6.5, 26, 2, "normal", &y);
	y += 5;
	if (poster_qr(out, url, &y) < 0)
		return -1;
	poster_lines(out, "用手机相机或微信「扫一扫」扫码，登录后点「签到」", 6, 30, 1, "normal", &y);
	poster_lines(out, "离开时再扫一次，点「签退」", 6, 30, 1, "normal", &y);
	poster_lines(out, window, 6, 30, 1, "bold", &y);
	poster_lines(out, "此码仅用于本次活动；活动时间如有调整，请重新打印。", 4.2, 40, 1, "normal", &y);
	buf_addstr(out, "</svg>\n");
	return 0;
}
