"""Write ``quizgen/nets/formulas_exact.py``: every registered formula's sympy expression compiled to exact Python.

Run it after adding or changing a formula (``tests/nets/test_formulas_exact.py`` fails until then):

    .venv/bin/python scripts/compile_formulas.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.nets import formulas  # noqa: E402
from quizgen.problems import import_every_formula  # noqa: E402

TARGET = Path(__file__).resolve().parent.parent / "quizgen" / "nets" / "formulas_exact.py"

if __name__ == "__main__":
    import_every_formula()
    TARGET.write_text(formulas.exact_module(), encoding="utf-8")
    print(f"wrote {len(formulas.keys())} formulas to {TARGET}")
