//! The default theme on the built example: page weight budgets, and the accessibility attributes
//! (language of fallback content, skip link target, landmarks, headings, alt text) on every page.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::{fixture, options_at, read, repo, run_loa, write};

/// Gzipped HTML plus CSS of a home page, at most.
const HOME_BUDGET: usize = 20 * 1024;
/// Gzipped HTML plus CSS of any other page (articles, sections, tags, 404), at most.
const PAGE_BUDGET: usize = 14 * 1024;
/// The optional scripts together, at most (gzipped, as sent to phones).
const SCRIPTS_BUDGET: usize = 5 * 1024;

/// The example site built once for this file's tests, during the July campaign (the home page
/// then features it, its heaviest state).
fn example() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        loa::build(&repo(), out.path(), &options_at("2024-07-20")).expect("the example builds");
        out
    })
    .path()
}

/// Every web page of a built site (loudspeaker scripts aside), as (path inside the site, HTML).
fn pages(site: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative =
                e.path().strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(e.path()).unwrap())
        })
        .filter(|(path, html)| !path.starts_with("loudspeaker/") && !is_redirect(html))
        .collect();
    pages.sort();
    pages
}

/// Redirect stubs for `aliases` (not theme pages).
fn is_redirect(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"") || html.contains("http-equiv=refresh")
}

fn gzipped_len(bytes: &[u8]) -> usize {
    let mut gzip = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    gzip.stdin.take().unwrap().write_all(bytes).unwrap();
    gzip.wait_with_output().unwrap().stdout.len()
}

/// The start tags named `name` (`<img …>`), attributes as written.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap() + 1])
        .filter(|tag| tag[open.len()..].starts_with([' ', '>', '/']))
        .collect()
}

/// An attribute's value in a start tag, quoted or not (`lang=vi`, `alt="…"`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.match_indices(&format!(" {name}=")).next()?.0 + name.len() + 2;
    let rest = &tag[at..];
    match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next(),
        _ => rest.split([' ', '>']).next(),
    }
}

/// Stylesheets a page links, from the built site.
fn linked_css(site: &Path, html: &str) -> Vec<PathBuf> {
    tags(html, "link")
        .into_iter()
        .filter(|t| attr(t, "rel") == Some("stylesheet"))
        .filter_map(|t| attr(t, "href"))
        .map(|href| site.join(href.trim_start_matches('/')))
        .collect()
}

#[test]
fn every_page_stays_within_its_weight_budget() {
    let site = example();
    let mut report = Vec::new();
    for (path, html) in pages(site) {
        let css: Vec<u8> =
            linked_css(site, &html).iter().flat_map(|f| std::fs::read(f).unwrap()).collect();
        let weight =
            gzipped_len(html.as_bytes()) + if css.is_empty() { 0 } else { gzipped_len(&css) };
        let home = matches!(path.as_str(), "index.html" | "en/index.html" | "ktv/index.html");
        let budget = if home { HOME_BUDGET } else { PAGE_BUDGET };
        assert!(weight <= budget, "{path}: {weight} bytes gzipped (HTML + CSS), budget {budget}");
        report.push(format!("{weight:>6} {path}"));
    }
    assert!(report.len() > 40, "the example has pages in three languages: {report:?}");
    eprintln!("gzipped HTML + CSS per page:\n{}", report.join("\n"));
}

#[test]
fn optional_scripts_stay_under_five_kilobytes() {
    let scripts: Vec<(String, usize, usize)> = walkdir::WalkDir::new(example())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "js"))
        .filter(|e| !is_hashed_copy(&e.file_name().to_string_lossy()))
        // The service worker is no page's script: the browser fetches it after the page has
        // loaded, in the background, once per build.
        .filter(|e| e.file_name() != "sw.js")
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), bytes.len(), gzipped_len(&bytes))
        })
        .collect();
    let total: usize = scripts.iter().map(|(_, _, gzipped)| gzipped).sum();
    assert!(scripts.iter().any(|(name, _, _)| name == "countdown.js"), "{scripts:?}");
    assert!(
        total <= SCRIPTS_BUDGET,
        "scripts (name, bytes, gzipped) {scripts:?}: {total} bytes gzipped"
    );
    eprintln!("scripts (name, bytes, gzipped): {scripts:?}");
}

#[test]
fn every_page_has_a_skip_link_to_main_and_the_landmarks() {
    for (path, html) in pages(example()) {
        let skip = tags(&html, "a").into_iter().find(|t| attr(t, "class") == Some("skip"));
        let skip = skip.unwrap_or_else(|| panic!("{path}: no skip link"));
        let target = attr(skip, "href").unwrap().strip_prefix('#').expect("an in-page link");
        let ids = html.matches(&format!(" id={target}>")).count()
            + html.matches(&format!(" id={target} ")).count()
            + html.matches(&format!(" id=\"{target}\"")).count();
        assert_eq!(ids, 1, "{path}: the skip link's target #{target} exists once");
        assert_eq!(tags(&html, "main").len(), 1, "{path}: one <main>");
        for landmark in ["header", "footer", "nav"] {
            assert!(!tags(&html, landmark).is_empty(), "{path}: no <{landmark}>");
        }
        let html_tag = tags(&html, "html")[0];
        assert!(attr(html_tag, "lang").is_some_and(|l| !l.is_empty()), "{path}: {html_tag}");
    }
}

