#!/usr/bin/env bash
# Builds the macOS app bundle and .dmg with jpackage (run on a Mac with JDK 17; not built on Linux CI):
#   mvn -B -Pinstaller package -DskipTests     -> target/installer/AIROTECH Connect-<version>.dmg
# Maven's installer-platform-mac(-aarch64) profile picks this script and the mac JavaFX jars.
# Usage: installer/macos/package.sh TARGET_DIR VERSION [TYPES]     TYPES: dmg (default), app-image
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=$(cd "$1" && pwd)
version=$2
types=${3:-dmg}
# shellcheck source=../jpackage-common.sh
. "$root/installer/jpackage-common.sh"
app_version_mac=$app_version
# macOS wants a first version component of 1 or more
[ "${app_version_mac%%.*}" = 0 ] && app_version_mac="1.${app_version_mac#0.}"

stage_input
compute_modules
app_version=$app_version_mac
build_app_image "$root/installer/icon/airotech-connect.icns" \
  --mac-package-identifier com.airotech.connect --mac-package-name "AIROTECH Connect"
log "app bundle: $out/$app_name.app"

case ",$types," in *,dmg,*) ;; *) exit 0 ;; esac
rm -f "$out"/*.dmg
jpackage --type dmg --dest "$out" --app-image "$out/$app_name.app" --name "AIROTECH Connect" \
  --app-version "$app_version" --vendor "$vendor" --description "$description" \
  --mac-package-identifier com.airotech.connect --icon "$root/installer/icon/airotech-connect.icns"
log "dmg: $(ls "$out"/*.dmg)"
# The command line inside the bundle, for the PATH (see installer/README.md):
#   sudo ln -s "/Applications/airotech-connect.app/Contents/MacOS/airotech-connect" /usr/local/bin/airotech-connect
