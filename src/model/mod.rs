//! The immutable [`Site`]: languages, sections, pages, their language versions, tags and assets.

pub mod hotlines;
pub mod links;
pub mod shortcodes;
pub mod update;
mod urls;

pub use crate::engines::images::PlacedAsset;
pub use urls::normalize_alias;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::base::dates::Moment;
use crate::base::error::{Diagnostics, Error, Result};
use crate::load::config::Config;
use crate::load::content::{self, AssetFile, Document, Kind, SourceFile};
use crate::load::front_matter::FrontMatter;
use crate::load::locales::Locales;
use crate::load::markdown::{self, Rendered};
use crate::load::staleness::Freshness;

/// What a build is asked to do, from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Publish drafts too.
    pub drafts: bool,
    /// The moment that decides what is published.
    pub now: Moment,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Print PDFs with 3 mm bleed and crop marks, for print shops.
    pub bleed: bool,
    /// Content may come from people the site does not trust: raw HTML is sanitised even when
    /// site.yaml says `trust_raw_html: true`. The studio will always set it.
    pub untrusted_authors: bool,
}

/// A published source with its parsed body.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Where it comes from.
    pub source: SourceFile,
    /// Its front matter.
    pub front: FrontMatter,
    /// The body parsed once, links resolved for the document's own language.
    pub rendered: Rendered,
    /// Lines before the body in the file.
    pub body_line_offset: usize,
    /// A hash of the Markdown body, for outputs whose version changes with any page's text.
    pub body_digest: u64,
    /// The problems a preview shows at the top of the page, when it has any.
    pub shown_problems: Option<ShownProblems>,
}

impl Doc {
    /// A document with its parsed body.
    pub(crate) fn parsed(document: Document, rendered: Rendered) -> Doc {
        let mut hasher = siphasher::sip::SipHasher13::new();
        std::hash::Hasher::write(&mut hasher, document.body.as_bytes());
        Doc {
            body_digest: std::hash::Hasher::finish(&hasher),
            source: document.source,
            front: document.front,
            rendered,
            body_line_offset: document.body_line_offset,
            shown_problems: None,
        }
    }

    /// Whether the body links to a source (`@/…` or a `.md` file), whose address depends on
    /// the language the page is shown in.
    pub fn links_to_sources(&self) -> bool {
        self.rendered.links.iter().any(|l| links::is_source_link(&l.destination))
    }
}

/// What a preview (`loa build --drafts`, `loa serve`) shows on a page with problems.
#[derive(Debug, Clone, Default)]
pub struct ShownProblems {
    /// What would stop `loa build`, each at its place, listed in a notice above the body.
    pub problems: Vec<crate::base::error::Diagnostic>,
    /// The images the body shows that do not exist, each replaced by a line saying so.
    pub missing_images: Vec<String>,
}

/// A page or section as published in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The language of the URL.
    pub lang: usize,
    /// The document shown (its own translation, or a fallback language's).
    pub doc: usize,
    /// URL path from the site root, e.g. `/en/tin-tuc/lua-dao/`.
    pub path: String,
    /// True when the document is in this language, false for a fallback.
    pub translated: bool,
    /// For a translation, how it compares with its source; `None` for sources and fallbacks.
    pub freshness: Option<Freshness>,
    /// For a translation with block stamps, how many of its source's blocks changed since.
    pub changes: Option<crate::load::staleness::BlockCounts>,
}

/// A page with its versions in each language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Identity shared by its translations, e.g. `tin-tuc/lua-dao`.
    pub key: String,
    /// The section listing it.
    pub section: usize,
    /// One slot per configured language.
    pub variants: Vec<Option<Variant>>,
    /// Previous and next page in the section, per language.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
}

/// A section (`_index.md`) with its pages and subsections.
#[derive(Debug, Clone)]
pub struct Section {
    /// Identity, e.g. `tin-tuc/`; the home section is `""`.
    pub key: String,
    /// The enclosing section; `None` for the home section.
    pub parent: Option<usize>,
    /// One slot per configured language.
    pub variants: Vec<Option<Variant>>,
    /// Pages published in each language, in display order.
    pub pages: Vec<Vec<usize>>,
    /// Direct subsections.
    pub subsections: Vec<usize>,
}

