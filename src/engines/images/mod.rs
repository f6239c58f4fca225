//! Co-located photos for slow phones: a catalogue of their sizes, `<img srcset>` for pages,
//! and resized copies without metadata (see [`process`]).

pub mod budget;
pub mod kind;
pub mod process;
mod rewrite;
mod strip;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::error::{Error, Result};

pub use budget::Budget;
pub use kind::Kind;
pub use rewrite::rewrite_html;

/// A co-located file and where it is published.
#[derive(Debug, Clone)]
pub struct PlacedAsset {
    /// Source file, absolute.
    pub source: PathBuf,
    /// URL path where it is published.
    pub path: String,
}

/// Widths of the resized copies, in pixels; an image is never made larger than it is.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
/// JPEG quality of the resized copies.
pub const JPEG_QUALITY: u8 = 80;
/// JPEG quality of a full-size copy a page links to.
pub const FULL_JPEG_QUALITY: u8 = 88;
/// The largest image loa reads, in pixels (width × height).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The `sizes` attribute: the text column is at most 42 rem wide.
pub const SIZES: &str = "(min-width: 42rem) 42rem, 100vw";
/// Where processed images are kept between builds, inside the site folder.
pub const CACHE_DIR: &str = ".loa-cache/images";

/// Extensions of files loa treats as images to resize and strip whatever their bytes (a file
/// with another name is one too when its bytes are a JPEG, PNG or WebP: see [`kind`]).
const HANDLED: [&str; 6] = ["jpg", "jpeg", "jpe", "jfif", "png", "webp"];
/// Photo formats loa refuses, so that their metadata never reaches the site as it is.
const REFUSED: [&str; 5] = ["heic", "heif", "tif", "tiff", "avif"];

/// The encoding of the resized copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Photos (JPEG sources and opaque WebP).
    Jpeg,
    /// Drawings and screenshots (PNG sources and WebP with transparency).
    Png,
}

impl Encoding {
    /// The file extension of this encoding.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
        }
    }
}

/// One co-located image: where it comes from, its size once turned upright, its copies.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The source file, absolute.
    pub source: PathBuf,
    /// The source file as shown in messages (relative to the site).
    pub shown: PathBuf,
    /// URL path of the original (`/tin-tuc/anh.jpg`).
    pub url: String,
    /// Content hash of the file and the processing settings, in hex.
    pub key: String,
    /// Width after EXIF orientation.
    pub width: u32,
    /// Height after EXIF orientation.
    pub height: u32,
    /// The encoding of the resized copies.
    pub encoding: Encoding,
    /// The format of the source, from its bytes.
    pub kind: Kind,
    /// Bytes of its decoded pixels, for the decoding [`Budget`].
    pub decoded_bytes: u64,
}

impl Entry {
    /// The widths of the resized copies: the standard ones below the image's width, and the
    /// image's own width when it is narrower than the largest.
    pub fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < self.width).collect();
        if self.width <= WIDTHS[WIDTHS.len() - 1] {
            widths.push(self.width);
        }
        widths
    }

    /// The height of the copy `width` pixels wide.
    pub fn height_at(&self, width: u32) -> u32 {
        let scaled = u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2;
        ((scaled / u64::from(self.width)) as u32).max(1)
    }

    /// URL path of the copy `width` pixels wide (`/tin-tuc/anh.480.jpg`; `/tin-tuc/anh` for
    /// a file without extension gives `/tin-tuc/anh.480.jpg` too).
    pub fn url_at(&self, width: u32) -> String {
        let name_start = self.url.rfind('/').map_or(0, |slash| slash + 1);
        let stem = match self.url[name_start..].rfind('.') {
            Some(dot) if dot > 0 => &self.url[..name_start + dot],
            _ => self.url.as_str(),
        };
        format!("{stem}.{width}.{}", self.encoding.extension())
    }

    /// URL paths of every resized copy.
    pub fn copy_urls(&self) -> Vec<String> {
        self.widths().into_iter().map(|w| self.url_at(w)).collect()
    }

    /// The copy a browser without `srcset` shows: the largest up to 960 pixels wide.
    pub fn default_width(&self) -> u32 {
        let widths = self.widths();
        widths.iter().copied().filter(|w| *w <= 960).max().unwrap_or(widths[0])
    }

    /// The largest copy's width.
    pub fn largest_width(&self) -> u32 {
        *self.widths().last().expect("at least one width")
    }
}

/// Every co-located image of the site, by the URL path of its original.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: HashMap<String, Entry>,
    /// The cache folder of this site.
    pub cache_dir: PathBuf,
    /// The memory every decoding of this site's photos shares.
    pub budget: Budget,
}

