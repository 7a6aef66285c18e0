"""Training memory: parameters, gradients, optimizer state, buffers and activations; the largest batch that fits.

Training keeps, in one dtype of b bytes: the P parameters, one gradient per parameter, the optimizer's state (SGD
with momentum k = 1 value per parameter, Adam k = 2: its two moments m and v), the U buffers (batch norm's running
mean and variance) and, for the backward pass, the A activations of each of the B inputs of the batch:
b((2 + k)P + U + BA) bytes (``quizgen.nets.footprint``, whose assumptions every stem states).

Difficulty 1: a built-in network (P and U given), trained in one of four dtypes with one of four optimizers: the
memory of the gradients, of the optimizer state, and of everything that does not depend on the batch.
Difficulty 2: a small CNN with batch norm (P, U and A given): the optimizer state, the activations of a batch and
the whole training memory.
Difficulty 3: the same CNN: the memory that does not depend on the batch and the largest batch that fits in a GPU
(the lecture's exercise, taken to training).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.builtin import builtin
from quizgen.nets.engine import count
from quizgen.nets.footprint import DTYPE_BYTES, OPTIMIZERS
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import BatchNorm, Conv, Dense, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, redraw, step
from quizgen.problems.measures import UNITS, Measure, Total, diff, floordiv, in_bytes, in_unit, mul, sum_of
from quizgen.problems.model import Content, Part
from quizgen.problems.own import conventions, described, given, prepare
from quizgen.problems.params import Kind, Param, Parameters, Params, one_of, whole
from quizgen.text.templating import text, text_keys

ID = "training-memory"

formulas.register("training.gradients", "P*b/u", r"\frac{[P] \times [b]}{[u]}")
formulas.register("training.state", "k*P*b/u", r"\frac{[k] \times [P] \times [b]}{[u]}")
formulas.register("training.static", "b*((2 + k)*P + U)/u", r"\frac{[b] \times ((2 + [k]) \times [P] + [U])}{[u]}")
formulas.register("training.activations", "B*A*b/u", r"\frac{[B] \times [A] \times [b]}{[u]}")
formulas.register("training.total", "b*((2 + k)*P + U + B*A)/u",
                  r"\frac{[b] \times ((2 + [k]) \times [P] + [U] + [B] \times [A])}{[u]}")
formulas.register("training.max_batch", "floor((M - b*((2 + k)*P + U))/(b*A))",
                  r"\left\lfloor \frac{[M] - [b] \times ((2 + [k]) \times [P] + [U])}{[b] \times [A]} \right\rfloor")

NAMED = ("lenet5-modern", "alexnet", "alexnet-2012", "alexnet-torchvision", "vgg16", "vgg16-bn", "vgg19", "resnet18",
         "resnet50", "mobilenet-v2", "googlenet", "densenet121", "unet")
# optimizers with state: SGD with momentum and RMSprop keep 1 value per parameter, Adam and AdamW 2
TRAINERS = ("sgd-momentum", "rmsprop", "adam", "adamw")
DTYPES = ("float32", "float16", "bfloat16", "float64")

_W = Kind(lambda v: whole(8).check(v) and v % 4 == 0, {"en": "a multiple of 4, 8 or more",
                                                         "it": "un multiplo di 4, da 8 in su"})

PARAMETERS = Parameters(
    Param("optimizer",
          "sgd-momentum or rmsprop (1 value of state per parameter), adam or adamw (2: the moments m and v)",
          "sgd-momentum o rmsprop (1 valore di stato per parametro), adam o adamw (2: i momenti m e v)",
          one_of(*TRAINERS), default={1: TRAINERS, 2: ("sgd-momentum", "adam"), 3: ("sgd-momentum", "adam")}),
    Param("dtype", "the dtype of every value (float32: 4 bytes, float16 and bfloat16: 2, float64: 8)",
          "il dtype di ogni valore (float32: 4 byte, float16 e bfloat16: 2, float64: 8)", one_of(*DTYPES),
          default=DTYPES, difficulties=(1,)),
    Param("unit", "MB (10^6 bytes) or MiB (2^20 bytes)", "MB (10^6 byte) o MiB (2^20 byte)", one_of("MB", "MiB"),
          default=("MB", "MiB")),
    Param("network", "the built-in network trained", "la rete predefinita da addestrare", one_of(*NAMED),
          default=NAMED, difficulties=(1,)),
    Param("batch", "mini-batch size B", "dimensione B del mini-batch", whole(1), default={2: (16, 32, 64, 128)},
          difficulties=(2,)),
    Param("gpu", "GPU memory, in gpu_unit", "memoria della GPU, in gpu_unit", whole(1),
          default={3: (2, 4, 8, 12, 16)}, difficulties=(3,)),
    Param("gpu_unit", "GB or GiB for the GPU memory", "GB o GiB per la memoria della GPU", one_of("GiB", "GB"),
          default={3: ("GiB", "GB")}, difficulties=(3,)),
    Param("W", "input width and height of the CNN (two 2×2 poolings)",
          "larghezza e altezza dell'input della CNN (due pooling 2×2)", _W,
          default={2: (32, 64, 96, 128), 3: (96, 128, 160, 224)}, difficulties=(2, 3)),
    Param("C", "input channels of the CNN", "canali dell'input della CNN", whole(1), default=(1, 3),
          difficulties=(2, 3)),
    Param("N1", "filters of C1", "filtri di C1", whole(1), default={2: (16, 32, 64), 3: (32, 48, 64)},
          difficulties=(2, 3)),
    Param("N3", "filters of C3", "filtri di C3", whole(1), default={2: (32, 64, 128), 3: (64, 96, 128)},
          difficulties=(2, 3)),
    Param("F", "nodes of the hidden fully connected layer F5", "nodi del layer fully connected nascosto F5",
          whole(1), default={2: (128, 256, 512), 3: (64, 128, 256)}, difficulties=(2, 3)),
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws at difficulty 1: network (the entry's own counts once), optimizer, dtype and unit (each gives
    its own question)."""
    if difficulty != 1:
        return None
    own = isinstance(overrides.get("network"), Network)
    a = PARAMETERS.allowed({k: v for k, v in overrides.items() if not (own and k == "network")}, difficulty)
    return (1 if own else len(a["network"])) * len(a["optimizer"]) * len(a["dtype"]) * len(a["unit"])


