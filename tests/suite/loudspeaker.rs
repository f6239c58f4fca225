//! Loudspeaker scripts and `loa speak`.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{fixture, read, run_loa, write};

const ARTICLE: &str = "---\ntitle: Cảnh giác ngày 30/7\n---\n\n## Dấu hiệu\n\nUBND xã có 105 cán bộ.\n\n- Gọi 111\n- Báo Công an\n\n| Số | Ai nghe |\n|---|---|\n| 111 | Tổng đài |\n\n![Ảnh](anh.png)\n\n```\nmã 123\n```\n";

#[test]
fn can_write_scripts_with_formulas_hotlines_and_duration() {
    let site = fixture("minimal");
    write(site.path(), "content/canh-giac.md", ARTICLE);
    write(
        site.path(),
        "locales/vi.yaml",
        "site:\n  title: Trang thử\nhotline:\n  \"111\": Tổng đài 111\nspeech:\n  variant: central\n",
    );
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let text = read(site.path(), "loudspeaker/vi/canh-giac.txt");
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert!(paragraphs[0].starts_with("Kính thưa bà con!"), "{text}");
    assert_eq!(paragraphs[1], "Cảnh giác ngày ba mươi tháng bảy.");
    assert_eq!(paragraphs[2], "Sau đây là phần: Dấu hiệu.");
    assert_eq!(paragraphs[3], "Ủy ban nhân dân xã có một trăm lẻ năm cán bộ.");
    assert_eq!(paragraphs[4], "Thứ nhất, Gọi một một một.");
    assert!(
        text.contains("Số: một trăm mười một; Ai nghe: Tổng đài."),
        "tables are read row by row: {text}"
    );
    assert!(!text.contains("mã") && !text.contains("Ảnh"), "code and images are dropped: {text}");
    let hotline = "Khi cần giúp đỡ, bà con hãy gọi Tổng đài một một một, số một một một.";
    assert_eq!(text.matches(hotline).count(), 2, "the hotlines are said twice: {text}");
    assert!(text.trim_end().ends_with("Cảm ơn bà con đã lắng nghe."), "{text}");
    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
    let index = read(site.path(), "loudspeaker/vi/index.html");
    assert!(index.contains("canh-giac.html") && index.contains("Thời lượng"), "{index}");
    let seconds = duration_seconds(&index, "Cảnh giác ngày 30/7");
    assert!((15..=60).contains(&seconds), "plausible duration, got {seconds} s");
    let ssml = read(site.path(), "loudspeaker/vi/canh-giac.ssml");
    assert!(ssml.contains("xml:lang=\"vi\"") && ssml.contains("<break time="), "{ssml}");
    assert_well_formed(&ssml);
    assert!(read(site.path(), "loudspeaker/vi/canh-giac.html").contains("‖ ngừng"));
}

fn duration_seconds(index: &str, title: &str) -> u64 {
    let row = index.split(title).nth(1).unwrap();
    let cell = row.split("<td>").nth(1).unwrap().split("</td>").next().unwrap();
    let numbers: Vec<u64> = cell.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    numbers[0] * 60 + numbers[1]
}

fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
}

#[test]
fn skips_fallbacks_and_pages_that_opt_out() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/khong-doc.md",
        "---\ntitle: Không đọc\nloudspeaker: false\n---\n\nChữ.\n",
    );
    assert!(run_loa(site.path(), &["build"]).0);
    let out = site.path().join("public/loudspeaker");
    assert!(out.join("vi/bai-viet.txt").is_file());
    assert!(!out.join("vi/khong-doc.txt").exists());
    assert!(!out.join("en").exists(), "English pages here are fallbacks, so no scripts");
}

#[test]
fn feeds_and_sitemap_are_well_formed() {
    let site = fixture("i18n");
    assert!(run_loa(site.path(), &["build", "--now", "2024-08-01"]).0);
    for file in ["sitemap.xml", "atom.xml", "en/atom.xml"] {
        assert_well_formed(&read(site.path(), file));
    }
}

