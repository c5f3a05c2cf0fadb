#!/usr/bin/env bash
# Mints a MicroProfile JWT (RS256) for a tenant, signed with the local dev key that ./run.sh created.
#
#   ./mint-token.sh acme                    # token for tenant "acme", valid 24 h
#   ./mint-token.sh acme --ttl 600          # valid 10 minutes
#   ./mint-token.sh ops --admin             # also in the admin group (may act on any tenant)
#   ./mint-token.sh prometheus --group crew-metrics --ttl 31536000   # only in this group (crew-metrics: may scrape)
#   ./mint-token.sh acme --key other.pem --issuer https://issuer.example
#
# Claims: iss, sub, upn, tenant, groups, iat, exp, jti. For development and tests only: production tokens come
# from your identity provider, verified with its public key (mp.jwt.verify.publickey.location).
set -euo pipefail
cd "$(dirname "$0")"
tenant="${1:?usage: ./mint-token.sh <tenant> [--admin | --group name] [--ttl seconds] [--key private.pem] [--issuer iss]}"; shift
ttl=86400; key=.dev-keys/private.pem; issuer="${MP_JWT_VERIFY_ISSUER:-crew-redis-dev}"; groups='["crew-user"]'
while [ $# -gt 0 ]; do
  case "$1" in
    --admin) groups='["crew-user","crew-admin"]' ;;
    --group)
      [[ "${2:-}" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ ]] || { echo "--group needs a name (1-64 of A-Z a-z 0-9 _ -)" >&2; exit 2; }
      groups="[\"$2\"]"; shift ;;
    --ttl) ttl="$2"; shift ;;
    --key) key="$2"; shift ;;
    --issuer) issuer="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$tenant" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ ]] || { echo "invalid tenant id '$tenant': 1-64 of A-Z a-z 0-9 _ -, starting with a letter or digit" >&2; exit 2; }
[[ "$ttl" =~ ^[0-9]+$ ]] || { echo "--ttl must be a number of seconds" >&2; exit 2; }
[ -f "$key" ] || { echo "no private key at $key: run ./run.sh once (it creates .dev-keys/) or pass --key" >&2; exit 1; }
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
payload=$(printf '{"iss":"%s","sub":"dev-%s","upn":"dev-%s","tenant":"%s","groups":%s,"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$tenant" "$tenant" "$tenant" "$groups" "$now" "$((now + ttl))" "$(openssl rand -hex 12)" | b64)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64)
echo "$header.$payload.$signature"
