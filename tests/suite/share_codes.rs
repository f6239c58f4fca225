//! The share bar's QR codes: each page's `share-qr.svg`, drawn as loa writes it and read back
//! with zbarimg, leads to the page's address in its language.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{example, has_tool, options_at};

/// The dark rectangles of loa's QR SVG (`M x y h w v h h -w z`), drawn as a grey-level image.
fn raster(svg: &str) -> (usize, Vec<u8>) {
    let side: usize =
        svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let mut pixels = vec![255u8; side * side];
    let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    for rectangle in path.split('z').filter(|r| !r.is_empty()) {
        let numbers: Vec<usize> = rectangle
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let [x, y, width, height, _] = numbers[..] else { panic!("not a rectangle: {rectangle}") };
        for row in y..y + height {
            pixels[row * side + x..row * side + x + width].fill(0);
        }
    }
    (side, pixels)
}

fn decoded(svg_file: &Path, scratch: &Path) -> String {
    let (side, pixels) = raster(&std::fs::read_to_string(svg_file).unwrap());
    let image = scratch.join("qr.pgm");
    let mut bytes = format!("P5\n{side} {side}\n255\n").into_bytes();
    bytes.extend(pixels);
    std::fs::write(&image, bytes).unwrap();
    let output = Command::new("zbarimg").args(["-q", "--raw"]).arg(&image).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_share_bar_qr_code_leads_to_the_page_in_its_language() {
    if !has_tool("zbarimg") {
        return;
    }
    let site = example();
    let public = site.path().join("public");
    loa::build(site.path(), &public, &options_at("2024-07-20")).unwrap();
    for (file, address) in [
        ("nhan-biet/share-qr.svg", "https://phongchongmuabannguoi.example.vn/nhan-biet/"),
        ("en/tin-tuc/share-qr.svg", "https://phongchongmuabannguoi.example.vn/en/tin-tuc/"),
    ] {
        assert_eq!(decoded(&public.join(file), site.path()), address, "{file}");
    }
}
