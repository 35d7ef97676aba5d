#!/usr/bin/env bash
# Copilot Desktop for Linux: install the unpacked bundle for this user (no root needed).
#
#   tar xzf copilot-desktop-<version>-linux-<arch>.tar.gz && ./copilot-desktop/install.sh
#
# Run it from the bundle folder (the PyInstaller one-folder app: copilot-desktop + _internal/), or
# pass that folder as the first argument. It copies the bundle to
# ${XDG_DATA_HOME:-~/.local/share}/copilot-desktop/app, links ~/.local/bin/copilot-desktop to it,
# installs the icons into the hicolor theme and the launcher into the applications menu. Running it
# again (e.g. with a newer bundle) replaces the previous install. uninstall.sh reverses it; your
# conversations and settings are never touched by either.
set -euo pipefail

APP_ID=copilot-desktop
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle=$(cd "${1:-$here}" && pwd)
if [[ ! -x $bundle/$APP_ID || ! -d $bundle/_internal ]]; then
    echo "error: $bundle is not a Copilot Desktop bundle (no $APP_ID executable and _internal/ folder)" >&2
    exit 1
fi

data=${XDG_DATA_HOME:-}
[[ $data == /* ]] || data=$HOME/.local/share # the XDG spec says to ignore a relative path
app_dir=$data/$APP_ID/app
bin_dir=$HOME/.local/bin
apps_dir=$data/applications
hicolor=$data/icons/hicolor

# The bundle: copied beside the old install, then swapped in, so a failed copy changes nothing.
if [[ $bundle != "$app_dir" ]]; then
    mkdir -p "$(dirname "$app_dir")"
    rm -rf "$app_dir.new"
    cp -R "$bundle/." "$app_dir.new"
    rm -rf "$app_dir"
    mv "$app_dir.new" "$app_dir"
    echo "Installed the app in $app_dir"
fi
resources=$app_dir/_internal/resources

# The command: a symlink, unless something that is not ours already has the name.
mkdir -p "$bin_dir"
link=$bin_dir/$APP_ID
if [[ -e $link && ! -L $link ]]; then
    echo "warning: $link exists and is not a link to Copilot Desktop; left it alone" >&2
else
    ln -sfn "$app_dir/$APP_ID" "$link"
    echo "Linked $link -> $app_dir/$APP_ID"
    case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "note: $bin_dir is not on your PATH; the app menu entry works regardless" ;;
    esac
fi

# The icons: one PNG per size, and the SVG for any other size.
for png in "$resources"/icons/"$APP_ID"-*.png; do
    size=${png##*-}
    size=${size%.png}
    install -D -m 644 "$png" "$hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -D -m 644 "$resources/$APP_ID.svg" "$hicolor/scalable/apps/$APP_ID.svg"
echo "Installed the icons in $hicolor"

# Exec= quoted as the Desktop Entry spec wants: "..." with \ " ` $ escaped, then \ and % once more
# for the string and field-code levels.
quoted=$app_dir/$APP_ID
quoted=${quoted//\\/\\\\}
quoted=${quoted//\"/\\\"}
quoted=${quoted//\`/\\\`}
quoted=${quoted//\$/\\\$}
quoted=${quoted//\\/\\\\}
quoted=\"${quoted//%/%%}\"

# The launcher: the bundle's entry with every Exec= pointing at the installed binary.
mkdir -p "$apps_dir"
entry=$apps_dir/$APP_ID.desktop
while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == Exec=$APP_ID* ]]; then
        line="Exec=$quoted${line#"Exec=$APP_ID"}"
    fi
    printf '%s\n' "$line"
done <"$resources/$APP_ID.desktop" >"$entry.new"
chmod 644 "$entry.new"
mv "$entry.new" "$entry"
echo "Installed the launcher $entry"

# Menus and icon caches pick the changes up; neither is needed, so failures are ignored.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps_dir" 2>/dev/null || true
fi
if [[ -d $hicolor ]]; then
    touch "$hicolor" # running desktops re-read a theme folder that changed
fi
if [[ -f $hicolor/index.theme ]] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q "$hicolor" 2>/dev/null || true
fi

echo "Done. Start Copilot Desktop from your app menu, or run: $APP_ID"
if [[ -f $app_dir/uninstall.sh ]]; then
    echo "To remove it: bash $app_dir/uninstall.sh"
fi
