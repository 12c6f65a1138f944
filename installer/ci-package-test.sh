#!/usr/bin/env bash
# CI for the installers: build the app-image and the .deb, unpack the .deb into a temporary root
# (dpkg-deb -x, no installation), then through the packaged runtime: --version, a serve smoke test
# with a signed event, the demo import and the simulator (every method, HTTPS on), the upgrade of a
# site made by the previous release (backup first) and a backup/restore round trip, the console's
# window under Xvfb (when xvfb-run is installed); check the unit file with systemd-analyze verify
# when available. Prints install size and cold start times.
# Usage: installer/ci-package-test.sh [--no-build]     (--no-build: reuse target/installer)
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
app=airotech-connect

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" != "--no-build" ]; then
  say "building the app-image and the .deb (mvn -Pinstaller package)"
  mvn -B -q -Pinstaller package -DskipTests
fi

image=target/installer/$app
deb=$(ls target/installer/${app}_*.deb 2>/dev/null | head -1)
[ -x "$image/bin/$app" ] || fail "no app-image at $image"
[ -n "$deb" ] || fail "no .deb in target/installer"

tmp=$(mktemp -d)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then kill -9 "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

say "app-image --version"
"$image/bin/$app" --version | grep -q "^$app " || fail "the app-image does not print its version"

say "package metadata and contents"
dpkg-deb -f "$deb" Depends | grep -q 'libgtk-3-0' || fail "the .deb does not depend on libgtk-3-0"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/$app ./usr/share/applications/$app.desktop ./usr/share/icons/hicolor/256x256/apps/$app.png \
         ./lib/systemd/system/$app.service ./etc/default/$app ./opt/$app/bin/$app \
         ./opt/$app/lib/app/sample-data/demo-site.json; do
  grep -q " $f\( \|$\)" <<<"$contents" || fail "the .deb lacks $f"
done
grep -q "/usr/bin/$app -> /opt/$app/bin/$app" <<<"$contents" || fail "/usr/bin/$app is not a link to the launcher"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate installer/linux/$app.desktop; fi

say "unpacking with dpkg-deb -x"
dpkg-deb -x "$deb" "$tmp/root"
bin=$tmp/root/opt/$app/bin/$app
version=$("$bin" --version)
echo "$version"
[[ "$version" == "$app "* ]] || fail "the packaged launcher printed '$version'"

say "the command on the PATH (/usr/bin/airotech-connect -> /opt/airotech-connect/bin/airotech-connect)"
# the link is absolute: follow it for real in a private mount namespace with the unpacked /opt over /opt
if unshare -m true 2>/dev/null; then
  onpath=$(unshare -m bash -c 'mount --bind "$1/opt" /opt && PATH="$1/usr/bin:/usr/bin:/bin" && command -v airotech-connect && airotech-connect --version' _ "$tmp/root") \
    || fail "airotech-connect on the PATH does not run"
  echo "$onpath"
  grep -q "^$tmp/root/usr/bin/$app$" <<<"$onpath" && grep -q "^$app " <<<"$onpath" || fail "airotech-connect on the PATH printed '$onpath'"
else
  echo "NOTE: no private mount namespace here (unshare -m); the PATH link is checked by the package listing only"
fi

say "serve smoke test through the packaged runtime"
data=$tmp/data
start_ns=$(date +%s%N)
"$bin" serve --data-dir "$data" --http-port 0 --https-port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
for _ in $(seq 1 1200); do
  grep -q '"event":"listening"' "$tmp/serve.out" 2>/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$tmp/serve.err" >&2; fail "serve exited before listening"; }
  sleep 0.05
done
grep -q '"event":"listening"' "$tmp/serve.out" || fail "serve did not report listening within 60 s"
cold_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
port=$(sed -n 's/.*"http_port":\([0-9]*\).*/\1/p' "$tmp/serve.out")
tls_port=$(sed -n 's/.*"https_port":\([0-9]*\).*/\1/p' "$tmp/serve.out")
echo "listening on 127.0.0.1:$port (HTTPS $tls_port) after $cold_ms ms"