/// A tag in one language with its pages.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as written.
    pub name: String,
    /// URL path of the tag's page.
    pub path: String,
    /// Pages carrying it, newest first.
    pub pages: Vec<usize>,
}

/// The whole site, read once and never changed by outputs.
#[derive(Debug)]
pub struct Site {
    /// Validated configuration.
    pub config: Config,
    /// UI strings.
    pub locales: Locales,
    /// Published documents.
    pub docs: Vec<Doc>,
    /// Pages.
    pub pages: Vec<Page>,
    /// Sections; index 0 is the home section.
    pub sections: Vec<Section>,
    /// Tags per language, sorted by slug.
    pub tags: Vec<Vec<Tag>>,
    /// Co-located files to publish.
    pub assets: Vec<PlacedAsset>,
    /// Co-located images, published only as resized copies without metadata.
    pub images: crate::engines::images::Catalog,
    /// Where sources and co-located files are published, for resolving links.
    pub link_index: links::LinkIndex,
    /// The moment used for scheduling.
    pub now: Moment,
    /// The theme's and the site's shortcode components, which outputs render the tree's
    /// shortcode nodes with.
    pub shortcodes: std::sync::Arc<shortcodes::Shortcodes>,
    /// Path part of the base URL (`""` or `/sub`), put before every link.
    pub base_path: String,
    /// Bleed of the print PDFs in millimetres, with crop and fold marks (0: none).
    pub print_bleed: f64,
}

impl Site {
    /// Loads, checks and parses the site in `root`.
    pub fn load(
        root: &std::path::Path,
        options: &BuildOptions,
        diagnostics: &mut Diagnostics,
    ) -> Result<Site> {
        let mut config = Config::load(root)?;
        if let Some(base_url) = &options.base_url {
            config.base_url = crate::load::config::check_base_url(base_url)
                .map_err(|problem| problem.at("--base-url", None))?;
        }
        if options.untrusted_authors {
            config.trust_raw_html = false;
        }
        let locales = Locales::load(&config, diagnostics)?;
        let inventory = content::discover(&config, diagnostics)?;
        let documents = content::read_documents(inventory.sources, &config)?;
        let documents: Vec<Document> =
            documents.into_iter().filter(|d| is_published(&d.front, options)).collect();
        let base_path = base_path_of(&config.base_url);
        let skeleton = Skeleton::build(&config, &documents)?;
        let assets = place_assets(&config, &skeleton, &inventory.assets);
        let images = crate::engines::images::Catalog::scan(
            &config.root,
            &assets.placed,
            crate::engines::images::Budget::new(crate::engines::images::budget::DECODE_BUDGET),
        )?;
        let link_index = links::LinkIndex::new(&skeleton, &documents, &assets);
        let shortcodes = shortcodes::Shortcodes::load(&config, &locales, options.now)?;
        let body_context = links::BodyContext {
            index: &link_index,
            shortcodes: &shortcodes,
            config: &config,
            locales: &locales,
            base_path: &base_path,
        };
        let docs = links::render_documents(&body_context, &skeleton, documents)?;
        check_hotlines(&config, &docs)?;
        let config_bleed = config.print_bleed;
        let mut site = Site {
            config,
            locales,
            docs,
            pages: skeleton.pages,
            sections: skeleton.sections,
            tags: Vec::new(),
            assets: assets.placed,
            images,
            link_index,
            now: options.now,
            shortcodes: std::sync::Arc::new(shortcodes),
            base_path,
            print_bleed: press_bleed(config_bleed, options.bleed),
        };
        site.order_sections();
        site.tags = site.collect_tags();
        urls::check_unique(&site)?;
        Ok(site)
    }

    /// The language versions of every page, then of every section.
    pub fn all_variants(&self) -> impl Iterator<Item = &Vec<Option<Variant>>> {
        self.pages.iter().map(|p| &p.variants).chain(self.sections.iter().map(|s| &s.variants))
    }

