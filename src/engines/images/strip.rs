//! Metadata taken out of an image without touching its pixels: the image's own blocks are
//! kept byte for byte and every block that could say who, where or with what is dropped
//! (EXIF with its GPS position, XMP, IPTC, ICC profiles, comments, text chunks, data after
//! the image's end). Used for files published as they are (`static/`, GIFs, Typst's inputs).

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;

use super::kind::Kind;

/// JPEG segments kept: everything but APP1–APP13, APP15 and comments (APP0 is JFIF, APP14
/// Adobe's colour transform, which decoders need).
fn keeps_jpeg_segment(marker: u8) -> bool {
    !matches!(marker, markers::APP1..=markers::APP13 | markers::APP15 | markers::COM)
}

/// PNG chunks kept: the image, its transparency, colour and pixel size, and APNG frames.
const PNG_CHUNKS: [&[u8; 4]; 14] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

/// WebP chunks kept: the image, its alpha and animation.
const WEBP_CHUNKS: [&[u8; 4]; 6] = [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"];

/// The VP8X flags that announce ICC, EXIF and XMP chunks.
const VP8X_METADATA_FLAGS: u8 = 0x20 | 0x08 | 0x04;

/// `bytes` (an image of `kind`) without metadata; `Err` carries what was wrong with the file.
pub fn strip(bytes: &[u8], kind: Kind) -> Result<Vec<u8>, String> {
    match kind {
        Kind::Jpeg => strip_jpeg(bytes),
        Kind::Png => strip_png(bytes),
        Kind::WebP => strip_webp(bytes),
        Kind::Gif => strip_gif(bytes),
        Kind::Refused => Err("not an image loa publishes".into()),
    }
}

/// img-parts reads the segments up to the first scan and keeps the rest of the file as that
/// scan's data, which holds the later scans of a progressive JPEG and anything after the end
/// marker (phones append further images there, with their own EXIF): that part is walked here.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| e.to_string())?;
    let segments = jpeg.segments_mut();
    segments.retain(|s| keeps_jpeg_segment(s.marker()));
    if let Some(scan) = segments.last_mut().filter(|s| s.has_entropy()) {
        let encoded = scan.clone().encoder().bytes();
        let cleaned = Bytes::from(strip_scans(encoded.get(scan.len()..).unwrap_or_default()));
        *scan = JpegSegment::new_with_entropy(scan.marker(), scan.contents().clone(), cleaned);
    }
    Ok(jpeg.encoder().bytes().to_vec())
}

/// The compressed data from the first scan on, up to and with the end marker, without the
/// metadata segments met between scans.
fn strip_scans(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut at = 0;
    while at < data.len() {
        let marker = data.get(at + 1).copied();
        match (data[at], marker) {
            (0xFF, Some(markers::EOI)) => {
                out.extend_from_slice(&data[at..at + 2]);
                return out;
            }
            (0xFF, Some(m)) if m != 0x00 && m != 0xFF && !(0xD0..=0xD7).contains(&m) => {
                let length =
                    data.get(at + 2..at + 4).map_or(0, |l| u16::from_be_bytes([l[0], l[1]]));
                let end = (at + 2 + usize::from(length)).min(data.len());
                if keeps_jpeg_segment(m) {
                    out.extend_from_slice(&data[at..end]);
                }
                at = end;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    out
}

fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| e.to_string())?;
    png.chunks_mut().retain(|c| PNG_CHUNKS.contains(&&c.kind()));
    Ok(png.encoder().bytes().to_vec())
}

fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| e.to_string())?;
    let chunks = webp.chunks_mut();
    chunks.retain(|c| WEBP_CHUNKS.contains(&&c.id()));
    for chunk in chunks.iter_mut().filter(|c| &c.id() == b"VP8X") {
        if let Some(data) = chunk.content().data() {
            let mut flags = data.to_vec();
            if let Some(first) = flags.first_mut() {
                *first &= !VP8X_METADATA_FLAGS;
            }
            *chunk = RiffChunk::new(*b"VP8X", RiffContent::Data(Bytes::from(flags)));
        }
    }
    Ok(webp.encoder().bytes().to_vec())
}

/// GIF extension labels kept: graphic control (frame timing, transparency) and plain text.
const GIF_KEPT_EXTENSIONS: [u8; 2] = [0xF9, 0x01];

