#!/usr/bin/env bash
# Test certificates, made fresh for each test run (never checked in):
#   scripts/make-test-certs.sh <dir>
# writes into <dir>:
#   ca.pem ca.key                  the test CA
#   other-ca.pem other-ca.key      a second CA the clients do not trust
#   server-dns.pem/.key            signed by ca, subjectAltName DNS:localhost only
#   server-ip.pem/.key             signed by ca, subjectAltName IP:127.0.0.1 only
#   server-other.pem/.key          signed by other-ca, DNS:localhost and IP:127.0.0.1
#   server-public-key.pem          an RSA public key (for server_public_key pinning tests)
# No certificate's common name is a host name: X509_check_host falls back to the CN when a
# certificate has no DNS name, and the tests must see the subjectAltName decide.
set -euo pipefail
dir=${1:?usage: $0 <dir>}
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

ca() {  # ca <name> <subject>
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3 \
    -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

leaf() {  # leaf <name> <ca> <subjectAltName>
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/CN=fibersql test server $1" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 3 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "fibersql test CA"
ca other-ca "fibersql other test CA"
leaf server-dns ca "DNS:localhost"
leaf server-ip ca "IP:127.0.0.1"
leaf server-other other-ca "DNS:localhost,IP:127.0.0.1"
openssl rsa -in server-ip.key -pubout -out server-public-key.pem 2>/dev/null
chmod 0644 ./*.pem ./*.key
echo "test certificates in $dir"
