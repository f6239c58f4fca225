//! Issue 18, "what is published is whole": a missing image (Markdown, the `figure` shortcode,
//! the front matter's `image:`, raw HTML), a link to a page that does not exist (`@/` or
//! relative) and an unknown anchor stop `loa build` with a Vietnamese message at the file, line
//! and column, a "did you mean" hint, and public/ as it was; a `--drafts` build warns and shows
//! the problem on the page instead; `loa check` reports the same problems as the build.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common;

use common::bad::{assert_same, snapshot};
use common::{fixture, read, write};

/// The page every case edits, and the Vietnamese interface asked for both ways.
const PAGE: &str = "content/bai-viet/index.md";
const NOW: &str = "2024-08-01";

/// Runs loa in `dir` with `LANG=vi_VN.UTF-8`, or with `--ui-lang vi` under `LANG=C`.
fn run_vi(dir: &Path, by_option: bool, args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loa"));
    command.current_dir(dir).env_remove("LC_ALL").env_remove("LC_MESSAGES");
    if by_option {
        command.env("LANG", "C").args(["--ui-lang", "vi"]);
    } else {
        command.env("LANG", "vi_VN.UTF-8");
    }
    let output = command.args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

/// The fixture's page with `front` added to its front matter and `line` as the body's first
/// line (line 6 of the file when `front` is empty, line 7 when it is one line).
fn page_with(front: &str, line: &str) -> String {
    format!(
        "---\ntitle: Bài viết\ndate: 2024-07-30\n{front}---\n\n{line}\n\n\
         ![Tờ rơi phát ở chợ](to-roi.png)\n\n## Dấu hiệu lừa đảo\n\nLời mời việc nhẹ lương cao.\n"
    )
}

/// The located problems in a build's error output: `file:line:column: message`, without the
/// leading `lỗi: ` and without hints.
fn build_errors(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter(|line| !line.starts_with(' ') && line.contains(".md:"))
        .map(|line| line.trim_start_matches("lỗi: ").to_owned())
        .collect()
}

/// The errors of `loa check --format json`, as `file:line:column: message`.
fn check_errors(site: &Path) -> BTreeSet<String> {
    let (ok, stdout, stderr) = run_vi(site, true, &["check", "--format", "json"]);
    assert!(!ok, "loa check should fail:\n{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!("{}:{}:{}: {}", d["file"].as_str().unwrap(), d["line"], d["column"], {
                d["message"].as_str().unwrap()
            })
        })
        .collect()
}

/// Builds the fixture, writes the mistake, and checks everything the issue asks of it:
/// `needles` (the message at its place and the hint) in the error of both ways of asking for
/// Vietnamese, public/ unchanged, `loa check` reporting the same errors, and a `--drafts` build
/// that warns and shows `shown` in a notice on the page, with no link to a source and no
/// `<img>` of the missing file.
fn assert_stops_the_build(text: &str, needles: &[&str], missing: Option<&str>) {
    let site = fixture("whole");
    let (ok, _, stderr) = run_vi(site.path(), false, &["build", "--now", NOW]);
    assert!(ok, "the fixture should build:\n{stderr}");
    let before = snapshot(&site.path().join("public"));
    write(site.path(), PAGE, text);
    let mut errors = None;
    for by_option in [false, true] {
        let what = format!("{needles:?} (--ui-lang: {by_option})");
        let (ok, _, stderr) = run_vi(site.path(), by_option, &["build", "--now", NOW]);
        assert!(!ok, "{what}: the build should stop:\n{stderr}");
        common::bad::assert_no_panic(&stderr, &what);
        for needle in needles.iter().chain(&["lỗi: ", "\n  gợi ý: "]) {
            assert!(stderr.contains(needle), "{what}: `{needle}` not in:\n{stderr}");
        }
        assert_same(&before, &snapshot(&site.path().join("public")), &what);
        errors = Some(build_errors(&stderr));
    }
    let errors = errors.unwrap();
    assert!(!errors.is_empty());
    assert_eq!(errors, check_errors(site.path()), "loa build and loa check disagree");
    assert_preview(site.path(), needles[0], missing);
}

/// A `--drafts` build of the broken page succeeds, warns, and shows the problem on the page.
fn assert_preview(site: &Path, located: &str, missing: Option<&str>) {
    let (ok, _, stderr) = run_vi(site, false, &["build", "--drafts", "--now", NOW]);
    assert!(ok, "a preview should build:\n{stderr}");
    assert!(stderr.contains(&format!("cảnh báo: {located}")), "{stderr}");
    let html = read(site, "bai-viet/index.html");
    let message = located.rsplit(": ").next().unwrap();
    assert!(html.contains("id=loa-problems"), "no notice on the page:\n{html}");
    assert!(html.contains("Chưa thể đăng: `loa build` sẽ dừng"), "{html}");
    assert!(html.contains(message), "`{message}` not shown:\n{html}");
    for literal in ["href=@/", "href=\"@/", "href=../", "href=\"../"] {
        assert!(!html.contains(literal), "`{literal}` published:\n{html}");
    }
    if let Some(missing) = missing {
        let img =
            html.split("<img").skip(1).find(|tag| tag.split('>').next().unwrap().contains(missing));
        assert!(img.is_none(), "a broken <img> of {missing} is published:\n{html}");
        assert!(html.contains("loa-missing-image"), "{html}");
    }
}

