#!/bin/sh
# bench/run.sh: load scenarios side by side with nginx on this machine, on SQLite and on PostgreSQL 15 (a throwaway
# cluster, bench/pg.sh); writes bench/RESULTS.md. Loopback only, bounded: each wrk run lasts $BENCH_SECONDS (default
# 10) seconds. Knobs (environment):
#   BENCH_SECONDS=10 BENCH_ROUNDS=5 BENCH_CONNECTIONS=100   each wrk run; rounds of the first scenarios
#   BENCH_ONLY=main,city,jianghan,wishes,campaign,earning,stats,crash   only these scenarios (comma-separated; default all): main is
#                 healthz, /api/v1/me, writes, instructions, import and one vs two app servers behind nginx;
#                 with BENCH_ONLY set the results go to bench/RESULTS.partial.md, not bench/RESULTS.md
#   BENCH_PG=0    leave PostgreSQL out (SQLite only, as before issue #11)
#   BENCH_OUT=FILE  where the results go
# The scenarios' own knobs are at the top of bench/city.sh, jianghan.sh, wishes.sh, campaign.sh, earning.sh and crash.sh.
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-100}
only=${BENCH_ONLY:-main,city,jianghan,wishes,campaign,earning,stats,crash}
out=${BENCH_OUT:-$([ -n "${BENCH_ONLY:-}" ] && echo bench/RESULTS.partial.md || echo bench/RESULTS.md)}
export BENCH_PG=${BENCH_PG:-1}
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
work=$(mktemp -d /tmp/baodao-bench-XXXXXX)
# The write scenarios also run against a copy of the database in memory: the server without the disk.
mem=$(mktemp -d /dev/shm/baodao-bench-XXXXXX)
. bench/pg.sh
nginx_pid=""
baodao_pid=""
mem_pid=""
pg_pid=""
pg2_pid=""
cleanup() {
	for p in "$nginx_pid" "$baodao_pid" "$mem_pid" "$pg_pid" "$pg2_pid"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	pg_stop
	rm -rf "$work" "$mem"
}
trap cleanup EXIT INT TERM
: > "$out"
if want main; then # the first scenarios, up to "fi # want main" (not indented)

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
export no_proxy='*' NO_PROXY='*'

# baodao with demo data, no access log (nginx logs nothing either).
printf 'Bench-admin-password-1\n' > "$work/pw"
./build/baodao init --db "$work/b.db" --admin-password-file "$work/pw" >/dev/null
./build/baodao demo --db "$work/b.db" >/dev/null
bport=$(free_port)
./build/baodao serve --db "$work/b.db" --listen "127.0.0.1:$bport" --quiet > "$work/baodao.out" 2>&1 &
baodao_pid=$!

