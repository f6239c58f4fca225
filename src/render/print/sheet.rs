//! Checks of a laid-out sheet for `loa check --print`: text or the QR code within the 5 mm safe
//! margin of a trimmed edge, a fold or a cut; something on the QR code's quiet zone; photos
//! printed below 300 pixels per inch (below 150, an error). They read where Typst put things,
//! not the template's source, so they hold for any theme.

use serde::{Deserialize, Serialize};

use crate::engines::typeset::PagedDocument;
use crate::engines::typeset::inspect::{self, Area, Sheet};

/// How far text and the QR code keep from a trimmed edge, a fold or a cut.
pub const SAFE_MARGIN_MM: f64 = 5.0;

/// The blank modules a QR code needs around it to be read.
pub const QUIET_ZONE_MODULES: usize = 4;

/// A photo's resolution at its printed size below which a print shop asks for a better one,
/// and below which it prints blurred.
pub const GOOD_PPI: f64 = 300.0;
/// See [`GOOD_PPI`].
pub const POOR_PPI: f64 = 150.0;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Something on a sheet a print shop would send back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Finding {
    /// A run of text `clearance_mm` from an edge, fold or cut (negative: past it).
    Margin {
        /// Page, from 1.
        page: usize,
        /// The text.
        text: String,
        /// Its distance in millimetres.
        clearance_mm: f64,
    },
    /// The QR code's squares `clearance_mm` from an edge, fold or cut.
    QrMargin {
        /// Page, from 1.
        page: usize,
        /// Its distance in millimetres.
        clearance_mm: f64,
    },
    /// Text or a picture on the QR code's quiet zone, or the zone cut off by the page's edge.
    QuietZone {
        /// Page, from 1.
        page: usize,
        /// How wide the quiet zone is, in millimetres.
        zone_mm: f64,
    },
    /// A photo printed at `ppi` pixels per inch.
    Resolution {
        /// Page, from 1.
        page: usize,
        /// Index of the image among those the page prints.
        image: usize,
        /// Pixels per inch at its printed size.
        ppi: f64,
        /// Pixels across it would need for [`GOOD_PPI`].
        needed: u32,
    },
}

/// What the checks must know of the files the template was given.
pub struct Known {
    /// [`inspect::image_key`] of the QR code's SVG.
    pub qr: u64,
    /// Modules across the QR code, without its quiet zone.
    pub qr_modules: usize,
    /// [`inspect::image_key`] of each image the page prints, by its index.
    pub images: Vec<u64>,
}

/// Everything wrong on the document's sheets; at most one finding of each kind per page.
pub fn findings(document: &PagedDocument, known: &Known) -> Vec<Finding> {
    let lines = inspect::folds_and_cuts(document);
    let mut found = Vec::new();
    for (index, sheet) in inspect::sheets(document).iter().enumerate() {
        let page = index + 1;
        let lines = lines.get(index).map(Vec::as_slice).unwrap_or_default();
        found.extend(text_in_margin(sheet, page, lines));
        found.extend(qr_findings(sheet, page, lines, known));
        found.extend(resolutions(sheet, page, known));
    }
    found
}

