#!/usr/bin/env bash
# What a Linux user does with the release tarball, in a throw-away HOME: unpack it, run install.sh,
# then start the installed app's --smoke-test in a clean environment (no virtualenv, no display).
#   packaging/linux/check_tarball.sh dist/copilot-desktop-<version>-linux-<arch>.tar.gz
set -euo pipefail
tarball=$(realpath "$1")
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/unpacked"
tar -C "$home/unpacked" -xzf "$tarball"
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 bash "$home/unpacked/copilot-desktop/install.sh"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$home/.local/share/applications/copilot-desktop.desktop"
fi
start=$(date +%s%N)
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$home/.local/bin/copilot-desktop" --smoke-test
echo "installed app: smoke test passed in $(( ($(date +%s%N) - start) / 1000000 )) ms (first run)"
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 bash "$home/.local/share/copilot-desktop/app/uninstall.sh" \
  >/dev/null 2>&1 || true
