//! A page cut into the blocks a translator works on one by one: front matter fields that are
//! translated (title, description, image alt), then the body's headings, paragraphs, list items,
//! table rows, block quotes' paragraphs and block shortcodes, each with its byte range in the
//! body, its line and its normalised text. Read at the source level so that a translation can be
//! written back as Markdown by replacing the ranges.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The front matter's `title`.
    Title,
    /// The front matter's `description`.
    Description,
    /// The front matter's `image_alt`.
    ImageAlt,
    /// A heading's text.
    Heading,
    /// A paragraph.
    Paragraph,
    /// A list item's text.
    ListItem,
    /// A table row, cells separated by `|`.
    TableRow,
    /// A paragraph inside a block quote.
    Quote,
    /// A shortcode call standing as its own block.
    Shortcode,
}

impl Kind {
    /// The front matter key of a field block, `None` for body blocks.
    pub fn front_key(self) -> Option<&'static str> {
        match self {
            Kind::Title => Some("title"),
            Kind::Description => Some("description"),
            Kind::ImageAlt => Some("image_alt"),
            _ => None,
        }
    }
}

/// One translatable block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// What it is.
    pub kind: Kind,
    /// Byte range of its text in the body; `None` for front matter fields.
    pub range: Option<Range<usize>>,
    /// Line in the file (1-based).
    pub line: usize,
    /// Its text, NFC with runs of spaces and line breaks folded.
    pub text: String,
}

impl Segment {
    /// A short fingerprint of the block's kind and text (8 hex digits, FNV-1a).
    pub fn hash(&self) -> String {
        let mut hash: u32 = 0x811c_9dc5;
        let kind = format!("{:?}", self.kind);
        for byte in kind.bytes().chain([b'\n']).chain(self.text.bytes()) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        format!("{hash:08x}")
    }
}

/// The translated front matter fields of a page, as parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields<'a> {
    /// `title`.
    pub title: &'a str,
    /// `description`, if any.
    pub description: Option<&'a str>,
    /// `image_alt`, if any.
    pub image_alt: Option<&'a str>,
}

/// The blocks of a page: its front matter `fields` (found on their lines in `front`, the raw
/// YAML) and its `body`, which starts after `body_line_offset` lines of the file.
pub fn segments(fields: Fields, front: &str, body: &str, body_line_offset: usize) -> Vec<Segment> {
    let mut found = front_segments(fields, front);
    found.extend(body_segments(body, body_line_offset));
    found
}

fn front_segments(fields: Fields, front: &str) -> Vec<Segment> {
    let values = [
        (Kind::Title, Some(fields.title)),
        (Kind::Description, fields.description),
        (Kind::ImageAlt, fields.image_alt),
    ];
    values
        .into_iter()
        .filter_map(|(kind, value)| value.filter(|v| !v.trim().is_empty()).map(|v| (kind, v)))
        .map(|(kind, value)| Segment {
            kind,
            range: None,
            line: front_line(front, kind.front_key().unwrap_or_default()),
            text: normalise(value, false),
        })
        .collect()
}

/// The file line of `key:` in the front matter (the opening `---` is line 1).
fn front_line(front: &str, key: &str) -> usize {
    front
        .lines()
        .position(|line| line.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
        .map_or(1, |index| index + 2)
}

/// The body's blocks, in order.
pub fn body_segments(body: &str, body_line_offset: usize) -> Vec<Segment> {
    let calls = crate::load::shortcodes::find(body).unwrap_or_default();
    let block_calls: Vec<Range<usize>> =
        calls.iter().filter(|c| c.body.is_some()).map(|c| c.range.clone()).collect();
    let inline_calls: Vec<Range<usize>> =
        calls.iter().filter(|c| c.body.is_none()).map(|c| c.range.clone()).collect();
    let mut runs = inline_runs(body);
    runs.retain(|(_, range)| {
        !block_calls.iter().any(|c| c.start <= range.start && range.end <= c.end)
    });
    let mut found: Vec<(Kind, Range<usize>)> = runs
        .into_iter()
        .map(|(kind, range)| {
            let trimmed = trimmed_range(body, &range);
            let alone = inline_calls.contains(&trimmed);
            (if alone { Kind::Shortcode } else { kind }, range)
        })
        .collect();
    found.extend(block_calls.into_iter().map(|range| (Kind::Shortcode, range)));
    found.sort_by_key(|(_, range)| range.start);
    found
        .into_iter()
        .map(|(kind, range)| Segment {
            kind,
            line: body_line_offset + body[..range.start].matches('\n').count() + 1,
            text: normalise(&body[range.clone()], kind == Kind::Quote),
            range: Some(range),
        })
        .filter(|segment| !segment.text.is_empty())
        .collect()
}

fn trimmed_range(text: &str, range: &Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    start..start + slice.trim().len()
}

/// Containers a run of inline Markdown can belong to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Container {
    Heading,
    Paragraph,
    Item,
    Row,
    Cell,
    Quote,
    Other,
}

