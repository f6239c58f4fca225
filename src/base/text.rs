//! Text clean-up shared by every stage: input normalisation, slugs, and escaping for XML and HTML.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Source text as every stage expects it: no BOM, `\n` line ends, NFC, and a space for each
/// character XML forbids (see [`is_forbidden_in_xml`]), so that lines and columns stay put.
pub fn normalize_source(raw: &str) -> String {
    let text = raw.trim_start_matches('\u{feff}');
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    let text = if text.contains(is_forbidden_in_xml) {
        text.replace(is_forbidden_in_xml, " ")
    } else {
        text
    };
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        text.nfc().collect()
    }
}

/// Whether XML 1.0 forbids `c` in a document: C0 controls other than tab, line feed and
/// carriage return, and the non-characters U+FFFE and U+FFFF. A vertical tab, which Word's
/// Shift+Enter leaves in pasted text, is one of them.
pub fn is_forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Text escaped for XML and for HTML text and attribute values, characters XML forbids
/// dropped: every XML writer (feeds, sitemap, SSML, templates) goes through it.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Writes `text` as [`escape_xml`] gives it; the escape function of loa's Tera templates.
pub fn write_escaped_xml(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape_xml(text).as_bytes())
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if is_forbidden_in_xml(c) => {}
        other => out.push(other),
    }
}

/// What a character XML forbids is, said so that an author can find it (`U+000B`).
pub fn control_code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// NFC form of a short string such as a file name.
pub fn nfc(text: &str) -> String {
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
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
    fn finding_5_xml_escaping_drops_what_xml_forbids() {
        assert_eq!(
            escape_xml("Gọi\u{b}111 <&\"'>\u{0}\u{1f}\u{fffe}\tx\n"),
            "Gọi111 &lt;&amp;&quot;&#39;&gt;\tx\n"
        );
        assert_eq!(normalize_source("a\u{b}b\u{c}c\u{7f}"), "a b c\u{7f}");
    }

    /// Reads `<t a="…">…</t>` with quick-xml: the attribute value and the text, unescaped.
    fn read_back(xml: &str) -> Result<(String, String), String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut attribute, mut text) = (None, String::new());
        loop {
            match reader.read_event().map_err(|e| e.to_string())? {
                Event::Start(start) => {
                    let a = start.try_get_attribute("a").map_err(|e| e.to_string())?;
                    let value =
                        a.ok_or("no attribute")?.unescape_value().map_err(|e| e.to_string())?;
                    attribute = Some(value.into_owned());
                }
                Event::Text(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
                Event::GeneralRef(r) => {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let c = match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "#39" => "'",
                        other => return Err(format!("unknown reference {other}")),
                    };
                    text.push_str(c);
                }
                Event::End(_) => {}
                Event::Eof => break,
                other => return Err(format!("unexpected {other:?}")),
            }
        }
        Ok((attribute.ok_or("no element")?, text))
    }

    proptest::proptest! {
        #[test]
        fn finding_5_any_text_escaped_is_well_formed_xml_in_elements_and_attributes(
            text in "(\\PC|[\u{0}-\u{1f}<>&\"'\u{7f}-\u{9f}\u{fffe}\u{ffff}])*"
        ) {
            let escaped = escape_xml(&text);
            proptest::prop_assert!(!escaped.contains(is_forbidden_in_xml));
            let xml = format!("<t a=\"{escaped}\">{escaped}</t>");
            let expected: String = text.chars().filter(|c| !is_forbidden_in_xml(*c)).collect();
            let (attribute, content) = read_back(&xml).map_err(|e| {
                proptest::test_runner::TestCaseError::fail(format!("{e}: {xml:?}"))
            })?;
            proptest::prop_assert_eq!(&attribute, &expected);
            proptest::prop_assert_eq!(&content, &expected);
        }
    }

    #[test]
    fn can_normalize_bom_crlf_and_nfd() {
        let nfd = "\u{feff}Nga\u{300}y\r\nmo\u{31b}\u{301}i";
        assert_eq!(normalize_source(nfd), "Ngày\nmới");
    }
}
