#!/bin/sh
# pg-replica.sh: a PostgreSQL 15 streaming replica for baodao: prepare the primary, make a replica from it,
# promote a replica, show where replication stands. Run it as the clusters' owner (postgres). docs/postgres.md.
set -eu

prog=pg-replica.sh

usage() {
	cat <<'USAGE'
usage: pg-replica.sh COMMAND [ARGS]

Commands (run them as the clusters' owner, e.g. `sudo -u postgres sh pg-replica.sh ...`):

  setup-primary PRIMARY_CONN [--role NAME] [--password-file FILE] [--allow ADDR]
                [--method METHOD] [--sync NAME]
      Prepares a running primary: checks wal_level (replica or logical) and max_wal_senders,
      creates the replication role (default replicator; the password, when given, is read
      from FILE), adds a pg_hba.conf line for it ("host replication ROLE ADDR METHOD", or
      "local replication ROLE METHOD" when ADDR is "local"; METHOD default scram-sha-256)
      unless the same line is there, and reloads the configuration. --sync NAME makes the
      standby whose application_name is NAME synchronous (synchronous_standby_names and
      synchronous_commit = on): a commit then waits until NAME has it on its disk, and
      writes wait while NAME is down. --sync '' goes back to asynchronous replication.
      PRIMARY_CONN: a libpq connection string of a superuser on the primary.

  make-replica PRIMARY_CONN DATA_DIR [--name NAME] [--slot SLOT]
      Copies the primary into DATA_DIR (absent or empty) with pg_basebackup, WAL streamed
      during the copy, and writes the standby's settings (standby.signal, primary_conninfo):
      DATA_DIR, started with pg_ctl or pg_ctlcluster, is a hot standby that follows the
      primary. NAME is its application_name (what --sync names); SLOT, a physical
      replication slot created on the primary, keeps WAL there until the replica has it.
      PRIMARY_CONN: a connection string of the replication role (no dbname needed).

  promote DATA_DIR
      Promotes the standby in DATA_DIR (pg_ctl promote, waiting until it accepts writes).
      Stop the old primary first, and keep it stopped: two primaries never come back
      together; the old one returns only as a new replica (docs/postgres.md).

  status [CONN]
      Whether the server is a primary or a standby; on a primary each standby's state,
      sync_state and lag, on a standby the WAL receiver's state and the replay lag.

Environment: PG_BIN, the folder of PostgreSQL's programs (default /usr/lib/postgresql/15/bin
when present, else PATH).
USAGE
}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

bin() {
	if [ -n "${PG_BIN:-}" ]; then
		printf '%s/%s' "$PG_BIN" "$1"
	elif [ -x "/usr/lib/postgresql/15/bin/$1" ]; then
		printf '/usr/lib/postgresql/15/bin/%s' "$1"
	else
		printf '%s' "$1"
	fi
}

not_root() {
	[ "$(id -u)" != 0 ] || die "run as the clusters' owner, not root (e.g. runuser -u postgres -- sh $0 $*)"
}

# psql CONN, SQL on stdin: unaligned tuples only, stops at the first error.
sql() {
	"$(bin psql)" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1"
}

# The value of an option: the next argument, which must be there.
need() {
	[ $# -ge 2 ] || die "$1 needs a value"
}

name_ok() {
	case $1 in
	'' | *[!a-z0-9_]* | [0-9]*) return 1 ;;
	esac
	return 0
}

# text with every ' doubled: a SQL literal's inside.
quote() {
	printf '%s' "$1" | sed "s/'/''/g"
}

