//! Issue 18: every message a person reads is in Vietnamese under `LANG=vi_VN.UTF-8` and under
//! `--ui-lang vi`, with its file, line, column and hint, and a mistake changes nothing in public/.

use std::path::Path;
use std::process::Command;

use crate::common;

use common::bad::{assert_same, snapshot};
use common::{fixture, write};

/// How the Vietnamese interface is asked for.
#[derive(Clone, Copy, Debug)]
enum AskedBy {
    /// `LANG=vi_VN.UTF-8`.
    Lang,
    /// `--ui-lang vi` with `LANG=C`.
    Option,
}

const BOTH: [AskedBy; 2] = [AskedBy::Lang, AskedBy::Option];

/// Runs loa in `dir` with the Vietnamese interface asked for `by`; returns (success, stdout, stderr).
fn run_vi(dir: &Path, by: AskedBy, args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loa"));
    command.current_dir(dir).env_remove("LC_ALL").env_remove("LC_MESSAGES");
    match by {
        AskedBy::Lang => command.env("LANG", "vi_VN.UTF-8").args(args),
        AskedBy::Option => command.env("LANG", "C").args(["--ui-lang", "vi"]).args(args),
    };
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

fn assert_contains(haystack: &str, needles: &[&str], what: &str) {
    for needle in needles {
        assert!(haystack.contains(needle), "{what}: `{needle}` not in:\n{haystack}");
    }
}

/// Builds the minimal fixture, writes `text` to `path`, and checks that the build fails both
/// ways with `needles` in its error output while public/ stays as the good build left it.
fn assert_mistake(path: &str, text: &str, needles: &[&str]) {
    let site = fixture("minimal");
    let (ok, _, stderr) = run_vi(site.path(), AskedBy::Lang, &["build", "--now", "2024-08-01"]);
    assert!(ok, "{stderr}");
    let before = snapshot(&site.path().join("public"));
    write(site.path(), path, text);
    for by in BOTH {
        let (ok, _, stderr) = run_vi(site.path(), by, &["build", "--now", "2024-08-01"]);
        let what = format!("{path} under {by:?}");
        assert!(!ok, "{what}: the build should fail");
        common::bad::assert_no_panic(&stderr, &what);
        assert_contains(&stderr, needles, &what);
        assert_contains(&stderr, &["lỗi: ", "\n  gợi ý: "], &what);
        assert_same(&before, &snapshot(&site.path().join("public")), &what);
    }
}

#[test]
fn finding_18_a_value_with_a_colon_is_explained_with_the_quoted_line() {
    assert_mistake(
        "content/a.md",
        "---\ntitle: A\ndescription: Dấu hiệu: lừa đảo\n---\n",
        &[
            "content/a.md:3:",
            "giá trị này có `: `",
            "gợi ý: đặt giá trị trong dấu ngoặc kép: `description: \"Dấu hiệu: lừa đảo\"`",
        ],
    );
}

#[test]
fn finding_18_front_matter_left_open_above_a_divider_asks_for_the_closing_line() {
    assert_mistake(
        "content/a.md",
        "---\ntitle: A\ndraft: false\n\nMở đầu bài viết.\n\n---\n\nPhần hai.\n",
        &[
            "content/a.md:5:1: phần đầu trang chưa được đóng",
            "gợi ý: thêm một dòng chỉ có `---` sau khóa cuối cùng, `draft: false` (dòng 3)",
        ],
    );
}

#[test]
fn finding_18_wrong_types_in_front_matter_are_named_in_vietnamese() {
    let cases = [
        (
            "---\ntitle: A\ndraft: có\n---\n",
            "content/a.md:3:8: giá trị này phải là true hoặc false",
        ),
        (
            "---\ntitle: A\nweight: nặng\n---\n",
            "content/a.md:3:9: giá trị này phải là một số nguyên",
        ),
        (
            "---\ntitle: A\ntags: an-toàn\n---\n",
            "content/a.md:3:7: giá trị này phải là một danh sách",
        ),
        ("---\ntitle: A\ntags:\n\t- a\n---\n", "content/a.md:4:"),
    ];
    for (text, needle) in cases {
        assert_mistake("content/a.md", text, &[needle]);
    }
}

#[test]
fn finding_18_theme_shortcode_errors_are_in_vietnamese() {
    let page = |body: &str| format!("---\ntitle: Lỗi\n---\n\n{body}\n");
    let cases = [
        (
            "{{ hotline(id=\"abc\") }}",
            "content/loi.md:5:1: không có đường dây nóng `abc` trong site.yaml",
        ),
        (
            "{% callout(kind=\"nguy-hiem\") %}\nx\n{% end %}",
            "content/loi.md:5:1: loại của khung ghi chú phải là warning, info hoặc help, không phải `nguy-hiem`",
        ),
        (
            "{{ countdown(date=\"31/2/2025\") }}",
            "content/loi.md:5:1: `31/2/2025` không phải là một ngày có thật",
        ),
        ("{{ hotline(id=111) }}", "content/loi.md:5:1: tham số `id` của `hotline` phải là chữ"),
    ];
    for (body, needle) in cases {
        assert_mistake("content/loi.md", &page(body), &[needle]);
    }
}

#[test]
fn finding_18_outside_a_site_loa_says_where_it_looked_and_how_to_start() {
    let empty = tempfile::tempdir().unwrap();
    for by in BOTH {
        let (ok, _, stderr) = run_vi(empty.path(), by, &["build"]);
        assert!(!ok);
        assert_contains(
            &stderr,
            &["không có tệp site.yaml trong", "gợi ý: ", "`loa init chien-dich-moi`"],
            "an empty folder",
        );
        assert!(stderr.contains(&*empty.path().display().to_string()), "{stderr}");
        assert!(!stderr.contains("os error"), "{stderr}");
    }
    let above = fixture("minimal");
    let (ok, _, stderr) = run_vi(above.path(), AskedBy::Lang, &["build", "--root", "content"]);
    assert!(!ok);
    let site = above.path().display().to_string();
    assert_contains(&stderr, &[&format!("(`cd {site}`)")], "a folder inside a site");
    assert!(!above.path().join("content/public").exists());
}

#[test]
fn finding_18_command_line_mistakes_are_in_vietnamese_with_did_you_mean() {
    let site = fixture("minimal");
    for by in BOTH {
        let (ok, _, stderr) = run_vi(site.path(), by, &["buld"]);
        assert!(!ok);
        assert_contains(
            &stderr,
            &[
                "lỗi: `buld` không phải là một lệnh của `loa`",
                "gợi ý: có phải bạn muốn viết `loa build`?",
            ],
            "loa buld",
        );
        let (ok, _, stderr) = run_vi(site.path(), by, &["build", "--draft"]);
        assert!(!ok);
        assert_contains(
            &stderr,
            &[
                "`--draft` không phải là một tùy chọn của `loa build`",
                "có phải bạn muốn viết `--drafts`?",
            ],
            "loa build --draft",
        );
        let (ok, _, stderr) = run_vi(site.path(), by, &["check", "--format", "xml"]);
        assert!(!ok);
        assert_contains(&stderr, &["`xml` không phải là giá trị mà", "text, json"], "--format");
    }
    assert!(!site.path().join("public").exists());
}

#[test]
fn finding_18_help_is_in_vietnamese() {
    let site = fixture("minimal");
    for by in BOTH {
        let (ok, stdout, _) = run_vi(site.path(), by, &["--help"]);
        assert!(ok);
        assert_contains(
            &stdout,
            &["Cách dùng:", "Lệnh:", "Tùy chọn:", "Dựng toàn bộ trang web", "In phần trợ giúp"],
            "loa --help",
        );
        let (ok, stdout, _) = run_vi(site.path(), by, &["build", "--help"]);
        assert!(ok);
        assert_contains(&stdout, &["Xuất bản cả các bản nháp.", "Ví dụ:"], "loa build --help");
        for english in ["Usage:", "Options:", "Print help", "Publish drafts"] {
            assert!(!stdout.contains(english), "`{english}` in:\n{stdout}");
        }
    }
    let (ok, stdout, _) = common::run_loa(site.path(), &["build", "--help"]);
    assert!(ok);
    assert_contains(&stdout, &["Usage:", "Publish drafts too."], "English help");
}

fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path()).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn finding_18_init_then_build_then_check_gives_no_error_and_publishes_no_placeholder() {
    let parent = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run_vi(parent.path(), AskedBy::Lang, &["init", "chien-dich"]);
    assert!(ok, "{stderr}");
    let site = parent.path().join("chien-dich");
    let leaflet = std::fs::read_to_string(site.join("content/to-roi-duong-day-nong.md")).unwrap();
    assert!(leaflet.contains("draft: true") && leaflet.contains("title: \"Tờ rơi:"), "{leaflet}");
    let (ok, _, stderr) = run_vi(&site, AskedBy::Lang, &["build"]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("lỗi") && !stderr.contains("`loa new`"), "{stderr}");
    let (ok, stdout, _) = run_vi(&site, AskedBy::Lang, &["check"]);
    assert!(ok && stdout.contains("0 lỗi"), "{stdout}");
    let public = site.join("public");
    assert!(public.join("index.html").is_file());
    assert_eq!(files_containing(&public, "Viết nội dung ở đây"), Vec::<String>::new());
    assert_eq!(files_containing(&public, "to-roi-duong-day-nong"), Vec::<String>::new());
}

