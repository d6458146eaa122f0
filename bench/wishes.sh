#!/bin/sh
# bench/wishes.sh: Jianghan's micro-wish day (seed 003: 1,189 wishes of struggling members and residents fulfilled in
# one day by 2,391 members) in a synthetic Wuhan (`baodao generate --city 4201`): the wishes entered one POST each as
# the console's bulk entry sends them, approved and published in bulk, claimed by every member at once over many
# connections (two members for each wish: every claim a race), fulfilled and confirmed (the member's record and the
# wish bonus); on disk and in memory. Checks afterwards that every wish was claimed exactly once and has its one
# confirmed record. Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
set -eu
cd "$(dirname "$0")/.."
wishes=${BENCH_WISHES:-1189}
members=${BENCH_WISH_MEMBERS:-2391}
conns=${BENCH_WISH_CONNECTIONS:-20}
rate=${BENCH_WISH_RATE:-200} # requests a second offered in the paced run (wishes.mjs: WISH_RATE)
files=${BENCH_JIANGHAN_FILES:-25000} # the same city as bench/jianghan.sh
work=$(mktemp -d /tmp/baodao-wishes-XXXXXX)
paced=$(mktemp -d /tmp/baodao-wishes-paced-XXXXXX)
mem=$(mktemp -d /dev/shm/baodao-wishes-XXXXXX)
mempaced=$(mktemp -d /dev/shm/baodao-wishes-paced-XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work" "$paced" "$mem" "$mempaced"
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for i in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

db=$(sh bench/city-db.sh 4201 "$files")

# sessions DIR: the members logged in on their phones beforehand (written straight into the copy, as
# bench/jianghan.sh does: BLAKE2b-256 of each token); member i goes for wish i mod $wishes (DIR/tasks).
sessions() {
	python3 - "$1/w.db" "$members" "$wishes" "$(date +%s)" "$1/tasks" <<'PY'
import hashlib, secrets, sqlite3, sys
path, n, wishes, now, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
db = sqlite3.connect(path)
rows = db.execute("SELECT account_id FROM member WHERE state = 'approved' AND account_id IS NOT NULL "
                  "ORDER BY id LIMIT ?", (n,)).fetchall()
if len(rows) < n:
    sys.exit(f"wishes: only {len(rows)} approved members with accounts")
with open(out, "w") as f:
    for i, (account,) in enumerate(rows):
        token = secrets.token_hex(32)
        db.execute("INSERT INTO session (token_hash, account_id, created_at, last_seen, client_addr) VALUES (?, ?, ?, ?, ?)",
                   (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), account, now, now, "127.0.0.1"))
        f.write(f"sid={token} {i % wishes}\n")
db.commit()
PY
}

# day DIR [RATE]: the day in a copy of the city in DIR, at top speed or RATE requests a second offered; each step's
# figures into DIR/<step>, the checks into DIR/check.
day() {
	dir=$1
	WISH_RATE=${2:-0}
	export WISH_RATE
	cp "$db" "$dir/w.db"
	cp "$db.key" "$dir/w.db.key"
	sqlite3 "$dir/w.db" "SELECT code FROM region WHERE level = 'community' AND code LIKE '420103%' ORDER BY code" > "$dir/venues"
	[ -s "$dir/venues" ] || { echo "wishes: no 江汉区 communities" >&2; exit 1; }
	sessions "$dir"
	port=$(free_port)
	base="http://127.0.0.1:$port"
	BAODAO_KEY="$dir/w.db.key" ./build/baodao serve --db "$dir/w.db" --listen "127.0.0.1:$port" --photos "$dir/photos" \
		--quiet --session-idle 86400 > "$dir/serve.out" 2>&1 &
	pid=$!
	wait_up "$port" || { echo "wishes: the server did not start" >&2; cat "$dir/serve.out" >&2; exit 1; }
	node bench/wishes.mjs "$base" "$dir" enter "$wishes" "$conns" > "$dir/enter"
	node bench/wishes.mjs "$base" "$dir" approve > "$dir/approve"
	node bench/wishes.mjs "$base" "$dir" claim "$conns" > "$dir/claim"
	node bench/wishes.mjs "$base" "$dir" fulfil "$conns" > "$dir/fulfil"
	node bench/wishes.mjs "$base" "$dir" confirm "$conns" > "$dir/confirm"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
	# Claimed exactly once each, every one closed with its one confirmed record of source wish.
	sqlite3 "$dir/w.db" "SELECT
		(SELECT COUNT(*) FROM (SELECT wish_id FROM wish_event WHERE kind = 'claim' GROUP BY wish_id HAVING COUNT(*) > 1)),
		(SELECT COUNT(DISTINCT wish_id) FROM wish_event WHERE kind = 'claim'),
		(SELECT COUNT(*) FROM wish WHERE state = 'closed'),
		(SELECT COUNT(*) FROM record WHERE source = 'wish' AND state = 'confirmed')" | tr '|' ' ' > "$dir/check"
}
day "$work"
day "$mem"
day "$paced" "$rate"
day "$mempaced" "$rate"

