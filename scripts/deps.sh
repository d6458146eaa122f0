#!/bin/sh
# deps.sh: installs what is missing (Debian packages, node) for a purpose: build, check, bench or fuzz.
# A no-op when everything is there. Needs root (or sudo) only when something must be installed.
set -eu
purpose=${1:-build}

missing=""
need_pkg() { # need_pkg DEB-PACKAGE TEST-COMMAND...
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

need_pkg pkg-config command -v pkg-config
need_pkg gcc command -v cc
need_pkg make command -v make
need_pkg libmicrohttpd-dev pkg-config --exists libmicrohttpd
need_pkg libjansson-dev pkg-config --exists jansson
need_pkg libsqlite3-dev pkg-config --exists sqlite3
need_pkg libsodium-dev pkg-config --exists libsodium
need_pkg libzip-dev pkg-config --exists libzip
need_pkg libexpat1-dev pkg-config --exists expat
need_pkg libxlsxwriter-dev pkg-config --exists xlsxwriter
need_pkg libqrencode-dev pkg-config --exists libqrencode
need_pkg libpng-dev pkg-config --exists libpng # QR codes as PNG (printed certificates)
need_pkg libvips-dev pkg-config --exists vips
need_pkg libpq-dev pkg-config --exists libpq # the PostgreSQL driver
need_pkg libcurl4-openssl-dev pkg-config --exists libcurl # notify: robot webhooks and the SMS gateway
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# clang with libFuzzer's runtime: the fuzz harnesses (a short run in check, a long one in fuzz).
need_clang_fuzzer() {
	need_pkg clang command -v clang
	need_pkg libclang-rt-14-dev sh -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
}

case $purpose in
check)
	need_pkg libcmocka-dev pkg-config --exists cmocka
	need_pkg sqlite3 command -v sqlite3
	need_pkg chromium test -x /usr/bin/chromium
	need_pkg libreoffice-calc-nogui command -v soffice
	need_pkg fonts-noto-cjk sh -c 'fc-list :lang=zh | grep -q .'
	need_pkg poppler-utils command -v pdftoppm # a printed certificate's PDF as an image
	need_pkg zbar-tools command -v zbarimg     # and the QR code read back from it
	need_pkg postgresql-15 test -x /usr/lib/postgresql/15/bin/initdb # the tests start their own server
	need_pkg nginx test -x /usr/sbin/nginx # tests/api/multi-server.test.mjs: two servers behind it
	need_pkg openssl command -v openssl # and its throwaway certificate for docs/nginx-baodao.conf
	need_clang_fuzzer
	;;
bench)
	need_pkg nginx test -x /usr/sbin/nginx
	need_pkg wrk command -v wrk
	need_pkg valgrind command -v callgrind_control
	need_pkg sqlite3 command -v sqlite3
	need_pkg python3 command -v python3 # bench/jianghan.sh writes the members' sessions
	need_pkg bc command -v bc # bench/lib.sh: one request's time in ms
	need_pkg postgresql-15 test -x /usr/lib/postgresql/15/bin/initdb # bench/pg.sh: the PostgreSQL rows
	;;
fuzz)
	need_clang_fuzzer
	;;
esac

[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
