//! `loa i18n export` and `loa i18n import`: the blocks of pages as units a translator fills in
//! offline (XLIFF, PO or the HTML pack), and their translations written back into the
//! `name.<lang>.md` files, refusing what would lose someone's work.
//!
//! A unit's id, `b<index>-<source block stamp>-<translation block stamp>`, records what the
//! source block and its translation were when exported, so that import can tell a source changed
//! since (the unit is kept as a suggestion in the translation's record under `translations/`)
//! from a translation edited in the site since (not overwritten without `--force`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Position, Result};
use crate::base::messages::{Message, UiLang};
use crate::commands::i18n_markup::{self as markup, Broken, Piece, Written};
use crate::load::glossary::Glossary;
use crate::load::segments::{Kind, Segment};
use crate::load::staleness::{self, BlockChange, BlockStamp};
use crate::model::Site;

/// What a translation has for a block when exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not translated yet.
    New,
    /// Translated from an older version of the source block, or of unknown age.
    NeedsReview,
    /// Translated from the source block as it is.
    Translated,
}

/// One block to translate.
#[derive(Debug, Clone)]
pub struct Unit {
    /// `b<index>-<source stamp>-<translation stamp or none>`.
    pub id: String,
    /// What the block is.
    pub kind: Kind,
    /// Its line in the source file.
    pub line: usize,
    /// The source block.
    pub source: Vec<Piece>,
    /// The translation's block, if it has one.
    pub target: Option<Vec<Piece>>,
    /// How current that translation is.
    pub state: State,
    /// Notes for the translator about this block (hotline numbers to keep).
    pub notes: Vec<Message>,
}

/// The units of one page.
#[derive(Debug, Clone)]
pub struct PageUnits {
    /// The translation file, written or to write, relative to the root.
    pub translation: PathBuf,
    /// Its source, relative to the root.
    pub source: PathBuf,
    /// The page's address on the site.
    pub address: String,
    /// Its blocks.
    pub units: Vec<Unit>,
    /// False when its translation has no block stamps and another number of blocks than its
    /// source: its units carry no translation, and importing them is refused until it is stamped.
    pub aligned: bool,
}

/// Everything an export holds.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The source language's code.
    pub source_lang: String,
    /// The language translated into.
    pub lang: String,
    /// Its name in itself, as the site calls it.
    pub lang_name: String,
    /// Notes for the whole file (the place for anything the translator needs for every page).
    pub notes: Vec<Message>,
    /// The pages.
    pub pages: Vec<PageUnits>,
}

/// A page file read into its head (front matter with its `---` lines), body and blocks.
#[derive(Debug, Clone)]
pub(crate) struct PageFile {
    /// Everything before the body.
    head: String,
    /// The body.
    body: String,
    /// The blocks.
    segments: Vec<Segment>,
    /// The block stamps, as a translation.
    stamps: Option<Vec<BlockStamp>>,
    /// The whole-page stamp, as a source.
    stamp: String,
    /// The whole-page stamp written in it, as a translation.
    translated_from: Option<String>,
}

fn read_page(root: &Path, path: &Path) -> Result<PageFile> {
    let page = crate::commands::i18n_blocks::read_page_text(root, path)?;
    Ok(PageFile {
        stamp: page.stamp(),
        head: page.head().to_owned(),
        body: page.body().to_owned(),
        stamps: page.front.translated_blocks.as_deref().map(staleness::parse_block_stamps),
        translated_from: page.front.translated_from.clone(),
        segments: page.segments,
    })
}

/// Where a source block's translation stands in the translation file.
#[derive(Debug, Clone)]
struct Mapped {
    /// Index among the translation's blocks.
    index: usize,
    /// Made from the source block as it is now.
    current: bool,
    /// The stamp it carries (for a block made from an older source block).
    stamp: String,
}

