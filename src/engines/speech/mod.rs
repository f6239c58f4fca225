//! Spoken forms of text for the loudspeaker output and `loa speak`.
//!
//! [`VietnameseReader`] implements `docs/loudspeaker-reading-rules.md`: numbers, dates, times,
//! phone numbers, units, document numbers, Roman numerals, abbreviations and symbols are
//! replaced by the words a commune broadcaster says; all other text passes through unchanged.
//! The reader is configured from the `speech.` keys of `locales/vi.yaml`:
//!
//! * `variant`: `north` or `central` (§2 presets);
//! * `doc_code`: `drop`, `issuer` or `spell` (§9);
//! * any §2 setting (`thousand`, `zero_tens`, `four_units`, `five_units`, `one_units`,
//!   `billion`, `zero_hundreds`, `decimal_fraction`), either plain (all variants) or as
//!   `north.<setting>` / `central.<setting>` (that variant only, wins over the plain key);
//! * `abbreviations.<TOKEN>`: adds or overrides a whole-token abbreviation (§10). Everything
//!   after the first `abbreviations.` is the token, so `"TP.": thành phố` works. An empty
//!   expansion removes a built-in row. The §10 table is also compiled in, so an empty locale
//!   still reads correctly.
//!
//! The site's hotline numbers come from `site.yaml` through [`VietnameseReader::with_hotlines`].

mod engine;
mod lexicon;
mod numbers;
mod quantities;
pub mod reader;
mod telephony;
mod tokens;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Reading variant of Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// School and national-broadcast standard (*nghìn*, *linh*, *tư*).
    North,
    /// Quảng Nam and Đà Nẵng speech (*ngàn*, *lẻ*, *bốn*).
    Central,
}

impl FromStr for Variant {
    type Err = String;

    fn from_str(s: &str) -> Result<Variant, String> {
        match s.trim() {
            "north" => Ok(Variant::North),
            "central" => Ok(Variant::Central),
            other => {
                Err(format!("unknown speech variant `{other}`: expected `north` or `central`"))
            }
        }
    }
}

/// How document codes such as `/KH-UBND` are read (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocCode {
    Drop,
    Issuer,
    Spell,
}

/// The §2 variant settings.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub thousand: &'static str,
    pub zero_tens: &'static str,
    pub four_units: &'static str,
    pub five_units: &'static str,
    pub one_units: &'static str,
    pub billion: &'static str,
    /// `true`: *không trăm*; `false`: omitted (colloquial).
    pub zero_hundreds: bool,
    /// `true`: digits after the decimal comma are always read one by one.
    pub decimal_digits: bool,
    pub doc_code: DocCode,
}

impl Settings {
    fn preset(variant: Variant) -> Settings {
        let north = variant == Variant::North;
        Settings {
            thousand: if north { "nghìn" } else { "ngàn" },
            zero_tens: if north { "linh" } else { "lẻ" },
            four_units: if north { "tư" } else { "bốn" },
            five_units: "lăm",
            one_units: "mốt",
            billion: "tỷ",
            zero_hundreds: true,
            decimal_digits: false,
            doc_code: DocCode::Drop,
        }
    }

