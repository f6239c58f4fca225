//! The studio's list of pages: every page and section of `content/`, with, for each language,
//! its file, title and state (translated, outdated, missing, draft, scheduled, expired), and
//! what stops a file from being read.

use std::collections::BTreeMap;
use std::path::Path;

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

/// Lists the site at `root` as of `now`, with problems in `lang`.
pub fn list(root: &Path, now: Moment, lang: UiLang) -> Result<Listing> {
    let config = Config::load(root)?;
    let mut diagnostics = Diagnostics::default();
    let inventory = content::discover(&config, &mut diagnostics)?;
    let mut tags = std::collections::BTreeSet::new();
    let read: Vec<(SourceFile, Result<(FrontMatter, String)>)> = inventory
        .sources
        .into_iter()
        .map(|source| {
            let front = read(&config, &source);
            (source, front)
        })
        .collect();
    let mut by_key: BTreeMap<(String, bool), Vec<Option<usize>>> = BTreeMap::new();
    for (index, (source, _)) in read.iter().enumerate() {
        let slots = by_key
            .entry((source.key.clone(), source.kind == Kind::Section))
            .or_insert_with(|| vec![None; config.languages.len()]);
        slots[source.lang] = Some(index);
    }
    let mut pages = Vec::new();
    for ((key, section), slots) in by_key {
        let source_stamp = slots[0]
            .and_then(|i| read[i].1.as_ref().ok())
            .map(|(front, body)| staleness::stamp(&front.title, body));
        let mut versions = BTreeMap::new();
        for (index, slot) in slots.iter().enumerate() {
            let code = config.languages[index].code.clone();
            let version = match slot {
                Some(i) => {
                    let (source, front) = &read[*i];
                    if let Ok((front, _)) = front {
                        tags.extend(front.tags.iter().cloned());
                    }
                    let stamp = source_stamp.as_deref().filter(|_| index != 0);
                    version_of(source, front, stamp, now, lang)
                }
                None => missing(&read, &slots, &code),
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
            within: within(&key),
            key,
            section,
            versions,
        });
    }
    Ok(Listing {
        languages: config.languages.iter().map(|l| l.code.clone()).collect(),
        sections: pages.iter().filter(|p| p.section).map(|p| p.key.clone()).collect(),
        hotlines: config.hotlines.iter().map(|h| (h.id.clone(), h.display.clone())).collect(),
        tags: tags.into_iter().collect(),
        pages,
    })
}

/// The section a key is in: `tin-tuc/lua-dao` → `tin-tuc`, `tin-tuc/` → `""`.
fn within(key: &str) -> String {
    key.trim_end_matches('/').rsplit_once('/').map(|(s, _)| s.to_owned()).unwrap_or_default()
}

/// The front matter and body of a source, read as a build reads it.
fn read(config: &Config, source: &SourceFile) -> Result<(FrontMatter, String)> {
    let document = content::read_document(source.clone(), config)?;
    Ok((document.front, document.body))
}

/// A version that exists; `source_stamp` is the source's stamp for a translation.
fn version_of(
    source: &SourceFile,
    front: &Result<(FrontMatter, String)>,
    source_stamp: Option<&str>,
    now: Moment,
    lang: UiLang,
) -> Version {
    let path = source.path.to_string_lossy().replace('\\', "/");
    let (front, _) = match front {
        Ok(read) => read,
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
fn missing(
    read: &[(SourceFile, Result<(FrontMatter, String)>)],
    slots: &[Option<usize>],
    code: &str,
) -> Version {
    let source = slots.iter().flatten().next().map(|i| &read[*i].0.path);
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

/// What `loa check` finds, per source file (`content/…`), in `lang`; drafts and scheduled
/// pages are checked too.
pub fn problems(root: &Path, now: Moment, lang: UiLang) -> BTreeMap<String, Found> {
    let options = crate::model::BuildOptions {
        drafts: true,
        now,
        base_url: None,
        bleed: false,
        untrusted_authors: true,
    };
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for diagnostic in crate::commands::check::check(root, &options).sorted() {
        let path = diagnostic.path.to_string_lossy().replace('\\', "/");
        let entry = found.entry(path).or_default();
        let text = diagnostic.render(lang);
        match diagnostic.severity {
            crate::base::error::Severity::Note => entry.notes.push(text),
            _ => entry.problems.push(text),
        }
    }
    found
}
