//! The offline exchange: `loa i18n export` to XLIFF 2.0 or PO, filled in by a script as a
//! translator would, and `loa i18n import` writing the translations back, refusing what would
//! lose work, and writing nothing when the file is wrong.

use std::path::Path;

use crate::common;

use common::{fixture, read, run_loa, write};

/// A file of the site (not of its output).
fn source_file(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap()
}

const PAGE: &str = "content/tin-tuc/goi.md";
const TRANSLATION: &str = "content/tin-tuc/goi.en.md";

const SOURCE: &str = "---\ntitle: Gọi đường dây nóng\ndescription: Ai cũng có thể gọi.\ndate: 30/7/2024\n---\n\n## Khi nào gọi\n\nGọi **{{ hotline(id=\"111\") }}** hoặc hỏi\n[người thân](tel:18001581).\n\n- Giữ giấy tờ của bạn.\n- Báo cho *người thân* biết.\n\n{% callout(kind=\"info\") %}\nCuộc gọi miễn phí.\n{% end %}\n";

/// What a person translating by hand writes (front matter as import writes it, stamps aside).
const BY_HAND: &str = "---\ntitle: \"Call the hotline\"\ndescription: \"Anyone can call.\"\ndate: 30/7/2024\n---\n\n## When to call\n\nCall **{{ hotline(id=\"111\") }}** or ask [family](tel:18001581).\n\n- Keep your papers.\n- Let your *family* know.\n\n{% callout(kind=\"info\") %}\nThe call is free.\n{% end %}\n";

/// The translator's words, applied around the markup the file protects.
const WORDS: [(&str, &str); 11] = [
    ("Gọi đường dây nóng", "Call the hotline"),
    ("Ai cũng có thể gọi.", "Anyone can call."),
    ("Khi nào gọi", "When to call"),
    ("Gọi ", "Call "),
    (" hoặc hỏi ", " or ask "),
    ("người thân</pc> biết", "family</pc> know"),
    ("người thân{/1} biết", "family{/1} know"),
    ("người thân", "family"),
    ("Giữ giấy tờ của bạn.", "Keep your papers."),
    ("Báo cho ", "Let your "),
    ("Cuộc gọi miễn phí.", "The call is free."),
];

fn translate(text: &str) -> String {
    WORDS.iter().fold(text.to_owned(), |t, (vi, en)| t.replace(vi, en))
}

fn site_with_page() -> tempfile::TempDir {
    let site = fixture("i18n");
    write(site.path(), PAGE, SOURCE);
    site
}

fn export(site: &Path, format: &str) -> String {
    let (ok, out, err) =
        run_loa(site, &["i18n", "export", "--lang", "en", "--format", format, PAGE]);
    assert!(ok, "{err}");
    out
}

/// Gives each XLIFF unit a target: its source with the words translated (tags kept).
fn fill_xliff(xliff: &str) -> String {
    let mut out = String::new();
    for line in xliff.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(inner) =
            line.trim().strip_prefix("<source>").and_then(|l| l.strip_suffix("</source>"))
        {
            out.push_str(&format!("        <target>{}</target>\n", translate(inner)));
        }
    }
    out.replace("<segment state=\"initial\">", "<segment state=\"translated\">")
}

