"""An instructor's own network (a bank entry's ``network:``): the layers a family's stems can describe, named as the
drawn networks' layers are, and said in words.

A family that can ask about an own network sets ``Family.own_network`` to a function ``(network, difficulty) ->
Network`` that calls ``prepare`` with the layer kinds its stems describe and adds what its difficulty needs (batch
norm layers, a convolution and a fully connected layer, ...). Every mistake is a QuizgenError with the fix; the bank
loader adds the entry's file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.layers import (
    Activation,
    AdaptiveAvgPool,
    BatchNorm,
    Conv,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Layer,
    Network,
    Pool,
)
from quizgen.problems import layerkit
from quizgen.problems.params import Params
from quizgen.text.templating import render_block

NETWORK_EXAMPLE = 'network: "32x32x1 > C1: conv 6 5 > S2: maxpool 2 > F3: fc 10"'
MAX_SUMMED_LAYERS = 12  # the most layers a question adds up by hand (quizgen.problems.totals)
LETTERS = {Conv: "C", Pool: "S", Dense: "F", BatchNorm: "BN", Flatten: "Flat", Dropout: "D"}
WORDS = {Conv: "conv", Pool: "pool", Dense: "fc", BatchNorm: "bn", Flatten: "flatten", Dropout: "dropout"}


# the parameters a family still draws when an entry gives its own network (the others describe the drawn network)
STILL_DRAWN = {
    "memory": ("kind", "unit", "dtype", "batch", "gpu", "gpu_unit", "layer", "arithmetic"),
    "training-memory": ("optimizer", "unit", "batch", "gpu", "gpu_unit"),
}


def replaced(family_id: str, params: Sequence[str]) -> list[str]:
    """The parameters of ``params`` that an own network replaces (its layers and sizes are the network's)."""
    kept = STILL_DRAWN.get(family_id, ("arithmetic",))
    return [name for name in params if name not in kept]


def replaced_error(names: Sequence[str]) -> QuizgenError:
    """The mistake of setting ``names`` (``replaced``) next to an own network: an error, or with ``--lenient`` a
    warning with the same fix."""
    which = f"parameter {names[0]} describes" if len(names) == 1 else f"parameters {', '.join(names)} describe"
    return QuizgenError(f"the {which} the drawn network, and network: replaces it",
                        fix=f"remove {', '.join(names)} from params (the network gives its layers and sizes)")


def drop_replaced(params: dict, names: Sequence[str]) -> list[tuple[str, QuizgenError]]:
    """With ``--lenient``: the ``names`` (``replaced``) taken out of ``params``, each with the error it would be
    without it, which the caller gives as a warning where the value was written."""
    out = []
    for name in names:
        del params[name]
        out.append((name, replaced_error([name])))
    return out


def _describable(layer: Layer) -> bool:
    """A layer the stems word in full: square windows and strides, one group, no table or dilation, and an explicit
    padding the same on every side or TensorFlow's SAME or VALID."""
    if isinstance(layer, Conv):
        return (layer.groups == 1 and layer.table is None and layer.dilation == (1, 1)
                and layer.kernel[0] == layer.kernel[1] and layer.stride[0] == layer.stride[1]
                and not isinstance(layer.padding, tuple))
    if isinstance(layer, Pool):
        return (not layer.trainable and not layer.ceil and layer.kernel[0] == layer.kernel[1]
                and layer.stride[0] == layer.stride[1] and not isinstance(layer.padding, tuple))
    return isinstance(layer, (Dense, BatchNorm, Flatten, Dropout))


def prepare(network: Network, family_id: str, kinds: Sequence[type], fix: str,
            keep: Sequence[type] = ()) -> Network:
    """The network as a family's stems list it: ReLU and softmax left out (applied in place, not asked about), and
    dropout and flatten too unless ``keep`` names them; every other layer one of ``kinds`` that the stems can word
    (``_describable``), and unnamed layers named by kind and position (C1, S2, F3, BN4, ...)."""
    kept: list[tuple[int, Layer]] = []
    for i, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Activation) and layer.fn in ("relu", "softmax"):
            continue
        if isinstance(layer, (Dropout, Flatten)) and type(layer) not in keep:
            continue
        if type(layer) not in (*kinds, *keep) or not _describable(layer):
            raise QuizgenError(f"layer {i} of the network ({_kind(layer)}) is not one the {family_id} questions "
                               "describe", fix=fix)
        kept.append((i, layer))
    if network.input.h != network.input.w:
        raise QuizgenError(f"the network's input is {network.input.h}x{network.input.w}",
                           fix="use a square input, e.g. 32x32x3")
    if not kept:
        raise QuizgenError("the network has no layers", fix="write e.g. " + NETWORK_EXAMPLE)
    layers = tuple(layer if layer.name else replace(layer, name=f"{LETTERS[type(layer)]}{k}")  # type: ignore
                   for k, (_, layer) in enumerate(kept, start=1))
    return replace(network, layers=layers)


