//! Numbers in context: times (§7), dates (§6), ordinals and months (§6, §8), ranges (§7),
//! quantities with a unit, currency or `%` (§11), decimals and cardinals (§3, §4).

use super::engine::Run;
use super::lexicon::{self, MULTIPLIERS};
use super::numbers::{push_month, push_word, value};

/// How a plain number after a keyword is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Cardinal,
    /// After *thứ*.
    Ordinal,
    /// After *tháng*.
    Month,
}

/// A reading of tokens `..end`.
struct Item {
    end: usize,
    text: String,
    /// Written as bare digits (no grouping, decimals or unit).
    plain: bool,
}

/// Words before a date that make *ngày* redundant.
fn is_day_word(word: &str) -> bool {
    matches!(word, "ngày" | "mùng" | "mồng")
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

impl Run<'_> {
    /// Reads the number at token `i` and what belongs to it; returns the next token.
    pub fn at_number(&mut self, i: usize) -> usize {
        if let Some(end) = self.document(i) {
            return end;
        }
        if let Some(end) = self.phone(i) {
            return end;
        }
        if let Some(end) = self.time_or_range(i) {
            return end;
        }
        if let Some(end) = self.day_range(i) {
            return end;
        }
        if let Some(end) = self.hyphenated_date_range(i) {
            return end;
        }
        if let Some(end) = self.fraction(i, true) {
            return end;
        }
        if let Some(end) = self.date_or_range(i) {
            return end;
        }
        if let Some(end) = self.all_the_time(i) {
            return end;
        }
        if let Some(end) = self.fraction(i, false) {
            return end;
        }
        self.number_or_range(i)
    }

    /// Num token `k` with at most two digits and a value in `1..=max`.
    fn small(&self, k: usize, max: u64) -> bool {
        self.is_num(k) && self.t(k).len() <= 2 && (1..=max).contains(&value(self.t(k)))
    }

    /// Num token `k` with exactly `n` digits.
    fn num_len(&self, k: usize, n: usize) -> bool {
        self.is_num(k) && self.t(k).len() == n
    }

    /// `/` and more digits at token `k`.
    fn continues(&self, k: usize) -> bool {
        self.is_punct(k, '/') && self.is_num(k + 1)
    }

    /// The token after a range dash at `j` (`-`, `–`, `—`, spaced on both sides or not at all).
    fn dash_after(&self, j: usize) -> Option<usize> {
        let dash =
            |k: usize| self.kind(k).is_some() && self.t(k).chars().next().is_some_and(is_dash);
        if self.kind(j) == Some(super::tokens::Kind::Punct) && dash(j) {
            return self.is_num(j + 1).then_some(j + 1);
        }
        if self.is_space(j)
            && self.kind(j + 1) == Some(super::tokens::Kind::Punct)
            && dash(j + 1)
            && self.is_space(j + 2)
        {
            return self.is_num(j + 3).then_some(j + 3);
        }
        None
    }

    // ---- times ----

    /// `HhMM`, `H:MM`, `HgMM`, `Hh` (§7).
    fn time_item(&self, i: usize) -> Option<Item> {
        let hour = self.t(i);
        if !self.is_num(i) || hour.len() > 2 || value(hour) > 24 {
            return None;
        }
        let minutes = |k: usize| self.num_len(k, 2) && value(self.t(k)) <= 59;
        let j = i + 1;
        let (mut end, minute) = if (self.word_is(j, "h") || self.word_is(j, "g")) && minutes(j + 1)
        {
            (j + 2, Some(self.t(j + 1)))
        } else if self.word_is(j, "h") && !self.is_num(j + 1) {
            (j + 1, None)
        } else if self.is_punct(j, ':')
            && minutes(j + 1)
            && !(self.is_punct(j + 2, ':') && self.is_num(j + 3))
        {
            (j + 2, Some(self.t(j + 1)))
        } else {
            return None;
        };
        if minute.is_some() && (self.word_is(end, "p") || self.word_is(end, "ph")) {
            end += 1;
        }
        let mut text = String::new();
        self.st.push_cardinal(hour, &mut text);
        push_word(&mut text, "giờ");
        if let Some(m) = minute.filter(|m| *m != "00") {
            self.st.push_cardinal(m, &mut text);
            push_word(&mut text, "phút");
        }
        Some(Item { end, text, plain: false })
    }

    fn time_or_range(&mut self, i: usize) -> Option<usize> {
        let mut a = self.time_item(i)?;
        if let Some(k) = self.dash_after(a.end)
            && let Some(b) = self.time_item(k)
        {
            push_word(&mut a.text, "đến");
            push_word(&mut a.text, &b.text);
            a.end = b.end;
        }
        Some(self.emit(&a.text, a.end))
    }

    // ---- dates ----

    fn push_day(&self, day: &str, with_word: bool, text: &mut String) {
        if with_word {
            push_word(text, "ngày");
        }
        self.st.push_cardinal(day, text);
    }

    fn push_month_year(&self, month: &str, year: Option<&str>, with_word: bool, text: &mut String) {
        if with_word {
            push_word(text, "tháng");
        }
        push_month(value(month), text);
        if let Some(year) = year {
            push_word(text, "năm");
            self.st.push_cardinal(year, text);
        }
    }

    /// `D1-D2/M[/YYYY]` → *ngày D1 đến ngày D2 tháng M [năm YYYY]* (§7).
    fn day_range(&mut self, i: usize) -> Option<usize> {
        if !self.small(i, 31) {
            return None;
        }
        let k = self.dash_after(i + 1)?;
        if !(self.small(k, 31) && self.is_punct(k + 1, '/') && self.small(k + 2, 12)) {
            return None;
        }
        let (year, end) = if self.is_punct(k + 3, '/') && self.num_len(k + 4, 4) {
            (Some(self.t(k + 4)), k + 5)
        } else if self.continues(k + 3) {
            return None;
        } else {
            (None, k + 3)
        };
        let mut text = String::new();
        self.push_day(self.t(i), !is_day_word(&self.prev_lc(i)), &mut text);
        push_word(&mut text, "đến");
        self.push_day(self.t(k), true, &mut text);
        self.push_month_year(self.t(k + 2), year, true, &mut text);
        Some(self.emit(&text, end))
    }

    /// `D/M/YYYY` (also `-` or `.` with the year), `M/YYYY`, `D/M`, and `D-M` after *ngày* (§6);
    /// `named`: a `D/M` names a street or a square, so no *ngày* (§6b).
    fn date_item(&self, i: usize, prev: &str, named: bool) -> Option<Item> {
        let mut text = String::new();
        let insert_day = !is_day_word(prev);
        for sep in ['/', '-', '.'] {
            if self.small(i, 31)
                && self.is_punct(i + 1, sep)
                && self.small(i + 2, 12)
                && self.is_punct(i + 3, sep)
                && self.num_len(i + 4, 4)
                && !self.continues(i + 5)
                && !(self.is_punct(i + 5, sep) && self.is_num(i + 6))
            {
                self.push_day(self.t(i), insert_day, &mut text);
                self.push_month_year(self.t(i + 2), Some(self.t(i + 4)), true, &mut text);
                return Some(Item { end: i + 5, text, plain: false });
            }
        }
        if self.small(i, 12)
            && self.is_punct(i + 1, '/')
            && self.num_len(i + 2, 4)
            && !self.continues(i + 3)
        {
            self.push_month_year(self.t(i), Some(self.t(i + 2)), prev != "tháng", &mut text);
            return Some(Item { end: i + 3, text, plain: false });
        }
        let all_the_time = self.t(i) == "24" && self.t(i + 2) == "7" && insert_day && !named;
        let slash = self.is_punct(i + 1, '/') && !all_the_time;
        let hyphen = self.is_punct(i + 1, '-') && !insert_day;
        if (slash || hyphen)
            && self.small(i, 31)
            && self.small(i + 2, 12)
            && !self.continues(i + 3)
            && !(hyphen && self.is_punct(i + 3, '-') && self.is_num(i + 4))
        {
            self.push_day(self.t(i), insert_day && !(slash && named), &mut text);
            self.push_month_year(self.t(i + 2), None, true, &mut text);
            return Some(Item { end: i + 3, text, plain: false });
        }
        None
    }

    fn date_or_range(&mut self, i: usize) -> Option<usize> {
        let named = self.is_punct(i + 1, '/') && self.after_place_word(i);
        let mut a = self.date_item(i, &self.prev_lc(i), named)?;
        if let Some(k) = self.dash_after(a.end)
            && let Some(b) = self.date_item(k, "đến", false)
        {
            push_word(&mut a.text, "đến");
            push_word(&mut a.text, &b.text);
            a.end = b.end;
        }
        Some(self.emit(&a.text, a.end))
    }

    /// Whether the word before token `i` names a street, square, bridge, school or market
    /// (§6b); compounds such as *môi trường* or *nhu cầu* do not.
    fn after_place_word(&self, i: usize) -> bool {
        let Some(k) = self.prev_word(i) else { return false };
        let word = self.lc(k);
        let before = self.prev_lc(k);
        match word.as_str() {
            "đường" | "phố" | "chợ" | "bến" => true,
            "trường" => !lexicon::NOT_SCHOOLS.contains(&before.as_str()),
            "cầu" => !matches!(before.as_str(), "nhu" | "yêu"),
            "viên" => before == "công",
            "cư" => before == "dân" && self.prev_word(k).is_some_and(|d| self.prev_lc(d) == "khu"),
            _ => false,
        }
    }

    /// `D-M` or `D-M-YYYY` at token `k`, not followed by more of a number: (end, day, month, year).
    fn hyphenated_date(&self, k: usize) -> Option<(usize, &str, &str, Option<&str>)> {
        if !(self.small(k, 31) && self.is_punct(k + 1, '-') && self.small(k + 2, 12)) {
            return None;
        }
        let (year, end) = if self.is_punct(k + 3, '-') && self.num_len(k + 4, 4) {
            (Some(self.t(k + 4)), k + 5)
        } else {
            (None, k + 3)
        };
        let more = |c: char| self.is_punct(end, c) && self.is_num(end + 1);
        let unit = self.is_word(end) || self.is_punct(end, '%');
        (!(more('-') || more('/') || more('.') || unit))
            .then(|| (end, self.t(k), self.t(k + 2), year))
    }

    /// *từ D-M đến D-M*: both are dates (§6c), `Từ 1-7 đến 31-7`.
    fn hyphenated_date_range(&mut self, i: usize) -> Option<usize> {
        let (a_end, day, month, year) = self.hyphenated_date(i)?;
        if self.prev_lc(i) != "từ" {
            return None;
        }
        let to = a_end + 1;
        let spaced_to = self.is_space(a_end) && self.is_word(to) && self.lc(to) == "đến";
        if !(spaced_to && self.is_space(to + 1) && self.is_num(to + 2)) {
            return None;
        }
        let (end, day_b, month_b, year_b) = self.hyphenated_date(to + 2)?;
        let mut text = String::new();
        self.push_day(day, true, &mut text);
        self.push_month_year(month, year, true, &mut text);
        push_word(&mut text, self.t(to));
        self.push_day(day_b, true, &mut text);
        self.push_month_year(month_b, year_b, true, &mut text);
        Some(self.emit(&text, end))
    }

    /// `a/b` as a fraction, *<a> phần <b>* (§6a). `cued`: only after a quantity cue or before
    /// *số*/*dân số* (tried before dates); else only when it cannot be a date (after them).
    fn fraction(&mut self, i: usize, cued: bool) -> Option<usize> {
        if !(self.is_punct(i + 1, '/') && self.is_num(i + 2) && !self.continues(i + 3)) {
            return None;
        }
        let (a, b) = (self.t(i), self.t(i + 2));
        if self.is_punct(i + 3, '.') && self.is_num(i + 4)
            || self.is_punct(i + 3, ',') && self.is_num(i + 4)
        {
            return None;
        }
        let fraction = if cued {
            // `24/7` stays the fixed expression, `M/YYYY` a month.
            let fixed = a == "24" && b == "7" || self.small(i, 12) && b.len() == 4;
            !fixed && (self.after_quantity_cue(i) || self.before_population(i))
        } else {
            // Not `D/M`: a day above 31 or a month above 12, or more than two digits.
            !self.small(i, 31) || !self.small(i + 2, 12)
        };
        if !fraction {
            return None;
        }
        let mut text = String::new();
        self.st.push_cardinal(a, &mut text);
        push_word(&mut text, "phần");
        self.st.push_cardinal(b, &mut text);
        Some(self.emit(&text, i + 3))
    }

    /// A quantity cue just before token `i` (§6a): *tỷ lệ*, *khoảng*, *hơn*…
    fn after_quantity_cue(&self, i: usize) -> bool {
        let Some(k) = self.prev_word(i) else { return false };
        let word = self.lc(k);
        if word == "lệ" {
            return matches!(self.prev_lc(k).as_str(), "tỷ" | "tỉ");
        }
        lexicon::QUANTITY_CUES.contains(&word.as_str())
    }

    /// *số* or *dân số* right after the `a/b` at token `i`, unless a day word comes before it.
    fn before_population(&self, i: usize) -> bool {
        if is_day_word(&self.prev_lc(i)) {
            return false;
        }
        let Some(w) = self.next_word(i + 2) else { return false };
        match self.lc(w).as_str() {
            "số" => true,
            "dân" => self.next_word(w).is_some_and(|s| self.lc(s) == "số"),
            _ => false,
        }
    }

    /// `24/7`, "all the time" (§6).
    fn all_the_time(&mut self, i: usize) -> Option<usize> {
        if !(self.t(i) == "24"
            && self.is_punct(i + 1, '/')
            && self.word_is_num(i + 2, "7")
            && !self.continues(i + 3))
        {
            return None;
        }
        let mut text = String::new();
        self.st.push_cardinal("24", &mut text);
        push_word(&mut text, "trên bảy");
        Some(self.emit(&text, i + 3))
    }

    fn word_is_num(&self, k: usize, digits: &str) -> bool {
        self.is_num(k) && self.t(k) == digits
    }

    // ---- numbers, quantities and ranges ----

    /// A unit, currency or `%` at token `j`: (end, words).
    fn unit_at(&self, j: usize) -> Option<(usize, &'static str)> {
        let square = |k: usize| self.word_is_num(k, "2") || self.is_punct(k, '²');
        if self.is_punct(j, '%') {
            return Some((j + 1, "phần trăm"));
        }
        if self.is_punct(j, '₫') {
            return Some((j + 1, "đồng"));
        }
        if self.is_punct(j, '℃') {
            return Some((j + 1, "độ C"));
        }
        if self.is_punct(j, '°') && self.word_is(j + 1, "C") {
            return Some((j + 2, "độ C"));
        }
        if !self.is_word(j) {
            return None;
        }
        Some(match self.t(j) {
            "km" if self.is_punct(j + 1, '/') && self.word_is(j + 2, "h") => {
                (j + 3, "ki-lô-mét trên giờ")
            }
            "km" if square(j + 1) => (j + 2, "ki-lô-mét vuông"),
            "km" => (j + 1, "ki-lô-mét"),
            "m" if square(j + 1) => (j + 2, "mét vuông"),
            "m" => (j + 1, "mét"),
            "kg" => (j + 1, "ki-lô-gam"),
            "cm" => (j + 1, "xăng-ti-mét"),
            "mm" => (j + 1, "mi-li-mét"),
            "ha" => (j + 1, "héc-ta"),
            "g" => (j + 1, "gam"),
            "l" => (j + 1, "lít"),
            "ml" => (j + 1, "mi-li-lít"),
            "đ" | "VNĐ" | "VND" | "đồng" => (j + 1, "đồng"),
            "USD" => (j + 1, "đô la Mỹ"),
            _ => return None,
        })
    }

    /// A number literal with what follows it: multipliers, a unit and a rate.
    fn number_item(&self, i: usize, style: Style) -> Item {
        let first = self.t(i);
        let mut int = first.to_owned();
        let mut j = i + 1;
        if first.len() <= 3 {
            let separator = self.t(j);
            let groups_with = self.is_punct(j, '.') || matches!(separator, "\u{a0}" | "\u{202f}");
            while groups_with && self.t(j) == separator && self.num_len(j + 1, 3) {
                int.push_str(self.t(j + 1));
                j += 2;
            }
        }
        let grouped = j > i + 1;
        let frac = (self.is_punct(j, ',') && self.is_num(j + 1)).then(|| self.t(j + 1));
        if frac.is_some() {
            j += 2;
        }
        let mut text = String::new();
        let plain = !grouped && frac.is_none();
        match (frac, style) {
            (Some(frac), _) => self.st.push_decimal(&int, frac, &mut text),
            (None, _) if grouped => self.st.push_cardinal(&int, &mut text),
            (None, Style::Ordinal) => self.st.push_ordinal(&int, &mut text),
            (None, Style::Month) if (1..=12).contains(&value(&int)) && int.len() <= 2 => {
                push_month(value(&int), &mut text)
            }
            (None, _) => self.st.push_number(&int, &mut text),
        }
        while self.is_single_space(j) && self.is_word(j + 1) && MULTIPLIERS.contains(&self.t(j + 1))
        {
            push_word(&mut text, self.t(j + 1));
            j += 2;
        }
        let unit = self
            .unit_at(j)
            .or_else(|| if self.is_single_space(j) { self.unit_at(j + 1) } else { None });
        let mut has_unit = false;
        if let Some((end, words)) = unit {
            push_word(&mut text, words);
            j = end;
            has_unit = true;
        }
        if self.is_punct(j, '/')
            && self.is_word(j + 1)
            && self.t(j + 1).chars().next().is_some_and(char::is_lowercase)
        {
            // A rate: `30 triệu đồng/tháng` → *… một tháng* (§11).
            push_word(&mut text, "một");
            j += 1;
            has_unit = true;
        }
        Item { end: j, text, plain: plain && !has_unit }
    }

    fn number_or_range(&mut self, i: usize) -> usize {
        let keyword = self.prev_word(i).map(|k| self.t(k)).unwrap_or("");
        let style = match keyword.to_lowercase().as_str() {
            "thứ" => Style::Ordinal,
            "tháng" => Style::Month,
            _ => Style::Cardinal,
        };
        let mut a = self.number_item(i, style);
        if let Some(k) = self.dash_after(a.end) {
            let hour = a.plain && self.t(i).len() <= 2 && value(self.t(i)) <= 24;
            let b = match self.time_item(k) {
                Some(time) if hour => time,
                _ => self.number_item(k, style),
            };
            push_word(&mut a.text, "đến");
            if style != Style::Cardinal && a.plain && b.plain {
                push_word(&mut a.text, &keyword.to_lowercase());
            }
            push_word(&mut a.text, &b.text);
            a.end = b.end;
        }
        self.emit(&a.text, a.end)
    }
}
