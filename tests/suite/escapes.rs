//! Robustness round 2, paths and writing: no source can make loa write or read outside the site
//! and its output, a killed build leaves the old site or the new one, and writers into
//! `content/` never overwrite a save.

use std::path::Path;

use crate::common;

use common::{fixture, run_loa, write};

/// Every file below `dir` with its bytes, for "nothing changed" checks.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// A site inside a folder that also holds a `victim/` folder beside it, built once.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let site = fixture("minimal");
        common::copy_tree(site.path(), &dir.path().join("site"));
        write(dir.path(), "victim/notes.txt", "precious notes");
        let sandbox = Sandbox { dir };
        let (ok, _, err) = run_loa(&sandbox.site(), &["build"]);
        assert!(ok, "{err}");
        sandbox
    }

    fn site(&self) -> std::path::PathBuf {
        self.dir.path().join("site")
    }

    /// Everything outside the site's `public/`, which no build may change.
    fn outside_output(&self) -> Vec<(String, Vec<u8>)> {
        let public = self.site().join("public").display().to_string();
        snapshot(self.dir.path()).into_iter().filter(|(p, _)| !p.starts_with(&public)).collect()
    }
}

/// One kind of source that names a path, with the text that tries to leave the site.
struct Escape {
    source: &'static str,
    file: &'static str,
    text: &'static str,
}

