//! Deep input and many shortcodes (findings 4 and 15 to 18 of «Robustness round 2»): nesting
//! past loa's limit is refused with the page's file, line and column, never a stack overflow;
//! content that Typst refuses names the page and the image, not the theme; shortcodes expand in
//! one pass and never take text an author typed for one of their own.

use crate::common;

use common::{fixture, read, run_loa, write};

fn printed(body: &str) -> String {
    format!("---\ntitle: Tờ rơi\nprint: leaflet-a5\n---\n\n{body}")
}

fn quotes(depth: usize) -> String {
    format!("{} Gọi 111 khi nghi ngờ.\n", ">".repeat(depth))
}

fn callouts(depth: usize) -> String {
    let open = "{% callout(kind=\"info\") %}\n".repeat(depth);
    let close = "{% end %}\n".repeat(depth);
    format!("---\ntitle: Lồng nhau\n---\n\n{open}Gọi 111.\n{close}")
}

/// How `loa <command>` names a place: `file:line:column: ` for build, the file then
/// `line:column error` for check.
fn place(command: &str, file: &str, at: &str) -> String {
    match command {
        "check" => format!("{file}\n  {at} error: "),
        _ => format!("{file}:{at}: "),
    }
}

/// Fails with `loa <command>`, and what it printed.
fn failing(site: &std::path::Path, command: &str) -> String {
    let (ok, stdout, stderr) = run_loa(site, &[command]);
    let stderr = format!("{stdout}{stderr}");
    assert!(!ok, "loa {command} succeeded");
    common::bad::assert_no_panic(&stderr, command);
    assert!(!stderr.contains("overflow"), "{stderr}");
    stderr
}

#[test]
fn finding_4_quotes_nested_deep_on_a_printed_page_are_refused_naming_the_page() {
    for depth in [1_000, 50_000] {
        let site = fixture("minimal");
        write(site.path(), "content/to-roi.md", printed(&quotes(depth)));
        for command in ["build", "check"] {
            let stderr = failing(site.path(), command);
            let at = place(command, "content/to-roi.md", "6:13");
            assert!(stderr.contains(&at), "{depth} {command}: {stderr}");
            assert!(stderr.contains("at most 12 levels deep"), "{stderr}");
            assert!(stderr.contains("hint: flatten the lists and quotes"), "{stderr}");
            assert!(!stderr.contains("themes/default/print"), "{stderr}");
        }
    }
}

#[test]
fn finding_4_a_printed_page_nested_up_to_the_limit_still_prints() {
    let site = fixture("minimal");
    let list: String = (0..6).map(|i| format!("{}- mục {i}\n", "  ".repeat(i))).collect();
    let open = "{% callout(kind=\"info\") %}\n".repeat(5);
    let close = "{% end %}\n".repeat(5);
    let callouts = format!("{open}**Gọi** _111_.\n{close}");
    let body = format!("{}\n{list}\n{callouts}", quotes(11));
    write(site.path(), "content/to-roi.md", printed(&body));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    assert!(site.path().join("public/to-roi/to-roi.pdf").is_file());
}

#[test]
fn finding_15_an_svg_typst_refuses_names_the_page_and_the_image_not_the_theme() {
    let site = fixture("minimal");
    let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY a \"&b;\">\n<!ENTITY b \"&a;\">\n]>\n\
               <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>&a;</text></svg>\n";
    write(site.path(), "content/to-roi/vong.svg", svg);
    let body = "Tờ rơi có hình.\n\n![Hình vòng lặp](vong.svg)\n";
    write(site.path(), "content/to-roi/index.md", printed(body));
    let stderr = failing(site.path(), "build");
    assert!(stderr.contains("content/to-roi/index.md:8:1: "), "{stderr}");
    assert!(stderr.contains("Typst cannot read the image `vong.svg`"), "{stderr}");
    assert!(stderr.contains("failed to parse SVG"), "{stderr}");
    assert!(!stderr.contains("themes/default/print"), "{stderr}");
    assert!(!stderr.contains("fix the Typst template"), "{stderr}");
}

