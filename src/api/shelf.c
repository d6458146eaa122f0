/* shelf.c: the rewards shelf (爱心超市): items kept by staff, members' redemptions, the queue staff hand over from */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "domain/ledger.h"
#include "domain/post.h"
#include "domain/shelf.h"

static json_t *time_or_null(int64_t t)
{
	return t ? json_integer((json_int_t)t) : json_null();
}

static json_t *item_json(const struct shelf_item *it, bool member)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:o, s:I, s:I, s:I}", "id",
			      (json_int_t)it->id, "community_code", it->community_code, "community_name",
			      it->community_name, "name", it->name, "description", it->description, "price",
			      (json_int_t)it->price, "stock", (json_int_t)it->stock, "monthly_limit",
			      (json_int_t)it->monthly_limit, "retired", it->retired_at != 0, "retired_at",
			      time_or_null(it->retired_at), "awaiting", (json_int_t)it->awaiting, "created_at",
			      (json_int_t)it->created_at, "updated_at", (json_int_t)it->updated_at);

	if (o && member)
		json_object_set_new(o, "mine_this_month", json_integer((json_int_t)it->mine));
	return o;
}

static json_t *redemption_json(const struct redemption *d)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I}", "id", (json_int_t)d->id,
			      "item_id", (json_int_t)d->item_id, "item_name", d->item_name, "member_id",
			      (json_int_t)d->member_id, "member_name", d->member_name, "member_phone", d->member_phone,
			      "community_code", d->community_code, "community_name", d->community_name, "points",
			      (json_int_t)d->points, "month", d->month, "state", d->state, "created_at",
			      (json_int_t)d->created_at);
	json_t *rest = json_pack("{s:o, s:s, s:o, s:s, s:s, s:b, s:I, s:o}", "handed_over_at",
				 time_or_null(d->handed_over_at), "handed_over_by", d->handed_over_by, "cancelled_at",
				 time_or_null(d->cancelled_at), "cancelled_by", d->cancelled_by, "cancel_reason",
				 d->cancel_reason, "cancelled_by_member", d->cancelled_by_member, "movement_id",
				 (json_int_t)d->movement_id, "cancel_movement_id", time_or_null(d->cancel_movement_id));

	if (!o || !rest || json_object_update(o, rest) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(rest);
	return o;
}

/* The caller's points balance, -1 on a storage error. */
static int64_t my_points(struct call *c, int64_t member_id)
{
	struct ledger_owner me = { KIND_MEMBER, member_id, NULL };
	int64_t balance;

	return ledger_balance(c->db, BOOK_POINTS, &me, &balance) < 0 ? -1 : balance;
}

/* The community named by the query: a community the caller may see the shelf of (404 otherwise); NULL when absent. */
static int community_query_or_reply(struct call *c, struct region *r, const char **code)
{
	int rc;

	if (call_query_or_reply(c, "community", 12, code) < 0)
		return -1;
	if (!*code)
		return 0;
	if (!valid_digits(*code, 12, 12)) {
		reply_query(c, "community", "format", "应为 12 位社区代码");
		return -1;
	}
	rc = region_get(c->db, *code, r);
	if (rc == REGION_ERROR) {
		reply_internal(c, "reading a community");
		return -1;
	}
	if (rc != REGION_OK || strcmp(r->level, "community") ||
	    !authz_allows(&c->who, ACT_SHELF_READ, &(struct target){ r->path, 0 })) {
		reply_problem(c, 404, "not_found", "找不到该社区");
		return -1;
	}
	return 0;
}

