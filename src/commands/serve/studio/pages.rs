//! The studio's list of pages: every page and section of `content/`, with, for each language,
//! its file, title and state (translated, outdated, missing, draft, scheduled, expired), and
//! what stops a file from being read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::dates::Moment;
use crate::base::error::{Diagnostics, Result};
use crate::base::messages::UiLang;
use crate::load::config::Config;
use crate::load::content::{self, Kind, SourceFile};
use crate::load::front_matter::FrontMatter;
use crate::load::staleness::{self, Freshness};

/// The state of one language version of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Published (the source language), or a translation made from the current source.
    Translated,
    /// A translation whose source changed since it was marked up to date (or never marked).
    Outdated,
    /// No file in this language.
    Missing,
    /// `draft: true`.
    Draft,
    /// Its publish date is still to come.
    Scheduled,
    /// Its expiry date has passed.
    Expired,
    /// The file cannot be read (see its problem).
    Broken,
}

/// One language version of a page.
#[derive(Debug, Serialize)]
pub struct Version {
    /// The file, relative to the site (`content/…`); for a missing one, where it belongs.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its state.
    pub state: State,
    /// What is wrong with it, for people.
    pub problems: Vec<String>,
}

/// A page or section with its versions.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// Its key (`tin-tuc/lua-dao`, `tin-tuc/` for a section).
    pub key: String,
    /// Whether it is a section.
    pub section: bool,
    /// The section it is in (`""` for the top).
    pub within: String,
    /// Its title folded to ASCII and lowercase, for search without diacritics.
    pub folded: String,
    /// One version per language code.
    pub versions: BTreeMap<String, Version>,
}

/// The site as the studio lists it.
#[derive(Debug, Serialize)]
pub struct Listing {
    /// Language codes, the source first.
    pub languages: Vec<String>,
    /// Section keys.
    pub sections: Vec<String>,
    /// The site's hotlines (`id`, `display`), for the form and the toolbar.
    pub hotlines: Vec<(String, String)>,
    /// Tags used anywhere, for suggestions.
    pub tags: Vec<String>,
    /// Every page and section.
    pub pages: Vec<Entry>,
}

/// What the list keeps of one source file between requests, while its size and modification
/// time stay the same.
struct Summary {
    /// The file's size and modification time when it was read.
    seen: (u64, Option<std::time::SystemTime>),
    /// What the list shows of it, or why it cannot be read.
    read: std::result::Result<Front, Box<crate::base::error::Error>>,
}

/// The front matter keys the list shows, and the stamp of the text a translation is made from.
struct Front {
    title: String,
    draft: bool,
    publish_date: Option<Moment>,
    expiry_date: Option<Moment>,
    translated_from: Option<String>,
    tags: Vec<String>,
    stamp: String,
}

/// The changes to a site seen so far: the builds of `loa serve`, the studio's own writes.
pub type Changes = (u64, u64);

/// The page list kept between requests: the files found in `content/` (found again when the
/// site changed) and what was read from each (read again when its size or time changed).
#[derive(Default)]
pub struct Cache {
    /// The change count the inventory was taken at, with the settings and the sources found.
    inventory: Option<(Changes, Config, Vec<SourceFile>)>,
    files: std::collections::HashMap<std::path::PathBuf, Summary>,
}

/// Lists the site at `root` as of `now`, with problems in `lang`, reading again only what
/// changed since `cache` was filled; `changes` counts the changes to the site seen so far (the
/// builds of `loa serve`, the studio's own writes): while it stays the same, no file is looked
/// at.
pub fn list(
    root: &Path,
    now: Moment,
    lang: UiLang,
    cache: &mut Cache,
    changes: Changes,
) -> Result<Listing> {
    if cache.inventory.as_ref().is_none_or(|(seen, _, _)| *seen != changes) {
        cache.inventory = None;
        let config = Config::load(root)?;
        let mut diagnostics = Diagnostics::default();
        let sources = content::discover(&config, &mut diagnostics)?.sources;
        refresh(&config, &sources, &mut cache.files);
        cache.inventory = Some((changes, config, sources));
    }
    let (_, config, sources) = cache.inventory.as_ref().expect("taken above");
    Ok(listing(config, sources, &cache.files, now, lang))
}

