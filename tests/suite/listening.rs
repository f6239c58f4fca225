//! Loudspeaker scripts written for listening (issue 22): what is only for the eye is left out,
//! stacked headings give one transition, callouts have a spoken lead, the hotline block says
//! what `site.yaml` marks, `{% web %}` and `{% speak %}` give each version its own wording.

use crate::common;

use common::{fixture, read, run_loa, write};

/// A site with the three example hotlines, marked as `site.yaml` marks them there, and 111
/// also marked confidential.
fn site_with_hotlines() -> tempfile::TempDir {
    let site = fixture("minimal");
    write(
        site.path(),
        "site.yaml",
        "base_url: https://example.org\nlanguages:\n  - code: vi\n  - code: en\nhotlines:\n  - id: \"111\"\n    number: \"111\"\n    hours: \"24/7\"\n    free: true\n    confidential: true\n  - id: \"1800-1581\"\n    number: \"18001581\"\n    display: \"1800 1581\"\n    free: true\n  - id: \"113\"\n    number: \"113\"\n",
    );
    write(
        site.path(),
        "locales/vi.yaml",
        "site:\n  title: Trang thử\nhotline:\n  \"111\": Tổng đài quốc gia bảo vệ trẻ em\n  \"1800-1581\": Đường dây nóng\n  \"113\": Công an\n",
    );
    site
}

/// The paragraphs of a page's Vietnamese script, after building the site.
fn script(site: &std::path::Path, page: &str, body: &str) -> Vec<String> {
    write(site, &format!("content/{page}.md"), format!("---\ntitle: Bài thử\n---\n\n{body}"));
    let (ok, _, stderr) = run_loa(site, &["build"]);
    assert!(ok, "{stderr}");
    let text = read(site, &format!("loudspeaker/vi/{page}.txt"));
    text.split("\n\n").map(|p| p.trim().to_owned()).collect()
}

#[test]
fn qr_codes_images_figures_and_bare_addresses_are_left_out_of_the_script() {
    let site = site_with_hotlines();
    let png =
        std::fs::read(common::repo().join("tests/fixtures/whole/content/bai-viet/to-roi.png"));
    write(site.path(), "static/anh.png", png.unwrap());
    let body = "Quét mã để đọc trên điện thoại.\n\n{{ qr(url=\"https://example.org/a\") }}\n\n![Ảnh tập huấn](/anh.png)\n\nThông tin có ở https://example.org/tin và <https://example.org/b>.\n\nĐến Ủy ban nhân dân xã để được hỗ trợ.\n";
    let said = script(site.path(), "qr", body).join("\n");
    assert!(said.contains("Đến Ủy ban nhân dân xã để được hỗ trợ."), "{said}");
    for eye in ["example", "Ảnh tập huấn", "Quét mã", "http"] {
        assert!(!said.contains(eye), "{eye} is for the eye: {said}");
    }
    assert!(
        said.contains("Thông tin có ở và ."),
        "the sentence stays without the addresses: {said}"
    );
}

#[test]
fn link_only_lines_see_also_lists_and_sentences_about_the_page_are_left_out() {
    let site = site_with_hotlines();
    let body = "Trang này tóm tắt những nội dung chính. Kẻ xấu thường hứa việc nhẹ lương cao.\n\n## Mục lục\n\n- [Dấu hiệu](#dau-hieu)\n- [Xem lại dấu hiệu](#dau-hieu)\n\n## Dấu hiệu\n\n- Hứa đưa đi làm xa.\n- [Nhận biết việc làm giả](@/bai-viet.md)\n- Giữ giấy tờ của bạn.\n\nNếu nghi ngờ, gọi [111](tel:111). Xem thêm [quyền của nạn nhân](@/bai-viet.md).\n\nXem thêm:\n\n- [Bài viết](@/bai-viet.md)\n- [Trang chủ](@/_index.md)\n";
    let said = script(site.path(), "xem-them", body);
    let joined = said.join("\n");
    assert!(joined.contains("Kẻ xấu thường hứa việc nhẹ lương cao."), "{joined}");
    assert!(!joined.contains("tóm tắt") && !joined.contains("Mục lục"), "{joined}");
    assert!(!joined.contains("Xem thêm") && !joined.contains("quyền của nạn nhân"), "{joined}");
    assert!(
        !joined.contains("Nhận biết việc làm giả") && !joined.contains("Trang chủ"),
        "{joined}"
    );
    assert!(said.contains(&"Thứ nhất, Hứa đưa đi làm xa.".to_owned()), "{joined}");
    assert!(
        said.contains(&"Thứ hai, Giữ giấy tờ của bạn.".to_owned()),
        "numbered as heard: {joined}"
    );
    assert!(said.contains(&"Nếu nghi ngờ, gọi một một một.".to_owned()), "{joined}");
    assert_eq!(joined.matches("Sau đây là phần").count(), 1, "{joined}");
}

