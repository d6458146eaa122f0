/* session.c: log in, log out, the signed-in account, password change */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "domain/account.h"
#include "domain/login.h"
#include "domain/session.h"

/* The known-device cookie: sent only to the login route, where it lets its holder past the ceiling. */
#define DEVICE_COOKIE "did"

struct login_body {
	char *login;
	char *password;
};

static const struct spec_field login_spec[] = {
	SPEC(struct login_body, login, SPEC_STR, SPEC_REQUIRED, 1, 64),
	SPEC(struct login_body, password, SPEC_STR, SPEC_REQUIRED | SPEC_NOTRIM, 1, PASSWORD_MAX),
	{ 0 },
};

static void set_cookie(struct call *c, const char *token, int64_t max_age)
{
	char v[256];

	snprintf(v, sizeof(v), "sid=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", token,
		 (long long)max_age, api_cfg.secure_cookies ? "; Secure" : "");
	resp_header(c->resp, "Set-Cookie", v);
}

static void set_device_cookie(struct call *c, const char *value)
{
	char v[320];

	snprintf(v, sizeof(v), DEVICE_COOKIE "=%s; Path=/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=%d%s", value,
		 LOGIN_DEVICE_AGE, api_cfg.secure_cookies ? "; Secure" : "");
	resp_header(c->resp, "Set-Cookie", v);
}

static void reply_throttled(struct call *c, int64_t wait, const char *title)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)(wait > 0 ? wait : 1));
	resp_header(c->resp, "Retry-After", s);
	reply_problem(c, 429, "throttled", title);
}

/* The account view, alone or (wrap) as {"account": ...}. */
static void reply_me(struct call *c, int status, const struct account *a, int wrap)
{
	struct jw w;

	jw_init(&w, resp_json_body(c->resp, status));
	if (wrap) {
		jw_object(&w);
		jw_key(&w, "account");
	}
	if (me_write(&w, c->db, a, &c->who) < 0) {
		reply_internal(c, "building the account view");
		return;
	}
	if (wrap)
		jw_end(&w);
	if (jw_finish(&w) < 0)
		reply_internal(c, "writing the account view");
}

void session_login(struct call *c)
{
	struct session_limits lim = { api_cfg.session_idle, api_cfg.session_max };
	struct login_body b = { 0 };
	struct login_request lr;
	struct account a;
	char token[CRYPTO_TOKEN_HEX], device[LOGIN_DEVICE_MAX];
	int64_t wait = 0;

	if (call_body_or_reply(c, login_spec, &b) < 0)
		return;
	lr = (struct login_request){ b.login, b.password, req_cookie(c->req, DEVICE_COOKIE), api_cfg.lockout };
	switch (login_password(c->db, &c->actor, &lr, &a, device, &wait)) {
	case LOGIN_OK:
		break;
	case LOGIN_LOCKED:
		reply_throttled(c, wait, "登录失败次数过多，请稍后再试");
		goto out;
	case LOGIN_BAD:
		reply_problem(c, 401, "bad_credentials", "账号或密码错误");
		goto out;
	case LOGIN_EXPIRED:
		reply_problem(c, 401, "code_expired", "初始密码已过期，请联系社区或单位重新发放");
		goto out;
	case LOGIN_ERROR:
		reply_internal(c, "login");
		goto out;
	}
	c->actor.account_id = a.id;
	if (session_create(c->db, &c->actor, a.id, &lim, token) < 0 ||
	    account_principal(c->db, a.id, &c->who) < 0) {
		reply_internal(c, "creating a session");
		goto out;
	}
	set_cookie(c, token, api_cfg.session_max);
	set_device_cookie(c, device);
	reply_me(c, 200, &a, 1);
out:
	spec_release(login_spec, &b);
}

void session_logout(struct call *c)
{
	if (session_end(c->db, &c->actor, c->token) < 0) {
		reply_internal(c, "ending a session");
		return;
	}
	set_cookie(c, "", 0);
	reply_json(c, 204, NULL);
}

void me_get(struct call *c)
{
	struct account a;

	if (account_get(c->db, c->actor.account_id, &a) != ACCOUNT_OK) {
		reply_internal(c, "loading the account");
		return;
	}
	reply_me(c, 200, &a, 0);
}

struct password_body {
	char *old_password;
	char *new_password;
};

static const struct spec_field password_spec[] = {
	SPEC(struct password_body, old_password, SPEC_STR, SPEC_REQUIRED | SPEC_NOTRIM, 1, PASSWORD_MAX),
	SPEC(struct password_body, new_password, SPEC_STR, SPEC_REQUIRED | SPEC_NOTRIM, PASSWORD_MIN, PASSWORD_MAX),
	{ 0 },
};

void me_password(struct call *c)
{
	struct password_body b = { 0 };
	struct field_errors errs = { 0 };
	int64_t wait = 0;

	if (call_body_read_or_reply(c, password_spec, &b, &errs) < 0)
		goto out;
	/* "Same" is told from the two strings alone: it never says whether old_password was right. */
	if (b.old_password && b.new_password && !strcmp(b.old_password, b.new_password)) {
		field_errors_add(&errs, "new_password", "same", "新密码不能与原密码相同");
	} else if (b.old_password) {
		switch (login_check_password(c->db, &c->actor, c->actor.account_id, b.old_password, api_cfg.lockout,
					     &wait)) {
		case LOGIN_OK:
			break;
		case LOGIN_BAD:
			field_errors_add(&errs, "old_password", "wrong", "原密码不正确");
			break;
		case LOGIN_LOCKED:
			reply_throttled(c, wait, "原密码错误次数过多，请稍后再试");
			goto out;
		case LOGIN_EXPIRED:
		case LOGIN_ERROR:
			reply_internal(c, "checking a password");
			goto out;
		}
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
	} else if (account_set_password(c->db, &c->actor, c->actor.account_id, b.new_password, c->token) != ACCOUNT_OK) {
		reply_internal(c, "changing a password");
	} else {
		reply_json(c, 204, NULL);
	}
out:
	spec_release(password_spec, &b);
}