#[test]
fn finding_18_a_missing_markdown_image_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "![Tờ rơi ở chợ](to-roi.jpg)"),
        &[
            "content/bai-viet/index.md:6:1: không có ảnh `to-roi.jpg`",
            "gợi ý: có phải bạn muốn viết `to-roi.png`?",
        ],
        Some("to-roi.jpg"),
    );
}

#[test]
fn finding_18_a_figure_of_a_missing_file_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "{{ figure(src=\"to-roi.jpg\", alt=\"Tờ rơi ở chợ\") }}"),
        &[
            "content/bai-viet/index.md:6:1: không có ảnh `to-roi.jpg`",
            "gợi ý: có phải bạn muốn viết `to-roi.png`?",
        ],
        Some("to-roi.jpg"),
    );
}

#[test]
fn finding_18_a_missing_front_matter_image_stops_the_build() {
    assert_stops_the_build(
        &page_with("image: to-roi.jpg\n", "Xin chào."),
        &[
            "content/bai-viet/index.md:4:8: không có ảnh `to-roi.jpg`",
            "gợi ý: có phải bạn muốn viết `to-roi.png`?",
        ],
        None,
    );
}

#[test]
fn finding_18_a_missing_raw_html_image_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "<img src=\"to-roi.jpg\" alt=\"Tờ rơi ở chợ\">"),
        &[
            "content/bai-viet/index.md:6:1: không có ảnh `to-roi.jpg`",
            "gợi ý: có phải bạn muốn viết `to-roi.png`?",
        ],
        Some("to-roi.jpg"),
    );
}

#[test]
fn finding_18_a_link_to_a_page_that_does_not_exist_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "Xem [kế hoạch](@/ke-hoach-2025.md)."),
        &[
            "content/bai-viet/index.md:6:5: liên kết trỏ tới `content/ke-hoach-2025.md`, tệp này không có",
            "gợi ý: có phải bạn muốn viết `@/ke-hoach-2024.md`?",
        ],
        None,
    );
}

#[test]
fn finding_18_a_relative_link_to_a_missing_content_file_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "Xem [kế hoạch](../ke-hoach-2025.md)."),
        &[
            "content/bai-viet/index.md:6:5: liên kết trỏ tới `content/ke-hoach-2025.md`, tệp này không có",
            "gợi ý: có phải bạn muốn viết `@/ke-hoach-2024.md`?",
        ],
        None,
    );
}

#[test]
fn finding_18_an_unknown_anchor_on_the_same_page_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "Xem [dấu hiệu](#dau-hieu)."),
        &[
            "content/bai-viet/index.md:6:5: không có mục `#dau-hieu` trong `content/bai-viet/index.md`",
            "gợi ý: có phải bạn muốn viết `#dau-hieu-lua-dao`?",
        ],
        None,
    );
}

#[test]
fn finding_18_an_unknown_anchor_on_another_page_stops_the_build() {
    assert_stops_the_build(
        &page_with("", "Xem [lịch](@/ke-hoach-2024.md#lich-2024)."),
        &[
            "content/bai-viet/index.md:6:5: không có mục `#lich-2024` trong `content/ke-hoach-2024.md`",
            "gợi ý: có phải bạn muốn viết `#lich`?",
        ],
        None,
    );
}

#[test]
fn finding_18_check_and_build_agree_on_a_page_with_every_problem_at_once() {
    let site = fixture("whole");
    let text = "---\ntitle: Bài viết\ndate: 2024-07-30\nimage: bia.jpg\n---\n\n\
        Xem [a](@/khong-co.md), [b](#khong-co) và [c](@/ke-hoach-2024.md#khong).\n\n\
        ![Ảnh](khong-co.jpg)\n\n{{ figure(src=\"hinh.jpg\", alt=\"Hình\") }}\n\n\
        <img src=\"anh.png\" alt=\"Ảnh\">\n";
    write(site.path(), PAGE, text);
    let (ok, _, stderr) = run_vi(site.path(), true, &["build", "--now", NOW]);
    assert!(!ok);
    let errors = build_errors(&stderr);
    assert_eq!(errors.len(), 7, "{errors:#?}");
    assert_eq!(errors, check_errors(site.path()));
    assert!(!site.path().join("public").exists(), "a stopped build wrote public/");
}

#[test]
fn a_dead_link_in_a_draft_is_a_warning_in_check_as_in_the_only_build_that_publishes_it() {
    let site = fixture("whole");
    write(site.path(), PAGE, page_with("draft: true\n", "Xem [kế hoạch](@/ke-hoach-2025.md)."));
    let (ok, stdout, stderr) = run_vi(site.path(), true, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let about: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("ke-hoach-2025"))
        .collect();
    assert_eq!(about.len(), 1, "{stdout}{stderr}");
    assert_eq!(about[0]["severity"], "warning");
    assert!(ok, "a draft's problem does not fail the check: {stdout}");
    let (built, _, err) = run_vi(site.path(), true, &["build", "--now", NOW]);
    assert!(built, "the draft is not published, so nothing is broken: {err}");
    let (built, _, err) = run_vi(site.path(), true, &["build", "--drafts", "--now", NOW]);
    assert!(built && err.contains("ke-hoach-2025"), "a preview warns: {err}");
}