#[test]
fn a_heading_directly_followed_by_a_sub_heading_gives_one_transition() {
    let site = site_with_hotlines();
    let body = "## Nhiệm vụ chính\n\n### Tuyên truyền\n\nPhát bản tin trên loa mỗi tuần.\n\n### Hỗ trợ\n\nĐón nạn nhân trở về.\n";
    let said = script(site.path(), "nhiem-vu", body);
    let transitions: Vec<&String> =
        said.iter().filter(|p| p.starts_with("Sau đây là phần")).collect();
    assert_eq!(
        transitions,
        ["Sau đây là phần: Nhiệm vụ chính, mục Tuyên truyền.", "Sau đây là phần: Hỗ trợ."],
        "{said:?}"
    );
}

#[test]
fn each_callout_kind_is_led_by_its_spoken_lead_instead_of_its_title() {
    let site = site_with_hotlines();
    let body = "{% callout(kind=\"warning\") %}\nKhông đưa giấy tờ cho người lạ giữ.\n{% end %}\n\n{% callout(kind=\"help\") %}\n{{ hotline(id=\"1800-1581\") }}\n{% end %}\n\n{% callout(kind=\"info\") %}\nNạn nhân được hỗ trợ miễn phí.\n{% end %}\n";
    let said = script(site.path(), "luu-y", body);
    let joined = said.join("\n");
    assert!(
        said.contains(&"Xin lưu ý: Không đưa giấy tờ cho người lạ giữ.".to_owned()),
        "{joined}"
    );
    assert!(
        joined
            .contains("Cần giúp đỡ, xin gọi: Đường dây nóng một tám không không, một năm tám một."),
        "{joined}"
    );
    assert!(
        said.contains(&"Bà con cần biết: Nạn nhân được hỗ trợ miễn phí.".to_owned()),
        "{joined}"
    );
    assert!(!joined.contains("Cảnh báo") && !joined.contains("Cần giúp đỡ?"), "{joined}");
}

#[test]
fn the_hotline_block_says_free_24_7_and_confidential_only_where_site_yaml_marks_them_and_its_repetition_opens_with_xin_nhac_lai()
 {
    let site = site_with_hotlines();
    let said = script(site.path(), "goi", "Bà con hãy cảnh giác.\n");
    let block = "Khi cần giúp đỡ, bà con hãy gọi Tổng đài quốc gia bảo vệ trẻ em, số một một một, gọi miễn phí, trực suốt ngày đêm, giữ bí mật cho người gọi; Đường dây nóng, số một tám không không, một năm tám một, gọi miễn phí; Công an, số một một ba.";
    let end = said.len();
    assert_eq!(said[end - 3], block, "{said:#?}");
    assert_eq!(said[end - 2], format!("Xin nhắc lại: {block}"), "{said:#?}");
    assert!(said[end - 1].starts_with("Bà con vừa nghe bài"), "{said:#?}");
    assert_eq!(said.iter().filter(|p| p.contains("bí mật")).count(), 2, "{said:#?}");
}

#[test]
fn web_blocks_are_left_out_of_the_script_and_speak_blocks_out_of_the_web_print_and_search() {
    let site = site_with_hotlines();
    let body = "Ngày 30/7 là Ngày toàn dân phòng, chống mua bán người.\n\n{% web %}\nTải tờ rơi tại https://example.org/to-roi.pdf rồi in ra.\n{% end %}\n\n{% speak %}\nBà con đến nhà văn hóa thôn để nhận tờ rơi, hoặc vào trang phongchongmuabannguoi.example.vn.\n{% end %}\n";
    let said = script(site.path(), "hai-ban", body).join("\n");
    assert!(said.contains("Bà con đến nhà văn hóa thôn để nhận tờ rơi"), "{said}");
    assert!(said.contains("phongchongmuabannguoi.example.vn"), "written to be read: {said}");
    assert!(!said.contains("Tải tờ rơi"), "{said}");
    let html = read(site.path(), "hai-ban/index.html");
    assert!(html.contains("Tải tờ rơi tại"), "{html}");
    assert!(!html.contains("nhà văn hóa thôn"), "{html}");
    let folder = site.path().join("public/search-index/vi/d");
    let search: String = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert!(search.contains("Tải tờ rơi tại"), "the web text is searched");
    assert!(!search.contains("nhà văn hóa thôn"), "the spoken text is not searched");
}

