#!/usr/bin/env bash
# Install (or remove) a canvass Linux release for the current user: no root needed, nothing outside ~.
#
#   ./install.sh            from the unpacked release folder
#   ./install.sh --remove   take it out again (your campaigns in ~/.local/share/canvass stay)
#
# Puts the app in ~/.local/opt/canvass, the `canvass` command in ~/.local/bin, and the menu entry and
# icon where desktops look for them (~/.local/share/applications, ~/.local/share/icons).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/canvass"
bin="$HOME/.local/bin"
entry="$prefix/applications/canvass.desktop"
icons="$prefix/icons/hicolor"

if [[ "${1:-}" == "--remove" ]]; then
  rm -rf "$opt"
  rm -f "$bin/canvass" "$entry" "$icons/scalable/apps/canvass.svg" "$icons/256x256/apps/canvass.png"
  echo "canvass removed. Your data is still in $prefix/canvass (delete it yourself if you mean to)."
  exit 0
fi

if [[ ! -x "$here/canvass/canvass" ]]; then
  echo "install.sh: run me from the unpacked release folder (it holds canvass/canvass)." >&2
  exit 1
fi
mkdir -p "$opt" "$bin" "$prefix/applications" "$icons/scalable/apps" "$icons/256x256/apps"
rm -rf "$opt"
cp -R "$here/canvass" "$opt"
ln -sf "$opt/canvass" "$bin/canvass"
# Menus do not always search ~/.local/bin: the entry names the program by its full path.
sed "s|^Exec=canvass |Exec=\"$opt/canvass\" |" "$here/canvass.desktop" > "$entry"
cp "$here/canvass.svg" "$icons/scalable/apps/canvass.svg"
[[ -f "$here/canvass.png" ]] && cp "$here/canvass.png" "$icons/256x256/apps/canvass.png"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
echo "canvass $("$opt/canvass" --version | awk '{print $NF}') installed: find it in your applications menu," \
     "or run \`canvass\` (add $bin to your PATH if the shell cannot find it)."
