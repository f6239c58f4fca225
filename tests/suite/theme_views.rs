//! Everything a visitor can open goes through the theme: the loudspeaker's printable views and
//! the alias redirect pages carry the language, the canonical link and the hotline banner.

use crate::common;

use common::{fixture, read, write};

/// Whether the page's root element is in language `code` (quoted or, minified, not).
fn has_lang(html: &str, code: &str) -> bool {
    html.contains(&format!("<html lang=\"{code}\"")) || html.contains(&format!("<html lang={code}"))
}

#[test]
fn issue_24_loudspeaker_views_and_redirect_pages_carry_the_banner_and_language() {
    let site = common::example();
    common::build(site.path()).unwrap();
    for (page, code) in
        [("loudspeaker/en/ke-hoach-2024.html", "en"), ("loudspeaker/vi/index.html", "vi")]
    {
        let html = read(site.path(), page);
        assert!(html.contains("href=\"tel:") || html.contains("href=tel:"), "{page}: {html}");
        assert!(html.contains("hotline-banner"), "{page} has the banner: {html}");
        assert!(has_lang(&html, code), "{page} is in {code}: {html}");
    }
    let view = read(site.path(), "loudspeaker/en/ke-hoach-2024.html");
    assert!(view.contains("‖ pause"), "the script is still shown block by block: {view}");
    let redirect = read(site.path(), "tin-cu/loa-truyen-thanh/index.html");
    let target = "https://phongchongmuabannguoi.example.vn/tin-tuc/tuyen-truyen-bang-loa-thon-ban/";
    assert!(has_lang(&redirect, "vi"), "{redirect}");
    let canonical = [
        format!("<link rel=\"canonical\" href=\"{target}\">"),
        format!("<link href={target} rel=canonical>"),
    ];
    assert!(canonical.iter().any(|c| redirect.contains(c)), "{redirect}");
    assert!(redirect.contains(&format!("url={target}")), "{redirect}");
    assert!(redirect.contains("tel:"), "a redirect page that shows a body shows the banner");
}

#[test]
fn issue_24_a_theme_copied_before_the_views_were_templates_still_gets_them() {
    let site = fixture("minimal");
    write(site.path(), "content/bai.md", "---\ntitle: Bài\naliases: [\"/cu/\"]\n---\n\nGọi 111.\n");
    for name in ["loudspeaker.html", "loudspeaker_index.html", "redirect.html"] {
        std::fs::remove_file(site.path().join("themes/default/templates").join(name)).unwrap();
    }
    std::fs::remove_file(
        site.path().join("themes/default/templates/partials/loudspeaker_style.html"),
    )
    .unwrap();
    common::build(site.path()).unwrap();
    for page in ["loudspeaker/vi/bai.html", "loudspeaker/vi/index.html", "cu/index.html"] {
        let html = read(site.path(), page);
        assert!(html.contains("tel:") && has_lang(&html, "vi"), "{page}: {html}");
    }
}

#[test]
fn issue_24_a_nested_script_links_back_to_its_index() {
    let site = fixture("minimal");
    write(site.path(), "content/ngay/_index.md", "---\ntitle: Ngày\n---\n");
    write(site.path(), "content/ngay/bai.md", "---\ntitle: Bài\n---\n\nGọi 111.\n");
    common::build(site.path()).unwrap();
    let html = read(site.path(), "loudspeaker/vi/ngay/bai.html");
    assert!(html.contains("/loudspeaker/vi/index.html"), "{html}");
}