# PostgreSQL: the same demo in a throwaway cluster (bench/pg.sh) served by the same binary, and a second app server
# of the same database for the rows behind nginx (both --trusted-proxy 127.0.0.1, the same key and photo folder).
pg_conf=""
if [ "$BENCH_PG" = 1 ]; then
	pg_start
	pg_createdb b
	purl=$(pg_url b)
	BAODAO_KEY="$work/pg.key" ./build/baodao init --db "$purl" --admin-password-file "$work/pw" >/dev/null
	BAODAO_KEY="$work/pg.key" ./build/baodao demo --db "$purl" --photos "$work/pg-photos" >/dev/null
	pport=$(free_port)
	BAODAO_KEY="$work/pg.key" ./build/baodao serve --db "$purl" --listen "127.0.0.1:$pport" --photos "$work/pg-photos" \
		--trusted-proxy 127.0.0.1 --quiet > "$work/pg.out" 2>&1 &
	pg_pid=$!
	wait_up "$pport" || { echo "bench: the PostgreSQL server did not start" >&2; cat "$work/pg.out" >&2; exit 1; }
	pport2=$(free_port)
	BAODAO_KEY="$work/pg.key" ./build/baodao serve --db "$purl" --listen "127.0.0.1:$pport2" --photos "$work/pg-photos" \
		--trusted-proxy 127.0.0.1 --quiet > "$work/pg2.out" 2>&1 &
	pg2_pid=$!
	wait_up "$pport2" || { echo "bench: the second PostgreSQL server did not start" >&2; cat "$work/pg2.out" >&2; exit 1; }
	up1=$(free_port)
	up2=$(free_port)
	# nginx as the reverse proxy of docs/postgres.md: an upstream of one or two app servers, keepalive to them.
	pg_conf="upstream one { server 127.0.0.1:$pport; keepalive 32; }
	upstream two { server 127.0.0.1:$pport; server 127.0.0.1:$pport2; keepalive 32; }
	proxy_http_version 1.1;
	proxy_set_header Connection \"\";
	proxy_set_header Host \$host;
	proxy_set_header X-Forwarded-For \$remote_addr;
	proxy_next_upstream error timeout;
	server { listen 127.0.0.1:$up1; location / { proxy_pass http://one; } }
	server { listen 127.0.0.1:$up2; location / { proxy_pass http://two; } }"
fi

# nginx answering /healthz with the same bytes, one worker per core (and proxying to the PostgreSQL servers).
nport=$(free_port)
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$nport;
		location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
	}
	$pg_conf
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!

for i in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$bport/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$nport/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
cookie=$(curl -s -D - -o /dev/null -H 'X-Requested-With: baodao' -H 'Content-Type: application/json' \
	-d '{"login":"staff","password":"Demo-baodao-2026"}' "http://127.0.0.1:$bport/api/v1/session" |
	sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\);.*/\1/p')
[ -n "$cookie" ] || { echo "bench: cannot log in"; exit 1; }
# The copy holds the session just opened, so the same cookie works on both.
./build/baodao backup "$mem/b.db" --db "$work/b.db" >/dev/null
mport=$(free_port)
./build/baodao serve --db "$mem/b.db" --listen "127.0.0.1:$mport" --quiet > "$work/mem.out" 2>&1 &
mem_pid=$!
for i in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$mport/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
if [ "$BENCH_PG" = 1 ]; then
	pcookie=$(curl -s -D - -o /dev/null -H 'X-Requested-With: baodao' -H 'Content-Type: application/json' \
		-d '{"login":"staff","password":"Demo-baodao-2026"}' "http://127.0.0.1:$pport/api/v1/session" |
		sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\);.*/\1/p')
	[ -n "$pcookie" ] || { echo "bench: cannot log in on PostgreSQL"; cat "$work/pg.out" >&2; exit 1; }
	curl -sf "http://127.0.0.1:$up2/healthz" >/dev/null || { echo "bench: nginx does not reach the app servers" >&2; exit 1; }
fi

# run NAME CONNECTIONS URL [WRK ARGS]: prints "rps p50 p99 non2xx" from wrk's latency distribution
run() {
	name=$1 c=$2 url=$3
	shift 3
	wrk -t"$([ "$c" -lt 2 ] && echo 1 || echo 2)" -c"$c" -d"${secs}s" --latency "$@" "$url" > "$work/$name.txt"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
	p50=$(awk '$1 == "50%" {print $2}' "$work/$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
	echo "$rps ${p50:-?} ${p99:-?} ${non2xx:-0}"
}

# Each scenario runs $rounds times, interleaved with the others so that a busy moment of the
# machine hits them all alike; the table gives the median round of each.
rounds=${BENCH_ROUNDS:-5}
median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
echo "bench: $rounds rounds of $secs s per scenario, $conns connections, wrk -t2"
for r in $(seq 1 "$rounds"); do
	run nginx-healthz "$conns" "http://127.0.0.1:$nport/healthz" >> "$work/nginx.rounds"
	run baodao-healthz "$conns" "http://127.0.0.1:$bport/healthz" >> "$work/healthz.rounds"
	run baodao-me "$conns" "http://127.0.0.1:$bport/api/v1/me" -H "Cookie: $cookie" >> "$work/me.rounds"
	if [ "$BENCH_PG" = 1 ]; then
		run pg-me "$conns" "http://127.0.0.1:$pport/api/v1/me" -H "Cookie: $pcookie" >> "$work/pg-me.rounds"
	fi
	# Writers: each request one agreement saved in its own transaction (bench/agreement.lua).
	for w in 1 20 100; do
		for where in disk mem $([ "$BENCH_PG" = 1 ] && echo pg); do
			case $where in disk) port=$bport c=$cookie ;; mem) port=$mport c=$cookie ;; pg) port=$pport c=$pcookie ;; esac
			run "writes-$where-$w" "$w" "http://127.0.0.1:$port/api/v1/agreements" -s bench/agreement.lua \
				-H "Cookie: $c" -H 'X-Requested-With: baodao' >> "$work/writes-$where-$w.rounds"
		done
	done
	# PostgreSQL behind nginx: one app server, then two (round-robin), the same reads and 20 writers.
	if [ "$BENCH_PG" = 1 ]; then
		for n in 1 2; do
			port=$([ "$n" = 1 ] && echo "$up1" || echo "$up2")
			run "up$n-me" "$conns" "http://127.0.0.1:$port/api/v1/me" -H "Cookie: $pcookie" >> "$work/up$n-me.rounds"
			run "up$n-writes" 20 "http://127.0.0.1:$port/api/v1/agreements" -s bench/agreement.lua \
				-H "Cookie: $pcookie" -H 'X-Requested-With: baodao' >> "$work/up$n-writes.rounds"
		done
	fi
done
# pick NAME: the round with the median requests/s, as "rps p50 p99 non2xx"
pick() {
	m=$(cut -d' ' -f1 "$work/$1.rounds" | median)
	awk -v m="$m" '$1 == m { print; exit }' "$work/$1.rounds"
}
set -- $(pick nginx); n_rps=$1 n_p50=$2 n_p99=$3
set -- $(pick healthz); h_rps=$1 h_p50=$2 h_p99=$3 h_bad=$4
set -- $(pick me); m_rps=$1 m_p50=$2 m_p99=$3 m_bad=$4
# write_rows N: the table rows of the N-writer scenario, SQLite on disk and in memory, PostgreSQL on disk
write_rows() {
	for where in disk mem pg; do
		case $where in
		disk) label="SQLite, disk (/tmp, $(stat -f -c %T "$work"))" ;;
		mem) label="SQLite, memory (/dev/shm)" ;;
		pg) label="PostgreSQL, disk (/tmp, $(stat -f -c %T "$work"))" ;;
		esac
		if [ -s "$work/writes-$where-$1.rounds" ]; then
			set -- "$1" $(pick "writes-$where-$1")
			echo "| $1 | $label | $2 | $3 | $4 | $5 |"
		else
			echo "| $1 | $label | skipped: BENCH_PG=0 | | | |"
		fi
	done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# PostgreSQL's /api/v1/me, and the rows behind nginx
