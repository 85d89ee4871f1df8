#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Debian package (cpack -G DEB), checks it with lintian (any error fails; the
# remaining warnings are justified in packaging/deb/lintian-notes.md), installs it with dpkg -i,
# checks what it installed (binary, unit, system user, directories, conffile, man pages), runs
# `certvigil --version`, `certvigil config check` on the shipped config and the daemon itself as
# the certvigil user on 127.0.0.1, reinstalls it (the upgrade path of the maintainer scripts),
# then purges it and checks that the state is gone.
#
# Needs root (dpkg); CI runs as root. Safe to rerun: a certvigil package left installed by an
# earlier run is purged first, and the package is purged on exit whatever happens.
# Usage: scripts/package-test.sh [--no-build] [BUILD_DIR]   (default: build, configured if
# needed; --no-build packages the binary already built there)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
if [ "${1:-}" = "--no-build" ]; then
  BUILD=0
  shift
fi
BUILD_DIR=${1:-build}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
WORK=$(mktemp -d /tmp/certvigil-package-XXXXXX)
DAEMON_PID=""

cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    $SUDO kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  if dpkg-query -W -f='${Status}' certvigil 2>/dev/null | grep -q 'ok installed\|config-files'; then
    $SUDO dpkg --purge certvigil >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [ -f "$WORK/daemon.log" ] && tail -n 20 "$WORK/daemon.log" >&2
  exit 1
}

echo "== package: build"
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja >/dev/null
fi
if [ "$BUILD" = 1 ]; then
  cmake --build "$BUILD_DIR" --target certvigil certvigil_man certvigil_changelog
fi
rm -rf "$BUILD_DIR/package"
(cd "$BUILD_DIR" && cpack -G DEB -B "$PWD/package" >/dev/null)
deb=$(find "$BUILD_DIR/package" -maxdepth 1 -name 'certvigil_*.deb' | head -n 1)
[ -n "$deb" ] || fail "cpack made no certvigil_*.deb"
version=$(dpkg-deb -f "$deb" Version)
echo "package: $deb ($(du -h "$deb" | cut -f1), version $version)"
dpkg-deb -f "$deb" Depends | grep -q 'systemd' || fail "Depends lacks systemd"
dpkg-deb -f "$deb" Depends | grep -q 'libssl3' || fail "Depends lacks libssl3 (shlibdeps)"
dpkg-deb -c "$deb" >"$WORK/contents.txt"
for path in ./usr/bin/certvigil ./usr/lib/systemd/system/certvigil.service \
  ./usr/lib/sysusers.d/certvigil.conf ./usr/lib/tmpfiles.d/certvigil.conf \
  ./etc/certvigil/certvigil.yaml ./usr/share/man/man1/certvigil.1.gz \
  ./usr/share/man/man5/certvigil.yaml.5.gz ./usr/share/doc/certvigil/SCALING.md \
  ./usr/share/doc/certvigil/copyright ./usr/share/doc/certvigil/changelog.Debian.gz \
  ./usr/share/doc/certvigil/examples/certvigil-rules.yml \
  ./usr/share/doc/certvigil/examples/certvigil-dashboard.json; do
  grep -q " $path\$" "$WORK/contents.txt" || fail "the package lacks $path"
done
dpkg-deb -e "$deb" "$WORK/control"
grep -qx /etc/certvigil/certvigil.yaml "$WORK/control/conffiles" || fail "config not a conffile"

echo "== package: lintian"
command -v lintian >/dev/null || fail "lintian is missing (scripts/install-deps.sh installs it)"
lintian_rc=0
lintian --fail-on error --display-info --tag-display-limit 0 "$deb" >"$WORK/lintian.txt" 2>&1 ||
  lintian_rc=$?
sed 's/^/lintian: /' "$WORK/lintian.txt"
if grep -q '^E: ' "$WORK/lintian.txt" || [ "$lintian_rc" != 0 ]; then
  fail "lintian reports errors (exit $lintian_rc)"
