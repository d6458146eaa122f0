/* test_catalog.c: the catalogue's rules: an item's input, what never changes, where an item is offered, field values */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/catalog.h"

/* A valid item with one field of each type; tests spoil one thing at a time. */
static void valid_input(struct catalog_input *in)
{
	static const char *const names[] = { "人数", "主题", "日期", "类别", "方式" };

	memset(in, 0, sizeof(*in));
	in->category = "activity";
	in->code = "SY-01";
	in->name = "红色故事宣讲";
	in->description = "";
	in->sort = 7;
	in->nfields = 5;
	for (size_t i = 0; i < 5; i++) {
		str_copy(in->fields[i].name, sizeof(in->fields[i].name), names[i]);
		in->fields[i].type = (enum catalog_field_type)i;
	}
	str_copy(in->fields[3].choices, sizeof(in->fields[3].choices), "学生\n居民");
	str_copy(in->fields[4].choices, sizeof(in->fields[4].choices), "现场\n线上");
}

static void no_fault(const struct catalog_input *in)
{
	struct field_errors errs = { 0 };

	catalog_check_input(in, &errs);
	assert_int_equal(errs.n, 0);
}

/* The one fault of in: its field and code. */
static void one_fault(const struct catalog_input *in, const char *field, const char *code)
{
	struct field_errors errs = { 0 };

	catalog_check_input(in, &errs);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.items[0].field, field);
	assert_string_equal(errs.items[0].code, code);
}

static void a_valid_item_has_no_fault(void **state)
{
	struct catalog_input in;

	(void)state;
	valid_input(&in);
	no_fault(&in);
	in.nfields = 0;
	in.sort = CATALOG_SORT_MAX;
	no_fault(&in);
}

static void category_code_name_and_sort(void **state)
{
	static const char *const bad_codes[] = { "", "A B", "编号", "ABCDEFGHI", "G01;", "a/b" };
	struct catalog_input in;

	(void)state;
	valid_input(&in);
	in.category = "fun";
	one_fault(&in, "category", "enum");
	in.category = NULL;
	one_fault(&in, "category", "enum");
	valid_input(&in);
	for (size_t i = 0; i < sizeof(bad_codes) / sizeof(bad_codes[0]); i++) {
		in.code = bad_codes[i];
		one_fault(&in, "code", "format");
	}
	in.code = "Ab-9";
	in.name = "";
	one_fault(&in, "name", "required");
	in.name = "x";
	in.sort = -1;
	one_fault(&in, "sort", "too_large");
	in.sort = CATALOG_SORT_MAX + 1;
	one_fault(&in, "sort", "too_large");
}

static void fields_are_named_once_on_one_line(void **state)
{
	struct catalog_input in;

	(void)state;
	valid_input(&in);
	in.fields[1].name[0] = '\0';
	one_fault(&in, "fields[1].name", "required");
	valid_input(&in);
	str_copy(in.fields[4].name, sizeof(in.fields[4].name), "人数");
	one_fault(&in, "fields[4].name", "duplicate");
	valid_input(&in);
	str_copy(in.fields[2].name, sizeof(in.fields[2].name), "换\n行");
	one_fault(&in, "fields[2].name", "format");
	valid_input(&in);
	for (size_t i = 5; i < CATALOG_FIELDS_MAX; i++)
		snprintf(in.fields[i].name, sizeof(in.fields[i].name), "第%zu项", i);
	no_fault(&in);
	in.nfields = CATALOG_FIELDS_MAX + 1;
	one_fault(&in, "fields", "too_long");
}

static void choices_only_where_they_belong(void **state)
{
	static const struct {
		const char *choices, *code;
	} cases[] = {
		{ "", "format" }, /* a choice field needs choices */
		{ "甲\n\n乙", "format" }, /* an empty one */
		{ "甲\n", "format" }, /* an empty last one */
		{ "甲,乙", "format" }, /* ',' joins the values of several */
		{ "甲\n乙\n甲", "duplicate" },
	};
	char many[TEXT_BYTES(CATALOG_CHOICES_MAX)] = "";
	struct catalog_input in;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		valid_input(&in);
		str_copy(in.fields[3].choices, sizeof(in.fields[3].choices), cases[i].choices);
		one_fault(&in, "fields[3].choices", cases[i].code);
	}
	valid_input(&in);
	str_copy(in.fields[0].choices, sizeof(in.fields[0].choices), "甲");
	one_fault(&in, "fields[0].choices", "unknown");
	for (int i = 0, n = 0; i < 21; i++)
		n += snprintf(many + n, sizeof(many) - (size_t)n, "%s%d", i ? "\n" : "", i);
	valid_input(&in);
	str_copy(in.fields[4].choices, sizeof(in.fields[4].choices), many);
	one_fault(&in, "fields[4].choices", "too_long");
	*strrchr(many, '\n') = '\0'; /* 20 choices */
	str_copy(in.fields[4].choices, sizeof(in.fields[4].choices), many);
	no_fault(&in);
}

