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

/* rows[i] is the sheet's row i + 1: empty rows are kept (ncells 0), so row numbers match Excel's. */
struct sheet {
	size_t nrows;
	struct sheet_row *rows;
	enum sheet_format format;
};

#define SHEET_INIT { 0, NULL, SHEET_XLSX }

/*
 * Reads the first worksheet (the first tab not hidden) of an .xlsx file, or a CSV in UTF-8
 * (with or without BOM) or GBK; the format is found from the bytes, not from a file name.
 * Cells come as stored: numbers and date serials as the file wrote them, booleans as
 * "TRUE"/"FALSE", nothing trimmed. max_rows counts every row, header included; max_rows and
 * max_cols of 0 mean Excel's own limits. Returns an enum sheet_rc. On SHEET_OK fills *out,
 * which the caller frees with sheet_release(); otherwise *out is left empty and err (if
 * errlen > 0) holds a message in Chinese for the person who uploaded the file.
 */
int sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols, struct sheet *out,
	       char *err, size_t errlen);

/* Frees every row and cell; the sheet is empty afterwards. */
void sheet_release(struct sheet *s);

#endif
