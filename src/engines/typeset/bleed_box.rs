//! Adds a `/BleedBox` to every page of a PDF that has a `/TrimBox`, as an incremental update:
//! the file's bytes stay as they are and new versions of the page objects follow them, with a
//! cross-reference section and a trailer pointing back (`/Prev`) to the original one. Tags,
//! metadata and the PDF/A or PDF/UA claims of the original are untouched; PDF/A-2 allows
//! incremental updates. Typst writes the TrimBox but no BleedBox, so a viewer would otherwise
//! report the whole sheet, marks included, as the bleed.
//!
//! It reads only what it needs (a classic cross-reference table, the page tree and each page's
//! dictionary), which is how Typst's PDF writer lays files out; a file it cannot read that way
//! is an error, never a silently unchanged file.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

/// A PDF object, as far as the page boxes need it.
#[derive(Debug, Clone, PartialEq)]
enum Object {
    Number(f64),
    Ref(u32, u16),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Vec<Entry>),
    /// Strings, booleans, null: kept only as their bytes in an entry's `raw`.
    Other,
}

/// A key of a dictionary with its value and where the value's bytes are.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    key: Vec<u8>,
    value: Object,
    raw: Range<usize>,
}

fn get<'a>(entries: &'a [Entry], key: &[u8]) -> Option<&'a Entry> {
    entries.iter().find(|e| e.key == key)
}

/// Reads objects from a PDF's bytes.
struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

impl<'a> Lexer<'a> {
    fn at(bytes: &'a [u8], at: usize) -> Self {
        Lexer { bytes, at }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.at += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next run of regular characters (a number or a keyword).
    fn word(&mut self) -> &'a [u8] {
        self.skip_space();
        let start = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    fn integer(&mut self) -> Result<u64, String> {
        let word = self.word();
        std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| format!("expected a whole number at byte {}", self.at - word.len()))
    }

    fn expect(&mut self, keyword: &[u8]) -> Result<(), String> {
        let word = self.word();
        if word == keyword {
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", String::from_utf8_lossy(keyword), self.at))
        }
    }

    /// The next object, with the range of its bytes.
    fn object(&mut self) -> Result<(Object, Range<usize>), String> {
        self.skip_space();
        let start = self.at;
        let object = match self.peek() {
            None => return Err("the file ends inside an object".into()),
            Some(b'/') => Object::Name(self.name()),
            Some(b'[') => self.array()?,
            Some(b'<') if self.bytes.get(self.at + 1) == Some(&b'<') => self.dict()?,
            Some(b'<') => self.hex_string()?,
            Some(b'(') => self.literal_string()?,
            Some(b) if is_regular(b) => self.number_ref_or_keyword(),
            Some(b) => return Err(format!("unexpected `{}` at byte {}", b as char, self.at)),
        };
        Ok((object, start..self.at))
    }

    fn name(&mut self) -> Vec<u8> {
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        self.bytes[start..self.at].to_vec()
    }

    fn array(&mut self) -> Result<Object, String> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(Object::Array(items));
            }
            items.push(self.object()?.0);
        }
    }

    fn dict(&mut self) -> Result<Object, String> {
        self.at += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'>') if self.bytes.get(self.at + 1) == Some(&b'>') => {
                    self.at += 2;
                    return Ok(Object::Dict(entries));
                }
                Some(b'/') => {
                    let key = self.name();
                    let (value, raw) = self.object()?;
                    entries.push(Entry { key, value, raw });
                }
                _ => return Err(format!("expected a key at byte {}", self.at)),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Object, String> {
        let end = self.bytes[self.at..].iter().position(|&b| b == b'>');
        self.at += end.ok_or("a hex string does not end")? + 1;
        Ok(Object::Other)
    }

    fn literal_string(&mut self) -> Result<Object, String> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(Object::Other);
                    }
                }
                _ => {}
            }
        }
        Err("a string does not end".into())
    }

    /// A number, `N G R`, or a keyword such as `true` or `null`.
    fn number_ref_or_keyword(&mut self) -> Object {
        let word = self.word();
        let Some(number) = std::str::from_utf8(word).ok().and_then(|w| w.parse::<f64>().ok())
        else {
            return Object::Other;
        };
        let after_number = self.at;
        if let Some(reference) = self.reference_tail(word) {
            return reference;
        }
        self.at = after_number;
        Object::Number(number)
    }

    /// `G R` after an object number `first`, when they are there.
    fn reference_tail(&mut self, first: &[u8]) -> Option<Object> {
        let number: u32 = std::str::from_utf8(first).ok()?.parse().ok()?;
        let generation: u16 = std::str::from_utf8(self.word()).ok()?.parse().ok()?;
        (self.word() == b"R").then_some(Object::Ref(number, generation))
    }
}

