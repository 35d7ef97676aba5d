#!/usr/bin/env bash
# Copilot Desktop for Linux: remove what install.sh installed for this user.
#
#   ~/.local/share/copilot-desktop/app/uninstall.sh      (or the copy in the unpacked bundle)
#
# Removes the app folder, the ~/.local/bin/copilot-desktop link (only if it points at the app), the
# launcher and the icons. Your conversations and settings stay where they are (the data folder
# ~/.local/share/copilot-desktop and ~/.config/copilot-desktop); delete those yourself if you want
# them gone.
set -euo pipefail

APP_ID=copilot-desktop
data=${XDG_DATA_HOME:-}
[[ $data == /* ]] || data=$HOME/.local/share # the XDG spec says to ignore a relative path
app_dir=$data/$APP_ID/app
link=$HOME/.local/bin/$APP_ID
apps_dir=$data/applications
hicolor=$data/icons/hicolor

if [[ -L $link && $(readlink "$link") == "$app_dir/$APP_ID" ]]; then
    rm -f "$link"
    echo "Removed $link"
fi

if [[ -f $apps_dir/$APP_ID.desktop ]]; then
    rm -f "$apps_dir/$APP_ID.desktop"
    echo "Removed the launcher $apps_dir/$APP_ID.desktop"
fi

removed_icons=0
for icon in "$hicolor"/*/apps/"$APP_ID".png "$hicolor"/scalable/apps/"$APP_ID".svg; do
    [[ -f $icon ]] || continue
    rm -f "$icon"
    rmdir "$(dirname "$icon")" "$(dirname "$(dirname "$icon")")" 2>/dev/null || true # if now empty
    removed_icons=1
done
if ((removed_icons)); then
    echo "Removed the icons from $hicolor"
fi

if [[ -d $app_dir ]]; then
    rm -rf "${app_dir:?}"
    echo "Removed the app from $app_dir"
fi
rmdir "$data/$APP_ID" 2>/dev/null || true # only if no conversations live there

if [[ -d $apps_dir ]] && command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps_dir" 2>/dev/null || true
fi
if [[ -d $hicolor ]]; then
    touch "$hicolor" # running desktops re-read a theme folder that changed
fi
if [[ -f $hicolor/index.theme ]] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q "$hicolor" 2>/dev/null || true
fi

echo "Done. Your conversations and settings were kept."