def bn_cnn(w: int, c: int, n1: int, n3: int, f: int) -> Network:
    """conv 3x3 p=1 (no bias) > bn > maxpool 2 > conv 3x3 p=1 (no bias) > bn > maxpool 2 > fc F > fc 10."""
    layers = (Conv(n1, (3, 3), (1, 1), 1, bias=False, name="C1"), BatchNorm(name="BN1"),
              Pool("max", (2, 2), (2, 2), name="S2"), Conv(n3, (3, 3), (1, 1), 1, bias=False, name="C3"),
              BatchNorm(name="BN3"), Pool("max", (2, 2), (2, 2), name="S4"), Dense(f, name="F5"), Dense(10, name="Out"))
    return Network(Input(w, w, c), layers, name="bn-cnn", title="CNN")


def _memory_part(key: str, label: str, q: Quantity, kind: str, ctx: dict[str, Any], lang: str, unit: str,
                 measure: Measure) -> Part:
    """A memory in ``unit`` with the catalogue's training mistakes, MB/MiB swapped and bits for bytes."""
    value = q.value
    other = "MiB" if unit == "MB" else "MB"
    extra = (("mb-vs-mib", Fraction(value * UNITS[unit], UNITS[other])), ("bits-vs-bytes", value * 8))
    return numeric_part(key, label, q, kind, {**ctx, "unit": unit, "bytes": value * UNITS[unit]}, lang, unit=unit,
                        decimals=2, extra=extra, measure=measure)


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    builder = {1: _static, 2: _batch_memory, 3: _max_batch}[difficulty]

    def attempt() -> Content | None:
        return builder(t, lang, params)

    return redraw(attempt)


