//! What content and settings could inject into the published files (robustness round 2):
//! control characters in XML, script in content, an unchecked `base_url`, script in SVG files.

use std::path::Path;

use crate::common;

use common::{build, fixture, read, run_loa, write};

/// Reads a whole XML file with quick-xml, failing on the first error.
fn assert_well_formed(path: &Path) {
    let xml = std::fs::read_to_string(path).unwrap();
    assert!(
        !xml.contains(loa::base::text::is_forbidden_in_xml),
        "{} holds a control character",
        path.display()
    );
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed: {e}\n{xml}", path.display()),
        }
    }
    assert_eq!(depth, 0, "{} has unclosed elements", path.display());
}

/// The messages of a check's JSON report at `file` and `line`.
fn check_messages(site: &Path, file: &str, line: u64) -> Vec<String> {
    let (_, stdout, stderr) = run_loa(site, &["check", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file && d["line"] == line)
        .map(|d| format!("{} {}", d["severity"], d["message"]))
        .collect()
}

#[test]
fn finding_5_a_vertical_tab_and_markup_in_a_page_give_well_formed_feeds_sitemap_and_ssml() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/goi-ngay.md",
        "---\ntitle: \"Gọi\u{b}ngay 111 <&\\\"\"\ndescription: \"Tư vấn\\v miễn phí <b>&amp;\\\" \\x01\"\ndate: 2024-07-01\n---\n\nĐường dây\u{b}nóng <&\" luôn sẵn sàng\u{c}.\n\n- Gọi\u{1}ngay\n",
    );
    write(
        site.path(),
        "locales/vi.yaml",
        "site:\n  title: \"Trang\u{b}thử <&\\\"\"\nhotline:\n  \"111\": Tổng đài\u{b}111\n",
    );
    build(site.path()).unwrap();
    let public = site.path().join("public");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let path = entry.unwrap().into_path();
        let name = path.to_string_lossy();
        let xml = [".ssml", ".svg", "atom.xml", "sitemap.xml"];
        if xml.iter().any(|end| name.ends_with(end)) {
            assert_well_formed(&path);
            checked += 1;
        }
    }
    assert!(checked >= 8, "two feeds, the sitemap, the scripts and the banners: {checked}");
    let home = read(site.path(), "index.html");
    assert!(home.contains("<a class=brand href=/>Trang thử &lt;&\"</a>"), "{home}");
    let feed = read(site.path(), "atom.xml");
    assert!(feed.contains("<title>Gọi ngay 111 &lt;&amp;&quot;</title>"), "{feed}");
    let page = read(site.path(), "goi-ngay/index.html");
    assert!(!page.contains(loa::base::text::is_forbidden_in_xml), "{page:?}");
    assert!(page.contains("Tư vấn miễn phí"), "{page}");
    let ssml = read(site.path(), "loudspeaker/vi/goi-ngay.ssml");
    assert!(ssml.contains("Đường dây nóng &lt; và “ luôn sẵn sàng"), "{ssml}");
    let warnings = check_messages(site.path(), "content/goi-ngay.md", 2);
    assert!(warnings.iter().any(|w| w.contains("U+000B")), "{warnings:?}");
    let escaped = check_messages(site.path(), "content/goi-ngay.md", 3);
    assert!(escaped.iter().any(|w| w.contains("U+000B")), "the YAML escape: {escaped:?}");
    assert!(escaped.iter().any(|w| w.contains("U+0001")), "the YAML escape: {escaped:?}");
    let locale = check_messages(site.path(), "locales/vi.yaml", 2);
    assert!(locale.iter().any(|w| w.contains("U+000B")), "{locale:?}");
    let (_, text, _) = run_loa(site.path(), &["check"]);
    assert!(text.contains("2:12 warning: the invisible control character U+000B"), "{text}");
    assert!(text.contains("a vertical tab, as Word's Shift+Enter leaves"), "{text}");
    assert!(text.contains("7:10 warning"), "the body's vertical tab: {text}");
}

const SCRIPTED: &str = "---\ntitle: Bài\n---\n\n\
[gọi](javascript:alert(1)) và ![ảnh](data:text/html;base64,PHNjcmlwdD4=)\n\n\
{{ figure(src=\"javascript:alert(2)\", alt=\"Hình\") }}\n\n\
<img src=\"x.png\" alt=\"Hình vẽ\" onerror=\"alert(3)\">\n\n\
<details ontoggle=\"alert(4)\" open><summary>Xem thêm</summary>Chi tiết</details>\n\n\
Xem <a href=\"jav&#9;ascript:alert(5)\">đây</a>, <abbr title=\"Lao động\">LĐ</abbr><br>hết.\n\n\
<table><tr><td>111</td></tr></table>\n";