/// The ranges of inline text in `body`, each with the kind of block holding it.
fn inline_runs(body: &str) -> Vec<(Kind, Range<usize>)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut stack: Vec<Container> = Vec::new();
    let mut runs = Vec::new();
    let mut current: Option<(Kind, Range<usize>)> = None;
    let mut skipping = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(tag) if is_block(&tag) => {
                let container = container_of(&tag);
                if container != Container::Cell {
                    runs.extend(current.take());
                }
                if matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) {
                    skipping += 1;
                }
                stack.push(container);
            }
            Event::End(tag) if is_block_end(&tag) => {
                if !matches!(tag, TagEnd::TableCell) {
                    runs.extend(current.take());
                }
                if matches!(tag, TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) {
                    skipping = skipping.saturating_sub(1);
                }
                stack.pop();
            }
            Event::Rule | Event::Html(_) => runs.extend(current.take()),
            _ if skipping > 0 => {}
            Event::TaskListMarker(_) => {}
            _ => extend_run(&mut current, &stack, range),
        }
    }
    runs.extend(current);
    runs
}

fn extend_run(
    current: &mut Option<(Kind, Range<usize>)>,
    stack: &[Container],
    range: Range<usize>,
) {
    match current {
        Some((_, run)) => {
            run.start = run.start.min(range.start);
            run.end = run.end.max(range.end);
        }
        None => *current = kind_of(stack).map(|kind| (kind, range)),
    }
}

/// The kind of block the innermost containers make of their inline text.
fn kind_of(stack: &[Container]) -> Option<Kind> {
    let innermost =
        stack.iter().rev().find(|c| !matches!(c, Container::Cell | Container::Other))?;
    let within = |wanted: Container| stack.contains(&wanted);
    Some(match innermost {
        Container::Heading => Kind::Heading,
        Container::Row => Kind::TableRow,
        Container::Item => Kind::ListItem,
        Container::Paragraph if within(Container::Item) => Kind::ListItem,
        Container::Paragraph if within(Container::Quote) => Kind::Quote,
        _ => Kind::Paragraph,
    })
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn container_of(tag: &Tag) -> Container {
    match tag {
        Tag::Heading { .. } => Container::Heading,
        Tag::Paragraph => Container::Paragraph,
        Tag::Item => Container::Item,
        Tag::TableRow | Tag::TableHead => Container::Row,
        Tag::TableCell => Container::Cell,
        Tag::BlockQuote(_) => Container::Quote,
        _ => Container::Other,
    }
}

/// `text` in NFC with each run of spaces and single line breaks folded into one space, blank
/// lines kept as one blank line, and in a block quote the `>` that starts a line dropped.
pub fn normalise(text: &str, in_quote: bool) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let line = line.trim();
            if in_quote { line.trim_start_matches('>').trim_start() } else { line }
        })
        .collect();
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { " " });
        }
        blank = false;
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    crate::base::text::nfc(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<(Kind, String)> {
        body_segments(body, 0).into_iter().map(|s| (s.kind, s.text)).collect()
    }

    #[test]
    fn cuts_a_body_into_headings_paragraphs_items_rows_and_quotes() {
        let body = "## Dấu hiệu\n\nViệc nhẹ\nlương cao.\n\n- Gọi **111**\n- Hỏi [người thân](/a/)\n\n| Số | Tên |\n|---|---|\n| 111 | Tổng đài |\n\n> Trích\n> dẫn\n\n```\nmã\n```\n";
        assert_eq!(
            texts(body),
            vec![
                (Kind::Heading, "Dấu hiệu".to_owned()),
                (Kind::Paragraph, "Việc nhẹ lương cao.".to_owned()),
                (Kind::ListItem, "Gọi **111**".to_owned()),
                (Kind::ListItem, "Hỏi [người thân](/a/)".to_owned()),
                (Kind::TableRow, "Số | Tên".to_owned()),
                (Kind::TableRow, "111 | Tổng đài".to_owned()),
                (Kind::Quote, "Trích dẫn".to_owned()),
            ]
        );
    }

    #[test]
    fn a_shortcode_standing_alone_is_its_own_block() {
        let body = "Trước.\n\n{{ hotline(id=\"111\") }}\n\n{% callout(kind=\"info\") %}\nBên trong.\n{% end %}\n";
        let found = body_segments(body, 4);
        let kinds: Vec<Kind> = found.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![Kind::Paragraph, Kind::Shortcode, Kind::Shortcode]);
        assert_eq!(found[2].text, "{% callout(kind=\"info\") %} Bên trong. {% end %}");
        assert_eq!(found[1].line, 7);
    }

    #[test]
    fn ranges_cover_exactly_the_text_to_replace() {
        let body = "## Tiêu đề {#id}\n\n- một\n- hai\n";
        for segment in body_segments(body, 0) {
            let range = segment.range.unwrap();
            assert_eq!(normalise(&body[range], false), segment.text);
        }
        assert_eq!(body_segments(body, 0)[0].text, "Tiêu đề", "the heading's id is not text");
        let hashes: Vec<String> = body_segments(body, 0).iter().map(Segment::hash).collect();
        assert_eq!(hashes.len(), 3);
        assert_ne!(hashes[1], hashes[2]);
    }

    #[test]
    fn front_matter_fields_are_blocks_on_their_lines() {
        let fields =
            Fields { title: "Tiêu đề", description: Some("Mô tả"), image_alt: None };
        let found = segments(fields, "title: Tiêu đề\ndate: 1\ndescription: Mô tả\n", "", 5);
        assert_eq!(found.len(), 2);
        assert_eq!((found[1].kind, found[1].line), (Kind::Description, 4));
    }
}
