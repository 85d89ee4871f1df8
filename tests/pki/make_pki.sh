#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/pki/make_pki.sh OUTDIR: generates the test PKI every certvigil test uses, with validity
# periods relative to now (see tests/pki/README.md for every file).
#
# - Idempotent: if OUTDIR/.complete exists, is younger than an hour and was written by this
#   version of the script, does nothing.
# - Atomic: builds into OUTDIR.tmp.$$ and renames it into place, so a parallel reader never
#   sees half a PKI; when two runs race, the first rename wins and the other is discarded.
# - Fast: EC P-256 keys everywhere except where RSA is the point (rsa-root chain, MD5, 1024).
# - Dates: every certificate is signed with `openssl ca -startdate/-enddate` (OpenSSL 3.0's
#   `x509` cannot backdate), so expired / not-yet-valid / short-lived certificates are exact.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUT=$(realpath -m "$1")
# .complete holds this script's hash: an edited script regenerates at once, not an hour later.
STAMP=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)
if [[ -f "$OUT/.complete" ]] && [[ -z "$(find "$OUT/.complete" -mmin +60)" ]] &&
  [[ "$(cat "$OUT/.complete")" == "$STAMP" ]]; then
  exit 0
fi

TMP="$OUT.tmp.$$"
rm -rf "$TMP"
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'echo "make_pki.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
umask 077
cd "$TMP"
WORK="$TMP/.work"
mkdir -p "$WORK"
NOW=$(date -u +%s)
PASSWORD="certvigil-test"
SERIAL_COUNTER=0

# when OFFSET_SECONDS -> YYYYMMDDHHMMSSZ, relative to NOW.
when() { date -u -d "@$((NOW + $1))" +%Y%m%d%H%M%SZ; }
DAY=86400

# key NAME ALGO [OPTS...]: a private key NAME.key (PKCS#8 PEM).
key() {
  local name=$1 algo=$2
  shift 2
  local opts=()
  for o in "$@"; do opts+=(-pkeyopt "$o"); done
  openssl genpkey -algorithm "$algo" "${opts[@]}" -out "$name.key" 2>/dev/null
}
eckey() { key "$1" EC ec_paramgen_curve:"${2:-P-256}"; }
rsakey() { key "$1" RSA rsa_keygen_bits:"${2:-2048}"; }

# cadb NAME: an `openssl ca` database for issuer NAME.
cadb() {
  mkdir -p "$WORK/ca-$1/new"
  : >"$WORK/ca-$1/index.txt"
  echo "unique_subject = no" >"$WORK/ca-$1/index.txt.attr"
  echo 1000 >"$WORK/ca-$1/crlnumber"
}

cat >"$WORK/ca.cnf" <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
crl_extensions = crl_ext
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF

EXT_CA="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash"
EXT_NONCA="basicConstraints=critical,CA:FALSE
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always"
EXT_LEAF="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always"

# sign NAME ISSUER SUBJECT START END EXT [MD] [SERIAL]: NAME.crt from NAME.key, signed by
# ISSUER (ISSUER.crt/ISSUER.key; "self" for self-signed), valid START..END (offsets from now
# in seconds, or literal YYYYMMDDHHMMSSZ), with the extension lines EXT.
sign() {
  local name=$1 issuer=$2 subject=$3 start=$4 end=$5 ext=$6 md=${7:-sha256} serial=${8:-}
  [[ $start =~ Z$ ]] || start=$(when "$start")
  [[ $end =~ Z$ ]] || end=$(when "$end")
  SERIAL_COUNTER=$((SERIAL_COUNTER + 1))
  [[ -n $serial ]] || serial=$(printf 'C0DE%04X' "$SERIAL_COUNTER")
  printf '[ext]\n%s\n' "$ext" >"$WORK/$name.ext"
  openssl req -new -utf8 -key "$name.key" -subj "$subject" -out "$WORK/$name.csr" 2>/dev/null
  local db=$issuer signer=(-cert "$issuer.crt" -keyfile "$issuer.key")
  if [[ $issuer == self ]]; then
    db=$name
    cadb "$name"
    signer=(-selfsign -keyfile "$name.key")
  fi
  echo "$serial" >"$WORK/ca-$db/serial"
  CADIR="$WORK/ca-$db" openssl ca -batch -notext -utf8 -preserveDN -config "$WORK/ca.cnf" \
    "${signer[@]}" -in "$WORK/$name.csr" -out "$name.crt" -md "$md" \
    -startdate "$start" -enddate "$end" -extfile "$WORK/$name.ext" -extensions ext 2>/dev/null
  # `openssl ca -out` writes PEM only with -notext; normalise to a bare PEM block.
  openssl x509 -in "$name.crt" -out "$name.crt"
  chmod 0644 "$name.crt"
}

