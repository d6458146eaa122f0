/* sheet.h: reads an uploaded spreadsheet (.xlsx or CSV) into rows of UTF-8 text cells */
#ifndef BASE_SHEET_H
#define BASE_SHEET_H

#include <stddef.h>

enum sheet_format { SHEET_XLSX, SHEET_CSV_UTF8, SHEET_CSV_GBK };

enum sheet_rc {
	SHEET_OK = 0,
	SHEET_NOT_SPREADSHEET = -1, /* a picture, a PDF, an old .xls, an empty file, a zip that is no .xlsx */
	SHEET_TOO_LARGE = -2,       /* past max_rows or max_cols, or over 64 MiB of content */
	SHEET_DAMAGED = -3,         /* an .xlsx or CSV that cannot be read to its end */
};

/* One row: cells[i] is column i (A is 0). Rows differ in length; a missing cell is an empty one. */
struct sheet_row {
	size_t ncells;
	char **cells; /* UTF-8, NUL-terminated, never NULL ("" for an empty cell) */
};

/* Why a cell's text is not what the file held. */
enum sheet_fault_kind {
	SHEET_FAULT_CONTROL,  /* a control character (other than tab, line feed, carriage return) */
	SHEET_FAULT_ENCODING, /* bytes that are no character in the file's encoding */
};

/* One cell with a fault: the first one found in it (row and col 0-based, as in rows[]). */
struct sheet_fault {
	size_t row, col;
	enum sheet_fault_kind kind;
	unsigned codepoint; /* the control character, for SHEET_FAULT_CONTROL */
};

/*
 * rows[i] is the sheet's row i + 1: empty rows are kept (ncells 0), so row numbers match Excel's.
 * A cell never holds a control character other than tab and line breaks, nor invalid UTF-8:
 * each is replaced by U+FFFD and the cell is listed in faults (ordered by row, then column),
 * for the reader of the sheet to name the cell; the rest of the file is read as usual.
 */
struct sheet {
	size_t nrows;
	struct sheet_row *rows;
	enum sheet_format format;
	size_t nfaults;
	struct sheet_fault *faults;
};

#define SHEET_INIT { 0, NULL, SHEET_XLSX, 0, NULL }

#define SHEET_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, put where a fault was */

/*
 * Reads the first worksheet (the first tab not hidden) of an .xlsx file, or a CSV in UTF-8
 * (with or without BOM) or GBK; the format is found from the bytes, not from a file name.
 * Cells come as stored: numbers and date serials as the file wrote them, booleans as
 * "TRUE"/"FALSE", nothing trimmed; _xHHHH_ escapes of .xlsx decoded. max_rows counts every row,
 * header included; max_rows and max_cols of 0 mean Excel's own limits. An .xlsx's shared
 * strings count against the limits too (at most max_rows * max_cols of them, each as a cell).
 * Returns an enum sheet_rc. On SHEET_OK fills *out, which the caller frees with
 * sheet_release(); otherwise *out is left empty and err (if errlen > 0) holds a message in
 * Chinese for the person who uploaded the file.
 */
int sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols, struct sheet *out,
	       char *err, size_t errlen);

/* The fault of cell (row, col), 0-based, or NULL when it has none. */
const struct sheet_fault *sheet_fault_at(const struct sheet *s, size_t row, size_t col);

/* Frees every row and cell; the sheet is empty afterwards. */
void sheet_release(struct sheet *s);

#endif
