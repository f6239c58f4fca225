//! Images: resized copies of the co-located images pages show, and full-size copies of those
//! pages link to, all without metadata; originals themselves are never published.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::base::error::{Error, Result};
use crate::engines::images::{Budget, Entry, attribute_values, process};
use crate::load::document::{Block, BlockNode, Inline, InlineNode, Shortcode};
use crate::load::shortcodes::ArgValue;
use crate::model::Site;
use crate::render::plan::{Input, LINK_PAGE_IMAGE, Link, Plan, Route, SitePlan};
use crate::render::{Artifact, Body, Output, file_for_url};

/// Makes the copies of images that pages show or link to.
pub struct Images;

impl Output for Images {
    fn name(&self) -> &'static str {
        "images"
    }

    /// The resized copies of the images pages show, the full-size copies of those they link to.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut shown_by: HashMap<String, Vec<Input>> = HashMap::new();
        let mut linked_by: HashMap<String, Vec<Input>> = HashMap::new();
        for (index, doc) in site.docs.iter().enumerate() {
            let (shown, linked) = used_urls(site, std::iter::once(doc));
            for url in shown {
                shown_by.entry(url).or_default().push(Input::Doc(index));
            }
            for url in linked {
                linked_by.entry(url).or_default().push(Input::Doc(index));
            }
        }
        let mut plan = Plan { links: page_images(site), ..Plan::default() }.fixed();
        for entry in site.images.entries() {
            if let Some(docs) = shown_by.get(&entry.url_at(entry.default_width())) {
                for url in entry.copy_urls() {
                    plan.route_from(Route::url(&url), docs.clone());
                }
            }
            if let Some(docs) = linked_by.get(&entry.url) {
                plan.route_from(Route::url(&entry.url), docs.clone());
            }
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let (shown, linked) = used_urls(site, site.docs.iter());
        copies(site, &shown, &linked)
    }
}

/// The resized copies of the images in `shown` and the full-size ones of those in `linked`.
fn copies(site: &Site, shown: &HashSet<String>, linked: &HashSet<String>) -> Result<Vec<Artifact>> {
    let cache = &site.images.cache_dir;
    let budget = &site.images.budget;
    let results: Vec<Result<Vec<Artifact>>> = site
        .images
        .entries()
        .into_par_iter()
        .map(|entry| {
            let mut artifacts = Vec::new();
            if shown.contains(&entry.url_at(entry.default_width())) {
                artifacts.extend(resized(cache, budget, entry)?);
            }
            if linked.contains(&entry.url) {
                let file = process::full_size(cache, entry, budget)?;
                artifacts.push(Artifact { path: file_for_url(&entry.url), body: Body::Copy(file) });
            }
            Ok(artifacts)
        })
        .collect();
    Ok(Error::collect(results)?.into_iter().flatten().collect())
}

fn resized(cache: &std::path::Path, budget: &Budget, entry: &Entry) -> Result<Vec<Artifact>> {
    Ok(process::resized(cache, entry, budget)?
        .into_iter()
        .map(|(width, file)| Artifact {
            path: file_for_url(&entry.url_at(width)),
            body: Body::Copy(file),
        })
        .collect())
}

/// URL paths (without the base path) of the catalogued images pages show (each at its
/// default width, as pages show it) and of the co-located files they link to, from every
/// document tree and every front matter `image:`.
fn used_urls<'a>(
    site: &Site,
    docs: impl Iterator<Item = &'a crate::model::Doc>,
) -> (HashSet<String>, HashSet<String>) {
    let mut shown = HashSet::new();
    let mut linked = HashSet::new();
    for doc in docs {
        let file = |dest: &str| site.link_index.file(dest, &doc.source.dir).map(str::to_owned);
        walk(&doc.rendered.tree, &mut |found, dest| match found {
            Found::Shown => {
                let entry = file(dest).and_then(|url| site.images.get(&url));
                shown.extend(entry.map(|e| e.url_at(e.default_width())));
            }
            Found::Linked => linked.extend(file(dest)),
        });
        if let Some(entry) = front_image(site, doc) {
            shown.insert(entry.url_at(entry.default_width()));
        }
    }
    (shown, linked)
}