# leaf NAME SUBJECT_CN EKU_LINES [ISSUER] [START] [END] [MD]: an EC P-256 leaf (key made here
# unless NAME.key exists).
leaf() {
  local name=$1 cn=$2 ext=$3 issuer=${4:-ec-int} start=${5:--$DAY} end=${6:-$((365 * DAY))}
  local md=${7:-sha256}
  [[ -f $name.key ]] || eckey "$name"
  sign "$name" "$issuer" "/O=certvigil test/CN=$cn" "$start" "$end" "$EXT_LEAF
$ext" "$md"
}
fullchain() { cat "$1.crt" "$2.crt" >"$1-fullchain.pem"; chmod 0644 "$1-fullchain.pem"; }

SERVER="extendedKeyUsage=serverAuth"
CLIENT="extendedKeyUsage=clientAuth"
SAN_SERVER="subjectAltName=DNS:localhost,DNS:server.test,IP:127.0.0.1,IP:::1"

# --- roots and intermediates ----------------------------------------------------------------
rsakey rsa-root
sign rsa-root self "/O=certvigil test/CN=certvigil RSA Root" $((-365 * DAY)) $((3650 * DAY)) "$EXT_CA"
rsakey rsa-int
sign rsa-int rsa-root "/O=certvigil test/CN=certvigil RSA Intermediate" $((-365 * DAY)) \
  $((1825 * DAY)) "$EXT_CA
authorityKeyIdentifier=keyid:always"
eckey ec-root
sign ec-root self "/O=certvigil test/CN=certvigil EC Root" $((-365 * DAY)) $((3650 * DAY)) "$EXT_CA"
eckey ec-int
sign ec-int ec-root "/O=certvigil test/CN=certvigil EC Intermediate" $((-365 * DAY)) \
  $((1825 * DAY)) "$EXT_CA
authorityKeyIdentifier=keyid:always"
eckey other-root
sign other-root self "/O=other org/CN=Other Root" $((-365 * DAY)) $((3650 * DAY)) "$EXT_CA"
eckey other-int
sign other-int other-root "/O=other org/CN=Other Intermediate" $((-365 * DAY)) $((1825 * DAY)) \
  "$EXT_CA
authorityKeyIdentifier=keyid:always"
for ca in rsa-int ec-int other-int; do cadb "$ca"; done
# Same name as ec-int, different key: a CRL "from ec-int" must not verify with it.
eckey ec-int-impostor
sign ec-int-impostor self "/O=certvigil test/CN=certvigil EC Intermediate" $((-365 * DAY)) \
  $((1825 * DAY)) "$EXT_CA"
# Looks like an intermediate but basicConstraints says CA:FALSE; it still signs a leaf.
eckey non-ca-issuer
sign non-ca-issuer ec-int "/O=certvigil test/CN=Not A CA Intermediate" $((-365 * DAY)) \
  $((1825 * DAY)) "$EXT_NONCA"
cadb non-ca-issuer