def _common(params: Params, t: Text, difficulty: int) -> tuple[str, int, str, int, str]:
    """The optimizer, its k values of state per parameter, the dtype (drawn at difficulty 1, else float32), its b
    bytes and the unit asked for."""
    optimizer = params.draw("optimizer")
    unit = params.draw("unit")
    dtype = params.draw("dtype") if difficulty == 1 else "float32"
    return optimizer, OPTIMIZERS[optimizer], dtype, DTYPE_BYTES[dtype], unit


def _state_ctx(nc: Any, optimizer: str, k: int, b: int) -> dict[str, Any]:
    return {"params": nc.parameters, "buffers": nc.buffers, "optimizer": optimizer, "state_k": k, "dtype_bytes": b}


def _small(params: Params) -> Network:
    """The CNN of difficulties 2-3 (at 3, images and maps whose activations fill a GPU in tens of inputs), or the
    bank entry's own network."""
    network = given(params)
    if network is not None:
        return network
    return bn_cnn(params.draw("W"), params.draw("C"), params.draw("N1"), params.draw("N3"), params.draw("F"))


def _static_quantities(nc: Any, k: int, b: int, unit: str) -> tuple[Quantity, Quantity, Quantity]:
    p, u, n = nc.parameters, nc.buffers, UNITS[unit]
    gradients = formulas.quantity(Fraction(p * b, n), "training.gradients", ID, P=p, b=b, u=n)
    state = formulas.quantity(Fraction(k * p * b, n), "training.state", ID, k=k, P=p, b=b, u=n)
    static = formulas.quantity(Fraction(b * ((2 + k) * p + u), n), "training.static", ID, b=b, k=k, P=p, U=u, u=n)
    return gradients, state, static


def _static_measure(k: int, unit: str, dtype: str = "float32") -> Measure:
    return in_unit(in_bytes(sum_of(mul(Total("params"), 2 + k), Total("buffers")), dtype), unit)


def _stem(t: Text, block: str, nc: Any, optimizer: str, unit: str, **more: Any) -> str:
    return t(block, optimizer=optimizer, unit=unit, P=nc.parameters, U=nc.buffers, A=nc.activations, **more)


def _static(t: Text, lang: str, params: Params) -> Content | None:
    optimizer, k, dtype, b, unit = _common(params, t, 1)
    network = given(params)
    name = params.draw("network") if network is None else network.name
    if network is None:
        network = builtin(name)
    nc = count(network)
    gradients, state, static = _static_quantities(nc, k, b, unit)
    ctx = {**_state_ctx(nc, optimizer, k, b), "dtype": dtype}
    parts = [
        _memory_part("gradients", t("part_gradients", unit=unit), gradients, "training.gradients", ctx, lang, unit,
                     in_unit(in_bytes(Total("params"), dtype), unit)),
        _memory_part("state", t("part_state", unit=unit, optimizer=optimizer), state, "training.state", ctx, lang, unit,
                     in_unit(in_bytes(mul(Total("params"), k), dtype), unit)),
        _memory_part("static", t("part_static", unit=unit), static, "training.memory", ctx, lang, unit,
                     _static_measure(k, unit, dtype)),
    ]
    if any(not p.distractors for p in parts):
        return None
    steps = [step(t("step_gradients", unit=unit, b=b), gradients, r"M_{\mathrm{grad}}", lang),
             step(t("step_state", optimizer=optimizer, k=k), state, r"M_{\mathrm{opt}}", lang),
             step(t("step_static", buffers=nc.buffers), static, r"M_{\mathrm{static}}", lang)]
    # a built-in network by its display name in the question's language; a network file by its title
    shown = t("network", name=name) if name in NAMED else text(lang, f"network.{name}") if (
        f"network.{name}" in text_keys(lang)) else network.title or t("own")
    stem = _stem(t, "stem", nc, optimizer, unit, difficulty=1, network=shown, dtype=dtype, b=b)
    return _content(t, lang, stem, parts, steps, network)


