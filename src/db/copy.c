/* copy.c: copies a SQLite database's tables into PostgreSQL: catalogue, order by foreign keys, batches, checks */
#include "db/copy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "db/migrate.h"

/* PostgreSQL's limit of parameters in one statement (a 16-bit count). */
#define PG_MAX_PARAMS 65535
#define BATCH_MAX 1000

/* One value of a batch as SQLite stored it. */
struct val {
	enum { V_NULL, V_INT, V_TEXT } kind;
	int64_t i;
	char *s;
};

/* A list of names (tables or columns); caller frees with names_free. */
struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(s);
}

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Appends name as a quoted identifier ("a""b"): the catalogue's names go into SQL text only this way. */
static void add_ident(struct buf *b, const char *name)
{
	buf_addch(b, '"');
	for (const char *c = name; *c; c++) {
		if (*c == '"')
			buf_addch(b, '"');
		buf_addch(b, *c);
	}
	buf_addch(b, '"');
}

/* Runs sql with ?1 bound to arg (NULL: none) and collects its first column. -1 on a failed statement. */
static int read_names(struct db *db, const char *sql, const char *arg, struct names *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	if (arg)
		db_bind_text(st, 1, arg);
	while ((rc = db_step(st)) == DB_ROW)
		names_add(out, db_col_text(st, 0));
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* count(*) of table; -1 on error. */
static int64_t count_rows(struct db *db, const char *table)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int64_t n = -1;

	buf_addstr(&sql, "SELECT count(*) FROM ");
	add_ident(&sql, table);
	st = db_prepare(db, buf_str(&sql));
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	buf_release(&sql);
	return n;
}

/*
 * The row count of every table of p, in one statement (out[i] for p->tables[i]).
 * One text, not one per table: a long transaction's statements stay few in
 * the driver's cache. 0 or -1.
 */
static int count_all(struct db *db, const struct copy_plan *p, int64_t *out)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t seen = 0;
	int rc;

	if (!p->n)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		buf_addf(&sql, "%sSELECT %zu, count(*) FROM ", i ? " UNION ALL " : "", i);
		add_ident(&sql, p->tables[i].name);
	}
	st = db_prepare(db, buf_str(&sql));
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t i = db_col_int(st, 0);

		if (i >= 0 && (size_t)i < p->n) {
			out[i] = db_col_int(st, 1);
			seen++;
		}
	}
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE && seen == p->n ? 0 : -1;
}

static size_t find_table(const struct copy_table *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return i;
	return n;
}

/*
 * Orders tables parents first (Kahn's algorithm; among the ready ones, by
 * name, so the order is always the same). parents[i] names table i's
 * referenced tables; a table referring to itself is copied in rowid order
 * (a row can only have been inserted after the row it refers to).
 */
static int order_tables(struct copy_table *t, size_t n, struct names *parents, char *err, size_t errlen)
{
	struct copy_table *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	char *placed = xcalloc(n ? n : 1, 1);
	size_t done = 0;

	while (done < n) {
		size_t pick = n;

		for (size_t i = 0; i < n && pick == n; i++) {
			int ready = !placed[i];

			for (size_t k = 0; ready && k < parents[i].n; k++) {
				size_t j = find_table(t, n, parents[i].v[k]);

				if (j < n && j != i && !placed[j])
					ready = 0;
			}
			if (ready)
				pick = i;
		}
		if (pick == n) {
			for (size_t i = 0; i < n; i++)
				if (!placed[i]) {
					snprintf(err, errlen, "the foreign keys of table %s are part of a cycle", t[i].name);
					break;
				}
			free(sorted);
			free(placed);
			return -1;
		}
		placed[pick] = 1;
		sorted[done++] = t[pick];
	}
	memcpy(t, sorted, n * sizeof(*t));
	free(sorted);
	free(placed);
	return 0;
}

