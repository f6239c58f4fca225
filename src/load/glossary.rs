//! The site's glossary, `locales/glossary.yaml`: the terms whose translation the team has agreed
//! on (the names of the hotlines, legal terms such as "mua bán người"), each with its agreed
//! form in every language that has one, and a note for translators.
//!
//! ```yaml
//! terms:
//!   - vi: mua bán người
//!     en: [human trafficking, trafficking in persons]
//!     note: Tên tội danh trong Bộ luật Hình sự.
//! ```
//!
//! A language's value is one form or a list of accepted forms, the first being the preferred
//! one. The matching of terms in a text is here too: case does not count, and a term counts
//! only as whole words.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::base::error::{Error, Position, Result};

/// Where the glossary is, relative to the site root.
pub const GLOSSARY_FILE: &str = "locales/glossary.yaml";

/// The key of a term's note for translators.
const NOTE_KEY: &str = "note";

/// The agreed terms of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// The terms, in the file's order.
    pub terms: Vec<Term>,
}

/// One agreed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The accepted forms by language code, the preferred one first.
    pub forms: BTreeMap<String, Vec<String>>,
    /// What translators should know about it.
    pub note: Option<String>,
    /// Its line in the glossary file.
    pub line: usize,
}

impl Term {
    /// The accepted forms of the term in language `code`; empty when none is agreed.
    pub fn forms_in(&self, code: &str) -> &[String] {
        self.forms.get(code).map(Vec::as_slice).unwrap_or_default()
    }

    /// The preferred form in language `code`, if one is agreed.
    pub fn preferred(&self, code: &str) -> Option<&str> {
        self.forms_in(code).first().map(String::as_str)
    }

    /// Whether `text` contains one of the term's forms in language `code`.
    pub fn found_in(&self, code: &str, text: &str) -> bool {
        let text = folded(text);
        self.forms_in(code).iter().any(|form| contains_words(&text, &folded(form)))
    }
}

impl Glossary {
    /// Reads `locales/glossary.yaml` under `root`; an empty glossary when the file is absent.
    /// `languages` are the site's language codes: a form in any other language is an error.
    pub fn load(root: &Path, languages: &[&str]) -> Result<Glossary> {
        let shown = PathBuf::from(GLOSSARY_FILE);
        let path = root.join(&shown);
        if !path.exists() {
            return Ok(Glossary::default());
        }
        let text = crate::base::encoding::read_source(&path, &shown)?;
        Glossary::parse(&text, &shown, languages)
    }

    /// Reads the glossary from `text`, the content of `shown`.
    pub fn parse(text: &str, shown: &Path, languages: &[&str]) -> Result<Glossary> {
        let file: File = crate::base::yaml::from_str(text, shown, 0)?;
        let mut terms = Vec::new();
        for entry in file.terms {
            terms.push(term_of(entry, shown, languages)?);
        }
        Ok(Glossary { terms })
    }

    /// The terms whose form in language `code` occurs in `text`.
    pub fn terms_in<'a>(&'a self, code: &'a str, text: &'a str) -> impl Iterator<Item = &'a Term> {
        self.terms.iter().filter(move |term| term.found_in(code, text))
    }
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Its terms.
    #[serde(default)]
    terms: Vec<Spanned<BTreeMap<String, Spanned<Forms>>>>,
}

/// A language's value: one form or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Forms {
    /// One form.
    One(String),
    /// Several accepted forms, the preferred one first.
    Many(Vec<String>),
}

impl Forms {
    fn into_vec(self) -> Vec<String> {
        match self {
            Forms::One(form) => vec![form],
            Forms::Many(forms) => forms,
        }
    }
}

