/* json_spec.h: read a JSON request body into a C struct by a declarative spec, collecting every field error */
#ifndef BASE_JSON_SPEC_H
#define BASE_JSON_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32
#define FIELD_ERRORS_MAX 32

enum spec_type {
	SPEC_STR, /* destination: char * (caller frees through spec_release) */
	SPEC_INT, /* destination: long long */
	SPEC_BOOL, /* destination: bool */
	SPEC_STRS, /* destination: struct str_list; min/max bound each item's length, max_items the count */
	SPEC_INTS, /* destination: struct int_list; min/max bound each value, max_items the count */
};

struct str_list {
	size_t n;
	char **items;
};

struct int_list {
	size_t n;
	long long *items;
};

enum { SPEC_REQUIRED = 1, SPEC_NOTRIM = 2 /* passwords: keep every character */ };

struct spec_field {
	const char *name;
	enum spec_type type;
	unsigned flags;
	long long min, max; /* SPEC_INT: value bounds; SPEC_STR: length in characters */
	const char *const *choices; /* SPEC_STR: NULL-terminated allowed values, or NULL */
	size_t offset; /* offsetof the destination member */
	size_t max_items; /* SPEC_STRS, SPEC_INTS */
};

struct field_error {
	char field[200]; /* an API field name; an item's extra field is "fields." and its name (up to 48 characters) */
	const char *code; /* stable: required, type, unknown, too_short, ... */
	char message[512]; /* Chinese, for people: may quote a few dozen characters of what was sent */
};

struct field_errors {
	size_t n;
	struct field_error items[FIELD_ERRORS_MAX];
};

/* A spec entry for member m of struct S, read from the JSON member of the same name. */
#define SPEC(S, m, type_, flags_, min_, max_) \
	{ .name = #m, .type = (type_), .flags = (flags_), .min = (min_), .max = (max_), .offset = offsetof(S, m) }
/* The same for a string that must be one of choices (NULL-terminated). */
#define SPEC_CHOICE(S, m, flags_, choices_) \
	{ .name = #m, .type = SPEC_STR, .flags = (flags_), .min = 1, .max = 64, .choices = (choices_), \
	  .offset = offsetof(S, m) }
/* A list of at most n strings of min..max characters, or of integers in min..max. */
#define SPEC_LIST(S, m, type_, flags_, min_, max_, n) \
	{ .name = #m, .type = (type_), .flags = (flags_), .min = (min_), .max = (max_), .offset = offsetof(S, m), \
	  .max_items = (n) }

/* Adds an error; message NULL takes the standard text for code. Extra errors past the cap are dropped. */
void field_errors_add(struct field_errors *e, const char *field, const char *code, const char *message);

/* Whether field has an error already. */
bool field_errors_has(const struct field_errors *e, const char *field);

/*
 * Parses body as one JSON object. On failure returns NULL and sets *code to
 * "bad_json", "too_deep" or "not_object". Caller frees the result with json_decref.
 */
json_t *json_parse_object(const char *body, size_t len, const char **code);

/*
 * Fills dst from obj by spec (terminated by an entry with name NULL): strings
 * are trimmed of surrounding spaces and checked for UTF-8, length and choices;
 * unknown members are errors. Every error is added to errs. Returns 0 when
 * errs stayed empty, -1 otherwise. Strings in dst are owned by dst either way:
 * call spec_release(spec, dst) when done.
 */
int spec_read(const struct spec_field *spec, const json_t *obj, void *dst, struct field_errors *errs);
void spec_release(const struct spec_field *spec, void *dst);

#endif
