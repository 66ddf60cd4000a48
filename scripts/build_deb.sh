#!/usr/bin/env bash
# Package the bundle dist/concord (scripts/build_bundle.sh) as dist/concord_<version>_amd64.deb.
#
#   scripts/build_deb.sh                  build the .deb
#   scripts/build_deb.sh --test-install   ... then install it here (root), run
#                                         /usr/bin/concord self-test as root and as an
#                                         unprivileged user, and remove it again
#
# Layout: /opt/concord (the bundle), /usr/bin/concord → /opt/concord/concord,
# /usr/share/applications/concord.desktop, the icon in hicolor (scalable SVG and PNGs
# rendered with Qt). DEBIAN/control comes from packaging/linux/control.in; its libc6
# and libstdc++6 minimums are read from the bundle's binaries, and every system library
# the bundle links is checked against the Depends list.
# Environment: DEB_MAINTAINER (default below).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BUNDLE=dist/concord
HERE=packaging/linux
MAINTAINER="${DEB_MAINTAINER:-Concord packaging <packaging@concord.invalid>}"

test_install=false
for arg in "$@"; do
  case "$arg" in
    --test-install) test_install=true ;;
    *) echo "usage: scripts/build_deb.sh [--test-install]" >&2; exit 2 ;;
  esac
done

for tool in dpkg-deb objdump readelf; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install dpkg binutils)" >&2; exit 1; }
done
if [ ! -x "$BUNDLE/concord" ]; then
  echo "no $BUNDLE/concord: run scripts/build_bundle.sh first" >&2
  exit 1
fi

version="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
arch="$(dpkg --print-architecture)"
deb="dist/concord_${version}_${arch}.deb"
stage="build/deb/concord_${version}_${arch}"

echo "== staging $stage"
rm -rf "$stage"
mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/DEBIAN"
cp -a "$BUNDLE" "$stage/opt/concord"
ln -s /opt/concord/concord "$stage/usr/bin/concord"
install -m 0644 "$HERE/concord.desktop" "$stage/usr/share/applications/concord.desktop"
icons="$stage/usr/share/icons/hicolor"
install -D -m 0644 resources/icons/concord.svg "$icons/scalable/apps/concord.svg"
png_args=()
for size in 32 48 64 128 256; do
  png_args+=(--png "$size" "$icons/${size}x${size}/apps/concord.png")
done
QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py "${png_args[@]}" >/dev/null

# --- Depends: the glibc and libstdc++ the binaries ask for ----------------------------
elf_files() { find "$stage/opt/concord" -type f \( -name '*.so*' -o -name concord \) -print0; }
versions="$(elf_files | xargs -0 objdump -T 2>/dev/null | grep -oE '(GLIBC|GLIBCXX)_[0-9.]+' | sort -u)"
glibc="$(echo "$versions" | sed -n 's/^GLIBC_//p' | sort -V | tail -n 1)"
glibcxx="$(echo "$versions" | sed -n 's/^GLIBCXX_//p' | sort -V | tail -n 1)"
case "$glibcxx" in  # GLIBCXX_3.4.N → the GCC release that introduced it
  3.4.2[0-8] | "") gcc=10 ;;
  3.4.29) gcc=11 ;;
  3.4.30) gcc=12 ;;
  3.4.31) gcc=13 ;;
  3.4.32) gcc=13.2 ;;
  3.4.33) gcc=14 ;;
  *) gcc=15 ;;
esac
echo "needs glibc >= $glibc, libstdc++ >= GLIBCXX_$glibcxx (GCC $gcc)"

installed_size="$(du -sk --apparent-size "$stage" --exclude=DEBIAN | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@MAINTAINER@/$MAINTAINER/" \
  -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@GLIBC@/$glibc/" -e "s/@GCC@/$gcc/" \
  "$HERE/control.in" >"$stage/DEBIAN/control"
