//! URL paths of pages and sections in each language, and the check that no two collide.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::base::error::{Error, Result};
use crate::base::text::slugify;
use crate::load::config::Config;
use crate::load::content::Document;
use crate::load::staleness::{Freshness, freshness, stamp};
use crate::model::{Site, Variant};

/// The URL prefix of a language: `""` for the default one, `/en` for others.
pub fn language_prefix(config: &Config, lang: usize) -> String {
    if lang == 0 { String::new() } else { format!("/{}", config.languages[lang].code) }
}

/// The variant of a page or section in each language, following fallback chains.
pub fn variants(
    config: &Config,
    documents: &[Document],
    slots: &[Option<usize>],
) -> Result<Vec<Option<Variant>>> {
    (0..config.languages.len())
        .map(|lang| {
            let chain =
                std::iter::once(lang).chain(config.languages[lang].fallbacks.iter().copied());
            let Some((shown_lang, doc)) = chain.filter_map(|l| slots[l].map(|d| (l, d))).next()
            else {
                return Ok(None);
            };
            let path = path_of(config, documents, slots, lang, doc)?;
            let translated = shown_lang == lang;
            let freshness =
                if translated { freshness_of(config, documents, slots, lang) } else { None };
            let changes =
                if translated { changes_of(config, documents, slots, lang) } else { None };
            Ok(Some(Variant { lang, doc, path, translated, freshness, changes }))
        })
        .collect()
}

/// How a translation in `lang` compares with the first source in its fallback chain.
fn freshness_of(
    config: &Config,
    documents: &[Document],
    slots: &[Option<usize>],
    lang: usize,
) -> Option<Freshness> {
    let translation = &documents[slots[lang]?];
    let source =
        config.languages[lang].fallbacks.iter().find_map(|l| slots[*l]).map(|d| &documents[d])?;
    let stamped = translation.front.translated_from.as_deref().filter(|s| !s.trim().is_empty());
    let Some(stamped) = stamped else { return Some(Freshness::Unstamped) };
    Some(freshness(Some(stamped), &stamp(&source.front.title, &source.body)))
}

/// How many blocks of the source changed since a translation in `lang` was stamped.
fn changes_of(
    config: &Config,
    documents: &[Document],
    slots: &[Option<usize>],
    lang: usize,
) -> Option<crate::load::staleness::BlockCounts> {
    let translation = &documents[slots[lang]?];
    let source =
        config.languages[lang].fallbacks.iter().find_map(|l| slots[*l]).map(|d| &documents[d])?;
    crate::load::staleness::block_counts(translation, source)
}

fn path_of(
    config: &Config,
    documents: &[Document],
    slots: &[Option<usize>],
    lang: usize,
    shown: usize,
) -> Result<String> {
    let source = &documents[shown].source;
    let key = source.key.trim_end_matches('/');
    let prefix = language_prefix(config, lang);
    if key.is_empty() {
        return Ok(format!("{prefix}/"));
    }
    let chosen_slug = [slots[lang], slots[0]]
        .into_iter()
        .flatten()
        .find_map(|d| documents[d].front.slug.as_ref().map(|(s, p)| (slugify(s), Some((d, *p)))))
        .unwrap_or_else(|| (slugify(&source.name), None));
    let (slug, origin) = chosen_slug;
    if slug.is_empty() {
        let (path, position) = match origin {
            Some((d, p)) => (documents[d].source.path.clone(), Some(p)),
            None => (source.path.clone(), None),
        };
        return Err(
            Error::at(path, position, msg!("urls.no_slug")).with_hint(msg!("urls.no_slug.hint"))
        );
    }
    let mut segments: Vec<String> = key.split('/').map(slugify).collect();
    segments.pop();
    if let Some(empty) = segments.iter().position(String::is_empty) {
        let folder: Vec<&str> = key.split('/').take(empty + 1).collect();
        return Err(Error::at(
            PathBuf::from("content").join(folder.join("/")),
            None,
            msg!("urls.no_folder_slug"),
        )
        .with_hint(msg!("urls.no_folder_slug.hint")));
    }
    segments.push(slug);
    if let Some(long) = segments.iter().find(|s| s.len() > crate::base::paths::MAX_NAME_BYTES) {
        let refusal = crate::base::paths::Refusal::NameTooLong(long.clone());
        let position = origin.map(|(_, p)| p);
        return Err(Error::at(source.path.clone(), position, refusal.message(long))
            .with_hint(refusal.hint()));
    }
    Ok(format!("{prefix}/{}/", segments.join("/")))
}

/// Fails when two sources (pages, sections, tags, aliases or files) would be published at one URL.
pub fn check_unique(site: &Site) -> Result<()> {
    let page_paths: std::collections::HashSet<&str> =
        site.all_variants().flatten().flatten().map(|v| v.path.as_str()).collect();
    let mut owners: HashMap<String, PathBuf> = HashMap::new();
    let mut claim = |path: String, owner: PathBuf| -> Result<()> {
        match owners.get(&path) {
            Some(existing) if *existing != owner => Err(super::two_sources(existing, &owner)),
            _ => {
                owners.insert(path, owner);
                Ok(())
            }
        }
    };
    for variants in site.all_variants() {
        for variant in variants.iter().flatten() {
            let doc = site.doc(variant);
            claim(variant.path.clone(), doc.source.path.clone())?;
            if variant.translated {
                for (alias, position) in &doc.front.aliases {
                    let path = normalize_alias(alias);
                    if page_paths.contains(path.as_str()) {
                        return Err(Error::at(
                            &doc.source.path,
                            Some(*position),
                            msg!("urls.alias_is_page", alias = alias),
                        )
                        .with_hint(msg!("urls.alias_is_page.hint")));
                    }
                    claim(path, doc.source.path.clone())?;
                }
            }
        }
    }
    for asset in &site.assets {
        let shown =
            asset.source.strip_prefix(&site.config.root).unwrap_or(&asset.source).to_path_buf();
        claim(asset.path.clone(), shown)?;
    }
    Ok(())
}

/// An alias as a URL path: leading `/`, and a trailing `/` unless it names a file.
pub fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    let path = format!("/{trimmed}");
    if path.ends_with('/') || path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        path
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_normalize_aliases() {
        assert_eq!(normalize_alias("tin-cu/a"), "/tin-cu/a/");
        assert_eq!(normalize_alias("/old.html"), "/old.html");
        assert_eq!(normalize_alias("/x/"), "/x/");
    }
}