    /// The variant a translation in `lang` among `variants` is made from: the first language of
    /// its fallback chain that has its own document; `None` for a source.
    pub fn source_variant<'a>(
        &self,
        variants: &'a [Option<Variant>],
        lang: usize,
    ) -> Option<&'a Variant> {
        let mut fallbacks = self.config.languages[lang].fallbacks.iter();
        fallbacks.find_map(|l| variants[*l].as_ref().filter(|v| v.translated))
    }

    /// The document shown by a variant.
    pub fn doc(&self, variant: &Variant) -> &Doc {
        &self.docs[variant.doc]
    }

    /// Warns about what authors wrote that is left out of the pages (script, event handlers,
    /// unsafe addresses), each at its place with a hint.
    pub fn report_removed_content(&self, diagnostics: &mut Diagnostics) {
        for doc in &self.docs {
            for removal in &doc.rendered.removed {
                diagnostics.push(
                    crate::base::error::Severity::Warning,
                    &doc.source.path,
                    Some(removal.position),
                    removal.message.clone(),
                    Some(removal.hint.clone()),
                );
            }
        }
    }

    /// A root-relative link to a URL path, with the base path in front.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// The absolute URL of a URL path.
    pub fn permalink(&self, path: &str) -> String {
        let origin_end = self.config.base_url.len() - self.base_path.len();
        format!("{}{}{}", &self.config.base_url[..origin_end], self.base_path, path)
    }

    /// The site's title in `lang`: `site.title` of the locales, else `title:` of site.yaml.
    pub fn title(&self, lang: usize) -> Option<&str> {
        self.locales.get(lang, "site.title").or(self.config.title.as_deref())
    }

    /// A hotline's name in `lang` (`hotline.<id>` of the locales), else its number as shown.
    pub fn hotline_label<'a>(
        &'a self,
        lang: usize,
        hotline: &'a crate::load::config::Hotline,
    ) -> &'a str {
        self.locales.get(lang, &format!("hotline.{}", hotline.id)).unwrap_or(&hotline.display)
    }

    /// The hotlines a document shows (every hotline for none), as indexes into the site's
    /// `hotlines:`, in the one order web, print and banners use (see [`hotline_order`]).
    pub fn hotlines_of(&self, doc: Option<&Doc>) -> Vec<usize> {
        let site: Vec<&str> = self.config.hotlines.iter().map(|h| h.id.as_str()).collect();
        let page: Vec<&str> = doc
            .map(|d| d.front.hotlines.iter().map(|(id, _)| id.as_str()).collect())
            .unwrap_or_default();
        hotline_order(&site, &page)
    }

    /// The campaign section under way at build time in `lang`, else the next one to start;
    /// `true` when it is under way.
    pub fn featured_campaign(&self, lang: usize) -> Option<(bool, &Variant)> {
        let now = self.now;
        let mut candidates: Vec<(bool, Moment, &Variant)> = self
            .sections
            .iter()
            .filter_map(|s| s.variants[lang].as_ref())
            .filter_map(|v| {
                let campaign = self.doc(v).front.campaign.as_ref()?;
                let start = campaign.start.or(campaign.day)?;
                let end =
                    campaign.end.or(campaign.day).unwrap_or(start) + chrono::Duration::days(1);
                (end > now).then_some((start <= now, start, v))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.path.cmp(&b.2.path)));
        candidates.into_iter().next().map(|(current, _, variant)| (current, variant))
    }

    /// The URL prefix of a language: `""` for the default one, `/en` for others.
    pub fn language_prefix(&self, lang: usize) -> String {
        urls::language_prefix(&self.config, lang)
    }

    fn order_sections(&mut self) {
        let docs = &self.docs;
        let pages = &self.pages;
        for section in &mut self.sections {
            for (lang, list) in section.pages.iter_mut().enumerate() {
                list.retain(|p| pages[*p].variants[lang].is_some());
                list.sort_by(|a, b| {
                    let front = |p: usize| {
                        &docs[pages[p].variants[lang].as_ref().expect("retained").doc].front
                    };
                    page_order(front(*a), front(*b)).then_with(|| pages[*a].key.cmp(&pages[*b].key))
                });
            }
        }
        for section in &self.sections {
            for (lang, list) in section.pages.iter().enumerate() {
                for (i, page) in list.iter().enumerate() {
                    let prev = i.checked_sub(1).map(|j| list[j]);
                    let next = list.get(i + 1).copied();
                    self.pages[*page].neighbours[lang] = (prev, next);
                }
            }
        }
    }

    /// The tag of `lang` that `name` (as written in a page) belongs to; tags are sorted by
    /// slug, so this is a binary search.
    pub fn tag(&self, lang: usize, name: &str) -> Option<&Tag> {
        let slug = crate::base::text::slugify(name);
        let tags = self.tags.get(lang)?;
        let slug_of =
            |tag: &Tag| tag.path.trim_end_matches('/').rsplit('/').next().map(str::to_owned);
        let found = tags.binary_search_by(|tag| slug_of(tag).unwrap_or_default().cmp(&slug));
        found.ok().map(|i| &tags[i])
    }

    fn collect_tags(&self) -> Vec<Vec<Tag>> {
        (0..self.config.languages.len())
            .map(|lang| {
                let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
                for (index, page) in self.pages.iter().enumerate() {
                    let Some(variant) = &page.variants[lang] else { continue };
                    for name in &self.doc(variant).front.tags {
                        let slug = crate::base::text::slugify(name);
                        if slug.is_empty() {
                            continue;
                        }
                        let path = format!("{}/tags/{slug}/", self.language_prefix(lang));
                        let tag = by_slug.entry(slug).or_insert_with(|| Tag {
                            name: name.clone(),
                            path,
                            pages: Vec::new(),
                        });
                        // Pages come in increasing order, so a repeat can only be the last one.
                        if tag.pages.last() != Some(&index) {
                            tag.pages.push(index);
                        }
                    }
                }
                let mut tags: Vec<Tag> = by_slug.into_values().collect();
                for tag in &mut tags {
                    tag.pages.sort_by(|a, b| {
                        let date = |p: usize| {
                            self.doc(self.pages[p].variants[lang].as_ref().expect("tagged"))
                                .front
                                .date
                        };
                        date(*b)
                            .cmp(&date(*a))
                            .then_with(|| self.pages[*a].key.cmp(&self.pages[*b].key))
                    });
                }
                tags
            })
            .collect()
    }
}

