#!/usr/bin/env bash
# Copilot Desktop for macOS: sign "dist/Copilot Desktop.app" and wrap it in a drag-to-Applications DMG.
#
#   packaging/macos/make_dmg.sh [APP] [OUTPUT]
#
# APP defaults to "dist/Copilot Desktop.app" (PyInstaller's output), OUTPUT to
# dist/copilot-desktop-<version>-macos-<arch>.dmg. The app is signed with the hardened runtime and
# packaging/macos/entitlements.plist, by the identity in CODESIGN_IDENTITY (e.g. "Developer ID
# Application: ...") or, without one, ad hoc ("-"): enough to run on the machine that built it and
# on Apple silicon, but Gatekeeper will still warn users elsewhere. Notarizing (xcrun notarytool)
# needs Apple credentials and is not done here. Set VERSION to override desktop_app/__init__.py's.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
app=${1:-$root/dist/Copilot Desktop.app}
version=${VERSION:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/desktop_app/__init__.py")}
output=${2:-$root/dist/copilot-desktop-$version-macos-$(uname -m).dmg}
entitlements=$root/packaging/macos/entitlements.plist
identity=${CODESIGN_IDENTITY:--}

if [[ ! -d $app ]]; then
    echo "error: $app does not exist (run PyInstaller first)" >&2
    exit 1
fi

sign=(codesign --force --deep --options runtime --entitlements "$entitlements" --sign "$identity")
if [[ $identity != - ]]; then
    sign+=(--timestamp) # a secure timestamp is required for notarization; ad hoc signatures cannot have one
fi
"${sign[@]}" "$app"
codesign --verify --deep --strict "$app"
echo "Signed $app (identity: $identity)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$(basename "$app")" # keeps the bundle's symlinks and signature intact
ln -s /Applications "$stage/Applications"
mkdir -p "$(dirname "$output")"
hdiutil create -volname "Copilot Desktop" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$output"
if [[ $identity != - ]]; then
    codesign --force --sign "$identity" --timestamp "$output"
fi
echo "Built $output"
