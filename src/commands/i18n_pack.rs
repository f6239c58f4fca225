//! The translation pack: one HTML file with no outside resource, each source block beside a box
//! for its translation, that a translator fills in a phone's browser (the work is kept in the
//! browser's storage) and saves as an XLIFF file for `loa i18n import`; printed, it is two
//! columns, source and translation, to work on paper.

use serde::Serialize;

use crate::base::messages::UiLang;
use crate::base::text::escape_xml;
use crate::commands::i18n_exchange::{Exchange, State, Unit, page_key};
use crate::commands::i18n_markup::{self as markup, Piece};
use crate::commands::i18n_xliff;

/// What the pack's script needs to write the XLIFF file.
#[derive(Serialize)]
struct PackData {
    key: String,
    filename: String,
    #[serde(rename = "srcLang")]
    src_lang: String,
    #[serde(rename = "trgLang")]
    trg_lang: String,
    kept: String,
    pages: Vec<PackPage>,
}

#[derive(Serialize)]
struct PackPage {
    original: String,
    units: Vec<PackUnit>,
}

#[derive(Serialize)]
struct PackUnit {
    id: String,
    source: String,
    data: String,
    pairs: Vec<u32>,
    alone: Vec<u32>,
    initial: String,
    translated: bool,
}

/// The exchange as a translation pack, its labels in `lang`.
pub fn write(exchange: &Exchange, lang: UiLang) -> String {
    let data = pack_data(exchange, lang);
    let json = serde_json::to_string(&data).unwrap_or_default().replace("</", "<\\/");
    let title = msg!("pack.title", name = &exchange.lang_name, code = &exchange.lang).render(lang);
    let mut body = String::new();
    for page in &exchange.pages {
        body.push_str(&format!(
            "<section><h2>{}</h2><p class=file>{}</p>\n",
            escape_xml(&page.address),
            escape_xml(&page.source.display().to_string())
        ));
        let original = page_key(&page.translation);
        for unit in &page.units {
            body.push_str(&unit_html(&original, unit, &exchange.lang, lang));
        }
        body.push_str("</section>\n");
    }
    format!(
        "<!doctype html>\n<html lang=\"{ui}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head>\n<body><header><h1>{title}</h1>\
<p>{intro}</p><p>{markers}</p><p><button id=\"save\" type=\"button\">{save}</button></p>\
<p id=\"status\" role=\"status\"></p></header>\n<main>\n{body}</main>\n\
<script type=\"application/json\" id=\"pack\">{json}</script>\n<script>{SCRIPT}</script>\n</body></html>\n",
        ui = if lang == UiLang::Vi { "vi" } else { "en" },
        title = escape_xml(&title),
        intro = escape_xml(&msg!("pack.intro").render(lang)),
        markers = escape_xml(&msg!("pack.markers", one = "{1}", pair = "{2}…{/2}").render(lang)),
        save = escape_xml(&msg!("pack.save").render(lang)),
    )
}

fn pack_data(exchange: &Exchange, lang: UiLang) -> PackData {
    let pages: Vec<PackPage> = exchange
        .pages
        .iter()
        .map(|page| PackPage {
            original: page_key(&page.translation),
            units: page.units.iter().map(pack_unit).collect(),
        })
        .collect();
    let ids: String = pages.iter().flat_map(|p| p.units.iter().map(|u| u.id.as_str())).collect();
    PackData {
        key: format!("{}:{}", exchange.lang, fingerprint(&ids)),
        filename: format!("loa-{}.xlf", exchange.lang),
        src_lang: exchange.source_lang.clone(),
        trg_lang: exchange.lang.clone(),
        kept: msg!("pack.kept").render(lang),
        pages,
    }
}

fn pack_unit(unit: &Unit) -> PackUnit {
    let data = i18n_xliff::original_data(&unit.source);
    let pair = |p: &Piece| match p {
        Piece::Open { id, .. } => Some(*id),
        _ => None,
    };
    let alone = |p: &Piece| match p {
        Piece::Ph { id, .. } => Some(*id),
        _ => None,
    };
    PackUnit {
        id: unit.id.clone(),
        source: i18n_xliff::inline(&unit.source),
        data: if data.is_empty() { data } else { format!("<originalData>{data}</originalData>") },
        pairs: unit.source.iter().filter_map(pair).collect(),
        alone: unit.source.iter().filter_map(alone).collect(),
        initial: unit.target.as_deref().map(markup::with_markers).unwrap_or_default(),
        translated: unit.state == State::Translated,
    }
}