/// The text nearest an edge, fold or cut, when it is within the safe margin.
fn text_in_margin(sheet: &Sheet, page: usize, lines: &[f64]) -> Option<Finding> {
    let (text, clearance) = sheet
        .texts
        .iter()
        .map(|(text, area)| (text, area.clearance(sheet.width, sheet.height, lines)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (clearance < SAFE_MARGIN_MM * PT_PER_MM - 0.01).then(|| Finding::Margin {
        page,
        text: text.chars().take(40).collect(),
        clearance_mm: round(clearance / PT_PER_MM),
    })
}

fn qr_findings(sheet: &Sheet, page: usize, lines: &[f64], known: &Known) -> Vec<Finding> {
    let mut found = Vec::new();
    for (index, qr) in sheet.images.iter().enumerate().filter(|(_, i)| i.key == known.qr) {
        let zone = quiet_zone_width(&qr.area, known.qr_modules);
        let squares = qr.area.grown(-zone);
        let clearance = squares.clearance(sheet.width, sheet.height, lines);
        if clearance < SAFE_MARGIN_MM * PT_PER_MM - 0.01 {
            found.push(Finding::QrMargin { page, clearance_mm: round(clearance / PT_PER_MM) });
        }
        let edge = qr.area.clearance(sheet.width, sheet.height, &[]) < 0.0;
        let texts = sheet.texts.iter().map(|(_, area)| area);
        let others = sheet.images.iter().enumerate().filter(|(i, _)| *i != index);
        let mut covering = texts.chain(others.map(|(_, image)| &image.area));
        if edge || covering.any(|area| area.overlaps(&qr.area)) {
            found.push(Finding::QuietZone { page, zone_mm: round(zone / PT_PER_MM) });
        }
    }
    found
}

/// Width in points of the quiet zone of a QR code drawn in `area` (its image carries the zone).
fn quiet_zone_width(area: &Area, modules: usize) -> f64 {
    let across = (modules + 2 * QUIET_ZONE_MODULES) as f64;
    (area.right - area.left) * QUIET_ZONE_MODULES as f64 / across
}

/// The photo printed at the lowest resolution, when it is below [`GOOD_PPI`].
fn resolutions(sheet: &Sheet, page: usize, known: &Known) -> Vec<Finding> {
    let mut found = Vec::new();
    for placed in &sheet.images {
        let (Some((width, height)), Some(image)) =
            (placed.pixels, known.images.iter().position(|k| *k == placed.key))
        else {
            continue;
        };
        let inches = |points: f64| points / 72.0;
        let across = inches(placed.area.right - placed.area.left);
        let down = inches(placed.area.bottom - placed.area.top);
        if across <= 0.0 || down <= 0.0 {
            continue;
        }
        let ppi = (f64::from(width) / across).min(f64::from(height) / down);
        if ppi < GOOD_PPI {
            let needed = (GOOD_PPI * across).ceil() as u32;
            found.push(Finding::Resolution { page, image, ppi: ppi.round(), needed });
        }
    }
    found
}

fn round(mm: f64) -> f64 {
    (mm * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::typeset::inspect::PlacedImage;

    fn area(left: f64, top: f64, right: f64, bottom: f64) -> Area {
        Area { left, top, right, bottom }
    }

    fn a5() -> Sheet {
        Sheet { width: 420.0, height: 595.0, ..Sheet::default() }
    }

    #[test]
    fn text_within_5_mm_of_an_edge_or_a_fold_is_found_and_text_farther_in_is_not() {
        let mut sheet = a5();
        sheet.texts.push(("Gọi 111".into(), area(20.0, 20.0, 100.0, 30.0)));
        assert_eq!(text_in_margin(&sheet, 1, &[]), None);
        assert!(matches!(text_in_margin(&sheet, 1, &[105.0]), Some(Finding::Margin { .. })));
        sheet.texts.push(("sát mép".into(), area(5.67, 40.0, 100.0, 50.0)));
        let Some(Finding::Margin { text, clearance_mm, .. }) = text_in_margin(&sheet, 1, &[])
        else {
            panic!("not found")
        };
        assert_eq!((text.as_str(), clearance_mm), ("sát mép", 2.0));
    }

    fn qr_sheet(qr: Area, text: Option<Area>) -> (Sheet, Known) {
        let mut sheet = a5();
        sheet.images.push(PlacedImage { area: qr, key: 7, pixels: None });
        sheet.texts.extend(text.map(|a| ("Quét mã".to_owned(), a)));
        (sheet, Known { qr: 7, qr_modules: 25, images: Vec::new() })
    }

    #[test]
    fn text_on_the_quiet_zone_of_the_qr_code_or_an_edge_through_it_is_found() {
        let qr = area(100.0, 100.0, 199.0, 199.0);
        let (clear, known) = qr_sheet(qr, Some(area(100.0, 205.0, 199.0, 215.0)));
        assert_eq!(qr_findings(&clear, 1, &[], &known), Vec::new());
        let (covered, known) = qr_sheet(qr, Some(area(100.0, 195.0, 199.0, 205.0)));
        assert!(matches!(qr_findings(&covered, 1, &[], &known)[..], [Finding::QuietZone { .. }]));
        let (cut, known) = qr_sheet(area(-10.0, 100.0, 89.0, 199.0), None);
        let found = qr_findings(&cut, 1, &[], &known);
        assert!(found.iter().any(|f| matches!(f, Finding::QuietZone { .. })), "{found:?}");
    }

    #[test]
    fn the_qr_codes_squares_within_5_mm_of_an_edge_are_found_but_its_quiet_zone_may_be() {
        let zone = 99.0 * 4.0 / 33.0;
        let (near, known) = qr_sheet(area(14.2 - zone, 100.0, 113.2 - zone, 199.0), None);
        assert_eq!(qr_findings(&near, 1, &[], &known), Vec::new());
        let (nearer, known) = qr_sheet(area(0.0, 100.0, 99.0, 199.0), None);
        let found = qr_findings(&nearer, 1, &[], &known);
        assert!(matches!(found[..], [Finding::QrMargin { .. }]), "{found:?}");
    }

    #[test]
    fn photos_below_300_ppi_are_found_with_the_pixels_they_would_need() {
        let mut sheet = a5();
        let two_inches = area(0.0, 0.0, 144.0, 144.0);
        sheet.images.push(PlacedImage { area: two_inches, key: 1, pixels: Some((400, 400)) });
        sheet.images.push(PlacedImage { area: two_inches, key: 2, pixels: Some((600, 600)) });
        let known = Known { qr: 0, qr_modules: 25, images: vec![2, 1] };
        let found = resolutions(&sheet, 1, &known);
        assert_eq!(found, vec![Finding::Resolution { page: 1, image: 1, ppi: 200.0, needed: 600 }]);
    }
}
