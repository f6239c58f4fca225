//! Naming the legacy Vietnamese encoding of a file that is not UTF-8: Windows-1258 (Word and
//! Notepad on Vietnamese Windows) and TCVN3, also called ABC (the `.Vn` fonts).
//!
//! The bytes are decoded with each candidate and the words holding letters beyond ASCII are
//! checked against the shape of a Vietnamese syllable (onset, vowels, final consonant, at most
//! one tone). Text in another language decodes to words that are not syllables, so it is not
//! misnamed. Source files are read here too: as UTF-8, normalised, or with an error naming
//! the encoding they seem to be in.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::base::error::{Error, Position, Result};

/// A legacy encoding loa can recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// Windows-1258, with tones often stored as combining marks.
    Windows1258,
    /// TCVN3 (TCVN 5712:1993 VN3, "ABC"): lower-case letters with tones in single bytes.
    Tcvn3,
}

impl Legacy {
    /// The name staff see in their editor's encoding menu.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Windows1258 => "Windows-1258",
            Legacy::Tcvn3 => "TCVN3 (ABC)",
        }
    }
}

/// Bytes 0xA1..=0xFF of TCVN3; `\0` where the code is unused.
const TCVN3_HIGH: [char; 95] = [
    'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', '\0', // A1–AF
    '\0', '\0', '\0', '\0', '\0', 'à', 'ả', 'ã', 'á', 'ạ', '\0', 'ằ', 'ẳ', 'ẵ', 'ắ',
    '\0', // B0–BF
    '\0', '\0', '\0', '\0', '\0', '\0', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', '\0', 'ẻ',
    'ẽ', // C0–CF
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', '\0', '\0', '\0', 'ĩ', 'í', 'ị',
    'ò', // D0–DF
    '\0', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ',
    'ù', // E0–EF
    '\0', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ',
    '\0', // F0–FF
];

/// The share of words with letters beyond ASCII that must read as Vietnamese syllables.
const SYLLABLE_SHARE: f64 = 0.8;
/// Fewer words with letters beyond ASCII than this are too little evidence to name an encoding.
const MIN_WORDS: usize = 3;

/// The legacy encoding `bytes` look like, if any.
pub fn detect(bytes: &[u8]) -> Option<Legacy> {
    let candidates =
        [(Legacy::Windows1258, decode_windows_1258(bytes)), (Legacy::Tcvn3, decode_tcvn3(bytes))];
    candidates
        .into_iter()
        .filter_map(|(legacy, text)| Some((legacy, syllable_share(&text?)?)))
        .filter(|(_, share)| *share >= SYLLABLE_SHARE)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(legacy, _)| legacy)
}

/// `bytes` read as Windows-1258, or `None` if a byte is unmapped.
pub fn decode_windows_1258(bytes: &[u8]) -> Option<String> {
    let (text, _, malformed) = encoding_rs::WINDOWS_1258.decode(bytes);
    (!malformed).then(|| text.nfc().collect())
}

/// `bytes` read as TCVN3, or `None` if a byte is unused in it.
pub fn decode_tcvn3(bytes: &[u8]) -> Option<String> {
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7F => Some(char::from(b)),
            0xA1..=0xFF => TCVN3_HIGH.get(usize::from(b - 0xA1)).copied().filter(|&c| c != '\0'),
            _ => None,
        })
        .collect()
}

/// Of the words with letters beyond ASCII, the share that are Vietnamese syllables.
fn syllable_share(text: &str) -> Option<f64> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic() && !is_tone(c) && !is_modifier(c))
        .filter(|w| !w.is_ascii())
        .collect();
    if words.len() < MIN_WORDS {
        return None;
    }
    let good = words.iter().filter(|w| is_syllable(w)).count();
    Some(good as f64 / words.len() as f64)
}

/// Combining tone marks: grave, acute, tilde, hook above, dot below.
fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Combining marks that make Vietnamese letters: circumflex, breve, horn.
fn is_modifier(c: char) -> bool {
    matches!(c, '\u{302}' | '\u{306}' | '\u{31B}')
}

const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];
const CODAS: [&str; 8] = ["ch", "ng", "nh", "c", "m", "n", "p", "t"];
const VOWELS: &str = "aăâeêioôơuưy";

/// Whether `word` has the shape of one Vietnamese syllable with at most one tone.
fn is_syllable(word: &str) -> bool {
    let lower = word.to_lowercase();
    if lower.nfd().filter(|&c| is_tone(c)).count() > 1 {
        return false;
    }
    let bare: String = lower.nfd().filter(|&c| !is_tone(c)).nfc().collect();
    let rest = ONSETS.iter().find_map(|o| bare.strip_prefix(o)).unwrap_or(&bare);
    let rest = CODAS.iter().find_map(|c| rest.strip_suffix(c)).unwrap_or(rest);
    (1..=3).contains(&rest.chars().count()) && rest.chars().all(|c| VOWELS.contains(c))
}

/// Reads a text source as UTF-8 and normalises it (BOM, CRLF, NFC); `shown` is the path in messages.
pub fn read_source(path: &Path, shown: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(shown, &e))?;
    read_source_bytes(&bytes, shown)
}

/// Source bytes as normalised text, or an error at the first byte that is not UTF-8.
pub fn read_source_bytes(bytes: &[u8], shown: &Path) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(crate::base::text::normalize_source(text)),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let hint = match crate::base::encoding::detect(bytes) {
                Some(crate::base::encoding::Legacy::Tcvn3) => msg!("content.tcvn3.hint"),
                Some(legacy) => msg!("content.legacy_encoding.hint", encoding = legacy.name()),
                None => msg!("content.not_utf8.hint"),
            };
            Err(Error::at(
                shown,
                Some(Position::of_offset(valid, valid.len())),
                msg!("content.not_utf8", offset = e.valid_up_to()),
            )
            .with_hint(hint))
        }
    }
}

/// A file that vanished or may not be read, named by its path in the site.
pub fn unreadable(shown: &Path, error: &dyn std::fmt::Display) -> Error {
    Error::at(shown, None, msg!("content.unreadable", detail = error))
        .with_hint(msg!("content.unreadable.hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_1258_with_combining_tones() {
        // "Phòng chống mua bán người" as Word saves it, tones as combining marks.
        let bytes = b"Pho\xccng ch\xf4\xecng mua b\xe1n ng\xfd\xf5\xcci";
        assert_eq!(decode_windows_1258(bytes).as_deref(), Some("Phòng chống mua bán người"));
        assert_eq!(detect(bytes), Some(Legacy::Windows1258));
    }

    #[test]
    fn names_tcvn3() {
        // "Phòng chống mua bán người" in TCVN3.
        let bytes = b"Ph\xdfng ch\xe8ng mua b\xb8n ng\xad\xeai";
        assert_eq!(decode_tcvn3(bytes).as_deref(), Some("Phòng chống mua bán người"));
        assert_eq!(detect(bytes), Some(Legacy::Tcvn3));
    }

    #[test]
    fn does_not_name_latin_1_text() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Grüße aus Köln, naïve crème brûlée");
        assert_eq!(detect(&bytes), None);
        assert_eq!(detect(b"\xff\xfe\x00\x01"), None);
        assert_eq!(detect(b"title: Vi\xeat Nam"), None, "one word is too little evidence");
    }

    #[test]
    fn recognises_syllables() {
        for word in ["người", "nghiêng", "quốc", "Đường", "khuya", "ạ"] {
            assert!(is_syllable(word), "{word}");
        }
        for word in ["grüße", "köln", "naïve", "crème", "ngườií"] {
            assert!(!is_syllable(word), "{word}");
        }
    }
}
