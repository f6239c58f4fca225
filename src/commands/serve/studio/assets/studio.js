// The studio of `loa serve`: page list, editor, new page. No framework; talks to /_studio/api/.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var token = document.querySelector('meta[name="loa-token"]').content;
  var texts = {}, lang = localStorage.getItem("loa-studio-lang") || document.documentElement.lang || "vi";
  var site = null, shortcodes = [], open = null, timer = 0;
  var FIELDS = ["title", "description", "date", "tags", "image", "image_alt", "print", "publish_date", "expiry_date"];
  var EVENT = ["date", "time", "place", "district"];

  function t(key, values) {
    var text = (texts[lang] && texts[lang][key]) || (texts.vi && texts.vi[key]) || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  function translatePage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = t(el.dataset.t); });
    document.querySelectorAll("[data-t-label]").forEach(function (el) { el.setAttribute("aria-label", t(el.dataset.tLabel)); });
    $("pv").title = t("preview.title");
    $("ui-lang").value = lang;
    document.title = t("app");
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function slugify(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function api(path, body) {
    var options = { headers: { "x-loa-lang": lang }, cache: "no-store" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["content-type"] = "application/json";
      options.headers["x-loa-token"] = token;
      options.body = JSON.stringify(body);
    }
    return fetch("/_studio/api/" + path, options).then(function (r) {
      return r.text().then(function (text) {
        var data = {};
        try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
        data.status = r.status;
        return data;
      });
    });
  }

  // ---- Page list ----
  function loadPages() {
    $("count").textContent = t("pages.loading");
    return api("pages").then(function (data) {
      if (data.error) { $("count").textContent = t("error", { text: data.error }); return; }
      site = data;
      fillFilters();
      renderPages();
      api("problems").then(function (found) {
        site.pages.forEach(function (page) {
          Object.keys(page.versions).forEach(function (c) {
            var v = page.versions[c];
            var here = found[v.path] || { problems: [], notes: [] };
            v.problems = v.problems.concat(here.problems);
            v.notes = here.notes;
          });
        });
        renderPages();
      });
      api("materials").then(function (found) {
        if (found.error) return;
        site.pages.forEach(function (page) {
          Object.keys(page.versions).forEach(function (c) { page.versions[c].materials = found[page.versions[c].path] || []; });
        });
        renderPages();
      });
    }, function () { $("count").textContent = t("error.network"); });
  }
  function options(select, values, labels) {
    var keep = select.value;
    select.textContent = "";
    select.appendChild(el("option", { value: "", text: t("pages.all") }));
    values.forEach(function (v, i) { select.appendChild(el("option", { value: v, text: labels ? labels[i] : v })); });
    select.value = keep;
  }
  function sectionName(key) { return key === "" ? t("pages.home") : key; }
  function fillFilters() {
    var sections = site.sections.map(function (s) { return s.replace(/\/$/, ""); });
    options($("f-section"), sections, sections.map(sectionName));
    options($("f-lang"), site.languages);
    var states = ["translated", "outdated", "missing", "draft", "scheduled", "expired", "broken"];
    options($("f-state"), states, states.map(function (s) { return t("state." + s); }));
    var section = $("n-section");
    section.textContent = "";
    sections.forEach(function (s) { section.appendChild(el("option", { value: s, text: sectionName(s) })); });
    if (sections.indexOf("tin-tuc") >= 0) section.value = "tin-tuc";
    $("tag-list").textContent = "";
    site.tags.forEach(function (tag) { $("tag-list").appendChild(el("option", { value: tag })); });
  }
  function matches(page) {
    var q = fold($("q").value.trim()), section = $("f-section").value, code = $("f-lang").value, state = $("f-state").value;
    if (q && page.folded.indexOf(q) < 0 && fold(page.key).indexOf(q) < 0) return false;
    if (section && page.within !== section && page.key.replace(/\/$/, "") !== section) return false;
    if (state) {
      var codes = code ? [code] : Object.keys(page.versions);
      return codes.some(function (c) { return page.versions[c] && page.versions[c].state === state; });
    }
    return true;
  }
  function badge(code, version, source) {
    var state = version.state === "translated" && source ? "source" : version.state;
    var label = code + ": " + t("state." + state);
    if (version.state === "missing") return el("span", { class: "badge missing", text: label });
    var link = el("a", { class: "badge " + version.state, href: "#edit=" + encodeURIComponent(version.path), text: label });
    var notes = version.notes || [], materials = version.materials || [];
    if (!version.problems.length && !notes.length && !materials.length) return link;
    var parts = [link];
    if (materials.length) parts.push(el("span", { class: "materials" }, materials.map(function (m) {
      var office = m.label.indexOf("print.office-") === 0;
      return el("a", { class: "material", href: m.path, target: "_blank", text: t(office ? "mat.print_office" : "mat." + m.kind) });
    })));
    if (version.problems.length) parts.push(el("details", { class: "found" }, [
      el("summary", { text: t("problems.count", { n: version.problems.length }) }),
      el("ul", {}, version.problems.map(function (p) { return el("li", { text: p }); }))
    ]));
    if (notes.length) parts.push(el("details", { class: "notes" }, [
      el("summary", { text: t("notes.count", { n: notes.length }) }),
      el("ul", {}, notes.map(function (p) { return el("li", { text: p }); }))
    ]));
    return el("span", { class: "with-problems" }, parts);
  }
  function renderPages() {
    if (!site) return;
    var list = $("page-list"), shown = site.pages.filter(matches), focused = document.activeElement;
    var keep = list.contains(focused) && focused.getAttribute("href") ? [focused.className, focused.getAttribute("href")] : null;
    list.textContent = "";
    shown.slice(0, 500).forEach(function (page) {
      var first = site.languages.map(function (c) { return page.versions[c]; }).filter(function (v) { return v.state !== "missing"; })[0];
      var title = el("a", { href: "#edit=" + encodeURIComponent(first.path), class: "title", text: first.title || page.key });
      var meta = el("span", { class: "meta", text: page.section ? t("pages.is_section") : sectionName(page.within) });
      var source = page.versions[site.languages[0]];
      var badges = el("span", { class: "badges" }, site.languages.map(function (c, i) {
        var b = badge(c, page.versions[c], i === 0);
        if (i === 0 || source.state === "missing") return b;
        var link = el("a", { class: "translate", href: "#translate=" + encodeURIComponent(source.path) + "&lang=" + c, text: t("tr.link", { lang: c }) });
        return el("span", { class: "pair" }, [b, link]);
      }));
      list.appendChild(el("li", {}, [title, " ", meta, badges]));
    });
    $("count").textContent = shown.length ? t("pages.count", { n: shown.length }) : t("pages.none");
    if (keep) {
      var again = Array.prototype.find.call(list.querySelectorAll("a"), function (a) { return a.className === keep[0] && a.getAttribute("href") === keep[1]; });
      if (again) again.focus();
    }
  }

  // ---- Editor ----
  function draftKey(path) { return "loa-studio-draft:" + path; }
  function openFile(path, keepStatus) {
    show("edit");
    if (!keepStatus) $("status").textContent = "";
    return api("file?path=" + encodeURIComponent(path)).then(function (data) {
      if (data.error) { $("status").textContent = t("error", { text: data.error }); return; }
      open = data;
      $("edit-name").textContent = data.fields.title || path;
      $("edit-path").textContent = path;
      fillForm(data.fields, data.body);
      var kept = localStorage.getItem(draftKey(path));
      if (kept) {
        var draft = JSON.parse(kept);
        fillForm(draft.fields, draft.body);
        $("status").textContent = t("restored");
      }
      hotlineBoxes(kept ? JSON.parse(kept).fields.hotlines : data.fields.hotlines);
      showPreview();
    }, function () { $("status").textContent = t("error.network"); });
  }
  function text(value) { return value === undefined || value === null ? "" : String(value); }
  function fillForm(fields, body) {
    FIELDS.forEach(function (name) {
      var value = fields[name];
      $("f-" + name).value = Array.isArray(value) ? value.join(", ") : text(value);
    });
    $("f-draft").checked = fields.draft === true;
    $("f-body").value = body;
    hotlineBoxes(fields.hotlines);
    var campaign = campaignOf(fields.campaign);
    $("f-campaign").hidden = !(fields.campaign || /(^|\/)_index(\.[a-z-]+)?\.md$/.test(open.path));
    $("c-day").value = campaign.day;
    $("c-slogan").value = campaign.slogan;
    $("c-events").textContent = "";
    campaign.events.forEach(eventRow);
  }
  // ---- Campaign fields ----
  function campaignOf(c) {
    c = c || {};
    return { day: text(c.day), slogan: text(c.slogan), events: (c.events || []).map(function (e) {
      var event = {};
      EVENT.concat(["description"]).forEach(function (k) { if (text(e[k]).trim()) event[k] = text(e[k]).trim(); });
      return event;
    }) };
  }
  function eventRow(event) {
    var row = el("tr", { "data-description": event.description || "" });
    EVENT.forEach(function (k) {
      var input = el("input", { "data-k": k, "aria-label": t(k === "district" ? "f.event.area" : "f.event." + k) });
      if (k === "date") input.setAttribute("placeholder", "30/7/2025");
      input.value = event[k] || "";
      row.appendChild(el("td", {}, [input]));
    });
    var remove = el("button", { type: "button", class: "linkish", text: t("f.event.remove") });
    remove.addEventListener("click", function () { row.remove(); keepDraft(); $("c-add").focus(); });
    row.appendChild(el("td", {}, [remove]));
    $("c-events").appendChild(row);
    return row;
  }
  function formCampaign() {
    var events = Array.prototype.map.call($("c-events").rows, function (row) {
      var event = {};
      row.querySelectorAll("input").forEach(function (i) { if (i.value.trim()) event[i.dataset.k] = i.value.trim(); });
      if (row.dataset.description) event.description = row.dataset.description;
      return event;
    }).filter(function (e) { return Object.keys(e).length; });
    return { day: $("c-day").value.trim(), slogan: $("c-slogan").value.trim(), events: events };
  }
  function hotlineBoxes(chosen) {
    var box = $("f-hotlines");
    box.textContent = "";
    (site ? site.hotlines : []).forEach(function (h) {
      var input = el("input", { type: "checkbox", value: h[0], name: "hotline" });
      input.checked = (chosen || []).map(String).indexOf(h[0]) >= 0;
      box.appendChild(el("label", { class: "check" }, [input, " " + h[1]]));
    });
  }
  function formFields() {
    var fields = {};
    FIELDS.forEach(function (name) {
      var value = $("f-" + name).value.trim();
      fields[name] = name === "tags" ? value.split(",").map(function (s) { return s.trim(); }).filter(Boolean) : value;
    });
    fields.draft = $("f-draft").checked;
    if (!$("f-campaign").hidden) fields.campaign = formCampaign();
    fields.hotlines = Array.prototype.map.call(document.querySelectorAll("#f-hotlines input:checked"), function (i) { return i.value; });
    return fields;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function changedFields() {
    var now = formFields(), before = open.fields, changed = {};
    Object.keys(now).forEach(function (name) {
      var old = before[name];
      if (name === "tags" || name === "hotlines") old = (old || []).map(String);
      else if (name === "draft") old = old === true;
      else if (name === "campaign") old = campaignOf(old);
      else old = text(old);
      var value = now[name];
      if (!same(value, old) && !(value === false && before[name] === undefined)) changed[name] = value;
      if (name === "campaign" && changed.campaign) {
        Object.keys(value).forEach(function (k) { if (same(value[k], old[k])) delete changed.campaign[k]; });
      }
    });
    return changed;
  }
  function keepDraft() {
    if (!open) return;
    localStorage.setItem(draftKey(open.path), JSON.stringify({ fields: formFields(), body: $("f-body").value }));
    $("status").textContent = t("unsaved");
    clearTimeout(timer);
    timer = setTimeout(showPreview, 150);
  }
  function save(version) {
    $("status").textContent = t("saving");
    var request = { path: open.path, version: version || open.version, fields: changedFields(), body: $("f-body").value };
    return api("save", request).then(function (data) {
      if (data.status === 409 && data.conflict) return conflict(data);
      if (data.error) { $("status").textContent = t("error", { text: data.error }); return; }
      localStorage.removeItem(draftKey(open.path));
      $("status").textContent = t("saved", { time: new Date().toLocaleTimeString(lang) });
      return openFile(open.path, true);
    }, function () { $("status").textContent = t("error.network"); });
  }
  // ---- Conflict: both versions editable side by side, a line diff between them; the one kept
  // is saved over the file on disk (its version named), with the form's changes.
  function bodyOf(file) {
    var text = file.replace(/\r\n/g, "\n"), end = text.indexOf("\n---\n", 3);
    return text.indexOf("---\n") === 0 && end > 0 ? [text.slice(0, end + 5), text.slice(end + 5)] : ["", text];
  }
  function lineDiff(a, b) {
    var x = a.split("\n"), y = b.split("\n"), n = x.length, m = y.length, i, j, out = [];
    if (n * m > 4e6) return [["del", a], ["add", b]];
    var lcs = [];
    for (i = n; i >= 0; i--) { lcs[i] = []; for (j = m; j >= 0; j--) lcs[i][j] = i === n || j === m ? 0 : x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]); }
    for (i = 0, j = 0; i < n || j < m;) {
      if (i < n && j < m && x[i] === y[j]) { out.push(["same", x[i]]); i++; j++; }
      else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(["add", y[j++]]);
      else out.push(["del", x[i++]]);
    }
    return out;
  }
  function showDiff(box, theirs, mine) {
    box.textContent = "";
    lineDiff(theirs, mine).forEach(function (d) {
      if (d[0] === "same") return;
      box.appendChild(el("li", { class: d[0], text: (d[0] === "add" ? t("conflict.only_mine") : t("conflict.only_theirs")) + " " + d[1] }));
    });
    if (!box.children.length) box.appendChild(el("li", { text: t("conflict.same") }));
  }
  function conflict(data) {
    var parts = bodyOf(data.theirs);
    var mine = el("textarea", { rows: "12", id: "c-mine" });
    mine.value = $("f-body").value;
    var theirs = el("textarea", { rows: "12", id: "c-theirs" });
    theirs.value = parts[1];
    var diff = el("ul", { class: "line-diff", id: "c-diff", "aria-label": t("conflict.diff") });
    var update = function () { showDiff(diff, theirs.value, mine.value); };
    mine.addEventListener("input", update);
    theirs.addEventListener("input", update);
    update();
    var keep = function (body) {
      return function () { $("f-body").value = body.value; keepDraft(); save(data.version); return true; };
    };
    dialog(t("conflict.title"), [
      el("p", { text: t("conflict.text") }),
      el("div", { class: "versions" }, [
        el("label", {}, [el("span", { text: t("conflict.mine") }), mine]),
        el("label", {}, [el("span", { text: t("conflict.theirs") }), theirs])
      ]),
      el("details", {}, [el("summary", { text: t("conflict.front") }), el("pre", { text: parts[0] })]),
      el("h3", { class: "small", text: t("conflict.diff") }), diff
    ], [
      [t("conflict.keep_mine"), keep(mine)],
      [t("conflict.keep_theirs"), keep(theirs)],
      [t("conflict.take_theirs"), function () { localStorage.removeItem(draftKey(open.path)); openFile(open.path); return true; }],
      [t("conflict.cancel"), function () { return true; }]
    ]);
    $("status").textContent = t("conflict.title");
  }
  var previewing = 0;
  function showPreview() {
    if (!open || !site) return;
    var n = ++previewing, request = { path: open.path, fields: changedFields(), body: $("f-body").value };
    api("preview", request).then(function (data) {
      if (n !== previewing || !open || open.path !== request.path) return;
      var list = $("problems");
      list.textContent = "";
      if (data.error) { list.appendChild(el("li", { text: data.error })); return; }
      data.problems.forEach(function (p) {
        var line = p.line ? t("problem.line", { line: p.line }) + " " : "";
        var item = el("li", {}, [el("button", { type: "button", class: "linkish", "data-line": String(p.line), text: line + p.message })]);
        list.appendChild(item);
      });
      marked = data.problems;
      placeMarks();
      checkPrint();
      $("pv").setAttribute("src", "/_studio/preview?path=" + encodeURIComponent(request.path) + "&n=" + n);
    }, function () { $("status").textContent = t("error.network"); });
  }
  // A printed page is laid out from the unsaved text too (slower, so after a longer pause):
  // a leaflet whose text no longer fits its layout is told before it is saved.
  var fitting = 0, fitTimer = 0;
  function checkPrint() {
    clearTimeout(fitTimer);
    if (!open || !$("f-print").value) { $("fits").textContent = ""; return; }
    fitTimer = setTimeout(function () {
      if (!open) return;
      var n = ++fitting;
      api("fits", { path: open.path, fields: changedFields(), body: $("f-body").value }).then(function (data) {
        if (n !== fitting) return;
        var box = $("fits");
        box.textContent = "";
        (data.problems || []).forEach(function (p) { box.appendChild(el("li", { text: p.message })); });
        if (data.error) box.appendChild(el("li", { text: data.error }));
      });
    }, 800);
  }
  // Problems beside their line: a mark in the text area's gutter, at the height of the line
  // (measured in a hidden copy of the text area that wraps lines as it does).
  var marked = [], mirror = null;
  function lineTop(area, index) {
    if (!mirror) { mirror = el("div", { class: "mirror", "aria-hidden": "true" }); document.body.appendChild(mirror); }
    var style = getComputedStyle(area);
    ["fontFamily", "fontSize", "lineHeight", "paddingTop", "paddingLeft", "paddingRight", "borderTopWidth", "borderLeftWidth", "borderRightWidth", "letterSpacing", "boxSizing"].forEach(function (k) { mirror.style[k] = style[k]; });
    mirror.style.width = area.clientWidth + "px";
    mirror.textContent = area.value.split("\n").slice(0, index).join("\n") + (index ? "\n" : "");
    var spot = el("span", { text: "|" });
    mirror.appendChild(spot);
    return spot.offsetTop - area.scrollTop;
  }
  function placeMarks() {
    var area = $("f-body"), box = $("f-marks");
    box.textContent = "";
    if (!open) return;
    var skip = open.text.split("\n").length - open.body.split("\n").length;
    marked.filter(function (p) { return p.line > skip; }).forEach(function (p) {
      var top = lineTop(area, p.line - 1 - skip);
      if (top < 0 || top > area.clientHeight) return;
      var mark = el("span", { class: "mark", title: p.message, "data-line": String(p.line), text: "!" });
      mark.style.top = top + "px";
      mark.addEventListener("click", function () { goToLine(p.line); });
      box.appendChild(mark);
    });
  }
  function goToLine(line) {
    var area = $("f-body"), offset = 0, lines = area.value.split("\n"), skip = open.text.split("\n").length - open.body.split("\n").length;
    for (var i = 0; i < Math.max(0, line - 1 - skip) && i < lines.length; i++) offset += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(offset, offset + (lines[Math.max(0, line - 1 - skip)] || "").length);
  }
  // ---- Toolbar ----
  function wrap(before, after, placeholder) {
    var area = $("f-body"), start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || placeholder || "";
    area.setRangeText(before + chosen + after, start, end, "end");
    area.focus();
    keepDraft();
  }
  function linePrefix(prefix) {
    var area = $("f-body"), start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    area.setRangeText(prefix, start, start, "end");
    area.focus();
    keepDraft();
  }
  var focusAfter = null;
  function insert(text) {
    var area = $("f-body");
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    focusAfter = area;
    keepDraft();
  }
  function pagePicker() {
    var search = el("input", { type: "search", id: "lp-q" }), words = el("input", { id: "lp-text" });
    var list = el("select", { id: "lp-list", size: "8" });
    function fill() {
      var q = fold(search.value);
      list.textContent = "";
      site.pages.filter(function (p) { return !q || p.folded.indexOf(q) >= 0; }).slice(0, 100).forEach(function (p) {
        var v = p.versions[site.languages[0]];
        if (v.state !== "missing") list.appendChild(el("option", { value: v.path, text: v.title }));
      });
      list.selectedIndex = 0;
    }
    search.addEventListener("input", fill);
    words.value = $("f-body").value.slice($("f-body").selectionStart, $("f-body").selectionEnd);
    dialog(t("link.title"), [
      el("label", {}, [el("span", { text: t("link.search") }), search]),
      el("label", {}, [el("span", { text: t("link.title") }), list]),
      el("label", {}, [el("span", { text: t("link.text") }), words])
    ], [[t("sc.insert"), function () {
      if (!list.value) return t("sc.required", { name: t("link.title") });
      var label = words.value.trim() || list.options[list.selectedIndex].text;
      insert("[" + label + "](@/" + list.value.replace(/^content\//, "") + ")");
      return true;
    }], [t("sc.cancel"), function () { return true; }]]);
    fill();
  }
  function shortcodeForm(code) {
    var inputs = code.arguments.map(function (a) {
      var input;
      if (a.name === "id" && code.name === "hotline") {
        input = el("select", { id: "sc-" + a.name });
        site.hotlines.forEach(function (h) { input.appendChild(el("option", { value: h[0], text: h[1] })); });
      } else if (a.name === "kind" && code.name === "callout") {
        input = el("select", { id: "sc-" + a.name });
        ["info", "warning", "help"].forEach(function (k) { input.appendChild(el("option", { value: k, text: k })); });
      } else {
        input = el("input", { id: "sc-" + a.name, placeholder: a.default || "" });
      }
      return { arg: a, input: input };
    });
    var inner = code.block ? el("textarea", { id: "sc-body", rows: "3" }) : null;
    var body = inputs.map(function (i) {
      return el("label", {}, [el("span", { text: argLabel(code, i.arg.name) + (i.arg.default === null ? " *" : "") }), i.input]);
    });
    if (inner) body.push(el("label", {}, [el("span", { text: t("sc.text") }), inner]));
    dialog(t("sc.title", { name: texts.vi["sc." + code.name] ? t("sc." + code.name) : code.name }), body, [[t("sc.insert"), function () {
      var args = [];
      for (var k = 0; k < inputs.length; k++) {
        var value = inputs[k].input.value.trim();
        if (!value && inputs[k].arg.default === null) return t("sc.required", { name: argLabel(code, inputs[k].arg.name) });
        if (value && value !== inputs[k].arg.default) args.push(inputs[k].arg.name + "=" + JSON.stringify(value));
      }
      var call = code.name + "(" + args.join(", ") + ")";
      insert(code.block ? "\n{% " + call + " %}\n" + (inner.value || "") + "\n{% end %}\n" : "{{ " + call + " }}");
      return true;
    }], [t("sc.cancel"), function () { return true; }]]);
  }
  function argLabel(code, name) {
    var key = "arg." + code.name + "." + name;
    return texts.vi[key] ? t(key) : name;
  }
  function shortcodeButtons() {
    var box = $("sc-buttons");
    box.textContent = "";
    shortcodes.slice().sort(function (a, b) { return (b.name === "hotline") - (a.name === "hotline"); }).forEach(function (code) {
      var label = texts.vi["sc." + code.name] ? t("sc." + code.name) : code.name;
      var button = el("button", { type: "button", "data-shortcode": code.name, text: label });
      button.addEventListener("click", function () { shortcodeForm(code); });
      box.appendChild(button);
    });
  }

  // ---- Dialog ----
  function dialog(title, body, actions) {
    var dlg = $("dlg");
    $("dlg-h").textContent = title;
    $("dlg-body").textContent = "";
    $("dlg-error").textContent = "";
    body.forEach(function (n) { $("dlg-body").appendChild(n); });
    $("dlg-actions").textContent = "";
    actions.forEach(function (action, i) {
      var button = el("button", { type: "button", class: i === 0 ? "primary" : "", text: action[0] });
      button.addEventListener("click", function () {
        var done = action[1]();
        if (done !== true) { $("dlg-error").textContent = done; return; }
        dlg.close();
        if (focusAfter) focusAfter.focus();
        focusAfter = null;
      });
      $("dlg-actions").appendChild(button);
    });
    dlg.showModal();
    var first = dlg.querySelector("input, select, textarea, button");
    if (first) first.focus();
  }

  // ---- New page ----
  function newAddress() {
    var slug = $("n-slug").value || slugify($("n-title").value), section = $("n-section").value;
    var campaign = $("n-kind").value === "campaign";
    $("n-day-field").hidden = !campaign;
    $("n-day").required = campaign;
    $("n-address").textContent = t("new.address", { url: "/" + (section ? section + "/" : "") + slug + "/" });
  }
  function createPage(event) {
    event.preventDefault();
    var request = { section: $("n-section").value, title: $("n-title").value, slug: $("n-slug").value || slugify($("n-title").value), kind: $("n-kind").value, day: $("n-day").value };
    api("new", request).then(function (data) {
      if (data.error) { $("n-status").textContent = t("error", { text: data.error }); return; }
      $("n-status").textContent = t("new.created", { path: data.path });
      $("new-form").reset();
      loadPages().then(function () { location.hash = "#edit=" + encodeURIComponent(data.path); });
    });
  }

  // ---- Translate ----
  var translating = null;
  function openTranslation(source, code, status) {
    show("translate");
    translating = { source: source, lang: code };
    $("tr-status").textContent = status || "";
    $("tr-source-h").textContent = site.languages[0] + " · " + source;
    api("translate?source=" + encodeURIComponent(source) + "&lang=" + encodeURIComponent(code)).then(function (data) {
      if (data.error) { $("tr-status").textContent = t("error", { text: data.error }); return; }
      translating.path = data.path;
      $("tr-path").textContent = data.path;
      $("tr-name").textContent = code;
      $("tr-target-h").textContent = code + " · " + data.path;
      $("tr-start").hidden = data.view.exists;
      $("tr-edit").hidden = $("tr-stamp").hidden = !data.view.exists;
      var rows = $("tr-rows"), changed = 0;
      rows.textContent = "";
      data.view.rows.forEach(function (row) {
        if (row.state === "changed" || row.state === "new") changed++;
        var left = el("td", {}, [el("span", { class: "state", text: t("tr.state." + row.state) })]);
        if (row.diff.length) {
          left.appendChild(el("p", { class: "diff" }, row.diff.reduce(function (all, p) {
            all.push(p[0] === "same" ? p[1] : el(p[0] === "added" ? "ins" : "del", { text: p[1] }), " ");
            return all;
          }, [])));
        } else if (row.source) left.appendChild(el("p", { text: row.source.text }));
        var right = el("td", {}, [el("p", { class: row.translation ? "" : "empty", text: row.translation ? row.translation.text : t("tr.empty") })]);
        rows.appendChild(el("tr", { class: row.state }, [left, right]));
      });
      var unmarked = data.view.rows.some(function (r) { return r.state === "unknown"; });
      $("tr-summary").textContent = !data.view.exists ? t("tr.missing") : unmarked ? t("tr.unmarked") : t("tr.changed", { n: changed });
    });
  }
  function startTranslation() {
    api("translate/start", translating).then(function (data) {
      if (data.error) { $("tr-status").textContent = t("error", { text: data.error }); return; }
      loadPages().then(function () { location.hash = "#edit=" + encodeURIComponent(data.path); });
    });
  }
  function stampTranslation() {
    api("translate/stamp", translating).then(function (data) {
      if (data.error) { $("tr-status").textContent = t("error", { text: data.error }); return; }
      loadPages();
      openTranslation(translating.source, translating.lang, t("tr.stamped"));
    });
  }

  // ---- Photos ----
  function uploadPhoto(file) {
    if (!open || !file) return;
    if (file.size > 25 * 1024 * 1024) { $("status").textContent = t("photo.too_big"); return; }
    $("status").textContent = t("photo.sending");
    var url = "/_studio/api/photo?page=" + encodeURIComponent(open.path) + "&name=" + encodeURIComponent(file.name);
    fetch(url, { method: "POST", body: file, headers: { "x-loa-token": token, "x-loa-lang": lang, "content-type": "application/octet-stream" } })
      .then(function (r) { return r.json().catch(function () { return { error: r.status + "" }; }); })
      .then(function (data) {
        $("photo").value = "";
        if (data.error) { $("status").textContent = t("error", { text: data.error }); return; }
        var moved = data.page !== open.path;
        if (moved) {
          var kept = localStorage.getItem(draftKey(open.path));
          if (kept) localStorage.setItem(draftKey(data.page), kept);
          localStorage.removeItem(draftKey(open.path));
          open.path = data.page;
          $("edit-path").textContent = data.page;
        }
        var alt = el("input", { id: "photo-alt", required: "" });
        dialog(t("photo.alt_title"), [
          el("p", { class: "safe", text: t("photo.cleaned", { name: data.name }) }),
          el("label", {}, [el("span", { text: t("f.image_alt") }), alt])
        ], [[t("sc.insert"), function () {
          if (!alt.value.trim()) return t("sc.required", { name: t("f.image_alt") });
          insert("\n\n![" + alt.value.trim().replace(/[\[\]]/g, "") + "](" + data.name + ")\n\n");
          return true;
        }]]);
        $("status").textContent = t("photo.cleaned", { name: data.name });
        if (moved) history.replaceState(null, "", "#edit=" + encodeURIComponent(data.page));
      }, function () { $("status").textContent = t("error.network"); });
  }

  // ---- Delete ----
  function deletePage() {
    if (!open) return;
    var target = open;
    api("links?path=" + encodeURIComponent(target.path)).then(function (linking) {
      var body = [el("p", { text: t("delete.confirm", { path: target.path }) })];
      if (Array.isArray(linking) && linking.length) {
        body.push(el("p", { text: t("delete.linked", { n: linking.length }) }));
        body.push(el("ul", {}, linking.map(function (p) { return el("li", {}, [el("code", { text: p })]); })));
      }
      dialog(t("delete.title"), body, [[t("delete.yes"), function () {
        api("delete", { path: target.path, version: target.version }).then(function (data) {
          if (data.conflict) { $("status").textContent = t("conflict.title"); return; }
          if (data.error) { $("status").textContent = t("error", { text: data.error }); return; }
          localStorage.removeItem(draftKey(target.path));
          loadPages().then(function () { location.hash = "#pages"; $("count").textContent = t("delete.done", { path: target.path }); });
        });
        return true;
      }], [t("sc.cancel"), function () { return true; }]]);
    });
  }

  // ---- Rename ----
  function renamePage() {
    if (!open) return;
    var target = open, parts = target.path.split("/"), file = parts.pop();
    var bundle = /^index\./.test(file), stem = bundle ? parts.pop() : file.split(".")[0];
    var slug = el("input", { id: "rename-slug", value: stem, pattern: "[a-z0-9]+(-[a-z0-9]+)*", required: "" });
    var shown = el("p", { "aria-live": "polite" });
    var where = function () {
      var name = slugify(slug.value) || stem;
      return parts.concat(bundle ? [name, file] : [name + file.slice(stem.length)]).join("/");
    };
    var update = function () { shown.textContent = t("rename.address", { path: where() }); };
    slug.addEventListener("input", update);
    update();
    api("links?path=" + encodeURIComponent(target.path)).then(function (linking) {
      var body = [el("label", {}, [el("span", { text: t("rename.slug") }), slug]), shown, el("p", { text: t("rename.alias") })];
      if (Array.isArray(linking) && linking.length) {
        body.push(el("p", { text: t("rename.linked", { n: linking.length }) }));
        body.push(el("ul", {}, linking.map(function (p) { return el("li", {}, [el("code", { text: p })]); })));
      }
      dialog(t("rename.title"), body, [[t("rename.yes"), function () {
        if (!slugify(slug.value)) return t("sc.required", { name: t("rename.slug") });
        api("rename", { path: target.path, version: target.version, slug: slugify(slug.value) }).then(function (data) {
          if (data.conflict) { $("status").textContent = t("conflict.title"); return; }
          if (data.error) { $("status").textContent = t("error", { text: data.error }); return; }
          var kept = localStorage.getItem(draftKey(target.path));
          if (kept) localStorage.setItem(draftKey(data.path), kept);
          localStorage.removeItem(draftKey(target.path));
          loadPages();
          history.replaceState(null, "", "#edit=" + encodeURIComponent(data.path));
          $("status").textContent = t("rename.done", { path: data.path }) + (data.relinked.length ? " " + t("rename.relinked", { n: data.relinked.length }) : "");
          openFile(data.path, true);
        });
        return true;
      }], [t("sc.cancel"), function () { return true; }]]);
    });
  }

  // ---- Publish ----
  function publish() {
    var box = $("publish-result");
    box.className = "notice";
    box.textContent = t("publish.running");
    $("publish").disabled = true;
    api("publish", {}).then(function (data) {
      $("publish").disabled = false;
      box.textContent = "";
      if (data.error) { box.className = "notice bad"; box.appendChild(el("pre", { text: t("publish.failed") + "\n" + data.error })); return; }
      box.appendChild(el("p", { text: t("publish.done") + " " + data.summary }));
      if (data.warnings.length) box.appendChild(el("details", {}, [el("summary", { text: t("problems.count", { n: data.warnings.length }) }), el("pre", { text: data.warnings.join("\n") })]));
    }, function () { $("publish").disabled = false; box.textContent = t("error.network"); });
  }

  // ---- Views ----
  function show(view) {
    ["pages", "edit", "new", "translate"].forEach(function (v) { $("view-" + v).hidden = v !== view; });
  }
  function route() {
    var hash = location.hash;
    if (hash.indexOf("#edit=") === 0) return openFile(decodeURIComponent(hash.slice(6)));
    if (hash.indexOf("#translate=") === 0) {
      var parts = hash.slice(11).split("&lang=");
      return openTranslation(decodeURIComponent(parts[0]), parts[1]);
    }
    open = null;
    if (hash === "#new") { show("new"); newAddress(); $("n-title").focus(); return; }
    show("pages");
    renderPages();
  }

  function start() {
    translatePage();
    ["q", "f-section", "f-lang", "f-state"].forEach(function (id) { $(id).addEventListener("input", renderPages); });
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
    $("ui-lang").addEventListener("change", function () {
      lang = this.value;
      localStorage.setItem("loa-studio-lang", lang);
      translatePage();
      if (site) { fillFilters(); renderPages(); shortcodeButtons(); }
    });
    $("editor").addEventListener("input", keepDraft);
    $("editor").addEventListener("submit", function (e) { e.preventDefault(); save(); });
    $("discard").addEventListener("click", function () {
      if (!open || !confirm(t("confirm.discard"))) return;
      localStorage.removeItem(draftKey(open.path));
      $("status").textContent = t("discarded");
      openFile(open.path);
    });
    $("toolbar").addEventListener("click", function (e) {
      var what = e.target.dataset && e.target.dataset.do;
      if (what === "heading") linePrefix("## ");
      else if (what === "bold") wrap("**", "**", t("tb.bold"));
      else if (what === "italic") wrap("*", "*", t("tb.italic"));
      else if (what === "list") linePrefix("- ");
      else if (what === "link") pagePicker();
    });
    $("f-body").addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
    });
    $("f-body").addEventListener("scroll", placeMarks);
    $("c-add").addEventListener("click", function () { eventRow({}).querySelector("input").focus(); });
    window.addEventListener("resize", placeMarks);
    $("problems").addEventListener("click", function (e) {
      var line = e.target.dataset && e.target.dataset.line;
      if (line && line !== "0") goToLine(Number(line));
    });
    $("pv-phone").addEventListener("click", function () { frameSize(true); });
    $("pv-desktop").addEventListener("click", function () { frameSize(false); });
    $("n-title").addEventListener("input", newAddress);
    $("n-slug").addEventListener("input", newAddress);
    $("n-kind").addEventListener("change", newAddress);
    $("n-section").addEventListener("change", newAddress);
    $("new-form").addEventListener("submit", createPage);
    window.addEventListener("hashchange", route);
    $("publish").addEventListener("click", publish);
    $("delete").addEventListener("click", deletePage);
    $("rename").addEventListener("click", renamePage);
    $("photo").addEventListener("change", function () { uploadPhoto(this.files[0]); });
    $("f-body").addEventListener("dragover", function (e) { e.preventDefault(); });
    $("f-body").addEventListener("drop", function (e) {
      if (!e.dataTransfer.files.length) return;
      e.preventDefault();
      uploadPhoto(e.dataTransfer.files[0]);
    });
    $("tr-start").addEventListener("click", startTranslation);
    $("tr-stamp").addEventListener("click", stampTranslation);
    $("tr-edit").addEventListener("click", function () { location.hash = "#edit=" + encodeURIComponent(translating.path); });
    api("shortcodes").then(function (list) { if (Array.isArray(list)) { shortcodes = list; shortcodeButtons(); } });
    loadPages().then(route);
  }
  function frameSize(phone) {
    $("pv-frame").className = "frame " + (phone ? "phone" : "desktop");
    $("pv-phone").setAttribute("aria-pressed", String(phone));
    $("pv-desktop").setAttribute("aria-pressed", String(!phone));
  }

  fetch("/_studio/locale.json").then(function (r) { return r.json(); }).then(function (data) {
    texts = data;
    if (!texts[lang]) lang = "vi";
    start();
  });
})();
