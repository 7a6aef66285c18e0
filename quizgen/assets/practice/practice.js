/* quizgen practice page. Every answer, tolerance and misconception value was computed and verified in
   Python and is embedded in #quizgen-data; this script only compares a typed number with those values. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("quizgen-data").textContent);
  var PAGE = document.body.getAttribute("data-page");
  var STORE_KEY = "quizgen-practice-" + PAGE;
  var MATH = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true }
  ];

  var store = loadStore();

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
    for (var r = 0; r < part.rounded.length; r++) {
      if (near(value, part.rounded[r], 0)) return { kind: "rounded", index: -1 };
    }
    for (var i = 0; i < part.distractors.length; i++) {
      if (near(value, part.distractors[i], part.dwindow)) return { kind: "misconception", index: i };
    }
    return { kind: "wrong", index: -1 };
  }

  /* ---- storage: everything the student did, kept per page (the key holds the page's content hash) ---- */

  function emptyStore() {
    return { version: 2, lang: null, family: "", difficulty: "", retry: false, current: null, progress: {} };
  }

  function loadStore() {
    var empty = emptyStore();
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (saved && typeof saved === "object" && saved.version === 2) {
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

  function $(id) { return document.getElementById(id); }

  function typeset(node) {
    if (window.renderMathInElement) {
      window.renderMathInElement(node, { delimiters: MATH, throwOnError: false });
    }
  }

  function topicName(family) {
    var f = DATA.families[store.lang][family];
    return f ? f.name : family;
  }

  function variantById(id) {
    for (var i = 0; i < DATA.variants.length; i++) if (DATA.variants[i].id === id) return DATA.variants[i];
    return null;
  }

  /* ---- progress: per exercise, per part (a choice question has the one part "choice") ---- */

  function slotKeys(v) {
    var keys = v.parts.map(function (p) { return p.key; });
    if (v.choices.length) keys.unshift("choice");
    return keys;
  }

  function record(v) {
    var rec = store.progress[v.id];
    if (!rec) rec = store.progress[v.id] = { parts: {}, steps: 0 };
    return rec;
  }

  function slot(v, key) {
    var rec = record(v);
    return rec.parts[key] || (rec.parts[key] = { tries: 0, hints: 0 });
  }

  function peekSlot(v, key) {
    var rec = store.progress[v.id];
    return rec && rec.parts[key] ? rec.parts[key] : null;
  }

  // the first real answer is the one that counts; opening the solution first counts as not right
  function score(v, key, correct) {
    var s = slot(v, key);
    s.tries += 1;
    if (s.first === undefined) s.first = correct ? 1 : 0;
    save();
    renderProgress();
  }

  function status(v) {
    var right = 0, scored = 0, keys = slotKeys(v);
    keys.forEach(function (key) {
      var s = peekSlot(v, key);
      if (s && s.first !== undefined) { scored += 1; right += s.first; }
    });
    if (!scored) return "untried";
    if (right === keys.length) return "right";
    return right ? "partial" : "wrong";
  }

  function unanswered(v) {
    return slotKeys(v).some(function (key) { var s = peekSlot(v, key); return !s || s.first === undefined; });
  }

  function toRetry(v) { var s = status(v); return s === "wrong" || s === "partial"; }

  /* ---- which exercises: filters, then (when retrying) only those got wrong ---- */

  function filtered() {
    return DATA.variants.filter(function (v) {
      return (!store.family || v.family === store.family) &&
        (!store.difficulty || String(v.difficulty) === store.difficulty);
    });
  }

  function pool() {
    var list = filtered();
    return store.retry ? list.filter(function (v) { return store.progress[v.id] && store.progress[v.id].retry; }) : list;
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

  function go(v, focusCard) {
    store.current = v.id;
    save();
    $("nav-message").textContent = "";
    renderCard();
    renderNav();
    if (focusCard) $("card").focus();
  }

  /* ---- score, per topic, and the map ---- */

  function totals() {
    var byTopic = {}, right = 0, total = 0;
    DATA.variants.forEach(function (v) {
      slotKeys(v).forEach(function (key) {
        var s = peekSlot(v, key);
        if (!s || s.first === undefined) return;
        var f = byTopic[v.family] || (byTopic[v.family] = [0, 0]);
        f[0] += s.first; f[1] += 1; right += s.first; total += 1;
      });
    });
    return { right: right, total: total, byTopic: byTopic };
  }

  function renderProgress() {
    var sum = totals();
    $("score-label").textContent = t("score");
    $("score-value").textContent = sum.total ? t("score_value", { right: sum.right, total: sum.total }) : t("score_none");
    var table = $("by-topic");
    table.innerHTML = "";
    table.appendChild(el("caption", { text: t("by_topic") }));
    Object.keys(DATA.families[store.lang]).forEach(function (family) {
      var f = sum.byTopic[family] || [0, 0];
      var row = el("tr", { "data-family": family }, [el("th", { scope: "row", text: topicName(family) }),
        el("td", { text: f[1] ? t("topic_score", { right: f[0], total: f[1] }) : "–" }),
        el("td", { class: "bar-cell" }, [el("span", { class: "bar", "aria-hidden": "true" },
          [el("span", { class: "bar-fill", style: "width:" + (f[1] ? Math.round(100 * f[0] / f[1]) : 0) + "%" })])])]);
      table.appendChild(row);
    });
    var wrong = DATA.variants.filter(toRetry).length;
    var retry = $("retry");
    retry.textContent = store.retry ? t("retry_off") : t("retry", { n: wrong });
    retry.disabled = !store.retry && !wrong;
    renderMap();
  }

  function renderMap() {
    var map = $("map");
    var list = pool(), now = current();
    map.innerHTML = "";
    list.forEach(function (v, i) {
      var st = status(v);
      var b = el("button", { type: "button", class: "mark " + st, "data-variant": v.id, "data-status": st,
        "aria-label": t("map_item", { i: i + 1, status: t("status_" + st) }), title: topicName(v.family),
        text: String(i + 1) });
      if (v === now) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { go(v, true); });
      map.appendChild(el("li", {}, [b]));
    });
    $("map-title").textContent = t("map");
    $("map-legend").innerHTML = "";
    ["untried", "right", "wrong", "partial"].forEach(function (st) {
      $("map-legend").appendChild(el("span", { class: "legend-item" }, [
        el("span", { class: "mark " + st, "aria-hidden": "true" }), el("span", { text: t("status_" + st) })]));
    });
  }

  function renderNav() {
    var list = pool(), now = current();
    var i = list.indexOf(now);
    $("previous").disabled = i <= 0;
    $("next").disabled = i < 0 || i >= list.length - 1;
    $("next-unanswered").disabled = !list.length;
    $("position").textContent = now ? t("variant", { i: i + 1, n: list.length }) : "";
    var info = $("retry-info");
    info.hidden = !store.retry;
    info.textContent = store.retry ? t("retry_info", { n: list.length }) : "";
    renderProgress();
  }

  function step(delta) {
    var list = pool(), i = list.indexOf(current());
    if (i + delta >= 0 && i + delta < list.length) go(list[i + delta], false);
  }

  function nextUnanswered() {
    var list = pool(), i = list.indexOf(current());
    for (var k = 1; k <= list.length; k++) {
      var v = list[(i + k) % list.length];
      if (v !== current() && unanswered(v)) { go(v, true); return; }
    }
    $("nav-message").textContent = t("all_answered");
  }

  function startRetry() {
    if (store.retry) {
      store.retry = false;
    } else {
      // the typed answers and verdicts of the exercises got wrong are cleared; their first-try score stays
      DATA.variants.forEach(function (v) {
        var rec = store.progress[v.id];
        if (!rec) return;
        rec.retry = toRetry(v);
        if (!rec.retry) return;
        rec.steps = 0;
        Object.keys(rec.parts).forEach(function (key) {
          var s = rec.parts[key];
          delete s.raw; delete s.kind; delete s.index; delete s.picked;
          s.hints = 0;
        });
      });
      store.retry = true;
    }
    store.current = null;
    save();
    renderCard();
    renderNav();
  }

  /* ---- page chrome ---- */

  function pageTitle() {
    return DATA.title && store.lang === DATA.title_lang ? DATA.title : t("title");
  }

  function renderChrome() {
    document.documentElement.lang = store.lang;
    document.title = pageTitle();
    $("page-title").textContent = pageTitle();
    var texts = { "page-intro": "intro", "footer-text": "footer", "reset": "reset", "label-family": "family",
      "label-difficulty": "difficulty", "rule": "rule", "previous": "previous", "next": "next",
      "next-unanswered": "next_unanswered", "progress-title": "progress", "export": "export", "import": "import" };
    Object.keys(texts).forEach(function (id) { $(id).textContent = t(texts[id]); });
    $("stepper").setAttribute("aria-label", t("map"));
    var sw = $("lang-switch");
    sw.setAttribute("aria-label", t("language"));
    sw.innerHTML = "";
    if (DATA.langs.length < 2) sw.hidden = true;
    DATA.langs.forEach(function (lang) {
      var b = el("button", { type: "button", lang: lang, "aria-pressed": String(lang === store.lang),
        "data-lang": lang, text: lang.toUpperCase() });
      b.addEventListener("click", function () { switchLanguage(lang); });
      sw.appendChild(b);
    });
    renderFilters();
  }

  function renderFilters() {
    var fam = $("filter-family");
    fam.innerHTML = "";
    fam.appendChild(el("option", { value: "", text: t("all") }));
    Object.keys(DATA.families[store.lang]).forEach(function (id) {
      var o = el("option", { value: id, text: topicName(id), title: DATA.families[store.lang][id].summary });
      if (id === store.family) o.selected = true;
      fam.appendChild(o);
    });
    // only the difficulties the chosen topic has on this page
    var levels = {};
    DATA.variants.forEach(function (v) { if (!store.family || v.family === store.family) levels[v.difficulty] = true; });
    if (store.difficulty && !levels[store.difficulty]) store.difficulty = "";
    var diff = $("filter-difficulty");
    diff.innerHTML = "";
    diff.appendChild(el("option", { value: "", text: t("all") }));
    Object.keys(levels).sort().forEach(function (d) {
      var o = el("option", { value: d, text: t("level", { d: d }) });
      if (d === store.difficulty) o.selected = true;
      diff.appendChild(o);
    });
  }

  function switchLanguage(lang) {
    store.lang = lang;
    save();
    renderChrome();
    renderCard();
    renderNav();
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

  function showPartVerdict(text, i, node, state) {
    if (state.kind === "invalid") {
      node.className = "feedback invalid";
      node.textContent = state.raw.trim() ? t("not_number", { text: state.raw.trim() }) : t("empty");
    } else if (state.kind === "correct") {
      feedbackNode(node, state.peeked ? "correct peeked" : "correct", state.peeked ? t("correct_peeked") : t("correct"), "");
    } else if (state.kind === "misconception") {
      var d = text.parts[i].distractors[state.index];
      feedbackNode(node, "misconception", t("misconception", { title: d.title }), d.feedback);
    } else if (state.kind === "rounded") {
      feedbackNode(node, "wrong", t("rounded"), text.parts[i].rounded);
    } else if (state.kind === "wrong") {
      feedbackNode(node, "wrong", t("wrong"), "");
    } else {
      node.className = "feedback";
      node.innerHTML = "";
    }
  }

  function partHints(text, i) {
    var own = text.parts[i].hints;
    return own.length ? own : (text.hint ? [text.hint] : []);
  }

  function hintBox(v, text, i, key) {
    var hints = partHints(text, i);
    var list = el("ol", { class: "hints", id: "hints-" + i, "aria-live": "polite" });
    var button = el("button", { type: "button", class: "link hint-button", id: "hint-" + i, "aria-controls": "hints-" + i });
    function show() {
      var s = peekSlot(v, key), n = s ? Math.min(s.hints || 0, hints.length) : 0;
      list.innerHTML = "";
      for (var k = 0; k < n; k++) list.appendChild(el("li", { html: "<strong>" + t("hint") + ":</strong> " + hints[k] }));
      typeset(list);
      button.textContent = n >= hints.length ? t("hint_none") : (n ? t("hint_more") : t("hint_button"));
      button.disabled = n >= hints.length;
    }
    button.addEventListener("click", function () {
      slot(v, key).hints = (slot(v, key).hints || 0) + 1;
      save();
      show();
    });
    show();
    return hints.length ? el("div", { class: "hint-box" }, [button, list]) : null;
  }

  function partForm(v, text, i) {
    var part = v.parts[i], ptext = text.parts[i];
    var id = "answer-" + i, key = part.key;
    var input = el("input", { type: "text", id: id, inputmode: "decimal", autocomplete: "off",
      spellcheck: "false", "aria-describedby": "feedback-" + i, placeholder: t("answer") });
    var fb = el("div", { class: "feedback", id: "feedback-" + i, role: "status", "aria-live": "polite" });
    var row = el("div", { class: "answer-row" }, [
      input,
      ptext.unit ? el("span", { class: "unit", text: ptext.unit }) : null,
      el("button", { type: "submit", class: "primary", id: "check-" + i, text: t("check") })
    ]);
    var label = el("label", { class: "part-label", for: id, html: ptext.label });
    var form = el("form", { class: "part", "data-part": key, novalidate: "" }, [label, row,
      ptext.decimal_mark ? el("div", { class: "tolerance", text: t("decimal_mark") }) : null,
      hintBox(v, text, i, key), fb]);
    var saved = peekSlot(v, key);
    if (saved && saved.kind) {
      input.value = saved.raw || "";
      showPartVerdict(text, i, fb, saved);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var raw = input.value;
      var value = parseNumber(raw, part.integer, part.unit);
      var s = slot(v, key);
      s.raw = raw;
      if (value === null || !isFinite(value)) {
        s.kind = "invalid";
        save();
      } else {
        var verdict = judge(part, value);
        s.kind = verdict.kind;
        s.index = verdict.index;
        score(v, key, verdict.kind === "correct");
      }
      showPartVerdict(text, i, fb, s);
      if (s.kind === "correct") {
        var next = $("answer-" + (i + 1));
        if (next && !next.value) next.focus();
      }
    });
    return form;
  }

  function choiceForm(v, text) {
    var multiple = v.multiple;
    var fieldset = el("fieldset", {}, [el("legend", { text: text.legend || (multiple ? t("choose_many") : t("choose_one")) })]);
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

    function show(state) {
      boxes.forEach(function (box, i) {
        box.checked = (state.picked || []).indexOf(i) >= 0;
        var label = box.parentNode, note = label.querySelector(".choice-feedback");
        label.classList.remove("picked-correct", "picked-wrong");
        note.innerHTML = "";
        if (box.checked && state.kind !== "invalid") {
          label.classList.add(v.choices[i] ? "picked-correct" : "picked-wrong");
          note.innerHTML = text.choices[i].feedback;
          typeset(note);
        }
      });
      if (state.kind === "invalid") {
        fb.className = "feedback invalid";
        fb.textContent = t("pick_first");
      } else if (state.kind === "correct") {
        feedbackNode(fb, state.peeked ? "correct peeked" : "correct", state.peeked ? t("correct_peeked") : t("correct"), "");
      } else {
        feedbackNode(fb, "wrong", t("choice_wrong"), "");
      }
    }

    var saved = peekSlot(v, "choice");
    if (saved && saved.kind) setTimeout(function () { show(saved); }, 0);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var picked = [];
      boxes.forEach(function (box, i) { if (box.checked) picked.push(i); });
      var s = slot(v, "choice");
      s.picked = picked;
      if (!picked.length) {
        s.kind = "invalid";
        save();
      } else {
        var right = v.choices.every(function (correct, i) { return correct === (picked.indexOf(i) >= 0); });
        s.kind = right ? "correct" : "wrong";
        score(v, "choice", right);
      }
      show(s);
    });
    return form;
  }

  function solutionBox(v, text) {
    var steps = text.steps, n = steps.length;
    var section = el("section", { class: "solution", id: "solution" });
    var button = el("button", { type: "button", class: "secondary", id: "show-solution", "aria-controls": "solution" });
    var hidden = false;
    function shown() { return store.progress[v.id] ? store.progress[v.id].steps || 0 : 0; }
    function render() {
      var k = shown();
      section.innerHTML = "";
      section.hidden = !k || hidden;
      if (k) {
        section.appendChild(el("h3", { text: t("solution") }));
        var list = el("ol", { class: "steps" });
        for (var j = 0; j < Math.min(k, n); j++) list.appendChild(el("li", { html: steps[j] }));
        section.appendChild(list);
        if (k >= n) section.appendChild(el("div", { html: text.answers }));
        typeset(section);
        markScrollers(section);
      }
      if (k < n || !k) {
        button.textContent = k ? t("next_step", { i: k + 1, n: n }) : t("show_solution");
      } else {
        button.textContent = hidden ? t("reopen_solution") : t("hide_solution");
      }
      button.setAttribute("aria-expanded", String(!!k && !hidden));
      rule.hidden = !!k;
    }
    var rule = el("p", { class: "solution-rule", text: t("solution_rule") });
    button.addEventListener("click", function () {
      var k = shown();
      if (k && k >= n) { hidden = !hidden; render(); return; }
      var rec = record(v);
      if (!k) {
        // opening the solution: every part not answered yet counts as not right
        slotKeys(v).forEach(function (key) {
          var s = slot(v, key);
          if (s.first === undefined) { s.first = 0; s.peeked = true; }
        });
        renderProgress();
      }
      rec.steps = Math.max(1, Math.min(n, k + 1));
      save();
      render();
    });
    render();
    return { section: section, button: button, rule: rule };
  }

  function renderCard() {
    var card = $("card");
    card.innerHTML = "";
    var v = current();
    save();
    if (!v) {
      card.appendChild(el("p", { class: "message", text: t("no_match") }));
      return;
    }
    var text = v.text[store.lang];
    card.setAttribute("data-variant", v.id);
    card.setAttribute("data-family", v.family);
    card.appendChild(el("div", { class: "card-head" }, [
      el("span", { class: "badge", text: topicName(v.family), title: DATA.families[store.lang][v.family].summary }),
      el("span", { class: "badge level", text: t("level", { d: v.difficulty }) })
    ]));
    card.appendChild(el("h2", { id: "exercise-title", html: text.title }));
    card.appendChild(el("div", { class: "stem", html: text.stem }));
    text.diagrams.forEach(function (diagram) {
      // a labelled diagram (D and B of a 1×1 question) says which it is above the drawing
      if (diagram.caption) card.appendChild(el("p", { class: "diagram-caption", html: diagram.caption }));
      card.appendChild(el("figure", { class: "diagram", role: "img", "aria-label": diagram.label || t("network"),
        html: DATA.diagrams[diagram.svg] }));
    });
    if (text.table) card.appendChild(el("div", { class: "table-wrap", html: text.table }));
    if (text.connections) card.appendChild(el("div", { class: "table-wrap", html: text.connections }));
    if (v.choices.length) card.appendChild(choiceForm(v, text));
    v.parts.forEach(function (_, i) { card.appendChild(partForm(v, text, i)); });
    var solution = solutionBox(v, text);
    card.appendChild(el("div", { class: "actions" }, [solution.button, solution.rule]));
    card.appendChild(solution.section);
    typeset(card);
    Array.prototype.forEach.call(card.querySelectorAll(".diagram"), function (fig) {
      var svg = fig.querySelector("svg");
      // a long network scrolls sideways on a phone instead of shrinking its labels below legibility
      if (svg && parseFloat(svg.getAttribute("width")) > 1.6 * fig.clientWidth) fig.classList.add("wide");
    });
    markScrollers(card);
  }

  /* ---- wide things (diagrams, equations, tables) scroll sideways with a visible cue ---- */

  function markScrollers(root) {
    var wide = root.querySelectorAll(".diagram, .math, .table-wrap, .stem .katex-display, .feedback .katex-display");
    Array.prototype.forEach.call(wide, function (node) {
      var scrolls = node.scrollWidth > node.clientWidth + 1;
      node.classList.toggle("scrolls", scrolls);
      var cue = node.nextElementSibling;
      var hasCue = cue && cue.classList.contains("scroll-cue");
      if (scrolls && !hasCue) {
        node.setAttribute("tabindex", "0");  // a keyboard can scroll it too
        node.insertAdjacentElement("afterend", el("p", { class: "scroll-cue", "aria-hidden": "true", text: t("scroll") }));
      } else if (!scrolls && hasCue) {
        node.removeAttribute("tabindex");
        cue.remove();
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { markScrollers($("card")); }, 100);
  });

  /* ---- moving progress between devices: a small JSON file ---- */

  function exportProgress() {
    var body = JSON.stringify({ quizgen: "practice-progress", page: PAGE, progress: store.progress });
    var link = el("a", { href: "data:application/json;charset=utf-8," + encodeURIComponent(body),
      download: "quizgen-progress-" + PAGE + ".json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function importProgress(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { data = null; }
    if (!data || data.quizgen !== "practice-progress" || typeof data.progress !== "object" || !data.progress) {
      $("progress-message").textContent = t("import_bad");
      return;
    }
    // exercises are known by their id (family, difficulty, seed): any of them on this page is taken
    var n = 0;
    Object.keys(data.progress).forEach(function (id) {
      var rec = data.progress[id];
      if (!variantById(id) || !rec || typeof rec.parts !== "object") return;
      store.progress[id] = { parts: rec.parts, steps: Number(rec.steps) || 0 };
      n += 1;
    });
    store.retry = false;
    save();
    renderCard();
    renderNav();
    $("progress-message").textContent = t("imported", { n: n });
  }

  /* ---- wiring ---- */

  $("filter-family").addEventListener("change", function (ev) {
    store.family = ev.target.value;
    renderFilters();
    save();
    renderCard();
    renderNav();
  });
  $("filter-difficulty").addEventListener("change", function (ev) {
    store.difficulty = ev.target.value;
    save();
    renderCard();
    renderNav();
  });
  $("previous").addEventListener("click", function () { step(-1); });
  $("next").addEventListener("click", function () { step(1); });
  $("next-unanswered").addEventListener("click", nextUnanswered);
  $("retry").addEventListener("click", startRetry);
  $("export").addEventListener("click", exportProgress);
  $("import").addEventListener("click", function () { $("import-file").click(); });
  $("import-file").addEventListener("change", function (ev) {
    var file = ev.target.files && ev.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { importProgress(String(reader.result)); ev.target.value = ""; };
    reader.readAsText(file);
  });
  $("reset").addEventListener("click", function () {
    if (!window.confirm(t("reset_confirm"))) return;
    store.progress = {};
    store.retry = false;
    store.current = null;
    save();
    $("progress-message").textContent = "";
    renderCard();
    renderNav();
  });

  window.quizgenPractice = { parseNumber: parseNumber, judge: judge };  // for tests and the curious
  if (DATA.langs.indexOf(store.lang) < 0) store.lang = DATA.lang;
  renderChrome();
  renderCard();
  renderNav();
})();
