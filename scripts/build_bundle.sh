#!/usr/bin/env bash
# Build the one-folder bundle dist/concord with PyInstaller, then prove it works.
#
#   scripts/build_bundle.sh [--clean] [--cold]
#
# 1. PyInstaller into .venv if it is missing (the pin below, or constraints.txt's).
# 2. pyinstaller --noconfirm build.spec            → dist/concord/concord
# 3. dist/concord/concord --version                 must print pyproject.toml's version
# 4. QT_QPA_PLATFORM=offscreen concord self-test    every check must pass
# 5. Linux: every library the bundle links resolves (bundled or from the system)
# 6. prints the size (du) and the start-up time to the main window, cold and warm
#
# --clean drops PyInstaller's cache first (after upgrading a dependency).
# --cold  drops the page cache (root only) before the first start-up measurement, so it
#         is a true cold start; without it the first run only follows the build.
# Exit status: non-zero if the build, the version check or the self-test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
PY="$VENV/bin/python"
PYINSTALLER_PIN="pyinstaller==6.22.3"
BUNDLE=dist/concord
EXE="$BUNDLE/concord"

clean=()
cold=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=(--clean) ;;
    --cold) cold=true ;;
    *) echo "usage: scripts/build_bundle.sh [--clean] [--cold]" >&2; exit 2 ;;
  esac
done

if [ ! -x "$PY" ]; then
  echo "== creating $VENV"
  python3 -m venv "$VENV"
  "$PY" -m pip install -q -c constraints.txt -e ".[db]"
fi
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "== installing PyInstaller"
  if grep -qi '^pyinstaller==' constraints.txt; then
    "$PY" -m pip install -q -c constraints.txt pyinstaller
  else
    "$PY" -m pip install -q "$PYINSTALLER_PIN"
  fi
fi
echo "== PyInstaller $("$PY" -m PyInstaller --version)"

echo "== building $BUNDLE"
started=$(date +%s)
"$PY" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN build.spec
echo "built in $(( $(date +%s) - started )) s"

echo "== $EXE --version"
version="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
reported="$("$EXE" --version)"
echo "$reported"
if [ "$reported" != "concord $version" ]; then
  echo "FAIL: the bundle says '$reported', pyproject.toml says $version (app/__init__.py __version__?)" >&2
  exit 1
fi

echo "== self-test (offscreen)"
QT_QPA_PLATFORM=offscreen "$EXE" self-test

if [ "$(uname -s)" = Linux ]; then
  echo "== shared libraries"
  internal="$BUNDLE/_internal"
  missing="$(find "$internal" -type f -name '*.so*' -print0 |
    xargs -0 -n 50 env LD_LIBRARY_PATH="$internal" ldd 2>/dev/null |
    awk '/not found/ {print $1}' | sort -u || true)"
  if [ -n "$missing" ]; then
    echo "WARNING: not found on this machine (the .deb depends on their packages):"
    echo "  ${missing//$'\n'/$'\n'  }"
  else
    echo "every linked library resolves"
  fi
fi

echo "== size"
du -sh "$BUNDLE"
echo "$(du -sm "$BUNDLE" | cut -f1) MB unpacked, $(find "$BUNDLE" -type f | wc -l) files"

echo "== start-up (process start → main window shown, offscreen)"
startup() { QT_QPA_PLATFORM=offscreen "$EXE" self-test --startup-benchmark; }
if $cold && [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
  echo "cold (page cache dropped): $(startup)"
elif $cold; then
  echo "cold: cannot drop the page cache here (needs root); first run: $(startup)"
else
  echo "first run after the build: $(startup)"
fi
echo "warm: $(startup)"
echo "warm: $(startup)"
t0=$(date +%s.%N)
QT_QPA_PLATFORM=offscreen "$EXE" self-test >/dev/null
echo "whole self-test (every check, demo reconcile): $(awk "BEGIN {printf \"%.2f\", $(date +%s.%N) - $t0}") s"
