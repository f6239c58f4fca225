//! A page's body as a document tree for the print templates: headings, paragraphs, lists,
//! tables, quotes, images and callouts, with text as plain strings, so that nothing in the
//! content is ever read as Typst markup.

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::load::markdown;
use crate::load::masked::{Masked, Part};
use crate::load::shortcodes::{self, ArgValue, Call};

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub enum Node {
    /// A heading, level 1 to 6.
    Heading {
        /// Level.
        level: u8,
        /// Its text.
        c: Vec<Inline>,
    },
    /// A paragraph.
    Para {
        /// Its text.
        c: Vec<Inline>,
    },
    /// A list; each item is a list of blocks.
    List {
        /// Numbered or not.
        ordered: bool,
        /// First number.
        start: u64,
        /// The items.
        items: Vec<Vec<Node>>,
    },
    /// A block quote.
    Quote {
        /// Its blocks.
        c: Vec<Node>,
    },
    /// A code block.
    Code {
        /// Its text.
        text: String,
    },
    /// A table: a header row and body rows of cells.
    Table {
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// An image on its own (the `figure` component).
    Figure {
        /// Virtual path of the image for Typst, when it can be printed.
        src: Option<String>,
        /// Alternative text.
        alt: String,
        /// Caption.
        caption: Option<String>,
    },
    /// A callout box (`callout` component).
    Callout {
        /// warning, info or help.
        kind: String,
        /// Its title in the page's language.
        title: String,
        /// Its blocks.
        c: Vec<Node>,
    },
    /// A thematic break.
    Rule,
}

/// A piece of text inside a block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// Strong emphasis.
    Strong {
        /// Inner text.
        c: Vec<Inline>,
    },
    /// Emphasis.
    Emph {
        /// Inner text.
        c: Vec<Inline>,
    },
    /// Struck-through text.
    Strike {
        /// Inner text.
        c: Vec<Inline>,
    },
    /// Inline code.
    Code {
        /// The text.
        text: String,
    },
    /// A link, printed as its text (the template may add the URL).
    Link {
        /// Destination.
        url: String,
        /// Link text.
        c: Vec<Inline>,
    },
    /// An image inside text.
    Image {
        /// Virtual path of the image for Typst, when it can be printed.
        src: Option<String>,
        /// Alternative text.
        alt: String,
    },
    /// A line break.
    Break,
}

/// What the tree needs from the site: images, labels and hotlines.
pub trait PrintEnv {
    /// The virtual path of an image the template can read, if it can be printed.
    fn image(&self, destination: &str) -> Option<String>;
    /// A UI string of the page's language.
    fn label(&self, key: &str) -> String;
    /// The label and display form of a hotline.
    fn hotline(&self, id: &str) -> Option<(String, String)>;
}

/// The tree of a Markdown body, shortcodes included.
pub fn tree(body: &str, env: &dyn PrintEnv) -> Vec<Node> {
    let calls = shortcodes::find(body).unwrap_or_default();
    let (masked, calls) = match Masked::new(body, &calls) {
        Some(masked) => (masked, calls),
        None => (Masked::plain(body), Vec::new()),
    };
    let mut builder = Builder::new(env, &calls, &masked);
    for event in markdown::parser(&masked.text) {
        builder.observe(event);
    }
    builder.finish()
}

/// A container being filled.
enum Frame {
    Root,
    List { ordered: bool, start: u64, items: Vec<Vec<Node>> },
    Item,
    Quote,
    Table { head: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>>, row: Vec<Vec<Inline>> },
    Skip,
}

/// An inline container being filled.
enum Span {
    Para,
    Heading(u8),
    Cell,
    Strong,
    Emph,
    Strike,
    Link(String),
    Image(String),
}

struct Builder<'a> {
    env: &'a dyn PrintEnv,
    calls: &'a [Call],
    masked: &'a Masked<'a>,
    blocks: Vec<(Frame, Vec<Node>)>,
    spans: Vec<(Span, Vec<Inline>)>,
    pending: Vec<Node>,
    code: Option<String>,
}

