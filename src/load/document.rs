//! A body as a format-neutral document tree: blocks and inlines with the place in the source
//! file each starts at, shortcodes as typed nodes (their checked arguments and, for block
//! shortcodes, their body as child blocks), links and images with the destination as written
//! and the address the model resolved it to. It is built from the events of the one Markdown
//! parse; every output renders it in its own way.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use crate::base::error::Position;
use crate::load::shortcodes::ArgValue;

/// A block of a body, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Place in the source file.
    pub position: Position,
    /// What it is.
    pub node: BlockNode,
}

/// What a block is.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockNode {
    /// A heading, level 1 to 6, with its unique anchor id.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Anchor id, unique within the body.
        id: String,
        /// Classes written as `{.class}`.
        classes: Vec<String>,
        /// Attributes written as `{name=value}` that were kept.
        attrs: Vec<(String, Option<String>)>,
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// Text standing directly in a container (a tight list item), without a paragraph.
    Plain(Vec<Inline>),
    /// A list; `start` is the first number of a numbered list.
    List {
        /// First number, for a numbered list.
        start: Option<u64>,
        /// Each item as its blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A code block.
    Code {
        /// The info string of a fenced block; `None` for an indented one.
        fence: Option<String>,
        /// Its text as written.
        text: String,
    },
    /// A table: its header cells, then its rows of cells.
    Table {
        /// How each column is aligned, as its delimiter row says.
        align: Vec<Align>,
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A thematic break.
    Rule,
    /// A block of raw HTML, as written, and the shortcodes in it.
    Html(Vec<Inline>),
    /// A footnote's definition.
    Footnote {
        /// Its label.
        label: String,
        /// Its blocks.
        blocks: Vec<Block>,
    },
    /// A shortcode standing alone in its paragraph.
    Shortcode(Shortcode),
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// As the output likes.
    None,
    /// To the left.
    Left,
    /// Centred.
    Center,
    /// To the right.
    Right,
}

/// A piece of text inside a block, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// Place in the source file.
    pub position: Position,
    /// What it is.
    pub node: InlineNode,
}

/// What an inline is.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineNode {
    /// Text as written (character references decoded).
    Text(String),
    /// Emphasis.
    Emphasis(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// Struck-through text.
    Strike(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A link (boxed, as most inlines are short text).
    Link(Box<Target>),
    /// An image; its inlines are the alternative text.
    Image(Box<Target>),
    /// A line break in the source, shown as a space.
    SoftBreak,
    /// A hard line break.
    Break,
    /// Raw HTML as the author wrote it; the web output resolves its `src` and `href` values.
    Html(String),
    /// A reference to a footnote.
    FootnoteReference(String),
    /// The checkbox of a task list item.
    TaskMarker(bool),
    /// A shortcode inside running text or raw HTML.
    Shortcode(Box<Shortcode>),
    /// Where a container nested past [`MAX_TREE_DEPTH`] opens, among the flattened content.
    Opened(Box<Deep>),
    /// Where such a container closes.
    Closed(Box<Deep>),
}

/// A container nested past [`MAX_TREE_DEPTH`]: its content is flattened into the deepest
/// container, and where it opens and closes is kept in order among that content, so that the
/// web output writes it as the author nested it while other outputs read the text alone.
#[derive(Debug, Clone, PartialEq)]
pub enum Deep {
    /// A paragraph.
    Paragraph,
    /// A heading of this level.
    Heading(u8),
    /// A block quote.
    Quote,
    /// A code block with its info string.
    Code(Option<String>),
    /// A block of raw HTML.
    Html,
    /// A list, numbered from this number when it is ordered.
    List(Option<u64>),
    /// A list item.
    Item,
    /// A footnote's definition.
    Footnote(String),
    /// Emphasis.
    Emphasis,
    /// Strong emphasis.
    Strong,
    /// Struck-through text.
    Strike,
    /// A link (its inlines empty: they follow among the content).
    Link(Target),
    /// An image (its inlines empty: the alternative text follows).
    Image(Target),
}

/// Where a link or an image leads: as written, and as resolved for the document's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The destination as written in the source.
    pub destination: String,
    /// The address the model resolved it to (`#` when its scheme was refused).
    pub url: String,
    /// The title written after the destination.
    pub title: String,
    /// Whether it is an e-mail address written in angle brackets (`<a@b.org>`).
    pub email: bool,
    /// The link text, or the image's alternative text.
    pub inlines: Vec<Inline>,
}