#[test]
fn finding_16_block_shortcodes_nested_1200_deep_are_refused_not_overflowing() {
    let site = fixture("minimal");
    write(site.path(), "content/hop.md", callouts(1_200));
    for command in ["build", "check"] {
        let stderr = failing(site.path(), command);
        let at = place(command, "content/hop.md", "37:1");
        assert!(stderr.contains(&at), "{command}: {stderr}");
        assert!(stderr.contains("shortcodes are nested more than 32 deep here"), "{stderr}");
        assert!(stderr.contains("hint: close each block shortcode"), "{stderr}");
    }
}

#[test]
fn finding_16_block_shortcodes_nested_32_deep_still_render() {
    let site = fixture("minimal");
    write(site.path(), "content/hop.md", callouts(32));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let html = read(site.path(), "hop/index.html");
    assert_eq!(html.matches("class=\"callout callout-info\"").count(), 32, "{html}");
}

#[test]
fn finding_17_a_hundred_thousand_shortcodes_make_a_hundred_thousand_hotline_blocks() {
    let site = fixture("minimal");
    let calls = "{{ hotline(id=\"111\") }} ".repeat(100_000);
    let braces = "{{ ".repeat(100_000);
    let body = format!("---\ntitle: Nhiều\n---\n\n{calls}\n\nChưa đóng: {braces}\n");
    write(site.path(), "content/nhieu.md", body);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let html = read(site.path(), "nhieu/index.html");
    let article = html.split("<article").nth(1).unwrap().split("</article>").next().unwrap();
    assert_eq!(article.matches("href=tel:111").count(), 100_000);
    assert_eq!(article.matches("{{").count(), 100_000);
}

#[test]
fn finding_18_object_replacement_characters_and_word_joiners_typed_by_an_author_stay() {
    let site = fixture("minimal");
    let body = "---\ntitle: Dán từ Word\n---\n\n\
                Ảnh dán vào: \u{FFFC}0\u{FFFC} và `\u{FFFC}0\u{FFFC}` và từ\u{2060}nối.\n\n\
                {{ hotline(id=\"111\") }}\n";
    write(site.path(), "content/dan.md", body);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let html = read(site.path(), "dan/index.html");
    let article = html.split("<article").nth(1).unwrap().split("</article>").next().unwrap();
    let typed =
        "Ảnh dán vào: \u{FFFC}0\u{FFFC} và <code>\u{FFFC}0\u{FFFC}</code> và từ\u{2060}nối.";
    assert!(article.contains(typed), "{article}");
    assert_eq!(article.matches("href=tel:111").count(), 1, "{article}");
}

#[test]
fn finding_yaml_nested_too_deep_in_front_matter_names_the_page_place_and_hint() {
    let site = fixture("minimal");
    let deep = format!("{}1{}", "[".repeat(70), "]".repeat(70));
    write(
        site.path(),
        "content/sau.md",
        format!("---\ntitle: Sâu\nextra:\n  a: {deep}\n---\n\nx\n"),
    );
    let stderr = failing(site.path(), "build");
    assert!(stderr.contains("content/sau.md:4:"), "{stderr}");
    assert!(stderr.contains("the YAML is nested more than 64 levels deep"), "{stderr}");
    assert!(stderr.contains("hint: write it with fewer levels"), "{stderr}");
    assert!(!stderr.contains("budget breached"), "{stderr}");
}

#[test]
fn finding_circular_template_include_names_the_template() {
    let site = fixture("minimal");
    write(site.path(), "templates/page.html", "{% include \"page.html\" %}\n");
    let stderr = failing(site.path(), "build");
    assert!(stderr.contains("templates/page.html: "), "{stderr}");
    assert!(stderr.contains("the template `page.html` includes itself"), "{stderr}");
    assert!(stderr.contains("hint: remove one of the `{% include %}`"), "{stderr}");
    assert!(!stderr.contains("themes: "), "{stderr}");
}
