"""``quizgen solve NETWORK``: per-layer shapes and counts of a network, with worked formulas."""

from __future__ import annotations

import click


@click.command(short_help="Count a network's parameters, shapes and connections, layer by layer.")
@click.argument("network")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "latex"]), default="table",
              show_default=True, help="Output format.")
@click.option("--explain", is_flag=True, help="For each layer, print formula → substitution → result.")
@click.option("--torch", "with_torch", is_flag=True,
              help="Also build the network in PyTorch and print its counts beside the engine's.")
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True,
              help="Inputs per batch, for the activations' memory and the training memory.")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "float64"]), default="float32",
              show_default=True, help="Type of every stored value, for the activations' and the training memory.")
def command(network: str, fmt: str, explain: bool, with_torch: bool, batch: int, dtype: str) -> None:
    """Count NETWORK: a built-in name, a YAML file, or a one-line spec.

    \b
    Built-in: lenet5, lenet5-modern, alexnet, alexnet-2012, alexnet-torchvision, vgg16, vgg16-bn,
    vgg19, resnet18, resnet50, mobilenet-v2, googlenet, densenet121, unet.
    Examples:
      quizgen solve lenet5
      quizgen solve alexnet --explain
      quizgen solve "32x32x1 > conv 6 5 > maxpool 2 > conv 16 5 > maxpool 2 > fc 120 > fc 84 > fc 10"
      quizgen solve net.yaml --format json
      quizgen solve resnet18 --batch 32 --dtype float16
    """
    from quizgen.bank.networks import load_network
    from quizgen.nets.engine import count
    from quizgen.nets.footprint import report
    from quizgen.render import summary

    net = load_network(network)
    nc = count(net)
    rep = report(nc, batch, dtype)
    torch_counts = None
    if with_torch:
        from quizgen.verify.torch_check import require_torch
        from quizgen.verify.torch_check import torch_counts as counts_of

        require_torch()
        torch_counts = counts_of(net)
        if fmt != "table":
            raise click.UsageError("--torch prints a table; use it with --format table")
    if fmt == "table":
        click.echo(summary.as_table(nc, torch_counts, rep), nl=False)
    elif fmt == "json":
        click.echo(summary.as_json(nc, rep), nl=False)
    elif fmt == "csv":
        click.echo(summary.as_csv(nc, rep), nl=False)
    else:
        click.echo(summary.as_latex(nc, rep), nl=False)
    if explain:
        click.echo()
        click.echo(summary.explain(nc, rep), nl=False)
    if torch_counts is not None:
        from quizgen.nets.layers import FeatureMaps

        mismatches = []
        for lc, tc in zip(nc.layers, torch_counts, strict=True):
            shape = lc.output_shape
            engine_shape = (shape.h, shape.w, shape.d) if isinstance(shape, FeatureMaps) else (shape.n,)
            if int(lc.parameters.value) != tc.params:
                mismatches.append(f"{lc.label}: engine {int(lc.parameters.value):,} parameters, torch {tc.params:,}")
            if tuple(tc.output_shape) != engine_shape:
                mismatches.append(f"{lc.label}: engine output {engine_shape}, torch {tuple(tc.output_shape)}")
            buffers = int(lc.buffers.value) if lc.buffers is not None else 0
            if buffers != tc.buffers:
                mismatches.append(f"{lc.label}: engine {buffers:,} buffers, torch {tc.buffers:,}")
        for m in mismatches:
            click.echo(f"disagreement: {m}", err=True)
        if mismatches:
            raise SystemExit(1)
