# bench/lib.sh: what the city-scale scripts share (sourced, with $base, $work, $conns and $secs set).

# login LOGIN [BASE]: the session cookie of an account with the demo's password (at $base unless BASE).
login() {
	curl -s -D - -o /dev/null -H 'X-Requested-With: baodao' -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"Demo-baodao-2026\"}" "${2:-$base}/api/v1/session" |
		sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\);.*/\1/p'
}

# measure BASE COOKIE PATH: one wrk run of $conns users on the server at BASE: "rps p50 p99 one_ms non2xx".
measure() {
	one=$(curl -s -o /dev/null -w '%{time_total}' -b "$2" "$1$3")
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $2" "$1$3" > "$work/w.txt"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$work/w.txt")
	p50=$(awk '$1 == "50%" {print $2}' "$work/w.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$work/w.txt")
	bad=$(awk '/Non-2xx/ {print $NF}' "$work/w.txt")
	printf '%s %s %s %.1f %s\n' "$rps" "$p50" "$p99" "$(echo "$one * 1000" | bc -l)" "${bad:-0}"
}

# row NAME COOKIE PATH: one wrk run of $conns users; a Markdown row with requests/s, p50, p99, one request's time.
row() {
	set -- "$1" "$3" $(measure "$base" "$2" "$3")
	printf '| %s | `%s` | %s | %s | %s | %s ms | %s |\n' "$@"
}

# export_row NAME COOKIE PATH: the time of one download and its size.
export_row() {
	t=$(curl -s -o "$work/x.xlsx" -w '%{time_total}' -b "$2" "$base$3")
	printf '| %s | `%s` | %.2f s | %s KiB |\n' "$1" "$3" "$t" "$(( $(stat -c %s "$work/x.xlsx") / 1024 ))"
}

# pg_move DB NAME: moves the SQLite file DB into a new database NAME of the cluster of bench/pg.sh with
# `baodao move-to-postgres` (its key to $work/NAME.key), then VACUUM ANALYZE; prints the seconds both took, or
# "skipped: …" / "failed: …".
pg_move() {
	if ! ./build/baodao --help 2>&1 | grep -q move-to-postgres; then
		echo "skipped: this build has no \`baodao move-to-postgres\` (older than issue #11's move); \`baodao generate --db postgres://…\` works but takes some 20 ms a member file there (hours for Guangzhou)"
		return 0
	fi
	pg_createdb "$2"
	t0=$(date +%s.%N)
	if ! BAODAO_KEY="$work/$2.key" ./build/baodao move-to-postgres --from "$1" --to "$(pg_url "$2")" > "$work/$2.move" 2>&1; then
		echo "failed: move-to-postgres: $(tr '\r' '\n' < "$work/$2.move" | grep -v '^copying' | tail -1)"
		return 0
	fi
	# Statistics and the visibility map, as an operator does after a bulk load (autovacuum would, later).
	pg_psql "$2" "VACUUM ANALYZE" >/dev/null
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f\n", b - a }'
}
