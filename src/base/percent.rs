//! Percent-encoding, in one place and from the `percent-encoding` crate: URL paths (which keep
//! letters outside ASCII readable, as IRIs do), query components, and decoding.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC};

/// What may not stand in a URL path as written in HTML: controls, space, `"`, `#`, `%`, `?`.
const PATH: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?');

/// Everything but the unreserved characters, for a value inside a query string.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A URL path with what may not stand in it encoded; letters outside ASCII stay as written.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while !rest.is_empty() {
        let ascii = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        out.extend(percent_encoding::utf8_percent_encode(&rest[..ascii], PATH));
        rest = &rest[ascii..];
        let other = rest.find(|c: char| c.is_ascii()).unwrap_or(rest.len());
        out.push_str(&rest[..other]);
        rest = &rest[other..];
    }
    out
}

/// A value encoded for a query string: everything but letters, digits and `-_.~`.
pub fn encode_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
}

/// `%XX` escapes decoded; the text as it is when they do not decode to UTF-8.
pub fn decode(text: &str) -> Cow<'_, str> {
    decode_utf8(text).unwrap_or(Cow::Borrowed(text))
}

/// `%XX` escapes decoded, or `None` when they do not decode to UTF-8.
pub fn decode_utf8(text: &str) -> Option<Cow<'_, str>> {
    percent_encoding::percent_decode_str(text).decode_utf8().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_only_what_may_not_stand_in_them() {
        assert_eq!(encode_path("/ảnh cũ #1?.jpg"), "/ảnh%20cũ%20%231%3F.jpg");
        assert_eq!(encode_path("100% \"x\"\tz"), "100%25%20%22x%22%09z");
        assert_eq!(encode_path("/a/b-c_d.png"), "/a/b-c_d.png");
        assert_eq!(encode_path(""), "");
    }

    #[test]
    fn components_keep_only_unreserved_characters() {
        assert_eq!(
            encode_component("https://x.vn/a b?c=d&e"),
            "https%3A%2F%2Fx.vn%2Fa%20b%3Fc%3Dd%26e"
        );
        assert_eq!(encode_component("Gọi-111_~."), "G%E1%BB%8Di-111_~.");
    }

    #[test]
    fn decoding_keeps_text_that_is_not_an_escape_or_not_utf8() {
        assert_eq!(decode("/%E1%BA%A3nh%20x.jpg"), "/ảnh x.jpg");
        assert_eq!(decode("/100%"), "/100%");
        assert_eq!(decode("/%zz"), "/%zz");
        assert_eq!(decode("/%FF"), "/%FF");
        assert_eq!(decode_utf8("/%FF"), None);
        assert_eq!(decode_utf8("/a%2Fb").as_deref(), Some("/a/b"));
    }
}
