#!/usr/bin/env bash
# Builds the Linux app-image and .deb with JDK 17's jpackage; Maven's installer profile runs it:
#   mvn -B -Pinstaller package -DskipTests       -> target/installer/airotech-connect/ and target/installer/*.deb
# Usage: installer/linux/package.sh TARGET_DIR VERSION [TYPES]    TYPES: app-image,deb (default) or app-image
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=$(cd "$1" && pwd)
version=$2
types=${3:-app-image,deb}
here=$root/installer/linux
# shellcheck source=../jpackage-common.sh
. "$root/installer/jpackage-common.sh"

stage_input
compute_modules

start=$(date +%s)
build_app_image "$root/installer/icon/airotech-connect.png"
log "app-image: $out/$app_name ($(du -sh "$out/$app_name" | cut -f1), $(( $(date +%s) - start )) s)"

case ",$types," in *,deb,*) ;; *) exit 0 ;; esac

start=$(date +%s)
rm -f "$out"/${app_name}_*.deb
# --linux-shortcut is left out on purpose: its postinst needs a writable menu directory, which
# containers lack; the .desktop entry and icons are added as ordinary package files below.
# the intermediate package is unpacked again below: no point compressing it (dpkg >= 1.21.10 reads this)
DPKG_DEB_COMPRESSOR_TYPE=none \
jpackage --type deb --dest "$out" --app-image "$out/$app_name" --name "$app_name" --app-version "$app_version" \
  --vendor "$vendor" --description "$description" \
  --linux-package-name "$app_name" --linux-deb-maintainer "ops@airotech.example" \
  --linux-package-deps libgtk-3-0 --linux-app-category net --install-dir /opt \
  --resource-dir "$here/deb"
deb=$(ls "$out"/${app_name}_*.deb)

# Repack: add the files that live outside /opt, tracked by dpkg like any other package file.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
dpkg-deb -R "$deb" "$pkg"
install -D -m 0644 "$here/airotech-connect.desktop" "$pkg/usr/share/applications/$app_name.desktop"
for s in 16 32 48 64 128 256 512; do
  install -D -m 0644 "$root/installer/icon/airotech-connect-$s.png" "$pkg/usr/share/icons/hicolor/${s}x${s}/apps/$app_name.png"
done
install -D -m 0644 "$here/airotech-connect.service" "$pkg/lib/systemd/system/$app_name.service"
install -D -m 0644 "$here/airotech-connect.default" "$pkg/etc/default/$app_name"
install -D -m 0644 "$root/docs/installing.md" "$pkg/usr/share/doc/$app_name/installing.md"
mkdir -p "$pkg/usr/bin"
ln -s "/opt/$app_name/bin/$app_name" "$pkg/usr/bin/$app_name"
echo "/etc/default/$app_name" > "$pkg/DEBIAN/conffiles"
install -m 0755 "$here/deb/postinst" "$here/deb/prerm" "$here/deb/postrm" "$pkg/DEBIAN/"
# Installed-Size (KiB) and md5sums describe the repacked contents
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -i "s/^Installed-Size:.*/Installed-Size: $size/" "$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/md5sums" "$pkg/DEBIAN/conffiles"
# gzip: ~8 s against ~100 s for xz on a busy 2-core builder, for a package 5% larger
fakeroot dpkg-deb --root-owner-group -Z"${AIROTECH_DEB_COMPRESSION:-gzip}" --build "$pkg" "$deb" >/dev/null
log "deb: $deb ($(du -h "$deb" | cut -f1), installed ${size} KiB, $(( $(date +%s) - start )) s)"
