#!/bin/sh
# bench/crash.sh: the long crash run of issue #10: tests/api/crash.test.mjs with 500 SIGKILLs of the release server
# while staff confirm and correct service; after each kill every acknowledged write is there and the ledgers, the
# audit chain and the file are sound. Prints a Markdown section on stdout (bench/run.sh adds it to bench/RESULTS.md).
set -eu
cd "$(dirname "$0")/.."
kills=${BENCH_CRASH_KILLS:-500}
t0=$(date +%s.%N)
out=$(BAODAO_CRASH_KILLS=$kills BAODAO_BIN=$PWD/build/baodao node --test tests/api/crash.test.mjs 2>&1) || {
	echo "$out" >&2
	exit 1
}
t1=$(date +%s.%N)
line=$(echo "$out" | sed -n 's/^# crash: //p')
cat <<MD

## Durability: $kills kills of the server while it confirms service

\`bench/crash.sh\` (tests/api/crash.test.mjs, the short run of \`make check\` has 20 kills): 8 clients of a
community's staff confirm services and correct them while the release server is killed with SIGKILL after a random
number of answers, three members redeeming points and giving hours on their phones at the same time, the next
requests on their way; after each kill \`PRAGMA integrity_check\`, \`baodao ledger
verify\` and \`baodao audit verify\` pass, every acknowledged service counts what its last answer said (a correction
sent but never answered may or may not have landed), and the hours ledger and the standings both equal the
confirmed minutes (members' and persons' hours together), every acknowledged redemption and gift is there; then the
server starts again on the same file.

| kills | result | seconds |
|---:|---|---:|
| $kills | $line | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') |
MD
