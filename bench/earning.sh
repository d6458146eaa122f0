#!/bin/sh
# bench/earning.sh: what service earns at Guangzhou's scale (issue #10): 260,000 member files and 2,000,000 service
# records with their movements and standings (`baodao generate --records`); the rate of confirmation (movements and
# standings included), a district's ranking and a member's points page under 20 users, and the database's size.
# Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CITY_CONNECTIONS:-20}
members=${BENCH_MEMBERS:-260000}
records=${BENCH_RECORDS:-2000000}
work=$(mktemp -d /tmp/baodao-earning-XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'

cached=$(sh bench/city-db.sh 4401 "$members" "$records")
size=$(du -m "$cached" | cut -f1)
# The confirmations write: they run on a copy, and the cached city stays as it was made.
cp "$cached" "$work/e.db"
cp "$cached.key" "$work/e.db.key"
cp "$cached.clock" "$work/clock"
db="$work/e.db"

sq() { sqlite3 "$db" "$1"; }
half=$(sq "SELECT period FROM standing WHERE length(period) = 6 ORDER BY period DESC LIMIT 1")
district=$(sq "SELECT district_code FROM standing WHERE period = '$half' GROUP BY district_code ORDER BY count(*) DESC LIMIT 1")
district_name=$(sq "SELECT name FROM region WHERE code = '$district'")
# The member with an account who served most this half-year: the longest history.
member=$(sq "SELECT a.login FROM standing s JOIN member m ON m.id = s.member_id JOIN account a ON a.id = m.account_id
	WHERE s.period = '$half' ORDER BY s.services DESC LIMIT 1")
pending=$(sq "SELECT count(*) FROM record WHERE state = 'pending'")
movements=$(sq "SELECT count(*) FROM ledger_movement")
confirmed=$(sq "SELECT count(*) FROM record WHERE state = 'confirmed'")

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BAODAO_CLOCK_FILE="$work/clock" ./build/baodao serve --db "$db" --listen "127.0.0.1:$port" --quiet > "$work/serve.out" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for i in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
. bench/lib.sh
org=$(login bench-org-city)
district_org=$(login bench-org-district)
unit=$(login bench-unit)
me=$(login "$member")
admin=$(curl -s -D - -o /dev/null -H 'X-Requested-With: baodao' -H 'Content-Type: application/json' \
	-d '{"login":"admin","password":"Bench-admin-password-1"}' "$base/api/v1/session" |
	sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\);.*/\1/p')
[ -n "$org" ] && [ -n "$me" ] && [ -n "$admin" ] && [ -n "$unit" ] || { echo "earning: cannot log in" >&2; exit 1; }
unit_id=$(curl -s -b "$unit" "$base/api/v1/me" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).roles[0].unit.id))')
unit_files=$(sq "SELECT count(*) FROM member WHERE unit_id = $unit_id")
baiyun_rows=$(sq "SELECT count(*) FROM standing WHERE period = '$half' AND district_code = '440111000000'")

cat <<MD

## Earning at city scale: $confirmed confirmed records of $members members

\`bench/earning.sh\`: the city of \`bench/city.sh\` with \`baodao generate --records $records\` (staff entries over
the 175 days before it was made, each confirmed through the domain's own confirmation with its movements and
standings; one in a hundred left waiting): $movements movements, a database of $size MB. Served on the clock of the
day it was made; every row is wrk -t2 -c$conns for ${secs} s on the same two cores. Target: p99 under 20 ms.

| what | request | requests/s | p50 | p99 | one alone | non-2xx |
|---|---|---:|---:|---:|---:|---:|
MD
row "city org: $district_name's ranking, $half" "$org" "/api/v1/standings?region=$district&period=$half"
row "city org: $district_name's ranking after its first 100" "$org" "/api/v1/standings?region=$district&period=$half&$(curl -s -b "$org" \
	"$base/api/v1/standings?region=$district&period=$half&limit=100" | node -e '
let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const n=JSON.parse(s).next;console.log(`after_points=${n.after_points}&after_member=${n.after_member}`)})')"
row "city org: the city's ranking" "$org" "/api/v1/standings?region=440100000000&period=$half"
row "member: 我的积分 (balances, tier, three ranks, stars)" "$me" "/api/v1/me/points"
row "member: the history of points" "$me" "/api/v1/me/points/history"

# A district's half-year frozen for its 公示, and the largest unit's feedback sheet.
freeze=$(curl -s -o "$work/p.json" -w '%{time_total}' -b "$district_org" -H 'X-Requested-With: baodao' \
	-H 'Content-Type: application/json' -d "{\"region_code\":\"440111000000\",\"period\":\"$half\",\"days\":7}" \
	"$base/api/v1/publications")
grep -q '"id"' "$work/p.json" || { echo "earning: the freeze failed: $(head -c 300 "$work/p.json")" >&2; exit 1; }
cat <<MD

| what | request | time | size | target |
|---|---|---:|---:|---|
| district org: freeze 白云区's $half for its 公示 ($baiyun_rows members) | \`POST /api/v1/publications\` | $(printf '%.2f' "$freeze") s | | < 5 s: $(awk -v t="$freeze" 'BEGIN { print (t < 5 ? "met" : "NOT met") }') |
MD
t=$(curl -s -o "$work/f.xlsx" -w '%{time_total}' -b "$unit" "$base/api/v1/units/$unit_id/feedback.xlsx?period=$half")
printf '| unit: the feedback sheet of its %s members | `/api/v1/units/%s/feedback.xlsx` | %.2f s | %s KiB | < 2 s: %s |\n' \
	"$unit_files" "$unit_id" "$t" "$(( $(stat -c %s "$work/f.xlsx") / 1024 ))" \
	"$(awk -v t="$t" 'BEGIN { print (t < 2 ? "met" : "NOT met") }')"

# Confirmation: every record left waiting, a thousand per request, one request after another (as the queue's
# 全部确认 does); the time covers the movements and the standings.
ids=$(sq "SELECT id FROM record WHERE state = 'pending' ORDER BY id")
took=$(echo "$ids" | node -e '
const [base, cookie] = process.argv.slice(1);
let s = ""; process.stdin.on("data", (d) => s += d).on("end", async () => {
  const ids = s.split("\n").filter(Boolean).map(Number);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 1000) {
    const r = await fetch(`${base}/api/v1/records/confirm`, { method: "POST", headers: { cookie, "content-type": "application/json",
      "x-requested-with": "baodao" }, body: JSON.stringify({ ids: ids.slice(i, i + 1000) }) });
    if (r.status !== 200) { console.error(r.status, await r.text()); process.exit(1); }
  }
  console.log(((performance.now() - t0) / 1000).toFixed(2));
  process.exit(0);
});' "$base" "$admin")
left=$(curl -s -b "$admin" "$base/api/v1/records?state=pending&per_page=1" | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
cat <<MD

| confirmation | records | seconds | records/s | left waiting |
|---|---:|---:|---:|---:|
| \`POST /api/v1/records/confirm\`, 1,000 ids a request, on disk | $pending | $took | $(awk -v t="$took" -v n="$pending" 'BEGIN { printf "%.0f", n / t }') | $left |
MD