/// A shortcode call, its arguments checked against its component's signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    /// Place of the call in the source file.
    pub position: Position,
    /// Its name.
    pub name: String,
    /// Its arguments in the order written, unsafe addresses replaced.
    pub args: Vec<(String, ArgValue)>,
    /// The body of a block shortcode as blocks; `None` for an inline one.
    pub body: Option<Vec<Block>>,
    /// Whether it stands inside raw HTML: outputs that leave raw HTML out leave it out too.
    pub in_html: bool,
}

impl Shortcode {
    /// The argument `name` as text (numbers written out), when it is given.
    pub fn text_arg(&self, name: &str) -> Option<String> {
        self.args.iter().find(|(n, _)| n == name).and_then(|(_, value)| match value {
            ArgValue::Text(text) => Some(text.clone()),
            ArgValue::Integer(number) => Some(number.to_string()),
            _ => None,
        })
    }
}

/// Where a shortcode stands in the events of a parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Alone in its paragraph, which it replaces.
    Alone,
    /// In running text or raw HTML.
    Inline,
}

/// A container being filled while events arrive.
enum Open {
    Root,
    Quote,
    Item,
    Footnote(String),
    List(Option<u64>, Vec<Vec<Block>>),
    Paragraph,
    Heading(u8, Vec<String>, Vec<(String, Option<String>)>),
    Emphasis,
    Strong,
    Strike,
    Link(String, String, String, bool),
    Image(String, String, String),
    Html,
    Code(Option<String>, String),
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
    Cell,
}

/// A container with where it starts and what it holds so far.
struct Frame {
    open: Open,
    position: Position,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
}

/// How many containers deep a tree nests (lists, items, quotes, paragraphs, emphasis, links):
/// the containers of a body nested deeper (which web pages allow) are flattened into the
/// deepest one, their text kept, so that outputs walk and drop trees without deep recursion.
pub const MAX_TREE_DEPTH: usize = 32;

/// Builds the tree from the events of a parse, one at a time.
pub struct TreeBuilder {
    frames: Vec<Frame>,
    heading_id: String,
    /// Containers opened past [`MAX_TREE_DEPTH`] and not yet closed.
    flattened: Vec<Option<Deep>>,
}

impl Default for TreeBuilder {
    fn default() -> Self {
        TreeBuilder {
            frames: vec![frame(Open::Root, Position::default())],
            heading_id: String::new(),
            flattened: Vec::new(),
        }
    }
}

/// What a web page needs of a container opened past [`MAX_TREE_DEPTH`].
fn deep(open: Open) -> Option<Deep> {
    let target = |destination, url, title, email| Target {
        destination,
        url,
        title,
        email,
        inlines: Vec::new(),
    };
    Some(match open {
        Open::Paragraph => Deep::Paragraph,
        Open::Heading(level, _, _) => Deep::Heading(level),
        Open::Quote => Deep::Quote,
        Open::Code(fence, _) => Deep::Code(fence),
        Open::Html => Deep::Html,
        Open::List(start, _) => Deep::List(start),
        Open::Item => Deep::Item,
        Open::Footnote(label) => Deep::Footnote(label),
        Open::Emphasis => Deep::Emphasis,
        Open::Strong => Deep::Strong,
        Open::Strike => Deep::Strike,
        Open::Link(destination, url, title, email) => {
            Deep::Link(target(destination, url, title, email))
        }
        Open::Image(destination, url, title) => Deep::Image(target(destination, url, title, false)),
        Open::Root | Open::Table { .. } | Open::Cell => return None,
    })
}

fn frame(open: Open, position: Position) -> Frame {
    Frame { open, position, blocks: Vec::new(), inlines: Vec::new() }
}