/// For each source block, its translation's block; `None` for a translation whose blocks cannot
/// be matched with its source's (no block stamps and another number of blocks).
fn mapping(source: &PageFile, translation: Option<&PageFile>) -> Option<Vec<Option<Mapped>>> {
    let mut mapped = vec![None; source.segments.len()];
    let Some(translation) = translation else { return Some(mapped) };
    let Some(stamps) = &translation.stamps else {
        if translation.segments.len() != source.segments.len() {
            return None;
        }
        let unknown = |index| Mapped { index, current: false, stamp: UNKNOWN_AGE.to_owned() };
        return Some((0..source.segments.len()).map(|i| Some(unknown(i))).collect());
    };
    let hashes: Vec<String> = source.segments.iter().map(Segment::hash).collect();
    for change in staleness::compare_blocks(stamps, &hashes) {
        let (now, then, current) = match change {
            BlockChange::Current(now, then) => (now, then, true),
            BlockChange::Changed(now, then) => (now, then, false),
            BlockChange::New(_) | BlockChange::Removed(_) => continue,
        };
        if then < translation.segments.len() {
            let stamp = stamps[then].hash.clone();
            mapped[now] = Some(Mapped { index: then, current, stamp });
        }
    }
    Some(mapped)
}

/// The block stamp of a translated block whose source version is not known.
const UNKNOWN_AGE: &str = "00000000";

/// A translation of the site and the source it is made from, as pairs to export or import.
#[derive(Debug, Clone)]
struct Pair {
    translation: PathBuf,
    source: PathBuf,
    address: String,
}

/// The pages of the site that have, or should have, a translation into `lang`.
fn pairs(site: &Site, lang: usize) -> Vec<Pair> {
    let code = &site.config.languages[lang].code;
    let mut found: Vec<Pair> = site
        .all_variants()
        .filter_map(|variants| {
            let source = site.config.languages[lang]
                .fallbacks
                .iter()
                .find_map(|l| variants[*l].as_ref().filter(|v| v.translated))?;
            let source_path = site.doc(source).source.path.clone();
            let translation = variants[lang]
                .as_ref()
                .filter(|v| v.translated)
                .map(|v| site.doc(v).source.path.clone())
                .unwrap_or_else(|| super::i18n::translation_path(&source_path, code));
            Some(Pair { translation, source: source_path, address: site.permalink(&source.path) })
        })
        .collect();
    found.sort_by(|a, b| a.source.cmp(&b.source));
    found
}

/// The index of a language that can be translated into, or why not.
fn target_language(site: &Site, code: &str, shown: &Path) -> Result<usize> {
    let codes: Vec<&str> = site.config.languages.iter().skip(1).map(|l| l.code.as_str()).collect();
    match site.config.language_index(code) {
        Some(0) => Err(Error::at(shown, None, msg!("exchange.source_language", code = code))
            .with_hint(msg!("config.choose_language", codes = codes.join(", ")))),
        Some(index) => Ok(index),
        None => Err(Error::at(shown, None, msg!("exchange.unknown_language", code = code))
            .with_hint(msg!("config.choose_language", codes = codes.join(", ")))),
    }
}

/// The units of the pages under `paths` (sources or translations, files or folders; all pages
/// when empty) for a translation into `code`.
pub fn export(site: &Site, code: &str, paths: &[PathBuf]) -> Result<Exchange> {
    let root = &site.config.root;
    let lang = target_language(site, code, Path::new("site.yaml"))?;
    let wanted: Vec<PathBuf> = paths.iter().map(|p| relative_to_root(root, p)).collect();
    let selected: Vec<Pair> = pairs(site, lang)
        .into_iter()
        .filter(|pair| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| pair.source.starts_with(w) || pair.translation.starts_with(w))
        })
        .collect();
    if selected.is_empty() {
        let shown = wanted.first().cloned().unwrap_or_else(|| PathBuf::from("content"));
        return Err(Error::at(shown, None, msg!("exchange.no_pages", code = code))
            .with_hint(msg!("exchange.no_pages.hint")));
    }
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let glossary = Glossary::load(&site.config.root, &codes)?;
    let terms = Terms { glossary: &glossary, source: codes[0], target: code };
    let mut pages = Vec::new();
    for pair in selected {
        pages.push(page_units(site, &pair, &terms)?);
    }
    Ok(Exchange {
        source_lang: site.config.languages[0].code.clone(),
        lang: code.to_owned(),
        lang_name: site.locales.language_name(lang, code).to_owned(),
        notes: terms.all_notes(),
        pages,
    })
}

