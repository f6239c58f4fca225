//! Shortcodes in Markdown and in templates: rendering, code left alone, and every error case.

use crate::common;

use common::{fixture, read, run_loa, write};

const PAGE: &str = r#"---
title: Thử mã rút gọn
---

Gọi {{ hotline(id="111") }} ngay.

{% callout(kind="warning") %}
**Chú ý:** không đi theo người lạ.
{% end %}

{{ figure(src="anh.png", alt="Cán bộ phát tờ rơi", caption="Tuyên truyền ở thôn") }}

{{ qr(url="https://example.org/x") }}

`{{ hotline(id="999") }}`

```
{% callout(kind="nope") %}
```
"#;

#[test]
fn can_render_every_shortcode_and_leave_code_alone() {
    let site = fixture("minimal");
    write(site.path(), "content/sc/index.md", PAGE);
    let png = std::fs::read(common::repo().join("tests/fixtures/tiny.png")).unwrap();
    write(site.path(), "content/sc/anh.png", png);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let html = read(site.path(), "sc/index.html");
    let main = html.split("<main").nth(1).unwrap();
    for needle in [
        "Gọi <a class=hotline-link href=tel:111><strong>111</strong> <span class=label>Tổng đài 111</span></a> ngay.",
        "<aside class=\"callout callout-warning\" role=note><p class=callout-title>",
        "<strong>Chú ý:</strong> không đi theo người lạ.",
        "alt=\"Cán bộ phát tờ rơi\"",
        "src=/sc/anh.2.png",
        "<figcaption>Tuyên truyền ở thôn</figcaption>",
        "<figure class=qr><svg",
        "<code>{{ hotline(id=\"999\") }}</code>",
        "{% callout(kind=\"nope\") %}",
    ] {
        assert!(main.contains(needle), "`{needle}` not in {main}");
    }
    assert!(!main.contains("<?xml"), "no XML declaration inside HTML");
}

#[test]
fn can_count_down_before_on_and_after_the_day() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/dem.md",
        "---\ntitle: Đếm ngược\n---\n\n{{ countdown(date=\"30/7/2024\") }}\n",
    );
    let text_at = |now: &str| {
        assert!(run_loa(site.path(), &["build", "--now", now]).0);
        let html = read(site.path(), "dem/index.html");
        html.split("class=countdown")
            .nth(1)
            .unwrap()
            .split('>')
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(text_at("2024-07-20"), "Còn 10 ngày nữa đến 30/7/2024");
    assert_eq!(text_at("2024-07-30"), "Hôm nay, 30/7/2024");
    assert_eq!(text_at("2024-08-02"), "Đã diễn ra ngày 30/7/2024");
    assert!(read(site.path(), "dem/index.html").contains("data-countdown=2024-07-30"));
}

fn error_for(body: &str) -> String {
    let site = fixture("minimal");
    write(site.path(), "content/loi.md", format!("---\ntitle: Lỗi\n---\n\nDòng một.\n\n{body}\n"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(!ok, "{body} should fail");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn errors_on_bad_shortcodes_with_place_and_hint() {
    let cases = [
        (
            "{{ hotlin(id=\"111\") }}",
            "content/loi.md:7:1: unknown shortcode `hotlin`",
            "did you mean `hotline`?",
        ),
        (
            "{{ hotline(so=\"111\") }}",
            "content/loi.md:7:1: the shortcode `hotline` has no argument `so`",
            "arguments of `hotline`: id: string",
        ),
        (
            "{{ hotline() }}",
            "content/loi.md:7:1: the shortcode `hotline` needs the argument `id`",
            "hint:",
        ),
        (
            "{{ hotline(id=111) }}",
            "content/loi.md:7:1: the argument `id` of `hotline` must be text",
            "hint:",
        ),
        (
            "{{ hotline(id=\"999\") }}",
            "content/loi.md:7:1: there is no hotline `999` in site.yaml",
            "hint: use the `id` of one of the hotlines",
        ),
        (
            "{% callout(kind=\"nope\") %}\nx\n{% end %}",
            "content/loi.md:7:1: a callout's kind must be warning, info or help, not `nope`",
            "hint: write kind=",
        ),
        (
            "{% callout(kind=\"info\") %}\nkhông đóng",
            "content/loi.md:7:1: the block shortcode `callout` has no `{% end %}`",
            "hint: write shortcodes like",
        ),
        (
            "xin {{ hotline(id=\"111) }}",
            "content/loi.md:7:19: the text value is not closed by its quote",
            "hint:",
        ),
    ];
    for (body, message, hint) in cases {
        let stderr = error_for(body);
        assert!(stderr.contains(message) && stderr.contains(hint), "{body}:\n{stderr}");
    }
}

#[test]
fn check_reports_unknown_shortcodes() {
    let site = fixture("minimal");
    write(site.path(), "content/loi.md", "---\ntitle: Lỗi\n---\n\n{{ poster(x=1) }}\n");
    let (ok, stdout, _) = run_loa(site.path(), &["check"]);
    assert!(!ok);
    assert!(stdout.contains("5:1 error: unknown shortcode `poster`"), "{stdout}");
}
