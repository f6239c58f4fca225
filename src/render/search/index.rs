//! The search index of one language: its own documents, their words folded the Vietnamese way
//! (`Người` → `nguoi`, `đường` → `duong`), and the word list split into shards by prefix.

use std::collections::BTreeMap;

use rayon::prelude::*;

use serde::Serialize;

use crate::load::document::{Shortcode, ShortcodeText, plain_text};
use crate::model::{Site, Variant};

/// Most characters of body text kept per document for snippets.
pub const MAX_TEXT_CHARS: usize = 12_000;

/// A shard bigger than this (JSON bytes) is split by the next letter of its words.
pub const SHARD_LIMIT: usize = 32_000;

/// Added to a posting's weight when the word is in the title.
pub const TITLE_BIT: u32 = 32;

/// Added to a posting's weight when the word is in a heading of the body.
pub const HEADING_BIT: u32 = 16;

/// Largest count of occurrences in the body a posting's weight records.
pub const MAX_COUNT: u32 = HEADING_BIT - 1;

/// One searchable page or section, in the language of its content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// Title.
    #[serde(rename = "t")]
    pub title: String,
    /// Root-relative URL in its own language.
    #[serde(rename = "u")]
    pub url: String,
    /// Title of the section it belongs to, if it is not the home page.
    #[serde(rename = "s", skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Description from the front matter.
    #[serde(rename = "d", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Body text, whitespace collapsed, cut at [`MAX_TEXT_CHARS`].
    #[serde(rename = "x")]
    pub text: String,
    /// Languages that show this document as a fallback: code → where and in which section.
    #[serde(rename = "f", skip_serializing_if = "BTreeMap::is_empty")]
    pub shown_in: BTreeMap<String, Shown>,
}

/// Where another language publishes a document it shows as a fallback.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// Root-relative URL in that language.
    #[serde(rename = "u")]
    pub url: String,
    /// Title of the section in that language.
    #[serde(rename = "s", skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// The versions of a page or section, one slot per language.
type Variants = [Option<Variant>];

/// One document containing a word: its number and a weight (count, plus [`TITLE_BIT`] and
/// [`HEADING_BIT`]).
pub type Posting = (u32, u32);

/// For every folded word of a language, the documents that contain it, in document order (a
/// posting refers to a document by its number in URL order).
pub type Words = BTreeMap<String, Vec<Posting>>;

/// A piece of the word list: every word starting with `key` not in a longer key's shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// The prefix shared by its words.
    pub key: String,
    /// JSON object: word → flat list of document-number gaps and weights.
    pub json: String,
}

/// Text folded for search: tones, marks and case removed, `đ` made `d`.
pub fn fold(text: &str) -> String {
    crate::base::text::fold_to_ascii(text).to_lowercase()
}

/// The folded words of a text, in order.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many documents are weighed in parallel before their words join the index.
const DOCUMENTS_AT_ONCE: usize = 512;

/// Builds the index of `lang`: its translated pages and sections (not fallbacks, not the home
/// page). Their entries go to `documents` a chunk at a time, in URL order, as they are
/// weighed, so they are never all held; the word lists are returned.
pub fn build(site: &Site, lang: usize, documents: &mut dyn FnMut(Vec<Entry>)) -> Words {
    let pages = site.pages.iter().map(|p| (p.variants.as_slice(), Some(p.section)));
    let sections = site.sections.iter().skip(1).map(|s| (s.variants.as_slice(), s.parent));
    let mut listed: Vec<(&Variants, Option<usize>)> = pages
        .chain(sections)
        .filter(|(all, _)| all[lang].as_ref().is_some_and(|v| v.translated))
        .collect();
    let path = |all: &Variants| all[lang].as_ref().map(|v| v.path.clone());
    listed.sort_by_key(|(all, _)| path(all));
    let mut words = Words::new();
    let mut numbered = 0;
    // Each document's word weights are merged as soon as a chunk is weighed: held for every
    // document at once they took several times the index's own size.
    for chunk in listed.chunks(DOCUMENTS_AT_ONCE) {
        let weighed: Vec<(Entry, BTreeMap<String, u32>)> = chunk
            .par_iter()
            .map(|&(all, section)| {
                let entry = entry(site, all, lang, section);
                let doc = site.doc(all[lang].as_ref().expect("translated in lang"));
                let headings: Vec<&str> =
                    doc.rendered.headings.iter().map(|h| h.title.as_str()).collect();
                let weights = word_weights(&entry, &headings);
                (entry, weights)
            })
            .collect();
        let mut entries = Vec::with_capacity(weighed.len());
        for (entry, weights) in weighed {
            for (word, weight) in weights {
                words.entry(word).or_default().push((numbered, weight));
            }
            numbered += 1;
            entries.push(entry);
        }
        documents(entries);
    }
    words
}

