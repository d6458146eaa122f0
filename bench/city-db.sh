#!/bin/sh
# bench/city-db.sh CITY MEMBERS: the path of a generated city (`baodao generate --city CITY --members MEMBERS`) kept in
# bench/.cache, made first when missing or when the schema or the generator changed since (BENCH_REGEN=1: always).
# Its admin's password is Bench-admin-password-1; the other accounts' are the demo's (see `baodao generate --help`).
set -eu
cd "$(dirname "$0")/.."
city=$1 members=$2
# Guangzhou's keeps the name it always had (city-MEMBERS.db); another city's names the city too.
db="bench/.cache/city-$members.db"
[ "$city" = 4401 ] || db="bench/.cache/city-$city-$members.db"
mkdir -p bench/.cache
stamp=$(cat sql/sqlite/*.sql src/domain/generate.c | sha256sum | cut -c1-16)
if [ ! -f "$db" ] || [ "$(cat "$db.stamp" 2>/dev/null)" != "$stamp" ] || [ "${BENCH_REGEN:-0}" = 1 ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$db.stamp"
	pw=$(mktemp /tmp/baodao-pw-XXXXXX)
	printf 'Bench-admin-password-1\n' > "$pw"
	./build/baodao init --db "$db" --admin-password-file "$pw" >/dev/null
	rm -f "$pw"
	start=$(date +%s)
	./build/baodao generate --db "$db" --city "$city" --members "$members" >/dev/null 2>&1
	echo "bench: generated $members files of city $city in $(( $(date +%s) - start )) s" >&2
	echo "$stamp" > "$db.stamp"
fi
echo "$db"
