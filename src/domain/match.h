/* match.h: the matching score of 点单: how well a member or a team fits a need, and the reasons shown for it */
#ifndef DOMAIN_MATCH_H
#define DOMAIN_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Points of each part of the score (docs/lists.md, "Matching"): a wanted
 * specialty, then each further one; nearness by how many steps up the region
 * tree from the need's place the candidate is found (0: the same building);
 * free at the time wanted, or known to be busy then; no open task, or each
 * open task. MATCH_LOAD_MAX open tasks or more: not suggested at all.
 */
enum {
	MATCH_SPECIALTY = 40,
	MATCH_SPECIALTY_MORE = 10,
	MATCH_SPECIALTY_MAX = 3, /* tags counted */
	MATCH_FREE = 15,
	MATCH_BUSY = -10,
	MATCH_IDLE = 10,
	MATCH_PER_TASK = -5,
	MATCH_LOAD_MAX = 3,
	MATCH_REASONS_MAX = 6,
};
/* Nearness points by steps 0, 1, 2, 3; further: none. */
extern const int match_near_points[4];

enum match_reason_kind {
	REASON_SPECIALTY, /* has a wanted specialty tag (tag_off, tag_len) */
	REASON_NEAR, /* lives (or serves) steps up the tree from the need's place: 0 the same building */
	REASON_FREE, /* one of its weekly times covers the time wanted */
	REASON_BUSY, /* it gave weekly times, and none covers the time wanted */
	REASON_IDLE, /* no open task */
	REASON_LOAD, /* open_tasks open tasks */
};

/* A weekly time: weekday 1 (Monday) to 7, minutes after midnight [from, to). */
struct match_slot {
	int weekday, from, to;
};

/* What the need asks; strings borrowed. */
struct match_need {
	const char *place_path; /* its building's path, or its community's ("/440100000000/…/") */
	const char *specialties; /* wanted tags joined by ',' (its catalogue item's); "" none */
	int weekday, minute; /* when it is wanted; weekday 0: any time */
};

/* Who could take it; strings borrowed. */
struct match_candidate {
	const char *home_path; /* a member's building (or community), a team's region */
	const char *specialties; /* tags joined by ',' */
	int open_tasks; /* needs and wishes it has taken and not finished */
	size_t nslots; /* weekly times it is free (from its resources); 0: unknown */
	const struct match_slot *slots;
};

struct match_reason {
	enum match_reason_kind kind;
	int points;
	size_t tag_off, tag_len; /* REASON_SPECIALTY: the tag, tag_len bytes at tag_off in the candidate's specialties */
	int steps; /* REASON_NEAR */
	int tasks; /* REASON_LOAD */
};

struct match_score {
	bool excluded; /* MATCH_LOAD_MAX open tasks or more */
	int score;
	/* The common ancestor of the need's place and the candidate's home: its path is the first near_len
	 * bytes of the need's place_path (0: none in common), steps up from the place. */
	size_t near_len;
	int steps;
	size_t nreasons;
	struct match_reason reasons[MATCH_REASONS_MAX];
};

/* Scores candidate c for need n. */
void match_score(const struct match_need *n, const struct match_candidate *c, struct match_score *out);

#endif
