/* activity_share.c: what a share link shows (public): an activity's details for the WeChat group, and its .ics for the phone's calendar */
#include <stdio.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/ics.h"

enum { ORIGIN_MAX = 300, URL_MAX = 400 };

/*
 * The activity {id} for the public: published, cancelled or closed (never a draft; 404 otherwise), this
 * server's origin and the address of the activity's share page (400 without a usable Host).
 */
static int public_or_reply(struct call *c, struct activity *a, char origin[ORIGIN_MAX], char url[URL_MAX])
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = activity_get(c->db, id, a);
	if (rc == ACTIVITY_ERROR) {
		reply_internal(c, "reading an activity");
		return -1;
	}
	if (rc != ACTIVITY_OK || !strcmp(a->state, "draft")) {
		reply_problem(c, 404, "not_found", "找不到该活动");
		return -1;
	}
	if (activity_origin(c, origin, ORIGIN_MAX) < 0) {
		reply_problem(c, 400, "bad_request", "请求缺少有效的 Host");
		return -1;
	}
	snprintf(url, URL_MAX, "%s/m/activities/%lld", origin, (long long)a->id);
	return 0;
}

/* Whether a member could still sign up now: published, before the deadline, a place or room on the waiting list. */
static bool signup_open(const struct activity *a, int64_t now)
{
	return !strcmp(a->state, "published") && now <= a->signup_deadline && now < a->ends_at &&
	       (a->signed_count < a->capacity || a->waiting_count < ACTIVITY_WAITING_MAX);
}

/*
 * GET /activities/{id}/share (public): what the link pasted into a WeChat group opens: the details, whether
 * 我要报名 is still possible, nothing about who signed up.
 */
void activities_share(struct call *c)
{
	char organiser[TEXT_BYTES(UNIT_NAME_MAX) + 2 * REGION_TEXT + 16], when[160], origin[ORIGIN_MAX], url[URL_MAX];
	char ics[96];
	struct activity a;

	if (public_or_reply(c, &a, origin, url) < 0)
		return;
	activity_organiser_name(&a, organiser, sizeof(organiser));
	activity_when(&a, when, sizeof(when));
	snprintf(ics, sizeof(ics), "/api/v1/activities/%lld/calendar.ics", (long long)a.id);
	reply_json(c, 200,
		   json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:o, "
			     "s:s, s:o, s:b, s:s, s:s}",
			     "id", (json_int_t)a.id, "title", a.title, "description", a.description, "state", a.state,
			     "cancel_reason", a.cancel_reason, "item_name", a.item_name, "organiser", organiser,
			     "community_name", a.community_name, "when", when, "starts_at", (json_int_t)a.starts_at,
			     "ends_at", (json_int_t)a.ends_at, "signup_deadline", (json_int_t)a.signup_deadline, "capacity",
			     (json_int_t)a.capacity, "signed", (json_int_t)a.signed_count, "waiting",
			     (json_int_t)a.waiting_count, "places_left",
			     (json_int_t)(a.capacity > a.signed_count ? a.capacity - a.signed_count : 0), "place", a.place,
			     "building", a.building_code[0] ? json_string(a.building_name) : json_null(), "audience",
			     a.audience, "specialties", activity_tags_json(a.specialties), "signup_open",
			     signup_open(&a, clock_now()), "share_url", url, "calendar_path", ics));
}

/* GET /activities/{id}/calendar.ics (public): the activity as an RFC 5545 event for the phone's calendar. */
void activities_calendar(struct call *c)
{
	char origin[ORIGIN_MAX], url[URL_MAX], uid[ORIGIN_MAX + 40], stamp[IC_TIME], start[IC_TIME], end[IC_TIME];
	char organiser[TEXT_BYTES(UNIT_NAME_MAX) + 2 * REGION_TEXT + 16];
	char where[TEXT_BYTES(ACTIVITY_PLACE_MAX) + 2 * REGION_TEXT + 8];
	struct buf *out, text = BUF_INIT;
	struct activity a;

	if (public_or_reply(c, &a, origin, url) < 0)
		return;
	activity_organiser_name(&a, organiser, sizeof(organiser));
	snprintf(uid, sizeof(uid), "activity-%lld@%s", (long long)a.id, origin + strcspn(origin, ":") + 3);
	snprintf(where, sizeof(where), "%s %s%s%s", a.community_name, a.place, a.building_name[0] ? " " : "",
		 a.building_name);
	ics_time(clock_now(), stamp);
	ics_time(a.starts_at, start);
	ics_time(a.ends_at, end);
	out = resp_json_body(c->resp, 200);
	c->resp->content_type = "text/calendar; charset=utf-8";
	buf_addstr(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baodao//activities//ZH\r\nCALSCALE:GREGORIAN\r\n"
			"METHOD:PUBLISH\r\nBEGIN:VEVENT\r\n");
	ics_line(out, "UID", uid, false);
	ics_line(out, "DTSTAMP", stamp, false);
	ics_line(out, "DTSTART", start, false);
	ics_line(out, "DTEND", end, false);
	ics_line(out, "SUMMARY", a.title, true);
	ics_line(out, "LOCATION", where, true);
	buf_addf(&text, "主办：%s\n%s%s%s", organiser, a.description, a.description[0] ? "\n" : "", url);
	ics_line(out, "DESCRIPTION", buf_str(&text), true);
	ics_line(out, "URL", url, false);
	ics_line(out, "STATUS", !strcmp(a.state, "cancelled") ? "CANCELLED" : "CONFIRMED", false);
	buf_addstr(out, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	resp_header(c->resp, "Content-Disposition", "attachment; filename=\"activity.ics\"");
	buf_release(&text);
}