fn speak(args: &[&str], input: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn speak_reads_arguments_and_each_line_of_stdin() {
    assert_eq!(
        speak(&["speak", "--lang", "vi", "gọi 1800 1581"], ""),
        "gọi một tám không không, một năm tám một\n"
    );
    assert_eq!(
        speak(&["speak", "--lang", "vi"], "năm 2024\n\n14:00\n"),
        "năm hai nghìn không trăm hai mươi tư\n\nMười bốn giờ\n"
    );
    assert_eq!(
        speak(&["speak", "--lang", "vi", "--variant", "central"], "số 105\n"),
        "số một trăm lẻ năm\n"
    );
    assert_eq!(
        speak(&["speak", "--lang", "vi", "--variant", "north"], "số 105\n"),
        "số một trăm linh năm\n"
    );
}

/// Issue «Loudspeaker scripts written for the ear»: each finding through the whole command.
#[test]
fn speak_reads_hotlines_fractions_date_names_ranges_and_abbreviations_for_the_ear() {
    let rows = [
        ("Lưu số 111", "Lưu số một một một"),
        ("gọi Công an theo số 113", "gọi Công an theo số một một ba"),
        ("Đường dây 111", "Đường dây một một một"),
        ("Bấm 115", "Bấm một một năm"),
        ("Quyết định số 113/QĐ-UBND", "Quyết định số một trăm mười ba"),
        ("Có 111 người", "Có một trăm mười một người"),
        ("Tỷ lệ 2/3", "Tỷ lệ hai phần ba"),
        ("3/40", "Ba phần bốn mươi"),
        ("Quảng trường 24/3", "Quảng trường hai mươi tư tháng ba"),
        ("đường 30/4", "đường ba mươi tháng tư"),
        ("Từ 1-7 đến 31-7", "Từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy"),
        ("Đ/c Nguyễn Văn A", "Đồng chí Nguyễn Văn A"),
        ("Đ/c: 12 Trần Phú", "Địa chỉ: mười hai Trần Phú"),
        ("H. Nam Trà My", "Huyện Nam Trà My"),
    ];
    for (text, spoken) in rows {
        assert_eq!(speak(&["speak", "--lang", "vi", text], ""), format!("{spoken}\n"), "{text}");
    }
    assert_eq!(
        speak(&["speak", "--lang", "vi", "--variant", "central", "Quảng trường 24/3"], ""),
        "Quảng trường hai mươi bốn tháng ba\n"
    );
}

/// A site's own hotline number after *số* is read digit by digit by `loa speak` in the site
/// and in its loudspeaker scripts; elsewhere it stays a quantity.
#[test]
fn site_hotline_numbers_after_so_are_read_digit_by_digit() {
    let site = fixture("minimal");
    write(
        site.path(),
        "site.yaml",
        "base_url: https://example.org\nlanguages:\n  - code: vi\n  - code: en\nhotlines:\n  - id: \"111\"\n    number: \"111\"\n  - id: \"tinh\"\n    number: \"1088\"\n",
    );
    let (ok, stdout, stderr) = run_loa(site.path(), &["speak", "--lang", "vi", "theo số 1088"]);
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "theo số một không tám tám\n");
    assert_eq!(
        speak(&["speak", "--lang", "vi", "theo số 1088"], ""),
        "theo số một nghìn không trăm tám mươi tám\n",
        "outside the site 1088 is no hotline"
    );
    write(
        site.path(),
        "content/so-tinh.md",
        "---\ntitle: Số của tỉnh\n---\n\nBáo tin theo số 1088. Có 1088 người.\n",
    );
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let text = read(site.path(), "loudspeaker/vi/so-tinh.txt");
    assert!(text.contains("Báo tin theo số một không tám tám."), "{text}");
    assert!(text.contains("Có một nghìn không trăm tám mươi tám người."), "{text}");
}

#[test]
fn campaign_pages_list_their_scripts_as_materials() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/ngay-30-7/_index.md",
        "---\ntitle: Ngày 30/7\ncampaign:\n  day: 30/7/2024\n---\n",
    );
    write(
        site.path(),
        "content/ngay-30-7/thong-diep.md",
        "---\ntitle: Thông điệp\n---\n\nChung tay.\n",
    );
    assert!(run_loa(site.path(), &["build"]).0);
    let section = read(site.path(), "ngay-30-7/index.html");
    assert!(
        section.contains(
            "href=/loudspeaker/vi/ngay-30-7/thong-diep.html>Bài đọc trên loa truyền thanh</a>"
        ),
        "{section}"
    );
    assert!(site.path().join("public/loudspeaker/vi/ngay-30-7/thong-diep.html").is_file());
}

#[test]
fn speak_refuses_a_language_the_site_does_not_have_and_lists_its_languages() {
    let site = common::fixture("minimal");
    let (ok, _, err) = common::run_loa(site.path(), &["speak", "--lang", "fr", "Bonjour"]);
    assert!(!ok, "{err}");
    assert!(err.contains("no language `fr`") && err.contains("vi, en"), "{err}");
    let (ok, _, err) =
        common::run_loa(site.path(), &["--ui-lang", "vi", "speak", "--lang", "fr", "Bonjour"]);
    assert!(!ok);
    assert!(err.contains("không có ngôn ngữ `fr`"), "{err}");
}
