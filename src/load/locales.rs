//! UI strings from `locales/<code>.yaml`, over the theme's defaults, with fallback chains.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::base::error::{Diagnostics, Result};
use crate::load::config::Config;

/// The folder of the site's locale files.
pub const LOCALES_DIR: &str = "locales";

/// A value in a locale file: text, or a group of keys.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Entry {
    Text(String),
    Integer(i64),
    Group(BTreeMap<String, Entry>),
}

/// Every language's strings, flattened to dotted keys (`hotline.111`).
#[derive(Debug, Clone, Default)]
pub struct Locales {
    strings: Vec<BTreeMap<String, String>>,
    names: Vec<Option<String>>,
    chains: Vec<Vec<usize>>,
}

impl Locales {
    /// Reads the theme's locale files, then the site's, which override them key by key.
    pub fn load(config: &Config, diagnostics: &mut Diagnostics) -> Result<Locales> {
        let mut strings = vec![BTreeMap::new(); config.languages.len()];
        let mut found = vec![false; config.languages.len()];
        let layers = [
            crate::load::theme::theme_files(config, "locales")?,
            crate::load::theme::site_files(config, LOCALES_DIR)?,
        ];
        for file in layers.iter().flatten() {
            let Some(index) =
                file.relative.strip_suffix(".yaml").and_then(|code| config.language_index(code))
            else {
                continue;
            };
            found[index] = true;
            let text = file.text()?;
            let entries: BTreeMap<String, Entry> = if text.trim().is_empty() {
                BTreeMap::new()
            } else {
                crate::base::yaml::from_str(&text, &file.shown, 0)?
            };
            flatten("", entries, &mut strings[index]);
        }
        for (index, lang) in config.languages.iter().enumerate() {
            if !found[index] {
                diagnostics.warn(
                    PathBuf::from(LOCALES_DIR).join(format!("{}.yaml", lang.code)),
                    None,
                    msg!("i18n.no_locale_file", code = &lang.code),
                );
            }
        }
        let chains =
            config.languages.iter().enumerate().map(|(i, l)| chain(i, &l.fallbacks)).collect();
        let names = config.languages.iter().map(|l| l.name.clone()).collect();
        Ok(Locales { strings, names, chains })
    }

    /// The string for `key` in language `lang` or the first of its fallbacks that has it.
    pub fn get(&self, lang: usize, key: &str) -> Option<&str> {
        self.chains.get(lang)?.iter().find_map(|l| self.strings[*l].get(key)).map(String::as_str)
    }

    /// The language (itself or the first fallback) whose strings give `key`.
    pub fn source(&self, lang: usize, key: &str) -> Option<usize> {
        self.chains.get(lang)?.iter().copied().find(|l| self.strings[*l].contains_key(key))
    }

    /// The `date.format` of `lang` when it is a valid strftime pattern, else ISO (`%Y-%m-%d`);
    /// formatting with it never panics (`loa build` reports a bad pattern itself).
    pub fn date_format(&self, lang: usize) -> &str {
        let format = self.get(lang, "date.format").unwrap_or("%Y-%m-%d");
        let valid = chrono::format::StrftimeItems::new(format).parse().is_ok();
        if valid { format } else { "%Y-%m-%d" }
    }

    /// Whether `lang` itself (not a fallback) has `key`.
    pub fn has_own(&self, lang: usize, key: &str) -> bool {
        self.strings.get(lang).is_some_and(|s| s.contains_key(key))
    }

    /// The name of a language in itself (`language.name`), or its code.
    pub fn language_name<'a>(&'a self, lang: usize, code: &'a str) -> &'a str {
        if let Some(Some(name)) = self.names.get(lang) {
            return name;
        }
        self.strings.get(lang).and_then(|s| s.get("language.name")).map_or(code, String::as_str)
    }