/// The glossary's agreed terms between the source language and the one translated into.
struct Terms<'a> {
    /// The site's glossary.
    glossary: &'a Glossary,
    /// The source language's code.
    source: &'a str,
    /// The code of the language translated into.
    target: &'a str,
}

impl Terms<'_> {
    /// A note for each agreed term the text holds.
    fn notes_for(&self, text: &str) -> Vec<Message> {
        self.glossary.terms_in(self.source, text).filter_map(|term| self.note(term)).collect()
    }

    /// A note for every term agreed in the language, for the whole file.
    fn all_notes(&self) -> Vec<Message> {
        self.glossary.terms.iter().filter_map(|term| self.note(term)).collect()
    }

    fn note(&self, term: &crate::load::glossary::Term) -> Option<Message> {
        let form = term.preferred(self.target)?;
        let source = term.preferred(self.source)?;
        let note = msg!("exchange.note_glossary", term = source, form = form);
        Some(match &term.note {
            Some(text) => {
                msg!("exchange.note_glossary_with_note", term = source, form = form, note = text)
            }
            None => note,
        })
    }
}

fn page_units(site: &Site, pair: &Pair, terms: &Terms) -> Result<PageUnits> {
    let root = &site.config.root;
    let source = read_page(root, &pair.source)?;
    let translation = existing(root, &pair.translation)?;
    let matched = mapping(&source, translation.as_ref());
    let aligned = matched.is_some();
    let mapped = matched.unwrap_or_else(|| vec![None; source.segments.len()]);
    let units = source
        .segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let target =
                mapped[index].as_ref().zip(translation.as_ref()).map(|(m, t)| &t.segments[m.index]);
            let state = match &mapped[index] {
                None => State::New,
                Some(m) if m.current => State::Translated,
                Some(_) => State::NeedsReview,
            };
            Unit {
                id: unit_id(index, segment, target),
                kind: segment.kind,
                line: segment.line,
                source: pieces_of(segment),
                target: target.map(pieces_of),
                state,
                notes: [hotline_notes(site, &segment.text), terms.notes_for(&segment.text)]
                    .concat(),
            }
        })
        .collect();
    Ok(PageUnits {
        translation: pair.translation.clone(),
        source: pair.source.clone(),
        address: pair.address.clone(),
        units,
        aligned,
    })
}

fn existing(root: &Path, path: &Path) -> Result<Option<PageFile>> {
    if root.join(path).is_file() { read_page(root, path).map(Some) } else { Ok(None) }
}

fn unit_id(index: usize, source: &Segment, target: Option<&Segment>) -> String {
    let target = target.map_or_else(|| NO_TRANSLATION.to_owned(), Segment::hash);
    format!("b{index}-{}-{target}", source.hash())
}

/// The translation part of the id of a unit without a translation.
const NO_TRANSLATION: &str = "none";

fn pieces_of(segment: &Segment) -> Vec<Piece> {
    markup::pieces(
        &segment.text,
        segment.kind.front_key().is_some(),
        segment.kind == Kind::TableRow,
    )
}

/// A note naming the hotline numbers a block holds, which must stay as they are.
fn hotline_notes(site: &Site, text: &str) -> Vec<Message> {
    let hotlines = &site.config.hotlines;
    let numbers: Vec<&str> = hotlines.iter().map(|h| h.number.as_str()).collect();
    let held = crate::load::glossary::hotline_numbers_in(text, &numbers);
    let shown: Vec<&str> = hotlines
        .iter()
        .filter(|h| held.contains(&h.number.as_str()))
        .map(|h| h.display.as_str())
        .collect();
    if shown.is_empty() {
        return Vec::new();
    }
    vec![msg!("exchange.note_hotlines", numbers = shown.join(", "))]
}

/// A translated unit as a file brings it back.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Its id.
    pub id: String,
    /// Its line in the file.
    pub line: usize,
    /// The source text as exported (kept with a suggestion).
    pub source_text: String,
    /// The source block's Markdown as the file gives it, when it can tell (to check the id).
    pub source_markdown: Option<String>,
    /// Its translation; `None` or empty when not filled in.
    pub target: Option<Vec<Written>>,
    /// True when `{n}` opens a pair (PO markers) rather than standing alone (XLIFF `<ph>`).
    pub markers: bool,
    /// True when the translator marked it done (XLIFF state past `initial`, PO not fuzzy).
    pub confirmed: bool,
}

