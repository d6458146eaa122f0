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
void stats_region_months_get(struct call *c);
void stats_region_months_xlsx(struct call *c);
void stats_unit_months_get(struct call *c);
void community_quiet_list(struct call *c);
void community_quiet_xlsx(struct call *c);
void unit_quiet_list(struct call *c);
void unit_quiet_xlsx(struct call *c);
void community_today_get(struct call *c);
void community_monthly_report_get(struct call *c);
void community_monthly_report_xlsx(struct call *c);
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
void catalog_list_get(struct call *c);
void catalog_get(struct call *c);
void catalog_create_post(struct call *c);
void catalog_update_put(struct call *c);
void catalog_retire_post(struct call *c);
void catalog_restore_post(struct call *c);
void posts_list(struct call *c);
void posts_create(struct call *c);
void posts_get(struct call *c);
void posts_update(struct call *c);
void posts_close(struct call *c);
void posts_claim(struct call *c);
void posts_service(struct call *c);
void post_claims_list(struct call *c);
void post_claims_approve(struct call *c);
void post_claims_refuse(struct call *c);
void post_claims_end(struct call *c);
void me_posts_get(struct call *c);
void me_posts_open(struct call *c);
void me_posts_leave(struct call *c);
void teams_list(struct call *c);
void teams_create(struct call *c);
void teams_get(struct call *c);
void teams_update(struct call *c);
void teams_disband(struct call *c);
void teams_join(struct call *c);
void team_members_approve(struct call *c);
void team_members_refuse(struct call *c);
void team_members_remove(struct call *c);
void me_teams_get(struct call *c);
void me_teams_open(struct call *c);
void me_teams_leave(struct call *c);
/* For the member file (members.c): the member's open claims of posts and memberships of teams; NULL on a storage error. */
json_t *member_posts_json(struct db *db, int64_t member_id);
json_t *member_teams_json(struct db *db, int64_t member_id);
/*
 * serve.c, shared by catalog.c, posts.c and teams.c. The member of the
 * caller's account with an approved report-in; 403 otherwise (one still
 * waiting may only report in).
 */
struct post_member;
struct catalog_field;
int serve_member_or_reply(struct call *c, struct post_member *m);
/*
 * The body's member name, which the spec cannot read (an array or an
 * object): its "unknown" error is taken out of errs. NULL when absent or
 * null; caller json_decrefs. Call after call_body_read_or_reply succeeded.
 */
json_t *serve_body_member(struct call *c, const char *name, struct field_errors *errs);
/* Entry i of a body's "fields" (a catalogue item's or a campaign's form) into out: its errors named fields[i].… in errs. */
void catalog_field_read(json_t *v, size_t i, struct catalog_field *out, struct field_errors *errs);
/* A JSON body that may be left out: none at all reads as {} (a required member is then a 422 naming it). */
int serve_optional_body_or_reply(struct call *c, const struct spec_field *spec, void *dst);
/* end of the catalogue, posts and teams */

/* serving: activities, sign-ups, attendance */
/* Who may call the routes that run an activity at all: every role but residents (a team's leader is a member). */
#define ACTIVITY_RUNNERS (ROLES_ANY & ~ROLE_BIT(ROLE_RESIDENT))
void activities_list(struct call *c);
void activities_create(struct call *c);
void activities_get(struct call *c);
void activities_update(struct call *c);
void activities_publish(struct call *c);
void activities_cancel(struct call *c);
void me_activities(struct call *c);
void signups_join(struct call *c);
void signups_withdraw(struct call *c);
void signups_ask_leave(struct call *c);
void signups_list(struct call *c);
void signups_add(struct call *c);
void signups_remove(struct call *c);
void signups_decide_leave(struct call *c);
void me_signups(struct call *c);
void attendance_code(struct call *c);
void attendance_poster(struct call *c);
void attendance_checkin(struct call *c);
void attendance_checkout(struct call *c);
void attendance_mark(struct call *c);
void attendance_sheet(struct call *c);
void attendance_close_route(struct call *c);
void attendance_sheet_xlsx(struct call *c);
void attendance_sheet_print(struct call *c);
void activities_share(struct call *c);
void activities_calendar(struct call *c);
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
/* A refused photo (rc from photo.h) as its problem: what is wrong with the upload. */
void reply_photo_error(struct call *c, int rc);
/* list_photos.c: photos of needs and wishes */
void needs_photo_add(struct call *c);
void needs_photo_get(struct call *c);
void needs_photo_thumb(struct call *c);
void needs_photo_remove(struct call *c);
void wishes_photo_add(struct call *c);
void wishes_photo_get(struct call *c);
void wishes_photo_thumb(struct call *c);
void wishes_photo_remove(struct call *c);
void public_wish_photo_thumb(struct call *c);
/* Adds "records" (the latest the caller may read, and their count) and "service" (numbers) to a member file; takes file. */
json_t *records_in_file(struct call *c, const struct member *m, json_t *file);
/* end of records */

