//! Multilingual builds: translations, hreflang, fallback pages, slugs, scheduling, links.

use crate::common;

use common::{build, fixture, read};

#[test]
fn can_link_translations_with_hreflang() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    let vi = read(site.path(), "tin-tuc/lua-dao/index.html");
    assert!(vi.contains("<html lang=vi>"), "{vi}");
    assert!(vi.contains("<link href=https://example.org/chien-dich/en/tin-tuc/lua-dao/ hreflang=en rel=alternate>"), "{vi}");
    assert!(vi.contains("hreflang=x-default"), "{vi}");
    assert!(
        vi.contains("href=/chien-dich/en/tin-tuc/lua-dao/ hreflang=en lang=en>English</a>"),
        "{vi}"
    );
    let en = read(site.path(), "en/tin-tuc/lua-dao/index.html");
    assert!(
        en.contains(
            "<link href=https://example.org/chien-dich/tin-tuc/lua-dao/ hreflang=vi rel=alternate>"
        ),
        "{en}"
    );
    assert!(en.contains("<article lang=en>"), "{en}");
}

#[test]
fn can_publish_fallback_page_with_notice_and_canonical() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    let ktv = read(site.path(), "ktv/tin-tuc/lua-dao/index.html");
    assert!(ktv.contains("<html lang=ktv>"));
    assert!(ktv.contains("<article lang=vi>"), "content keeps the fallback's lang: {ktv}");
    assert!(ktv.contains("Trang này chưa có bản Cơ Tu"), "localised notice: {ktv}");
    assert!(
        ktv.contains("<link href=https://example.org/chien-dich/tin-tuc/lua-dao/ rel=canonical>"),
        "{ktv}"
    );
    assert!(!ktv.contains("hreflang=ktv rel=alternate"), "a fallback is not an alternate: {ktv}");
    assert!(!ktv.contains("rel=alternate hreflang"), "{ktv}");
    let vi = read(site.path(), "tin-tuc/lua-dao/index.html");
    assert!(!vi.contains("/ktv/tin-tuc/lua-dao/ hreflang=ktv rel=alternate"), "{vi}");
    let sitemap = read(site.path(), "sitemap.xml");
    assert!(!sitemap.contains("/ktv/"), "fallback pages stay out of the sitemap: {sitemap}");
    assert!(
        sitemap.contains(
            "hreflang=\"en\" href=\"https://example.org/chien-dich/en/tin-tuc/lua-dao/\""
        ),
        "{sitemap}"
    );
}

#[test]
fn can_resolve_source_links_per_language() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    assert!(read(site.path(), "index.html").contains("href=/chien-dich/tin-tuc/lua-dao/#dau-hieu"));
    assert!(
        read(site.path(), "en/index.html").contains("href=/chien-dich/en/tin-tuc/lua-dao/#signs")
    );
    assert!(
        read(site.path(), "ktv/index.html")
            .contains("href=/chien-dich/ktv/tin-tuc/lua-dao/#dau-hieu"),
        "links in fallback content lead to the same language"
    );
}

#[test]
fn can_fold_vietnamese_slugs_in_files_folders_and_headings() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    let page = read(site.path(), "da-nang/hoi-an/pho-co/index.html");
    assert!(page.contains("Phố cổ Hội An"));
    let article = read(site.path(), "tin-tuc/lua-dao/index.html");
    assert!(article.contains("<h2 id=dau-hieu>Dấu hiệu</h2>"), "{article}");
    assert!(article.contains("<h2 id=dau-hieu-1>"), "{article}");
}

#[test]
fn can_list_tags_per_language_and_redirect_aliases() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    assert!(read(site.path(), "tags/viec-lam/index.html").contains("Cảnh giác lừa đảo việc làm"));
    assert!(read(site.path(), "en/tags/jobs/index.html").contains("Beware of job scams"));
    let alias = read(site.path(), "tin-cu/lua-dao/index.html");
    assert!(alias.contains("url=https://example.org/chien-dich/tin-tuc/lua-dao/"), "{alias}");
}

#[test]
fn can_write_feeds_and_robots() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    let atom = read(site.path(), "atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">"));
    assert!(atom.contains("<title>Cảnh giác lừa đảo việc làm</title>"));
    assert!(atom.contains("<published>2024-07-30T00:00:00+07:00</published>"));
    assert!(read(site.path(), "en/atom.xml").contains("Beware of job scams"));
    assert!(
        read(site.path(), "robots.txt")
            .contains("Sitemap: https://example.org/chien-dich/sitemap.xml")
    );
    assert!(read(site.path(), "en/404.html").contains("Page not found"));
}