/// Where each object is, from the file's cross-reference tables, and its last trailer.
struct Xref {
    offsets: BTreeMap<u32, (usize, u16)>,
    trailer: Vec<Entry>,
    /// Where the last cross-reference table starts.
    start: usize,
}

fn last_startxref(bytes: &[u8]) -> Result<usize, String> {
    let tail = bytes.len().saturating_sub(1024);
    let found = bytes[tail..].windows(9).rposition(|w| w == b"startxref");
    let at = tail + found.ok_or("no `startxref` at the end of the file")? + 9;
    Ok(Lexer::at(bytes, at).integer()? as usize)
}

fn read_xref(bytes: &[u8]) -> Result<Xref, String> {
    let start = last_startxref(bytes)?;
    let mut offsets = BTreeMap::new();
    let mut trailer = None;
    let mut next = Some(start);
    let mut seen = HashSet::new();
    while let Some(at) = next {
        if !seen.insert(at) {
            return Err("the cross-reference tables point at each other".into());
        }
        let (section, entries) = read_xref_section(bytes, at)?;
        for (number, place) in section {
            offsets.entry(number).or_insert(place);
        }
        next = match get(&entries, b"Prev").map(|e| &e.value) {
            Some(Object::Number(prev)) => Some(*prev as usize),
            _ => None,
        };
        trailer.get_or_insert(entries);
    }
    Ok(Xref { offsets, trailer: trailer.unwrap_or_default(), start })
}

/// One `xref … trailer <<…>>` section: the objects in use it lists, and its trailer.
#[allow(clippy::type_complexity)]
fn read_xref_section(
    bytes: &[u8],
    at: usize,
) -> Result<(Vec<(u32, (usize, u16))>, Vec<Entry>), String> {
    let mut lexer = Lexer::at(bytes, at);
    lexer
        .expect(b"xref")
        .map_err(|_| "the file has a cross-reference stream, which is not supported".to_owned())?;
    let mut section = Vec::new();
    loop {
        let before = lexer.at;
        if lexer.word() == b"trailer" {
            break;
        }
        lexer.at = before;
        let first = lexer.integer()? as u32;
        let count = lexer.integer()? as u32;
        for number in first..first + count {
            let offset = lexer.integer()? as usize;
            let generation = lexer.integer()? as u16;
            if lexer.word() == b"n" {
                section.push((number, (offset, generation)));
            }
        }
    }
    match lexer.object()?.0 {
        Object::Dict(entries) => Ok((section, entries)),
        _ => Err("the trailer is not a dictionary".into()),
    }
}

/// An object of the file: its dictionary's entries and the bytes between `<<` and `>>`.
struct Stored {
    entries: Vec<Entry>,
    inner: Range<usize>,
}

fn read_object(bytes: &[u8], xref: &Xref, number: u32) -> Result<Stored, String> {
    let &(offset, _) = xref.offsets.get(&number).ok_or(format!("object {number} is missing"))?;
    let mut lexer = Lexer::at(bytes, offset);
    let found = lexer.integer()?;
    if found != u64::from(number) {
        return Err(format!("object {number} is not where the table says"));
    }
    lexer.integer()?;
    lexer.expect(b"obj")?;
    match lexer.object()? {
        (Object::Dict(entries), range) => {
            Ok(Stored { entries, inner: range.start + 2..range.end - 2 })
        }
        _ => Err(format!("object {number} is not a dictionary")),
    }
}

fn reference(entries: &[Entry], key: &[u8]) -> Option<u32> {
    match get(entries, key)?.value {
        Object::Ref(number, _) => Some(number),
        _ => None,
    }
}

fn rectangle(entries: &[Entry], key: &[u8]) -> Option<[f64; 4]> {
    let Object::Array(items) = &get(entries, key)?.value else { return None };
    let numbers: Vec<f64> = items
        .iter()
        .filter_map(|i| if let Object::Number(n) = i { Some(*n) } else { None })
        .collect();
    <[f64; 4]>::try_from(numbers).ok()
}