#[test]
fn finding_13_script_in_content_is_not_published_and_is_reported_with_its_place() {
    let site = fixture("minimal");
    write(site.path(), "content/bai.md", SCRIPTED);
    write(site.path(), "content/x.png", include_bytes!("../fixtures/tiny.png"));
    let report = build(site.path()).unwrap();
    let page = read(site.path(), "bai/index.html");
    for gone in ["alert(", "onerror", "ontoggle", "javascript", "data:text"] {
        assert!(!page.contains(gone), "{gone} published: {page}");
    }
    for kept in [
        "<summary>Xem thêm</summary>Chi tiết</details>",
        "<abbr title=\"Lao động\">LĐ</abbr>",
        "<td>111",
    ] {
        assert!(page.contains(kept), "{kept} missing: {page}");
    }
    let places: Vec<(usize, String)> = report
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.path == Path::new("content/bai.md"))
        .map(|d| (d.position.unwrap().line, d.message.render(loa::base::messages::UiLang::En)))
        .collect();
    let lines: Vec<usize> = places.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [5, 5, 7, 9, 11, 13], "{places:?}");
    assert!(places[3].1.contains("`onerror` of `<img>`"), "{places:?}");
    for (line, needle) in [(5, "javascript:"), (7, "figure"), (11, "ontoggle"), (13, "javascript:")]
    {
        let found = check_messages(site.path(), "content/bai.md", line);
        assert!(
            found.iter().any(|m| m.contains("warning") && m.contains(needle)),
            "{line}: {found:?}"
        );
    }
}

#[test]
fn finding_13_a_site_that_trusts_its_authors_publishes_raw_html_as_written_but_no_unsafe_link() {
    let site = fixture("minimal");
    let config = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(site.path(), "site.yaml", format!("{config}trust_raw_html: true\n"));
    write(site.path(), "content/bai.md", SCRIPTED);
    write(site.path(), "content/x.png", include_bytes!("../fixtures/tiny.png"));
    build(site.path()).unwrap();
    let page = read(site.path(), "bai/index.html");
    assert!(page.contains("ontoggle"), "trusted raw HTML is kept: {page}");
    assert!(!page.contains("alert(1)") && !page.contains("alert(2)"), "{page}");
    let mut options = common::options_at("2024-08-01");
    options.untrusted_authors = true;
    loa::build(site.path(), &site.path().join("public"), &options).unwrap();
    let page = read(site.path(), "bai/index.html");
    assert!(
        !page.contains("ontoggle") && !page.contains("alert("),
        "the studio always sanitises: {page}"
    );
}

#[test]
fn finding_14_a_base_url_with_quotes_or_a_newline_is_refused_with_its_place() {
    let site = fixture("minimal");
    let config = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let bad = config
        .replace("https://example.org", "\"https://example.org/\\\"><script>alert(1)</script>\"");
    write(site.path(), "site.yaml", bad);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(!ok);
    assert!(
        stderr.contains("site.yaml:1:11: base_url `https://example.org/\\\"><script>"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists());
    write(site.path(), "site.yaml", config);
    let (ok, _, stderr) = run_loa(
        site.path(),
        &["build", "--base-url", "https://example.org\nSitemap: https://evil.example/s.xml"],
    );
    assert!(!ok, "a newline would add a line to robots.txt");
    assert!(stderr.contains("--base-url: base_url `https://example.org\\nSitemap"), "{stderr}");
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--base-url", "https://example.org/a&b"]);
    assert!(ok, "{stderr}");
    let feed = read(site.path(), "atom.xml");
    assert!(feed.contains("href=\"https://example.org/a&amp;b/atom.xml\""), "{feed}");
    assert_well_formed(&site.path().join("public/atom.xml"));
    assert_well_formed(&site.path().join("public/sitemap.xml"));
    let robots = read(site.path(), "robots.txt");
    assert_eq!(robots.lines().count(), 3, "{robots}");
}

#[test]
fn finding_13_an_svg_with_script_beside_a_page_or_in_static_is_refused_naming_the_file() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai/index.md",
        "---\ntitle: Bài\n---\n\nXem ![sơ đồ](so-do.png) và [hình](hinh.svg).\n",
    );
    write(site.path(), "content/bai/so-do.png", include_bytes!("../fixtures/tiny.png"));
    write(
        site.path(),
        "content/bai/hinh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>alert(1)</script>\n</svg>\n",
    );
    write(
        site.path(),
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect onload=\"alert(1)\"/></svg>",
    );
    let error = build(site.path()).unwrap_err().to_string();
    assert!(error.contains("content/bai/hinh.svg:2:3: this SVG file holds <script>"), "{error}");
    assert!(error.contains("static/logo.svg:1:41: this SVG file holds onload"), "{error}");
    let (ok, stdout, _) = run_loa(site.path(), &["check"]);
    assert!(!ok && stdout.contains("content/bai/hinh.svg"), "{stdout}");
    write(
        site.path(),
        "content/bai/hinh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>",
    );
    write(site.path(), "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    build(site.path()).unwrap();
    assert!(read(site.path(), "logo.svg").contains("<svg"));
}
