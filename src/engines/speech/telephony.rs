//! Phone numbers and hotlines (§5) and official document numbers (§9).

use super::engine::Run;
use super::lexicon::{self, letter_name};
use super::numbers::{push_digits, push_word};
use super::{DocCode, VietnameseReader};
use crate::engines::speech::tokens::Kind;

/// Words allowed between a phone cue and the number (§5.4), besides a colon and `miễn phí`.
const FILLERS: &[&str] = &["số", "ngay", "đến", "tới", "là"];

/// Splits an unspaced phone number into the groups of §5.
fn split_unspaced(digits: &str) -> Vec<&str> {
    let sizes: &[usize] = match digits.len() {
        0..=6 => &[],
        7 => &[3],
        8 => &[4],
        9 => &[3, 6],
        10 => &[4, 7],
        11 => &[4, 8],
        12 => &[4, 8],
        _ => &[],
    };
    if sizes.is_empty() && digits.len() > 12 {
        let cuts: Vec<usize> = (4..digits.len()).step_by(4).collect();
        return cut(digits, &cuts);
    }
    cut(digits, sizes)
}

fn cut<'s>(digits: &'s str, cuts: &[usize]) -> Vec<&'s str> {
    let mut parts = Vec::new();
    let mut from = 0;
    for &c in cuts {
        parts.push(&digits[from..c]);
        from = c;
    }
    parts.push(&digits[from..]);
    parts
}

/// Spoken groups joined by pauses; a single group is split by the §5 rules; `plus`: `+84 …`.
fn phone_text(groups: &[&str], plus: bool) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut text = String::new();
    let mut groups = groups;
    if plus {
        text.push_str("cộng");
        if let Some((first, rest)) = groups.split_first() {
            let code = if first.starts_with("84") { 2 } else { first.len().min(3) };
            let mut cc = String::new();
            push_digits(&first[..code], &mut cc);
            push_word(&mut text, &cc);
            let remainder = &first[code..];
            if !remainder.is_empty() {
                if rest.is_empty() {
                    parts.extend(split_unspaced(remainder));
                } else {
                    parts.push(remainder);
                }
            }
            groups = rest;
        }
    }
    if groups.len() == 1 && parts.is_empty() {
        parts.extend(split_unspaced(groups[0]));
    } else {
        parts.extend(groups.iter().copied());
    }
    for part in parts {
        if !text.is_empty() {
            text.push_str(", ");
        }
        let mut spoken = String::new();
        push_digits(part, &mut spoken);
        text.push_str(&spoken);
    }
    text
}

/// `VietnameseReader::read_phone`.
pub(crate) fn read_phone(number: &str) -> String {
    let number = number.trim();
    let groups: Vec<String> = number
        .split(|c: char| c.is_whitespace() || c == '.' || c == '-')
        .map(|g| g.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|g| !g.is_empty())
        .collect();
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    phone_text(&groups, number.starts_with('+'))
}

impl VietnameseReader {
    /// The expansion of a table abbreviation given exactly.
    fn abbreviation_exact(&self, token: &str) -> Option<&str> {
        let head: String = token.chars().take_while(|c| super::tokens::is_letter(*c)).collect();
        let rows = self.abbreviations.get(&head)?;
        rows.iter().find(|r| r.token == token).map(|r| r.expansion.as_str())
    }
}

