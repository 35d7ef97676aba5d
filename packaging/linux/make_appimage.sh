#!/usr/bin/env bash
# Copilot Desktop for Linux: an AppImage (one file, runs without installing) from the PyInstaller bundle.
#
#   packaging/linux/make_appimage.sh [BUNDLE_DIR] [OUTPUT]
#
# BUNDLE_DIR defaults to dist/copilot-desktop, OUTPUT to
# dist/Copilot_Desktop-<version>-<arch>.AppImage. Needs appimagetool on PATH
# (https://github.com/AppImage/appimagetool); without it, it says so and exits 0, as the AppImage is
# an extra beside the .tar.gz. Set VERSION to override the version read from desktop_app/__init__.py.
set -euo pipefail

APP_ID=copilot-desktop
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bundle=${1:-$root/dist/$APP_ID}
arch=${ARCH:-$(uname -m)}
version=${VERSION:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/desktop_app/__init__.py")}
output=${2:-$root/dist/Copilot_Desktop-$version-$arch.AppImage}

if ! command -v appimagetool >/dev/null 2>&1; then
    echo "appimagetool is not on PATH: skipped the AppImage"
    exit 0
fi
if [[ ! -x $bundle/$APP_ID || ! -d $bundle/_internal ]]; then
    echo "error: $bundle is not a Copilot Desktop bundle (run PyInstaller first)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
appdir=$work/CopilotDesktop.AppDir
resources=$bundle/_internal/resources
mkdir -p "$appdir/usr/share/icons/hicolor/256x256/apps"
cp -R "$bundle" "$appdir/app"

cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
# The AppImage's entry point: run the bundled app with the arguments given.
here=$(dirname "$(readlink -f "$0")")
exec "$here/app/copilot-desktop" "$@"
EOF
chmod 755 "$appdir/AppRun"

cp "$resources/$APP_ID.desktop" "$appdir/$APP_ID.desktop"
cp "$resources/icons/$APP_ID-256.png" "$appdir/$APP_ID.png"
cp "$resources/icons/$APP_ID-256.png" "$appdir/usr/share/icons/hicolor/256x256/apps/$APP_ID.png"
ln -s "$APP_ID.png" "$appdir/.DirIcon"

mkdir -p "$(dirname "$output")"
ARCH=$arch appimagetool --no-appstream "$appdir" "$output"
echo "Built $output"