impl<'a> Builder<'a> {
    fn new(env: &'a dyn PrintEnv, calls: &'a [Call], masked: &'a Masked<'a>) -> Self {
        Builder {
            env,
            calls,
            masked,
            blocks: vec![(Frame::Root, Vec::new())],
            spans: Vec::new(),
            pending: Vec::new(),
            code: None,
        }
    }

    fn observe(&mut self, event: Event) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let text = self.code.take().unwrap_or_default();
                    self.push_block(Node::Code { text: text.trim_end().to_owned() });
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(text) => self.push_inline(Inline::Code { text: clean(&text) }),
            Event::SoftBreak => self.push_inline(Inline::Text { text: " ".into() }),
            Event::HardBreak => self.push_inline(Inline::Break),
            Event::Rule => self.push_block(Node::Rule),
            Event::FootnoteReference(name) => {
                self.push_inline(Inline::Text { text: format!("[{name}]") })
            }
            Event::TaskListMarker(done) => {
                self.push_inline(Inline::Text { text: if done { "[x] " } else { "[ ] " }.into() })
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.spans.push((Span::Para, Vec::new())),
            Tag::Heading { level, .. } => self.spans.push((Span::Heading(level as u8), Vec::new())),
            Tag::Emphasis => self.spans.push((Span::Emph, Vec::new())),
            Tag::Strong => self.spans.push((Span::Strong, Vec::new())),
            Tag::Strikethrough => self.spans.push((Span::Strike, Vec::new())),
            Tag::Link { dest_url, .. } => {
                self.spans.push((Span::Link(dest_url.to_string()), Vec::new()))
            }
            Tag::Image { dest_url, .. } => {
                self.spans.push((Span::Image(dest_url.to_string()), Vec::new()))
            }
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::List(start) => self.blocks.push((
                Frame::List { ordered: start.is_some(), start: start.unwrap_or(1), items: vec![] },
                Vec::new(),
            )),
            Tag::Item => self.blocks.push((Frame::Item, Vec::new())),
            Tag::BlockQuote(_) => self.blocks.push((Frame::Quote, Vec::new())),
            Tag::Table(_) => self
                .blocks
                .push((Frame::Table { head: vec![], rows: vec![], row: vec![] }, Vec::new())),
            Tag::TableCell => self.spans.push((Span::Cell, Vec::new())),
            Tag::FootnoteDefinition(_) | Tag::HtmlBlock => {
                self.blocks.push((Frame::Skip, Vec::new()))
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.close_text_block(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.close_span()
            }
            TagEnd::Image => self.close_span(),
            TagEnd::Item => {
                self.close_loose_text();
                let (_, nodes) = self.blocks.pop().unwrap_or((Frame::Item, Vec::new()));
                if let Some((Frame::List { items, .. }, _)) = self.blocks.last_mut() {
                    items.push(nodes);
                }
            }
            TagEnd::List(_) => {
                if let Some((Frame::List { ordered, start, items }, _)) = self.blocks.pop() {
                    self.push_block(Node::List { ordered, start, items });
                }
            }
            TagEnd::BlockQuote(_) => {
                let (_, nodes) = self.blocks.pop().unwrap_or((Frame::Quote, Vec::new()));
                self.push_block(Node::Quote { c: nodes });
            }
            TagEnd::TableCell => {
                let (_, cell) = self.spans.pop().unwrap_or((Span::Cell, Vec::new()));
                if let Some((Frame::Table { row, .. }, _)) = self.blocks.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some((Frame::Table { head, rows, row }, _)) = self.blocks.last_mut() {
                    let cells = std::mem::take(row);
                    if matches!(tag, TagEnd::TableHead) { *head = cells } else { rows.push(cells) }
                }
            }
            TagEnd::Table => {
                if let Some((Frame::Table { head, rows, .. }, _)) = self.blocks.pop() {
                    self.push_block(Node::Table { head, rows });
                }
            }
            TagEnd::FootnoteDefinition | TagEnd::HtmlBlock => {
                self.blocks.pop();
            }
            _ => {}
        }
    }

