//! The fonts Typst may use, as the caller read them, and a coverage check, since Typst draws
//! a missing letter as an empty box without a word.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::base::error::{Error, Result};

/// A font file: where it is shown in messages, and its bytes (`.ttf`, `.otf` or `.ttc`).
#[derive(Debug, Clone)]
pub struct FontFile {
    /// Path shown in messages.
    pub shown: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The bundled fonts and their book.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    fingerprint: u64,
}

impl Fonts {
    /// The fonts of these files; a file that holds no font Typst reads is an error.
    pub fn new(files: Vec<FontFile>) -> Result<Self> {
        let mut fonts = Vec::new();
        let mut hasher = std::hash::DefaultHasher::new();
        for file in files {
            let before = fonts.len();
            std::hash::Hash::hash(&(&file.shown, &file.bytes), &mut hasher);
            fonts.extend(Font::iter(Bytes::new(file.bytes)));
            if fonts.len() == before {
                return Err(Error::at(&file.shown, None, msg!("typeset.bad_font"))
                    .with_hint(msg!("typeset.bad_font.hint")));
            }
        }
        let fingerprint = std::hash::Hasher::finish(&hasher);
        Ok(Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts, fingerprint })
    }

    /// A hash of the font files, which changes when a font does.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The book Typst picks fonts from.
    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// The font at `index` of the book.
    pub fn get(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// Whether no font was found.
    pub fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }

    /// Whether some font draws `c` (spaces and control characters need no glyph).
    pub fn covers(&self, c: char) -> bool {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
            || self.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
    }

    /// The first character of `text` no font draws, with its byte offset.
    pub fn first_missing(&self, text: &str) -> Option<(usize, char)> {
        text.char_indices().find(|(_, c)| !self.covers(*c))
    }
}
