//! A body written for listening: the document tree walked into the blocks a script reads,
//! leaving out what only the eye can use (images, QR codes, code, links to other pages standing
//! alone, "see also" sentences and lists, addresses, sentences about the page as seen, the
//! web-only parts), a callout led by its spoken lead, and stacked headings said as one.

use std::ops::Range;

use crate::load::blocks::{Block as Said, BlockKind};
use crate::load::document::{Block, BlockNode, Inline, InlineNode, Shortcode, ShortcodeText};

/// What the walk needs from the site and the language.
pub struct Ear<'a> {
    /// How a shortcode other than `callout`, `speak` and `web` is heard.
    pub shortcode: &'a dyn Fn(&Shortcode) -> ShortcodeText,
    /// The spoken lead of a callout kind.
    pub callout_lead: &'a dyn Fn(&str) -> Option<String>,
    /// Words that open a sentence pointing to another page (`speech.see_also`), lowercase.
    pub see_also: Vec<String>,
    /// Phrases of a sentence speaking of the page as seen (`speech.eye_only`), lowercase.
    pub eye_only: Vec<String>,
    /// Joins a heading and the sub-heading directly under it into one transition.
    pub stack: &'a dyn Fn(&str, &str) -> String,
}

/// The `|`-separated phrases of a locale string, lowercase.
pub fn phrases(list: Option<&str>) -> Vec<String> {
    list.unwrap_or_default()
        .split('|')
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The blocks of a body as a script hears them.
pub fn heard(blocks: &[Block], ear: &Ear) -> Vec<Said> {
    let mut walk = Walk { ear, out: Vec::new(), spoken_only: 0 };
    walk.blocks(blocks);
    one_transition_per_heading(walk.out, ear)
}

/// A tree being walked, with the blocks heard so far.
struct Walk<'e, 'a> {
    ear: &'e Ear<'a>,
    out: Vec<Said>,
    /// Inside how many `speak` blocks: there, what the author wrote is read as it is.
    spoken_only: usize,
}

fn said(kind: BlockKind, text: String) -> Said {
    Said { kind, text }
}

impl Walk<'_, '_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match &block.node {
            BlockNode::Heading { level, inlines, .. } => {
                let text = collapse(&self.inline_text(inlines).0);
                if !text.is_empty() {
                    self.out.push(said(BlockKind::Heading(*level), text));
                }
            }
            BlockNode::Paragraph(inlines) | BlockNode::Plain(inlines) => {
                let text = self.heard_text(inlines);
                if !text.is_empty() {
                    self.out.push(said(BlockKind::Paragraph, text));
                }
            }
            BlockNode::List { start, items } => self.list(start.unwrap_or(1), items),
            BlockNode::Quote(blocks) => self.blocks(blocks),
            BlockNode::Table { head, rows, .. } => self.table(head, rows),
            BlockNode::Shortcode(shortcode) => self.shortcode(shortcode),
            BlockNode::Code { .. }
            | BlockNode::Rule
            | BlockNode::Html(_)
            | BlockNode::Footnote { .. } => {}
        }
    }

    /// A list, its items numbered as they are heard: an item left out takes no number.
    fn list(&mut self, start: u64, items: &[Vec<Block>]) {
        let mut number = usize::try_from(start).unwrap_or(1);
        let mut heard_items = 0;
        for item in items {
            let text: Vec<String> = item
                .iter()
                .filter_map(|b| match &b.node {
                    BlockNode::Paragraph(c) | BlockNode::Plain(c) => Some(self.heard_text(c)),
                    _ => None,
                })
                .filter(|t| !t.is_empty())
                .collect();
            if !text.is_empty() {
                self.out.push(said(BlockKind::ListItem(number), text.join(" ")));
                number += 1;
                heard_items += 1;
            }
            let rest = item
                .iter()
                .filter(|b| !matches!(b.node, BlockNode::Paragraph(_) | BlockNode::Plain(_)));
            rest.for_each(|b| self.block(b));
        }
        let leads_to_nothing = |b: &Said| b.kind == BlockKind::Paragraph && b.text.ends_with(':');
        if heard_items == 0 && self.out.last().is_some_and(leads_to_nothing) {
            self.out.pop();
        }
    }

    fn table(&mut self, head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let mut row = |cells: &[Vec<Inline>], header: bool| {
            let cells: Vec<String> =
                cells.iter().map(|c| collapse(&self.inline_text(c).0)).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                let text = cells.join(" ");
                self.out.push(said(BlockKind::TableRow { cells, header }, text));
            }
        };
        row(head, true);
        rows.iter().for_each(|cells| row(cells, false));
    }

    /// A shortcode standing alone: a callout's body after its spoken lead, a `speak` body as
    /// written, nothing of a `web` body, the others as the ear's rule says.
    fn shortcode(&mut self, shortcode: &Shortcode) {
        let body = shortcode.body.as_deref().unwrap_or_default();
        match shortcode.name.as_str() {
            "web" => {}
            "speak" => {
                self.spoken_only += 1;
                self.blocks(body);
                self.spoken_only -= 1;
            }
            "callout" => {
                let kind = shortcode.text_arg("kind").unwrap_or_else(|| "info".into());
                let start = self.out.len();
                self.blocks(body);
                if let Some(lead) =
                    (self.ear.callout_lead)(&kind).filter(|_| self.out.len() > start)
                {
                    match &mut self.out[start] {
                        Said { kind: BlockKind::Paragraph, text } => {
                            *text = format!("{lead} {text}")
                        }
                        _ => self.out.insert(start, said(BlockKind::Paragraph, lead)),
                    }
                }
            }
            _ => match (self.ear.shortcode)(shortcode) {
                ShortcodeText::Text(text) => self.out.push(said(BlockKind::Paragraph, text)),
                ShortcodeText::Body => self.blocks(body),
                ShortcodeText::Skip => {}
            },
        }
    }

    /// The text of a paragraph as heard: its sentences for the eye left out.
    fn heard_text(&self, inlines: &[Inline]) -> String {
        let (text, links) = self.inline_text(inlines);
        let kept: Vec<&str> = sentences(&text)
            .into_iter()
            .filter(|range| self.is_heard(&text, range, &links))
            .map(|range| text[range].trim())
            .collect();
        collapse(&kept.join(" "))
    }

    /// Whether a sentence is for the ear: it holds words outside links to other pages, does
    /// not point to another page after a "see also", and does not speak of the page as seen;
    /// in a `speak` block, every sentence is.
    fn is_heard(&self, text: &str, sentence: &Range<usize>, links: &[Range<usize>]) -> bool {
        if self.spoken_only > 0 {
            return text[sentence.clone()].chars().any(char::is_alphanumeric);
        }
        let words = |range: Range<usize>| text[range].chars().any(char::is_alphanumeric);
        let outside_links = outside(sentence, links);
        let linked = links.iter().any(|l| l.start < sentence.end && sentence.start < l.end);
        if !outside_links.iter().any(|r| words(r.clone())) {
            return false;
        }
        let lower = text[sentence.clone()].trim().to_lowercase();
        let opens_with = |cue: &String| {
            lower
                .strip_prefix(cue.as_str())
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        };
        if let Some(cue) = self.ear.see_also.iter().find(|cue| opens_with(cue)) {
            let after_cue = lower[cue.len()..].chars().any(char::is_alphanumeric);
            if linked || !after_cue {
                return false;
            }
        }
        !self.ear.eye_only.iter().any(|phrase| lower.contains(phrase.as_str()))
    }

    /// The text of inlines as heard, with the byte ranges of links to other pages in it.
    fn inline_text(&self, inlines: &[Inline]) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut links = Vec::new();
        self.inlines_into(inlines, &mut text, &mut links);
        (text, links)
    }

    fn inlines_into(&self, inlines: &[Inline], text: &mut String, links: &mut Vec<Range<usize>>) {
        for inline in inlines {
            match &inline.node {
                InlineNode::Text(t) | InlineNode::Code(t) => text.push_str(&self.without_urls(t)),
                InlineNode::Emphasis(c) | InlineNode::Strong(c) | InlineNode::Strike(c) => {
                    self.inlines_into(c, text, links)
                }
                InlineNode::Link(target) => {
                    let (inner, _) = self.inline_text(&target.inlines);
                    if target.url.starts_with("tel:") {
                        text.push_str(&inner);
                    } else if self.spoken_only > 0
                        || !(inner.trim().is_empty() || is_url(inner.trim()))
                    {
                        let start = text.len();
                        text.push_str(&inner);
                        links.push(start..text.len());
                    }
                }
                InlineNode::SoftBreak | InlineNode::Break => text.push(' '),
                InlineNode::Shortcode(shortcode) if !shortcode.in_html => {
                    text.push_str(&self.inline_shortcode(shortcode))
                }
                InlineNode::Image(_)
                | InlineNode::Html(_)
                | InlineNode::FootnoteReference(_)
                | InlineNode::TaskMarker(_)
                | InlineNode::Shortcode(_)
                | InlineNode::Opened(_)
                | InlineNode::Closed(_) => {}
            }
        }
    }

    /// A shortcode in running text, as heard.
    fn inline_shortcode(&self, shortcode: &Shortcode) -> String {
        let body = shortcode.body.as_deref().unwrap_or_default();
        let body_text = |walk: &Walk| {
            let mut inner = Walk { ear: walk.ear, out: Vec::new(), spoken_only: walk.spoken_only };
            inner.spoken_only += usize::from(shortcode.name == "speak");
            inner.blocks(body);
            inner.out.into_iter().map(|b| b.text).collect::<Vec<_>>().join(" ")
        };
        match shortcode.name.as_str() {
            "web" => String::new(),
            "speak" | "callout" => body_text(self),
            _ => match (self.ear.shortcode)(shortcode) {
                ShortcodeText::Text(text) => text,
                ShortcodeText::Body => body_text(self),
                ShortcodeText::Skip => String::new(),
            },
        }
    }

    /// A text with its web addresses left out, unless a `speak` block wrote them to be read.
    fn without_urls(&self, text: &str) -> String {
        if self.spoken_only > 0 || !text.split_whitespace().any(is_url) {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for piece in text.split_inclusive(char::is_whitespace) {
            if !is_url(piece.trim().trim_end_matches(['.', ',', ';', ')'])) {
                out.push_str(piece);
            }
        }
        out
    }
}

