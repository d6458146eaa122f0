#!/bin/sh
# bench/campaign.sh: a street-wide door-to-door campaign (一户不落, seeds 002 and 004) in a synthetic Wuhan
# (`baodao generate --city 4201`, bench/city-db.sh): the street with the most members who have accounts gets
# $BENCH_CAMPAIGN_BUILDINGS buildings of 50 households each laid out through the API, a campaign over all of them,
# and one walker a building from the members of the building's community (sessions opened beforehand); then every
# walker marks every door of their building at once over many connections while the admin keeps reading the live
# coverage page; on disk and in memory, at top speed and paced. Checks afterwards that every household has its mark
# and that the kept counts equal a fresh count. Prints a Markdown section on stdout (bench/run.sh adds it to RESULTS.md).
set -eu
cd "$(dirname "$0")/.."
buildings=${BENCH_CAMPAIGN_BUILDINGS:-400}
walkers=${BENCH_CAMPAIGN_WALKERS:-400}
conns=${BENCH_CAMPAIGN_CONNECTIONS:-50}
rate=${BENCH_CAMPAIGN_RATE:-200} # marks a second offered in the paced runs (campaign.mjs: CAMPAIGN_RATE)
files=${BENCH_CAMPAIGN_FILES:-60000}
dirs=""
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "$dirs" ] && rm -rf $dirs
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for i in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

db=$(sh bench/city-db.sh 4201 "$files")
street=$(sqlite3 "$db" "SELECT substr(community_code, 1, 9) || '000' FROM member WHERE state = 'approved' AND
	account_id IS NOT NULL GROUP BY substr(community_code, 1, 9) ORDER BY COUNT(*) DESC LIMIT 1")
street_name=$(sqlite3 "$db" "SELECT full_name FROM region WHERE code = '$street'")

# walkers DIR: up to $walkers approved members of the street with accounts, logged in on their phones beforehand
# (sessions written straight into the copy as bench/wishes.sh does: BLAKE2b-256 of each token).
sessions() {
	python3 - "$1/c.db" "$walkers" "$street" "$(date +%s)" "$1/walkers" <<'PY'
import hashlib, secrets, sqlite3, sys
path, n, street, now, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
db = sqlite3.connect(path)
rows = db.execute("SELECT id, account_id, community_code FROM member WHERE state = 'approved' AND account_id IS NOT NULL "
                  "AND substr(community_code, 1, 9) = ? ORDER BY id LIMIT ?", (street[:9], n)).fetchall()
with open(out, "w") as f:
    for member, account, community in rows:
        token = secrets.token_hex(32)
        db.execute("INSERT INTO session (token_hash, account_id, created_at, last_seen, client_addr) VALUES (?, ?, ?, ?, ?)",
                   (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), account, now, now, "127.0.0.1"))
        f.write(f"sid={token} {member} {community}\n")
db.commit()
PY
}

