//! Images: resized copies with `srcset`, no metadata in any output, the cache, bad input.

use crate::common;

use std::io::Cursor;
use std::path::Path;

use common::{build, fixture, read, write};
use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};

/// A JPEG of a gradient, `width` × `height`.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    });
    encode(DynamicImage::ImageRgb8(pixels), ImageFormat::Jpeg)
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels =
        RgbaImage::from_fn(width, height, |x, _| image::Rgba([200, 30, 30, (x % 256) as u8]));
    encode(DynamicImage::ImageRgba8(pixels), ImageFormat::Png)
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// An EXIF block by hand: orientation 6 (turn 90° clockwise), camera make `SecretCam` and a
/// GPS latitude of 15° 34' 56.78" N.
fn exif_segment() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [&tag.to_le_bytes()[..], &kind.to_le_bytes(), &count.to_le_bytes(), &value.to_le_bytes()]
            .concat()
    };
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, 6));
    tiff.extend(entry(0x010F, 2, 10, 80));
    tiff.extend(entry(0x8825, 4, 1, 50));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 90));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(b"SecretCam\0");
    for (n, d) in [(15u32, 1u32), (34, 1), (5678, 100)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    assert_eq!(tiff.len(), 114);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((tiff.len() + 8) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// A JPEG 40 wide and 20 high as stored, carrying [`exif_segment`] right after its start marker.
fn jpeg_with_gps() -> Vec<u8> {
    let plain = jpeg(40, 20);
    [&plain[..2], &exif_segment(), &plain[2..]].concat()
}

fn page(site: &Path, body: &str) {
    write(site, "content/anh/index.md", format!("---\ntitle: Ảnh\n---\n\n{body}\n"));
}

fn decoded(site: &Path, path: &str) -> DynamicImage {
    image::open(site.join("public").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn output_images(site: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(site.join("public"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            [".jpg", ".jpeg", ".png", ".webp"].iter().any(|x| name.ends_with(x))
        })
        .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn makes_three_widths_with_srcset_and_size_attributes() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/ban-do.jpg", jpeg(2000, 1000));
    page(site.path(), "![Bản đồ huyện](ban-do.jpg)");
    build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    for needle in [
        "/anh/ban-do.480.jpg 480w",
        "/anh/ban-do.960.jpg 960w",
        "/anh/ban-do.1440.jpg 1440w",
        "src=/anh/ban-do.960.jpg",
        "width=1440",
        "height=720",
        "loading=lazy",
        "decoding=async",
        "sizes=",
    ] {
        assert!(html.contains(needle), "{needle} missing from {html}");
    }
    assert!(html.contains("Bản đồ huyện"), "alt text kept: {html}");
    for (width, height) in [(480, 240), (960, 480), (1440, 720)] {
        let copy = decoded(site.path(), &format!("anh/ban-do.{width}.jpg"));
        assert_eq!((copy.width(), copy.height()), (width, height));
    }
    assert!(!site.path().join("public/anh/ban-do.jpg").exists(), "original not published");
}

#[test]
fn a_raw_html_image_of_a_co_located_file_gets_its_copies_too() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/ban-do.jpg", jpeg(1000, 500));
    page(site.path(), "<figure><img src=\"ban-do.jpg\" alt=\"Bản đồ xã\"></figure>");
    build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    assert!(
        html.contains("/anh/ban-do.480.jpg 480w") && html.contains("alt=\"Bản đồ xã\""),
        "{html}"
    );
    assert_eq!(decoded(site.path(), "anh/ban-do.960.jpg").width(), 960);
}

#[test]
fn images_inside_a_callout_and_a_linked_photo_are_published_from_the_tree() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/ban-do.jpg", jpeg(1000, 500));
    write(site.path(), "content/anh/so-do.png", png(300, 200));
    write(site.path(), "content/anh/toan-canh.jpg", jpeg(800, 400));
    page(
        site.path(),
        "{% callout(kind=\"info\") %}\n![Bản đồ](ban-do.jpg)\n\n\
         {{ figure(src=\"so-do.png\", alt=\"Sơ đồ\") }}\n{% end %}\n\n\
         [Ảnh toàn cảnh](toan-canh.jpg)",
    );
    build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    assert!(html.contains("/anh/ban-do.960.jpg 960w") && html.contains("/anh/so-do.300.png"));
    assert_eq!(decoded(site.path(), "anh/ban-do.960.jpg").width(), 960);
    assert_eq!(decoded(site.path(), "anh/so-do.300.png").width(), 300);
    assert_eq!(decoded(site.path(), "anh/toan-canh.jpg").width(), 800, "linked at full size");
    assert!(!site.path().join("public/anh/toan-canh.960.jpg").exists(), "linked, not shown");
}

#[test]
fn never_upscales_and_keeps_png_for_the_figure_shortcode() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/so-do.png", png(300, 200));
    page(site.path(), "{{ figure(src=\"so-do.png\", alt=\"Sơ đồ\", caption=\"Hình 1\") }}");
    build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    assert!(html.contains("/anh/so-do.300.png 300w"), "{html}");
    assert!(!html.contains("480w"), "{html}");
    assert!(html.contains("width=300") && html.contains("height=200"), "{html}");
    let main = html.split("<main").nth(1).and_then(|m| m.split("</main>").next()).unwrap();
    assert_eq!(main.matches("loading=").count(), 1, "{html}");
    let copy = decoded(site.path(), "anh/so-do.300.png");
    assert!(copy.color().has_alpha(), "PNG keeps transparency");
}

#[test]
fn turns_photos_upright_and_drops_exif_and_gps_everywhere() {
    let site = fixture("minimal");
    let photo = jpeg_with_gps();
    assert!(photo.windows(9).any(|w| w == b"SecretCam"));
    write(site.path(), "content/anh/hien-truong.jpg", &photo);
    write(site.path(), "content/anh/bia.jpg", &photo);
    page(site.path(), "![Hiện trường](hien-truong.jpg)\n\n[Tải ảnh gốc](hien-truong.jpg)");
    let front = "---\ntitle: Ảnh\nimage: bia.jpg\n---\n\n![Hiện trường](hien-truong.jpg)\n\n[Tải ảnh gốc](hien-truong.jpg)\n";
    write(site.path(), "content/anh/index.md", front);
    build(site.path()).unwrap();
    let upright = decoded(site.path(), "anh/hien-truong.20.jpg");
    assert_eq!((upright.width(), upright.height()), (20, 40), "orientation 6 applied");
    let full = decoded(site.path(), "anh/hien-truong.jpg");
    assert_eq!((full.width(), full.height()), (20, 40), "linked copy is upright too");
    assert!(site.path().join("public/anh/bia.20.jpg").exists(), "front matter image resized");
    let images = output_images(site.path());
    assert!(images.len() >= 3, "{:?}", images.iter().map(|i| &i.0).collect::<Vec<_>>());
    for (path, bytes) in images {
        let app1: &[u8] = if path.ends_with(".jpg") { b"\xFF\xE1" } else { b"Exif" };
        for needle in [&b"Exif"[..], b"SecretCam", app1, b"N\0\0\0\x05\x00"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{path} holds {needle:?}");
        }
    }
    let html = read(site.path(), "anh/index.html");
    assert!(html.contains("content=https://example.org/anh/bia.20.jpg property=og:image"));
}

#[test]
fn second_build_takes_copies_from_the_cache() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/ban-do.jpg", jpeg(1000, 500));
    page(site.path(), "![Bản đồ](ban-do.jpg)");
    build(site.path()).unwrap();
    let cache = site.path().join(".loa-cache/images");
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(cached.len(), 3, "{cached:?}");
    let marked = cached.iter().find(|p| p.to_string_lossy().ends_with(".480.jpg")).unwrap();
    let marker = jpeg(480, 240);
    std::fs::write(marked, &marker).unwrap();
    build(site.path()).unwrap();
    let published = std::fs::read(site.path().join("public/anh/ban-do.480.jpg")).unwrap();
    assert_eq!(published, marker, "the second build used the cached copy");
    write(site.path(), "content/anh/ban-do.jpg", jpeg(1000, 400));
    build(site.path()).unwrap();
    assert_eq!(
        decoded(site.path(), "anh/ban-do.480.jpg").height(),
        192,
        "a changed photo is redone"
    );
}