impl TreeBuilder {
    /// Takes one event found at `position`; `written` is the destination of a link or image,
    /// or a piece of raw HTML, as the author wrote it, when the event holds the resolved one.
    pub fn observe(&mut self, event: &Event, position: Position, written: Option<&str>) {
        match event {
            Event::Start(tag) => self.start(tag, position, written),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => match self.frames.last_mut() {
                Some(Frame { open: Open::Code(_, code), .. }) => code.push_str(text),
                _ => self.inline(position, InlineNode::Text(owned(text))),
            },
            Event::Code(text) => self.inline(position, InlineNode::Code(owned(text))),
            Event::Html(html) | Event::InlineHtml(html) => self.inline(
                position,
                InlineNode::Html(written.map_or_else(|| owned(html), str::to_owned)),
            ),
            Event::SoftBreak => self.inline(position, InlineNode::SoftBreak),
            Event::HardBreak => self.inline(position, InlineNode::Break),
            Event::Rule => self.block(Block { position, node: BlockNode::Rule }),
            Event::FootnoteReference(label) => {
                self.inline(position, InlineNode::FootnoteReference(owned(label)))
            }
            Event::TaskListMarker(done) => self.inline(position, InlineNode::TaskMarker(*done)),
            Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }

    /// Sets the id of the heading being read, given when it ends.
    pub fn heading_id(&mut self, id: &str) {
        id.clone_into(&mut self.heading_id);
    }

    /// Puts a shortcode in place.
    pub fn shortcode(&mut self, shortcode: Shortcode, standing: Standing) {
        let position = shortcode.position;
        match standing {
            Standing::Alone => {
                self.block(Block { position, node: BlockNode::Shortcode(shortcode) })
            }
            Standing::Inline => self.inline(position, InlineNode::Shortcode(Box::new(shortcode))),
        }
    }

    /// The blocks of the body.
    pub fn finish(mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            self.close();
        }
        let mut blocks = self.frames.pop().map(|f| f.blocks).unwrap_or_default();
        blocks.shrink_to_fit();
        blocks
    }

    fn start(&mut self, tag: &Tag, position: Position, written: Option<&str>) {
        let open = match tag {
            Tag::Paragraph => Open::Paragraph,
            Tag::Heading { level, classes, attrs, .. } => Open::Heading(
                *level as u8,
                classes.iter().map(|c| owned(c)).collect(),
                attrs.iter().map(|(n, v)| (owned(n), v.as_ref().map(|v| owned(v)))).collect(),
            ),
            Tag::BlockQuote(_) => Open::Quote,
            Tag::CodeBlock(kind) => Open::Code(
                match kind {
                    CodeBlockKind::Fenced(info) => Some(owned(info)),
                    CodeBlockKind::Indented => None,
                },
                String::new(),
            ),
            Tag::HtmlBlock => Open::Html,
            Tag::List(start) => Open::List(*start, Vec::new()),
            Tag::Item => Open::Item,
            Tag::FootnoteDefinition(label) => Open::Footnote(owned(label)),
            Tag::Table(align) => Open::Table {
                align: align.iter().map(|a| aligned(*a)).collect(),
                head: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
            },
            Tag::TableCell => Open::Cell,
            Tag::Emphasis => Open::Emphasis,
            Tag::Strong => Open::Strong,
            Tag::Strikethrough => Open::Strike,
            Tag::Link { dest_url, title, link_type, .. } => Open::Link(
                written.unwrap_or(dest_url).to_owned(),
                owned(dest_url),
                owned(title),
                *link_type == LinkType::Email,
            ),
            Tag::Image { dest_url, title, .. } => {
                Open::Image(written.unwrap_or(dest_url).to_owned(), owned(dest_url), owned(title))
            }
            _ => return,
        };
        if self.frames.len() > MAX_TREE_DEPTH {
            let deep = deep(open);
            if let Some(deep) = &deep {
                self.inline(position, InlineNode::Opened(Box::new(deep.clone())));
            }
            self.flattened.push(deep);
            return;
        }
        self.frames.push(frame(open, position));
    }

