//! `loa i18n status` and `loa i18n stamp`: coverage, staleness and byte-exact stamping.

use crate::common;

use common::{fixture, run_loa, write};

fn status(site: &std::path::Path) -> serde_json::Value {
    let (ok, stdout, stderr) = run_loa(site, &["i18n", "status", "--format", "json"]);
    assert!(ok, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn count(status: &serde_json::Value, lang: usize, field: &str) -> usize {
    status[lang][field].as_array().unwrap().len()
}

#[test]
fn can_report_translated_missing_and_locale_keys() {
    let site = fixture("i18n");
    let report = status(site.path());
    assert_eq!(report[2]["code"], "ktv");
    assert_eq!(report[2]["name"], "Cơ Tu");
    assert!(
        report[2]["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "content/tin-tuc/lua-dao.ktv.md"),
        "{report:#}"
    );
    assert_eq!(count(&report, 2, "translated"), 0);
    assert!(
        report[2]["missing_keys"].as_array().unwrap().iter().any(|k| k == "site.title"),
        "{report:#}"
    );
    assert_eq!(count(&report, 1, "unstamped"), 2, "{report:#}");
    let (_, text, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(text.contains("Cơ Tu (ktv): 0 translated"), "{text}");
}

#[test]
fn the_source_language_is_the_source_not_translated() {
    let site = fixture("i18n");
    let report = status(site.path());
    assert_eq!(report[0]["source"], true, "{report:#}");
    assert_eq!(count(&report, 0, "translated"), 0, "{report:#}");
    assert!(count(&report, 0, "pages") > 0, "{report:#}");
    assert_eq!(report[1]["source"], false);
    let (_, text, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(!text.lines().next().unwrap().contains("0 translated"), "{text}");
    assert!(text.lines().next().unwrap().contains("the source the other languages"), "{text}");
}

#[test]
fn stamping_changes_nothing_but_the_stamp_line() {
    let site = fixture("i18n");
    let file = site.path().join("content/tin-tuc/lua-dao.en.md");
    let original = "\u{feff}---\r\ntitle: Beware of job scams\r\ndate: 2024-07-30\r\n---\r\n\r\nBody  with  spaces\r\n";
    std::fs::write(&file, original).unwrap();
    let (ok, stdout, stderr) =
        run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]);
    assert!(ok, "{stderr}");
    let stamp = stdout.trim().rsplit(' ').next().unwrap().to_owned();
    let stamped = std::fs::read_to_string(&file).unwrap();
    let blocks = stamped.lines().find(|l| l.starts_with("translated_blocks: \"")).unwrap();
    let expected = original.replace(
        "date: 2024-07-30\r\n",
        &format!("date: 2024-07-30\r\ntranslated_from: \"{stamp}\"\r\n{blocks}\r\n"),
    );
    assert_eq!(stamped, expected);
    let leftovers = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("loa-tmp"));
    assert_eq!(leftovers.count(), 0);
}

#[test]
fn a_changed_source_makes_its_translation_outdated_until_stamped() {
    let site = fixture("i18n");
    assert!(run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]).0);
    let report = status(site.path());
    assert!(
        report[1]["translated"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "content/tin-tuc/lua-dao.en.md")
    );
    let source = site.path().join("content/tin-tuc/lua-dao.md");
    let text = std::fs::read_to_string(&source).unwrap();
    write(
        site.path(),
        "content/tin-tuc/lua-dao.md",
        text.replace("Việc nhẹ lương cao.", "Việc nhẹ lương rất cao."),
    );
    let report = status(site.path());
    assert_eq!(report[1]["outdated"][0], "content/tin-tuc/lua-dao.en.md", "{report:#}");
    assert!(run_loa(site.path(), &["build", "--now", "2024-08-01"]).0);
    let page = common::read(site.path(), "en/tin-tuc/lua-dao/index.html");
    assert!(page.contains("This translation may be out of date"), "{page}");
    assert!(page.contains("href=/chien-dich/tin-tuc/lua-dao/>See the current original"), "{page}");
    assert!(run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]).0);
    let report = status(site.path());
    assert_eq!(count(&report, 1, "outdated"), 0, "{report:#}");
}

#[test]
fn refuses_to_stamp_a_source_or_a_stranger() {
    let site = fixture("i18n");
    let (ok, _, err) = run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.md"]);
    assert!(!ok && err.contains("is a source, not a translation"), "{err}");
    let (ok, _, err) = run_loa(site.path(), &["i18n", "stamp", "README.md"]);
    assert!(!ok && err.contains("not a page or section"), "{err}");
}
