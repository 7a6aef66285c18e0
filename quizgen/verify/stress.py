"""Stress test of a bank: many draws per entry, and the patterns a student could exploit.

In the spirit of R/exams' ``stresstest_exercise``: for each entry draw ``n`` variants and report how
many distinct variants exist (the family's exact count, or the distinct ones seen), the spread of
each answer, duplicates, and exploitable regularities: answers always round, the correct option of a
choice question not in a uniform position (chi-square test), and, for an entry that ``--style choice``
asks as multiple choice from its mistakes, the answer at the same rank among the offered values in
every version (``precision.choice_offer``: the rank changes wherever mistakes lie on both sides). It also says
whether the versions of an entry are fair side by side (``Fairness``): the same parts, comparable
work, at most one shared answer between two versions, no table blank printed next to it.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from quizgen.bank.draw import entry_draws, entry_space, entry_tolerance, entry_variants, own_network
from quizgen.bank.fair import Fairness, fairness, signature
from quizgen.bank.load import Bank, Entry
from quizgen.bank.tailor import tailored
from quizgen.problems import precision
from quizgen.problems.model import Number, Problem
from quizgen.text import numbers

# a pattern needs this many draws where it could show before it is reported
MIN_SUPPORT = 5
# the correct option's position is reported as not uniform below this chi-square p-value
POSITION_P = 0.001


@dataclass(frozen=True)
class Pattern:
    """An exploitable regularity: ``kind`` (rank, round, position), the part.

    ``rank``: asked as multiple choice, the answer is the ``rank``-th ``side`` ("smallest" or "largest") of the
    offered values in every version."""

    kind: str
    part: str = ""
    p: float | None = None
    rank: int = 0
    side: str = ""


@dataclass(frozen=True)
class PartSpread:
    """The spread of one part's answers over the draws (exact values; median_low keeps them exact)."""

    key: str
    draws: int
    minimum: Number
    median: Number
    maximum: Number
    decimals: int = 0


@dataclass(frozen=True)
class EntryReport:
    """What the stress test found for one bank entry."""

    index: int
    entry: Entry
    draws: int
    distinct: int
    space: int | None
    parts: tuple[PartSpread, ...]
    positions: tuple[tuple[int, tuple[int, ...]], ...]
    chi2: float | None
    position_p: float | None
    patterns: tuple[Pattern, ...]
    fairness: Fairness | None = None

    @property
    def duplicates(self) -> int:
        return self.draws - self.distinct

    @property
    def variants(self) -> int:
        """The family's exact count when known, else the distinct variants seen (a lower bound)."""
        return self.space if self.space is not None else self.distinct


def is_round(value: Number) -> bool:
    """A whole number ending in 0 (the kind a student guesses when unsure)."""
    return isinstance(value, int) and value != 0 and value % 10 == 0


def chi2_uniform(counts: list[int]) -> tuple[float, float]:
    """Chi-square statistic of ``counts`` against a uniform distribution, and its p-value."""
    import mpmath

    total = sum(counts)
    expected = total / len(counts)
    chi2 = sum((c - expected) ** 2 / expected for c in counts)
    dof = len(counts) - 1
    p = float(mpmath.gammainc(dof / 2, chi2 / 2, mpmath.inf, regularized=True)) if dof > 0 else 1.0
    return chi2, p


def _part_patterns(key: str, answers: list[Number]) -> list[Pattern]:
    """Patterns of one part's answers over the draws."""
    if len(answers) >= MIN_SUPPORT and all(is_round(a) for a in answers):
        return [Pattern("round", key)]
    return []


def choice_ranks(problems: list[Problem], minimum: Number = 0) -> list[tuple[int, int]]:
    """For each version asked as multiple choice (``--style choice``: a single part, its mistakes as options),
    the answer's rank among the offered values from the smallest (0 for the smallest) and the number of options,
    with the mistakes the exports offer in that version (``precision.choice_offer``, the index is the version's)."""
    ranks = []
    for version, problem in enumerate(problems):
        if not precision.asked_as_choice(problem, minimum):
            continue
        part = problem.parts[0]
        right = precision.key(part.answer, part.decimals)
        offer = precision.choice_offer(part, minimum, version, problem.id)
        ranks.append((sum(precision.key(d.value, part.decimals) < right for d in offer), len(offer) + 1))
    return ranks