#[test]
fn check_notes_each_pages_spoken_only_and_web_only_parts_with_their_lines_without_warning() {
    let site = site_with_hotlines();
    let body = "Mở đầu.\n\n{% web %}\nXem bản đồ.\n{% end %}\n\n{% speak %}\nĐến nhà văn hóa thôn.\n{% end %}\n\n{% speak %}\nGọi một một một.\n{% end %}\n";
    write(site.path(), "content/ghi-chu.md", format!("---\ntitle: Ghi chú\n---\n\n{body}"));
    let (ok, stdout, stderr) = run_loa(site.path(), &["check"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("11:1 note: read on the loudspeaker only"), "{stdout}");
    assert!(stdout.contains("`speak` block(s) at line(s) 11, 15"), "{stdout}");
    assert!(stdout.contains("7:1 note: left out of the loudspeaker script"), "{stdout}");
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "notes are not warnings: {stdout}");
    let (ok, json, _) = run_loa(site.path(), &["check", "--format", "json"]);
    assert!(ok, "{json}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "note")
        .collect();
    assert_eq!(notes.len(), 2, "{json}");
    assert_eq!(notes[0]["code"], "loudspeaker.web_only", "{json}");
    assert_eq!((notes[0]["line"].as_u64(), notes[1]["line"].as_u64()), (Some(7), Some(11)));
    assert_eq!(report["warnings"], 0, "{json}");
}

#[test]
fn loudspeaker_short_passes_over_a_lead_to_a_list_and_takes_a_list_standing_right_under_its_heading()
 {
    let site = site_with_hotlines();
    let body = "## Ai tham gia?\n\nHọc viên là:\n\n- cán bộ Công an xã;\n- trưởng thôn.\n\n## Nội dung\n\nHọc viên được hướng dẫn:\n\n- nhận biết dấu hiệu;\n\nCác buổi học dùng tình huống thực tế.\n\n## Mục đích\n\n- giúp nạn nhân sớm ổn định cuộc sống.\n- nâng cao hiểu biết.\n";
    let page =
        "---\ntitle: Tập huấn\nloudspeaker: short\ndescription: Tập huấn cho cán bộ xã.\n---\n\n";
    write(site.path(), "content/tap-huan.md", format!("{page}{body}"));
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let text = read(site.path(), "loudspeaker/vi/tap-huan.txt");
    assert!(!text.contains("Ai tham gia") && !text.contains("cán bộ Công an"), "{text}");
    assert!(
        text.contains("Sau đây là phần: Nội dung.\n\nCác buổi học dùng tình huống thực tế."),
        "{text}"
    );
    assert!(
        text.contains("Sau đây là phần: Mục đích.\n\nGiúp nạn nhân sớm ổn định cuộc sống."),
        "{text}"
    );
    assert!(!text.contains("nâng cao"), "the first item only: {text}");
}

#[test]
fn speak_blocks_are_left_out_of_print_and_web_blocks_printed() {
    if !common::has_tool("pdftotext") {
        return;
    }
    let site = site_with_hotlines();
    let body = "Ngày 30/7 là Ngày toàn dân phòng, chống mua bán người.\n\n{% web %}\nTải tờ rơi rồi in ra.\n{% end %}\n\n{% speak %}\nBà con đến nhà văn hóa thôn để nhận tờ rơi.\n{% end %}\n";
    let page = format!("---\ntitle: Bài in\nprint: leaflet-a5\n---\n\n{body}");
    write(site.path(), "content/bai-in.md", page);
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(site.path().join("public/bai-in/bai-in.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Tải tờ rơi rồi in ra."), "{text}");
    assert!(!text.contains("nhà văn hóa thôn"), "{text}");
}