    /// Text, with masked shortcodes turned into their print form.
    fn text(&mut self, text: &str) {
        let calls = self.calls;
        for part in self.masked.split(text) {
            match part {
                Part::Text(text) => self.plain(&text),
                Part::Call(index) => {
                    if let Some(call) = calls.get(index) {
                        self.shortcode(call);
                    }
                }
            }
        }
    }

    fn plain(&mut self, text: &str) {
        let text = clean(text);
        if !text.is_empty() {
            self.push_inline(Inline::Text { text });
        }
    }

    fn shortcode(&mut self, call: &Call) {
        let text_arg = |name: &str| {
            call.args.iter().find(|(n, _)| n == name).and_then(|(_, v)| match v {
                ArgValue::Text(t) => Some(t.clone()),
                ArgValue::Integer(i) => Some(i.to_string()),
                _ => None,
            })
        };
        match call.name.as_str() {
            "hotline" => {
                let found = text_arg("id").and_then(|id| self.env.hotline(&id));
                if let Some((label, display)) = found {
                    self.push_inline(Inline::Text { text: format!("{label}: ") });
                    self.push_inline(Inline::Strong { c: vec![Inline::Text { text: display }] });
                }
            }
            "countdown" => {
                if let Some(date) = text_arg("date") {
                    self.push_inline(Inline::Text { text: date });
                }
            }
            "figure" => {
                let src = text_arg("src").and_then(|s| self.env.image(&s));
                let alt = text_arg("alt").unwrap_or_default();
                self.pending.push(Node::Figure { src, alt, caption: text_arg("caption") });
            }
            "callout" => {
                let kind = text_arg("kind").unwrap_or_else(|| "info".into());
                let title = self.env.label(&format!("callout.{kind}"));
                let c = call.body.as_deref().map(|b| tree(b, self.env)).unwrap_or_default();
                self.pending.push(Node::Callout { kind, title, c });
            }
            _ => {
                if let Some(body) = &call.body {
                    let nodes = tree(body, self.env);
                    self.pending.extend(nodes);
                }
            }
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if self.spans.is_empty() {
            self.spans.push((Span::Para, Vec::new()));
        }
        if let Some((_, inlines)) = self.spans.last_mut() {
            inlines.push(inline);
        }
    }

    fn push_block(&mut self, node: Node) {
        self.close_loose_text();
        if let Some((_, nodes)) = self.blocks.last_mut() {
            nodes.push(node);
        }
    }

    fn close_span(&mut self) {
        let Some((span, c)) = self.spans.pop() else { return };
        let inline = match span {
            Span::Strong => Inline::Strong { c },
            Span::Emph => Inline::Emph { c },
            Span::Strike => Inline::Strike { c },
            Span::Link(url) => Inline::Link { url, c },
            Span::Image(destination) => {
                Inline::Image { src: self.env.image(&destination), alt: plain_text(&c) }
            }
            other => {
                self.spans.push((other, c));
                return;
            }
        };
        self.push_inline(inline);
    }

    fn close_text_block(&mut self) {
        let Some((span, c)) = self.spans.pop() else { return };
        let empty = c.iter().all(|i| matches!(i, Inline::Text { text } if text.trim().is_empty()));
        let node = match span {
            Span::Heading(level) => Some(Node::Heading { level, c }),
            _ if empty => None,
            _ => Some(Node::Para { c }),
        };
        let pending = std::mem::take(&mut self.pending);
        if let Some((_, nodes)) = self.blocks.last_mut() {
            nodes.extend(node);
            nodes.extend(pending);
        }
    }

    /// Closes text that came without a paragraph (tight list items).
    fn close_loose_text(&mut self) {
        while !self.spans.is_empty() {
            if matches!(self.spans.last(), Some((Span::Para | Span::Heading(_), _))) {
                self.close_text_block();
            } else {
                self.close_span();
                if matches!(self.spans.last(), Some((Span::Cell, _))) {
                    break;
                }
            }
        }
        let pending = std::mem::take(&mut self.pending);
        if let Some((_, nodes)) = self.blocks.last_mut() {
            nodes.extend(pending);
        }
    }

    fn finish(mut self) -> Vec<Node> {
        self.close_loose_text();
        while self.blocks.len() > 1 {
            self.end_open_frame();
        }
        self.blocks.pop().map(|(_, nodes)| nodes).unwrap_or_default()
    }

    fn end_open_frame(&mut self) {
        if let Some((_, nodes)) = self.blocks.pop()
            && let Some((_, parent)) = self.blocks.last_mut()
        {
            parent.extend(nodes);
        }
    }
}

/// Text in NFC.
fn clean(text: &str) -> String {
    crate::base::text::nfc(text)
}

/// The plain text of inlines (alt text of images).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { c } | Inline::Emph { c } | Inline::Strike { c } => {
                out.push_str(&plain_text(c))
            }
            Inline::Link { c, .. } => out.push_str(&plain_text(c)),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Break => out.push(' '),
        }
    }
    out
}

