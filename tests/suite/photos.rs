//! Photos, robustness round 2: no photo metadata in any output (print PDFs, static files,
//! photos recognised by their bytes, GIFs), and two photos that would share a copy's name.

use crate::common;

use std::io::Cursor;

use common::{build, fixture, has_tool, read, write};
use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};
use img_parts::{Bytes, ImageEXIF};

/// The camera name every test photo carries in its EXIF.
const CAMERA: &[u8] = b"SecretCam";
/// The GPS latitude reference and the start of its rational value, as the TIFF holds them.
const GPS_LATITUDE: &[u8] = b"N\0\0\0\x02\x00\x05\x00";

pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    });
    encode(DynamicImage::ImageRgb8(pixels), ImageFormat::Jpeg)
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A little-endian TIFF (the body of an EXIF block) holding the camera make `SecretCam`, a
/// GPS IFD with latitude 15° 34' 56.78" N and, when given, an orientation.
fn exif_tiff(orientation: Option<u16>) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [&tag.to_le_bytes()[..], &kind.to_le_bytes(), &count.to_le_bytes(), &value.to_le_bytes()]
            .concat()
    };
    let count = 2 + u16::from(orientation.is_some());
    let ifd0_end = 8 + 2 + 12 * u32::from(count) + 4;
    let gps_end = ifd0_end + 2 + 12 * 2 + 4;
    let make_at = gps_end;
    let latitude_at = make_at + 10;
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend(count.to_le_bytes());
    if let Some(turn) = orientation {
        tiff.extend(entry(0x0112, 3, 1, u32::from(turn)));
    }
    tiff.extend(entry(0x010F, 2, 10, make_at));
    tiff.extend(entry(0x8825, 4, 1, ifd0_end));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, latitude_at));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(b"SecretCam\0");
    for (n, d) in [(15u32, 1u32), (34, 1), (5678, 100)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    tiff
}

