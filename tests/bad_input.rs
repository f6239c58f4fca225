//! Bad input: every error names the file, line and column with a hint, exits non-zero and never panics.

mod common;

use common::{fixture, run_loa, write};

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
        &["content/a.md:1:1: the front matter is not closed", "hint: add a line with only `---`"],
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