def rank_pattern(key: str, ranks: list[tuple[int, int]]) -> Pattern | None:
    """The rank the answer keeps in every version (counted from the nearer end: the 2nd smallest of 4, not the
    3rd largest), or None when it changes or too few versions are choice questions."""
    if len(ranks) < MIN_SUPPORT:
        return None
    low = {r for r, _ in ranks}
    high = {n - 1 - r for r, n in ranks}
    sides = [(next(iter(found)), side) for found, side in ((low, "smallest"), (high, "largest")) if len(found) == 1]
    if not sides:
        return None
    rank, side = min(sides, key=lambda pair: pair[0])
    return Pattern("rank", key, rank=rank + 1, side=side)


def stress_entry(bank: Bank, index: int, n: int, seed: int | None = None, lang: str | None = None) -> EntryReport:
    """Draw ``n`` variants of one entry and report its variant space, spreads and patterns, and how fair ``n``
    versions of it are side by side, chosen as an exam or export chooses them (``entry_variants``) among the
    first ``4n`` draws."""
    entry = bank.entries[index]
    problems = [tailored(d.generate(), entry) for d in entry_draws(bank, index, n, seed, lang)]
    versions = entry_variants(bank, index, n, seed, lang, at_most=True, drawn=problems, budget=4 * n)
    return entry_report(bank, index, problems, versions, bank.seed if seed is None else seed)


def entry_report(bank: Bank, index: int, problems: list[Problem], versions: list[Problem] | None = None,
                 seed: int | None = None) -> EntryReport:
    """The report of one entry on the variants drawn from it (``versions``: those an exam would hand out,
    whose fairness is reported; the draws themselves when not given)."""
    entry = bank.entries[index]
    n = len(problems)
    space = entry_space(entry, bank.seed if seed is None else seed)
    distinct = len({signature(p) for p in problems})
    by_part: dict[str, list[Number]] = defaultdict(list)
    decimals: dict[str, int] = {}
    for problem in problems:
        for part in problem.parts:
            by_part[part.key].append(part.answer)
            decimals[part.key] = part.decimals
    spreads, patterns = [], []
    for key, answers in by_part.items():
        patterns += _part_patterns(key, answers)
        answers = sorted(answers)
        spreads.append(PartSpread(key, len(answers), answers[0], statistics.median_low(answers), answers[-1],
                                  decimals[key]))
    # only a choice question shows the mistakes, and an export offers those of the versions it hands out
    handed = problems if versions is None else versions
    rank = rank_pattern(handed[0].parts[0].key if handed and handed[0].parts else "",
                        choice_ranks(handed, entry_tolerance(bank, entry)))
    if rank is not None:
        patterns.append(rank)
    positions: dict[int, Counter[int]] = defaultdict(Counter)
    for problem in problems:
        if problem.choices and not problem.multiple:
            correct = next(i for i, c in enumerate(problem.choices) if c.correct)
            positions[len(problem.choices)][correct] += 1
    table = tuple((k, tuple(positions[k][i] for i in range(k))) for k in sorted(positions))
    chi2 = p = None
    if table:
        # one test over all option counts: sum of the per-count statistics, degrees of freedom added
        import mpmath

        stats = [chi2_uniform(list(counts)) for _, counts in table]
        chi2 = sum(s for s, _ in stats)
        dof = sum(k - 1 for k, _ in table)
        p = float(mpmath.gammainc(dof / 2, chi2 / 2, mpmath.inf, regularized=True)) if dof else 1.0
        if sum(sum(c) for _, c in table) >= MIN_SUPPORT and p < POSITION_P:
            patterns.append(Pattern("position", "", p))
    return EntryReport(index, entry, n, distinct, space, tuple(spreads), table, chi2, p, tuple(patterns),
                       fairness(problems if versions is None else versions))


def stress_bank(bank: Bank, n: int, seed: int | None = None, lang: str | None = None) -> list[EntryReport]:
    """The stress report of every entry of a bank."""
    return [stress_entry(bank, i, n, seed, lang) for i in range(len(bank.entries))]


# --- fair versions ---------------------------------------------------------------------------------------


def fairness_fix(f: Fairness, finding: str, lang: str, own: bool = False) -> str:
    """What the bank's author can do about a rule of fair versions that an entry breaks (``own``: the entry names
    its own network)."""
    from quizgen.text.templating import text

    suffix = "_network" if own and finding == "shared" else ""
    return text(lang, f"stress_fix_fair_{finding}{suffix}", keep=f.keep)


