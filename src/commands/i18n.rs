//! `loa i18n status`, `loa i18n stamp` and `loa i18n diff`: translation coverage and freshness
//! per language, per page and per block.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::base::messages::UiLang;
use crate::commands::i18n_blocks as blocks;
use crate::load::staleness::{self, Freshness};
use crate::model::Site;

/// Coverage of one language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageStatus {
    /// Language code.
    pub code: String,
    /// Name of the language in itself.
    pub name: String,
    /// Whether this is the language the others are translated from (the default one).
    pub source: bool,
    /// Pages and sections written in this language (the sources, for the default one).
    pub pages: Vec<PathBuf>,
    /// Translations that are current (always empty for the source language).
    pub translated: Vec<PathBuf>,
    /// Translations whose source changed after they were stamped.
    pub outdated: Vec<PathBuf>,
    /// Translations never stamped, so their age is unknown.
    pub unstamped: Vec<PathBuf>,
    /// Files to write: pages shown in a fallback language.
    pub missing: Vec<PathBuf>,
    /// UI strings of the default language that this language does not define itself.
    pub missing_keys: Vec<String>,
    /// Per translation carrying block stamps: how many of its source's blocks changed since.
    pub blocks: Vec<PageBlocks>,
}

/// How the blocks of one translation's source changed since it was stamped.
#[derive(Debug, Clone, Serialize)]
pub struct PageBlocks {
    /// The translation file.
    pub path: PathBuf,
    /// The counts.
    #[serde(flatten)]
    pub counts: staleness::BlockCounts,
}

/// The status of every language of the site.
pub fn status(site: &Site) -> Vec<LanguageStatus> {
    (0..site.config.languages.len()).map(|lang| language_status(site, lang)).collect()
}

fn language_status(site: &Site, lang: usize) -> LanguageStatus {
    let code = site.config.languages[lang].code.clone();
    let mut status = LanguageStatus {
        name: site.locales.language_name(lang, &code).to_owned(),
        code: code.clone(),
        source: lang == 0,
        pages: Vec::new(),
        translated: Vec::new(),
        outdated: Vec::new(),
        unstamped: Vec::new(),
        missing: Vec::new(),
        missing_keys: Vec::new(),
        blocks: Vec::new(),
    };
    for variant in site.all_variants().filter_map(|variants| variants[lang].as_ref()) {
        let path = site.doc(variant).source.path.clone();
        if variant.translated {
            status.pages.push(path.clone());
        }
        if let Some(counts) = variant.changes.filter(|_| lang != 0) {
            status.blocks.push(PageBlocks { path: path.clone(), counts });
        }
        match (variant.translated, variant.freshness) {
            (true, _) if lang == 0 => {}
            (false, _) => status.missing.push(translation_path(&path, &code)),
            (true, Some(Freshness::Outdated)) => status.outdated.push(path),
            (true, Some(Freshness::Unstamped)) => status.unstamped.push(path),
            (true, _) => status.translated.push(path),
        }
    }
    if lang != 0 {
        status.missing_keys = site
            .locales
            .own_keys(0)
            .filter(|key| !key.starts_with("speech.") && !site.locales.has_own(lang, key))
            .map(str::to_owned)
            .collect();
    }
    let lists = [
        &mut status.pages,
        &mut status.translated,
        &mut status.outdated,
        &mut status.unstamped,
        &mut status.missing,
    ];
    for list in lists {
        list.sort();
    }
    status.blocks.sort_by(|a, b| a.path.cmp(&b.path));
    status
}

/// Where the translation of `source` into `code` belongs: `a/b.md` → `a/b.<code>.md`.
pub fn translation_path(source: &Path, code: &str) -> PathBuf {
    let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    source.with_file_name(format!("{stem}.{code}.md"))
}

/// The status as text for people.
pub fn format_text(statuses: &[LanguageStatus], lang: UiLang) -> String {
    let mut out = String::new();
    for s in statuses {
        if s.source {
            let line =
                msg!("status.source_line", name = &s.name, code = &s.code, pages = s.pages.len());
            out.push_str(&line.render(lang));
            out.push('\n');
            continue;
        }
        let line = msg!(
            "status.line",
            name = &s.name,
            code = &s.code,
            translated = s.translated.len(),
            outdated = s.outdated.len(),
            unstamped = s.unstamped.len(),
            missing = s.missing.len(),
            keys = s.missing_keys.len()
        );
        out.push_str(&line.render(lang));
        out.push('\n');
        let lists = [
            (msg!("status.outdated"), &s.outdated),
            (msg!("status.unstamped"), &s.unstamped),
            (msg!("status.missing"), &s.missing),
        ];
        for (label, list) in lists {
            for path in list {
                out.push_str(&format!("  {}: {}\n", label.render(lang), path.display()));
            }
        }
        for page in &s.blocks {
            let c = page.counts;
            let line = msg!(
                "status.blocks",
                path = page.path.display(),
                current = c.current,
                changed = c.changed,
                new = c.new,
                removed = c.removed
            );
            out.push_str(&format!("  {}\n", line.render(lang)));
        }
    }
    out
}