/* A member's shelf: what their community offers, with their points and this month's redemptions of each. */
static void member_shelf(struct call *c)
{
	struct scope all = { .all = true };
	struct post_member m;
	struct shelf_item *items;
	struct shelf_filter f = { .on_shelf = true };
	size_t n;
	int64_t points;
	json_t *arr;

	if (serve_member_or_reply(c, &m) < 0)
		return;
	f.community = m.community_code;
	f.member_id = m.member_id;
	points = my_points(c, m.member_id);
	if (points < 0 || shelf_item_list(c->db, &all, &f, &items, &n) != SHELF_OK) {
		reply_internal(c, "reading the shelf");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, item_json(&items[i], true));
	free(items);
	reply_json(c, 200, json_pack("{s:o, s:I, s:s}", "items", arr, "points", (json_int_t)points, "community_code",
				     m.community_code));
}

void shelf_items_list(struct call *c)
{
	struct scope scope;
	struct shelf_filter f = { 0 };
	struct shelf_item *items;
	struct region r;
	size_t n;
	json_t *arr;

	authz_scope(&c->who, ACT_SHELF_READ, &scope);
	/* A member (who keeps no shelf) sees their own community's. */
	if (!scope.all && !scope.npaths && (principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER))) {
		member_shelf(c);
		return;
	}
	if (community_query_or_reply(c, &r, &f.community) < 0)
		return;
	if (shelf_item_list(c->db, &scope, &f, &items, &n) != SHELF_OK) {
		reply_internal(c, "listing the shelf");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, item_json(&items[i], false));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

struct item_body {
	char *community_code, *name, *description;
	long long price, stock, monthly_limit;
};

#define F(name, type, flags, min, max) SPEC(struct item_body, name, type, flags, min, max)
#define ITEM_FIELDS                                                                                                  \
	F(name, SPEC_STR, SPEC_REQUIRED, 1, SHELF_NAME_MAX), F(description, SPEC_STR, 0, 0, SHELF_DESC_MAX),          \
		F(price, SPEC_INT, SPEC_REQUIRED, 1, SHELF_PRICE_MAX), F(stock, SPEC_INT, SPEC_REQUIRED, 0, SHELF_STOCK_MAX), \
		F(monthly_limit, SPEC_INT, 0, 0, SHELF_LIMIT_MAX)
static const struct spec_field create_spec[] = { F(community_code, SPEC_STR, SPEC_REQUIRED, 12, 12), ITEM_FIELDS, { 0 } };
static const struct spec_field update_spec[] = { ITEM_FIELDS, { 0 } };
#undef F

static struct shelf_input input_of(const struct item_body *b)
{
	return (struct shelf_input){ .community_code = b->community_code, .name = b->name, .description = b->description,
				     .price = b->price, .stock = b->stock, .monthly_limit = b->monthly_limit };
}

static void reply_item_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case SHELF_INVALID:
		reply_errors(c, 422, errs);
		break;
	case SHELF_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该物品");
		break;
	case SHELF_RETIRED:
		reply_problem(c, 409, "retired", "该物品已下架");
		break;
	default:
		reply_internal(c, "changing the shelf");
	}
}

static void reply_item(struct call *c, int status, int64_t id)
{
	struct shelf_item it;

	if (shelf_item_get(c->db, id, &it) != SHELF_OK)
		reply_internal(c, "reading a shelf item");
	else
		reply_json(c, status, json_pack("{s:o}", "item", item_json(&it, false)));
}

void shelf_items_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct item_body b = { 0 };
	struct shelf_input in;
	struct region r;
	int64_t id;
	int rc;

	if (call_body_read_or_reply(c, create_spec, &b, &errs) < 0)
		goto out;
	/* A community out of reach is told as not there. */
	if (b.community_code && !field_errors_has(&errs, "community_code")) {
		rc = region_get(c->db, b.community_code, &r);
		if (rc == REGION_ERROR) {
			reply_internal(c, "reading a community");
			goto out;
		}
		if (rc != REGION_OK || !authz_allows(&c->who, ACT_SHELF_KEEP, &(struct target){ r.path, 0 }))
			field_errors_add(&errs, "community_code", "not_found", "应为本社区");
	}
	in = input_of(&b);
	rc = errs.n ? SHELF_INVALID : shelf_item_create(c->db, &c->actor, &in, &errs, &id);
	if (rc == SHELF_OK)
		reply_item(c, 201, id);
	else
		reply_item_error(c, rc, &errs);
