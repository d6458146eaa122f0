/* json_spec.c: the declarative JSON body reader */
#include "base/json_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/valid.h"
#include "base/xalloc.h"

static const struct {
	const char *code;
	const char *message;
} standard[] = {
	{ "required", "必须填写" },
	{ "type", "类型不正确" },
	{ "unknown", "不认识的字段" },
	{ "too_short", "内容太短" },
	{ "too_long", "内容太长" },
	{ "too_small", "数值太小" },
	{ "too_large", "数值太大" },
	{ "enum", "不是可选的值" },
	{ "format", "格式不正确" },
	{ "utf8", "含有无效字符" },
	{ "not_found", "不存在" },
	{ "duplicate", "已经存在" },
	{ "wrong", "不正确" },
};

void field_errors_add(struct field_errors *e, const char *field, const char *code, const char *message)
{
	struct field_error *fe;

	if (e->n >= FIELD_ERRORS_MAX)
		return;
	fe = &e->items[e->n++];
	str_copy(fe->field, sizeof(fe->field), field);
	fe->code = code;
	if (!message) {
		message = "不正确";
		for (size_t i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
			if (!strcmp(standard[i].code, code))
				message = standard[i].message;
	}
	str_copy(fe->message, sizeof(fe->message), message);
}

bool field_errors_has(const struct field_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field))
			return true;
	return false;
}

/* Depth of [ and { outside strings; jansson recurses, so deep input is refused before it parses. */
static size_t max_depth(const char *p, size_t n)
{
	size_t depth = 0, top = 0;
	int in_str = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > top)
				top = depth;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return top;
}

json_t *json_parse_object(const char *body, size_t len, const char **code)
{
	json_error_t err;
	json_t *v;

	if (max_depth(body, len) > JSON_MAX_DEPTH) {
		*code = "too_deep";
		return NULL;
	}
	v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		*code = "bad_json";
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		*code = "not_object";
		return NULL;
	}
	return v;
}

