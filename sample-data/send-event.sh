#!/usr/bin/env bash
# Sends one Standard Webhooks-signed event with nothing but openssl and curl.
# Usage: sample-data/send-event.sh URL WHSEC [EVENT_TYPE] [DATA_JSON]
#   URL    http://127.0.0.1:8470 + the connector's webhook_path
#   WHSEC  the connector's credential (whsec_...)
set -euo pipefail
url=$1 secret=$2 type=${3:-door_open} data=${4:-'{"door":"north-1","state":"open"}'}
id="msg_$(openssl rand -hex 12)"                      # webhook-id: unique per message
ts=$(date +%s)                                         # webhook-timestamp: Unix seconds
body=$(printf '{"event_type":"%s","event_id":"%s","occurred_at":"%s","data":%s}' \
  "$type" "$id" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$data")
key=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')   # the secret's bytes, hex
sig=$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
# --fail-with-body: the answer is printed either way, and a refusal (4xx/5xx) makes the script fail
curl -sS --fail-with-body -X POST "$url" -H 'Content-Type: application/json' \
  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" --data-binary "$body" \
  || { rc=$?; echo; exit "$rc"; }
echo
