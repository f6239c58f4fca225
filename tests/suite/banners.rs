//! Banners: PNG and SVG per language and layout, and the link-preview meta of every page.

use crate::common;

use std::path::Path;
use std::sync::OnceLock;

use common::{example, options_at, read, write};

const SIZES: [(&str, u32, u32); 3] =
    [("og", 1200, 630), ("square", 1080, 1080), ("wide", 1600, 400)];

fn built_example() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = example();
        loa::build(site.path(), &site.path().join("public"), &options_at("2024-07-20")).unwrap();
        site
    })
    .path()
}

/// Width, height and the number of distinct colours of a PNG.
fn decode(file: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(file).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).expect("PNG pixels");
    let step = frame.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        pixels[..frame.buffer_size()].chunks(step).collect();
    (frame.width, frame.height, colours.len())
}

#[test]
fn every_language_gets_each_banner_as_png_and_svg() {
    let site = built_example();
    for prefix in ["", "en/", "ktv/"] {
        for (name, width, height) in SIZES {
            let png = site.join(format!("public/{prefix}banners/{name}.png"));
            let (w, h, colours) = decode(&png);
            assert_eq!((w, h), (width, height), "{}", png.display());
            assert!(colours > 50, "{} looks blank: {colours} colours", png.display());
            let svg = read(site, &format!("{prefix}banners/{name}.svg"));
            let mut reader = quick_xml::Reader::from_str(&svg);
            let mut root = None;
            loop {
                match reader.read_event().expect("well-formed SVG") {
                    quick_xml::events::Event::Start(e) if root.is_none() => {
                        root = Some(String::from_utf8(e.name().as_ref().to_vec()).unwrap())
                    }
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            assert_eq!(root.as_deref(), Some("svg"));
        }
    }
}

#[test]
fn banners_differ_between_languages_and_carry_the_slogan() {
    let site = built_example();
    let vi = std::fs::read(site.join("public/banners/og.png")).unwrap();
    let en = std::fs::read(site.join("public/en/banners/og.png")).unwrap();
    assert_ne!(vi, en, "each language has its own text");
    let svg = read(site, "banners/og.svg");
    assert!(svg.contains("<path") || svg.contains("<use"), "text is drawn as glyphs");
}

#[test]
fn every_page_has_a_link_preview_image() {
    let site = built_example();
    let public = site.join("public");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html")
            || path.starts_with(public.join("loudspeaker"))
        {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        if html.contains("http-equiv=refresh") || html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        let image = html
            .split("property=og:image>")
            .next()
            .and_then(|before| before.rsplit("content=").next())
            .unwrap_or_default()
            .trim();
        assert!(image.starts_with("https://"), "{}: no og:image", path.display());
        assert!(html.contains("twitter:card"), "{}: no twitter card", path.display());
        let relative = path.strip_prefix(&public).unwrap().to_string_lossy().into_owned();
        let expected = if relative.starts_with("en/") {
            "https://phongchongmuabannguoi.example.vn/en/banners/og.png"
        } else if relative.starts_with("ktv/") {
            "https://phongchongmuabannguoi.example.vn/ktv/banners/og.png"
        } else {
            "https://phongchongmuabannguoi.example.vn/banners/og.png"
        };
        assert_eq!(image, expected, "{relative}");
    }
    assert!(pages > 30, "only {pages} pages checked");
}

#[test]
fn a_page_with_its_own_image_uses_it() {
    let site = common::fixture("minimal");
    write(site.path(), "content/anh/index.md", "---\ntitle: Ảnh\nimage: anh.png\n---\nNội dung.\n");
    write(
        site.path(),
        "content/anh/anh.png",
        std::fs::read(common::repo().join("tests/fixtures/tiny.png")).unwrap(),
    );
    common::build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    let preview = "content=https://example.org/anh/anh.2.png property=og:image";
    assert!(html.contains(preview), "its largest resized copy: {html}");
}
