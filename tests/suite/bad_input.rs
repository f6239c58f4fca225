//! Bad input: every error names the file, line and column with a hint, exits non-zero and never panics.

use crate::common;

use common::{bad, fixture, run_loa, write};

/// Builds the minimal fixture with `path` replaced by `text` and returns stderr of a failed build.
fn failing_build(path: &str, text: &str) -> String {
    let site = fixture("minimal");
    write(site.path(), path, text);
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(!ok, "the build should fail for {path}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!site.path().join("public").exists(), "no output after a failed first build");
    stderr
}

fn assert_contains(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(haystack.contains(needle), "`{needle}` not in:\n{haystack}");
    }
}

#[test]
fn errors_on_unknown_front_matter_key() {
    let err = failing_build("content/a.md", "---\ntitle: A\ndescripton: x\n---\n");
    assert_contains(
        &err,
        &["content/a.md:3:1: unknown field `descripton`", "hint: did you mean `description`?"],
    );
}

#[test]
fn errors_on_unclosed_front_matter() {
    let err = failing_build("content/a.md", "---\ntitle: A\n\nText\n");
    assert_contains(
        &err,
        &[
            "content/a.md:4:1: the front matter is not closed",
            "hint: add a line with only `---` after the last key, `title: A` (line 2)",
        ],
    );
}

#[test]
fn errors_on_wrong_type() {
    let err = failing_build("content/a.md", "---\ntitle: A\nweight: nặng\n---\n");
    assert_contains(&err, &["content/a.md:3:9:", "hint:"]);
}

#[test]
fn errors_on_impossible_date() {
    let err = failing_build("content/a.md", "---\ntitle: A\ndate: 31/2/2024\n---\n");
    assert_contains(
        &err,
        &["content/a.md:3:7: `31/2/2024` is not a day that exists", "hint: write dates as"],
    );
}

#[test]
fn errors_on_duplicate_key() {
    let err = failing_build("content/a.md", "---\ntitle: A\ntitle: B\n---\n");
    assert_contains(&err, &["content/a.md:3:1: duplicate mapping key: title", "hint:"]);
}

#[test]
fn errors_on_unknown_template() {
    let err = failing_build("content/a.md", "---\ntitle: A\ntemplate: pgae.html\n---\n");
    assert_contains(
        &err,
        &["content/a.md:3:11: unknown template `pgae.html`", "hint: did you mean `page.html`?"],
    );
}

#[test]
fn errors_on_tera_syntax_error_with_template_line() {
    let err = failing_build(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n",
    );
    assert_contains(&err, &["templates/page.html:4:1: template syntax error", "hint:"]);
}

#[test]
fn errors_on_missing_locale_key_naming_key_and_template() {
    let err = failing_build(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ t(key=\"khong.co\") }}\n{% endblock content %}\n",
    );
    assert_contains(&err, &["templates/page.html:3:", "khong.co"]);
}

#[test]
fn errors_on_two_sources_for_one_url() {
    let site = fixture("minimal");
    write(site.path(), "content/bai-viet/index.md", "---\ntitle: B\n---\n");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert_contains(
        &err,
        &["content/bai-viet", "would be published at the same URL", "hint: rename one of them"],
    );
}

#[test]
fn errors_on_two_sources_for_one_url_through_slug() {
    let err = failing_build("content/khac.md", "---\ntitle: K\nslug: Bài viết\n---\n");
    assert_contains(&err, &["content/khac.md", "content/bai-viet.md", "same URL"]);
}

#[test]
fn errors_on_unknown_hotline() {
    let err = failing_build("content/a.md", "---\ntitle: A\nhotlines: [112]\n---\n");
    assert_contains(&err, &["content/a.md:3:12: unknown hotline `112`", "hint:"]);
}

#[test]
fn errors_on_invalid_utf8_with_offset() {
    let site = fixture("minimal");
    write(site.path(), "content/a.md", b"---\ntitle: Vi\xeat Nam\n---\n");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert_contains(
        &err,
        &[
            "content/a.md:2:10: the file is not valid UTF-8 (byte offset 13)",
            "hint: save the file as UTF-8",
        ],
    );
}

#[test]
fn errors_on_bad_site_yaml() {
    let err = failing_build(
        "site.yaml",
        "base_url: https://example.org\nlanguages:\n  - code: vi\n    fallbak: [en]\n",
    );
    assert_contains(&err, &["site.yaml:4:5: unknown field `fallbak`", "did you mean `fallback`?"]);
}

#[test]
fn warns_on_unconfigured_language_suffix() {
    let site = fixture("minimal");
    write(site.path(), "content/bai-viet.fr.md", "---\ntitle: Article\n---\n");
    let (ok, _, err) = run_loa(site.path(), &["build"]);
    assert!(ok, "{err}");
    assert_contains(&err, &["warning: content/bai-viet.fr.md: language `fr` is not configured"]);
}

#[test]
fn errors_on_bad_now() {
    let site = fixture("minimal");
    let (ok, _, err) = run_loa(site.path(), &["build", "--now", "30/2/2024"]);
    assert!(!ok);
    assert_contains(&err, &["--now: `30/2/2024` is not a day that exists"]);
}

#[test]
fn builds_lists_and_quotes_nested_a_thousand_deep() {
    let site = fixture("minimal");
    let list: String = (0..1000).map(|i| format!("{}- mục\n", "  ".repeat(i))).collect();
    let quotes = format!("{} trích dẫn\n", ">".repeat(1000));
    write(site.path(), "content/sau.md", format!("---\ntitle: Sâu\n---\n\n{list}\n{quotes}"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    assert!(common::read(site.path(), "sau/index.html").matches("<li>").count() >= 1000);
}

/// The built minimal site's `public/`, made once and copied into each case.
fn built_minimal() -> &'static std::path::Path {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let site = fixture("minimal");
            let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
            assert!(ok, "{err}");
            site
        })
        .path()
}

