//! A block's Markdown cut into text a translator writes and protected pieces a translation tool
//! must keep: shortcodes, links, images, emphasis, code and inline HTML. Each protected piece
//! carries a number; XLIFF writes them as `<ph>`/`<pc>`, PO as `{1}` and `{2}…{/2}`.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// One piece of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text to translate.
    Text(String),
    /// A protected piece standing alone (a shortcode, code, HTML, a table cell border).
    Ph {
        /// Its number in the block.
        id: u32,
        /// The Markdown it stands for.
        data: String,
    },
    /// The start of a protected pair around text (a link, emphasis, a block shortcode).
    Open {
        /// Its number in the block, shared with its [`Piece::Close`].
        id: u32,
        /// The Markdown it stands for, e.g. `[`.
        data: String,
    },
    /// The end of a protected pair.
    Close {
        /// Its number in the block.
        id: u32,
        /// The Markdown it stands for, e.g. `](/lien-he/)`.
        data: String,
    },
}

/// A protected span of a block's text: where, and what it becomes.
#[derive(Debug, Clone)]
struct Span {
    range: Range<usize>,
    role: Role,
    /// What it stands for when not its text as written (a block shortcode's tag on its line).
    data: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Alone,
    Open(usize),
    Close(usize),
}

/// The pieces of a block's normalised Markdown `text`; `plain` for front matter fields, whose
/// text is not Markdown, and `cells` for a table row, whose `|` borders are protected.
pub fn pieces(text: &str, plain: bool, cells: bool) -> Vec<Piece> {
    if plain {
        return vec![Piece::Text(text.to_owned())];
    }
    let mut spans = shortcode_spans(text);
    let masked = masked(text, &spans);
    spans.extend(markup_spans(&masked, spans.len()));
    if cells {
        spans.extend(cell_borders(&masked, &spans));
    }
    spans.sort_by_key(|s| (s.range.start, s.range.end));
    assemble(text, &spans)
}

/// Shortcode calls: an inline call alone; a block call's opening and closing tags as a pair.
fn shortcode_spans(text: &str) -> Vec<Span> {
    let calls = crate::load::shortcodes::find(text).unwrap_or_default();
    let mut spans = Vec::new();
    for call in calls {
        let range = call.range.clone();
        let whole = &text[range.clone()];
        let open_end = whole.find("%}").map(|i| range.start + i + 2);
        let close_start = whole.rfind("{%").map(|i| range.start + i);
        match (call.body.is_some(), open_end, close_start) {
            (true, Some(open_end), Some(close_start)) if open_end <= close_start => {
                let pair = spans.len();
                let body = &text[open_end..close_start];
                let body_start = open_end + (body.len() - body.trim_start().len());
                let body_end = (open_end + body.trim_end().len()).max(body_start);
                let open = format!("{}\n", &text[range.start..open_end]);
                let close = format!("\n{}", &text[close_start..range.end]);
                spans.push(Span {
                    range: range.start..body_start,
                    role: Role::Open(pair),
                    data: Some(open),
                });
                spans.push(Span {
                    range: body_end..range.end,
                    role: Role::Close(pair),
                    data: Some(close),
                });
            }
            _ => spans.push(Span { range, role: Role::Alone, data: None }),
        }
    }
    spans
}

