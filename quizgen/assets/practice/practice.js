/* quizgen practice page. Every answer, tolerance and misconception value was computed and verified in
   Python and is embedded in #quizgen-data; this script only compares a typed number with those values. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("quizgen-data").textContent);
  var STORE_KEY = "quizgen-practice-" + document.body.getAttribute("data-page");
  var MATH = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true }
  ];

  var store = loadStore();
  var session = {};  // "variantId#part" -> {raw, kind, index}: what the student typed, kept across re-renders
  if (DATA.langs.indexOf(store.lang) < 0) store.lang = DATA.langs[0];

  /* ---- reading and judging numbers (mirrors quizgen.render.practice.parse_number / judge) ---- */

  function grouped(digits, sep) {
    var groups = digits.split(sep);
    if (groups[0].length < 1 || groups[0].length > 3) return false;
    for (var i = 1; i < groups.length; i++) if (groups[i].length !== 3) return false;
    return true;
  }

  function count(s, ch) { return s.split(ch).length - 1; }

  function parseNumber(text, integer, unit) {
    var s = String(text).trim();
    if (unit && s.toLowerCase().slice(-unit.length) === unit.toLowerCase()) s = s.slice(0, -unit.length);
    s = s.replace(/[\s\u00a0\u2009\u202f'\u2019_]/g, "");
    var m = /^([+-]?)([0-9.,]*[0-9][0-9.,]*)(?:[eE]([+-]?[0-9]+))?$/.exec(s);
    if (!m) return null;
    var sign = m[1], mant = m[2], exp = (m[3] || "0").replace(/^\+/, "");
    // beyond ±999 no float holds it: refused as Python refuses it, before any arithmetic
    if (exp.replace(/^-/, "").replace(/^0+/, "").length > 3) return null;
    var dots = count(mant, "."), commas = count(mant, ",");
    if (dots && commas) {
      var dec = mant.lastIndexOf(".") > mant.lastIndexOf(",") ? "." : ",";
      var grp = dec === "." ? "," : ".";
      if (count(mant, dec) > 1 || mant.indexOf(grp) > mant.indexOf(dec)) return null;
      if (!grouped(mant.split(dec)[0], grp)) return null;
      mant = mant.split(grp).join("").replace(dec, ".");
    } else if (dots + commas > 1) {
      var sep = dots ? "." : ",";
      if (!grouped(mant, sep)) return null;
      mant = mant.split(sep).join("");
    } else if (dots + commas === 1) {
      var sep1 = dots ? "." : ",";
      var pieces = mant.split(sep1), before = pieces[0], after = pieces[1];
      if (integer && after.length === 3 && before.length >= 1 && before.length <= 3 && before !== "0") {
        mant = before + after;
      } else {
        mant = (before || "0") + "." + (after || "0");
      }
    }
    var value = Number(mant + "e" + exp);
    if (!isFinite(value)) return null;
    return sign === "-" ? -value : value;
  }

  function near(value, target, window) {
    return Math.abs(value - target) <= window + 1e-9 * Math.max(1, Math.abs(target));
  }

  function judge(part, value) {
    if (near(value, part.answer, part.window)) return { kind: "correct", index: -1 };
    for (var i = 0; i < part.distractors.length; i++) {
      if (near(value, part.distractors[i], part.window)) return { kind: "misconception", index: i };
    }
    return { kind: "wrong", index: -1 };
  }

  /* ---- storage ---- */

  function loadStore() {
    var empty = { lang: null, family: "", difficulty: "", current: null, answered: {}, families: {} };
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (saved && typeof saved === "object") {
        for (var k in empty) if (!(k in saved)) saved[k] = empty[k];
        return saved;
      }
    } catch (e) { /* storage blocked: progress lives only as long as the page */ }
    return empty;
  }

  function save() {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* ignore */ }
  }

  /* ---- helpers ---- */

  function t(key, vars) {
    var s = DATA.strings[store.lang][key];
    if (s === undefined) s = DATA.strings[DATA.langs[0]][key] || key;
    if (vars) s = s.replace(/\{(\w+)\}/g, function (_, name) { return name in vars ? vars[name] : "{" + name + "}"; });
    return s;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "html") node.innerHTML = attrs[k];  // HTML built and escaped by quizgen in Python
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function typeset(node) {
    if (window.renderMathInElement) {
      window.renderMathInElement(node, { delimiters: MATH, throwOnError: false });
    }
  }

  function variantById(id) {
    for (var i = 0; i < DATA.variants.length; i++) if (DATA.variants[i].id === id) return DATA.variants[i];
    return null;
  }

  function pool() {
    return DATA.variants.filter(function (v) {
      return (!store.family || v.family === store.family) &&
        (!store.difficulty || String(v.difficulty) === store.difficulty);
    });
  }

  function current() {
    var v = variantById(store.current);
    var list = pool();
    if (!v || list.indexOf(v) < 0) {
      v = list.length ? list[0] : null;
      store.current = v ? v.id : null;
    }
    return v;
  }

  /* ---- score ---- */

  function record(variant, key, correct) {
    var id = variant.id + "#" + key;
    if (id in store.answered) return;
    store.answered[id] = correct ? 1 : 0;
    var f = store.families[variant.family] || [0, 0];
    store.families[variant.family] = [f[0] + (correct ? 1 : 0), f[1] + 1];
    save();
    renderScore();
  }

  function renderScore() {
    var right = 0, total = 0, detail = [];
    Object.keys(store.families).sort().forEach(function (fam) {
      var f = store.families[fam];
      right += f[0]; total += f[1];
      detail.push(fam + ": " + f[0] + "/" + f[1]);
    });
    var value = document.getElementById("score-value");
    value.textContent = total ? t("score_value", { right: right, total: total }) : t("score_none");
    value.title = detail.join(" · ");
    document.getElementById("score-label").textContent = t("score");
  }

  /* ---- page chrome ---- */

  function renderChrome() {
    document.documentElement.lang = store.lang;
    document.title = DATA.title || t("title");
    document.getElementById("page-title").textContent = DATA.title || t("title");
    document.getElementById("page-intro").textContent = t("intro");
    document.getElementById("footer-text").textContent = t("footer");
    document.getElementById("reset").textContent = t("reset");
    document.getElementById("label-family").textContent = t("family");
    document.getElementById("label-difficulty").textContent = t("difficulty");
    var sw = document.getElementById("lang-switch");
    sw.setAttribute("aria-label", t("language"));
    sw.innerHTML = "";
    if (DATA.langs.length < 2) sw.hidden = true;
    DATA.langs.forEach(function (lang) {
      var b = el("button", { type: "button", lang: lang, "aria-pressed": String(lang === store.lang),
        "data-lang": lang, text: lang.toUpperCase() });
      b.addEventListener("click", function () { switchLanguage(lang); });
      sw.appendChild(b);
    });
    var fam = document.getElementById("filter-family");
    fam.innerHTML = "";
    fam.appendChild(el("option", { value: "", text: t("all") }));
    Object.keys(DATA.families[store.lang]).forEach(function (id) {
      var o = el("option", { value: id, text: id, title: DATA.families[store.lang][id] });
      if (id === store.family) o.selected = true;
      fam.appendChild(o);
    });
    var diff = document.getElementById("filter-difficulty");
    diff.innerHTML = "";
    diff.appendChild(el("option", { value: "", text: t("all") }));
    var levels = {};
    DATA.variants.forEach(function (v) { levels[v.difficulty] = true; });
    Object.keys(levels).sort().forEach(function (d) {
      var o = el("option", { value: d, text: t("level", { d: d }) });
      if (d === store.difficulty) o.selected = true;
      diff.appendChild(o);
    });
    renderScore();
  }

  function switchLanguage(lang) {
    store.lang = lang;
    save();
    renderChrome();
    renderCard();
    var b = document.querySelector('#lang-switch button[data-lang="' + lang + '"]');
    if (b) b.focus();
  }

  /* ---- the exercise ---- */

  function feedbackNode(node, kind, verdictText, bodyHtml) {
    node.className = "feedback " + kind;
    node.innerHTML = "";
    node.appendChild(el("p", { class: "verdict", text: verdictText }));
    if (bodyHtml) {
      var body = el("div", { class: "detail", html: bodyHtml });
      node.appendChild(body);
      typeset(body);
    }
  }

  function hintHtml(hint) {
    if (!hint) return "";
    var label = "<strong>" + t("hint") + ":</strong> ";
    return hint.indexOf("<p>") === 0 ? "<p>" + label + "</p>" + hint : "<p>" + label + hint + "</p>";
  }

  function showPartVerdict(variant, text, i, node, state) {
    if (state.kind === "invalid") {
      node.className = "feedback invalid";
      node.textContent = state.raw.trim() ? t("not_number", { text: state.raw.trim() }) : t("empty");
    } else if (state.kind === "correct") {
      feedbackNode(node, "correct", t("correct"), "");
    } else if (state.kind === "misconception") {
      var d = text.parts[i].distractors[state.index];
      feedbackNode(node, "misconception", t("misconception", { title: d.title }), d.feedback);
    } else {
      feedbackNode(node, "wrong", t("wrong"), hintHtml(text.hint));
    }
  }

  function partForm(variant, text, i) {
    var part = variant.parts[i], ptext = text.parts[i];
    var id = "answer-" + i;
    var input = el("input", { type: "text", id: id, inputmode: "decimal", autocomplete: "off",
      spellcheck: "false", "aria-describedby": "feedback-" + i, placeholder: t("answer") });
    var fb = el("div", { class: "feedback", id: "feedback-" + i, role: "status", "aria-live": "polite" });
    var row = el("div", { class: "answer-row" }, [
      input,
      ptext.unit ? el("span", { class: "unit", text: ptext.unit }) : null,
      el("button", { type: "submit", class: "primary", text: t("check") })
    ]);
    var label = el("label", { class: "part-label", for: id, html: ptext.label });
    var form = el("form", { class: "part", "data-part": part.key, novalidate: "" }, [label, row,
      ptext.tolerance ? el("div", { class: "tolerance", text: t("tolerance", { tolerance: ptext.tolerance }) }) : null,
      fb]);
    var key = variant.id + "#" + part.key;
    if (session[key]) {
      input.value = session[key].raw;
      showPartVerdict(variant, text, i, fb, session[key]);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var raw = input.value;
      var value = parseNumber(raw, part.integer, part.unit);
      var state;
      if (value === null || !isFinite(value)) {
        state = { raw: raw, kind: "invalid", index: -1 };
      } else {
        var v = judge(part, value);
        state = { raw: raw, kind: v.kind, index: v.index };
        record(variant, part.key, v.kind === "correct");
      }
      session[key] = state;
      showPartVerdict(variant, text, i, fb, state);
      if (state.kind === "correct") {
        var next = document.getElementById("answer-" + (i + 1));
        if (next && !next.value) next.focus();
      }
    });
    return form;
  }

  function choiceForm(variant, text) {
    var multiple = variant.multiple;
    var fieldset = el("fieldset", {}, [el("legend", { text: multiple ? t("choose_many") : t("choose_one") })]);
    var boxes = [];
    text.choices.forEach(function (choice, i) {
      var input = el("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: String(i),
        id: "choice-" + i });
      boxes.push(input);
      var body = el("span", { class: "choice-body" }, [el("span", { class: "choice-text", html: choice.text }),
        el("div", { class: "choice-feedback", id: "choice-feedback-" + i })]);
      fieldset.appendChild(el("label", { class: "choice", for: "choice-" + i, "data-choice": String(i) },
        [input, body]));
    });
    var fb = el("div", { class: "feedback", id: "feedback-choice", role: "status", "aria-live": "polite" });
    var form = el("form", { class: "choices" }, [fieldset,
      el("button", { type: "submit", class: "primary choice-submit", text: t("check") }), fb]);
    var key = variant.id + "#choice";

    function show(state) {
      boxes.forEach(function (box, i) {
        box.checked = state.picked.indexOf(i) >= 0;
        var label = box.parentNode, note = document.getElementById("choice-feedback-" + i) ||
          label.querySelector(".choice-feedback");
        label.classList.remove("picked-correct", "picked-wrong");
        note.innerHTML = "";
        if (box.checked) {
          label.classList.add(variant.choices[i] ? "picked-correct" : "picked-wrong");
          note.innerHTML = text.choices[i].feedback;
          typeset(note);
        }
      });
      if (state.kind === "invalid") {
        fb.className = "feedback invalid";
        fb.textContent = t("pick_first");
      } else {
        feedbackNode(fb, state.kind, state.kind === "correct" ? t("correct") : t("choice_wrong"), "");
      }
    }

    if (session[key]) setTimeout(function () { show(session[key]); }, 0);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var picked = [];
      boxes.forEach(function (box, i) { if (box.checked) picked.push(i); });
      var state;
      if (!picked.length) {
        state = { picked: [], kind: "invalid" };
      } else {
        var right = variant.choices.every(function (correct, i) { return correct === (picked.indexOf(i) >= 0); });
        state = { picked: picked, kind: right ? "correct" : "wrong" };
        record(variant, "choice", right);
      }
      session[key] = state;
      show(state);
    });
    return form;
  }

  function renderCard() {
    var card = document.getElementById("card");
    card.innerHTML = "";
    var variant = current();
    save();
    if (!variant) {
      card.appendChild(el("p", { class: "message", text: t("no_match") }));
      return;
    }
    var text = variant.text[store.lang];
    var list = pool();
    card.setAttribute("data-variant", variant.id);
    card.setAttribute("data-family", variant.family);
    card.appendChild(el("div", { class: "card-head" }, [
      el("span", { class: "badge", text: variant.family, title: DATA.families[store.lang][variant.family] }),
      el("span", { class: "badge level", text: t("level", { d: variant.difficulty }) }),
      el("span", { class: "counter", text: t("variant", { i: list.indexOf(variant) + 1, n: list.length }) })
    ]));
    card.appendChild(el("h2", { id: "exercise-title", html: text.title }));
    card.appendChild(el("div", { class: "stem", html: text.stem }));
    text.diagrams.forEach(function (diagram) {
      var fig = el("figure", { class: "diagram", role: "img", "aria-label": diagram.label || t("network"),
        html: DATA.diagrams[diagram.svg] });
      card.appendChild(fig);
    });
    if (text.table) card.appendChild(el("div", { class: "table-wrap", html: text.table }));
    if (text.connections) card.appendChild(el("div", { class: "table-wrap", html: text.connections }));
    if (variant.choices.length) card.appendChild(choiceForm(variant, text));
    variant.parts.forEach(function (_, i) { card.appendChild(partForm(variant, text, i)); });

    var solution = el("section", { class: "solution", id: "solution", hidden: "" }, [
      el("h3", { text: t("solution") }), el("div", { html: text.solution })]);
    var toggle = el("button", { type: "button", class: "secondary", id: "show-solution",
      "aria-expanded": "false", "aria-controls": "solution", text: t("show_solution") });
    toggle.addEventListener("click", function () {
      var open = solution.hidden;
      solution.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? t("hide_solution") : t("show_solution");
    });
    var again = el("button", { type: "button", class: "secondary", id: "new-variant", text: t("new_variant") });
    again.addEventListener("click", newVariant);
    card.appendChild(el("div", { class: "actions" }, [toggle, again]));
    card.appendChild(el("p", { class: "message", id: "card-message", role: "status", "aria-live": "polite" }));
    card.appendChild(solution);
    typeset(card);
    Array.prototype.forEach.call(card.querySelectorAll(".diagram"), function (fig) {
      var svg = fig.querySelector("svg");
      // a long network scrolls sideways on a phone instead of shrinking its labels below legibility
      if (svg && parseFloat(svg.getAttribute("width")) > 1.6 * fig.clientWidth) fig.classList.add("wide");
    });
  }

  function newVariant() {
    var list = pool();
    var now = current();
    var others = list.filter(function (v) { return v !== now; });
    if (!others.length) {
      document.getElementById("card-message").textContent = t("only_one");
      return;
    }
    store.current = others[Math.floor(Math.random() * others.length)].id;
    save();
    renderCard();
    document.getElementById("card").focus();
  }

  document.getElementById("filter-family").addEventListener("change", function (ev) {
    store.family = ev.target.value;
    save();
    renderCard();
  });
  document.getElementById("filter-difficulty").addEventListener("change", function (ev) {
    store.difficulty = ev.target.value;
    save();
    renderCard();
  });
  document.getElementById("reset").addEventListener("click", function () {
    if (!window.confirm(t("reset_confirm"))) return;
    store.answered = {};
    store.families = {};
    session = {};
    save();
    renderScore();
    renderCard();
  });

  window.quizgenPractice = { parseNumber: parseNumber, judge: judge };  // for tests and the curious
  renderChrome();
  renderCard();
})();
