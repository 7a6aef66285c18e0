"""``quizgen sample``: generate one problem and print all of it (stem, answers, distractors, solution)."""

from __future__ import annotations

from typing import Any

import click

from quizgen.commands.writers import lenient_option, warn

WIDTH = 96


class SampleCommand(click.Command):
    """``quizgen sample FAMILY --help`` ends with FAMILY's parameters, as ``quizgen params FAMILY`` lists them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from quizgen.problems import family_ids

        ctx.meta["sample_family"] = next((a for a in args if a in family_ids()), None)
        ctx.meta["sample_lang"] = "it" if any(a in ("--lang=it",) for a in args) or \
            any(a == "--lang" and b == "it" for a, b in zip(args, args[1:], strict=False)) else "en"
        return super().parse_args(ctx, args)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        fid = ctx.meta.get("sample_family")
        if fid is None:
            formatter.write_paragraph()
            formatter.write_text("With FAMILY (quizgen sample FAMILY --help) this help ends with the family's "
                                 "parameters; quizgen params lists them for every family.")
            return
        from quizgen.problems import family
        from quizgen.render.parameters import text

        formatter.write_paragraph()
        formatter.write(text(family(fid), ctx.meta.get("sample_lang", "en")))


@click.command(cls=SampleCommand,
               short_help="Print one problem: stem, answers, distractors with misconceptions, worked solution.")
@click.argument("family", required=False)
@click.option("--seed", type=int, default=None, help="Seed of the problem (default 1; a bank's seed with --bank).")
@click.option("--difficulty", "-d", type=int, default=None, help="Difficulty 1-3 (default 1, or the bank entry's).")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language (default en, or the bank's).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter override as in a bank: f=5, f=[3,5,7], W={min: 8, max: 32}; network=SPEC (a built-in "
                   "name, a spec or a file) for a family that asks about a whole network. Repeatable.")
@click.option("--id", "problem_id", default=None, help="Regenerate the problem with this id (e.g. conv-conv.d2.s42).")
@click.option("--bank", default=None, help="Take difficulty and overrides from this bank's entry for FAMILY.")
@click.option("--entry", type=int, default=None, help="With --bank: the entry number (1-based) instead of FAMILY.")
@lenient_option()
def command(family: str | None, seed: int | None, difficulty: int | None, lang: str | None,
            params: tuple[str, ...], problem_id: str | None, bank: str | None, entry: int | None,
            lenient: bool) -> None:
    """Generate one problem and print it: title, stem, each part with its answer, unit and tolerance,
    the distractors with the misconception behind each, the options of a choice question, the worked
    solution and the problem's id (which regenerates it).

    \b
    Examples:
      quizgen sample conv-conv --difficulty 2 --lang it --seed 7
      quizgen sample input-conv -p f=5 -p "W=[28, 32]"
      quizgen sample macs -d 3 -p "network=32x32x3 > conv 16 5 p=2 > maxpool 2 > fc 10"
      quizgen sample --bank lecture --entry 3
      quizgen sample --id input-conv.d2.s42
    """
    problem = make_problem(family, seed, difficulty, lang, params, problem_id, bank, entry, lenient)
    click.echo(describe(problem))


def _parse_params(items: tuple[str, ...]) -> dict[str, Any]:
    import yaml

    from quizgen.errors import QuizgenError

    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QuizgenError(f"--param {item!r} is not NAME=VALUE", where="option --param",
                               fix="write e.g. --param f=5 or --param 'f=[3, 5]'")
        if name.strip() == "network":  # a built-in name, a file or a spec, as a bank's network: takes it
            out["network"] = value.strip()
            continue
        try:
            out[name.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            raise QuizgenError(f"--param {item!r}: the value is not a number, a list or a range",
                               where="option --param", fix="write e.g. f=5, f=[3,5] or 'W={min: 8, max: 32}'") from None
    return out


def make_problem(family: str | None, seed: int | None, difficulty: int | None, lang: str | None,
                 param_items: tuple[str, ...], problem_id: str | None, bank_name: str | None, entry: int | None,
                 lenient: bool = False):  # noqa: ANN201
    """The problem the options describe (QuizgenError, with the option at fault, for a bad combination)."""
    from quizgen.bank import load
    from quizgen.bank.params import check_params
    from quizgen.errors import QuizgenError
    from quizgen.nets.layers import Network
    from quizgen.problems import family as get_family
    from quizgen.problems import generate, id_params_key, id_shape, params_key, parse_problem_id

    params = _parse_params(param_items)
    shape = id_shape(problem_id) if problem_id is not None else None
    if problem_id is not None:
        fid, id_difficulty, id_seed = parse_problem_id(problem_id)
        if family is not None and family != fid:
            raise QuizgenError(f"the id {problem_id} is of family {fid}, not {family}", where="option --id",
                               fix="give only --id")
        family, difficulty, seed = fid, id_difficulty, id_seed
    bank = None
    if bank_name is not None:
        from quizgen.bank.load import load_bank

        bank = load_bank(bank_name, lang=lang, lenient=lenient)
        warn(bank)
        chosen = _bank_entry(bank, family, entry, problem_id)
        family = chosen.family
        difficulty = difficulty if difficulty is not None else chosen.difficulty
        params = {**chosen.params, **params}
        lang = bank.lang
        from quizgen.bank.draw import draw_of

        first = draw_of(chosen, bank.seed, 0, bank.lang)
        if problem_id is None:  # the entry's kind of question, as its versions ask it
            shape = first.shape
        if seed is None:
            seed = first.seed
    elif entry is not None:
        raise QuizgenError("--entry needs --bank", where="option --entry", fix="add --bank BANK")
    if family is None:
        raise QuizgenError("which family?", where="quizgen sample",
                           fix="give FAMILY (see quizgen families), --id or --bank")
    fam = get_family(family)
    difficulty = 1 if difficulty is None else difficulty
    lang = lang or "en"
    spec = _own_spec(fam, params)
    own = spec is not None or isinstance(params.get("network"), Network)  # -p network=..., or the bank entry's
    if own and difficulty in fam.difficulties:
        _replaced(fam, params, lenient)
    if param_items and difficulty in fam.difficulties:
        try:
            ignored = check_params(fam, {k: v for k, v in params.items() if not isinstance(v, Network)}, difficulty,
                                   lenient=lenient)
        except QuizgenError as exc:
            raise exc.located("option --param") from None
        for exc in ignored:
            click.echo(f"warning: {load.ignored('option --param', exc.message, exc.fix)}", err=True)
    if spec is not None and difficulty in fam.difficulties:
        params["network"] = _own_network(fam, spec, difficulty, params, lang)
    if problem_id is not None and params_key(params) != id_params_key(problem_id):
        raise QuizgenError(f"the id {problem_id} does not match the parameter overrides given",
                           where="option --id", fix="give the bank it came from with --bank, or the same --param")
    problem = generate(family, seed=1 if seed is None else seed, difficulty=difficulty, lang=lang, params=params,
                       shape=shape)
    if bank is not None:  # the entry's own title, note, exclusions and the bank's source, as its outputs show it
        from quizgen.bank.tailor import tailored

        return tailored(problem, chosen)
    return problem


def _own_spec(fam: Any, params: dict[str, Any]) -> str | None:
    """The own network that ``-p network=...`` gives (taken out of ``params``), or None. Where the family declares a
    parameter ``network`` (memory's and training-memory's built-in networks at difficulty 1), a value it takes (a name
    of its list, or a list of them) is that parameter, as before; any other value is an own network."""
    import yaml

    spec = params.get("network")
    if not isinstance(spec, str):
        return None
    if "network" in fam.parameters:
        try:
            value = yaml.safe_load(spec)
        except yaml.YAMLError:
            value = None
        if isinstance(value, list) or fam.parameters["network"].kind.check(value):
            params["network"] = value
            return None
    return params.pop("network")


def _replaced(fam: Any, params: dict[str, Any], lenient: bool) -> None:
    """The overrides an own network replaces refused, as in a bank; with ``--lenient`` left out, each with a warning
    and the fix."""
    from quizgen.bank.load import ignored
    from quizgen.nets.layers import Network
    from quizgen.problems.own import drop_replaced, replaced, replaced_error

    if fam.own_network is None:
        return  # _own_network says which families take one
    names = replaced(fam.id, [name for name, value in params.items() if not isinstance(value, Network)])
    if names and not lenient:
        raise replaced_error(names).located("option --param")
    for _, exc in drop_replaced(params, names):
        click.echo(f"warning: {ignored('option --param', exc.message, exc.fix)}", err=True)


def _own_network(fam: Any, spec: str, difficulty: int, params: dict[str, Any], lang: str) -> Any:
    """``-p network=SPEC``: the family's questions about that network, checked as a bank entry's ``network:``."""
    from pathlib import Path

    from quizgen.bank.networks import entry_network
    from quizgen.errors import QuizgenError
    from quizgen.problems import families

    if fam.own_network is None:
        raise QuizgenError(f"network: is for the questions about a whole network, not {fam.id}",
                           where="option --param", fix="use it with family: " + ", ".join(
                               f.id for f in families() if f.own_network))
    try:
        return entry_network(spec, Path.cwd(), fam.id, difficulty, params, lang)
    except QuizgenError as exc:
        raise exc.located("option --param") from None


def _bank_entry(bank: Any, family: str | None, entry: int | None, problem_id: str | None) -> Any:
    from quizgen.errors import QuizgenError
    from quizgen.problems import id_params_key, params_key

    if entry is not None:
        if not 1 <= entry <= len(bank.entries):
            raise QuizgenError(f"{bank.path} has {len(bank.entries)} entries, not {entry}", where="option --entry",
                               fix=f"use 1 to {len(bank.entries)}")
        chosen = bank.entries[entry - 1]
        if family is not None and chosen.family != family:
            raise QuizgenError(f"entry {entry} of {bank.path} is {chosen.family}, not {family}",
                               where="option --entry", fix="give either FAMILY or --entry")
        return chosen
    if family is None:
        raise QuizgenError("which entry of the bank?", where="option --bank", fix="give FAMILY, --entry N or --id")
    candidates = [e for e in bank.entries if e.family == family]
    if problem_id is not None:
        suffix = id_params_key(problem_id)
        candidates = [e for e in candidates if params_key(e.params) == suffix] or candidates
    if not candidates:
        raise QuizgenError(f"{bank.path} has no entry of family {family}", where="option --bank",
                           fix="families in it: " + ", ".join(dict.fromkeys(e.family for e in bank.entries)))
    return candidates[0]


# --- printing ---------------------------------------------------------------------------------


NBSP = "\u00a0"


def _plain(text: str) -> str:
    """Plain text of rich text, with short math kept on one line (long math may break after '=')."""
    from quizgen.text.richtext import math_to_plain, segments

    out = []
    for kind, content in segments(text):
        if kind == "text":
            out.append(content)
            continue
        math = math_to_plain(content).replace(" ", NBSP)
        if len(math) > WIDTH // 2:  # a long chain may break after an '='
            math = math.replace(f"{NBSP}={NBSP}", f"{NBSP}= ")
        out.append(math if kind == "math" else f"\n    {math}\n")
    return "".join(out)


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Plain text of rich text, wrapped to WIDTH, each source line kept as a line."""
    import textwrap

    lines = []
    head = indent if first is None else first
    for k, line in enumerate(_plain(text).splitlines()):
        if not line.strip():
            lines.append("")
            continue
        lines.append(textwrap.fill(line.strip(), WIDTH, initial_indent=head if k == 0 else indent,
                                   subsequent_indent=indent, break_on_hyphens=False).replace(NBSP, " "))
    return "\n".join(lines).rstrip()


