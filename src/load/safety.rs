//! What authors may publish: link destinations with safe schemes only, and raw HTML through an
//! allowlist sanitiser (ammonia), each removal reported with its place.
//!
//! Shortcode output is the theme's HTML and never comes here; only what authors write does.

use std::collections::{HashMap, HashSet};

use crate::base::messages::Message;

/// Schemes a link or source may use; destinations without a scheme (relative, `#…`, `/…`,
/// loa's `@/` links) are always allowed.
pub const SAFE_SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "sms"];

/// Tags authors may write in raw HTML: text structure, tables, figures, `<details>`.
#[rustfmt::skip]
const TAGS: [&str; 70] = [
    "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "nav", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strike", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
];

/// More tags authors may write: the rest of the text tags, and sound and video without
/// autoplay (a recorded announcement beside the page).
const MORE_TAGS: [&str; 10] =
    ["tr", "tt", "u", "ul", "var", "wbr", "audio", "video", "source", "track"];

/// Tags removed with everything inside them.
const CLEAN_CONTENT: [&str; 2] = ["script", "style"];

/// Attributes allowed on every tag (and every `data-…` attribute).
const GENERIC: [&str; 5] = ["class", "dir", "id", "lang", "title"];

/// Attributes allowed on particular tags.
const BY_TAG: [(&str, &[&str]); 22] = [
    ("a", &["href", "hreflang"]),
    ("audio", &["controls", "loop", "muted", "preload", "src"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["alt", "decoding", "height", "loading", "src", "width"]),
    ("input", &["checked", "disabled", "type"]),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("ol", &["reversed", "start", "type"]),
    ("q", &["cite"]),
    ("source", &["media", "src", "type"]),
    ("table", &["summary"]),
    ("td", &["align", "colspan", "headers", "rowspan", "style"]),
    ("th", &["abbr", "align", "colspan", "headers", "rowspan", "scope", "style"]),
    ("time", &["datetime"]),
    ("track", &["default", "kind", "label", "src", "srclang"]),
    ("ul", &["type"]),
    (
        "video",
        &[
            "controls",
            "height",
            "loop",
            "muted",
            "playsinline",
            "poster",
            "preload",
            "src",
            "width",
        ],
    ),
];

/// Attributes whose values are addresses a browser follows (ammonia checks the same ones).
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// The only style property kept (pulldown-cmark aligns table cells with it).
const STYLE_PROPERTIES: [&str; 1] = ["text-align"];

/// How much raw HTML written in content is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Sanitised: only the allowlist is published (the default, and always in the studio).
    #[default]
    Sanitized,
    /// Published as written (`trust_raw_html: true` in site.yaml).
    Trusted,
}

/// The scheme of `destination` when it is one that may not be published (`javascript`,
/// `data`…), read the way a browser reads it: entities decoded, tabs, line breaks and control
/// characters ignored, any case.
pub fn unsafe_scheme(destination: &str) -> Option<String> {
    let decoded = decode_entities(destination);
    let squeezed: String =
        decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let (scheme, _) = squeezed.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Numeric character references and the named ones that hide a scheme, decoded.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |i| i + 1);
        match entity(&rest[1..end]) {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok();
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        number(hex, 16)
    } else if let Some(decimal) = name.strip_prefix('#') {
        number(decimal, 10)
    } else {
        return match name.to_ascii_lowercase().as_str() {
            "colon" => Some(':'),
            "tab" => Some('\t'),
            "newline" => Some('\n'),
            "amp" => Some('&'),
            _ => None,
        };
    };
    Some(code.and_then(char::from_u32).unwrap_or('\u{fffd}'))
}

/// Whether `tag` may carry `attribute` (both lowercase).
pub fn attribute_allowed(tag: &str, attribute: &str) -> bool {
    GENERIC.contains(&attribute)
        || attribute.starts_with("data-")
        || BY_TAG.iter().any(|(t, names)| *t == tag && names.contains(&attribute))
}

fn tag_allowed(tag: &str) -> bool {
    TAGS.contains(&tag) || MORE_TAGS.contains(&tag)
}

