"""Connection tables of partially connected layers (LeNet-5's C3)."""

from __future__ import annotations

# LeCun et al. 1998, Table I: row = S2 feature map (0-5), column = C3 feature map (0-15).
LENET5_C3_TABLE: tuple[tuple[bool, ...], ...] = tuple(
    tuple(cell == "X" for cell in row)
    for row in (
        "X...XXX..XXXX.XX",
        "XX...XXX..XXXX.X",
        "XXX...XXX..X.XXX",
        ".XXX..XXXX..X.XX",
        "..XXX..XXXX.XX.X",
        "...XXX..XXXX.XXX",
    )
)
