#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A polite probe against Debian's real slapd (LDAP StartTLS), vsftpd (FTP AUTH TLS) and prosody
# (XMPP), each started here on 127.0.0.1 with its configuration in $WORK and stopped by its PID
# at exit. A batch of STARTTLS probes must leave, per probe, the server's sign of the goodbye
# (slapd "UNBIND", vsftpd the QUIT command, prosody "Received </stream:stream>") and no line
# that the polite client (ldapwhoami -ZZ; openssl s_client saying QUIT or closing the stream)
# does not leave. The control, a client that leaves without the goodbye, makes slapd log
# "closed (connection lost)"; a probe that also left out the close_notify made vsftpd log
# "Control connection terminated without SSL shutdown." and prosody "Client disconnected:
# unexpected eof while reading". Servers that refuse TLS are left with the goodbye in the clear
# (before, slapd logged "closed (connection lost)" for each), and prosody's stream errors are
# reported by their condition and text.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/goodbye_lib.sh"

require_root "slapd, vsftpd and prosody (as its user)"
require_program slapd slapd
require_program ldapwhoami ldap-utils
require_program vsftpd vsftpd
require_program prosody prosody
chmod 755 "$WORK" # prosody runs as its user; vsftpd's sessions read below it
PROBES=5

# --- slapd in the foreground, its stats log on stderr; TLS configured or not.
start_slapd() { # NAME PORT TLS
  local dir="$WORK/$1"
  mkdir -p "$dir/db"
  server_files "$dir"
  {
    echo "include /etc/ldap/schema/core.schema"
    echo "pidfile $dir/slapd.pid"
    echo "argsfile $dir/slapd.args"
    echo "modulepath /usr/lib/ldap"
    echo "moduleload back_mdb"
    if [ "$3" = yes ]; then
      echo "TLSCertificateFile $dir/server.crt"
      echo "TLSCertificateKeyFile $dir/server.key"
    fi
    echo "database mdb"
    echo "suffix \"dc=certvigil,dc=test\""
    echo "directory $dir/db"
  } >"$dir/slapd.conf"
  slapd -h "ldap://127.0.0.1:$2/" -f "$dir/slapd.conf" -d stats >"$dir/slapd.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for_line "$dir/slapd.log" "slapd starting" || fail "slapd did not start: $(cat "$dir/slapd.log")"
}

# --- vsftpd in the foreground (listen=YES, background=NO), logging the FTP dialogue.
start_vsftpd() { # NAME PORT SSL_ENABLE
  local dir="$WORK/$1"
  mkdir -p "$dir/empty"
  server_files "$dir"
  cat >"$dir/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$2
background=NO
anonymous_enable=NO
local_enable=YES
secure_chroot_dir=$dir/empty
pam_service_name=vsftpd
ssl_enable=$3
rsa_cert_file=$dir/server.crt
rsa_private_key_file=$dir/server.key
xferlog_enable=YES
xferlog_std_format=NO
vsftpd_log_file=$dir/vsftpd.log
log_ftp_protocol=YES
debug_ssl=YES
CONF
  vsftpd "$dir/vsftpd.conf" >"$dir/stdout" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$2" || fail "vsftpd did not start: $(cat "$dir/stdout")"
}

# --- prosody in the foreground as its user, debug log: localhost with TLS, plain.test without.
start_prosody() {
  local dir="$WORK/prosody"
  mkdir -p "$dir/data" "$dir/certs"
  server_files "$dir"
  cat >"$dir/prosody.cfg.lua" <<CONF
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
log = { debug = "$dir/prosody.log" }
c2s_ports = { $XMPP_PORT }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
c2s_direct_tls_ports = { }
modules_enabled = { "tls", "saslauth", "disco" }
modules_disabled = { "s2s", "posix" }
c2s_require_encryption = true
authentication = "internal_hashed"
certificates = "$dir/certs"
VirtualHost "localhost"
  ssl = { certificate = "$dir/server.crt", key = "$dir/server.key" }
VirtualHost "plain.test"
  modules_disabled = { "tls" }
CONF
  chown -R prosody "$dir"
  setpriv --reuid=prosody --regid=prosody --init-groups \
    prosody -F --config "$dir/prosody.cfg.lua" >"$dir/stdout" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for_line "$dir/prosody.log" "Activated service 'c2s'" ||
    fail "prosody did not start: $(cat "$dir/stdout" "$dir/prosody.log" 2>/dev/null)"
}

LDAP_PORT=$(free_port)
LDAP_PLAIN_PORT=$(free_port)
FTP_PORT=$(free_port)
FTP_PLAIN_PORT=$(free_port)
XMPP_PORT=$(free_port)
start_slapd slapd "$LDAP_PORT" yes
start_slapd slapd-plain "$LDAP_PLAIN_PORT" no
start_vsftpd vsftpd "$FTP_PORT" YES
start_vsftpd vsftpd-plain "$FTP_PLAIN_PORT" NO
start_prosody

# certvigil_refused PROTO PORT [OPTS...]: one probe that must fail; its output in $WORK/refused.out.
certvigil_refused() {
  ! "$CERTVIGIL" check --starttls "$1" "127.0.0.1:$2" "${@:3}" >"$WORK/refused.out" 2>&1
}
expect_refusal() {
  grep -qF "$1" "$WORK/refused.out" || fail "not the refusal ($1): $(cat "$WORK/refused.out")"
}

