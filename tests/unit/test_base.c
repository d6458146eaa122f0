/* test_base.c: back-off, buffer, validators, the JSON spec reader and writer, and password hashing */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/backoff.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/idcard.h"
#include "base/json_spec.h"
#include "base/json_write.h"
#include "base/mask.h"
#include "base/valid.h"
#include "base/xalloc.h"

static void backoff_doubles_up_to_five_seconds(void **state)
{
	struct backoff b = { 0 };
	int64_t now = 1000000000, waits[] = { 250000, 500000, 1000000, 2000000, 4000000, 5000000, 5000000 };

	(void)state;
	assert_true(backoff_ready(&b, now));
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		backoff_failed(&b, now);
		assert_false(backoff_ready(&b, now + waits[i] - 1));
		assert_true(backoff_ready(&b, now + waits[i]));
		now += waits[i];
	}
	backoff_failed(&b, now);
	assert_int_equal(backoff_retry_after(&b, now), 5);
	assert_int_equal(backoff_retry_after(&b, now + 4500000), 1);
	backoff_succeeded(&b);
	assert_true(backoff_ready(&b, now));
	assert_int_equal(backoff_retry_after(&b, now), 1);
	backoff_failed(&b, now);
	assert_false(backoff_ready(&b, now + 249999));
	assert_true(backoff_ready(&b, now + 250000));
}

static void buf_grows_and_stays_terminated(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_addf(&b, "%d,", i % 10), 0);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_release(&b);
	assert_null(b.data);
}

static void buf_refuses_past_cap_and_keeps_content(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "12345"), 0);
	assert_int_equal(buf_addstr(&b, "6789"), -1);
	assert_string_equal(buf_str(&b), "12345");
	assert_int_equal(buf_addstr(&b, "678"), 0);
	assert_int_equal(buf_addch(&b, 'x'), -1);
	assert_string_equal(buf_str(&b), "12345678");
	buf_release(&b);
}

static void buf_detach_hands_over(void **state)
{
	struct buf b = BUF_INIT;
	size_t n;
	char *s;

	(void)state;
	buf_addstr(&b, "报到");
	s = buf_detach(&b, &n);
	assert_int_equal(n, strlen("报到"));
	assert_string_equal(s, "报到");
	assert_int_equal(b.len, 0);
	free(s);
}

/* The writer's text of a jansson value, to compare with jansson's own compact dump. */
static char *written(const json_t *v)
{
	struct buf b = BUF_INIT;
	struct jw w;

	jw_init(&w, &b);
	jw_value(&w, v);
	assert_int_equal(jw_finish(&w), 0);
	return buf_detach(&b, NULL);
}

static void writer_writes_what_jansson_dumps(void **state)
{
	static const char *const docs[] = {
		"{\"a\":\"quote \\\" backslash \\\\ slash / nl \\n tab \\t \\b \\f \\r \\u0001 \\u001f \\u007f é 中文\"}",
		"[0,-1,9223372036854775807,-9223372036854775808,true,false,null,\"\",{},[]]",
		"{\"reals\":[1.5,2.0,-0.0,1e300,1e-5,-2.5e-300,123456789012.0,0.1]}",
		"[[[{\"x\":[1,{\"y\":{\"z\":[]}}]}]],{\"k\":null}]",
		"{\"long\":\"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
		"{\"long with an escape at the end\":\"0123456789012345678901234567890123456789012345"
		"6789012345678901234567890123456789012345678901234567890123456789012345678\\n\"}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *v = json_loads(docs[i], 0, NULL);
		char *want, *got;

		assert_non_null(v);
		want = json_dumps(v, JSON_COMPACT);
		got = written(v);
		assert_string_equal(got, want);
		free(want);
		free(got);
		json_decref(v);
	}
}

static void writer_places_commas_and_colons(void **state)
{
	struct buf b = BUF_INIT;
	struct jw w;

	(void)state;
	jw_init(&w, &b);
	jw_object(&w);
	jw_key(&w, "id");
	jw_int(&w, 42);
	jw_key(&w, "name");
	jw_string(&w, "石榴桥社区");
	jw_key(&w, "none");
	jw_string(&w, NULL);
	jw_key(&w, "list");
	jw_array(&w);
	jw_bool(&w, true);
	jw_object(&w);
	jw_end(&w);
	jw_null(&w);
	jw_end(&w);
	jw_key(&w, "last");
	jw_bool(&w, false);
	jw_end(&w);
	assert_int_equal(jw_finish(&w), 0);
	assert_string_equal(buf_str(&b), "{\"id\":42,\"name\":\"石榴桥社区\",\"none\":null,"
					 "\"list\":[true,{},null],\"last\":false}");
	buf_release(&b);
}

