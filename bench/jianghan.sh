#!/bin/sh
# bench/jianghan.sh: a day like Jianghan's 党员义务奉献日 (seed 003: 6,665 members at 120 venues, check-ins within
# half an hour) in a synthetic Wuhan (`baodao generate --city 4201`): 120 activities in 江汉区's communities and
# 7,000 approved members who sign up, check in and check out over many connections; then every activity closed and
# the day's records confirmed in bulk; the day on disk and in memory; and user-space instructions per check-in
# (callgrind, one worker). Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
# The generated city is kept in bench/.cache (bench/city-db.sh; BENCH_REGEN=1 makes it again). With BENCH_PG=1
# (default) the day also runs on PostgreSQL 15 (bench/pg.sh): the same copy, sessions and all, moved there with
# `baodao move-to-postgres` when the build has it.
set -eu
cd "$(dirname "$0")/.."
members=${BENCH_JIANGHAN_MEMBERS:-7000}
venues=${BENCH_JIANGHAN_VENUES:-120}
conns=${BENCH_JIANGHAN_CONNECTIONS:-20} # members at once, as the write target of bench/run.sh counts 20 writers
files=${BENCH_JIANGHAN_FILES:-25000} # member files generated: accounts for a third of those reported in
ir_n=${BENCH_IR_CHECKINS:-500}
work=$(mktemp -d /tmp/baodao-jianghan-XXXXXX)
mem=$(mktemp -d /dev/shm/baodao-jianghan-XXXXXX) # the same day without the disk
pgw=$(mktemp -d /tmp/baodao-jianghan-pg-XXXXXX) # the day on PostgreSQL: its copy, key, clock and figures
. bench/pg.sh
. bench/lib.sh # pg_move
pid=""
vg=""
cleanup() {
	for p in "$pid" "$vg"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	pg_stop
	rm -rf "$work" "$mem" "$pgw"
}
trap cleanup EXIT INT TERM
export no_proxy='*' NO_PROXY='*'
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for i in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

db=$(sh bench/city-db.sh 4201 "$files")

# The day's clock (the server's fake clock, as the tests use): the activities start 20 minutes from now.
t0=$(( $(date +%s) / 60 * 60 ))
start=$(( t0 + 20 * 60 ))
capacity=$(( (members + venues - 1) / venues ))
sqlite3 "$db" "SELECT code FROM region WHERE level = 'community' AND code LIKE '420103%' ORDER BY code" > "$work/venues"
item=$(sqlite3 "$db" "SELECT id FROM catalog_item WHERE code = 'A05' AND region_code IS NULL")
[ -s "$work/venues" ] && [ -n "$item" ] || { echo "jianghan: no 江汉区 communities or no item A05" >&2; exit 1; }

# sessions DIR: the members logged in on their phones earlier that morning; their sessions are written straight into
# the copy (7,000 Argon2id logins would take the bench minutes and are not what the day measures). A session is the
# BLAKE2b-256 of its token, as src/domain/session.c keeps it; member i goes to venue i mod $venues (DIR/tasks).
sessions() {
	python3 - "$1/j.db" "$members" "$venues" "$t0" "$1/tasks" <<'PY'
import hashlib, secrets, sqlite3, sys
path, n, venues, now, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
db = sqlite3.connect(path)
rows = db.execute("SELECT account_id FROM member WHERE state = 'approved' AND account_id IS NOT NULL "
                  "ORDER BY id LIMIT ?", (n,)).fetchall()
if len(rows) < n:
    sys.exit(f"jianghan: only {len(rows)} approved members with accounts")
with open(out, "w") as f:
    for i, (account,) in enumerate(rows):
        token = secrets.token_hex(32)
        db.execute("INSERT INTO session (token_hash, account_id, created_at, last_seen, client_addr) VALUES (?, ?, ?, ?, ?)",
                   (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), account, now, now, "127.0.0.1"))
        f.write(f"sid={token} {i % venues}\n")
db.commit()
PY
}

