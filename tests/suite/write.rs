//! Writing the output: atomic swap, the marker, and folders loa refuses to replace.

use crate::common;

use common::{fixture, run_loa, write};

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = fixture("minimal");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(ok, "{err}");
    let before = std::fs::read(site.path().join("public/bai-viet/index.html")).unwrap();
    write(site.path(), "content/bai-viet.md", "---\ntitle: A\ndate: 31/2/2024\n---\nmới\n");
    let (ok, _, _) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert_eq!(std::fs::read(site.path().join("public/bai-viet/index.html")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("loa-new") || n.contains("loa-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn rebuild_replaces_output_and_removes_stale_files() {
    let site = fixture("minimal");
    assert!(run_loa(site.path(), &["build"]).0);
    assert!(site.path().join("public/.loa-build").is_file());
    std::fs::remove_file(site.path().join("content/bai-viet.md")).unwrap();
    assert!(run_loa(site.path(), &["build"]).0);
    assert!(!site.path().join("public/bai-viet").exists());
}

#[test]
fn refuses_foreign_non_empty_folder() {
    let site = fixture("minimal");
    write(site.path(), "photos/family.jpg", "precious");
    let (ok, _, err) = run_loa(site.path(), &["build", "--out", "photos"]);
    assert!(!ok);
    assert!(err.contains("not empty and was not made by loa"), "{err}");
    assert_eq!(std::fs::read_to_string(site.path().join("photos/family.jpg")).unwrap(), "precious");
}

#[test]
fn refuses_site_root_content_and_parents() {
    let site = fixture("minimal");
    for out in [".", "content", "content/sub", "..", "locales"] {
        let (ok, _, err) = run_loa(site.path(), &["build", "--out", out]);
        assert!(!ok, "--out {out} must be refused");
        assert!(err.contains("hint:"), "{err}");
    }
    assert!(site.path().join("content/_index.md").is_file());
}

#[test]
fn accepts_empty_folder_and_base_url_override() {
    let site = fixture("minimal");
    std::fs::create_dir(site.path().join("empty")).unwrap();
    let (ok, _, err) =
        run_loa(site.path(), &["build", "--out", "empty", "--base-url", "https://loa.test/sub/"]);
    assert!(ok, "{err}");
    let home = std::fs::read_to_string(site.path().join("empty/index.html")).unwrap();
    assert!(home.contains("https://loa.test/sub/"), "{home}");
    assert!(home.contains("src=/sub/countdown."), "{home}");
}

#[test]
fn a_build_failing_while_it_streams_leaves_the_previous_output_and_no_staging_tree() {
    let site = fixture("minimal");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(ok, "{err}");
    let before = std::fs::read(site.path().join("public/bai-viet/index.html")).unwrap();
    write(
        site.path(),
        "templates/page.html",
        "{% if page.title == \"Hỏng\" %}{{ khong_co.truong }}{% endif %}<p>{{ page.title }}</p>",
    );
    write(site.path(), "content/hong.md", "---\ntitle: Hỏng\ndate: 2024-07-30\n---\nHỏng.\n");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok, "the page's template fails while the other outputs are already written");
    assert!(err.contains("page.html") || err.contains("khong_co"), "{err}");
    assert_eq!(std::fs::read(site.path().join("public/bai-viet/index.html")).unwrap(), before);
    assert!(!site.path().join("public/hong").exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("loa-new") || n.contains("loa-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