#[test]
fn finding_18_new_pages_are_drafts_that_keep_the_title_s_diacritics() {
    let site = fixture("minimal");
    let title = "Cảnh báo: việc làm lương cao";
    let (ok, stdout, stderr) =
        run_vi(site.path(), AskedBy::Option, &["new", "page", "tin-tuc/", "--title", title]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("bản nháp"), "{stdout}");
    let page =
        std::fs::read_to_string(site.path().join("content/tin-tuc/canh-bao-viec-lam-luong-cao.md"))
            .unwrap();
    assert!(page.contains(&format!("title: \"{title}\"\n")), "{page}");
    assert!(page.contains("\ndraft: true\n"), "{page}");
    let (ok, _, stderr) = run_vi(site.path(), AskedBy::Lang, &["build"]);
    assert!(ok, "{stderr}");
    assert!(!site.path().join("public/tin-tuc/canh-bao-viec-lam-luong-cao").exists());
    let published = page.replace("draft: true\n", "");
    write(site.path(), "content/tin-tuc/canh-bao-viec-lam-luong-cao.md", &published);
    let (ok, stdout, _) = run_vi(site.path(), AskedBy::Lang, &["check"]);
    assert!(!ok, "{stdout}");
    assert_contains(
        &stdout,
        &[
            "content/tin-tuc/canh-bao-viec-lam-luong-cao.md\n  8:1 lỗi: trang này không phải là bản nháp",
            "gợi ý: viết nội dung của trang",
        ],
        "check",
    );
    let (ok, _, stderr) = run_vi(site.path(), AskedBy::Lang, &["build"]);
    assert!(ok, "{stderr}");
    assert_contains(
        &stderr,
        &["cảnh báo: content/tin-tuc/canh-bao-viec-lam-luong-cao.md:8:1: trang này"],
        "build",
    );
}