#[test]
fn every_page_has_one_h1_and_headings_in_order() {
    for (path, html) in pages(example()) {
        let mut levels = Vec::new();
        for (at, _) in html.match_indices("<h") {
            let level = html.as_bytes().get(at + 2).copied().unwrap_or_default();
            let after = html.as_bytes().get(at + 3).copied().unwrap_or_default();
            if (b'1'..=b'6').contains(&level) && (after == b'>' || after == b' ') {
                levels.push(level - b'0');
            }
        }
        assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "{path}: one h1 in {levels:?}");
        assert_eq!(levels.first(), Some(&1), "{path}: the h1 comes first: {levels:?}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{path}: heading level skipped in {levels:?}");
        }
    }
}

#[test]
fn every_page_shows_a_hotline_call_link_and_prints_its_address() {
    for (path, html) in pages(example()) {
        let banner = html.split("<aside").nth(1).unwrap_or_default();
        let banner = &banner[..banner.find("</aside>").unwrap_or(banner.len())];
        assert!(banner.contains("class=call-bar><a href=tel:"), "{path}: no call button: {banner}");
        assert!(html.contains("class=print-url>"), "{path}: no printed address");
        assert!(!html.contains("rel=stylesheet"), "{path}: the CSS is inlined, not linked");
    }
}

#[test]
fn fallback_content_carries_the_language_it_is_written_in() {
    let site = example();
    let html =
        std::fs::read_to_string(site.join("en/tin-tuc/tap-huan-can-bo-xa-mien-nui/index.html"))
            .unwrap();
    assert_eq!(attr(tags(&html, "html")[0], "lang"), Some("en"));
    assert!(tags(&html, "body")[0] == "<body>", "the English interface needs no lang of its own");
    let article = tags(&html, "article");
    assert_eq!(article.len(), 1);
    assert_eq!(attr(article[0], "lang"), Some("vi"), "{}", article[0]);
    assert!(html.contains("class=notice"), "a visible notice says the page is not translated");
}

#[test]
fn cotu_pages_mark_the_vietnamese_interface_they_fall_back_to() {
    let site = example();
    for page in
        ["ktv/index.html", "ktv/tin-tuc/canh-bao-viec-lam-gia-qua-mang/index.html", "ktv/404.html"]
    {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert_eq!(attr(tags(&html, "html")[0], "lang"), Some("ktv"), "{page}");
        assert_eq!(
            attr(tags(&html, "body")[0], "lang"),
            Some("vi"),
            "{page}: interface strings are Vietnamese"
        );
        let own_name =
            tags(&html, "span").into_iter().find(|t| attr(t, "aria-current") == Some("page"));
        assert_eq!(
            own_name.and_then(|t| attr(t, "lang")),
            Some("ktv"),
            "{page}: the switcher names Cơ Tu in Cơ Tu"
        );
    }
}

#[test]
fn images_in_text_and_figures_keep_their_alt_text() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/anh/index.md",
        "---\ntitle: Ảnh\n---\n\n![Cán bộ xã nói chuyện với bà con](a.png)\n\n{{ figure(src=\"b.png\", alt=\"Tờ rơi về đường dây nóng\") }}\n",
    );
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(2, 2).write_to(&mut png, image::ImageFormat::Png).unwrap();
    write(site.path(), "content/anh/a.png", png.get_ref());
    write(site.path(), "content/anh/b.png", png.get_ref());
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let html = read(site.path(), "anh/index.html");
    let alts: Vec<Option<&str>> = tags(&html, "img").into_iter().map(|t| attr(t, "alt")).collect();
    assert_eq!(
        alts,
        [
            Some("Cán bộ xã nói chuyện với bà con"),
            Some("Tờ rơi về đường dây nóng"),
            Some("Mã QR của trang")
        ]
    );
    let example_images: usize = pages(example()).iter().map(|(_, h)| tags(h, "img").len()).sum();
    for (path, html) in pages(example()) {
        for img in tags(&html, "img") {
            assert!(attr(img, "alt").is_some_and(|a| !a.trim().is_empty()), "{path}: {img}");
        }
    }
    eprintln!("{example_images} images in the example, each with alt text");
}

/// Whether a file name is a content-hashed copy (`countdown.3f2a9c1e.js`) of another file.
fn is_hashed_copy(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit())
    }
}
