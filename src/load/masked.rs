//! Shortcode calls hidden from the Markdown parser. Each call is replaced by a token made of
//! two private-use characters that occur nowhere in the body, neither written nor as a
//! character reference (`&#xE000;`), so no text an author can type is ever taken for a call;
//! the token and its filler keep every line and column of the rest of the text in place.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::load::shortcodes::Call;

/// The private-use ranges tokens are made from: Unicode gives their characters no meaning.
const PRIVATE_USE: [std::ops::RangeInclusive<u32>; 3] =
    [0xE000..=0xF8FF, 0xF0000..=0xFFFFD, 0x100000..=0x10FFFD];

/// A body with its shortcode calls replaced by tokens.
#[derive(Debug, Clone)]
pub struct Masked<'a> {
    /// The text to parse.
    pub text: Cow<'a, str>,
    marks: Option<Marks>,
}

/// The character around a token's call number, and the one that pads it to the call's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marks {
    edge: char,
    filler: char,
}

/// A piece of parsed masked text: the author's text, or the place of a call (by its number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'t> {
    /// Text as written, the filler removed.
    Text(Cow<'t, str>),
    /// The place of the call with this number.
    Call(usize),
}

impl<'a> Masked<'a> {
    /// `body` with `calls` replaced; `None` when the body leaves no two private-use characters
    /// free (it would have to hold more than 137,000 different ones).
    pub fn new(body: &'a str, calls: &[Call]) -> Option<Masked<'a>> {
        if calls.is_empty() {
            return Some(Masked::plain(body));
        }
        let marks = free_marks(body)?;
        Some(Masked { text: Cow::Owned(mask(body, calls, marks)), marks: Some(marks) })
    }

    /// A body read as it is, with no calls.
    pub fn plain(body: &'a str) -> Masked<'a> {
        Masked { text: Cow::Borrowed(body), marks: None }
    }

    /// The token character and the filler, when there are calls.
    pub fn marks(&self) -> Option<(char, char)> {
        self.marks.map(|m| (m.edge, m.filler))
    }

    /// Whether a piece of parsed text holds (part of) a token.
    pub fn is_marked(&self, text: &str) -> bool {
        self.marks.is_some_and(|m| text.contains([m.edge, m.filler]))
    }

    /// The pieces of a text the parser gave back, in order, in one pass.
    pub fn split<'t>(&self, text: &'t str) -> Vec<Part<'t>> {
        let Some(marks) = self.marks.filter(|_| self.is_marked(text)) else {
            return vec![Part::Text(Cow::Borrowed(text))];
        };
        let mut parts = Vec::new();
        for (i, piece) in text.split(marks.edge).enumerate() {
            if i % 2 == 1 {
                parts.extend(piece.parse().ok().map(Part::Call));
                continue;
            }
            let piece = if piece.contains(marks.filler) {
                Cow::Owned(piece.replace(marks.filler, ""))
            } else {
                Cow::Borrowed(piece)
            };
            if !piece.is_empty() {
                parts.push(Part::Text(piece));
            }
        }
        parts
    }
}

/// The body with each call replaced by a token, keeping every line and column in place.
fn mask(body: &str, calls: &[Call], marks: Marks) -> String {
    let mut out = String::with_capacity(body.len() + calls.len() * 8);
    let mut last = 0;
    for (index, call) in calls.iter().enumerate() {
        out.push_str(&body[last..call.range.start]);
        let token = format!("{edge}{index}{edge}", edge = marks.edge);
        for (line_number, line) in body[call.range.clone()].split('\n').enumerate() {
            let count = line.chars().count();
            if line_number == 0 {
                out.push_str(&token);
                let width = token.chars().count();
                out.extend(std::iter::repeat_n(marks.filler, count.saturating_sub(width)));
            } else {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', count));
            }
        }
        last = call.range.end;
    }
    out.push_str(&body[last..]);
    out
}

/// Two private-use characters that neither occur in `body` nor can come out of its character
/// references, the only way Markdown turns text into other characters (entities by name and
/// smart punctuation give none in these ranges).
fn free_marks(body: &str) -> Option<Marks> {
    let taken: HashSet<u32> = body
        .chars()
        .map(u32::from)
        .chain(referenced_code_points(body))
        .filter(|c| PRIVATE_USE.iter().any(|range| range.contains(c)))
        .collect();
    let mut free = PRIVATE_USE
        .iter()
        .flat_map(|range| range.clone())
        .filter(|c| !taken.contains(c))
        .filter_map(char::from_u32);
    Some(Marks { edge: free.next()?, filler: free.next()? })
}

/// Every code point a numeric character reference in `text` may stand for (`&#57344;`,
/// `&#xE000;`), counting more digits than a parser reads and not asking for the `;`.
fn referenced_code_points(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.match_indices("&#").filter_map(|(at, _)| {
        let rest = &text[at + 2..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let length = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        let digits = digits[..length].trim_start_matches('0');
        if digits.is_empty() || digits.len() > 8 {
            return None;
        }
        u32::from_str_radix(digits, radix).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::shortcodes::find;

    fn masked(body: &str) -> Masked<'_> {
        Masked::new(body, &find(body).unwrap()).unwrap()
    }

    #[test]
    fn keeps_lines_and_columns() {
        let body = "a {{ x() }} b\n{% box() %}\nin\n{% end %} c";
        let m = masked(body);
        let lines = |t: &str| t.lines().map(|l| l.chars().count()).collect::<Vec<_>>();
        assert_eq!(lines(&m.text), lines(body));
        assert!(m.text.ends_with(" c"));
    }

    #[test]
    fn splits_text_into_pieces_and_calls() {
        let body = "a {{ x() }} b {{ y() }}";
        let m = masked(body);
        let parts = m.split(&m.text);
        assert_eq!(
            parts,
            vec![Part::Text("a ".into()), Part::Call(0), Part::Text(" b ".into()), Part::Call(1)]
        );
    }

    #[test]
    fn never_takes_a_character_the_author_wrote_or_referenced() {
        let body = "\u{E000} &#57345; &#xe002; &#X0000E003; {{ x() }}";
        let (edge, filler) = masked(body).marks().unwrap();
        assert_eq!((edge, filler), ('\u{E004}', '\u{E005}'));
    }

    #[test]
    fn leaves_object_replacement_and_word_joiner_alone() {
        let body = "\u{FFFC}0\u{FFFC}\u{2060} {{ x() }}";
        let m = masked(body);
        let parts = m.split(&m.text);
        assert_eq!(parts[0], Part::Text("\u{FFFC}0\u{FFFC}\u{2060} ".into()));
        assert_eq!(parts[1], Part::Call(0));
    }
}
