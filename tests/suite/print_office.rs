//! The office editions on A4, read back from the PDFs: their page sizes with `pdfinfo`, the
//! two copies of the leaflet with `pdftotext`, the cut marks and the grayscale contrast of the
//! hotline numbers by rendering the sheets with `pdftoppm`, and their links on the web pages.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{example, has_tool, options_at};

const A5_OFFICE: &str = "quyen-cua-nan-nhan/quyen-cua-nan-nhan-office-a4.pdf";
const POSTER_OFFICE: &str = "ngay-30-thang-7/ap-phich/ap-phich-office-a4.pdf";

/// Each office edition of the example in both languages.
const OFFICE: [&str; 4] = [
    A5_OFFICE,
    "en/quyen-cua-nan-nhan/quyen-cua-nan-nhan-office-a4.pdf",
    POSTER_OFFICE,
    "en/ngay-30-thang-7/ap-phich/ap-phich-office-a4.pdf",
];

/// Resolution the sheets are rendered at to measure contrast, and to find the thin cut marks.
const DPI: f64 = 150.0;
const FINE_DPI: f64 = 300.0;

/// The example site built with `--bleed`: office editions never have bleed.
fn built() -> &'static Path {
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

fn file(path: &str) -> PathBuf {
    let file = built().join("public").join(path);
    assert!(file.is_file(), "{} is missing", file.display());
    file
}

fn run(program: &str, args: &[&str], file: &Path) -> String {
    let mut command = Command::new(program);
    command.args(args).arg(file);
    if program == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().expect(program);
    assert!(output.status.success(), "{program} {args:?} {}", file.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Width and height of each page in points, from `pdfinfo`.
fn page_sizes(file: &Path) -> Vec<(f64, f64)> {
    let info = run("pdfinfo", &["-f", "1", "-l", "99"], file);
    info.lines()
        .filter_map(|l| l.strip_prefix("Page")?.split_once(" size:"))
        .map(|(_, size)| {
            let numbers: Vec<f64> =
                size.split_whitespace().filter_map(|n| n.parse().ok()).take(2).collect();
            (numbers[0], numbers[1])
        })
        .collect()
}

/// A4 in points, portrait.
const A4: (f64, f64) = (595.28, 841.89);

#[test]
fn the_leaflets_office_edition_is_two_landscape_a4_pages_and_the_posters_one_portrait_a4() {
    if !has_tool("pdfinfo") {
        return;
    }
    for path in OFFICE {
        let sizes = page_sizes(&file(path));
        let (pages, (width, height)) =
            if path.contains("quyen") { (2, (A4.1, A4.0)) } else { (1, A4) };
        assert_eq!(sizes.len(), pages, "{path}: {sizes:?}");
        for (w, h) in sizes {
            assert!((w - width).abs() < 0.5 && (h - height).abs() < 0.5, "{path}: {w} × {h} pt");
        }
        let boxes = run("pdfinfo", &["-box"], &file(path));
        let trim = boxes.lines().find(|l| l.starts_with("TrimBox:")).unwrap_or_default();
        let media = boxes.lines().find(|l| l.starts_with("MediaBox:")).unwrap_or_default();
        let numbers = |line: &str| line.split_once(':').map(|(_, n)| n.trim().to_owned());
        assert_eq!(numbers(trim), numbers(media), "{path}: an office edition has no bleed");
    }
}

#[test]
fn each_side_of_the_two_up_sheet_holds_two_copies_of_the_leaflet() {
    if !has_tool("pdftotext") {
        return;
    }
    let office = file(A5_OFFICE);
    let front = run("pdftotext", &["-f", "1", "-l", "1"], &office);
    assert_eq!(front.matches("Quyền của nạn nhân và các hỗ trợ").count(), 2, "{front}");
    let back = run("pdftotext", &["-f", "2", "-l", "2"], &office);
    let numbers = back.matches("1800 1581").count();
    assert!(numbers >= 2 && numbers.is_multiple_of(2), "{numbers} times: {back}");
    assert_eq!(back.matches("Quyền của nạn nhân").count(), 0, "the title is on the front only");
}

/// A sheet rendered as 8-bit gray values.
struct Gray {
    dpi: f64,
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Gray {
    /// Page `page` (from 1) of `file` at `dpi`, in gray as a photocopier sees it.
    fn of(file: &Path, page: usize, dpi: f64) -> Gray {
        let folder = tempfile::tempdir().unwrap();
        let prefix = folder.path().join("sheet");
        let page = page.to_string();
        let status = Command::new("pdftoppm")
            .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile", "-f", &page])
            .args(["-l", &page])
            .arg(file)
            .arg(&prefix)
            .status()
            .expect("pdftoppm");
        assert!(status.success());
        let png = std::fs::File::open(prefix.with_extension("png")).unwrap();
        let mut reader = png::Decoder::new(std::io::BufReader::new(png)).read_info().unwrap();
        let mut samples = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut samples).unwrap();
        let per_pixel = frame.color_type.samples();
        let pixels = samples[..frame.buffer_size()]
            .chunks(per_pixel)
            .map(|p| if per_pixel >= 3 { luma(p[0], p[1], p[2]) } else { p[0] })
            .collect();
        Gray { dpi, width: frame.width as usize, height: frame.height as usize, pixels }
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y.min(self.height - 1) * self.width + x.min(self.width - 1)]
    }

    fn px(&self, mm: f64) -> usize {
        (mm * self.dpi / 25.4).round() as usize
    }

    /// The gray values inside a box given in points from the page's top left corner.
    fn in_box(&self, [x0, y0, x1, y1]: [f64; 4]) -> Vec<u8> {
        let px = |pt: f64| (pt * self.dpi / 72.0).round() as usize;
        (px(y0)..px(y1))
            .flat_map(|y| (px(x0)..px(x1)).map(move |x| (x, y)))
            .map(|(x, y)| self.at(x, y))
            .collect()
    }
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    (0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b)).round() as u8
}

