//! The reading pass: walks the tokens once, tries the rules in the §12 order at each token and
//! writes either the spoken replacement or the source text.

use super::lexicon::{self, CA_PLACES, ROMAN_CARDINAL_AFTER};
use super::numbers::roman;
use super::tokens::{Kind, Out, Tok, is_letter, tokenize};
use super::{Settings, VietnameseReader};

/// One `read` call.
pub(crate) struct Run<'a> {
    pub reader: &'a VietnameseReader,
    pub st: &'a Settings,
    pub text: &'a str,
    pub toks: Vec<Tok>,
    pub out: Out,
    /// Token index just after the last phone number, for `111, 113 hoặc 114` (§5.4).
    pub last_phone_end: Option<usize>,
    /// A word starts with a combining mark: the output needs an NFC check.
    pub loose_mark: bool,
}

impl<'a> Run<'a> {
    pub fn new(reader: &'a VietnameseReader, text: &'a str) -> Run<'a> {
        let (toks, loose_mark) = tokenize(text);
        Run {
            reader,
            st: &reader.settings,
            text,
            toks,
            out: Out::default(),
            last_phone_end: None,
            loose_mark,
        }
    }

    /// The spoken text, and whether it may need NFC normalisation.
    pub fn read(mut self) -> (String, bool) {
        let mut i = 0;
        while i < self.toks.len() {
            let next = match self.toks[i].kind {
                Kind::Num => Some(self.at_number(i)),
                Kind::Word => self.at_word(i),
                Kind::Punct => self.at_punct(i),
                Kind::Url => {
                    let url = self.t(i);
                    self.out.url(url);
                    Some(i + 1)
                }
                Kind::Space | Kind::Newline => None,
            };
            match next {
                Some(end) => i = end.max(i + 1),
                None => {
                    let text = self.t(i);
                    self.out.source(text);
                    i += 1;
                }
            }
        }
        (self.out.finish(), self.loose_mark)
    }

    // ---- token helpers ----

    /// Text of token `i` (empty past the end).
    pub fn t(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Num)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    pub fn is_space(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Space)
    }

    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.t(i).starts_with(c)
    }

    /// One ordinary, no-break or thin space.
    pub fn is_single_space(&self, i: usize) -> bool {
        self.is_space(i) && matches!(self.t(i), " " | "\u{a0}" | "\u{202f}")
    }

    /// Token `i` is exactly the word `w`.
    pub fn word_is(&self, i: usize, w: &str) -> bool {
        self.is_word(i) && self.t(i) == w
    }

    /// Lowercase text of token `i`.
    pub fn lc(&self, i: usize) -> String {
        self.t(i).to_lowercase()
    }

    /// The word just before token `i` (adjacent or across one whitespace run).
    pub fn prev_word(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        let j = if self.is_space(j) { j.checked_sub(1)? } else { j };
        self.is_word(j).then_some(j)
    }

    /// Lowercase word just before token `i`, or "".
    pub fn prev_lc(&self, i: usize) -> String {
        self.prev_word(i).map(|j| self.lc(j)).unwrap_or_default()
    }

    /// The word just after token `i` (adjacent or across one whitespace run).
    pub fn next_word(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        let j = if self.is_space(j) { j + 1 } else { j };
        self.is_word(j).then_some(j)
    }

    /// Character just before token `i` in the source.
    pub fn char_before(&self, i: usize) -> Option<char> {
        let start = self.toks.get(i)?.start;
        self.text[..start].chars().next_back()
    }

    /// Whether only whitespace lies between the start of the line and token `i`.
    fn at_line_start(&self, i: usize) -> bool {
        self.toks[..i]
            .iter()
            .rev()
            .take_while(|t| t.kind != Kind::Newline)
            .all(|t| t.kind == Kind::Space)
    }

    // ---- words ----

    /// Abbreviations (§10), then Roman numerals (§8).
    fn at_word(&mut self, i: usize) -> Option<usize> {
        if let Some((end, expansion)) = self.abbreviation(i) {
            self.out.replaced(&expansion, false);
            return Some(end);
        }
        let word = self.t(i);
        if word == "CA" && self.ca_before_place(i) {
            self.out.replaced("Công an", false);
            return Some(i + 1);
        }
        if word == "ĐT" && self.phone_follows(i) {
            self.out.replaced("điện thoại", false);
            return Some(i + 1);
        }
        if let Some(end) = self.comrade_or_address(i) {
            return Some(end);
        }
        if let Some((end, words)) = self.place_prefix(i) {
            self.out.replaced(words, false);
            return Some(end);
        }
        if let Some(end) = self.roman_numeral(i) {
            return Some(end);
        }
        self.unexpanded_prefix(i)
    }

    /// `H.`, `P.`… before anything but a place name: kept, and its dot ends no sentence, so
    /// what follows is not capitalised into a place name when the output is read again.
    fn unexpanded_prefix(&mut self, i: usize) -> Option<usize> {
        if !self.is_punct(i + 1, '.') || lexicon::place_prefix(self.t(i)).is_none() {
            return None;
        }
        let text = self.text;
        self.out.abbreviation(&text[self.toks[i].start..self.toks[i + 1].end]);
        Some(i + 2)
    }

    /// `Đ/c`, `đ/c` (§10): *địa chỉ* before a colon, a digit or a lower-case word, else
    /// *đồng chí* (before a capitalised name, and where nothing tells, its usual meaning).
    fn comrade_or_address(&mut self, i: usize) -> Option<usize> {
        if !self.is_punct(i + 1, '/')
            || !matches!(self.t(i), "Đ" | "đ")
            || !self.word_is(i + 2, "c")
        {
            return None;
        }
        let end = i + 3;
        let next = if self.is_space(end) { end + 1 } else { end };
        let lower = self.t(next).chars().next().is_some_and(char::is_lowercase);
        let address = match self.kind(next) {
            Some(Kind::Punct) => self.is_punct(next, ':'),
            Some(Kind::Num) => next > end,
            Some(Kind::Word) => next > end && lower,
            _ => false,
        };
        self.out.replaced(if address { "địa chỉ" } else { "đồng chí" }, false);
        Some(end)
    }

    /// `H.`, `X.`, `TX.`, `TT.`, `Q.`, `P.` before a capitalised place name (§10): (end, words).
    /// At the start of a line `X.` stays an outline heading (§8).
    pub fn place_prefix(&self, i: usize) -> Option<(usize, &'static str)> {
        if !self.is_punct(i + 1, '.') {
            return None;
        }
        let words = lexicon::place_prefix(self.t(i))?;
        if self.t(i) == "X" && self.at_line_start(i) {
            return None;
        }
        let name = if self.is_single_space(i + 2) { i + 3 } else { i + 2 };
        let capitalised = self.t(name).chars().next().is_some_and(char::is_uppercase);
        (self.is_word(name) && capitalised).then_some((i + 2, words))
    }

    /// A table abbreviation starting at word `i`: (end token, expansion).
    pub fn abbreviation(&self, i: usize) -> Option<(usize, String)> {
        let rows = self.reader.abbreviations.get(self.t(i))?;
        if self.char_before(i).is_some_and(is_letter) {
            return None;
        }
        let start = self.toks[i].start;
        let rest = &self.text[start..];
        for row in rows {
            if !rest.starts_with(row.token.as_str()) {
                continue;
            }
            let end_byte = start + row.token.len();
            let ends_with_dot = row.token.ends_with('.');
            if !ends_with_dot && self.text[end_byte..].chars().next().is_some_and(is_letter) {
                continue;
            }
            let mut end = i;
            while end < self.toks.len() && self.toks[end].start < end_byte {
                end += 1;
            }
            if self.toks.get(end).map_or(self.text.len(), |t| t.start) != end_byte {
                continue;
            }
            return Some((end, row.expansion.clone()));
        }
        None
    }

    /// `CA` before *tỉnh, huyện, xã, thị xã, thành phố, phường, thị trấn* (also when those
    /// are written as an abbreviation such as `TP.`).
    fn ca_before_place(&self, i: usize) -> bool {
        let Some(j) = self.next_word(i) else { return false };
        let expansion = self
            .abbreviation(j)
            .map(|(_, expansion)| expansion)
            .or_else(|| self.place_prefix(j).map(|(_, words)| words.to_owned()));
        let following = match expansion {
            Some(expansion) => expansion.to_lowercase(),
            None => {
                let mut words = self.lc(j);
                if let Some(k) = self.next_word(j) {
                    words.push(' ');
                    words.push_str(&self.lc(k));
                }
                words
            }
        };
        CA_PLACES.iter().any(|place| {
            following
                .strip_prefix(place)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    }

    /// A Roman numeral in one of the §8 contexts.
    fn roman_numeral(&mut self, i: usize) -> Option<usize> {
        let word = self.t(i);
        let value = roman(word)?;
        let digits = value.to_string();
        let mut text = String::new();
        let prev = self.prev_lc(i);
        let before_prev = self.prev_word(i).map(|j| self.prev_lc(j)).unwrap_or_default();
        if prev == "thứ" {
            self.st.push_ordinal(&digits, &mut text);
        } else if ROMAN_CARDINAL_AFTER
            .iter()
            .any(|(last, first)| prev == *last && (first.is_empty() || before_prev == *first))
        {
            self.st.push_cardinal(&digits, &mut text);
        } else if self.at_line_start(i)
            && (self.is_punct(i + 1, '.') || self.is_punct(i + 1, ')'))
            && word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
        {
            // Outline heading; I, V and X only, so that `C.` or `D.` in A/B/C/D outlines stay.
            self.st.push_cardinal(&digits, &mut text);
        } else {
            return None;
        }
        // `Quý IV/2024` → *quý bốn năm hai nghìn…*
        let mut end = i + 1;
        if prev == "quý"
            && self.is_punct(end, '/')
            && self.is_num(end + 1)
            && self.t(end + 1).len() == 4
        {
            super::numbers::push_word(&mut text, "năm");
            self.st.push_cardinal(self.t(end + 1), &mut text);
            end += 2;
        }
        self.out.replaced(&text, false);
        Some(end)
    }

    // ---- symbols ----

    fn at_punct(&mut self, i: usize) -> Option<usize> {
        let c = self.t(i).chars().next()?;
        match c {
            '&' => {
                self.out.replaced("và", true);
                Some(i + 1)
            }
            '+' => {
                if !self.char_before(i).is_some_and(char::is_alphanumeric)
                    && self.is_num(i + 1)
                    && self.t(i + 1).starts_with("84")
                    && let Some(end) = self.phone(i)
                {
                    return Some(end);
                }
                self.between_numbers(i, "cộng")
            }
            '=' => self.between_numbers(i, "bằng"),
            '-' | '−' => {
                let start_of_word =
                    !self.char_before(i).is_some_and(|p| p.is_alphanumeric() || "-–—−".contains(p));
                if start_of_word && self.is_num(i + 1) {
                    self.out.replaced("âm", false);
                    return Some(i + 1);
                }
                None
            }
            '/' => self.slash(i),
            _ => None,
        }
    }

    /// `+` or `=` between two numbers.
    fn between_numbers(&mut self, i: usize, word: &str) -> Option<usize> {
        let before =
            if self.is_space(i.wrapping_sub(1)) { i.wrapping_sub(2) } else { i.wrapping_sub(1) };
        let after = if self.is_space(i + 1) { i + 2 } else { i + 1 };
        if i > 0 && self.is_num(before) && self.is_num(after) {
            self.out.replaced(word, false);
            return Some(i + 1);
        }
        None
    }

    /// `/` after a number: *trên* before another number, *một* before a noun (a rate, §11).
    fn slash(&mut self, i: usize) -> Option<usize> {
        if i == 0 {
            return None;
        }
        let next_is_noun =
            self.is_word(i + 1) && self.t(i + 1).chars().next().is_some_and(char::is_lowercase);
        if self.is_num(i - 1) && self.is_num(i + 1) {
            self.out.replaced("trên", false);
            return Some(i + 1);
        }
        if self.is_num(i - 1) && next_is_noun {
            self.out.replaced("một", false);
            return Some(i + 1);
        }
        // `5 lần/ngày`, `2 triệu đồng/tháng`: a counted noun before the slash.
        if self.is_word(i - 1) && next_is_noun {
            let mut j = i - 1;
            for _ in 0..3 {
                if j < 2 || !self.is_single_space(j - 1) {
                    return None;
                }
                if self.is_num(j - 2) {
                    self.out.replaced("một", false);
                    return Some(i + 1);
                }
                if !(self.is_word(j - 2) && lexicon::MULTIPLIERS.contains(&self.t(j - 2))) {
                    return None;
                }
                j -= 2;
            }
        }
        None
    }

    /// Appends `text` as the replacement of tokens up to `end`.
    pub fn emit(&mut self, text: &str, end: usize) -> usize {
        self.out.replaced(text, false);
        end
    }
}