if [ "$BENCH_PG" = 1 ]; then
	set -- $(pick pg-me); pm_rps=$1
	pg_me_row="| baodao \`GET /api/v1/me\` | PostgreSQL | $1 | $2 | $3 | $4 | $(ratio "$1" "$n_rps") | p99 < 10 ms: $(echo "$3" | awk '{ v = $0 + 0; if ($0 ~ /us$/) v /= 1000; else if ($0 ~ /[^m]s$/) v *= 1000; print (v < 10 ? "met" : "NOT met") }') |"
	up_rows=$(for what in me writes; do
		for n in 1 2; do
			set -- $(pick "up$n-$what")
			label=$([ "$what" = me ] && echo "\`GET /api/v1/me\`, $conns connections" ||
				echo "\`POST /api/v1/agreements\`, 20 writers")
			echo "| $label | $n | $1 | $2 | $3 | $4 |"
		done
	done)
	set -- $(pick up1-me); u1=$1
	set -- $(pick up2-me); u2=$1
	set -- $(pick up1-writes); uw1=$1
	set -- $(pick up2-writes); uw2=$1
	set -- $(pick writes-pg-20); pw20=$1
	set -- $(pick writes-disk-20); sw20=$1
	pg_text="On PostgreSQL \`GET /api/v1/me\` served $(ratio "$pm_rps" "$m_rps")× SQLite's requests/s and 20 writers
