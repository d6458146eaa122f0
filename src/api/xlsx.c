/* xlsx.c: .xlsx downloads: every cell written as text (ID and phone numbers keep their digits) */
#include "api/xlsx.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/xalloc.h"

struct xlsx {
	struct call *c;
	char path[64];
	lxw_workbook *book;
	lxw_worksheet *sheet;
	lxw_format *text;
	size_t ncols;
	lxw_row_t row;
};

struct xlsx *xlsx_start(struct call *c, const char *sheet, const char *const *header)
{
	struct xlsx *x = xcalloc(1, sizeof(*x));
	lxw_format *bold;
	int fd;

	str_copy(x->path, sizeof(x->path), "/tmp/baodao-xlsx-XXXXXX");
	fd = mkstemp(x->path);
	/* Rows go to the file as they come (constant memory): a city's 260,000 files never sit in memory. */
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE };

	if (fd < 0 || !(x->book = workbook_new_opt(x->path, &opt))) {
		if (fd >= 0) {
			close(fd);
			unlink(x->path);
		}
		free(x);
		reply_internal(c, "creating a workbook");
		return NULL;
	}
	close(fd);
	x->c = c;
	x->sheet = workbook_add_worksheet(x->book, sheet);
	x->text = workbook_add_format(x->book);
	format_set_num_format(x->text, "@");
	bold = workbook_add_format(x->book);
	format_set_bold(bold);
	format_set_num_format(bold, "@");
	for (; header[x->ncols]; x->ncols++) {
		worksheet_write_string(x->sheet, 0, (lxw_col_t)x->ncols, header[x->ncols], bold);
		worksheet_set_column(x->sheet, (lxw_col_t)x->ncols, (lxw_col_t)x->ncols, 16, x->text);
	}
	worksheet_freeze_panes(x->sheet, 1, 0);
	x->row = 1;
	return x;
}

void xlsx_row(struct xlsx *x, const char *const *cells)
{
	for (size_t i = 0; i < x->ncols; i++)
		if (cells[i] && *cells[i])
			worksheet_write_string(x->sheet, x->row, (lxw_col_t)i, cells[i], x->text);
	x->row++;
}

void xlsx_send(struct xlsx *x, const char *filename)
{
	char disposition[256];
	struct stat st;
	int fd;

	if (workbook_close(x->book) != LXW_NO_ERROR || (fd = open(x->path, O_RDONLY | O_CLOEXEC)) < 0) {
		unlink(x->path);
		reply_internal(x->c, "writing a workbook");
		free(x);
		return;
	}
	/* The open descriptor keeps the data; the name goes at once so nothing is left behind. */
	unlink(x->path);
	fstat(fd, &st);
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
	resp_header(x->c->resp, "Content-Disposition", disposition);
	resp_header(x->c->resp, "Cache-Control", "no-store");
	x->c->resp->status = 200;
	x->c->resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	x->c->resp->fd = fd;
	x->c->resp->fd_size = (uint64_t)st.st_size;
	free(x);
}

void xlsx_abandon(struct xlsx *x)
{
	workbook_close(x->book);
	unlink(x->path);
	free(x);
}
