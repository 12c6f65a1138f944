# Shared by installer/linux/package.sh and installer/macos/package.sh (sourced, not run).
# Expects: root (repository), target (Maven build directory), version (project version).

stage=$target/jpackage
input=$stage/input           # the thin jar, its runtime dependencies (no JavaFX), sample data
javafx=$stage/javafx         # the platform's JavaFX module jars, when the build depends on JavaFX
out=$target/installer
app_version=${version%%-*}   # jpackage takes digits and dots only (0.1.0-SNAPSHOT -> 0.1.0)
app_name=airotech-connect
main_class=com.airotech.connect.Launcher
vendor="AIROTECH"
description="AIROTECH Connect: on-prem connector gateway and operator console"
# jpackage's own defaults plus compression; replacing them means naming them all. A CDS archive
# (--generate-cds-archive, which needs bin/java kept) was tried: +12 MB for ~140 ms (of ~1 s) less
# cold start here, not worth it.
jlink_options="--strip-native-commands --strip-debug --no-header-files --no-man-pages --compress=2"

log() { printf 'installer: %s\n' "$*" >&2; }

stage_input() {
  [ -d "$input" ] || { log "$input is missing: run through Maven (mvn -Pinstaller package -DskipTests)"; exit 1; }
  # shade replaces the main artifact with the fat jar; the installer wants the thin one next to its dependencies
  cp "$target/original-$app_name.jar" "$input/$app_name.jar"
  rm -rf "$input/sample-data"
  mkdir -p "$input/sample-data"
  cp "$root"/sample-data/*.json "$root"/sample-data/*.sh "$input/sample-data/"
}

# Sets module_path (array) and modules (comma list): what jdeps finds the app needs, the JavaFX
# modules when present, and what reflection or providers need that jdeps cannot see.
compute_modules() {
  module_path=()
  local fx_modules=""
  if compgen -G "$javafx/javafx-*.jar" >/dev/null; then
    module_path=(--module-path "$javafx")
    local j m
    for j in "$javafx"/javafx-*.jar; do
      m=$(basename "$j"); m=${m#javafx-}; m=${m%%-*}
      fx_modules="$fx_modules,javafx.$m"
    done
    log "JavaFX modules: ${fx_modules#,}"
  else
    log "no JavaFX jars among the dependencies: a headless runtime (serve and the command line only)"
  fi
  local found
  found=$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "${module_path[@]}" \
    --class-path "$input/*" "$input/$app_name.jar")
  # jdk.crypto.ec: TLS with EC keys; jdk.zipfs: the migrations are found by listing /db inside the
  # application's jar (a zip file system, a provider jdeps cannot see: without it nothing starts);
  # jdk.localedata is not needed (all text is English, times are ISO-8601)
  modules=$(printf '%s\n' "$found,jdk.crypto.ec,jdk.unsupported,jdk.zipfs${fx_modules}" | tr ',' '\n' | sort -u | paste -sd, -)
  log "modules: $modules"
}

# --add-exports: the console names its windows' X11 class (WM_CLASS "airotech-connect", matched by the
# desktop entry's StartupWMClass) through JavaFX's glass Application, which the jlinked module keeps internal
build_app_image() {
  local icon=$1
  shift
  rm -rf "${out:?}/$app_name" "$out/$app_name.app"
  mkdir -p "$out"
  jpackage --type app-image --dest "$out" --name "$app_name" --app-version "$app_version" \
    --vendor "$vendor" --description "$description" \
    --input "$input" --main-jar "$app_name.jar" --main-class "$main_class" \
    "${module_path[@]}" --add-modules "$modules" --jlink-options "$jlink_options" \
    --java-options "--add-exports=javafx.graphics/com.sun.glass.ui=ALL-UNNAMED" \
    --icon "$icon" "$@"
}
