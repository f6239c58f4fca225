//! Print: leaflets and posters as PDF, checked with poppler's tools (pdfinfo, pdftotext,
//! pdffonts, pdftoppm) and zbarimg for the QR code.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{example, has_tool, options_at, write};

/// The example site, built once for the tests that only read it.
fn built_example() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = example();
        loa::build(site.path(), &site.path().join("public"), &options_at("2024-07-20"))
            .expect("the example builds");
        site
    })
    .path()
}

fn pdf(site: &Path, path: &str) -> PathBuf {
    let file = site.join("public").join(path);
    assert!(file.is_file(), "{} is missing", file.display());
    file
}

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(name).args(args).arg(file).output().expect(name);
    assert!(output.status.success(), "{name} failed on {}", file.display());
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn pdf_text(file: &Path) -> String {
    pdf_text_with(file, &[])
}

/// The text in the order it is drawn (`-raw`), for a caption wrapped beside other columns,
/// which the default reading order interleaves with them.
fn pdf_text_drawn(file: &Path) -> String {
    pdf_text_with(file, &["-raw"])
}

fn pdf_text_with(file: &Path, mode: &[&str]) -> String {
    let output =
        Command::new("pdftotext").args(mode).args(["-enc", "UTF-8"]).arg(file).arg("-").output();
    let text = String::from_utf8(output.expect("pdftotext").stdout).expect("UTF-8 text");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn info(file: &Path) -> (usize, String) {
    let text = tool("pdfinfo", &[], file);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    (field("Pages:").parse().expect("page count"), field("Page size:"))
}

const LEAFLET: &str = "nhan-biet/nhan-biet.pdf";
const A5: &str = "quyen-cua-nan-nhan/quyen-cua-nan-nhan.pdf";
const POSTER: &str = "ngay-30-thang-7/ap-phich/ap-phich.pdf";

#[test]
fn each_layout_has_its_page_size_and_count() {
    if !has_tool("pdfinfo") {
        return;
    }
    let site = built_example();
    for prefix in ["", "en/"] {
        let (pages, size) = info(&pdf(site, &format!("{prefix}{LEAFLET}")));
        assert_eq!((pages, size.as_str()), (2, "841.89 x 595.276 pts (A4)"), "tri-fold");
        let (pages, size) = info(&pdf(site, &format!("{prefix}{A5}")));
        assert_eq!((pages, size.as_str()), (2, "419.528 x 595.276 pts"), "A5 leaflet");
        let (pages, size) = info(&pdf(site, &format!("{prefix}{POSTER}")));
        assert_eq!((pages, size.as_str()), (1, "841.89 x 1190.55 pts (A3)"), "A3 poster");
    }
}

#[test]
fn text_comes_back_with_its_title_and_hotlines() {
    if !has_tool("pdftotext") {
        return;
    }
    let site = built_example();
    for (path, title) in [
        (LEAFLET, "Nhận biết mua bán người và việc làm giả"),
        (A5, "Quyền của nạn nhân và các hỗ trợ được nhận"),
        (POSTER, "Chung tay chấm dứt mua bán người"),
        ("en/ngay-30-thang-7/ap-phich/ap-phich.pdf", "Together, let us end human trafficking"),
    ] {
        let text = pdf_text(&pdf(site, path));
        assert!(text.contains(title), "{path}: no title in {text}");
        assert!(text.contains("1800 1581") && text.contains("111"), "{path}: no hotlines");
        let scan =
            if path.starts_with("en/") { "Scan the code" } else { "Quét mã để xem trang web" };
        assert!(pdf_text_drawn(&pdf(site, path)).contains(scan), "{path}: labels missing");
    }
}

#[test]
fn every_font_is_embedded() {
    if !has_tool("pdffonts") {
        return;
    }
    let site = built_example();
    for path in [LEAFLET, A5, POSTER] {
        let listing = tool("pdffonts", &[], &pdf(site, path));
        let fonts: Vec<&str> = listing.lines().skip(2).collect();
        assert!(!fonts.is_empty(), "{path}: no fonts");
        for line in fonts {
            let columns: Vec<&str> = line.split_whitespace().collect();
            let embedded = columns[columns.len() - 5];
            assert_eq!(embedded, "yes", "{path}: font not embedded: {line}");
        }
    }
}

#[test]
fn the_qr_code_leads_to_the_page_in_its_language() {
    if !has_tool("pdftoppm") || !has_tool("zbarimg") {
        return;
    }
    let site = built_example();
    for (path, url) in [
        (LEAFLET, "https://phongchongmuabannguoi.example.vn/nhan-biet/"),
        ("en/nhan-biet/nhan-biet.pdf", "https://phongchongmuabannguoi.example.vn/en/nhan-biet/"),
        (POSTER, "https://phongchongmuabannguoi.example.vn/ngay-30-thang-7/ap-phich/"),
    ] {
        let image = tempfile::tempdir().unwrap();
        let prefix = image.path().join("page");
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-f", "1", "-l", "1"])
            .arg(pdf(site, path))
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let png = std::fs::read_dir(image.path()).unwrap().next().unwrap().unwrap().path();
        let decoded = tool("zbarimg", &["-q", "--raw"], &png);
        assert_eq!(decoded.trim(), url, "{path}");
    }
}

#[test]
fn only_real_translations_are_printed() {
    let site = built_example();
    let english = std::fs::read(site.join("public/en").join(LEAFLET)).unwrap();
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(&english, b"/Lang(en)"), "the English leaflet says its language");
    assert!(has(&std::fs::read(pdf(site, LEAFLET)).unwrap(), b"/Lang(vi)"));
    assert!(!site.join("public/ktv").join(LEAFLET).exists(), "Cơ Tu shows Vietnamese: no PDF");
    let page = common::read(site, "nhan-biet/index.html");
    assert!(page.contains("/nhan-biet/nhan-biet.pdf"), "the page links its leaflet");
    assert!(page.contains("Tải tờ rơi gấp ba (PDF, ") && page.contains(" KB)"), "with its size");
    let campaign = common::read(site, "en/ngay-30-thang-7/index.html");
    assert!(campaign.contains("Download the A3 poster (PDF, "), "campaign lists its poster");
}

