/* xlsx.h: answering with an .xlsx workbook (libxlsxwriter), written to a temporary file and sent from it */
#ifndef API_XLSX_H
#define API_XLSX_H

#include <stddef.h>

#include "api/call.h"

struct xlsx;

/* Starts a one-sheet workbook with a bold header row; NULL (and a 500 answered) on failure. */
struct xlsx *xlsx_start(struct call *c, const char *sheet, const char *const *header);
/* Appends one row of text cells (count as the header). */
void xlsx_row(struct xlsx *x, const char *const *cells);
/* Closes the workbook and answers it as the download filename; frees x. */
void xlsx_send(struct xlsx *x, const char *filename);

/* Drops the workbook without answering (the caller answers the failure). */
void xlsx_abandon(struct xlsx *x);

#endif
