//! Errors that stop a build, and diagnostics that do not.

use std::path::{Path, PathBuf};

use crate::base::messages::{Message, UiLang};

/// A position in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Position {
    /// Line, counted from 1.
    pub line: usize,
    /// Column in characters, counted from 1.
    pub column: usize,
}

impl Position {
    /// A position from a line and a column.
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self { line, column: before[line_start..].chars().count() + 1 }
    }

    /// This position moved down by `lines` lines (for text embedded in a file).
    pub fn shifted(self, lines: usize) -> Self {
        Self { line: self.line + lines, column: self.column }
    }
}

/// Line starts of a text, so that many positions in one long text cost a search each,
/// not a scan from the start; positions asked for in order along one line count the
/// characters since the last one only, so that a line of many calls or links is not
/// counted again for each.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last offset asked for and its position.
    last: std::cell::Cell<(usize, Position)>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
        let last = std::cell::Cell::new((0, Position::new(1, 1)));
        Self { text, starts: starts.collect(), last }
    }

    /// The position of byte `offset`, as [`Position::of_offset`] gives it.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.starts.partition_point(|&start| start <= offset);
        let (last_offset, last) = self.last.get();
        let (from, column) = if last.line == line && last_offset <= offset {
            (last_offset, last.column)
        } else {
            (self.starts[line - 1], 1)
        };
        let position = Position { line, column: column + self.text[from..offset].chars().count() };
        self.last.set((offset, position));
        position
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A problem at a known place in a source file.
#[derive(Debug)]
pub struct Located {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// Where in the file.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: Message,
    /// How to fix it.
    pub hint: Option<Message>,
}

/// An error that stops the build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in a source file, at a known place.
    #[error("{}", self.render(UiLang::En))]
    Source(Box<Located>),
    /// A file or folder could not be read or written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Several errors found in one pass.
    #[error("{}", self.render(UiLang::En))]
    Many(Vec<Error>),
}

fn located(path: &Path, position: &Option<Position>, message: &str) -> String {
    match position {
        Some(p) => format!("{}:{}:{}: {message}", path.display(), p.line, p.column),
        None => format!("{}: {message}", path.display()),
    }
}

impl Error {
    /// An error in `path` at `position`.
    pub fn at(path: impl Into<PathBuf>, position: Option<Position>, message: Message) -> Self {
        Error::Source(Box::new(Located { path: path.into(), position, message, hint: None }))
    }

    /// The same error with a hint on how to fix it.
    pub fn with_hint(mut self, text: Message) -> Self {
        if let Error::Source(located) = &mut self {
            located.hint = Some(text);
        }
        self
    }

