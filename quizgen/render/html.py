"""The offline practice page: one self-contained HTML file (CSS, JavaScript, KaTeX and its fonts inside).

Every variant is generated and verified in Python and embedded as JSON: answers, tolerance windows,
the misconceptions' values with their titles and feedback, choices with feedback, the worked
solution and the network diagram, in each language of the page. The page's JavaScript only
compares a typed number with those values; it never computes an answer. Nothing is fetched when
the page opens: no http(s) reference appears in it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from quizgen.errors import InternalError, QuizgenError
from quizgen.problems.model import Part, Problem, Table
from quizgen.text import numbers
from quizgen.text.richtext import to_html

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DIAGRAM_WIDTH = 640  # rows of the page's diagrams wrap here (the card is about 720 px wide)


# inline math with the punctuation that touches it: kept on one line, so ")" never starts a line
_MATH_WITH_PUNCTUATION = re.compile(r"([(\[«“]?)(\\\(.+?\\\))([)\].,;:!?»”]*)")


def _keep_together(html: str) -> str:
    def wrap(m: re.Match[str]) -> str:
        if not m.group(1) and not m.group(3):
            return m.group(0)
        return f"<span class='nw'>{m.group(0)}</span>"

    return _MATH_WITH_PUNCTUATION.sub(wrap, html)


_MATH_SPANS = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.S)


def _line_breaks(html: str) -> str:
    """A line break inside a paragraph kept as one (a stem's list of layers, one per line), math left whole."""
    pieces = _MATH_SPANS.split(html)
    return "".join(piece if i % 2 else piece.replace("\n", "<br>\n") for i, piece in enumerate(pieces))


def rich_html(text: str) -> str:
    """Rich text as HTML paragraphs, math ready for KaTeX; lines inside a paragraph stay lines."""
    return _keep_together(_line_breaks(to_html(text)))


def inline_html(text: str) -> str:
    """Rich text as HTML without the paragraph wrapper (labels, titles, options)."""
    html = rich_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _table_html(table: Table) -> str:
    blanks = set(table.blanks)
    head = "".join(f"<th scope='col'>{inline_html(c)}</th>" for c in table.columns)
    body = []
    for r, row in enumerate(table.rows):
        cells = "".join("<td class='blank'>?</td>" if (r, c) in blanks else f"<td>{inline_html(cell)}</td>"
                        for c, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    caption = f"<caption>{inline_html(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _connection_html(rows: tuple[tuple[bool, ...], ...]) -> str:
    n_out = len(rows[0]) if rows else 0
    head = "<th></th>" + "".join(f"<th scope='col'>{j}</th>" for j in range(n_out))
    body = "".join(f"<tr><th scope='row'>{i}</th>" + "".join("<td>X</td>" if x else "<td>·</td>" for x in row)
                   + "</tr>" for i, row in enumerate(rows))
    return f"<table class='connections'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _solution_steps(problem: Problem) -> list[str]:
    """The worked solution's steps as HTML, one item each (the page reveals them one at a time)."""
    steps = []
    for step in problem.solution:
        math = f"<div class='math'>\\[{_escape_math(step.math)}\\]</div>" if step.math else ""
        steps.append(f"{inline_html(step.text)}{math}")
    return steps


def _solution_answers(problem: Problem) -> str:
    """What the worked solution arrives at: each part's answer, each correct option."""
    answers = [f"<li>{inline_html(p.label)}: <strong>"
               f"{numbers.with_unit(numbers.plain(p.answer, p.decimals, problem.lang), p.unit, problem.lang)}"
               "</strong></li>" for p in problem.parts]
    answers += [f"<li><strong>{inline_html(c.text)}</strong></li>" for c in problem.choices if c.correct]
    return f"<ul class='answers'>{''.join(answers)}</ul>"


def _escape_math(math: str) -> str:
    from html import escape

    return escape(math, quote=False)


class Diagrams:
    """Each distinct diagram once in the page; variants refer to it by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, svg: str) -> int:
        if svg not in self._index:
            self._index[svg] = len(self.items)
            self.items.append(svg)
        return self._index[svg]


_SVG_TITLE = re.compile(r"\s*<title>(.*?)</title>", re.S)


def _diagram(svg: str, diagrams: Diagrams) -> dict[str, Any]:
    """A diagram by reference, its (language's) title moved to the figure's label: the drawing
    itself is then usually the same in every language and is stored once."""
    from html import unescape

    m = _SVG_TITLE.search(svg)
    label = unescape(m.group(1)) if m else ""
    return {"svg": diagrams.add(_SVG_TITLE.sub("", svg, count=1)), "label": label}


def _part_numbers(part: Part) -> dict[str, Any]:
    """What the page's judge reads (``practice.judge``): the key and its tolerance, the roundings at fewer
    decimals, the misconceptions' values as printed and their window (half a unit of the last stated decimal)."""
    from quizgen.problems import precision

    return {"key": part.key, "answer": float(precision.key(part.answer, part.decimals)),
            "window": float(precision.tolerance(part)), "integer": part.decimals == 0, "unit": part.unit,
            "rounded": [float(r) for r in precision.roundings(part.answer, part.decimals)
                        if not precision.accepts(part, r)],
            "distractors": [float(precision.key(d.value, part.decimals)) for d in part.distractors],
            "dwindow": float(precision.rule_tolerance(part.decimals))}


def _part_text(part: Part, lang: str) -> dict[str, Any]:
    from quizgen.problems import precision
    from quizgen.problems.misconceptions import CATALOGUE
    from quizgen.render.practice import part_hints

    return {"label": inline_html(part.label), "unit": part.unit,
            "hints": [inline_html(hint) for hint in part_hints(part, lang)],
            "decimal_mark": part.decimals > 0,
            "rounded": rich_html(precision.rounded_feedback(part.decimals, lang)) if part.decimals else "",
            "distractors": [{"title": CATALOGUE[d.misconception].title(lang) if d.misconception in CATALOGUE else "",
                             "feedback": rich_html(d.feedback)} for d in part.distractors]}


def _same_numbers(versions: Sequence[Problem]) -> None:
    """The languages of a variant must be the same exercise: same answers, same misconceptions."""
    first = versions[0]
    for other in versions[1:]:
        if [_part_numbers(p) for p in other.parts] != [_part_numbers(p) for p in first.parts] or \
                [c.correct for c in other.choices] != [c.correct for c in first.choices]:
            raise InternalError(f"{first.id}: the {other.lang} version has other numbers than the {first.lang} one")


def _legend(problem: Problem) -> str:
    """The options' legend: "Options" when the stem already asks for every correct option (said once)."""
    from quizgen.render.practice import ui_strings

    strings = ui_strings(problem.lang)
    if not problem.choices:
        return ""
    if not problem.multiple:
        return strings["page_choose_one"]
    if problem.family == "concepts":
        from quizgen.problems.concepts import catalogue

        if catalogue().label(problem.lang, "select_all") in problem.stem:
            return strings["page_options"]
    return strings["page_choose_many"]


def variant_data(versions: Sequence[Problem], diagrams: Diagrams) -> dict[str, Any]:
    """One variant as the page embeds it: language-free numbers, then each language's text."""
    from quizgen.render.svg import network_svg

    _same_numbers(versions)
    first = versions[0]
    text = {}
    for p in versions:
        networks = [(i, n) for i, n in enumerate((p.network, *p.extra_networks)) if n is not None]
        text[p.lang] = {
            "title": inline_html(p.title), "stem": rich_html(p.stem), "hint": inline_html(p.hint) if p.hint else "",
            "parts": [_part_text(part, p.lang) for part in p.parts],
            "choices": [{"text": inline_html(c.text), "feedback": rich_html(c.feedback)} for c in p.choices],
            "legend": _legend(p),
            "table": _table_html(p.table) if p.table is not None else "",
            "connections": _connection_html(p.connection_table) if p.connection_table else "",
            "steps": _solution_steps(p), "answers": _solution_answers(p),
            "diagrams": [{**_diagram(network_svg(n, p.lang, DIAGRAM_WIDTH, problem=p, network_index=i), diagrams),
                          "caption": inline_html(n.title)} for i, n in networks],
        }
    return {"id": first.id, "family": first.family, "difficulty": first.difficulty,
            "parts": [_part_numbers(part) for part in first.parts],
            "choices": [c.correct for c in first.choices], "multiple": first.multiple, "text": text}


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


@cache
def katex_css() -> str:
    """KaTeX's CSS with its WOFF2 fonts inlined as data URIs (the WOFF/TTF fallbacks dropped)."""
    css = _asset("katex/katex.min.css")

    def inline(match: re.Match[str]) -> str:
        font = (ASSETS / "katex" / "fonts" / f"{match.group(1)}.woff2").read_bytes()
        return f"src:url(data:font/woff2;base64,{base64.b64encode(font).decode()}) format(\"woff2\")"

    font_src = r"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\(\"woff2\"\)(?:,url\([^)]*\) format\(\"[a-z]+\"\))*"
    out, count = re.subn(font_src, inline, css)
    if count == 0 or "url(fonts/" in out:
        raise InternalError("the vendored katex.min.css has font references quizgen cannot inline")
    return out


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _topic(family_id: str, lang: str) -> dict[str, str]:
    """A family as the page's topic filter shows it: its name in the language and its one-line summary."""
    from quizgen.problems import family
    from quizgen.render.practice import ui_strings

    name = ui_strings(lang)["topics"].get(family_id, family_id)
    try:
        summary = family(family_id).summary.get(lang, name)
    except (QuizgenError, ModuleNotFoundError):  # a problem built outside the registry
        summary = name
    return {"name": name, "summary": summary}


def practice_page(variants: Sequence[Sequence[Problem]], langs: Sequence[str], title: str = "",
                  lang: str | None = None) -> str:
    """The whole page as one HTML string (deterministic: same variants, same bytes).

    ``title`` is in ``lang`` (the bank's language, default the first of ``langs``), which the page opens
    in when it has it; in another language the page shows its own title in that language.
    """
    import jinja2

    from quizgen.render.practice import ui_strings
    from quizgen.text.templating import render_string, templates_dir

    title_lang = lang or langs[0]
    lang = title_lang if title_lang in langs else langs[0]
    diagrams = Diagrams()
    items = [variant_data(v, diagrams) for v in variants]
    family_ids = list(dict.fromkeys(item["family"] for item in items))
    strings = {code: {k[5:]: v for k, v in ui_strings(code).items() if k.startswith("page_")} for code in langs}
    families = {code: {fid: _topic(fid, code) for fid in family_ids} for code in langs}
    for code in langs:  # the page's own topics, in its order
        strings[code]["intro"] = render_string(strings[code]["intro"],
                                               topics="; ".join(t["name"] for t in families[code].values()))
    data = {"langs": list(langs), "lang": lang, "title_lang": title_lang, "strings": strings, "families": families,
            "title": title, "diagrams": diagrams.items, "variants": items}
    blob = _script_json(data)
    page_id = hashlib.sha256(blob.encode()).hexdigest()[:12]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "practice")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    first = strings[lang]
    html = env.get_template("page.html.j2").render(
        lang=lang, title=title if title and title_lang == lang else first["title"], strings=first, page_id=page_id,
        style=jinja2_markup(katex_css() + "\n" + _asset("practice/practice.css")),
        data=jinja2_markup(blob),
        scripts=[jinja2_markup(_asset("katex/katex.min.js")), jinja2_markup(_asset("katex/auto-render.min.js")),
                 jinja2_markup(_asset("practice/practice.js"))],
    )
    return html


def jinja2_markup(text: str) -> Any:
    """Trusted asset text (CSS, JavaScript, escaped JSON) that the template inserts verbatim."""
    from markupsafe import Markup

    return Markup(text)
