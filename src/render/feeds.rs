//! Atom feed per language, `sitemap.xml` with `hreflang` alternates, and `robots.txt`.

use std::fmt::Write as _;

use crate::base::error::Result;
use crate::model::{Site, Variant};
use crate::render::body::page_body;
use crate::render::plan::{Input, Plan, Route, SitePlan};
use crate::render::{Artifact, Output, escape_xml};

/// Feeds, sitemap and robots.txt.
pub struct Feeds;

impl Output for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    /// An Atom feed per language, the sitemap and robots.txt.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan::default();
        for lang in 0..site.config.languages.len() {
            let carried = entries(site, lang).into_iter().map(|(_, v)| v.doc);
            let inputs = carried.flat_map(|d| [Input::Doc(d), Input::Listing(d)]).collect();
            plan.route_from(
                Route::url(&format!("{}/atom.xml", site.language_prefix(lang))),
                inputs,
            );
        }
        let listed = (0..site.docs.len()).map(Input::Listing).collect();
        plan.route_from(Route::url("/sitemap.xml"), listed);
        plan.route_from(Route::url("/robots.txt"), Vec::new());
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let mut artifacts: Vec<Artifact> =
            (0..site.config.languages.len()).map(|lang| atom(site, lang)).collect::<Result<_>>()?;
        artifacts.push(Artifact::at_url("/sitemap.xml", sitemap(site).into_bytes()));
        let robots =
            format!("User-agent: *\nAllow: /\nSitemap: {}\n", site.permalink("/sitemap.xml"));
        artifacts.push(Artifact::at_url("/robots.txt", robots.into_bytes()));
        Ok(artifacts)
    }
}

/// A page of a feed: its versions, and the one in the feed's language.
type Entry<'s> = (&'s [Option<Variant>], &'s Variant);

/// The pages of a language's feed: its own dated pages (not fallbacks), newest first.
fn entries(site: &Site, lang: usize) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry> = site
        .pages
        .iter()
        .filter_map(|p| Some((p.variants.as_slice(), p.variants[lang].as_ref()?)))
        .filter(|(_, v)| v.translated && site.doc(v).front.date.is_some())
        .collect();
    let moment = |v: &Variant| site.doc(v).front.updated.or(site.doc(v).front.date);
    let order = |(_, a): &Entry, (_, b): &Entry| {
        moment(b).cmp(&moment(a)).then_with(|| a.path.cmp(&b.path))
    };
    let limit = site.config.feed_limit;
    if limit > 0 && entries.len() > limit {
        entries.select_nth_unstable_by(limit - 1, order);
    }
    entries.truncate(limit);
    entries.sort_by(order);
    entries
}

/// The Atom feed of a language: its own dated pages (not fallbacks), newest first.
fn atom(site: &Site, lang: usize) -> Result<Artifact> {
    let entries = entries(site, lang);
    let hotlines = crate::model::hotlines::hotline_views(&site.config, &site.locales, lang);
    let code = &site.config.languages[lang].code;
    let prefix = site.language_prefix(lang);
    let feed_url = escape_xml(&site.permalink(&format!("{prefix}/atom.xml")));
    let title = site.title(lang).unwrap_or_default();
    let updated = entries
        .iter()
        .filter_map(|(_, v)| site.doc(v).front.updated.or(site.doc(v).front.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |m| m.to_rfc3339());
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">\n\
         <title>{}</title>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{feed_url}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{feed_url}</id>\n<updated>{updated}</updated>\n",
        escape_xml(title),
        escape_xml(&site.permalink(&format!("{prefix}/"))),
    );
    for (variants, variant) in entries {
        let doc = site.doc(variant);
        let body = page_body(site, variant.doc, variants, lang, &hotlines)?;
        let url = escape_xml(&site.permalink(&variant.path));
        let published = doc.front.date.expect("filtered on date");
        let updated = doc.front.updated.unwrap_or(published);
        let _ = write!(
            xml,
            "<entry xml:lang=\"{code}\">\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <id>{url}</id>\n<published>{}</published>\n<updated>{}</updated>\n",
            escape_xml(&doc.front.title),
            published.to_rfc3339(),
            updated.to_rfc3339(),
        );
        if let Some(description) = &doc.front.description {
            let _ = writeln!(xml, "<summary>{}</summary>", escape_xml(description));
        }
        let _ = write!(xml, "<content type=\"html\">{}</content>\n</entry>\n", escape_xml(&body));
    }
    xml.push_str("</feed>\n");
    Ok(Artifact::at_url(&format!("{prefix}/atom.xml"), xml.into_bytes()))
}

/// Every translated page and section, each with its translations as `xhtml:link` alternates.
fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let groups =
        site.sections.iter().map(|s| &s.variants).chain(site.pages.iter().map(|p| &p.variants));
    for variants in groups {
        let translated: Vec<&Variant> =
            variants.iter().flatten().filter(|v| v.translated).collect();
        for variant in &translated {
            let _ =
                write!(xml, "<url>\n<loc>{}</loc>\n", escape_xml(&site.permalink(&variant.path)));
            let doc = site.doc(variant);
            if let Some(moment) = doc.front.updated.or(doc.front.date) {
                let _ = writeln!(xml, "<lastmod>{}</lastmod>", moment.format("%Y-%m-%d"));
            }
            if translated.len() > 1 {
                for other in &translated {
                    let _ = writeln!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        site.config.languages[other.lang].code,
                        escape_xml(&site.permalink(&other.path))
                    );
                }
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Body;

    #[test]
    fn each_feed_is_titled_with_the_sites_one_title() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/i18n");
        let offset = crate::base::dates::default_offset();
        let now = crate::base::dates::parse_date("2024-08-01", offset).unwrap();
        let options = crate::model::BuildOptions {
            drafts: false,
            now,
            base_url: None,
            bleed: false,
            untrusted_authors: false,
        };
        let mut diagnostics = crate::base::error::Diagnostics::default();
        let site = Site::load(&root, &options, &mut diagnostics).unwrap();
        for lang in 0..site.config.languages.len() {
            let Body::Bytes(bytes) = atom(&site, lang).expect("a feed renders").body else {
                panic!("a feed is made")
            };
            let feed = String::from_utf8(bytes).unwrap();
            let title = format!("<title>{}</title>", escape_xml(site.title(lang).unwrap()));
            assert!(feed.contains(&title), "{title} in {feed}");
        }
    }
}
