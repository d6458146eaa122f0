#!/bin/sh
# run.sh: first time, creates the database with demo data; then serves it and prints the logins.
set -eu
db=$1
listen=$2
pwfile="$(dirname "$db")/admin-password.txt"

if [ ! -f "$db" ]; then
	mkdir -p "$(dirname "$db")"
	umask 077
	./build/baodao init --db "$db" | tee "$db.init.log"
	sed -n 's/^admin password (shown once, keep it safe): //p' "$db.init.log" > "$pwfile"
	rm -f "$db.init.log"
	./build/baodao demo --db "$db"
fi
cat <<MSG

  baodao (报到) is starting at http://$listen/
    staff console:  http://$listen/admin/
    mobile pages:   http://$listen/m/

  demo logins (password Demo-baodao-2026):
    org       三元里街道 organisation department
    staff     石榴桥社区 community staff
    unit      三元里街社区卫生服务中心 unit administrator
    member    in-service Party member living in 石榴桥社区
    resident  resident of 石榴桥社区
  admin password: $(cat "$pwfile" 2>/dev/null || echo "printed by the first 'make run'")

MSG
exec ./build/baodao serve --db "$db" --listen "$listen" --web web/dist
