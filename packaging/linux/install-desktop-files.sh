#!/bin/sh
# Register this ESAT folder with the Linux desktop: a menu entry with ESAT's icon, and
# .esat files shown as "ESAT assessment" that open in ESAT on a double-click.
#
#   ./install-desktop-files.sh                  for you alone (in ~/.local/share)
#   sudo ./install-desktop-files.sh --system    for everyone on this machine (/usr/local/share)
#   ./install-desktop-files.sh --uninstall [--system]    take it all out again
#
# Run it from the ESAT folder it came in; move the folder first, not after.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
program="$here/esat"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mode=install
for arg in "$@"; do
  case "$arg" in
    --system) data=/usr/local/share ;;
    --uninstall) mode=uninstall ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop-files.sh: unknown option $arg (see --help)" >&2; exit 1 ;;
  esac
done

apps="$data/applications"
mime="$data/mime"
icons="$data/icons/hicolor"

refresh() {
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$mime"; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps"; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$icons" 2>/dev/null || true
  fi
}

if [ "$mode" = uninstall ]; then
  rm -f "$apps/esat.desktop" "$mime/packages/esat.xml" \
        "$icons/256x256/apps/esat.png" "$icons/256x256/mimetypes/application-x-esat.png" \
        "$icons/scalable/apps/esat.svg" "$icons/scalable/mimetypes/application-x-esat.svg"
  refresh
  echo "ESAT's menu entry and .esat file type were removed from $data"
  exit 0
fi

if [ ! -x "$program" ]; then
  echo "install-desktop-files.sh: $program is missing; run this script from the ESAT folder" >&2
  exit 1
fi
case "$program" in
  *[\"\`\$\\\&\|]*)
    echo "install-desktop-files.sh: $here: move ESAT to a folder whose path has none of" \
         "the characters \" \` \$ \\ & | and run this again" >&2
    exit 1 ;;
esac

share="$here/share"
mkdir -p "$apps" "$mime/packages" "$icons/256x256/apps" "$icons/256x256/mimetypes" \
         "$icons/scalable/apps" "$icons/scalable/mimetypes"
sed "s|^Exec=esat |Exec=\"$program\" |" "$share/applications/esat.desktop" > "$apps/esat.desktop"
cp "$share/mime/packages/esat.xml" "$mime/packages/esat.xml"
cp "$share/icons/hicolor/256x256/apps/esat.png" "$icons/256x256/apps/esat.png"
cp "$share/icons/hicolor/256x256/apps/esat.png" "$icons/256x256/mimetypes/application-x-esat.png"
cp "$share/icons/hicolor/scalable/apps/esat.svg" "$icons/scalable/apps/esat.svg"
cp "$share/icons/hicolor/scalable/apps/esat.svg" "$icons/scalable/mimetypes/application-x-esat.svg"
refresh
echo "ESAT is in the applications menu, and .esat files open in $program (installed in $data)"