install -m 0755 "$HERE/postinst" "$HERE/postrm" "$stage/DEBIAN/"

# --- every system library the bundle links must come from a package in Depends -------
if command -v dpkg-query >/dev/null && command -v ldconfig >/dev/null; then
  depends="$(sed -n '/^Depends:/,/^[A-Z]/p' "$stage/DEBIAN/control" | sed 's/^Depends://; /^[A-Z]/d' |
    sed 's/([^)]*)//g; s/[[:space:]]//g; s/[,|]/\n/g' | sed '/^$/d' | sort -u)"
  bundled="$(find "$stage/opt/concord" -name '*.so*' -printf '%f\n' | sort -u)"
  owner() {  # the package that ships a library (merged /usr: try every spelling)
    local real candidate found
    real="$(readlink -f "$1")"
    for candidate in "$1" "$real" "${1#/usr}" "${real#/usr}" "/usr$1" "/usr$real"; do
      found="$(dpkg-query -S "$candidate" 2>/dev/null | grep -v '^diversion' | head -n 1 | cut -d: -f1 || true)"
      if [ -n "$found" ]; then
        echo "$found"
        return 0
      fi
    done
  }
  unlisted=()
  while read -r lib; do
    [ -n "$lib" ] || continue
    grep -qxF "$lib" <<<"$bundled" && continue
    path="$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64/ {print $NF; exit}')"
    [ -n "$path" ] || { echo "WARNING: $lib is linked but not on this machine (install its package to check it)"; continue; }
    package="$(owner "$path")"
    case "$package" in
      libc6 | libgcc-s1) continue ;;
      "") echo "WARNING: no package owns $path ($lib)"; continue ;;
    esac
    grep -qxF "$package" <<<"$depends" || unlisted+=("$lib ($package)")
  done < <(elf_files | xargs -0 readelf -d 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
  if [ ${#unlisted[@]} -gt 0 ]; then
    echo "FAIL: the bundle links system libraries whose packages are not in Depends:" >&2
    printf '  %s\n' "${unlisted[@]}" >&2
    echo "add them to $HERE/control.in" >&2
    exit 1
  fi
  echo "every system library the bundle links is in Depends"
fi

if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$stage/usr/share/applications/concord.desktop"
fi

echo "== building $deb"
find "$stage" -type d -exec chmod 0755 {} +
chmod -R go-w "$stage"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
dpkg-deb --info "$deb" | sed -n '/Package:/,$p' | head -n 12
echo "$(du -h "$deb" | cut -f1)  $deb"

if ! $test_install; then
  exit 0
fi

echo "== test install (dpkg -i, apt-get -f install, self-test, dpkg --purge)"
[ "$(id -u)" -eq 0 ] || { echo "--test-install needs root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -i "$deb"; then
  apt-get update -qq
  apt-get -f install -y -qq --no-install-recommends
fi
dpkg -s concord | grep -E '^(Status|Version):'
status=0
echo "-- as root: /usr/bin/concord"
/usr/bin/concord --version || status=1
QT_QPA_PLATFORM=offscreen /usr/bin/concord self-test || status=1
echo "-- as nobody (read-only install, empty home)"
home="$(mktemp -d)"
chown nobody "$home"
if command -v runuser >/dev/null; then
  runuser -u nobody -- env HOME="$home" XDG_RUNTIME_DIR="$home" QT_QPA_PLATFORM=offscreen \
    /usr/bin/concord self-test || status=1
fi
rm -rf "$home"
dpkg --purge concord >/dev/null  # remove, and forget it (no "rc" state left)
if [ -e /opt/concord ] || [ -e /usr/bin/concord ]; then
  echo "FAIL: dpkg --purge left files behind" >&2
  find /opt/concord /usr/bin/concord -maxdepth 1 2>&1 | head >&2
  status=1
fi
[ $status -eq 0 ] && echo "installed, self-tested as root and as nobody, removed: OK"
exit $status