    fn end(&mut self, tag: TagEnd) {
        let closes = matches!(
            tag,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableCell
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        );
        if closes && !self.flattened.is_empty() {
            if let Some(deep) = self.flattened.pop().flatten() {
                self.inline(Position::default(), InlineNode::Closed(Box::new(deep)));
            }
        } else if closes {
            self.close();
        } else if matches!(tag, TagEnd::TableHead | TagEnd::TableRow) {
            self.end_row(tag == TagEnd::TableHead);
        }
    }

    fn end_row(&mut self, head: bool) {
        if let Some(Frame { open: Open::Table { head: h, rows, row, .. }, .. }) =
            self.frames.last_mut()
        {
            let mut cells = std::mem::take(row);
            cells.shrink_to_fit();
            if head { *h = cells } else { rows.push(cells) }
        }
    }

    /// Closes the innermost container into its parent.
    fn close(&mut self) {
        let Some(Frame { open, position, mut blocks, mut inlines }) = self.frames.pop() else {
            return;
        };
        // A site keeps every page's tree: no room grown for pushing is kept with it.
        blocks.shrink_to_fit();
        inlines.shrink_to_fit();
        for block in &mut blocks {
            if let BlockNode::Plain(plain) = &mut block.node {
                plain.shrink_to_fit();
            }
        }
        if self.frames.is_empty() {
            self.frames.push(Frame { open, position, blocks, inlines });
            return;
        }
        let inline = |node| Inline { position, node };
        let block = |node| Block { position, node };
        match open {
            Open::Root => {}
            Open::Quote => self.block(block(BlockNode::Quote(blocks))),
            Open::Item => {
                if let Some(Frame { open: Open::List(_, items), .. }) = self.frames.last_mut() {
                    items.push(blocks);
                }
            }
            Open::Footnote(label) => self.block(block(BlockNode::Footnote { label, blocks })),
            Open::List(start, mut items) => {
                items.shrink_to_fit();
                self.block(block(BlockNode::List { start, items }))
            }
            Open::Paragraph => self.block(block(BlockNode::Paragraph(inlines))),
            Open::Heading(level, classes, attrs) => {
                let id = std::mem::take(&mut self.heading_id);
                self.block(block(BlockNode::Heading { level, id, classes, attrs, inlines }))
            }
            Open::Html => self.block(block(BlockNode::Html(inlines))),
            Open::Code(fence, text) => self.block(block(BlockNode::Code { fence, text })),
            Open::Table { align, head, mut rows, .. } => {
                rows.shrink_to_fit();
                self.block(block(BlockNode::Table { align, head, rows }))
            }
            Open::Cell => {
                if let Some(Frame { open: Open::Table { row, .. }, .. }) = self.frames.last_mut() {
                    row.push(inlines);
                }
            }
            Open::Emphasis => self.push_inline(inline(InlineNode::Emphasis(inlines))),
            Open::Strong => self.push_inline(inline(InlineNode::Strong(inlines))),
            Open::Strike => self.push_inline(inline(InlineNode::Strike(inlines))),
            Open::Link(destination, url, title, email) => {
                let target = Target { destination, url, title, email, inlines };
                self.push_inline(inline(InlineNode::Link(Box::new(target))))
            }
            Open::Image(destination, url, title) => {
                let target = Target { destination, url, title, email: false, inlines };
                self.push_inline(inline(InlineNode::Image(Box::new(target))))
            }
        }
    }

    fn inline(&mut self, position: Position, node: InlineNode) {
        self.push_inline(Inline { position, node });
    }

    /// Adds an inline to the innermost container; text standing in a block container (a tight
    /// list item) goes into a [`BlockNode::Plain`].
    fn push_inline(&mut self, inline: Inline) {
        let Some(last) = self.frames.last_mut() else { return };
        if !holds_blocks(&last.open) {
            last.inlines.push(inline);
            return;
        }
        match last.blocks.last_mut() {
            Some(Block { node: BlockNode::Plain(inlines), .. }) => inlines.push(inline),
            _ => {
                let position = inline.position;
                last.blocks.push(Block { position, node: BlockNode::Plain(vec![inline]) });
            }
        }
    }