/// The message of a build that must fail.
fn build_error(site: &Path) -> String {
    build(site).expect_err("the build must fail").to_string()
}

/// A PNG whose header claims `width` × `height`, with one empty data chunk (correct CRCs).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut header = b"IHDR".to_vec();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [header, b"IDAT".to_vec(), b"IEND".to_vec()] {
        out.extend(((chunk.len() - 4) as u32).to_be_bytes());
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn names_the_file_of_each_bad_image() {
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("cat.jpg", jpeg(300, 200)[..400].to_vec(), "could not be read"),
        ("hong.png", b"\x89PNG\r\n\x1a\nnot really".to_vec(), "could not be read"),
        ("ghi-chu.jpg", b"just some text, not a photo".to_vec(), "not a JPEG, PNG or WebP"),
        ("iphone.heic", b"\0\0\0\x18ftypheic".to_vec(), "not a JPEG, PNG or WebP"),
        ("lon.png", png_header(20_000, 20_000), "too large (20000×20000)"),
    ];
    for (name, bytes, expected) in cases {
        let site = fixture("minimal");
        write(site.path(), &format!("content/anh/{name}"), &bytes);
        page(site.path(), &format!("![Ảnh]({name})"));
        let message = build_error(site.path());
        assert!(message.contains(&format!("content/anh/{name}")), "{name}: {message}");
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn publishes_hashed_copies_of_scripts() {
    let site = fixture("minimal");
    build(site.path()).unwrap();
    let html = read(site.path(), "index.html");
    let start = html.find("src=/countdown.").expect("hashed countdown script linked");
    let name = &html[start + 4..].split(['>', ' ']).next().unwrap().to_owned();
    assert_ne!(name, "/countdown.js");
    let hashed = std::fs::read(site.path().join("public").join(&name[1..])).unwrap();
    assert_eq!(hashed, std::fs::read(site.path().join("public/countdown.js")).unwrap());
}
