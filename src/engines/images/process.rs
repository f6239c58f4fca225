//! Pixels: decoding within memory limits, EXIF orientation, resizing, re-encoding (which
//! drops every metadata block: EXIF, GPS, XMP, ICC, comments), and the cache of results.

use std::hash::Hasher;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::budget::{Budget, Permit};
use super::kind::Kind;
use super::{Encoding, Entry};
use crate::base::error::{Error, Result};

/// Bumped whenever processing changes, so that cached copies made the old way are not reused.
const SETTINGS: &str = "loa-images-1 480,960,1440 q80 full-q88 triangle";

/// What the header of an image says.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    /// Width after orientation.
    pub width: u32,
    /// Height after orientation.
    pub height: u32,
    /// How the resized copies are encoded.
    pub encoding: Encoding,
    /// Bytes of its decoded pixels.
    pub decoded_bytes: u64,
}

/// A content hash of the file with the processing settings, as 32 hex digits.
pub fn cache_key(bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    hasher.write(SETTINGS.as_bytes());
    hasher.write(bytes);
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&hasher).as_u128())
}

/// The error for a file that is not a JPEG, PNG or WebP image.
pub fn unsupported(shown: &Path) -> Error {
    Error::at(shown, None, msg!("images.unsupported")).with_hint(msg!("images.unsupported.hint"))
}

fn unreadable(shown: &Path, error: &ImageError) -> Error {
    if let ImageError::Limits(_) = error {
        return too_large(shown, None);
    }
    Error::at(shown, None, msg!("images.unreadable", detail = error))
        .with_hint(msg!("images.unreadable.hint"))
}

fn too_large(shown: &Path, size: Option<(u32, u32)>) -> Error {
    let size = size.map_or_else(String::new, |(w, h)| format!(" ({w}×{h})"));
    let max = super::MAX_PIXELS / 1_000_000;
    Error::at(shown, None, msg!("images.too_large", size = size, max = max))
        .with_hint(msg!("images.too_large.hint"))
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(super::MAX_PIXELS * 4 + (64 << 20));
    limits
}

/// A decoder for `bytes` within loa's limits, with the format it found.
fn decoder<'a>(bytes: &'a [u8], shown: &Path) -> Result<(impl ImageDecoder + 'a, ImageFormat)> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(shown, &ImageError::IoError(e)))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => f,
        _ => return Err(unsupported(shown)),
    };
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(shown, &e))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > super::MAX_PIXELS {
        return Err(too_large(shown, Some((width, height))));
    }
    decoder.set_limits(limits()).map_err(|e| unreadable(shown, &e))?;
    Ok((decoder, format))
}

/// Reads the size, orientation and kind of an image without decoding its pixels.
pub fn read_header(bytes: &[u8], shown: &Path) -> Result<Header> {
    let (mut decoder, format) = decoder(bytes, shown)?;
    let (width, height) = decoder.dimensions();
    let turned = decoder.orientation().map_err(|e| unreadable(shown, &e))?;
    let (width, height) = if swaps_sides(turned) { (height, width) } else { (width, height) };
    let encoding = match format {
        ImageFormat::Jpeg => Encoding::Jpeg,
        ImageFormat::WebP if !decoder.color_type().has_alpha() => Encoding::Jpeg,
        _ => Encoding::Png,
    };
    Ok(Header { width, height, encoding, decoded_bytes: decoder.total_bytes() })
}

fn swaps_sides(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// Decodes the whole image and turns it upright, once its pixels fit in `budget` (twice
/// their size: turning or resizing a photo makes a second buffer); the permit comes first so
/// that, dropped last, it is held while the pixels live.
fn decode<'b>(
    bytes: &[u8],
    shown: &Path,
    budget: &'b Budget,
) -> Result<(Permit<'b>, DynamicImage, ImageFormat)> {
    let (mut decoder, format) = decoder(bytes, shown)?;
    let permit = budget.take(decoder.total_bytes().saturating_mul(2));
    let orientation = decoder.orientation().map_err(|e| unreadable(shown, &e))?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(shown, &e))?;
    image.apply_orientation(orientation);
    Ok((permit, image, format))
}

/// Encodes pixels only: no metadata block is ever written.
fn encode(image: &DynamicImage, encoding: Encoding, quality: u8, shown: &Path) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let result = match encoding {
        Encoding::Jpeg => match image {
            DynamicImage::ImageRgb8(rgb) => {
                rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality))
            }
            other => {
                other.to_rgb8().write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality))
            }
        },
        Encoding::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Best,
            PngFilter::Adaptive,
        )),
    };
    result.map_err(|e| unreadable(shown, &e))?;
    Ok(out)
}

/// The cache file of one copy of an entry (`None`: the full-size copy).
pub fn cache_file(cache_dir: &Path, entry: &Entry, width: Option<u32>) -> PathBuf {
    match width {
        Some(w) => cache_dir.join(format!("{}.{w}.{}", entry.key, entry.encoding.extension())),
        None => cache_dir.join(format!("{}.full.{}", entry.key, entry.kind.extension())),
    }
}