setup_primary() {
	[ $# -ge 1 ] || die "setup-primary needs PRIMARY_CONN (see --help)"
	conn=$1
	shift
	role=replicator pwfile='' allow='' method=scram-sha-256 sync='' set_sync=no
	while [ $# -gt 0 ]; do
		case $1 in
		--role) need "$@"; role=$2; shift 2 ;;
		--password-file) need "$@"; pwfile=$2; shift 2 ;;
		--allow) need "$@"; allow=$2; shift 2 ;;
		--method) need "$@"; method=$2; shift 2 ;;
		--sync) need "$@"; sync=$2; set_sync=yes; shift 2 ;;
		*) die "setup-primary: unknown option '$1'" ;;
		esac
	done
	name_ok "$role" || die "--role must be lower-case letters, digits and _ (not starting with a digit)"
	[ -z "$sync" ] || name_ok "$sync" || die "--sync must be lower-case letters, digits and _"
	case $method in
	scram-sha-256 | md5 | trust | peer | cert) ;;
	*) die "--method must be scram-sha-256, md5, trust, peer or cert" ;;
	esac
	case $allow in
	'' | local) ;;
	*[!0-9a-fA-F.:/]* | */*/*) die "--allow must be local or an address with its mask (10.0.0.2/32)" ;;
	*/*) ;;
	*) die "--allow needs a mask: $allow/32 (or /128 for IPv6)" ;;
	esac

	[ "$(echo 'SELECT pg_is_in_recovery()' | sql "$conn")" = f ] || die "the server is a standby, not a primary"
	level=$(echo 'SHOW wal_level' | sql "$conn")
	senders=$(echo 'SHOW max_wal_senders' | sql "$conn")
	restart=no
	if [ "$level" = minimal ]; then
		echo "ALTER SYSTEM SET wal_level = replica" | sql "$conn"
		restart=yes
	fi
	if [ "$senders" -lt 2 ]; then
		echo "ALTER SYSTEM SET max_wal_senders = 10" | sql "$conn"
		restart=yes
	fi

	if [ "$set_sync" = yes ]; then
		if [ -n "$sync" ]; then
			printf "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (%s)';
ALTER SYSTEM SET synchronous_commit = on;\n" "$sync" | sql "$conn"
			echo "synchronous standby: $sync (commits wait for it)"
		else
			echo "ALTER SYSTEM RESET synchronous_standby_names" | sql "$conn"
			echo "asynchronous replication (no synchronous standby)"
		fi
		# First, and read at once: the writes below would wait for a standby that --sync '' lets go.
		echo 'SELECT pg_reload_conf()' | sql "$conn" >/dev/null
	fi

	# Written only when something changes: each write waits for a synchronous standby, if one is named.
	exists=$(echo "SELECT count(*) FROM pg_roles WHERE rolname = '$role'" | sql "$conn")
	if [ "$exists" = 0 ]; then
		echo "CREATE ROLE $role WITH REPLICATION LOGIN" | sql "$conn"
		echo "created the role $role"
	elif [ "$(echo "SELECT rolreplication AND rolcanlogin FROM pg_roles WHERE rolname = '$role'" |
		sql "$conn")" != t ]; then
		echo "ALTER ROLE $role WITH REPLICATION LOGIN" | sql "$conn"
	fi
	if [ -n "$pwfile" ]; then
		[ -r "$pwfile" ] || die "cannot read $pwfile"
		pw=$(head -n 1 "$pwfile")
		[ -n "$pw" ] || die "$pwfile is empty"
		# On stdin, never in the arguments, which every user of the machine can read.
		printf "SET log_statement = 'none'; ALTER ROLE %s WITH PASSWORD '%s'\n" "$role" "$(quote "$pw")" |
			sql "$conn" >/dev/null
		echo "set the password of $role"
	fi

	if [ -n "$allow" ]; then
		hba=$(echo 'SHOW hba_file' | sql "$conn")
		[ -w "$hba" ] || die "cannot write $hba (run as its owner)"
		if [ "$allow" = local ]; then
			line="local replication $role $method"
		else
			line="host replication $role $allow $method"
		fi
		if grep -qxF "$line" "$hba"; then
			echo "pg_hba.conf has the line already: $line"
		else
			printf '# added by pg-replica.sh (baodao)\n%s\n' "$line" >>"$hba"
			echo "added to $hba: $line"
		fi
	fi

	echo 'SELECT pg_reload_conf()' | sql "$conn" >/dev/null
	if [ "$restart" = yes ]; then
		echo "restart the primary for wal_level/max_wal_senders (e.g. pg_ctlcluster 15 main restart)"
	fi
}