# --- leaves under ec-int --------------------------------------------------------------------
eckey leaf-server
sign leaf-server ec-int "/O=certvigil test/CN=server.test" $((-DAY)) $((365 * DAY)) "$EXT_LEAF
$SERVER
$SAN_SERVER" sha256 01A2B3C4D5E6F7
leaf leaf-client "client.test" "$CLIENT"
leaf leaf-both "both.test" "extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:both.test"
leaf leaf-noeku "noeku.test" "subjectAltName=DNS:noeku.test"
leaf leaf-expired "expired.test" "$SERVER,clientAuth
subjectAltName=DNS:expired.test" ec-int $((-100 * DAY)) $((-10 * DAY))
leaf leaf-notyet "notyet.test" "$SERVER,clientAuth
subjectAltName=DNS:notyet.test" ec-int $((10 * DAY)) $((375 * DAY))
leaf leaf-5d "5d.test" "$SERVER,clientAuth
subjectAltName=DNS:5d.test" ec-int $((-360 * DAY)) $((5 * DAY))
leaf leaf-20d "20d.test" "$SERVER,clientAuth
subjectAltName=DNS:20d.test" ec-int $((-345 * DAY)) $((20 * DAY))
leaf leaf-short "short.test" "$SERVER,clientAuth
subjectAltName=DNS:short.test" ec-int -3600 $((23 * 3600))
leaf leaf-server-wrong-eku "wrong-eku-server.test" "$CLIENT
subjectAltName=DNS:wrong-eku-server.test"
leaf leaf-client-wrong-eku "wrong-eku-client.test" "$SERVER
subjectAltName=DNS:wrong-eku-client.test"
leaf leaf-wildcard "*.wild.test" "$SERVER
subjectAltName=DNS:*.wild.test"
leaf leaf-sha1 "sha1.test" "$SERVER,clientAuth
subjectAltName=DNS:sha1.test" ec-int $((-DAY)) $((365 * DAY)) sha1
rsakey leaf-rsa1024 1024
leaf leaf-rsa1024 "rsa1024.test" "$SERVER,clientAuth"
eckey leaf-p224 secp224r1
leaf leaf-p224 "p224.test" "$SERVER,clientAuth"
key leaf-ed25519 ED25519
leaf leaf-ed25519 "ed25519.test" "$SERVER,clientAuth
subjectAltName=DNS:ed25519.test"
leaf leaf-revoked "revoked.test" "$SERVER,clientAuth
subjectAltName=DNS:revoked.test"
leaf leaf-longdates "longdates.test" "$SERVER" ec-int 19500101000000Z 99991231235959Z
leaf leaf-under-non-ca "under-non-ca.test" "$CLIENT" non-ca-issuer
leaf leaf-other-client "other-client.test" "$CLIENT" other-int
eckey leaf-utf8
sign leaf-utf8 ec-int "/O=Zürich Öffentlich/OU=ops, comma/CN=utf8.test" $((-DAY)) \
  $((365 * DAY)) "$EXT_LEAF
$CLIENT"
# MD5 has no ECDSA OID: this one is an RSA leaf under rsa-int.
rsakey leaf-md5
leaf leaf-md5 "md5.test" "$SERVER,clientAuth" rsa-int $((-DAY)) $((365 * DAY)) md5
rsakey leaf-rsa
leaf leaf-rsa "rsa.test" "$SERVER,clientAuth
subjectAltName=DNS:rsa.test" rsa-int
eckey leaf-selfsigned
sign leaf-selfsigned self "/O=certvigil test/CN=selfsigned.test" $((-DAY)) $((365 * DAY)) \
  "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
$SERVER
subjectAltName=DNS:selfsigned.test"
# EdDSA has no separate digest: `-md default` lets OpenSSL sign with plain Ed25519.
key leaf-ed25519-selfsigned ED25519
sign leaf-ed25519-selfsigned self "/O=certvigil test/CN=ed25519-self.test" $((-DAY)) \
  $((365 * DAY)) "$EXT_LEAF
$SERVER" default

for l in server client both noeku expired notyet 5d 20d short server-wrong-eku client-wrong-eku \
  wildcard sha1 rsa1024 p224 ed25519 revoked longdates utf8; do
  fullchain "leaf-$l" ec-int
done
fullchain leaf-md5 rsa-int
fullchain leaf-rsa rsa-int
fullchain leaf-other-client other-int
cat leaf-under-non-ca.crt non-ca-issuer.crt ec-int.crt >leaf-under-non-ca-fullchain.pem
cat leaf-server.crt ec-int.crt ec-root.crt >leaf-server-fullchain-root.pem
cat leaf-other-client.crt other-int.crt other-root.crt >leaf-other-client-fullchain-root.pem
cat leaf-client.crt ec-int.crt other-int.crt >leaf-client-extra-int.pem

# --- key variants ---------------------------------------------------------------------------
cp leaf-client.key leaf-server-mismatched.key
cp leaf-server.key leaf-server-0644.key
chmod 0644 leaf-server-0644.key
cp leaf-server.key leaf-server-pkcs8.key
echo "$PASSWORD" >leaf-server-encrypted.pass
openssl pkcs8 -topk8 -v2 aes-256-cbc -in leaf-server.key -passout "pass:$PASSWORD" \
  -out leaf-server-encrypted.key
