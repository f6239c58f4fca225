//! `<img>` tags of rendered bodies turned into responsive ones for catalogued images.

use super::{Catalog, Entry};
use crate::base::text::escape_xml;

/// Attributes loa writes itself; the author's values for them are replaced.
const OWN: [&str; 7] = ["src", "srcset", "sizes", "width", "height", "loading", "decoding"];

/// `html` with every `<img>` whose `src` is a catalogued image given `srcset`, `sizes`,
/// `width`, `height`, `loading="lazy"` and `decoding="async"`; other tags are left as they are.
pub fn rewrite_html(html: &str, catalog: &Catalog, base_path: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let Some(length) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + length + 1];
        out.push_str(&rest[..start]);
        match entry_of(tag, catalog, base_path) {
            Some(entry) => out.push_str(&responsive(tag, entry, base_path)),
            None => out.push_str(tag),
        }
        rest = &rest[start + length + 1..];
    }
    out.push_str(rest);
    out
}

fn entry_of<'a>(tag: &str, catalog: &'a Catalog, base_path: &str) -> Option<&'a Entry> {
    let src = attributes(tag).into_iter().find(|(name, _)| name == "src")?.1;
    let src = unescape(&src);
    let path = src.strip_prefix(base_path).unwrap_or(&src);
    catalog.get(path).or_else(|| catalog.get(&percent_decode(path)))
}

fn responsive(tag: &str, entry: &Entry, base_path: &str) -> String {
    let url = |w: u32| escape_xml(&format!("{base_path}{}", entry.url_at(w)));
    let srcset: Vec<String> = entry.widths().iter().map(|w| format!("{} {w}w", url(*w))).collect();
    let largest = entry.largest_width();
    let mut out = format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{largest}\" height=\"{}\"",
        url(entry.default_width()),
        srcset.join(", "),
        super::SIZES,
        entry.height_at(largest)
    );
    for (name, value) in attributes(tag) {
        if !OWN.contains(&name.as_str()) {
            out.push_str(&format!(" {name}=\"{}\"", escape_xml(&unescape(&value))));
        }
    }
    out.push_str(" loading=\"lazy\" decoding=\"async\">");
    out
}

/// The attributes of a start tag, names lowercased, values as written (still escaped).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let mut chars = inner.char_indices().peekable();
    while chars.next_if(|(_, c)| !c.is_whitespace()).is_some() {}
    let mut found = Vec::new();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == '/').is_some() {}
        let Some(&(start, _)) = chars.peek() else { break };
        let mut end = start;
        while let Some((i, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=') {
            end = i + c.len_utf8();
        }
        let name = inner[start..end].to_ascii_lowercase();
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            found.push((name, String::new()));
            continue;
        }
        found.push((name, value(&mut chars)));
    }
    found
}

fn value(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> String {
    let quote = chars.next_if(|(_, c)| *c == '"' || *c == '\'').map(|(_, c)| c);
    let mut text = String::new();
    for (_, c) in chars.by_ref() {
        match quote {
            Some(q) if c == q => break,
            None if c.is_whitespace() => break,
            _ => text.push(c),
        }
    }
    text
}

/// Every value of attribute `name` in `html` (unescaped), for finding what pages use.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(length) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + length + 1];
        for (attribute, value) in attributes(tag) {
            if attribute == name {
                values.push(percent_decode(&unescape(&value)));
            }
        }
        rest = &rest[start + length + 1..];
    }
    values
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Decodes `%XX` escapes (pulldown-cmark percent-encodes non-ASCII file names).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_in_any_quoting() {
        let found = attributes(r#"<img src="/a b.png" alt='x "y"' hidden data-n=3 />"#);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["src", "alt", "hidden", "data-n"]);
        assert_eq!(found[0].1, "/a b.png");
        assert_eq!(found[1].1, "x \"y\"");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/%E1%BA%A3nh%20x.jpg"), "/ảnh x.jpg");
        assert_eq!(percent_decode("/100%"), "/100%");
    }

    #[test]
    fn finds_attribute_values() {
        let html = r#"<p><a href="/x.jpg?a=1&amp;b=2">x</a> <img src="/y.png"></p>"#;
        assert_eq!(attribute_values(html, "href"), ["/x.jpg?a=1&b=2"]);
        assert_eq!(attribute_values(html, "src"), ["/y.png"]);
    }
}
