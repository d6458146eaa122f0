/* timebank.c: the time bank on the phone: the hours an account holds and was given, and a member's gift of hours (赠送时长) */
#include <stdlib.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "domain/timebank.h"

/* The gifts a page of GET /me/timebank gives. */
enum { GIFTS_PAGE = 30 };

static json_t *gift_json(const struct gift *g)
{
	/* The giver sees whom they gave to (phone masked); the recipient sees who gave. */
	return json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s*, s:s*}", "id", (json_int_t)g->id, "direction",
			 g->given ? "given" : "received", "minutes", (json_int_t)g->minutes, "note", g->note,
			 "created_at", (json_int_t)g->created_at, "from_name", g->from_name, "to_name",
			 g->given ? g->to_name : NULL, "to_phone", g->given ? g->to_phone : NULL);
}

/* What the account holds and its gifts, newest first; status 201 after a gift (named by gift_id). */
static void reply_view(struct call *c, int status, int64_t before, int64_t gift_id)
{
	struct timebank_balances b;
	struct gift *items = NULL;
	size_t n = 0;
	json_t *arr, *out;

	if (timebank_balances(c->db, c->actor.account_id, &b) != TIMEBANK_OK ||
	    timebank_gifts(c->db, c->actor.account_id, b.member_id, before, GIFTS_PAGE + 1, &items, &n) != TIMEBANK_OK) {
		reply_internal(c, "reading the time bank");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n && i < GIFTS_PAGE; i++)
		arr = json_push(arr, gift_json(&items[i]));
	out = json_pack("{s:b, s:I, s:I, s:o, s:o}", "member", b.member_id != 0, "minutes", (json_int_t)b.minutes,
			"received_minutes", (json_int_t)b.received_minutes, "gifts", arr, "next_before",
			n > GIFTS_PAGE ? json_integer((json_int_t)items[GIFTS_PAGE - 1].id) : json_null());
	if (out && gift_id)
		json_object_set_new(out, "gift_id", json_integer((json_int_t)gift_id));
	free(items);
	reply_json(c, status, out);
}

void me_timebank_get(struct call *c)
{
	int64_t before = 0;

	if (call_int_or_reply(c, "before", 1, INT64_MAX, &before) == 0)
		reply_view(c, 200, before, 0);
}

struct gift_body {
	char *phone, *name, *note;
	long long minutes;
};

static const struct spec_field gift_spec[] = {
	SPEC(struct gift_body, phone, SPEC_STR, SPEC_REQUIRED, 1, 20),
	SPEC(struct gift_body, name, SPEC_STR, SPEC_REQUIRED, 1, MEMBER_NAME_MAX),
	SPEC(struct gift_body, minutes, SPEC_INT, SPEC_REQUIRED, 1, 100000000),
	SPEC(struct gift_body, note, SPEC_STR, 0, 0, GIFT_NOTE_MAX),
	{ 0 },
};

void me_timebank_give(struct call *c)
{
	struct field_errors errs = { 0 };
	struct gift_body b = { 0 };
	struct gift_input in;
	int64_t member_id, id;
	int rc = member_find_by_account(c->db, c->actor.account_id, &member_id);

	if (rc == MEMBER_NOT_FOUND) {
		reply_problem(c, 403, "forbidden", "请先到居住地社区报到，服务所得的时长才能赠送");
		return;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "finding my file");
		return;
	}
	if (call_body_read_or_reply(c, gift_spec, &b, &errs) < 0)
		goto out;
	if (b.phone && !field_errors_has(&errs, "phone") && !valid_phone(b.phone))
		field_errors_add(&errs, "phone", "format", "请填写正确的手机号");
	in = (struct gift_input){ .phone = b.phone, .name = b.name, .minutes = b.minutes, .note = b.note };
	rc = errs.n ? TIMEBANK_INVALID : timebank_give(c->db, &c->actor, member_id, &in, &errs, &id);
	if (rc == TIMEBANK_OK)
		reply_view(c, 201, 0, id);
	else if (rc == TIMEBANK_INVALID)
		reply_errors(c, 422, &errs);
	else
		reply_internal(c, "giving hours");
out:
	spec_release(gift_spec, &b);
}