# day DIR [pg]: the day in a copy of the city in DIR: each step's "requests rps p50 p99 non2xx" into DIR/<step>, the
# closing's "close_s confirm_s records" into DIR/finish, and DIR/ir.db as it was before the check-ins. With pg the
# copy is moved to PostgreSQL first (DIR/pg: the move's seconds, or why not) and served from there.
day() {
	dir=$1
	cp "$db" "$dir/j.db"
	cp "$db.key" "$dir/j.db.key"
	cp "$work/venues" "$dir/venues" 2>/dev/null || true
	echo "$t0" > "$dir/clock"
	sessions "$dir"
	dbarg="$dir/j.db" key="$dir/j.db.key"
	if [ "${2:-}" = pg ]; then
		pg_start
		pg_move "$dir/j.db" jday > "$dir/pg" # its key: $work/jday.key
		case $(cat "$dir/pg") in skipped* | failed*) return 0 ;; esac
		dbarg=$(pg_url jday) key="$work/jday.key"
	fi
	port=$(free_port)
	base="http://127.0.0.1:$port"
	BAODAO_KEY="$key" BAODAO_CLOCK_FILE="$dir/clock" ./build/baodao serve --db "$dbarg" \
		--listen "127.0.0.1:$port" --photos "$dir/photos" --quiet --session-idle 86400 > "$dir/serve.out" 2>&1 &
	pid=$!
	wait_up "$port" || { echo "jianghan: the server did not start" >&2; cat "$dir/serve.out" >&2; exit 1; }
	node bench/jianghan.mjs "$base" "$dir" prepare "$venues" "$capacity" "$start" "$item"
	# Sign up before the start, check in within the half hour before it, check out at the end.
	node bench/jianghan.mjs "$base" "$dir" signup "$conns" > "$dir/signup"
	if [ "${2:-}" != pg ]; then
		./build/baodao backup "$dir/ir.db" --db "$dir/j.db" >/dev/null
		cp "$dir/j.db.key" "$dir/ir.db.key"
	fi
	echo $(( start - 15 * 60 )) > "$dir/clock"
	node bench/jianghan.mjs "$base" "$dir" checkin "$conns" > "$dir/checkin"
	echo $(( start + 2 * 3600 - 5 * 60 )) > "$dir/clock"
	node bench/jianghan.mjs "$base" "$dir" checkout "$conns" > "$dir/checkout"
	echo $(( start + 2 * 3600 + 10 * 60 )) > "$dir/clock"
	node bench/jianghan.mjs "$base" "$dir" finish > "$dir/finish"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
}
day "$work"
day "$mem"
if [ "${BENCH_PG:-1}" = 1 ]; then
	day "$pgw" pg
	pg_stop
else
	echo "skipped: BENCH_PG=0" > "$pgw/pg"
fi

# Instructions per check-in: the copy from before the check-ins, on the real clock (its activities moved to start
# ten minutes from now), under callgrind with one worker; warm up, zero, $ir_n check-ins of distinct members, divide.
now=$(date +%s)
sqlite3 "$mem/ir.db" "UPDATE activity SET starts_at = $now + 600, ends_at = $now + 600 + 7200, signup_deadline = $now + 600"
iport=$(free_port)
valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$mem/cg.%p" \
	./build/baodao serve --db "$mem/ir.db" --listen "127.0.0.1:$iport" --quiet --threads 1 --session-idle 86400 \
	>/dev/null 2>&1 &
vg=$!
wait_up "$iport"
# The admin's session is in the copy too: it asks for the screens' codes first (each draws a QR: not counted).
node bench/jianghan.mjs "http://127.0.0.1:$iport" "$mem" codes
node bench/jianghan.mjs "http://127.0.0.1:$iport" "$mem" ir 0 50
callgrind_control -z "$vg" >/dev/null
node bench/jianghan.mjs "http://127.0.0.1:$iport" "$mem" ir 50 "$ir_n"
callgrind_control -d "$vg" >/dev/null
f=$(ls -t "$mem"/cg.* | head -1)
ir=$(awk -v n="$ir_n" '/^(summary|totals):/ { printf "%d\n", $2 / n; exit }' "$f")
[ -n "${BENCH_CALLGRIND_OUT:-}" ] && cp "$f" "$BENCH_CALLGRIND_OUT" # for callgrind_annotate