def fairness_text(f: Fairness, finding: str, lang: str) -> str:
    from quizgen.text.templating import text

    if finding == "parts":
        return text(lang, "stress_fair_parts", count=f.part_sets)
    if finding == "effort":
        return text(lang, "stress_fair_effort", low=f.steps[0], high=f.steps[1])
    if finding == "shared":
        return text(lang, "stress_fair_shared", shared=f.shared, pairs=f.pairs, most=f.most)
    return text(lang, "stress_fair_readable", readable=f.readable, blanks=f.blanks)


# --- the report as text ----------------------------------------------------------------------


def _number(value: Number, decimals: int, lang: str) -> str:

    return numbers.plain(value, decimals or None, lang)


def pattern_text(pattern: Pattern, lang: str, report: EntryReport) -> str:
    from quizgen.text.templating import text

    if pattern.kind == "position":
        return text(lang, "stress_pattern_position", p=f"{pattern.p:.2g}")
    if pattern.kind == "rank":
        return text(lang, "stress_pattern_rank", part=pattern.part, rank=pattern.rank, side=pattern.side)
    return text(lang, "stress_pattern_round", part=pattern.part)


def fix_text(pattern: Pattern, lang: str, own: bool = False) -> str:
    """What the bank's author can do about a pattern (``own``: the entry names its own network)."""
    from quizgen.text.templating import text

    suffix = "_network" if own and pattern.kind in ("rank", "round") else ""
    return text(lang, {"rank": "stress_fix_rank", "round": "stress_fix_round",
                       "position": "stress_fix_position"}[pattern.kind] + suffix)


def format_report(bank: Bank, reports: list[EntryReport], n: int, seed: int, lang: str) -> str:
    """The report as a table: one block of lines per entry, patterns flagged with '!'."""
    from quizgen.text.templating import text

    def t(key: str, **ctx: object) -> str:
        return text(lang, key, **ctx)

    head = ["#", t("stress_col_family"), "d", t("stress_col_variants"), t("stress_col_duplicates"),
            t("stress_col_answers")]
    rows: list[list[str]] = []
    notes: list[list[str]] = []
    for r in reports:
        if r.space is not None:
            variants = t("stress_space_exact", count=_number(r.space, 0, lang))
        else:
            variants = t("stress_space_seen", count=_number(r.distinct, 0, lang))
        answers = [f"{s.key}: {_number(s.minimum, s.decimals, lang)} / {_number(s.median, s.decimals, lang)} / "
                   f"{_number(s.maximum, s.decimals, lang)}" for s in r.parts] or ["—"]
        rows.append([str(r.index + 1), r.entry.family, str(r.entry.difficulty), variants, str(r.duplicates),
                     answers[0]])
        rows += [["", "", "", "", "", a] for a in answers[1:]]
        extra = []
        if r.positions:
            counts = "; ".join(f"{k}: {list(c)}" for k, c in r.positions)
            mark = numbers.point(lang)
            extra.append("    " + t("stress_choice_positions", counts=counts, chi2=f"{r.chi2:.1f}".replace(".", mark),
                                    p=f"{r.position_p:.2g}".replace(".", mark)))
        own = own_network(r.entry)
        for p in r.patterns:
            extra += ["    ! " + pattern_text(p, lang, r), "      " + fix_text(p, lang, own)]
        if r.fairness is not None:
            for k in r.fairness.findings:
                extra += ["    ≠ " + fairness_text(r.fairness, k, lang),
                          "      " + fairness_fix(r.fairness, k, lang, own)]
        notes.append(extra)
        rows.append(["\n"])  # marks where an entry's notes go
    widths = [max(len(row[i]) for row in [head, *rows] if len(row) > 1) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [t("stress_title", bank=bank.stem, n=n, seed=seed), "", line(head), line(["-" * w for w in widths])]
    entry = 0
    for row in rows:
        if row == ["\n"]:
            out += notes[entry]
            entry += 1
        else:
            out.append(line(row))
    unfair = sum(len(r.fairness.findings) for r in reports if r.fairness is not None)
    out += ["", t("stress_fair_found", count=unfair) if unfair else t("stress_fair_ok")]
    found = sum(len(r.patterns) for r in reports)
    out += [t("stress_summary_found", count=found) if found else t("stress_summary_ok")]
    return "\n".join(out)