echo "== slapd (LDAP StartTLS)"
LDAP_LOG="$WORK/slapd/slapd.log"
ldapwhoami_tls() {
  LDAPTLS_CACERT="$PKI/ec-root.crt" timeout 10 ldapwhoami -x -ZZ -H "ldap://127.0.0.1:$LDAP_PORT"
}
batch ldap-polite "$LDAP_LOG" 'fd=[0-9]+ closed' 2 ldapwhoami_tls
batch ldap-rude "$LDAP_LOG" 'fd=[0-9]+ closed' 1 s_client_leaves ldap "$LDAP_PORT"
batch ldap-certvigil "$LDAP_LOG" 'fd=[0-9]+ closed' "$PROBES" certvigil_probe ldap "$LDAP_PORT"
expect_rude ldap 'UNBIND' 'closed \(connection lost\)'
expect_polite ldap "$PROBES" 'op=[0-9]+ UNBIND' 'closed \(|err=[1-9]|[Ee]rror|fail'

echo "== slapd without TLS: the refusal, then an unbind in the clear"
batch ldap-refused-certvigil "$WORK/slapd-plain/slapd.log" 'fd=[0-9]+ closed' "$PROBES" \
  certvigil_refused ldap "$LDAP_PLAIN_PORT"
expect_refusal 'refused StartTLS with LDAP result 2: "unsupported extended operation"'
expect_polite ldap-refused "$PROBES" 'op=1 UNBIND' 'closed \(|[Ee]rror|fail'

echo "== vsftpd (FTP AUTH TLS)"
FTP_LOG="$WORK/vsftpd/vsftpd.log"
# vsftpd's line for a client gone without a close_notify: "Control connection terminated
# without SSL shutdown." (debug_ssl)
FTP_BAD='OOPS|FAIL|[Ee]rror|without SSL shutdown'
batch ftp-polite "$FTP_LOG" 'CONNECT: Client' 2 s_client_says ftp "$FTP_PORT" 'QUIT\r\n'
batch ftp-rude "$FTP_LOG" 'CONNECT: Client' 1 s_client_leaves ftp "$FTP_PORT"
batch ftp-certvigil "$FTP_LOG" 'CONNECT: Client' "$PROBES" certvigil_probe ftp "$FTP_PORT"
expect_rude ftp '"QUIT"' '' # vsftpd writes no error line for a client gone without QUIT
expect_polite ftp "$PROBES" 'FTP command: Client "127.0.0.1", "QUIT"' "$FTP_BAD"

echo "== vsftpd without TLS: the refusal, then QUIT in the clear"
batch ftp-refused-certvigil "$WORK/vsftpd-plain/vsftpd.log" 'CONNECT: Client' "$PROBES" \
  certvigil_refused ftp "$FTP_PLAIN_PORT"
expect_refusal 'refused AUTH TLS: "530 Please login with USER and PASS."'
expect_polite ftp-refused "$PROBES" 'FTP command: Client "127.0.0.1", "QUIT"' "$FTP_BAD"

echo "== prosody (XMPP)"
XMPP_LOG="$WORK/prosody/prosody.log"
# prosody's lines for a client gone without a close_notify: "Client disconnected: unexpected eof
# while reading", "Read error, closing (unexpected eof while reading)".
XMPP_BAD="$(printf '\t(warn|error)\t')|Connection closed by remote|unexpected eof|Read error"
STREAM="<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'></stream:stream>"
batch xmpp-polite "$XMPP_LOG" 'Client disconnected' 2 \
  s_client_says xmpp "$XMPP_PORT" "$STREAM" -xmpphost localhost
batch xmpp-rude "$XMPP_LOG" 'Client disconnected' 1 \
  s_client_leaves xmpp "$XMPP_PORT" -xmpphost localhost
batch xmpp-certvigil "$XMPP_LOG" 'Client disconnected' "$PROBES" certvigil_probe xmpp "$XMPP_PORT"
expect_rude xmpp 'Received </stream:stream>' 'Connection closed by remote'
expect_polite xmpp "$PROBES" 'Received </stream:stream>' "$XMPP_BAD"

echo "== prosody's stream errors, by their condition and text"
batch xmpp-unknown-certvigil "$XMPP_LOG" 'Client disconnected' 1 \
  certvigil_refused xmpp "$XMPP_PORT" --servername nothere.test
expect_refusal "the XMPP server refused the stream: host-unknown (\"This server does not serve \
nothere.test\"): it does not serve the domain 'nothere.test'"
batch xmpp-refused-certvigil "$XMPP_LOG" 'Client disconnected' "$PROBES" \
  certvigil_refused xmpp "$XMPP_PORT" --servername plain.test
expect_refusal 'the XMPP server refused the stream: undefined-condition ("No stream features to proceed with")'
# prosody warns of its own configuration for each connection to plain.test ("No stream features
# to offer on insecure session"); the probe itself must leave no error and close its stream.
expect_polite xmpp-refused "$PROBES" 'Client disconnected: connection closed' \
  "$(printf '\terror\t')|Connection closed by remote"
echo "PASS"
