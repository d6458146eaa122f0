/* db_pg_dump.c: db_backup on PostgreSQL: pg_dump of the connection's database, run without a shell */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "db/db_pg.h"

/* PostgreSQL 15's pg_dump when installed beside the server, else the one on PATH. */
static const char *pg_dump_path(void)
{
	static const char *const installed = "/usr/lib/postgresql/15/bin/pg_dump";

	return access(installed, X_OK) == 0 ? installed : "pg_dump";
}

/*
 * pg_dump in custom format of the connection's database, run without a shell.
 * pg_dump takes one snapshot for the whole dump and blocks no writer.
 */
int db_pg_dump(PGconn *conn, const char *path, char *err, size_t errlen)
{
	char *dbname = NULL, *file = NULL, *password = NULL, **env;
	size_t nenv = 0;
	PQconninfoOption *info = PQconninfo(conn);
	int fd, status = -1;
	pid_t pid;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		PQconninfoFree(info);
		return -1;
	}
	close(fd);
	/* The connection's own parameters (a reset may have changed none): libpq reads them back as a conninfo. */
	{
		size_t cap = 1024, n = 0;

		dbname = xmalloc(cap);
		dbname[0] = '\0';
		for (PQconninfoOption *o = info; o && o->keyword; o++) {
			const char *v = o->val;
			size_t need;

			if (!v || !*v || o->dispchar[0] == 'D')
				continue;
			if (!strcmp(o->keyword, "password")) {
				/* Out of the arguments, which every user of the machine can read. */
				password = xmalloc(strlen(v) + sizeof("PGPASSWORD="));
				snprintf(password, strlen(v) + sizeof("PGPASSWORD="), "PGPASSWORD=%s", v);
				continue;
			}
			need = strlen(o->keyword) + 2 * strlen(v) + 8;
			if (n + need >= cap) {
				cap = (n + need) * 2;
				dbname = xrealloc(dbname, cap);
			}
			n += (size_t)snprintf(dbname + n, cap - n, "%s='", o->keyword);
			for (; *v; v++) {
				if (*v == '\'' || *v == '\\')
					dbname[n++] = '\\';
				dbname[n++] = *v;
			}
			dbname[n++] = '\'';
			dbname[n++] = ' ';
			dbname[n] = '\0';
		}
	}
	PQconninfoFree(info);
	file = xmalloc(strlen(path) + 8);
	snprintf(file, strlen(path) + 8, "--file=%s", path);
	for (char **e = environ; *e; e++)
		nenv++;
	env = xcalloc(nenv + 2, sizeof(*env));
	memcpy(env, environ, nenv * sizeof(*env));
	env[nenv] = password;
	pid = fork();
	if (pid == 0) {
		const char *prog = pg_dump_path();
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		environ = env;
		execlp(prog, "pg_dump", "--format=custom", "--no-password", file, "--dbname", dbname, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	free(file);
	free(dbname);
	free(password);
	free(env);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "pg_dump failed (%s)",
			 pid < 0 ? strerror(errno) : WIFEXITED(status) ? "exit status" : "killed");
		if (pid > 0 && WIFEXITED(status))
			snprintf(err, errlen, "pg_dump failed with status %d", WEXITSTATUS(status));
		unlink(path);
		return -1;
	}
	return 0;
}
