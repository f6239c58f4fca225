//! Property: text handed to Typst comes back from the PDF as the same characters.
//!
//! Each case writes a printed page whose body is a generated paragraph of Vietnamese letters,
//! punctuation and Typst-special characters, builds the site, and reads the PDF back with
//! `pdftotext` (poppler-utils; skipped loudly without it). What must come back is the text of
//! the document tree handed to Typst, so Markdown's own rewriting (emphasis, smart quotes) is
//! not counted against it; nor are spaces, as a line may break where the text had none.
//! Few cases, as each lays out a PDF.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use loa::render::print::tree::texts;
use proptest::prelude::*;

/// Characters the bundled fonts cover: Vietnamese letters, digits, punctuation, Typst syntax.
const CHARACTERS: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíị\
                          òỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵAĂÂĐÊÔƠƯÀÁẠẮẶẤẬÉỆÍÓỌỐỘỚỢÚỤỨỰÝ\
                          0123456789.,;:!?()'\"-–#$@<>\\*_`=~/[]{}%&+";

/// A paragraph of short words made of those characters.
fn paragraph() -> impl Strategy<Value = String> {
    let chars: Vec<char> = CHARACTERS.chars().collect();
    let word = prop::collection::vec(prop::sample::select(chars), 1..8)
        .prop_map(|c| c.into_iter().collect::<String>());
    prop::collection::vec(word, 1..24).prop_map(|words| words.join(" "))
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF's text in the order it was laid out. `-raw` also keeps a hyphen that ends a line,
/// which pdftotext's default layout mode removes as if it were a hyphenation.
fn pdf_text(file: &Path) -> String {
    let output =
        Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(file).arg("-").output();
    squeeze(&String::from_utf8(output.expect("pdftotext").stdout).expect("UTF-8 text"))
}

/// One site reused by every case (its page is rewritten each time), one build at a time.
fn site() -> &'static Mutex<tempfile::TempDir> {
    static SITE: OnceLock<Mutex<tempfile::TempDir>> = OnceLock::new();
    SITE.get_or_init(|| Mutex::new(common::fixture("minimal")))
}

/// Prints `body` on an A5 leaflet and returns the PDF's text and the tree's text.
fn round_trip(body: &str) -> (String, String) {
    let site = site().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let page = format!("---\ntitle: Tờ rơi\nprint: leaflet-a5\n---\n\n{body}\n");
    common::write(site.path(), "content/to-roi.md", page);
    if let Err(e) = common::build(site.path()) {
        panic!("{}", e.render(loa::base::messages::UiLang::En));
    }
    let handed = squeeze(&texts(&common::print_tree(body)).join(" "));
    (pdf_text(&site.path().join("public/to-roi/to-roi.pdf")), handed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn text_handed_to_typst_comes_back_from_the_pdf(body in paragraph()) {
        if !common::has_tool("pdftotext") {
            return Ok(());
        }
        let (pdf, handed) = round_trip(&body);
        // A line may break after a dash or slash, where pdftotext then puts a line end.
        let (pdf, handed) = (without_spaces(&pdf), without_spaces(&handed));
        prop_assert!(pdf.contains(&handed), "{handed:?} is not in the PDF text {pdf:?}");
    }
}

#[test]
fn typst_special_characters_come_back_exactly() {
    if !common::has_tool("pdftotext") {
        return;
    }
    let body = "Đường dây 111: #let x = $y$ @nhãn <nhãn> ~ 50% & a+b [ghi] {khối} /* chú */ ưỡng";
    let (pdf, handed) = round_trip(body);
    assert_eq!(handed, body);
    assert!(pdf.contains(body), "{pdf}");
}

#[test]
fn a_hyphen_that_ends_a_line_comes_back() {
    if !common::has_tool("pdftotext") {
        return;
    }
    let body = "aaad. ồ&ÉvÚ 3ộ2ẤÚ \\\\ó ễròặo u& ứu Ụ ;Â[a ùđnẫẤ ỗâAừ Đkyãi= -d& :ỉò";
    let (pdf, handed) = round_trip(body);
    assert!(pdf.contains("= -"), "the line breaks after the hyphen here: {pdf:?}");
    assert!(without_spaces(&pdf).contains(&without_spaces(&handed)), "{pdf:?}");
}
