#!/bin/sh
# bench/stats.sh: the monthly figures at Guangzhou's scale (issue #15): the city of bench/earning.sh (260,000 member
# files, 2,000,000 service records), its rollup counted from scratch and the server's five-minute one, then the
# pages that read them (a region's months with its children, a community's and a unit's quiet members) under 20
# users. Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CITY_CONNECTIONS:-20}
members=${BENCH_MEMBERS:-260000}
records=${BENCH_RECORDS:-2000000}
work=$(mktemp -d /tmp/baodao-stats-XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'

cached=$(sh bench/city-db.sh 4401 "$members" "$records")
# The rollup writes: it runs on a copy, and the cached city stays as it was made.
cp "$cached" "$work/s.db"
cp "$cached.key" "$work/s.db.key"
cp "$cached.clock" "$work/clock"
db="$work/s.db"
sq() { sqlite3 "$db" "$1"; }
confirmed=$(sq "SELECT count(*) FROM record WHERE state = 'confirmed'")
communities=$(sq "SELECT count(*) FROM region WHERE level = 'community'")
units=$(sq "SELECT count(*) FROM unit")

# "rolled up N months from M: K community-months with figures, in T ms (writing W ms)" → "N M K T W"
rollup() {
	BAODAO_CLOCK_FILE="$work/clock" ./build/baodao stats rollup --db "$db" "$@" |
		sed -n 's/^rolled up \([0-9]*\) months from \([0-9-]*\): \([0-9]*\) community-months with figures, in \([0-9]*\) ms (writing \([0-9]*\) ms)$/\1 \2 \3 \4 \5/p'
}
set -- $(rollup)
full_months=$1 full_from=$2 full_rows=$3 full_ms=$4 full_write=$5
set -- $(rollup)
again_ms=$4 again_write=$5
this=$(date -u -d "@$(( $(cat "$work/clock") + 8 * 3600 ))" +%Y-%m)
last=$(date -u -d "$(date -u -d "@$(( $(cat "$work/clock") + 8 * 3600 ))" +%Y-%m-15) -1 month" +%Y-%m)
set -- $(rollup --from "$last")
keeper_ms=$4 keeper_write=$5
rows=$(sq "SELECT count(*) FROM stats_month")
# Served a hundred days later: the generated members (who served in the 175 days before) have gone quiet by then,
# so the quiet lists are full ones. The months asked for below are the generated ones.
echo $(( $(cat "$work/clock") + 100 * 86400 )) > "$work/clock"
# The daily reminder of the quiet (baodao serve runs it after 09:00 China time), timed from the command line.
t0=$(date +%s.%N)
reminded=$(BAODAO_CLOCK_FILE="$work/clock" ./build/baodao quiet remind --db "$db" | sed -n 's/^reminded: \([0-9]*\) members$/\1/p')
remind_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# --stats-every 0: the rollup and the reminders were timed above; here only the pages are.
BAODAO_CLOCK_FILE="$work/clock" ./build/baodao serve --db "$db" --listen "127.0.0.1:$port" --quiet --stats-every 0 \
	--notify-every 0 > "$work/serve.out" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for i in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
. bench/lib.sh
org=$(login bench-org-city)
district_org=$(login bench-org-district)
street_org=$(login bench-org-street)
staff=$(login bench-staff)
unit=$(login bench-unit)
[ -n "$org" ] && [ -n "$staff" ] && [ -n "$unit" ] || { echo "stats: cannot log in" >&2; exit 1; }
unit_id=$(curl -s -b "$unit" "$base/api/v1/me" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).roles[0].unit.id))')
unit_files=$(sq "SELECT count(*) FROM member WHERE unit_id = $unit_id")
here=$(sq "SELECT count(*) FROM member WHERE community_code = '440111002011' AND state = 'approved'")
services=$(curl -s -b "$org" "$base/api/v1/stats/regions/440100000000/months?from=$this&to=$this" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).months[0].services))')
quiet=$(curl -s -b "$staff" "$base/api/v1/communities/440111002011/quiet?per_page=1" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
uquiet=$(curl -s -b "$unit" "$base/api/v1/units/$unit_id/quiet?per_page=1" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
met() { awk -v t="$1" -v l="$2" 'BEGIN { print (t < l ? "met" : "NOT met") }'; }

cat <<MD

## Monthly figures at city scale: $confirmed confirmed records, $communities communities, $units units

\`bench/stats.sh\`: the city of \`bench/earning.sh\` (\`baodao generate --records $records\`, $members member files), on the
clock of the day it was made. The rollup (\`baodao stats rollup\`, docs/stats.md) counts every figure of every
community and unit for each month in one read snapshot, then replaces those months' rows and adds them up the
tree in one write transaction: a writer of the platform waits at most for the write. Target: the city-level
monthly rollup in seconds.

| rollup | months | community-months | rows written in all | seconds | of which writing | target |
|---|---:|---:|---:|---:|---:|---|
| from scratch: January of last year ($full_from) to $this | $full_months | $full_rows | $rows | $(awk -v t="$full_ms" 'BEGIN { printf "%.2f", t / 1000 }') | $(awk -v t="$full_write" 'BEGIN { printf "%.2f", t / 1000 }') | < 10 s: $(met "$full_ms" 10000) |
| the same again | $full_months | $full_rows | $rows | $(awk -v t="$again_ms" 'BEGIN { printf "%.2f", t / 1000 }') | $(awk -v t="$again_write" 'BEGIN { printf "%.2f", t / 1000 }') | |
| the server's, every 5 minutes: $last and $this | 2 | | | $(awk -v t="$keeper_ms" 'BEGIN { printf "%.2f", t / 1000 }') | $(awk -v t="$keeper_write" 'BEGIN { printf "%.2f", t / 1000 }') | < 5 s: $(met "$keeper_ms" 5000) |

The daily reminder of the quiet, 100 days later (\`baodao quiet remind\`: every community's quiet members, an inbox
message to each with an account): $reminded members reminded in $remind_s s.

The pages that read them, wrk -t2 -c$conns for ${secs} s each on the same two cores ($services services in the city
in $this; served 100 days later, when $quiet of the $here reported-in members of 石榴桥社区 have gone quiet and
$uquiet of the largest unit's $unit_files).
Target: p99 under 50 ms.

| what | request | requests/s | p50 | p99 | one alone | non-2xx |
|---|---|---:|---:|---:|---:|---:|
MD
year="from=$(date -u -d "$this-15 -11 month" +%Y-%m)&to=$this"
row "city org: the city's twelve months and its districts" "$org" "/api/v1/stats/regions/440100000000/months?$year"
row "district org: 白云区's twelve months and its streets" "$district_org" "/api/v1/stats/regions/440111000000/months?$year"
row "street org: 三元里街道's twelve months and its communities" "$street_org" "/api/v1/stats/regions/440111002000/months?$year"
row "staff: 石榴桥社区's ten years" "$staff" "/api/v1/stats/regions/440111002011/months?from=$(( ${this%-*} - 9 ))-01&to=$this"
row "staff: 石榴桥社区's quiet members, first page" "$staff" "/api/v1/communities/440111002011/quiet"
row "unit: the largest unit's quiet members ($unit_files files)" "$unit" "/api/v1/units/$unit_id/quiet"
