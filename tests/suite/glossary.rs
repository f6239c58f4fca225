//! The glossary (`locales/glossary.yaml`): `loa check` warns where a source block has an
//! agreed term and its translation lacks the agreed form, and stops where a hotline number
//! differs between a block and its translation.

use crate::common;

use common::{fixture, run_loa, write};

const GLOSSARY: &str = "terms:\n  - vi: mua bán người\n    en: [human trafficking, trafficking]\n    note: Tội danh.\n";
const SOURCE: &str = "---\ntitle: Cảnh giác\ndate: 30/7/2024\n---\n\nPhòng, chống mua bán người.\n\nGọi 1800 1581 hoặc 111.\n";

fn check(site: &std::path::Path) -> (bool, Vec<serde_json::Value>) {
    let (ok, stdout, stderr) = run_loa(site, &["--ui-lang", "vi", "check", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let diagnostics = report["diagnostics"].as_array().unwrap().clone();
    (ok, diagnostics)
}

fn site_with(translation: &str) -> tempfile::TempDir {
    let site = fixture("i18n");
    write(site.path(), "locales/glossary.yaml", GLOSSARY);
    write(site.path(), "content/tin-tuc/canh-giac.md", SOURCE);
    write(site.path(), "content/tin-tuc/canh-giac.en.md", translation);
    site
}

fn about<'a>(diagnostics: &'a [serde_json::Value], words: &str) -> Vec<&'a serde_json::Value> {
    diagnostics.iter().filter(|d| d["message"].as_str().unwrap().contains(words)).collect()
}

#[test]
fn a_translation_without_the_agreed_term_is_a_warning_at_its_block() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nPreventing the sale of people.\n\nCall 1800 1581 or 111.\n",
    );
    let (_, diagnostics) = check(site.path());
    let found = about(&diagnostics, "cách dịch đã thống nhất “human trafficking”");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0]["file"], "content/tin-tuc/canh-giac.en.md");
    assert_eq!(found[0]["line"], 6);
    assert_eq!(found[0]["severity"], "warning");
    assert!(found[0]["hint"].as_str().unwrap().contains("locales/glossary.yaml (dòng 2)"));
    assert!(about(&diagnostics, "số đường dây nóng").is_empty(), "{diagnostics:#?}");
}

#[test]
fn an_agreed_form_in_any_case_satisfies_the_glossary() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nPreventing Human Trafficking.\n\nCall 1800 1581 or 111.\n",
    );
    let (_, diagnostics) = check(site.path());
    assert!(about(&diagnostics, "thống nhất").is_empty(), "{diagnostics:#?}");
    assert!(about(&diagnostics, "số đường dây nóng").is_empty(), "{diagnostics:#?}");
}

#[test]
fn a_hotline_number_that_differs_from_the_source_is_an_error() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nPreventing human trafficking.\n\nCall 1800 1518 or 111.\n",
    );
    let (ok, diagnostics) = check(site.path());
    let found = about(&diagnostics, "số đường dây nóng trong đoạn này (111)");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0]["line"], 8);
    assert_eq!(found[0]["severity"], "error");
    assert!(found[0]["message"].as_str().unwrap().contains("111, 1800 1581"));
    assert!(!ok, "a wrong hotline number fails the check");
    assert!(about(&diagnostics, "thống nhất").is_empty(), "{diagnostics:#?}");
}

#[test]
fn a_glossary_form_in_a_language_the_site_lacks_is_an_error_with_its_line() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nHuman trafficking.\n\nCall 1800 1581 or 111.\n",
    );
    write(
        site.path(),
        "locales/glossary.yaml",
        "terms:\n  - vi: mua bán người\n    fr: traite des êtres humains\n",
    );
    let (ok, diagnostics) = check(site.path());
    let found = about(&diagnostics, "`fr`");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0]["file"], "locales/glossary.yaml");
    assert_eq!(found[0]["line"], 3);
    assert!(found[0]["hint"].as_str().unwrap().contains("vi, en, ktv"));
    assert!(!ok);
}

#[test]
fn the_bundled_example_keeps_its_glossary() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, diagnostics) = check(root);
    let about_terms: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("thống nhất"))
        .collect();
    assert!(about_terms.is_empty(), "{about_terms:#?}");
    assert!(root.join("locales/glossary.yaml").exists());
}

#[test]
fn a_spoken_wording_may_write_the_hotline_numbers_out_in_words() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nPreventing human trafficking.\n\n{% speak %}\nCall one eight zero zero, one five eight one, or one one one.\n{% end %}\n",
    );
    write(
        site.path(),
        "content/tin-tuc/canh-giac.md",
        SOURCE
            .replace("Gọi 1800 1581 hoặc 111.", "{% speak %}\nGọi 1800 1581 hoặc 111.\n{% end %}"),
    );
    let (_, diagnostics) = check(site.path());
    assert!(about(&diagnostics, "số đường dây nóng").is_empty(), "{diagnostics:#?}");
}

#[test]
fn the_export_gives_the_translator_the_agreed_terms_of_each_block() {
    let site = site_with(
        "---\ntitle: Beware\ndate: 2024-07-30\n---\n\nHuman trafficking.\n\nCall 1800 1581 or 111.\n",
    );
    for format in ["xliff", "po"] {
        let (ok, out, err) = run_loa(
            site.path(),
            &["--ui-lang", "vi", "i18n", "export", "--lang", "en", "--format", format],
        );
        assert!(ok, "{err}");
        let note =
            "Thuật ngữ đã thống nhất: “mua bán người” dịch là “human trafficking”. Tội danh.";
        assert!(
            out.matches(note).count() >= 2,
            "the file and the block carry it ({format}): {out}"
        );
    }
}
