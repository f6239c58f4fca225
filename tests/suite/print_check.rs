//! `loa check --print` on the laid-out sheets: text or the QR code inside the 5 mm safe margin,
//! something on the QR code's quiet zone, photos below 300 (and 150) pixels per inch at their
//! printed size; each in a small site made for that one problem.

use crate::common;

/// A small site with a poster whose page is `content/ap-phich.md`, laid out by the site's own
/// `print/poster-a3.typ` with `body` after the page set-up (the theme's office edition stays).
fn poster_site(body: &str) -> tempfile::TempDir {
    let site = common::fixture("minimal");
    let page = "---\ntitle: Áp phích thử\nprint: poster-a3\n---\n\nGọi 111.\n";
    common::write(site.path(), "content/ap-phich.md", page);
    let template = format!(
        "#let data = json(\"/data.json\")\n\
         #set page(width: 297mm, height: 420mm, margin: 30mm)\n\
         #set text(font: \"Noto Sans\", lang: data.lang)\n\
         {body}\n"
    );
    common::write(site.path(), "print/poster-a3.typ", template);
    site
}

fn check_print(site: &std::path::Path) -> (bool, String) {
    let (ok, out, err) = common::run_loa(site, &["--ui-lang", "en", "check", "--print"]);
    (ok, format!("{out}{err}"))
}

/// The diagnostic of the report that mentions `needle`, after the file it is under (the report
/// names each file, then its diagnostics indented: `  8:1 warning: …`).
fn diagnostic(report: &str, needle: &str) -> (String, String) {
    let mut file = String::new();
    for line in report.lines() {
        if !line.starts_with(' ') {
            file = line.to_owned();
        } else if line.contains(needle) {
            return (file, line.trim().to_owned());
        }
    }
    panic!("no {needle}: {report}")
}

#[test]
fn check_print_finds_text_inside_the_5_mm_safe_margin_at_its_page() {
    let site = poster_site("#place(top + left, dx: -28mm, dy: 10mm, text(size: 20pt, data.title))");
    let (ok, report) = check_print(site.path());
    assert!(!ok, "{report}");
    let (file, line) = diagnostic(&report, "from a trimmed edge");
    assert_eq!(file, "content/ap-phich.md", "{report}");
    assert!(line.starts_with("error: on page 1 of its poster-a3 PDF"), "{line}");
    assert!(line.contains("“Áp phích thử”"), "{line}");
    let distance = line.split(" mm from").next().and_then(|l| l.rsplit(' ').next());
    let distance: f64 = distance.unwrap().parse().unwrap();
    assert!((1.5..=2.6).contains(&distance), "{line}");
}

#[test]
fn check_print_finds_the_qr_code_inside_the_5_mm_safe_margin() {
    // 0.5 mm from the corner and 20 mm wide: its quiet zone (2 to 3 mm) is whole, but its
    // squares are within 5 mm of the edges.
    let qr = "#place(bottom + left, dx: -29.5mm, dy: 29.5mm, \
              image(data.qr, width: 20mm, alt: data.url))";
    let site = poster_site(&format!("Gọi 111.\n{qr}"));
    let (ok, report) = check_print(site.path());
    assert!(!ok, "{report}");
    let (file, line) = diagnostic(&report, "the QR code is");
    assert_eq!(file, "content/ap-phich.md", "{report}");
    assert!(line.starts_with("error: on page 1 of its poster-a3 PDF"), "{line}");
    assert!(!report.contains("quiet zone"), "its quiet zone is whole: {report}");
}