/// FNV-1a of `text`, 8 hex digits: names the pack's storage so two exports do not mix.
fn fingerprint(text: &str) -> String {
    let hash =
        text.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

fn unit_html(original: &str, unit: &Unit, code: &str, lang: UiLang) -> String {
    let key = format!("{original} {}", unit.id);
    let source = marked(&markup::with_markers(&unit.source));
    let notes: String = unit
        .notes
        .iter()
        .map(|n| format!("<span class=note>{}</span>", escape_xml(&n.render(lang))))
        .collect();
    let initial = unit.target.as_deref().map(markup::with_markers).unwrap_or_default();
    let review = match unit.state {
        State::NeedsReview => {
            format!("<span class=note>{}</span>", escape_xml(&msg!("pack.review").render(lang)))
        }
        _ => String::new(),
    };
    format!(
        "<div class=unit><p class=source>{source}{notes}{review}</p>\
<label><span class=label>{label}</span><textarea lang=\"{code}\" rows=\"3\" data-key=\"{key}\">{initial}</textarea></label></div>\n",
        label = escape_xml(&msg!("pack.translation").render(lang)),
        code = escape_xml(code),
        key = escape_xml(&key),
        initial = escape_xml(&initial),
    )
}

/// Marker text with each `{n}` and `{/n}` shown as a mark that stands out.
fn marked(text: &str) -> String {
    let escaped = escape_xml(text);
    let mut out = String::new();
    let mut rest = escaped.as_str();
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e + 1);
        let inner = end.map(|e| &rest[start + 1..e - 1]);
        let is_marker = inner.is_some_and(|i| {
            let digits = i.strip_prefix('/').unwrap_or(i);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
        });
        match end.filter(|_| is_marker) {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str(&format!("<b class=mark>{}</b>", &rest[start..end]));
                rest = &rest[end..];
            }
            None => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const STYLE: &str = "body{font:1.0625rem/1.55 system-ui,sans-serif;margin:0;color:#1a1a1a}\
header,main{max-width:60rem;margin:0 auto;padding:0 1rem}h1{font-size:1.4rem}\
h2{font-size:1.05rem;margin:1.5rem 0 .25rem;overflow-wrap:anywhere}.file{color:#555;margin:0 0 .5rem}\
.unit{border-top:1px solid #ccc;padding:.5rem 0}.source{margin:0 0 .4rem}\
.note{display:block;color:#7a3b00;font-size:.9rem}.mark{background:#e8e2d6;border-radius:.2rem;padding:0 .15rem;font-weight:600}\
.label{display:block;font-size:.85rem;color:#555}\
textarea{box-sizing:border-box;width:100%;min-height:4.5rem;font:inherit;padding:.4rem;border:2px solid #555;border-radius:.25rem}\
button{font:inherit;min-height:44px;padding:.4rem 1rem;background:#9b1c1c;color:#fff;border:0;border-radius:.25rem}\
#status:empty{display:none}\
@media (min-width:48rem){.unit{display:grid;grid-template-columns:1fr 1fr;gap:1rem}}\
@media print{button,#status,.label{display:none}body{font-size:10.5pt}\
.unit{display:grid;grid-template-columns:1fr 1fr;gap:.8rem;break-inside:avoid}\
textarea{border:1px solid #000;min-height:5rem;resize:none}}";

const SCRIPT: &str = r#"(function () {
  var data = JSON.parse(document.getElementById("pack").textContent);
  var storage = "loa-pack:" + data.key;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(storage) || "{}"); } catch (e) { saved = {}; }
  var status = document.getElementById("status");
  var areas = {};
  document.querySelectorAll("textarea[data-key]").forEach(function (area) {
    var key = area.getAttribute("data-key");
    areas[key] = area;
    if (Object.prototype.hasOwnProperty.call(saved, key)) { area.value = saved[key]; }
    area.addEventListener("input", function () {
      saved[key] = area.value;
      try { localStorage.setItem(storage, JSON.stringify(saved)); status.textContent = data.kept; } catch (e) {}
    });
  });
  function esc(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function target(text, unit) {
    var tokens = [], re = /\{(\/?)(\d+)\}/g, last = 0, m;
    while ((m = re.exec(text))) {
      tokens.push({ text: text.slice(last, m.index) });
      tokens.push({ marker: m[0], close: m[1] === "/", n: Number(m[2]) });
      last = re.lastIndex;
    }
    tokens.push({ text: text.slice(last) });
    var open = [];
    tokens.forEach(function (t) {
      if (t.marker === undefined || unit.pairs.indexOf(t.n) < 0) { return; }
      if (!t.close) { open.push(t); return; }
      var top = open[open.length - 1];
      if (top && top.n === t.n) { open.pop(); top.matched = t.matched = true; }
    });
    return tokens.map(function (t) {
      if (t.marker === undefined) { return esc(t.text); }
      if (t.matched && !t.close) {
        return '<pc id="' + t.n + '" dataRefStart="d' + t.n + '" dataRefEnd="d' + t.n + 'e" canCopy="no" canDelete="no" canOverlap="no">';
      }
      if (t.matched) { return "</pc>"; }
      if (!t.close && unit.alone.indexOf(t.n) >= 0) {
        return '<ph id="' + t.n + '" dataRef="d' + t.n + '" canCopy="no" canDelete="no"/>';
      }
      return esc(t.marker);
    }).join("");
  }
  function xliff() {
    var out = '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="' +
      esc(data.srcLang) + '" trgLang="' + esc(data.trgLang) + '">\n';
    data.pages.forEach(function (page, index) {
      out += '  <file id="f' + (index + 1) + '" original="' + esc(page.original) + '">\n';
      page.units.forEach(function (unit) {
        var area = areas[page.original + " " + unit.id];
        var text = area ? area.value : unit.initial;
        var filled = text.trim() !== "";
        var done = filled && (unit.translated || text !== unit.initial);
        out += '    <unit id="' + esc(unit.id) + '">' + unit.data + '<segment state="' + (done ? "translated" : "initial") +
          '"><source>' + unit.source + "</source>" + (filled ? "<target>" + target(text, unit) + "</target>" : "") +
          "</segment></unit>\n";
      });
      out += "  </file>\n";
    });
    return out + "</xliff>\n";
  }
  document.getElementById("save").addEventListener("click", function () {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([xliff()], { type: "application/xliff+xml" }));
    link.download = data.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_stand_out_and_other_braces_stay_text() {
        assert_eq!(
            marked("Gọi {1}số{/1} {x} <a>"),
            "Gọi <b class=mark>{1}</b>số<b class=mark>{/1}</b> {x} &lt;a&gt;"
        );
    }
}
