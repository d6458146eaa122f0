# bench/lib.sh: what the city-scale scripts share (sourced, with $base, $work, $conns and $secs set).

# login LOGIN: the session cookie of an account with the demo's password.
login() {
	curl -s -D - -o /dev/null -H 'X-Requested-With: baodao' -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"Demo-baodao-2026\"}" "$base/api/v1/session" |
		sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\);.*/\1/p'
}

# row NAME COOKIE PATH: one wrk run of $conns users; a Markdown row with requests/s, p50, p99, one request's time.
row() {
	name=$1 cookie=$2 path=$3
	one=$(curl -s -o /dev/null -w '%{time_total}' -b "$cookie" "$base$path")
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $cookie" "$base$path" > "$work/w.txt"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$work/w.txt")
	p50=$(awk '$1 == "50%" {print $2}' "$work/w.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$work/w.txt")
	bad=$(awk '/Non-2xx/ {print $NF}' "$work/w.txt")
	printf '| %s | `%s` | %s | %s | %s | %.1f ms | %s |\n' "$name" "$path" "$rps" "$p50" "$p99" \
		"$(echo "$one * 1000" | bc -l)" "${bad:-0}"
}

# export_row NAME COOKIE PATH: the time of one download and its size.
export_row() {
	t=$(curl -s -o "$work/x.xlsx" -w '%{time_total}' -b "$2" "$base$3")
	printf '| %s | `%s` | %.2f s | %s KiB |\n' "$1" "$3" "$t" "$(( $(stat -c %s "$work/x.xlsx") / 1024 ))"
}
