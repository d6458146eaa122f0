/* db_pg.h: what the PostgreSQL driver's files share (src/db/db_pg.c, src/db/db_pg_dump.c) */
#ifndef DB_DB_PG_H
#define DB_DB_PG_H

#include <libpq-fe.h>
#include <stddef.h>

/*
 * db_backup on PostgreSQL: pg_dump in custom format of conn's database into path (created here, mode 0600;
 * a file already there is refused), run without a shell, the password out of its arguments. pg_dump takes
 * one snapshot for the whole dump and blocks no writer. On failure nothing is left at path.
 */
int db_pg_dump(PGconn *conn, const char *path, char *err, size_t errlen);

#endif