static void writer_reports_misuse_and_a_full_buffer(void **state)
{
	struct buf b = BUF_INIT, small;
	struct jw w;

	(void)state;
	/* Closing what is not open; leaving something open; a key with no value. */
	jw_init(&w, &b);
	jw_end(&w);
	assert_int_equal(jw_finish(&w), -1);
	jw_init(&w, &b);
	jw_array(&w);
	assert_int_equal(jw_finish(&w), -1);
	jw_init(&w, &b);
	jw_object(&w);
	jw_key(&w, "k");
	jw_end(&w);
	assert_int_equal(jw_finish(&w), -1);
	/* Deeper than JW_MAX_DEPTH. */
	jw_init(&w, &b);
	for (int i = 0; i <= JW_MAX_DEPTH; i++)
		jw_array(&w);
	for (int i = 0; i <= JW_MAX_DEPTH; i++)
		jw_end(&w);
	assert_int_equal(jw_finish(&w), -1);
	/* A capped buffer that fills up. */
	buf_init(&small, 8);
	jw_init(&w, &small);
	jw_string(&w, "far more than eight bytes");
	assert_int_equal(jw_finish(&w), -1);
	assert_true(small.len <= 8);
	buf_release(&small);
	buf_release(&b);
}

static void phones(void **state)
{
	(void)state;
	assert_true(valid_mobile("13800000003"));
	assert_true(valid_mobile("19912345678"));
	assert_false(valid_mobile("12345678901")); /* second digit 2 */
	assert_false(valid_mobile("1380000000")); /* 10 digits */
	assert_false(valid_mobile("138000000031"));
	assert_false(valid_mobile("1380000000a"));
	assert_true(valid_phone("020-86000001"));
	assert_true(valid_phone("0755-1234567"));
	assert_true(valid_phone("02086000001"));
	assert_false(valid_phone("12345"));
	assert_false(valid_phone("020-123"));
	assert_false(valid_phone("20-86000001"));
	assert_false(valid_phone(""));
}

