/* demo.h: demo data so a new user can log in as every role */
#ifndef DOMAIN_DEMO_H
#define DOMAIN_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DEMO_PASSWORD "Demo-baodao-2026"

/*
 * Loads the Guangzhou tree from regions_dir, a few units in 白云区, and one
 * account per role scoped to 三元里街道 (password DEMO_PASSWORD). Returns 0,
 * 1 when demo data was already loaded (nothing changed), -1 with err.
 */
int demo_load(struct db *db, const char *regions_dir, bool base_only, char *err, size_t errlen);

/*
 * What makes 石榴桥社区 look lived in (unless base_only): grids and buildings,
 * member files in every state (a transfer in the queue too), two members with
 * accounts, unit 2's roster with people who never reported in, a resident
 * waiting for confirmation, a poster's code, a co-building agreement.
 * unit_ids: the demo's four units.
 */
int demo_community(struct db *db, const int64_t *unit_ids, char *err, size_t errlen);

/*
 * Serving in 石榴桥社区, after demo_community, in this order: posts and teams
 * (demo_posts_teams.c), a week of activities with sign-ups and attendance
 * (demo_activities.c), records in every state (demo_records.c). Each returns
 * 0, or -1 with err.
 */
int demo_posts_teams(struct db *db, char *err, size_t errlen);
int demo_activities(struct db *db, char *err, size_t errlen);
int demo_records(struct db *db, char *err, size_t errlen);
/* A half-year of confirmed service by the community's members (demo_earning.c): points, tiers, a ranking. */
int demo_earning(struct db *db, char *err, size_t errlen);
/* Feedback to units (demo_feedback.c): the community's comments on two of unit 2's members, a micro-wish's bonus. */
int demo_feedback(struct db *db, char *err, size_t errlen);

/* A certificate issued to a demo member of 石榴桥社区 and another's request waiting (demo_certificates.c), after demo_records. */
int demo_certificates(struct db *db, char *err, size_t errlen);
/* The 公示 of 石榴桥社区's current half-year, after the records (demo_publication.c). */
int demo_publication(struct db *db, char *err, size_t errlen);
/* After them: 石榴桥社区's rewards shelf with a redemption waiting and one handed over, hours given (demo_timebank.c). */
int demo_timebank(struct db *db, char *err, size_t errlen);
/* Resources (资源清单) of 石榴桥社区 (demo_lists.c). */
int demo_lists(struct db *db, char *err, size_t errlen);
/* Needs (需求清单) and micro-wishes (微心愿) of 石榴桥社区, one in each stage (demo_needs.c). */
int demo_needs(struct db *db, char *err, size_t errlen);
/* Households (户) of 石榴桥社区's buildings, a few described, the demo resident living in one (demo_households.c). */
int demo_households(struct db *db, char *err, size_t errlen);
/* After them: a door-to-door campaign over 石榴桥社区's 1栋–3栋, 1栋 half walked (demo_campaigns.c). */
int demo_campaigns(struct db *db, char *err, size_t errlen);
/* After them: cases (问题/诉求) of 石榴桥社区's buildings, one in each stage (demo_cases.c). */
int demo_cases(struct db *db, char *err, size_t errlen);
/* After them: an open deliberation, 3栋加装电梯, with some paper votes in (demo_deliberations.c). */
int demo_deliberations(struct db *db, char *err, size_t errlen);

#endif
