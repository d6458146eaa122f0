# bench/pg.sh: a throwaway PostgreSQL 15 cluster for the bench scripts (sourced). Debian's postgresql-15.
#   pg_start [DIR]    initdb into DIR/data (owned by postgres when run as root), start it on a Unix socket in DIR
#                     (no TCP), and set $pg_dir; its log is DIR/log. DIR defaults to a new /tmp/baodao-bench-pg-XXXXXX;
#                     one given must be new, in folders user postgres can enter (not in a mktemp -d folder)
#   pg_url NAME       the address baodao takes (--db) for database NAME on it
#   pg_createdb NAME  a new empty database (C.UTF-8, as docs/postgres.md asks)
#   pg_psql NAME SQL  psql -At on database NAME, stopping at the first error
#   pg_settings       the settings below, one line, for RESULTS.md
#   pg_stop           stop it at once (the data is thrown away) and remove DIR
# Durable like the SQLite disk runs: fsync and synchronous_commit on (every commit flushed before its answer),
# full_page_writes on; the data in /tmp, on the same disk as the SQLite files. The rest is sized for this machine's
# benchmark: shared_buffers 1GB (the 260,000-file city fits), checkpoints spread (max_wal_size 4GB, 15 min) so that
# `baodao generate` is not a row of checkpoints, JIT off (it costs a short query tens of milliseconds).
pg_bin=/usr/lib/postgresql/15/bin
pg_user=baodao
pg_dir=""
pg_opts="-c listen_addresses='' -c max_connections=200 -c shared_buffers=1GB -c effective_cache_size=4GB \
-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_buffers=16MB -c max_wal_size=4GB \
-c checkpoint_timeout=15min -c checkpoint_completion_target=0.9 -c jit=off"

pg_settings() { echo "$pg_opts" | sed "s/-c //g; s/listen_addresses='' //"; }

# pg_as PROG ARGS: a PostgreSQL program as the cluster's owner (postgres refuses to run as root)
pg_as() {
	prog=$1
	shift
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$pg_bin/$prog" "$@"
	else
		"$pg_bin/$prog" "$@"
	fi
}

pg_start() {
	[ -x "$pg_bin/initdb" ] || { echo "bench: PostgreSQL 15 is not installed (sh scripts/deps.sh check)" >&2; return 1; }
	pg_dir=${1:-$(mktemp -d /tmp/baodao-bench-pg-XXXXXX)}
	mkdir -p "$pg_dir"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
	pg_as initdb -D "$pg_dir/data" -A trust -U "$pg_user" -E UTF8 --locale=C.UTF-8 >/dev/null
	pg_as pg_ctl -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-k $pg_dir $pg_opts" start >/dev/null
}

pg_url() { echo "postgres:///$1?host=$pg_dir&user=$pg_user"; }

pg_psql() { "$pg_bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$pg_dir" -U "$pg_user" -d "$1" -c "$2"; }

pg_createdb() { pg_psql postgres "CREATE DATABASE $1"; }

pg_stop() {
	[ -n "$pg_dir" ] || return 0
	pg_as pg_ctl -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$pg_dir"
	pg_dir=""
}