#[test]
fn two_builds_give_identical_pdfs() {
    let site = example();
    let options = options_at("2024-07-20");
    loa::build(site.path(), &site.path().join("public"), &options).unwrap();
    let first = std::fs::read(pdf(site.path(), LEAFLET)).unwrap();
    loa::build(site.path(), &site.path().join("public"), &options).unwrap();
    assert!(first == std::fs::read(pdf(site.path(), LEAFLET)).unwrap());
}

/// A small site with one printed page whose body is `body`.
fn print_site(body: &str, layout: &str) -> tempfile::TempDir {
    let site = common::fixture("minimal");
    let page = format!("---\ntitle: Tờ rơi thử\nprint: {layout}\n---\n\n{body}\n");
    write(site.path(), "content/to-roi.md", page);
    site
}

#[test]
fn typst_markup_in_content_comes_out_literally() {
    if !has_tool("pdftotext") {
        return;
    }
    let body = "Giá #set text(fill: red) và $x^2$ cùng @ref \\<label> = không phải tiêu đề.\n\n\
                = Dòng mở đầu bằng dấu bằng\n\n\\- gạch ngang, `#mã` và \\\\ gạch chéo, 5 \\* 3, a_b_c, #{1 + 1}";
    let site = print_site(body, "leaflet-a5");
    common::build(site.path()).expect("special characters do not break the layout");
    let text = pdf_text(&pdf(site.path(), "to-roi/to-roi.pdf"));
    for literal in [
        "#set text(fill: red)",
        "$x^2$",
        "@ref <label> = không phải tiêu đề.",
        "= Dòng mở đầu bằng dấu bằng",
        "- gạch ngang",
        "#mã",
        "\\ gạch chéo",
        "5 * 3",
        "a_b_c",
        "#{1 + 1}",
    ] {
        assert!(text.contains(literal), "{literal:?} is not in {text}");
    }
}

#[test]
fn a_character_no_font_has_is_an_error_with_its_place() {
    let site = print_site("Dòng một.\n\nChữ Hán 漢 không có trong phông.", "leaflet-a5");
    let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
    assert!(error.contains("content/to-roi.md:8:"), "{error}");
    assert!(error.contains("U+6F22") && error.contains('漢'), "{error}");
    assert!(!site.path().join("public").exists(), "nothing half-written");
}

#[test]
fn a_text_too_long_for_a_poster_is_an_error() {
    let body = "Một câu tuyên truyền khá dài để lấp đầy áp phích. ".repeat(900);
    let site = print_site(&body, "poster-a3");
    let error = common::build(site.path()).unwrap_err().render(loa::base::messages::UiLang::En);
    assert!(error.contains("content/to-roi.md") && error.contains("does not fit"), "{error}");
}

#[test]
fn bleed_adds_a_trim_box_and_crop_marks() {
    if !has_tool("pdfinfo") {
        return;
    }
    let site = print_site("Nội dung ngắn.", "poster-a3");
    let mut options = options_at("2024-07-20");
    options.bleed = true;
    loa::build(site.path(), &site.path().join("public"), &options).unwrap();
    let file = pdf(site.path(), "to-roi/to-roi.pdf");
    let boxes = tool("pdfinfo", &["-box"], &file);
    let media = boxes.lines().find(|l| l.starts_with("MediaBox:")).unwrap().to_owned();
    let trim = boxes.lines().find(|l| l.starts_with("TrimBox:")).unwrap().to_owned();
    assert_ne!(media.split_whitespace().nth(3), trim.split_whitespace().nth(3), "{boxes}");
    let (_, size) = info(&file);
    assert!(
        size.starts_with("898.58") && size.contains("x 1247.24"),
        "A3 plus 10 mm each side: {size}"
    );
}
