//! A page's body as the print templates read it, made from its document tree: headings, paragraphs, lists,
//! tables, quotes, images and callouts, with text as plain strings, so that nothing in the
//! content is ever read as Typst markup.

use serde::Serialize;

use crate::load::document::{Block, BlockNode, Inline as DocInline, InlineNode, Shortcode};

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

/// The print tree of a body's document tree. Print renders the shortcodes it knows
/// (`hotline`, `countdown`, `figure`, `callout`), leaves out `speak` blocks (for the
/// loudspeaker only), shows the body of any other block shortcode and skips other inline ones; raw HTML, and the shortcodes inside it, and footnote
/// definitions are left out.
pub fn tree(blocks: &[Block], env: &dyn PrintEnv) -> Vec<Node> {
    let mut nodes = Vec::new();
    for block in blocks {
        block_nodes(block, env, &mut nodes);
    }
    nodes
}

/// The nodes of one block, added to `nodes`.
fn block_nodes(block: &Block, env: &dyn PrintEnv, nodes: &mut Vec<Node>) {
    match &block.node {
        BlockNode::Heading { level, inlines, .. } => {
            let mut text = Text::new(env);
            text.inlines(inlines);
            nodes.push(Node::Heading { level: *level, c: text.inlines });
            nodes.extend(text.pending);
        }
        BlockNode::Paragraph(inlines) | BlockNode::Plain(inlines) => {
            let mut text = Text::new(env);
            text.inlines(inlines);
            text.into_paragraph(nodes);
        }
        BlockNode::Shortcode(shortcode) => {
            let mut text = Text::new(env);
            text.shortcode(shortcode);
            text.into_paragraph(nodes);
        }
        BlockNode::List { start, items } => nodes.push(Node::List {
            ordered: start.is_some(),
            start: start.unwrap_or(1),
            items: items.iter().map(|item| tree(item, env)).collect(),
        }),
        BlockNode::Quote(blocks) => nodes.push(Node::Quote { c: tree(blocks, env) }),
        BlockNode::Code { text, .. } => nodes.push(Node::Code { text: text.trim_end().to_owned() }),
        BlockNode::Table { head, rows, .. } => table_nodes(head, rows, env, nodes),
        BlockNode::Rule => nodes.push(Node::Rule),
        BlockNode::Html(_) | BlockNode::Footnote { .. } => {}
    }
}

/// A table; the blocks its cells' shortcodes add come before it.
fn table_nodes(
    head: &[Vec<DocInline>],
    rows: &[Vec<Vec<DocInline>>],
    env: &dyn PrintEnv,
    nodes: &mut Vec<Node>,
) {
    let mut text = Text::new(env);
    let mut cells = |cells: &[Vec<DocInline>]| -> Vec<Vec<Inline>> {
        cells.iter().map(|cell| text.inner(cell)).collect()
    };
    let head = cells(head);
    let rows = rows.iter().map(|row| cells(row)).collect();
    nodes.extend(text.pending);
    nodes.push(Node::Table { head, rows });
}

/// The inlines of one block being made, and the blocks its shortcodes add after it.
struct Text<'e> {
    env: &'e dyn PrintEnv,
    inlines: Vec<Inline>,
    pending: Vec<Node>,
}

impl<'e> Text<'e> {
    fn new(env: &'e dyn PrintEnv) -> Self {
        Text { env, inlines: Vec::new(), pending: Vec::new() }
    }

    /// A paragraph of the inlines, unless they are only white space, then the added blocks.
    fn into_paragraph(self, nodes: &mut Vec<Node>) {
        let empty = self
            .inlines
            .iter()
            .all(|i| matches!(i, Inline::Text { text } if text.trim().is_empty()));
        if !empty {
            nodes.push(Node::Para { c: self.inlines });
        }
        nodes.extend(self.pending);
    }