def number(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """A number as printed in the terminal: groups of thousands, the part's decimals, the language's comma."""
    from quizgen.text import numbers

    return numbers.plain(value, decimals or None, lang)


def _table_lines(columns: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [list(columns), *rows]) for i in range(len(columns))]
    out = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    out.append("  " + "  ".join("-" * w for w in widths))
    out += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def describe(problem: Any) -> str:
    """Everything about a problem, as terminal text in the problem's language."""
    from quizgen.text import numbers
    from quizgen.text.richtext import to_plain
    from quizgen.text.templating import text

    lang = problem.lang
    t = lambda key, **ctx: text(lang, key, **ctx)  # noqa: E731
    out = [t("sample_header", family=problem.family, difficulty=problem.difficulty, language=lang, seed=problem.seed)]
    title = to_plain(problem.title)
    out += [title, "=" * len(title), "", _wrap(problem.stem)]
    if problem.table is not None:
        table = problem.table
        blanks = set(table.blanks)
        rows = [[t("sample_blank") + f" [cell-{r}-{c}]" if (r, c) in blanks else to_plain(cell)
                 for c, cell in enumerate(row)] for r, row in enumerate(table.rows)]
        out += ["", t("sample_table") + (": " + to_plain(table.caption) if table.caption else "")]
        out += _table_lines(tuple(to_plain(c) for c in table.columns), rows)
    if problem.connection_table is not None:
        out += ["", t("sample_connection_table")]
        n_out = len(problem.connection_table[0]) if problem.connection_table else 0
        rows = [[str(i), *("X" if x else "·" for x in row)] for i, row in enumerate(problem.connection_table)]
        out += _table_lines(("", *(str(j) for j in range(n_out))), rows)
    if problem.parts:
        out += ["", t("sample_parts")]
        for k, part in enumerate(problem.parts, 1):
            out.append(_wrap(part.label, "     ", f"  {k}. "))
            answer = numbers.with_unit(number(part.answer, part.decimals, problem.lang), part.unit, problem.lang)
            if part.tolerance:
                answer += f"   ({t('sample_tolerance', tolerance=number(part.tolerance, None, problem.lang))})"
            out.append(f"     {t('sample_answer')}: {answer}   [{part.key}]")
            if part.distractors:
                out.append(f"     {t('sample_distractors')}:")
                for d in part.distractors:
                    head = f"       - {d.misconception} → {number(d.value, part.decimals, problem.lang)}: "
                    out.append(_wrap(d.feedback, " " * 9, head))
            else:
                out.append(f"     {t('sample_no_distractors')}")
    if problem.choices:
        heading = t("sample_choices") + (f" ({t('sample_multiple')})" if problem.multiple else "")
        out += ["", heading]
        for k, choice in enumerate(problem.choices):
            mark = "[x]" if choice.correct else "[ ]"
            out.append(_wrap(choice.text, " " * 9, f"  {mark} {chr(65 + k)}. "))
            why = f"({t('sample_correct')}) " if choice.correct else (
                f"({choice.misconception}) " if choice.misconception else "")
            out.append(_wrap(choice.feedback, " " * 9, " " * 9 + "→ " + why))
    if problem.solution:
        out += ["", t("sample_solution")]
        for k, step in enumerate(problem.solution, 1):
            out.append(_wrap(step.text, "     ", f"  {k}. "))
            if step.math:
                out.append(_wrap(f"${step.math}$", " " * 9, " " * 7))
    if problem.hint:
        out += ["", _wrap(problem.hint, "  ", t("sample_hint") + ": ")]
    if problem.params:
        # an entry's own network is shown as the bank gives it (its spec, name or file), not as its whole value
        out += ["", t("sample_params") + ": " + ", ".join(f"{k}={getattr(v, 'name', v) if k == 'network' else v}"
                                                           for k, v in problem.params)]
    out += ["", f"{t('sample_id')}: {problem.id}"]
    return "\n".join(out)