    fn block(&mut self, block: Block) {
        if let Some(last) = self.frames.last_mut() {
            last.blocks.push(block);
        }
    }
}

/// The alignment of a column as the parser gives it.
fn aligned(alignment: pulldown_cmark::Alignment) -> Align {
    match alignment {
        pulldown_cmark::Alignment::None => Align::None,
        pulldown_cmark::Alignment::Left => Align::Left,
        pulldown_cmark::Alignment::Center => Align::Center,
        pulldown_cmark::Alignment::Right => Align::Right,
    }
}

/// Whether a container holds blocks rather than inlines.
fn holds_blocks(open: &Open) -> bool {
    matches!(open, Open::Root | Open::Quote | Open::Item | Open::Footnote(_) | Open::List(..))
}

/// The plain text of inlines, as written (shortcodes left out).
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match &inline.node {
            InlineNode::Text(text) | InlineNode::Code(text) => out.push_str(text),
            InlineNode::Emphasis(c) | InlineNode::Strong(c) | InlineNode::Strike(c) => {
                out.push_str(&inline_text(c))
            }
            InlineNode::Link(target) | InlineNode::Image(target) => {
                out.push_str(&inline_text(&target.inlines))
            }
            InlineNode::SoftBreak | InlineNode::Break => out.push(' '),
            InlineNode::Html(_)
            | InlineNode::FootnoteReference(_)
            | InlineNode::TaskMarker(_)
            | InlineNode::Shortcode(_)
            | InlineNode::Opened(_)
            | InlineNode::Closed(_) => {}
        }
    }
    out
}

/// What an output that reads a body as plain text (search, the loudspeaker) makes of a
/// shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShortcodeText {
    /// This text, in place of the call.
    Text(String),
    /// The body of a block shortcode, as blocks of its own.
    Body,
    /// Nothing.
    Skip,
}

/// The events of a tree again, for readers of events (plain text, blocks); each shortcode is
/// replaced as `rule` says, and one inside raw HTML is skipped with it.
pub fn replay<'t>(
    blocks: &'t [Block],
    rule: &dyn Fn(&Shortcode) -> ShortcodeText,
    sink: &mut dyn FnMut(Event<'t>),
) {
    for block in blocks {
        replay_block(block, rule, sink);
    }
}

fn replay_block<'t>(
    block: &'t Block,
    rule: &dyn Fn(&Shortcode) -> ShortcodeText,
    sink: &mut dyn FnMut(Event<'t>),
) {
    let inlines = |inlines: &'t [Inline], sink: &mut dyn FnMut(Event<'t>)| {
        inlines.iter().for_each(|inline| replay_inline(inline, rule, sink))
    };
    match &block.node {
        BlockNode::Heading { level, inlines: c, .. } => {
            let level = HeadingLevel::try_from(usize::from(*level)).unwrap_or(HeadingLevel::H6);
            sink(Event::Start(Tag::Heading { level, id: None, classes: vec![], attrs: vec![] }));
            inlines(c, sink);
            sink(Event::End(TagEnd::Heading(level)));
        }
        BlockNode::Paragraph(c) => {
            sink(Event::Start(Tag::Paragraph));
            inlines(c, sink);
            sink(Event::End(TagEnd::Paragraph));
        }
        BlockNode::Plain(c) => inlines(c, sink),
        BlockNode::List { start, items } => {
            sink(Event::Start(Tag::List(*start)));
            for item in items {
                sink(Event::Start(Tag::Item));
                replay(item, rule, sink);
                sink(Event::End(TagEnd::Item));
            }
            sink(Event::End(TagEnd::List(start.is_some())));
        }
        BlockNode::Quote(c) => {
            sink(Event::Start(Tag::BlockQuote(None)));
            replay(c, rule, sink);
            sink(Event::End(TagEnd::BlockQuote(None)));
        }
        BlockNode::Code { text, .. } => {
            sink(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
            sink(Event::Text(CowStr::Borrowed(text)));
            sink(Event::End(TagEnd::CodeBlock));
        }
        BlockNode::Table { head, rows, .. } => {
            sink(Event::Start(Tag::Table(Vec::new())));
            let row = |cells: &'t [Vec<Inline>], end: TagEnd, sink: &mut dyn FnMut(Event<'t>)| {
                for cell in cells {
                    sink(Event::Start(Tag::TableCell));
                    inlines(cell, sink);
                    sink(Event::End(TagEnd::TableCell));
                }
                sink(Event::End(end));
            };
            sink(Event::Start(Tag::TableHead));
            row(head, TagEnd::TableHead, sink);
            for cells in rows {
                sink(Event::Start(Tag::TableRow));
                row(cells, TagEnd::TableRow, sink);
            }
            sink(Event::End(TagEnd::Table));
        }
        BlockNode::Rule => sink(Event::Rule),
        BlockNode::Html(_) => {}
        BlockNode::Footnote { label, blocks } => {
            sink(Event::Start(Tag::FootnoteDefinition(CowStr::Borrowed(label))));
            replay(blocks, rule, sink);
            sink(Event::End(TagEnd::FootnoteDefinition));
        }
        BlockNode::Shortcode(shortcode) => match rule(shortcode) {
            ShortcodeText::Text(text) => {
                sink(Event::Start(Tag::Paragraph));
                sink(Event::Text(CowStr::from(text)));
                sink(Event::End(TagEnd::Paragraph));
            }
            ShortcodeText::Body => {
                replay(shortcode.body.as_deref().unwrap_or_default(), rule, sink)
            }
            ShortcodeText::Skip => {}
        },
    }
}

