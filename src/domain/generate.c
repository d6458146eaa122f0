/* generate.c: a synthetic city for benchmarks, written through the domain's own functions */
#include "domain/generate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/idcard.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/registration.h"
#include "domain/roster.h"
#include "domain/unit.h"

#define BATCH 2000
#define DAYS 14600 /* birth dates spread over forty years from 1960-01-01 */

static const char surnames[] = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
			       "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
			       "邵万钱严覃武戴莫孔向汤";
static const char given[] = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国红梅志鹏海燕春晓东永健婷雪琳"
			    "宇浩然欣怡子涵思远嘉豪俊峰佳慧丹凤云飞宏亮颖娇晨光德荣淑珍振兴立新";
static const char *const positions[] = { "科员", "主任科员", "教师", "医生", "护士", "工程师", "会计", "经理",
					 "副科长", "科长", "技术员", "" };
static const char *const tags[] = { "医疗", "法律", "教育", "水电维修", "摄影", "心理咨询", "文艺", "理发",
				    "家电维修", "电脑网络", "财会", "书法", "体育健身", "养老护理", "驾驶", "外语" };
static const char *const unit_kinds[][2] = {
	{ "区教育局", "organ" }, { "中学", "institution" }, { "小学", "institution" }, { "人民医院", "institution" },
	{ "社区卫生服务中心", "institution" }, { "供电局", "soe" }, { "自来水公司", "soe" },
	{ "科技有限公司", "nonpublic" }, { "物流有限公司", "nonpublic" }, { "律师事务所", "social" },
};

/* splitmix64: small, fast and the same everywhere, so one seed always makes the same city. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

/* The n-th UTF-8 character (3 bytes each) of one of the name pools. */
static void add_char(char *out, size_t n, const char *pool, size_t pick)
{
	size_t count = strlen(pool) / 3, len = strlen(out);

	if (len + 4 <= n) {
		memcpy(out + len, pool + (pick % count) * 3, 3);
		out[len + 3] = '\0';
	}
}

struct place {
	char code[24];
	char path[PATH_MAX_LEN];
};

/* Every node of a level under the city, in code order (caller frees). */
static int places(struct db *db, const char *city_path, const char *level, struct place **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, path FROM region WHERE level = ? AND path >= ? AND path < ? "
					    "ORDER BY code");
	char hi[PATH_MAX_LEN];
	size_t cap = 0;
	int rc;

	str_copy(hi, sizeof(hi), city_path);
	hi[strlen(hi) - 1] = '0';
	*out = NULL;
	*n = 0;
	db_bind_text(st, 1, level);
	db_bind_text(st, 2, city_path);
	db_bind_text(st, 3, hi);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		str_copy((*out)[*n].code, sizeof((*out)[0].code), db_col_text(st, 0));
		str_copy((*out)[*n].path, sizeof((*out)[0].path), db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE && *n ? 0 : -1;
}