openssl pkey -in leaf-server.key -outform DER -out leaf-server-key.der
openssl ec -in leaf-server.key -out leaf-server-sec1.key 2>/dev/null
openssl rsa -in leaf-rsa.key -traditional -out leaf-rsa-pkcs1.key 2>/dev/null
openssl rsa -in leaf-rsa.key -traditional -aes256 -passout "pass:$PASSWORD" \
  -out leaf-rsa-pkcs1-encrypted.key 2>/dev/null
cat leaf-server.crt ec-int.crt leaf-server.key >leaf-server-with-key.pem

# --- PKCS#12 --------------------------------------------------------------------------------
echo "$PASSWORD" >leaf-client.p12.pass
cp leaf-client.p12.pass leaf-client-legacy.p12.pass
openssl pkcs12 -export -in leaf-client.crt -inkey leaf-client.key -certfile ec-int.crt \
  -name leaf-client -passout "pass:$PASSWORD" -out leaf-client.p12
openssl pkcs12 -export -legacy -in leaf-client.crt -inkey leaf-client.key -certfile ec-int.crt \
  -name leaf-client -passout "pass:$PASSWORD" -out leaf-client-legacy.p12
openssl pkcs12 -export -in leaf-client.crt -inkey leaf-client.key -certfile ec-int.crt \
  -name leaf-client -passout pass: -out leaf-client-nopass.p12

# --- encodings ------------------------------------------------------------------------------
openssl x509 -in leaf-server.crt -outform DER -out leaf-server.der
openssl x509 -in ec-root.crt -trustout -addtrust serverAuth -addtrust clientAuth \
  -out ec-root-trusted.pem
sed 's/ CERTIFICATE-----/ X509 CERTIFICATE-----/' leaf-server.crt >leaf-server-x509-label.pem
sed 's/$/\r/' leaf-server-fullchain.pem >leaf-server-fullchain-crlf.pem
{
  echo "# server certificate for server.test, issued by the EC intermediate"
  openssl x509 -in leaf-server.crt -noout -subject -issuer -dates
  cat leaf-server.crt
  echo
  echo "Intermediate follows:"
  openssl x509 -in ec-int.crt -text
  echo "trailing text"
} >leaf-server-fullchain-text.pem

# --- CRLs -----------------------------------------------------------------------------------
CADIR="$WORK/ca-ec-int" openssl ca -batch -config "$WORK/ca.cnf" -cert ec-int.crt \
  -keyfile ec-int.key -revoke leaf-revoked.crt -crl_reason keyCompromise 2>/dev/null
crl() { # crl ISSUER OUT LAST NEXT
  CADIR="$WORK/ca-$1" openssl ca -batch -gencrl -config "$WORK/ca.cnf" -cert "$1.crt" \
    -keyfile "$1.key" -crl_lastupdate "$(when "$3")" -crl_nextupdate "$(when "$4")" \
    -out "$2" 2>/dev/null
}
crl ec-int ec-int.crl $((-3600)) $((7 * DAY))
crl ec-int ec-int-stale.crl $((-20 * DAY)) $((-10 * DAY))
crl ec-root ec-root.crl $((-3600)) $((7 * DAY))
openssl crl -in ec-int.crl -outform DER -out ec-int-crl.der
cat ec-int.crl ec-root.crl >crls-all.pem

# --- CA bundles and hostile inputs ----------------------------------------------------------
cat ec-root.crt ec-int.crt >bundle-good.pem
cat leaf-server.crt leaf-client.crt >bundle-no-ca.pem
cat ec-root.crt rsa-root.crt >bundle-multiple-roots.pem
cat ec-int.crt >bundle-no-root.pem
cat ec-root.crt ec-int.crt leaf-server.key >bundle-private-key.pem
{
  cat ec-root.crt
  printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'
  cat ec-int.crt
} >bundle-empty-block.pem
cat ec-root.crt ec-int.crt rsa-root.crt rsa-int.crt other-root.crt >ca-all.pem
# Deterministic pseudo-random bytes (AES-CTR keystream); the first byte is not a DER SEQUENCE.
{
  printf '\x7f\x45'
  head -c 4094 /dev/zero |
    openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000
} >garbage.bin
: >empty.pem
head -n 8 leaf-server.crt >truncated.pem
{
  echo "-----BEGIN CERTIFICATE-----"
  echo "this is not base64 !!! @@@"
  echo "-----END CERTIFICATE-----"
} >bad-base64.pem
# A CERTIFICATE block whose DER is a CRL, not a certificate.
openssl crl -in ec-int.crl -outform DER | openssl base64 |
  { echo "-----BEGIN CERTIFICATE-----"; cat; echo "-----END CERTIFICATE-----"; } >not-a-cert.pem

