/* import.h: what the spreadsheet imports share: the answer (per-cell errors, changes), columns by header, whole cells */
#ifndef DOMAIN_IMPORT_H
#define DOMAIN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sheet.h"

/* One column of a template. */
struct import_column {
	const char *header; /* as the template writes it */
	const char *field;  /* the API's field name, for errors */
	size_t max;         /* longest text in characters; 0: the column's own check judges it */
	const char *aliases; /* other headers people write, '|'-separated, or NULL */
};

/* One fault, of one cell (or of the whole row when column is ""). */
struct import_error {
	size_t row;        /* as in Excel: the header is row 1 */
	char column[32];   /* the column's header, "" for the whole row */
	char field[32];    /* the API's field name, "" for the whole row */
	const char *code;  /* a static string: required, too_long, format, control, utf8, duplicate, ... */
	char *message;     /* Chinese, saying what is wrong and how to fix it; owned */
};

/* A row that changes a record that exists: which fields (the API's names, ','-joined). */
struct import_change {
	size_t row;
	int64_t id;
	char fields[256];
};

struct import_result {
	size_t rows;      /* data rows, empty ones not counted */
	size_t valid;     /* rows without an error */
	size_t create;    /* valid rows that make a new record */
	size_t update;    /* valid rows that change one */
	size_t unchanged; /* valid rows that name a record and change nothing */
	size_t written;   /* records created or changed; 0 unless committed */
	size_t nerrors;
	struct import_error *errors;
	size_t nchanges;
	struct import_change *changes; /* one per update row */
	size_t nsame;
	size_t *same_rows; /* the unchanged rows, as in Excel */
};

/* Frees what r holds; r is empty afterwards. */
void import_result_release(struct import_result *r);

/* Adds an error at row for column col (NULL: the whole row); message formatted as printf does. */
void import_error_add(struct import_result *r, size_t row, const struct import_column *col, const char *code,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Notes a valid row: changing record id (fields ','-joined), or changing nothing when fields is "". */
void import_note_change(struct import_result *r, size_t row, int64_t id, const char *fields);

/* Where each column of the sheet goes: map[i] is the template column of sheet column i, or -1. */
#define IMPORT_COLS_MAX 64
struct import_map {
	size_t n; /* sheet columns mapped (at most IMPORT_COLS_MAX) */
	int map[IMPORT_COLS_MAX];
	bool have[IMPORT_COLS_MAX]; /* by template column */
};

/* Finds the template's columns in the header row (spaces, a trailing * and a note in brackets ignored). */
void import_map_header(struct import_map *m, const struct import_column *cols, size_t ncols,
		       const struct sheet_row *header);

/* One data row's cells by template column: trimmed copies, "" when absent; bad when already reported. */
struct import_row {
	size_t row; /* as in Excel */
	size_t filled; /* cells with text */
	char *v[IMPORT_COLS_MAX];
	bool bad[IMPORT_COLS_MAX];
	bool any_error; /* some error was added for this row */
};

/*
 * Reads sheet row index (0-based) into out: each cell trimmed of spaces, with room for
 * 16 more bytes (for rewriting a date in place). A cell with a control character or bytes
 * that are no text, or longer than its column's max, gets its error here and is marked bad.
 * out is the caller's to release with import_row_release.
 */
void import_row_read(struct import_result *res, const struct import_column *cols, size_t ncols,
		     const struct import_map *m, const struct sheet *sh, size_t index, struct import_row *out);
void import_row_release(struct import_row *r, size_t ncols);
/* Adds an error for template column c of row r (marking it bad); the same as import_error_add. */
void import_row_error(struct import_result *res, struct import_row *r, const struct import_column *cols, int c,
		      const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The length of the entry of list (n strings) that s starts with, 0 if none. */
size_t import_prefix(const char *s, const char *const *list, size_t n);

/*
 * Keys seen before, each with a number: the row that had an ID number or a file id first (to
 * name it when a row repeats it), or where an answer is kept.
 */
struct import_seen {
	size_t n, cap;
	struct seen_slot {
		char *key;
		size_t row;
	} *slots;
};

/* Records key with row (> 0); returns the number key had already (then nothing changes), or 0. */
size_t import_seen_put(struct import_seen *s, const char *key, size_t row);
void import_seen_release(struct import_seen *s);

/*
 * Dates as people and Excel write them: 2012-07-01, 2012/7/1, 2012.7.1, 2012年7月1日,
 * 20120701, or an Excel serial day number. Rewritten in place (s has room for 11 bytes, as
 * import_row_read leaves it) as YYYY-MM-DD when understood; anything else is left as it is.
 */
void import_normalise_date(char *s);

#endif
