//! Block-level translation tracking: `loa i18n stamp` records each source block, and status,
//! diff and the reader notice name exactly the blocks that changed since.

use crate::common;

use common::{fixture, run_loa, write};

const SOURCE: &str = "---\ntitle: Cảnh giác lừa đảo việc làm\ndate: 30/7/2024\n---\n\n## Dấu hiệu\n\nViệc nhẹ lương cao.\n\nHọ giữ giấy tờ của bạn.\n\n- Gọi 111 khi cần.\n- Báo cho người thân.\n";
const TRANSLATION: &str = "---\ntitle: Beware of job scams\ndate: 2024-07-30\n---\n\n## Signs\n\nEasy work, high pay.\n\nThey keep your papers.\n\n- Call 111 when needed.\n- Tell your family.\n";

/// The i18n fixture with a stamped English translation whose source then changed in one
/// paragraph and one list item.
fn stamped_then_changed() -> tempfile::TempDir {
    let site = fixture("i18n");
    write(site.path(), "content/tin-tuc/lua-dao.md", SOURCE);
    write(site.path(), "content/tin-tuc/lua-dao.en.md", TRANSLATION);
    let (ok, _, err) = run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]);
    assert!(ok, "{err}");
    let changed = SOURCE
        .replace("Việc nhẹ lương cao.", "Việc nhẹ lương rất cao.")
        .replace("- Báo cho người thân.", "- Báo ngay cho người thân.");
    write(site.path(), "content/tin-tuc/lua-dao.md", changed);
    site
}

fn english_blocks(site: &std::path::Path) -> serde_json::Value {
    let (ok, stdout, err) = run_loa(site, &["i18n", "status", "--format", "json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    report[1]["blocks"].clone()
}

#[test]
fn status_counts_the_changed_paragraph_and_list_item() {
    let site = stamped_then_changed();
    let blocks = english_blocks(site.path());
    assert_eq!(blocks.as_array().unwrap().len(), 1, "{blocks:#}");
    assert_eq!(blocks[0]["path"], "content/tin-tuc/lua-dao.en.md");
    assert_eq!(
        (&blocks[0]["current"], &blocks[0]["changed"], &blocks[0]["new"], &blocks[0]["removed"]),
        (&4.into(), &2.into(), &0.into(), &0.into()),
        "{blocks:#}"
    );
    let (_, text, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(
        text.contains("lua-dao.en.md: blocks 4 current, 2 changed, 0 new, 0 removed"),
        "{text}"
    );
}

#[test]
fn diff_shows_exactly_the_two_changed_blocks_word_by_word_beside_the_translation() {
    let site = stamped_then_changed();
    let (ok, out, err) =
        run_loa(site.path(), &["--ui-lang", "en", "i18n", "diff", "content/tin-tuc/lua-dao.en.md"]);
    assert!(ok, "{err}");
    assert_eq!(out.matches("changed in the source").count(), 2, "{out}");
    assert!(!out.contains("new in the source") && !out.contains("removed from"), "{out}");
    assert!(
        out.contains(
            "line 8:\n  Việc nhẹ lương {+rất+} cao.\ntranslation, line 10:\n  Easy work, high pay."
        ),
        "{out}"
    );
    assert!(
        out.contains("Báo {+ngay+} cho người thân.\ntranslation, line 15:\n  Tell your family."),
        "{out}"
    );
    assert!(!out.contains("They keep your papers"), "an unchanged block is not shown: {out}");
}

#[test]
fn the_reader_notice_says_how_much_changed() {
    let site = stamped_then_changed();
    assert!(run_loa(site.path(), &["build", "--now", "2024-08-01"]).0);
    let page = common::read(site.path(), "en/tin-tuc/lua-dao/index.html");
    assert!(page.contains("This translation may be out of date"), "{page}");
    assert!(page.contains("Since then: 2 parts changed, 0 added, 0 removed."), "{page}");
    assert!(run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]).0);
    assert!(run_loa(site.path(), &["build", "--now", "2024-08-01"]).0);
    let page = common::read(site.path(), "en/tin-tuc/lua-dao/index.html");
    assert!(!page.contains("Since then"), "{page}");
    let blocks = english_blocks(site.path());
    assert_eq!(blocks[0]["changed"], 0, "{blocks:#}");
}

#[test]
fn a_translation_with_only_a_page_stamp_keeps_working() {
    let site = fixture("i18n");
    write(site.path(), "content/tin-tuc/lua-dao.md", SOURCE);
    let stamp = {
        let (ok, _, err) =
            run_loa(site.path(), &["i18n", "stamp", "content/tin-tuc/lua-dao.en.md"]);
        assert!(ok, "{err}");
        let text =
            std::fs::read_to_string(site.path().join("content/tin-tuc/lua-dao.en.md")).unwrap();
        text.lines().find_map(|l| l.strip_prefix("translated_from: ")).unwrap().to_owned()
    };
    let old_style = TRANSLATION
        .replace("date: 2024-07-30\n", &format!("date: 2024-07-30\ntranslated_from: {stamp}\n"));
    write(site.path(), "content/tin-tuc/lua-dao.en.md", old_style);
    let (ok, stdout, err) = run_loa(site.path(), &["i18n", "status", "--format", "json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report[1]["translated"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "content/tin-tuc/lua-dao.en.md"),
        "{report:#}"
    );
    assert!(report[1]["blocks"].as_array().unwrap().is_empty(), "{report:#}");
    let (ok, _, err) = run_loa(site.path(), &["i18n", "diff", "content/tin-tuc/lua-dao.en.md"]);
    assert!(!ok && err.contains("only a whole-page stamp"), "{err}");
}

#[test]
fn the_export_marks_exactly_the_two_changed_blocks_for_review() {
    let site = stamped_then_changed();
    let (ok, po, err) = run_loa(
        site.path(),
        &["i18n", "export", "--lang", "en", "--format", "po", "content/tin-tuc/lua-dao.en.md"],
    );
    assert!(ok, "{err}");
    assert_eq!(po.matches("#, fuzzy").count(), 2, "{po}");
    let (ok, xliff, err) =
        run_loa(site.path(), &["i18n", "export", "--lang", "en", "content/tin-tuc/lua-dao.en.md"]);
    assert!(ok, "{err}");
    assert_eq!(xliff.matches("state=\"initial\"").count(), 2, "{xliff}");
    for changed in ["Việc nhẹ lương rất cao.", "Báo ngay cho người thân."] {
        let unit = xliff.split("<unit ").find(|u| u.contains(changed)).unwrap();
        assert!(unit.contains("state=\"initial\"") && unit.contains("<target>"), "{unit}");
    }
}