/// The pages of a file to import.
#[derive(Debug, Clone)]
pub struct IncomingFile {
    /// The file, as named on the command line.
    pub shown: PathBuf,
    /// The language it translates into.
    pub lang: String,
    /// Its units per translation file, in order.
    pub pages: Vec<(PathBuf, usize, Vec<Incoming>)>,
}

/// What an import did and refused, as lines for people.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One message per event.
    pub lines: Vec<Message>,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// A file to write once every check passed.
struct Pending {
    path: PathBuf,
    shown: PathBuf,
    content: String,
    /// What the file held when read (`None`: it did not exist), to leave a save made meanwhile.
    expected: Option<Vec<u8>>,
}

/// Writes the translations of `incoming` into the site's translation files and their records:
/// all of them, or none when anything is wrong.
pub fn import(site: &Site, incoming: &IncomingFile, force: bool) -> Result<Outcome> {
    let root = &site.config.root;
    let lang = target_language(site, &incoming.lang, &incoming.shown)?;
    let known = pairs(site, lang);
    let mut outcome = Outcome::default();
    let mut pending = Vec::new();
    for (translation, line, units) in &incoming.pages {
        let Some(pair) = known.iter().find(|p| &p.translation == translation) else {
            return Err(Error::at(
                &incoming.shown,
                Some(Position::new(*line, 1)),
                msg!("exchange.unknown_file", file = translation.display(), code = &incoming.lang),
            )
            .with_hint(msg!("exchange.unknown_file.hint")));
        };
        let page = PageImport { root, pair, shown: &incoming.shown, force };
        pending.extend(page.run(units, &mut outcome)?);
    }
    commit(&pending)?;
    outcome.written = pending.into_iter().map(|p| p.shown).collect();
    Ok(outcome)
}

/// One page of an import.
struct PageImport<'a> {
    root: &'a Path,
    pair: &'a Pair,
    shown: &'a Path,
    force: bool,
}

/// A unit an import reports on.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// Not applied: its source block changed since the export.
    SourceChanged,
    /// Not applied: its translation was edited in the site since the export.
    EditedSince,
    /// Applied over a translation edited in the site since the export.
    Forced,
}

/// What a source block becomes in the translation.
#[derive(Debug, Clone)]
enum Choice {
    /// The source's text, untranslated.
    Untranslated,
    /// The translation's block as it is, with its stamp.
    Kept { markdown: String, stamp: String },
    /// A new translation from the file, made from the source block as it is.
    Imported(String),
}

