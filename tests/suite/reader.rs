//! For the reader in danger: the quick exit link, the service worker and the "browse safely"
//! and offline pages, as built (the browser test in browser.rs shows them working).

use crate::common::{build, example, read, write};

fn worker_version(worker: &str) -> &str {
    worker.lines().next().unwrap_or_default()
}

#[test]
fn the_quick_exit_is_a_plain_link_to_the_harmless_site_on_every_page() {
    let site = example();
    build(site.path()).unwrap();
    for path in ["index.html", "en/index.html", "tin-tuc/canh-bao-viec-lam-gia-qua-mang/index.html"]
    {
        let html = read(site.path(), path);
        let link = html.split("<a ").find(|a| a.contains("data-exit")).unwrap_or_default();
        assert!(link.contains("href=https://vnexpress.net/>"), "{path}: {link}");
    }
    assert!(read(site.path(), "safety/index.html").contains("Thẻ ẩn danh mới"));
    assert!(read(site.path(), "en/safety/index.html").contains("New Incognito tab"));
}

#[test]
fn site_yaml_turns_the_quick_exit_and_the_worker_off() {
    let site = example();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(site.path(), "site.yaml", format!("{yaml}quick_exit: false\noffline: false\n"));
    build(site.path()).unwrap();
    let html = read(site.path(), "index.html");
    assert!(!html.contains("data-exit"), "no quick exit button");
    assert!(!html.contains("data-worker"), "no service worker registered");
    assert!(!site.path().join("public/sw.js").exists());
}

#[test]
fn the_service_worker_is_the_same_for_the_same_sources_and_changes_with_a_page() {
    let site = example();
    build(site.path()).unwrap();
    let first = read(site.path(), "sw.js");
    build(site.path()).unwrap();
    assert_eq!(read(site.path(), "sw.js"), first, "same sources, same bytes");
    assert!(first.contains(r#""vi":["/","/offline/","/safety/""#), "{}", &first[..600]);
    assert!(
        read(site.path(), "offline/index.html").contains("href=tel:111")
            || read(site.path(), "offline/index.html").contains("href=\"tel:111\"")
    );
    let page = site.path().join("content/tin-tuc/ra-mat-ke-hoach-2024.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("Quảng Nam ban hành", "Quảng Nam đã ban hành", 1)).unwrap();
    build(site.path()).unwrap();
    let changed = read(site.path(), "sw.js");
    assert_ne!(
        worker_version(&changed),
        worker_version(&first),
        "a changed page makes a new cache"
    );
}

#[test]
fn finding_a_first_visit_gets_a_favicon_from_the_theme_not_a_404() {
    let site = example();
    build(site.path()).unwrap();
    let ico = std::fs::read(site.path().join("public/favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    assert!(read(site.path(), "favicon.svg").starts_with("<svg"));
    assert!(read(site.path(), "index.html").contains("<link href=/favicon.svg rel=icon"));
}

#[test]
fn finding_tag_names_are_translated_and_listed_without_stray_commas() {
    let site = example();
    build(site.path()).unwrap();
    let english = read(site.path(), "en/tin-tuc/canh-bao-viec-lam-gia-qua-mang/index.html");
    assert!(english.contains("<li><a href=/en/tags/viec-lam/>jobs</a>"), "English tag name");
    assert!(!english.contains(">việc làm<"), "no Vietnamese tag name on the English page");
    let vietnamese = read(site.path(), "tin-tuc/canh-bao-viec-lam-gia-qua-mang/index.html");
    let tags = vietnamese.split("<div class=tags>").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(tags.contains(">việc làm</a>") && !tags.contains(','), "{tags}");
    assert!(read(site.path(), "en/tags/viec-lam/index.html").contains("<h1>Topic: jobs"));
}

#[test]
fn finding_hotline_numbers_in_text_never_wrap_and_the_feed_link_reads_for_people() {
    let site = example();
    build(site.path()).unwrap();
    let home = read(site.path(), "index.html");
    assert!(home.contains("1800\u{a0}1581") || home.contains("1800&nbsp;1581"), "kept together");
    assert!(home.contains(">Theo dõi tin mới</a>"));
    assert!(read(site.path(), "en/index.html").contains(">Follow new posts</a>"));
}

/// A photo of noise, which no encoder can make small.
fn heavy_photo(width: u32, height: u32) -> Vec<u8> {
    let mut state: u32 = 7;
    let pixels = image::RgbImage::from_fn(width, height, |_, _| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    pixels.write_to(&mut png, image::ImageFormat::Png).unwrap();
    png.into_inner()
}

#[test]
fn the_budget_check_fails_on_a_page_with_a_heavy_photo_and_names_it() {
    let site = crate::common::fixture("minimal");
    write(
        site.path(),
        "content/anh-nang/index.md",
        "---\ntitle: Ảnh nặng\n---\n\n![Một bức ảnh rất nặng](nang.png)\n",
    );
    write(site.path(), "content/anh-nang/nang.png", heavy_photo(1200, 900));
    let (ok, stdout, stderr) = crate::common::run_loa(site.path(), &["check"]);
    assert!(ok, "without --budget the page passes: {stdout}{stderr}");
    let (ok, stdout, stderr) = crate::common::run_loa(site.path(), &["check", "--budget"]);
    let said = format!("{stdout}{stderr}");
    assert!(!ok, "the heavy page fails the budget: {said}");
    assert!(said.contains("/anh-nang/") && said.contains("limit of 100.0 KB"), "{said}");
    assert!(said.contains("the heaviest part is /anh-nang/"), "names the photo: {said}");
}

#[test]
fn the_budget_check_weighs_an_article_without_photos_against_its_own_limit() {
    let site = crate::common::fixture("minimal");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(site.path(), "site.yaml", format!("{yaml}budget:\n  article_kb: 1\n"));
    write(site.path(), "content/bai.md", "---\ntitle: Bài viết\n---\n\nMột đoạn văn.\n");
    let (ok, stdout, stderr) = crate::common::run_loa(site.path(), &["check", "--budget"]);
    let said = format!("{stdout}{stderr}");
    assert!(!ok && said.contains("/bai/") && said.contains("limit of 1.0 KB"), "{said}");
}
