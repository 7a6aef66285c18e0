"""Drawing problems from a bank: the one place every output takes its variants from.

An entry's k-th draw has the seed ``variant_seed(bank seed, entry key, k)``: the key is the entry's ``id``,
else its family, difficulty and name (``Entry.key``), never its position, so reordering or inserting entries
leaves the other entries' numbers as they were. The exam, Moodle and GIFT keep the distinct draws in that
order (``entry_variants``); ``stress`` takes the first ``n`` draws as they come (``entry_draws``), and
``verify`` makes the same draws one at a time (``quizgen.verify.sweep``); the practice page and the terminal
mode share these seeds out among the entries they practise (``practice_variants``, ``stream``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from quizgen.bank.fair import pick, signature
from quizgen.bank.load import MAX_VARIANTS, Bank, Entry
from quizgen.bank.tailor import tailored
from quizgen.errors import QuizgenError, location
from quizgen.problems import family, generate, variant_seed
from quizgen.problems.model import Problem
from quizgen.text.templating import tag_word


@dataclass(frozen=True, slots=True)
class Draw:
    """One problem to generate: family, difficulty, seed, parameter overrides and language."""

    family: str
    difficulty: int
    seed: int
    params: tuple[tuple[str, Any], ...] = ()
    lang: str = "en"
    shape: int | None = None  # the entry's shape seed (``shape_seed``): the same for all its versions

    def generate(self) -> Problem:
        return generate(self.family, seed=self.seed, difficulty=self.difficulty, lang=self.lang,
                        params=dict(self.params), shape=self.shape)


def entry_key(entry: Entry) -> str:
    """What an entry's draws are keyed by: its identity in the bank, or family and difficulty for an entry
    that practice adds for a family the bank lacks."""
    return entry.key or f"{entry.family}.d{entry.difficulty}"


def shape_seed(entry: Entry, seed: int) -> int | None:
    """The seed of the choices that set an entry's kind of question (its network's layers, the parts asked):
    drawn once per entry from its identity, so all its versions ask the same parts with comparable work and
    only the numbers vary; None for a family without such choices."""
    if not family(entry.family).shaped:
        return None
    return variant_seed(seed, f"{entry_key(entry)}#shape", 0) % 1_000_000


def entry_space(entry: Entry, seed: int) -> int | None:
    """The exact number of distinct versions of an entry when its family counts them (its shape's), else None."""
    from quizgen.problems.params import shaped

    fam = family(entry.family)
    if fam.space is None:
        return None
    return fam.space(shaped(entry.params, fam.parameters, entry.difficulty, shape_seed(entry, seed)), entry.difficulty)


def draw_of(entry: Entry, seed: int, k: int, lang: str, *, shaped: bool = True) -> Draw:
    """The ``k``-th draw of an entry with the bank seed ``seed``: with its shape (``shape_seed``), as versions
    side by side are drawn, or with ``shaped`` False each draw choosing its own shape (practice, for variety)."""
    return Draw(entry.family, entry.difficulty, variant_seed(seed, entry_key(entry), k),
                tuple(sorted(entry.params.items())), lang, shape_seed(entry, seed) if shaped else None)


def entry_draw(bank: Bank, index: int, k: int, seed: int | None = None, lang: str | None = None) -> Draw:
    """The ``k``-th draw of entry ``index`` (the bank's seed and language unless given)."""
    return draw_of(bank.entries[index], bank.seed if seed is None else seed, k, lang or bank.lang)


def family_draw(fid: str, seed: int, k: int, lang: str = "en") -> Draw:
    """The ``k``-th draw of a family outside any bank (``verify --family``): its difficulties in turn."""
    levels = family(fid).difficulties
    return Draw(fid, levels[k % len(levels)], variant_seed(seed, fid, k), (), lang)


def entry_draws(bank: Bank, index: int, n: int, seed: int | None = None, lang: str | None = None) -> list[Draw]:
    """The first ``n`` draws of an entry, repeats and all (what ``stress`` and ``verify`` look at)."""
    return [entry_draw(bank, index, k, seed, lang) for k in range(n)]


def with_entry_tags(problem: Problem, entry: Entry) -> Problem:
    """The problem with the entry's tags after the family's (each once, in order)."""
    if not entry.tags:
        return problem
    return replace(problem, tags=tuple(dict.fromkeys((*problem.tags, *entry.tags))))


def own_network(entry: Entry) -> bool:
    """Whether the entry's questions are about its own network (``network:``, not a custom exercise's template):
    its answers that depend on the network alone are the same in every version."""
    from quizgen.nets.layers import Network

    return isinstance(entry.params.get("network"), Network)


def entry_tolerance(bank: Bank, entry: Entry) -> Fraction:
    """The tolerance an entry's answers are graded with: its own, else the bank's (``precision.tolerance``)."""
    return Fraction(str(entry.tolerance if entry.tolerance is not None else bank.tolerance))


def entry_variants(bank: Bank, entry_index: int, n: int, seed: int | None = None,
                   lang: str | None = None, *, at_most: bool = False, taken: set[tuple] | None = None,
                   drawn: Sequence[Problem] = (), budget: int | None = None) -> list[Problem]:
    """``n`` distinct variants of one entry, fair side by side (``quizgen.bank.fair.pick``: the same parts,
    comparable work, at most one shared answer, as far as the entry's draws allow); QuizgenError (how many exist)
    when its ranges allow fewer, or, with ``at_most``, as many as exist up to ``n``. ``drawn`` holds the entry's
    first draws when the caller has made them already (``stress``), ``budget`` the most draws to make.

    ``taken`` holds the signatures of what other entries of the same exam or export already drew: a draw
    found there is passed over (so no two questions of an output are the same), and the new ones are added.
    """
    entry = bank.entries[entry_index]
    space = entry_space(entry, bank.seed if seed is None else seed)
    where = location(bank.path, entry.line)
    what = f"entry {entry_index + 1} ({entry.name})"
    if at_most and space is not None:
        n = min(n, space)
    if space is not None and n > space:
        raise QuizgenError(f"{what} asks for {n} distinct variants but its parameters allow exactly {space}",
                           where=where, fix=f"ask for at most {space} (fewer versions or a smaller count) "
                                            "or widen its parameter ranges")
    if n > MAX_VARIANTS:
        raise QuizgenError(f"{what} asks for {n:,} distinct variants; one command draws at most {MAX_VARIANTS:,}",
                           where=where, fix=f"ask for at most {MAX_VARIANTS:,} (fewer versions, a smaller -n or count)")
    others = taken if taken is not None else set()
    tally = {"attempts": 0, "elsewhere": 0}

    def candidates() -> Iterator[Problem]:
        """The entry's distinct draws in order, less those another entry already has."""
        seen: set[tuple] = set()
        limit, last_new = budget or max(50, 20 * n), 0
        # stop early when the space is used up: a long run of repeats means no new variant is coming
        while tally["attempts"] < limit and tally["attempts"] - last_new <= max(50, 5 * len(seen)):
            k = tally["attempts"]
            problem = drawn[k] if k < len(drawn) else tailored(entry_draw(bank, entry_index, k, seed, lang).generate(),
                                                               entry)
            tally["attempts"] += 1
            sig = signature(problem)
            if sig in seen:
                continue
            seen.add(sig)
            if sig in others:
                tally["elsewhere"] += 1
                continue
            last_new = tally["attempts"]
            yield problem

    # the search for fair versions stops after 4n draws, at least 100 (or the budget): then the closest fill in
    search = min(budget or max(100, 4 * n), max(100, 4 * n))
    out = list(pick(candidates(), n, patience=50, spent=lambda: tally["attempts"] >= search))
    attempts, elsewhere = tally["attempts"], tally["elsewhere"]
    others.update(signature(p) for p in out)
    _check_points(entry, out, what, where)
    if len(out) < n and not at_most and elsewhere:
        raise QuizgenError(
            f"{what} asks for {n} distinct variants but only {len(out)} are left: {attempts} draws gave "
            f"{elsewhere} more that an earlier entry already has (an exam or export never holds a question twice)",
            where=where, fix="give the two entries different parameter ranges, widen them, or ask for fewer versions",
        )
    if len(out) < n and not at_most and own_network(entry):
        versions = f"{len(out)} version" + ("s" if len(out) != 1 else "")
        raise QuizgenError(
            f"{what} asks for {n} distinct variants but its own network gives only {len(out)}: each variant asks "
            "about that network, and only the layer asked about and the values still drawn can differ",
            where=where,
            fix=f"hand out at most {versions} (-n {len(out)}) or a smaller count, give the network more of the layers "
                "its questions ask about, or remove network: to let the family draw its networks",
        )
    if len(out) < n and not at_most:
        raise QuizgenError(
            f"{what} asks for {n} distinct variants but its parameters gave only {len(out)} in {attempts} draws "
            "(about that many exist)",
            where=where,
            fix=f"ask for at most {len(out)} (fewer versions or a smaller count) or widen its parameter ranges",
        )
    return out


def _check_points(entry: Entry, problems: list[Problem], what: str, where: str) -> None:
    """Every variant's answers can take the entry's points (a list matches their number; halves suffice)."""
    from quizgen.bank.points import question_points

    for problem in problems:
        try:
            question_points(entry, problem)
        except QuizgenError as exc:
            raise QuizgenError(f"{what}: {exc.message}", where=where, fix=exc.fix) from None


# --- exam versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A problem placed in an exam version, with its entry and points."""

    number: int
    entry_index: int
    entry: Entry
    problem: Problem
    points: float
    bank_number: int = 0  # its number in the bank's order (the same in every version; 0: ``number``)
    options: tuple[int, ...] = ()  # with shuffled options: each printed option's position in the id's order

    @property
    def moved(self) -> bool:
        """Whether shuffling moved the question or its options from where the bank and its id put them."""
        return self.bank_number not in (0, self.number) or self.options != tuple(range(len(self.options)))


@dataclass(frozen=True)
class ExamVersion:
    """One version of an exam: its code and its questions in order."""

    index: int
    code: str
    questions: tuple[Question, ...]

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)