static void utf8(void **state)
{
	(void)state;
	assert_true(valid_utf8_text("石榴桥社区 abc", strlen("石榴桥社区 abc")));
	assert_false(valid_utf8_text("\xff\xfe", 2));
	assert_false(valid_utf8_text("\xe7\x9f", 2)); /* truncated */
	assert_false(valid_utf8_text("\xc0\xaf", 2)); /* overlong '/' */
	assert_false(valid_utf8_text("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(valid_utf8_text("a\0b", 3));
	assert_false(valid_utf8_text("bell\a", 5));
	assert_int_equal(utf8_chars("石榴桥a"), 4);
	assert_true(valid_digits("440111002011", 12, 12));
	assert_false(valid_digits("44011100201x", 12, 12));
}

/* A copy that does not fit ends before the character it would cut, whatever its width. */
static void copies_never_cut_a_character(void **state)
{
	char out[8];

	(void)state;
	str_copy(out, sizeof(out), "abc");
	assert_string_equal(out, "abc");
	str_copy(out, sizeof(out), "石榴桥社区"); /* 15 bytes: two characters fit in 7 */
	assert_string_equal(out, "石榴");
	str_copy(out, sizeof(out), "a\xf0\xa0\x80\x80\xf0\xa0\x80\x81"); /* 𠀀𠀁: one 4-byte character fits */
	assert_string_equal(out, "a\xf0\xa0\x80\x80");
	str_copy(out, 4, "\xf0\xa0\x80\x80");
	assert_string_equal(out, "");
	assert_true(valid_utf8_text(out, strlen(out)));
	assert_int_equal(TEXT_BYTES(50), 201);
}

static void dates_are_split_strictly(void **state)
{
	int y, m, d;

	(void)state;
	assert_true(date_split("2024-02-29", &y, &m, &d));
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	assert_false(date_split("2023-02-29", &y, &m, &d));
	assert_false(date_split("2024-2-29x", &y, &m, &d));
	assert_false(date_split("2024-+2-09", &y, &m, &d));
	assert_false(date_split("2024- 2-09", &y, &m, &d));
	assert_false(date_split("1899-12-31", &y, &m, &d));
	assert_int_equal(digits_value("0042", 4), 42);
	assert_int_equal(digits_value("4 2", 3), -1);
	assert_int_equal(digits_value("", 0), -1);
	assert_int_equal(digits_value("1234567890", 10), -1);
}

struct body {
	char *name;
	char *kind;
	long long count;
	bool flag;
};

static const char *const kinds[] = { "a", "b", NULL };

static const struct spec_field spec[] = {
	SPEC(struct body, name, SPEC_STR, SPEC_REQUIRED, 1, 4),
	SPEC_CHOICE(struct body, kind, 0, kinds),
	SPEC(struct body, count, SPEC_INT, 0, 1, 100),
	SPEC(struct body, flag, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

static int read_body(const char *text, struct body *b, struct field_errors *errs)
{
	const char *code = NULL;
	json_t *obj = json_parse_object(text, strlen(text), &code);
	int rc;

	assert_non_null(obj);
	memset(b, 0, sizeof(*b));
	memset(errs, 0, sizeof(*errs));
	rc = spec_read(spec, obj, b, errs);
	json_decref(obj);
	return rc;
}

static void spec_fills_struct(void **state)
{
	struct field_errors errs;
	struct body b;

	(void)state;
	assert_int_equal(read_body("{\"name\":\"  石榴桥 \",\"kind\":\"b\",\"count\":7,\"flag\":true}", &b, &errs), 0);
	assert_string_equal(b.name, "石榴桥"); /* trimmed, counted in characters */
	assert_string_equal(b.kind, "b");
	assert_int_equal(b.count, 7);
	assert_true(b.flag);
	spec_release(spec, &b);
	assert_null(b.name);
}

static void spec_collects_every_error(void **state)
{
	struct field_errors errs;
	struct body b;

	(void)state;
	assert_int_equal(read_body("{\"kind\":\"c\",\"count\":101,\"flag\":1,\"extra\":0}", &b, &errs), -1);
	assert_int_equal(errs.n, 5);
	assert_string_equal(errs.items[0].field, "extra");
	assert_string_equal(errs.items[0].code, "unknown");
	assert_string_equal(errs.items[1].field, "name");
	assert_string_equal(errs.items[1].code, "required");
	assert_string_equal(errs.items[2].code, "enum");
	assert_string_equal(errs.items[3].code, "too_large");
	assert_string_equal(errs.items[4].field, "flag");
	assert_string_equal(errs.items[4].code, "type");
	spec_release(spec, &b);

	assert_int_equal(read_body("{\"name\":\"12345\",\"count\":0}", &b, &errs), -1);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.items[0].code, "too_long");
	assert_string_equal(errs.items[1].code, "too_small");
	spec_release(spec, &b);

	assert_int_equal(read_body("{\"name\":\"   \"}", &b, &errs), -1);
	assert_string_equal(errs.items[0].code, "required");
	spec_release(spec, &b);

	assert_int_equal(read_body("{\"name\":\"a\\u0001\"}", &b, &errs), -1);
	assert_string_equal(errs.items[0].code, "utf8");
	spec_release(spec, &b);
}

struct lists {
	struct str_list words;
	struct int_list ids;
};

static const struct spec_field list_spec[] = {
	SPEC_LIST(struct lists, words, SPEC_STRS, 0, 1, 3, 2),
	SPEC_LIST(struct lists, ids, SPEC_INTS, 0, 1, 100, 3),
	{ 0 },
};

static void spec_reads_lists_item_by_item(void **state)
{
	struct field_errors errs = { 0 };
	struct lists l = { 0 };
	const char *code, *good = "{\"words\":[\"ab\",\" c \"],\"ids\":[3,100]}";
	const char *bad = "{\"words\":[\"abcd\",7,\"x\"],\"ids\":[0,\"2\"]}";
	json_t *obj = json_parse_object(good, strlen(good), &code);

	(void)state;
	assert_non_null(obj);
	assert_int_equal(spec_read(list_spec, obj, &l, &errs), 0);
	assert_int_equal(l.words.n, 2);
	assert_string_equal(l.words.items[1], "c");
	assert_int_equal(l.ids.n, 2);
	assert_int_equal(l.ids.items[1], 100);
	spec_release(list_spec, &l);
	assert_null(l.words.items);
	json_decref(obj);

	obj = json_parse_object(bad, strlen(bad), &code);
	assert_non_null(obj);
	assert_int_equal(spec_read(list_spec, obj, &l, &errs), -1);
	assert_int_equal(errs.n, 3);
	assert_string_equal(errs.items[0].field, "words"); /* three items, two allowed */
	assert_string_equal(errs.items[1].field, "ids[0]");
	assert_string_equal(errs.items[2].field, "ids[1]");
	spec_release(list_spec, &l);
	json_decref(obj);
}

static void parse_refuses_bad_documents(void **state)
{
	static const char *const bad[] = {
		"", "{", "[]", "\"x\"", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "{\"a\":1e400}",
		"{\"a\":99999999999999999999999}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\xff\"}", "{'a':1}", "{\"a\":NaN}",
	};
	char deep[200];
	const char *code;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		code = NULL;
		assert_null(json_parse_object(bad[i], strlen(bad[i]), &code));
		assert_non_null(code);
	}
	memset(deep, '[', sizeof(deep));
	assert_null(json_parse_object(deep, sizeof(deep), &code));
	assert_string_equal(code, "too_deep");
}

static void passwords_round_trip(void **state)
{
	char *hash = crypto_password_hash("correct horse battery");
	char *gen = crypto_password_generate(), *gen2 = crypto_password_generate();

	(void)state;
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_int_equal(crypto_password_verify(hash, "correct horse battery"), 0);
	assert_int_equal(crypto_password_verify(hash, "correct horse batterY"), -1);
	assert_int_equal(strlen(gen), 20);
	assert_string_not_equal(gen, gen2);
	free(hash);
	free(gen);
	free(gen2);
}

static void tokens_and_hashes(void **state)
{
	char a[CRYPTO_TOKEN_HEX], b[CRYPTO_TOKEN_HEX], h1[CRYPTO_HEX_HASH], h2[CRYPTO_HEX_HASH];

	(void)state;
	crypto_token(a);
	crypto_token(b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	crypto_hash_hex("x", 1, h1);
	crypto_hash_hex("x", 1, h2);
	assert_string_equal(h1, h2);
	assert_true(crypto_equal_hex(h1, h2));
	crypto_hash_hex("y", 1, h2);
	assert_false(crypto_equal_hex(h1, h2));
}

/* 2026-11-21 12:00 UTC */
#define TODAY 1795262400

static void id_numbers(void **state)
{
	struct idcard id;

	(void)state;
	assert_int_equal(idcard_parse("440111199003071232", TODAY, &id), IDCARD_OK);
	assert_int_equal(id.year, 1990);
	assert_int_equal(id.month, 3);
	assert_int_equal(id.day, 7);
	assert_int_equal(id.gender, 'M');
	assert_int_equal(idcard_parse("440106198501010023", TODAY, &id), IDCARD_OK);
	assert_int_equal(id.gender, 'F');
	assert_int_equal(idcard_parse("11010519491231002x", TODAY, &id), IDCARD_OK);
	assert_string_equal(id.number, "11010519491231002X");
	assert_int_equal(idcard_parse("440111200002290017", TODAY, &id), IDCARD_OK); /* leap day */
	assert_int_equal(idcard_parse("440111199003071233", TODAY, &id), IDCARD_CHECK);
	assert_int_equal(idcard_parse("44011119900307123", TODAY, &id), IDCARD_LENGTH);
	assert_int_equal(idcard_parse("4401111990030712322", TODAY, &id), IDCARD_LENGTH);
	assert_int_equal(idcard_parse("44011119900307123Y", TODAY, &id), IDCARD_LENGTH);
	assert_int_equal(idcard_parse("44011119900307 232", TODAY, &id), IDCARD_LENGTH);
	assert_int_equal(idcard_parse("990111199003071232", TODAY, &id), IDCARD_REGION);
	assert_int_equal(idcard_parse("440111199002301232", TODAY, &id), IDCARD_DATE); /* 30 February */
	assert_int_equal(idcard_parse("440111190002290017", TODAY, &id), IDCARD_DATE); /* 1900 no leap */
	assert_int_equal(idcard_parse("440111203001011232", TODAY, &id), IDCARD_DATE); /* future */
	assert_string_not_equal(idcard_message(IDCARD_CHECK), idcard_message(IDCARD_DATE));
}

static void id_masking(void **state)
{
	char out[IDCARD_LEN + 1];

	(void)state;
	idcard_mask("440111199003071232", out);
	assert_string_equal(out, "4401**********1232");
	idcard_mask("short", out);
	assert_string_equal(out, "******************");
}

static void sealed_fields(void **state)
{
	uint8_t key[CRYPTO_KEY_BYTES] = { 5 };
	char *a, *b, *plain;

	(void)state;
	crypto_key_set(key);
	a = crypto_seal("member.id_number", "440111199003071232");
	b = crypto_seal("member.id_number", "440111199003071232");
	assert_null(strstr(a, "440111199003071232"));
	assert_string_not_equal(a, b); /* fresh nonce each time */
	plain = crypto_open("member.id_number", a);
	assert_string_equal(plain, "440111199003071232");
	free(plain);
	assert_null(crypto_open("member.phone", a)); /* bound to its place */
	a[strlen(a) - 1] = a[strlen(a) - 1] == '0' ? '1' : '0';
	assert_null(crypto_open("member.id_number", a)); /* altered */
	assert_null(crypto_open("member.id_number", "zz"));
	free(a);
	free(b);
}

static void masked(const char *name, const char *want)
{
	char out[TEXT_BYTES(50)];

	mask_name(name, out, sizeof(out));
	assert_string_equal(out, want);
}

/* Names on public pages (公示, a certificate's verification): first and last character, one '*' between. */
static void names_are_masked_by_characters(void **state)
{
	char fifty[TEXT_BYTES(50)] = "", tiny[4];

	(void)state;
	masked("张三元", "张*元");
	masked("李四", "李*");
	masked("王", "*");
	masked("", "");
	masked("欧阳明月", "欧*月"); /* one * however many lie between */
	masked("阿依古丽·买买提", "阿*提");
	masked("Ann Lee", "A*e");
	/* Four-byte characters (U+20000 …) count as one each, never cut in the middle. */
	masked("\xf0\xa0\x80\x80\xf0\xa0\x80\x81\xf0\xa0\x80\x82", "\xf0\xa0\x80\x80*\xf0\xa0\x80\x82");
	masked("\xf0\xa0\x80\x80李", "\xf0\xa0\x80\x80*");
	masked("李\xf0\xa0\x80\x80", "李*");
	/* The longest name a file holds (50 characters), all four bytes long: first, *, last. */
	for (int i = 0; i < 50; i++)
		memcpy(fifty + 4 * i, "\xf0\xa0\x80\x80", 5); /* each copy brings the terminator along */
	masked(fifty, "\xf0\xa0\x80\x80*\xf0\xa0\x80\x80");
	/* Too small a buffer gets what fits, never a character cut in two. */
	mask_name("\xf0\xa0\x80\x80\xf0\xa0\x80\x81\xf0\xa0\x80\x82", tiny, sizeof(tiny));
	assert_string_equal(tiny, "*");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(buf_refuses_past_cap_and_keeps_content),
		cmocka_unit_test(buf_detach_hands_over),
		cmocka_unit_test(writer_writes_what_jansson_dumps),
		cmocka_unit_test(writer_places_commas_and_colons),
		cmocka_unit_test(writer_reports_misuse_and_a_full_buffer),
		cmocka_unit_test(phones),
		cmocka_unit_test(utf8),
		cmocka_unit_test(copies_never_cut_a_character),
		cmocka_unit_test(dates_are_split_strictly),
		cmocka_unit_test(spec_fills_struct),
		cmocka_unit_test(spec_collects_every_error),
		cmocka_unit_test(spec_reads_lists_item_by_item),
		cmocka_unit_test(parse_refuses_bad_documents),
		cmocka_unit_test(passwords_round_trip),
		cmocka_unit_test(tokens_and_hashes),
		cmocka_unit_test(id_numbers),
		cmocka_unit_test(id_masking),
		cmocka_unit_test(names_are_masked_by_characters),
		cmocka_unit_test(sealed_fields),
		cmocka_unit_test(backoff_doubles_up_to_five_seconds),
	};

	crypto_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