/// Whether a word is a web address.
fn is_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["http://", "https://", "www."].iter().any(|p| lower.starts_with(p))
}

/// The parts of `sentence` outside every range of `links`.
fn outside(sentence: &Range<usize>, links: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut at = sentence.start;
    for link in links.iter().filter(|l| l.start < sentence.end && sentence.start < l.end) {
        if link.start > at {
            parts.push(at..link.start);
        }
        at = at.max(link.end);
    }
    if at < sentence.end {
        parts.push(at..sentence.end);
    }
    parts
}

/// The byte ranges of the sentences of a text: each ends after `.`, `!`, `?` or `…` followed
/// by a space, or at the end.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = matches!(c, '.' | '!' | '?' | '…')
            && chars.peek().is_some_and(|(_, next)| next.is_whitespace());
        if ends {
            let end = i + c.len_utf8();
            ranges.push(start..end);
            start = end;
        }
    }
    if start < text.len() {
        ranges.push(start..text.len());
    }
    ranges
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Headings as transitions: a heading directly followed by a deeper one is said with it as
/// one transition, and a heading with nothing heard under it is not said.
fn one_transition_per_heading(blocks: Vec<Said>, ear: &Ear) -> Vec<Said> {
    let mut out: Vec<Said> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let stacked = match (&block.kind, out.last()) {
            (BlockKind::Heading(level), Some(Said { kind: BlockKind::Heading(above), .. })) => {
                Some(level > above)
            }
            _ => None,
        };
        match (stacked, out.last_mut()) {
            (Some(true), Some(last)) => {
                last.text = (ear.stack)(&last.text, &block.text);
                last.kind = block.kind;
            }
            (Some(false), Some(last)) => *last = block,
            _ => out.push(block),
        }
    }
    if out.last().is_some_and(|b| matches!(b.kind, BlockKind::Heading(_))) {
        out.pop();
    }
    out
}