/// Weight first (pages without one last), then newest date, then title.
fn page_order(a: &FrontMatter, b: &FrontMatter) -> std::cmp::Ordering {
    let weight = |f: &FrontMatter| f.weight.unwrap_or(i64::MAX);
    weight(a).cmp(&weight(b)).then_with(|| b.date.cmp(&a.date)).then_with(|| a.title.cmp(&b.title))
}

/// Whether a document is published under the given options.
pub fn is_published(front: &FrontMatter, options: &BuildOptions) -> bool {
    (!front.draft || options.drafts)
        && front.publish_date.is_none_or(|d| d <= options.now)
        && front.expiry_date.is_none_or(|d| d > options.now)
}

fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or(String::new(), |i| after_scheme[i..].trim_end_matches('/').to_owned())
}

/// Pages and sections with their URLs, before bodies are parsed.
pub(crate) struct Skeleton {
    pub(crate) pages: Vec<Page>,
    pub(crate) sections: Vec<Section>,
    /// Position of each page and section by kind and key.
    positions: HashMap<(Kind, String), usize>,
}

impl Skeleton {
    /// The language versions of the page or section with this kind and key.
    pub(crate) fn variants_of(&self, kind: Kind, key: &str) -> Option<&[Option<Variant>]> {
        let index = *self.positions.get(&(kind, key.to_owned()))?;
        Some(match kind {
            Kind::Page => &self.pages[index].variants,
            Kind::Section => &self.sections[index].variants,
        })
    }

    /// The language versions of every page, then of every section.
    pub(crate) fn all_variants(&self) -> impl Iterator<Item = &Vec<Option<Variant>>> {
        self.pages.iter().map(|p| &p.variants).chain(self.sections.iter().map(|s| &s.variants))
    }