# --- judgement: the whole path, anchors, names, EKU chains, conformance (j-*) -------------
# tests/system/090-judgement.sh judges each case with certvigil and with `openssl verify`.
JLEAF_BASE="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always"
JCA="$EXT_CA
authorityKeyIdentifier=keyid:always"
jleaf() { # jleaf NAME ISSUER EXT [START] [END] [MD]
  eckey "$1"
  sign "$1" "$2" "/O=certvigil test/CN=$1" "${4:--$DAY}" "${5:-$((200 * DAY))}" "$JLEAF_BASE
$3" "${6:-sha256}"
}
jca() { # jca NAME ISSUER EXT [START] [END] [MD]
  eckey "$1"
  sign "$1" "$2" "/O=certvigil test/CN=$1" "${4:-$((-365 * DAY))}" "${5:-$((1825 * DAY))}" "$3" \
    "${6:-sha256}"
  cadb "$1"
}
# A root and the classic cross-sign: j-old-root expired; j-new-root is current, and also exists
# as j-new-root-cross, signed by j-old-root. Clients that trust only the old root end at it.
eckey j-old-root
sign j-old-root self "/O=certvigil test/CN=j-old-root" $((-3650 * DAY)) $((-30 * DAY)) "$EXT_CA"
cadb j-old-root
eckey j-new-root
sign j-new-root self "/O=certvigil test/CN=j-new-root" $((-365 * DAY)) $((3650 * DAY)) "$EXT_CA"
cadb j-new-root
cp j-new-root.key j-new-root-cross.key
sign j-new-root-cross j-old-root "/O=certvigil test/CN=j-new-root" $((-365 * DAY)) \
  $((365 * DAY)) "$JCA"
jca j-int j-new-root "$JCA"
jleaf j-leaf j-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-leaf.crt j-int.crt j-new-root-cross.crt >j-leaf-cross.pem
cat j-leaf.crt j-int.crt >j-leaf-fullchain.pem
cat j-old-root.crt j-new-root.crt >j-both-roots.pem
# A root that is not valid yet.
eckey j-future-root
sign j-future-root self "/O=certvigil test/CN=j-future-root" $((30 * DAY)) $((3650 * DAY)) "$EXT_CA"
cadb j-future-root
jca j-future-int j-future-root "$JCA"
jleaf j-future-leaf j-future-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-future-leaf.crt j-future-int.crt >j-future-leaf-fullchain.pem
# Intermediates under ec-root: expired, SHA-1 signed, clientAuth only, anyEKU only, no cRLSign,
# basicConstraints not critical.
jca j-int-expired ec-root "$JCA" $((-400 * DAY)) $((-5 * DAY))
jleaf j-leaf-under-expired j-int-expired "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test" $((-100 * DAY))
cat j-leaf-under-expired.crt j-int-expired.crt >j-leaf-under-expired-fullchain.pem
jca j-int-sha1 ec-root "$JCA" $((-365 * DAY)) $((1825 * DAY)) sha1
jleaf j-leaf-under-sha1 j-int-sha1 "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
jca j-int-clientonly ec-root "$JCA
extendedKeyUsage=clientAuth"
jleaf j-leaf-under-clientonly j-int-clientonly "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-leaf-under-clientonly.crt j-int-clientonly.crt >j-leaf-under-clientonly-fullchain.pem
jca j-int-noncritical ec-root "basicConstraints=CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always"
jleaf j-leaf-under-noncritical j-int-noncritical "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-leaf-under-noncritical.crt j-int-noncritical.crt >j-leaf-under-noncritical-fullchain.pem
jca j-int-nocrlsign ec-root "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always"
jleaf j-leaf-under-nocrlsign j-int-nocrlsign "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-leaf-under-nocrlsign.crt j-int-nocrlsign.crt >j-leaf-under-nocrlsign-fullchain.pem
CADIR="$WORK/ca-j-int-nocrlsign" openssl ca -batch -config "$WORK/ca.cnf" -cert j-int-nocrlsign.crt \
  -keyfile j-int-nocrlsign.key -revoke j-leaf-under-nocrlsign.crt -crl_reason keyCompromise 2>/dev/null