impl PageImport<'_> {
    fn run(&self, units: &[Incoming], outcome: &mut Outcome) -> Result<Vec<Pending>> {
        let as_read = std::fs::read(self.root.join(&self.pair.translation)).ok();
        let source = read_page(self.root, &self.pair.source)?;
        let translation = existing(self.root, &self.pair.translation)?;
        let Some(mapped) = mapping(&source, translation.as_ref()) else {
            return Err(Error::at(&self.pair.translation, None, msg!("exchange.unaligned"))
                .with_hint(msg!(
                    "exchange.unaligned.hint",
                    file = self.pair.translation.display()
                )));
        };
        let mut choices: Vec<Choice> = mapped
            .iter()
            .map(|m| match (m, &translation) {
                (Some(m), Some(t)) => Choice::Kept {
                    markdown: block_markdown(t, &t.segments[m.index]),
                    stamp: if m.current { String::new() } else { m.stamp.clone() },
                },
                _ => Choice::Untranslated,
            })
            .collect();
        let mut suggestions = Vec::new();
        let mut applied = 0usize;
        for unit in units {
            let Some(target) = unit.target.as_ref().filter(|t| !is_empty(t)) else { continue };
            let (index, source_hash, translation_hash) = self.parse_id(unit)?;
            let Some(now) = find_block(&source.segments, index, source_hash) else {
                outcome.lines.push(self.event(Event::SourceChanged, unit));
                suggestions.push(crate::commands::i18n_blocks::Suggestion {
                    unit: unit.id.clone(),
                    source: unit.source_text.clone(),
                    translation: markup::restore(&[], target, unit.markers)
                        .unwrap_or_else(|_| written_text(target)),
                });
                continue;
            };
            let block = &source.segments[now];
            let restored = markup::restore(&pieces_of(block), target, unit.markers)
                .map_err(|broken| self.broken(unit, broken))?;
            let markdown = fold(&restored, block.kind == Kind::Shortcode);
            let present =
                mapped[now].as_ref().zip(translation.as_ref()).map(|(m, t)| &t.segments[m.index]);
            let present_hash = present.map_or_else(|| NO_TRANSLATION.to_owned(), Segment::hash);
            let same = present
                .is_some_and(|p| p.text == crate::load::segments::normalise(&markdown, false));
            let already_current = mapped[now].as_ref().is_some_and(|m| m.current);
            if same && (already_current || !unit.confirmed) {
                continue;
            }
            if present_hash != translation_hash && !same {
                if !self.force {
                    outcome.lines.push(self.event(Event::EditedSince, unit));
                    continue;
                }
                outcome.lines.push(self.event(Event::Forced, unit));
            }
            choices[now] = Choice::Imported(markdown);
            applied += 1;
        }
        if applied == 0 && suggestions.is_empty() {
            return Ok(Vec::new());
        }
        outcome.lines.push(msg!(
            "exchange.applied",
            file = self.pair.translation.display(),
            count = applied
        ));
        let read = Read { source: &source, translation: translation.as_ref(), as_read };
        self.pending(read, &choices, suggestions)
    }

    fn parse_id<'u>(&self, unit: &'u Incoming) -> Result<(usize, &'u str, &'u str)> {
        let parsed = unit.id.strip_prefix('b').and_then(|rest| {
            let mut parts = rest.splitn(3, '-');
            let index = parts.next()?.parse::<usize>().ok()?;
            let source = parts.next().filter(|h| h.len() == 8)?;
            let translation = parts.next()?;
            Some((index, source, translation))
        });
        let matches_its_source = |hash: &str| {
            unit.source_markdown.as_deref().is_none_or(|markdown| stamp_fits(hash, markdown))
        };
        match parsed {
            Some(parsed) if matches_its_source(parsed.1) => Ok(parsed),
            _ => Err(self.unknown_unit(unit)),
        }
    }

    fn unknown_unit(&self, unit: &Incoming) -> Error {
        Error::at(
            self.shown,
            Some(Position::new(unit.line, 1)),
            msg!("exchange.unknown_unit", unit = &unit.id, file = self.pair.translation.display()),
        )
        .with_hint(msg!("exchange.unknown_unit.hint"))
    }

    fn broken(&self, unit: &Incoming, broken: Broken) -> Error {
        let reason = match broken {
            Broken::Missing(n) => msg!("exchange.placeholder_missing", number = n),
            Broken::Twice(n) => msg!("exchange.placeholder_twice", number = n),
            Broken::Unknown(n) => msg!("exchange.placeholder_unknown", number = n),
            Broken::Changed(n) => msg!("exchange.placeholder_changed", number = n),
            Broken::Unbalanced(n) => msg!("exchange.placeholder_unbalanced", number = n),
        };
        Error::at(
            self.shown,
            Some(Position::new(unit.line, 1)),
            msg!("exchange.broken_placeholder", unit = &unit.id, reason = reason),
        )
        .with_hint(msg!("exchange.broken_placeholder.hint"))
    }

    fn event(&self, event: Event, unit: &Incoming) -> Message {
        let file = self.pair.translation.display();
        let (id, line) = (&unit.id, unit.line);
        match event {
            Event::SourceChanged => {
                msg!("exchange.source_changed", file = file, unit = id, line = line)
            }
            Event::EditedSince => {
                msg!("exchange.edited_since", file = file, unit = id, line = line)
            }
            Event::Forced => msg!("exchange.forced", file = file, unit = id, line = line),
        }
    }

    /// The new translation file and record.
    fn pending(
        &self,
        read: Read,
        choices: &[Choice],
        suggestions: Vec<crate::commands::i18n_blocks::Suggestion>,
    ) -> Result<Vec<Pending>> {
        let Read { source, translation, as_read } = read;
        let shown = &self.pair.translation;
        let mut body = String::new();
        let mut at = 0;
        let mut head = translation.map_or_else(|| source.head.clone(), |t| t.head.clone());
        let mut stamps = Vec::new();
        for (segment, choice) in source.segments.iter().zip(choices) {
            let (markdown, stamp) = match choice {
                Choice::Untranslated => {
                    (None, BlockStamp { hash: segment.hash(), translated: false })
                }
                Choice::Kept { markdown, stamp } => {
                    let hash = if stamp.is_empty() { segment.hash() } else { stamp.clone() };
                    (Some(markdown.clone()), BlockStamp { hash, translated: true })
                }
                Choice::Imported(markdown) => {
                    (Some(markdown.clone()), BlockStamp { hash: segment.hash(), translated: true })
                }
            };
            stamps.push(stamp);
            let replace = matches!(choice, Choice::Imported(_)) || translation.is_none();
            match (&segment.range, segment.kind.front_key()) {
                (Some(range), _) => {
                    let range = trimmed(&source.body, range);
                    body.push_str(&source.body[at..range.start]);
                    body.push_str(markdown.as_deref().unwrap_or(&source.body[range.clone()]));
                    at = range.end;
                }
                (None, Some(key)) if replace => {
                    let value = markdown.unwrap_or_else(|| segment.text.clone());
                    head = set_field(&head, key, &value, shown)?;
                }
                _ => {}
            }
        }
        body.push_str(&source.body[at..]);
        let mut text = set_field(
            &head,
            staleness::BLOCKS_KEY,
            &staleness::format_block_stamps(&stamps),
            shown,
        )?;
        let all_current = choices.iter().all(|c| match c {
            Choice::Imported(_) => true,
            Choice::Kept { stamp, .. } => stamp.is_empty(),
            Choice::Untranslated => false,
        });
        if all_current {
            text = set_field(&text, staleness::STAMP_KEY, &source.stamp, shown)?;
        } else if let Some(old) = translation.and_then(|t| t.translated_from.as_deref()) {
            text = set_field(&text, staleness::STAMP_KEY, old, shown)?;
        }
        text.push_str(&body);
        let record = crate::commands::i18n_blocks::merged_record(
            self.root,
            &self.pair.translation,
            &self.pair.source,
            &source.segments,
            suggestions,
        )?;
        let record_shown = crate::commands::i18n_blocks::record_path(&self.pair.translation);
        let record_path = self.root.join(&record_shown);
        let record_as_read = std::fs::read(&record_path).ok();
        Ok(vec![
            Pending {
                path: self.root.join(shown),
                shown: shown.clone(),
                content: text,
                expected: as_read,
            },
            Pending {
                path: record_path,
                shown: record_shown,
                content: record,
                expected: record_as_read,
            },
        ])
    }
}

