//! Search: a page per language (`/search/`, `/en/search/`) and, per language, an index of its own
//! pages split into shards by word prefix, so that a query loads only the words it needs.
//!
//! Files of a language under `/search-index/<code>/`: `meta.json` (shard keys and sizes, the
//! fallback languages and which of their documents this language shows), `t/<key>.json` (words
//! starting with `key` → postings) and `d/<n>.json` (title, URL, section and text of document
//! `n`). The script is the theme's `static/search.js`; `docs/search.md` describes the format.

pub mod index;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::base::error::Result;
use crate::model::Site;
use crate::render::plan::{Input, Plan, Route, SitePlan};
use crate::render::theme::Theme;
use crate::render::theme::views::Link;
use crate::render::{Artifact, Output, Sink};

/// The URL folder of the index files.
pub const INDEX_FOLDER: &str = "search-index";

/// The template of the search page.
pub const TEMPLATE: &str = "search.html";

/// The search pages and indexes.
pub struct Search {
    theme: Arc<Theme>,
}

/// What the index of a language says about itself.
#[derive(Debug, Serialize)]
struct Meta {
    /// Changes whenever a shard or document changes; the script adds it to file URLs.
    v: String,
    /// The language code.
    lang: String,
    /// Number of documents.
    docs: usize,
    /// Shard key → size of its file in bytes.
    shards: BTreeMap<String, usize>,
    /// Fallback languages, in order, with the documents this language shows from each.
    fallbacks: Vec<FallbackMeta>,
}

/// A fallback language as seen from a language's index.
#[derive(Debug, Serialize)]
struct FallbackMeta {
    /// Its code.
    lang: String,
    /// Root-relative URL of its index folder.
    url: String,
    /// Half-open ranges of its document numbers that this language shows as fallbacks.
    show: Vec<(usize, usize)>,
}

/// What the search page template receives as `search`.
#[derive(Debug, Serialize)]
struct PageValues {
    /// Root-relative URL of the language's index folder.
    index: String,
    /// Sections of the language, for readers without JavaScript.
    sections: Vec<Link>,
}

impl Search {
    /// Renders the search pages with the theme's templates.
    pub fn new(theme: Arc<Theme>) -> Search {
        Search { theme }
    }
}