# walk DIR [RATE]: the campaign in a copy of the city in DIR; the figures into DIR/mark, the checks into DIR/check.
walk() {
	dir=$1
	CAMPAIGN_RATE=${2:-0}
	export CAMPAIGN_RATE
	cp "$db" "$dir/c.db"
	cp "$db.key" "$dir/c.db.key"
	echo "$street" > "$dir/street"
	sessions "$dir"
	port=$(free_port)
	BAODAO_KEY="$dir/c.db.key" ./build/baodao serve --db "$dir/c.db" --listen "127.0.0.1:$port" --photos "$dir/photos" \
		--quiet --session-idle 86400 > "$dir/serve.out" 2>&1 &
	pid=$!
	wait_up "$port" || { echo "campaign: the server did not start" >&2; cat "$dir/serve.out" >&2; exit 1; }
	node bench/campaign.mjs "http://127.0.0.1:$port" "$dir" setup "$buildings"
	node bench/campaign.mjs "http://127.0.0.1:$port" "$dir" mark "$conns" > "$dir/mark"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
	# Every household visited once; the stretches' kept counts equal a count of the households' states.
	id=$(cat "$dir/campaign")
	sqlite3 "$dir/c.db" "SELECT
		(SELECT COUNT(*) FROM campaign_household WHERE campaign_id = $id),
		(SELECT COUNT(*) FROM campaign_household WHERE campaign_id = $id AND state = 'visited'),
		(SELECT COUNT(*) FROM campaign_mark WHERE campaign_id = $id),
		(SELECT SUM(visited) FROM campaign_stretch WHERE campaign_id = $id),
		(SELECT COUNT(*) FROM campaign_stretch s WHERE campaign_id = $id AND todo + visited + absent + declined + empty
			<> (SELECT COUNT(*) FROM campaign_household h WHERE h.stretch_id = s.id))" | tr '|' ' ' > "$dir/check"
	wc -l < "$dir/walkers" > "$dir/people"
}
for where in disk mem paced mempaced; do
	case $where in
	disk | paced) d=$(mktemp -d /tmp/baodao-campaign-XXXXXX) ;;
	*) d=$(mktemp -d /dev/shm/baodao-campaign-XXXXXX) ;;
	esac
	dirs="$dirs $d"
	eval "dir_$where=$d"
	case $where in paced | mempaced) walk "$d" "$rate" ;; *) walk "$d" ;; esac
done

verdict() { awk -v t="$1" 'BEGIN { print (t < 20 ? "met" : "NOT met") }'; }
rows() {
	for where in disk mem paced mempaced; do
		eval "dir=\$dir_$where"
		case $where in
		disk) label="SQLite, disk (/tmp, $(stat -f -c %T "$dir"))" load="top speed" ;;
		mem) label="SQLite, memory (/dev/shm)" load="top speed" ;;
		paced) label="SQLite, disk (/tmp, $(stat -f -c %T "$dir"))" load="$rate/s offered" ;;
		mempaced) label="SQLite, memory (/dev/shm)" load="$rate/s offered" ;;
		esac
		set -- $(cat "$dir/mark")
		echo "| $label | $load | $1 | $conns | $2 | $3 ms | $4 ms | $5 | $(verdict "$4") | $6 | $7 ms | $8 ms |"
	done
}
checks() {
	for where in disk mem paced mempaced; do
		eval "dir=\$dir_$where"
		set -- $(cat "$dir/check")
		echo "| $where | $(cat "$dir/people") | $1 | $2 | $3 | $4 | $5 |"
	done
}

cat <<EOF
## A street-wide campaign: $buildings buildings, $((buildings * 50)) households

\`bench/campaign.sh\`: the synthetic Wuhan of bench/jianghan.sh ($files member files); in $street_name (the street with the
most members who have accounts) the admin lays out $buildings buildings of 50 households (2 单元 × 5 floors × 5) through
the API, starts 防汛排查入户走访 over all of them (two questions at each door) and gives each building to one member of
its community ($walkers at most; sessions opened beforehand). Then every walker marks every door of their building —
visited, the form answered — all walkers at once (door k of each before door k + 1 of any), over $conns keep-alive
connections from one node process on the same $(nproc) cores as the server, while the admin reads the live coverage
page (\`GET /campaigns/{id}/coverage\`: the $buildings stretches with their counts and the grids' sums) over one more
connection, one read every 100 ms for as long as the marks last (10 a second: 150 console pages open, each refreshing
every 15 s). Top speed: each connection sends its next mark as
soon as the last is answered (p99 ≈ connections ÷ marks a second); paced: $rate marks a second offered, latency counted
from when each was due. Target: p99 of a mark under 20 ms.

| engine, database on | load | marks | connections | marks/s | p50 | p99 | failed | p99 < 20 ms | coverage reads | coverage p50 | coverage p99 |
|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|
$(rows)

| run | walkers | households | visited | marks | visited by the kept counts | stretches whose counts differ from their doors |
|---|---:|---:|---:|---:|---:|---:|
$(checks)

EOF