/// Application extensions kept: animation looping (NETSCAPE2.0 and its twin ANIMEXTS1.0).
const GIF_KEPT_APPLICATIONS: [&[u8; 11]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

/// A GIF without comment extensions and application extensions (XMP, ICC, …) but looping,
/// and without anything after its trailer.
fn strip_gif(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let truncated = || "the GIF is cut short".to_owned();
    let screen = bytes.get(6..13).ok_or_else(truncated)?;
    let mut at = 13 + color_table_len(screen[4]);
    let mut out = bytes.get(..at).ok_or_else(truncated)?.to_vec();
    loop {
        match *bytes.get(at).ok_or_else(truncated)? {
            0x3B => {
                out.push(0x3B);
                return Ok(out);
            }
            0x2C => {
                let descriptor = bytes.get(at..at + 10).ok_or_else(truncated)?;
                let header = at + 10 + color_table_len(descriptor[9]) + 1;
                let end = sub_blocks_end(bytes, header).ok_or_else(truncated)?;
                out.extend_from_slice(&bytes[at..end]);
                at = end;
            }
            0x21 => {
                let label = *bytes.get(at + 1).ok_or_else(truncated)?;
                let end = sub_blocks_end(bytes, at + 2).ok_or_else(truncated)?;
                if keeps_gif_extension(label, &bytes[at + 2..end]) {
                    out.extend_from_slice(&bytes[at..end]);
                }
                at = end;
            }
            other => return Err(format!("unknown GIF block 0x{other:02X}")),
        }
    }
}

fn keeps_gif_extension(label: u8, blocks: &[u8]) -> bool {
    match label {
        0xFF => blocks
            .get(1..12)
            .is_some_and(|id| GIF_KEPT_APPLICATIONS.iter().any(|kept| kept.as_slice() == id)),
        _ => GIF_KEPT_EXTENSIONS.contains(&label),
    }
}

/// The size of the colour table a GIF packed-fields byte announces.
fn color_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 { 0 } else { 3 << ((packed & 0x07) + 1) }
}

/// Where the data sub-blocks starting at `at` end (after their zero-length terminator).
fn sub_blocks_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let size = usize::from(*bytes.get(at)?);
        at += 1 + size;
        if size == 0 {
            return Some(at);
        }
        if at > bytes.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 GIF89a with a global colour table, a comment, XMP, a loop extension and trailing bytes.
    fn gif_with_metadata() -> Vec<u8> {
        let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        gif.extend([0, 0, 0, 255, 255, 255]);
        gif.extend(b"\x21\xFE\x0BSecret note\x00");
        gif.extend(b"\x21\xFF\x0BXMP DataXMP\x0A<x:xmpmeta\x00");
        gif.extend(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00");
        gif.extend(b"\x21\xF9\x04\x00\x00\x00\x00\x00");
        gif.extend(b"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00");
        gif.extend(b"\x3BGPS 15.58N");
        gif
    }

    fn holds(bytes: &[u8], needle: &[u8]) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_gif_loses_its_comment_xmp_and_trailing_bytes_but_keeps_its_frames_and_loop() {
        let gif = gif_with_metadata();
        let stripped = strip(&gif, Kind::Gif).unwrap();
        for gone in [&b"Secret note"[..], b"xmpmeta", b"XMP DataXMP", b"GPS"] {
            assert!(!holds(&stripped, gone), "{gone:?} kept");
        }
        for kept in [&b"NETSCAPE2.0"[..], b"\x21\xF9\x04", b"\x2C\x00\x00\x00\x00\x01\x00"] {
            assert!(holds(&stripped, kept), "{kept:?} lost");
        }
        assert_eq!(stripped.last(), Some(&0x3B));
        let again = strip(&stripped, Kind::Gif).unwrap();
        assert_eq!(again, stripped, "stripping is idempotent");
    }

    #[test]
    fn a_cut_short_gif_is_an_error_not_a_panic() {
        let gif = gif_with_metadata();
        for length in [0, 5, 13, 20, 30, 60, gif.len() - 12] {
            assert!(strip(&gif[..length], Kind::Gif).is_err(), "length {length}");
        }
    }

    fn plain_jpeg() -> Vec<u8> {
        let pixels =
            image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 15, y as u8 * 30, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        pixels.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    #[test]
    fn finding_2_a_jpeg_keeps_its_bytes_but_loses_exif_comments_and_what_follows_its_end() {
        let plain = plain_jpeg();
        let exif = b"\xFF\xE1\x00\x12Exif\0\0SecretCam\0";
        let comment = b"\xFF\xFE\x00\x0815.58N";
        let appended = b"\xFF\xD8\xFF\xE1\x00\x12Exif\0\0SecretCam\0\xFF\xD9";
        let dirty = [&plain[..2], exif, comment, &plain[2..], appended].concat();
        let stripped = strip(&dirty, Kind::Jpeg).unwrap();
        assert!(!holds(&stripped, b"SecretCam") && !holds(&stripped, b"15.58N"));
        assert_eq!(stripped, plain, "the image's own segments are kept byte for byte");
        let scan = plain.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let between =
            [&plain[..scan + 2], &plain[scan + 2..plain.len() - 2], exif, b"\xFF\xD9"].concat();
        assert!(
            !holds(&strip(&between, Kind::Jpeg).unwrap(), b"SecretCam"),
            "segments after a scan"
        );
    }

    #[test]
    fn a_jpeg_loses_every_app_segment_but_jfif_and_adobe() {
        assert!(keeps_jpeg_segment(markers::APP0));
        assert!(keeps_jpeg_segment(markers::APP14));
        assert!(keeps_jpeg_segment(markers::DQT));
        assert!(keeps_jpeg_segment(markers::SOS));
        for dropped in [markers::APP1, markers::APP2, markers::APP13, markers::APP15, markers::COM]
        {
            assert!(!keeps_jpeg_segment(dropped), "{dropped:02X}");
        }
    }
}