tenant_json=$("$bin" tenant create smoke --actor ci@package --data-dir "$data")
tenant=$(sed -n 's/.*"tenant_id":"\([^"]*\)".*/\1/p' <<<"$tenant_json")
token=$(sed -n 's/.*"admin_token":"\([^"]*\)".*/\1/p' <<<"$tenant_json")
reg=$("$bin" connectors register --tenant "$tenant" --system-name ci-gateway --auth-method hmac --event-type door_open --data-dir "$data")
path=$(sed -n 's/.*"webhook_path":"\([^"]*\)".*/\1/p' <<<"$reg")
secret=$(sed -n 's/.*"credential":"\(whsec_[^"]*\)".*/\1/p' <<<"$reg")
[ -n "$path" ] && [ -n "$secret" ] || fail "registration printed no webhook_path/credential"
answer=$(sample-data/send-event.sh "http://127.0.0.1:$port$path" "$secret" door_open)
echo "$answer"
grep -q '"event_id"' <<<"$answer" || fail "the signed event was not accepted"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/events" | grep -q '"event_type":"door_open"' \
  || fail "the event is not listed by GET /api/events"

say "demo import and simulator through the packaged runtime"
"$bin" import "$tmp/root/opt/$app/lib/app/sample-data/demo-site.json" --output "$tmp/demo-credentials.json" --data-dir "$data"
"$bin" import "$tmp/root/opt/$app/lib/app/sample-data/demo-site.json" --data-dir "$data" | grep -q '"changes":0' \
  || fail "a second import of the demo site changed something"
# one simulated gateway per method: hmac, api_key, basic, rsa, oauth2 (token endpoint) and mtls (HTTPS, issued PKCS#12)
"$bin" simulate "$tmp/demo-credentials.json" --url "http://127.0.0.1:$port" --https-url "https://127.0.0.1:$tls_port" \
  --count 3 --rate 20 >"$tmp/sim.json"
grep -q '"sent":18,"accepted":18' "$tmp/sim.json" || { cat "$tmp/sim.json"; fail "the simulator's events were not all accepted"; }

say "clean stop on SIGTERM"
kill -TERM "$serve_pid"
status=0
wait "$serve_pid" || status=$?
serve_pid=
[ "$status" = 0 ] || fail "serve exited with $status on SIGTERM (a clean stop exits 0)"
grep -q "stopped cleanly" "$tmp/serve.err" || fail "serve did not report a clean stop"

