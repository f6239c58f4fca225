//! Translation stamps: whether a translation was made from the current version of its source.

use std::path::Path;

use crate::base::error::{Error, Result};

/// The front matter key holding a translation's stamp.
pub const STAMP_KEY: &str = "translated_from";

/// A short, stable fingerprint of a source's title and body (NFC, trimmed): 64-bit FNV-1a in hex.
///
/// FNV-1a is enough here: the stamp detects edits, it does not defend against forgery.
pub fn stamp(title: &str, body: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!(
        "{}\n{}",
        crate::base::text::nfc(title.trim()),
        crate::base::text::nfc(body.trim())
    );
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")[..12].to_owned()
}

/// The stamp of the source file at `path` (front matter title and body), as `loa` computes it.
pub fn stamp_of_file(path: &Path, shown: &Path) -> Result<String> {
    let text = crate::base::encoding::read_source(path, shown)?;
    let split = crate::load::front_matter::split(&text, shown)?;
    let front = crate::load::front_matter::parse(
        split.front,
        shown,
        split.front_line_offset,
        crate::base::dates::default_offset(),
    )?;
    Ok(stamp(&front.title, split.body))
}

/// The state of a translation compared with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Freshness {
    /// Stamped from the current source.
    Current,
    /// Stamped from an older version of the source.
    Outdated,
    /// Never stamped, so its age is unknown.
    Unstamped,
}

/// Compares a translation's stamp with its source's current stamp.
pub fn freshness(translation_stamp: Option<&str>, source_stamp: &str) -> Freshness {
    match translation_stamp.map(str::trim) {
        None | Some("") => Freshness::Unstamped,
        Some(stamp) if stamp == source_stamp => Freshness::Current,
        Some(_) => Freshness::Outdated,
    }
}

/// `original` (the raw bytes of a translation file) with `translated_from: <stamp>` set in its
/// front matter; every other byte is kept, including a BOM and CRLF line ends.
pub fn with_stamp(original: &str, stamp: &str, shown: &Path) -> Result<String> {
    with_field(original, STAMP_KEY, stamp, shown)
}

/// `original` with the top-level front matter `key` set to `value` (a double-quoted string):
/// replaced where it is (with its continuation lines), else added before the closing `---`.
pub fn with_field(original: &str, key: &str, value: &str, shown: &Path) -> Result<String> {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    with_yaml(original, key, Some(&quoted), shown)
}

/// `original` with the top-level front matter `key` set to `yaml` (a YAML value written as
/// is), or removed with its continuation lines when `yaml` is `None`; every other byte is kept.
pub fn with_yaml(original: &str, key: &str, yaml: Option<&str>, shown: &Path) -> Result<String> {
    let newline = if original.contains("\r\n") { "\r\n" } else { "\n" };
    let bom = if original.starts_with('\u{feff}') { "\u{feff}" } else { "" };
    let text = &original[bom.len()..];
    let opening = format!("---{newline}");
    if !text.starts_with(&opening) {
        return Err(Error::at(
            shown,
            Some(crate::base::error::Position::new(1, 1)),
            msg!("front_matter.missing"),
        )
        .with_hint(msg!("front_matter.missing.hint")));
    }
    let replaced = yaml.map(|yaml| format!("{key}: {yaml}"));
    let mut offset = opening.len();
    let mut lines = text[offset..].split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let content = line.trim_end_matches(['\r', '\n']);
        if content.trim_end() == "---" {
            let Some(replaced) = replaced else { return Ok(original.to_owned()) };
            return Ok(format!("{bom}{}{replaced}{newline}{}", &text[..offset], &text[offset..]));
        }
        if let Some(rest) = content.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            let mut end = offset + content.len();
            let mut next_line_start = offset + line.len();
            while let Some(next) = lines.peek().copied().filter(|l| l.starts_with([' ', '\t'])) {
                end = next_line_start + next.trim_end_matches(['\r', '\n']).len();
                next_line_start += next.len();
                lines.next();
            }
            return Ok(match replaced {
                Some(replaced) => format!("{bom}{}{replaced}{}", &text[..offset], &text[end..]),
                None => format!("{bom}{}{}", &text[..offset], &text[next_line_start..]),
            });
        }
        offset += line.len();
    }
    Err(Error::at(
        shown,
        Some(crate::base::error::Position::new(1, 1)),
        msg!("front_matter.unclosed"),
    )
    .with_hint(msg!("front_matter.unclosed.hint")))
}