# ms_verdict MS TARGET: "met" when MS milliseconds are under TARGET
ms_verdict() { awk -v t="$1" -v m="$2" 'BEGIN { print (t < m ? "met" : "NOT met") }'; }
# place WHERE: the folder of the day on disk, in memory or on PostgreSQL, and its label
place() {
	case $1 in
	disk) dir=$work label="SQLite, disk (/tmp, $(stat -f -c %T "$work"))" ;;
	mem) dir=$mem label="SQLite, memory (/dev/shm)" ;;
	pg) dir=$pgw label="PostgreSQL, disk (/tmp, $(stat -f -c %T "$pgw"))" ;;
	esac
}
# rows STEP WORDS: the step's rows, SQLite on disk and in memory, PostgreSQL on disk
rows() {
	step=$1 words=$2
	for where in disk mem pg; do
		place "$where"
		if [ ! -s "$dir/$step" ]; then
			echo "| $words | $label | $(cat "$dir/pg" 2>/dev/null || echo failed) | | | | | | |"
			continue
		fi
		set -- $(cat "$dir/$step")
		echo "| $words | $label | $1 | $conns | $2 | $3 ms | $4 ms | $5 | $(ms_verdict "$4" 20) |"
	done
}
finish_rows() {
	for where in disk mem pg; do
		place "$where"
		if [ ! -s "$dir/finish" ]; then
			echo "| $label | $(cat "$dir/pg" 2>/dev/null || echo failed) | | | | |"
			continue
		fi
		set -- $(cat "$dir/finish")
		both=$(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }')
		echo "| $label | $3 | $1 s | $2 s | $both s | $(ms_verdict "$both" 2) |"
	done
}
case $(cat "$pgw/pg") in
skipped* | failed*) pg_words="" ;;
*) pg_words="On PostgreSQL $($pg_bin/postgres --version | awk '{print $3}') (bench/pg.sh: $(pg_settings)) the same copy, sessions and all, was moved by
\`baodao move-to-postgres\` and analysed ($(cat "$pgw/pg") s) and served over a Unix socket: each write takes the advisory write
lock and waits for PostgreSQL's WAL flush." ;;
esac

cat <<EOF
## A day like Jianghan's: $members members at $venues venues

\`bench/jianghan.sh\`: a synthetic Wuhan made by \`baodao generate --city 4201 --members $files\` ($members of its
approved members with accounts), $venues activities of $capacity places in 江汉区's communities (open to the city),
served by one \`baodao serve\` on the fake clock the tests use (it reads the time from a file: a few system calls a
request). Every member signs up, checks in with the screen's code and checks out, each step over $conns keep-alive
connections from one node process on the same $(nproc) cores as the server. The sessions were opened beforehand
(written into the copy), so no step pays for a login; a check-in or out long after the member's last request also
touches the session (a write of its own, committed without an fsync: db_lazy in src/db/db.h). The day runs three times: on SQLite on disk (every commit synced before its answer, one fsync for the commits made meanwhile: group commit, src/db/wlock.c)
and on a copy in memory, and on PostgreSQL. $pg_words Target: p99 under 20 ms per step with $conns members at once (a closed loop: each
connection sends its next request when the last is answered, so the p99 also holds the wait for the write lock).

| step | engine, database on | requests | connections | requests/s | p50 | p99 | non-2xx | p99 < 20 ms |
|---|---|---:|---:|---:|---:|---:|---:|---|
$(rows signup "sign up (\`POST /activities/{id}/signup\`)")
$(rows checkin "check in (\`POST /activities/{id}/checkin\`)")
$(rows checkout "check out (\`POST /activities/{id}/checkout\`)")

Then every activity is closed (\`POST /activities/{id}/close\`, which makes the pending records) and each one's
records confirmed in bulk (\`POST /records/confirm {"activity_id"}\`), one request after another. Target: under 2 s.

| engine, database on | records | close $venues activities | confirm the records | both | < 2 s |
|---|---:|---:|---:|---:|---|
$(finish_rows)

User-space instructions per check-in (SQLite in memory, callgrind, one worker, $ir_n check-ins of distinct members): $ir.

EOF
