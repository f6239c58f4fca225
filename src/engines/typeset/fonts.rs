//! The fonts Typst may use: those of the theme's and the site's `fonts/` folders, and a
//! coverage check, since Typst draws a missing letter as an empty box without a word.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::base::error::{Error, Result};
use crate::load::config::Config;

/// The bundled fonts and their book.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    fingerprint: u64,
}

impl Fonts {
    /// Loads every `.ttf`, `.otf` and `.ttc` file of the theme's and the site's `fonts/`.
    pub fn load(config: &Config) -> Result<Self> {
        let mut fonts = Vec::new();
        let mut hasher = std::hash::DefaultHasher::new();
        for file in crate::load::theme::layered_files(config, "fonts")? {
            let extension = file.relative.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if !matches!(extension.as_str(), "ttf" | "otf" | "ttc") {
                continue;
            }
            let before = fonts.len();
            let bytes = file.bytes()?;
            std::hash::Hash::hash(&(&file.relative, &bytes), &mut hasher);
            fonts.extend(Font::iter(Bytes::new(bytes)));
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
