/* demo_certificates.c: the demo's service certificates: one issued to 陈建国 of 石榴桥社区, one asked by 黄志强 and waiting */
#include "domain/demo.h"

#include <stdio.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/certificate.h"

/* The month up to today: both members' demo records fall in it (demo_records.c). */
static const struct {
	const char *phone, *note;
	int issue;
} asked[] = {
	{ "13800001011", "单位评先评优需要，申请开具近一个月的志愿服务证明", 1 },
	{ "13800001013", "学校要求提供假期社区服务证明", 0 },
};

int demo_certificates(struct db *db, char *err, size_t errlen)
{
	const struct cert_signers signers = { "石榴桥社区党委书记 陈立华", "李社工", "020-86000311" };
	int64_t now = clock_now();
	char from[11], to[11];
	struct account staff;

	clock_date(now - 30 * 86400, from);
	clock_date(now, to);
	if (account_find(db, "staff", &staff) != ACCOUNT_OK) {
		snprintf(err, errlen, "demo: cannot find the demo's staff");
		return -1;
	}
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		struct actor member, by = { staff.id, "cli" };
		struct field_errors errs = { 0 };
		struct account a;
		int64_t member_id, request_id, id;

		if (account_find(db, asked[i].phone, &a) != ACCOUNT_OK || member_find_by_account(db, a.id, &member_id)) {
			snprintf(err, errlen, "demo: cannot find a member for a certificate");
			return -1;
		}
		member = (struct actor){ a.id, "cli" };
		if (certificate_ask(db, &member, member_id, from, to, asked[i].note, &errs, &request_id) != CERT_OK ||
		    (asked[i].issue && certificate_issue(db, &by, request_id, &signers, &id) != CERT_OK)) {
			snprintf(err, errlen, "demo: cannot %s a certificate", asked[i].issue ? "issue" : "ask for");
			return -1;
		}
	}
	return 0;
}
