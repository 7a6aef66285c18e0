#!/usr/bin/env bash
# The full reference sweep on a GPU: every family, 10,000 problems each, every answer recomputed
# from PyTorch modules run on CUDA. Prints the table; exit 0 when torch confirms every answer,
# 1 on a disagreement, 2 when torch or CUDA is missing, 3 when it took more than 5 minutes.
#
#   scripts/gpu-check.sh [N] [SEED]        N problems per family (default 10000), seed (default 0)
#
# Needs the repository and a Python with quizgen's dependencies and a CUDA build of torch
# (default .venv/bin/python, else python3; PYTHON=/path/to/python to choose). 'make setup' installs
# the CPU build; on a GPU machine install the CUDA wheel of the same version for its driver
# (pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/<cuda tag>).
# GPU_CHECK_DEVICE=cpu (or meta) runs the same script without a GPU, to try it out.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"; elif [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
# this checkout's quizgen even where it is not pip-installed (its dependencies must be)
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
N="${1:-10000}"
SEED="${2:-0}"
DEVICE="${GPU_CHECK_DEVICE:-cuda}"
LIMIT=300

if [ ! -x "$PY" ] && ! command -v "$PY" >/dev/null; then
  echo "gpu-check: no Python at $PY; run 'make setup' or set PYTHON=/path/to/python" >&2
  exit 2
fi

DEVICE="$DEVICE" "$PY" -W ignore::UserWarning - <<'EOF' || exit 2
import os
import sys

try:
    import quizgen.commands.cli  # noqa: F401
except ImportError as exc:
    sys.exit(f"gpu-check: quizgen's dependencies are missing ({exc}); pip install -e '.[torch]'")
try:
    import torch
except ImportError:
    sys.exit("gpu-check: PyTorch is not installed in this environment; pip install 'quizgen[torch]' (a CUDA build)")
device = os.environ["DEVICE"]
if device == "cuda":
    if not torch.cuda.is_available():
        sys.exit(f"gpu-check: torch {torch.__version__} sees no CUDA device; install the CUDA build of torch "
                 "for this machine's driver (see the header of this script)")
    print(f"gpu-check: torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}")
else:
    print(f"gpu-check: torch {torch.__version__} on {device} (trial run without a GPU)")
EOF
if [ "$DEVICE" = cuda ] && command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
fi
echo "gpu-check: $N problems per family, seed $SEED; $(nproc) CPU cores draw them, $DEVICE runs each distinct layer once"

start=$(date +%s)
status=0
"$PY" -m quizgen verify --device "$DEVICE" -n "$N" --seed "$SEED" || status=$?
elapsed=$(( $(date +%s) - start ))
echo "gpu-check: ${elapsed} s wall clock (limit ${LIMIT} s), exit status ${status}"
if [ "$elapsed" -gt "$LIMIT" ] && [ "$status" -eq 0 ]; then
  echo "gpu-check: the sweep took longer than 5 minutes" >&2
  status=3
fi
exit "$status"