/// HTML with everything outside the allowlist removed: unknown tags (their text kept),
/// `<script>` and `<style>` with their content, event handlers and other attributes, and
/// addresses with unsafe schemes.
pub fn sanitize(html: &str) -> String {
    let mut by_tag: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (tag, names) in BY_TAG {
        by_tag.insert(tag, names.iter().copied().collect());
    }
    ammonia::Builder::empty()
        .tags(TAGS.iter().chain(MORE_TAGS.iter()).copied().collect())
        .clean_content_tags(CLEAN_CONTENT.into_iter().collect())
        .generic_attributes(GENERIC.into_iter().collect())
        .generic_attribute_prefixes(["data-"].into_iter().collect())
        .tag_attributes(by_tag)
        .filter_style_properties(STYLE_PROPERTIES.into_iter().collect())
        .url_schemes(SAFE_SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(false)
        .clean(html)
        .to_string()
}

/// What the sanitiser removes from a piece of raw HTML, each with its byte offset in `html`.
pub fn removals(html: &str) -> Vec<(usize, Message)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(start) = lower[at..].find('<').map(|i| at + i) {
        let end = tag_end(&lower, start);
        let tag = &html[start + 1..end];
        at = end.max(start + 1);
        let name_end = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if !tag_allowed(&name) {
            found.push((start, msg!("html.removed_tag", tag = &name)));
            continue;
        }
        for (attribute, value) in crate::base::html::attributes(&tag[name_end..]) {
            if !attribute_allowed(&name, &attribute) {
                found.push((
                    start,
                    msg!("html.removed_attribute", attribute = &attribute, tag = &name),
                ));
            } else if URL_ATTRIBUTES.contains(&attribute.as_str())
                && let Some(scheme) = unsafe_scheme(&value)
            {
                found.push((start, msg!("html.removed_address", scheme = scheme, tag = &name)));
            }
        }
    }
    found
}

/// Where the tag opened at `start` ends: its `>` outside quoted attribute values (or the end).
fn tag_end(html: &str, start: usize) -> usize {
    let mut quote: Option<char> = None;
    let mut after_equals = false;
    for (i, c) in html[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if after_equals => quote = Some(c),
            (None, '>') => return start + i,
            _ => {}
        }
        if !c.is_whitespace() {
            after_equals = c == '=';
        }
    }
    html.len()
}

/// Elements that run script or embed documents that can, in an SVG file.
const SVG_ACTIVE: [&str; 7] =
    ["script", "foreignobject", "iframe", "embed", "object", "handler", "listener"];

/// The first thing in an SVG file that could run script (a `<script>` element, an `on…`
/// attribute, a `javascript:` address), with its byte offset. A part the XML reader cannot
/// read is searched as plain text instead, so nothing unread slips through.
pub fn svg_script(text: &str) -> Option<(usize, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(0);
        match reader.read_event() {
            Ok(
                quick_xml::events::Event::Start(element) | quick_xml::events::Event::Empty(element),
            ) => {
                if let Some(found) = svg_element_script(&element) {
                    return Some((start, found));
                }
            }
            Ok(quick_xml::events::Event::Eof) => return None,
            Ok(_) => {}
            Err(_) => {
                return svg_text_script(&text[start.min(text.len())..])
                    .map(|(at, found)| (start + at, found));
            }
        }
    }
}

fn svg_element_script(element: &quick_xml::events::BytesStart) -> Option<String> {
    let name = String::from_utf8_lossy(element.local_name().as_ref()).to_ascii_lowercase();
    if SVG_ACTIVE.contains(&name.as_str()) {
        return Some(format!("<{name}>"));
    }
    for attribute in element.attributes().with_checks(false) {
        let Ok(attribute) = attribute else { return Some(format!("<{name}>")) };
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
        if key.starts_with("on") {
            return Some(key);
        }
        let value = String::from_utf8_lossy(&attribute.value);
        if let Some(scheme) =
            unsafe_scheme(&value).filter(|s| s != "data" || !is_data_image(&value))
        {
            return Some(format!("{scheme}:"));
        }
    }
    None
}

/// Whether a `data:` address holds an image (embedded bitmaps are common in SVG files).
fn is_data_image(value: &str) -> bool {
    let squeezed: String = decode_entities(value).chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.to_ascii_lowercase().starts_with("data:image/")
}

/// The plain-text search for what [`svg_script`] looks for, where the XML cannot be read.
fn svg_text_script(text: &str) -> Option<(usize, String)> {
    let lower = decode_entities(text).to_ascii_lowercase();
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in
        ["<script", "<foreignobject", "<iframe", "<embed", "<object", "javascript:", "vbscript:"]
    {
        if squeezed.contains(needle) {
            return Some((
                lower.find(needle).unwrap_or(0),
                needle.trim_start_matches('<').to_owned(),
            ));
        }
    }
    event_handler(&lower).map(|at| (at, "on…".to_owned()))
}