/// Every kind of source that names a path to write or read, each with an escape attempt. A new
/// kind of source belongs in this list.
const ESCAPES: &[Escape] = &[
    Escape {
        source: "alias climbing with ..",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"../../victim/notes.txt\"]\n---\nx\n",
    },
    Escape {
        source: "alias over the site's own content",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"../content/bai-viet.md\"]\n---\nx\n",
    },
    Escape {
        source: "alias percent-encoded",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"/%2e%2e/%2e%2e/victim/x\"]\n---\nx\n",
    },
    Escape {
        source: "alias with a backslash",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"..\\\\..\\\\victim\\\\x\"]\n---\nx\n",
    },
    Escape {
        source: "alias with full-width dots",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"/\u{FF0E}\u{FF0E}/\u{FF0E}\u{FF0E}/victim/x\"]\n---\nx\n",
    },
    Escape {
        source: "alias as the output's marker",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\naliases: [\"/.loa-build\"]\n---\nx\n",
    },
    Escape {
        source: "slug",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\nslug: \"../../victim\"\n---\nx\n",
    },
    Escape {
        source: "tag",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\ntags: [\"../../../victim\"]\n---\nx\n",
    },
    Escape {
        source: "Markdown link and image",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\n---\n[a](../../../victim/notes.txt) ![b](../../victim/notes.txt)\n",
    },
    Escape {
        source: "raw HTML",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\n---\n<a href=\"../../../victim/notes.txt\">a</a>\n",
    },
    Escape {
        source: "main image",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\nimage: ../../../victim/notes.txt\nimage_alt: a\n---\nx\n",
    },
    Escape {
        source: "shortcode argument",
        file: "content/bai-viet.md",
        text: "---\ntitle: Bài\n---\n{{ figure(src=\"../../../victim/notes.txt\", alt=\"a\") }}\n",
    },
    Escape {
        source: "theme climbing out",
        file: "site.yaml",
        text: "base_url: https://example.org\ntheme: ../../victim\nlanguages:\n  - code: vi\n",
    },
    Escape {
        source: "theme absolute",
        file: "site.yaml",
        text: "base_url: https://example.org\ntheme: /tmp\nlanguages:\n  - code: vi\n",
    },
];

#[test]
fn finding_1_and_7_no_source_writes_or_reads_outside_the_site() {
    let sandbox = Sandbox::new();
    let site = sandbox.site();
    let before = sandbox.outside_output();
    for escape in ESCAPES {
        let original = std::fs::read(site.join(escape.file)).unwrap();
        write(&site, escape.file, escape.text);
        let (_, _, err) = run_loa(&site, &["build"]);
        assert!(!err.contains("panicked"), "{}: {err}", escape.source);
        let mut after = sandbox.outside_output();
        let edited = site.join(escape.file).display().to_string();
        after.retain(|(p, _)| *p != edited);
        let mut expected = before.clone();
        expected.retain(|(p, _)| *p != edited);
        assert_eq!(
            after.len(),
            expected.len(),
            "{}: a file appeared outside public/",
            escape.source
        );
        assert!(after == expected, "{}: a file outside public/ changed", escape.source);
        let stray = walkdir::WalkDir::new(sandbox.dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains("loa-new"));
        assert!(!stray, "{}: a staging folder was left", escape.source);
        std::fs::write(site.join(escape.file), original).unwrap();
    }
}

#[test]
fn finding_1_an_escaping_alias_is_an_error_naming_the_page_and_line() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài\naliases:\n  - tin-cu/\n  - ../../victim/notes.txt\n---\nx\n",
    );
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("content/bai-viet.md:5:"), "{err}");
    assert!(err.contains("`..`"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    let (_, _, vi) = run_loa(site.path(), &["--ui-lang", "vi", "build"]);
    assert!(vi.contains("ra khỏi thư mục"), "{vi}");
}

#[test]
fn finding_7_a_theme_outside_themes_is_refused_at_its_line() {
    let site = fixture("minimal");
    write(
        site.path(),
        "site.yaml",
        "base_url: https://example.org\ntheme: ../../other-project/theme\nlanguages:\n  - code: vi\n",
    );
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("site.yaml:2:"), "{err}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn finding_8_loa_new_never_writes_outside_content() {
    let dir = tempfile::tempdir().unwrap();
    let site_holder = fixture("minimal");
    let site = dir.path().join("site");
    common::copy_tree(site_holder.path(), &site);
    std::os::unix::fs::symlink(dir.path().join("elsewhere.md"), site.join("content/dangling.md"))
        .unwrap();
    std::fs::create_dir(dir.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside"), site.join("content/linked")).unwrap();
    let before = snapshot(dir.path());
    for path in ["../../escaped", "/tmp/loa-escaped-page", "dangling", "linked/page", "a/../../x"] {
        let (ok, _, err) = run_loa(&site, &["new", "page", path, "--title", "Thoát ra"]);
        assert!(!ok, "`loa new page {path}` must be refused");
        assert!(err.contains("hint:"), "{path}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(snapshot(dir.path()), before, "nothing was written anywhere");
    assert!(!dir.path().join("elsewhere.md").exists() && !dir.path().join("elsewhere").exists());
    assert!(!Path::new("/tmp/loa-escaped-page.md").exists());
}

#[test]
fn finding_9_stamp_keeps_mode_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture("minimal");
    write(site.path(), "content/bai-viet.en.md", "---\ntitle: Article\n---\nText\n");
    let file = site.path().join("content/bai-viet.en.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
    let (ok, _, err) = run_loa(site.path(), &["i18n", "stamp", "content/bai-viet.en.md"]);
    assert!(ok, "{err}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("translated_from"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o664);
    let names: Vec<String> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("loa-tmp")), "{names:?}");
}

#[test]
fn finding_9_stamp_never_reverts_a_save_made_while_it_runs() {
    let site = fixture("minimal");
    let file = site.path().join("content/bai-viet.en.md");
    let mut lost = 0;
    for round in 0..40 {
        std::fs::write(&file, "---\ntitle: Article\n---\nText\n").unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(["i18n", "stamp", "content/bai-viet.en.md"])
            .current_dir(site.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(500 * (round % 20)));
        let saved = format!("---\ntitle: Article\n---\nSaved by the editor {round}\n");
        let staged = site.path().join("content/.editor-save");
        std::fs::write(&staged, &saved).unwrap();
        std::fs::rename(&staged, &file).unwrap();
        let status = child.wait_with_output().unwrap().status;
        let now = std::fs::read_to_string(&file).unwrap();
        if !now.contains(&format!("Saved by the editor {round}")) {
            lost += 1;
        }
        assert!(status.code().is_some(), "no crash");
    }
    assert_eq!(lost, 0, "an editor's save was reverted {lost} times in 40");
}

#[test]
fn finding_10_long_names_fail_naming_the_source() {
    let site = fixture("minimal");
    let long = "a".repeat(230);
    write(site.path(), &format!("content/{long}.md"), "---\ntitle: Dài\n---\nx\n");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains(&format!("content/{long}.md")), "{err}");
    assert!(!err.contains("loa-new"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    std::fs::remove_file(site.path().join(format!("content/{long}.md"))).unwrap();

    let tag = "tu ".repeat(100);
    write(
        site.path(),
        "content/bai-viet.md",
        format!("---\ntitle: Bài\ntags: [\"{tag}\"]\n---\nx\n"),
    );
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("content/bai-viet.md:3:"), "{err}");
    let (ok, out, _) = run_loa(site.path(), &["check"]);
    assert!(!ok, "loa check reports it too");
    assert!(out.contains("content/bai-viet.md\n  3:8 error"), "{out}");
}

#[test]
fn finding_12_languages_and_tags_have_limits_checked_at_load() {
    let site = fixture("minimal");
    let codes: Vec<String> = (0..150).map(|i| format!("  - code: q{}\n", letters(i))).collect();
    let config =
        format!("base_url: https://example.org\nlanguages:\n  - code: vi\n{}", codes.concat());
    write(site.path(), "site.yaml", &config);
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("site.yaml:"), "{err}");
    assert!(err.contains("at most 100"), "{err}");

    let site = fixture("minimal");
    let tags: Vec<String> = (0..500).map(|i| format!("the {i}")).collect();
    write(
        site.path(),
        "content/bai-viet.md",
        format!("---\ntitle: Bài\ntags: [{}]\n---\nx\n", tags.join(", ")),
    );
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("content/bai-viet.md:3:"), "{err}");
    assert!(err.contains("at most 100"), "{err}");
}

/// A two- or three-letter code made of letters only, different for each number.
fn letters(mut n: usize) -> String {
    let mut code = String::new();
    for _ in 0..2 {
        code.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    code
}

#[test]
fn finding_12_a_page_with_a_hundred_tags_lists_each_once() {
    let site = fixture("minimal");
    let tags: Vec<String> = (0..100).map(|i| format!("chủ đề {i}")).collect();
    write(
        site.path(),
        "content/bai-viet.md",
        format!("---\ntitle: Bài\ntags: [{}]\n---\nx\n", tags.join(", ")),
    );
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(ok, "{err}");
    let page = common::read(site.path(), "bai-viet/index.html");
    for i in [0, 57, 99] {
        assert!(page.contains(&format!("/tags/chu-de-{i}/")), "tag {i} is linked");
    }
}

#[test]
fn finding_20_out_cannot_be_a_source_folder() {
    let site = fixture("minimal");
    for out in ["shortcodes", "print", "banners", "fonts", "templates", "static"] {
        let (ok, _, err) = run_loa(site.path(), &["build", "--out", out]);
        assert!(!ok, "--out {out} must be refused");
        assert!(err.contains("hint:"), "{err}");
        assert!(!site.path().join(out).join(".loa-build").exists());
    }
}

#[test]
fn finding_20_a_name_that_is_not_utf8_is_named_not_lost() {
    use std::os::unix::ffi::OsStrExt;
    let site = fixture("minimal");
    let name = std::ffi::OsStr::from_bytes(b"bai-\xe0-viet.md");
    std::fs::write(site.path().join("content").join(name), "---\ntitle: A\n---\nx\n").unwrap();
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(err.contains("not UTF-8"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
    std::fs::remove_file(site.path().join("content").join(name)).unwrap();
    let photo = std::ffi::OsStr::from_bytes(b"logo-\xe0.txt");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static").join(photo), "x").unwrap();
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok, "a static file is not published under another name");
    assert!(err.contains("static/logo-"), "{err}");
}

#[test]
fn finding_20_only_co_located_files_a_page_uses_are_published() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai-viet/index.md",
        "---\ntitle: Bài\n---\n[Tải tờ rơi](to-roi.pdf)\n",
    );
    std::fs::remove_file(site.path().join("content/bai-viet.md")).unwrap();
    write(site.path(), "content/bai-viet/to-roi.pdf", "%PDF-1.4 leaflet");
    write(site.path(), "content/bai-viet/bi-mat.svg", "<svg><script>alert(1)</script></svg>");
    write(site.path(), "content/bai-viet/ghi-chu.txt", "notes nobody links to");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(ok, "{err}");
    let public = site.path().join("public/bai-viet");
    assert!(public.join("to-roi.pdf").is_file(), "a linked file is published");
    assert!(!public.join("bi-mat.svg").exists(), "an unused SVG is not");
    assert!(!public.join("ghi-chu.txt").exists(), "an unused file is not");
}

#[test]
fn finding_20_check_reports_a_main_image_that_does_not_exist() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài\nimage: khong-co.jpg\nimage_alt: Ảnh\n---\nx\n",
    );
    let (ok, out, _) = run_loa(site.path(), &["check"]);
    assert!(!ok, "{out}");
    assert!(out.contains("content/bai-viet.md\n  3:8 error"), "{out}");
    assert!(out.contains("khong-co.jpg"), "{out}");
}

#[test]
fn finding_20_check_reports_a_figure_whose_src_names_no_file() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài\n---\nĐoạn đầu.\n\n{{ figure(src=\"khong-co.jpg\", alt=\"Ảnh\") }}\n",
    );
    let (ok, out, _) = run_loa(site.path(), &["check"]);
    assert!(!ok, "{out}");
    assert!(out.contains("content/bai-viet.md\n  6:1 error"), "{out}");
    assert!(out.contains("khong-co.jpg"), "{out}");
}