/// The resized copies of an entry, from the cache or made now (and cached).
pub fn resized(cache_dir: &Path, entry: &Entry, budget: &Budget) -> Result<Vec<(u32, PathBuf)>> {
    let widths = entry.widths();
    let files: Vec<(u32, PathBuf)> =
        widths.iter().map(|w| (*w, cache_file(cache_dir, entry, Some(*w)))).collect();
    if files.iter().all(|(_, f)| f.is_file()) {
        return Ok(files);
    }
    let bytes = fs_err::read(&entry.source)?;
    let (_permit, mut image, _) = decode(&bytes, &entry.shown, budget)?;
    for (width, file) in files.iter().rev() {
        if image.width() != *width {
            image = image.resize_exact(*width, entry.height_at(*width), FilterType::Triangle);
        }
        let encoded = encode(&image, entry.encoding, super::JPEG_QUALITY, &entry.shown)?;
        store(file, &encoded)?;
    }
    Ok(files)
}

/// The full-size copy of an entry without metadata, for pages that link to the file itself.
pub fn full_size(cache_dir: &Path, entry: &Entry, budget: &Budget) -> Result<PathBuf> {
    let file = cache_file(cache_dir, entry, None);
    if file.is_file() {
        return Ok(file);
    }
    let bytes = fs_err::read(&entry.source)?;
    store(&file, &upright(&bytes, &entry.shown, budget)?)?;
    Ok(file)
}

/// The image upright and re-encoded in its own format (JPEG at quality 88, PNG, lossless
/// WebP), from pixels only.
fn upright(bytes: &[u8], shown: &Path, budget: &Budget) -> Result<Vec<u8>> {
    let (_permit, image, format) = decode(bytes, shown, budget)?;
    match format {
        ImageFormat::Jpeg => encode(&image, Encoding::Jpeg, super::FULL_JPEG_QUALITY, shown),
        ImageFormat::Png => encode(&image, Encoding::Png, 0, shown),
        _ => {
            let mut out = Vec::new();
            image
                .write_with_encoder(WebPEncoder::new_lossless(&mut out))
                .map_err(|e| unreadable(shown, &e))?;
            Ok(out)
        }
    }
}

/// A file published as it is, without its metadata when it is an image (recognised by its
/// bytes): `None` when it is no image and goes out unchanged. JPEG, PNG and WebP keep their
/// pixels byte for byte unless EXIF turns them, in which case they are turned upright and
/// re-encoded (the turn would go with the EXIF); GIFs are only stripped.
pub fn clean(bytes: &[u8], shown: &Path, budget: &Budget) -> Result<Option<Vec<u8>>> {
    let Some(kind) = super::kind::sniff(bytes) else { return Ok(None) };
    if kind == Kind::Refused {
        return Err(unsupported(shown));
    }
    if kind != Kind::Gif && is_turned(bytes, shown)? {
        return upright(bytes, shown, budget).map(Some);
    }
    strip(bytes, shown)
}

/// A file without its metadata when its bytes are an image (`None`: no image), its pixels
/// byte for byte; an EXIF turn goes with the EXIF (for files that should be upright already,
/// such as a theme's print and banner images: [`clean`] keeps the turn).
pub fn strip(bytes: &[u8], shown: &Path) -> Result<Option<Vec<u8>>> {
    let Some(kind) = super::kind::sniff(bytes) else { return Ok(None) };
    if kind == Kind::Refused {
        return Err(unsupported(shown));
    }
    let stripped = super::strip::strip(bytes, kind).map_err(|detail| {
        Error::at(shown, None, msg!("images.unreadable", detail = detail))
            .with_hint(msg!("images.unreadable.hint"))
    })?;
    Ok(Some(stripped))
}

/// Whether the image's EXIF orientation turns or flips it.
fn is_turned(bytes: &[u8], shown: &Path) -> Result<bool> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(shown, &ImageError::IoError(e)))?;
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(shown, &e))?;
    let orientation = decoder.orientation().map_err(|e| unreadable(shown, &e))?;
    Ok(orientation != image::metadata::Orientation::NoTransforms)
}

/// Writes a cache file atomically (a temporary file renamed), so that two builds never see half a file.
pub(crate) fn store(file: &Path, bytes: &[u8]) -> Result<()> {
    let folder = file.parent().expect("cache files sit in a folder");
    fs_err::create_dir_all(folder)?;
    let temporary = folder.join(format!(
        ".{}.{}.{:?}.tmp",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("image"),
        std::process::id(),
        std::thread::current().id()
    ));
    fs_err::write(&temporary, bytes)?;
    fs_err::rename(&temporary, file)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_11_a_decoded_photo_holds_twice_its_pixels_of_the_budget_while_it_lives() {
        let pixels = image::RgbImage::from_pixel(100, 50, image::Rgb([10, 20, 30]));
        let mut bytes = Cursor::new(Vec::new());
        pixels.write_to(&mut bytes, ImageFormat::Jpeg).unwrap();
        let budget = Budget::new(1 << 20);
        let (permit, image, _) = decode(bytes.get_ref(), Path::new("a.jpg"), &budget).unwrap();
        assert_eq!(image.width(), 100);
        assert_eq!(budget.free(), (1 << 20) - 2 * 100 * 50 * 3);
        drop(permit);
        assert_eq!(budget.free(), 1 << 20);
    }
}