/// The lines of a body's `speak` blocks and of its `web` blocks, in order.
pub fn marked_lines(blocks: &[Block]) -> (Vec<usize>, Vec<usize>) {
    let mut lines = (Vec::new(), Vec::new());
    for block in blocks {
        mark_block(block, &mut lines);
    }
    lines
}

fn mark_block(block: &Block, lines: &mut (Vec<usize>, Vec<usize>)) {
    let mut within = |blocks: &[Block]| blocks.iter().for_each(|b| mark_block(b, lines));
    match &block.node {
        BlockNode::List { items, .. } => items.iter().for_each(|item| within(item)),
        BlockNode::Quote(blocks) | BlockNode::Footnote { blocks, .. } => within(blocks),
        BlockNode::Shortcode(shortcode) => mark_shortcode(shortcode, lines),
        BlockNode::Paragraph(inlines) | BlockNode::Plain(inlines) => {
            for inline in inlines {
                if let InlineNode::Shortcode(shortcode) = &inline.node {
                    mark_shortcode(shortcode, lines);
                }
            }
        }
        _ => {}
    }
}

fn mark_shortcode(shortcode: &Shortcode, lines: &mut (Vec<usize>, Vec<usize>)) {
    match shortcode.name.as_str() {
        "speak" => lines.0.push(shortcode.position.line),
        "web" => lines.1.push(shortcode.position.line),
        _ => {}
    }
    for block in shortcode.body.as_deref().unwrap_or_default() {
        mark_block(block, lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_a_stop_followed_by_a_space() {
        let text = "Gọi 111. Xem thêm trang. Số 1.800 đồng";
        let found: Vec<&str> = sentences(text).into_iter().map(|r| text[r].trim()).collect();
        assert_eq!(found, ["Gọi 111.", "Xem thêm trang.", "Số 1.800 đồng"]);
    }

    #[test]
    fn phrases_are_split_at_bars_and_lowercased() {
        assert_eq!(phrases(Some("Xem thêm| Xem |")), ["xem thêm", "xem"]);
        assert!(phrases(None).is_empty());
    }

    #[test]
    fn a_heading_stacked_on_another_is_one_transition_and_an_empty_one_is_dropped() {
        let stack = |a: &str, b: &str| format!("{a}, mục {b}");
        let rule = |_: &Shortcode| ShortcodeText::Skip;
        let lead = |_: &str| None;
        let ear = Ear {
            shortcode: &rule,
            callout_lead: &lead,
            see_also: Vec::new(),
            eye_only: Vec::new(),
            stack: &stack,
        };
        let heading = |level, text: &str| said(BlockKind::Heading(level), text.into());
        let text = |text: &str| said(BlockKind::Paragraph, text.into());
        let blocks = vec![
            heading(2, "Nhiệm vụ"),
            heading(3, "Tuyên truyền"),
            text("Phát loa."),
            heading(2, "Mục lục"),
            heading(2, "Hỗ trợ"),
            text("Đón nạn nhân."),
            heading(2, "Cuối"),
        ];
        let out = one_transition_per_heading(blocks, &ear);
        let texts: Vec<&str> = out.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Nhiệm vụ, mục Tuyên truyền", "Phát loa.", "Hỗ trợ", "Đón nạn nhân."]);
    }

    #[test]
    fn addresses_are_left_out_of_text_but_kept_in_speak_blocks() {
        let rule = |_: &Shortcode| ShortcodeText::Skip;
        let lead = |_: &str| None;
        let stack = |a: &str, _: &str| a.to_owned();
        let ear = Ear {
            shortcode: &rule,
            callout_lead: &lead,
            see_also: Vec::new(),
            eye_only: Vec::new(),
            stack: &stack,
        };
        let mut walk = Walk { ear: &ear, out: Vec::new(), spoken_only: 0 };
        assert_eq!(walk.without_urls("Vào https://a.vn/b, www.c.vn hoặc gọi."), "Vào hoặc gọi.");
        walk.spoken_only = 1;
        assert_eq!(walk.without_urls("Vào www.c.vn."), "Vào www.c.vn.");
        assert!(is_url("HTTPS://A.VN") && !is_url("a.vn"));
    }
}