#[test]
fn finding_18_a_new_campaign_takes_its_day_and_never_guesses_the_year() {
    let site = fixture("minimal");
    let (ok, _, stderr) = run_vi(
        site.path(),
        AskedBy::Lang,
        &["new", "campaign", "ngay-30-thang-7-2025", "--title", "Ngày 30/7"],
    );
    assert!(!ok);
    let hint =
        "gợi ý: nêu ngày bằng --day, ví dụ: loa new campaign ngay-30-thang-7-2025 --day 30/7/2025";
    assert_contains(&stderr, &["loa không tự đoán năm", hint], "no --day");
    assert!(!site.path().join("content/ngay-30-thang-7-2025").exists());
    let args = [
        "new",
        "campaign",
        "ngay-30-thang-7-2025",
        "--day",
        "30/7/2025",
        "--title",
        "Ngày 30 tháng 7",
    ];
    let (ok, _, stderr) = run_vi(site.path(), AskedBy::Lang, &args);
    assert!(ok, "{stderr}");
    let page = std::fs::read_to_string(site.path().join("content/ngay-30-thang-7-2025/_index.md"))
        .unwrap();
    for line in [
        "title: \"Ngày 30 tháng 7\"",
        "draft: true",
        "day: 30/7/2025",
        "start: 1/7/2025",
        "end: 31/7/2025",
    ] {
        assert!(page.contains(line), "`{line}` not in:\n{page}");
    }
}

