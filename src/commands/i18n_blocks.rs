//! The blocks of a translation and its source as files hold them, the record of the source's
//! blocks kept when a translation is stamped (`translations/<path>.json`), and how
//! `loa i18n diff` shows a change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::diff::Piece;
use crate::base::error::{Error, Result};
use crate::base::messages::UiLang;
use crate::load::segments::{self, Segment};
use crate::load::staleness::{self, BlockChange, BlockStamp};

/// The folder, under the site root, of the records of stamped translations.
pub const RECORDS_DIR: &str = "translations";

/// A page file read into blocks.
#[derive(Debug, Clone)]
pub struct Blocks {
    /// Its whole-page stamp (as a source).
    pub stamp: String,
    /// Its blocks.
    pub segments: Vec<Segment>,
    /// Its `translated_blocks:` (as a translation).
    pub block_stamps: Option<String>,
}

/// A page file as read: its text, where its body starts, its front matter and its blocks.
pub(crate) struct PageText {
    /// The whole file, normalised.
    pub text: String,
    /// The byte where the body starts.
    pub body_start: usize,
    /// The front matter, parsed.
    pub front: crate::load::front_matter::FrontMatter,
    /// The blocks: translated front matter fields, then the body's.
    pub segments: Vec<Segment>,
}

impl PageText {
    /// Everything before the body (front matter with its `---` lines).
    pub fn head(&self) -> &str {
        &self.text[..self.body_start]
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The whole-page stamp of the file, as a source.
    pub fn stamp(&self) -> String {
        staleness::stamp(&self.front.title, self.body())
    }
}

/// Reads the page at `path` (relative to `root`): splits it, parses its front matter and cuts
/// it into blocks.
pub(crate) fn read_page_text(root: &Path, path: &Path) -> Result<PageText> {
    let text = crate::base::encoding::read_source(&root.join(path), path)?;
    let split = crate::load::front_matter::split(&text, path)?;
    let front = crate::load::front_matter::parse(
        split.front,
        path,
        split.front_line_offset,
        crate::base::dates::default_offset(),
    )?;
    let fields = segments::Fields {
        title: &front.title,
        description: front.description.as_deref(),
        image_alt: front.image_alt.as_deref(),
    };
    let segments = segments::segments(fields, split.front, split.body, split.body_line_offset);
    let body_start = text.len() - split.body.len();
    Ok(PageText { text, body_start, front, segments })
}

/// Reads the page at `path` (relative to `root`) into blocks.
pub fn read_blocks(root: &Path, path: &Path) -> Result<Blocks> {
    let page = read_page_text(root, path)?;
    Ok(Blocks {
        stamp: page.stamp(),
        block_stamps: page.front.translated_blocks,
        segments: page.segments,
    })
}

/// What the record of a stamped translation holds: the source's blocks as they were.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    /// The source file, relative to the site root.
    source: PathBuf,
    /// Each block's text by its hash.
    blocks: BTreeMap<String, String>,
    /// Translations brought by `loa i18n import` for source blocks that changed since export.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion>,
}

/// A translation an import did not apply because its source block changed since the export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suggestion {
    /// The unit's id in the exchange file.
    pub unit: String,
    /// The source block as it was exported.
    pub source: String,
    /// The translation the file brought.
    pub translation: String,
}

/// Where the record of the translation at `translation` (e.g. `content/a/b.en.md`) is kept:
/// `translations/a/b.en.json`.
pub fn record_path(translation: &Path) -> PathBuf {
    let inside = translation.strip_prefix(crate::load::content::CONTENT_DIR).unwrap_or(translation);
    Path::new(RECORDS_DIR).join(inside).with_extension("json")
}

/// Writes the record of the source's blocks for the translation of `pair`.
pub(crate) fn write_record(
    root: &Path,
    pair: &super::i18n::Pair,
    blocks: &[Segment],
) -> Result<()> {
    let record = Record {
        source: pair.source.clone(),
        blocks: blocks.iter().map(|s| (s.hash(), s.text.clone())).collect(),
        suggestions: Vec::new(),
    };
    let shown = record_path(&pair.translation);
    let path = root.join(&shown);
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent)?;
    }
    let mut json = serde_json::to_string_pretty(&record).unwrap_or_default();
    json.push('\n');
    let temporary = path.with_extension("json.loa-tmp");
    fs_err::write(&temporary, json)?;
    fs_err::rename(&temporary, &path)?;
    Ok(())
}

