/* enrol.h: how a member file comes to be: typed in with its first report-in, or the member's own report-in */
#ifndef DOMAIN_ENROL_H
#define DOMAIN_ENROL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/member.h"
#include "domain/registration.h"

/*
 * Staff type a paper form in (CHANNEL_STAFF, approved at once) or a unit
 * registers one of its members (CHANNEL_UNIT): the form is checked and the
 * file and its first report-in written in one transaction. REG_INVALID with
 * every fault in errs; REG_DUPLICATE with *id the file the ID number has
 * already; otherwise *id is the new file. A refusal writes nothing.
 */
int member_enrol(struct db *db, const struct actor *who, const struct member_input *in, enum reg_channel channel,
		 struct field_errors *errs, int64_t *id);

/*
 * The member reports in on the phone, as account who->account_id, in one
 * transaction. A first report-in creates the file, or links the file a unit
 * or the community typed in when its ID number and name are the form's
 * (REG_TAKEN when that file is another account's or another name's). The
 * form brings the file up to date (member_refresh; REG_MISMATCH when it
 * names another person than the member's file). A report-in to another
 * community is a transfer; one to the community where the file is pending or
 * approved files nothing new (*filed false): the link and the update were
 * the point. REG_INVALID with every fault in errs. *id: the file.
 */
int member_report_in(struct db *db, const struct actor *who, const struct member_input *in,
		     struct field_errors *errs, int64_t *id, bool *filed);

#endif
