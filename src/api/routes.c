/* routes.c: the route table, and the dispatcher that checks CSRF, session and role before a handler runs */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/handlers.h"
#include "base/log.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "db/pool.h"
#include "domain/account.h"
#include "domain/session.h"
#include "http/router.h"
#include "http/static.h"

#define ANY ROLES_ANY
#define ADMIN_ORG (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORG))
#define REGION_EDITORS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define UNIT_READERS (ADMIN_ORG | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_UNIT))
#define MEMBER_READERS UNIT_READERS
#define MEMBER_ENTERERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_UNIT))
#define REVEALERS (ADMIN_ORG | ROLE_BIT(ROLE_STAFF))
#define AGREEMENT_READERS UNIT_READERS
#define AGREEMENT_WRITERS REVEALERS
#define ROSTER_KEEPERS (ADMIN_ORG | ROLE_BIT(ROLE_UNIT))
#define STATS_READERS REVEALERS /* the files of a region: admin, org, staff */
#define ACCOUNT_KEEPERS UNIT_READERS /* admin, org, staff, unit: each for the accounts in its reach */
#define ACCOUNT_OPENERS (ADMIN_ORG | ROLE_BIT(ROLE_STAFF))

enum { PUBLIC = 0 };

/* Spreadsheet uploads: 20,000 rows of a members sheet fit well within it. */
#define UPLOAD_LIMIT ((size_t)16 << 20)

