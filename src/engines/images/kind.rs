//! What kind of image a file is, from its first bytes rather than its name, so that a
//! `.jfif`, `.jpe`, `.JPG`, extension-less or misnamed photo is still treated as a photo.

use std::io::Read;
use std::path::Path;

/// How many bytes [`sniff`] needs to tell every kind apart.
pub const SNIFF_LEN: usize = 16;

/// An image format recognised by its magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG.
    Png,
    /// WebP (`RIFF....WEBP`).
    WebP,
    /// GIF87a or GIF89a.
    Gif,
    /// A camera format loa refuses (TIFF, HEIC/HEIF, AVIF): it carries metadata loa cannot strip.
    Refused,
}

impl Kind {
    /// The usual file extension of the kind (for names given to Typst).
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::WebP => "webp",
            Kind::Gif => "gif",
            Kind::Refused => "bin",
        }
    }
}

/// The kind of image `bytes` start with, if they start like one.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF") {
        Some(Kind::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Kind::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(&b"WEBP"[..]) {
        Some(Kind::WebP)
    } else if starts(b"II*\0") || starts(b"MM\0*") || is_heif(bytes) {
        Some(Kind::Refused)
    } else {
        None
    }
}

/// ISO base media files whose brand is an image one (HEIC, HEIF, AVIF).
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8]; 8] =
        [b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif"];
    bytes.get(4..8) == Some(&b"ftyp"[..]) && bytes.get(8..12).is_some_and(|b| BRANDS.contains(&b))
}

/// The kind of image the file at `path` is, from its first bytes (`None`: not an image, or
/// not readable, which the copy that follows reports).
pub fn sniff_file(path: &Path) -> Option<Kind> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    let file = std::fs::File::open(path).ok()?;
    file.take(SNIFF_LEN as u64).read_to_end(&mut head).ok()?;
    sniff(&head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_images_by_their_magic_numbers() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Some(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(Kind::Png));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Some(Kind::Gif));
        assert_eq!(sniff(b"GIF87a\x01\0\x01\0"), Some(Kind::Gif));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(Kind::WebP));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Kind::Refused));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic"), Some(Kind::Refused));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom"), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
        assert_eq!(sniff(b""), None);
    }
}