    /// Where a located error is, when it has a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            Error::Source(located) => located.position,
            _ => None,
        }
    }

    /// The error as text in a UI language, each located error on its own line with its hint.
    pub fn render(&self, lang: UiLang) -> String {
        match self {
            Error::Source(source) => {
                let Located { path, position, message, hint } = source.as_ref();
                let hint = hint
                    .as_ref()
                    .map(|h| format!("{}: {}", msg!("label.hint").render(lang), h.render(lang)));
                let mut out = located(path, position, &message.render(lang));
                if let Some(hint) = hint {
                    out.push_str("\n  ");
                    out.push_str(&hint);
                }
                out
            }
            Error::Io(io) => io.to_string(),
            Error::Many(errors) => {
                errors.iter().map(|e| e.render(lang)).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// All the values, or every distinct error among the results (not just the first; a
    /// template error met on every page is reported once).
    pub fn collect<T>(results: Vec<Result<T>>) -> Result<Vec<T>> {
        let mut values = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for result in results {
            match result {
                Ok(value) => values.push(value),
                Err(error) => {
                    if seen.insert(error.to_string()) {
                        errors.push(error);
                    }
                }
            }
        }
        if errors.is_empty() { Ok(values) } else { Err(Error::from_many(errors)) }
    }

    /// One error from many, or the single one when there is only one.
    pub fn from_many(mut errors: Vec<Error>) -> Self {
        if errors.len() == 1 { errors.remove(0) } else { Error::Many(errors) }
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Only for information, such as a page's parts written for the loudspeaker alone; not
    /// counted as a warning.
    Note,
    /// Worth knowing; the build goes on.
    Warning,
    /// Wrong; the command exits non-zero.
    Error,
}

/// A problem that does not stop the build, with its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The source file.
    pub path: PathBuf,
    /// Where in it, when known.
    pub position: Option<Position>,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong.
    pub message: Message,
    /// How to fix it.
    pub hint: Option<Message>,
}

impl Diagnostic {
    /// The diagnostic as one or two lines of text in a UI language.
    pub fn render(&self, lang: UiLang) -> String {
        let label = self.severity.label().render(lang);
        let place = match self.position {
            Some(p) => format!("{}:{}:{}", self.path.display(), p.line, p.column),
            None => self.path.display().to_string(),
        };
        let mut out = format!("{label}: {place}: {}", self.message.render(lang));
        if let Some(hint) = &self.hint {
            out.push_str(&format!(
                "\n  {}: {}",
                msg!("label.hint").render(lang),
                hint.render(lang)
            ));
        }
        out
    }
}

impl Severity {
    /// The word for this severity.
    pub fn label(self) -> Message {
        match self {
            Severity::Note => msg!("label.note"),
            Severity::Warning => msg!("label.warning"),
            Severity::Error => msg!("label.error"),
        }
    }
}

/// The problems collected during a build, sorted for stable output.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a warning.
    pub fn warn(&mut self, path: impl Into<PathBuf>, position: Option<Position>, message: Message) {
        self.push(Severity::Warning, path, position, message, None);
    }

    /// Records a diagnostic of any severity, with an optional hint.
    pub fn push(
        &mut self,
        severity: Severity,
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: Message,
        hint: Option<Message>,
    ) {
        self.items.push(Diagnostic { path: path.into(), position, severity, message, hint });
    }

    /// Records an error that stopped loading, one diagnostic per located error.
    pub fn push_error(&mut self, error: Error) {
        match error {
            Error::Source(located) => {
                let Located { path, position, message, hint } = *located;
                self.push(Severity::Error, path, position, message, hint)
            }
            Error::Many(errors) => errors.into_iter().for_each(|e| self.push_error(e)),
            Error::Io(io) => self.push(
                Severity::Error,
                PathBuf::new(),
                None,
                msg!("io.failed", detail = io),
                None,
            ),
        }
    }

    /// How many errors and warnings there are (notes are neither).
    pub fn counts(&self) -> (usize, usize) {
        let count = |severity| self.items.iter().filter(|d| d.severity == severity).count();
        (count(Severity::Error), count(Severity::Warning))
    }

    /// Adds everything from `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// All diagnostics, sorted by file and position.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics about the files in `paths`.
    pub fn only_in(&self, paths: &std::collections::BTreeSet<PathBuf>) -> Diagnostics {
        let items = self.items.iter().filter(|d| paths.contains(&d.path)).cloned().collect();
        Diagnostics { items }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_compute_line_and_column_from_offset() {
        let text = "ab\ncdé\nx";
        assert_eq!(Position::of_offset(text, 0), Position::new(1, 1));
        assert_eq!(Position::of_offset(text, 5), Position::new(2, 3));
        assert_eq!(Position::of_offset(text, 7), Position::new(2, 4));
        assert_eq!(Position::of_offset(text, 8), Position::new(3, 1));
    }

    #[test]
    fn line_index_agrees_with_of_offset() {
        let text = "ab\nđc\n\nxyz";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.position(offset), Position::of_offset(text, offset), "{offset}");
        }
        for offset in (0..=text.len() + 2).rev().chain([1, 9, 4, 10, 0, 5]) {
            assert_eq!(index.position(offset), Position::of_offset(text, offset), "{offset}");
        }
    }

    #[test]
    fn formats_error_with_place_and_hint() {
        let e = Error::at("content/a.md", Some(Position::new(3, 4)), msg!("content.empty"))
            .with_hint(msg!("yaml.did_you_mean", best = "title"));
        assert_eq!(
            e.to_string(),
            "content/a.md:3:4: the file is empty\n  hint: did you mean `title`?"
        );
        assert_eq!(
            e.render(UiLang::Vi),
            "content/a.md:3:4: tệp trống\n  gợi ý: có phải bạn muốn viết `title`?"
        );
    }
}