/// The front matter key holding the stamp of each source block a translation was made from.
pub const BLOCKS_KEY: &str = "translated_blocks";

/// The stamp of one source block as a translation recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockStamp {
    /// The block's fingerprint ([`crate::load::segments::Segment::hash`]).
    pub hash: String,
    /// False when the translation still holds the source's text for it (written `-hash`).
    pub translated: bool,
}

/// Reads `translated_blocks: "1a2b3c4d -5e6f7a8b …"`.
pub fn parse_block_stamps(text: &str) -> Vec<BlockStamp> {
    text.split_whitespace()
        .map(|word| match word.strip_prefix('-') {
            Some(hash) => BlockStamp { hash: hash.to_owned(), translated: false },
            None => BlockStamp { hash: word.to_owned(), translated: true },
        })
        .collect()
}

/// Writes block stamps as [`parse_block_stamps`] reads them.
pub fn format_block_stamps(stamps: &[BlockStamp]) -> String {
    let words: Vec<String> = stamps
        .iter()
        .map(|s| if s.translated { s.hash.clone() } else { format!("-{}", s.hash) })
        .collect();
    words.join(" ")
}

/// How one block of the source compares with the version a translation was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockChange {
    /// Unchanged since stamped: source block index, stamped index.
    Current(usize, usize),
    /// Edited since stamped: source block index, stamped index of the old version.
    Changed(usize, usize),
    /// Added since (or never translated): source block index.
    New(usize),
    /// Gone from the source: stamped index.
    Removed(usize),
}

/// How many blocks of a translation are current, changed, new and removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BlockCounts {
    /// Unchanged in the source since translated.
    pub current: usize,
    /// Changed in the source since translated.
    pub changed: usize,
    /// Added to the source since, or never translated.
    pub new: usize,
    /// Removed from the source since.
    pub removed: usize,
}

/// Aligns the stamped blocks with the source's current block hashes: unchanged blocks match in
/// order; between two matches, removed and added blocks pair up as changed ones.
pub fn compare_blocks(stamped: &[BlockStamp], source: &[String]) -> Vec<BlockChange> {
    let old: Vec<&str> = stamped.iter().map(|s| s.hash.as_str()).collect();
    let new: Vec<&str> = source.iter().map(String::as_str).collect();
    let mut pairs = crate::base::diff::common_pairs(&old, &new);
    pairs.push((old.len(), new.len()));
    let mut changes = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (next_i, next_j) in pairs {
        while i < next_i && j < next_j {
            changes.push(if stamped[i].translated {
                BlockChange::Changed(j, i)
            } else {
                BlockChange::New(j)
            });
            i += 1;
            j += 1;
        }
        changes.extend((i..next_i).map(BlockChange::Removed));
        changes.extend((j..next_j).map(BlockChange::New));
        if next_i < old.len() {
            changes.push(if stamped[next_i].translated {
                BlockChange::Current(next_j, next_i)
            } else {
                BlockChange::New(next_j)
            });
        }
        (i, j) = (next_i + 1, next_j + 1);
    }
    changes
}

/// Counts the changes of [`compare_blocks`].
pub fn count_changes(changes: &[BlockChange]) -> BlockCounts {
    let mut counts = BlockCounts::default();
    for change in changes {
        match change {
            BlockChange::Current(..) => counts.current += 1,
            BlockChange::Changed(..) => counts.changed += 1,
            BlockChange::New(_) => counts.new += 1,
            BlockChange::Removed(_) => counts.removed += 1,
        }
    }
    counts
}