/// Gives each PO entry a msgstr: its msgid with the words translated (markers kept).
fn fill_po(po: &str) -> String {
    let mut out = String::new();
    let mut msgid = None;
    for line in po.lines() {
        if let Some(id) = line.strip_prefix("msgid \"").and_then(|l| l.strip_suffix('"')) {
            msgid = Some(id.to_owned()).filter(|id| !id.is_empty());
        }
        match (line.starts_with("msgstr "), &msgid) {
            (true, Some(id)) => out.push_str(&format!("msgstr \"{}\"\n", translate(id))),
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.replace("#, fuzzy\n", "")
}

fn without_stamps(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("translated_blocks:") && !l.starts_with("translated_from:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn import(site: &Path, file: &str, text: &str, extra: &[&str]) -> (bool, String, String) {
    write(site, file, text);
    let mut args = vec!["--ui-lang", "en", "i18n", "import", file];
    args.extend(extra);
    run_loa(site, &args)
}

fn assert_round_trip(site: &Path) {
    let written = source_file(site, TRANSLATION);
    assert_eq!(without_stamps(&written), BY_HAND);
    let (ok, out, err) = run_loa(site, &["i18n", "status", "--format", "json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pages = report[1]["blocks"].as_array().unwrap();
    let page = pages.iter().find(|p| p["path"] == TRANSLATION).expect("the page has block stamps");
    assert_eq!(
        (&page["current"], &page["changed"], &page["new"]),
        (&7.into(), &0.into(), &0.into())
    );
    assert!(report[1]["translated"].as_array().unwrap().iter().any(|p| p == TRANSLATION));
    assert!(run_loa(site, &["build", "--now", "2024-08-01"]).0);
    let html = read(site, "en/tin-tuc/goi/index.html");
    assert!(html.contains("<h2 id=when-to-call>When to call</h2>"), "the page is built in English");
    assert!(html.contains("or ask <a href=tel:18001581>family</a>"), "the link survived");
}

#[test]
fn a_page_goes_through_xliff_and_comes_back_as_the_hand_translation() {
    let site = site_with_page();
    let xliff = export(site.path(), "xliff");
    assert_eq!(xliff.matches("<unit ").count(), 7, "one unit per block: {xliff}");
    assert!(xliff.contains("canDelete=\"no\""), "{xliff}");
    assert!(xliff.contains("<data id=\"d2\">{{ hotline(id=&quot;111&quot;) }}</data>"), "{xliff}");
    assert!(
        xliff.contains("Page: https://example.org/chien-dich/tin-tuc/goi/")
            || xliff.contains("Trang: https://example.org/chien-dich/tin-tuc/goi/"),
        "{xliff}"
    );
    let (ok, out, err) = import(site.path(), "en.xlf", &fill_xliff(&xliff), &[]);
    assert!(ok, "{err}");
    assert!(out.contains("content/tin-tuc/goi.en.md: 7 blocks translated"), "{out}");
    assert_round_trip(site.path());
    assert_eq!(source_file(site.path(), PAGE), SOURCE, "import never touches the source");
}

#[test]
fn a_page_goes_through_po_and_comes_back_as_the_hand_translation() {
    let site = site_with_page();
    let po = export(site.path(), "po");
    assert!(po.contains("msgid \"Gọi {1}{2}{/1} hoặc hỏi {3}người thân{/3}.\""), "{po}");
    assert!(
        po.contains("{2} stands for {{ hotline(id=\"111\") }}") || po.contains("{2} thay cho"),
        "{po}"
    );
    let wrapped = fill_po(&po).replace(
        "msgstr \"Call {1}{2}{/1} or ask {3}family{/3}.\"",
        "msgstr \"\"\n\"Call {1}{2}{/1} \"\n\"or ask {3}family{/3}.\"\n#| msgid \"an older source\"",
    );
    assert_ne!(wrapped, fill_po(&po), "a long msgstr on lines of its own, as Poedit writes it");
    let (ok, out, err) = import(site.path(), "en.po", &wrapped, &[]);
    assert!(ok, "{err}\n{wrapped}");
    assert!(out.contains("7 blocks translated"), "{out}");
    assert_round_trip(site.path());
}

/// The paragraph's target in a filled XLIFF file, and the unit holding it.
const PARAGRAPH_TARGET: &str = "<target>Call <pc id=\"1\"";

fn filled_and_imported(site: &Path) -> String {
    let filled = fill_xliff(&export(site, "xliff"));
    let (ok, _, err) = import(site, "en.xlf", &filled, &[]);
    assert!(ok, "{err}");
    filled
}

fn record(site: &Path) -> serde_json::Value {
    serde_json::from_str(&source_file(site, "translations/tin-tuc/goi.en.json")).unwrap()
}

#[test]
fn a_unit_whose_source_block_changed_since_the_export_is_reported_and_kept_as_a_suggestion() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    write(site.path(), PAGE, SOURCE.replace("- Giữ giấy tờ", "- Luôn giữ giấy tờ"));
    let (ok, out, err) = import(site.path(), "en.xlf", &filled, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("6 blocks translated"), "{out}");
    assert_eq!(
        out.matches("not applied: its source block changed since the export").count(),
        1,
        "{out}"
    );
    assert!(out.contains("unit b4-"), "the report names the unit: {out}");
    let written = source_file(site.path(), TRANSLATION);
    assert!(
        written.contains("- Luôn giữ giấy tờ của bạn.\n- Let your *family* know."),
        "{written}"
    );
    assert!(!written.contains("Keep your papers"), "{written}");
    let suggestions = &record(site.path())["suggestions"];
    assert_eq!(suggestions[0]["source"], "Giữ giấy tờ của bạn.", "{suggestions:#}");
    assert_eq!(suggestions[0]["translation"], "Keep your papers.", "{suggestions:#}");
    let (_, status, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(
        status.contains("goi.en.md: blocks 6 current, 0 changed, 1 new, 0 removed"),
        "{status}"
    );
}

#[test]
fn a_translation_edited_in_the_site_since_the_export_is_not_overwritten_without_force() {
    let site = site_with_page();
    filled_and_imported(site.path());
    let second = export(site.path(), "xliff");
    assert!(second.contains("<segment state=\"translated\">"), "{second}");
    assert!(second.contains("<target>Keep your papers.</target>"), "{second}");
    let edited = source_file(site.path(), TRANSLATION)
        .replace("Keep your papers.", "Keep your papers safe.");
    write(site.path(), TRANSLATION, &edited);
    let offline = second
        .replace("<target>Keep your papers.</target>", "<target>Hold on to your papers.</target>");
    let (ok, out, err) = import(site.path(), "en.xlf", &offline, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("was edited in the site since the export (use --force"), "{out}");
    assert_eq!(
        source_file(site.path(), TRANSLATION),
        edited,
        "nothing else changed, so nothing is written"
    );
    let (ok, out, err) = import(site.path(), "en.xlf", &offline, &["--force"]);
    assert!(ok, "{err}");
    assert!(out.contains("overwriting a translation edited in the site since the export"), "{out}");
    let forced = source_file(site.path(), TRANSLATION);
    assert!(forced.contains("- Hold on to your papers.\n") && !forced.contains("safe"), "{forced}");
}

#[test]
fn an_unchanged_translation_confirmed_offline_becomes_current() {
    let site = site_with_page();
    filled_and_imported(site.path());
    write(site.path(), PAGE, SOURCE.replace("Cuộc gọi miễn phí.", "Cuộc gọi hoàn toàn miễn phí."));
    let po = export(site.path(), "po");
    assert_eq!(po.matches("#, fuzzy").count(), 1, "only the changed block needs review: {po}");
    let (ok, out, err) = import(site.path(), "en.po", &po.replace("#, fuzzy\n", ""), &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 blocks translated"), "{out}");
    let (_, status, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(status.contains("goi.en.md: blocks 7 current, 0 changed"), "{status}");
}

/// Imports `text` as `name` and checks it is refused with `wanted` and that nothing is written.
fn refused(site: &Path, name: &str, text: impl AsRef<[u8]>, wanted: &[&str]) {
    write(site, name, text);
    let (ok, out, err) = run_loa(site, &["--ui-lang", "en", "i18n", "import", name]);
    assert!(!ok, "{out}");
    for part in wanted {
        assert!(err.contains(part), "{part:?} not in: {err}");
    }
    assert!(!site.join(TRANSLATION).exists(), "nothing is written: {err}");
    assert!(!site.join("translations").exists(), "no record is written: {err}");
    assert_eq!(source_file(site, PAGE), SOURCE);
}

#[test]
fn a_removed_placeholder_is_refused_with_the_unit_and_the_reason() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    let line = filled.lines().position(|l| l.contains(PARAGRAPH_TARGET)).unwrap() + 1;
    let broken = filled.replacen(
        "<ph id=\"2\" dataRef=\"d2\" canCopy=\"no\" canDelete=\"no\"/></pc> or ask",
        "</pc> or ask",
        1,
    );
    assert_ne!(broken, filled);
    let unit_line = filled.lines().take(line).filter(|l| l.contains("<unit id=\"b3-")).count();
    assert_eq!(unit_line, 1);
    refused(
        site.path(),
        "en.xlf",
        broken,
        &["en.xlf:", "unit b3-", "placeholder 2 of the source is missing"],
    );
}

#[test]
fn a_changed_po_marker_is_refused() {
    let site = site_with_page();
    let filled = fill_po(&export(site.path(), "po"));
    let broken = filled.replace(
        "msgstr \"Call {1}{2}{/1} or ask {3}family{/3}.\"",
        "msgstr \"Call {1}{2}{/1} or ask {3}family.\"",
    );
    assert_ne!(broken, filled);
    refused(
        site.path(),
        "en.po",
        broken,
        &[
            "unit b3-",
            "placeholder 3 is closed without being opened, or opened without being closed",
        ],
    );
}

#[test]
fn a_malformed_xliff_file_is_refused_with_its_line() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    let broken = filled.replacen("</target>", "</targte>", 1);
    let line = broken.lines().position(|l| l.contains("</targte>")).unwrap() + 1;
    refused(
        site.path(),
        "en.xlf",
        broken,
        &[&format!("en.xlf:{line}:"), "not a well-formed XLIFF 2.0 file"],
    );
}

#[test]
fn a_malformed_po_file_is_refused_with_its_line() {
    let site = site_with_page();
    let filled = fill_po(&export(site.path(), "po"));
    let broken = filled.replacen("msgstr \"When to call\"", "msgstr When to call", 1);
    let line = broken.lines().position(|l| l == "msgstr When to call").unwrap() + 1;
    refused(site.path(), "en.po", broken, &[&format!("en.po:{line}:1"), "not valid in a PO file"]);
}

#[test]
fn a_file_for_a_language_not_configured_is_refused() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    refused(
        site.path(),
        "en.xlf",
        filled.replace("trgLang=\"en\"", "trgLang=\"fr\""),
        &["the language fr is not configured"],
    );
    let po = fill_po(&export(site.path(), "po"));
    refused(
        site.path(),
        "en.po",
        po.replace("Language: en", "Language: fr"),
        &["the language fr is not configured"],
    );
}

#[test]
fn a_unit_id_that_matches_no_block_is_refused() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    refused(
        site.path(),
        "en.xlf",
        filled.replacen("<unit id=\"b3-", "<unit id=\"x3-", 1),
        &["en.xlf:", "the unit x3-", "matches no block"],
    );
    let id = filled.split("<unit id=\"").nth(4).and_then(|rest| rest.split('"').next()).unwrap();
    assert!(id.starts_with("b3-"), "{id}");
    let made_up = filled.replace(id, "b3-deadbeef-none");
    refused(site.path(), "en.xlf", made_up, &["the unit b3-deadbeef-none matches no block"]);
    let po = fill_po(&export(site.path(), "po"));
    let title = po
        .split("msgctxt \"content/tin-tuc/goi.en.md ")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap();
    refused(
        site.path(),
        "en.po",
        po.replace(title, "b0-deadbeef-none"),
        &["en.po:", "the unit b0-deadbeef-none matches no block"],
    );
}

#[test]
fn a_file_in_another_encoding_is_refused() {
    let site = site_with_page();
    let filled = fill_po(&export(site.path(), "po"));
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(filled.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    refused(site.path(), "en.po", utf16, &["en.po:1:1", "not valid UTF-8"]);
}

#[test]
fn an_import_that_fails_on_its_second_page_writes_nothing() {
    let site = site_with_page();
    write(site.path(), "content/tin-tuc/goi-lai.md", SOURCE);
    let (ok, xliff, err) = run_loa(
        site.path(),
        &["i18n", "export", "--lang", "en", PAGE, "content/tin-tuc/goi-lai.md"],
    );
    assert!(ok, "{err}");
    let filled = fill_xliff(&xliff);
    let second_page = filled.find("original=\"content/tin-tuc/goi.en.md\"").unwrap();
    let (first, second) = filled.split_at(second_page);
    let removed = "<ph id=\"2\" dataRef=\"d2\" canCopy=\"no\" canDelete=\"no\"/></pc> or ask";
    let broken = format!("{first}{}", second.replacen(removed, "</pc> or ask", 1));
    assert_ne!(broken, filled);
    refused(site.path(), "en.xlf", broken, &["unit b3-"]);
    assert!(!site.path().join("content/tin-tuc/goi-lai.en.md").exists());
}

/// Validates `xliff` against the XLIFF 2.0 core schema (tests/fixtures/xliff, from OASIS).
fn assert_valid_xliff(site: &Path, name: &str, xliff: &str) {
    write(site, name, xliff);
    let schema = common::repo().join("tests/fixtures/xliff/xliff_core_2.0.xsd");
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(site.join(name))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{name} is not valid XLIFF 2.0: {said}\n{xliff}");
    assert!(said.contains("validates"), "{said}");
}

#[test]
fn exports_are_valid_xliff_2_0_by_the_oasis_schema() {
    if !common::has_tool("xmllint") {
        return;
    }
    let site = site_with_page();
    write(
        site.path(),
        "content/tin-tuc/bang.md",
        "---\ntitle: Bảng & số\ndate: 30/7/2024\n---\n\n| Số | Tên <b>đậm</b> |\n|---|---|\n| `111` | ![Ảnh](a.png) |\n\n> Trích \"dẫn\"\n",
    );
    for lang in ["en", "ktv"] {
        let (ok, xliff, err) = run_loa(site.path(), &["i18n", "export", "--lang", lang]);
        assert!(ok, "{err}");
        assert!(xliff.contains("<data id=\"d1e\">"), "pairs are in the export: {xliff}");
        assert_valid_xliff(site.path(), &format!("{lang}.xlf"), &xliff);
    }
    let filled = fill_xliff(&export(site.path(), "xliff"));
    assert_valid_xliff(site.path(), "filled.xlf", &filled);
    let (ok, _, err) = run_loa(site.path(), &["i18n", "import", "filled.xlf"]);
    assert!(ok, "{err}");
    assert_valid_xliff(site.path(), "again.xlf", &export(site.path(), "xliff"));
}

/// Each block's translation, keyed as the pack's text boxes are: from the PO export's
/// contexts and msgids (the pack shows the same markers).
fn pack_fills(po: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut fills = serde_json::Map::new();
    let mut context = None;
    for line in po.lines() {
        let quoted = |prefix: &str| {
            line.strip_prefix(prefix)
                .and_then(|l| l.strip_suffix('"'))
                .map(|s| s.replace("\\\"", "\""))
        };
        if let Some(c) = quoted("msgctxt \"") {
            context = Some(c);
        } else if let (Some(id), Some(c)) = (quoted("msgid \""), context.take()) {
            fills.insert(c, translate(&id).replace("\\n", "\n").into());
        }
    }
    fills
}

#[test]
fn the_html_pack_filled_in_headless_chromium_saves_a_file_that_imports_as_the_hand_translation() {
    let Some(tools) = crate::browser::browser_tools() else { return };
    let site = site_with_page();
    let (ok, pack, err) = run_loa(
        site.path(),
        &["i18n", "export", "--lang", "en", "--format", "html", "--out", "pack.html", PAGE],
    );
    assert!(ok && pack.is_empty(), "{err}");
    let html = source_file(site.path(), "pack.html");
    assert!(!html.contains("http://") && !html.contains("src="), "the pack needs no network");
    assert!(html.contains("@media print"), "the pack prints");
    let fills = pack_fills(&export(site.path(), "po"));
    assert_eq!(fills.len(), 7);
    let plan = serde_json::json!({
        "chromium": tools.chromium,
        "pack": site.path().join("pack.html"),
        "out": site.path().join("saved.xlf"),
        "shots": crate::browser::target_dir().join("browser-screenshots"),
        "fills": fills,
    });
    write(site.path(), "plan.json", plan.to_string());
    let report = crate::browser::run_node(
        &tools.script.with_file_name("pack.mjs"),
        &site.path().join("plan.json"),
    );
    assert_eq!(report["kept"], true, "the work is kept in the browser: {report}");
    assert_eq!(report["printColumns"], 2, "source and translation side by side on paper: {report}");
    assert_eq!(report["requests"], serde_json::json!([]), "{report}");
    let saved = source_file(site.path(), "saved.xlf");
    if common::has_tool("xmllint") {
        assert_valid_xliff(site.path(), "saved-copy.xlf", &saved);
    }
    let (ok, out, err) = run_loa(site.path(), &["--ui-lang", "en", "i18n", "import", "saved.xlf"]);
    assert!(ok, "{err}\n{saved}");
    assert!(out.contains("7 blocks translated"), "{out}");
    assert_round_trip(site.path());
}

#[test]
fn a_file_naming_a_translation_the_site_does_not_have_is_refused() {
    let site = site_with_page();
    let filled = fill_xliff(&export(site.path(), "xliff"));
    let renamed = filled
        .replace("original=\"content/tin-tuc/goi.en.md\"", "original=\"content/tin-tuc/goi.md\"");
    refused(
        site.path(),
        "en.xlf",
        renamed,
        &["en.xlf:3:", "content/tin-tuc/goi.md is not a translation into en"],
    );
}

#[test]
fn exporting_a_translation_that_cannot_be_matched_block_by_block_warns_and_its_import_is_refused() {
    let site = fixture("i18n");
    let page = "content/tin-tuc/lua-dao.md";
    let (ok, xliff, err) =
        run_loa(site.path(), &["--ui-lang", "en", "i18n", "export", "--lang", "en", page]);
    assert!(ok, "{err}");
    assert!(err.contains("content/tin-tuc/lua-dao.en.md has no block stamps"), "{err}");
    assert!(
        xliff.starts_with("<?xml") && !xliff.contains("<target>"),
        "the warning is not in the file: {xliff}"
    );
    let before = source_file(site.path(), "content/tin-tuc/lua-dao.en.md");
    let filled = xliff.replacen("</source>", "</source><target>Signs</target>", 1);
    write(site.path(), "en.xlf", filled);
    let (ok, _, err) = run_loa(site.path(), &["--ui-lang", "en", "i18n", "import", "en.xlf"]);
    assert!(!ok && err.contains("cannot tell which of its blocks a unit replaces"), "{err}");
    assert_eq!(source_file(site.path(), "content/tin-tuc/lua-dao.en.md"), before);
}