/// Where an `on…=` attribute starts in lowercase text: `on` after a space, `/` or quote,
/// letters, then `=`.
fn event_handler(lower: &str) -> Option<usize> {
    lower.match_indices("on").map(|(at, _)| at).find(|&at| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + 2..].trim_start_matches(|c: char| c.is_ascii_alphabetic());
        before.is_some_and(|c| c.is_whitespace() || "/\"'".contains(c))
            && after.len() < lower.len() - at - 2
            && after.trim_start().starts_with('=')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_13_unsafe_schemes_are_found_however_they_are_written() {
        for unsafe_url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "jav\tascript:alert(1)",
            "jav&#9;ascript:alert(1)",
            "jav&#x09;ascript:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java\u{0}script:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            assert!(unsafe_scheme(unsafe_url).is_some(), "{unsafe_url:?} passed");
        }
        for safe in [
            "https://x.vn/a?b=c:d",
            "http://x.vn",
            "mailto:a@b.vn",
            "tel:111",
            "sms:111",
            "@/tin-tuc/a.md",
            "../a.md#b",
            "/a:b",
            "anh.jpg",
            "#top",
            "",
        ] {
            assert_eq!(unsafe_scheme(safe), None, "{safe:?} refused");
        }
    }

    #[test]
    fn finding_13_event_handlers_and_script_are_removed_and_reported() {
        let hidden = "<a title=\"a > b\" onclick=\"alert(1)\">x</a>";
        assert!(
            removals(hidden)[0].1.render(crate::base::messages::UiLang::En).contains("onclick")
        );
        let html = "<img src=x onerror=alert(1)><details open ontoggle=\"alert(2)\"><summary>a</summary></details>\
                    <a href=\"jav&#9;ascript:alert(3)\">b</a><script>alert(4)</script><svg/onload=alert(5)>";
        let clean = sanitize(html);
        for gone in ["onerror", "ontoggle", "javascript", "alert", "<svg", "<script"] {
            assert!(!clean.to_ascii_lowercase().contains(gone), "{gone} in {clean}");
        }
        assert!(clean.contains("<details open=\"\"><summary>a</summary></details>"), "{clean}");
        assert!(clean.contains("<img src=\"x\">"), "{clean}");
        let found: Vec<String> = removals(html)
            .iter()
            .map(|(_, m)| m.render(crate::base::messages::UiLang::En))
            .collect();
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found[0].contains("onerror"), "{found:?}");
        assert!(found[2].contains("javascript"), "{found:?}");
        assert!(found[3].contains("script") && found[4].contains("svg"), "{found:?}");
    }

    #[test]
    fn finding_13_svg_files_with_script_are_found() {
        let svg = |inside: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">{inside}</svg>"
            )
        };
        for (inside, what) in [
            ("<script>alert(1)</script>", "<script>"),
            ("<g><SCRIPT xlink:href=\"x.js\"/></g>", "<script>"),
            ("<rect onclick=\"alert(1)\"/>", "onclick"),
            ("<a xlink:href=\"jav&#x09;ascript:alert(1)\"><text>x</text></a>", "javascript:"),
            ("<set attributeName=\"href\" to=\"javascript:alert(1)\"/>", "javascript:"),
            ("<foreignObject><div/></foreignObject>", "<foreignobject>"),
            ("<rect></g><script>alert(1)</script>", "script"),
            ("<rect></g><rect onload = \"alert(1)\"/>", "on…"),
        ] {
            let found = svg_script(&svg(inside));
            assert_eq!(found.as_ref().map(|(_, w)| w.as_str()), Some(what), "{inside}");
        }
        let drawing = svg(
            "<rect width=\"10\" height=\"10\" fill=\"#c00\"/><image href=\"data:image/png;base64,iVBO\"/><a href=\"https://x.vn\"><text>111</text></a>",
        );
        assert_eq!(svg_script(&drawing), None);
        assert_eq!(svg_script(&svg("<script/>")).map(|(at, _)| at), Some(62));
    }

    proptest::proptest! {
        #[test]
        fn what_the_sanitiser_keeps_is_inside_the_allowlist(
            html in "(<(a|img|details|svg|script|p|td|video|blockquote) ?((href|src|poster|cite|on[a-z]{1,6}|style|open|title)=(\"|')?(javascript:|https://x.vn/|jav&#9;ascript:|data:|x)?[a-z()]{0,6}(\"|')? ?){0,3}/?>|</[a-z]{1,7}>|[a-z &;<>\"']{0,6}){0,8}"
        ) {
            let clean = sanitize(&html);
            proptest::prop_assert!(removals(&clean).is_empty(), "{:?} kept {:?}: {:?}", html, clean, removals(&clean));
        }
    }

    #[test]
    fn keeps_what_authors_and_markdown_legitimately_write() {
        let media = "<audio controls=\"\" src=\"/bai/thong-bao.mp3\"></audio>\
                     <video controls=\"\" poster=\"/a.jpg\"><source src=\"/a.mp4\" type=\"video/mp4\"></video>";
        assert_eq!(sanitize(media), media);
        assert!(
            sanitize("<video autoplay poster=\"javascript:x\">").starts_with("<video></video>")
        );
        let html = "<p><abbr title=\"Lao động – Thương binh và Xã hội\">LĐTBXH</abbr><br>\
                    <a href=\"/tin-tuc/\" title=\"t\">tin</a> <a href=\"tel:111\">111</a></p>\
                    <table><thead><tr><th style=\"text-align: left\">a</th></tr></thead>\
                    <tbody><tr><td>1</td></tr></tbody></table>\
                    <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">\nx</li></ul>\
                    <h2 id=\"muc\" class=\"c\">M</h2><figure><img src=\"/a.jpg\" alt=\"Ảnh\"></figure>\
                    <div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup></div>";
        assert_eq!(sanitize(html), html.replace("text-align: left", "text-align:left"));
        assert!(removals(html).is_empty(), "{:?}", removals(html));
    }
}
