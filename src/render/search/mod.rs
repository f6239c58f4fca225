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

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::model::Site;
use crate::render::plan::{Input, Plan, Route, SitePlan};
use crate::render::web::Web;
use crate::render::web::context::Link;
use crate::render::{Artifact, Output, Sink};
use index::LangIndex;

/// The URL folder of the index files.
pub const INDEX_FOLDER: &str = "search-index";

/// The template of the search page.
pub const TEMPLATE: &str = "search.html";

/// The search pages and indexes.
pub struct Search {
    web: Arc<Web>,
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
    /// Renders the search pages with the web output's compiled templates.
    pub fn new(web: Arc<Web>) -> Search {
        Search { web }
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
        for route in self.web.routes_in_every_language(TEMPLATE, site, page_path) {
            plan.route_from(route, vec![Input::Template(TEMPLATE.to_owned())]);
        }
        let every_doc: Vec<Input> = (0..site.docs.len()).map(Input::Doc).collect();
        for language in &site.config.languages {
            plan.route_from(Route::folder(&index_url(&language.code)), every_doc.clone());
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let languages = site.config.languages.len();
        let indexes: Vec<LangIndex> =
            (0..languages).into_par_iter().map(|lang| index::build(site, lang)).collect();
        let mut artifacts: Vec<Artifact> = (0..languages)
            .into_par_iter()
            .flat_map(|lang| index_files(site, &indexes, lang))
            .collect();
        artifacts.extend(self.pages(site)?);
        Ok(artifacts)
    }

    /// Each language's index files go to `sink` as soon as they are written.
    fn render_into(&self, site: &Site, _plan: &SitePlan, sink: &Sink) -> Result<()> {
        let languages = site.config.languages.len();
        let indexes: Vec<LangIndex> =
            (0..languages).into_par_iter().map(|lang| index::build(site, lang)).collect();
        let sent: Vec<Result<()>> = (0..languages)
            .into_par_iter()
            .map(|lang| sink(index_files(site, &indexes, lang)))
            .collect();
        Error::collect(sent)?;
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
        self.web.render_extra(site, lang, TEMPLATE, &path, &extra)
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

/// The files of a language's index: shards, documents and `meta.json`.
fn index_files(site: &Site, indexes: &[LangIndex], lang: usize) -> Vec<Artifact> {
    let code = &site.config.languages[lang].code;
    let folder = index_url(code);
    let own = &indexes[lang];
    let mut files: Vec<Artifact> = Vec::new();
    let mut shards = BTreeMap::new();
    for shard in index::shards(&own.words) {
        let path = format!("{folder}t/{}.json", index::shard_file(&shard.key));
        shards.insert(shard.key, shard.json.len());
        files.push(Artifact::at_url(&path, shard.json.into_bytes()));
    }
    for (number, entry) in own.entries.iter().enumerate() {
        let json = serde_json::to_string(entry).expect("entries are JSON");
        files.push(Artifact::at_url(&format!("{folder}d/{number}.json"), json.into_bytes()));
    }
    let fallbacks = site.config.languages[lang]
        .fallbacks
        .iter()
        .map(|f| {
            let fallback_code = &site.config.languages[*f].code;
            FallbackMeta {
                lang: fallback_code.clone(),
                url: site.link(&index_url(fallback_code)),
                show: index::shown_ranges(&indexes[*f], code),
            }
        })
        .collect();
    let meta =
        Meta { v: version(&files), lang: code.clone(), docs: own.entries.len(), shards, fallbacks };
    let json = serde_json::to_string(&meta).expect("meta is JSON");
    files.push(Artifact::at_url(&format!("{folder}meta.json"), json.into_bytes()));
    files
}

/// A short hash of the files' paths and bytes (FNV-1a), so that browsers fetch changed files.
fn version(files: &[Artifact]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = match &file.body {
            crate::render::Body::Bytes(bytes) => bytes.as_slice(),
            crate::render::Body::Copy(_) => &[],
        };
        for byte in file.path.as_bytes().iter().chain(bytes) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", hash >> 32)
}
