/* bonuses.c: bonuses (奖励分) staff give a member of their community: a micro-wish, a post held a half-year, an activity led; and a member's list */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "domain/bonus.h"

static json_t *bonus_json(const struct bonus *b)
{
	return json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "id",
			 (json_int_t)b->id, "member_id", (json_int_t)b->member_id, "kind", b->kind, "ref",
			 b->ref_id ? json_integer((json_int_t)b->ref_id) : json_null(), "ref_name", b->ref_name, "period",
			 b->period, "community_code", b->community_code, "community_name", b->community_name, "points",
			 (json_int_t)b->points, "rule_id", (json_int_t)b->rule_id, "movement_id",
			 (json_int_t)b->movement_id, "rule_effective_on", b->rule_effective_on, "reason", b->reason,
			 "created_by_name", b->created_by_name, "created_at", (json_int_t)b->created_at);
}

struct bonus_body {
	char *kind, *reason;
	long long ref;
};

static const struct spec_field bonus_spec[] = {
	SPEC_CHOICE(struct bonus_body, kind, SPEC_REQUIRED, bonus_kinds),
	SPEC(struct bonus_body, reason, SPEC_STR, SPEC_REQUIRED, 2, BONUS_REASON_MAX),
	SPEC(struct bonus_body, ref, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

static void reply_refused(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case BONUS_INVALID:
		reply_errors(c, 422, errs);
		break;
	case BONUS_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该党员档案");
		break;
	case BONUS_DUPLICATE:
		reply_field(c, 409, "ref", "duplicate", "已为这一项加过奖励分");
		break;
	case BONUS_NOT_SERVING:
		reply_problem(c, 409, "conflict", "该党员没有已通过的报到，不能加奖励分");
		break;
	case BONUS_NO_POINTS:
		reply_field(c, 409, "kind", "no_points", "现行积分规则没有这一项奖励分");
		break;
	case BONUS_OWN:
		reply_problem(c, 403, "forbidden", "不能给本人加奖励分，请由社区其他工作人员办理");
		break;
	default:
		reply_internal(c, "giving a bonus");
	}
}

void members_bonuses_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct bonus_body b = { 0 };
	struct bonus out;
	struct member m;
	int64_t id;
	int kind = 0, rc;

	if (member_or_reply(c, ACT_RECORD_CONFIRM, &m) < 0 ||
	    call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ m.community_path, 0 }) < 0 ||
	    call_body_read_or_reply(c, bonus_spec, &b, &errs) < 0)
		goto out;
	while (b.kind && bonus_kinds[kind] && strcmp(bonus_kinds[kind], b.kind))
		kind++;
	/* A post and an activity are named; a micro-wish may be, until wishes are built. */
	if (b.kind && bonus_kinds[kind] && kind != BONUS_WISH && !b.ref && !field_errors_has(&errs, "ref"))
		field_errors_add(&errs, "ref", "required", kind == BONUS_POST ? "请选择岗位" : "请选择活动");
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	rc = bonus_give(c->db, &c->actor, m.id, (enum bonus_kind)kind, b.ref, b.reason, &errs, &id);
	if (rc == BONUS_OK && bonus_get(c->db, id, &out) != BONUS_OK)
		rc = BONUS_ERROR;
	if (rc == BONUS_OK)
		reply_json(c, 201, bonus_json(&out));
	else
		reply_refused(c, rc, &errs);
out:
	spec_release(bonus_spec, &b);
}

void members_bonuses_list(struct call *c)
{
	struct bonus *items;
	struct member m;
	size_t n;
	json_t *arr;

	if (member_or_reply(c, ACT_MEMBER_READ, &m) < 0)
		return;
	if (bonus_list(c->db, m.id, &items, &n) != BONUS_OK) {
		free(items);
		reply_internal(c, "reading bonuses");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, bonus_json(&items[i]));
	free(items);
	reply_json(c, 200, arr ? json_pack("{s:o}", "items", arr) : NULL);
}