/* earning: points, rankings, rules (points.c, rules.c) */
/* Member file {id} that the caller may read and do a to; 404 (out of reach too) or 403 answered otherwise. */
int member_or_reply(struct call *c, enum action a, struct member *m);
void me_points_get(struct call *c);
void me_points_history(struct call *c);
void members_points_get(struct call *c);
void members_points_history(struct call *c);
void standings_list(struct call *c);
void ledger_verify_get(struct call *c);
void rules_list(struct call *c);
void rules_create(struct call *c);
void rules_preview(struct call *c);
/* end of earning */

/* earning: certificates (certificates.c) */
void me_certificate_requests_create(struct call *c);
void me_certificates_list(struct call *c);
void certificate_requests_list(struct call *c);
void certificate_requests_issue(struct call *c);
void certificate_requests_decline(struct call *c);
void certificates_list(struct call *c);
void certificates_get(struct call *c);
void certificates_revoke(struct call *c);
void certificates_qr(struct call *c);
void public_certificates_get(struct call *c);
/* end of certificates */
/* earning: publication (publications.c) */
void publications_create(struct call *c);
void publications_list(struct call *c);
void publications_get(struct call *c);
void publications_republish(struct call *c);
void publications_verify(struct call *c);
void publications_object(struct call *c);
void me_objections(struct call *c);
void objections_answer(struct call *c);
void public_publication_get(struct call *c);
void public_publication_qr(struct call *c);
/* end of publication */
/* earning: time bank and rewards shelf (timebank.c, shelf.c) */
void me_timebank_get(struct call *c);
void me_timebank_give(struct call *c);
void shelf_items_list(struct call *c);
void shelf_items_create(struct call *c);
void shelf_items_update(struct call *c);
void shelf_items_retire(struct call *c);
void me_redemptions_create(struct call *c);
void me_redemptions_list(struct call *c);
void me_redemptions_cancel(struct call *c);
void redemptions_list(struct call *c);
void redemptions_hand_over(struct call *c);
void redemptions_cancel(struct call *c);
/* end of time bank and rewards shelf */
/* earning: feedback (feedback.c, bonuses.c) */
/* The period asked by ?period= (default: the half-year of today); -1 answered (points.c). */
int period_or_reply(struct call *c, char out[8]);
struct region;
/* The region of ?region= (required) that the caller may do a to; 400 bad_query naming region otherwise, out of reach told as not there (points.c). */
int region_query_or_reply(struct call *c, enum action a, struct region *r);
void units_feedback_get(struct call *c);
void units_feedback_xlsx(struct call *c);
void feedback_units_get(struct call *c);
void members_feedback_comment(struct call *c);
void members_bonuses_create(struct call *c);
void members_bonuses_list(struct call *c);
/* end of feedback */
/* resources (资源清单) */
void resources_list(struct call *c);
void resources_create(struct call *c);
void resources_get(struct call *c);
void resources_update(struct call *c);
void resources_retire(struct call *c);
void communities_menu(struct call *c);
void accounts_large_font(struct call *c);
/* projects (项目清单) */
void projects_create(struct call *c);
void projects_get(struct call *c);
void projects_link(struct call *c);
void projects_note(struct call *c);
void projects_state(struct call *c);
void projects_list(struct call *c);
void projects_unlink(struct call *c);
/* end of resources and projects */
/* needs (需求清单) */
void needs_create(struct call *c);
void needs_list(struct call *c);
void needs_get(struct call *c);
void needs_accept(struct call *c);
void needs_refuse(struct call *c);
void needs_suggestions(struct call *c);
void needs_dispatch(struct call *c);
void needs_take(struct call *c);
void needs_answer(struct call *c);
void needs_decline(struct call *c);
void needs_start(struct call *c);
void needs_done(struct call *c);
void needs_confirm(struct call *c);
void needs_reopen(struct call *c);
void needs_withdraw(struct call *c);
void needs_renew(struct call *c);
void needs_convert(struct call *c);
void me_needs(struct call *c);
void me_tasks(struct call *c);
void me_open_needs(struct call *c);
/* end of needs */
/* micro-wishes (微心愿): wishes.c */
void wishes_create(struct call *c);
void wishes_list(struct call *c);
void wishes_get(struct call *c);
void wishes_approve(struct call *c);
void wishes_refuse(struct call *c);
void wishes_publish(struct call *c);
void wishes_claim(struct call *c);
void wishes_release(struct call *c);
void wishes_fulfil(struct call *c);
void wishes_confirm(struct call *c);
void wishes_bulk_approve(struct call *c);
/* wish_sheets.c */
void wishes_template(struct call *c);
void wishes_import(struct call *c);
void public_community_wishes(struct call *c);
void me_wishes(struct call *c);
void me_open_wishes(struct call *c);
/* end of micro-wishes */