$(ratio "$pw20" "$sw20")× SQLite's on disk. Every query is a round trip to another process over a Unix socket (the
server's session check, the account and its roles: several per request), where SQLite's are calls into the same
process reading pages it already holds; and PostgreSQL, the load generator and the server share the same $(nproc)
cores. Each write takes the advisory write lock (\`pg_advisory_xact_lock\`: one writer at a time across app
servers) and its commit waits for PostgreSQL's WAL flush (fsync and synchronous_commit on, as SQLite's commits
wait for their fsync); PostgreSQL's backends flush the WAL of commits made meanwhile together, as baodao's group
commit does for SQLite (src/db/wlock.c).

Behind nginx: two app servers gave $(ratio "$u2" "$u1")× one's reads and $(ratio "$uw2" "$uw1")× one's writes. On
one machine of $(nproc) cores a second server adds no CPU: nginx, wrk, PostgreSQL and the servers already share
them, and writes take turns on the one advisory lock however many servers send them: with two servers twice as
many transactions (one per worker thread) wait for it in PostgreSQL at once, each holding its backend in
\`pg_advisory_xact_lock\`. A second server pays off on a machine of its own (docs/postgres.md,
Several app servers); here the rows show what the proxy hop costs (compare the direct \`GET /api/v1/me\` on
PostgreSQL above) and what spreading the same load over two servers on the same cores does."
else
	pg_me_row="| baodao \`GET /api/v1/me\` | PostgreSQL | skipped: BENCH_PG=0 | | | | | |"
	up_rows="| skipped: BENCH_PG=0 | | | | | |"
	pg_text=""
fi
wal_disk=$(( $(stat -c %s "$work/b.db-wal" 2>/dev/null || echo 0) / 1024 ))
wal_mem=$(( $(stat -c %s "$mem/b.db-wal" 2>/dev/null || echo 0) / 1024 ))
set -- $(pick writes-disk-20); w20_disk=$3
set -- $(pick writes-mem-20); w20_mem=$3

# Instructions per request (callgrind): steady where requests per second are not.
ir=$(BENCH_IR_REQUESTS=${BENCH_IR_REQUESTS:-2000} sh bench/instructions.sh "$work/b.db" "$(free_port)" "$cookie")
ir_h=$(echo "$ir" | awk '$1 == "healthz" {print $2}')
ir_m=$(echo "$ir" | awk '$1 == "me" {print $2}')

# Import: 10,000 member rows as a CSV, checked, then committed in one transaction (as staff).
node bench/members-csv.mjs 10000 > "$work/members.csv"
timed_import() {
	curl -s -o "$work/import.json" -w '%{time_total}' -b "$cookie" -H 'X-Requested-With: baodao' \
		-H 'Content-Type: text/csv' --data-binary @"$work/members.csv" "http://127.0.0.1:$bport/api/v1/members/import$1"
}
i_check=$(timed_import "")
i_commit=$(timed_import "?commit=true")
i_written=$(sed -n 's/.*"written":\([0-9]*\).*/\1/p' "$work/import.json")

# p99_verdict WRK-TIME MS: "met" when wrk's time (e.g. 3.80ms, 812.00us, 1.20s) is under MS milliseconds
p99_verdict() {
	echo "$1" | awk -v t="$2" '{ v = $0 + 0; if ($0 ~ /us$/) v /= 1000; else if ($0 ~ /[^m]s$/) v *= 1000;
		print (v < t ? "met" : "NOT met") }'
}
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "NOT met") }'; }
h_ratio=$(ratio "$h_rps" "$n_rps")
m_ratio=$(ratio "$m_rps" "$n_rps")

cat >> "$out" <<MD
# Benchmark results

Measured by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $(nproc) cores,
$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'),
nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'). Each scenario: \`wrk -t2 -c$conns -d${secs}s --latency\` over
loopback, server and load generator sharing the same $(nproc) cores; $rounds rounds interleaved, median shown. baodao runs \`serve --quiet\`
(no access log, as nginx has \`access_log off\`), one worker thread per core, demo data. The same binary on SQLite
(the database's file in /tmp) and on PostgreSQL $($pg_bin/postgres --version 2>/dev/null | awk '{print $3}') (a throwaway cluster of bench/pg.sh in /tmp,
on the same disk, reached over a Unix socket; $(pg_settings)).

| scenario | engine | requests/s | p50 | p99 | non-2xx | vs nginx | target |
|---|---|---:|---:|---:|---:|---:|---|
| nginx \`GET /healthz\` (same bytes) | — | $n_rps | $n_p50 | $n_p99 | 0 | 1.00 | — |
| baodao \`GET /healthz\` | — | $h_rps | $h_p50 | $h_p99 | $h_bad | $h_ratio | ≥ 0.9× nginx: $(verdict "$h_ratio" 0.9) |
| baodao \`GET /api/v1/me\` (session + queries + JSON) | SQLite | $m_rps | $m_p50 | $m_p99 | $m_bad | $m_ratio | ≥ 0.3× nginx: $(verdict "$m_ratio" 0.3); p99 < 10 ms |
$pg_me_row

| concurrent writers (\`POST /api/v1/agreements\`, wrk -c N) | engine, database on | requests/s | p50 | p99 | non-2xx |
|---:|---|---:|---:|---:|---:|
$(write_rows 1)
$(write_rows 20)
$(write_rows 100)

Target at 20 writers: p99 < 20 ms: $(p99_verdict "$w20_disk" 20) on disk, $(p99_verdict "$w20_mem" 20) in memory.
Each write is one \`BEGIN IMMEDIATE\` transaction (the agreement and its audit entry,
durable before its answer: the log's fsync is shared by the commits made while it runs, src/db/wlock.c); the server's writers take turns at the
in-process write lock (docs/architecture.md, "Storage"). In memory the fsyncs cost nothing: those
rows show how the server schedules its writers, the disk rows what this machine's disk adds
(I/O pressure over the last 5 minutes, /proc/pressure/io "some": $(awk '/^some/ { sub("avg300=", "", $4); print $4 "%" }' /proc/pressure/io 2>/dev/null || echo unknown)).
Commits never checkpoint: a thread of the server copies the log back behind the writers
(src/db/checkpointer.c). The log's file after all the rounds of writes: $wal_disk KiB on disk,
$wal_mem KiB in memory (it starts afresh after each complete checkpoint; without one it would
hold every write of the run).

PostgreSQL behind nginx (\`upstream\` of one or two \`baodao serve --trusted-proxy 127.0.0.1\` of the same
database, \`keepalive 32\`, HTTP/1.1 to them, as docs/postgres.md; each server one worker thread per core):

| through nginx (wrk -t2, ${secs} s) | app servers | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|---:|
$up_rows

$pg_text

| user-space instructions per request (callgrind, one worker) | \`GET /healthz\` | \`GET /api/v1/me\` |
|---|---:|---:|
| \`bench/instructions.sh\` | $ir_h | $ir_m |

About 24k of each is libmicrohttpd clearing its connection pool, which valgrind counts
byte by byte; docs/architecture.md ("Performance") has the history of these figures.

| import | rows | seconds | target |
|---|---:|---:|---|
| check 10,000-row CSV (nothing written) | 10000 | $i_check | < 5 s: $(awk -v t="$i_check" 'BEGIN { print (t < 5 ? "met" : "NOT met") }') |
| commit 10,000-row CSV (one transaction) | ${i_written:-?} | $i_commit | < 5 s: $(awk -v t="$i_commit" 'BEGIN { print (t < 5 ? "met" : "NOT met") }') |

Command: \`make bench\` (override with \`BENCH_SECONDS=30 BENCH_ROUNDS=5 BENCH_CONNECTIONS=200 make bench\`;
\`BENCH_ONLY=main,city,…\` and \`BENCH_PG=0\` choose what runs, bench/run.sh's head lists the knobs).

MD
# Guangzhou's scale, on a server of its own (the demo's ones are stopped first).
kill "$baodao_pid" "$nginx_pid" "$mem_pid" "$pg_pid" "$pg2_pid" 2>/dev/null || true
wait 2>/dev/null || true
baodao_pid="" nginx_pid="" mem_pid="" pg_pid="" pg2_pid=""
pg_stop
fi # want main
# The ranking pages at Guangzhou's scale, on SQLite and (BENCH_PG=1) PostgreSQL side by side.
if want city; then sh bench/city.sh >> "$out"; fi
# Jianghan's day: 7,000 members sign up, check in and out at 120 venues (issue #9), on both engines.
if want jianghan; then sh bench/jianghan.sh >> "$out"; fi
# Jianghan's micro-wishes: 1,189 wishes entered, published, raced for by 2,391 members, fulfilled, confirmed (issue #12).
if want wishes; then sh bench/wishes.sh >> "$out"; fi
# A street-wide door-to-door campaign: 20,000 households in 400 buildings marked by their walkers (issue #13).
if want campaign; then sh bench/campaign.sh >> "$out"; fi
# What service earns at Guangzhou's scale: 2,000,000 records with their movements (issue #10).
if want earning; then sh bench/earning.sh >> "$out"; fi
# The monthly figures at Guangzhou's scale: the rollup and the pages that read it (issue #15).
if want stats; then sh bench/stats.sh >> "$out"; fi
# Durability: 500 SIGKILLs while confirming (issue #10).
if want crash; then sh bench/crash.sh >> "$out"; fi
cat "$out"