/// Words of clap's own, which a Vietnamese help page must not show.
const CLAP_ENGLISH: [&str; 12] = [
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "OPTIONS",
    "COMMAND",
    "Print help",
    "Print version",
    "Print this message",
    "subcommand",
    "default:",
    "possible values",
];

#[test]
fn finding_18_vietnamese_help_has_no_english_word_of_clap_s() {
    let site = fixture("minimal");
    let commands: [&[&str]; 13] = [
        &[],
        &["build"],
        &["serve"],
        &["check"],
        &["i18n"],
        &["i18n", "status"],
        &["i18n", "stamp"],
        &["i18n", "diff"],
        &["speak"],
        &["init"],
        &["new"],
        &["help"],
        &["i18n", "help"],
    ];
    for by in BOTH {
        for command in commands {
            let help = if command.contains(&"help") { None } else { Some("--help") };
            let args: Vec<&str> = command.iter().copied().chain(help).collect();
            let (_, stdout, stderr) = run_vi(site.path(), by, &args);
            let what = format!("loa {} under {by:?}", args.join(" "));
            assert!(stdout.contains("Cách dùng: loa"), "{what}:\n{stdout}{stderr}");
            for english in CLAP_ENGLISH {
                assert!(!stdout.contains(english), "{what}: `{english}` in:\n{stdout}");
            }
            let shouting: Vec<&str> = stdout
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .filter(|w| w.len() > 2 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .filter(|w| !["LANG", "PDF", "RFC"].contains(w))
                .collect();
            assert!(shouting.is_empty(), "{what}: English placeholders {shouting:?} in:\n{stdout}");
        }
    }
    let (_, stdout, _) = run_vi(site.path(), AskedBy::Option, &["new", "--help"]);
    assert!(stdout.contains("Cách dùng: loa new [TÙY_CHỌN] <LOẠI> <ĐƯỜNG_DẪN>"), "{stdout}");
    assert!(stdout.contains("--title <TIÊU_ĐỀ>"), "{stdout}");
    let (_, stdout, _) = common::run_loa(site.path(), &["new", "--help"]);
    assert!(stdout.contains("Usage: loa new [OPTIONS] <KIND> <PATH>"), "{stdout}");
}

/// Runs `loa new` in `dir` with the Vietnamese interface and `input` on its standard input.
fn new_with_input(dir: &Path, by: AskedBy, args: &[&str], input: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_loa"));
    command.current_dir(dir).env_remove("LC_ALL").env_remove("LC_MESSAGES");
    match by {
        AskedBy::Lang => command.env("LANG", "vi_VN.UTF-8"),
        AskedBy::Option => command.env("LANG", "C").args(["--ui-lang", "vi"]),
    };
    let mut child = command
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

#[test]
fn finding_18_new_without_title_takes_a_piped_title_with_its_diacritics() {
    let site = fixture("minimal");
    let title = "Cảnh giác với lời mời đi làm ở nước ngoài";
    let (ok, stdout, stderr) = new_with_input(
        site.path(),
        AskedBy::Lang,
        &["new", "page", "tin-tuc/"],
        &format!("{title}\n"),
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("content/tin-tuc/canh-giac-voi-loi-moi-di-lam-o-nuoc-ngoai.md"),
        "{stdout}"
    );
    let page = std::fs::read_to_string(
        site.path().join("content/tin-tuc/canh-giac-voi-loi-moi-di-lam-o-nuoc-ngoai.md"),
    )
    .unwrap();
    assert!(page.contains(&format!("title: \"{title}\"\n")), "{page}");
    assert!(page.contains("\ndraft: true\n"), "{page}");
}

#[test]
fn finding_18_new_without_title_and_nothing_piped_asks_for_title_in_vietnamese() {
    let site = fixture("minimal");
    let before = snapshot(&site.path().join("content"));
    for by in BOTH {
        let (ok, _, stderr) = new_with_input(site.path(), by, &["new", "page", "tin-tuc/moi"], "");
        assert!(!ok, "{by:?}: {stderr}");
        assert_contains(
            &stderr,
            &["lỗi: `loa new` cần tiêu đề của trang", "\n  gợi ý: ghi tiêu đề bằng --title"],
            &format!("{by:?}"),
        );
        assert_same(&before, &snapshot(&site.path().join("content")), "nothing written");
    }
}

#[test]
fn finding_18_new_without_title_in_a_terminal_prompts_in_vietnamese() {
    if !common::has_tool("script") {
        eprintln!("skipped: `script` (util-linux) gives loa a terminal");
        return;
    }
    let site = fixture("minimal");
    let loa = env!("CARGO_BIN_EXE_loa");
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &format!("{loa} new page tin-tuc/"), "/dev/null"])
        .current_dir(site.path())
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("LC_ALL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all("Tuyên truyền ở bản\n".as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("Tiêu đề của trang mới (viết có dấu):"), "{shown}");
    let page =
        std::fs::read_to_string(site.path().join("content/tin-tuc/tuyen-truyen-o-ban.md")).unwrap();
    assert!(page.contains("title: \"Tuyên truyền ở bản\"\n"), "{page}");
}

/// The example site built as a reader gets it.
fn built_example() -> tempfile::TempDir {
    let site = common::example();
    let (ok, _, stderr) = common::run_loa(site.path(), &["build", "--now", "2024-08-01"]);
    assert!(ok, "{stderr}");
    site
}

#[test]
fn finding_18_the_fallback_notice_names_languages_as_a_sentence_does() {
    let site = built_example();
    let ktv = common::read(site.path(), "ktv/index.html");
    assert!(
        ktv.contains("Trang này chưa có bản tiếng Cơ Tu. Nội dung dưới đây bằng tiếng Việt."),
        "{ktv}"
    );
    let search = common::read(site.path(), "search/index.html");
    assert!(search.contains("data-name-vi=\"tiếng Việt\""), "search results say 'bằng tiếng Việt'");
    let en = common::read(site.path(), "en/tin-tuc/tap-huan-can-bo-xa-mien-nui/index.html");
    assert!(
        en.contains("This page is not yet available in English. It is shown in Vietnamese."),
        "{en}"
    );
}

#[test]
fn finding_18_no_english_page_of_the_example_says_it_may_be_out_of_date() {
    let site = built_example();
    let outdated = files_containing(&site.path().join("public/en"), "may be out of date");
    assert!(outdated.is_empty(), "outdated translations shipped: {outdated:?}");
}

#[test]
fn finding_18_the_hotline_has_one_name_in_the_page_table_and_the_banner() {
    let site = built_example();
    let home = common::read(site.path(), "index.html");
    let name = "Tổng đài điện thoại quốc gia bảo vệ trẻ em";
    assert!(home.matches(name).count() >= 2, "the table and the banner name 111 alike:\n{home}");
    let other = files_containing(&site.path().join("public"), "Tổng đài quốc gia");
    assert!(other.is_empty(), "another name for 111 in {other:?}");
}

#[test]
fn finding_18_the_guides_count_the_example_s_articles_and_drafts_as_they_are() {
    let news = common::repo().join("content/tin-tuc");
    let (mut articles, mut drafts) = (0, 0);
    for entry in std::fs::read_dir(&news).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('_') || name.matches('.').count() > 1 || !name.ends_with(".md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if text.contains("\ndraft: true\n") { drafts += 1 } else { articles += 1 }
    }
    let english = ["no", "one", "two", "three", "four", "five", "six"];
    let vietnamese = ["không", "một", "hai", "ba", "bốn", "năm", "sáu"];
    let guide = std::fs::read_to_string(common::repo().join("docs/guide.md")).unwrap();
    let huong_dan = std::fs::read_to_string(common::repo().join("docs/huong-dan.md")).unwrap();
    let said = format!("{} articles (and {} draft)", english[articles], english[drafts]);
    assert!(guide.contains(&said), "docs/guide.md should say `{said}`");
    let said = format!("{} bài viết (và {} bản nháp)", vietnamese[articles], vietnamese[drafts]);
    assert!(huong_dan.contains(&said), "docs/huong-dan.md should say `{said}`");
}