/* households.c */
void community_households(struct call *c);
void building_households(struct call *c);
void building_households_generate(struct call *c);
void households_create(struct call *c);
void households_get(struct call *c);
void households_update(struct call *c);
void households_remove(struct call *c);
void households_resident_put(struct call *c);
void households_resident_delete(struct call *c);
/* household_sheets.c */
void households_template(struct call *c);
void community_households_import(struct call *c);

/* care.c: the care register (帮扶对象), pairings (结对), visits (走访), emergency board, 我的结对 */
void care_categories_list(struct call *c);
void care_categories_create(struct call *c);
void community_care(struct call *c);
void community_care_overdue(struct call *c);
void care_create(struct call *c);
void care_get_one(struct call *c);
void care_update_one(struct call *c);
void care_close_one(struct call *c);
void care_reveal_one(struct call *c);
void care_pairings_list(struct call *c);
void care_pairings_create(struct call *c);
void pairings_end(struct call *c);
void community_pairing_offers(struct call *c);
void pairing_offers_accept(struct call *c);
void pairing_offers_decline(struct call *c);
void care_visits_list(struct call *c);
void care_visits_create(struct call *c);
void me_pairing_offers_create(struct call *c);
void me_pairings(struct call *c);
void community_emergency_set(struct call *c);
void community_emergency_board(struct call *c);
/* care_sheets.c: the register as .xlsx; visits.c: one visit, its photos, a need or a wish made of it */
void community_care_export(struct call *c);
void visits_get(struct call *c);
void visits_photo_add(struct call *c);
void visits_photo_get(struct call *c);
void visits_photo_thumb(struct call *c);
void visits_photo_remove(struct call *c);
void visits_need_create(struct call *c);
void visits_wish_create(struct call *c);
/* campaigns.c, campaign_sheets.c */
void campaigns_list(struct call *c);
void campaigns_create(struct call *c);
void campaigns_get(struct call *c);
void campaigns_publish(struct call *c);
void campaigns_close(struct call *c);
void campaigns_buildings(struct call *c);
void campaigns_coverage(struct call *c);
void campaigns_mark(struct call *c);
void campaigns_export(struct call *c);
void campaign_stretch_suggestions(struct call *c);
void campaign_stretch_member(struct call *c);
void campaign_stretch_doors(struct call *c);
void campaign_stretch_done(struct call *c);
void me_campaign_stretches(struct call *c);
/* deliberations.c */
void community_deliberations(struct call *c);
void deliberations_create(struct call *c);
void deliberations_get(struct call *c);
void deliberations_update(struct call *c);
void deliberations_remove(struct call *c);
void deliberations_open(struct call *c);
void deliberations_close(struct call *c);
void deliberations_cancel(struct call *c);
void deliberations_minutes(struct call *c);
void deliberations_minutes_photo(struct call *c);
void deliberations_minutes_photo_get(struct call *c);
void deliberations_area(struct call *c);
void deliberations_votes(struct call *c);
void deliberations_paper_vote(struct call *c);
void me_deliberations(struct call *c);
void me_deliberations_vote(struct call *c);

