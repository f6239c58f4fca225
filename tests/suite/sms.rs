//! The SMS output, added as one file and one line: each page's text fits one GSM message and
//! is listed among the page's materials by the web output, which does not know it.

use crate::common;

use common::{build, fixture, read, write};
use loa::render::sms::{GSM_BASIC, LIMIT};

const LONG: &str = "Kẻ xấu thường hứa hẹn việc nhẹ lương cao ở thành phố hoặc ở nước ngoài, \
                    rồi giữ giấy tờ và ép người lao động làm việc không công; hãy hỏi kỹ \
                    chính quyền xã trước khi đi làm xa nhà.";

fn assert_one_gsm_message(text: &str) {
    assert!(text.chars().count() <= LIMIT, "{} characters: {text}", text.chars().count());
    let outside: Vec<char> = text.chars().filter(|c| !GSM_BASIC.contains(*c)).collect();
    assert!(outside.is_empty(), "outside the GSM basic set: {outside:?} in {text}");
}

#[test]
fn a_long_description_is_cut_at_a_word_before_the_first_featured_hotline() {
    let site = fixture("minimal");
    let page = format!("---\ntitle: Cảnh giác\ndescription: \"{LONG}\"\n---\n\nNội dung.\n");
    write(site.path(), "content/canh-giac.md", page);
    build(site.path()).unwrap();
    let text = read(site.path(), "sms/vi/canh-giac.txt");
    let text = text.strip_suffix('\n').expect("one line");
    assert_one_gsm_message(text);
    let (cut, call) = text.split_once("... ").expect("the description is cut");
    assert_eq!(call, "Can giup do, hay goi 111", "the site's first hotline: {text}");
    let folded = loa::render::sms::to_gsm(LONG);
    let rest = folded.strip_prefix(cut).expect("the text begins the description");
    assert!(rest.starts_with([' ', ',', ';', '.']), "cut at a word: {cut} | {rest}");
    assert!(cut.starts_with("Ke xau thuong hua hen viec nhe luong cao"), "{cut}");
    assert!(!site.path().join("public/sms/vi/bai-viet.txt").exists(), "no description, no text");
}

#[test]
fn every_text_of_the_example_fits_one_message_with_the_pages_own_first_hotline() {
    let site = common::example();
    build(site.path()).unwrap();
    let folder = site.path().join("public/sms");
    let mut texts = 0;
    for entry in walkdir::WalkDir::new(&folder) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert_one_gsm_message(text.trim_end_matches('\n'));
            texts += 1;
        }
    }
    assert!(texts > 10, "{texts} texts");
    let own_order = read(site.path(), "sms/en/ke-hoach-2024.txt");
    assert!(
        own_order.trim_end().ends_with("Call 1800 1581"),
        "hotlines: [1800-1581, 111]: {own_order}"
    );
}

#[test]
fn the_text_is_among_the_page_materials_and_on_the_page_without_web_or_templates_knowing_it() {
    let site = common::example();
    let report = build(site.path()).unwrap();
    assert!(report.files > 0);
    let page = read(site.path(), "quyen-cua-nan-nhan/index.html");
    let link =
        page.split("/sms/vi/quyen-cua-nan-nhan.txt").nth(1).expect("the page links its text");
    assert!(link.split("</a>").next().unwrap().ends_with(">Nội dung tin nhắn SMS"), "{page}");
    let mut diagnostics = loa::Diagnostics::default();
    let loaded =
        loa::Site::load(site.path(), &common::options_at("2024-08-01"), &mut diagnostics).unwrap();
    let outputs = loa::render::standard_outputs(&loaded, &Default::default()).unwrap();
    let plan = loa::render::plan_all(&loaded, &outputs).unwrap();
    let sms = plan.materials("/quyen-cua-nan-nhan/").iter().find(|m| m.kind == "sms");
    assert_eq!(sms.map(|m| m.path.as_str()), Some("/sms/vi/quyen-cua-nan-nhan.txt"));
    let web = walkdir::WalkDir::new(common::repo().join("src/render/web"))
        .into_iter()
        .chain(walkdir::WalkDir::new(common::repo().join("themes/default/templates")));
    for entry in web {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for name in ["render::sms", "/sms/", "sms.label", "\"sms\""] {
                assert!(!text.contains(name), "{} names the SMS output", entry.path().display());
            }
        }
    }
}
