//! One reader per language: Vietnamese by the reading rules, any other language only by what
//! its locale provides (abbreviations, digit names), so nothing is invented for it.

use super::{Variant, VietnameseReader};

/// Reads text for the loudspeaker in one language.
pub enum Reader {
    /// Vietnamese, by the full reading rules.
    Vietnamese(Box<VietnameseReader>),
    /// Another language, by its locale's `speech.` data only.
    Locale(LocaleReader),
}

impl Reader {
    /// The reader for language `code`, from its flattened `speech.` locale entries.
    pub fn for_language(
        code: &str,
        entries: &[(String, String)],
        variant: Option<Variant>,
    ) -> Reader {
        if code == "vi" || code.starts_with("vi-") {
            Reader::Vietnamese(Box::new(VietnameseReader::new(entries, variant)))
        } else {
            Reader::Locale(LocaleReader::new(entries))
        }
    }

    /// The same reader knowing the site's hotline numbers, for the Vietnamese rules (§5.5).
    pub fn with_hotlines<'n>(self, numbers: impl IntoIterator<Item = &'n str>) -> Reader {
        match self {
            Reader::Vietnamese(reader) => {
                Reader::Vietnamese(Box::new(reader.with_hotlines(numbers)))
            }
            Reader::Locale(reader) => Reader::Locale(reader),
        }
    }

    /// The spoken form of a line of text.
    pub fn read(&self, text: &str) -> String {
        match self {
            Reader::Vietnamese(reader) => reader.read(text),
            Reader::Locale(reader) => reader.read(text),
        }
    }

    /// A phone number read digit by digit in its groups, where the language knows its digits.
    pub fn read_phone(&self, number: &str) -> String {
        match self {
            Reader::Vietnamese(reader) => reader.read_phone(number),
            Reader::Locale(reader) => reader.read_phone(number),
        }
    }
}

/// A reader that only expands the locale's abbreviations and reads digits by their names.
pub struct LocaleReader {
    abbreviations: Vec<(String, String)>,
    digits: Vec<String>,
}

impl LocaleReader {
    /// Reads `abbreviations.<TOKEN>` and `digits.0` … `digits.9` from the entries.
    pub fn new(entries: &[(String, String)]) -> LocaleReader {
        let abbreviations = entries
            .iter()
            .filter_map(|(key, value)| {
                key.strip_prefix("abbreviations.").map(|token| (token.to_owned(), value.clone()))
            })
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let digit = |n: usize| {
            entries.iter().find(|(k, _)| *k == format!("digits.{n}")).map(|(_, v)| v.clone())
        };
        let names: Vec<String> = (0..10).filter_map(digit).collect();
        let digits = if names.len() == 10 { names } else { Vec::new() };
        LocaleReader { abbreviations, digits }
    }

    /// The text with whole-word abbreviations expanded.
    pub fn read(&self, text: &str) -> String {
        if self.abbreviations.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars() {
            if c.is_alphanumeric() || c == '.' || c == '&' || c == '-' {
                word.push(c);
            } else {
                out.push_str(&self.expand(&word));
                word.clear();
                out.push(c);
            }
        }
        out.push_str(&self.expand(&word));
        out
    }

    fn expand(&self, word: &str) -> String {
        let trimmed = word.trim_end_matches('.');
        let found = self
            .abbreviations
            .iter()
            .find(|(token, _)| token == word)
            .or_else(|| self.abbreviations.iter().find(|(token, _)| token == trimmed));
        match found {
            Some((token, expansion)) => format!("{expansion}{}", &word[token.len()..]),
            None => word.to_owned(),
        }
    }

    /// Digits by name in their groups (`1800 1581` → "one eight zero zero, one five eight one").
    pub fn read_phone(&self, number: &str) -> String {
        let names = &self.digits;
        if names.is_empty() {
            return number.to_owned();
        }
        let groups: Vec<String> = number
            .split_whitespace()
            .map(|group| {
                group
                    .chars()
                    .filter_map(|c| c.to_digit(10))
                    .map(|d| names[d as usize].clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|g| !g.is_empty())
            .collect();
        groups.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn other_languages_get_only_their_locale_data() {
        let names =
            ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        let mut pairs: Vec<(String, String)> =
            names.iter().enumerate().map(|(i, n)| (format!("digits.{i}"), n.to_string())).collect();
        pairs.push(("abbreviations.NGO".into(), "non-governmental organisation".into()));
        let reader = Reader::for_language("en", &pairs, None);
        assert_eq!(
            reader.read("An NGO helps. Call 111."),
            "An non-governmental organisation helps. Call 111."
        );
        assert_eq!(reader.read_phone("1800 1581"), "one eight zero zero, one five eight one");
        let bare = Reader::for_language("ktv", &[], None);
        assert_eq!(
            bare.read("UBND 30/7"),
            "UBND 30/7",
            "nothing is invented for a language without data"
        );
        assert_eq!(bare.read_phone("1800 1581"), "1800 1581");
    }

    #[test]
    fn site_hotlines_reach_the_vietnamese_reader_only() {
        let vi = Reader::for_language("vi", &[], None).with_hotlines(["1080"]);
        assert_eq!(vi.read("theo số 1080"), "theo số một không tám không");
        let en = Reader::for_language("en", &[], None).with_hotlines(["1080"]);
        assert_eq!(en.read("theo số 1080"), "theo số 1080");
    }

    #[test]
    fn vietnamese_uses_the_rules() {
        let reader = Reader::for_language("vi", &entries(&[("variant", "central")]), None);
        assert_eq!(reader.read("gọi 111"), "gọi một một một");
        assert_eq!(reader.read("năm 2024"), "năm hai ngàn không trăm hai mươi bốn");
    }
}