/* duty rosters (值守/值班): duty.c */
void duty_posts_create(struct call *c);
void duty_posts_update(struct call *c);
void duty_posts_shifts(struct call *c);
void community_duty_week(struct call *c);
void duty_shifts_get(struct call *c);
void duty_shifts_signup(struct call *c);
void duty_shifts_assign(struct call *c);
void duty_shifts_close(struct call *c);
void duty_assignments_cancel(struct call *c);
void duty_assignments_checkin(struct call *c);
void duty_assignments_swap(struct call *c);
void duty_swaps_accept(struct call *c);
void duty_swaps_decline(struct call *c);
void duty_swaps_withdraw(struct call *c);
void duty_swaps_approve(struct call *c);
void duty_swaps_refuse(struct call *c);
void community_duty_swaps(struct call *c);
void community_duty_no_shows(struct call *c);
void me_shifts(struct call *c);
void me_duty_swaps(struct call *c);
void unit_duty_commit(struct call *c);
void unit_duty_rota(struct call *c);
/* QR check-in at a duty shift: duty_checkin.c */
void duty_shifts_code(struct call *c);
void duty_shifts_poster(struct call *c);
void me_shifts_checkin(struct call *c);
/* end of duty rosters */

/* cases (问题/诉求): cases.c */
void cases_create(struct call *c);
void cases_list(struct call *c);
void cases_get(struct call *c);
void cases_accept(struct call *c);
void cases_refuse(struct call *c);
void cases_assign(struct call *c);
void cases_update(struct call *c);
void cases_resolve(struct call *c);
void cases_follow_up(struct call *c);
void cases_rate(struct call *c);
void cases_reopen(struct call *c);
void cases_merge(struct call *c);
void cases_private(struct call *c);
void cases_photo_add(struct call *c);
void cases_photo_get(struct call *c);
void cases_photo_thumb(struct call *c);
void cases_photo_remove(struct call *c);
void me_cases(struct call *c);
void case_categories_list(struct call *c);
void public_community_cases(struct call *c);
void case_calendar_list(struct call *c);
void case_calendar_set(struct call *c);
/* Open311 GeoReport v2 (/open311/v2/) and its client keys: open311.c */
void open311_services(struct call *c);
void open311_services_xml(struct call *c);
void open311_service(struct call *c);
void open311_requests_post(struct call *c);
void open311_requests_get(struct call *c);
void open311_requests_xml(struct call *c);
void open311_request_get(struct call *c);
void open311_token_get(struct call *c);
void open311_keys_create(struct call *c);
void open311_keys_list(struct call *c);
void open311_keys_revoke(struct call *c);
/* notifications (通知): notify.c */
void me_notifications(struct call *c);
void me_notifications_read(struct call *c);
void me_notifications_read_all(struct call *c);
void me_notify_prefs_get(struct call *c);
void me_notify_prefs_put(struct call *c);
void community_notify_channel_get(struct call *c);
void community_notify_channel_put(struct call *c);
void community_outbox(struct call *c);
void outbox_list(struct call *c);
/* end of notifications */

#endif
