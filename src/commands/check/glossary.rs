//! The checks that compare a translation with its source block by block: a glossary term of
//! the source whose agreed translation is missing (a warning), and a hotline number that is not
//! the same on both sides (an error, since a wrong number sends a caller nowhere).

use std::path::Path;

use rayon::prelude::*;

use crate::base::error::{Diagnostics, Position, Severity};
use crate::commands::i18n_blocks::{Blocks, read_blocks};
use crate::load::glossary::{GLOSSARY_FILE, Glossary, hotline_numbers_in};
use crate::load::segments::Segment;
use crate::load::staleness::{BlockChange, compare_blocks, parse_block_stamps};
use crate::model::{Site, Variant};

/// A translation and the source it is made from, with their languages' codes.
struct Pair<'a> {
    /// The translation's file, relative to the root.
    translation: &'a Path,
    /// Its language's code.
    translation_code: &'a str,
    /// The source's file, relative to the root.
    source: &'a Path,
    /// Its language's code.
    source_code: &'a str,
}

/// Compares each translation among the pages of `scope` with its source (the glossary is read from
/// `locales/glossary.yaml`; without it only the hotline numbers are compared).
pub fn check_translations(site: &Site, scope: super::Scope, diagnostics: &mut Diagnostics) {
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let glossary = match Glossary::load(&site.config.root, &codes) {
        Ok(glossary) => glossary,
        Err(error) => {
            diagnostics.push_error(error);
            Glossary::default()
        }
    };
    let numbers: Vec<&str> = site.config.hotlines.iter().map(|h| h.number.as_str()).collect();
    let pairs: Vec<Pair> = site
        .all_variants()
        .filter(|variants| variants.iter().flatten().any(|v| scope.has(v.doc)))
        .flat_map(|variants| translation_pairs(site, variants))
        .collect();
    let found: Vec<Diagnostics> = pairs
        .par_iter()
        .map(|pair| {
            let mut found = Diagnostics::default();
            check_pair(site, pair, &glossary, &numbers, &mut found);
            found
        })
        .collect();
    found.into_iter().for_each(|found| diagnostics.extend(found));
}

/// The translations among one document's variants, each with its source.
fn translation_pairs<'a>(site: &'a Site, variants: &'a [Option<Variant>]) -> Vec<Pair<'a>> {
    let languages = &site.config.languages;
    let translated = |lang: usize| variants[lang].as_ref().filter(|v| v.translated);
    let mut pairs = Vec::new();
    for (lang, language) in languages.iter().enumerate() {
        let Some(translation) = translated(lang) else { continue };
        let Some(source) = site.source_variant(variants, lang) else { continue };
        pairs.push(Pair {
            translation: &site.doc(translation).source.path,
            translation_code: &language.code,
            source: &site.doc(source).source.path,
            source_code: &languages[source.lang].code,
        });
    }
    pairs
}

/// Checks each block of one translation that corresponds to a block of its source.
fn check_pair(
    site: &Site,
    pair: &Pair,
    glossary: &Glossary,
    numbers: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let root = &site.config.root;
    let (Ok(source), Ok(translation)) =
        (read_blocks(root, pair.source), read_blocks(root, pair.translation))
    else {
        return;
    };
    for (from, into) in aligned_blocks(&source, &translation) {
        check_terms(pair, glossary, from, into, diagnostics);
        if !is_spoken_wording(into) {
            check_numbers(site, pair, numbers, from, into, diagnostics);
        }
    }
}

/// The source's blocks paired with the translation's: by the block stamps when the
/// translation has them (only blocks unchanged since stamped), otherwise one by one when both
/// have the same blocks of the same kinds; nothing when they cannot be told apart.
fn aligned_blocks<'a>(
    source: &'a Blocks,
    translation: &'a Blocks,
) -> Vec<(&'a Segment, &'a Segment)> {
    if let Some(stamps) = &translation.block_stamps {
        let hashes: Vec<String> = source.segments.iter().map(Segment::hash).collect();
        return compare_blocks(&parse_block_stamps(stamps), &hashes)
            .into_iter()
            .filter_map(|change| match change {
                BlockChange::Current(now, then) => {
                    Some((source.segments.get(now)?, translation.segments.get(then)?))
                }
                _ => None,
            })
            .collect();
    }
    let kinds = |blocks: &'a Blocks| blocks.segments.iter().map(|s| s.kind);
    if kinds(source).eq(kinds(translation)) {
        return source.segments.iter().zip(&translation.segments).collect();
    }
    Vec::new()
}

/// Whether a block is a `{% speak %}` wording, where numbers may be written out in words for
/// a reader that would otherwise say them as quantities.
fn is_spoken_wording(block: &Segment) -> bool {
    block.kind == crate::load::segments::Kind::Shortcode && block.text.starts_with("{% speak")
}

/// Warns for each glossary term of the source block whose agreed form the translation lacks.
fn check_terms(
    pair: &Pair,
    glossary: &Glossary,
    from: &Segment,
    into: &Segment,
    diagnostics: &mut Diagnostics,
) {
    for term in glossary.terms_in(pair.source_code, &from.text) {
        let Some(agreed) = term.preferred(pair.translation_code) else { continue };
        if term.found_in(pair.translation_code, &into.text) {
            continue;
        }
        let source_form = term.preferred(pair.source_code).unwrap_or_default();
        diagnostics.push(
            Severity::Warning,
            pair.translation,
            Some(Position::new(into.line, 1)),
            msg!(
                "glossary.term_missing",
                term = source_form,
                source = pair.source.display(),
                line = from.line,
                form = agreed,
            ),
            Some(msg!("glossary.term_missing.hint", file = GLOSSARY_FILE, line = term.line)),
        );
    }
}

/// Reports a block whose hotline numbers are not the same as its source block's.
fn check_numbers(
    site: &Site,
    pair: &Pair,
    numbers: &[&str],
    from: &Segment,
    into: &Segment,
    diagnostics: &mut Diagnostics,
) {
    let expected = hotline_numbers_in(&from.text, numbers);
    let found = hotline_numbers_in(&into.text, numbers);
    if expected == found {
        return;
    }
    let shown = |list: &[&str]| {
        let names: Vec<&str> = list
            .iter()
            .map(|n| {
                site.config.hotlines.iter().find(|h| h.number == *n).map_or(*n, |h| &h.display)
            })
            .collect();
        if names.is_empty() { "—".to_owned() } else { names.join(", ") }
    };
    diagnostics.push(
        Severity::Error,
        pair.translation,
        Some(Position::new(into.line, 1)),
        msg!(
            "glossary.hotline_differs",
            source = pair.source.display(),
            line = from.line,
            expected = shown(&expected),
            found = shown(&found),
        ),
        Some(msg!("glossary.hotline_differs.hint")),
    );
}
