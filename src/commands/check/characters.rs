//! `loa check` on characters XML forbids in the sources as written, raw or as YAML escapes.

use std::path::Path;

use rayon::prelude::*;

use crate::base::error::{Diagnostics, Position, Severity};
use crate::base::messages::Message;
use crate::model::Site;

/// Characters XML forbids in the sources as written (Markdown with its front matter, locales,
/// site.yaml): loa publishes a space for each, but the author should know they are there.
pub(super) fn check_control_characters(
    site: &Site,
    scope: super::Scope,
    diagnostics: &mut Diagnostics,
) {
    let read = |path: &Path| std::fs::read(site.config.root.join(path)).unwrap_or_default();
    let found: Vec<Diagnostics> = site
        .docs
        .par_iter()
        .enumerate()
        .filter(|(index, _)| scope.has(*index))
        .map(|(_, doc)| {
            let mut found = Diagnostics::default();
            check_file(&doc.source.path, &read(&doc.source.path), false, &mut found);
            found
        })
        .collect();
    found.into_iter().for_each(|found| diagnostics.extend(found));
    let super::Scope::Site = scope else { return };
    let config = Path::new(crate::load::config::CONFIG_FILE);
    check_file(config, &read(config), true, diagnostics);
    for file in crate::load::theme::layered_files(&site.config, "locales").unwrap_or_default() {
        let bytes = match &file.source {
            crate::load::theme::Source::Disk(path) => std::fs::read(path).unwrap_or_default(),
            crate::load::theme::Source::Embedded(bytes) => bytes.to_vec(),
        };
        check_file(&file.shown, &bytes, true, diagnostics);
    }
}

/// Checks one file as read: a source's front matter, or a YAML file (`all_yaml`) in full, for
/// escaped control characters besides the raw ones.
fn check_file(path: &Path, bytes: &[u8], all_yaml: bool, diagnostics: &mut Diagnostics) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let text = text.trim_start_matches('\u{feff}');
    let yaml = if all_yaml { text } else { front_matter_text(text) };
    for (position, c) in control_characters(text) {
        let hint = match c {
            '\u{b}' => msg!("check.control_character.vertical_tab.hint"),
            '\u{c}' => msg!("check.control_character.form_feed.hint"),
            _ => msg!("check.control_character.hint"),
        };
        push_control_character(diagnostics, path, position, c, hint);
    }
    for (position, c, escape) in escaped_control_characters(yaml) {
        let hint = msg!("check.control_character.escape.hint", escape = escape);
        push_control_character(diagnostics, path, position, c, hint);
    }
}

fn push_control_character(
    diagnostics: &mut Diagnostics,
    path: &Path,
    position: Position,
    c: char,
    hint: Message,
) {
    let message = msg!("check.control_character", code = crate::base::text::control_code(c));
    diagnostics.push(Severity::Warning, path, Some(position), message, Some(hint));
}

/// The front matter of a Markdown source as written, `---` lines included (empty without one).
fn front_matter_text(text: &str) -> &str {
    if !text.starts_with("---") {
        return "";
    }
    let end = text[3..].find("\n---").map_or(text.len(), |i| i + 3);
    &text[..end]
}

/// Escapes in double-quoted YAML (`\v`, `\x0b`, `\u000B`…) that write a character XML forbids,
/// with their place and the escape as written.
fn escaped_control_characters(yaml: &str) -> Vec<(Position, char, String)> {
    let mut found = Vec::new();
    for (number, line) in yaml.lines().enumerate() {
        let Some(quote) = line.find('"') else { continue };
        let mut chars = line.char_indices().skip_while(|(i, _)| *i <= quote).peekable();
        while let Some((at, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            let rest = &line[at + 1..];
            if let Some((decoded, length)) = yaml_escape(rest)
                && crate::base::text::is_forbidden_in_xml(decoded)
            {
                let column = line[..at].chars().count() + 1;
                found.push((
                    Position::new(number + 1, column),
                    decoded,
                    line[at..at + 1 + length].to_owned(),
                ));
            }
            chars.next();
        }
    }
    found
}

/// The character a YAML escape (the text after its backslash) writes, and its length.
fn yaml_escape(rest: &str) -> Option<(char, usize)> {
    let simple = match rest.chars().next()? {
        '0' => Some('\u{0}'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'v' => Some('\u{b}'),
        'f' => Some('\u{c}'),
        'e' => Some('\u{1b}'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, 1));
    }
    let digits = match rest.chars().next()? {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = rest.get(1..1 + digits)?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    Some((char::from_u32(code)?, 1 + digits))
}

/// The first character XML forbids on each line of `text`, with its place.
fn control_characters(text: &str) -> Vec<(Position, char)> {
    let lines = crate::base::error::LineIndex::new(text);
    let mut found: Vec<(Position, char)> = Vec::new();
    for (offset, c) in
        text.char_indices().filter(|(_, c)| crate::base::text::is_forbidden_in_xml(*c))
    {
        let position = lines.position(offset);
        if found.last().is_none_or(|(last, _)| last.line != position.line) {
            found.push((position, c));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_5_control_characters_are_found_once_a_line_with_their_place() {
        let found = control_characters("Đường dây\u{b}nóng\u{b}111\nổn\n\tx\u{c}\u{1}");
        assert_eq!(found, vec![(Position::new(1, 10), '\u{b}'), (Position::new(3, 3), '\u{c}')]);
        assert!(control_characters("tab\tand\nline\r\n").is_empty());
    }

    #[test]
    fn finding_5_control_characters_written_as_yaml_escapes_are_found() {
        let yaml = "---\ntitle: \"Gọi\\vngay \\\\v \\x01\\t\\n\"\nplain: C:\\bin\nx: \"\\u000B\\u00e9\"\n---\n\\v";
        let found: Vec<(Position, String)> = escaped_control_characters(front_matter_text(yaml))
            .into_iter()
            .map(|(p, _, e)| (p, e))
            .collect();
        assert_eq!(
            found,
            vec![
                (Position::new(2, 12), "\\v".to_owned()),
                (Position::new(2, 23), "\\x01".to_owned()),
                (Position::new(4, 5), "\\u000B".to_owned()),
            ]
        );
    }
}
