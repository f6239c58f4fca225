//! Tokeniser (one pass over the input) and the output writer that spaces replaced words,
//! capitalises them at sentence starts and turns `/` between two words into *hoặc*.

use unicode_normalization::char::is_combining_mark;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (and combining marks).
    Word,
    /// ASCII digits.
    Num,
    /// Whitespace other than `\n`.
    Space,
    /// `\n`.
    Newline,
    /// Any other single character.
    Punct,
    /// A URL (`http://`, `https://`, `www.` up to the next whitespace), kept verbatim.
    Url,
}

/// A token: its kind and byte range in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Whether `c` belongs to a word.
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    // Vietnamese letters first: Latin-1 and Extended-A/B, and Latin Extended Additional.
    matches!(c, '\u{c0}'..='\u{24f}' | '\u{1ea0}'..='\u{1ef9}') && c != '\u{d7}' && c != '\u{f7}'
        || c.is_alphabetic()
        || is_combining_mark(c)
}

fn is_url_start(rest: &str) -> bool {
    rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.")
}

/// Splits `text` into tokens covering it completely; the flag tells whether a word starts with
/// a combining mark (which may compose with a replacement before it, so NFC must be redone).
pub(crate) fn tokenize(text: &str) -> (Vec<Tok>, bool) {
    let mut loose_mark = false;
    let mut toks = Vec::with_capacity(text.len() / 3 + 1);
    let mut pos = 0;
    let mut prev: Option<char> = None;
    while let Some(c) = text[pos..].chars().next() {
        let start = pos;
        let run = |pos: usize, f: &dyn Fn(char) -> bool| -> usize {
            text[pos..].char_indices().find(|&(_, c)| !f(c)).map_or(text.len(), |(k, _)| pos + k)
        };
        let (kind, end) = if c == '\n' {
            (Kind::Newline, pos + 1)
        } else if (c == 'h' || c == 'w')
            && prev.is_none_or(|p| !p.is_alphanumeric())
            && is_url_start(&text[pos..])
        {
            (Kind::Url, run(pos, &|c| !c.is_whitespace()))
        } else if c.is_ascii_digit() {
            (Kind::Num, run(pos, &|c| c.is_ascii_digit()))
        } else if is_letter(c) {
            loose_mark |= !c.is_alphabetic();
            (Kind::Word, run(pos, &is_letter))
        } else if c.is_whitespace() {
            (Kind::Space, run(pos, &|c| c.is_whitespace() && c != '\n'))
        } else {
            (Kind::Punct, pos + c.len_utf8())
        };
        toks.push(Tok { kind, start, end });
        prev = text[..end].chars().next_back();
        pos = end;
    }
    (toks, loose_mark)
}

/// The spoken text being written.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub s: String,
    last_replaced: bool,
    pad_next: bool,
    /// Byte ranges of URLs in `s`, which the `/` pass leaves alone.
    urls: Vec<(usize, usize)>,
    /// Byte index of the dot of the last abbreviation kept as written.
    abbreviation_dot: Option<usize>,
}

impl Out {
    fn last_char(&self) -> Option<char> {
        self.s.chars().next_back()
    }

    /// Whether the next replaced word starts a sentence (§1.3).
    fn at_sentence_start(&self) -> bool {
        let mut spaced = false;
        for (k, c) in self.s.char_indices().rev() {
            if c == '\n' {
                return true;
            }
            if c.is_whitespace() {
                spaced = true;
                continue;
            }
            return spaced && matches!(c, '.' | '!' | '?') && self.abbreviation_dot != Some(k);
        }
        true
    }

    /// Source text, unchanged.
    pub fn source(&mut self, text: &str) {
        let Some(first) = text.chars().next() else { return };
        let last = self.last_char();
        if self.pad_next {
            if !first.is_whitespace() && last.is_some_and(|c| !c.is_whitespace()) {
                self.s.push(' ');
            }
        } else if self.last_replaced
            && first.is_alphanumeric()
            && last.is_some_and(char::is_alphanumeric)
        {
            self.s.push(' ');
        }
        self.pad_next = false;
        self.last_replaced = false;
        self.s.push_str(text);
    }

    /// A URL, unchanged and protected from the `/` pass.
    pub fn url(&mut self, text: &str) {
        self.source(text);
        self.urls.push((self.s.len() - text.len(), self.s.len()));
    }

    /// An abbreviation kept as written whose final dot ends no sentence (§1.3).
    pub fn abbreviation(&mut self, text: &str) {
        self.source(text);
        self.abbreviation_dot = text.ends_with('.').then(|| self.s.len() - 1);
    }

    /// Spoken words replacing a token; `pad`: always one space on each side (`&` → *và*).
    pub fn replaced(&mut self, text: &str, pad: bool) {
        if text.is_empty() {
            return;
        }
        let capital = self.at_sentence_start();
        if let Some(last) = self.last_char() {
            let space =
                if pad || self.pad_next { !last.is_whitespace() } else { last.is_alphanumeric() };
            if space {
                self.s.push(' ');
            }
        }
        if capital {
            let mut chars = text.chars();
            if let Some(first) = chars.next() {
                self.s.extend(first.to_uppercase());
                self.s.push_str(chars.as_str());
            }
        } else {
            self.s.push_str(text);
        }
        self.last_replaced = true;
        self.pad_next = pad;
    }

    /// The finished text, with `/` between two words read *hoặc* (§11).
    pub fn finish(self) -> String {
        if !self.s.contains('/') {
            return self.s;
        }
        let src = self.s;
        let mut out = String::with_capacity(src.len() + 16);
        let mut urls = self.urls.iter().peekable();
        for (k, c) in src.char_indices() {
            while urls.peek().is_some_and(|&&(_, e)| e <= k) {
                urls.next();
            }
            let in_url = urls.peek().is_some_and(|&&(s, e)| s <= k && k < e);
            if c != '/' || in_url {
                out.push(c);
                continue;
            }
            let after = &src[k + 1..];
            let next = after.chars().next();
            let last = out.chars().next_back();
            if last.is_some_and(is_letter) && next.is_some_and(is_letter) {
                out.push_str(" hoặc ");
            } else if last == Some(' ')
                && out[..out.len() - 1].chars().next_back().is_some_and(is_letter)
                && next == Some(' ')
                && after[1..].chars().next().is_some_and(is_letter)
            {
                out.push_str("hoặc");
            } else {
                out.push(c);
            }
        }
        out
    }
}
