//! Images: resized copies of the co-located images pages show, and full-size copies of those
//! pages link to, all without metadata; originals themselves are never published.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::base::error::{Error, Result};
use crate::engines::images::{Budget, Entry, process};
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
/// default width, as pages show it) and of the co-located files they link to: the images and
/// links the load found in each body (Markdown, raw HTML, shortcodes and their bodies) and
/// every front matter `image:`.
fn used_urls<'a>(
    site: &Site,
    docs: impl Iterator<Item = &'a crate::model::Doc>,
) -> (HashSet<String>, HashSet<String>) {
    let mut shown = HashSet::new();
    let mut linked = HashSet::new();
    for doc in docs {
        let file = |dest: &str| site.link_index.file(dest, &doc.source.dir).map(str::to_owned);
        for image in &doc.rendered.images {
            let entry = file(&image.destination).and_then(|url| site.images.get(&url));
            shown.extend(entry.map(|e| e.url_at(e.default_width())));
        }
        linked.extend(doc.rendered.links.iter().filter_map(|link| file(&link.destination)));
        if let Some(entry) = front_image(site, doc) {
            shown.insert(entry.url_at(entry.default_width()));
        }
    }
    (shown, linked)
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