def _batch_memory(t: Text, lang: str, params: Params) -> Content | None:
    optimizer, k, dtype, b, unit = _common(params, t, 2)
    batch = params.draw("batch")
    network = _small(params)
    nc = count(network)
    p, u, a, n = nc.parameters, nc.buffers, nc.activations, UNITS[unit]
    _, state, _ = _static_quantities(nc, k, b, unit)
    acts = formulas.quantity(Fraction(batch * a * b, n), "training.activations", ID, B=batch, A=a, b=b, u=n)
    whole = formulas.quantity(Fraction(b * ((2 + k) * p + u + batch * a), n), "training.total", ID, b=b, k=k, P=p, U=u,
                              B=batch, A=a, u=n)
    ctx = {**_state_ctx(nc, optimizer, k, b), "activations": a, "batch": batch}
    parts = [
        _memory_part("state", t("part_state", unit=unit, optimizer=optimizer), state, "training.state", ctx, lang, unit,
                     in_unit(in_bytes(mul(Total("params"), k), "float32"), unit)),
        _memory_part("activations", t("part_activations", unit=unit), acts, "training.activations", ctx, lang, unit,
                     in_unit(in_bytes(mul(Total("activations"), batch), "float32"), unit)),
        _memory_part("total", t("part_total", unit=unit), whole, "training.memory", ctx, lang, unit,
                     in_unit(in_bytes(sum_of(mul(Total("params"), 2 + k), Total("buffers"),
                                             mul(Total("activations"), batch)), "float32"), unit)),
    ]
    if any(not p.distractors for p in parts) or len(parts[-1].distractors) < 2:
        return None
    steps = [step(t("step_state", optimizer=optimizer, k=k), state, r"M_{\mathrm{opt}}", lang),
             step(t("step_activations", batch=batch), acts, r"M_{\mathrm{act}}", lang),
             step(t("step_total"), whole, "M", lang)]
    stem = _stem(t, "stem", nc, optimizer, unit, difficulty=2, batch=batch, W=network.input.h, C=network.input.c,
                 layers=_layers(nc, params, lang), conventions=conventions(network, lang))
    return _content(t, lang, stem, parts, steps, network)