/// Whether `hash`, a block stamp, is the stamp of a block of some kind with this Markdown: an id
/// made up, or pasted onto another unit, is not.
fn stamp_fits(hash: &str, markdown: &str) -> bool {
    const KINDS: [Kind; 9] = [
        Kind::Title,
        Kind::Description,
        Kind::ImageAlt,
        Kind::Heading,
        Kind::Paragraph,
        Kind::ListItem,
        Kind::TableRow,
        Kind::Quote,
        Kind::Shortcode,
    ];
    let text = crate::load::segments::normalise(markdown, false);
    KINDS
        .into_iter()
        .any(|kind| Segment { kind, range: None, line: 0, text: text.clone() }.hash() == hash)
}

/// A page's files as an import read them.
struct Read<'a> {
    source: &'a PageFile,
    translation: Option<&'a PageFile>,
    as_read: Option<Vec<u8>>,
}

/// `head` (front matter with its `---` lines) with `key` set.
fn set_field(head: &str, key: &str, value: &str, shown: &Path) -> Result<String> {
    staleness::with_field(head, key, value, shown)
}

/// A translation block's Markdown as its file holds it (its raw text in the body).
fn block_markdown(file: &PageFile, segment: &Segment) -> String {
    match &segment.range {
        Some(range) => file.body[trimmed(&file.body, range)].to_owned(),
        None => segment.text.clone(),
    }
}

fn trimmed(text: &str, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    start..start + slice.trim().len()
}