/// The entry of a variant, with the languages that show it as a fallback.
fn entry(site: &Site, all: &Variants, lang: usize, section: Option<usize>) -> Entry {
    let variant = all[lang].as_ref().expect("translated in lang");
    let doc = site.doc(variant);
    let body = plain_text(&doc.rendered.tree, &|s| shortcode_text(site, variant.lang, s));
    let text: String = collapse_whitespace(&body).chars().take(MAX_TEXT_CHARS).collect();
    Entry {
        title: doc.front.title.clone(),
        url: site.link(&variant.path),
        section: section_title(site, section, variant.lang),
        description: doc.front.description.clone(),
        text,
        shown_in: shown_in(site, all, variant, section),
    }
}

/// How search reads a shortcode: a hotline as its number and name, a countdown as its date, a
/// figure as its caption, a callout and any other block shortcode as its body; a QR code and
/// other inline shortcodes, and `speak` blocks (for the loudspeaker only), are left out.
pub fn shortcode_text(site: &Site, lang: usize, shortcode: &Shortcode) -> ShortcodeText {
    let text = |found: Option<String>| found.map_or(ShortcodeText::Skip, ShortcodeText::Text);
    match shortcode.name.as_str() {
        "hotline" => text(shortcode.text_arg("id").and_then(|id| {
            let hotline = site.config.hotlines.iter().find(|h| h.id == id)?;
            Some(format!("{} {}", hotline.display, site.hotline_label(lang, hotline)))
        })),
        "countdown" => text(shortcode.text_arg("date")),
        "figure" => text(shortcode.text_arg("caption")),
        "qr" | "speak" => ShortcodeText::Skip,
        _ if shortcode.body.is_some() => ShortcodeText::Body,
        _ => ShortcodeText::Skip,
    }
}

/// The languages that publish `variant`'s document as a fallback, with its URL there.
fn shown_in(
    site: &Site,
    all: &Variants,
    variant: &Variant,
    section: Option<usize>,
) -> BTreeMap<String, Shown> {
    all.iter()
        .flatten()
        .filter(|v| !v.translated && v.doc == variant.doc)
        .map(|v| {
            let shown =
                Shown { url: site.link(&v.path), section: section_title(site, section, v.lang) };
            (site.config.languages[v.lang].code.clone(), shown)
        })
        .collect()
}

/// The title of a section in `lang`; none for the home section.
fn section_title(site: &Site, section: Option<usize>, lang: usize) -> Option<String> {
    let section = section.filter(|s| *s != 0)?;
    let variant = site.sections[section].variants[lang].as_ref()?;
    Some(site.doc(variant).front.title.clone())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of an entry with their weights: words of the title and headings get
/// [`TITLE_BIT`] and [`HEADING_BIT`]; the description and body count occurrences (headings are
/// in the body too).
fn word_weights(entry: &Entry, headings: &[&str]) -> BTreeMap<String, u32> {
    let mut weights: BTreeMap<String, u32> = BTreeMap::new();
    for word in words(&entry.title) {
        *weights.entry(word).or_default() |= TITLE_BIT;
    }
    for word in headings.iter().flat_map(|h| words(h)) {
        *weights.entry(word).or_default() |= HEADING_BIT;
    }
    let body = entry.description.iter().map(String::as_str).chain([entry.text.as_str()]);
    for word in body.flat_map(words) {
        let weight = weights.entry(word).or_default();
        if *weight & MAX_COUNT < MAX_COUNT {
            *weight += 1;
        }
    }
    weights
}

/// Splits the word list into shards no bigger than [`SHARD_LIMIT`] where it can.
pub fn shards(words: &BTreeMap<String, Vec<Posting>>) -> Vec<Shard> {
    let fragments: Vec<Fragment> =
        words.iter().map(|(w, p)| (w.as_str(), fragment(w, p))).collect();
    let all: Vec<&Fragment> = fragments.iter().collect();
    let mut out = Vec::new();
    split(String::new(), &all, &mut out);
    out
}

/// A word and its JSON member in a shard, `"word":[gap,weight,…]`, made once.
type Fragment<'a> = (&'a str, String);

/// Puts the words starting with `key` into one shard, or splits them by their next letter, and
/// those groups again, in order; a work list rather than recursion, since one long word could
/// otherwise go a level deeper for each of its letters.
fn split(key: String, words: &[&Fragment], out: &mut Vec<Shard>) {
    let mut pending: Vec<(String, Vec<&Fragment>)> = vec![(key, words.to_vec())];
    while let Some((key, words)) = pending.pop() {
        let depth = key.chars().count();
        let longer = words.iter().any(|(w, _)| w.chars().count() > depth);
        if json_size(&words) <= SHARD_LIMIT || !longer || words.len() == 1 {
            out.push(Shard { key, json: shard_json(&words) });
            continue;
        }
        let (exact, rest): (Vec<&Fragment>, Vec<&Fragment>) =
            words.iter().partition(|(w, _)| w.chars().count() == depth);
        if !exact.is_empty() {
            out.push(Shard { key: key.clone(), json: shard_json(&exact) });
        }
        let mut groups: BTreeMap<char, Vec<&Fragment>> = BTreeMap::new();
        for word in rest {
            let next = word.0.chars().nth(depth).expect("longer than the key");
            groups.entry(next).or_default().push(word);
        }
        pending
            .extend(groups.into_iter().rev().map(|(next, group)| (format!("{key}{next}"), group)));
    }
}

