//! Press geometry of the print PDFs, read back from the files as a print shop would: the page
//! boxes with `pdfinfo -box`, the crop and fold marks and the bleed by rendering the sheets
//! with `pdftoppm` and looking at their pixels.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{example, has_tool, options_at};

const TRIFOLD: &str = "nhan-biet/nhan-biet.pdf";
const A5: &str = "quyen-cua-nan-nhan/quyen-cua-nan-nhan.pdf";
const POSTER: &str = "ngay-30-thang-7/ap-phich/ap-phich.pdf";

/// Points in a millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// Bleed and mark room around the trimmed page of a press PDF, in millimetres.
const BLEED_MM: f64 = 3.0;
const SHEET_MARGIN_MM: f64 = 10.0;

/// Resolution the sheets are rendered at.
const DPI: f64 = 200.0;

/// The example site built with `--bleed`, once for every test here.
fn press_site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = example();
        let mut options = options_at("2024-07-20");
        options.bleed = true;
        loa::build(site.path(), &site.path().join("public"), &options).expect("the example builds");
        site
    })
    .path()
}

fn pdf(path: &str) -> PathBuf {
    let file = press_site().join("public").join(path);
    assert!(file.is_file(), "{} is missing", file.display());
    file
}

/// A box of `pdfinfo -box` as (left, bottom, right, top) in points, on the first page.
fn page_box(file: &Path, name: &str) -> [f64; 4] {
    page_boxes(file, name)[0]
}

/// A box of every page, with `pdfinfo -box` from the first page to the last.
fn page_boxes(file: &Path, name: &str) -> Vec<[f64; 4]> {
    let output = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "99", "-box"])
        .arg(file)
        .output()
        .expect("pdfinfo");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let boxes: Vec<[f64; 4]> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Page").and_then(|l| l.split_once(&format!(" {name}:"))))
        .map(|(_, numbers)| {
            let numbers: Vec<f64> =
                numbers.split_whitespace().map(|n| n.parse().expect("a number")).collect();
            [numbers[0], numbers[1], numbers[2], numbers[3]]
        })
        .collect();
    assert!(!boxes.is_empty(), "no {name} in {text}");
    boxes
}

fn mm(points: f64) -> f64 {
    points / PT_PER_MM
}

#[test]
fn press_pdfs_have_their_trim_box_at_the_finished_size_and_bleed_around_it() {
    if !has_tool("pdfinfo") {
        return;
    }
    for (path, width, height) in
        [(TRIFOLD, 297.0, 210.0), (A5, 148.0, 210.0), (POSTER, 297.0, 420.0)]
    {
        let file = pdf(path);
        let media = page_box(&file, "MediaBox");
        let trim = page_box(&file, "TrimBox");
        let trimmed = (mm(trim[2] - trim[0]), mm(trim[3] - trim[1]));
        assert!(
            (trimmed.0 - width).abs() < 0.1 && (trimmed.1 - height).abs() < 0.1,
            "{path}: TrimBox {trimmed:?} mm"
        );
        for side in 0..4 {
            let margin = mm((trim[side] - media[side]).abs());
            assert!((margin - SHEET_MARGIN_MM).abs() < 0.1, "{path}: {margin} mm of sheet");
        }
    }
}

#[test]
fn the_bleed_box_of_every_page_of_every_layout_is_the_trim_box_and_3_mm() {
    if !has_tool("pdfinfo") {
        return;
    }
    for (path, pages) in [(TRIFOLD, 2), (A5, 2), (POSTER, 1)] {
        let file = pdf(path);
        let trims = page_boxes(&file, "TrimBox");
        let bleeds = page_boxes(&file, "BleedBox");
        assert_eq!((trims.len(), bleeds.len()), (pages, pages), "{path}");
        for (trim, bleed) in trims.iter().zip(&bleeds) {
            for side in 0..4 {
                let beyond = mm((trim[side] - bleed[side]).abs());
                assert!((beyond - BLEED_MM).abs() < 0.05, "{path}: BleedBox {beyond} mm beyond");
            }
            assert!(bleed[0] < trim[0] && bleed[3] > trim[3], "{path}: {bleed:?} around {trim:?}");
        }
    }
}

/// A sheet rendered as RGB pixels.
struct Raster {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Raster {
    /// Page `page` (from 1) of `file`, rendered at [`DPI`].
    fn of(file: &Path, page: usize) -> Raster {
        let folder = tempfile::tempdir().unwrap();
        let prefix = folder.path().join("sheet");
        let page = page.to_string();
        let status = Command::new("pdftoppm")
            .args(["-r", &DPI.to_string(), "-png", "-singlefile", "-f", &page, "-l", &page])
            .arg(file)
            .arg(&prefix)
            .status()
            .expect("pdftoppm");
        assert!(status.success());
        let png = std::fs::File::open(prefix.with_extension("png")).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).expect("PNG pixels");
        assert_eq!(frame.color_type, png::ColorType::Rgb, "pdftoppm writes RGB");
        pixels.truncate(frame.buffer_size());
        Raster { width: frame.width as usize, height: frame.height as usize, pixels }
    }