/* A valid ID number (GB 11643) unique to k: birth date from k % DAYS, sequence from k / DAYS. */
static void id_number(const char *area, int64_t k, int male, char out[IDCARD_LEN + 1])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	char date[11];
	int sum = 0;

	clock_date((int64_t)(-315619200 + (k % DAYS) * 86400), date); /* from 1960-01-01 China time */
	snprintf(out, IDCARD_LEN + 1, "%.6s%.4s%.2s%.2s%03d", area, date, date + 5, date + 8,
		 (int)((k / DAYS) * 2 + (male ? 1 : 0)) % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* What the generator keeps of a file to write its unit's roster afterwards. */
struct person {
	int32_t unit;
	char name[16];
	char id[IDCARD_LEN + 1];
};

struct city {
	struct db *db;
	const struct gen_options *o;
	const struct actor cli;
	struct place *communities, *streets;
	size_t ncommunities, nstreets;
	int64_t *unit_ids;
	struct person *people; /* o->members, then the unreported of the rosters */
	char *hash; /* the shared password hash of generated member accounts */
	uint64_t rng;
};

static int make_units(struct city *c, char *err, size_t errlen)
{
	c->unit_ids = xcalloc((size_t)c->o->units, sizeof(*c->unit_ids));
	for (int64_t i = 0; i < c->o->units; i++) {
		const struct place *at = &c->streets[(size_t)i % c->nstreets];
		const char *const *kind = unit_kinds[(size_t)i % (sizeof(unit_kinds) / sizeof(unit_kinds[0]))];
		struct unit u = { 0 };
		struct region r;

		if (region_get(c->db, at->code, &r) != REGION_OK) {
			snprintf(err, errlen, "street %s missing", at->code);
			return -1;
		}
		char name[512];

		snprintf(name, sizeof(name), "%s第%" PRId64 "%s", r.name, i + 1, kind[0]);
		str_copy(u.name, sizeof(u.name), name);
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s", "委员会");
		str_copy(u.party_org_name, sizeof(u.party_org_name), name);
		str_copy(u.type, sizeof(u.type), kind[1]);
		str_copy(u.region_code, sizeof(u.region_code), r.code);
		str_copy(u.region_path, sizeof(u.region_path), r.path);
		snprintf(u.contact_phone, sizeof(u.contact_phone), "020-8%07" PRId64, i);
		if (unit_create(c->db, &c->cli, &u) != UNIT_OK) {
			snprintf(err, errlen, "cannot create unit %s", u.name);
			return -1;
		}
		c->unit_ids[i] = u.id;
		if (c->o->progress && (i + 1) % 500 == 0)
			c->o->progress("units", i + 1, c->o->units);
	}
	return 0;
}

/* Links a generated account (login = phone, the shared hash) to file id, inside the batch's transaction. */
static int add_account(struct city *c, int64_t member_id, const char *name, const char *phone, const char *community)
{
	struct db_stmt *st = db_prepare(c->db, "INSERT INTO account (login, name, phone, password_hash, "
					       "password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	int64_t id = 0, now = clock_now();
	char idt[24];
	int rc;

	db_bind_text(st, 1, phone);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, phone);
	db_bind_text(st, 4, c->hash);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	st = db_prepare(c->db, "INSERT INTO role_grant (account_id, role, region_code, created_at) VALUES (?, 'member', ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, community);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	db_done(st);
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (rc != DB_DONE || audit_append(c->db, &c->cli, "account.create", "account", idt, "", "ok") < 0)
		return -1;
	return member_claim(c->db, &c->cli, member_id, id) == MEMBER_OK ? 0 : -1;
}

/* How file k's report-in ends: 0 approved, 1 pending, 2 rejected, 3 left. */
static int fate(double r)
{
	return r < 0.89 ? 0 : r < 0.98 ? 1 : r < 0.99 ? 2 : 3;
}

/* Writes file k and its report-in; *end says how the report-in must end (decided after the batch). */
static int make_member(struct city *c, int64_t k, int64_t *id, int *end)
{
	struct person *p = &c->people[k];
	const struct place *home = &c->communities[next(&c->rng) % c->ncommunities];
	char phone[16], address[96], specialties[64] = "", joined[11];
	int male = (int)(next(&c->rng) & 1);
	struct member_input in = { 0 };
	int64_t reg;
	int ntags = uniform(&c->rng) < 0.6 ? 0 : uniform(&c->rng) < 0.75 ? 1 : 2;

	double r = uniform(&c->rng), q = uniform(&c->rng);

	/* Units are heavy-tailed (the largest holds about 1.8% of 3,000 units' members), surnames too. */
	p->unit = (int32_t)((double)c->o->units * r * r);
	add_char(p->name, sizeof(p->name), surnames, (size_t)((double)(sizeof(surnames) / 3) * q * q * q));
	add_char(p->name, sizeof(p->name), given, next(&c->rng));
	if (next(&c->rng) % 3)
		add_char(p->name, sizeof(p->name), given, next(&c->rng));
	id_number(home->code, k, male, p->id);
	snprintf(phone, sizeof(phone), "139%08" PRId64, k % 100000000);
	snprintf(address, sizeof(address), "幸福路 %d 号 %d 栋 %d 室", (int)(next(&c->rng) % 300) + 1,
		 (int)(next(&c->rng) % 30) + 1, (int)(next(&c->rng) % 30) + 101);
	for (int t = 0; t < ntags; t++)
		snprintf(specialties + strlen(specialties), sizeof(specialties) - strlen(specialties), "%s%s", t ? "," : "",
			 tags[(next(&c->rng) + (uint64_t)t * 7) % (sizeof(tags) / sizeof(tags[0]))]);
	snprintf(joined, sizeof(joined), "%04u-07-01", (unsigned)(digits_value(p->id + 6, 4) + 25) % 10000u);
	in.name = p->name;
	in.gender = male ? "M" : "F";
	in.phone = phone;
	in.id_number = p->id;
	in.unit_id = c->unit_ids[p->unit];
	in.position = positions[next(&c->rng) % (sizeof(positions) / sizeof(positions[0]))];
	in.party_branch = "第一党支部";
	in.joined_party_on = joined;
	in.community_code = home->code;
	in.address = address;
	in.specialties = specialties;
	*end = fate(uniform(&c->rng));
	if (member_insert(c->db, &c->cli, &in, 0, id) != MEMBER_OK ||
	    registration_submit(c->db, &c->cli, *id, home->code, *end == 0 || *end == 3 ? CHANNEL_STAFF : CHANNEL_UNIT,
				&reg) != REG_OK)
		return -1;
	if (*end == 0 && uniform(&c->rng) < 0.33)
		return add_account(c, *id, p->name, phone, home->code);
	return 0;
}

/* Report-ins that end refused or left are decided after their batch, each in its own transaction. */
static int finish_ends(struct city *c, const int64_t *ids, const int *ends, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct registration r;

		if (ends[i] == 2) {
			if (registration_current(c->db, ids[i], &r) != REG_OK ||
			    registration_decide(c->db, &c->cli, r.id, false, "经核实不在本社区居住") != REG_OK)
				return -1;
		} else if (ends[i] == 3 && registration_leave(c->db, &c->cli, ids[i], "已搬离本社区") != REG_OK) {
			return -1;
		}
	}
	return 0;
}

static int make_members(struct city *c, char *err, size_t errlen)
{
	int64_t ids[BATCH];
	int ends[BATCH];

	for (int64_t k = 0; k < c->o->members; k += BATCH) {
		size_t n = (size_t)(c->o->members - k < BATCH ? c->o->members - k : BATCH), decided = 0;

		if (db_begin(c->db) < 0)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			int64_t id;
			int end;

			if (make_member(c, k + (int64_t)i, &id, &end) < 0) {
				db_rollback(c->db);
				goto fail;
			}
			if (end >= 2) {
				ids[decided] = id;
				ends[decided++] = end;
			}
		}
		if (db_commit(c->db) < 0 || finish_ends(c, ids, ends, decided) < 0)
			goto fail;
		if (c->o->progress)
			c->o->progress("member files", k + (int64_t)n, c->o->members);
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot write the member files");
	return -1;
}

/* Each unit's roster: its members, and one in twelve more who never reported in. */
static int make_rosters(struct city *c, char *err, size_t errlen)
{
	int64_t **by_unit = xcalloc((size_t)c->o->units, sizeof(*by_unit));
	int64_t *count = xcalloc((size_t)c->o->units, sizeof(*count));
	int rc = 0;

	for (int64_t k = 0; k < c->o->members; k++) {
		int32_t u = c->people[k].unit;

		if (count[u] % 64 == 0)
			by_unit[u] = xrealloc(by_unit[u], (size_t)(count[u] + 64) * sizeof(**by_unit));
		by_unit[u][count[u]++] = k;
	}
	for (int64_t u = 0, serial = c->o->members; u < c->o->units && rc == 0; u++) {
		int64_t added, updated, unreported = count[u] / 12 + 1, n = 0;
		struct roster_row *rows = xcalloc((size_t)(count[u] + unreported), sizeof(*rows));
		struct person *extra = xcalloc((size_t)unreported, sizeof(*extra));

		for (int64_t i = 0; i < count[u]; i++) {
			const struct person *p = &c->people[by_unit[u][i]];

			rows[n++] = (struct roster_row){ p->name, p->id, "" };
		}
		for (int64_t i = 0; i < unreported; i++) {
			struct person *p = &extra[i];

			add_char(p->name, sizeof(p->name), surnames, next(&c->rng));
			add_char(p->name, sizeof(p->name), given, next(&c->rng));
			add_char(p->name, sizeof(p->name), given, next(&c->rng));
			id_number(c->communities[0].code, serial++, (int)(i & 1), p->id);
			rows[n++] = (struct roster_row){ p->name, p->id, "" };
		}
		if (roster_add(c->db, &c->cli, c->unit_ids[u], rows, (size_t)n, &added, &updated) < 0) {
			snprintf(err, errlen, "cannot write the roster of unit %" PRId64, c->unit_ids[u]);
			rc = -1;
		}
		free(rows);
		free(extra);
		if (c->o->progress && (u + 1) % 500 == 0)
			c->o->progress("rosters", u + 1, c->o->units);
	}
	for (int64_t u = 0; u < c->o->units; u++)
		free(by_unit[u]);
	free(by_unit);
	free(count);
	return rc;
}

/* The accounts a benchmark logs in with: the city, a district, a street, a community, the largest unit. */
static int make_logins(struct city *c, const char *city_code, char *err, size_t errlen)
{
	const struct {
		const char *login, *name;
		enum role role;
		const char *region;
	} logins[] = {
		{ "bench-org-city", "市委组织部", ROLE_ORG, city_code },
		{ "bench-org-district", "白云区委组织部", ROLE_ORG, "440111000000" },
		{ "bench-org-street", "三元里街道党工委", ROLE_ORG, "440111002000" },
		{ "bench-staff", "石榴桥社区党委", ROLE_STAFF, "440111002011" },
		{ "bench-unit", "最大单位党务专干", ROLE_UNIT, NULL },
	};

	for (size_t i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
		struct region r;
		int64_t id;

		if (logins[i].region && region_get(c->db, logins[i].region, &r) != REGION_OK)
			continue; /* another city: only the city login applies */
		if (account_create(c->db, &c->cli, logins[i].login, logins[i].name, NULL, c->o->password, &id) != ACCOUNT_OK ||
		    account_grant(c->db, &c->cli, id, logins[i].role, logins[i].region,
				  logins[i].role == ROLE_UNIT ? c->unit_ids[0] : 0) != ACCOUNT_OK) {
			snprintf(err, errlen, "cannot create the account %s", logins[i].login);
			return -1;
		}
	}
	return 0;
}

static int empty(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM member LIMIT 1");
	int rc = db_step(st);

	db_done(st);
	return rc == DB_DONE;
}

int generate_city(struct db *db, const struct gen_options *o, char *err, size_t errlen)
{
	struct city c = { .db = db, .o = o, .cli = { 0, "cli" }, .rng = o->seed };
	struct region_counts counts;
	char city_code[24], city_path[PATH_MAX_LEN];
	int rc = -1;

	if (!empty(db)) {
		snprintf(err, errlen, "the database has member files already: generate only into a new one");
		return -1;
	}
	if (region_import(db, &c.cli, o->regions_dir, o->city, &counts, err, errlen) < 0)
		return -1;
	snprintf(city_code, sizeof(city_code), "%s00000000", o->city);
	snprintf(city_path, sizeof(city_path), "/%s/", city_code);
	if (places(db, city_path, "community", &c.communities, &c.ncommunities) < 0 ||
	    places(db, city_path, "street", &c.streets, &c.nstreets) < 0) {
		snprintf(err, errlen, "the city %s has no streets or communities", o->city);
		goto out;
	}
	c.people = xcalloc((size_t)o->members, sizeof(*c.people));
	c.hash = crypto_password_hash(o->password);
	if (make_units(&c, err, errlen) == 0 && make_members(&c, err, errlen) == 0 &&
	    make_rosters(&c, err, errlen) == 0 && make_logins(&c, city_code, err, errlen) == 0 &&
	    (o->records == 0 || generate_records(db, o, err, errlen) == 0))
		rc = 0;
out:
	free(c.communities);
	free(c.streets);
	free(c.unit_ids);
	free(c.people);
	free(c.hash);
	return rc;
}
