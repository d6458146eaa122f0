/* match.c: the matching score: specialty, nearness in the region tree, time free, open tasks */
#include "domain/match.h"

#include <string.h>

const int match_near_points[4] = { 30, 20, 10, 5 };

static void add(struct match_score *out, struct match_reason r)
{
	out->score += r.points;
	if (out->nreasons < MATCH_REASONS_MAX)
		out->reasons[out->nreasons++] = r;
}

/* Whether tag (len bytes) is one of the tags of list, joined by ','. */
static bool has_tag(const char *list, const char *tag, size_t len)
{
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && !memcmp(p, tag, len))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

static void specialties(const struct match_need *n, const struct match_candidate *c, struct match_score *out)
{
	int found = 0;

	for (const char *p = c->specialties; *p && found < MATCH_SPECIALTY_MAX;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len && has_tag(n->specialties, p, len)) {
			add(out, (struct match_reason){ .kind = REASON_SPECIALTY,
							.points = found ? MATCH_SPECIALTY_MORE : MATCH_SPECIALTY,
							.tag_off = (size_t)(p - c->specialties), .tag_len = len });
			found++;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

/* Segments of path ("/a/b/c/": 3). */
static int depth(const char *path, size_t len)
{
	int d = 0;

	for (size_t i = 1; i < len; i++)
		d += path[i] == '/';
	return d;
}

/* The longest common prefix of the two paths that ends with '/': their lowest common ancestor. */
static size_t common(const char *a, const char *b)
{
	size_t last = 0;

	for (size_t i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			last = i + 1;
	return last;
}

static void nearness(const struct match_need *n, const struct match_candidate *c, struct match_score *out)
{
	size_t len = common(n->place_path, c->home_path);
	int steps;

	out->near_len = len;
	if (len <= 1)
		return;
	steps = depth(n->place_path, strlen(n->place_path)) - depth(n->place_path, len);
	out->steps = steps;
	if (steps < (int)(sizeof(match_near_points) / sizeof(match_near_points[0])))
		add(out, (struct match_reason){ .kind = REASON_NEAR, .points = match_near_points[steps], .steps = steps });
}

static void time_free(const struct match_need *n, const struct match_candidate *c, struct match_score *out)
{
	if (!n->weekday || !c->nslots)
		return;
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i].weekday == n->weekday && c->slots[i].from <= n->minute && n->minute < c->slots[i].to) {
			add(out, (struct match_reason){ .kind = REASON_FREE, .points = MATCH_FREE });
			return;
		}
	add(out, (struct match_reason){ .kind = REASON_BUSY, .points = MATCH_BUSY });
}

void match_score(const struct match_need *n, const struct match_candidate *c, struct match_score *out)
{
	memset(out, 0, sizeof(*out));
	out->steps = -1;
	if (c->open_tasks >= MATCH_LOAD_MAX) {
		out->excluded = true;
		return;
	}
	specialties(n, c, out);
	nearness(n, c, out);
	time_free(n, c, out);
	if (c->open_tasks)
		add(out, (struct match_reason){ .kind = REASON_LOAD, .points = MATCH_PER_TASK * c->open_tasks,
						.tasks = c->open_tasks });
	else
		add(out, (struct match_reason){ .kind = REASON_IDLE, .points = MATCH_IDLE });
}
