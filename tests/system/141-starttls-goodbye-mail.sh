#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A polite probe against Debian's real mail servers: postfix (SMTP) and dovecot (IMAP, POP3),
# each started here on 127.0.0.1 with its configuration in $WORK and stopped by its PID at exit.
# A batch of STARTTLS probes must leave, per probe, the server's sign of the protocol's goodbye
# (postfix "disconnect from ... quit=1", dovecot "Aborted login by logging out") and no line that
# `openssl s_client` saying QUIT / LOGOUT does not leave; a client that leaves without the goodbye
# (the control) makes postfix log "lost connection after STARTTLS" and dovecot "Disconnected:
# Connection closed" (", TLS: Connection closed" without a close_notify either, as probes did
# before they said goodbye). A server that refuses STARTTLS is left with the goodbye in the clear
# (before, postfix logged "lost connection after STARTTLS" for every such probe).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/goodbye_lib.sh"

require_root "postfix's master"
require_program /usr/lib/postfix/sbin/master postfix
require_program dovecot "dovecot-imapd and dovecot-pop3d"
chmod 755 "$WORK" # postfix's and dovecot's unprivileged processes read below it
PROBES=5

# --- postfix: master in the foreground, its queue and log in $WORK, smtpd on two ports (TLS
# offered, and not offered for the refusal). Only the services smtpd calls run.
start_postfix() {
  local dir="$WORK/postfix"
  mkdir -p "$dir/etc" "$dir/data" "$dir/queue/pid" "$dir/queue/private" "$dir/queue/public"
  chown postfix "$dir/data" "$dir/queue" "$dir/queue/private" "$dir/queue/public"
  server_files "$dir/etc"
  cat >"$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.certvigil.test
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
smtpd_tls_security_level = may
smtpd_tls_chain_files = $dir/etc/server.key, $dir/etc/server.crt
smtpd_tls_loglevel = 1
CONF
  cat >"$dir/etc/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SMTP_PLAIN_PORT inet n - n - - smtpd -o smtpd_tls_security_level=none
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
proxymap  unix - - n - - proxymap
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CONF
  /usr/lib/postfix/sbin/master -c "$dir/etc" -d >"$dir/master.out" 2>&1 &
  SERVER_PIDS+=($!)
  MAILLOG="$dir/maillog"
  wait_for_line "$MAILLOG" "daemon started" || fail "postfix did not start: $(cat "$dir/master.out")"
}

