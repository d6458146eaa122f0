#!/bin/sh
# bench/city.sh: Guangzhou's scale (260,000 member files over 2,851 communities, `baodao generate`):
# lists, queues, searches and workbench numbers under 20 concurrent users, and the exports' times.
# With BENCH_PG=1 (default) the same city also moved to PostgreSQL 15 (bench/pg.sh, `baodao move-to-postgres`), each
# row measured on both servers one after the other. Prints a Markdown section on stdout (bench/run.sh adds it to
# bench/RESULTS.md). The generated database is kept in bench/.cache (BENCH_REGEN=1 makes it again).
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CITY_CONNECTIONS:-20}
members=${BENCH_MEMBERS:-260000}
work=$(mktemp -d /tmp/baodao-city-XXXXXX)
. bench/pg.sh
pid=""
ppid_=""
cleanup() {
	for p in "$pid" "$ppid_"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	pg_stop
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'

db=$(sh bench/city-db.sh 4401 "$members")
size=$(du -m "$db" | cut -f1)

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
./build/baodao serve --db "$db" --listen "127.0.0.1:$port" --quiet > "$work/serve.out" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for i in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
. bench/lib.sh

staff=$(login bench-staff)
street=$(login bench-org-street)
district=$(login bench-org-district)
city=$(login bench-org-city)
unit=$(login bench-unit)
[ -n "$staff" ] && [ -n "$city" ] || { echo "city: cannot log in" >&2; exit 1; }

# PostgreSQL: the same file moved into a throwaway cluster, served by a second server (the same accounts and ids).
pg_state="skipped: BENCH_PG=0"
if [ "${BENCH_PG:-1}" = 1 ]; then
	pg_start
	pg_state=$(pg_move "$db" city)
fi
case $pg_state in
skipped* | failed*) pbase="" ;;
*)
	move_s=$pg_state
	pport=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	BAODAO_KEY="$work/city.key" ./build/baodao serve --db "$(pg_url city)" --listen "127.0.0.1:$pport" \
		--photos "$work/photos" --quiet > "$work/pg-serve.out" 2>&1 &
	ppid_=$!
	pbase="http://127.0.0.1:$pport"
	for i in $(seq 1 100); do curl -sf "$pbase/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
	for who in staff street district city unit; do
		login_name=$(case $who in staff) echo bench-staff ;; street) echo bench-org-street ;;
			district) echo bench-org-district ;; city) echo bench-org-city ;; unit) echo bench-unit ;; esac)
		eval "${who}_pg=\$(login $login_name \"\$pbase\")"
	done
	[ -n "$staff_pg" ] && [ -n "$city_pg" ] || { echo "city: cannot log in on PostgreSQL" >&2; cat "$work/pg-serve.out" >&2; exit 1; }
	;;
esac

# crow NAME WHO PATH: the row on SQLite, then on PostgreSQL, with WHO's session on each ($WHO, ${WHO}_pg).
crow() {
	name=$1 who=$2 path=$3
	eval "c=\$$who"
	set -- $(measure "$base" "$c" "$path")
	sq="| $name | \`$path\` | $1 | $2 | $3 | $4 ms |"
	sq_bad=$5
	if [ -z "$pbase" ]; then
		echo "$sq — | | | | $sq_bad |"
		return
	fi
	eval "c=\$${who}_pg"
	set -- $(measure "$pbase" "$c" "$path")
	echo "$sq $1 | $2 | $3 | $4 ms | $sq_bad / $5 |"
}
# cexport NAME WHO PATH: one download's time on each, and its size (SQLite's).
cexport() {
	name=$1 who=$2 path=$3
	eval "c=\$$who"
	t=$(curl -s -o "$work/x.xlsx" -w '%{time_total}' -b "$c" "$base$path")
	size=$(( $(stat -c %s "$work/x.xlsx") / 1024 ))
	tp="—"
	if [ -n "$pbase" ]; then
		eval "c=\$${who}_pg"
		tp=$(curl -s -o "$work/x.xlsx" -w '%{time_total}' -b "$c" "$pbase$path" | awk '{ printf "%.2f s", $1 }')
		tp="$tp ($(( $(stat -c %s "$work/x.xlsx") / 1024 )) KiB)"
	fi
	printf '| %s | `%s` | %.2f s | %s | %s KiB |\n' "$name" "$path" "$t" "$tp" "$size"
}