def version_code(index: int) -> str:
    """The code printed on version ``index`` (0-based): V01, V02, ..."""
    return f"V{index + 1:02d}"


def exam_versions(bank: Bank, n: int, seed: int | None = None, lang: str | None = None) -> list[ExamVersion]:
    """``n`` versions of the exam: for each entry, ``count`` questions per version, all distinct.

    With the bank's ``shuffle``, each version puts its questions (``questions``: one by one, except that
    entries of one ``group`` move together, in the bank's order) and its multiple-choice options
    (``options``) in an order of its own, drawn from the seed and the version's index.
    """
    from quizgen.bank.points import points_of

    base = bank.seed if seed is None else seed
    taken: set[tuple] = set()  # no two questions of the exam are the same, across entries too
    per_entry = [entry_variants(bank, i, e.count * n, seed, lang, taken=taken) for i, e in enumerate(bank.entries)]
    versions = []
    for v in range(n):
        questions = []
        for i, entry in enumerate(bank.entries):
            for k in range(entry.count):
                problem = per_entry[i][v * entry.count + k]
                questions.append(Question(len(questions) + 1, i, entry, problem, points_of(entry, problem),
                                          bank_number=len(questions) + 1))
        if "options" in bank.shuffle:
            questions = [_shuffle_options(q, random.Random(variant_seed(base, "shuffle:options", v)))
                         for q in questions]
        if "questions" in bank.shuffle:
            questions = _shuffle_questions(questions, random.Random(variant_seed(base, "shuffle:questions", v)))
        versions.append(ExamVersion(v, version_code(v), tuple(questions)))
    return versions


