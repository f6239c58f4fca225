//! A page's body as web HTML, written from its document tree: each block and inline becomes
//! the events pulldown-cmark's HTML writer takes (the writer, not a parser: nothing is read
//! back from Markdown), and each shortcode the HTML the caller gives for its node.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use crate::base::text::is_forbidden_in_xml;
use crate::load::document::{Align, Block, BlockNode, Deep, Inline, InlineNode, Shortcode, Target};

/// Where the addresses of a body lead on the page it is written for.
pub trait Addresses {
    /// The address a link or an image leads to.
    fn url<'t>(&self, target: &'t Target) -> CowStr<'t>;
    /// A piece of raw HTML, as written, with its `src` and `href` values resolved.
    fn raw_html<'t>(&self, html: &'t str) -> CowStr<'t>;
}

/// The addresses as the load resolved them, raw HTML kept as written.
pub struct AsResolved;

impl Addresses for AsResolved {
    fn url<'t>(&self, target: &'t Target) -> CowStr<'t> {
        CowStr::Borrowed(&target.url)
    }

    fn raw_html<'t>(&self, html: &'t str) -> CowStr<'t> {
        CowStr::Borrowed(html)
    }
}

/// The HTML of `blocks`, their addresses given by `addresses` and the HTML of each shortcode
/// node by `call`. When `sanitize` is set and the blocks hold raw HTML, the HTML is sanitised
/// with each call's HTML, which comes from the theme, put in afterwards.
pub fn body_html(
    blocks: &[Block],
    sanitize: bool,
    addresses: &dyn Addresses,
    call: &dyn Fn(&Shortcode) -> String,
) -> String {
    let mut html = if sanitize && has_raw_html(blocks) {
        sanitized(blocks, addresses, call)
    } else {
        written(blocks, addresses, call)
    };
    if html.contains(is_forbidden_in_xml) {
        html = html.replace(is_forbidden_in_xml, "");
    }
    html
}

/// The HTML the writer makes of `blocks`, each call given by `call`.
fn written(
    blocks: &[Block],
    addresses: &dyn Addresses,
    call: &dyn Fn(&Shortcode) -> String,
) -> String {
    let mut events = Vec::new();
    Writer { addresses, call, events: &mut events }.blocks(blocks);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The sanitised HTML of `blocks`: each call stands in as a token of a character the HTML
/// does not hold while the rest is sanitised, then its HTML replaces the token.
fn sanitized(
    blocks: &[Block],
    addresses: &dyn Addresses,
    call: &dyn Fn(&Shortcode) -> String,
) -> String {
    let bare = written(blocks, addresses, &|_| String::new());
    let Some(edge) = ('\u{E000}'..='\u{F8FF}').find(|c| !bare.contains(*c)) else {
        return crate::load::safety::sanitize(&written(blocks, addresses, call));
    };
    let calls = std::cell::RefCell::new(Vec::new());
    let tokens = written(blocks, addresses, &|shortcode| {
        let mut calls = calls.borrow_mut();
        calls.push(call(shortcode));
        format!("{edge}{}{edge}", calls.len() - 1)
    });
    let calls = calls.into_inner();
    let clean = crate::load::safety::sanitize(&tokens);
    let mut html = String::with_capacity(clean.len());
    for (i, piece) in clean.split(edge).enumerate() {
        match i % 2 {
            0 => html.push_str(piece),
            _ => html.push_str(
                piece.parse().ok().and_then(|n: usize| calls.get(n)).map_or("", String::as_str),
            ),
        }
    }
    html
}

/// Whether the blocks hold raw HTML (a shortcode's body, written on its own, left out).
fn has_raw_html(blocks: &[Block]) -> bool {
    blocks.iter().any(|block| match &block.node {
        BlockNode::Html(_) => true,
        BlockNode::Heading { inlines, .. }
        | BlockNode::Paragraph(inlines)
        | BlockNode::Plain(inlines) => inlines_hold_html(inlines),
        BlockNode::List { items, .. } => items.iter().any(|item| has_raw_html(item)),
        BlockNode::Quote(blocks) | BlockNode::Footnote { blocks, .. } => has_raw_html(blocks),
        BlockNode::Table { head, rows, .. } => {
            head.iter().chain(rows.iter().flatten()).any(|cell| inlines_hold_html(cell))
        }
        BlockNode::Code { .. } | BlockNode::Rule | BlockNode::Shortcode(_) => false,
    })
}

/// Whether inlines hold raw HTML or a shortcode standing inside it.
fn inlines_hold_html(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match &inline.node {
        InlineNode::Html(_) => true,
        InlineNode::Shortcode(shortcode) => shortcode.in_html,
        InlineNode::Emphasis(c) | InlineNode::Strong(c) | InlineNode::Strike(c) => {
            inlines_hold_html(c)
        }
        InlineNode::Link(target) | InlineNode::Image(target) => inlines_hold_html(&target.inlines),
        _ => false,
    })
}

