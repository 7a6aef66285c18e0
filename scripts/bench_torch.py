"""Benchmark of the reference check: networks verified per second with PyTorch on the CPU.

A network is verified when ``check_network`` has built its torch module, run zeros through it and
compared every layer's parameters and output shape with the engine's. Each network is distinct
(the per-network cache is cleared), so the number is the uncached rate; problems that share an
architecture are faster still. Also times the problems of every installed family.

    .venv/bin/python scripts/bench_torch.py [--networks 300] [--problems 200] [--device cpu]
"""

from __future__ import annotations

import argparse
import importlib
import random
import time

from quizgen.nets.layers import Conv, Dense, Input, Network, Pool
from quizgen.verify import torch_check


def random_network(rng: random.Random) -> Network:
    """A small CNN of the kind the problems use: 1-3 conv (+ pool) blocks, then 1-2 FC layers."""
    from quizgen.errors import QuizgenError
    from quizgen.nets.engine import count

    while True:
        size = rng.choice([28, 32, 48, 64, 96])
        layers: list = []
        for i in range(rng.randint(1, 3)):
            f = rng.choice([1, 3, 5])
            padding = rng.choice([0, 1, "same", "valid"])
            layers.append(Conv(rng.choice([6, 8, 16, 32, 64]), (f, f), (rng.choice([1, 2]),) * 2, padding,
                               name=f"C{i + 1}"))
            if rng.random() < 0.7:
                layers.append(Pool(rng.choice(["max", "avg"]), (2, 2), (2, 2), name=f"P{i + 1}"))
        for j in range(rng.randint(1, 2)):
            layers.append(Dense(rng.choice([10, 84, 120, 256]), name=f"F{j + 1}"))
        network = Network(Input(size, size, rng.choice([1, 3])), tuple(layers), name=f"random-{len(layers)}")
        try:
            count(network)
        except QuizgenError:
            continue  # a kernel larger than its input: draw again
        return network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=300)
    parser.add_argument("--problems", type=int, default=200, help="problems per family (0: skip)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch = torch_check.require_torch("bench_torch")
    device = torch_check.resolve_device(args.device)
    print(f"torch {torch.__version__} on {device}")

    rng = random.Random(args.seed)
    networks = [random_network(rng) for _ in range(args.networks)]
    torch_check.check_network(networks[0], device)  # warm-up: first calls load kernels
    torch_check.clear_cache()
    with torch_check.single_thread(device):
        start = time.perf_counter()
        found = [d for n in networks for d in torch_check.check_network(n, device)]
        seconds = time.perf_counter() - start
    print(f"{len(networks)} distinct random networks ({sum(len(n.layers) for n in networks)} layers) in "
          f"{seconds:.2f} s: {len(networks) / seconds:,.0f} networks verified per second"
          f"{'' if not found else f' ({len(found)} disagreements!)'}")

    from quizgen.nets.builtin import BUILTINS, builtin

    for name in BUILTINS:
        torch_check.clear_cache()
        start = time.perf_counter()
        found = torch_check.check_network(builtin(name), device)
        print(f"  {name:<20} {time.perf_counter() - start:6.3f} s{'' if not found else ' DISAGREES'}")

    if args.problems:
        from quizgen.problems import FAMILY_MODULES
        from quizgen.verify import sweep

        fids = [f for f, m in FAMILY_MODULES.items() if _importable(m)]
        rows = sweep.family_rows(fids, args.problems, args.seed, "en")
        drawn = [[sweep.draw(t) for t in row.tasks] for row in rows]
        torch_check.clear_cache()
        print(f"problems per family: {args.problems} (drawing not timed; cache cleared first)")
        with torch_check.single_thread(device):
            for i, row in enumerate(rows):
                problems = [p for p in drawn[i] if not isinstance(p, str) and p.network is not None]
                start = time.perf_counter()
                found = torch_check.check_problems(problems, device)
                seconds = time.perf_counter() - start
                nets = len({(p.network, p.extra_networks) for p in problems})
                rate = f"{len(problems) / seconds:,.0f} problems/s" if seconds else "-"
                print(f"  {row.name:<12} {len(problems):5d} problems, {nets:5d} networks, {seconds:6.2f} s, "
                      f"{rate}{'' if not found else f', {len(found)} disagreements'}")


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError:
        return False
    return True


if __name__ == "__main__":
    main()