/// Runs one case of `tests/fixtures/bad/` over a previous good build, checking its expectations,
/// that a failure leaves `public/` byte for byte as it was, and that `content/` is never touched.
fn run_case(case: &bad::Case) {
    let site = fixture("minimal");
    common::copy_tree(&built_minimal().join("public"), &site.path().join("public"));
    bad::lay_over(&case.name, site.path());
    let public = bad::snapshot(&site.path().join("public"));
    let content = bad::snapshot(&site.path().join("content"));
    let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    let what = format!("case {}", case.name);
    bad::assert_no_panic(&err, &what);
    assert_eq!(ok, case.builds, "{what}: build success should be {}:\n{err}", case.builds);
    assert_contains(&err, &case.present.iter().map(String::as_str).collect::<Vec<_>>());
    for text in &case.absent {
        assert!(!err.contains(text.as_str()), "{what}: `{text}` in:\n{err}");
    }
    if !ok {
        assert!(err.contains("error: ") && err.contains("hint: "), "{what}:\n{err}");
        bad::assert_same(&public, &bad::snapshot(&site.path().join("public")), &what);
    }
    for path in &case.public {
        assert!(site.path().join("public").join(path).is_file(), "{what}: no public/{path}");
    }
    for command in [&["check"][..], &["i18n", "status"]] {
        let (_, out, err) = run_loa(site.path(), command);
        bad::assert_no_panic(&format!("{out}{err}"), &format!("{what}: loa {}", command.join(" ")));
    }
    bad::assert_same(&content, &bad::snapshot(&site.path().join("content")), &what);
}

#[test]
fn every_bad_fixture_gives_its_message_and_keeps_previous_output() {
    let cases = bad::cases();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    for case in &cases {
        run_case(case);
    }
}

#[test]
fn builds_a_ten_megabyte_page() {
    let site = fixture("minimal");
    let paragraph = "Đường dây nóng **111** miễn phí: gọi ngay khi nghi ngờ có người bị lừa bán. \
                     Xem [hướng dẫn](@/bai-viet.md) và ghi nhớ số 1800 1581.\n\n";
    let body = paragraph.repeat(10 * 1024 * 1024 / paragraph.len() + 1);
    assert!(body.len() >= 10 * 1024 * 1024);
    write(site.path(), "content/rat-dai.md", format!("---\ntitle: Rất dài\n---\n\n{body}"));
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(ok, "{stderr}");
    bad::assert_no_panic(&stderr, "10 MB page");
    assert!(common::read(site.path(), "rat-dai/index.html").contains("lừa bán"));
}

#[test]
fn builds_sections_nested_fifty_deep() {
    let site = fixture("minimal");
    let mut folder = String::from("content");
    for depth in 1..=50 {
        folder.push_str(&format!("/muc-{depth}"));
        write(
            site.path(),
            &format!("{folder}/_index.md"),
            format!("---\ntitle: Mục {depth}\n---\n"),
        );
    }
    write(site.path(), &format!("{folder}/day.md"), "---\ntitle: Đáy\n---\n\nTận cùng.\n");
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(ok, "{stderr}");
    let deepest = (1..=50).map(|d| format!("muc-{d}/")).collect::<String>();
    assert!(common::read(site.path(), &format!("{deepest}day/index.html")).contains("Tận cùng."));
}