    /// How the language `of` (code `code`) is named inside a sentence of `lang`
    /// (`language.in_text.<code>`: "tiếng Việt", "Vietnamese"), else its own name.
    pub fn language_in_text<'a>(&'a self, lang: usize, of: usize, code: &'a str) -> &'a str {
        self.get(lang, &format!("language.in_text.{code}"))
            .unwrap_or_else(|| self.language_name(of, code))
    }

    /// The keys of `lang` itself (theme and site files, no fallback) that start with `prefix`,
    /// with the prefix removed, sorted.
    pub fn own_with_prefix(&self, lang: usize, prefix: &str) -> Vec<(String, String)> {
        self.strings
            .get(lang)
            .map(|s| s.range(prefix.to_owned()..).take_while(|(k, _)| k.starts_with(prefix)))
            .into_iter()
            .flatten()
            .map(|(k, v)| (k[prefix.len()..].to_owned(), v.clone()))
            .collect()
    }

    /// The keys `lang` defines itself (theme and site files), sorted.
    pub fn own_keys(&self, lang: usize) -> impl Iterator<Item = &str> {
        self.strings.get(lang).into_iter().flat_map(|s| s.keys().map(String::as_str))
    }

    /// Builds locales from in-memory strings (for tests).
    pub fn from_strings(
        strings: Vec<BTreeMap<String, String>>,
        fallbacks: &[Vec<usize>],
    ) -> Locales {
        let chains = fallbacks.iter().enumerate().map(|(i, f)| chain(i, f)).collect();
        Locales { names: vec![None; strings.len()], strings, chains }
    }
}

/// A locale file's text flattened to dotted keys (`hotline.111`); an unreadable file gives none.
pub fn flatten_text(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = serde_saphyr::from_str::<BTreeMap<String, Entry>>(text) {
        flatten("", entries, &mut out);
    }
    out
}

/// The `speech.` entries of the bundled theme's locale for `code` (used outside a site).
pub fn built_in_entries(code: &str) -> Vec<(String, String)> {
    let file = format!("themes/default/locales/{code}.yaml");
    let Some(text) = crate::base::bundle::starter_text(&file) else {
        return Vec::new();
    };
    flatten_text(text)
        .into_iter()
        .filter_map(|(key, value)| key.strip_prefix("speech.").map(|k| (k.to_owned(), value)))
        .collect()
}

fn chain(lang: usize, fallbacks: &[usize]) -> Vec<usize> {
    std::iter::once(lang).chain(fallbacks.iter().copied()).collect()
}

fn flatten(prefix: &str, entries: BTreeMap<String, Entry>, out: &mut BTreeMap<String, String>) {
    for (key, entry) in entries {
        let full = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
        match entry {
            Entry::Text(text) => {
                out.insert(full, text);
            }
            Entry::Integer(n) => {
                out.insert(full, n.to_string());
            }
            Entry::Group(group) => flatten(&full, group, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_flatten_groups_and_follow_fallbacks() {
        let vi: BTreeMap<String, Entry> = crate::base::yaml::from_str(
            "hotline:\n  '111': Tổng đài\nsite:\n  title: Tiêu đề\n",
            std::path::Path::new("vi.yaml"),
            0,
        )
        .unwrap();
        let mut vi_strings = BTreeMap::new();
        flatten("", vi, &mut vi_strings);
        let en_strings = BTreeMap::from([("site.title".to_owned(), "Title".to_owned())]);
        let locales = Locales::from_strings(
            vec![vi_strings, en_strings, BTreeMap::new()],
            &[vec![], vec![0], vec![0]],
        );
        assert_eq!(locales.get(1, "site.title"), Some("Title"));
        assert_eq!(locales.get(1, "hotline.111"), Some("Tổng đài"));
        assert_eq!(locales.get(2, "site.title"), Some("Tiêu đề"));
        assert_eq!(locales.get(2, "missing"), None);
        assert!(!locales.has_own(2, "site.title"));
        assert_eq!(
            locales.own_with_prefix(0, "hotline."),
            vec![("111".to_owned(), "Tổng đài".to_owned())]
        );
    }
}