/// `text` with the protected spans replaced by as many `X`, so that Markdown reads them as text.
fn masked(text: &str, spans: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        bytes[span.range.clone()].fill(b'X');
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

/// Inline markup: each tag's opening and closing delimiters as a pair, code and HTML alone.
fn markup_spans(text: &str, first_pair: usize) -> Vec<Span> {
    struct Open {
        range: Range<usize>,
        first: Option<usize>,
        last: usize,
    }
    let mut spans = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let inline_start = matches!(&event, Event::Start(tag) if is_inline(tag));
        let inline_end = matches!(&event, Event::End(tag) if is_inline_end(*tag));
        if !inline_end && let Some(top) = stack.last_mut() {
            top.first.get_or_insert(range.start);
            top.last = top.last.max(range.end);
        }
        match event {
            _ if inline_start => stack.push(Open { range, first: None, last: 0 }),
            _ if inline_end => {
                let Some(open) = stack.pop() else { continue };
                let pair = first_pair + spans.len();
                match open.first {
                    Some(first) if first > open.range.start && open.last < open.range.end => {
                        spans.push(Span {
                            range: open.range.start..first,
                            role: Role::Open(pair),
                            data: None,
                        });
                        spans.push(Span {
                            range: open.last..open.range.end,
                            role: Role::Close(pair),
                            data: None,
                        });
                    }
                    _ => spans.push(Span { range: open.range, role: Role::Alone, data: None }),
                }
                if let Some(parent) = stack.last_mut() {
                    parent.last = parent.last.max(range.end);
                }
            }
            Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) | Event::HardBreak => {
                spans.push(Span { range, role: Role::Alone, data: None });
            }
            _ => {}
        }
    }
    spans
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: pulldown_cmark::TagEnd) -> bool {
    use pulldown_cmark::TagEnd;
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

/// The `|` between a table row's cells, outside other protected spans.
fn cell_borders(text: &str, spans: &[Span]) -> Vec<Span> {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .filter(|&i| !spans.iter().any(|s| s.range.contains(&i)))
        .map(|i| Span { range: i..i + 1, role: Role::Alone, data: None })
        .collect()
}

/// The pieces, numbered in reading order, with the text between spans.
fn assemble(text: &str, spans: &[Span]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut numbers: Vec<(usize, u32)> = Vec::new();
    let mut next = 1u32;
    let mut at = 0usize;
    for span in spans.iter().filter(|s| !s.range.is_empty()) {
        if span.range.start < at {
            continue;
        }
        if span.range.start > at {
            out.push(Piece::Text(text[at..span.range.start].to_owned()));
        }
        let data = span.data.clone().unwrap_or_else(|| text[span.range.clone()].to_owned());
        let piece = match span.role {
            Role::Alone => Piece::Ph { id: take(&mut next), data },
            Role::Open(pair) => {
                let id = take(&mut next);
                numbers.push((pair, id));
                Piece::Open { id, data }
            }
            Role::Close(pair) => {
                let id = numbers.iter().find(|(p, _)| *p == pair).map_or(0, |(_, id)| *id);
                Piece::Close { id, data }
            }
        };
        out.push(piece);
        at = span.range.end;
    }
    if at < text.len() {
        out.push(Piece::Text(text[at..].to_owned()));
    }
    out
}

fn take(next: &mut u32) -> u32 {
    let id = *next;
    *next += 1;
    id
}

/// The Markdown the pieces make.
pub fn markdown(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.as_str(),
            Piece::Ph { data, .. } | Piece::Open { data, .. } | Piece::Close { data, .. } => data,
        })
        .collect()
}

/// The text a translator reads: protected pieces as PO markers, `{1}` and `{2}…{/2}`.
pub fn with_markers(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Ph { id, .. } | Piece::Open { id, .. } => format!("{{{id}}}"),
            Piece::Close { id, .. } => format!("{{/{id}}}"),
        })
        .collect()
}

/// A translated piece as a file brings it: text, or a reference to a protected piece by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Text.
    Text(String),
    /// `<ph id="n"/>` or `{n}` (also the start of a pair in PO).
    Alone(u32),
    /// `<pc id="n">` starts.
    Open(u32),
    /// `</pc>` or `{/n}`.
    Close(u32),
}

/// Reads PO markers back: `{n}` and `{/n}` for the numbers the block has, the rest as text.
pub fn read_markers(text: &str, known: &[u32]) -> Vec<Written> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let closing = after.starts_with('/');
        let digits: String =
            after[usize::from(closing)..].chars().take_while(char::is_ascii_digit).collect();
        let end = usize::from(closing) + digits.len();
        let number = digits.parse::<u32>().ok().filter(|n| known.contains(n));
        match number.filter(|_| after[end..].starts_with('}')) {
            Some(id) => {
                plain.push_str(&rest[..start]);
                if !plain.is_empty() {
                    out.push(Written::Text(std::mem::take(&mut plain)));
                }
                out.push(if closing { Written::Close(id) } else { Written::Alone(id) });
                rest = &after[end + 1..];
            }
            None => {
                plain.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Written::Text(plain));
    }
    out
}

/// Why a translation's protected pieces do not match its source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// A piece of the source is missing.
    Missing(u32),
    /// A piece is there twice.
    Twice(u32),
    /// A number the source does not have.
    Unknown(u32),
    /// A pair written alone, or a single piece used as a pair.
    Changed(u32),
    /// A pair closed before it opened, or the other way round.
    Unbalanced(u32),
}