out:
	spec_release(create_spec, &b);
}

/* Item {id} the caller may keep: 404 when it may not see the shelf, 403 when it may only see it. */
static int kept_item_or_reply(struct call *c, struct shelf_item *it)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = shelf_item_get(c->db, id, it);
	if (rc == SHELF_OK && !authz_allows(&c->who, ACT_SHELF_READ, &(struct target){ it->community_path, 0 }))
		rc = SHELF_NOT_FOUND;
	if (rc != SHELF_OK) {
		reply_item_error(c, rc, NULL);
		return -1;
	}
	return call_allow_or_reply(c, ACT_SHELF_KEEP, &(struct target){ it->community_path, 0 });
}

void shelf_items_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct item_body b = { 0 };
	struct shelf_item it;
	struct shelf_input in;
	int rc;

	if (kept_item_or_reply(c, &it) < 0 || call_body_or_reply(c, update_spec, &b) < 0)
		return;
	in = input_of(&b);
	rc = shelf_item_update(c->db, &c->actor, it.id, &in, &errs);
	if (rc == SHELF_OK)
		reply_item(c, 200, it.id);
	else
		reply_item_error(c, rc, &errs);
	spec_release(update_spec, &b);
}

void shelf_items_retire(struct call *c)
{
	struct shelf_item it;
	int rc;

	if (kept_item_or_reply(c, &it) < 0)
		return;
	rc = shelf_item_retire(c->db, &c->actor, it.id);
	if (rc == SHELF_OK)
		reply_item(c, 200, it.id);
	else
		reply_item_error(c, rc, NULL);
}

static void reply_redemption_error(struct call *c, int rc)
{
	switch (rc) {
	case SHELF_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该兑换记录");
		break;
	case SHELF_BAD_STATE:
		reply_problem(c, 409, "conflict", "该兑换已领取或已取消");
		break;
	case SHELF_OWN:
		reply_problem(c, 403, "forbidden", "不能办理本人的兑换，请由社区其他工作人员办理");
		break;
	case SHELF_RETIRED:
		reply_problem(c, 409, "retired", "该物品已下架");
		break;
	case SHELF_OUT_OF_STOCK:
		reply_problem(c, 409, "out_of_stock", "该物品已兑完");
		break;
	case SHELF_LIMIT:
		reply_problem(c, 409, "monthly_limit", "本月兑换该物品的次数已满");
		break;
	case SHELF_POINTS:
		reply_problem(c, 409, "not_enough_points", "积分不足");
		break;
	default:
		reply_internal(c, "changing a redemption");
	}
}

/* The redemption and, for its member, the points left. */
static void reply_redemption(struct call *c, int status, int64_t id, int64_t member_id)
{
	struct redemption d;
	int64_t points = member_id ? my_points(c, member_id) : 0;
	json_t *o;

	if (points < 0 || redemption_get(c->db, id, &d) != SHELF_OK) {
		reply_internal(c, "reading a redemption");
		return;
	}
	o = json_pack("{s:o}", "redemption", redemption_json(&d));
	if (o && member_id)
		json_object_set_new(o, "points", json_integer((json_int_t)points));
	reply_json(c, status, o);
}

struct redeem_body {
	long long item_id;
};

