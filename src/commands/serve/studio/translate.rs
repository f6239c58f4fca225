//! The studio's translation view: a source and one translation side by side, block by block
//! (the block-level tracking of `loa i18n`), the source's changes since the translation was
//! marked up to date shown word by word, and a missing translation started from the source's
//! structure with its text left out. No text is ever made up.

use std::path::Path;

use serde::Serialize;

use crate::base::diff::Piece;
use crate::base::error::Result;
use crate::commands::i18n::Pair;
use crate::commands::i18n_blocks::{self as blocks, Blocks};
use crate::load::segments::{Kind, Segment};
use crate::load::staleness::{self, BlockChange};

/// One block as the view shows it.
#[derive(Debug, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: Kind,
    /// Its line in its file.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// A source block beside the translation block made from it.
#[derive(Debug, Serialize)]
pub struct Row {
    /// The source's block (none for a block the source no longer has).
    pub source: Option<Block>,
    /// The translation's block (none when not translated yet).
    pub translation: Option<Block>,
    /// `current`, `changed`, `new`, `removed`, `missing`, or `unknown` (never marked).
    pub state: &'static str,
    /// For a changed block, its words: `same`, `removed` or `added`, with the text.
    pub diff: Vec<(&'static str, String)>,
}

/// The whole view.
#[derive(Debug, Serialize)]
pub struct View {
    /// Whether the translation file exists.
    pub exists: bool,
    /// The blocks side by side.
    pub rows: Vec<Row>,
}

/// The view of `translation` (a path relative to the site, perhaps not written yet) beside
/// its `source`.
pub fn view(root: &Path, source: &Path, translation: &Path) -> Result<View> {
    let source_blocks = blocks::read_blocks(root, source)?;
    if !root.join(translation).is_file() {
        let rows = source_blocks
            .segments
            .iter()
            .map(|s| Row {
                source: Some(block(s)),
                translation: None,
                state: "missing",
                diff: Vec::new(),
            })
            .collect();
        return Ok(View { exists: false, rows });
    }
    let translated = blocks::read_blocks(root, translation)?;
    let Some(stamps) = translated.block_stamps.as_deref() else {
        return Ok(View { exists: true, rows: by_position(&source_blocks, &translated) });
    };
    let stamps = staleness::parse_block_stamps(stamps);
    let hashes: Vec<String> = source_blocks.segments.iter().map(Segment::hash).collect();
    let pair = Pair { translation: translation.to_path_buf(), source: source.to_path_buf() };
    let old_texts = blocks::read_record(root, &pair)?;
    let theirs = |then: usize| translated.segments.get(then).map(block);
    let rows = staleness::compare_blocks(&stamps, &hashes)
        .into_iter()
        .map(|change| match change {
            BlockChange::Current(now, then) => Row {
                source: Some(block(&source_blocks.segments[now])),
                translation: theirs(then),
                state: "current",
                diff: Vec::new(),
            },
            BlockChange::Changed(now, then) => {
                let new = &source_blocks.segments[now];
                let diff = old_texts
                    .get(&stamps[then].hash)
                    .map(|old| pieces(old, &new.text))
                    .unwrap_or_default();
                Row { source: Some(block(new)), translation: theirs(then), state: "changed", diff }
            }
            BlockChange::New(now) => Row {
                source: Some(block(&source_blocks.segments[now])),
                translation: None,
                state: "new",
                diff: Vec::new(),
            },
            BlockChange::Removed(then) => {
                Row { source: None, translation: theirs(then), state: "removed", diff: Vec::new() }
            }
        })
        .collect();
    Ok(View { exists: true, rows })
}

/// Blocks paired by position, for a translation never marked up to date.
fn by_position(source: &Blocks, translated: &Blocks) -> Vec<Row> {
    let count = source.segments.len().max(translated.segments.len());
    (0..count)
        .map(|i| Row {
            source: source.segments.get(i).map(block),
            translation: translated.segments.get(i).map(block),
            state: "unknown",
            diff: Vec::new(),
        })
        .collect()
}

fn block(segment: &Segment) -> Block {
    Block { kind: segment.kind, line: segment.line, text: segment.text.clone() }
}

fn pieces(old: &str, new: &str) -> Vec<(&'static str, String)> {
    crate::base::diff::words(old, new)
        .into_iter()
        .map(|piece| match piece {
            Piece::Same(text) => ("same", text),
            Piece::Removed(text) => ("removed", text),
            Piece::Added(text) => ("added", text),
        })
        .collect()
}

/// A new translation's first text: the source's front matter and body with the text of every
/// block left out (headings, list items, table cells, quotes stay as empty markers), shortcodes
/// kept whole, and `draft: true` so nothing unfinished is published.
pub fn skeleton(source_text: &str, shown: &Path) -> Result<String> {
    let text = crate::base::text::normalize_source(source_text);
    let split = crate::load::front_matter::split(&text, shown)?;
    let mut body = split.body.to_owned();
    let segments = crate::load::segments::body_segments(split.body, split.body_line_offset);
    let mut ranges: Vec<_> = segments
        .iter()
        .filter(|s| s.kind != Kind::Shortcode)
        .filter_map(|s| s.range.clone())
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.start));
    for range in ranges {
        if range.end <= body.len()
            && body.is_char_boundary(range.start)
            && body.is_char_boundary(range.end)
        {
            body.replace_range(range, "");
        }
    }
    let front = format!("---\n{}---\n", split.front);
    let front = staleness::with_yaml(&front, "draft", Some("true"), shown)?;
    let front = staleness::with_yaml(&front, "aliases", None, shown)?;
    Ok(format!("{front}{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skeleton_keeps_the_structure_and_shortcodes_and_drops_the_text() {
        let source = "---\ntitle: Tiêu đề\n---\n## Dấu hiệu\n\n- Hứa lương cao\n- Giữ giấy tờ\n\nGọi ngay cho đường dây nóng.\n\n{{ hotline(id=\"111\") }}\n";
        let made = skeleton(source, Path::new("content/a.md")).unwrap();
        assert!(made.starts_with("---\ntitle: Tiêu đề\ndraft: true\n---\n"), "{made}");
        assert!(made.contains("{{ hotline(id=\"111\") }}"), "{made}");
        for text in ["Dấu hiệu", "Hứa lương cao", "Giữ giấy tờ", "Gọi ngay"] {
            assert!(!made.contains(text), "{text} left in {made}");
        }
        assert!(made.contains("## ") && made.contains("- \n"), "{made}");
    }
}
