#!/bin/sh
# bench/city.sh: Guangzhou's scale (260,000 member files over 2,851 communities, `baodao generate`):
# lists, queues, searches and workbench numbers under 20 concurrent users, and the exports' times.
# Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
# The generated database is kept in bench/.cache (BENCH_REGEN=1 makes it again).
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CITY_CONNECTIONS:-20}
members=${BENCH_MEMBERS:-260000}
work=$(mktemp -d /tmp/baodao-city-XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
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

# The file at position 100,000 of the city's list, where a keyset page 5,001 starts: reached by
# walking 1,000 pages of 100 with next_after, as a client would (page numbers stop at the 10,000th).
deep=$(node -e '
const [base, cookie] = process.argv.slice(1);
let after = "";
(async () => {
  for (let i = 0; i < 1000; i++) {
    const r = await fetch(`${base}/api/v1/members?per_page=100${after ? `&after=${after}` : ""}`, { headers: { cookie } });
    const body = await r.json();
    after = body.next_after ?? body.items.at(-1).id;
  }
  console.log(after);
})();' "$base" "$city")
unit_id=$(curl -s -b "$unit" "$base/api/v1/me" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).roles[0].unit.id))')

cat <<EOF
## City scale: $members member files over Guangzhou's 2,851 communities

\`bench/city.sh\`: a database made by \`baodao generate --members $members\` (3,000 units, rosters,
accounts for a third of those reported in; $size MB), served by one \`baodao serve\`; every row is
wrk -t2 -c$conns for $secs s on the same two cores as the server (20 users at once), plus the time
of one request alone. Target: p99 under 20 ms for every list page.

| what | request | requests/s | p50 | p99 | one alone | non-2xx |
|---|---|---:|---:|---:|---:|---:|
EOF
row "staff: 石榴桥社区's files" "$staff" "/api/v1/members"
row "staff: page 3" "$staff" "/api/v1/members?page=3"
row "staff: approval queue" "$staff" "/api/v1/registrations?state=pending"
row "staff: without an account" "$staff" "/api/v1/members?has_account=false"
row "staff: workbench numbers" "$staff" "/api/v1/stats/regions/440111002011"
row "street org: 三元里街道's files" "$street" "/api/v1/members"
row "street org: page 50" "$street" "/api/v1/members?page=50"
row "street org: communities ranked" "$street" "/api/v1/stats/regions/440111002000/children"
row "district org: 白云区's files" "$district" "/api/v1/members"
row "district org: approval queue" "$district" "/api/v1/registrations?state=pending"
row "city org: page 1" "$city" "/api/v1/members"
row "city org: page 100 by number (the deepest one)" "$city" "/api/v1/members?page=100"
row "city org: page 5,001 by next_after" "$city" "/api/v1/members?after=$deep"
row "city org: name search 王" "$city" "/api/v1/members?q=%E7%8E%8B"
row "city org: phone's last four" "$city" "/api/v1/members?q=0042"
row "city org: specialty 医疗" "$city" "/api/v1/members?specialty=%E5%8C%BB%E7%96%97"
row "city org: pending, page 100" "$city" "/api/v1/members?state=pending&page=100"
row "city org: approval queue" "$city" "/api/v1/registrations?state=pending"
row "city org: city's numbers" "$city" "/api/v1/stats/regions/440100000000"
row "city org: districts ranked" "$city" "/api/v1/stats/regions/440100000000/children"
row "city org: units ranked, lowest first" "$city" "/api/v1/stats/regions/440100000000/units?order=asc"
row "unit: its roster against report-ins" "$unit" "/api/v1/stats/units/$unit_id"
row "unit: not reported, page 1" "$unit" "/api/v1/units/$unit_id/roster?status=not_reported"

cat <<EOF

Exports (one download each, streamed page after page; targets: staff and street under 1 s, the city under 30 s):

| what | request | time | size |
|---|---|---:|---:|
EOF
export_row "staff: 石榴桥社区" "$staff" "/api/v1/members/export.xlsx"
export_row "street org: 三元里街道" "$street" "/api/v1/members/export.xlsx"
export_row "unit: not reported" "$unit" "/api/v1/units/$unit_id/roster/export.xlsx?status=not_reported"
export_row "city org: the whole city" "$city" "/api/v1/members/export.xlsx"