def _shuffle_options(question: Question, rng: random.Random) -> Question:
    """The question with its options in a new order (recorded in ``options``); as it was without options."""
    choices = question.problem.choices
    if not choices:
        return question
    order = list(range(len(choices)))
    rng.shuffle(order)
    problem = replace(question.problem, choices=tuple(choices[i] for i in order))
    return replace(question, problem=problem, options=tuple(order))


def _shuffle_questions(questions: list[Question], rng: random.Random) -> list[Question]:
    """The questions in a new order, renumbered: each moves alone, a group's entries together in bank order."""
    blocks: list[list[Question]] = []
    where: dict[str, list[Question]] = {}
    for q in questions:
        if q.entry.group is None:
            blocks.append([q])
        elif q.entry.group in where:
            where[q.entry.group].append(q)
        else:
            where[q.entry.group] = [q]
            blocks.append(where[q.entry.group])
    rng.shuffle(blocks)
    ordered = [q for block in blocks for q in block]
    return [replace(q, number=k) for k, q in enumerate(ordered, start=1)]


# --- Moodle and GIFT categories ---------------------------------------------------------------

TAG_LIMIT = 50  # Moodle's tag name column


@dataclass(frozen=True)
class ExportItem:
    """One variant to write: the problem, its index in its category, points, minimum tolerance, tags.

    ``part_points`` are the points of each answer (parts, then the choice; ``quizgen.bank.points``) and
    ``scoring`` how a multiple-answer question is marked.
    """

    problem: Problem
    variant: int
    points: float
    tolerance: Fraction
    tags: tuple[str, ...]
    part_points: tuple[Fraction, ...] = ()
    scoring: str = "per-option"