verdict() { awk -v t="$1" 'BEGIN { print (t < 20 ? "met" : "NOT met") }'; }
rows() {
	step=$1 words=$2
	for where in disk mem paced mempaced; do
		case $where in
		disk) dir=$work label="SQLite, disk (/tmp, $(stat -f -c %T "$work"))" load="top speed" ;;
		mem) dir=$mem label="SQLite, memory (/dev/shm)" load="top speed" ;;
		paced) dir=$paced label="SQLite, disk (/tmp, $(stat -f -c %T "$work"))" load="$rate/s offered" ;;
		mempaced) dir=$mempaced label="SQLite, memory (/dev/shm)" load="$rate/s offered" ;;
		esac
		set -- $(cat "$dir/$step")
		echo "| $words | $label | $load | $1 | $conns | $2 | $3 ms | $4 ms | $5 | $(verdict "$4") |"
	done
}
checks() {
	for where in disk mem paced mempaced; do
		case $where in
		disk) dir=$work label="SQLite, disk" ;;
		mem) dir=$mem label="SQLite, memory" ;;
		paced) dir=$paced label="SQLite, disk, $rate/s" ;;
		mempaced) dir=$mempaced label="SQLite, memory, $rate/s" ;;
		esac
		set -- $(cat "$dir/check") $(cat "$dir/approve")
		echo "| $label | $6 s ($5 requests) | $1 | $2 of $wishes | $3 | $4 |"
	done
}
lost=$(awk '{print $6}' "$work/claim")

cat <<EOF
## Jianghan's micro-wishes: $wishes wishes, $members members

\`bench/wishes.sh\`: the synthetic Wuhan of bench/jianghan.sh; the admin enters $wishes wishes in 江汉区's communities one
\`POST /wishes\` each (as the console's bulk entry sends them), approves and publishes them in bulk
(\`POST /wishes/bulk-approve\`, 500 a request); then $members approved members (sessions opened beforehand) claim at once,
member i the wish i mod $wishes, so almost every wish is raced for by two members: $lost claims must lose with 409 and
the winner's name; each winner reports the wish fulfilled, and the admin confirms each (the member's confirmed record
of source wish and the wish bonus, in one transaction). Each step over $conns keep-alive connections from one node
process on the same $(nproc) cores as the server. A 409 of a lost race counts as an answer, not a failure.
The day runs four times, on disk and in memory, each at top speed (each connection sends its next request as soon as the
last is answered, so the writers queue behind one another and p99 is about connections ÷ requests per second), and
paced at $rate requests a second offered (request i leaves at i/$rate s whether or not the earlier ones were answered,
and its latency counts from then: all $wishes wishes of the district's day in $((wishes / rate)) seconds a step).
Target: p99 under 20 ms, and no wish claimed twice.

| step | engine, database on | load | requests | connections | requests/s | p50 | p99 | failed | p99 < 20 ms |
|---|---|---|---:|---:|---:|---:|---:|---:|---|
$(rows enter "enter (\`POST /wishes\`)")
$(rows claim "claim (\`POST /wishes/{id}/claim\`)")
$(rows fulfil "fulfil (\`POST /wishes/{id}/fulfil\`)")
$(rows confirm "confirm (\`POST /wishes/{id}/confirm\`)")

| engine | bulk approval | wishes claimed twice | wishes claimed | closed | confirmed records of source wish |
|---|---|---:|---:|---:|---:|
$(checks)

EOF