/// Turns the nodes of a tree into the writer's events, in order.
struct Writer<'t, 'e> {
    addresses: &'e dyn Addresses,
    call: &'e dyn Fn(&Shortcode) -> String,
    events: &'e mut Vec<Event<'t>>,
}

impl<'t> Writer<'t, '_> {
    fn blocks(&mut self, blocks: &'t [Block]) {
        blocks.iter().for_each(|block| self.block(block));
    }

    fn inlines(&mut self, inlines: &'t [Inline]) {
        inlines.iter().for_each(|inline| self.inline(inline));
    }

    /// `inside` between the start and the end of `tag`.
    fn wrapped(&mut self, tag: Tag<'t>, end: TagEnd, inside: impl FnOnce(&mut Self)) {
        self.events.push(Event::Start(tag));
        inside(self);
        self.events.push(Event::End(end));
    }

    fn block(&mut self, block: &'t Block) {
        match &block.node {
            BlockNode::Heading { level, id, classes, attrs, inlines } => {
                let level = heading_level(*level);
                let tag = Tag::Heading {
                    level,
                    id: Some(CowStr::Borrowed(id)),
                    classes: classes.iter().map(|c| CowStr::Borrowed(c.as_str())).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(n, v)| {
                            (CowStr::Borrowed(n.as_str()), v.as_deref().map(CowStr::Borrowed))
                        })
                        .collect(),
                };
                self.wrapped(tag, TagEnd::Heading(level), |w| w.inlines(inlines));
            }
            BlockNode::Paragraph(inlines) => {
                self.wrapped(Tag::Paragraph, TagEnd::Paragraph, |w| w.inlines(inlines));
            }
            BlockNode::Plain(inlines) => self.inlines(inlines),
            BlockNode::List { start, items } => {
                self.wrapped(Tag::List(*start), TagEnd::List(start.is_some()), |w| {
                    for item in items {
                        w.wrapped(Tag::Item, TagEnd::Item, |w| w.blocks(item));
                    }
                });
            }
            BlockNode::Quote(blocks) => {
                self.wrapped(Tag::BlockQuote(None), TagEnd::BlockQuote(None), |w| w.blocks(blocks));
            }
            BlockNode::Code { fence, text } => {
                let kind = match fence {
                    Some(info) => CodeBlockKind::Fenced(CowStr::Borrowed(info)),
                    None => CodeBlockKind::Indented,
                };
                self.wrapped(Tag::CodeBlock(kind), TagEnd::CodeBlock, |w| {
                    w.events.push(Event::Text(CowStr::Borrowed(text)));
                });
            }
            BlockNode::Table { align, head, rows } => self.table(align, head, rows),
            BlockNode::Rule => self.events.push(Event::Rule),
            BlockNode::Html(inlines) => {
                self.wrapped(Tag::HtmlBlock, TagEnd::HtmlBlock, |w| w.inlines(inlines));
            }
            BlockNode::Footnote { label, blocks } => {
                let tag = Tag::FootnoteDefinition(CowStr::Borrowed(label));
                self.wrapped(tag, TagEnd::FootnoteDefinition, |w| w.blocks(blocks));
            }
            BlockNode::Shortcode(shortcode) => {
                let html = format!("{}\n", (self.call)(shortcode));
                self.events.push(Event::Html(CowStr::from(html)));
            }
        }
    }

    fn table(&mut self, align: &[Align], head: &'t [Vec<Inline>], rows: &'t [Vec<Vec<Inline>>]) {
        let alignments = align.iter().map(|a| alignment(*a)).collect();
        self.wrapped(Tag::Table(alignments), TagEnd::Table, |w| {
            w.wrapped(Tag::TableHead, TagEnd::TableHead, |w| w.cells(head));
            for row in rows {
                w.wrapped(Tag::TableRow, TagEnd::TableRow, |w| w.cells(row));
            }
        });
    }

    fn cells(&mut self, cells: &'t [Vec<Inline>]) {
        for cell in cells {
            self.wrapped(Tag::TableCell, TagEnd::TableCell, |w| w.inlines(cell));
        }
    }

    fn inline(&mut self, inline: &'t Inline) {
        match &inline.node {
            InlineNode::Text(text) => self.events.push(Event::Text(CowStr::Borrowed(text))),
            InlineNode::Code(text) => self.events.push(Event::Code(CowStr::Borrowed(text))),
            InlineNode::Emphasis(c) => {
                self.wrapped(Tag::Emphasis, TagEnd::Emphasis, |w| w.inlines(c))
            }
            InlineNode::Strong(c) => self.wrapped(Tag::Strong, TagEnd::Strong, |w| w.inlines(c)),
            InlineNode::Strike(c) => {
                self.wrapped(Tag::Strikethrough, TagEnd::Strikethrough, |w| w.inlines(c));
            }
            InlineNode::Link(target) => {
                let tag = link(target, self.addresses.url(target), false);
                self.wrapped(tag, TagEnd::Link, |w| w.inlines(&target.inlines));
            }
            InlineNode::Image(target) => {
                let tag = link(target, self.addresses.url(target), true);
                self.wrapped(tag, TagEnd::Image, |w| w.inlines(&target.inlines));
            }
            InlineNode::SoftBreak => self.events.push(Event::SoftBreak),
            InlineNode::Break => self.events.push(Event::HardBreak),
            InlineNode::Html(html) => {
                self.events.push(Event::InlineHtml(self.addresses.raw_html(html)));
            }
            InlineNode::FootnoteReference(label) => {
                self.events.push(Event::FootnoteReference(CowStr::Borrowed(label)));
            }
            InlineNode::TaskMarker(done) => self.events.push(Event::TaskListMarker(*done)),
            InlineNode::Shortcode(shortcode) => {
                self.events.push(Event::InlineHtml(CowStr::from((self.call)(shortcode))));
            }
            InlineNode::Opened(deep) => {
                let tag = self.deep_tag(deep);
                self.events.push(Event::Start(tag));
            }
            InlineNode::Closed(deep) => self.events.push(Event::End(deep_end(deep))),
        }
    }

    /// The writer's tag opening a container nested past the tree's depth.
    fn deep_tag(&self, deep: &'t Deep) -> Tag<'t> {
        let borrowed = |text: &'t str| CowStr::Borrowed(text);
        match deep {
            Deep::Paragraph => Tag::Paragraph,
            Deep::Heading(level) => Tag::Heading {
                level: heading_level(*level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            Deep::Quote => Tag::BlockQuote(None),
            Deep::Code(Some(info)) => Tag::CodeBlock(CodeBlockKind::Fenced(borrowed(info))),
            Deep::Code(None) => Tag::CodeBlock(CodeBlockKind::Indented),
            Deep::Html => Tag::HtmlBlock,
            Deep::List(start) => Tag::List(*start),
            Deep::Item => Tag::Item,
            Deep::Footnote(label) => Tag::FootnoteDefinition(borrowed(label)),
            Deep::Emphasis => Tag::Emphasis,
            Deep::Strong => Tag::Strong,
            Deep::Strike => Tag::Strikethrough,
            Deep::Link(target) => link(target, self.addresses.url(target), false),
            Deep::Image(target) => link(target, self.addresses.url(target), true),
        }
    }
}

/// The writer's end of a container nested past the tree's depth.
fn deep_end(deep: &Deep) -> TagEnd {
    match deep {
        Deep::Paragraph => TagEnd::Paragraph,
        Deep::Heading(level) => TagEnd::Heading(heading_level(*level)),
        Deep::Quote => TagEnd::BlockQuote(None),
        Deep::Code(_) => TagEnd::CodeBlock,
        Deep::Html => TagEnd::HtmlBlock,
        Deep::List(start) => TagEnd::List(start.is_some()),
        Deep::Item => TagEnd::Item,
        Deep::Footnote(_) => TagEnd::FootnoteDefinition,
        Deep::Emphasis => TagEnd::Emphasis,
        Deep::Strong => TagEnd::Strong,
        Deep::Strike => TagEnd::Strikethrough,
        Deep::Link(_) => TagEnd::Link,
        Deep::Image(_) => TagEnd::Image,
    }
}

/// The writer's heading level of a heading of level `level` (1 to 6).
fn heading_level(level: u8) -> HeadingLevel {
    HeadingLevel::try_from(usize::from(level)).unwrap_or(HeadingLevel::H6)
}

/// The writer's tag for a link or an image to `dest_url`.
fn link<'t>(target: &'t Target, dest_url: CowStr<'t>, image: bool) -> Tag<'t> {
    let link_type = if target.email { LinkType::Email } else { LinkType::Inline };
    let title = CowStr::Borrowed(target.title.as_str());
    let id = CowStr::Borrowed("");
    match image {
        true => Tag::Image { link_type, dest_url, title, id },
        false => Tag::Link { link_type, dest_url, title, id },
    }
}

/// The writer's alignment of a column.
fn alignment(align: Align) -> pulldown_cmark::Alignment {
    match align {
        Align::None => pulldown_cmark::Alignment::None,
        Align::Left => pulldown_cmark::Alignment::Left,
        Align::Center => pulldown_cmark::Alignment::Center,
        Align::Right => pulldown_cmark::Alignment::Right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::{Resolved, render};

    /// The HTML written from the tree of `body`, and the HTML made at load from its events.
    fn both(body: &str) -> (String, String) {
        let rendered = render(body, 0, &|_| Resolved::Keep, None).expect("renders");
        (body_html(&rendered.tree, true, &AsResolved, &|_| String::new()), rendered.html)
    }

    #[test]
    fn the_tree_writes_the_html_the_load_made_for_every_kind_of_block_and_inline() {
        let body = "# Tiêu đề {#dau .lon}\n\nMột *đoạn* **văn** ~~cũ~~ `mã` \"trích\" <a@b.org>\\\ndòng [liên kết](https://x.org \"tựa\") ![ảnh *đẹp*](a.jpg)[^1].\n\n\
> Trích\n>\n> - một\n> - hai\n\n1. a\n\n2. b\n\n3. [x] xong\n\n- [ ] chưa\n  - lồng\n\n```sh info\nls < a && b\n```\n\n    thụt lề\n\n\
| Trái | Giữa | Phải | Không |\n| :--- | :---: | ---: | --- |\n| 1 | 2 | 3 | 4 |\n\n***\n\n[^1]: Chú thích.\n\nMột <br> hai.\n\n<div>\nkhối\n</div>\n";
        let (tree, load) = both(body);
        assert_eq!(tree, load);
    }

    #[test]
    fn lists_quotes_and_emphasis_nested_past_the_tree_s_depth_are_written_as_nested() {
        let list: String =
            (0..300).map(|i| format!("{}- *mục* [x](a.md)\n", "  ".repeat(i))).collect();
        let body = format!("{list}\n{} trích dẫn\n", ">".repeat(300));
        let (tree, load) = both(&body);
        assert_eq!(tree.matches("<li>").count(), 300);
        assert_eq!(tree, load);
    }

    #[test]
    fn a_shortcode_is_written_where_its_node_stands() {
        let call = Shortcode {
            position: Default::default(),
            name: "x".to_owned(),
            args: Vec::new(),
            body: None,
            in_html: false,
        };
        let inline = Inline {
            position: Default::default(),
            node: InlineNode::Shortcode(Box::new(call.clone())),
        };
        let blocks = vec![
            Block { position: Default::default(), node: BlockNode::Shortcode(call) },
            Block { position: Default::default(), node: BlockNode::Paragraph(vec![inline]) },
        ];
        let html = body_html(&blocks, true, &AsResolved, &|s| format!("<b>{}</b>", s.name));
        assert_eq!(html, "<b>x</b>\n<p><b>x</b></p>\n");
    }
}
