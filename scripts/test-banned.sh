#!/bin/sh
# test-banned.sh: proves scripts/banned.sh fails on each banned call (naming file:line) and passes clean code.
set -eu
here=$(dirname "$0")
work=$(mktemp -d /tmp/baodao-banned-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "test-banned: $*" >&2; exit 1; }

mkdir -p "$work/clean"
cat > "$work/clean/ok.c" <<'C'
/* ok.c: look-alikes that are allowed */
int f(char *b, char *s, char **save)
{
	snprintf(b, 8, "%d", 1); /* a comment that gets read */
	vsnprintf(b, 8, "%s", ap); my_atoi(s); fgets(b, 8, stdin); strtok_r(s, ",", save);
	return str_copy(b, 8, s) + getsockopt(0, 0, 0, 0, 0);
}
C
sh "$here/banned.sh" "$work/clean" 2>"$work/err" || fail "clean code refused: $(cat "$work/err")"

for fn in atoi atol atoll sprintf vsprintf strcpy strcat strncpy gets sscanf strtok; do
	rm -rf "$work/bad" && mkdir -p "$work/bad/sub"
	printf '/* bad.h */\nint g(void)\n{\n\treturn (int)%s (x);\n}\n' "$fn" > "$work/bad/sub/bad.h"
	if sh "$here/banned.sh" "$work/clean" "$work/bad" 2>"$work/err"; then
		fail "$fn( was not refused"
	fi
	grep -q "$work/bad/sub/bad.h:4:" "$work/err" || fail "$fn: file:line not named: $(cat "$work/err")"
done
echo "test-banned: every banned call refused with its file:line, look-alikes allowed"
