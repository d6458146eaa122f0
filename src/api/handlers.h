/* handlers.h: every API handler, for the route table */
#ifndef API_HANDLERS_H
#define API_HANDLERS_H

#include "api/call.h"
#include "domain/member.h"

void session_login(struct call *c);
void session_logout(struct call *c);
void me_get(struct call *c);
void me_password(struct call *c);

void regions_list(struct call *c);
void regions_get(struct call *c);
void regions_children(struct call *c);
void regions_ancestors(struct call *c);
void regions_create(struct call *c);
void regions_rename(struct call *c);
void regions_delete(struct call *c);

void units_list(struct call *c);
void units_directory(struct call *c);
void units_get(struct call *c);
void units_create(struct call *c);
void units_update(struct call *c);

void audit_list_get(struct call *c);

void members_list(struct call *c);
/* The list filters of GET /members (community, unit_id, state, specialty, q, has_account), for lists and exports. */
int members_filter_or_reply(struct call *c, struct member_filter *f);
void members_get(struct call *c);
void members_create(struct call *c);
void members_reveal(struct call *c);
void members_update(struct call *c);
void members_leave(struct call *c);
void registrations_list(struct call *c);
void registrations_approve(struct call *c);
void registrations_reject(struct call *c);
void me_member_get(struct call *c);
void me_registration_create(struct call *c);
void me_registration_withdraw(struct call *c);
void specialties_list(struct call *c);
void members_template(struct call *c);
void members_import(struct call *c);
void members_export(struct call *c);
void registrations_approve_many(struct call *c);
void agreements_list(struct call *c);
void agreements_get(struct call *c);
void agreements_create(struct call *c);
void agreements_update(struct call *c);
void roster_get(struct call *c);
void roster_upload(struct call *c);
void roster_export(struct call *c);
void stats_region_get(struct call *c);
void stats_region_children(struct call *c);
void stats_region_units(struct call *c);
void stats_unit_get(struct call *c);
void members_open_account(struct call *c);
void accounts_list(struct call *c);
void accounts_create(struct call *c);
void accounts_reset(struct call *c);
void accounts_disable(struct call *c);
void accounts_enable(struct call *c);
void accounts_confirm(struct call *c);
void accounts_refuse(struct call *c);
void signup_create(struct call *c);
void signup_communities(struct call *c);
void signup_code_show(struct call *c);
void signup_code_qr(struct call *c);
void signup_codes_take(struct call *c);

/* serving: the catalogue, posts and teams */
/* end of the catalogue, posts and teams */

/* serving: activities, sign-ups, attendance */
/* end of activities */

/* serving: service records */
#include "domain/photo.h" /* PHOTO_BYTES_MAX: the body limit of a photo upload, the image itself */
void me_records_create(struct call *c);
void me_records_list(struct call *c);
void records_create(struct call *c);
void records_list(struct call *c);
void records_get(struct call *c);
void records_minutes(struct call *c);
void records_confirm(struct call *c);
void records_reject(struct call *c);
void records_confirm_many(struct call *c);
void records_withdraw(struct call *c);
void records_correct(struct call *c);
void records_ask(struct call *c);
void record_requests_list(struct call *c);
void record_requests_accept(struct call *c);
void record_requests_decline(struct call *c);
void records_photo_add(struct call *c);
void records_photo_get(struct call *c);
void records_photo_thumb(struct call *c);
void records_photo_remove(struct call *c);
/* Adds "records" (the latest the caller may read, and their count) and "service" (numbers) to a member file; takes file. */
json_t *records_in_file(struct call *c, const struct member *m, json_t *file);
/* end of records */

#endif