    fn build(config: &Config, documents: &[Document]) -> Result<Skeleton> {
        let languages = config.languages.len();
        let mut by_key: HashMap<(Kind, String), Vec<Option<usize>>> = HashMap::new();
        for (index, doc) in documents.iter().enumerate() {
            let slots = by_key
                .entry((doc.source.kind, doc.source.key.clone()))
                .or_insert_with(|| vec![None; languages]);
            if let Some(other) = slots[doc.source.lang] {
                return Err(two_sources(&documents[other].source.path, &doc.source.path));
            }
            slots[doc.source.lang] = Some(index);
        }
        if !by_key.contains_key(&(Kind::Section, String::new())) {
            return Err(Error::at("content/_index.md", None, msg!("model.no_home"))
                .with_hint(msg!("model.no_home.hint")));
        }
        let mut section_keys: Vec<&String> =
            by_key.keys().filter(|(kind, _)| *kind == Kind::Section).map(|(_, key)| key).collect();
        section_keys.sort();
        let mut sections: Vec<Section> = Vec::new();
        for key in &section_keys {
            let slots = &by_key[&(Kind::Section, (*key).clone())];
            let variants = urls::variants(config, documents, slots)?;
            let parent = (!key.is_empty())
                .then(|| nearest_section(&section_keys, parent_dir(key.trim_end_matches('/'))));
            sections.push(Section {
                key: (*key).clone(),
                parent,
                variants,
                pages: vec![Vec::new(); languages],
                subsections: Vec::new(),
            });
        }
        for index in 1..sections.len() {
            let parent = sections[index].parent.expect("only home has no parent");
            sections[parent].subsections.push(index);
        }
        let mut page_keys: Vec<&String> =
            by_key.keys().filter(|(kind, _)| *kind == Kind::Page).map(|(_, k)| k).collect();
        page_keys.sort();
        let mut pages = Vec::new();
        for key in page_keys {
            let slots = &by_key[&(Kind::Page, key.clone())];
            let variants = urls::variants(config, documents, slots)?;
            let section = nearest_section(&section_keys, parent_dir(key));
            for lang in 0..languages {
                sections[section].pages[lang].push(pages.len());
            }
            pages.push(Page {
                key: key.clone(),
                section,
                variants,
                neighbours: vec![(None, None); languages],
            });
        }
        let page_keys = pages.iter().enumerate().map(|(i, p)| ((Kind::Page, p.key.clone()), i));
        let section_keys =
            sections.iter().enumerate().map(|(i, s)| ((Kind::Section, s.key.clone()), i));
        let positions = page_keys.chain(section_keys).collect();
        Ok(Skeleton { pages, sections, positions })
    }
}

/// The error for two sources that want the same place.
pub(crate) fn two_sources(first: &std::path::Path, second: &std::path::Path) -> Error {
    Error::at(second, None, msg!("model.same_url", other = first.display()))
        .with_hint(msg!("model.same_url.hint"))
}