/// A term from its entry in the file.
fn term_of(
    entry: Spanned<BTreeMap<String, Spanned<Forms>>>,
    shown: &Path,
    languages: &[&str],
) -> Result<Term> {
    let line = entry.referenced.line() as usize;
    let mut forms = BTreeMap::new();
    let mut note = None;
    for (key, value) in entry.value {
        let at =
            Position::new(value.referenced.line() as usize, value.referenced.column() as usize);
        let values: Vec<String> = value
            .value
            .into_vec()
            .into_iter()
            .map(|form| crate::base::text::nfc(form.trim()))
            .filter(|form| !form.is_empty())
            .collect();
        if key == NOTE_KEY {
            note = Some(values.join(" "));
        } else if !languages.contains(&key.as_str()) {
            return Err(Error::at(shown, Some(at), msg!("glossary.unknown_language", code = key))
                .with_hint(msg!("glossary.unknown_language.hint", codes = languages.join(", "))));
        } else if values.is_empty() {
            return Err(Error::at(shown, Some(at), msg!("glossary.empty_form", code = key))
                .with_hint(msg!("glossary.empty_form.hint")));
        } else {
            forms.insert(key, values);
        }
    }
    if forms.is_empty() {
        return Err(Error::at(shown, Some(Position::new(line, 1)), msg!("glossary.no_forms"))
            .with_hint(msg!("glossary.no_forms.hint")));
    }
    Ok(Term { forms, note, line })
}

/// `text` in NFC and lower case, so that forms match whatever their case or composition.
fn folded(text: &str) -> String {
    crate::base::text::nfc(text).to_lowercase()
}

/// Whether `needle` occurs in `haystack` as whole words (no letter or digit right before or
/// after it).
fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The site's hotline numbers that occur in `text`, by their digits, whatever spaces, dots
/// or hyphens group them (`1800 1581`, `1800-1581`, `18001581`).
pub fn hotline_numbers_in<'a>(text: &str, numbers: &[&'a str]) -> Vec<&'a str> {
    let groups = digit_groups(text);
    let mut found: Vec<&str> =
        numbers.iter().copied().filter(|number| groups.iter().any(|g| g == number)).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The runs of digits in `text`, with single spaces, dots and hyphens between digits joined.
fn digit_groups(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut groups = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            current.push(c);
            continue;
        }
        let joins = matches!(c, ' ' | '.' | '-' | '\u{a0}')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !joins && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Glossary> {
        Glossary::parse(text, Path::new(GLOSSARY_FILE), &["vi", "en", "ktv"])
    }

    #[test]
    fn reads_one_form_several_forms_and_a_note() {
        let glossary = parse(
            "terms:\n  - vi: mua bán người\n    en: [human trafficking, trafficking in persons]\n    note: Tội danh.\n  - vi: nạn nhân\n    en: victim\n",
        )
        .unwrap();
        assert_eq!(glossary.terms.len(), 2);
        let first = &glossary.terms[0];
        assert_eq!(first.preferred("en"), Some("human trafficking"));
        assert_eq!(first.forms_in("en").len(), 2);
        assert_eq!(first.note.as_deref(), Some("Tội danh."));
        assert_eq!(first.line, 2);
        assert!(first.forms_in("ktv").is_empty());
    }

    #[test]
    fn a_language_the_site_does_not_have_is_an_error_at_its_line() {
        let error = parse("terms:\n  - vi: mua bán người\n    fr: traite\n").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("fr"), "{text}");
        assert!(text.contains(":3:"), "{text}");
    }

    #[test]
    fn a_term_without_any_form_is_an_error() {
        assert!(parse("terms:\n  - note: chỉ có ghi chú\n").is_err());
    }

    #[test]
    fn matches_whole_words_whatever_the_case_and_composition() {
        let glossary = parse("terms:\n  - vi: mua bán người\n    en: human trafficking\n").unwrap();
        let term = &glossary.terms[0];
        assert!(term.found_in("vi", "Phòng, chống Mua bán người."));
        assert!(term.found_in("vi", "mua ba\u{301}n ngươ\u{300}i"));
        assert!(!term.found_in("vi", "mua bán ngườiz"));
        assert!(term.found_in("en", "Human Trafficking is a crime"));
        assert!(!term.found_in("en", "human traffickings"));
    }

    #[test]
    fn finds_hotline_numbers_however_they_are_grouped() {
        let numbers = ["111", "18001581", "113"];
        assert_eq!(hotline_numbers_in("Gọi 1800 1581 hoặc 111.", &numbers), ["111", "18001581"]);
        assert_eq!(hotline_numbers_in("Call 1800-1581", &numbers), ["18001581"]);
        assert!(hotline_numbers_in("Call 1800 1518 or 1113", &numbers).is_empty());
        assert_eq!(hotline_numbers_in("111, 113", &numbers), ["111", "113"]);
    }
}
