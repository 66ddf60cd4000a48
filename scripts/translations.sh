#!/usr/bin/env bash
# Refresh Concord's Simplified Chinese translation.
#
#   scripts/translations.sh
#
# 1. pyside6-lupdate scans every ui/**/*.py file and merges the strings passed to tr() /
#    QCoreApplication.translate() into resources/translations/concord_zh_CN.ts. Existing
#    translations are kept; new strings appear as "unfinished" for the translator;
#    strings no longer in the code are dropped (-no-obsolete).
# 2. pyside6-lrelease compiles the .ts into concord_zh_CN.qm (what the app loads).
# 3. Qt's own qtbase_zh_CN.qm is copied next to it, so standard dialog buttons
#    (OK, Cancel, Yes, No, …) are translated too.
#
# Re-run it whenever the UI's strings change; it is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
OUT=resources/translations
TS="$OUT/concord_zh_CN.ts"
QM="$OUT/concord_zh_CN.qm"

for tool in pyside6-lupdate pyside6-lrelease python; do
  if [ ! -x "$VENV/bin/$tool" ]; then
    echo "missing $VENV/bin/$tool: set up the virtualenv first (./run test does)" >&2
    exit 1
  fi
done

mkdir -p "$OUT"

# Every Python file under ui/, in a stable order (NUL-separated: paths may hold spaces).
sources=()
while IFS= read -r -d '' file; do
  sources+=("$file")
done < <(find ui -type f -name '*.py' -not -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z)
if [ ${#sources[@]} -eq 0 ]; then
  echo "no ui/**/*.py files found" >&2
  exit 1
fi

# ui/field_names.py translates through a one-argument wrapper,
#   def _t(text): return QCoreApplication.translate("FieldNames", text)
# which lupdate cannot see through. Read its _t("...") calls as tr() calls (lupdate then
# files them under the empty context, as they sit outside any class) and rename that
# context to the wrapper's, before (so existing translations match) and after lupdate.
lupdate_options=()
wrapper_context=""
if grep -q '^def _t(' ui/field_names.py 2>/dev/null; then
  wrapper_context="$(sed -n 's/.*QCoreApplication\.translate("\([A-Za-z0-9_]*\)", text).*/\1/p' \
    ui/field_names.py | head -n 1)"
  if [ -z "$wrapper_context" ]; then
    echo "ui/field_names.py: cannot tell which context _t() translates into" >&2
    exit 1
  fi
  lupdate_options+=(-tr-function-alias "tr+=_t")
fi

rename_context() {  # rename_context FROM TO: rename the context FROM of the .ts to TO
  [ -n "$wrapper_context" ] && [ -f "$TS" ] || return 0
  "$VENV/bin/python" - "$TS" "$1" "$2" <<'PY'
import re
import sys
from pathlib import Path

path, old, new = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
text = path.read_text(encoding="utf-8")
pattern = re.compile(r"(<context>\s*<name>)" + re.escape(old) + r"(</name>)")
path.write_text(pattern.sub(lambda m: m.group(1) + new + m.group(2), text), encoding="utf-8")
PY
}

rename_context "$wrapper_context" ""
trap 'rename_context "" "$wrapper_context"' EXIT  # also if lupdate fails
"$VENV/bin/pyside6-lupdate" -no-obsolete -locations relative \
  -source-language en -target-language zh_CN "${lupdate_options[@]}" \
  "${sources[@]}" -ts "$TS"
rename_context "" "$wrapper_context"
trap - EXIT

"$VENV/bin/pyside6-lrelease" "$TS" -qm "$QM"

# Qt's own strings: find the PySide6 package's translations folder from its interpreter.
qt_translations="$("$VENV/bin/python" -c \
  'from PySide6.QtCore import QLibraryInfo as L; print(L.path(L.LibraryPath.TranslationsPath))')"
if [ ! -f "$qt_translations/qtbase_zh_CN.qm" ]; then
  qt_translations="$(echo "$VENV"/lib/python3*/site-packages/PySide6/Qt/translations)"
fi
if [ ! -f "$qt_translations/qtbase_zh_CN.qm" ]; then
  echo "qtbase_zh_CN.qm not found in the PySide6 package" >&2
  exit 1
fi
cp "$qt_translations/qtbase_zh_CN.qm" "$OUT/qtbase_zh_CN.qm"

# Tell the translator what is left to do.
unfinished="$(grep -c 'type="unfinished"' "$TS" || true)"
echo "$TS: ${unfinished} unfinished message(s)"
