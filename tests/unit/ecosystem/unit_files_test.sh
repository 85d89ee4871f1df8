#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The systemd files: the unit keeps the contract (Type=notify, watchdog, SIGHUP reload, its own
# user, state directory) and stays hardened (scripts/check-unit.sh: exposure <= 2.0, and a
# weakened copy fails it); sysusers and tmpfiles create the user, groups and directories when
# applied to a scratch root (--root, so the host is not touched).
set -euo pipefail
SRC=${1:?usage: unit_files_test.sh SOURCE_DIR}
UNIT="$SRC/systemd/certvigil.service"
WORK=$(mktemp -d /tmp/certvigil-unit-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for line in Type=notify WatchdogSec=30 'ExecReload=/bin/kill -HUP $MAINPID' User=certvigil \
  Group=certvigil SupplementaryGroups=ssl-cert StateDirectory=certvigil \
  RestartPreventExitStatus=78 ProtectSystem=strict NoNewPrivileges=yes CapabilityBoundingSet=; do
  grep -qxF "$line" "$UNIT" || fail "the unit lacks '$line'"
done
grep -q '^ExecStart=/usr/bin/certvigil run --config /etc/certvigil/certvigil.yaml$' "$UNIT" ||
  fail "ExecStart is not the packaged binary and config"
grep -qE '^(User|Group)=root$' "$UNIT" && fail "the unit runs as root"

"$SRC/scripts/check-unit.sh" "$UNIT"
grep -vE '^(ProtectSystem|CapabilityBoundingSet|SystemCallFilter|PrivateDevices|ProtectKernel|RestrictAddressFamilies|NoNewPrivileges|ProtectHome)' \
  "$UNIT" >"$WORK/weak.service"
if "$SRC/scripts/check-unit.sh" "$WORK/weak.service" >/dev/null 2>&1; then
  fail "check-unit.sh accepted a unit without its sandbox"
fi
echo "ok: check-unit.sh rejects a weakened copy"

mkdir -p "$WORK/root/etc" "$WORK/root/var/lib"
systemd-sysusers --root="$WORK/root" "$SRC/systemd/certvigil.sysusers"
grep -q '^certvigil:x:[0-9]*:[0-9]*:.*:/var/lib/certvigil:/usr/sbin/nologin$' \
  "$WORK/root/etc/passwd" || fail "sysusers made no certvigil system user"
uid=$(awk -F: '$1 == "certvigil" {print $3}' "$WORK/root/etc/passwd")
if [ "$uid" -le 0 ] || [ "$uid" -ge 1000 ]; then fail "certvigil uid $uid is not a system uid"; fi
grep -q '^certvigil:x:[0-9]*:' "$WORK/root/etc/group" || fail "no certvigil group"
grep -qE '^ssl-cert:x:[0-9]+:(.*,)?certvigil(,.*)?$' "$WORK/root/etc/group" ||
  fail "certvigil is not a member of ssl-cert"
echo "ok: sysusers creates certvigil (uid $uid) in groups certvigil and ssl-cert"

systemd-tmpfiles --root="$WORK/root" --create "$SRC/systemd/certvigil.tmpfiles"
[ "$(stat -c %a "$WORK/root/var/lib/certvigil")" = 750 ] || fail "state dir mode"
[ "$(stat -c %a "$WORK/root/etc/certvigil")" = 750 ] || fail "config dir mode"
echo "ok: tmpfiles creates /var/lib/certvigil and /etc/certvigil with mode 0750"
