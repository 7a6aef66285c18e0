"""The built-in networks after AlexNet against reference models written as torchvision writes them:
totals as torchvision's ``sum(p.numel())``, every layer's weights, biases, buffers and output shape, and
MACs against ``torch.utils.flop_counter`` (on the meta device: shapes only, no memory, no arithmetic)."""

from __future__ import annotations

import pytest

from quizgen.nets.builtin import builtin
from quizgen.nets.engine import count
from quizgen.nets.layers import FeatureMaps
from tests.conftest import require_module

TORCHVISION = {  # torchvision.models.*: sum(p.numel() for p in model.parameters())
    "resnet18": 11_689_512,
    "resnet50": 25_557_032,
    "mobilenet-v2": 3_504_872,
    "googlenet": 6_624_904,  # aux_logits=False
    "vgg16-bn": 138_365_992,
    "vgg19": 143_667_240,
    "densenet121": 7_978_856,
}
OUTPUT = {"unet": FeatureMaps(388, 388, 2)}


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


def _reference(torch, name: str):  # noqa: ANN001, ANN202
    from tests.verify.torchvision_like import MODELS

    with torch.device("meta"):
        return MODELS[name]().eval()


def _traced(torch, model, network) -> list[tuple]:  # noqa: ANN001
    """(weights, biases, buffers, output shape) of every module holding parameters, in the order they run."""
    rows = []

    def hook(module, args, output) -> None:  # noqa: ANN001
        weights = sum(p.numel() for n, p in module.named_parameters(recurse=False) if n != "bias")
        biases = sum(p.numel() for n, p in module.named_parameters(recurse=False) if n == "bias")
        buffers = sum(b.numel() for b in module.buffers(recurse=False) if b.is_floating_point())
        shape = tuple(output.shape)
        rows.append((weights, biases, buffers, FeatureMaps(shape[2], shape[3], shape[1]) if len(shape) == 4
                     else shape[1]))

    handles = [m.register_forward_hook(hook) for m in model.modules() if list(m.parameters(recurse=False))]
    inp = network.input
    with torch.no_grad():
        model(torch.zeros(1, inp.c, inp.h, inp.w, device="meta"))
    for h in handles:
        h.remove()
    return rows


@pytest.mark.parametrize("name", [*TORCHVISION, *OUTPUT])
def test_builtin_against_the_reference_model(torch, name: str) -> None:
    network = builtin(name)
    nc = count(network)
    model = _reference(torch, name)
    total = sum(p.numel() for p in model.parameters())
    assert nc.parameters == total
    if name in TORCHVISION:
        assert total == TORCHVISION[name]
    else:
        assert nc.output_shape == OUTPUT[name]
    ours = [(int(lc.weights.value), int(lc.biases.value), int(lc.buffers.value) if lc.buffers else 0,
             lc.output_shape if isinstance(lc.output_shape, FeatureMaps) else lc.output_shape.n)
            for lc in nc.layers if lc.parameters.value]
    theirs = _traced(torch, model, network)
    assert len(ours) == len(theirs)
    for i, (mine, reference) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == reference, f"{name}: layer {i} with parameters"
    assert nc.buffers == sum(b.numel() for b in model.buffers() if b.is_floating_point())


@pytest.mark.parametrize("name", [*TORCHVISION, *OUTPUT])
def test_builtin_macs_against_the_flop_counter(torch, name: str) -> None:
    from torch.utils.flop_counter import FlopCounterMode

    network = builtin(name)
    model = _reference(torch, name)
    inp = network.input
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.zeros(1, inp.c, inp.h, inp.w, device="meta"))
    assert count(network).macs * 2 == counter.get_total_flops()


@pytest.mark.parametrize("name", [*TORCHVISION, *OUTPUT])
def test_builtin_as_built_from_its_spec(torch, name: str) -> None:
    """quizgen's own torch module of the spec, layer by layer, on the meta device."""
    from quizgen.verify.torch_check import check_network

    assert check_network(builtin(name), "meta") == []
