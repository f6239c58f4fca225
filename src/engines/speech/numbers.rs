//! Vietnamese numerals: cardinals with the variant settings (§3), decimals (§4), ordinals and
//! month words (§6, §8), digit-by-digit readings and Roman numerals.

use super::Settings;

/// Digit words, also used digit by digit (phones, leading zeros).
pub(crate) const DIGITS: [&str; 10] =
    ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// Longest digit string read as a cardinal; longer ones are read digit by digit.
const MAX_CARDINAL_DIGITS: usize = 36;

/// Appends `word` to `out`, separated by one space.
pub(crate) fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() && !out.ends_with(' ') && !word.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Appends the ASCII digits of `s` one word each.
pub(crate) fn push_digits(s: &str, out: &mut String) {
    for b in s.bytes().filter(u8::is_ascii_digit) {
        push_word(out, DIGITS[(b - b'0') as usize]);
    }
}

/// Value of a short digit string (saturating; for range checks).
pub(crate) fn value(s: &str) -> u64 {
    s.bytes().fold(0u64, |v, b| v.saturating_mul(10).saturating_add(u64::from(b - b'0')))
}

/// Month words: 4 is *tư* in both variants (§6).
pub(crate) fn push_month(month: u64, out: &mut String) {
    const MONTHS: [&str; 12] = [
        "một",
        "hai",
        "ba",
        "tư",
        "năm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mười một",
        "mười hai",
    ];
    push_word(out, MONTHS[(month.clamp(1, 12) - 1) as usize]);
}

impl Settings {
    /// A cardinal from a digit string; leading zeros are ignored.
    pub(crate) fn push_cardinal(&self, digits: &str, out: &mut String) {
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            push_word(out, DIGITS[0]);
        } else if digits.len() > MAX_CARDINAL_DIGITS {
            push_digits(digits, out);
        } else {
            self.push_large(digits, out);
        }
    }

    /// A plain number: digit by digit when written with leading zeros (`06`), else a cardinal.
    pub(crate) fn push_number(&self, digits: &str, out: &mut String) {
        if digits.len() > 1 && digits.starts_with('0') {
            push_digits(digits, out);
        } else {
            self.push_cardinal(digits, out);
        }
    }

    /// `thứ` + number: 1 *nhất*, 4 *tư*, else the cardinal (§8).
    pub(crate) fn push_ordinal(&self, digits: &str, out: &mut String) {
        match digits.trim_start_matches('0') {
            "1" => push_word(out, "nhất"),
            "4" => push_word(out, "tư"),
            _ => self.push_cardinal(digits, out),
        }
    }

    /// `a,b`: *<a> phẩy <b>* (§4).
    pub(crate) fn push_decimal(&self, int: &str, frac: &str, out: &mut String) {
        self.push_cardinal(int, out);
        push_word(out, "phẩy");
        if !self.decimal_digits && frac.len() <= 2 && !frac.starts_with('0') {
            self.push_cardinal(frac, out);
        } else {
            push_digits(frac, out);
        }
    }

    /// Digits without leading zeros; above nine digits the high part is read recursively + *tỷ*.
    fn push_large(&self, digits: &str, out: &mut String) {
        if digits.len() > 9 {
            let (high, low) = digits.split_at(digits.len() - 9);
            self.push_large(high, out);
            push_word(out, self.billion);
            self.push_groups(low, false, out);
        } else {
            self.push_groups(digits, true, out);
        }
    }

    /// Up to nine digits in groups of three; `leading`: the first non-zero group is short.
    fn push_groups(&self, digits: &str, leading: bool, out: &mut String) {
        let bytes = digits.as_bytes();
        let count = bytes.len().div_ceil(3);
        let first_len = bytes.len() - (count - 1) * 3;
        let mut seen = false;
        for g in 0..count {
            let start = if g == 0 { 0 } else { first_len + (g - 1) * 3 };
            let end = if g == 0 { first_len } else { start + 3 };
            let mut place = [0u8; 3];
            for (k, b) in bytes[start..end].iter().enumerate() {
                place[3 - (end - start) + k] = b - b'0';
            }
            if place == [0, 0, 0] {
                continue;
            }
            self.push_group(place, seen || !leading, out);
            seen = true;
            match count - 1 - g {
                1 => push_word(out, self.thousand),
                2 => push_word(out, "triệu"),
                _ => {}
            }
        }
    }

    /// One group `h t u`; `full`: read all three places (non-leading group).
    fn push_group(&self, [h, t, u]: [u8; 3], full: bool, out: &mut String) {
        let hundreds = full || h > 0;
        if hundreds && (h > 0 || self.zero_hundreds) {
            push_word(out, DIGITS[h as usize]);
            push_word(out, "trăm");
        }
        match t {
            0 => {
                if u > 0 {
                    if hundreds {
                        push_word(out, self.zero_tens);
                    }
                    push_word(out, DIGITS[u as usize]);
                }
            }
            1 => {
                push_word(out, "mười");
                match u {
                    0 => {}
                    5 => push_word(out, self.five_units),
                    _ => push_word(out, DIGITS[u as usize]),
                }
            }
            _ => {
                push_word(out, DIGITS[t as usize]);
                push_word(out, "mươi");
                match u {
                    0 => {}
                    1 => push_word(out, self.one_units),
                    4 => push_word(out, self.four_units),
                    5 => push_word(out, self.five_units),
                    _ => push_word(out, DIGITS[u as usize]),
                }
            }
        }
    }
}

/// The value of a canonical uppercase Roman numeral (I–MMMCMXCIX).
pub(crate) fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let digit = |c: u8| -> Option<i64> {
        match c {
            b'I' => Some(1),
            b'V' => Some(5),
            b'X' => Some(10),
            b'L' => Some(50),
            b'C' => Some(100),
            b'D' => Some(500),
            b'M' => Some(1000),
            _ => None,
        }
    };
    let bytes = s.as_bytes();
    let mut total = 0i64;
    for (k, &b) in bytes.iter().enumerate() {
        let v = digit(b)?;
        match bytes.get(k + 1) {
            Some(&n) if digit(n)? > v => total -= v,
            _ => total += v,
        }
    }
    let total = u32::try_from(total).ok()?;
    // Only the canonical spelling counts (rejects IIII, VX, IC…).
    (total > 0 && total < 4000 && to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}
