/* demo_care.h: the demo's care register (demo_care.c) */
#ifndef DOMAIN_DEMO_CARE_H
#define DOMAIN_DEMO_CARE_H

#include <stddef.h>

#include "db/db.h"

/* Three people on 石榴桥社区's care register: 张阿姨 (独居, paired, visited), 刘伯 (daily phone), 小明 (留守儿童). */
int demo_care(struct db *db, char *err, size_t errlen);

#endif
