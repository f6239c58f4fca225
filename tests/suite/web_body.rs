//! The web body written from the document tree (issue 24): for every page of the example and
//! the fixture sites, the HTML `render::web::body` writes from the tree, its shortcodes
//! rendered from their nodes, is byte for byte the HTML the load made from the parse's events.

use crate::common;

use loa::load::document::Shortcode;
use loa::load::markdown::ShortcodeHost;
use loa::model::{Doc, Site};
use loa::render::web::body::body_html;

/// Renders the shortcode nodes of one document shown in its own language.
struct Calls<'a> {
    site: &'a Site,
    doc: &'a Doc,
    host: &'a dyn ShortcodeHost,
    sanitize: bool,
    rendered: &'a std::cell::Cell<usize>,
}

impl Calls<'_> {
    /// The HTML of one node, a block shortcode's body written from its own blocks.
    fn html(&self, node: &Shortcode) -> String {
        let body =
            node.body.as_ref().map(|blocks| body_html(blocks, self.sanitize, &|n| self.html(n)));
        let call = loa::load::shortcodes::Call {
            name: node.name.clone(),
            args: node.args.clone(),
            body: None,
            range: 0..0,
        };
        let (site, doc) = (self.site, self.doc);
        let resolve = |dest: &str| {
            site.link_index.resolve(dest, &doc.source.dir, doc.source.lang, &site.base_path)
        };
        self.rendered.set(self.rendered.get() + 1);
        self.host.render(&call, body.as_deref(), &resolve).expect("the shortcode renders")
    }
}

/// The URL path of the page or section `index` is the translation of.
fn own_path(site: &Site, index: usize) -> String {
    let mut variants = site.all_variants().flatten().flatten();
    variants.find(|v| v.translated && v.doc == index).map_or("/".to_owned(), |v| v.path.clone())
}

/// How many documents of the site at `root` the tree writes as the load did, and how many
/// shortcodes they render.
fn compare(root: &std::path::Path) -> (usize, usize) {
    let rendered = std::cell::Cell::new(0);
    let mut diagnostics = loa::base::error::Diagnostics::default();
    let (site, shortcodes) =
        Site::load_with_shortcodes(root, &common::options_at("2024-08-01"), &mut diagnostics)
            .expect("the site loads");
    for (index, doc) in site.docs.iter().enumerate() {
        let lang = doc.source.lang;
        let hotlines = loa::model::hotlines::hotline_views(&site.config, &site.locales, lang);
        let page_url = format!("{}{}", site.config.base_url, own_path(&site, index));
        let host = shortcodes.host(&site.config.languages[lang].code, &page_url, &hotlines);
        let sanitize = !site.config.trust_raw_html;
        let calls = Calls { site: &site, doc, host: &host, sanitize, rendered: &rendered };
        let written = body_html(&doc.rendered.tree, sanitize, &|n| calls.html(n));
        let written = loa::engines::images::rewrite_html(&written, &site.images, &site.base_path);
        assert_eq!(written, doc.rendered.html, "{}", doc.source.path.display());
    }
    (site.docs.len(), rendered.get())
}

#[test]
fn every_body_of_the_example_and_fixture_sites_is_written_from_its_tree_as_the_load_made_it() {
    let example = common::example();
    let (docs, calls) = compare(example.path());
    assert!(docs > 10 && calls > 10, "the example site has its pages and shortcodes");
    for name in ["minimal", "i18n", "whole", "check"] {
        let site = common::fixture(name);
        assert!(compare(site.path()).0 > 0, "{name} has pages");
    }
}