/// The JSON member of one word: document numbers as gaps, each followed by its weight.
fn fragment(word: &str, postings: &[Posting]) -> String {
    let mut previous = 0;
    let flat: Vec<u32> = postings
        .iter()
        .flat_map(|(number, weight)| {
            let gap = number - previous;
            previous = *number;
            [gap, *weight]
        })
        .collect();
    let key = serde_json::to_string(word).expect("a string is JSON");
    let value = serde_json::to_string(&flat).expect("numbers are JSON");
    format!("{key}:{value}")
}

/// The length of [`shard_json`] of these words, without making it.
fn json_size(words: &[&Fragment]) -> usize {
    2 + words.iter().map(|(_, f)| f.len()).sum::<usize>() + words.len().saturating_sub(1)
}

/// The JSON of a shard: `{"word":[gap,weight,gap,weight…]}`, words in order.
fn shard_json(words: &[&Fragment]) -> String {
    let members: Vec<&str> = words.iter().map(|(_, f)| f.as_str()).collect();
    format!("{{{}}}", members.join(","))
}

/// The file name of a shard key: ASCII letters and digits as they are, others as `_<hex>`.
pub fn shard_file(key: &str) -> String {
    if key.is_empty() {
        return "_".into();
    }
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { format!("_{:x}", c as u32) })
        .collect()
}

/// The numbers of a fallback's entries that another language shows (`shown`, one for each
/// entry in order), as half-open ranges.
pub fn shown_ranges(shown: impl IntoIterator<Item = bool>) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (number, shown) in shown.into_iter().enumerate() {
        if !shown {
            continue;
        }
        match ranges.last_mut() {
            Some((_, end)) if *end == number => *end += 1,
            _ => ranges.push((number, number + 1)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_longer_than_a_shard_makes_one_shard_without_a_level_per_letter() {
        let long = "a".repeat(100_000);
        let longer = format!("{long}b");
        let fragments: Vec<Fragment> =
            [&long, &longer].iter().map(|w| (w.as_str(), format!("\"{w}\":[1,1]"))).collect();
        let words: Vec<&Fragment> = fragments.iter().collect();
        let mut out = Vec::new();
        split(String::new(), &words[..1], &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].json.contains(&long));
        out.clear();
        split("a".repeat(99_998), &words, &mut out);
        let keys: Vec<usize> = out.iter().map(|s| s.key.len()).collect();
        assert_eq!(keys, [100_000, 100_001], "the exact word, then the longer one");
    }

    #[test]
    fn folds_tones_marks_case_and_d() {
        assert_eq!(fold("Mua Bán Người"), "mua ban nguoi");
        assert_eq!(fold("ĐƯỜNG DÂY NÓNG"), "duong day nong");
        assert_eq!(fold("đường dây nóng"), fold("duong day nong"));
        let nfd = "Ngu\u{31b}\u{300}o\u{31b}i";
        assert_eq!(fold(nfd), "nguoi");
    }

    #[test]
    fn splits_words_on_punctuation() {
        let found = words("Phòng, chống mua-bán người (30/7)!");
        assert_eq!(found, ["phong", "chong", "mua", "ban", "nguoi", "30", "7"]);
    }

    #[test]
    fn shards_stay_under_the_limit_and_keep_every_word() {
        let mut words = BTreeMap::new();
        for i in 0..4000u32 {
            let word = format!("ng{}{}", char::from(b'a' + (i % 26) as u8), i);
            words.insert(word, (0..20).map(|d| (d, 1)).collect::<Vec<Posting>>());
        }
        words.insert("ng".into(), vec![(0, 33)]);
        let shards = shards(&words);
        assert!(shards.len() > 1);
        assert!(shards.iter().all(|s| s.json.len() <= SHARD_LIMIT));
        let total: usize = shards
            .iter()
            .map(|s| serde_json::from_str::<BTreeMap<String, Vec<u32>>>(&s.json).unwrap().len())
            .sum();
        assert_eq!(total, words.len());
        assert!(shards.iter().any(|s| s.key == "ng" && s.json == "{\"ng\":[0,33]}"));
    }

    #[test]
    fn shard_files_are_safe_names() {
        assert_eq!(shard_file(""), "_");
        assert_eq!(shard_file("ng"), "ng");
        assert_eq!(shard_file("aø"), "a_f8");
    }

    #[test]
    fn postings_are_gaps_with_weights() {
        let ban: Fragment = ("ban", fragment("ban", &[(2, 1), (5, 33)]));
        let bao: Fragment = ("bao", fragment("bao", &[(0, 2)]));
        let json = shard_json(&[&ban, &bao]);
        assert_eq!(json, "{\"ban\":[2,1,3,33],\"bao\":[0,2]}");
        assert_eq!(json_size(&[&ban, &bao]), json.len());
        let parsed: BTreeMap<String, Vec<u32>> = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["ban"], [2, 1, 3, 33]);
    }
}