/// A translation of the site and the source it is made from.
pub(crate) struct Pair {
    /// The translation, relative to the root.
    pub(crate) translation: PathBuf,
    /// Its source, relative to the root.
    pub(crate) source: PathBuf,
}

/// Finds the source of the translation at `file` (relative to the root or absolute).
fn pair_of(site: &Site, file: &Path) -> Result<Pair> {
    let relative = relative_to_root(&site.config.root, file);
    let found = site.docs.iter().enumerate().find(|(_, d)| d.source.path == relative);
    let Some((index, doc)) = found else {
        return Err(Error::at(&relative, None, msg!("stamp.unknown_file"))
            .with_hint(msg!("stamp.unknown_file.hint")));
    };
    let lang = doc.source.lang;
    let variants = site
        .all_variants()
        .find(|v| v[lang].as_ref().is_some_and(|x| x.doc == index))
        .expect("every document has its variant");
    let Some(source) = site.source_variant(variants, lang) else {
        return Err(Error::at(&relative, None, msg!("stamp.is_source"))
            .with_hint(msg!("stamp.is_source.hint")));
    };
    Ok(Pair { translation: relative, source: site.doc(source).source.path.clone() })
}

/// Writes the current stamp of its source, and of each of the source's blocks, into the
/// translation at `file`; the blocks' text goes to the translation's record under
/// `translations/` so that `loa i18n diff` can show what changed later.
pub fn stamp_file(site: &Site, file: &Path) -> Result<String> {
    let root = &site.config.root;
    let pair = pair_of(site, file)?;
    let source = blocks::read_blocks(root, &pair.source)?;
    let relative = &pair.translation;
    let file = root.join(relative);
    let original_bytes = fs_err::read(&file)?;
    let Ok(original) = std::str::from_utf8(&original_bytes) else {
        return crate::base::encoding::read_source_bytes(&original_bytes, relative)
            .map(|_| source.stamp);
    };
    let stamps: Vec<staleness::BlockStamp> = source
        .segments
        .iter()
        .map(|s| staleness::BlockStamp { hash: s.hash(), translated: true })
        .collect();
    let stamped = staleness::with_stamp(original, &source.stamp, relative)?;
    let stamped = staleness::with_field(
        &stamped,
        staleness::BLOCKS_KEY,
        &staleness::format_block_stamps(&stamps),
        relative,
    )?;
    blocks::write_record(root, &pair, &source.segments)?;
    crate::base::files::replace_if_unchanged(&file, relative, &original_bytes, stamped.as_bytes())?;
    Ok(source.stamp)
}

/// `loa i18n diff FILE`: each block of the source that changed since the translation at `file`
/// was stamped, word by word, beside the translation's block; new and removed blocks too.
pub fn diff_file(site: &Site, file: &Path, lang: UiLang) -> Result<String> {
    let root = &site.config.root;
    let pair = pair_of(site, file)?;
    let source = blocks::read_blocks(root, &pair.source)?;
    let translation = blocks::read_blocks(root, &pair.translation)?;
    let Some(stamps) = translation.block_stamps.as_deref() else {
        return Err(Error::at(&pair.translation, None, msg!("diff.no_block_stamps"))
            .with_hint(msg!("diff.no_block_stamps.hint", file = pair.translation.display())));
    };
    let stamps = staleness::parse_block_stamps(stamps);
    let hashes: Vec<String> = source.segments.iter().map(|s| s.hash()).collect();
    let old_texts = blocks::read_record(root, &pair)?;
    let view = blocks::DiffView {
        source: &source,
        translation: &translation,
        stamps: &stamps,
        old_texts: &old_texts,
    };
    let mut out = String::new();
    for change in staleness::compare_blocks(&stamps, &hashes) {
        out.push_str(&view.describe(change, &pair, lang));
    }
    if out.is_empty() {
        out = msg!("diff.nothing_changed", file = pair.translation.display()).render(lang);
    }
    Ok(out)
}

fn relative_to_root(root: &Path, file: &Path) -> PathBuf {
    let absolute = crate::write::absolute(file);
    let root = crate::write::absolute(root);
    absolute.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_name_missing_translations() {
        assert_eq!(
            translation_path(Path::new("content/a/b.md"), "ktv"),
            PathBuf::from("content/a/b.ktv.md")
        );
        assert_eq!(
            translation_path(Path::new("content/_index.md"), "en"),
            PathBuf::from("content/_index.en.md")
        );
    }
}
