//! What a laid-out document shows on each page and where: its runs of text and its images, as
//! rectangles on the trimmed page, and the folds and cuts its template reported. Checks of the
//! printed sheet (safe margins, a QR code's quiet zone, a photo's resolution) read these.

use std::hash::{Hash, Hasher};

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

/// A rectangle on a trimmed page, in points from its top left corner.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Area {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Area {
    /// Whether the two rectangles share more than an edge.
    pub fn overlaps(&self, other: &Area) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// The rectangle grown by `by` points on every side (shrunk when negative).
    pub fn grown(&self, by: f64) -> Area {
        Area {
            left: self.left - by,
            top: self.top - by,
            right: self.right + by,
            bottom: self.bottom + by,
        }
    }

    /// How near it comes to an edge of a `width` × `height` page or to one of the vertical
    /// lines at `lines` (points from the left edge): in points, negative when past an edge or
    /// across a line.
    pub fn clearance(&self, width: f64, height: f64, lines: &[f64]) -> f64 {
        let edges = [self.left, self.top, width - self.right, height - self.bottom];
        let mut nearest = edges.into_iter().fold(f64::INFINITY, f64::min);
        for &x in lines {
            let gap = if x <= self.left {
                self.left - x
            } else if x >= self.right {
                x - self.right
            } else {
                -(x - self.left).min(self.right - x)
            };
            nearest = nearest.min(gap);
        }
        nearest
    }
}

/// An image on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    /// Where it is drawn.
    pub area: Area,
    /// [`image_key`] of its file's bytes, to tell which file it is.
    pub key: u64,
    /// Its size in pixels, for a raster image.
    pub pixels: Option<(u32, u32)>,
}

/// What one trimmed page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Width of the trimmed page in points.
    pub width: f64,
    /// Height of the trimmed page in points.
    pub height: f64,
    /// Each run of text with where it is drawn, in the order drawn.
    pub texts: Vec<(String, Area)>,
    /// Each image, in the order drawn.
    pub images: Vec<PlacedImage>,
}

/// The key that tells an image's file among others: a hash of its bytes.
pub fn image_key(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Every page of the document, as its texts and images.
pub fn sheets(document: &PagedDocument) -> Vec<Sheet> {
    document
        .pages()
        .iter()
        .map(|page| {
            let size = page.frame.size();
            let mut sheet =
                Sheet { width: size.x.to_pt(), height: size.y.to_pt(), ..Sheet::default() };
            collect(&page.frame, Transform::identity(), &mut sheet);
            sheet
        })
        .collect()
}

fn collect(frame: &Frame, ts: Transform, sheet: &mut Sheet) {
    for (position, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(position.x, position.y));
        match item {
            FrameItem::Group(group) => {
                collect(&group.frame, here.pre_concat(group.transform), sheet)
            }
            FrameItem::Text(text) if !text.text.trim().is_empty() => {
                let bbox = text.bbox();
                sheet.texts.push((text.text.to_string(), area(here, bbox.min, bbox.max)));
            }
            FrameItem::Image(image, size, _) => {
                let (data, pixels) = match image.kind() {
                    ImageKind::Raster(raster) => {
                        (raster.data(), Some((raster.width(), raster.height())))
                    }
                    ImageKind::Svg(svg) => (svg.data(), None),
                    ImageKind::Pdf(_) => continue,
                };
                let area = area(here, Point::zero(), Point::new(size.x, size.y));
                sheet.images.push(PlacedImage { area, key: image_key(data), pixels });
            }
            _ => {}
        }
    }
}

/// The rectangle holding the corners `a` and `b` once transformed by `ts`.
fn area(ts: Transform, a: Point, b: Point) -> Area {
    let corners = [a, Point::new(b.x, a.y), Point::new(a.x, b.y), b].map(|p| p.transform(ts));
    let xs = corners.map(|p| p.x.to_pt());
    let ys = corners.map(|p| p.y.to_pt());
    Area {
        left: xs.into_iter().fold(f64::INFINITY, f64::min),
        top: ys.into_iter().fold(f64::INFINITY, f64::min),
        right: xs.into_iter().fold(f64::NEG_INFINITY, f64::max),
        bottom: ys.into_iter().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// The vertical lines (folds and cuts) of each of `pages` pages in points from its left edge, as
/// the template reported them with `metadata((folds: ((mm, …), …), cuts: (mm, …))) <loa-lines>`:
/// the folds page by page, the cuts on every page.
pub fn folds_and_cuts(document: &PagedDocument) -> Vec<Vec<f64>> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let pages = document.pages().len();
    let Some(label) = Label::new(typst::utils::PicoStr::intern("loa-lines")) else {
        return vec![Vec::new(); pages];
    };
    let found = document.introspector().query(&Selector::Label(label));
    let Some(Value::Dict(fields)) =
        found.first().and_then(|c| c.to_packed::<MetadataElem>()).map(|m| m.value.clone())
    else {
        return vec![Vec::new(); pages];
    };
    let points = |value: Value| value.cast::<f64>().ok().map(|mm| mm * 72.0 / 25.4);
    let list = |value: Option<Value>| match value {
        Some(Value::Array(items)) => items.into_iter().collect::<Vec<Value>>(),
        _ => Vec::new(),
    };
    let folds = list(fields.get("folds").ok().cloned());
    let cuts: Vec<f64> =
        list(fields.get("cuts").ok().cloned()).into_iter().filter_map(points).collect();
    (0..pages)
        .map(|page| {
            let mut lines: Vec<f64> =
                list(folds.get(page).cloned()).into_iter().filter_map(points).collect();
            lines.extend(&cuts);
            lines
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearance_is_the_distance_to_the_nearest_edge_or_line() {
        let area = Area { left: 20.0, top: 30.0, right: 80.0, bottom: 40.0 };
        assert_eq!(area.clearance(100.0, 100.0, &[]), 20.0);
        assert_eq!(area.clearance(100.0, 100.0, &[90.0]), 10.0);
        assert_eq!(area.clearance(100.0, 100.0, &[25.0]), -5.0);
        assert_eq!(area.clearance(70.0, 100.0, &[]), -10.0);
    }

    #[test]
    fn areas_overlap_only_when_they_share_more_than_an_edge() {
        let a = Area { left: 0.0, top: 0.0, right: 10.0, bottom: 10.0 };
        assert!(a.overlaps(&Area { left: 9.0, top: 9.0, right: 20.0, bottom: 20.0 }));
        assert!(!a.overlaps(&Area { left: 10.0, top: 0.0, right: 20.0, bottom: 10.0 }));
        assert!(a.grown(1.0).overlaps(&Area { left: 10.5, top: 0.0, right: 20.0, bottom: 10.0 }));
    }
}
