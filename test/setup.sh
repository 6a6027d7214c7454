#!/usr/bin/env bash
# Install what building and testing need (Debian 12, as root), then build
# and install the extension into the PostgreSQL 15 server (not with
# AS_SETUP_NO_BUILD=1).  Safe to rerun.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

need=()
for pkg in postgresql-15 postgresql-server-dev-15 libipc-run-perl libkrb5-dev \
           postgresql-15-cron postgresql-15-pg-wait-sampling cppcheck pg-bsd-indent make gcc \
           postgresql-server-dev-all debhelper dpkg-dev \
           pgbouncer prometheus-postgres-exporter chromium python3-pil \
           libmicrohttpd-dev awscli python3-boto3 clang libclang-rt-14-dev curl; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # postgresql-15 in the same line keeps the server and its headers on one minor
  apt-get install -y -qq postgresql-15 "${need[@]}" >/dev/null
  # the tests start their own pgbouncer and exporter on free ports: the
  # services these packages have just started would only hold theirs
  for svc in pgbouncer prometheus-postgres-exporter; do
    if [[ " ${need[*]} " == *" $svc "* ]]; then
      service "$svc" stop >/dev/null 2>&1 || true
    fi
  done
fi

# test/run builds for each major itself
[ "${AS_SETUP_NO_BUILD:-0}" = 1 ] && exit 0

echo "== building"
make -C "$here" clean >/dev/null
make -C "$here" with_llvm=no >/dev/null
make -C "$here" with_llvm=no install >/dev/null
echo "== installed into $(pg_config --pkglibdir)"