impl Catalog {
    /// Reads the size and orientation of every co-located image (in parallel); a file that is
    /// not a readable JPEG, PNG or WebP, or is too large, is an error naming it, and so are two
    /// images whose copies would have the same name. Decoding shares `budget`.
    pub fn scan(root: &Path, assets: &[PlacedAsset], budget: Budget) -> Result<Catalog> {
        let results: Vec<Result<Option<Entry>>> =
            assets.par_iter().map(|asset| entry_for(root, asset)).collect();
        let entries: Vec<Entry> = Error::collect(results)?.into_iter().flatten().collect();
        check_copy_names(&entries)?;
        let entries = entries.into_iter().map(|entry| (entry.url.clone(), entry)).collect();
        Ok(Catalog { entries, cache_dir: root.join(CACHE_DIR), budget })
    }

    /// The image published at URL path `url`, if it is one.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.entries.get(url)
    }

    /// The image whose source is the file `source` (absolute), if it is one.
    pub fn by_source(&self, source: &Path) -> Option<&Entry> {
        self.entries.values().find(|entry| entry.source == source)
    }

    /// Whether `url` is the URL path of a co-located image.
    pub fn contains(&self, url: &str) -> bool {
        self.entries.contains_key(url)
    }

    /// Every image, in URL order.
    pub fn entries(&self) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.entries.values().collect();
        entries.sort_by(|a, b| a.url.cmp(&b.url));
        entries
    }
}

/// The catalogue entry of an asset when it is an image by its extension or its bytes (a GIF
/// is not catalogued: it is published as it is, stripped, see [`process::clean`]).
fn entry_for(root: &Path, asset: &PlacedAsset) -> Result<Option<Entry>> {
    let extension = asset
        .source
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let shown = asset.source.strip_prefix(root).unwrap_or(&asset.source).to_path_buf();
    let sniffed = kind::sniff_file(&asset.source);
    if REFUSED.contains(&extension.as_str()) || sniffed == Some(Kind::Refused) {
        return Err(process::unsupported(&shown));
    }
    let by_bytes = matches!(sniffed, Some(Kind::Jpeg | Kind::Png | Kind::WebP));
    if !HANDLED.contains(&extension.as_str()) && !by_bytes {
        return Ok(None);
    }
    let bytes = fs_err::read(&asset.source)?;
    let header = process::read_header(&bytes, &shown)?;
    Ok(Some(Entry {
        source: asset.source.clone(),
        shown,
        url: asset.path.clone(),
        key: process::cache_key(&bytes),
        width: header.width,
        height: header.height,
        encoding: header.encoding,
        kind: sniffed.unwrap_or(Kind::Jpeg),
        decoded_bytes: header.decoded_bytes,
    }))
}

/// Two images whose copies would be published under one name (`a.jpg` and `a.webp` both
/// give `a.480.jpg`) are an error naming both.
fn check_copy_names(entries: &[Entry]) -> Result<()> {
    let mut owners: HashMap<String, &Entry> = HashMap::new();
    let mut errors = Vec::new();
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.shown.cmp(&b.shown));
    for entry in sorted {
        for url in entry.copy_urls() {
            match owners.get(&url) {
                Some(first) if first.shown != entry.shown => {
                    errors.push(same_copy_name(first, entry, &url));
                    break;
                }
                _ => {
                    owners.insert(url, entry);
                }
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::from_many(errors)) }
}

fn same_copy_name(first: &Entry, second: &Entry, url: &str) -> Error {
    let folder = first.shown.parent().unwrap_or(Path::new("")).display().to_string();
    Error::at(
        &second.shown,
        None,
        msg!(
            "images.same_copy_name",
            first = first.shown.display(),
            second = second.shown.display(),
            folder = folder,
            url = url
        ),
    )
    .with_hint(msg!("images.same_copy_name.hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(width: u32, height: u32) -> Entry {
        Entry {
            source: PathBuf::new(),
            shown: PathBuf::new(),
            url: "/a/photo.jpeg".into(),
            key: String::new(),
            width,
            height,
            encoding: Encoding::Jpeg,
            kind: Kind::Jpeg,
            decoded_bytes: u64::from(width) * u64::from(height) * 3,
        }
    }

    #[test]
    fn never_upscales() {
        assert_eq!(entry(4000, 3000).widths(), [480, 960, 1440]);
        assert_eq!(entry(1000, 500).widths(), [480, 960, 1000]);
        assert_eq!(entry(300, 200).widths(), [300]);
        assert_eq!(entry(1440, 10).widths(), [480, 960, 1440]);
    }

    #[test]
    fn names_copies_by_width() {
        let e = entry(4000, 3000);
        assert_eq!(e.url_at(480), "/a/photo.480.jpg");
        assert_eq!(e.height_at(480), 360);
        assert_eq!(e.default_width(), 960);
        assert_eq!(entry(300, 200).default_width(), 300);
    }

    #[test]
    fn names_copies_of_a_file_without_extension_after_it() {
        let mut e = entry(300, 200);
        e.url = "/tin.tuc/anh".into();
        assert_eq!(e.url_at(300), "/tin.tuc/anh.300.jpg");
        e.url = "/a/.anh".into();
        assert_eq!(e.url_at(300), "/a/.anh.300.jpg");
    }
}
