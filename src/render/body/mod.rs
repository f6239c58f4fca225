//! A document's body as HTML, as web pages and feeds show it: written from its tree, its
//! links resolved for the language the page is shown in, its shortcodes rendered by the
//! site's components, its images given their responsive copies and, in a preview, the notice
//! of its problems.

pub mod writer;

use std::borrow::Cow;
use std::cell::RefCell;

use pulldown_cmark::CowStr;

use crate::base::error::{Diagnostic, Error, Result};
use crate::base::messages::UiLang;
use crate::base::text::escape_xml;
use crate::load::document::{Shortcode, Target};
use crate::load::markdown::{PROBLEMS_ANCHOR, Resolved, resolved_destination, resolved_html};
use crate::model::hotlines::HotlineView;
use crate::model::{Doc, ShownProblems, Site, Variant};
use writer::{Addresses, body_html};

/// The body HTML of document `index`, shown in language `shown` by the page or section whose
/// versions are `variants`; `hotlines` are the site's hotlines in the document's language,
/// as its shortcodes list them.
pub fn page_body(
    site: &Site,
    index: usize,
    variants: &[Option<Variant>],
    shown: usize,
    hotlines: &[HotlineView],
) -> Result<String> {
    let own_path = variants.iter().flatten().find(|v| v.translated && v.doc == index);
    doc_body(site, &site.docs[index], own_path.map(|v| v.path.as_str()), shown, hotlines)
}

/// Like [`page_body`], for a document published at `own_path` in its own language (`None`:
/// its shortcodes take the site's home page as the page's address).
pub fn doc_body(
    site: &Site,
    doc: &Doc,
    own_path: Option<&str>,
    shown: usize,
    hotlines: &[HotlineView],
) -> Result<String> {
    let own = doc.source.lang;
    let links_lang = if doc.links_to_sources() { shown } else { own };
    let page_url = format!("{}{}", site.config.base_url, own_path.unwrap_or("/"));
    let page = PageLinks { site, doc, lang: links_lang, own: links_lang == own };
    let code = &site.config.languages[links_lang].code;
    let host = site.shortcodes.host(code, &page_url, hotlines);
    let failure = RefCell::new(None);
    let sanitize = !site.config.trust_raw_html;
    let calls = Calls { page: &page, host: &host, sanitize, failure: &failure };
    let html = body_html(&doc.rendered.tree, sanitize, &page, &|node| calls.html(node));
    if let Some(error) = failure.into_inner() {
        return Err(error);
    }
    let html = crate::engines::images::rewrite_html(&html, &site.images, &site.base_path);
    Ok(match &doc.shown_problems {
        Some(shown) => {
            with_problems(&html, shown, UiLang::from_code(&site.config.languages[own].code))
        }
        None => html,
    })
}

/// How a document's addresses are written on a page shown in language `lang` (`own` when it
/// is the document's language, whose addresses the load resolved already).
struct PageLinks<'a> {
    site: &'a Site,
    doc: &'a Doc,
    lang: usize,
    own: bool,
}

impl PageLinks<'_> {
    /// Where `dest`, written in the document, leads on this page.
    fn resolve(&self, dest: &str) -> Resolved {
        let (site, doc) = (self.site, self.doc);
        site.link_index.resolve(dest, &doc.source.dir, self.lang, &site.base_path)
    }
}

impl Addresses for PageLinks<'_> {
    fn url<'t>(&self, target: &'t Target) -> CowStr<'t> {
        match self.own {
            true => CowStr::Borrowed(&target.url),
            false => resolved_destination(&target.destination, &|d| self.resolve(d)),
        }
    }

    fn raw_html<'t>(&self, html: &'t str) -> CowStr<'t> {
        resolved_html(html, &|d| self.resolve(d))
    }
}

/// Renders the shortcode nodes of one page, keeping the first failure.
struct Calls<'a> {
    page: &'a PageLinks<'a>,
    host: &'a dyn crate::load::markdown::ShortcodeHost,
    sanitize: bool,
    failure: &'a RefCell<Option<Error>>,
}

impl Calls<'_> {
    /// The HTML of one node, a block shortcode's body written from its own blocks.
    fn html(&self, node: &Shortcode) -> String {
        let body = node
            .body
            .as_ref()
            .map(|blocks| body_html(blocks, self.sanitize, self.page, &|n| self.html(n)));
        let call = crate::load::shortcodes::Call {
            name: node.name.clone(),
            args: node.args.clone(),
            body: None,
            range: 0..0,
        };
        match self.host.render(&call, body.as_deref(), &|d| self.page.resolve(d)) {
            Ok(html) => html,
            Err((message, hint)) => {
                let path = &self.page.doc.source.path;
                let error = crate::model::shortcodes::located(path, node.position, message, hint);
                self.failure.borrow_mut().get_or_insert(error);
                String::new()
            }
        }
    }
}

/// The body with the notice of its problems above it and its missing images taken out.
fn with_problems(html: &str, shown: &ShownProblems, lang: UiLang) -> String {
    let missing: Vec<&str> = shown.missing_images.iter().map(String::as_str).collect();
    format!("{}{}", notice(&shown.problems, lang), without_missing_images(html, &missing, lang))
}

/// The notice listing the problems of a page, each at its line and column with its hint.
fn notice(found: &[Diagnostic], lang: UiLang) -> String {
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
fn without_missing_images<'h>(html: &'h str, missing: &[&str], lang: UiLang) -> Cow<'h, str> {
    if missing.is_empty() {
        return Cow::Borrowed(html);
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
    Cow::Owned(out)
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
