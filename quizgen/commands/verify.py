"""``quizgen verify``: confirm generated answers with PyTorch (build the network, count, run zeros)."""

from __future__ import annotations

import click


@click.command(short_help="Confirm many problems' answers with PyTorch (optional extra).")
@click.argument("bank", required=False)
@click.option("--family", "families", multiple=True, metavar="F",
              help="Check this family (repeatable); default: every family, or the BANK's entries.")
@click.option("-n", "n", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Problems per family (per entry with a BANK).")
@click.option("--seed", type=int, default=None, help="Seed of the draws (default 0; a BANK's own seed).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda", "meta"]), default="auto", show_default=True,
              help="Where torch runs the networks (auto: CUDA when available; meta: torch's shape functions "
                   "only, no arithmetic, fastest).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that draw (on the CPU also check) problems; 0: one per core from 2,000 problems.")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language of the table (and problems).")
def command(bank: str | None, families: tuple[str, ...], n: int, seed: int | None, device: str, jobs: int,
            lang: str | None) -> None:
    """Draw N problems per family (or per entry of BANK), rebuild each problem's network in
    PyTorch and recompute every asked quantity from torch's own counts and shapes; print a table
    and every disagreement. Exit status 1 on any disagreement, 2 without torch.

    \b
    Examples:
      quizgen verify                              # every family, 1000 problems each
      quizgen verify --family lenet5 --family alexnet -n 200 --device cpu
      quizgen verify lecture -n 50                # the entries of a bank
      quizgen verify --device cuda -n 10000       # the full sweep on a GPU
    """
    from quizgen.errors import QuizgenError
    from quizgen.verify import sweep
    from quizgen.verify.torch_check import require_torch, resolve_device

    torch = require_torch("quizgen verify")
    device = resolve_device(device)
    if bank and families:
        raise QuizgenError("a BANK and --family together", where="--family",
                           fix="give either a bank or one or more families")
    if bank:
        from quizgen.bank.load import load_bank

        loaded = load_bank(bank, lang)
        lang = lang or loaded.lang
        rows = sweep.bank_rows(loaded, n, seed, lang)
        seed = loaded.seed if seed is None else seed
    else:
        lang = lang or "en"
        seed = 0 if seed is None else seed
        rows = sweep.family_rows(_families(families, lang), n, seed, lang)
    total = sum(len(r.tasks) for r in rows)
    sweep.run(rows, device, jobs or sweep.auto_jobs(total))
    where = f"{device} ({torch.cuda.get_device_name()})" if device.startswith("cuda") else device
    click.echo(_table(rows, lang, where, torch.__version__, n, seed), nl=False)
    if any(r.disagreements for r in rows):
        raise SystemExit(1)


def _families(asked: tuple[str, ...], lang: str) -> list[str]:
    """The asked families (unknown or missing: QuizgenError), or every family whose module is installed."""
    import importlib

    from quizgen.errors import QuizgenError
    from quizgen.problems import FAMILY_MODULES, family
    from quizgen.text.templating import text

    if asked:
        for fid in asked:
            try:
                family(fid)
            except ModuleNotFoundError as exc:
                raise QuizgenError(f"family '{fid}' is not available ({exc.name} is missing)",
                                   where="--family", fix="see 'quizgen families'") from None
            except QuizgenError as exc:
                raise exc.located("--family") from None
        return list(dict.fromkeys(asked))
    found = []
    for fid, module in FAMILY_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            click.echo(text(lang, "verify_missing_family", family=fid, module=module), err=True)
            continue
        found.append(fid)
    return found


def _table(rows: list, lang: str, device: str, version: str, n: int, seed: int) -> str:
    """The table (family, checked, agreed, no network, networks, time), totals, then each disagreement."""
    from quizgen.text.numbers import plain
    from quizgen.text.templating import text

    def t(key: str, **kw: object) -> str:
        return text(lang, key, **kw)

    def secs(s: float) -> str:
        return t("verify_seconds", seconds=plain(s, 2, lang))

    def count(value: float) -> str:
        return plain(value, 0, lang)

    head = [t(f"verify_col_{c}") for c in ("family", "checked", "agreed", "no_network", "networks", "time")]
    body = [[r.name, count(r.checked), count(r.agreed), count(r.no_network), count(r.networks), secs(r.seconds)]
            for r in rows]
    checked = sum(r.checked for r in rows)
    seconds = sum(r.seconds for r in rows)
    networks = sum(r.networks for r in rows)
    body.append([t("verify_total"), count(checked), count(sum(r.agreed for r in rows)),
                 count(sum(r.no_network for r in rows)), count(networks), secs(seconds)])
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]

    def fmt(line: list[str]) -> str:
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    out = [t("verify_title", version=version, device=device, n=count(n), seed=seed), "", fmt(head),
           "  ".join("-" * w for w in widths)]
    out += [fmt(line) for line in body[:-1]]
    out += ["  ".join("-" * w for w in widths), fmt(body[-1]), ""]
    problems = checked + sum(r.no_network for r in rows)
    rate = count(problems / seconds) if seconds > 0 else "-"
    out.append(t("verify_rate", networks=count(networks), rate=rate))
    found = [d for r in rows for d in r.disagreements]
    if found:
        out += ["", t("verify_disagreements", count=len(found))] + [f"  {d}" for d in found]
    else:
        out.append(t("verify_ok"))
    return "\n".join(out) + "\n"
