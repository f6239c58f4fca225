//! Reading offline: a service worker (`/sw.js`) and an offline page per language (`/offline/`,
//! `/en/offline/`, from the theme's `offline.html`). The worker is `worker.js` with constants
//! put before it from the site model: the build's version (a hash of every source the pages
//! are made from), the stylesheet and scripts, and per language the pages kept on the first
//! visit, its offline page and the notice shown on a kept page. Same sources, same bytes.

use std::fmt::Write as _;
use std::hash::Hasher;
use std::sync::Arc;

use serde_json::json;

use crate::base::error::Result;
use crate::model::Site;
use crate::render::plan::{Input, LINK_SAFETY, LINK_SERVICE_WORKER, Link, Plan, Route, SitePlan};
use crate::render::theme::Theme;
use crate::render::{Artifact, Output, escape_xml};

/// The URL path of the service worker (its folder is the part of the site it serves).
pub const WORKER: &str = "/sw.js";

/// The template of the offline page.
pub const TEMPLATE: &str = "offline.html";

/// The code of the worker, after the constants.
const WORKER_CODE: &str = include_str!("worker.js");

/// The service worker and the offline pages; nothing when `site.yaml` says `offline: false`.
pub struct Offline {
    theme: Arc<Theme>,
}

impl Offline {
    /// Renders the offline pages with the theme's templates.
    pub fn new(theme: Arc<Theme>) -> Offline {
        Offline { theme }
    }

    /// The offline page of every language, if the theme has the template.
    fn pages(&self, site: &Site) -> Result<Vec<Artifact>> {
        self.theme.render_in_every_language(site, TEMPLATE, page_path)
    }
}

impl Output for Offline {
    fn name(&self) -> &'static str {
        "offline"
    }

    /// The worker and the offline page of every language (with the template), unless off.
    fn plan(&self, site: &Site) -> Result<Plan> {
        if !site.config.offline {
            return Ok(Plan::default());
        }
        let worker =
            Link { name: LINK_SERVICE_WORKER, key: String::new(), path: WORKER.to_owned() };
        let mut plan = Plan { links: vec![worker], ..Plan::default() };
        for route in self.theme.routes_in_every_language(TEMPLATE, site, page_path) {
            plan.route_from(route, vec![Input::Template(TEMPLATE.to_owned())]);
        }
        plan.route_from(Route::url(WORKER), vec![Input::Every]);
        Ok(plan)
    }

    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>> {
        if !site.config.offline {
            return Ok(Vec::new());
        }
        let mut artifacts = self.pages(site)?;
        artifacts.push(Artifact::at_url(WORKER, worker(site, plan)?.into_bytes()));
        Ok(artifacts)
    }
}

/// The URL path of a language's offline page: `/offline/`, `/en/offline/`.
pub fn page_path(site: &Site, lang: usize) -> String {
    format!("{}/offline/", site.language_prefix(lang))
}

/// The text of the service worker; `plan` gives the "browse safely" pages it keeps.
fn worker(site: &Site, plan: &SitePlan) -> Result<String> {
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let assets = assets(site)?;
    let mut pages = serde_json::Map::new();
    let mut offline = serde_json::Map::new();
    let mut notices = serde_json::Map::new();
    for (lang, code) in codes.iter().enumerate() {
        pages.insert((*code).to_owned(), json!(kept_pages(site, plan, lang)));
        offline.insert((*code).to_owned(), json!(site.link(&page_path(site, lang))));
        let notice = site.locales.get(lang, "offline.notice").unwrap_or_default();
        notices.insert((*code).to_owned(), json!(escape_xml(notice)));
    }
    let mut prefixes: Vec<(String, &str)> = (1..codes.len())
        .map(|lang| (site.link(&format!("{}/", site.language_prefix(lang))), codes[lang]))
        .collect();
    prefixes.push((site.link("/"), codes[0]));
    Ok(format!(
        "const VERSION = {};\nconst ASSETS = {};\nconst PAGES = {};\nconst OFFLINE = {};\nconst LANGS = {};\nconst NOTICE = {};\n{WORKER_CODE}",
        json!(version(site)?),
        json!(assets),
        serde_json::Value::Object(pages),
        serde_json::Value::Object(offline),
        json!(prefixes),
        serde_json::Value::Object(notices),
    ))
}

/// The pages of a language kept on the first visit: its home page, offline page, "browse
/// safely" page and the help pages (pages of the home section that feature hotlines).
fn kept_pages(site: &Site, plan: &SitePlan, lang: usize) -> Vec<String> {
    let mut kept = Vec::new();
    if let Some(home) = &site.sections[0].variants[lang] {
        kept.push(site.link(&home.path));
    }
    kept.push(site.link(&page_path(site, lang)));
    let code = &site.config.languages[lang].code;
    kept.extend(plan.link(LINK_SAFETY, code).map(|path| site.link(path)));
    for &page in &site.sections[0].pages[lang] {
        if let Some(variant) = &site.pages[page].variants[lang]
            && !site.doc(variant).front.hotlines.is_empty()
        {
            kept.push(site.link(&variant.path));
        }
    }
    kept
}

/// The content-hashed stylesheets and scripts, sorted.
fn assets(site: &Site) -> Result<Vec<String>> {
    let mut assets: Vec<String> = crate::load::assets::hashed_files(&site.config)?
        .into_values()
        .map(|(path, _)| site.link(&format!("/{path}")))
        .collect();
    assets.sort();
    Ok(assets)
}

/// Text written straight into a hasher.
struct Hashed<'h>(&'h mut siphasher::sip::SipHasher13);

impl std::fmt::Write for Hashed<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.write(text.as_bytes());
        Ok(())
    }
}

/// A hash of everything the pages are made from: the configuration, locales, theme and site
/// files, every document and the build's day; it changes when any page may have changed.
fn version(site: &Site) -> Result<String> {
    let mut hasher = siphasher::sip::SipHasher13::new();
    let mut config = site.config.clone();
    config.root = std::path::PathBuf::new();
    hasher.write(format!("{config:?}{:?}{}", site.locales, site.now.date_naive()).as_bytes());
    for folder in ["templates", "shortcodes", "static"] {
        for file in crate::load::theme::layered_files(&site.config, folder)? {
            hasher.write(file.relative.as_bytes());
            hasher.write(&file.bytes()?);
        }
    }
    for doc in &site.docs {
        let mut hashed = Hashed(&mut hasher);
        let _ = write!(hashed, "{:?}{:?}", doc.source.path, doc.front);
        let _ = write!(hashed, "{}{:?}", doc.body_digest, doc.shown_problems);
    }
    for asset in &site.assets {
        hasher.write(asset.path.as_bytes());
        hasher.write(&std::fs::read(&asset.source).unwrap_or_default());
    }
    Ok(format!("{:016x}", hasher.finish()))
}