/// The relative luminance of a gray value, as WCAG computes it.
fn luminance(gray: u8) -> f64 {
    let c = f64::from(gray) / 255.0;
    if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
}

/// The boxes of the hotline numbers of page `page`, in points, from `pdftotext -bbox-layout`.
fn hotline_boxes(file: &Path, page: usize) -> Vec<[f64; 4]> {
    let page = page.to_string();
    let xml = run("pdftotext", &["-bbox-layout", "-f", &page, "-l", &page], file);
    let xml = xml.replace("-\n", "");
    let mut boxes = Vec::new();
    for word in xml.split("<word ").skip(1) {
        let Some((attributes, rest)) = word.split_once('>') else { continue };
        let text = rest.split("</word>").next().unwrap_or_default();
        if !matches!(text, "111" | "1800" | "1581") {
            continue;
        }
        let number = |name: &str| -> f64 {
            let start = attributes.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            attributes[start..].split('"').next().unwrap().parse().unwrap()
        };
        boxes.push([number("xMin"), number("yMin"), number("xMax"), number("yMax")]);
    }
    boxes
}

/// The contrast of a word's ink against its background in gray: the darkest twentieth of its
/// pixels against the commonest value (the background fills most of a word's box).
fn contrast_in(values: &mut [u8]) -> f64 {
    values.sort_unstable();
    let ink = values[values.len() / 20];
    let mut counts = [0usize; 256];
    for &v in values.iter() {
        counts[usize::from(v)] += 1;
    }
    let background = (0..256).max_by_key(|&v| counts[v]).unwrap() as u8;
    (luminance(background) + 0.05) / (luminance(ink) + 0.05)
}

#[test]
fn the_hotline_numbers_of_every_office_edition_keep_a_contrast_of_4_5_to_1_in_gray() {
    if !has_tool("pdftoppm") || !has_tool("pdftotext") {
        return;
    }
    for path in OFFICE {
        let office = file(path);
        let pages = if path.contains("quyen") { 2 } else { 1 };
        let mut measured = 0;
        for page in 1..=pages {
            let sheet = Gray::of(&office, page, DPI);
            for found in hotline_boxes(&office, page) {
                let contrast = contrast_in(&mut sheet.in_box(found));
                assert!(contrast >= 4.5, "{path} p{page}: {contrast:.1}:1 at {found:?}");
                measured += 1;
            }
        }
        let copies = if path.contains("quyen") { 2 } else { 1 };
        assert!(measured >= 3 * copies, "{path}: only {measured} hotline numbers found");
    }
}

