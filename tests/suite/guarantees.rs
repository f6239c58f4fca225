//! Guarantees of issue 12 that the bad-input table does not cover on its own: a failure late
//! in the pipeline (print) leaves `public/` as it was, and loa writes inside `content/` only
//! through `loa i18n stamp` and `loa new`.

use crate::common;

use common::{bad, fixture, run_loa, write};

#[test]
fn a_print_overflow_leaves_previous_output_byte_for_byte() {
    let site = fixture("minimal");
    let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(ok, "{err}");
    let before = bad::snapshot(&site.path().join("public"));
    let sentence = "Không tin lời hứa việc nhẹ lương cao, hãy gọi 111 khi nghi ngờ. ";
    let body = format!("## Lời khuyên\n\n{}\n", sentence.repeat(1500));
    write(
        site.path(),
        "content/to-gap.md",
        format!("---\ntitle: Tờ gấp\nprint: leaflet-trifold\n---\n\n{body}"),
    );
    let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(!ok, "the leaflet cannot fit:\n{err}");
    bad::assert_no_panic(&err, "print overflow");
    assert!(err.contains("content/to-gap.md") && err.contains("does not fit"), "{err}");
    bad::assert_same(&before, &bad::snapshot(&site.path().join("public")), "print overflow");
}

#[test]
fn only_stamp_and_new_write_inside_content() {
    let site = common::example();
    let root = site.path();
    let content = bad::snapshot(&root.join("content"));
    for command in [
        &["build", "--now", "2024-08-01"][..],
        &["check"],
        &["i18n", "status"],
        &["speak", "--lang", "vi", "Gọi 111"],
    ] {
        let (_, out, err) = run_loa(root, command);
        bad::assert_no_panic(&format!("{out}{err}"), &command.join(" "));
        bad::assert_same(&content, &bad::snapshot(&root.join("content")), &command.join(" "));
    }

    let (ok, _, err) =
        run_loa(root, &["i18n", "stamp", "content/tin-tuc/canh-bao-viec-lam-gia-qua-mang.en.md"]);
    assert!(ok, "{err}");
    assert_changed(
        &content,
        &bad::snapshot(&root.join("content")),
        &["tin-tuc/canh-bao-viec-lam-gia-qua-mang.en.md"],
    );
    let stamped = bad::snapshot(&root.join("content"));
    let leftovers = std::fs::read_dir(root.join("content/tin-tuc")).unwrap().count();

    let (ok, _, err) = run_loa(root, &["new", "page", "content/tin-tuc/moi.md", "--title", "Mới"]);
    assert!(ok, "{err}");
    let after = bad::snapshot(&root.join("content"));
    assert_changed(&stamped, &after, &["tin-tuc/moi.md"]);
    assert_eq!(std::fs::read_dir(root.join("content/tin-tuc")).unwrap().count(), leftovers + 1);
}

/// Panics unless exactly the files `changed` (relative to `content/`) differ.
fn assert_changed(before: &bad::Snapshot, after: &bad::Snapshot, changed: &[&str]) {
    let mut differing: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| k.to_string_lossy().into_owned())
        .collect();
    differing.sort();
    differing.dedup();
    assert_eq!(differing, changed);
}

#[test]
fn a_refused_out_folder_leaves_the_whole_site_as_it_was() {
    let site = fixture("minimal");
    write(site.path(), "photos/family.jpg", "precious");
    let before = bad::snapshot(site.path());
    for out in [".", "content", "content/sub", "..", "locales", "photos"] {
        let (ok, _, err) = run_loa(site.path(), &["build", "--out", out]);
        assert!(!ok, "--out {out} must be refused");
        bad::assert_no_panic(&err, out);
        assert!(err.contains("error: ") && err.contains("hint: "), "--out {out}:\n{err}");
        bad::assert_same(&before, &bad::snapshot(site.path()), &format!("--out {out}"));
    }
}
