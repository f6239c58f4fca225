//! `loa i18n status` and `loa i18n stamp`: translation coverage and freshness per language.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::base::messages::UiLang;
use crate::load::staleness::{self, Freshness};
use crate::model::{Site, Variant};

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
    };
    for variant in site.all_variants().filter_map(|variants| variants[lang].as_ref()) {
        let path = site.doc(variant).source.path.clone();
        if variant.translated {
            status.pages.push(path.clone());
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
    }
    out
}

/// Writes the current stamp of its source into the translation at `file` (relative to `root` or absolute).
pub fn stamp_file(site: &Site, file: &Path) -> Result<String> {
    let root = &site.config.root;
    let relative = relative_to_root(root, file);
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
    let source: Option<&Variant> = site.config.languages[lang]
        .fallbacks
        .iter()
        .find_map(|l| variants[*l].as_ref().filter(|v| v.translated));
    let Some(source) = source else {
        return Err(Error::at(&relative, None, msg!("stamp.is_source"))
            .with_hint(msg!("stamp.is_source.hint")));
    };
    let source_path = &site.doc(source).source.path;
    let stamp = staleness::stamp_of_file(&root.join(source_path), source_path)?;
    let file = root.join(&relative);
    let original_bytes = fs_err::read(&file)?;
    let Ok(original) = std::str::from_utf8(&original_bytes) else {
        return crate::base::encoding::read_source_bytes(&original_bytes, &relative).map(|_| stamp);
    };
    let stamped = staleness::with_stamp(original, &stamp, &relative)?;
    crate::base::files::replace_if_unchanged(
        &file,
        &relative,
        &original_bytes,
        stamped.as_bytes(),
    )?;
    Ok(stamp)
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