/// The object numbers of the page tree's leaves, in order.
fn pages(bytes: &[u8], xref: &Xref) -> Result<Vec<u32>, String> {
    let root = reference(&xref.trailer, b"Root").ok_or("the trailer names no /Root")?;
    let catalog = read_object(bytes, xref, root)?;
    let tree = reference(&catalog.entries, b"Pages").ok_or("the catalog names no /Pages")?;
    let mut leaves = Vec::new();
    let mut stack = vec![tree];
    let mut seen = HashSet::new();
    while let Some(number) = stack.pop() {
        if !seen.insert(number) {
            return Err("the page tree has a loop".into());
        }
        let node = read_object(bytes, xref, number)?;
        match get(&node.entries, b"Kids").map(|e| &e.value) {
            Some(Object::Array(kids)) => {
                let kids = kids.iter().rev().filter_map(|k| match k {
                    Object::Ref(n, _) => Some(*n),
                    _ => None,
                });
                stack.extend(kids);
            }
            _ => leaves.push(number),
        }
    }
    Ok(leaves)
}

/// `number` as PDF writes it: at most four decimals, no trailing zeros.
fn format_number(number: f64) -> String {
    let text = format!("{number:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".into() } else { text.into() }
}

/// The trim box grown by `bleed` points on every side, kept inside the media box.
fn bleed_box(trim: [f64; 4], media: Option<[f64; 4]>, bleed: f64) -> [f64; 4] {
    let (left, right) = (trim[0].min(trim[2]), trim[0].max(trim[2]));
    let (bottom, top) = (trim[1].min(trim[3]), trim[1].max(trim[3]));
    let mut grown = [left - bleed, bottom - bleed, right + bleed, top + bleed];
    if let Some(media) = media {
        grown[0] = grown[0].max(media[0].min(media[2]));
        grown[1] = grown[1].max(media[1].min(media[3]));
        grown[2] = grown[2].min(media[0].max(media[2]));
        grown[3] = grown[3].min(media[1].max(media[3]));
    }
    grown
}