int copy_plan_read(struct db *src, struct copy_plan *p, char *err, size_t errlen)
{
	struct names tables = { 0 }, *parents = NULL;
	struct db_stmt *st;
	int rc = -1, step;

	memset(p, 0, sizeof(*p));
	if (db_engine(src) != DB_SQLITE) {
		snprintf(err, errlen, "the source must be a SQLite database");
		return -1;
	}
	if (read_names(src,
		       "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
		       "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> 'schema_version' ORDER BY name",
		       NULL, &tables) < 0) {
		snprintf(err, errlen, "cannot read the source's tables");
		goto out;
	}
	p->tables = xcalloc(tables.n ? tables.n : 1, sizeof(*p->tables));
	parents = xcalloc(tables.n ? tables.n : 1, sizeof(*parents));
	for (size_t i = 0; i < tables.n; i++) {
		struct copy_table *t = &p->tables[p->n++];
		struct names cols = { 0 };

		t->name = xstrdup(tables.v[i]);
		if (read_names(src, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid", t->name,
			       &cols) < 0 ||
		    read_names(src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)", t->name, &parents[i]) <
			    0) {
			names_free(&cols);
			snprintf(err, errlen, "cannot read the columns of table %s", t->name);
			goto out;
		}
		t->cols = cols.v;
		t->ncols = cols.n;
		st = db_prepare(src, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1");
		db_bind_text(st, 1, t->name);
		step = db_step(st);
		t->rowid = step == DB_ROW && db_col_int(st, 0) == 0;
		db_done(st);
		if (step != DB_ROW || (t->rows = count_rows(src, t->name)) < 0) {
			snprintf(err, errlen, "cannot count the rows of table %s", t->name);
			goto out;
		}
		p->rows += t->rows;
	}
	rc = order_tables(p->tables, p->n, parents, err, errlen);
out:
	for (size_t i = 0; parents && i < tables.n; i++)
		names_free(&parents[i]);
	free(parents);
	names_free(&tables);
	if (rc < 0)
		copy_plan_release(p);
	return rc;
}

void copy_plan_release(struct copy_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		for (size_t c = 0; c < p->tables[i].ncols; c++)
			free(p->tables[i].cols[c]);
		free(p->tables[i].cols);
		free(p->tables[i].name);
	}
	free(p->tables);
	memset(p, 0, sizeof(*p));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of t (its copied columns) as one string each, sorted: a comparison that no collation sways. */
static int rows_sorted(struct db *db, const struct copy_table *t, struct names *out)
{
	struct buf sql = BUF_INIT, row = BUF_INIT;
	struct db_stmt *st;
	int rc;

	buf_addstr(&sql, "SELECT ");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_addstr(&sql, ", ");
		add_ident(&sql, t->cols[c]);
	}
	buf_addstr(&sql, " FROM ");
	add_ident(&sql, t->name);
	st = db_prepare(db, buf_str(&sql));
	while ((rc = db_step(st)) == DB_ROW) {
		buf_reset(&row);
		for (size_t c = 0; c < t->ncols; c++) {
			/* \x01 ends a value, \x02 is NULL: no text here holds either. */
			if (db_col_null(st, (int)c))
				buf_addch(&row, '\x02');
			else
				buf_addstr(&row, db_col_text(st, (int)c));
			buf_addch(&row, '\x01');
		}
		names_add(out, buf_str(&row));
	}
	db_done(st);
	buf_release(&sql);
	buf_release(&row);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return rc == DB_DONE ? 0 : -1;
}