impl Output for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    /// Each language's index folder (its shards are named by the words they hold) and
    /// search page, when the theme has the template.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan::default();
        for route in self.theme.routes_in_every_language(TEMPLATE, site, page_path) {
            plan.route_from(route, vec![Input::Template(TEMPLATE.to_owned())]);
        }
        let every_doc: Vec<Input> = (0..site.docs.len()).map(Input::Doc).collect();
        for language in &site.config.languages {
            plan.route_from(Route::folder(&index_url(&language.code)), every_doc.clone());
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>> {
        let collected = std::sync::Mutex::new(Vec::new());
        self.render_into(site, plan, &|artifacts| {
            collected.lock().unwrap_or_else(|e| e.into_inner()).extend(artifacts);
            Ok(())
        })?;
        Ok(collected.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// One language's index at a time: its documents go to `sink` a chunk at a time as they
    /// are weighed, then its shards, and only what the `meta.json` files need is kept (which
    /// documents each language shows from another), so a large site's index is never all in
    /// memory.
    fn render_into(&self, site: &Site, _plan: &SitePlan, sink: &Sink) -> Result<()> {
        let languages = site.config.languages.len();
        let mut written = Vec::with_capacity(languages);
        for lang in 0..languages {
            written.push(write_language(site, lang, sink)?);
        }
        let metas = (0..languages).map(|lang| meta_file(site, &written, lang)).collect();
        sink(metas)?;
        sink(self.pages(site)?)
    }

    /// The search pages; not the index, which is rendered again in full once edits pause
    /// (its shards are named by the words they hold, so one edit may touch any of them).
    fn render_routes(
        &self,
        site: &Site,
        _plan: &SitePlan,
        routes: &[Route],
    ) -> Option<Result<Vec<Artifact>>> {
        if routes.iter().any(|route| matches!(route, Route::Folder(_))) {
            return None;
        }
        Some(self.pages(site))
    }
}

impl Search {
    /// The search pages of every language, if the theme has the template.
    fn pages(&self, site: &Site) -> Result<Vec<Artifact>> {
        let languages = 0..site.config.languages.len();
        let pages: Vec<Option<Artifact>> =
            languages.map(|lang| self.page(site, lang)).collect::<Result<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// The search page of a language, if the theme has the template.
    fn page(&self, site: &Site, lang: usize) -> Result<Option<Artifact>> {
        let code = &site.config.languages[lang].code;
        let values =
            PageValues { index: site.link(&index_url(code)), sections: sections(site, lang) };
        let mut extra = tera::Context::new();
        extra.insert("search", &values);
        let path = page_path(site, lang);
        self.theme.render_extra(site, lang, TEMPLATE, &path, &extra)
    }
}

/// The URL path of a language's search page: `/search/`, `/en/search/`.
pub fn page_path(site: &Site, lang: usize) -> String {
    format!("{}/search/", site.language_prefix(lang))
}

/// The URL path of a language's index folder, ending in `/`.
pub fn index_url(code: &str) -> String {
    format!("/{INDEX_FOLDER}/{code}/")
}

/// Every section of a language but the home page, in key order.
fn sections(site: &Site, lang: usize) -> Vec<Link> {
    site.sections
        .iter()
        .skip(1)
        .filter_map(|s| s.variants[lang].as_ref())
        .map(|v| Link { title: site.doc(v).front.title.clone(), url: site.link(&v.path) })
        .collect()
}

/// What `meta.json` tells of a language's index, kept once its files are written.
struct Written {
    /// [`Version`] of its documents and shards.
    version: String,
    /// How many documents it holds.
    docs: usize,
    /// Each shard's key and size in bytes.
    shards: BTreeMap<String, usize>,
    /// By language index: the ranges of its documents that language shows as a fallback.
    shown: Vec<Vec<(usize, usize)>>,
}

/// Writes a language's documents and shards through `sink`, and tells what its `meta.json`
/// needs.
fn write_language(site: &Site, lang: usize, sink: &Sink) -> Result<Written> {
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let folder = index_url(codes[lang]);
    let mut version = Version::default();
    let mut shown_in: Vec<Vec<bool>> = vec![Vec::new(); codes.len()];
    let mut docs = 0;
    let mut sent = Ok(());
    let words = index::build(site, lang, &mut |entries| {
        for (shown, code) in shown_in.iter_mut().zip(&codes) {
            shown.extend(entries.iter().map(|entry| entry.shown_in.contains_key(*code)));
        }
        let files: Vec<Artifact> = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let json = serde_json::to_string(entry).expect("entries are JSON");
                Artifact::at_url(&format!("{folder}d/{}.json", docs + i), json.into_bytes())
            })
            .collect();
        docs += entries.len();
        version.add(&files);
        if sent.is_ok() {
            sent = sink(files);
        }
    });
    sent?;
    let mut shards = BTreeMap::new();
    let mut files: Vec<Artifact> = Vec::new();
    for shard in index::shards(&words) {
        let path = format!("{folder}t/{}.json", index::shard_file(&shard.key));
        shards.insert(shard.key, shard.json.len());
        files.push(Artifact::at_url(&path, shard.json.into_bytes()));
    }
    drop(words);
    version.add(&files);
    sink(files)?;
    let shown = shown_in.into_iter().map(index::shown_ranges).collect();
    Ok(Written { version: version.finish(), docs, shards, shown })
}

/// A language's `meta.json`: its version, size and shards, and where its fallbacks' indexes
/// are with the documents it shows from them.
fn meta_file(site: &Site, written: &[Written], lang: usize) -> Artifact {
    let code = &site.config.languages[lang].code;
    let own = &written[lang];
    let fallbacks = site.config.languages[lang]
        .fallbacks
        .iter()
        .map(|f| {
            let fallback_code = &site.config.languages[*f].code;
            FallbackMeta {
                lang: fallback_code.clone(),
                url: site.link(&index_url(fallback_code)),
                show: written[*f].shown[lang].clone(),
            }
        })
        .collect();
    let meta = Meta {
        v: own.version.clone(),
        lang: code.clone(),
        docs: own.docs,
        shards: own.shards.clone(),
        fallbacks,
    };
    let json = serde_json::to_string(&meta).expect("meta is JSON");
    Artifact::at_url(&format!("{}meta.json", index_url(code)), json.into_bytes())
}

/// A short hash of the files' paths and bytes (FNV-1a), so that browsers fetch changed files.
struct Version(u64);

impl Default for Version {
    fn default() -> Version {
        Version(0xcbf2_9ce4_8422_2325)
    }
}

impl Version {
    /// Hashes `files` in order after those added before.
    fn add(&mut self, files: &[Artifact]) {
        for file in files {
            let bytes = match &file.body {
                crate::render::Body::Bytes(bytes) => bytes.as_slice(),
                crate::render::Body::Copy(_) => &[],
            };
            for byte in file.path.as_bytes().iter().chain(bytes) {
                self.0 ^= u64::from(*byte);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }

    /// The hash as eight hexadecimal digits.
    fn finish(&self) -> String {
        format!("{:08x}", self.0 >> 32)
    }
}
