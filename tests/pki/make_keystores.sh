#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/pki/make_keystores.sh PKI_DIR OUTDIR: Java keystores made by Debian's keytool
# (default-jre-headless) and openssl from the test PKI (make_pki.sh), for the keystore tests
# (see tests/pki/README.md, "Keystores"). A separate fixture because a keytool call costs about
# a second of JVM start: only the tests that read keystores wait for it.
#
# Idempotent and atomic like make_pki.sh: OUTDIR/.complete holds this script's hash and that of
# the PKI files it uses, so a regenerated PKI (new keys, new dates) regenerates the keystores.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PKI_DIR OUTDIR" >&2
  exit 2
fi
PKI=$(realpath "$1")
OUT=$(realpath -m "$2")
INPUTS=(ec-root.crt rsa-root.crt j-old-root.crt ec-int.crt leaf-server.crt leaf-expired.crt
  leaf-client.crt)
STAMP="$(cat "${BASH_SOURCE[0]}" "${INPUTS[@]/#/$PKI/}" | sha256sum | cut -d' ' -f1)"
if [[ -f "$OUT/.complete" ]] && [[ "$(cat "$OUT/.complete")" == "$STAMP" ]]; then
  exit 0
fi
command -v keytool >/dev/null || { echo "make_keystores.sh: keytool not found (apt-get install default-jre-headless)" >&2; exit 1; }

TMP="$OUT.tmp.$$"
rm -rf "$TMP"
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'echo "make_keystores.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
umask 077
cd "$TMP"
PW="certvigil-test"
echo "$PW" >store.pass
echo "not-the-password" >wrong.pass

# kt ARGS...: keytool, quiet (it warns that JKS is proprietary on every call).
kt() { keytool -noprompt "$@" >/dev/null 2>&1 || keytool -noprompt "$@"; }

# A PKCS#12 key store from openssl: leaf + key + intermediate (the keytool import source).
p12() {
  openssl pkcs12 -export -in "$PKI/$1.crt" -inkey "$PKI/$1.key" -certfile "$PKI/ec-int.crt" \
    -name "$1" -passout "pass:$PW" -out "$1.p12"
}
p12 leaf-server
p12 leaf-expired

# ks.jks: key entries leaf-server (chain: leaf, ec-int) and leaf-expired, trusted ec-root.
importp12() {
  kt -importkeystore -srckeystore "$1.p12" -srcstoretype PKCS12 -srcstorepass "$PW" \
    -destkeystore "$2" -deststoretype "$3" -deststorepass "$PW"
}
importp12 leaf-server ks.jks JKS
importp12 leaf-expired ks.jks JKS
kt -importcert -alias ec-root -file "$PKI/ec-root.crt" -keystore ks.jks -storetype JKS \
  -storepass "$PW"

# The same entries as JCEKS, and a trust store in each format (ec-root, rsa-root), in parallel.
kt -importkeystore -srckeystore ks.jks -srcstoretype JKS -srcstorepass "$PW" \
  -destkeystore ks.jceks -deststoretype JCEKS -deststorepass "$PW" &
trust() {
  kt -importcert -alias ec-root -file "$PKI/ec-root.crt" -keystore "$1" -storetype "$2" \
    -storepass "$PW"
  kt -importcert -alias rsa-root -file "$PKI/rsa-root.crt" -keystore "$1" -storetype "$2" \
    -storepass "$PW"
}
trust truststore.jks JKS &
trust truststore.p12 PKCS12 &
# A trust store holding one expired CA (j-old-root) and the valid ec-root.
{
  kt -importcert -alias old-root -file "$PKI/j-old-root.crt" -keystore expired-trust.jks \
    -storetype JKS -storepass "$PW"
  kt -importcert -alias ec-root -file "$PKI/ec-root.crt" -keystore expired-trust.jks \
    -storetype JKS -storepass "$PW"
} &
wait

# The client certificate as a JKS, for endpoint and kubeconfig-free client checks.
p12 leaf-client
importp12 leaf-client client.jks JKS

chmod 0600 ./*.jks ./*.jceks ./*.p12 ./*.pass
echo "$STAMP" >.complete
chmod 0644 .complete

OLD="$OUT.old.$$"
if [[ -d $OUT ]]; then mv -T "$OUT" "$OLD" 2>/dev/null || true; fi
if ! mv -T "$TMP" "$OUT" 2>/dev/null; then
  [[ -f "$OUT/.complete" ]] || { echo "make_keystores.sh: cannot publish $OUT" >&2; exit 1; }
fi
rm -rf "$OLD"
trap - EXIT
