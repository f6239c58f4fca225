//! Hierarchy and legibility of the print layouts, read back from the PDFs: the heights of the
//! words with `pdftotext -bbox-layout` (hotline numbers against the title and the body, the
//! smallest text on the sheet) and the empty space of each page by rendering it with
//! `pdftoppm`.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{example, has_tool, options_at};

/// The example site built without bleed, once for the tests here.
fn built() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = example();
        loa::build(site.path(), &site.path().join("public"), &options_at("2024-07-20"))
            .expect("the example builds");
        site
    })
    .path()
}

/// Each layout of the example in both languages, and the office editions, with its smallest
/// body size in points.
const LAYOUTS: [(&str, f64); 10] = [
    ("nhan-biet/nhan-biet.pdf", 9.0),
    ("en/nhan-biet/nhan-biet.pdf", 9.0),
    ("quyen-cua-nan-nhan/quyen-cua-nan-nhan.pdf", 9.0),
    ("en/quyen-cua-nan-nhan/quyen-cua-nan-nhan.pdf", 9.0),
    ("ngay-30-thang-7/ap-phich/ap-phich.pdf", 14.0),
    ("en/ngay-30-thang-7/ap-phich/ap-phich.pdf", 14.0),
    ("quyen-cua-nan-nhan/quyen-cua-nan-nhan-office-a4.pdf", 9.0),
    ("en/quyen-cua-nan-nhan/quyen-cua-nan-nhan-office-a4.pdf", 9.0),
    ("ngay-30-thang-7/ap-phich/ap-phich-office-a4.pdf", 14.0),
    ("en/ngay-30-thang-7/ap-phich/ap-phich-office-a4.pdf", 14.0),
];

/// The height of a Noto Sans word's box in `pdftotext -bbox-layout`, per point of type size
/// (its ascender plus descender).
const NOTO_BOX_PER_PT: f64 = 1.362;

/// A word of the PDF with the height of its box in points.
struct Word {
    text: String,
    height: f64,
}

fn words(file: &Path) -> Vec<Word> {
    let output = Command::new("pdftotext").arg("-bbox-layout").arg(file).arg("-").output();
    let xml = String::from_utf8(output.expect("pdftotext").stdout).expect("UTF-8");
    xml.split("<word ")
        .skip(1)
        .filter_map(|w| {
            let number = |name: &str| -> Option<f64> {
                let start = w.find(&format!("{name}=\""))? + name.len() + 2;
                w[start..].split('"').next()?.parse().ok()
            };
            let text = w.split_once('>')?.1.split("</word>").next()?.to_owned();
            Some(Word { text, height: number("yMax")? - number("yMin")? })
        })
        .collect()
}

fn is_hotline(word: &Word) -> bool {
    matches!(word.text.as_str(), "111" | "1800" | "1581")
}

fn file(path: &str) -> PathBuf {
    let file = built().join("public").join(path);
    assert!(file.is_file(), "{} is missing", file.display());
    file
}

/// The most common word height: the body's.
fn body_height(words: &[Word]) -> f64 {
    let mut counts = std::collections::BTreeMap::new();
    for word in words {
        *counts.entry((word.height * 10.0).round() as i64).or_insert(0) += 1;
    }
    let (tenths, _) = counts.into_iter().max_by_key(|(_, count)| *count).expect("words");
    tenths as f64 / 10.0
}

#[test]
fn hotline_numbers_are_the_tallest_text_of_every_layout_and_the_body_is_never_below_its_minimum() {
    if !has_tool("pdftotext") {
        return;
    }
    for (path, smallest_body) in LAYOUTS {
        let words = words(&file(path));
        let hotline = words.iter().filter(|w| is_hotline(w)).map(|w| w.height).fold(0.0, f64::max);
        let tallest_other =
            words.iter().filter(|w| !is_hotline(w)).map(|w| w.height).fold(0.0, f64::max);
        assert!(hotline > tallest_other, "{path}: hotline {hotline} pt, other {tallest_other} pt");
        let body = body_height(&words) / NOTO_BOX_PER_PT;
        assert!(body >= smallest_body - 0.05, "{path}: body {body:.2} pt");
        assert!(hotline >= 2.0 * body_height(&words), "{path}: hotline {hotline} vs body");
    }
}

#[test]
fn on_the_poster_and_its_a4_edition_the_hotline_numbers_are_at_least_as_tall_as_the_title() {
    if !has_tool("pdftotext") {
        return;
    }
    for path in
        ["ngay-30-thang-7/ap-phich/ap-phich.pdf", "ngay-30-thang-7/ap-phich/ap-phich-office-a4.pdf"]
    {
        let words = words(&file(path));
        let title = words.iter().find(|w| w.text == "Chung").expect("the title's first word");
        let hotline = words.iter().find(|w| w.text == "1800").expect("the hotline");
        assert!(hotline.height >= title.height, "{path}: {} < {}", hotline.height, title.height);
    }
}

#[test]
fn no_text_on_any_sheet_is_smaller_than_8_pt() {
    if !has_tool("pdftotext") {
        return;
    }
    for (path, smallest_body) in LAYOUTS {
        let words = words(&file(path));
        let smallest = words.iter().map(|w| w.height).fold(f64::MAX, f64::min) / NOTO_BOX_PER_PT;
        // The A3 poster's captions are 12 pt at least; on A4 they scale down, never below 8 pt.
        let floor = if smallest_body >= 14.0 && !path.contains("office") { 12.0 } else { 8.0 };
        assert!(smallest >= floor - 0.05, "{path}: text of {smallest:.2} pt");
    }
}

