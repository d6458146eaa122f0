#!/bin/sh
# banned.sh: fails, naming file:line, where C code under the given folders calls a banned function.
# Usage: sh scripts/banned.sh [DIR...] (default: src tests/unit tests/fuzz). House rules: README, COMMON.md.
set -eu
[ $# -gt 0 ] || set -- src tests/unit tests/fuzz
# Whole words followed by "(": snprintf, strtok_r, fgets or my_atoi are not matched.
banned='atoi|atol|atoll|sprintf|vsprintf|strcpy|strcat|strncpy|gets|sscanf|strtok'
hits=$(grep -rnE --include='*.c' --include='*.h' "(^|[^[:alnum:]_])($banned)[[:space:]]*\(" "$@" || true)
[ -z "$hits" ] && exit 0
echo "$hits" | sed 's/^/banned function: /' >&2
cat >&2 <<'MSG'
use snprintf, str_copy (base/xalloc.h), str_to_ll, digits_value or date_split (base/valid.h), strtok_r
MSG
exit 1
