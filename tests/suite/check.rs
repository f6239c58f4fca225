//! `loa check`: one fixture trips every check; the bundled example passes.

use crate::common;

use common::{fixture, run_loa, write};

fn check_json(site: &std::path::Path) -> (bool, serde_json::Value) {
    let (ok, stdout, stderr) = run_loa(site, &["check", "--format", "json"]);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (ok, value)
}

fn has(report: &serde_json::Value, file: &str, line: u64, severity: &str, message: &str) -> bool {
    report["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["file"] == file
            && d["line"] == line
            && d["severity"] == severity
            && d["message"].as_str().unwrap().contains(message)
    })
}

#[test]
fn finds_every_problem_in_the_check_fixture() {
    let site = fixture("check");
    let (ok, report) = check_json(site.path());
    assert!(!ok, "errors give exit 1");
    let page = "content/bai/index.md";
    let expectations = [
        ("content/_index.md", 5, "error", "the anchor `#khong-co` does not exist"),
        (page, 7, "error", "`content/khong-ton-tai.md`, which does not exist"),
        (page, 7, "error", "`content/khac.md`, which does not exist"),
        (page, 7, "error", "the link `/khong-co/` leads to no page"),
        (page, 7, "warning", "`tel:0909123456` is not one of the site's hotlines"),
        (page, 7, "error", "the link `https://` is not a valid address"),
        (page, 9, "error", "the image `anh.png` has no alternative text"),
        (page, 9, "warning", "the alternative text of `anh.png` is a file name"),
        (page, 9, "error", "the image `mat.png` does not exist"),
        (page, 11, "warning", "skips from level 2 to level 4"),
        (page, 13, "warning", "raw `<script>`"),
        (page, 15, "warning", "raw `<iframe>`"),
        ("templates/page.html", 3, "error", "the locale key `khong.co.khoa` is missing for vi, en"),
    ];
    for (file, line, severity, message) in expectations {
        assert!(
            has(&report, file, line, severity, message),
            "{file}:{line} {severity} {message} not in {report:#}"
        );
    }
    assert!(!has(&report, page, 7, "warning", "tel:111"), "a configured hotline is fine");
    assert!(
        !has(&report, "content/_index.md", 5, "error", "#co-that"),
        "an existing anchor is fine"
    );
    let first = &report["diagnostics"][0];
    for field in ["file", "line", "column", "severity", "message", "hint"] {
        assert!(first.get(field).is_some(), "{field} missing in {first}");
    }
}

#[test]
fn links_and_images_inside_a_callout_are_checked_like_the_page_s_own() {
    let site = fixture("minimal");
    let body =
        "{% callout(kind=\"info\") %}\nXem [trang](@/khong-co.md) và ![ảnh](mat.jpg).\n{% end %}\n";
    write(site.path(), "content/long.md", format!("---\ntitle: Lồng\n---\n\n{body}"));
    let (ok, report) = check_json(site.path());
    assert!(!ok, "{report}");
    assert!(has(
        &report,
        "content/long.md",
        6,
        "error",
        "`content/khong-co.md`, which does not exist"
    ));
    assert!(has(&report, "content/long.md", 6, "error", "the image `mat.jpg` does not exist"));
    let (built, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(!built && stderr.contains("content/long.md:6:5"), "a build stops on it: {stderr}");
}

#[test]
fn reports_front_matter_errors_and_unknown_hotlines() {
    let site = fixture("minimal");
    write(site.path(), "content/a.md", "---\ntitle: A\nhotlines: [999]\n---\n");
    write(site.path(), "content/b.md", "---\ntitle: B\ndraf: true\n---\n");
    let (ok, report) = check_json(site.path());
    assert!(!ok);
    assert!(has(&report, "content/b.md", 3, "error", "unknown field `draf`"), "{report:#}");
    let site = fixture("minimal");
    write(site.path(), "content/a.md", "---\ntitle: A\nhotlines: [999]\n---\n");
    let (_, report) = check_json(site.path());
    assert!(has(&report, "content/a.md", 3, "error", "unknown hotline `999`"), "{report:#}");
}

#[test]
fn reports_two_sources_on_one_url() {
    let site = fixture("minimal");
    write(site.path(), "content/bai-viet/index.md", "---\ntitle: B\n---\n");
    let (ok, report) = check_json(site.path());
    assert!(!ok);
    assert!(
        report["diagnostics"][0]["message"].as_str().unwrap().contains("same URL"),
        "{report:#}"
    );
}

#[test]
fn text_output_groups_by_file_and_warnings_alone_exit_zero() {
    let site = fixture("minimal");
    write(site.path(), "content/a.md", "---\ntitle: A\n---\n\n#### Sâu\n");
    let (ok, stdout, _) = run_loa(site.path(), &["check"]);
    assert!(ok, "only warnings: exit 0\n{stdout}");
    assert!(
        stdout.contains(
            "content/a.md\n  5:1 warning: the heading `Sâu` skips from level 1 to level 4"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("0 error(s), 1 warning(s)"), "{stdout}");
}

#[test]
fn the_bundled_example_passes() {
    let (ok, stdout, stderr) = run_loa(&common::repo(), &["check"]);
    assert!(ok, "{stdout}{stderr}");
    // Every script of the example is written for listening and fits a bulletin (issue 22):
    // no length warning, nor any other.
    assert!(!stdout.contains(" warning: "), "{stdout}");
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "{stdout}");
}