#[test]
fn can_put_hotlines_on_every_page_as_tel_links() {
    let site = fixture("i18n");
    build(site.path()).unwrap();
    let home = read(site.path(), "en/index.html");
    assert!(home.contains("href=tel:111") && home.contains("href=tel:18001581"), "{home}");
    let featured = read(site.path(), "tin-tuc/lua-dao/index.html");
    let banner = featured.split("</aside>").next().unwrap();
    assert!(
        banner.contains("tel:18001581") && !banner.contains("tel:111"),
        "front matter features one hotline: {banner}"
    );
}

#[test]
fn can_schedule_with_now_and_drafts() {
    let site = fixture("i18n");
    let out = site.path().join("public");
    loa::build(site.path(), &out, &common::options_at("2024-08-01")).unwrap();
    assert!(!out.join("tin-tuc/sap-dang/index.html").exists(), "publish_date in the future");
    assert!(!out.join("tin-tuc/het-han/index.html").exists(), "expired");
    assert!(!out.join("tin-tuc/nhap/index.html").exists(), "draft");
    loa::build(site.path(), &out, &common::options_at("2024-08-20")).unwrap();
    assert!(out.join("tin-tuc/sap-dang/index.html").exists());
    let mut options = common::options_at("2024-06-01");
    options.drafts = true;
    loa::build(site.path(), &out, &options).unwrap();
    assert!(out.join("tin-tuc/het-han/index.html").exists(), "not yet expired in June");
    assert!(out.join("tin-tuc/nhap/index.html").exists(), "drafts with --drafts");
    assert!(!out.join("tin-tuc/sap-dang/index.html").exists());
}

#[test]
fn can_read_nfd_bom_and_crlf_sources_as_nfc() {
    let site = fixture("minimal");
    let nfd = "\u{feff}---\r\ntitle: Tie\u{302}\u{301}ng Vie\u{323}\u{302}t\r\n---\r\n\r\nNga\u{300}y 30/7\r\n";
    common::write(site.path(), "content/nfd.md", nfd);
    build(site.path()).unwrap();
    let html = read(site.path(), "nfd/index.html");
    assert!(html.contains("<h1>Tiếng Việt</h1>"), "{html}");
    assert!(html.contains("Ngày 30/7"), "{html}");
    assert!(!html.contains('\u{302}') && !html.contains('\r'));
}

#[test]
fn builds_are_byte_identical() {
    let site = fixture("i18n");
    let first = site.path().join("first");
    let second = site.path().join("second");
    let options = common::options_at("2024-08-01");
    loa::build(site.path(), &first, &options).unwrap();
    loa::build(site.path(), &second, &options).unwrap();
    let files = |root: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (a, b) = (files(&first), files(&second));
    assert!(a.len() > 20);
    assert!(a == b, "two builds differ");
}

#[test]
fn can_build_the_bundled_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let report = loa::build(&common::repo(), &out, &common::options_at("2024-08-01")).unwrap();
    // The example's scripts last 3:10 to 5:56 until they are written for listening (issue
    // 22): the length warnings are true, and nothing else may be reported.
    let diagnostics = report.diagnostics.sorted();
    assert!(
        diagnostics.iter().all(|d| d.message.key() == "loudspeaker.too_long"),
        "{diagnostics:?}"
    );
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("tel:18001581") && home.contains("tel:111"));
    assert!(out.join("ktv/ke-hoach-2024/index.html").exists(), "Cơ Tu falls back to Vietnamese");
    assert!(out.join("en/ngay-30-thang-7/index.html").exists());
}

#[test]
fn can_build_a_site_without_theme_or_locales_from_the_bundled_theme() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "site.yaml",
        "title: Bench\nbase_url: https://example.org\ndefault_language: vi\nlanguages:\n  - {code: vi, name: \"Tiếng Việt\"}\n  - {code: ktv, name: \"Cơ Tu\", fallback: vi}\n",
    );
    common::write(dir.path(), "content/_index.md", "---\ntitle: Trang chủ\n---\n\nXin chào.\n");
    let report = common::build(dir.path()).unwrap();
    assert_eq!(report.pages.len(), 2);
    let home = read(dir.path(), "ktv/index.html");
    assert!(home.contains("<title>Bench</title>"), "site title from site.yaml: {home}");
    assert!(home.contains("lang=ktv>Cơ Tu</span>"), "language name from site.yaml: {home}");
    assert!(dir.path().join("public/style.css").is_file(), "static files of the bundled theme");
}