# The file at position 100,000 of the city's list, where a keyset page 5,001 starts: reached by
# walking 1,000 pages of 100 with next_after, as a client would (page numbers stop at the 10,000th).
deep=$(node -e '
const [base, cookie, members] = process.argv.slice(1);
let after = "";
(async () => {
  for (let i = 0; i < Math.min(1000, Math.floor(members * 0.8 / 100)); i++) { // fewer when BENCH_MEMBERS is small
    const r = await fetch(`${base}/api/v1/members?per_page=100${after ? `&after=${after}` : ""}`, { headers: { cookie } });
    const body = await r.json();
    after = body.next_after ?? body.items.at(-1).id;
  }
  console.log(after);
})();' "$base" "$city" "$members")
unit_id=$(curl -s -b "$unit" "$base/api/v1/me" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).roles[0].unit.id))')

if [ -n "$pbase" ]; then
	pg_line="The PostgreSQL columns: the same file moved by \`baodao move-to-postgres\` and analysed (\`VACUUM ANALYZE\`; $move_s s in all) into a
throwaway PostgreSQL $($pg_bin/postgres --version | awk '{print $3}') of bench/pg.sh ($(pg_settings)), served by a second \`baodao serve\`
over a Unix socket; the keyset page after uses the id walked on SQLite (the move keeps every id)."
else
	pg_line="PostgreSQL: $pg_state."
fi
cat <<EOF
## City scale: $members member files over Guangzhou's 2,851 communities

\`bench/city.sh\`: a database made by \`baodao generate --members $members\` (3,000 units, rosters,
accounts for a third of those reported in; $size MB), served by one \`baodao serve\`; every row is
wrk -t2 -c$conns for $secs s on the same two cores as the server (20 users at once), plus the time
of one request alone. Target: p99 under 20 ms for every list page. $pg_line

| what | request | SQLite requests/s | p50 | p99 | one alone | PostgreSQL requests/s | p50 | p99 | one alone | non-2xx (SQLite / PostgreSQL) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
crow "staff: 石榴桥社区's files" staff "/api/v1/members"
crow "staff: page 3" staff "/api/v1/members?page=3"
crow "staff: approval queue" staff "/api/v1/registrations?state=pending"
crow "staff: without an account" staff "/api/v1/members?has_account=false"
crow "staff: workbench numbers" staff "/api/v1/stats/regions/440111002011"
crow "street org: 三元里街道's files" street "/api/v1/members"
crow "street org: page 50" street "/api/v1/members?page=50"
crow "street org: communities ranked" street "/api/v1/stats/regions/440111002000/children"
crow "district org: 白云区's files" district "/api/v1/members"
crow "district org: approval queue" district "/api/v1/registrations?state=pending"
crow "city org: page 1" city "/api/v1/members"
crow "city org: page 100 by number (the deepest one)" city "/api/v1/members?page=100"
crow "city org: page 5,001 by next_after" city "/api/v1/members?after=$deep"
crow "city org: name search 王" city "/api/v1/members?q=%E7%8E%8B"
crow "city org: phone's last four" city "/api/v1/members?q=0042"
crow "city org: specialty 医疗" city "/api/v1/members?specialty=%E5%8C%BB%E7%96%97"
crow "city org: pending, page 100" city "/api/v1/members?state=pending&page=100"
crow "city org: approval queue" city "/api/v1/registrations?state=pending"
crow "city org: city's numbers" city "/api/v1/stats/regions/440100000000"
crow "city org: districts ranked" city "/api/v1/stats/regions/440100000000/children"
crow "city org: units ranked, lowest first" city "/api/v1/stats/regions/440100000000/units?order=asc"
crow "unit: its roster against report-ins" unit "/api/v1/stats/units/$unit_id"
crow "unit: not reported, page 1" unit "/api/v1/units/$unit_id/roster?status=not_reported"

cat <<EOF

Exports (one download each, streamed page after page; targets: staff and street under 1 s, the city under 30 s):

| what | request | SQLite | PostgreSQL | size |
|---|---|---:|---:|---:|
EOF
cexport "staff: 石榴桥社区" staff "/api/v1/members/export.xlsx"
cexport "street org: 三元里街道" street "/api/v1/members/export.xlsx"
cexport "unit: not reported" unit "/api/v1/units/$unit_id/roster/export.xlsx?status=not_reported"
cexport "city org: the whole city" city "/api/v1/members/export.xlsx"