impl Run<'_> {
    /// Digit groups from Num token `i`, joined by one space, dot or hyphen (at most 12 digits).
    fn digit_groups(&self, i: usize) -> Vec<usize> {
        let mut groups = vec![i];
        let mut total = self.t(i).len();
        let mut j = i + 1;
        while groups.len() < 6 {
            let separator =
                self.is_single_space(j) || self.is_punct(j, '.') || self.is_punct(j, '-');
            if !(separator && self.is_num(j + 1) && total + self.t(j + 1).len() <= 12) {
                break;
            }
            total += self.t(j + 1).len();
            groups.push(j + 1);
            j += 2;
        }
        groups
    }

    /// The groups of a phone number starting at Num token `i` (§5.1, 5.2, and 5.4 when `cue`).
    fn phone_shape(&self, i: usize, cue: bool) -> Option<Vec<usize>> {
        let first = self.t(i);
        let groups = self.digit_groups(i);
        let total = |k: usize| groups[..k].iter().map(|&g| self.t(g).len()).sum::<usize>();
        let longest = |ok: &dyn Fn(usize) -> bool| (1..=groups.len()).rev().find(|&k| ok(total(k)));
        if (first.starts_with("1800") || first.starts_with("1900"))
            && let Some(k) = longest(&|n| n == 8 || n == 10)
        {
            return Some(groups[..k].to_vec());
        }
        if first.starts_with('0')
            && let Some(k) = longest(&|n| n == 10 || n == 11)
        {
            return Some(groups[..k].to_vec());
        }
        (cue && (3..=6).contains(&first.len())).then(|| vec![i])
    }

    /// A phone number at token `i` (a number, or `+` before `84…`); emits it.
    pub fn phone(&mut self, i: usize) -> Option<usize> {
        let (groups, plus) = if self.is_punct(i, '+') {
            let groups = self.digit_groups(i + 1);
            let total: usize = groups.iter().map(|&g| self.t(g).len()).sum();
            if !(9..=12).contains(&total) {
                return None;
            }
            (groups, true)
        } else {
            let cue = self.cue_before(i) || self.joined_to_phone(i) || self.hotline_after_so(i);
            (self.phone_shape(i, cue)?, false)
        };
        let end = groups.last().copied()? + 1;
        let strs: Vec<&str> = groups.iter().map(|&g| self.t(g)).collect();
        let text = phone_text(&strs, plus);
        self.last_phone_end = Some(end);
        Some(self.emit(&text, end))
    }

    /// Whether a phone number follows token `i` (for `ĐT`), across spaces, a colon and fillers.
    pub fn phone_follows(&self, i: usize) -> bool {
        let mut j = i + 1;
        for _ in 0..8 {
            match self.kind(j) {
                Some(Kind::Space) => j += 1,
                Some(Kind::Punct) if self.is_punct(j, ':') => j += 1,
                Some(Kind::Word) if FILLERS.contains(&self.lc(j).as_str()) => j += 1,
                Some(Kind::Num) => return self.phone_shape(j, true).is_some(),
                Some(Kind::Punct) if self.is_punct(j, '+') => {
                    return self.is_num(j + 1) && self.t(j + 1).starts_with("84");
                }
                _ => return false,
            }
        }
        false
    }

    /// A phone cue before token `i`, possibly across fillers and a colon (§5.4).
    fn cue_before(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..8 {
            let Some(mut k) = j.checked_sub(1) else { return false };
            if self.is_space(k) {
                let Some(before) = k.checked_sub(1) else { return false };
                k = before;
            }
            if self.is_punct(k, ':') {
                j = k;
                continue;
            }
            if !self.is_word(k) {
                return false;
            }
            let word = self.lc(k);
            let prev = self.prev_lc(k);
            let cue = match word.as_str() {
                "gọi" => prev != "kêu",
                "hotline" | "sđt" | "đt" => true,
                "điện" => prev == "gọi",
                "thoại" => prev == "điện",
                "đài" => prev == "tổng",
                "dây" => prev == "đường",
                "bấm" | "nhắn" => true,
                "số" => matches!(prev.as_str(), "quay" | "lưu" | "nhớ"),
                "nóng" => {
                    prev == "dây" && self.prev_word(k).is_some_and(|d| self.prev_lc(d) == "đường")
                }
                "hệ" => prev == "liên",
                "tin" => prev == "nhắn",
                "máy" => prev == "số",
                _ => false,
            };
            if cue {
                return true;
            }
            if FILLERS.contains(&word.as_str()) {
                j = k;
            } else if word == "phí" && prev == "miễn" {
                j = self.prev_word(k).unwrap_or(k);
            } else {
                return false;
            }
        }
        false
    }

    /// A hotline of the site, or 111 to 115, right after the word *số* (§5.5): not after
    /// *tổng số*, *dân số* or a document's name, nor with a decimal, group, slash, `%` or
    /// multiplier after it (those are quantities or document numbers).
    fn hotline_after_so(&self, i: usize) -> bool {
        let number = self.t(i);
        let known = matches!(number, "111" | "112" | "113" | "114" | "115")
            || self.reader.hotlines.iter().any(|h| h == number);
        if !known {
            return false;
        }
        let Some(so) = self.prev_word(i).filter(|&k| self.lc(k) == "số") else { return false };
        let before = self.prev_lc(so);
        let named = self.prev_word(so).map(|k| format!("{} {before}", self.prev_lc(k)));
        if matches!(before.as_str(), "tổng" | "dân")
            || named.is_some_and(|name| lexicon::DOC_TYPES.contains(&name.as_str()))
        {
            return false;
        }
        let next = self.t(i + 1);
        let joined = (next == "." || next == ",") && self.is_num(i + 2);
        let multiplier = self.is_single_space(i + 1)
            && self.is_word(i + 2)
            && lexicon::MULTIPLIERS.contains(&self.t(i + 2));
        !(joined || next == "/" || next == "%" || multiplier)
    }

    /// Token `i` follows a phone number across `,`, *hoặc*, *hay* or *và* (§5.4).
    fn joined_to_phone(&self, i: usize) -> bool {
        let Some(end) = self.last_phone_end else { return false };
        if end >= i || i - end > 4 {
            return false;
        }
        let mut connectors = 0;
        for j in end..i {
            match self.kind(j) {
                Some(Kind::Space) => {}
                Some(Kind::Punct) if self.is_punct(j, ',') => connectors += 1,
                Some(Kind::Word) if matches!(self.lc(j).as_str(), "hoặc" | "hay" | "và") => {
                    connectors += 1
                }
                _ => return false,
            }
        }
        connectors >= 1
    }

    /// A code word of a document number (`KH`, `TTg`, `LĐTB&XH`): (end token, text).
    fn code_word(&self, j: usize) -> Option<(usize, &str)> {
        if !self.is_word(j) || !self.t(j).chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        let mut end = j + 1;
        while self.is_punct(end, '&') && self.is_word(end + 1) {
            end += 2;
        }
        Some((end, &self.text[self.toks[j].start..self.toks[end - 1].end]))
    }

    /// Code words joined by hyphens: (end token, codes).
    fn code_chain(&self, j: usize) -> Option<(usize, Vec<&str>)> {
        let (mut end, first) = self.code_word(j)?;
        let mut codes = vec![first];
        while self.is_punct(end, '-')
            && let Some((next_end, code)) = self.code_word(end + 1)
        {
            codes.push(code);
            end = next_end;
        }
        Some((end, codes))
    }

    /// A document number at Num token `i` (§9); emits it.
    pub fn document(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        let mut year = None;
        if self.is_punct(j, '/')
            && self.is_num(j + 1)
            && self.t(j + 1).len() == 4
            && self.is_punct(j + 2, '/')
            && self.code_word(j + 3).is_some()
        {
            year = Some(self.t(j + 1));
            j += 2;
        }
        let (end, codes, issuers_from) = if self.is_punct(j, '/')
            && let Some((end, codes)) = self.code_chain(j + 1)
        {
            // `<number>[/<year>]/<TYPE>-<ISSUER>`; a lone all-caps code counts as the issuer.
            let lone = codes.len() == 1
                && codes[0].chars().count() >= 2
                && codes[0].chars().all(|c| c.is_uppercase() || c == '&');
            if codes.len() < 2 && !lone {
                return None;
            }
            (end, codes.clone(), usize::from(codes.len() >= 2))
        } else if year.is_none()
            && self.is_punct(i + 1, '-')
            && let Some((type_end, kind)) = self.code_word(i + 2)
            && self.is_punct(type_end, '/')
            && let Some((end, issuers)) = self.code_chain(type_end + 1)
        {
            // Party documents: `<number>-<TYPE>/<ISSUER>`.
            let mut codes = vec![kind];
            codes.extend(issuers);
            (end, codes, 1)
        } else {
            return None;
        };
        let mut text = String::new();
        self.st.push_number(self.t(i), &mut text);
        if let Some(year) = year {
            push_word(&mut text, "năm");
            self.st.push_cardinal(year, &mut text);
        }
        match self.st.doc_code {
            DocCode::Drop => {}
            DocCode::Issuer => {
                if let Some(issuer) = self.issuer(&codes[issuers_from..])
                    && !self.names_issuer(end, &codes[issuers_from..], &issuer)
                {
                    push_word(&mut text, "của");
                    push_word(&mut text, &issuer);
                }
            }
            DocCode::Spell => {
                for code in &codes {
                    text.push(',');
                    for c in code.chars() {
                        match letter_name(c) {
                            Some(name) => push_word(&mut text, name),
                            None if c == '&' => push_word(&mut text, "và"),
                            None => {}
                        }
                    }
                }
            }
        }
        Some(self.emit(&text, end))
    }

    /// The issuers in words, or `None` when one of them is unknown.
    fn issuer(&self, codes: &[&str]) -> Option<String> {
        let names: Vec<&str> = codes
            .iter()
            .map(|c| lexicon::doc_code(c).or_else(|| self.reader.abbreviation_exact(c)))
            .collect::<Option<_>>()?;
        let (last, rest) = names.split_last()?;
        let mut text = rest.join(", ");
        if !rest.is_empty() {
            text.push_str(" và ");
        }
        text.push_str(last);
        Some(text)
    }

    /// Whether the words after token `end` already name the issuer (`… của UBND tỉnh`).
    fn names_issuer(&self, end: usize, codes: &[&str], issuer: &str) -> bool {
        let rest = self.toks.get(end).map_or("", |t| &self.text[t.start..]);
        let rest: String = rest.chars().take_while(|&c| c != '\n').take(120).collect();
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',').to_lowercase();
        let rest = rest.strip_prefix("của").map_or(rest.as_str(), str::trim_start);
        rest.starts_with(&issuer.to_lowercase())
            || codes.first().is_some_and(|c| rest.starts_with(&c.to_lowercase()))
    }
}