/// The source block with stamp `hash`, at `index` if it is still there, else anywhere.
fn find_block(segments: &[Segment], index: usize, hash: &str) -> Option<usize> {
    if segments.get(index).is_some_and(|s| s.hash() == hash) {
        return Some(index);
    }
    segments.iter().position(|s| s.hash() == hash)
}

fn is_empty(written: &[Written]) -> bool {
    written.iter().all(|w| matches!(w, Written::Text(t) if t.trim().is_empty()))
}

fn written_text(written: &[Written]) -> String {
    written
        .iter()
        .map(|w| match w {
            Written::Text(t) => t.clone(),
            Written::Alone(n) | Written::Open(n) => format!("{{{n}}}"),
            Written::Close(n) => format!("{{/{n}}}"),
        })
        .collect()
}

/// A translation's text on one line; a block shortcode keeps its lines (tags on their own
/// lines, blank lines between paragraphs of its body), each with its spaces folded.
fn fold(text: &str, lines: bool) -> String {
    if !lines {
        return crate::load::segments::normalise(text, false).replace("\n\n", " ");
    }
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(folded);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    crate::base::text::nfc(&out.join("\n"))
}

/// Writes every pending file beside itself, then, if none was saved by someone else meanwhile,
/// puts them all in place; otherwise removes what it wrote and leaves the site as it was.
fn commit(pending: &[Pending]) -> Result<()> {
    let mut written: Vec<PathBuf> = Vec::new();
    for file in pending {
        let temporary = temporary_path(&file.path);
        let result = file
            .path
            .parent()
            .map_or(Ok(()), fs_err::create_dir_all)
            .and_then(|()| fs_err::write(&temporary, &file.content));
        if let Err(error) = result {
            for path in &written {
                let _ = std::fs::remove_file(path);
            }
            return Err(crate::base::encoding::unreadable(&file.shown, &error));
        }
        written.push(temporary);
    }
    let changed = pending.iter().find(|file| std::fs::read(&file.path).ok() != file.expected);
    if let Some(file) = changed {
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
        return Err(Error::at(&file.shown, None, msg!("exchange.changed_meanwhile"))
            .with_hint(msg!("exchange.changed_meanwhile.hint")));
    }
    for (file, temporary) in pending.iter().zip(&written) {
        fs_err::rename(temporary, &file.path)?;
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".loa-import");
    path.with_file_name(name)
}

fn relative_to_root(root: &Path, file: &Path) -> PathBuf {
    let absolute = crate::write::absolute(file);
    let root = crate::write::absolute(root);
    absolute.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.to_path_buf())
}

/// The file's name for a translation path given in an exchange file, `/` separated.
pub fn page_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A warning for each exported page whose translation cannot be matched block by block.
pub fn export_warnings(exchange: &Exchange) -> Vec<Message> {
    exchange
        .pages
        .iter()
        .filter(|page| !page.aligned)
        .map(|page| msg!("exchange.unaligned_export", file = page.translation.display()))
        .collect()
}

/// What an import said, as text for people.
pub fn format_outcome(outcome: &Outcome, lang: UiLang) -> String {
    let mut lines: Vec<String> = outcome.lines.iter().map(|m| m.render(lang)).collect();
    if lines.is_empty() {
        lines.push(msg!("exchange.nothing").render(lang));
    }
    lines.join("\n")
}

/// The units of a file by translation file, for readers that find them in any order.
pub fn group_units(units: Vec<(PathBuf, usize, Incoming)>) -> Vec<(PathBuf, usize, Vec<Incoming>)> {
    let mut pages: BTreeMap<PathBuf, (usize, Vec<Incoming>)> = BTreeMap::new();
    for (path, line, unit) in units {
        pages.entry(path).or_insert_with(|| (line, Vec::new())).1.push(unit);
    }
    pages.into_iter().map(|(path, (line, units))| (path, line, units)).collect()
}

/// Reads an XLIFF or PO file (told apart by its first character), refusing one not in UTF-8.
pub fn read_file(file: &Path) -> Result<IncomingFile> {
    let bytes = fs_err::read(file)?;
    let text = crate::base::encoding::read_source_bytes(&bytes, file)?;
    if text.trim_start().starts_with('<') {
        crate::commands::i18n_xliff::read(&text, file)
    } else {
        crate::commands::i18n_po::read(&text, file)
    }
}