static const struct spec_field redeem_spec[] = {
	SPEC(struct redeem_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

void me_redemptions_create(struct call *c)
{
	struct redeem_body b = { 0 };
	struct post_member m;
	int64_t id;
	int rc;

	if (serve_member_or_reply(c, &m) < 0 || call_body_or_reply(c, redeem_spec, &b) < 0)
		return;
	rc = shelf_redeem(c->db, &c->actor, m.member_id, b.item_id, &id);
	if (rc == SHELF_OK)
		reply_redemption(c, 201, id, m.member_id);
	else if (rc == SHELF_NOT_FOUND || rc == SHELF_NOT_MEMBER)
		reply_field(c, 422, "item_id", "not_found", "找不到本社区爱心超市的该物品");
	else
		reply_redemption_error(c, rc);
}

static void reply_page(struct call *c, const struct scope *scope, const struct redemption_filter *f)
{
	struct redemption *items;
	size_t n;
	int64_t total;
	json_t *arr;

	if (redemption_list(c->db, scope, f, &items, &n, &total) != SHELF_OK) {
		reply_internal(c, "listing redemptions");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, redemption_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f->page, f->per_page));
}

void me_redemptions_list(struct call *c)
{
	struct scope all = { .all = true };
	struct redemption_filter f = { 0 };
	int rc;

	if (call_choice_or_reply(c, "state", redemption_states, &f.state) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	rc = member_find_by_account(c->db, c->actor.account_id, &f.member_id);
	if (rc == MEMBER_NOT_FOUND) {
		reply_json(c, 200, page_json(json_array(), 0, f.page, f.per_page));
		return;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "finding my file");
		return;
	}
	reply_page(c, &all, &f);
}

void me_redemptions_cancel(struct call *c)
{
	struct redemption d;
	int64_t id, member_id = 0;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = member_find_by_account(c->db, c->actor.account_id, &member_id);
	if (rc == MEMBER_ERROR) {
		reply_internal(c, "finding my file");
		return;
	}
	rc = redemption_get(c->db, id, &d);
	/* Someone else's is not there. */
	if (rc == SHELF_OK && d.member_id != member_id)
		rc = SHELF_NOT_FOUND;
	if (rc == SHELF_OK)
		rc = redemption_cancel(c->db, &c->actor, id, true, "");
	if (rc == SHELF_OK)
		reply_redemption(c, 200, id, member_id);
	else
		reply_redemption_error(c, rc);
}

void redemptions_list(struct call *c)
{
	struct redemption_filter f = { 0 };
	struct scope scope;
	struct region r;

	if (community_query_or_reply(c, &r, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", redemption_states, &f.state) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_SHELF_READ, &scope);
	reply_page(c, &scope, &f);
}

/* Redemption {id} the caller may act on: 404 when it may not see it, 403 when it may only see it. */
static int kept_redemption_or_reply(struct call *c, struct redemption *d)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = redemption_get(c->db, id, d);
	if (rc == SHELF_OK && !authz_allows(&c->who, ACT_SHELF_READ, &(struct target){ d->community_path, 0 }))
		rc = SHELF_NOT_FOUND;
	if (rc != SHELF_OK) {
		reply_redemption_error(c, rc);
		return -1;
	}
	return call_allow_or_reply(c, ACT_SHELF_KEEP, &(struct target){ d->community_path, 0 });
}

void redemptions_hand_over(struct call *c)
{
	struct redemption d;
	int rc;

	if (kept_redemption_or_reply(c, &d) < 0)
		return;
	rc = redemption_hand_over(c->db, &c->actor, d.id);
	if (rc == SHELF_OK)
		reply_redemption(c, 200, d.id, 0);
	else
		reply_redemption_error(c, rc);
}

struct reason_body {
	char *reason;
};

static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, SHELF_REASON_MAX),
	{ 0 },
};

void redemptions_cancel(struct call *c)
{
	struct reason_body b = { 0 };
	struct redemption d;
	int rc;

	if (kept_redemption_or_reply(c, &d) < 0 || call_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = redemption_cancel(c->db, &c->actor, d.id, false, b.reason);
	if (rc == SHELF_OK)
		reply_redemption(c, 200, d.id, 0);
	else
		reply_redemption_error(c, rc);
	spec_release(reason_spec, &b);
}
