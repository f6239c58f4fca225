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
    let (ok, out, err) = import(site.path(), "en.po", &fill_po(&po), &[]);
    assert!(ok, "{err}\n{}", fill_po(&po));
    assert!(out.contains("7 blocks translated"), "{out}");
    assert_round_trip(site.path());
}