fn parent_dir(key: &str) -> &str {
    key.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The index of the deepest section whose folder contains `dir`.
fn nearest_section(section_keys: &[&String], mut dir: &str) -> usize {
    loop {
        let key = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        if let Some(index) = section_keys.iter().position(|k| **k == key) {
            return index;
        }
        dir = parent_dir(dir);
    }
}

/// Co-located files with their URL paths, and a lookup from folder and name.
pub(crate) struct Assets {
    pub(crate) placed: Vec<PlacedAsset>,
    pub(crate) by_location: HashMap<(String, String), String>,
}

fn place_assets(config: &Config, skeleton: &Skeleton, files: &[AssetFile]) -> Assets {
    let mut placed = Vec::new();
    let mut by_location = HashMap::new();
    for file in files {
        let base = asset_base(skeleton, &file.dir);
        let path = format!("{base}{}", crate::base::percent::encode_path(&file.name));
        let source = config.root.join(content::CONTENT_DIR).join(&file.dir).join(&file.name);
        by_location.insert((file.dir.clone(), file.name.clone()), path.clone());
        placed.push(PlacedAsset { source, path });
    }
    Assets { placed, by_location }
}

/// The URL folder where files co-located in `dir` are published.
fn asset_base(skeleton: &Skeleton, dir: &str) -> String {
    let first_path =
        |variants: &[Option<Variant>]| variants.iter().flatten().next().map(|v| v.path.clone());
    let section_key = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    let owner = skeleton
        .variants_of(Kind::Page, dir)
        .and_then(first_path)
        .or_else(|| skeleton.variants_of(Kind::Section, &section_key).and_then(first_path));
    if let Some(path) = owner {
        return path;
    }
    let segments: Vec<String> =
        dir.split('/').filter(|s| !s.is_empty()).map(crate::base::text::slugify).collect();
    if segments.is_empty() { "/".into() } else { format!("/{}/", segments.join("/")) }
}

/// The hotlines a page shows, as indexes into the site's: those its own `hotlines:` names, in
/// its order (each once, unknown ones left out), else every one of the site, in its order.
pub fn hotline_order(site: &[&str], page: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::new();
    for id in page {
        if let Some(index) = site.iter().position(|s| s == id)
            && !order.contains(&index)
        {
            order.push(index);
        }
    }
    if page.is_empty() { (0..site.len()).collect() } else { order }
}

fn check_hotlines(config: &Config, docs: &[Doc]) -> Result<()> {
    let ids: Vec<&str> = config.hotlines.iter().map(|h| h.id.as_str()).collect();
    let mut errors = Vec::new();
    for doc in docs {
        for (id, position) in &doc.front.hotlines {
            if !ids.contains(&id.as_str()) {
                let hint = match crate::base::yaml::closest(id, &ids) {
                    Some(best) => msg!("yaml.did_you_mean", best = best),
                    None => msg!("model.known_hotlines", ids = ids.join(", ")),
                };
                errors.push(
                    Error::at(
                        &doc.source.path,
                        Some(*position),
                        msg!("model.unknown_hotline", id = id),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::from_many(errors)) }
}

/// Renders every document's Markdown in parallel with `resolve` built per document.
pub(crate) fn parse_all<F>(documents: Vec<Document>, make: F) -> Result<Vec<Doc>>
where
    F: Fn(usize, &Document) -> Result<Rendered> + Sync,
{
    let results: Vec<Result<Doc>> = documents
        .into_par_iter()
        .enumerate()
        .map(|(position, document)| {
            let rendered = make(position, &document)?;
            Ok(Doc::parsed(document, rendered))
        })
        .collect();
    Error::collect(results)
}

/// Parses a body with a link resolver and shortcodes; shortcode problems carry the file and place.
pub(crate) fn render_body(
    document: &Document,
    resolve: &dyn Fn(&str) -> markdown::Resolved,
    host: &dyn markdown::ShortcodeHost,
    trust_raw_html: bool,
) -> Result<Rendered> {
    let nesting = match document.front.print {
        Some(_) => markdown::Nesting::Everything,
        None => markdown::Nesting::Shortcodes,
    };
    let raw_html = if trust_raw_html {
        crate::load::safety::RawHtml::Trusted
    } else {
        crate::load::safety::RawHtml::Sanitized
    };
    let (body, offset) = (&document.body, document.body_line_offset);
    markdown::parse_page(body, offset, resolve, Some(host), nesting, raw_html)
        .map_err(|f| shortcodes::located(&document.source.path, f.position, f.message, f.hint))
}

/// The bleed of a build in millimetres: `print.bleed` of site.yaml, or 3 mm with `--bleed`
/// when site.yaml names none.
fn press_bleed(configured: f64, asked: bool) -> f64 {
    if asked && configured == 0.0 { DEFAULT_BLEED_MM } else { configured }
}

/// The bleed `loa build --bleed` gives, in millimetres, as print shops ask.
pub const DEFAULT_BLEED_MM: f64 = 3.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_shows_its_own_hotlines_in_its_order_else_the_sites_in_the_sites_order() {
        let site = ["111", "1800 1567", "113"];
        assert_eq!(hotline_order(&site, &[]), [0, 1, 2]);
        assert_eq!(hotline_order(&site, &["113", "111"]), [2, 0]);
        assert_eq!(hotline_order(&site, &["113", "113", "999"]), [2]);
    }
}