fn replay_inline<'t>(
    inline: &'t Inline,
    rule: &dyn Fn(&Shortcode) -> ShortcodeText,
    sink: &mut dyn FnMut(Event<'t>),
) {
    let span = |tag: Tag<'t>, end: TagEnd, c: &'t [Inline], sink: &mut dyn FnMut(Event<'t>)| {
        sink(Event::Start(tag));
        c.iter().for_each(|inline| replay_inline(inline, rule, sink));
        sink(Event::End(end));
    };
    let target = |target: &'t Target, image: bool| {
        let (dest_url, title) =
            (CowStr::Borrowed(target.url.as_str()), CowStr::Borrowed(target.title.as_str()));
        let (link_type, id) = (LinkType::Inline, CowStr::Borrowed(""));
        match image {
            true => Tag::Image { link_type, dest_url, title, id },
            false => Tag::Link { link_type, dest_url, title, id },
        }
    };
    match &inline.node {
        InlineNode::Text(text) => sink(Event::Text(CowStr::Borrowed(text))),
        InlineNode::Code(text) => sink(Event::Code(CowStr::Borrowed(text))),
        InlineNode::Emphasis(c) => span(Tag::Emphasis, TagEnd::Emphasis, c, sink),
        InlineNode::Strong(c) => span(Tag::Strong, TagEnd::Strong, c, sink),
        InlineNode::Strike(c) => span(Tag::Strikethrough, TagEnd::Strikethrough, c, sink),
        InlineNode::Link(t) => span(target(t, false), TagEnd::Link, &t.inlines, sink),
        InlineNode::Image(t) => span(target(t, true), TagEnd::Image, &t.inlines, sink),
        InlineNode::SoftBreak => sink(Event::SoftBreak),
        InlineNode::Break => sink(Event::HardBreak),
        InlineNode::Html(html) => sink(Event::InlineHtml(CowStr::Borrowed(html))),
        InlineNode::FootnoteReference(label) => {
            sink(Event::FootnoteReference(CowStr::Borrowed(label)))
        }
        InlineNode::TaskMarker(done) => sink(Event::TaskListMarker(*done)),
        InlineNode::Shortcode(shortcode) if shortcode.in_html => {}
        InlineNode::Opened(_) | InlineNode::Closed(_) => {}
        InlineNode::Shortcode(shortcode) => match rule(shortcode) {
            ShortcodeText::Text(text) => sink(Event::Text(CowStr::from(text))),
            ShortcodeText::Body => {
                replay(shortcode.body.as_deref().unwrap_or_default(), rule, sink)
            }
            ShortcodeText::Skip => {}
        },
    }
}