#[test]
fn a_washed_out_number_would_fail_the_contrast_measure() {
    let mut light_on_white: Vec<u8> = [vec![255u8; 70], vec![200u8; 30]].concat();
    assert!(contrast_in(&mut light_on_white) < 4.5);
    let mut dark_red_in_gray: Vec<u8> = [vec![255u8; 70], vec![66u8; 30]].concat();
    assert!(contrast_in(&mut dark_red_in_gray) > 9.0);
}

#[test]
fn cut_marks_stand_at_the_middle_of_both_sides_of_the_two_up_sheet_at_the_top_and_bottom() {
    if !has_tool("pdftoppm") {
        return;
    }
    let office = file(A5_OFFICE);
    for page in [1, 2] {
        let sheet = Gray::of(&office, page, FINE_DPI);
        let column = |x_mm: f64, y_mm: f64| sheet.at(sheet.px(x_mm), sheet.px(y_mm));
        for y in [5.0, 7.0, 203.0, 205.0] {
            let on = (-1..=1).map(|d| column(148.5 + f64::from(d) * 0.1, y)).min().unwrap();
            assert!(on < 128, "page {page}: no cut mark at {y} mm: gray {on}");
            // Its white edge keeps it visible on the red band.
            for beside in [148.5 - 0.22, 148.5 + 0.22] {
                let gray = column(beside, y);
                assert!(gray > 200, "page {page}: no white beside the mark at {y} mm: {gray}");
            }
        }
        let middle = column(148.5, 105.0);
        assert!(middle > 245, "page {page}: the gutter between the copies is blank: {middle}");
    }
}

#[test]
fn every_page_lists_its_office_edition_with_its_press_edition_in_its_language() {
    let public = built().join("public");
    let cases = [
        ("quyen-cua-nan-nhan/index.html", A5_OFFICE, "Tải bản in văn phòng (A4, hai tờ rơi"),
        (
            "en/quyen-cua-nan-nhan/index.html",
            "en/quyen-cua-nan-nhan/quyen-cua-nan-nhan-office-a4.pdf",
            "Download the office edition (A4, two leaflets",
        ),
        ("ngay-30-thang-7/ap-phich/index.html", POSTER_OFFICE, "Tải bản in văn phòng (áp phích"),
    ];
    for (page, pdf, label) in cases {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let press = pdf.replace("-office-a4.pdf", ".pdf");
        let office_at = html.find(&format!("/{pdf}")).unwrap_or_else(|| panic!("{page}: {html}"));
        let press_at = html.find(&format!("/{press}")).expect("the press edition's link");
        assert!(press_at < office_at, "{page}: the office edition follows the press one");
        let link_text = html[office_at..].split_once('>').unwrap().1;
        assert!(link_text.starts_with(label), "{page}: {}", &link_text[..80.min(link_text.len())]);
    }
    let trifold = std::fs::read_to_string(public.join("nhan-biet/index.html")).unwrap();
    assert!(!trifold.contains("office-a4"), "the tri-fold has no office edition");
}

#[test]
fn a_poster_whose_text_fits_a3_but_not_a4_at_14_pt_stops_the_build_naming_the_office_edition() {
    let site = common::fixture("minimal");
    let body = "Một câu tuyên truyền khá dài để lấp đầy áp phích này. ".repeat(60);
    let page = format!("---\ntitle: Áp phích thử\nprint: poster-a3\n---\n\n{body}\n");
    common::write(site.path(), "content/ap-phich.md", page);
    let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
    assert!(error.contains("content/ap-phich.md") && error.contains("poster-a3-office"), "{error}");
    assert!(error.contains(" mm more"), "{error}");
    assert_eq!(error.matches("does not fit").count(), 1, "the A3 poster fits: {error}");
}