static const struct route routes[] = {
	{ "POST", "/api/v1/session", session_login, PUBLIC, NULL, 0 },
	{ "DELETE", "/api/v1/session", session_logout, ANY, "session.logout", 0 },
	{ "GET", "/api/v1/me", me_get, ANY, NULL, 0 },
	{ "PUT", "/api/v1/me/password", me_password, ANY, "account.password", 0 },
	{ "GET", "/api/v1/regions", regions_list, ANY, NULL, 0 },
	{ "GET", "/api/v1/regions/{code}", regions_get, ANY, NULL, 0 },
	{ "PATCH", "/api/v1/regions/{code}", regions_rename, REGION_EDITORS, "region.rename", 0 },
	{ "DELETE", "/api/v1/regions/{code}", regions_delete, REGION_EDITORS, "region.delete", 0 },
	{ "GET", "/api/v1/regions/{code}/children", regions_children, ANY, NULL, 0 },
	{ "POST", "/api/v1/regions/{code}/children", regions_create, REGION_EDITORS, "region.create", 0 },
	{ "GET", "/api/v1/regions/{code}/ancestors", regions_ancestors, ANY, NULL, 0 },
	{ "GET", "/api/v1/units", units_list, UNIT_READERS, NULL, 0 },
	{ "POST", "/api/v1/units", units_create, ADMIN_ORG, "unit.create", 0 },
	{ "GET", "/api/v1/units/directory", units_directory, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/units/{id}", units_get, UNIT_READERS, NULL, 0 },
	{ "PUT", "/api/v1/units/{id}", units_update, ADMIN_ORG, "unit.update", 0 },
	{ "GET", "/api/v1/audit", audit_list_get, ADMIN_ORG, NULL, 0 },
	{ "GET", "/api/v1/specialties", specialties_list, ANY, NULL, 0 },
	{ "GET", "/api/v1/members", members_list, MEMBER_READERS, NULL, 0 },
	{ "POST", "/api/v1/members", members_create, MEMBER_ENTERERS, "member.create", 0 },
	{ "GET", "/api/v1/members/template.xlsx", members_template, MEMBER_ENTERERS, NULL, 0 },
	{ "GET", "/api/v1/members/export.xlsx", members_export, MEMBER_READERS, NULL, 0 },
	{ "POST", "/api/v1/members/import", members_import, MEMBER_ENTERERS, "member.import", UPLOAD_LIMIT },
	{ "GET", "/api/v1/members/{id}", members_get, MEMBER_READERS, NULL, 0 },
	{ "PUT", "/api/v1/members/{id}", members_update, REGION_EDITORS, "member.update", 0 },
	{ "POST", "/api/v1/members/{id}/reveal", members_reveal, REVEALERS, "member.reveal", 0 },
	{ "POST", "/api/v1/members/{id}/leave", members_leave, REGION_EDITORS, "registration.left", 0 },
	{ "GET", "/api/v1/registrations", registrations_list, MEMBER_READERS, NULL, 0 },
	{ "POST", "/api/v1/registrations/{id}/approve", registrations_approve, REGION_EDITORS, "registration.approved", 0 },
	{ "POST", "/api/v1/registrations/{id}/reject", registrations_reject, REGION_EDITORS, "registration.rejected", 0 },
	{ "POST", "/api/v1/registrations/approve", registrations_approve_many, REGION_EDITORS, "registration.approved", 0 },
	/* serving: activities, sign-ups, attendance (activities.c, signups.c, attendance.c) */
	{ "GET", "/api/v1/activities", activities_list, ANY, NULL, 0 },
	{ "POST", "/api/v1/activities", activities_create, ACTIVITY_RUNNERS, "activity.create", 0 },
	{ "GET", "/api/v1/activities/{id}", activities_get, ANY, NULL, 0 },
	{ "PUT", "/api/v1/activities/{id}", activities_update, ACTIVITY_RUNNERS, "activity.update", 0 },
	{ "POST", "/api/v1/activities/{id}/publish", activities_publish, ACTIVITY_RUNNERS, "activity.publish", 0 },
	{ "POST", "/api/v1/activities/{id}/cancel", activities_cancel, ACTIVITY_RUNNERS, "activity.cancel", 0 },
	{ "GET", "/api/v1/me/activities", me_activities, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/activities/{id}/signup", signups_join, ROLE_BIT(ROLE_MEMBER), "activity.signup", 0 },
	{ "DELETE", "/api/v1/activities/{id}/signup", signups_withdraw, ROLE_BIT(ROLE_MEMBER), "activity.unsign", 0 },
	{ "POST", "/api/v1/activities/{id}/leave", signups_ask_leave, ROLE_BIT(ROLE_MEMBER), "activity.leave", 0 },
	{ "GET", "/api/v1/activities/{id}/signups", signups_list, ANY, NULL, 0 },
	{ "POST", "/api/v1/activities/{id}/signups", signups_add, ACTIVITY_RUNNERS, "activity.signup", 0 },
	{ "POST", "/api/v1/signups/{id}/remove", signups_remove, ACTIVITY_RUNNERS, "activity.unsign", 0 },
	{ "POST", "/api/v1/signups/{id}/leave", signups_decide_leave, ACTIVITY_RUNNERS, "activity.leave_decide", 0 },
	{ "GET", "/api/v1/me/signups", me_signups, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/activities/{id}/checkin-code", attendance_code, ACTIVITY_RUNNERS, NULL, 0 },
	{ "GET", "/api/v1/activities/{id}/poster.svg", attendance_poster, ACTIVITY_RUNNERS, NULL, 0 },
	{ "POST", "/api/v1/activities/{id}/checkin", attendance_checkin, ROLE_BIT(ROLE_MEMBER), "activity.attendance", 0 },
	{ "POST", "/api/v1/activities/{id}/checkout", attendance_checkout, ROLE_BIT(ROLE_MEMBER), "activity.attendance", 0 },
	{ "POST", "/api/v1/signups/{id}/attendance", attendance_mark, ACTIVITY_RUNNERS, "activity.attendance", 0 },
	{ "GET", "/api/v1/activities/{id}/sheet", attendance_sheet, ANY, NULL, 0 },
	{ "POST", "/api/v1/activities/{id}/close", attendance_close_route, ACTIVITY_RUNNERS, "activity.close", 0 },
	{ "GET", "/api/v1/activities/{id}/sheet.xlsx", attendance_sheet_xlsx, ANY, NULL, 0 },
	{ "GET", "/api/v1/activities/{id}/sheet.html", attendance_sheet_print, ANY, NULL, 0 },
	{ "GET", "/api/v1/activities/{id}/share", activities_share, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/activities/{id}/calendar.ics", activities_calendar, PUBLIC, NULL, 0 },
	/* end of activities */
	{ "GET", "/api/v1/agreements", agreements_list, AGREEMENT_READERS, NULL, 0 },
	{ "POST", "/api/v1/agreements", agreements_create, AGREEMENT_WRITERS, "agreement.save", 0 },
	{ "GET", "/api/v1/agreements/{id}", agreements_get, AGREEMENT_READERS, NULL, 0 },
	{ "PUT", "/api/v1/agreements/{id}", agreements_update, AGREEMENT_WRITERS, "agreement.save", 0 },
	{ "GET", "/api/v1/units/{id}/roster", roster_get, ROSTER_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/units/{id}/roster", roster_upload, ROSTER_KEEPERS, "roster.upload", UPLOAD_LIMIT },
	{ "GET", "/api/v1/stats/regions/{code}", stats_region_get, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/stats/regions/{code}/children", stats_region_children, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/stats/regions/{code}/units", stats_region_units, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/stats/units/{id}", stats_unit_get, ROSTER_KEEPERS, NULL, 0 },
	/* the monthly figures the rollup keeps (stats_rollup.c): a region's trend and its children, a unit's */
	{ "GET", "/api/v1/stats/regions/{code}/months", stats_region_months_get, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/stats/regions/{code}/months.xlsx", stats_region_months_xlsx, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/stats/units/{id}/months", stats_unit_months_get, ROSTER_KEEPERS, NULL, 0 },
	/* members gone quiet (沉寂): quiet.c */
	{ "GET", "/api/v1/communities/{code}/quiet", community_quiet_list, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/quiet.xlsx", community_quiet_xlsx, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/units/{id}/quiet", unit_quiet_list, ROSTER_KEEPERS, NULL, 0 },
	{ "GET", "/api/v1/units/{id}/quiet.xlsx", unit_quiet_xlsx, ROSTER_KEEPERS, NULL, 0 },
	/* a community's work of today and its monthly report form: today.c */
	{ "GET", "/api/v1/communities/{code}/today", community_today_get, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/monthly-report", community_monthly_report_get, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/monthly-report.xlsx", community_monthly_report_xlsx, STATS_READERS, NULL, 0 },
	{ "POST", "/api/v1/members/{id}/account", members_open_account, MEMBER_ENTERERS, "account.create", 0 },
	{ "GET", "/api/v1/accounts", accounts_list, ACCOUNT_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/accounts", accounts_create, ACCOUNT_OPENERS, "account.create", 0 },
	{ "POST", "/api/v1/accounts/{id}/reset", accounts_reset, ACCOUNT_KEEPERS, "account.reset", 0 },
	{ "POST", "/api/v1/accounts/{id}/disable", accounts_disable, ACCOUNT_KEEPERS, "account.disable", 0 },
	{ "POST", "/api/v1/accounts/{id}/enable", accounts_enable, ACCOUNT_KEEPERS, "account.enable", 0 },
	{ "POST", "/api/v1/accounts/{id}/confirm", accounts_confirm, REGION_EDITORS, "account.confirm", 0 },
	{ "POST", "/api/v1/accounts/{id}/refuse", accounts_refuse, REGION_EDITORS, "account.refuse", 0 },
	{ "POST", "/api/v1/signup", signup_create, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/signup/communities", signup_communities, PUBLIC, NULL, 0 },
	{ "POST", "/api/v1/signup/codes", signup_codes_take, ACCOUNT_KEEPERS, "signup.code", 0 },
	{ "GET", "/api/v1/signup/codes/{code}", signup_code_show, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/signup/codes/{code}/qr.svg", signup_code_qr, PUBLIC, NULL, 0 },
	/* serving: the catalogue, posts and teams (catalog.c, posts.c, teams.c) */
#define SERVE_STAFF (ADMIN_ORG | ROLE_BIT(ROLE_STAFF)) /* posts and teams in the console */
	{ "GET", "/api/v1/catalog", catalog_list_get, ANY, NULL, 0 },
	{ "POST", "/api/v1/catalog", catalog_create_post, ADMIN_ORG, "catalog.create", 0 },
	{ "GET", "/api/v1/catalog/{id}", catalog_get, ANY, NULL, 0 },
	{ "PUT", "/api/v1/catalog/{id}", catalog_update_put, ADMIN_ORG, "catalog.update", 0 },
	{ "POST", "/api/v1/catalog/{id}/retire", catalog_retire_post, ADMIN_ORG, "catalog.retire", 0 },
	{ "POST", "/api/v1/catalog/{id}/restore", catalog_restore_post, ADMIN_ORG, "catalog.restore", 0 },
	{ "GET", "/api/v1/posts", posts_list, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/posts", posts_create, SERVE_STAFF, "post.create", 0 },
	{ "GET", "/api/v1/posts/{id}", posts_get, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "PUT", "/api/v1/posts/{id}", posts_update, SERVE_STAFF, "post.update", 0 },
	{ "POST", "/api/v1/posts/{id}/close", posts_close, SERVE_STAFF, "post.close", 0 },
	{ "POST", "/api/v1/posts/{id}/claims", posts_claim, ROLE_BIT(ROLE_MEMBER), "post.claim", 0 },
	{ "POST", "/api/v1/posts/{id}/service", posts_service, ROLE_BIT(ROLE_MEMBER), "post.service", 0 },
	{ "GET", "/api/v1/post-claims", post_claims_list, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/post-claims/{id}/approve", post_claims_approve, SERVE_STAFF, "post.approve", 0 },
	{ "POST", "/api/v1/post-claims/{id}/refuse", post_claims_refuse, SERVE_STAFF, "post.refuse", 0 },
	{ "POST", "/api/v1/post-claims/{id}/end", post_claims_end, SERVE_STAFF, "post.end", 0 },
	{ "GET", "/api/v1/me/posts", me_posts_get, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/me/posts/open", me_posts_open, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/me/posts/{id}/leave", me_posts_leave, ROLE_BIT(ROLE_MEMBER), "post.leave", 0 },
	{ "GET", "/api/v1/teams", teams_list, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/teams", teams_create, SERVE_STAFF, "team.create", 0 },
	{ "GET", "/api/v1/teams/{id}", teams_get, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "PUT", "/api/v1/teams/{id}", teams_update, SERVE_STAFF, "team.update", 0 },
	{ "POST", "/api/v1/teams/{id}/disband", teams_disband, SERVE_STAFF, "team.disband", 0 },
	{ "POST", "/api/v1/teams/{id}/join", teams_join, ROLE_BIT(ROLE_MEMBER), "team.join", 0 },
	{ "POST", "/api/v1/team-members/{id}/approve", team_members_approve, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER),
	  "team.approve", 0 },
	{ "POST", "/api/v1/team-members/{id}/refuse", team_members_refuse, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER),
	  "team.refuse", 0 },
	{ "POST", "/api/v1/team-members/{id}/remove", team_members_remove, SERVE_STAFF, "team.remove", 0 },
	{ "GET", "/api/v1/me/teams", me_teams_get, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/me/teams/open", me_teams_open, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/me/teams/{id}/leave", me_teams_leave, ROLE_BIT(ROLE_MEMBER), "team.leave", 0 },
	/* end of the catalogue, posts and teams */
	{ "GET", "/api/v1/me/member", me_member_get, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/me/registration", me_registration_create, ROLE_BIT(ROLE_MEMBER), "registration.submitted", 0 },
	{ "POST", "/api/v1/me/registration/withdraw", me_registration_withdraw, ROLE_BIT(ROLE_MEMBER),
	  "registration.withdrawn", 0 },
	{ "GET", "/api/v1/units/{id}/roster/export.xlsx", roster_export, ROSTER_KEEPERS, NULL, 0 },
	/* serving: service records and their photos (records.c) */
	{ "POST", "/api/v1/me/records", me_records_create, ROLE_BIT(ROLE_MEMBER), "record.create", 0 },
	{ "GET", "/api/v1/me/records", me_records_list, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/records", records_list, UNIT_READERS, NULL, 0 },
	{ "POST", "/api/v1/records", records_create, REGION_EDITORS, "record.create", 0 },
	{ "POST", "/api/v1/records/confirm", records_confirm_many, REGION_EDITORS, "record.confirm", 0 },
	{ "GET", "/api/v1/records/{id}", records_get, UNIT_READERS | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/records/{id}/minutes", records_minutes, REGION_EDITORS, "record.minutes", 0 },
	{ "POST", "/api/v1/records/{id}/confirm", records_confirm, REGION_EDITORS, "record.confirm", 0 },
	{ "POST", "/api/v1/records/{id}/reject", records_reject, REGION_EDITORS, "record.reject", 0 },
	{ "POST", "/api/v1/records/{id}/withdraw", records_withdraw, ROLE_BIT(ROLE_MEMBER), "record.withdraw", 0 },
	{ "POST", "/api/v1/records/{id}/corrections", records_correct, REGION_EDITORS, "record.corrected", 0 },
	{ "POST", "/api/v1/records/{id}/requests", records_ask, ROLE_BIT(ROLE_MEMBER), "record.ask", 0 },
	{ "POST", "/api/v1/records/{id}/photos", records_photo_add, REGION_EDITORS | ROLE_BIT(ROLE_MEMBER), "record.photo",
	  PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/records/{id}/photos/{pid}", records_photo_get, UNIT_READERS | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "DELETE", "/api/v1/records/{id}/photos/{pid}", records_photo_remove, REGION_EDITORS | ROLE_BIT(ROLE_MEMBER),
	  "record.photo_remove", 0 },
	{ "GET", "/api/v1/records/{id}/photos/{pid}/thumb", records_photo_thumb, UNIT_READERS | ROLE_BIT(ROLE_MEMBER),
	  NULL, 0 },
	{ "GET", "/api/v1/record-requests", record_requests_list, UNIT_READERS, NULL, 0 },
	{ "POST", "/api/v1/record-requests/{id}/accept", record_requests_accept, REGION_EDITORS, "record.accept", 0 },
	{ "POST", "/api/v1/record-requests/{id}/decline", record_requests_decline, REGION_EDITORS, "record.decline", 0 },
	/* end of records */
	/* earning: points, rankings, rules (points.c, rules.c) */
	{ "GET", "/api/v1/me/points", me_points_get, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/me/points/history", me_points_history, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/members/{id}/points", members_points_get, MEMBER_READERS, NULL, 0 },
	{ "GET", "/api/v1/members/{id}/points/history", members_points_history, MEMBER_READERS, NULL, 0 },
	{ "GET", "/api/v1/standings", standings_list, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/rules", rules_list, STATS_READERS, NULL, 0 },
	{ "POST", "/api/v1/rules", rules_create, ADMIN_ORG, "rule.create", 0 },
	{ "POST", "/api/v1/rules/preview", rules_preview, ADMIN_ORG, NULL, 0 },
	{ "GET", "/api/v1/admin/ledger/verify", ledger_verify_get, ROLE_BIT(ROLE_ADMIN), NULL, 0 },
	/* end of earning */
	/* earning: certificates (certificates.c) */
	{ "POST", "/api/v1/me/certificate-requests", me_certificate_requests_create, ROLE_BIT(ROLE_MEMBER),
	  "certificate.ask", 0 },
	{ "GET", "/api/v1/me/certificates", me_certificates_list, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/certificate-requests", certificate_requests_list, REGION_EDITORS, NULL, 0 },
	{ "POST", "/api/v1/certificate-requests/{id}/issue", certificate_requests_issue, REGION_EDITORS,
	  "certificate.issue", 0 },
	{ "POST", "/api/v1/certificate-requests/{id}/decline", certificate_requests_decline, REGION_EDITORS,
	  "certificate.decline", 0 },
	{ "GET", "/api/v1/certificates", certificates_list, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/certificates/{id}", certificates_get, STATS_READERS | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/certificates/{id}/revoke", certificates_revoke, REGION_EDITORS, "certificate.revoke", 0 },
	{ "GET", "/api/v1/certificates/{id}/qr.png", certificates_qr, STATS_READERS | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/public/certificates/{code}", public_certificates_get, PUBLIC, NULL, 0 },
	/* end of certificates */
	/* earning: publication (publications.c) */
	{ "POST", "/api/v1/publications", publications_create, STATS_READERS, "publication.freeze", 0 },
	{ "GET", "/api/v1/publications", publications_list, STATS_READERS, NULL, 0 },
	{ "GET", "/api/v1/publications/{id}", publications_get, STATS_READERS, NULL, 0 },
	{ "POST", "/api/v1/publications/{id}/republish", publications_republish, STATS_READERS, "publication.republish", 0 },
	{ "GET", "/api/v1/publications/{id}/verify", publications_verify, STATS_READERS, NULL, 0 },
	{ "POST", "/api/v1/publications/{id}/objections", publications_object, ROLE_BIT(ROLE_MEMBER), "objection.create", 0 },
	{ "GET", "/api/v1/me/objections", me_objections, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/objections/{id}/answer", objections_answer, REGION_EDITORS, "objection.answer", 0 },
	{ "GET", "/api/v1/public/publications/{id}", public_publication_get, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/public/publications/{id}/qr.svg", public_publication_qr, PUBLIC, NULL, 0 },
	/* end of publication */
	/* earning: time bank and rewards shelf (timebank.c, shelf.c) */
#define SHELF_READERS (ADMIN_ORG | ROLE_BIT(ROLE_STAFF))
	{ "GET", "/api/v1/me/timebank", me_timebank_get, ROLE_BIT(ROLE_MEMBER) | ROLE_BIT(ROLE_RESIDENT), NULL, 0 },
	{ "POST", "/api/v1/me/timebank/gifts", me_timebank_give, ROLE_BIT(ROLE_MEMBER), "gift.create", 0 },
	{ "GET", "/api/v1/shelf-items", shelf_items_list, SHELF_READERS | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/shelf-items", shelf_items_create, REGION_EDITORS, "shelf_item.create", 0 },
	{ "PUT", "/api/v1/shelf-items/{id}", shelf_items_update, REGION_EDITORS, "shelf_item.update", 0 },
	{ "POST", "/api/v1/shelf-items/{id}/retire", shelf_items_retire, REGION_EDITORS, "shelf_item.retire", 0 },
	{ "POST", "/api/v1/me/redemptions", me_redemptions_create, ROLE_BIT(ROLE_MEMBER), "redemption.create", 0 },
	{ "GET", "/api/v1/me/redemptions", me_redemptions_list, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/me/redemptions/{id}/cancel", me_redemptions_cancel, ROLE_BIT(ROLE_MEMBER), "redemption.cancel", 0 },
	{ "GET", "/api/v1/redemptions", redemptions_list, SHELF_READERS, NULL, 0 },
	{ "POST", "/api/v1/redemptions/{id}/handover", redemptions_hand_over, REGION_EDITORS, "redemption.handover", 0 },
	{ "POST", "/api/v1/redemptions/{id}/cancel", redemptions_cancel, REGION_EDITORS, "redemption.cancel", 0 },
	/* end of time bank and rewards shelf */
	/* earning: feedback (feedback.c, bonuses.c) */
	{ "GET", "/api/v1/units/{id}/feedback", units_feedback_get, ROSTER_KEEPERS | ROLE_BIT(ROLE_STAFF), NULL, 0 },
	{ "GET", "/api/v1/units/{id}/feedback.xlsx", units_feedback_xlsx, ROSTER_KEEPERS | ROLE_BIT(ROLE_STAFF), NULL, 0 },
	{ "GET", "/api/v1/feedback/units", feedback_units_get, ADMIN_ORG, NULL, 0 },
	{ "PUT", "/api/v1/members/{id}/feedback-comments/{period}", members_feedback_comment, REGION_EDITORS,
	  "feedback.comment", 0 },
	{ "POST", "/api/v1/members/{id}/bonuses", members_bonuses_create, REGION_EDITORS, "bonus.give", 0 },
	{ "GET", "/api/v1/members/{id}/bonuses", members_bonuses_list, MEMBER_READERS, NULL, 0 },
	/* end of feedback */
	/* resources (资源清单): resources.c */
#define RESOURCE_PEOPLE (ADMIN_ORG | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_MEMBER))
	{ "GET", "/api/v1/resources", resources_list, RESOURCE_PEOPLE, NULL, 0 },
	{ "POST", "/api/v1/resources", resources_create, RESOURCE_PEOPLE, "resource.create", 0 },
	{ "GET", "/api/v1/resources/{id}", resources_get, RESOURCE_PEOPLE, NULL, 0 },
	{ "PATCH", "/api/v1/resources/{id}", resources_update, RESOURCE_PEOPLE, "resource.update", 0 },
	{ "POST", "/api/v1/resources/{id}/retire", resources_retire, RESOURCE_PEOPLE, "resource.retire", 0 },
	{ "GET", "/api/v1/communities/{code}/menu", communities_menu, RESOURCE_PEOPLE | ROLE_BIT(ROLE_RESIDENT), NULL, 0 },
	{ "POST", "/api/v1/accounts/{id}/large-font", accounts_large_font, ACCOUNT_OPENERS, "account.large_font", 0 },
	/* projects (项目清单): projects.c */
	{ "POST", "/api/v1/projects", projects_create, SERVE_STAFF, "project.create", 0 },
	{ "GET", "/api/v1/projects/{id}", projects_get, RESOURCE_PEOPLE | ROLE_BIT(ROLE_RESIDENT), NULL, 0 },
	{ "POST", "/api/v1/projects/{id}/links", projects_link, SERVE_STAFF, "project.link", 0 },
	{ "POST", "/api/v1/projects/{id}/notes", projects_note, SERVE_STAFF, "project.note", 0 },
	{ "POST", "/api/v1/projects/{id}/state", projects_state, SERVE_STAFF, "project.state", 0 },
	{ "GET", "/api/v1/projects", projects_list, SERVE_STAFF, NULL, 0 },
	{ "DELETE", "/api/v1/projects/{id}/links/{link_id}", projects_unlink, SERVE_STAFF, "project.unlink", 0 },
	/* end of resources and projects */
	/* needs (需求清单): needs.c, need_tasks.c */
#define NEED_STAFF (SERVE_STAFF | ROLE_BIT(ROLE_RESIDENT)) /* staff, and the resident for their own */
#define NEED_HOLDERS (ROLE_BIT(ROLE_MEMBER) | ROLE_BIT(ROLE_UNIT))
	{ "POST", "/api/v1/needs", needs_create, NEED_STAFF, "need.create", 0 },
	{ "GET", "/api/v1/needs", needs_list, SERVE_STAFF, NULL, 0 },
	{ "GET", "/api/v1/needs/{id}", needs_get, ROLES_ANY, NULL, 0 },
	{ "POST", "/api/v1/needs/{id}/accept", needs_accept, SERVE_STAFF, "need.accept", 0 },
	{ "POST", "/api/v1/needs/{id}/refuse", needs_refuse, SERVE_STAFF, "need.refuse", 0 },
	{ "GET", "/api/v1/needs/{id}/suggestions", needs_suggestions, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/needs/{id}/dispatch", needs_dispatch, SERVE_STAFF, "need.dispatch", 0 },
	{ "POST", "/api/v1/needs/{id}/take", needs_take, NEED_HOLDERS, "need.take", 0 },
	{ "POST", "/api/v1/needs/{id}/answer", needs_answer, NEED_HOLDERS, "need.answer", 0 },
	{ "POST", "/api/v1/needs/{id}/decline", needs_decline, NEED_HOLDERS, "need.decline", 0 },
	{ "POST", "/api/v1/needs/{id}/start", needs_start, NEED_HOLDERS, "need.start", 0 },
	{ "POST", "/api/v1/needs/{id}/done", needs_done, NEED_HOLDERS, "need.done", 0 },
	{ "POST", "/api/v1/needs/{id}/confirm", needs_confirm, NEED_STAFF, "need.confirm", 0 },
	{ "POST", "/api/v1/needs/{id}/reopen", needs_reopen, NEED_STAFF, "need.reopen", 0 },
	{ "POST", "/api/v1/needs/{id}/withdraw", needs_withdraw, NEED_STAFF, "need.withdraw", 0 },
	{ "POST", "/api/v1/needs/{id}/renew", needs_renew, SERVE_STAFF, "need.renew", 0 },
	{ "POST", "/api/v1/needs/{id}/convert", needs_convert, SERVE_STAFF, "need.convert", 0 },
	/* photos of needs (list_photos.c): ?stage=ask for staff and the resident, ?stage=done for its holder */
	{ "POST", "/api/v1/needs/{id}/photos", needs_photo_add, NEED_STAFF | NEED_HOLDERS, "need.photo", PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/needs/{id}/photos/{pid}", needs_photo_get, ROLES_ANY, NULL, 0 },
	{ "GET", "/api/v1/needs/{id}/photos/{pid}/thumb", needs_photo_thumb, ROLES_ANY, NULL, 0 },
	{ "DELETE", "/api/v1/needs/{id}/photos/{pid}", needs_photo_remove, NEED_STAFF | NEED_HOLDERS, "need.photo_remove",
	  0 },
	{ "GET", "/api/v1/me/needs", me_needs, ROLE_BIT(ROLE_RESIDENT), NULL, 0 },
	{ "GET", "/api/v1/me/tasks", me_tasks, NEED_HOLDERS, NULL, 0 },
	{ "GET", "/api/v1/me/open-needs", me_open_needs, NEED_HOLDERS, NULL, 0 },
	/* end of needs */
	/* cases (问题/诉求): cases.c; the reporter (a resident, a member) for their own, staff for their communities */
#define CASE_PEOPLE (SERVE_STAFF | ROLE_BIT(ROLE_RESIDENT) | ROLE_BIT(ROLE_MEMBER))
	{ "POST", "/api/v1/cases", cases_create, CASE_PEOPLE, "case.report", 0 },
	{ "GET", "/api/v1/cases", cases_list, SERVE_STAFF, NULL, 0 },
	{ "GET", "/api/v1/cases/{id}", cases_get, CASE_PEOPLE, NULL, 0 },
	{ "POST", "/api/v1/cases/{id}/accept", cases_accept, SERVE_STAFF, "case.accept", 0 },
	{ "POST", "/api/v1/cases/{id}/refuse", cases_refuse, SERVE_STAFF, "case.refuse", 0 },
	{ "POST", "/api/v1/cases/{id}/assign", cases_assign, SERVE_STAFF, "case.assign", 0 },
	{ "POST", "/api/v1/cases/{id}/updates", cases_update, SERVE_STAFF, "case.update", 0 },
	{ "POST", "/api/v1/cases/{id}/resolve", cases_resolve, SERVE_STAFF, "case.resolve", 0 },
	{ "POST", "/api/v1/cases/{id}/follow-up", cases_follow_up, SERVE_STAFF, "case.follow_up", 0 },
	{ "POST", "/api/v1/cases/{id}/rate", cases_rate, CASE_PEOPLE, "case.rate", 0 },
	{ "POST", "/api/v1/cases/{id}/reopen", cases_reopen, CASE_PEOPLE, "case.reopen", 0 },
	{ "POST", "/api/v1/cases/{id}/merge", cases_merge, SERVE_STAFF, "case.merge", 0 },
	{ "PUT", "/api/v1/cases/{id}/private", cases_private, CASE_PEOPLE, "case.private", 0 },
	{ "POST", "/api/v1/cases/{id}/photos", cases_photo_add, CASE_PEOPLE, "case.photo", PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/cases/{id}/photos/{pid}", cases_photo_get, CASE_PEOPLE, NULL, 0 },
	{ "GET", "/api/v1/cases/{id}/photos/{pid}/thumb", cases_photo_thumb, CASE_PEOPLE, NULL, 0 },
	{ "DELETE", "/api/v1/cases/{id}/photos/{pid}", cases_photo_remove, CASE_PEOPLE, "case.photo_remove", 0 },
	{ "GET", "/api/v1/me/cases", me_cases, ROLE_BIT(ROLE_RESIDENT) | ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "GET", "/api/v1/case-categories", case_categories_list, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/public/communities/{code}/cases", public_community_cases, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/case-calendar", case_calendar_list, ANY, NULL, 0 },
	{ "PUT", "/api/v1/case-calendar/{day}", case_calendar_set, ROLE_BIT(ROLE_ADMIN), "case.calendar", 0 },
	/* end of cases */
	/* Open311 GeoReport v2 over cases (open311.c): a client posts with its api_key, not a session */
	{ "GET", "/open311/v2/services.json", open311_services, PUBLIC, NULL, 0 },
	{ "GET", "/open311/v2/services.xml", open311_services_xml, PUBLIC, NULL, 0 },
	{ "GET", "/open311/v2/services/{code}", open311_service, PUBLIC, NULL, 0 },
	{ "POST", "/open311/v2/requests.json", open311_requests_post, PUBLIC, "open311.report", 0 },
	{ "GET", "/open311/v2/requests.json", open311_requests_get, PUBLIC, NULL, 0 },
	{ "GET", "/open311/v2/requests.xml", open311_requests_xml, PUBLIC, NULL, 0 },
	{ "GET", "/open311/v2/requests/{id}", open311_request_get, PUBLIC, NULL, 0 },
	{ "GET", "/open311/v2/tokens/{token}", open311_token_get, PUBLIC, NULL, 0 },
	{ "POST", "/api/v1/open311-keys", open311_keys_create, ROLE_BIT(ROLE_ADMIN), "open311.key_issue", 0 },
	{ "GET", "/api/v1/open311-keys", open311_keys_list, ROLE_BIT(ROLE_ADMIN), NULL, 0 },
	{ "DELETE", "/api/v1/open311-keys/{id}", open311_keys_revoke, ROLE_BIT(ROLE_ADMIN), "open311.key_revoke", 0 },
	/* end of Open311 */
	/* micro-wishes (微心愿): wishes.c */
#define WISH_CLAIMERS (ROLE_BIT(ROLE_MEMBER) | ROLE_BIT(ROLE_UNIT))
	{ "POST", "/api/v1/wishes", wishes_create, SERVE_STAFF, "wish.create", 0 },
	{ "GET", "/api/v1/wishes", wishes_list, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/wishes/bulk-approve", wishes_bulk_approve, SERVE_STAFF, "wish.approve", 0 },
	{ "GET", "/api/v1/wishes/template.xlsx", wishes_template, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/wishes/import", wishes_import, SERVE_STAFF, "wish.import", UPLOAD_LIMIT },
	{ "GET", "/api/v1/wishes/{id}", wishes_get, ANY, NULL, 0 },
	{ "POST", "/api/v1/wishes/{id}/approve", wishes_approve, SERVE_STAFF, "wish.approve", 0 },
	{ "POST", "/api/v1/wishes/{id}/refuse", wishes_refuse, SERVE_STAFF, "wish.refuse", 0 },
	{ "POST", "/api/v1/wishes/{id}/publish", wishes_publish, SERVE_STAFF, "wish.publish", 0 },
	{ "POST", "/api/v1/wishes/{id}/claim", wishes_claim, WISH_CLAIMERS, "wish.claim", 0 },
	{ "POST", "/api/v1/wishes/{id}/release", wishes_release, SERVE_STAFF | WISH_CLAIMERS, "wish.release", 0 },
	{ "POST", "/api/v1/wishes/{id}/fulfil", wishes_fulfil, WISH_CLAIMERS, "wish.fulfil", 0 },
	{ "POST", "/api/v1/wishes/{id}/confirm", wishes_confirm, ANY, "wish.confirm", 0 },
	/* photos of wishes (list_photos.c): ?stage=ask for staff, ?stage=done (圆梦) for its claimer */
	{ "POST", "/api/v1/wishes/{id}/photos", wishes_photo_add, SERVE_STAFF | WISH_CLAIMERS, "wish.photo",
	  PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/wishes/{id}/photos/{pid}", wishes_photo_get, ANY, NULL, 0 },
	{ "GET", "/api/v1/wishes/{id}/photos/{pid}/thumb", wishes_photo_thumb, ANY, NULL, 0 },
	{ "DELETE", "/api/v1/wishes/{id}/photos/{pid}", wishes_photo_remove, SERVE_STAFF | WISH_CLAIMERS,
	  "wish.photo_remove", 0 },
	{ "GET", "/api/v1/public/communities/{code}/wishes", public_community_wishes, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/public/wishes/{id}/photos/{pid}/thumb", public_wish_photo_thumb, PUBLIC, NULL, 0 },
	{ "GET", "/api/v1/me/wishes", me_wishes, ANY, NULL, 0 },
	{ "GET", "/api/v1/me/open-wishes", me_open_wishes, WISH_CLAIMERS, NULL, 0 },
	/* end of micro-wishes */
	/* households (户) of a community's buildings: households.c */
#define HOUSEHOLD_KEEPERS REGION_EDITORS
	{ "GET", "/api/v1/communities/{code}/households", community_households, HOUSEHOLD_KEEPERS, NULL, 0 },
	{ "GET", "/api/v1/buildings/{code}/households", building_households, HOUSEHOLD_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/buildings/{code}/households/generate", building_households_generate, HOUSEHOLD_KEEPERS,
	  "household.generate", 0 },
	{ "POST", "/api/v1/households", households_create, HOUSEHOLD_KEEPERS, "household.create", 0 },
	/* from a spreadsheet: household_sheets.c */
	{ "GET", "/api/v1/households/template.xlsx", households_template, HOUSEHOLD_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/communities/{code}/households/import", community_households_import, HOUSEHOLD_KEEPERS,
	  "household.import", UPLOAD_LIMIT },
	{ "GET", "/api/v1/households/{id}", households_get, HOUSEHOLD_KEEPERS, NULL, 0 },
	{ "PATCH", "/api/v1/households/{id}", households_update, HOUSEHOLD_KEEPERS, "household.update", 0 },
	{ "DELETE", "/api/v1/households/{id}", households_remove, HOUSEHOLD_KEEPERS, "household.remove", 0 },
	{ "PUT", "/api/v1/households/{id}/residents/{account}", households_resident_put, HOUSEHOLD_KEEPERS,
	  "account.household", 0 },
	{ "DELETE", "/api/v1/households/{id}/residents/{account}", households_resident_delete, HOUSEHOLD_KEEPERS,
	  "account.household_leave", 0 },
	/* end of households */
	/* the care register (帮扶对象), pairings, visits: care.c */
#define CARE_KEEPERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
	{ "GET", "/api/v1/care-categories", care_categories_list, CARE_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/care-categories", care_categories_create, ROLE_BIT(ROLE_ADMIN), "care_category.create", 0 },
	{ "GET", "/api/v1/communities/{code}/care", community_care, CARE_KEEPERS, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/care/overdue", community_care_overdue, CARE_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/care", care_create, CARE_KEEPERS, "care.create", 0 },
	{ "GET", "/api/v1/care/{id}", care_get_one, CARE_KEEPERS, NULL, 0 },
	{ "PATCH", "/api/v1/care/{id}", care_update_one, CARE_KEEPERS, "care.update", 0 },
	{ "POST", "/api/v1/care/{id}/close", care_close_one, CARE_KEEPERS, "care.close", 0 },
	{ "POST", "/api/v1/care/{id}/reveal", care_reveal_one, CARE_KEEPERS, "care.reveal", 0 },
	{ "GET", "/api/v1/care/{id}/pairings", care_pairings_list, CARE_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/care/{id}/pairings", care_pairings_create, CARE_KEEPERS, "pairing.create", 0 },
	{ "POST", "/api/v1/pairings/{id}/end", pairings_end, CARE_KEEPERS, "pairing.end", 0 },
	{ "GET", "/api/v1/communities/{code}/pairing-offers", community_pairing_offers, CARE_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/pairing-offers/{id}/accept", pairing_offers_accept, CARE_KEEPERS, "pairing.accept", 0 },
	{ "POST", "/api/v1/pairing-offers/{id}/decline", pairing_offers_decline, CARE_KEEPERS, "pairing.decline", 0 },
	{ "GET", "/api/v1/care/{id}/visits", care_visits_list, CARE_KEEPERS, NULL, 0 },
	{ "POST", "/api/v1/care/{id}/visits", care_visits_create, CARE_KEEPERS | ROLE_BIT(ROLE_MEMBER), "visit.create", 0 },
	{ "POST", "/api/v1/me/pairing-offers", me_pairing_offers_create, ROLE_BIT(ROLE_MEMBER), "pairing.offer", 0 },
	{ "GET", "/api/v1/me/pairings", me_pairings, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	{ "POST", "/api/v1/communities/{code}/emergency", community_emergency_set, CARE_KEEPERS, "care.emergency", 0 },
	{ "GET", "/api/v1/communities/{code}/emergency/board", community_emergency_board, CARE_KEEPERS, NULL, 0 },
	/* the register as .xlsx (care_sheets.c); one visit, its photos, needs and wishes made of it (visits.c): the
	   handlers answer 404 to whoever is neither the community's staff, the visit's author nor a paired member */
	{ "POST", "/api/v1/communities/{code}/care/export", community_care_export, CARE_KEEPERS, "care.export", 0 },
	{ "GET", "/api/v1/visits/{id}", visits_get, ANY, NULL, 0 },
	{ "POST", "/api/v1/visits/{id}/photos", visits_photo_add, ANY, "visit.photo", PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/visits/{id}/photos/{pid}", visits_photo_get, ANY, NULL, 0 },
	{ "GET", "/api/v1/visits/{id}/photos/{pid}/thumb", visits_photo_thumb, ANY, NULL, 0 },
	{ "DELETE", "/api/v1/visits/{id}/photos/{pid}", visits_photo_remove, ANY, "visit.photo_remove", 0 },
	{ "POST", "/api/v1/visits/{id}/need", visits_need_create, ANY, "visit.need", 0 },
	{ "POST", "/api/v1/visits/{id}/wish", visits_wish_create, ANY, "visit.wish", 0 },
	/* end of the care register */
	/* door-to-door campaigns (入户走访, 一户不落): campaigns.c, campaign_sheets.c */
	{ "GET", "/api/v1/campaigns", campaigns_list, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/campaigns", campaigns_create, SERVE_STAFF, "campaign.create", 0 },
	{ "GET", "/api/v1/campaigns/{id}", campaigns_get, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/campaigns/{id}/publish", campaigns_publish, SERVE_STAFF, "campaign.publish", 0 },
	{ "POST", "/api/v1/campaigns/{id}/close", campaigns_close, SERVE_STAFF, "campaign.close", 0 },
	{ "POST", "/api/v1/campaigns/{id}/buildings", campaigns_buildings, SERVE_STAFF, "campaign.buildings", 0 },
	{ "GET", "/api/v1/campaigns/{id}/coverage", campaigns_coverage, SERVE_STAFF, NULL, 0 },
	{ "GET", "/api/v1/campaigns/{id}/export.xlsx", campaigns_export, SERVE_STAFF, NULL, 0 },
	{ "POST", "/api/v1/campaigns/{id}/households/{hid}/marks", campaigns_mark, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER),
	  "campaign.mark", 0 },
	{ "GET", "/api/v1/campaign-stretches/{id}/suggestions", campaign_stretch_suggestions, SERVE_STAFF, NULL, 0 },
	{ "PUT", "/api/v1/campaign-stretches/{id}/member", campaign_stretch_member, SERVE_STAFF, "campaign.assign", 0 },
	{ "GET", "/api/v1/campaign-stretches/{id}/doors", campaign_stretch_doors, SERVE_STAFF | ROLE_BIT(ROLE_MEMBER),
	  NULL, 0 },
	{ "POST", "/api/v1/campaign-stretches/{id}/done", campaign_stretch_done, ROLE_BIT(ROLE_MEMBER), "campaign.walk",
	  0 },
	{ "GET", "/api/v1/me/campaign-stretches", me_campaign_stretches, ROLE_BIT(ROLE_MEMBER), NULL, 0 },
	/* end of campaigns */
	/* residents' deliberations (居民议事): deliberations.c */
#define DELIB_STAFF REGION_EDITORS /* the community's staff, and the administrator */
	{ "GET", "/api/v1/communities/{code}/deliberations", community_deliberations, DELIB_STAFF, NULL, 0 },
	{ "POST", "/api/v1/deliberations", deliberations_create, DELIB_STAFF, "deliberation.create", 0 },
	{ "GET", "/api/v1/deliberations/{id}", deliberations_get, DELIB_STAFF, NULL, 0 },
	{ "PATCH", "/api/v1/deliberations/{id}", deliberations_update, DELIB_STAFF, "deliberation.update", 0 },
	{ "DELETE", "/api/v1/deliberations/{id}", deliberations_remove, DELIB_STAFF, "deliberation.remove", 0 },
	{ "POST", "/api/v1/deliberations/{id}/open", deliberations_open, DELIB_STAFF, "deliberation.open", 0 },
	{ "POST", "/api/v1/deliberations/{id}/close", deliberations_close, DELIB_STAFF, "deliberation.close", 0 },
	{ "POST", "/api/v1/deliberations/{id}/cancel", deliberations_cancel, DELIB_STAFF, "deliberation.cancel", 0 },
	{ "PUT", "/api/v1/deliberations/{id}/minutes", deliberations_minutes, DELIB_STAFF, "deliberation.minutes", 0 },
	{ "POST", "/api/v1/deliberations/{id}/minutes/photo", deliberations_minutes_photo, DELIB_STAFF,
	  "deliberation.minutes_photo", PHOTO_BYTES_MAX },
	{ "GET", "/api/v1/deliberations/{id}/minutes/photo", deliberations_minutes_photo_get, DELIB_STAFF, NULL, 0 },
	{ "PUT", "/api/v1/deliberations/{id}/households/{hid}/area", deliberations_area, DELIB_STAFF,
	  "deliberation.area", 0 },
	{ "GET", "/api/v1/deliberations/{id}/votes", deliberations_votes, DELIB_STAFF, NULL, 0 },
	{ "POST", "/api/v1/deliberations/{id}/paper-votes", deliberations_paper_vote, DELIB_STAFF, "deliberation.vote",
	  0 },
	{ "GET", "/api/v1/me/deliberations", me_deliberations, ROLE_BIT(ROLE_RESIDENT), NULL, 0 },
	{ "POST", "/api/v1/me/deliberations/{id}/vote", me_deliberations_vote, ROLE_BIT(ROLE_RESIDENT),
	  "deliberation.vote", 0 },
	/* end of deliberations */
	/* duty rosters (值守/值班): duty.c */
#define DUTY_STAFF REGION_EDITORS /* admin, and staff in their community */
#define DUTY_MEMBERS ROLE_BIT(ROLE_MEMBER)
#define DUTY_UNITS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_UNIT))
	{ "POST", "/api/v1/communities/{code}/duty-posts", duty_posts_create, DUTY_STAFF, "duty.post_create", 0 },
	{ "PATCH", "/api/v1/duty-posts/{id}", duty_posts_update, DUTY_STAFF, "duty.post_update", 0 },
	{ "POST", "/api/v1/duty-posts/{id}/shifts", duty_posts_shifts, DUTY_STAFF, "duty.shifts_create", 0 },
	{ "GET", "/api/v1/communities/{code}/duty", community_duty_week, DUTY_STAFF | DUTY_MEMBERS, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/duty-swaps", community_duty_swaps, DUTY_STAFF, NULL, 0 },
	{ "GET", "/api/v1/communities/{code}/duty-no-shows", community_duty_no_shows, DUTY_STAFF, NULL, 0 },
	{ "GET", "/api/v1/duty-shifts/{id}", duty_shifts_get, DUTY_STAFF | DUTY_MEMBERS, NULL, 0 },
	{ "POST", "/api/v1/duty-shifts/{id}/signup", duty_shifts_signup, DUTY_MEMBERS, "duty.signup", 0 },
	{ "POST", "/api/v1/duty-shifts/{id}/assign", duty_shifts_assign, DUTY_STAFF, "duty.assign", 0 },
	{ "POST", "/api/v1/duty-shifts/{id}/close", duty_shifts_close, DUTY_STAFF, "duty.close", 0 },
	{ "POST", "/api/v1/duty-assignments/{id}/cancel", duty_assignments_cancel, DUTY_STAFF | DUTY_MEMBERS,
	  "duty.cancel", 0 },
	{ "POST", "/api/v1/duty-assignments/{id}/checkin", duty_assignments_checkin, DUTY_STAFF, "duty.checkin", 0 },
	{ "POST", "/api/v1/duty-assignments/{id}/swaps", duty_assignments_swap, DUTY_MEMBERS, "duty.swap_ask", 0 },
	{ "POST", "/api/v1/duty-swaps/{id}/accept", duty_swaps_accept, DUTY_MEMBERS, "duty.swap_accept", 0 },
	{ "POST", "/api/v1/duty-swaps/{id}/decline", duty_swaps_decline, DUTY_MEMBERS, "duty.swap_decline", 0 },
	{ "POST", "/api/v1/duty-swaps/{id}/withdraw", duty_swaps_withdraw, DUTY_MEMBERS, "duty.swap_withdraw", 0 },
	{ "POST", "/api/v1/duty-swaps/{id}/approve", duty_swaps_approve, DUTY_STAFF, "duty.swap_approve", 0 },
	{ "POST", "/api/v1/duty-swaps/{id}/refuse", duty_swaps_refuse, DUTY_STAFF, "duty.swap_refuse", 0 },
	{ "GET", "/api/v1/me/shifts", me_shifts, DUTY_MEMBERS, NULL, 0 },
	{ "GET", "/api/v1/me/duty-swaps", me_duty_swaps, DUTY_MEMBERS, NULL, 0 },
	{ "POST", "/api/v1/units/{id}/duty-commitments", unit_duty_commit, DUTY_UNITS, "duty.commit", 0 },
	{ "GET", "/api/v1/units/{id}/duty", unit_duty_rota, DUTY_UNITS, NULL, 0 },
	/* QR check-in at a duty shift: duty_checkin.c */
	{ "GET", "/api/v1/duty-shifts/{id}/code", duty_shifts_code, DUTY_STAFF, NULL, 0 },
	{ "GET", "/api/v1/duty-shifts/{id}/poster.svg", duty_shifts_poster, DUTY_STAFF, NULL, 0 },
	{ "POST", "/api/v1/me/shifts/check-in", me_shifts_checkin, DUTY_MEMBERS, "duty.checkin_qr", 0 },
	/* end of duty rosters */
	/* notifications (通知): the inbox, preferences, a community's group robot, the outbox: notify.c */
#define NOTIFY_KEEPERS REGION_EDITORS /* admin, and staff in their community */
	{ "GET", "/api/v1/me/notifications", me_notifications, ANY, NULL, 0 },
	{ "POST", "/api/v1/me/notifications/read-all", me_notifications_read_all, ANY, "notify.read", 0 },
	{ "POST", "/api/v1/me/notifications/{id}/read", me_notifications_read, ANY, "notify.read", 0 },
	{ "GET", "/api/v1/me/notify-prefs", me_notify_prefs_get, ANY, NULL, 0 },
	{ "PUT", "/api/v1/me/notify-prefs", me_notify_prefs_put, ANY, "notify.prefs", 0 },
	{ "GET", "/api/v1/communities/{code}/notify-channel", community_notify_channel_get, NOTIFY_KEEPERS, NULL, 0 },
	{ "PUT", "/api/v1/communities/{code}/notify-channel", community_notify_channel_put, NOTIFY_KEEPERS,
	  "notify.channel", 0 },
	{ "GET", "/api/v1/communities/{code}/outbox", community_outbox, NOTIFY_KEEPERS, NULL, 0 },
	{ "GET", "/api/v1/outbox", outbox_list, ROLE_BIT(ROLE_ADMIN), NULL, 0 },
	/* end of notifications */
};

struct api_config api_cfg;

void api_init(const struct api_config *cfg)
{
	api_cfg = *cfg;
}

static int is_safe_method(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

/*
 * Same origin: Origin, when sent, is this server's own origin, scheme
 * included: https with --secure-cookies (TLS ends at the proxy in front),
 * http without. Sec-Fetch-Site, when sent, is same-origin or none.
 */
static int same_origin(const struct request *req)
{
	const char *origin = req_header(req, "Origin"), *site = req_header(req, "Sec-Fetch-Site");
	const char *host = req_header(req, "Host"), *xrw = req_header(req, "X-Requested-With");
	const char *scheme = api_cfg.secure_cookies ? "https://" : "http://";
	size_t n = strlen(scheme);

	if (!xrw || strcmp(xrw, "baodao"))
		return 0;
	if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
		return 0;
	if (origin && (strncmp(origin, scheme, n) || !host || strcasecmp(origin + n, host)))
		return 0;
	return 1;
}

/* Finds the session; answers 401 when there is none. */
static int authenticate_or_reply(struct call *c, int *stale)
{
	struct session_limits lim = { api_cfg.session_idle, api_cfg.session_max };
	int64_t account_id;
	int rc = -1;

	if (c->token)
		rc = session_lookup(c->db, c->token, &lim, &account_id, stale);
	if (rc < 0 && c->token) {
		reply_internal(c, "session lookup");
		return -1;
	}
	if (rc != 0) {
		reply_problem(c, 401, "unauthenticated", "登录已过期，请重新登录");
		return -1;
	}
	c->actor.account_id = account_id;
	return 0;
}

/* Loads the caller's grants; answers 403 when none of its roles may use the route. */
static int load_principal_or_reply(struct call *c, const struct route *route)
{
	if (account_principal(c->db, c->actor.account_id, &c->who) < 0) {
		reply_internal(c, "loading grants");
		return -1;
	}
	/* The account itself, its password and logging out are for every account, even one waiting for a role. */
	bool own = route->handler == me_get || route->handler == me_password || route->handler == session_logout;

	/* Signed in with a one-time code: nothing else until it is changed. */
	if (c->who.must_change_password && !own) {
		reply_problem(c, 403, "password_change_required", "请先修改初始密码");
		return -1;
	}
	if (!own && !(principal_roles(&c->who) & route->roles)) {
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
		return -1;
	}
	return 0;
}

/* A refused write is audited too: who tried what, on which object. */
static void record_denied(struct call *c, const struct route *route)
{
	char type[32];
	size_t n = strcspn(route->action, ".");
	/* The target is the client's path segment: kept only when it looks like an id or a code. */
	const char *target = c->req->nparams && valid_digits(c->req->params[0], 1, 18) ? c->req->params[0] : "";

	str_copy(type, n + 1 < sizeof(type) ? n + 1 : sizeof(type), route->action);
	if (audit_record(c->db, &c->actor, route->action, type, target, "", "denied") < 0)
		log_error("request %s: cannot audit a refusal", c->req->id);
}

static void api_route(struct request *req, struct response *resp)
{
	struct call c = { 0 };
	const struct route *route;
	char allow[64];
	int reading = is_safe_method(req->method), stale = 0, wait;

	switch (router_match(routes, sizeof(routes) / sizeof(routes[0]), req, &route, allow, sizeof(allow))) {
	case ROUTE_NOT_FOUND:
		resp_problem(resp, 404, "not_found", "接口不存在", NULL);
		return;
	case ROUTE_BAD_METHOD:
		resp_header(resp, "Allow", allow);
		resp_problem(resp, 405, "method_not_allowed", "不支持该请求方法", NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	/* Open311 clients are other sites' servers: they carry an api_key, never this site's cookie. */
	if (!is_safe_method(req->method) && !same_origin(req) && strncmp(req->path, "/open311/", 9)) {
		resp_problem(resp, 403, "csrf", "请求来源未通过校验", NULL);
		return;
	}
	c.req = req;
	c.resp = resp;
	c.actor.client = req->client;
	c.token = req_cookie(req, "sid");
	c.db = pool_thread();
	if (!c.db) {
		reply_unavailable(&c, pool_retry_after());
		return;
	}
	/* The database out of reach (a failover): 503 at once, the connection tries again as its back-off allows. */
	if ((wait = db_unavailable(c.db)) != 0) {
		reply_unavailable(&c, wait);
		return;
	}
	/* A read sees one snapshot and takes the database's locks once, not once per query. */
	if (reading && db_begin_read(c.db) < 0) {
		if ((wait = db_outage(c.db)) != 0)
			reply_unavailable(&c, wait);
		else
			reply_internal(&c, "starting a read");
		return;
	}
	if (route->roles == PUBLIC ||
	    (authenticate_or_reply(&c, &stale) == 0 && load_principal_or_reply(&c, route) == 0))
		route->handler(&c);
	/* Every answer but a 204 has a body: an empty one is a build that failed unchecked somewhere. */
	if (!resp->status || (resp->status != 204 && resp->fd < 0 && !resp->body.len))
		reply_internal(&c, "an empty answer");
	if (reading)
		db_rollback(c.db);
	/* A write the handler left open would keep every other writer waiting: end it, and say so. */
	if (db_in_write(c.db)) {
		db_rollback(c.db);
		reply_internal(&c, "the handler left its write transaction open (rolled back)");
	}
	/*
	 * A failure while the database went away is the outage's: 503, retry. A write whose COMMIT was under
	 * way may or may not have been committed; it is not reported as done either way.
	 */
	if (resp->status == 500 && (wait = db_outage(c.db)) != 0) {
		reply_unavailable(&c, wait);
		return;
	}
	if (!reading && resp->status == 403 && route->action)
		record_denied(&c, route);
	/* The session's last-seen time is written after the read, and only now and then. */
	if (stale && session_touch(c.db, c.token) < 0)
		log_error("request %s: cannot touch the session", req->id);
}

size_t api_body_limit(const char *method, const char *path, size_t dflt)
{
	const struct route *r;

	/* Only uploads have a limit of their own; a read keeps the default. */
	if (is_safe_method(method))
		return dflt;
	r = router_find(routes, sizeof(routes) / sizeof(routes[0]), method, path);

	return r && r->body_limit ? r->body_limit : dflt;
}

void api_dispatch(struct request *req, struct response *resp)
{
	resp_header(resp, "Cache-Control", "no-store");
	if (!strncmp(req->path, "/api/", 5) || !strncmp(req->path, "/open311/", 9)) {
		api_route(req, resp);
		return;
	}
	resp->nheaders = 0;
	if (!api_cfg.web_root) {
		resp_problem(resp, 404, "not_found", "页面不存在", NULL);
		return;
	}
	static_serve(api_cfg.web_root, req, resp);
}
