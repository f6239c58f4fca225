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
    write(site.path(), "content/anh.png", include_bytes!("../fixtures/tiny.png"));
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
    let hotline =
        "Khi cần giúp đỡ, bà con hãy gọi Tổng đài một một một, số một một một, gọi miễn phí.";
    assert_eq!(text.matches(hotline).count(), 2, "the hotlines are said twice: {text}");
    assert_eq!(text.matches(&format!("Xin nhắc lại: {hotline}")).count(), 1, "{text}");
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

/// A paragraph of `sentences` sentences of 13 syllables each.
fn long_paragraph(sentences: usize) -> String {
    "Người dân cần cảnh giác với lời mời chào việc làm lương cao. ".repeat(sentences)
}

/// A page whose script lasts about five minutes, in four parts of different lengths.
fn long_page() -> String {
    format!(
        "---\ntitle: Kế hoạch dài\ndescription: Tóm tắt kế hoạch.\n---\n\nMở đầu ngắn.\n\n## Nhiệm vụ chính\n\n{first}\n\n{}\n\n{}\n\n## Tuyên truyền\n\n{first}\n\n{}\n\n## Phối hợp\n\n{first}\n\n{}\n\n## Kinh phí\n\nTheo quy định.\n",
        long_paragraph(25),
        long_paragraph(10),
        long_paragraph(15),
        long_paragraph(8),
        first = long_paragraph(2),
    )
}

#[test]
fn a_script_longer_than_max_minutes_is_a_warning_in_the_build_and_in_check_naming_its_longest_parts()
 {
    let site = fixture("minimal");
    write(site.path(), "content/ke-hoach.md", long_page());
    let (ok, _, build) = run_loa(site.path(), &["build"]);
    assert!(ok, "a long script does not stop the build: {build}");
    let (_, check, check_err) = run_loa(site.path(), &["check"]);
    assert!(build.contains("warning: content/ke-hoach.md:1:1: the loudspeaker script (vi) lasts"));
    assert!(
        check.contains("content/ke-hoach.md\n  1:1 warning: the loudspeaker script (vi) lasts")
    );
    for output in [&build, &check] {
        let line = output
            .lines()
            .find(|l| l.contains("lasts"))
            .unwrap_or_else(|| panic!("no length warning: {output}{check_err}"));
        assert!(line.contains("longer than the 3:00 a bulletin may last"), "{line}");
        let first = line.find("“Nhiệm vụ chính”").expect(line);
        let second = line.find("“Tuyên truyền”").expect(line);
        let third = line.find("“Phối hợp”").expect(line);
        assert!(first < second && second < third, "longest first: {line}");
        assert!(!line.contains("Kinh phí") && !line.contains("Mở đầu"), "three parts: {line}");
    }
    let index = read(site.path(), "loudspeaker/vi/index.html");
    let seconds = duration_seconds(&index, "Kế hoạch dài");
    let said = build.lines().find(|l| l.contains("lasts")).unwrap();
    assert!(said.contains(&format!("lasts {}:{:02}", seconds / 60, seconds % 60)), "{said}");
    assert!(!build.contains("bai-viet.md"), "short pages are not warned about: {build}");
}

#[test]
fn max_minutes_raises_the_limit_and_loudspeaker_short_reads_the_description_first_paragraphs_and_hotlines()
 {
    let site = fixture("minimal");
    write(site.path(), "content/ke-hoach.md", long_page());
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(site.path(), "site.yaml", format!("{yaml}loudspeaker:\n  max_minutes: 10\n"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok && !stderr.contains("lasts"), "{stderr}");
    write(site.path(), "site.yaml", &yaml);
    let short = long_page().replace("description:", "loudspeaker: short\ndescription:");
    write(site.path(), "content/ke-hoach.md", &short);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok && !stderr.contains("lasts"), "the short script fits: {stderr}");
    let text = read(site.path(), "loudspeaker/vi/ke-hoach.txt");
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let sentence = "Người dân cần cảnh giác với lời mời chào việc làm lương cao.";
    assert_eq!(paragraphs[2], "Tóm tắt kế hoạch.", "{text}");
    assert_eq!(paragraphs[3], "Sau đây là phần: Nhiệm vụ chính.", "{text}");
    assert_eq!(text.matches(sentence).count(), 2 + 2 + 2, "first paragraphs only: {text}");
    assert!(text.contains("Theo quy định."), "{text}");
    assert!(!text.contains("Mở đầu ngắn"), "text before the first heading is left out: {text}");
    assert!(text.contains("Khi cần giúp đỡ"), "the hotlines stay: {text}");
}