/* 0 when db has exactly the tables of p with the same columns; -1 with err naming the first difference. */
static int same_tables(struct db *db, const struct copy_plan *p, char *err, size_t errlen)
{
	struct names tables = { 0 };
	int rc = -1;

	if (read_names(db,
		       "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
		       "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY table_name",
		       NULL, &tables) < 0) {
		snprintf(err, errlen, "cannot read the target's tables");
		return -1;
	}
	for (size_t i = 0; i < tables.n; i++)
		if (find_table(p->tables, p->n, tables.v[i]) == p->n) {
			snprintf(err, errlen, "the target has a table the source has not: %s", tables.v[i]);
			goto out;
		}
	for (size_t i = 0; i < p->n; i++) {
		const struct copy_table *t = &p->tables[i];
		struct names cols = { 0 };
		int same;

		if (read_names(db,
			       "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
			       "AND table_name = ?1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
			       t->name, &cols) < 0) {
			snprintf(err, errlen, "cannot read the target's columns of %s", t->name);
			goto out;
		}
		same = cols.n == t->ncols;
		for (size_t c = 0; same && c < cols.n; c++)
			same = !strcmp(cols.v[c], t->cols[c]);
		if (!same) {
			snprintf(err, errlen,
				 cols.n ? "table %s has other columns in the target than in the source"
					: "the target has no table %s",
				 t->name);
			names_free(&cols);
			goto out;
		}
		names_free(&cols);
	}
	rc = 0;
out:
	names_free(&tables);
	return rc;
}

/* 0 when t holds the same rows in a and b. */
static int same_rows(struct db *a, struct db *b, const struct copy_table *t)
{
	struct names ra = { 0 }, rb = { 0 };
	int same = rows_sorted(a, t, &ra) == 0 && rows_sorted(b, t, &rb) == 0 && ra.n == rb.n;

	for (size_t i = 0; same && i < ra.n; i++)
		same = !strcmp(ra.v[i], rb.v[i]);
	names_free(&ra);
	names_free(&rb);
	return same ? 0 : -1;
}

int copy_check_target(struct db *dst, const struct copy_plan *p, char *err, size_t errlen)
{
	int64_t *have = xcalloc(p->n + 1, sizeof(*have)), *seeded = xcalloc(p->n + 1, sizeof(*seeded));
	struct db *fresh = NULL;
	char msg[256] = "";
	int rc = -1;

	if (same_tables(dst, p, err, errlen) < 0)
		goto out;
	/* What the migrations alone leave in a database: the seeds. */
	if (db_open(":memory:", &fresh, msg, sizeof(msg)) < 0 || migrate_apply(fresh, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "cannot make a fresh database to compare with: %s", msg);
		goto out;
	}
	if (count_all(dst, p, have) < 0 || count_all(fresh, p, seeded) < 0) {
		snprintf(err, errlen, "cannot count the rows of the target's tables");
		goto out;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct copy_table *t = &p->tables[i];

		if (have[i] != seeded[i]) {
			snprintf(err, errlen,
				 "the target is not a new database: table %s holds %" PRId64 " rows (a new one holds %" PRId64
				 ")",
				 t->name, have[i], seeded[i]);
			goto out;
		}
		if (have[i] && same_rows(dst, fresh, t) < 0) {
			snprintf(err, errlen, "the target is not a new database: the rows of table %s were changed",
				 t->name);
			goto out;
		}
	}
	rc = 0;
out:
	db_close(fresh);
	free(have);
	free(seeded);
	return rc;
}

/* Appends "PREFIX "table" SUFFIX;" for every table of p, in plan order or reversed. */
static void each_table(struct buf *b, const struct copy_plan *p, int reversed, const char *prefix,
		       const char *suffix)
{
	for (size_t k = 0; k < p->n; k++) {
		const struct copy_table *t = &p->tables[reversed ? p->n - 1 - k : k];

		buf_addstr(b, prefix);
		add_ident(b, t->name);
		buf_addstr(b, suffix);
		buf_addstr(b, ";\n");
	}
}

/* Appends s as a SQL string literal ('a''b'). */
static void add_literal(struct buf *b, const char *s)
{
	buf_addch(b, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '\'')
			buf_addch(b, '\'');
		buf_addch(b, *c);
	}
	buf_addch(b, '\'');
}

/*
 * Runs script on db (statements run once are sent as one script: not
 * prepared, nor kept in the driver's cache). 0, or -1 with err filled.
 */
static int run_script(struct db *db, struct buf *script, const char *what, char *err, size_t errlen)
{
	char msg[256];
	int rc = db_exec_script(db, buf_str(script), msg, sizeof(msg));

	if (rc < 0)
		snprintf(err, errlen, "cannot %s: %s", what, msg);
	buf_reset(script);
	return rc < 0 ? -1 : 0;
}