/// Every piece of text in the tree, for the font coverage check.
pub fn texts(nodes: &[Node]) -> Vec<String> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            Node::Heading { c, .. } | Node::Para { c } => out.push(plain_text(c)),
            Node::List { items, .. } => items.iter().for_each(|item| out.extend(texts(item))),
            Node::Quote { c } => out.extend(texts(c)),
            Node::Code { text } => out.push(text.clone()),
            Node::Table { head, rows } => {
                out.extend(head.iter().map(|cell| plain_text(cell)));
                for row in rows {
                    out.extend(row.iter().map(|cell| plain_text(cell)));
                }
            }
            Node::Figure { alt, caption, .. } => {
                out.push(alt.clone());
                out.extend(caption.clone());
            }
            Node::Callout { title, c, .. } => {
                out.push(title.clone());
                out.extend(texts(c));
            }
            Node::Rule => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Plain;

    impl PrintEnv for Plain {
        fn image(&self, _: &str) -> Option<String> {
            None
        }
        fn label(&self, key: &str) -> String {
            key.to_owned()
        }
        fn hotline(&self, id: &str) -> Option<(String, String)> {
            Some((format!("Số {id}"), id.to_owned()))
        }
    }

    #[test]
    fn makes_blocks_with_plain_text() {
        let body = "# Tiêu đề\n\nMột *nhấn* #set.\n\n- a\n- b\n\n{% callout(kind=\"help\") %}\nGọi {{ hotline(id=\"111\") }}.\n{% end %}\n";
        let nodes = tree(body, &Plain);
        assert!(matches!(&nodes[0], Node::Heading { level: 1, c } if plain_text(c) == "Tiêu đề"));
        assert!(matches!(&nodes[1], Node::Para { c } if plain_text(c) == "Một nhấn #set."));
        assert!(matches!(&nodes[2], Node::List { ordered: false, items, .. } if items.len() == 2));
        let Node::Callout { kind, c, .. } = &nodes[3] else { panic!("{nodes:?}") };
        assert_eq!(kind, "help");
        assert_eq!(texts(c), vec!["Gọi Số 111: 111.".to_owned()]);
    }

    #[test]
    fn finding_18_placeholder_characters_an_author_typed_stay_in_print() {
        let body = "Dán \u{FFFC}0\u{FFFC} và `\u{FFFC}0\u{FFFC}` từ\u{2060}nối {{ hotline(id=\"111\") }}\n";
        let typed = "Dán \u{FFFC}0\u{FFFC} và \u{FFFC}0\u{FFFC} từ\u{2060}nối Số 111: 111";
        assert_eq!(texts(&tree(body, &Plain)), vec![typed.to_owned()]);
    }

    proptest! {
        #[test]
        fn never_panics_and_leaves_no_masking_characters(body in "\\PC{0,300}") {
            let body = format!("{body}\n\nGọi {{{{ hotline(id=\"111\") }}}}.\n");
            let nodes = tree(&body, &Plain);
            let calls = shortcodes::find(&body).unwrap_or_default();
            let marks = Masked::new(&body, &calls).and_then(|m| m.marks());
            if let Some((edge, filler)) = marks {
                for text in texts(&nodes) {
                    prop_assert!(!text.contains(edge) && !text.contains(filler));
                }
            }
        }
    }
}