/// The Markdown of a translation: its text with the source's protected pieces put back, each
/// exactly once; `pairs_from_markers` when `{n}` opens a pair (PO) rather than standing alone.
pub fn restore(
    source: &[Piece],
    written: &[Written],
    pairs_from_markers: bool,
) -> Result<String, Broken> {
    let mut out = String::new();
    let mut seen: Vec<u32> = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    for item in written {
        match item {
            Written::Text(text) => out.push_str(text),
            Written::Alone(id) | Written::Open(id) => {
                let found = source.iter().find(|p| piece_id(p) == Some(*id) && !is_close(p));
                let Some(found) = found else { return Err(Broken::Unknown(*id)) };
                if seen.contains(id) {
                    return Err(Broken::Twice(*id));
                }
                seen.push(*id);
                let pair = matches!(found, Piece::Open { .. });
                let wanted_pair = matches!(item, Written::Open(_)) || pairs_from_markers && pair;
                if pair != wanted_pair {
                    return Err(Broken::Changed(*id));
                }
                if pair {
                    open.push(*id);
                }
                out.push_str(data_of(found));
            }
            Written::Close(id) => {
                if open.pop() != Some(*id) {
                    return Err(Broken::Unbalanced(*id));
                }
                let close = source.iter().find(|p| is_close(p) && piece_id(p) == Some(*id));
                out.push_str(close.map_or("", data_of));
            }
        }
    }
    if let Some(id) = open.pop() {
        return Err(Broken::Unbalanced(id));
    }
    let missing = source.iter().filter_map(piece_id).find(|id| !seen.contains(id));
    match missing {
        Some(id) => Err(Broken::Missing(id)),
        None => Ok(out),
    }
}

fn piece_id(piece: &Piece) -> Option<u32> {
    match piece {
        Piece::Text(_) => None,
        Piece::Ph { id, .. } | Piece::Open { id, .. } | Piece::Close { id, .. } => Some(*id),
    }
}

fn is_close(piece: &Piece) -> bool {
    matches!(piece, Piece::Close { .. })
}

fn data_of(piece: &Piece) -> &str {
    match piece {
        Piece::Text(text) => text,
        Piece::Ph { data, .. } | Piece::Open { data, .. } | Piece::Close { data, .. } => data,
    }
}

/// The numbers of a block's protected pieces.
pub fn numbers(pieces: &[Piece]) -> Vec<u32> {
    pieces.iter().filter(|p| !is_close(p)).filter_map(piece_id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protects_links_emphasis_and_shortcodes_and_gives_the_markdown_back() {
        let text = "Gọi **{{ hotline(id=\"111\") }}** hoặc hỏi [người thân](/lien-he/) `mã`.";
        let found = pieces(text, false, false);
        assert_eq!(markdown(&found), text);
        assert_eq!(with_markers(&found), "Gọi {1}{2}{/1} hoặc hỏi {3}người thân{/3} {4}.");
        let shortcode = found.iter().find(|p| matches!(p, Piece::Ph { id: 2, .. }));
        assert_eq!(shortcode, Some(&Piece::Ph { id: 2, data: "{{ hotline(id=\"111\") }}".into() }));
    }

    #[test]
    fn a_block_shortcode_is_a_pair_around_its_body() {
        let text = "{% callout(kind=\"info\") %} Bên trong. {% end %}";
        let found = pieces(text, false, false);
        assert_eq!(with_markers(&found), "{1}Bên trong.{/1}");
        assert_eq!(markdown(&found), "{% callout(kind=\"info\") %}\nBên trong.\n{% end %}");
    }

    #[test]
    fn every_block_of_the_example_site_comes_back_as_it_was_through_markers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let split = crate::load::front_matter::split(&text, entry.path()).unwrap();
            for block in crate::load::segments::body_segments(split.body, 0) {
                let cells = block.kind == crate::load::segments::Kind::TableRow;
                let found = pieces(&block.text, false, cells);
                let back =
                    restore(&found, &read_markers(&with_markers(&found), &numbers(&found)), true);
                assert_eq!(back.as_deref(), Ok(markdown(&found).as_str()), "{}", block.text);
                let same = crate::load::segments::normalise(&markdown(&found), false);
                assert_eq!(same, block.text, "{}", entry.path().display());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} blocks");
    }

    #[test]
    fn table_borders_are_protected() {
        assert_eq!(with_markers(&pieces("111 | Tổng đài", false, true)), "111 {1} Tổng đài");
    }

    #[test]
    fn restores_markers_and_refuses_broken_ones() {
        let source = pieces("Hỏi [người thân](/a/) ngay {{ x() }}", false, false);
        let known = numbers(&source);
        let ok = read_markers("Ask {1}family{/1} now {2}", &known);
        assert_eq!(restore(&source, &ok, true), Ok("Ask [family](/a/) now {{ x() }}".into()));
        let missing = read_markers("Ask {1}family{/1} now", &known);
        assert_eq!(restore(&source, &missing, true), Err(Broken::Missing(2)));
        let twice = read_markers("{2} {1}a{/1} {2}", &known);
        assert_eq!(restore(&source, &twice, true), Err(Broken::Twice(2)));
        let unbalanced = read_markers("{1}a {2}", &known);
        assert_eq!(restore(&source, &unbalanced, true), Err(Broken::Unbalanced(1)));
        assert_eq!(restore(&source, &[Written::Alone(7)], true), Err(Broken::Unknown(7)));
        assert_eq!(
            read_markers("{9} {x}", &known),
            vec![Written::Text("{9} {x}".into())],
            "numbers the block lacks stay text"
        );
    }
}
