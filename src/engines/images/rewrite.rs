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
    let src =
        crate::base::html::start_tag_attributes(tag).into_iter().find(|(name, _)| name == "src")?.1;
    let src = unescape(&src);
    let path = src.strip_prefix(base_path).unwrap_or(&src);
    catalog.get(path).or_else(|| catalog.get(crate::base::percent::decode(path).as_ref()))
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
    for (name, value) in crate::base::html::start_tag_attributes(tag) {
        if !OWN.contains(&name.as_str()) {
            out.push_str(&format!(" {name}=\"{}\"", escape_xml(&unescape(&value))));
        }
    }
    out.push_str(" loading=\"lazy\" decoding=\"async\">");
    out
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