/// Reads again the sources whose size or time changed (in parallel), and forgets files that
/// are gone.
fn refresh(
    config: &Config,
    sources: &[SourceFile],
    files: &mut std::collections::HashMap<std::path::PathBuf, Summary>,
) {
    use rayon::prelude::*;
    let present: std::collections::HashSet<&Path> =
        sources.iter().map(|s| s.path.as_path()).collect();
    files.retain(|path, _| present.contains(path.as_path()));
    let stale: Vec<(&SourceFile, (u64, Option<std::time::SystemTime>))> = sources
        .par_iter()
        .map(|source| (source, seen(&config.root.join(&source.path))))
        .filter(|(source, seen)| files.get(&source.path).is_none_or(|s| s.seen != *seen))
        .collect();
    let read: Vec<(std::path::PathBuf, Summary)> = stale
        .into_par_iter()
        .map(|(source, seen)| (source.path.clone(), Summary { seen, read: read(config, source) }))
        .collect();
    files.extend(read);
}

/// A file's size and modification time (zero and none when it cannot be looked at).
fn seen(file: &Path) -> (u64, Option<std::time::SystemTime>) {
    std::fs::metadata(file).map_or((0, None), |m| (m.len(), m.modified().ok()))
}

/// The listing of `sources` from what was read of each.
fn listing(
    config: &Config,
    sources: &[SourceFile],
    files: &std::collections::HashMap<std::path::PathBuf, Summary>,
    now: Moment,
    lang: UiLang,
) -> Listing {
    let mut tags = std::collections::BTreeSet::new();
    let read = |index: usize| files.get(&sources[index].path).map(|s| &s.read);
    let mut by_key: BTreeMap<(&str, bool), Vec<Option<usize>>> = BTreeMap::new();
    for (index, source) in sources.iter().enumerate() {
        let slots = by_key
            .entry((source.key.as_str(), source.kind == Kind::Section))
            .or_insert_with(|| vec![None; config.languages.len()]);
        slots[source.lang] = Some(index);
    }
    let mut pages = Vec::new();
    for ((key, section), slots) in by_key {
        let source_stamp =
            slots[0].and_then(read).and_then(|r| r.as_ref().ok()).map(|f| f.stamp.as_str());
        let mut versions = BTreeMap::new();
        for (index, slot) in slots.iter().enumerate() {
            let code = config.languages[index].code.clone();
            let version = match slot.and_then(|i| Some((&sources[i], read(i)?))) {
                Some((source, front)) => {
                    if let Ok(front) = front {
                        tags.extend(front.tags.iter().cloned());
                    }
                    let stamp = source_stamp.filter(|_| index != 0);
                    version_of(source, front, stamp, now, lang)
                }
                None => missing(sources, &slots, &code),
            };
            versions.insert(code, version);
        }
        let title = config
            .languages
            .iter()
            .filter_map(|l| versions.get(&l.code))
            .find(|v| v.state != State::Missing)
            .map(|v| v.title.clone());
        pages.push(Entry {
            folded: crate::base::text::fold_to_ascii(&title.unwrap_or_default()).to_lowercase(),
            within: within(key),
            key: key.to_owned(),
            section,
            versions,
        });
    }
    Listing {
        languages: config.languages.iter().map(|l| l.code.clone()).collect(),
        sections: pages.iter().filter(|p| p.section).map(|p| p.key.clone()).collect(),
        hotlines: config.hotlines.iter().map(|h| (h.id.clone(), h.display.clone())).collect(),
        tags: tags.into_iter().collect(),
        pages,
    }
}

/// The section a key is in: `tin-tuc/lua-dao` → `tin-tuc`, `tin-tuc/` → `""`.
fn within(key: &str) -> String {
    key.trim_end_matches('/').rsplit_once('/').map(|(s, _)| s.to_owned()).unwrap_or_default()
}

/// What the list shows of a source, read as a build reads it.
fn read(
    config: &Config,
    source: &SourceFile,
) -> std::result::Result<Front, Box<crate::base::error::Error>> {
    let document = content::read_document(source.clone(), config).map_err(Box::new)?;
    let front: FrontMatter = document.front;
    Ok(Front {
        stamp: staleness::stamp(&front.title, &document.body),
        title: front.title,
        draft: front.draft,
        publish_date: front.publish_date,
        expiry_date: front.expiry_date,
        translated_from: front.translated_from,
        tags: front.tags,
    })
}