    /// Applies one setting; `Ok(false)` when `key` is not a setting.
    fn apply(&mut self, key: &str, value: &str) -> Result<bool, String> {
        fn pick(value: &str, allowed: &[&'static str]) -> Result<&'static str, String> {
            allowed.iter().copied().find(|a| *a == value).ok_or_else(|| {
                format!("`{value}` is not allowed; expected one of: {}", allowed.join(", "))
            })
        }
        let value = value.trim();
        match key {
            "thousand" => self.thousand = pick(value, &["nghìn", "ngàn"])?,
            "zero_tens" => self.zero_tens = pick(value, &["linh", "lẻ"])?,
            "four_units" => self.four_units = pick(value, &["tư", "bốn"])?,
            "five_units" => self.five_units = pick(value, &["lăm", "nhăm"])?,
            "one_units" => self.one_units = pick(value, &["mốt"])?,
            "billion" => self.billion = pick(value, &["tỷ", "tỉ"])?,
            "zero_hundreds" => {
                self.zero_hundreds = pick(value, &["không trăm", "omit"])? == "không trăm"
            }
            "decimal_fraction" => {
                self.decimal_digits = pick(value, &["auto", "digits"])? == "digits"
            }
            "doc_code" => {
                self.doc_code = match pick(value, &["drop", "issuer", "spell"])? {
                    "issuer" => DocCode::Issuer,
                    "spell" => DocCode::Spell,
                    _ => DocCode::Drop,
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// One whole-token abbreviation.
#[derive(Debug, Clone)]
pub(crate) struct Abbreviation {
    pub token: String,
    pub expansion: String,
}

/// Everything the Vietnamese reader needs, built from the locale's `speech.` keys.
#[derive(Debug, Clone)]
pub struct VietnameseReader {
    variant: Variant,
    pub(crate) settings: Settings,
    /// Abbreviations by their first run of letters, longest token first.
    pub(crate) abbreviations: HashMap<String, Vec<Abbreviation>>,
    /// The site's hotline numbers of 3 to 6 digits, read digit by digit after *số* (§5.5).
    pub(crate) hotlines: Vec<String>,
    problems: Vec<String>,
}

impl VietnameseReader {
    /// `entries` are the flattened locale keys under `speech.` with the prefix removed,
    /// e.g. ("abbreviations.UBND", "Ủy ban nhân dân"), ("variant", "central"); `variant` overrides the locale's.
    pub fn new(entries: &[(String, String)], variant: Option<Variant>) -> VietnameseReader {
        let mut problems = Vec::new();
        let locale_variant = entries.iter().find(|(k, _)| k == "variant").and_then(|(_, v)| {
            v.parse::<Variant>().map_err(|e| problems.push(format!("speech.variant: {e}"))).ok()
        });
        let variant = variant.or(locale_variant).unwrap_or(Variant::North);
        let own_prefix = match variant {
            Variant::North => "north.",
            Variant::Central => "central.",
        };
        let mut settings = Settings::preset(variant);
        let mut table: BTreeMap<String, String> = lexicon::ABBREVIATIONS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        // Plain settings first, then the variant's own ones, so those win whatever the order.
        let mut specific = Vec::new();
        for (key, value) in entries {
            if let Some(token) = key.strip_prefix("abbreviations.") {
                let token: String = token.nfc().collect();
                if value.trim().is_empty() {
                    table.remove(&token);
                } else {
                    table.insert(token, value.trim().nfc().collect());
                }
            } else if let Some(setting) = key.strip_prefix(own_prefix) {
                specific.push((setting, value));
            } else if !(key.starts_with("north.")
                || key.starts_with("central.")
                || key == "variant")
                && let Err(e) = settings.apply(key, value)
            {
                problems.push(format!("speech.{key}: {e}"));
            }
        }
        for (setting, value) in specific {
            match settings.apply(setting, value) {
                Ok(true) => {}
                Ok(false) => {
                    problems.push(format!("speech.{own_prefix}{setting}: unknown setting"))
                }
                Err(e) => problems.push(format!("speech.{own_prefix}{setting}: {e}")),
            }
        }
        let mut abbreviations: HashMap<String, Vec<Abbreviation>> = HashMap::new();
        for (token, expansion) in table {
            let head: String = token.chars().take_while(|c| tokens::is_letter(*c)).collect();
            if head.is_empty() {
                problems.push(format!("speech.abbreviations.{token}: must start with a letter"));
                continue;
            }
            abbreviations.entry(head).or_default().push(Abbreviation { token, expansion });
        }
        for rows in abbreviations.values_mut() {
            rows.sort_by_key(|r| std::cmp::Reverse(r.token.len()));
        }
        VietnameseReader { variant, settings, abbreviations, hotlines: Vec::new(), problems }
    }

    /// The same reader knowing the site's hotline numbers (`site.yaml`); those of 3 to 6 digits
    /// are read digit by digit after *số* (§5.5), the others are phone numbers by their shape.
    pub fn with_hotlines<'n>(mut self, numbers: impl IntoIterator<Item = &'n str>) -> Self {
        self.hotlines = numbers
            .into_iter()
            .map(str::trim)
            .filter(|n| (3..=6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        self
    }

    /// The variant in use.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Locale entries that could not be used (bad values), for `loa check`.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The spoken form of one line of text (no newline handling needed beyond passing `\n` through).
    pub fn read(&self, text: &str) -> String {
        let text: Cow<str> = match is_nfc_quick(text.chars()) {
            IsNormalized::Yes => Cow::Borrowed(text),
            _ => Cow::Owned(text.nfc().collect()),
        };
        // Source slices are NFC and every replacement is NFC starting with a letter, so the
        // joins can only denormalise when a word starts with a combining mark.
        let (spoken, loose_mark) = engine::Run::new(self, &text).read();
        if !loose_mark || is_nfc_quick(spoken.chars()) == IsNormalized::Yes {
            return spoken;
        }
        spoken.nfc().collect()
    }

    /// A phone number's spoken form digit by digit in its groups, e.g. "1800 1581" → "một tám không không, một năm tám một".
    pub fn read_phone(&self, number: &str) -> String {
        telephony::read_phone(number)
    }
}

impl Default for VietnameseReader {
    fn default() -> VietnameseReader {
        VietnameseReader::new(&[], None)
    }
}

/// Number of syllables (space-separated words of spoken text, hyphenated parts counted apart), for durations.
pub fn syllables(spoken: &str) -> usize {
    spoken
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}
