//! QR codes of a text (error correction M, a four-module quiet zone), as SVG for the web and
//! for print. The code is made by `fast_qr`, whose choice of mask is several times faster than
//! `qrcode`'s (a sixth of a build's time went to it at 1,000 pages × 3 languages). The SVG
//! draws each row's runs of dark modules as closed rectangles of one path, which every
//! renderer fills alike and which weighs half of one square per module.

use std::fmt::Write;

use fast_qr::ECL;
use fast_qr::qr::{QRBuilder, QRCode};

/// Modules of light margin around the code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// Units per module, in the SVG's own size as in its viewBox (some converters misdraw a
/// viewBox they must scale): 5, so a code of a page's address is about 200 pixels wide.
const MODULE: usize = 5;

/// An SVG QR code of `text`, with a viewBox so CSS can scale it.
pub fn svg(text: &str) -> Result<String, String> {
    let code = code(text)?;
    let side = (code.size + 2 * QUIET_ZONE) * MODULE;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d=""##
    );
    for y in 0..code.size {
        for (start, length) in dark_runs(&code, y) {
            let (x, y, width) =
                ((start + QUIET_ZONE) * MODULE, (y + QUIET_ZONE) * MODULE, length * MODULE);
            let _ = write!(svg, "M{x} {y}h{width}v{MODULE}h-{width}z");
        }
    }
    svg.push_str(r#""/></svg>"#);
    Ok(svg)
}

/// The runs of dark modules in row `y`: where each starts and how many modules it holds.
fn dark_runs(code: &QRCode, y: usize) -> Vec<(usize, usize)> {
    let row = &code[y];
    let mut runs = Vec::new();
    let mut x = 0;
    while x < code.size {
        if row[x].value() {
            let start = x;
            while x < code.size && row[x].value() {
                x += 1;
            }
            runs.push((start, x - start));
        }
        x += 1;
    }
    runs
}

/// Modules across the QR code of `text`, without its quiet zone.
pub fn modules(text: &str) -> Option<usize> {
    code(text).ok().map(|code| code.size)
}

fn code(text: &str) -> Result<QRCode, String> {
    QRBuilder::new(text).ecl(ECL::M).build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_address_fits_a_small_code_with_its_quiet_zone() {
        let address = "https://example.gov.vn/en/canh-bao/bai-00005/";
        assert_eq!(modules(address), Some(33));
        let svg = svg(address).unwrap();
        assert!(svg.contains(r#"viewBox="0 0 205 205""#), "{svg:.120}");
        assert!(svg.contains(r#"d="M20 20h35v5h-35z"#), "a finder pattern's top row: {svg:.240}");
    }

    #[test]
    fn a_text_too_long_for_any_code_is_refused() {
        assert!(svg(&"x".repeat(5000)).is_err());
    }
}