/// A version that exists; `source_stamp` is the source's stamp for a translation.
fn version_of(
    source: &SourceFile,
    front: &std::result::Result<Front, Box<crate::base::error::Error>>,
    source_stamp: Option<&str>,
    now: Moment,
    lang: UiLang,
) -> Version {
    let path = source.path.to_string_lossy().replace('\\', "/");
    let front = match front {
        Ok(front) => front,
        Err(error) => {
            let problems = vec![error.render(lang)];
            return Version { path, title: source.name.clone(), state: State::Broken, problems };
        }
    };
    let state = if front.draft {
        State::Draft
    } else if front.publish_date.is_some_and(|d| d > now) {
        State::Scheduled
    } else if front.expiry_date.is_some_and(|d| d <= now) {
        State::Expired
    } else {
        match source_stamp.map(|s| staleness::freshness(front.translated_from.as_deref(), s)) {
            Some(Freshness::Outdated | Freshness::Unstamped) => State::Outdated,
            _ => State::Translated,
        }
    };
    Version { path, title: front.title.clone(), state, problems: Vec::new() }
}

/// A version not written yet: where its file belongs, beside the source.
fn missing(sources: &[SourceFile], slots: &[Option<usize>], code: &str) -> Version {
    let source = slots.iter().flatten().next().map(|i| &sources[*i].path);
    let path = source
        .map(|p| crate::commands::i18n::translation_path(p, code))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    Version { path, title: String::new(), state: State::Missing, problems: Vec::new() }
}

/// What `loa check` finds in one source file: its problems, and its notes (the parts read
/// only on the loudspeaker or shown only on the web), which are not problems.
#[derive(Debug, Default, serde::Serialize)]
pub struct Found {
    /// Errors and warnings, as text.
    pub problems: Vec<String>,
    /// Notes, as text.
    pub notes: Vec<String>,
}

/// What `loa check` found in the site, per source file (`content/…`), to be told in either
/// language.
#[derive(Debug, Default)]
pub struct Problems {
    by_file: BTreeMap<String, Vec<crate::base::error::Diagnostic>>,
}

impl Problems {
    /// The problems and notes of each file, in `lang`.
    pub fn in_lang(&self, lang: UiLang) -> BTreeMap<&str, Found> {
        let mut found: BTreeMap<&str, Found> = BTreeMap::new();
        for (path, diagnostics) in &self.by_file {
            let entry = found.entry(path.as_str()).or_default();
            for diagnostic in diagnostics {
                let text = diagnostic.render(lang);
                match diagnostic.severity {
                    crate::base::error::Severity::Note => entry.notes.push(text),
                    _ => entry.problems.push(text),
                }
            }
        }
        found
    }
}

impl Problems {
    /// These problems with those of `pages` (`content/…`) found again in `site`, which follows
    /// the files on disk: the checks of those pages alone (`Scope::Docs`), so that a save does
    /// not load and check the whole site again.
    pub fn with_pages_checked_again(
        &self,
        site: &crate::model::Site,
        pages: &[PathBuf],
    ) -> Problems {
        let docs: Vec<usize> = pages.iter().filter_map(|p| site.doc_at(p)).collect();
        let mode = crate::commands::check::Mode::Check;
        let found = crate::commands::check::problems_in(
            site,
            mode,
            crate::commands::check::Scope::Docs(&docs),
        );
        let mut by_file = self.by_file.clone();
        for page in pages {
            by_file.remove(&page.to_string_lossy().replace('\\', "/"));
        }
        for diagnostic in found.diagnostics.sorted() {
            let path = diagnostic.path.to_string_lossy().replace('\\', "/");
            by_file.entry(path).or_default().push(diagnostic);
        }
        Problems { by_file }
    }
}

/// What `loa check` finds, per source file; drafts and scheduled pages are checked too.
pub fn problems(root: &Path, now: Moment) -> Problems {
    let options = crate::model::BuildOptions {
        drafts: true,
        now,
        base_url: None,
        bleed: false,
        untrusted_authors: true,
    };
    let mut problems = Problems::default();
    for diagnostic in crate::commands::check::check(root, &options).sorted() {
        let path = diagnostic.path.to_string_lossy().replace('\\', "/");
        problems.by_file.entry(path).or_default().push(diagnostic);
    }
    problems
}