/* Inserts the n rows of vals into t with one statement; frees their texts. 0 or -1. */
static int flush(struct db *dst, const struct copy_table *t, struct val *vals, size_t n)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t k = 0;
	int rc;

	buf_addstr(&sql, "INSERT INTO ");
	add_ident(&sql, t->name);
	buf_addstr(&sql, " (");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_addstr(&sql, ", ");
		add_ident(&sql, t->cols[c]);
	}
	buf_addstr(&sql, ") VALUES ");
	buf_reserve(&sql, n * (t->ncols * 2 + 3));
	for (size_t r = 0; r < n; r++) {
		buf_addstr(&sql, r ? ", (" : "(");
		for (size_t c = 0; c < t->ncols; c++)
			buf_addstr(&sql, c ? ", ?" : "?");
		buf_addch(&sql, ')');
	}
	st = db_prepare(dst, buf_str(&sql));
	for (k = 0; k < n * t->ncols; k++) {
		if (vals[k].kind == V_INT)
			db_bind_int(st, (int)k + 1, vals[k].i);
		else if (vals[k].kind == V_TEXT)
			db_bind_text(st, (int)k + 1, vals[k].s);
		else
			db_bind_null(st, (int)k + 1);
		free(vals[k].s);
		vals[k].s = NULL;
	}
	rc = db_step(st);
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE ? 0 : -1;
}

/* Copies one table, rows in rowid order, per rows at a time. */
static int copy_table(struct db *src, struct db *dst, const struct copy_table *t, size_t per,
		      copy_progress_fn *progress, char *err, size_t errlen)
{
	struct buf sql = BUF_INIT;
	struct val *vals = xcalloc(per * t->ncols, sizeof(*vals));
	struct db_stmt *st;
	size_t n = 0;
	int64_t done = 0;
	int rc = -1, step;

	buf_addstr(&sql, "SELECT ");
	for (size_t c = 0; c < t->ncols; c++) {
		buf_addstr(&sql, c ? ", " : "");
		add_ident(&sql, t->cols[c]);
		buf_addstr(&sql, ", typeof(");
		add_ident(&sql, t->cols[c]);
		buf_addch(&sql, ')');
	}
	buf_addstr(&sql, " FROM ");
	add_ident(&sql, t->name);
	if (t->rowid)
		buf_addstr(&sql, " ORDER BY rowid");
	st = db_prepare(src, buf_str(&sql));
	while ((step = db_step(st)) == DB_ROW) {
		for (size_t c = 0; c < t->ncols; c++) {
			struct val *v = &vals[n * t->ncols + c];
			const char *type = db_col_text(st, (int)(2 * c + 1));

			if (!strcmp(type, "null")) {
				v->kind = V_NULL;
			} else if (!strcmp(type, "integer")) {
				v->kind = V_INT;
				v->i = db_col_int(st, (int)(2 * c));
			} else if (!strcmp(type, "text")) {
				v->kind = V_TEXT;
				v->s = xstrdup(db_col_text(st, (int)(2 * c)));
			} else {
				snprintf(err, errlen, "table %s, column %s holds a %s value (row %" PRId64
						      "): this command copies only integers and text",
					 t->name, t->cols[c], type, done + (int64_t)n + 1);
				n++;
				goto out;
			}
		}
		if (++n == per) {
			if (flush(dst, t, vals, n) < 0)
				goto fail;
			done += (int64_t)n;
			n = 0;
			if (progress)
				progress(t->name, done, t->rows);
		}
	}
	if (step != DB_DONE) {
		snprintf(err, errlen, "cannot read table %s of the source", t->name);
		goto out;
	}
	if (n) {
		if (flush(dst, t, vals, n) < 0)
			goto fail;
		done += (int64_t)n;
		n = 0;
	}
	if (progress && (done == 0 || done % (int64_t)per))
		progress(t->name, done, t->rows);
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "cannot insert into table %s of the target (rows %" PRId64 " to %" PRId64 "; see the log)",
		 t->name, done + 1, done + (int64_t)n);
	n = 0;
