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
    let mut folded = String::with_capacity(text.len());
    let mut keep = |c: char| match c {
        'đ' => folded.push('d'),
        'Đ' => folded.push('D'),
        c if !is_combining_mark(c) => folded.push(c),
        _ => {}
    };
    for c in text.chars() {
        if c.is_ascii() {
            keep(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, &mut keep);
        }
    }
    folded
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

    /// The plain definition: decompose, drop the marks, make `đ` a `d`.
    fn fold_by_definition(text: &str) -> String {
        let map = |c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        };
        text.nfd().filter(|c| !is_combining_mark(*c)).map(map).collect()
    }

    #[test]
    fn folds_vietnamese_marks_and_d() {
        let text = "Đường dây nóng 111: Hỗ trợ nạn nhân, ngày 30/7 — Cơ Tu, Nga\u{300}y";
        assert_eq!(
            fold_to_ascii(text),
            "Duong day nong 111: Ho tro nan nhan, ngay 30/7 — Co Tu, Ngay"
        );
    }

    proptest::proptest! {
        #[test]
        fn folding_agrees_with_its_definition(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(fold_to_ascii(&text), fold_by_definition(&text));
        }
    }

    #[test]
    fn can_normalize_bom_crlf_and_nfd() {
        let nfd = "\u{feff}Nga\u{300}y\r\nmo\u{31b}\u{301}i";
        assert_eq!(normalize_source(nfd), "Ngày\nmới");
    }
}