/// `plain` (a JPEG) with an EXIF segment of [`exif_tiff`] right after its start marker.
pub(crate) fn with_exif(plain: &[u8], orientation: Option<u16>) -> Vec<u8> {
    let tiff = exif_tiff(orientation);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((tiff.len() + 8) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    [&plain[..2], &segment, &plain[2..]].concat()
}

/// A PNG or WebP carrying the EXIF block, attached with img-parts.
fn with_exif_chunk(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let plain = Bytes::from(encode(image, format));
    let exif = Some(Bytes::from(exif_tiff(None)));
    match format {
        ImageFormat::Png => {
            let mut png = img_parts::png::Png::from_bytes(plain).unwrap();
            png.set_exif(exif);
            png.encoder().bytes().to_vec()
        }
        _ => {
            let mut webp = img_parts::webp::WebP::from_bytes(plain).unwrap();
            webp.set_exif(exif);
            webp.encoder().bytes().to_vec()
        }
    }
}

/// A 1×1 GIF with a comment, an XMP packet and a position in the XMP.
fn gif_with_xmp() -> Vec<u8> {
    let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xFF\xFF\xFF".to_vec();
    gif.extend(b"\x21\xFE\x09SecretCam\x00");
    gif.extend(b"\x21\xFF\x0BXMP DataXMP\x16<x:xmpmeta GPS=15.58N>\x00");
    gif.extend(b"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B");
    gif
}

fn holds(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// Fails when `bytes` still carry the camera, the GPS position or an EXIF block.
pub(crate) fn assert_no_exif(what: &str, bytes: &[u8]) {
    for needle in [CAMERA, GPS_LATITUDE, b"Exif\0\0"] {
        assert!(!holds(bytes, needle), "{what} still holds {:?}", String::from_utf8_lossy(needle));
    }
}

/// Fails when `bytes` still carry the camera, the GPS position, an EXIF block or XMP.
fn assert_no_metadata(what: &str, bytes: &[u8]) {
    for needle in [CAMERA, GPS_LATITUDE, b"Exif\0\0", b"xmpmeta", b"XMP DataXMP"] {
        assert!(!holds(bytes, needle), "{what} still holds {:?}", String::from_utf8_lossy(needle));
    }
}

#[test]
fn finding_2_a_leaflet_pdf_embeds_photos_without_their_exif_or_gps() {
    let site = fixture("minimal");
    let photo = with_exif(&jpeg(60, 40), Some(6));
    assert!(holds(&photo, CAMERA) && holds(&photo, GPS_LATITUDE));
    write(site.path(), "content/to-roi/hien-truong.jpg", &photo);
    write(site.path(), "content/to-roi/chup-lai.jfif", with_exif(&jpeg(50, 30), None));
    let page = "---\ntitle: Tờ rơi có ảnh\nprint: leaflet-a5\n---\n\n\
                ![Hiện trường](hien-truong.jpg)\n\n![Chụp lại](chup-lai.jfif)\n";
    write(site.path(), "content/to-roi/index.md", page);
    build(site.path()).unwrap();
    let pdf = site.path().join("public/to-roi/to-roi.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(holds(&bytes, b"DCTDecode"), "the photos are embedded as JPEG");
    assert_no_exif("the PDF (which has XMP of its own)", &bytes);
    if !has_tool("pdfimages") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("pdfimages")
        .arg("-all")
        .arg(&pdf)
        .arg(out.path().join("img"))
        .status()
        .unwrap();
    assert!(status.success());
    let extracted: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap()).collect();
    assert!(extracted.len() >= 2, "both photos are in the PDF: {extracted:?}");
    for image in extracted {
        let bytes = std::fs::read(image.path()).unwrap();
        assert_no_metadata(&image.path().display().to_string(), &bytes);
    }
}

#[test]
fn finding_2_static_photos_lose_their_metadata_without_being_re_encoded() {
    let site = fixture("minimal");
    let plain = jpeg(40, 20);
    let pixels = RgbaImage::from_fn(8, 8, |x, _| image::Rgba([200, 30, 30, (x * 30) as u8]));
    let files: [(&str, Vec<u8>); 7] = [
        ("static/anh/ban-do.jpg", with_exif(&plain, None)),
        ("static/anh/HIEN-TRUONG.JPG", with_exif(&plain, None)),
        ("static/anh/chup.jpe", with_exif(&plain, None)),
        ("static/anh/khong-duoi", with_exif(&plain, None)),
        ("static/anh/so-do.png", with_exif_chunk(pixels.clone().into(), ImageFormat::Png)),
        ("static/anh/so-do.webp", with_exif_chunk(pixels.into(), ImageFormat::WebP)),
        ("static/anh/dong.gif", gif_with_xmp()),
    ];
    for (path, bytes) in &files {
        assert!(holds(bytes, CAMERA), "{path} starts with metadata");
        write(site.path(), path, bytes);
    }
    write(site.path(), "static/anh/xoay.jpg", with_exif(&plain, Some(6)));
    build(site.path()).unwrap();
    for (path, _) in &files {
        let published = std::fs::read(site.path().join("public").join(&path[7..])).unwrap();
        assert_no_metadata(path, &published);
        image::load_from_memory(&published).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let published = std::fs::read(site.path().join("public/anh/ban-do.jpg")).unwrap();
    assert_eq!(published, plain, "the JPEG's own bytes are kept as they are");
    let turned = std::fs::read(site.path().join("public/anh/xoay.jpg")).unwrap();
    assert_no_metadata("static/anh/xoay.jpg", &turned);
    let upright = image::load_from_memory(&turned).unwrap();
    assert_eq!((upright.width(), upright.height()), (20, 40), "a turned photo is turned upright");
}

#[test]
fn finding_2_photos_in_content_are_recognised_by_their_bytes_whatever_their_name() {
    let site = fixture("minimal");
    let photo = with_exif(&jpeg(40, 20), None);
    let names = ["a.jfif", "b.jpe", "C.JPG", "khong-duoi", "nham-ten.dat"];
    let mut body = String::new();
    for name in names {
        write(site.path(), &format!("content/anh/{name}"), &photo);
        body.push_str(&format!("![Ảnh {name}]({name})\n\n"));
    }
    write(site.path(), "content/anh/dong.gif", gif_with_xmp());
    body.push_str("![Ảnh động](dong.gif)\n");
    write(site.path(), "content/anh/index.md", format!("---\ntitle: Ảnh\n---\n\n{body}"));
    build(site.path()).unwrap();
    let html = read(site.path(), "anh/index.html");
    for (name, stem) in names.iter().zip(["a", "b", "C", "khong-duoi", "nham-ten"]) {
        assert!(html.contains(&format!("/anh/{stem}.40.jpg 40w")), "{name}: {html}");
        assert!(!site.path().join("public/anh").join(name).exists(), "{name} published as it is");
        let copy = std::fs::read(site.path().join(format!("public/anh/{stem}.40.jpg"))).unwrap();
        assert_no_metadata(name, &copy);
    }
    let gif = std::fs::read(site.path().join("public/anh/dong.gif")).unwrap();
    assert_no_metadata("content/anh/dong.gif", &gif);
}

#[test]
fn finding_2_a_tiff_or_heic_is_refused_by_its_bytes_in_static_and_in_content() {
    for (path, bytes) in [
        ("static/anh/may-anh.jpg", &b"II*\0\x08\0\0\0\0\0"[..]),
        ("content/anh/iphone.jpg", b"\0\0\0\x18ftypheic\0\0\0\0"),
        ("content/anh/iphone", b"\0\0\0\x18ftypheic\0\0\0\0"),
    ] {
        let site = fixture("minimal");
        write(site.path(), path, bytes);
        let message = build(site.path()).expect_err("the build must fail").to_string();
        assert!(message.contains(path), "{path}: {message}");
        assert!(message.contains("not a JPEG, PNG or WebP"), "{path}: {message}");
    }
}

#[test]
fn smaller_a_jpg_beside_a_webp_names_both_photos_not_the_output_file() {
    let site = fixture("minimal");
    write(site.path(), "content/anh/a.jpg", jpeg(600, 400));
    let webp = encode(DynamicImage::ImageRgb8(RgbImage::new(600, 400)), ImageFormat::WebP);
    write(site.path(), "content/anh/a.webp", webp);
    write(site.path(), "content/anh/index.md", "---\ntitle: Ảnh\n---\n\n![A](a.jpg)\n");
    let message = build(site.path()).expect_err("the build must fail").to_string();
    assert!(message.contains("content/anh/a.jpg"), "{message}");
    assert!(message.contains("content/anh/a.webp"), "{message}");
    assert!(message.contains("/anh/a.480.jpg"), "{message}");
    assert!(!message.contains("two outputs would write"), "{message}");
}