out:
	db_done(st);
	for (size_t k = 0; k < n * t->ncols; k++)
		free(vals[k].s);
	free(vals);
	buf_release(&sql);
	return rc;
}

/* Appends a setval for every identity column of the target past the largest id copied (docs/postgres.md, Ids). */
static int add_sequences(struct db *dst, const struct copy_plan *p, struct buf *script)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct copy_table *t = &p->tables[i];
		struct names cols = { 0 };
		struct buf table = BUF_INIT;

		if (read_names(dst,
			       "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
			       "AND table_name = ?1 AND is_identity = 'YES'",
			       t->name, &cols) < 0)
			return -1;
		/* pg_get_serial_sequence reads the table's name as SQL (quoted), the column's as it is. */
		add_ident(&table, t->name);
		for (size_t c = 0; c < cols.n; c++) {
			buf_addstr(script, "SELECT setval(pg_get_serial_sequence(");
			add_literal(script, buf_str(&table));
			buf_addstr(script, ", ");
			add_literal(script, cols.v[c]);
			buf_addstr(script, "), COALESCE(max(");
			add_ident(script, cols.v[c]);
			buf_addstr(script, "), 0) + 1, false) FROM ");
			add_ident(script, t->name);
			buf_addstr(script, ";\n");
		}
		buf_release(&table);
		names_free(&cols);
	}
	return 0;
}

int copy_run(struct db *src, struct db *dst, const struct copy_plan *p, int batch, copy_progress_fn *progress,
	     char *err, size_t errlen)
{
	struct buf script = BUF_INIT;
	int64_t *have = xcalloc(p->n + 1, sizeof(*have));
	int rc = -1;

	if (db_engine(dst) != DB_POSTGRES) {
		snprintf(err, errlen, "the target must be a PostgreSQL database");
		goto out;
	}
	if (batch < 1 || batch > BATCH_MAX)
		batch = BATCH_MAX;
	/*
	 * The table's owner may do this, inside the transaction: nothing outside
	 * it sees the triggers off. Then the migrations' seeds go (copy_check_target
	 * saw nothing else), children first: the source's own rows replace them.
	 */
	each_table(&script, p, 0, "ALTER TABLE ", " DISABLE TRIGGER USER");
	if (run_script(dst, &script, "disable the triggers (is the user the tables' owner?)", err, errlen) < 0)
		goto out;
	each_table(&script, p, 1, "DELETE FROM ", "");
	if (run_script(dst, &script, "clear the seeded rows", err, errlen) < 0)
		goto out;
	for (size_t i = 0; i < p->n; i++) {
		const struct copy_table *t = &p->tables[i];
		size_t per = (size_t)batch;

		if (t->ncols == 0)
			continue;
		if (per * t->ncols > PG_MAX_PARAMS)
			per = PG_MAX_PARAMS / t->ncols;
		if (copy_table(src, dst, t, per, progress, err, errlen) < 0)
			goto out;
	}
	each_table(&script, p, 0, "ALTER TABLE ", " ENABLE TRIGGER USER");
	if (run_script(dst, &script, "enable the triggers again", err, errlen) < 0)
		goto out;
	if (add_sequences(dst, p, &script) < 0) {
		snprintf(err, errlen, "cannot read the target's identity columns");
		goto out;
	}
	if (script.len && run_script(dst, &script, "set the id sequences", err, errlen) < 0)
		goto out;
	if (count_all(dst, p, have) < 0) {
		snprintf(err, errlen, "cannot count the rows of the target's tables");
		goto out;
	}
	for (size_t i = 0; i < p->n; i++)
		if (have[i] != p->tables[i].rows) {
			snprintf(err, errlen, "table %s: %" PRId64 " rows in the source, %" PRId64 " in the target",
				 p->tables[i].name, p->tables[i].rows, have[i]);
			goto out;
		}
	rc = 0;
out:
	buf_release(&script);
	free(have);
	return rc;
}
