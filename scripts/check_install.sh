#!/usr/bin/env bash
# A clean install: build the wheel, install it into a fresh virtual environment outside the checkout
# (from PyPI alone: torch is an optional extra, so no CUDA build is pulled), and run the main commands
# from an empty folder, so templates and banks must come from the package data.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip wheel -q --no-deps -w "$tmp/dist" .
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q "$tmp"/dist/quizgen-*.whl
if "$tmp/venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "check_install: a plain 'pip install quizgen' pulled torch" >&2
  exit 1
fi
mkdir "$tmp/run"
cd "$tmp/run"
set -x
../venv/bin/quizgen doctor
../venv/bin/quizgen solve lenet5 >/dev/null
../venv/bin/quizgen moodle lecture -n 2 -o out/lecture-moodle.xml
../venv/bin/quizgen exam lecture -n 1 -o out/exam
test -s out/lecture-moodle.xml && test -s out/exam/lecture-exam.pdf
{ set +x; } 2>/dev/null
echo "check_install: the wheel installs and runs from its package data"