def _max_batch(t: Text, lang: str, params: Params) -> Content | None:
    optimizer, k, dtype, b, unit = _common(params, t, 3)
    gpu_unit = params.draw("gpu_unit")
    gpu = params.draw("gpu")
    network = _small(params)
    nc = count(network)
    p, u, a = nc.parameters, nc.buffers, nc.activations
    m = gpu * UNITS[gpu_unit]
    fixed = b * ((2 + k) * p + u)
    if m <= fixed or (m - fixed) // (b * a) < 2:
        if given(params) is not None:
            _no_gpu_fits(params, fixed, b * a)
        return None
    _, _, static = _static_quantities(nc, k, b, unit)
    best = formulas.quantity((m - fixed) // (b * a), "training.max_batch", ID, M=m, b=b, k=k, P=p, U=u, A=a)
    ctx = {**_state_ctx(nc, optimizer, k, b), "activations": a, "memory": m, "gpu": gpu, "gpu_unit": gpu_unit}
    gb = gpu * 10**9
    extra = [("forgot-params-memory", m // (b * a))]
    if gpu_unit == "GiB" and gb > fixed:
        extra.append(("gib-vs-gb", (gb - fixed) // (b * a)))
    parts = [
        _memory_part("static", t("part_static", unit=unit), static, "training.memory", _state_ctx(nc, optimizer, k, b),
                     lang, unit, _static_measure(k, unit)),
        numeric_part("batch", t("part_batch"), best, "training.batch", ctx, lang, extra=tuple(extra),
                     measure=floordiv(diff(m, in_bytes(sum_of(mul(Total("params"), 2 + k), Total("buffers")),
                                                         "float32")), in_bytes(Total("activations"), "float32"))),
    ]
    if any(len(p.distractors) < 2 for p in parts):
        return None
    steps = [step(t("step_static", buffers=u), static, r"M_{\mathrm{static}}", lang),
             step(t("step_batch", gpu=gpu, gpu_unit=gpu_unit, M=m), best, r"B_{\max}", lang)]
    stem = _stem(t, "stem", nc, optimizer, unit, difficulty=3, gpu=gpu, gpu_unit=gpu_unit, W=network.input.h,
                 C=network.input.c, layers=_layers(nc, params, lang), conventions=conventions(network, lang))
    return _content(t, lang, stem, parts, steps, network)


def _layers(nc: Any, params: Params, lang: str) -> list[dict[str, Any]]:
    """The layers as the stem lists them; a bank's own network's each in full words (``text``)."""
    texts = described(nc.network, lang) if given(params) is not None else [""] * len(nc.layers)
    return [dict(label=lc.label, kind="conv" if isinstance(lc.layer, Conv) else "bn" if isinstance(lc.layer, BatchNorm)
                 else "pool" if isinstance(lc.layer, Pool) else "fc",
                 n=getattr(lc.layer, "filters", getattr(lc.layer, "units", 0)), text=text)
            for lc, text in zip(nc.layers, texts, strict=True)]


def _no_gpu_fits(params: Params, fixed: int, per_input: int) -> None:
    """QuizgenError when no GPU size the entry draws holds a mini-batch of 2 inputs of its own network."""
    for gpu in params.allowed("gpu"):
        for gpu_unit in params.allowed("gpu_unit"):
            m = gpu * UNITS[gpu_unit]
            if m > fixed and (m - fixed) // per_input >= 2:
                return
    least = -(-(fixed + 2 * per_input) // 10**9)
    raise QuizgenError(f"the network needs {fixed:,} bytes before any activation and {per_input:,} per input: no GPU "
                       f"of {', '.join(map(str, params.allowed('gpu')))} {'/'.join(params.allowed('gpu_unit'))} holds "
                       "a mini-batch of 2", fix=f"give params: {{gpu: {least}, gpu_unit: GB}} or more, or a smaller "
                                                "network")


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network: at difficulty 1 any network the engine counts (the stem gives P and U); at 2-3, where
    the stem lists its layers, conv, batch norm, pooling and fc layers."""
    if difficulty == 1:
        if not count(network).parameters:
            raise QuizgenError("the network has no parameters to train", fix="give it conv or fc layers")
        return network
    return prepare(network, ID, (Conv, BatchNorm, Pool, Dense), "use square conv and pooling layers (max or average; "
                   "padding p=N, same or valid), bn and fc layers, e.g. "
                   'network: "32x32x3 > conv 16 3 p=1 nobias > bn > relu > maxpool 2 > fc 10", or difficulty 1 '
                   "(any network)")


def _content(t: Text, lang: str, stem: str, parts: list[Part], steps: list, network: Network) -> Content:
    return Content(title=t("title"), stem=stem, parts=tuple(parts), solution=tuple(steps), network=network,
                   hint=t("hint"), tags=("memory", "training"))


FAMILY = Family(
    id=ID,
    summary={"en": "training memory: parameters, gradients, optimizer state (SGD with momentum, RMSprop, "
                   "Adam, AdamW), buffers and "
                   "activations of a batch; the largest batch that fits in a GPU",
             "it": "memoria per l'addestramento: parametri, gradienti, stato dell'ottimizzatore (SGD con momentum, "
                   "RMSprop, Adam, AdamW), buffer e attivazioni di un mini-batch; il mini-batch più grande che entra "
                   "nella GPU"},
    generate=generate,
    parameters=PARAMETERS,
    space=space_of,
    tags=("memory", "training"),
    own_network=own_network,
)