/// The text of the link whose address contains `href`, if the page has one.
fn link_text<'a>(html: &'a str, href: &str) -> Option<&'a str> {
    html.split("<a ").skip(1).find_map(|a| {
        let (attributes, rest) = a.split_once('>')?;
        attributes.contains(href).then(|| rest.split("</a>").next().unwrap_or_default())
    })
}

#[test]
fn every_page_of_every_language_links_its_loudspeaker_index_from_the_footer() {
    let site = common::example();
    let (ok, _, stderr) = run_loa(site.path(), &["build", "--now", "2024-07-15"]);
    assert!(ok, "{stderr}");
    let public = site.path().join("public");
    let mut seen = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&public).unwrap().to_string_lossy().into_owned();
        if !relative.ends_with(".html") || relative.starts_with("loudspeaker/") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        if html.contains("http-equiv=refresh") || !html.contains("<footer") {
            continue;
        }
        let footer = html.split("<footer").nth(1).unwrap();
        let lang = html.split("<html lang=").nth(1).unwrap().split(['>', ' ']).next().unwrap();
        let lang = lang.trim_matches('"').to_owned();
        let (index, wording) = match lang.as_str() {
            "en" => ("/loudspeaker/en/", "Scripts for the village loudspeaker"),
            // Cơ Tu has no script and no wording of its own: the Vietnamese ones are used.
            _ => ("/loudspeaker/vi/", "Bản đọc cho loa truyền thanh"),
        };
        assert_eq!(link_text(footer, index), Some(wording), "{relative} ({lang})");
        *seen.entry(lang).or_insert(0) += 1;
    }
    assert!(["vi", "en", "ktv"].iter().all(|l| seen.get(*l) > Some(&3)), "{seen:?}");
    assert!(public.join("loudspeaker/vi/index.html").is_file());
    assert!(public.join("loudspeaker/en/index.html").is_file());
    let page = read(site.path(), "quyen-cua-nan-nhan/index.html");
    assert!(
        link_text(&page, "/loudspeaker/vi/quyen-cua-nan-nhan.html").is_some(),
        "a page with a script links it: {page}"
    );
}

#[test]
fn the_index_lists_scripts_by_section_newest_first_and_a_running_campaign_first() {
    let site = fixture("minimal");
    let page = |title: &str, date: &str| {
        let date = if date.is_empty() { String::new() } else { format!("date: {date}\n") };
        format!("---\ntitle: {title}\n{date}---\n\nChung tay phòng, chống mua bán người.\n")
    };
    write(site.path(), "content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n");
    write(site.path(), "content/tin-tuc/cu.md", page("Tin cũ", "2024-07-01"));
    write(site.path(), "content/tin-tuc/moi.md", page("Tin mới", "2024-07-20"));
    write(site.path(), "content/tin-tuc/khong-ngay.md", page("Tin không ngày", ""));
    write(
        site.path(),
        "content/ngay-30-7/_index.md",
        "---\ntitle: Tháng hành động\ncampaign:\n  start: 1/7/2024\n  end: 31/7/2024\n---\n",
    );
    write(site.path(), "content/ngay-30-7/thong-diep.md", page("Thông điệp", "2024-06-01"));
    let order = |now: &str| {
        let (ok, _, stderr) = run_loa(site.path(), &["build", "--now", now]);
        assert!(ok, "{stderr}");
        let index = read(site.path(), "loudspeaker/vi/index.html");
        let at = |text: &str| index.find(text).unwrap_or_else(|| panic!("{text}: {index}"));
        let mut titles = ["Bài viết", "Thông điệp", "Tin mới", "Tin cũ", "Tin không ngày"];
        titles.sort_by_key(|t| at(&format!(">{t}</a>")));
        assert!(at(">Tháng hành động</th>") < at(">Thông điệp</a>"), "{index}");
        assert!(at(">Tin tức</th>") < at(">Tin mới</a>"), "{index}");
        titles
    };
    assert_eq!(
        order("2024-07-15"),
        ["Thông điệp", "Bài viết", "Tin mới", "Tin cũ", "Tin không ngày"],
        "during the campaign its scripts come first"
    );
    assert_eq!(
        order("2024-08-15"),
        ["Bài viết", "Thông điệp", "Tin mới", "Tin cũ", "Tin không ngày"],
        "after it, sections keep the site's order"
    );
}