# --- dovecot: two instances in the foreground (-F), TLS on and off, logging to files.
start_dovecot() { # NAME SSL IMAP_PORT POP3_PORT
  local dir="$WORK/$1" tls
  mkdir -p "$dir/run"
  server_files "$dir"
  tls="ssl = no"
  [ "$2" = yes ] && tls="ssl = yes
ssl_cert = <$dir/server.crt
ssl_key = <$dir/server.key
ssl_dh = </usr/share/dovecot/dh.pem"
  cat >"$dir/dovecot.conf" <<CONF
protocols = imap pop3
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
$tls
mail_location = maildir:$dir/mail/%u
passdb {
  driver = static
  args = password=unused-test-password
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
service imap-login {
  inet_listener imap {
    port = $3
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $4
  }
  inet_listener pop3s {
    port = 0
  }
}
CONF
  dovecot -F -c "$dir/dovecot.conf" >"$dir/stdout" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for_line "$dir/dovecot.log" "starting up" ||
    fail "dovecot did not start: $(cat "$dir/stdout" "$dir/dovecot.log" 2>/dev/null)"
}

SMTP_PORT=$(free_port)
SMTP_PLAIN_PORT=$(free_port)
IMAP_PORT=$(free_port)
POP3_PORT=$(free_port)
IMAP_PLAIN_PORT=$(free_port)
POP3_PLAIN_PORT=$(free_port)
start_postfix
start_dovecot dovecot yes "$IMAP_PORT" "$POP3_PORT"
start_dovecot dovecot-plain no "$IMAP_PLAIN_PORT" "$POP3_PLAIN_PORT"
DOVECOT_LOG="$WORK/dovecot/dovecot.log"
PLAIN_LOG="$WORK/dovecot-plain/dovecot.log"

echo "== postfix (SMTP)"
SMTP_BAD='lost connection|SSL_accept error|TLS library problem|warning:|error:|fatal:|panic:|timeout after'
batch smtp-polite "$MAILLOG" "disconnect from" 2 s_client_says smtp "$SMTP_PORT" 'QUIT\r\n'
batch smtp-rude "$MAILLOG" "disconnect from" 1 s_client_leaves smtp "$SMTP_PORT"
batch smtp-certvigil "$MAILLOG" "disconnect from" "$PROBES" certvigil_probe smtp "$SMTP_PORT"
expect_rude smtp 'quit=1' 'lost connection after STARTTLS'
expect_polite smtp "$PROBES" 'disconnect from .* ehlo=1 starttls=1 quit=1 commands=3$' "$SMTP_BAD"

echo "== postfix without STARTTLS: the refusal, then QUIT in the clear"
refused_smtp() { ! "$CERTVIGIL" check --starttls smtp "127.0.0.1:$SMTP_PLAIN_PORT" >"$WORK/refused.out"; }
batch smtp-refused-certvigil "$MAILLOG" "disconnect from" "$PROBES" refused_smtp
grep -q 'refused STARTTLS: "502 5.5.1' "$WORK/refused.out" || fail "not the refusal: $(cat "$WORK/refused.out")"
expect_polite smtp-refused "$PROBES" 'disconnect from .* starttls=0/1 quit=1' "$SMTP_BAD"

echo "== dovecot (IMAP, POP3)"
DOVECOT_BAD='Connection closed|SSL_read|SSL_accept|unexpected eof|TLS handshaking|Error:|Warning:|Fatal:|Panic:'
LOGGED_OUT='Disconnected: Aborted login by logging out'
batch imap-polite "$DOVECOT_LOG" Disconnected 2 s_client_says imap "$IMAP_PORT" 'a LOGOUT\r\n'
batch imap-rude "$DOVECOT_LOG" Disconnected 1 s_client_leaves imap "$IMAP_PORT"
batch imap-certvigil "$DOVECOT_LOG" Disconnected "$PROBES" certvigil_probe imap "$IMAP_PORT"
expect_rude imap "$LOGGED_OUT" 'Disconnected: Connection closed'
expect_polite imap "$PROBES" "imap-login: Info: $LOGGED_OUT" "$DOVECOT_BAD"
batch pop3-polite "$DOVECOT_LOG" Disconnected 2 s_client_says pop3 "$POP3_PORT" 'QUIT\r\n'
batch pop3-rude "$DOVECOT_LOG" Disconnected 1 s_client_leaves pop3 "$POP3_PORT"
batch pop3-certvigil "$DOVECOT_LOG" Disconnected "$PROBES" certvigil_probe pop3 "$POP3_PORT"
expect_rude pop3 "$LOGGED_OUT" 'Disconnected: Connection closed'
expect_polite pop3 "$PROBES" "pop3-login: Info: $LOGGED_OUT" "$DOVECOT_BAD"

echo "== dovecot without TLS: the refusal, then LOGOUT / QUIT in the clear"
for proto in imap pop3; do
  port_var="${proto^^}_PLAIN_PORT"
  refused() { ! "$CERTVIGIL" check --starttls "$1" "127.0.0.1:$2" >"$WORK/refused.out"; }
  batch "$proto-refused-certvigil" "$PLAIN_LOG" Disconnected "$PROBES" refused "$proto" "${!port_var}"
  grep -q "TLS support isn't enabled" "$WORK/refused.out" || fail "not the refusal: $(cat "$WORK/refused.out")"
  expect_polite "$proto-refused" "$PROBES" "$proto-login: Info: $LOGGED_OUT" "$DOVECOT_BAD"
done
echo "PASS"