    fn inlines(&mut self, inlines: &[DocInline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    /// The inlines inside a span or a table cell, made apart from the text around it.
    fn inner(&mut self, inlines: &[DocInline]) -> Vec<Inline> {
        let outer = std::mem::take(&mut self.inlines);
        self.inlines(inlines);
        std::mem::replace(&mut self.inlines, outer)
    }

    fn inline(&mut self, inline: &DocInline) {
        let made = match &inline.node {
            InlineNode::Text(text) => {
                let text = clean(text);
                if text.is_empty() {
                    return;
                }
                Inline::Text { text }
            }
            InlineNode::Code(text) => Inline::Code { text: clean(text) },
            InlineNode::SoftBreak => Inline::Text { text: " ".into() },
            InlineNode::Break => Inline::Break,
            InlineNode::Emphasis(c) => Inline::Emph { c: self.inner(c) },
            InlineNode::Strong(c) => Inline::Strong { c: self.inner(c) },
            InlineNode::Strike(c) => Inline::Strike { c: self.inner(c) },
            InlineNode::Link(target) => {
                Inline::Link { url: target.destination.clone(), c: self.inner(&target.inlines) }
            }
            InlineNode::Image(target) => {
                let src = self.env.image(&target.destination);
                Inline::Image { src, alt: plain_text(&self.inner(&target.inlines)) }
            }
            InlineNode::FootnoteReference(name) => Inline::Text { text: format!("[{name}]") },
            InlineNode::TaskMarker(done) => {
                Inline::Text { text: if *done { "[x] " } else { "[ ] " }.into() }
            }
            InlineNode::Shortcode(shortcode) => return self.shortcode(shortcode),
            InlineNode::Html(_) | InlineNode::Opened(_) | InlineNode::Closed(_) => return,
        };
        self.inlines.push(made);
    }

    /// How print renders each shortcode.
    fn shortcode(&mut self, shortcode: &Shortcode) {
        if shortcode.in_html {
            return;
        }
        let env = self.env;
        match shortcode.name.as_str() {
            "hotline" => {
                if let Some((label, display)) =
                    shortcode.text_arg("id").and_then(|id| env.hotline(&id))
                {
                    self.inlines.push(Inline::Text { text: format!("{label}: ") });
                    self.inlines.push(Inline::Strong { c: vec![Inline::Text { text: display }] });
                }
            }
            "countdown" => {
                if let Some(date) = shortcode.text_arg("date") {
                    self.inlines.push(Inline::Text { text: date });
                }
            }
            "figure" => {
                let src = shortcode.text_arg("src").and_then(|s| env.image(&s));
                let alt = shortcode.text_arg("alt").unwrap_or_default();
                let caption = shortcode.text_arg("caption");
                self.pending.push(Node::Figure { src, alt, caption });
            }
            "speak" => {}
            "callout" => {
                let kind = shortcode.text_arg("kind").unwrap_or_else(|| "info".into());
                let title = env.label(&format!("callout.{kind}"));
                let c = shortcode.body.as_deref().map(|b| tree(b, env)).unwrap_or_default();
                self.pending.push(Node::Callout { kind, title, c });
            }
            _ => {
                if let Some(body) = &shortcode.body {
                    self.pending.extend(tree(body, env));
                }
            }
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
    use crate::load::markdown::{self, Resolved, ShortcodeHost};
    use crate::load::masked::Masked;
    use crate::load::shortcodes::{self, Call};
    use proptest::prelude::*;

    struct Plain;

    /// Accepts every shortcode call, as the model does once it has checked them.
    struct Accepting;

    impl ShortcodeHost for Accepting {
        fn render(
            &self,
            _: &Call,
            _: Option<&str>,
            _: &dyn Fn(&str) -> Resolved,
        ) -> Result<String, (crate::base::messages::Message, Option<crate::base::messages::Message>)>
        {
            Ok(String::new())
        }
    }

    /// The print tree of a body, parsed once by load; a body whose calls cannot be read is
    /// read without them.
    fn print_tree(body: &str) -> Vec<Node> {
        let keep = |_: &str| Resolved::Keep;
        let rendered = markdown::render(body, 0, &keep, Some(&Accepting))
            .or_else(|_| markdown::render(body, 0, &keep, None))
            .unwrap_or_default();
        tree(&rendered.tree, &Plain)
    }

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
        let nodes = print_tree(body);
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
        assert_eq!(texts(&print_tree(body)), vec![typed.to_owned()]);
    }

    proptest! {
        #[test]
        fn never_panics_and_leaves_no_masking_characters(body in "\\PC{0,300}") {
            let body = format!("{body}\n\nGọi {{{{ hotline(id=\"111\") }}}}.\n");
            let nodes = print_tree(&body);
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
