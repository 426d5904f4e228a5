#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS server for the tests (tests/e2e/postgis_test.cpp): its own
# cluster in a new temporary folder, reachable only through a Unix socket there (no TCP port,
# so it never clashes with another server), trust authentication, fsync off.
#
#   scripts/postgis-test-server.sh start   prints the folder, then the GDAL connection string
#                                           PG:host=FOLDER port=5432 user=postgres dbname=whitezone_test
#   scripts/postgis-test-server.sh stop FOLDER   stops it and removes the folder
#
# As root the server runs as the postgres user (PostgreSQL refuses root). Exit code 77 when
# the PostgreSQL server or PostGIS is not installed (scripts/install-deps.sh installs both).
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case ${1:-} in
start)
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "postgis-test-server: no PostgreSQL server (initdb) under /usr/lib/postgresql; run scripts/install-deps.sh as root" >&2
    exit 77
  fi
  version=$(basename "$(dirname "$pgbin")")
  if [ ! -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
    echo "postgis-test-server: PostGIS is not installed for PostgreSQL $version; run scripts/install-deps.sh as root" >&2
    exit 77
  fi
  dir=$(mktemp -d /tmp/whitezone-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if ! { as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 &&
         as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
           -o "-k $dir -p 5432 -c listen_addresses= -c fsync=off -c full_page_writes=off" start >/dev/null &&
         as_pg "$pgbin/psql" -h "$dir" -p 5432 -U postgres -qc "CREATE DATABASE whitezone_test" &&
         as_pg "$pgbin/psql" -h "$dir" -p 5432 -U postgres -d whitezone_test -qc "CREATE EXTENSION postgis"; }; then
    echo "postgis-test-server: the server did not start:" >&2
    cat "$dir/initdb.log" "$dir/server.log" >&2 2>/dev/null || true
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    exit 1
  fi
  echo "$dir"
  echo "PG:host=$dir port=5432 user=postgres dbname=whitezone_test"
  ;;
stop)
  dir=${2:?usage: postgis-test-server.sh stop FOLDER}
  case $dir in /tmp/whitezone-pg.*) ;; *) echo "postgis-test-server: not a test server folder: $dir" >&2; exit 2 ;; esac
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgis-test-server.sh start | stop FOLDER" >&2
  exit 2
  ;;
esac