crl j-int-nocrlsign j-int-nocrlsign.crl $((-3600)) $((7 * DAY))
# A root whose EKU allows clientAuth only, as a trust anchor for a server chain.
eckey j-root-clientonly
sign j-root-clientonly self "/O=certvigil test/CN=j-root-clientonly" $((-365 * DAY)) \
  $((3650 * DAY)) "$EXT_CA
extendedKeyUsage=clientAuth"
cadb j-root-clientonly
jca j-int-under-clientonly-root j-root-clientonly "$JCA"
jleaf j-leaf-under-clientonly-root j-int-under-clientonly-root "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
cat j-leaf-under-clientonly-root.crt j-int-under-clientonly-root.crt \
  >j-leaf-under-clientonly-root-fullchain.pem
# Leaves under ec-int: names, EKU, CA flag, conformance.
# Names only in the subject CN (no subjectAltName at all).
eckey j-cn-only
sign j-cn-only ec-int "/O=certvigil test/CN=cn.test" $((-DAY)) $((200 * DAY)) "$JLEAF_BASE
extendedKeyUsage=serverAuth"
eckey j-cn-ip
sign j-cn-ip ec-int "/O=certvigil test/CN=127.0.0.1" $((-DAY)) $((200 * DAY)) "$JLEAF_BASE
extendedKeyUsage=serverAuth"
jleaf j-wild ec-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:*.wild.test"
jleaf j-partial ec-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:w*.part.test"
jleaf j-idn ec-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:xn--bcher-kva.example"
jleaf j-anyeku ec-int "extendedKeyUsage=anyExtendedKeyUsage
subjectAltName=DNS:leaf.test"
eckey j-ca-leaf
sign j-ca-leaf ec-int "/O=certvigil test/CN=j-ca-leaf" $((-DAY)) $((200 * DAY)) \
  "basicConstraints=critical,CA:TRUE
keyUsage=critical,digitalSignature,keyCertSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
eckey j-noaki
sign j-noaki ec-int "/O=certvigil test/CN=j-noaki" $((-DAY)) $((200 * DAY)) \
  "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=none
extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test"
jleaf j-20d ec-int "extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.test" $((-300 * DAY)) $((20 * DAY))
for l in j-cn-only j-cn-ip j-wild j-partial j-idn j-anyeku j-ca-leaf j-noaki j-20d; do
  cat "$l.crt" ec-int.crt >"$l-fullchain.pem"
done
# CRLs: one with an unknown critical extension; one from another issuer only.
printf '[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n1.3.6.1.4.1.55555.1 = critical,ASN1:UTF8String:unknown\n' \
  >"$WORK/crl-critical.cnf"
sed '/^\[ crl_ext \]/,$d' "$WORK/ca.cnf" >"$WORK/ca-critical.cnf"
cat "$WORK/crl-critical.cnf" >>"$WORK/ca-critical.cnf"
CADIR="$WORK/ca-ec-int" openssl ca -batch -gencrl -config "$WORK/ca-critical.cnf" -cert ec-int.crt \
  -keyfile ec-int.key -crl_lastupdate "$(when -3600)" -crl_nextupdate "$(when $((7 * DAY)))" \
  -out j-ec-int-critical.crl 2>/dev/null

chmod 0644 ./*.crt ./*.pem ./*.der ./*.crl ./*.bin ./*.p12
chmod 0600 ./*.key ./*.pass leaf-server-key.der
chmod 0644 leaf-server-0644.key
rm -rf "$WORK"
echo "$STAMP" >.complete
chmod 0644 .complete

# Publish: move any stale copy aside, then rename ours into place (mv -T never nests).
OLD="$OUT.old.$$"
if [[ -d $OUT ]]; then mv -T "$OUT" "$OLD" 2>/dev/null || true; fi
if ! mv -T "$TMP" "$OUT" 2>/dev/null; then
  [[ -f "$OUT/.complete" ]] || { echo "make_pki.sh: cannot publish $OUT" >&2; exit 1; }
fi
rm -rf "$OLD"
trap - EXIT
