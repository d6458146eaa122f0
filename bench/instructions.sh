#!/bin/sh
# bench/instructions.sh DB PORT COOKIE: user-space instructions per request of a server run under callgrind.
# Unlike requests per second, the count does not move with the machine's load: it shows what a change saved.
# Prints "healthz N" and "me N". The database must have the demo data; COOKIE is a session of it.
set -eu
db=$1 port=$2 cookie=$3
n=${BENCH_IR_REQUESTS:-2000}
out=$(mktemp -d /tmp/baodao-ir-XXXXXX)
valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$out/cg.%p" \
	./build/baodao serve --db "$db" --listen "127.0.0.1:$port" --quiet --threads 1 >/dev/null 2>&1 &
vg=$!
trap 'kill $vg 2>/dev/null; wait $vg 2>/dev/null; rm -rf "$out"' EXIT
for i in $(seq 1 100); do
	curl -sf --noproxy '*' "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
# count PATH: warm up, zero the counters, run n requests, dump, divide the total by n
count() {
	node bench/keepalive.mjs "$port" "$1" 50 "$cookie"
	callgrind_control -z "$vg" >/dev/null
	node bench/keepalive.mjs "$port" "$1" "$n" "$cookie"
	callgrind_control -d "$vg" >/dev/null
	f=$(ls -t "$out"/cg.* | head -1)
	awk -v n="$n" '/^(summary|totals):/ { printf "%d\n", $2 / n; exit }' "$f"
}
echo "healthz $(count /healthz)"
echo "me $(count /api/v1/me)"
