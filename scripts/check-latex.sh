#!/usr/bin/env bash
# Check that TeX Live has every file the exam templates load: each package of every \usepackage in
# templates/exam/*.tex.j2, Italian babel and the T1 Latin Modern fonts (kpsewhich on each).
# Prints the missing files and exits 1 when any is missing; --list prints the files it checks.
set -euo pipefail
cd "$(dirname "$0")/.."

needed() {
  sed -n 's/^[^%]*\\usepackage\(\[[^]]*\]\)\{0,1\}{\([^}]*\)}.*/\2/p' templates/exam/*.tex.j2 \
    | tr ',' '\n' | sed 's/^ *//; s/ *$//; /^$/d; s/$/.sty/'
  echo italian.ldf   # babel's Italian (texlive-lang-italian)
  echo t1lmr.fd      # Latin Modern in T1 encoding (lmodern)
}

if [ "${1:-}" = "--list" ]; then
  needed | sort -u
  exit 0
fi
command -v kpsewhich >/dev/null || { echo "check-latex: kpsewhich not found (TeX Live is not installed)" >&2; exit 1; }
missing=()
for file in $(needed | sort -u); do
  kpsewhich "$file" >/dev/null 2>&1 || missing+=("$file")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-latex: missing LaTeX files: ${missing[*]}" >&2
  exit 1
fi
echo "check-latex: every LaTeX package the exam templates use is installed"