/// The tallest band of blank rows of each page (of each panel on the tri-fold), as a share
/// of its height.
fn largest_gaps(path: &str) -> Vec<f64> {
    let folder = tempfile::tempdir().unwrap();
    let prefix = folder.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-png"])
        .arg(file(path))
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    let mut gaps = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(page).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let (width, height) = (frame.width as usize, frame.height as usize);
        // pdftoppm writes RGB PNGs even with -gray: every sample of a blank pixel is white.
        let samples = frame.color_type.samples();
        let sheet_width = match (path.contains("quyen"), path.contains("office")) {
            (true, false) => 148.0,
            (false, true) => 210.0,
            _ => 297.0,
        };
        let per_mm = width as f64 / sheet_width;
        let panels: Vec<(f64, f64)> = match (path.contains("nhan-biet"), index) {
            (true, 0) => vec![(0.0, 97.0), (97.0, 197.0), (197.0, 297.0)],
            (true, _) => vec![(0.0, 100.0), (100.0, 200.0), (200.0, 297.0)],
            // The two copies of the leaflet on its office edition, each measured on its own.
            _ if path.contains("quyen") && path.contains("office") => {
                vec![(0.0, 148.5), (148.5, 297.0)]
            }
            _ => vec![(0.0, sheet_width)],
        };
        for (left, right) in panels {
            let (from, to) = ((left * per_mm) as usize + 4, (right * per_mm) as usize - 4);
            let row = |y: usize| &pixels[(y * width + from) * samples..(y * width + to) * samples];
            let blank = |y: usize| row(y).iter().all(|&p| p > 245);
            let (mut run, mut best) = (0, 0);
            for y in 0..height {
                run = if blank(y) { run + 1 } else { 0 };
                best = best.max(run);
            }
            gaps.push(best as f64 / height as f64);
        }
    }
    gaps
}

#[test]
fn no_page_or_panel_leaves_more_than_a_fifth_of_its_height_empty() {
    if !has_tool("pdftoppm") {
        return;
    }
    for (path, _) in LAYOUTS {
        for gap in largest_gaps(path) {
            assert!(gap <= 0.2, "{path}: {:.0} % of a page is empty", gap * 100.0);
        }
    }
}

/// A small site with one printed page whose body is `body`.
fn print_site(body: &str, layout: &str) -> tempfile::TempDir {
    let site = common::fixture("minimal");
    let page = format!("---\ntitle: Tờ rơi thử\nprint: {layout}\n---\n\n{body}\n");
    common::write(site.path(), "content/to-roi.md", page);
    site
}

#[test]
fn text_too_long_at_the_smallest_size_stops_the_build_with_the_layout_and_how_much_is_over() {
    for layout in ["leaflet-trifold", "leaflet-a5", "poster-a3"] {
        let body = "Một câu tuyên truyền khá dài để lấp đầy tờ rơi này. ".repeat(400);
        let site = print_site(&body, layout);
        let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
        assert!(error.contains("content/to-roi.md"), "{error}");
        assert!(error.contains(layout) && error.contains("does not fit"), "{error}");
        assert!(error.contains(" mm more"), "{layout}: how much is over: {error}");
        assert!(!site.path().join("public").exists(), "nothing half-written");
    }
}

#[test]
fn a_long_tri_fold_that_fits_is_set_at_9_pt_at_least() {
    if !has_tool("pdftotext") {
        return;
    }
    let body = "Một câu tuyên truyền khá dài để lấp đầy tờ rơi này. ".repeat(90);
    let site = print_site(&body, "leaflet-trifold");
    common::build(site.path()).expect("it fits at 9 pt or more");
    let words = words(&site.path().join("public/to-roi/to-roi.pdf"));
    let body = body_height(&words) / NOTO_BOX_PER_PT;
    assert!((9.0 - 0.05..12.0).contains(&body), "shrunk, but not below 9 pt: {body:.2} pt");
}

#[test]
fn check_print_lays_out_every_pdf_and_reports_missing_glyphs_and_overflow_at_their_pages() {
    let site = print_site("Dòng một.\n\nChữ Hán 漢 không có trong phông.", "leaflet-a5");
    let long = "Một câu tuyên truyền khá dài để lấp đầy áp phích. ".repeat(400);
    let poster = format!("---\ntitle: Áp phích dài\nprint: poster-a3\n---\n\n{long}\n");
    common::write(site.path(), "content/ap-phich.md", poster);
    let (_, out, err) = common::run_loa(site.path(), &["--ui-lang", "en", "check"]);
    assert!(!format!("{out}{err}").contains(" mm more"), "without --print nothing is laid out");
    let (ok, out, err) = common::run_loa(site.path(), &["--ui-lang", "en", "check", "--print"]);
    let report = format!("{out}{err}");
    assert!(!ok, "{report}");
    let glyph = report.split("content/to-roi.md").nth(1).unwrap_or_default();
    assert!(glyph.trim_start().starts_with("8:9 error") && glyph.contains("U+6F22"), "{report}");
    assert!(report.contains("content/ap-phich.md") && report.contains(" mm more"), "{report}");
}
