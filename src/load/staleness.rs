//! Translation stamps: whether a translation was made from the current version of its source.

use std::path::Path;

use crate::base::error::{Error, Result};

/// The front matter key holding a translation's stamp.
pub const STAMP_KEY: &str = "translated_from";

/// A short, stable fingerprint of a source's title and body (NFC, trimmed): 64-bit FNV-1a in hex.
///
/// FNV-1a is enough here: the stamp detects edits, it does not defend against forgery.
pub fn stamp(title: &str, body: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!(
        "{}\n{}",
        crate::base::text::nfc(title.trim()),
        crate::base::text::nfc(body.trim())
    );
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")[..12].to_owned()
}

/// The stamp of the source file at `path` (front matter title and body), as `loa` computes it.
pub fn stamp_of_file(path: &Path, shown: &Path) -> Result<String> {
    let text = crate::base::encoding::read_source(path, shown)?;
    let split = crate::load::front_matter::split(&text, shown)?;
    let front = crate::load::front_matter::parse(
        split.front,
        shown,
        split.front_line_offset,
        crate::base::dates::default_offset(),
    )?;
    Ok(stamp(&front.title, split.body))
}

/// The state of a translation compared with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Freshness {
    /// Stamped from the current source.
    Current,
    /// Stamped from an older version of the source.
    Outdated,
    /// Never stamped, so its age is unknown.
    Unstamped,
}

/// Compares a translation's stamp with its source's current stamp.
pub fn freshness(translation_stamp: Option<&str>, source_stamp: &str) -> Freshness {
    match translation_stamp.map(str::trim) {
        None | Some("") => Freshness::Unstamped,
        Some(stamp) if stamp == source_stamp => Freshness::Current,
        Some(_) => Freshness::Outdated,
    }
}

/// `original` (the raw bytes of a translation file) with `translated_from: <stamp>` set in its
/// front matter; every other byte is kept, including a BOM and CRLF line ends.
pub fn with_stamp(original: &str, stamp: &str, shown: &Path) -> Result<String> {
    let newline = if original.contains("\r\n") { "\r\n" } else { "\n" };
    let bom = if original.starts_with('\u{feff}') { "\u{feff}" } else { "" };
    let text = &original[bom.len()..];
    let opening = format!("---{newline}");
    if !text.starts_with(&opening) {
        return Err(Error::at(
            shown,
            Some(crate::base::error::Position::new(1, 1)),
            msg!("front_matter.missing"),
        )
        .with_hint(msg!("front_matter.missing.hint")));
    }
    let mut offset = opening.len();
    let mut insert_at = None;
    for line in text[offset..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        if content.trim_end() == "---" {
            insert_at = Some(offset);
            break;
        }
        if let Some(rest) = content.strip_prefix(STAMP_KEY)
            && rest.trim_start().starts_with(':')
        {
            let replaced = format!("{STAMP_KEY}: \"{stamp}\"");
            return Ok(format!(
                "{bom}{}{replaced}{}",
                &text[..offset],
                &text[offset + content.len()..]
            ));
        }
        offset += line.len();
    }
    let Some(at) = insert_at else {
        return Err(Error::at(
            shown,
            Some(crate::base::error::Position::new(1, 1)),
            msg!("front_matter.unclosed"),
        )
        .with_hint(msg!("front_matter.unclosed.hint")));
    };
    Ok(format!("{bom}{}{STAMP_KEY}: \"{stamp}\"{newline}{}", &text[..at], &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_short_stable_and_change_with_the_source() {
        let a = stamp("Tiêu đề", "Nội dung\n");
        assert_eq!(a.len(), 12);
        assert_eq!(a, stamp("Tiêu đề ", "Nội dung"));
        assert_eq!(
            a,
            stamp("Tie\u{302}u \u{111}e\u{302}\u{300}", "Nội dung"),
            "NFD and NFC give one stamp"
        );
        assert_ne!(a, stamp("Tiêu đề", "Nội dung mới"));
    }

    #[test]
    fn can_insert_a_stamp_keeping_every_other_byte() {
        let original = "\u{feff}---\r\ntitle: A\r\n---\r\n\r\nBody\r\n";
        let stamped = with_stamp(original, "abc", Path::new("a.md")).unwrap();
        assert_eq!(
            stamped,
            "\u{feff}---\r\ntitle: A\r\ntranslated_from: \"abc\"\r\n---\r\n\r\nBody\r\n"
        );
    }

    #[test]
    fn can_replace_an_existing_stamp() {
        let original = "---\ntitle: A\ntranslated_from: old # note\ndate: 2024-01-01\n---\nBody\n";
        let stamped = with_stamp(original, "new", Path::new("a.md")).unwrap();
        assert_eq!(
            stamped,
            "---\ntitle: A\ntranslated_from: \"new\"\ndate: 2024-01-01\n---\nBody\n"
        );
    }

    #[test]
    fn knows_freshness() {
        assert_eq!(freshness(None, "a"), Freshness::Unstamped);
        assert_eq!(freshness(Some("a"), "a"), Freshness::Current);
        assert_eq!(freshness(Some("b"), "a"), Freshness::Outdated);
    }
}
