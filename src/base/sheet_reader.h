/* sheet_reader.h: the reader state and helpers sheet.c, sheet_csv.c and sheet_xlsx.c share (internal) */
#ifndef BASE_SHEET_READER_H
#define BASE_SHEET_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/sheet.h"

/*
 * What one upload may cost: SHEET_MAX_BYTES of input (the file, and again the .xlsx parts
 * unpacked, so a zip bomb stops there) and of text kept (cells and .xlsx shared strings);
 * SHEET_MAX_SLOTS cells, rows, shared strings and faults, counting the empty cells made to
 * fill gaps. A sheet may hold no more shared strings than it has cells (max_rows * max_cols).
 */
#define SHEET_MAX_BYTES ((size_t)64 << 20)
#define SHEET_MAX_SLOTS ((size_t)4 << 20)
#define EXCEL_ROWS ((size_t)1048576)
#define EXCEL_COLS ((size_t)16384)

/* Messages for the person who uploaded the file, used by more than one format. */
extern const char sheet_msg_not_sheet[];
extern const char sheet_msg_empty[];
extern const char sheet_msg_damaged[];
extern const char sheet_msg_big[];

struct reader {
	struct sheet *out;
	size_t max_rows, max_cols;
	size_t rows_cap;
	struct sheet_row cur; /* the row being filled */
	size_t cur_cap;
	size_t cur_row;        /* its index (0-based), for messages */
	size_t slots, bytes;   /* spent against SHEET_MAX_SLOTS and SHEET_MAX_BYTES */
	size_t unpacked;       /* .xlsx bytes unpacked, against SHEET_MAX_BYTES */
	size_t strings;        /* .xlsx shared strings read, against max_rows * max_cols */
	size_t faults_cap;
	struct buf clean;      /* scratch: a cell's text with its faults replaced */
	char msg[256];
};

/* Spends slots and bytes of the budget; SHEET_TOO_LARGE (with the message) once it is used up. */
int reader_spend(struct reader *r, size_t slots, size_t bytes);
/* Records the first message and returns rc, so callers write `return reader_fail(...)`. */
int reader_fail(struct reader *r, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Puts text (n bytes, which may hold anything) in column col of the row being filled; skipped
 * columns get "". Control characters and invalid UTF-8 are replaced and the cell listed as a fault.
 */
int reader_cell_put(struct reader *r, size_t col, const char *text, size_t n);
/* Ends the row being filled as row index (0-based), keeping the empty rows before it. */
int reader_row_commit(struct reader *r, size_t index);

/* Length (1-4) of the well-formed UTF-8 character at p (n > 0 bytes), its code point in *cp; 0 if none. */
size_t sheet_utf8_next(const unsigned char *p, size_t n, unsigned *cp);

/* True if data (len bytes) starts with the n bytes of magic. */
bool sheet_has_prefix(const void *data, size_t len, const char *magic, size_t n);

/* Read the whole input in one format into r->out; return 0 or an enum sheet_rc. */
int sheet_csv_read(struct reader *r, const char *p, size_t n);
int sheet_xlsx_read(struct reader *r, const void *data, size_t len);

#endif
