#!/bin/sh
# bench/city-db.sh CITY MEMBERS [RECORDS]: the path of a generated city (`baodao generate --city CITY --members MEMBERS
# --records RECORDS`) kept in bench/.cache, made first when missing or when the schema or the generator changed since
# (BENCH_REGEN=1: always). Its admin's password is Bench-admin-password-1; the other accounts' are the demo's (see
# `baodao generate --help`). The time it was made is kept beside it (DB.clock): its records lie in the 175 days
# before, so a server of it runs on that clock (BAODAO_CLOCK_FILE). Migrations added since it was made are applied
# to it (`baodao migrate`); a changed migration or generator makes it again.
set -eu
cd "$(dirname "$0")/.."
city=$1 members=$2 records=${3:-0}
# Guangzhou's keeps the name it always had (city-MEMBERS.db); another city's names the city, records their number.
db="bench/.cache/city-$members"
[ "$city" = 4401 ] || db="bench/.cache/city-$city-$members"
[ "$records" = 0 ] || db="$db-r$records"
db="$db.db"
mkdir -p bench/.cache
# The stamp: the generator's hash, then one line per migration it was made with.
stamp() {
	echo "generator $(cat src/domain/generate*.c | sha256sum | cut -c1-16)"
	for f in sql/sqlite/*.sql; do echo "$f $(sha256sum < "$f" | cut -c1-16)"; done
}
stamp > "$db.now"
fresh=1
if [ -f "$db" ] && [ -f "$db.stamp" ] && [ "${BENCH_REGEN:-0}" != 1 ] &&
	[ -z "$(grep -vxF -f "$db.now" "$db.stamp")" ]; then
	fresh=0 # every line it was made with still holds: at most migrations were added
fi
if [ "$fresh" = 0 ] && ! cmp -s "$db.now" "$db.stamp"; then
	./build/baodao migrate --db "$db" >/dev/null
	cp "$db.now" "$db.stamp"
fi
if [ "$fresh" = 1 ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$db.stamp" "$db.clock"
	pw=$(mktemp /tmp/baodao-pw-XXXXXX)
	printf 'Bench-admin-password-1\n' > "$pw"
	./build/baodao init --db "$db" --admin-password-file "$pw" >/dev/null
	rm -f "$pw"
	start=$(date +%s)
	echo "$start" > "$db.clock"
	BAODAO_CLOCK_FILE="$PWD/$db.clock" ./build/baodao generate --db "$db" --city "$city" --members "$members" \
		--records "$records" >/dev/null 2>&1
	echo "bench: generated $members files and $records records of city $city in $(( $(date +%s) - start )) s" >&2
	cp "$db.now" "$db.stamp"
fi
rm -f "$db.now"
echo "$db"