def windows(network: Network, family_id: str, fix: str, dilated: bool = False) -> Network:
    """The conv and pooling layers of a network before its first fully connected one (that one, and what follows,
    sees the whole input); batch norm, activations and dropout change no size or field and are left out. At least
    two, square, named C1, S2, ... by position when unnamed; ``dilated``: dilations allowed."""
    kept: list[Layer] = []
    for i, layer in enumerate(network.layers, start=1):
        if isinstance(layer, (Dense, Flatten, GlobalAvgPool, AdaptiveAvgPool)):
            break
        if isinstance(layer, (Activation, BatchNorm, Dropout)):
            continue
        spread = getattr(layer, "dilation", (1, 1))
        plain = isinstance(layer, Conv) and dilated and spread[0] == spread[1]
        if not (isinstance(layer, (Conv, Pool)) and _describable(replace(layer, dilation=(1, 1)) if plain else layer)):
            raise QuizgenError(f"layer {i} of the network ({_kind(layer)}) is not one the {family_id} questions "
                               "describe", fix=fix)
        kept.append(layer if layer.name else replace(layer, name=f"{LETTERS[type(layer)]}{len(kept) + 1}"))
    if network.input.h != network.input.w:
        raise QuizgenError(f"the network's input is {network.input.h}x{network.input.w}",
                           fix="use a square input, e.g. 64x64x3")
    if len(kept) < 2:
        raise QuizgenError(f"the network has {len(kept)} conv or pooling layer{'s' if len(kept) != 1 else ''} before "
                           "its fc layers", fix="give it at least two conv or pooling layers")
    network = replace(network, layers=tuple(kept))
    count(network)  # a window larger than its input is the engine's one-line error
    return network


def given(params: Params) -> Network | None:
    """The bank entry's own network (its ``network:`` key, made a Network by the loader), if it gives one."""
    network = params.overrides.get("network")
    return network if isinstance(network, Network) else None


def _kind(layer: Layer) -> str:
    if isinstance(layer, Activation):
        return layer.fn
    if isinstance(layer, Pool):
        return "subsample" if layer.trainable else f"{layer.kind}pool"
    return WORDS.get(type(layer), type(layer).__name__.lower())


def count_of(network: Network, kind: type) -> int:
    return sum(isinstance(layer, kind) for layer in network.layers)


def need(network: Network, family_id: str, difficulty: int, wanted: Sequence[tuple[type, int, str]]) -> None:
    """QuizgenError when the network has fewer layers of a kind than the difficulty's questions ask about:
    ``wanted`` lists (kind, at least, words such as 'batch norm layer')."""
    for kind, least, words in wanted:
        have = count_of(network, kind)
        if have < least:
            plural = words if least == 1 else words + "s"
            more = "one" if least - have == 1 else least - have
            raise QuizgenError(f"a {family_id} question at difficulty {difficulty} asks about at least {least} "
                               f"{plural}; the network has {have}", fix=f"add {more} to the network, or use another "
                                                                         "difficulty")


def summable(summed: int, what: str, question: str, fix: str = "use a smaller network") -> None:
    """Refuse a network whose ``summed`` layers (``what``) a question would add up by hand beyond MAX_SUMMED_LAYERS."""
    if summed > MAX_SUMMED_LAYERS:
        raise QuizgenError(f"the network has {summed} {what}; {question} by hand, at most {MAX_SUMMED_LAYERS}",
                           fix=fix)


def difficulties(family_id: str, difficulty: int, allowed: Sequence[int], why: str) -> None:
    """QuizgenError when the entry's difficulty does not ask about a whole network."""
    if difficulty not in allowed:
        listed = ", ".join(map(str, allowed))
        raise QuizgenError(f"{family_id} at difficulty {difficulty} asks about {why}, not a whole network",
                           fix=f"use difficulty {listed} with network:, or remove network:")


def described(network: Network, lang: str) -> list[str]:
    """Each layer of a prepared network in words (``a convolutional layer C1 of 16 filters of 5 × 5 ...``)."""
    path = f"layers/{lang}.j2"
    out = []
    for layer in network.layers:
        if isinstance(layer, BatchNorm):
            out.append(render_block(path, "bn", name=layer.name))
        elif isinstance(layer, Flatten):
            out.append(render_block(path, "flatten", name=layer.name))
        elif isinstance(layer, Dropout):
            out.append(render_block(path, "dropout", name=layer.name, rate=layer.rate))
        else:
            out.append(layerkit.describe(layer, lang))  # type: ignore[arg-type]
    return out


def conventions(network: Network, lang: str) -> str:
    """The sentence defining SAME and/or VALID when a layer of the network uses them ("" otherwise)."""
    return layerkit.conventions([layer.padding for layer in network.layers if isinstance(layer, (Conv, Pool))], lang)
