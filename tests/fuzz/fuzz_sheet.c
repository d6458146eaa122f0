/* fuzz_sheet.c: libFuzzer harness for the spreadsheet reader: any upload, or any XML zipped as an .xlsx */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/sheet.h"
#include "base/valid.h"

#define MAX_ROWS 1000
#define MAX_COLS 100

/*
 * An input that starts with 0x01 is not read as it is: the rest, split at NUL bytes, becomes
 * these parts of an .xlsx zipped here, so the fuzzer reaches the XML handlers past the CRC checks.
 */
static const char *const parts[] = {
	"xl/worksheets/sheet1.xml",
	"xl/sharedStrings.xml",
	"xl/workbook.xml",
	"xl/_rels/workbook.xml.rels",
};

/* Zips the parts in data; returns the .xlsx bytes (caller frees), or NULL. */
static char *zip_parts(const uint8_t *data, size_t size, size_t *len)
{
	zip_error_t ze;
	zip_source_t *out;
	zip_stat_t st;
	zip_t *z;
	char *zipped = NULL;
	size_t k = 0;

	zip_error_init(&ze);
	if (!(out = zip_source_buffer_create(NULL, 0, 0, &ze)))
		return NULL;
	zip_source_keep(out);
	if (!(z = zip_open_from_source(out, ZIP_TRUNCATE, &ze))) {
		zip_source_free(out);
		return NULL;
	}
	while (k < sizeof(parts) / sizeof(parts[0])) {
		const uint8_t *nul = memchr(data, 0, size);
		size_t n = nul ? (size_t)(nul - data) : size;
		zip_source_t *part = zip_source_buffer(z, data, n, 0);

		if (!part || zip_file_add(z, parts[k++], part, 0) < 0) {
			zip_source_free(part);
			break;
		}
		if (!nul)
			break;
		data += n + 1;
		size -= n + 1;
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_source_stat(out, &st) < 0 || zip_source_open(out) < 0)
		goto out;
	zipped = malloc(st.size ? st.size : 1);
	if (!zipped || zip_source_read(out, zipped, st.size) != (zip_int64_t)st.size) {
		free(zipped);
		zipped = NULL;
	}
	*len = st.size;
	zip_source_close(out);
out:
	zip_source_free(out);
	return zipped;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet s;
	char err[64];
	char *zipped = NULL;
	size_t len = size;
	const void *in = data;
	int rc;

	if (size > 0 && data[0] == 0x01) {
		if (!(zipped = zip_parts(data + 1, size - 1, &len)))
			return 0;
		in = zipped;
	}
	rc = sheet_read(in, len, MAX_ROWS, MAX_COLS, &s, err, sizeof(err));
	if (!valid_utf8_text(err, strlen(err)))
		abort();
	if (rc != SHEET_OK && (s.nrows || s.rows || !err[0]))
		abort();
	if (rc == SHEET_OK) {
		if (err[0] || s.nrows > MAX_ROWS)
			abort();
		for (size_t r = 0; r < s.nrows; r++) {
			if (s.rows[r].ncells > MAX_COLS)
				abort();
			for (size_t c = 0; c < s.rows[r].ncells; c++)
				if (!s.rows[r].cells[c] || !valid_utf8_text(s.rows[r].cells[c], strlen(s.rows[r].cells[c])))
					abort();
		}
	}
	sheet_release(&s);
	free(zipped);
	return 0;
}