say "upgrade: the packaged runtime on a site made by the previous release (backup first, then migration)"
# the fixture of src/test/resources/upgrade (made by commit 0a9cba9, schema 3); git keeps no modes, a site's are 0700/0600
up=$tmp/upgrade
mkdir -m 700 "$up"
cp src/test/resources/upgrade/schema3/* "$up"/
chmod 600 "$up"/*
"$bin" tenant list --data-dir "$up" >"$tmp/upgrade.out" 2>"$tmp/upgrade.err" || { cat "$tmp/upgrade.err" >&2; fail "the new version refused the previous release's site"; }
grep -q "Upgrading the database from schema 3" "$tmp/upgrade.err" || { cat "$tmp/upgrade.err" >&2; fail "the upgrade did not say it took a backup first"; }
grep -q '"name":"demo-building"' "$tmp/upgrade.out" || fail "the upgraded site lost its tenants"
ls "$up"/backups/before-schema-*.zip >/dev/null 2>&1 || fail "no backup was taken before the migration"
"$bin" audit verify --data-dir "$up" | grep -q '"intact":true' || fail "the audit chain does not verify after the upgrade"
"$bin" backup --to "$tmp/site-backup.zip" --data-dir "$up" >/dev/null || fail "backup through the packaged runtime failed"
[ "$(stat -c %a "$tmp/site-backup.zip")" = 600 ] || fail "the backup file is not 0600"
"$bin" restore --from "$tmp/site-backup.zip" --data-dir "$tmp/restored" >/dev/null 2>&1 || fail "restore through the packaged runtime failed"
"$bin" audit verify --data-dir "$tmp/restored" | grep -q '"intact":true' || fail "the restored site's audit chain does not verify"
echo "upgraded from schema 3 with a backup first ($(ls "$up"/backups)); backup and restore through the packaged runtime: ok"

say "systemd unit"
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify against the unpacked tree: point ExecStart at the unpacked launcher
  unit=$tmp/unit/$app.service
  mkdir -p "$tmp/unit"
  sed "s#/opt/$app/bin/$app#$bin#" "$tmp/root/lib/systemd/system/$app.service" >"$unit"
  out=$(systemd-analyze verify "$unit" 2>&1 || true)
  # a CI container has no 'airotech' user (postinst creates it) and no running systemd
  problems=$(grep -v -e "User=airotech\|Group=airotech\|user .airotech.\|group .airotech.\|not booted with systemd\|System has not been booted\|Failed to connect to bus\|Failed to setup working directory" <<<"$out" | grep -i "$app.service" || true)
  [ -z "$problems" ] || { echo "$out"; fail "systemd-analyze verify found problems in the unit"; }
  echo "systemd-analyze verify: ok${out:+ (notes: $(tr '\n' ' ' <<<"$out"))}"
else
  echo "NOTE: systemd-analyze is not installed; the unit file check is skipped"
fi

say "console smoke test under Xvfb (the packaged runtime opens a window)"
console_ms=
if command -v xvfb-run >/dev/null 2>&1 && command -v xwininfo >/dev/null 2>&1 && command -v xprop >/dev/null 2>&1; then
  wm_class=$(sed -n 's/^StartupWMClass=//p' installer/linux/$app.desktop)
  # inside xvfb-run: start the console, wait (60 s at most) for its window, check WM_CLASS, close it with SIGTERM
  # Java takes user.home from the password database, not $HOME: point it (and JavaFX's native cache) into $tmp
  JAVA_TOOL_OPTIONS="-Duser.home=$tmp/home" timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    bin=$1; data=$2; out=$3
    start=$(date +%s%N)
    "$bin" console --data-dir "$data" --http-port 0 --https-port 0 >"$out/console.out" 2>"$out/console.err" &
    pid=$!
    for _ in $(seq 1 3000); do
      win=$(xwininfo -root -tree 2>/dev/null | sed -n "s/^ *\(0x[0-9a-f]*\) \"AIROTECH Connect\": .*/\1/p" | head -1)
      [ -n "$win" ] && break
      kill -0 $pid 2>/dev/null || break
      sleep 0.02
    done
    [ -n "$win" ] && echo "window $win after $(( ($(date +%s%N) - start) / 1000000 )) ms" >"$out/console.window"
    [ -n "$win" ] && xprop -id "$win" WM_CLASS >>"$out/console.window"
    kill -TERM $pid 2>/dev/null
    wait $pid
  ' _ "$bin" "$tmp/console-data" "$tmp" || true
  [ -s "$tmp/console.window" ] || { cat "$tmp/console.err" >&2; fail "the packaged console opened no window under Xvfb"; }
  cat "$tmp/console.window"
  console_ms=$(sed -n 's/^window .* after \([0-9]*\) ms$/\1/p' "$tmp/console.window")
  grep -q "WM_CLASS(STRING) = \"$wm_class\"" "$tmp/console.window" \
    || fail "the window's WM_CLASS is not StartupWMClass=$wm_class of installer/linux/$app.desktop (docks would not match them)"
else
  echo "NOTE: xvfb-run, xwininfo or xprop is missing (apt-get install xvfb x11-utils); the console smoke test is skipped"
fi

say "figures"
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
echo "deb file:        $(du -h "$deb" | cut -f1) ($deb)"
echo "installed size:  $(( installed_kib / 1024 )) MiB (Installed-Size $installed_kib KiB; runtime $(du -sh "$tmp/root/opt/$app/lib/runtime" | cut -f1), app $(du -sh "$tmp/root/opt/$app/lib/app" | cut -f1))"
echo "cold start:      $cold_ms ms from launch to the listening line (serve, packaged runtime, empty data directory)"
[ -z "$console_ms" ] || echo "console:         $console_ms ms from launch to a visible window (packaged runtime, Xvfb, first start: empty data directory and JavaFX cache)"
echo "OK: installer checks passed"