/// The block hashes of a document, in order.
pub fn block_hashes(document: &crate::load::content::Document) -> Vec<String> {
    segments_of(document).iter().map(crate::load::segments::Segment::hash).collect()
}

/// The blocks of a loaded document (front matter fields, then body).
pub fn segments_of(
    document: &crate::load::content::Document,
) -> Vec<crate::load::segments::Segment> {
    let front = &document.front;
    let fields = crate::load::segments::Fields {
        title: &front.title,
        description: front.description.as_deref(),
        image_alt: front.image_alt.as_deref(),
    };
    crate::load::segments::segments(fields, "", &document.body, document.body_line_offset)
}

/// How a translation's blocks compare with its source, when it carries block stamps.
pub fn block_counts(
    translation: &crate::load::content::Document,
    source: &crate::load::content::Document,
) -> Option<BlockCounts> {
    let stamps = parse_block_stamps(translation.front.translated_blocks.as_deref()?);
    Some(count_changes(&compare_blocks(&stamps, &block_hashes(source))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_short_stable_and_change_with_the_source() {
        let a = stamp("Tiêu đề", "Nội dung\n");
        assert_eq!(a.len(), 12);
        assert_eq!(a, stamp("Tiêu đề ", "Nội dung"));
        assert_eq!(
            a,
            stamp("Tie\u{302}u \u{111}e\u{302}\u{300}", "Nội dung"),
            "NFD and NFC give one stamp"
        );
        assert_ne!(a, stamp("Tiêu đề", "Nội dung mới"));
    }

    #[test]
    fn can_insert_a_stamp_keeping_every_other_byte() {
        let original = "\u{feff}---\r\ntitle: A\r\n---\r\n\r\nBody\r\n";
        let stamped = with_stamp(original, "abc", Path::new("a.md")).unwrap();
        assert_eq!(
            stamped,
            "\u{feff}---\r\ntitle: A\r\ntranslated_from: \"abc\"\r\n---\r\n\r\nBody\r\n"
        );
    }

    #[test]
    fn can_replace_an_existing_stamp() {
        let original = "---\ntitle: A\ntranslated_from: old # note\ndate: 2024-01-01\n---\nBody\n";
        let stamped = with_stamp(original, "new", Path::new("a.md")).unwrap();
        assert_eq!(
            stamped,
            "---\ntitle: A\ntranslated_from: \"new\"\ndate: 2024-01-01\n---\nBody\n"
        );
    }

    #[test]
    fn compares_blocks_as_current_changed_new_and_removed() {
        let stamps = parse_block_stamps("a b c -d e");
        assert_eq!(format_block_stamps(&stamps), "a b c -d e");
        let source: Vec<String> = ["a", "B", "c", "d", "x", "y"].map(String::from).to_vec();
        let changes = compare_blocks(&stamps, &source);
        assert_eq!(
            changes,
            vec![
                BlockChange::Current(0, 0),
                BlockChange::Changed(1, 1),
                BlockChange::Current(2, 2),
                BlockChange::New(3),
                BlockChange::Changed(4, 4),
                BlockChange::New(5),
            ]
        );
        let counts = count_changes(&compare_blocks(&stamps, &["a".to_owned()]));
        assert_eq!(counts, BlockCounts { current: 1, changed: 0, new: 0, removed: 4 });
    }

    #[test]
    fn can_set_a_field_spanning_lines() {
        let original = "---\ntitle: A\ndescription: >\n  long\n  text\ndate: 1\n---\n";
        let set = with_field(original, "description", "Say \"hi\"", Path::new("a.md")).unwrap();
        assert_eq!(set, "---\ntitle: A\ndescription: \"Say \\\"hi\\\"\"\ndate: 1\n---\n");
    }

    #[test]
    fn knows_freshness() {
        assert_eq!(freshness(None, "a"), Freshness::Unstamped);
        assert_eq!(freshness(Some("a"), "a"), Freshness::Current);
        assert_eq!(freshness(Some("b"), "a"), Freshness::Outdated);
    }
}
