//! The text of a body as a list of blocks (headings, paragraphs, list items, table rows),
//! collected from the events of a document tree, for outputs that read text aloud.

use pulldown_cmark::{Event, Tag, TagEnd};

/// What kind of block a piece of text was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of this level.
    Heading(u8),
    /// A paragraph (also inside block quotes).
    Paragraph,
    /// An item of a list, numbered from 1 within its list.
    ListItem(usize),
    /// A table row with its cells; `header` for the first row.
    TableRow {
        /// Text of each cell.
        cells: Vec<String>,
        /// Whether this is the header row.
        header: bool,
    },
    /// A code block (not meant to be read aloud).
    Code,
}

/// A block of plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its kind.
    pub kind: BlockKind,
    /// Its text, whitespace collapsed (for table rows, the cells joined).
    pub text: String,
}

/// Collects blocks from the events of a parse.
#[derive(Debug, Default)]
pub struct BlockCollector {
    blocks: Vec<Block>,
    buffer: String,
    lists: Vec<usize>,
    items: Vec<usize>,
    cells: Vec<String>,
    in_head: bool,
    in_image: usize,
    in_code: bool,
}

impl BlockCollector {
    /// Takes one event of the parse.
    pub fn observe(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::List(start)) => {
                self.flush_item();
                self.lists.push(start.map_or(1, |s| s as usize));
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                let ordinal = self.lists.last_mut().map_or(1, |next| {
                    *next += 1;
                    *next - 1
                });
                self.items.push(ordinal);
            }
            Event::End(TagEnd::Item) => {
                self.flush_item();
                self.items.pop();
            }
            Event::End(TagEnd::Paragraph) if self.items.is_empty() => {
                self.flush(BlockKind::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => self.buffer.push(' '),
            Event::End(TagEnd::Heading(level)) => self.flush(BlockKind::Heading(*level as u8)),
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableCell) => {
                self.cells.push(collapse(&std::mem::take(&mut self.buffer)))
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let cells = std::mem::take(&mut self.cells);
                let text = cells.join(" ");
                self.blocks.push(Block {
                    kind: BlockKind::TableRow { cells, header: self.in_head },
                    text,
                });
                self.in_head = false;
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.flush(BlockKind::Code);
            }
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image -= 1,
            Event::Text(text) | Event::Code(text) if self.in_image == 0 => {
                self.buffer.push_str(text)
            }
            Event::SoftBreak | Event::HardBreak => {
                self.buffer.push(if self.in_code { '\n' } else { ' ' })
            }
            _ => {}
        }
    }

    fn flush_item(&mut self) {
        if let Some(ordinal) = self.items.last().copied() {
            self.flush(BlockKind::ListItem(ordinal));
        }
    }

    fn flush(&mut self, kind: BlockKind) {
        let text = std::mem::take(&mut self.buffer);
        let text = if kind == BlockKind::Code { text.trim().to_owned() } else { collapse(&text) };
        if !text.is_empty() {
            self.blocks.push(Block { kind, text });
        }
    }

    /// The blocks collected.
    pub fn finish(self) -> Vec<Block> {
        self.blocks
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn blocks(text: &str) -> Vec<Block> {
        let mut collector = BlockCollector::default();
        for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
            collector.observe(&event);
        }
        collector.finish()
    }

    #[test]
    fn can_collect_headings_paragraphs_items_and_rows() {
        let found = blocks(
            "## Hỗ trợ\n\nMột *đoạn*\nvăn.\n\n1. Gọi 111\n2. Báo Công an\n\n| Số | Ai |\n|---|---|\n| 111 | Tổng đài |\n\n![ảnh](a.png)\n",
        );
        let kinds: Vec<&BlockKind> = found.iter().map(|b| &b.kind).collect();
        assert_eq!(found[0], Block { kind: BlockKind::Heading(2), text: "Hỗ trợ".into() });
        assert_eq!(found[1].text, "Một đoạn văn.");
        assert_eq!(found[2], Block { kind: BlockKind::ListItem(1), text: "Gọi 111".into() });
        assert_eq!(found[3].kind, BlockKind::ListItem(2));
        assert_eq!(
            *kinds[4],
            BlockKind::TableRow { cells: vec!["Số".into(), "Ai".into()], header: true }
        );
        assert_eq!(
            *kinds[5],
            BlockKind::TableRow { cells: vec!["111".into(), "Tổng đài".into()], header: false }
        );
        assert_eq!(found.len(), 6, "images are not text: {found:?}");
    }

    #[test]
    fn can_handle_nested_and_loose_lists() {
        let found = blocks("- a\n\n  more a\n- b\n  - b1\n");
        let texts: Vec<&str> = found.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["a more a", "b", "b1"]);
    }
}
