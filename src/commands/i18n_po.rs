//! gettext PO for the offline exchange: one entry per block, its context naming the translation
//! file and the unit, protected pieces as numbered markers `{1}`, `{2}…{/2}` explained in a
//! comment, `fuzzy` for a translation to review. Read back with the polib crate.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Position, Result};
use crate::base::messages::UiLang;
use crate::commands::i18n_exchange::{Exchange, Incoming, IncomingFile, State, Unit, page_key};
use crate::commands::i18n_markup::{self as markup, Piece};

/// The exchange as a PO file, comments in `lang`.
pub fn write(exchange: &Exchange, lang: UiLang) -> String {
    let mut out = String::new();
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    out.push_str("\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
    out.push_str(&format!("\"Language: {}\\n\"\n", escape(&exchange.lang)));
    out.push_str(&format!("\"X-Source-Language: {}\\n\"\n", escape(&exchange.source_lang)));
    for page in &exchange.pages {
        for unit in &page.units {
            out.push('\n');
            let mut notes = vec![msg!("exchange.note_address", address = &page.address)];
            notes.extend(exchange.notes.iter().cloned());
            notes.extend(unit.notes.iter().cloned());
            for note in notes {
                out.push_str(&comment(&note.render(lang)));
            }
            for explanation in markers(&unit.source) {
                out.push_str(&comment(&explanation.render(lang)));
            }
            out.push_str(&format!("#: {}:{}\n", page.source.display(), unit.line));
            out.push_str(&entry(unit, &page_key(&page.translation)));
        }
    }
    out
}

fn comment(text: &str) -> String {
    text.lines().map(|line| format!("#. {line}\n")).collect()
}

/// What each marker of a block stands for.
fn markers(pieces: &[Piece]) -> Vec<crate::base::messages::Message> {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Ph { id, data } => {
                Some(msg!("exchange.po_marker", marker = format!("{{{id}}}"), data = data))
            }
            Piece::Open { id, data } => {
                let close = pieces.iter().find_map(|p| match p {
                    Piece::Close { id: c, data } if c == id => Some(data.as_str()),
                    _ => None,
                });
                Some(msg!(
                    "exchange.po_pair",
                    open = format!("{{{id}}}"),
                    close = format!("{{/{id}}}"),
                    start = data,
                    end = close.unwrap_or_default()
                ))
            }
            _ => None,
        })
        .collect()
}

fn entry(unit: &Unit, page: &str) -> String {
    let mut out = String::new();
    if unit.state == State::NeedsReview {
        out.push_str("#, fuzzy\n");
    }
    out.push_str(&format!("msgctxt \"{}\"\n", escape(&format!("{page} {}", unit.id))));
    out.push_str(&format!("msgid \"{}\"\n", escape(&markup::with_markers(&unit.source))));
    let target = unit.target.as_deref().map(markup::with_markers).unwrap_or_default();
    out.push_str(&format!("msgstr \"{}\"\n", escape(&target)));
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\t', "\\t")
}

/// Reads a PO file written by [`write`] and filled in by a translator.
pub fn read(text: &str, shown: &Path) -> Result<IncomingFile> {
    check_lines(text, shown)?;
    let catalog = polib::po_file::parse_from_reader(text.as_bytes()).map_err(|e| {
        Error::at(shown, None, msg!("exchange.bad_po", reason = e.to_string()))
            .with_hint(msg!("exchange.bad_po.hint"))
    })?;
    let lang = catalog.metadata.language.trim().to_owned();
    if lang.is_empty() {
        return Err(Error::at(shown, Some(Position::new(1, 1)), msg!("exchange.no_language"))
            .with_hint(msg!("exchange.no_language.hint")));
    }
    let mut units = Vec::new();
    for message in catalog.messages() {
        let context = message.msgctxt().unwrap_or_default();
        let line = line_of(text, context);
        let Some((page, id)) = context.rsplit_once(' ') else {
            return Err(Error::at(
                shown,
                Some(Position::new(line, 1)),
                msg!("exchange.bad_context", context = context),
            )
            .with_hint(msg!("exchange.bad_context.hint")));
        };
        let known = numbers_in(message.msgid());
        let target = message.msgstr().ok().map(|s| markup::read_markers(s, &known));
        units.push((
            PathBuf::from(page),
            line,
            Incoming {
                id: id.to_owned(),
                line,
                source_text: message.msgid().to_owned(),
                source_markdown: known.is_empty().then(|| message.msgid().to_owned()),
                target,
                markers: true,
                confirmed: !message.flags().is_fuzzy(),
            },
        ));
    }
    Ok(IncomingFile {
        shown: shown.to_path_buf(),
        lang,
        pages: crate::commands::i18n_exchange::group_units(units),
    })
}

/// The marker numbers a source text holds.
fn numbers_in(text: &str) -> Vec<u32> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        rest = &rest[start + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u32>()
            && rest[digits.len()..].starts_with('}')
        {
            found.push(n);
        }
    }
    found
}

fn line_of(text: &str, context: &str) -> usize {
    let needle = format!("msgctxt \"{}\"", escape(context));
    text.find(&needle).map_or(1, |at| Position::of_offset(text, at).line)
}

/// Each line is a comment, a keyword with a quoted string, a quoted string or empty: what the PO
/// format allows, checked first so that a broken file is named with its line.
fn check_lines(text: &str, shown: &Path) -> Result<()> {
    const KEYWORDS: [&str; 4] = ["msgctxt ", "msgid ", "msgstr ", "msgid_plural "];
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let quoted = |s: &str| s.len() >= 2 && s.starts_with('"') && s.ends_with('"');
        let keyword = KEYWORDS.iter().find_map(|k| line.strip_prefix(k));
        let plural = line.strip_prefix("msgstr[").and_then(|r| r.split_once("] ")).map(|(_, s)| s);
        let fine = line.is_empty()
            || line.starts_with('#')
            || quoted(line)
            || keyword.or(plural).is_some_and(quoted);
        if !fine {
            return Err(Error::at(
                shown,
                Some(Position::new(index + 1, 1)),
                msg!("exchange.bad_po", reason = line),
            )
            .with_hint(msg!("exchange.bad_po.hint")));
        }
    }
    Ok(())
}