/// What an address a body holds (as written) leads to.
#[derive(Clone, Copy)]
enum Found {
    /// An image it shows: a Markdown image, a `src` in raw HTML, a shortcode's `src` or
    /// `image` argument.
    Shown,
    /// A file it links to: a Markdown link, an `href` in raw HTML, a shortcode's `href`,
    /// `url` or `link` argument.
    Linked,
}

/// Takes each address found, with what it leads to.
type Finder<'f> = dyn FnMut(Found, &str) + 'f;

/// Every address in `blocks`, their shortcodes' arguments and bodies included.
fn walk(blocks: &[Block], found: &mut Finder) {
    for block in blocks {
        match &block.node {
            BlockNode::Heading { inlines, .. }
            | BlockNode::Paragraph(inlines)
            | BlockNode::Plain(inlines)
            | BlockNode::Html(inlines) => walk_inlines(inlines, found),
            BlockNode::List { items, .. } => items.iter().for_each(|item| walk(item, found)),
            BlockNode::Quote(blocks) | BlockNode::Footnote { blocks, .. } => walk(blocks, found),
            BlockNode::Table { head, rows, .. } => {
                head.iter().chain(rows.iter().flatten()).for_each(|c| walk_inlines(c, found));
            }
            BlockNode::Shortcode(node) => walk_shortcode(node, found),
            BlockNode::Code { .. } | BlockNode::Rule => {}
        }
    }
}

fn walk_inlines(inlines: &[Inline], found: &mut Finder) {
    for inline in inlines {
        match &inline.node {
            InlineNode::Image(target) => {
                found(Found::Shown, &target.destination);
                walk_inlines(&target.inlines, found);
            }
            InlineNode::Link(target) => {
                found(Found::Linked, &target.destination);
                walk_inlines(&target.inlines, found);
            }
            InlineNode::Emphasis(c) | InlineNode::Strong(c) | InlineNode::Strike(c) => {
                walk_inlines(c, found);
            }
            InlineNode::Html(html) => {
                for (name, kind) in [("src", Found::Shown), ("href", Found::Linked)] {
                    attribute_values(html, name).iter().for_each(|value| found(kind, value));
                }
            }
            InlineNode::Shortcode(node) => walk_shortcode(node, found),
            _ => {}
        }
    }
}

fn walk_shortcode(node: &Shortcode, found: &mut Finder) {
    for (name, value) in &node.args {
        let ArgValue::Text(text) = value else { continue };
        match name.as_str() {
            "src" | "image" => found(Found::Shown, text),
            "href" | "url" | "link" => found(Found::Linked, text),
            _ => {}
        }
    }
    if let Some(body) = &node.body {
        walk(body, found);
    }
}

/// For every page showing a document with an `image:`, the largest copy of it, which link
/// previews show.
fn page_images(site: &Site) -> Vec<Link> {
    let variants = site.all_variants().flatten().flatten();
    variants
        .filter_map(|variant| {
            let entry = front_image(site, site.doc(variant))?;
            let path = entry.url_at(entry.largest_width());
            Some(Link { name: LINK_PAGE_IMAGE, key: variant.path.clone(), path })
        })
        .collect()
}

/// The catalogued image a document's front matter `image:` names.
fn front_image<'a>(site: &'a Site, doc: &crate::model::Doc) -> Option<&'a Entry> {
    let image = doc.front.image.as_deref()?;
    let path = match site.link_index.resolve(image, &doc.source.dir, doc.source.lang, "") {
        crate::load::markdown::Resolved::Rewrite(url) => url,
        _ => image.to_owned(),
    };
    site.images.get(&path)
}