@dataclass(frozen=True)
class ExportCategory:
    """One bank entry as a Moodle category: its path and its distinct variants."""

    path: str
    name: str
    family: str
    difficulty: int
    items: tuple[ExportItem, ...]
    lang: str = "en"  # the bank's: the language of its tags


def category_segment(name: str) -> str:
    """One level of a Moodle category path: a literal '/' is written '//' (Moodle's escape)."""
    clean = " ".join(name.split())
    return clean.replace("/", "//") or "-"


def question_tags(problem: Problem, entry_tags: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """The bank entry's tags as written, then the problem's, its family and difficulty in ``lang``, the bank's
    language (``templates/tags.yaml``); each once whatever its case, within Moodle's 50 characters."""
    own = [tag_word(lang, tag) for tag in (*problem.tags, problem.family) if tag not in entry_tags]
    out: dict[str, str] = {}
    for tag in (*entry_tags, *own, f"{tag_word(lang, 'difficulty')}-{problem.difficulty}"):
        tag = " ".join(str(tag).split())[:TAG_LIMIT]
        if tag:
            out.setdefault(tag.casefold(), tag)
    return tuple(out.values())


def categories(bank: Bank, n: int, seed: int | None, lang: str | None, *,
               at_most: bool = False) -> list[ExportCategory]:
    """``n`` distinct variants of every entry of a bank, one category per entry (``$course$/top/<title>/<name>``).

    Two entries with the same name get distinct categories (`` (2)`` added) so that each category
    holds exactly the n variants of one entry (with ``at_most``: as many as exist, up to n).
    """
    from quizgen.bank.points import question_points

    out: list[ExportCategory] = []
    used: dict[str, int] = {}
    taken: set[tuple] = set()  # no two questions of the export are the same, across categories too
    for index, entry in enumerate(bank.entries):
        name = " ".join(entry.name.split()) or entry.family
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name} ({used[name]})"
        path = "$course$/top/" + category_segment(bank.title) + "/" + category_segment(name)
        tol = entry_tolerance(bank, entry)
        problems = entry_variants(bank, index, n, seed, lang, at_most=at_most, taken=taken)
        if entry.scoring == "all-or-nothing" and any(p.multiple for p in problems):
            raise QuizgenError(f"entry {index + 1} ({name}): scoring all-or-nothing has no Moodle equivalent "
                               "(Moodle adds the grades of the ticked options)", where=location(bank.path, entry.line),
                               fix="use scoring: per-option for this export")
        items = tuple(
            ExportItem(p, k, float(sum(question_points(entry, p))), tol, question_tags(p, entry.tags, bank.lang),
                       question_points(entry, p), entry.scoring or bank.scoring)
            for k, p in enumerate(problems)
        )
        out.append(ExportCategory(path, name, entry.family, entry.difficulty, items, bank.lang))
    return out


# --- practice ---------------------------------------------------------------------------------


