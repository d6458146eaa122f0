/* fuzz_json_spec.c: libFuzzer harness for the JSON body reader: any bytes, never a crash or a leak */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/json_spec.h"

struct body {
	char *name;
	char *type;
	long long count;
	bool flag;
};

static const char *const types[] = { "organ", "soe", NULL };

static const struct spec_field spec[] = {
	SPEC(struct body, name, SPEC_STR, SPEC_REQUIRED, 1, 100),
	SPEC_CHOICE(struct body, type, 0, types),
	SPEC(struct body, count, SPEC_INT, 0, -5, 1000),
	SPEC(struct body, flag, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field_errors errs = { 0 };
	struct body b = { 0 };
	const char *code = NULL;
	json_t *obj = json_parse_object((const char *)data, size, &code);

	if (!obj)
		return code ? 0 : __builtin_trap(), 0;
	spec_read(spec, obj, &b, &errs);
	for (size_t i = 0; i < errs.n; i++)
		if (!errs.items[i].code || strlen(errs.items[i].message) == 0)
			__builtin_trap();
	spec_release(spec, &b);
	json_decref(obj);
	return 0;
}
