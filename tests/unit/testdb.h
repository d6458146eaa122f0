/* testdb.h: a real database in a fresh folder for unit tests: a Guangzhou community with one member who reported in */
#ifndef TESTS_UNIT_TESTDB_H
#define TESTS_UNIT_TESTDB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/member.h"
#include "domain/registration.h"

#define TESTDB_COMMUNITY "440111002011" /* 石榴桥社区, 三元里街道, 白云区 */
#define TESTDB_PATH "/440100000000/440111000000/440111002000/" TESTDB_COMMUNITY "/"

struct testdb {
	char dir[64];
	struct db *db;
	int64_t member; /* 陈建国, account 7, reported in at TESTDB_COMMUNITY */
};

/* Opens it (migrated, with the regions, the account and the member); 0, or -1. */
static inline int testdb_open(struct testdb *t, const char *name)
{
	static const struct actor cli = { 0, "test" };
	uint8_t key[CRYPTO_KEY_BYTES] = { 9 };
	struct member_input in = { .name = "陈建国", .phone = "13800001011", .id_number = "440111197503120126" };
	char path[96], err[256];
	int64_t reg;

	snprintf(t->dir, sizeof(t->dir), "/tmp/baodao-%s-XXXXXX", name);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", t->dir);
	crypto_key_set(key);
	if (db_open(path, &t->db, err, sizeof(err)) < 0 || migrate_apply(t->db, err, sizeof(err)) < 0)
		return -1;
	if (db_run(t->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES "
			  "('440100000000', NULL, 'city', '广州市', '广州市', '/440100000000/', 0), "
			  "('440111000000', '440100000000', 'district', '白云区', '白云区', '/440100000000/440111000000/', 0), "
			  "('440111002000', '440111000000', 'street', '三元里街道', '三元里街道', "
			  "'/440100000000/440111000000/440111002000/', 0), "
			  "('" TESTDB_COMMUNITY "', '440111002000', 'community', '石榴桥社区', '石榴桥社区', '" TESTDB_PATH
			  "', 0)") != DB_OK ||
	    db_run(t->db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, created_at) VALUES "
			  "(7, '13800001011', '陈建国', 'x', 0, 0)") != DB_OK)
		return -1;
	if (db_begin(t->db) < 0 || member_insert(t->db, &cli, &in, 7, &t->member) != MEMBER_OK ||
	    registration_submit(t->db, &cli, t->member, TESTDB_COMMUNITY, CHANNEL_STAFF, &reg) != REG_OK ||
	    db_commit(t->db) < 0)
		return -1;
	return 0;
}

static inline int testdb_close(struct testdb *t)
{
	char cmd[128];

	db_close(t->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