static const struct spec_field *find(const struct spec_field *spec, const char *name)
{
	for (; spec->name; spec++)
		if (!strcmp(spec->name, name))
			return spec;
	return NULL;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static void read_str(const struct spec_field *f, json_t *v, char *dst, struct field_errors *errs)
{
	const char *raw = json_string_value(v);
	size_t rawlen = json_string_length(v);
	char **out = (char **)(void *)(dst + f->offset);
	char msg[128];
	size_t chars;

	if (!valid_utf8_text(raw, rawlen)) {
		field_errors_add(errs, f->name, "utf8", NULL);
		return;
	}
	*out = f->flags & SPEC_NOTRIM ? xstrndup(raw, rawlen) : trimmed(raw, rawlen);
	chars = utf8_chars(*out);
	if (f->min > 0 && chars < (size_t)f->min) {
		if (chars == 0 && (f->flags & SPEC_REQUIRED)) {
			field_errors_add(errs, f->name, "required", NULL);
		} else {
			snprintf(msg, sizeof(msg), "至少 %lld 个字", f->min);
			field_errors_add(errs, f->name, "too_short", msg);
		}
	} else if (f->max > 0 && chars > (size_t)f->max) {
		snprintf(msg, sizeof(msg), "最多 %lld 个字", f->max);
		field_errors_add(errs, f->name, "too_long", msg);
	} else if (f->choices) {
		const char *const *c = f->choices;

		while (*c && strcmp(*c, *out))
			c++;
		if (!*c)
			field_errors_add(errs, f->name, "enum", NULL);
	}
}

/* Arrays: every item checked like a single field, errors named "field[i]". */
static void read_list(const struct spec_field *f, json_t *v, char *dst, struct field_errors *errs)
{
	size_t n = json_array_size(v);
	char name[64];
	json_t *item;
	size_t i;

	if (!json_is_array(v)) {
		field_errors_add(errs, f->name, "type", "应为列表");
		return;
	}
	if (n > f->max_items) {
		snprintf(name, sizeof(name), "最多 %zu 项", f->max_items);
		field_errors_add(errs, f->name, "too_long", name);
		return;
	}
	if (f->type == SPEC_STRS) {
		struct str_list *out = (struct str_list *)(void *)(dst + f->offset);
		struct spec_field one = { name, SPEC_STR, SPEC_REQUIRED, f->min, f->max, NULL, 0, 0 };

		out->items = xcalloc(n ? n : 1, sizeof(char *));
		json_array_foreach(v, i, item) {
			snprintf(name, sizeof(name), "%s[%zu]", f->name, i);
			one.offset = 0;
			if (!json_is_string(item)) {
				field_errors_add(errs, name, "type", "应为文字");
				continue;
			}
			read_str(&one, item, (char *)&out->items[out->n++], errs);
		}
	} else {
		struct int_list *out = (struct int_list *)(void *)(dst + f->offset);

		out->items = xcalloc(n ? n : 1, sizeof(long long));
		json_array_foreach(v, i, item) {
			snprintf(name, sizeof(name), "%s[%zu]", f->name, i);
			if (!json_is_integer(item) || json_integer_value(item) < f->min || json_integer_value(item) > f->max)
				field_errors_add(errs, name, json_is_integer(item) ? "too_large" : "type", NULL);
			else
				out->items[out->n++] = json_integer_value(item);
		}
	}
}

static void read_field(const struct spec_field *f, json_t *v, char *dst, struct field_errors *errs)
{
	char msg[128];

	switch (f->type) {
	case SPEC_STR:
		if (!json_is_string(v))
			field_errors_add(errs, f->name, "type", "应为文字");
		else
			read_str(f, v, dst, errs);
		break;
	case SPEC_INT: {
		json_int_t n;

		if (!json_is_integer(v)) {
			field_errors_add(errs, f->name, "type", "应为整数");
			break;
		}
		n = json_integer_value(v);
		if (n < f->min) {
			snprintf(msg, sizeof(msg), "不能小于 %lld", f->min);
			field_errors_add(errs, f->name, "too_small", msg);
		} else if (n > f->max) {
			snprintf(msg, sizeof(msg), "不能大于 %lld", f->max);
			field_errors_add(errs, f->name, "too_large", msg);
		} else {
			*(long long *)(void *)(dst + f->offset) = n;
		}
		break;
	}
	case SPEC_BOOL:
		if (!json_is_boolean(v))
			field_errors_add(errs, f->name, "type", "应为是或否");
		else
			*(bool *)(void *)(dst + f->offset) = json_is_true(v);
		break;
	case SPEC_STRS:
	case SPEC_INTS:
		read_list(f, v, dst, errs);
		break;
	}
}

int spec_read(const struct spec_field *spec, const json_t *obj, void *dst, struct field_errors *errs)
{
	size_t before = errs->n;
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		if (!find(spec, key)) {
			char name[64];

			/* The key came from the client: keep only what is printable. */
			if (strlen(key) < sizeof(name) && valid_utf8_text(key, strlen(key)))
				str_copy(name, sizeof(name), key);
			else
				str_copy(name, sizeof(name), "?");
			field_errors_add(errs, name, "unknown", NULL);
		}
	}
	for (const struct spec_field *f = spec; f->name; f++) {
		v = json_object_get(obj, f->name);
		if (!v || json_is_null(v)) {
			if (f->flags & SPEC_REQUIRED)
				field_errors_add(errs, f->name, "required", NULL);
			continue;
		}
		read_field(f, v, (char *)dst, errs);
	}
	return errs->n == before ? 0 : -1;
}

void spec_release(const struct spec_field *spec, void *dst)
{
	for (; spec->name; spec++) {
		void *at = (char *)dst + spec->offset;

		if (spec->type == SPEC_STR) {
			free(*(char **)at);
			*(char **)at = NULL;
		} else if (spec->type == SPEC_STRS) {
			struct str_list *l = at;

			for (size_t i = 0; i < l->n; i++)
				free(l->items[i]);
			free(l->items);
			l->items = NULL;
			l->n = 0;
		} else if (spec->type == SPEC_INTS) {
			struct int_list *l = at;

			free(l->items);
			l->items = NULL;
			l->n = 0;
		}
	}
}
