"""Published numbers that contradict the arithmetic are flagged, with the reason: a stated input size that the
paper's own layer sizes rule out, "FLOPs" that are multiply-adds, "MB" that are MiB."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizgen.nets.builtin import builtin
from quizgen.nets.engine import count
from quizgen.nets.layers import Listed
from quizgen.nets.published import contradictions
from quizgen.nets.spec import parse_spec


def _warnings(name: str) -> list[str]:
    return [str(w) for w in contradictions(count(builtin(name)))]


def test_alexnet_2012_input_of_224() -> None:
    (warning,) = _warnings("alexnet-2012")
    assert warning == ("Krizhevsky et al. 2012, section 3.5: it lists an input of 224x224, but the arithmetic gives "
                       "227x227; with 224x224, conv1 gives 54x54, not the 55x55 it lists; 227x227 gives 55x55")


def test_resnet_flops_are_multiply_adds_and_megabytes_are_mebibytes() -> None:
    warnings = _warnings("resnet18")
    assert len(warnings) == 3
    assert warnings[0].startswith("He et al. 2016, Table 1: it lists FLOPs 1.8x10^9, but the arithmetic gives "
                                  "3,628,146,688 FLOPs; the listed number counts multiply-adds: 1,814,073,344 MACs")
    assert "it lists FLOPs 1.81x10^9" in warnings[1]
    assert "46,796,448 B = 46.80 MB = 44.63 MiB; the listed size is in MiB (2^20 B), not MB (10^6 B)" in warnings[2]
    assert len(_warnings("mobilenet-v2")) == 2


NET = parse_spec("32x32x3 > conv 16 3 > flatten > fc 10")


@pytest.mark.parametrize(("claim", "flagged"), [
    (Listed(flops="1.1e6"), False),          # 2 x 532,800 MACs = 1,065,600 FLOPs: right
    (Listed(flops="5.3e5"), True),           # the MACs
    (Listed(flops="8e5"), True),             # neither
    (Listed(megabytes="0.58"), False),       # 144,458 parameters x 4 B = 577,832 B: megabytes
    (Listed(megabytes="0.55"), True),        # mebibytes
    (Listed(input=(32, 32)), False),         # the input it has
    (Listed(input=(2, 2)), True),            # an input the network cannot take
])
def test_claims_are_flagged_only_when_wrong(claim: Listed, flagged: bool) -> None:
    nc = count(NET)
    assert nc.macs == 3 * 9 * 16 * 30 * 30 + 16 * 30 * 30 * 10
    network = replace(NET, listed={"*a source": claim})
    warnings = contradictions(count(network))
    assert bool(warnings) == flagged, [str(w) for w in warnings]
    if flagged and claim.input:
        assert "with 2x2 the network fails" in str(warnings[0])
