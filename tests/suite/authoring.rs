//! Authoring: `loa init`, `loa new`, and messages in Vietnamese or English.

use crate::common;

use common::{fixture, run_loa};
use std::process::Command;

fn loa_with_lang(dir: &std::path::Path, lang: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(dir)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

#[test]
fn init_creates_a_site_that_builds_and_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stdout, stderr) = run_loa(dir.path(), &["init", "site"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("loa serve"), "{stdout}");
    let site = dir.path().join("site");
    for file in [
        "site.yaml",
        "locales/ktv.yaml",
        "themes/default/templates/base.html",
        "content/_index.md",
        "content/ngay-30-thang-7/_index.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let leaflet = std::fs::read_to_string(site.join("content/to-roi-duong-day-nong.md")).unwrap();
    assert!(leaflet.contains("print: leaflet-trifold"), "{leaflet}");
    let (ok, stdout, stderr) = run_loa(&site, &["check"]);
    assert!(ok, "{stdout}{stderr}");
    let (ok, _, stderr) = run_loa(&site, &["build"]);
    assert!(ok, "{stderr}");
    assert!(site.join("public/index.html").is_file());
    assert!(!site.join("public/to-roi-duong-day-nong").exists(), "its pages are drafts");
    assert!(!site.join("public/ap-phich-30-thang-7").exists(), "its pages are drafts");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "keep").unwrap();
    let (ok, _, stderr) = run_loa(dir.path(), &["init", "."]);
    assert!(!ok);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "keep");
}

#[test]
fn new_writes_each_kind_of_page_that_builds() {
    let site = fixture("minimal");
    for (kind, path, file) in [
        ("page", "tin-tuc/canh-bao-moi", "content/tin-tuc/canh-bao-moi.md"),
        ("campaign", "ngay-30-thang-7", "content/ngay-30-thang-7/_index.md"),
        ("leaflet", "to-roi", "content/to-roi.md"),
        ("poster", "content/ap-phich.md", "content/ap-phich.md"),
    ] {
        let (ok, stdout, stderr) =
            run_loa(site.path(), &["new", kind, path, "--day", "30/7/2025", "--title", "Mới"]);
        assert!(ok, "{kind}: {stderr}");
        assert!(stdout.contains(file), "{stdout}");
        let text = std::fs::read_to_string(site.path().join(file)).unwrap();
        assert!(text.starts_with("---\ntitle: "), "{text}");
    }
    assert!(
        std::fs::read_to_string(site.path().join("content/ngay-30-thang-7/_index.md"))
            .unwrap()
            .contains("campaign:\n  day: 30/7/2025\n")
    );
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--drafts"]);
    assert!(ok, "{stderr}");
    assert!(site.path().join("public/tin-tuc/canh-bao-moi/index.html").is_file());
    let (ok, _, stderr) =
        run_loa(site.path(), &["new", "page", "tin-tuc/canh-bao-moi", "--title", "Mới"]);
    assert!(!ok && stderr.contains("exists already"), "never overwrite: {stderr}");
}

#[test]
fn new_with_lang_writes_a_stamped_draft_translation() {
    let site = fixture("minimal");
    let (ok, _, stderr) = run_loa(site.path(), &["new", "page", "bai-viet", "--lang", "en"]);
    assert!(ok, "{stderr}");
    let text = std::fs::read_to_string(site.path().join("content/bai-viet.en.md")).unwrap();
    assert!(text.contains("draft: true") && text.contains("translated_from: \""), "{text}");
    let (_, stdout, _) = run_loa(site.path(), &["i18n", "status"]);
    assert!(stdout.contains("English (en): 1 translated, 0 outdated"), "{stdout}");
    let (ok, _, stderr) = run_loa(site.path(), &["new", "page", "khong-co", "--lang", "en"]);
    assert!(!ok && stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn messages_follow_lang() {
    let site = fixture("minimal");
    common::write(site.path(), "content/a.md", "---\ntitle: A\ndate: 31/2/2024\n---\n");
    let (_, _, vi) = loa_with_lang(site.path(), "vi_VN.UTF-8", &["build"]);
    assert!(
        vi.contains("lỗi: content/a.md:3:7: `31/2/2024` không phải là một ngày có thật"),
        "{vi}"
    );
    assert!(vi.contains("gợi ý: viết ngày theo dạng"), "{vi}");
    let (_, _, en) = loa_with_lang(site.path(), "en_US.UTF-8", &["build"]);
    assert!(en.contains("error: content/a.md:3:7: `31/2/2024` is not a day that exists"), "{en}");
    let (_, _, flag) = loa_with_lang(site.path(), "en_US.UTF-8", &["--ui-lang", "vi", "build"]);
    assert!(flag.contains("không phải là một ngày có thật"), "{flag}");
    std::fs::remove_file(site.path().join("content/a.md")).unwrap();
    let (_, stdout, _) = loa_with_lang(site.path(), "vi", &["check"]);
    assert!(stdout.contains("0 lỗi, 0 cảnh báo"), "{stdout}");
    let (_, stdout, _) = loa_with_lang(site.path(), "vi", &["build"]);
    assert!(
        stdout.starts_with("Đã tạo ") && !stdout.contains('{'),
        "every placeholder is filled: {stdout}"
    );
    let (_, stdout, _) = loa_with_lang(site.path(), "vi", &["--quiet", "build"]);
    assert!(stdout.is_empty(), "{stdout}");
}