/// A folder outside the site holding a page, a secret and a folder, for links to point at.
fn outside_folder() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "trang.md", "---\ntitle: Ngoài\n---\n\nBÍ MẬT NGOÀI\n");
    write(outside.path(), "bi-mat.txt", "BÍ MẬT NGOÀI");
    write(outside.path(), "thu-muc/bi-mat.txt", "BÍ MẬT NGOÀI");
    outside
}

#[test]
fn never_follows_links_out_of_the_site_or_round_in_loops() {
    use std::os::unix::fs::symlink;
    let outside = outside_folder();
    let out = outside.path();
    let site = fixture("minimal");
    let root = site.path();
    symlink(out.join("trang.md"), root.join("content/ngoai.md")).unwrap();
    symlink(out.join("thu-muc"), root.join("content/thu-muc")).unwrap();
    symlink("../content", root.join("content/vong")).unwrap();
    symlink("b.md", root.join("content/a.md")).unwrap();
    symlink("a.md", root.join("content/b.md")).unwrap();
    symlink("khong-co.md", root.join("content/treo.md")).unwrap();
    write(root, "static/that.txt", "thật");
    symlink(out.join("bi-mat.txt"), root.join("static/lo.txt")).unwrap();
    symlink(out.join("bi-mat.txt"), root.join("themes/default/static/lo-theme.txt")).unwrap();
    symlink(out, root.join("templates")).unwrap();
    let (ok, _, err) = run_loa(root, &["build", "--now", "2024-08-01"]);
    assert!(ok, "{err}");
    bad::assert_no_panic(&err, "links");
    for link in [
        "content/ngoai.md",
        "content/thu-muc",
        "content/vong",
        "content/a.md",
        "content/treo.md",
        "static/lo.txt",
        "themes/default/static/lo-theme.txt",
        "templates",
    ] {
        assert_contains(&err, &[&format!("warning: {link}: symbolic link skipped")]);
    }
    assert!(root.join("public/that.txt").is_file());
    for (path, (bytes, _)) in bad::snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("BÍ MẬT NGOÀI"), "public/{} came from outside", path.display());
    }
}

#[test]
fn never_follows_a_static_folder_that_is_a_link_out_of_the_site() {
    let outside = outside_folder();
    let site = fixture("minimal");
    std::os::unix::fs::symlink(outside.path(), site.path().join("static")).unwrap();
    let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(ok, "{err}");
    assert_contains(&err, &["warning: static: symbolic link skipped"]);
    for name in ["bi-mat.txt", "trang.md", "thu-muc/bi-mat.txt"] {
        assert!(!site.path().join("public").join(name).exists(), "public/{name} published");
    }
}

#[test]
fn names_a_file_deleted_between_walk_and_read() {
    let site = fixture("minimal");
    write(site.path(), "content/sap-xoa.md", "---\ntitle: Sắp xóa\n---\n");
    let config = loa::load::config::Config::load(site.path()).unwrap();
    let mut diagnostics = loa::Diagnostics::default();
    let inventory = loa::load::content::discover(&config, &mut diagnostics).unwrap();
    std::fs::remove_file(site.path().join("content/sap-xoa.md")).unwrap();
    let error =
        loa::load::content::read_documents(inventory.sources, &config).unwrap_err().to_string();
    assert_contains(
        &error,
        &[
            "content/sap-xoa.md: cannot read this file or folder",
            "hint: check that the file exists",
        ],
    );
    assert!(!error.contains(&*site.path().to_string_lossy()), "shows the temporary path: {error}");
}

#[test]
fn names_an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture("minimal");
    write(site.path(), "content/khoa.md", "---\ntitle: Khóa\n---\n");
    let locked = site.path().join("content/khoa.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (ok, err) = if std::fs::read(&locked).is_ok() {
        // Root reads any file, so the build runs as `nobody`, who may read everything else.
        eprintln!("running as root: building as uid 65534 so that mode 000 is enforced");
        build_as_nobody(site.path())
    } else {
        let (ok, _, err) = run_loa(site.path(), &["build", "--now", "2024-08-01"]);
        (ok, err)
    };
    assert!(!ok, "the build should fail");
    bad::assert_no_panic(&err, "unreadable file");
    assert_contains(
        &err,
        &["content/khoa.md: cannot read this file or folder", "hint: check that"],
    );
}

/// Builds `site` as user and group 65534 (`nobody`), opening the site to them first.
fn build_as_nobody(site: &std::path::Path) -> (bool, String) {
    common::run_as_nobody(site, &[], &["build", "--now", "2024-08-01"])
}