    fn px(mm: f64) -> usize {
        (mm * DPI / 25.4).round() as usize
    }

    fn to_mm(px: usize) -> f64 {
        px as f64 * 25.4 / DPI
    }

    fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let at = (y.min(self.height - 1) * self.width + x.min(self.width - 1)) * 3;
        [self.pixels[at], self.pixels[at + 1], self.pixels[at + 2]]
    }

    /// Whether a pixel is a mark's: dark and grey (registration colour), not the red accent.
    fn dark(&self, x: usize, y: usize) -> bool {
        let [r, g, b] = self.rgb(x, y).map(i32::from);
        r.max(g).max(b) < 200 && (r - g).abs() < 30 && (g - b).abs() < 30
    }

    /// Whether some pixel within 0.3 mm of (`x`, `y`) mm from the sheet's corner is dark.
    fn dark_near(&self, x: f64, y: f64) -> bool {
        let reach = Raster::px(0.3);
        let (cx, cy) = (Raster::px(x), Raster::px(y));
        (cx.saturating_sub(reach)..=cx + reach)
            .any(|px| (cy.saturating_sub(reach)..=cy + reach).any(|py| self.dark(px, py)))
    }

    /// The middles of the runs of dark pixels along the row `y` mm down, in mm from the left.
    fn dark_runs(&self, y: f64) -> Vec<f64> {
        let row = Raster::px(y);
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..=self.width {
            match (x < self.width && self.dark(x, row), start) {
                (true, None) => start = Some(x),
                (false, Some(first)) => {
                    runs.push(Raster::to_mm(first + x - 1) / 2.0);
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }
}

#[test]
fn crop_marks_stand_at_all_four_corners_outside_the_bleed() {
    if !has_tool("pdftoppm") {
        return;
    }
    for (path, width, height) in
        [(TRIFOLD, 297.0, 210.0), (A5, 148.0, 210.0), (POSTER, 297.0, 420.0)]
    {
        let sheet = Raster::of(&pdf(path), 1);
        let o = SHEET_MARGIN_MM;
        // In the mark room, halfway along a mark: 3 mm of bleed, then 5 mm of mark.
        let out = BLEED_MM + 2.5;
        for (corner_x, corner_y, sx, sy) in
            [(o, o, -1.0, -1.0), (o + width, o, 1.0, -1.0), (o, o + height, -1.0, 1.0)]
                .into_iter()
                .chain([(o + width, o + height, 1.0, 1.0)])
        {
            let along_top_edge = (corner_x + sx * out, corner_y);
            let along_side_edge = (corner_x, corner_y + sy * out);
            for (x, y) in [along_top_edge, along_side_edge] {
                assert!(sheet.dark_near(x, y), "{path}: no crop mark at {x} mm, {y} mm");
            }
            let diagonal = (corner_x + sx * out, corner_y + sy * out);
            assert!(!sheet.dark_near(diagonal.0, diagonal.1), "{path}: marks fill the corner");
            let in_bleed = (corner_x + sx * 1.5, corner_y);
            assert!(!sheet.dark_near(in_bleed.0, in_bleed.1), "{path}: a mark in the bleed");
        }
    }
}

#[test]
fn fold_marks_stand_100_and_200_mm_from_the_trim_on_both_sides_of_the_tri_fold() {
    if !has_tool("pdftoppm") {
        return;
    }
    let o = SHEET_MARGIN_MM;
    let mark_row = BLEED_MM + 2.5;
    for (page, y) in [(1, o - mark_row), (1, o + 210.0 + mark_row), (2, o - mark_row)] {
        let sheet = Raster::of(&pdf(TRIFOLD), page);
        let runs: Vec<f64> = sheet.dark_runs(y).into_iter().map(|x| x - o).collect();
        assert_eq!(runs.len(), 4, "page {page}: two crop marks and two folds: {runs:?}");
        let (left, right) = (runs[0], runs[3]);
        assert!(left.abs() < 0.5 && (right - 297.0).abs() < 0.5, "crop marks at {runs:?}");
        // The inside (page 2) is measured from its left edge; the outside, printed on the
        // back of it, from its right edge, behind the same folds.
        let folds = if page == 2 { [runs[1], runs[2]] } else { [297.0 - runs[2], 297.0 - runs[1]] };
        assert!(
            (folds[0] - 100.0).abs() <= 0.5 && (folds[1] - 200.0).abs() <= 0.5,
            "page {page}: folds at {folds:?} mm from the trim"
        );
    }
}

#[test]
fn the_posters_red_band_runs_into_the_bleed_and_stops_at_its_edge() {
    if !has_tool("pdftoppm") {
        return;
    }
    let sheet = Raster::of(&pdf(POSTER), 1);
    let o = SHEET_MARGIN_MM;
    let red = |x: f64, y: f64| {
        let [r, g, b] = sheet.rgb(Raster::px(x), Raster::px(y));
        r > 120 && g < 60 && b < 60
    };
    for (x, y) in [(o + 150.0, o - 1.5), (o - 1.5, o + 5.0), (o + 297.0 + 1.5, o + 5.0)] {
        assert!(red(x, y), "the band does not reach {x} mm, {y} mm of the sheet");
    }
    for (x, y) in [(o + 150.0, o - BLEED_MM - 1.0), (o - BLEED_MM - 1.0, o + 5.0)] {
        assert!(!red(x, y), "the band runs past the bleed at {x} mm, {y} mm");
    }
}

#[test]
fn print_bleed_in_site_yaml_gives_press_pdfs_without_the_flag() {
    if !has_tool("pdfinfo") {
        return;
    }
    let site = common::fixture("minimal");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    common::write(site.path(), "site.yaml", format!("{yaml}print:\n  bleed: 3\n"));
    let page = "---\ntitle: Áp phích thử\nprint: poster-a3\n---\n\nGọi 111.\n";
    common::write(site.path(), "content/ap-phich.md", page);
    common::build(site.path()).expect("builds");
    let file = site.path().join("public/ap-phich/ap-phich.pdf");
    let media = page_box(&file, "MediaBox");
    let trim = page_box(&file, "TrimBox");
    assert!((mm(trim[0] - media[0]) - SHEET_MARGIN_MM).abs() < 0.1, "{media:?} {trim:?}");
}

#[test]
fn a_bleed_of_more_than_10_mm_is_refused_at_its_line() {
    let site = common::fixture("minimal");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let line = yaml.lines().count() + 2;
    common::write(site.path(), "site.yaml", format!("{yaml}print:\n  bleed: 25\n"));
    let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
    assert!(error.contains(&format!("site.yaml:{line}:")), "{error}");
    assert!(error.contains("25"), "{error}");
}

fn pdfinfo(file: &Path) -> String {
    let output = Command::new("pdfinfo").arg(file).output().expect("pdfinfo");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn every_pdf_is_tagged_and_print_standard_gives_pdf_a_or_pdf_ua_with_and_without_bleed() {
    if !has_tool("pdfinfo") {
        return;
    }
    let standards = [
        ("pdf-a-2b", "<pdfaid:part>2</pdfaid:part>", Some("<pdfaid:conformance>B<")),
        ("pdf-ua-1", "<pdfuaid:part>1</pdfuaid:part>", None),
    ];
    for (standard, part, conformance) in standards {
        for bleed in [0, 3] {
            let site = common::fixture("minimal");
            let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
            let print = format!("print:\n  standard: {standard}\n  bleed: {bleed}\n");
            common::write(site.path(), "site.yaml", format!("{yaml}{print}"));
            let page = "---\ntitle: Áp phích thử\nprint: poster-a3\n---\n\nGọi 111.\n";
            common::write(site.path(), "content/ap-phich.md", page);
            common::build(site.path()).expect("builds");
            let file = site.path().join("public/ap-phich/ap-phich.pdf");
            let info = pdfinfo(&file);
            assert!(info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")), "{info}");
            let meta = pdfinfo_meta(&file);
            assert!(meta.contains(part), "{standard}: its XMP does not claim it: {meta}");
            assert!(conformance.is_none_or(|c| meta.contains(c)), "{standard}: conformance");
            assert_well_formed(&file);
            if bleed > 0 {
                let (trim, box_) = (page_box(&file, "TrimBox"), page_box(&file, "BleedBox"));
                assert!((mm(trim[0] - box_[0]) - BLEED_MM).abs() < 0.05, "{standard}: {box_:?}");
            }
        }
    }
    let info = pdfinfo(&pdf(TRIFOLD));
    assert!(info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")), "{info}");
    assert_well_formed(&pdf(TRIFOLD));
}

/// The XMP metadata of the file as a reader finds it (through the newest trailer).
fn pdfinfo_meta(file: &Path) -> String {
    let output = Command::new("pdfinfo").arg("-meta").arg(file).output().expect("pdfinfo");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// qpdf, where it is installed, reads every object and stream of the file without error.
fn assert_well_formed(file: &Path) {
    if !has_tool("qpdf") {
        return;
    }
    let output = Command::new("qpdf").arg("--check").arg(file).output().expect("qpdf");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success() && report.contains("No syntax or stream"), "{report}");
}

#[test]
fn an_unknown_print_standard_is_refused_at_its_line() {
    let site = common::fixture("minimal");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let line = yaml.lines().count() + 2;
    common::write(site.path(), "site.yaml", format!("{yaml}print:\n  standard: pdf-x-4\n"));
    let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
    assert!(error.contains(&format!("site.yaml:{line}:")) && error.contains("pdf-x-4"), "{error}");
}
