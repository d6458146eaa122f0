/* wish_import.h: micro-wishes from a spreadsheet: the template's columns, every row checked as wish_create's caller checks it, all or nothing */
#ifndef DOMAIN_WISH_IMPORT_H
#define DOMAIN_WISH_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sheet.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/import.h"

/* The most data rows one sheet may hold (a district's day of wishes is about 1,200). */
#define WISH_IMPORT_MAX 2000

/* The template's columns, in order (NULL-terminated), and one example row matching them. */
#define WISH_SHEET_COLUMNS 7
extern const char *const wish_import_columns[];
extern const char *const wish_import_example[];

/*
 * Checks every data row of sh (the header row found by its column names) for community
 * (code and path; the caller checked it may enter wishes there): 受益人 and 心愿内容 required,
 * lengths in characters as POST /wishes allows them, 价值上限(元) 1..WISH_VALUE_MAX yuan,
 * 联系电话 a phone number, 服务类别 a catalogue item (code or name) offered there, 截止日期 a
 * date not before today. Each fault named by row and column in out. With commit and no
 * fault, writes every row as a submitted wish (its submit event) and one audit entry
 * wish.import (detail: the count) in one transaction; with any fault, or without commit,
 * writes nothing (out->written 0). Returns 0, or -1 on a storage error (nothing written).
 * Caller releases out.
 */
int wish_import(struct db *db, const struct actor *who, const struct sheet *sh, const char *community_code,
		const char *community_path, bool commit, struct import_result *out);

#endif
