//! A preview (`loa build --drafts`, `loa serve`) shows a page's problems on the page: a notice
//! at the top of its body lists what would stop `loa build`, and an image that does not exist
//! is replaced by a line of text saying so, never a broken `<img>`.

use crate::base::error::Diagnostic;
use crate::base::messages::UiLang;
use crate::base::text::escape_xml;
use crate::load::markdown::PROBLEMS_ANCHOR;
use crate::model::{Doc, Site};

use super::Problems;

/// Puts the notice on each of `docs` that has problems and takes out its missing images.
pub(super) fn show_on_pages(
    problems: &Problems,
    site: &mut Site,
    docs: impl Iterator<Item = usize>,
) {
    for index in docs {
        let Some(doc) = site.docs.get(index) else { continue };
        let path = doc.source.path.clone();
        let mut found: Vec<&Diagnostic> =
            problems.broken.iter().filter(|d| d.path == path).collect();
        found.sort();
        found.dedup();
        if found.is_empty() {
            continue;
        }
        let code = &site.config.languages[doc.source.lang].code;
        let lang = UiLang::from_code(code);
        let missing: Vec<&str> = problems
            .missing_images
            .iter()
            .filter(|(p, _)| *p == path)
            .map(|(_, image)| image.as_str())
            .collect();
        let notice = notice(&found, lang);
        let doc = &mut site.docs[index];
        mark_doc(doc, &notice, &missing, lang);
    }
}

/// The notice, the missing images and the front matter `image:` of one document.
fn mark_doc(doc: &mut Doc, notice: &str, missing: &[&str], lang: UiLang) {
    let mark = |html: &str| format!("{notice}{}", without_missing_images(html, missing, lang));
    doc.rendered.html = mark(&doc.rendered.html);
    for html in doc.localized_html.values_mut() {
        *html = mark(html);
    }
    if doc.front.image.as_deref().is_some_and(|image| missing.contains(&image)) {
        doc.front.image = None;
    }
}

/// The notice listing the problems of a page, each at its line and column with its hint.
fn notice(found: &[&Diagnostic], lang: UiLang) -> String {
    let id = PROBLEMS_ANCHOR.trim_start_matches('#');
    let title = escape_xml(&msg!("preview.notice").render(lang));
    let mut html = format!(
        "<aside id=\"{id}\" class=\"loa-problems\" role=\"note\" style=\"border:3px solid \
         #b00020;background:#fff4f4;color:#1a1a1a;padding:.75em 1em;margin:0 0 1em\">\
         <p><strong>{title}</strong></p><ul>"
    );
    for d in found {
        let place = d.position.map_or_else(String::new, |p| format!("{}:{} ", p.line, p.column));
        let hint = d.hint.as_ref().map_or_else(String::new, |h| {
            format!(" ({}: {})", msg!("label.hint").render(lang), h.render(lang))
        });
        let line = format!("{place}{}{hint}", d.message.render(lang));
        html.push_str(&format!("<li>{}</li>", escape_xml(&line)));
    }
    html.push_str("</ul></aside>\n");
    html
}

/// The HTML with each `<img>` whose `src` is one of `missing` replaced by a line saying so.
fn without_missing_images(html: &str, missing: &[&str], lang: UiLang) -> String {
    if missing.is_empty() {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = find_img(rest) {
        let Some(length) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + length + 1];
        out.push_str(&rest[..start]);
        match missing_source(tag, missing) {
            Some(image) => {
                let text = msg!("check.image_missing", image = image).render(lang);
                out.push_str(&format!(
                    "<span class=\"loa-missing-image\" style=\"display:block;border:2px dashed \
                     #b00020;padding:.5em;color:#1a1a1a\">{}</span>",
                    escape_xml(&text)
                ));
            }
            None => out.push_str(tag),
        }
        rest = &rest[start + length + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the next `<img` tag starts, in any case.
fn find_img(html: &str) -> Option<usize> {
    html.char_indices().map(|(i, _)| i).find(|&i| {
        html.get(i..i + 4).is_some_and(|t| t.eq_ignore_ascii_case("<img"))
            && html[i + 4..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
    })
}

/// The missing image an `<img>` tag shows, comparing its `src` as written, unescaped and
/// percent-decoded.
fn missing_source<'m>(tag: &str, missing: &[&'m str]) -> Option<&'m str> {
    let inside =
        tag.trim_start_matches(|c| c != ' ' && c != '\t' && c != '\n').trim_end_matches('>');
    let attributes = crate::base::html::attributes(inside);
    let src = attributes.iter().find(|(name, _)| name == "src").map(|(_, value)| value)?;
    let unescaped = src.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    let decoded = crate::base::percent::decode(&unescaped).into_owned();
    missing.iter().copied().find(|m| *m == src || *m == unescaped || *m == decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_image_is_replaced_by_a_line_of_text() {
        let html = "<p><img src=\"%E1%BA%A3nh.jpg\" alt=\"Ảnh\"> và <IMG SRC='co.jpg'></p>";
        let out = without_missing_images(html, &["ảnh.jpg"], UiLang::Vi);
        assert!(!out.contains("%E1%BA%A3nh.jpg"), "{out}");
        assert!(out.contains("loa-missing-image"), "{out}");
        assert!(out.contains("<IMG SRC='co.jpg'>"), "{out}");
    }
}