/// `pdf` with a `/BleedBox` `bleed` points beyond the `/TrimBox` on every page that has a
/// trim box and no bleed box, appended as an incremental update; the same bytes when no page
/// needs one.
pub fn add_bleed_boxes(pdf: &[u8], bleed: f64) -> Result<Vec<u8>, String> {
    let xref = read_xref(pdf)?;
    let mut updated = Vec::new();
    for number in pages(pdf, &xref)? {
        let page = read_object(pdf, &xref, number)?;
        let Some(trim) = rectangle(&page.entries, b"TrimBox") else { continue };
        if get(&page.entries, b"BleedBox").is_some() {
            continue;
        }
        let grown = bleed_box(trim, rectangle(&page.entries, b"MediaBox"), bleed);
        let numbers: Vec<String> = grown.iter().map(|n| format_number(*n)).collect();
        let generation = xref.offsets[&number].1;
        updated.push((number, generation, page.inner, numbers.join(" ")));
    }
    if updated.is_empty() {
        return Ok(pdf.to_vec());
    }
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut table = String::from("xref\n");
    for (number, generation, inner, rect) in updated {
        let _ = write!(table, "{number} 1\n{:010} {generation:05} n \n", out.len());
        out.extend_from_slice(format!("{number} {generation} obj\n<<").as_bytes());
        out.extend_from_slice(&pdf[inner]);
        out.extend_from_slice(format!("/BleedBox[{rect}]>>\nendobj\n").as_bytes());
    }
    let table_at = out.len();
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(&trailer(pdf, &xref));
    out.extend_from_slice(format!("startxref\n{table_at}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// The update's trailer: the original's entries but `/Prev`, then `/Prev` to its table.
fn trailer(pdf: &[u8], xref: &Xref) -> Vec<u8> {
    let mut out = b"trailer\n<<".to_vec();
    for entry in xref.trailer.iter().filter(|e| e.key != b"Prev") {
        out.push(b'/');
        out.extend_from_slice(&entry.key);
        out.push(b' ');
        out.extend_from_slice(&pdf[entry.raw.clone()]);
    }
    out.extend_from_slice(format!("/Prev {}>>\n", xref.start).as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small PDF with a classic table: a catalog, a page tree with one nested node, and
    /// `pages` page dictionaries (their entries between `<<` and `>>`).
    fn sample(pages: &[&str]) -> Vec<u8> {
        let mut objects = vec![
            "<</Type/Catalog/Pages 2 0 R/MarkInfo<</Marked true>>>>".to_owned(),
            "<</Type/Pages/Count 1/Kids[3 0 R]>>".to_owned(),
        ];
        let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", i + 4)).collect();
        objects.push(format!("<</Type/Pages/Parent 2 0 R/Kids[{}]>>", kids.join(" ")));
        objects.extend(pages.iter().map(|p| format!("<<{p}>>")));
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        let size = objects.len() + 1;
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {size}/Root 1 0 R/ID[(a\\)b)<0A0B>]>>\nstartxref\n{xref}\n%%EOF"
            )
            .as_bytes(),
        );
        out
    }

    /// The page dictionaries of the newest version of a file, read back through its tables.
    fn page_boxes(pdf: &[u8], key: &[u8]) -> Vec<Option<[f64; 4]>> {
        let xref = read_xref(pdf).unwrap();
        let pages = pages(pdf, &xref).unwrap();
        pages
            .iter()
            .map(|&n| rectangle(&read_object(pdf, &xref, n).unwrap().entries, key))
            .collect()
    }

    #[test]
    fn every_page_with_a_trim_box_gets_a_bleed_box_that_much_beyond_it() {
        let page =
            "/Type/Page/MediaBox[0 0 100 200]/TrimBox[10 10 90 190]/Parent 3 0 R/Contents 9 0 R";
        let pdf = sample(&[page, page]);
        let updated = add_bleed_boxes(&pdf, 3.0).unwrap();
        assert!(updated.starts_with(&pdf), "the original bytes stay as they were");
        assert_eq!(page_boxes(&updated, b"BleedBox"), vec![Some([7.0, 7.0, 93.0, 193.0]); 2]);
        assert_eq!(page_boxes(&updated, b"TrimBox"), vec![Some([10.0, 10.0, 90.0, 190.0]); 2]);
        let text = String::from_utf8_lossy(&updated[pdf.len()..]).into_owned();
        let prev = last_startxref(&pdf).unwrap();
        assert!(text.contains(&format!("/Prev {prev}>>")), "{text}");
        assert!(text.contains("/Root 1 0 R") && text.contains("/ID [(a\\)b)<0A0B>]"), "{text}");
        assert!(text.ends_with("%%EOF\n"), "{text}");
    }

    #[test]
    fn each_entry_of_the_new_table_is_20_bytes_and_points_at_its_object() {
        let page = "/Type/Page/MediaBox[0 0 100 200]/TrimBox[10 10 90 190]";
        let pdf = sample(&[page]);
        let updated = add_bleed_boxes(&pdf, 3.0).unwrap();
        let at = last_startxref(&updated).unwrap();
        let table = String::from_utf8_lossy(&updated[at..]).into_owned();
        let entry = table.lines().nth(2).unwrap();
        assert_eq!(entry.len() + 1, 20, "{entry:?}");
        let offset: usize = entry[..10].parse().unwrap();
        assert!(updated[offset..].starts_with(b"4 0 obj\n<<"), "{table}");
    }

    #[test]
    fn the_bleed_box_stays_inside_the_media_box() {
        let page = "/Type/Page/MediaBox[0 0 100 200]/TrimBox[2 10 98 190]";
        let updated = add_bleed_boxes(&sample(&[page]), 3.0).unwrap();
        assert_eq!(page_boxes(&updated, b"BleedBox"), vec![Some([0.0, 7.0, 100.0, 193.0])]);
    }

    #[test]
    fn a_file_whose_pages_need_no_bleed_box_is_returned_unchanged() {
        let plain = sample(&["/Type/Page/MediaBox[0 0 100 200]"]);
        assert_eq!(add_bleed_boxes(&plain, 3.0).unwrap(), plain);
        let boxed = sample(&["/Type/Page/TrimBox[1 1 9 9]/BleedBox[0 0 10 10]"]);
        assert_eq!(add_bleed_boxes(&boxed, 3.0).unwrap(), boxed);
    }

    #[test]
    fn a_file_it_cannot_read_is_an_error_not_an_unchanged_file() {
        let mut stream = b"%PDF-1.7\n1 0 obj\n<</Type/XRef>>\nendobj\n".to_vec();
        stream.extend_from_slice(b"startxref\n9\n%%EOF");
        assert!(add_bleed_boxes(&stream, 3.0).unwrap_err().contains("cross-reference stream"));
        assert!(add_bleed_boxes(b"not a pdf", 3.0).is_err());
    }

    #[test]
    fn numbers_are_written_as_pdf_reads_them() {
        assert_eq!(format_number(25.511811), "25.5118");
        assert_eq!(format_number(7.0), "7");
        assert_eq!(format_number(-0.00001), "0");
    }
}