make_replica() {
	[ $# -ge 2 ] || die "make-replica needs PRIMARY_CONN and DATA_DIR (see --help)"
	conn=$1 data=$2
	shift 2
	name='' slot=''
	while [ $# -gt 0 ]; do
		case $1 in
		--name) need "$@"; name=$2; shift 2 ;;
		--slot) need "$@"; slot=$2; shift 2 ;;
		*) die "make-replica: unknown option '$1'" ;;
		esac
	done
	not_root make-replica
	[ -z "$name" ] || name_ok "$name" || die "--name must be lower-case letters, digits and _"
	[ -z "$slot" ] || name_ok "$slot" || die "--slot must be lower-case letters, digits and _"
	if [ -e "$data" ] && [ -n "$(ls -A "$data")" ]; then
		die "$data is not empty: a replica starts from an empty folder"
	fi
	case $conn in
	postgres://* | postgresql://*) [ -z "$name" ] || die "--name needs PRIMARY_CONN as key=value words" ;;
	esac
	# application_name in the copied connection string: the name the primary knows the standby by.
	[ -z "$name" ] || conn="$conn application_name=$name"
	set -- -D "$data" -d "$conn" -R -X stream -c fast --no-password
	[ -z "$slot" ] || set -- "$@" -C -S "$slot"
	"$(bin pg_basebackup)" "$@" || die "pg_basebackup failed (is PRIMARY_CONN allowed by the primary's pg_hba.conf?)"
	chmod 700 "$data"
	# The copy has the primary's settings: promoted, it would wait for a synchronous standby of its own that
	# does not exist, and every write would hang. Alone it is asynchronous until setup-primary --sync says.
	printf "# added by pg-replica.sh (baodao): no synchronous standby once promoted, until one is set up\n%s\n" \
		"synchronous_standby_names = ''" >>"$data/postgresql.auto.conf"
	echo "replica made in $data; start it (pg_ctl -D $data start, or pg_ctlcluster) and check with: $prog status"
}

promote() {
	[ $# -eq 1 ] || die "promote needs DATA_DIR (see --help)"
	data=$1
	not_root promote
	[ -f "$data/PG_VERSION" ] || die "$data is not a PostgreSQL data folder"
	[ -f "$data/standby.signal" ] || die "$data is not a standby (no standby.signal): nothing to promote"
	"$(bin pg_ctl)" promote -w -t 60 -D "$data" || die "pg_ctl promote failed"
	echo "promoted: $data accepts writes; the old primary must come back only as a replica"
}

status() {
	conn=${1:-}
	[ $# -le 1 ] || die "status takes at most CONN"
	if [ "$(echo 'SELECT pg_is_in_recovery()' | sql "$conn")" = t ]; then
		echo "standby"
		echo "SELECT 'receiver: ' || coalesce((SELECT status || ' from ' || sender_host FROM pg_stat_wal_receiver),
  'not connected') || chr(10) || 'replayed: ' || coalesce(pg_last_wal_replay_lsn()::text, '-') ||
  ', last transaction replayed at ' || coalesce(pg_last_xact_replay_timestamp()::text, '-')" | sql "$conn"
	else
		echo "primary"
		echo "SELECT 'standby ' || coalesce(application_name, '?') || ': ' || state || ', ' || sync_state ||
  ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication ORDER BY application_name" |
			sql "$conn"
		echo "SELECT 'synchronous_standby_names: ' || coalesce(nullif(current_setting('synchronous_standby_names'), ''),
  '(none: asynchronous)')" | sql "$conn"
	fi
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
cmd=$1
shift
case $cmd in
-h | --help | help) usage ;;
setup-primary) setup_primary "$@" ;;
make-replica) make_replica "$@" ;;
promote) promote "$@" ;;
status) status "$@" ;;
*) printf '%s: unknown command %s\n' "$prog" "$cmd" >&2; usage >&2; exit 2 ;;
esac
