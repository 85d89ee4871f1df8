#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/system/revocation_pki.sh DIR BASE_URL TARPIT_URL DEAD_URL OCSP_URL BAD_OCSP_URL: the
# certificates, CRLs and OCSP index of
# the revocation tests, made at test time because the CRL distribution points must name the
# ports the test's servers listen on. One root CA ("rev-ca") issues every leaf; each leaf points
# at one CRL URL:
#   good      BASE/ca.crl       listed nowhere            -> no finding
#   revoked   BASE/ca.crl       revoked (keyCompromise)   -> revoked
#   stale     BASE/stale.crl    CRL with nextUpdate past  -> revocation_unknown (stale)
#   other     BASE/other.crl    CRL of another CA         -> revocation_unknown
#   garbage   BASE/garbage.crl  not a CRL                 -> revocation_unknown
#   missing   BASE/missing.crl  404                       -> revocation_unknown
#   down      DEAD_URL          nothing listens           -> revocation_unknown
#   tarpit    TARPIT_URL        accepts, never answers    -> revocation_unknown (timeout)
#   ldap      ldap://...        not fetched               -> revocation_unknown
#   server    BASE/ca.crl       served by nginx (SAN localhost)
#   server-tarpit  TARPIT_URL   served by nginx: its CRL never answers
# and these name an OCSP responder (authorityInfoAccess) and no CRL:
#   ocsp-good      OCSP_URL      valid in rev-ca/index.txt -> no finding
#   ocsp-revoked   OCSP_URL      revoked in the index      -> revoked
#   ocsp-unknown   OCSP_URL      not in the index          -> revocation_unknown
#   ocsp-badsigner BAD_OCSP_URL  answered by other-ca      -> revocation_unknown
#   ocsp-down      DEAD_URL      nothing listens           -> revocation_unknown
set -euo pipefail
dir=$1 base=$2 tarpit=$3 dead=$4 ocsp=$5 bad_ocsp=$6
mkdir -p "$dir"
cd "$dir"

ca_conf() {  # ca_conf NAME: an `openssl ca` config for the CA in ./NAME
  cat >"$1.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
database = $dir/$1/index.txt
crlnumber = $dir/$1/crlnumber
default_md = sha256
default_crl_days = 7
CNF
  mkdir -p "$1"
  : >"$1/index.txt"
  echo 01 >"$1/crlnumber"
}

make_ca() {  # make_ca NAME CN
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -out "$1.pem" -days 30 -subj "/O=certvigil test/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  ca_conf "$1"
}

make_leaf() {  # make_leaf NAME CDP_URL [EXTENSION]: the extension replaces the CDP
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -out "$1.csr" -subj "/O=certvigil test/CN=$1.test" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:localhost,DNS:$1.test" \
    "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash" \
    "${3:-crlDistributionPoints=URI:$2}" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA rev-ca.pem -CAkey rev-ca.key -CAcreateserial \
    -days 20 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

make_ca rev-ca "certvigil Revocation CA"
make_ca other-ca "certvigil Other CA"
for name in good revoked server; do make_leaf "$name" "$base/ca.crl"; done
make_leaf stale "$base/stale.crl"
make_leaf other "$base/other.crl"
make_leaf garbage "$base/garbage.crl"
make_leaf missing "$base/missing.crl"
make_leaf down "$dead"
make_leaf tarpit "$tarpit"
make_leaf server-tarpit "$tarpit"
cat server-tarpit.pem rev-ca.pem >server-tarpit-fullchain.pem
for name in ocsp-good ocsp-revoked ocsp-unknown; do
  make_leaf "$name" "" "authorityInfoAccess=OCSP;URI:$ocsp"
done
make_leaf ocsp-badsigner "" "authorityInfoAccess=OCSP;URI:$bad_ocsp"
make_leaf ocsp-down "" "authorityInfoAccess=OCSP;URI:$dead"
make_leaf ldap "ldap://127.0.0.1/cn=rev-ca?certificateRevocationList"
cat server.pem rev-ca.pem >server-fullchain.pem

openssl ca -config rev-ca.cnf -cert rev-ca.pem -keyfile rev-ca.key -revoke revoked.pem \
  -crl_reason keyCompromise 2>/dev/null
openssl ca -config rev-ca.cnf -cert rev-ca.pem -keyfile rev-ca.key -revoke ocsp-revoked.pem \
  -crl_reason keyCompromise 2>/dev/null
openssl ca -config rev-ca.cnf -cert rev-ca.pem -keyfile rev-ca.key -valid ocsp-good.pem 2>/dev/null
cp rev-ca/index.txt other-ca/index.txt  # the wrong signer's responder knows them all
openssl ca -config rev-ca.cnf -cert rev-ca.pem -keyfile rev-ca.key -gencrl -out ca.crl.pem 2>/dev/null
openssl crl -in ca.crl.pem -outform DER -out ca.crl
openssl ca -config rev-ca.cnf -cert rev-ca.pem -keyfile rev-ca.key -gencrl \
  -crl_lastupdate 20200101000000Z -crl_nextupdate 20200108000000Z -out stale.crl 2>/dev/null
openssl ca -config other-ca.cnf -cert other-ca.pem -keyfile other-ca.key -gencrl \
  -out other.crl 2>/dev/null
head -c 3000 /dev/urandom >garbage.crl