static void category_and_code_never_change(void **state)
{
	struct catalog_item old = { .id = 1, .category = "activity", .code = "SY-01" };
	struct field_errors errs = { 0 };
	struct catalog_input in;

	(void)state;
	valid_input(&in);
	catalog_check_fixed(&old, &in, &errs);
	assert_int_equal(errs.n, 0);
	in.category = NULL;
	in.code = NULL;
	catalog_check_fixed(&old, &in, &errs);
	assert_int_equal(errs.n, 0);
	in.category = "welfare";
	in.code = "SY-02";
	catalog_check_fixed(&old, &in, &errs);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.items[0].field, "category");
	assert_string_equal(errs.items[0].code, "fixed");
	assert_string_equal(errs.items[1].field, "code");
	assert_string_equal(errs.items[1].code, "fixed");
}

static void offered_in_the_subtree_of_who_added_it(void **state)
{
	struct catalog_item city = { .id = 1 }, street = { .id = 2 };
	const char *here = "/440100000000/440111000000/440111002000/440111002011/";
	const char *next_door = "/440100000000/440111000000/440111003000/440111003001/";

	(void)state;
	str_copy(street.region_path, sizeof(street.region_path), "/440100000000/440111000000/440111002000/");
	assert_true(catalog_offered(&city, here));
	assert_true(catalog_offered(&city, NULL));
	assert_true(catalog_offered(&street, here));
	assert_true(catalog_offered(&street, street.region_path));
	assert_false(catalog_offered(&street, next_door));
	assert_false(catalog_offered(&street, "/440100000000/440111000000/"));
	assert_false(catalog_offered(&street, NULL));
	city.retired_at = street.retired_at = 1;
	assert_false(catalog_offered(&city, here));
	assert_false(catalog_offered(&street, here));
}

static void values_follow_the_fields(void **state)
{
	struct catalog_item item = { .id = 1, .nfields = 3 };
	const char *names[] = { "份数", "日期", "方式" }, *good[] = { "12", "2026-03-01", "现场,线上" };
	const char *bad[] = { "十二", "2026-02-30", "现场,电话" };
	struct field_errors errs = { 0 };

	(void)state;
	str_copy(item.fields[0].name, sizeof(item.fields[0].name), "份数");
	item.fields[0].type = FIELD_NUMBER;
	item.fields[0].required = true;
	str_copy(item.fields[1].name, sizeof(item.fields[1].name), "日期");
	item.fields[1].type = FIELD_DATE;
	str_copy(item.fields[2].name, sizeof(item.fields[2].name), "方式");
	item.fields[2].type = FIELD_CHOICES;
	str_copy(item.fields[2].choices, sizeof(item.fields[2].choices), "现场\n线上");
	catalog_check_values(&item, names, good, 3, &errs);
	assert_int_equal(errs.n, 0);
	catalog_check_values(&item, names, bad, 3, &errs);
	assert_int_equal(errs.n, 3);
	assert_string_equal(errs.items[0].field, "fields.份数");
	assert_string_equal(errs.items[1].field, "fields.日期");
	assert_string_equal(errs.items[2].field, "fields.方式");
	memset(&errs, 0, sizeof(errs));
	catalog_check_values(&item, names + 1, good + 1, 2, &errs);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.items[0].field, "fields.份数");
	assert_string_equal(errs.items[0].code, "required");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_valid_item_has_no_fault),
		cmocka_unit_test(category_code_name_and_sort),
		cmocka_unit_test(fields_are_named_once_on_one_line),
		cmocka_unit_test(choices_only_where_they_belong),
		cmocka_unit_test(category_and_code_never_change),
		cmocka_unit_test(offered_in_the_subtree_of_who_added_it),
		cmocka_unit_test(values_follow_the_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
