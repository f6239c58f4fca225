//! Text clean-up shared by every stage: input normalisation and slugs.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Source text as every stage expects it: no BOM, `\n` line ends, NFC.
pub fn normalize_source(raw: &str) -> String {
    let text = raw.trim_start_matches('\u{feff}');
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        text.nfc().collect()
    }
}

/// NFC form of a short string such as a file name.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// `path` relative to `base`, with `/` separators and NFC (macOS saves names as NFD).
pub fn relative_slash_path(base: &std::path::Path, path: &std::path::Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    nfc(&relative.to_string_lossy().replace('\\', "/"))
}

/// A URL slug folded to ASCII the Vietnamese way: `Đà Nẵng` → `da-nang`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in fold_to_ascii(text).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Text with Vietnamese tones and marks removed and `đ` made `d`; case is kept.
pub fn fold_to_ascii(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_fold_vietnamese_slugs() {
        assert_eq!(slugify("Đà Nẵng"), "da-nang");
        assert_eq!(slugify("Mua bán người: cảnh giác!"), "mua-ban-nguoi-canh-giac");
        assert_eq!(slugify("  Ngày 30/7  "), "ngay-30-7");
        assert_eq!(slugify("Cơ Tu"), "co-tu");
        assert_eq!(slugify("ĐƯỜNG DÂY NÓNG"), "duong-day-nong");
    }

    #[test]
    fn can_normalize_bom_crlf_and_nfd() {
        let nfd = "\u{feff}Nga\u{300}y\r\nmo\u{31b}\u{301}i";
        assert_eq!(normalize_source(nfd), "Ngày\nmới");
    }
}