/// The old text of each stamped block by hash; empty when no record was kept.
pub(crate) fn read_record(
    root: &Path,
    pair: &super::i18n::Pair,
) -> Result<BTreeMap<String, String>> {
    let shown = record_path(&pair.translation);
    let path = root.join(&shown);
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let text = fs_err::read_to_string(&path)?;
    let record: Record = serde_json::from_str(&text).map_err(|e| {
        Error::at(
            &shown,
            Some(crate::base::error::Position::new(e.line(), e.column())),
            msg!("diff.bad_record", reason = e.to_string()),
        )
        .with_hint(msg!("diff.bad_record.hint", file = pair.translation.display()))
    })?;
    Ok(record.blocks)
}

/// The record of the translation at `translation` with the text of `blocks` (the source now)
/// added to what it held, and `suggestions` after its own, as JSON to write.
pub(crate) fn merged_record(
    root: &Path,
    translation: &Path,
    source: &Path,
    blocks: &[Segment],
    suggestions: Vec<Suggestion>,
) -> Result<String> {
    let pair =
        super::i18n::Pair { translation: translation.to_path_buf(), source: source.to_path_buf() };
    let mut record = Record {
        source: source.to_path_buf(),
        blocks: read_record(root, &pair)?,
        suggestions: read_suggestions(root, translation),
    };
    record.blocks.extend(blocks.iter().map(|s| (s.hash(), s.text.clone())));
    record.suggestions.extend(suggestions);
    let mut json = serde_json::to_string_pretty(&record).unwrap_or_default();
    json.push('\n');
    Ok(json)
}

/// The suggestions a record holds (none when it cannot be read: `read_record` says why).
fn read_suggestions(root: &Path, translation: &Path) -> Vec<Suggestion> {
    let text = std::fs::read_to_string(root.join(record_path(translation))).unwrap_or_default();
    serde_json::from_str::<Record>(&text).map(|r| r.suggestions).unwrap_or_default()
}

/// What `loa i18n diff` compares.
pub(crate) struct DiffView<'a> {
    /// The source now.
    pub source: &'a Blocks,
    /// The translation now.
    pub translation: &'a Blocks,
    /// The translation's block stamps.
    pub stamps: &'a [BlockStamp],
    /// The stamped blocks' old text by hash.
    pub old_texts: &'a BTreeMap<String, String>,
}

impl DiffView<'_> {
    /// One change as text for people; nothing for a current block.
    pub fn describe(&self, change: BlockChange, pair: &super::i18n::Pair, lang: UiLang) -> String {
        match change {
            BlockChange::Current(..) => String::new(),
            BlockChange::Changed(now, then) => {
                let block = &self.source.segments[now];
                let old = self.old_texts.get(&self.stamps[then].hash);
                let words = match old {
                    Some(old) => word_diff(old, &block.text),
                    None => format!("{} {}", msg!("diff.old_unknown").render(lang), block.text),
                };
                let head = msg!("diff.changed", file = pair.source.display(), line = block.line);
                format!("{}\n  {words}\n{}", head.render(lang), self.translation_line(then, lang))
            }
            BlockChange::New(now) => {
                let block = &self.source.segments[now];
                let head = msg!("diff.new", file = pair.source.display(), line = block.line);
                format!("{}\n  {{+{}+}}\n\n", head.render(lang), block.text)
            }
            BlockChange::Removed(then) => {
                let old = self.old_texts.get(&self.stamps[then].hash).cloned().unwrap_or_default();
                let head = msg!("diff.removed", file = pair.translation.display());
                format!("{}\n  [-{old}-]\n{}", head.render(lang), self.translation_line(then, lang))
            }
        }
    }

    /// The translation's block made from stamped block `then`.
    fn translation_line(&self, then: usize, lang: UiLang) -> String {
        match self.translation.segments.get(then) {
            Some(block) => {
                let head = msg!("diff.translation", line = block.line);
                format!("{}\n  {}\n\n", head.render(lang), block.text)
            }
            None => "\n".to_owned(),
        }
    }
}

/// `old` → `new` word by word: removed words as `[-…-]`, added ones as `{+…+}`.
pub fn word_diff(old: &str, new: &str) -> String {
    let pieces: Vec<String> = crate::base::diff::words(old, new)
        .into_iter()
        .map(|piece| match piece {
            Piece::Same(text) => text,
            Piece::Removed(text) => format!("[-{text}-]"),
            Piece::Added(text) => format!("{{+{text}+}}"),
        })
        .collect();
    pieces.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_removed_and_added_words() {
        assert_eq!(
            word_diff("Gọi 111 ngay", "Gọi 1800 1581 ngay"),
            "Gọi [-111-] {+1800 1581+} ngay"
        );
    }

    #[test]
    fn records_live_under_translations() {
        assert_eq!(
            record_path(Path::new("content/tin-tuc/lua-dao.en.md")),
            PathBuf::from("translations/tin-tuc/lua-dao.en.json")
        );
    }
}