#[test]
fn check_print_finds_text_on_the_qr_codes_quiet_zone() {
    let qr = "#place(top + left, dx: 20mm, dy: 20mm, image(data.qr, width: 60mm, alt: data.url))\n\
              #place(top + left, dx: 20mm, dy: 78mm, text(size: 12pt, data.labels.scan))";
    let site = poster_site(qr);
    let (ok, report) = check_print(site.path());
    assert!(!ok, "{report}");
    let (file, line) = diagnostic(&report, "quiet zone");
    assert_eq!(file, "content/ap-phich.md", "{report}");
    assert!(line.starts_with("error: on page 1 of its poster-a3 PDF"), "{line}");
    assert!(!report.contains("from a trimmed edge"), "nothing is near an edge: {report}");
    let clear = poster_site(&qr.replace("dy: 78mm", "dy: 90mm"));
    let (ok, report) = check_print(clear.path());
    assert!(ok && !report.contains("quiet zone"), "{report}");
}

/// A PNG of `width` × `height` pixels, grey.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![128; (width * height) as usize]).unwrap();
    writer.finish().unwrap();
    bytes
}

#[test]
fn check_print_warns_of_a_photo_below_300_ppi_and_refuses_one_below_150_at_its_line() {
    let site = common::fixture("minimal");
    // The A5 leaflet prints a figure 130 mm (5.1 in) wide: 1000 pixels give 195 ppi.
    common::write(site.path(), "content/to-roi/anh.png", png(1000, 500));
    common::write(site.path(), "content/to-roi/nho.png", png(300, 150));
    let page = "---\ntitle: Tờ rơi thử\nprint: leaflet-a5\n---\n\nGọi 111.\n\n\
                {{ figure(src=\"anh.png\", alt=\"Cán bộ xã\") }}\n\n\
                {{ figure(src=\"nho.png\", alt=\"Bản đồ\") }}\n";
    common::write(site.path(), "content/to-roi/index.md", page);
    let (ok, report) = check_print(site.path());
    assert!(!ok, "{report}");
    let (file, warning) = diagnostic(&report, "anh.png prints at");
    assert_eq!(file, "content/to-roi/index.md", "{report}");
    assert!(warning.starts_with("8:1 warning: "), "{warning}");
    assert!(warning.contains("195 pixels per inch in the leaflet-a5 PDF"), "{warning}");
    let (_, error) = diagnostic(&report, "nho.png prints at");
    assert!(error.starts_with("10:1 error: "), "{error}");
    let hint = report.split("nho.png prints at").nth(1).unwrap_or_default();
    assert!(hint.contains("at least 1536 pixels across"), "{report}");
}

#[test]
fn the_default_layouts_pass_every_sheet_check() {
    let site = common::example();
    let (_, report) = check_print(site.path());
    for problem in ["from a trimmed edge", "the QR code is", "quiet zone", "pixels per inch"] {
        assert!(!report.contains(problem), "{problem}: {report}");
    }
}

#[test]
fn check_print_finds_text_across_a_fold_the_template_declared() {
    let site = common::fixture("minimal");
    let page = "---\ntitle: Tờ gấp thử\nprint: leaflet-trifold\n---\n\nGọi 111.\n";
    common::write(site.path(), "content/to-gap.md", page);
    let template = "#import \"common.typ\": *\n#let data = json(\"/data.json\")\n\
                    #show: print-page.with(data, 297mm, 210mm, (x: 10mm, y: 10mm), \
                    folds: ((97mm, 197mm), (100mm, 200mm)))\n\
                    Gọi 111.\n#pagebreak()\n\
                    #place(top + left, dx: 88mm, dy: 50mm, text(size: 12pt, \"Gấp ở đây\"))\n";
    common::write(site.path(), "print/leaflet-trifold.typ", template);
    let (ok, report) = check_print(site.path());
    assert!(!ok, "{report}");
    let (file, line) = diagnostic(&report, "from a trimmed edge");
    assert_eq!(file, "content/to-gap.md", "{report}");
    assert!(line.contains("page 2 of its leaflet-trifold PDF") && line.contains("Gấp"), "{line}");
    assert_eq!(report.matches("from a trimmed edge").count(), 1, "page 1 is clear: {report}");
}