def select_entries(bank: Bank, families: Sequence[str] = (), difficulty: int | None = None) -> list[Entry]:
    """The bank's entries for these families and difficulty; a family the bank lacks is added."""
    for fid in families:
        family(fid)  # an unknown id raises with a suggestion
    entries = [e for e in bank.entries if (not families or e.family in families)
               and (difficulty is None or e.difficulty == difficulty)]
    for fid in families:
        if not any(e.family == fid for e in entries):
            levels = family(fid).difficulties
            if difficulty is not None and difficulty not in levels:
                raise QuizgenError(f"family '{fid}' has no difficulty {difficulty}", where="--difficulty",
                                   fix="use one of " + ", ".join(map(str, levels)))
            for d in [difficulty] if difficulty is not None else levels:
                entries.append(Entry(fid, fid, 1, d))
    if not entries:
        raise QuizgenError(f"{bank.path} has no entry of difficulty {difficulty}", where="--difficulty",
                           fix="choose another difficulty or name a family with --family")
    return entries


def _shares(weights: list[int], n: int) -> list[int]:
    """Split n in proportion to weights (largest remainder, ties to the earlier entry)."""
    total = sum(weights)
    exact = [Fraction(n * w, total) for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: n - sum(shares)]:
        shares[i] += 1
    return shares


def exercise_key(problem: Problem) -> tuple:
    """What makes two exercises the same for a student practising: family, stem, answers and the correct
    options (a choice question whose options are only reshuffled, or that shows other wrong options, is the
    same question)."""
    return (problem.family, problem.stem, tuple((p.key, p.answer) for p in problem.parts),
            tuple(sorted(c.text for c in problem.choices if c.correct)))


def practice_variants(bank: Bank, entries: list[Entry], n: int, seed: int,
                      langs: Sequence[str]) -> list[tuple[Problem, ...]]:
    """Up to ``n`` different exercises, shared among the entries, each generated in every language.

    No two are the same exercise (``exercise_key``), across entries too. An entry that runs out (a long
    run of repeats, or its family's exact count reached) keeps what it has, and its unfilled share goes
    to the others, so the page holds ``n`` exercises unless the entries together have fewer. The same
    seed in every language gives the same numbers.
    """
    seen: set[tuple] = set()
    got: list[list[tuple[Problem, ...]]] = [[] for _ in entries]
    attempts = [0] * len(entries)
    last_new = [0] * len(entries)
    done = [False] * len(entries)
    spaces = [_space(e) for e in entries]
    want = _shares([e.count for e in entries], n)
    while True:
        for i, entry in enumerate(entries):
            while not done[i] and len(got[i]) < want[i]:
                if len(got[i]) == spaces[i] or attempts[i] - last_new[i] > max(50, 5 * len(got[i])):
                    done[i] = True  # no new exercise is coming
                    break
                d = draw_of(entry, seed, attempts[i], langs[0], shaped=False)
                attempts[i] += 1
                first = tailored(d.generate(), entry)
                key = exercise_key(first)
                if key in seen:
                    continue
                seen.add(key)
                last_new[i] = attempts[i]
                got[i].append((first, *(tailored(replace(d, lang=lang).generate(), entry) for lang in langs[1:])))
        short = n - sum(map(len, got))
        still = [i for i in range(len(entries)) if not done[i]]
        if short <= 0 or not still:
            return [v for variants in got for v in variants]
        for i, extra in zip(still, _shares([entries[i].count for i in still], short), strict=True):
            want[i] = len(got[i]) + extra


def _space(entry: Entry) -> int | None:
    """The entry's exact number of distinct variants when its family counts them, else None."""
    fam = family(entry.family)
    return fam.space(entry.params, entry.difficulty) if fam.space is not None else None


def stream(entries: list[Entry], seed: int, lang: str) -> Iterator[Problem]:
    """An endless, lazily generated mix of the entries' variants (for the terminal mode)."""
    rng = random.Random(seed)
    for attempt in range(10**9):
        entry = rng.choice(entries)
        yield tailored(draw_of(entry, seed, attempt, lang, shaped=False).generate(), entry)