/// The plain text of a tree, paragraphs separated by blank lines, shortcodes as `rule` says.
pub fn plain_text(blocks: &[Block], rule: &dyn Fn(&Shortcode) -> ShortcodeText) -> String {
    let mut text = String::new();
    replay(blocks, rule, &mut |event| match event {
        Event::Text(t) | Event::Code(t) => text.push_str(&t),
        Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => text.push(' '),
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock,
        ) => text.push_str("\n\n"),
        _ => {}
    });
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// The text of a tree as blocks (headings, paragraphs, list items, table rows), shortcodes
/// as `rule` says.
pub fn text_blocks(
    blocks: &[Block],
    rule: &dyn Fn(&Shortcode) -> ShortcodeText,
) -> Vec<crate::load::blocks::Block> {
    let mut collector = crate::load::blocks::BlockCollector::default();
    replay(blocks, rule, &mut |event| collector.observe(&event));
    collector.finish()
}

/// `text` as an owned string of exactly its length (`to_string` goes through `Display`, which
/// leaves the room it grew: a site keeps every tree, so that room was a tenth of its memory).
fn owned(text: &CowStr) -> String {
    String::from(&**text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::parser;

    fn tree(body: &str) -> Vec<Block> {
        let lines = crate::base::error::LineIndex::new(body);
        let mut builder = TreeBuilder::default();
        for (event, range) in parser(body).into_offset_iter() {
            builder.observe(&event, lines.position(range.start), None);
        }
        builder.finish()
    }

    #[test]
    fn can_build_blocks_and_inlines_with_their_places() {
        let blocks = tree("# Tiêu đề\n\nMột *nhấn* [đây](a.md).\n\n- a\n- b\n\n> trích\n");
        assert!(matches!(&blocks[0].node, BlockNode::Heading { level: 1, .. }));
        let BlockNode::Paragraph(inlines) = &blocks[1].node else { panic!("{blocks:?}") };
        assert_eq!(blocks[1].position, Position::new(3, 1));
        assert_eq!(inline_text(inlines), "Một nhấn đây.");
        let InlineNode::Link(target) = &inlines[3].node else { panic!("{inlines:?}") };
        assert_eq!(
            (target.destination.as_str(), inlines[3].position),
            ("a.md", Position::new(3, 12))
        );
        let BlockNode::List { start: None, items } = &blocks[2].node else { panic!("{blocks:?}") };
        assert!(matches!(&items[1][0].node, BlockNode::Plain(c) if inline_text(c) == "b"));
        assert!(matches!(&blocks[3].node, BlockNode::Quote(c) if c.len() == 1));
    }

    #[test]
    fn finding_4_quotes_nested_past_the_limit_are_flattened_with_their_text() {
        let blocks = tree(&format!("{} Gọi 111.\n", ">".repeat(50_000)));
        let mut depth = 0;
        let mut level = &blocks;
        while let [Block { node: BlockNode::Quote(inner), .. }] = level.as_slice() {
            depth += 1;
            level = inner;
        }
        assert_eq!(depth, MAX_TREE_DEPTH);
        let rule = |_: &Shortcode| ShortcodeText::Skip;
        assert_eq!(plain_text(&blocks, &rule), "Gọi 111.");
    }

    #[test]
    fn can_build_tables_code_and_footnotes() {
        let blocks =
            tree("| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nls\n```\n\nx[^n]\n\n[^n]: chú\n");
        let BlockNode::Table { head, rows, .. } = &blocks[0].node else { panic!("{blocks:?}") };
        assert_eq!((head.len(), rows.len(), inline_text(&rows[0][1])), (2, 1, "2".to_owned()));
        assert!(
            matches!(&blocks[1].node, BlockNode::Code { fence: Some(f), text } if f == "sh" && text == "ls\n")
        );
        assert!(matches!(&blocks[3].node, BlockNode::Footnote { label, .. } if label == "n"));
    }
}
