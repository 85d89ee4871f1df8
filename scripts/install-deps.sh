#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every build, run and test dependency of certvigil from Debian 12 packages, plus any
# package named as an argument (bench/install-bench-deps.sh adds the benchmarks' peers).
# Idempotent: apt-get skips what is already installed. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libssl-dev openssl libcurl4-openssl-dev libsqlite3-dev sqlite3
  libcpp-httplib-dev prometheus-cpp-dev doctest-dev libyaml-cpp-dev nlohmann-json3-dev
  libcli11-dev libasio-dev libidn2-dev
  libcrypt-dev        # libxcrypt: bcrypt for the web config's basic_auth_users
  clang-format curl procps python3
  prometheus          # promtool, used by the tests to check /metrics output
  prometheus-alertmanager  # amtool (docs/SCALING.md checks); a real Alertmanager in 040-alerts
  python3-yaml        # tests/unit/ecosystem reads the rules and SCALING.md's configs
  groff-base man-db   # the tests render the man pages
  file                # cpack -G DEB finds the binaries for dpkg-shlibdeps with it
  lintian             # scripts/package-test.sh checks the built .deb with it
  nginx-light         # real TLS servers in integration tests
  apache2 haproxy     # real servers whose configurations 110-discover reads and probes
  default-jre-headless  # keytool: the Java keystores of the tests (tests/pki/make_keystores.sh)
  postgresql          # a real STARTTLS server: tests/system/140 reads its log after probes
  # Real STARTTLS servers whose logs tests/system/141 and 142 read after probes (mail: SMTP,
  # IMAP, POP3; LDAP with ldapwhoami as the polite client; FTP AUTH TLS; XMPP)
  postfix dovecot-imapd dovecot-pop3d slapd ldap-utils vsftpd prosody
  apache2-utils       # htpasswd: bcrypt hashes for the web config's basic auth tests
  chromium            # headless browser: tests/system drives the status page with it
  clang-14 libclang-rt-14-dev  # libFuzzer + ASan/UBSan runtimes for the fuzz targets (fuzz/)
  faketime            # libfaketime: tests/system/099-clock-jumps steps the daemon's wall clock
  "$@"
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Without questions: postfix and slapd install unconfigured (the tests write their own configs).
$SUDO debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select No configuration
slapd slapd/no_configuration boolean true
SEL
# Where init scripts would start what is installed (no systemd, no policy yet), a policy-rc.d
# forbids it for the time of the install (Debian's mechanism; exit 101: action not allowed).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ] && [ ! -d /run/systemd/system ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The prometheus, nginx, apache2, haproxy, postgresql, postfix, dovecot, slapd, vsftpd and
# prosody packages start services on install under systemd; certvigil's tests start their own
# instances on 127.0.0.1, so the packaged ones are stopped and not started at boot.
for svc in prometheus prometheus-alertmanager prometheus-blackbox-exporter nginx apache2 postgresql \
  haproxy postfix dovecot slapd vsftpd prosody; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