fi
if grep -qE 'hardening-no-(bindnow|fortify-functions)' "$WORK/lintian.txt"; then
  fail "the binary lost its hardening (cmake/hardening.cmake): $(grep hardening "$WORK/lintian.txt")"
fi

if dpkg-query -W -f='${Status}' certvigil 2>/dev/null | grep -q 'ok installed\|config-files'; then
  echo "package: purging a certvigil package left by an earlier run"
  $SUDO dpkg --purge certvigil >/dev/null
fi

echo "== package: install"
$SUDO dpkg -i "$deb"
[ "$(/usr/bin/certvigil --version)" = "certvigil ${version%-*}" ] ||
  fail "--version does not say ${version%-*}"
/usr/bin/certvigil config check /etc/certvigil/certvigil.yaml || fail "shipped config rejected"
getent passwd certvigil | grep -q ':/usr/sbin/nologin$' || fail "no certvigil system user"
[ "$(id -u certvigil)" -lt 1000 ] || fail "certvigil is not a system user"
id -nG certvigil | grep -qw ssl-cert || fail "certvigil is not in group ssl-cert"
[ "$(stat -c '%U:%G %a' /var/lib/certvigil)" = "certvigil:certvigil 750" ] ||
  fail "/var/lib/certvigil is $(stat -c '%U:%G %a' /var/lib/certvigil)"
zcat /usr/share/man/man1/certvigil.1.gz | grep -q '^\.TH CERTVIGIL 1' || fail "man page certvigil(1)"
for page in /usr/share/man/man1/certvigil.1.gz /usr/share/man/man5/certvigil.yaml.5.gz; do
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "groff warns about $page: $warnings"
done
man -w certvigil.yaml >/dev/null 2>&1 || man -w 5 certvigil.yaml >/dev/null ||
  fail "man cannot find certvigil.yaml(5)"
# The installed unit loads (its binary, user and man pages exist) and keeps its hardening.
systemd-analyze verify /usr/lib/systemd/system/certvigil.service || fail "systemd-analyze verify"
scripts/check-unit.sh /usr/lib/systemd/system/certvigil.service

echo "== package: run the installed daemon as the certvigil user"
# The shipped config on a free port (port 0), the packaged state directory.
sed 's/^listen: .*/listen: 127.0.0.1:0/' /etc/certvigil/certvigil.yaml >"$WORK/certvigil.yaml"
chmod 0644 "$WORK/certvigil.yaml"
chmod 0755 "$WORK"
$SUDO setpriv --reuid certvigil --regid certvigil --init-groups \
  /usr/bin/certvigil run --config "$WORK/certvigil.yaml" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$WORK/daemon.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon exited"
  sleep 0.1
done
[ -n "$port" ] || fail "the daemon never listened"
curl -sf "http://127.0.0.1:$port/metrics" >"$WORK/metrics.txt" || fail "no /metrics"
grep -q "^certvigil_build_info{.*version=\"${version%-*}\"" "$WORK/metrics.txt" ||
  fail "build_info"
[ "$(stat -c %U /var/lib/certvigil/certvigil.db)" = certvigil ] || fail "database not owned by certvigil"
$SUDO kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "the daemon did not stop cleanly"
DAEMON_PID=""

echo "== package: reinstall (upgrade path), then purge"
$SUDO dpkg -i "$deb" >/dev/null
/usr/bin/certvigil config check /etc/certvigil/certvigil.yaml >/dev/null || fail "after reinstall"
$SUDO dpkg --purge certvigil
[ ! -e /usr/bin/certvigil ] || fail "purge left the binary"
[ ! -e /etc/certvigil/certvigil.yaml ] || fail "purge left the conffile"
[ ! -e /var/lib/certvigil ] || fail "purge left /var/lib/certvigil"
echo "package: ok ($deb installed, ran, reinstalled and purged)"
