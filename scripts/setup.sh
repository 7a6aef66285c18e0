#!/usr/bin/env bash
# Set up everything quizgen needs on a Debian/Ubuntu machine: system packages (as root), a virtual
# environment in .venv with quizgen, its test tools and a CPU PyTorch. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(texlive-latex-extra texlive-latex-recommended texlive-fonts-recommended texlive-pictures
              texlive-lang-italian lmodern latexmk poppler-utils chromium chromium-driver)
TORCH_VERSION="2.13.0"   # the CPU build; an unpinned torch would pull a multi-GB CUDA build

missing=()
command -v pdflatex >/dev/null || missing+=(pdflatex)
command -v latexmk >/dev/null || missing+=(latexmk)
command -v pdftotext >/dev/null || missing+=(pdftotext)
command -v chromium >/dev/null || missing+=(chromium)
# every LaTeX package the exam templates load (kpsewhich on each .sty; a TeX Live without lmodern has pdflatex)
command -v pdflatex >/dev/null && ! bash scripts/check-latex.sh >/dev/null 2>&1 && missing+=(latex-packages)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -z "${QUIZGEN_NO_INSTALL:-}" ]; then
    echo "setup: installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  else
    echo "setup: missing ${missing[*]}; install as root: apt-get install ${APT_PACKAGES[*]}" >&2
  fi
fi
if command -v pdflatex >/dev/null && ! bash scripts/check-latex.sh; then
  echo "setup: install the LaTeX packages above (as root: apt-get install ${APT_PACKAGES[*]}; or tlmgr install)" >&2
  # CI must not go on to tests that cannot compile an exam
  [ "${CI:-}" = true ] && exit 1
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.quizgen-setup
want="$(sha256sum pyproject.toml | cut -c1-16) torch=$TORCH_VERSION"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "torch==$TORCH_VERSION"
  .venv/bin/python -m pip install -q -e '.[test,torch]'
  echo "$want" > "$stamp"
fi
echo "setup: ready (.venv/bin/quizgen)"
