//! The studio at `/_studio/` of `loa serve`, over HTTP: who may change something (session
//! token, same origin, `Host`, the one-time link beyond loopback), which files it may reach,
//! and saves that keep every byte the form does not show and never overwrite a file changed
//! on disk since it was opened.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::bad::{assert_same, snapshot};

/// A running `loa serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// The studio line it printed.
    studio: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path, bind: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["serve", "--port", "0", "--bind", bind])
        .current_dir(site)
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut address = None;
    let studio = loop {
        let line = lines.next().expect("serve printed its addresses").unwrap();
        if line.contains("/_studio/") {
            break line;
        }
        if let Some(rest) = line.split("http://").nth(1) {
            address = Some(rest.split('/').next().unwrap().to_owned());
        }
    };
    let address = address.expect("serve printed the site's address");
    let port = address.rsplit(':').next().unwrap();
    Server { child, address: format!("127.0.0.1:{port}"), studio }
}

/// A response: status, head, body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends one request with `headers` (a `Host` naming the server unless given).
fn send(server: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {}\r\n", server.address));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_owned(), body: body.to_owned() }
}

/// The session token written into the studio page.
fn token(server: &Server) -> String {
    let page = send(server, "GET", "/_studio/", &[], "");
    assert_eq!(page.status, 200, "{}", page.body);
    let marker = "name=\"loa-token\" content=\"";
    let start = page.body.find(marker).expect("the page carries the token") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

/// Sends a change as the studio page does: the token, the server's own origin, JSON.
fn change(server: &Server, path: &str, token: &str, body: &serde_json::Value) -> Answer {
    let origin = format!("http://{}", server.address);
    let headers =
        [("x-loa-token", token), ("Origin", origin.as_str()), ("Content-Type", "application/json")];
    send(server, "POST", path, &headers, &body.to_string())
}

/// Opens a page as the editor does.
fn open(server: &Server, path: &str) -> serde_json::Value {
    let answer = send(server, "GET", &format!("/_studio/api/file?path={path}"), &[], "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A source file of the site as text.
fn source_text(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap()
}

/// The site's sources, which no refused request may change.
fn sources(site: &Path) -> common::bad::Snapshot {
    let mut all = snapshot(&site.join("content"));
    all.extend(snapshot(&site.join("locales")));
    let settings = std::fs::read(site.join("site.yaml")).unwrap();
    all.insert("site.yaml".into(), (settings, std::time::SystemTime::UNIX_EPOCH));
    all
}

/// What a refused request is, its headers and the status it gets.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16);

#[test]
fn a_change_from_another_origin_without_the_token_or_for_a_foreign_host_is_refused_and_writes_nothing()
 {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let opened = open(&server, "content/bai-viet.md");
    let save = serde_json::json!({
        "path": "content/bai-viet.md",
        "version": opened["version"],
        "fields": {"title": "Bị sửa"},
        "body": "bị sửa\n",
    });
    let before = sources(site.path());
    let body = save.to_string();
    let own = format!("http://{}", server.address);
    let refusals: [Refusal; 6] = [
        ("another origin", vec![("x-loa-token", &token), ("Origin", "http://evil.example")], 403),
        ("no origin", vec![("x-loa-token", &token)], 403),
        ("no token", vec![("Origin", &own)], 403),
        ("a wrong token", vec![("x-loa-token", "0123"), ("Origin", &own)], 403),
        (
            "a cross-site fetch",
            vec![("x-loa-token", &token), ("Origin", &own), ("Sec-Fetch-Site", "cross-site")],
            403,
        ),
        (
            "a foreign Host",
            vec![
                ("Host", "evil.example"),
                ("x-loa-token", &token),
                ("Origin", "http://evil.example"),
            ],
            421,
        ),
    ];
    for (what, headers, status) in refusals {
        let answer = send(&server, "POST", "/_studio/api/save", &headers, &body);
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
    }
    let page = send(&server, "GET", "/_studio/", &[("Host", "evil.example:80")], "");
    assert_eq!(page.status, 421, "a rebinding name gets no page and no token");
    assert!(!page.body.contains(&token));
    assert_same(&before, &sources(site.path()), "refused saves");
    let allowed = change(&server, "/_studio/api/save", &token, &save);
    assert_eq!(
        allowed.status, 200,
        "the same save from the studio page is taken: {}",
        allowed.body
    );
    assert!(source_text(site.path(), "content/bai-viet.md").contains("title: \"Bị sửa\""));
}

#[test]
fn a_path_leaving_the_site_s_sources_in_save_open_or_new_is_refused_and_writes_nothing() {
    let site = common::fixture("minimal");
    std::os::unix::fs::symlink("/tmp", site.path().join("content/ra-ngoai")).unwrap();
    common::write(site.path(), "themes/default/x.md", "---\ntitle: x\n---\n");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let before = sources(site.path());
    for path in [
        "site.yaml",
        "../outside.md",
        "content/../site.md",
        "content/../../outside.md",
        "/etc/passwd.md",
        "content/%2e%2e/site.md",
        "content/%252e%252e/x.md",
        "content\\..\\x.md",
        "content/\u{FF0E}\u{FF0E}/x.md",
        "content/ra-ngoai/x.md",
        "content/.git/x.md",
        "themes/default/x.md",
        "public/index.md",
    ] {
        let save = serde_json::json!({"path": path, "version": "", "body": "x"});
        let answer = change(&server, "/_studio/api/save", &token, &save);
        assert!(
            matches!(answer.status, 400 | 404),
            "save {path}: {} {}",
            answer.status,
            answer.body
        );
        let encoded: String = path.bytes().map(|b| format!("%{b:02X}")).collect();
        let read = send(&server, "GET", &format!("/_studio/api/file?path={encoded}"), &[], "");
        assert!(matches!(read.status, 400 | 404), "open {path}: {}", read.status);
        assert!(!read.body.contains("title: x"), "open {path}");
    }
    for section in ["../..", "tin-tuc/../../..", "/tmp", "ra-ngoai"] {
        let new = serde_json::json!({"section": section, "title": "Trang mới"});
        let answer = change(&server, "/_studio/api/new", &token, &new);
        assert_eq!(answer.status, 400, "new in {section}: {}", answer.body);
    }
    assert_same(&before, &sources(site.path()), "refused paths");
    assert!(!Path::new("/tmp/trang-moi.md").exists());
}

#[test]
fn a_save_keeps_unknown_keys_comments_bom_and_crlf_byte_for_byte() {
    let site = common::fixture("minimal");
    let original = "\u{feff}---\r\n# Ghi chú của biên tập viên: đừng xóa\r\ntitle: Bài cũ # tiêu đề tạm\r\nweight: 7\r\nextra:\r\n  nguon: \"Sở LĐTBXH\"   # nguồn\r\ndate: 2024-06-01\r\n---\r\nĐoạn một.\r\n\r\nĐoạn hai.\r\n";
    common::write(site.path(), "content/bai-viet.md", original);
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let opened = open(&server, "content/bai-viet.md");
    assert_eq!(opened["body"], "Đoạn một.\n\nĐoạn hai.\n", "the editor sees \\n line ends");
    assert_eq!(opened["fields"]["title"], "Bài cũ");
    let unchanged = serde_json::json!({"path": "content/bai-viet.md", "version": opened["version"], "fields": {}, "body": opened["body"]});
    let answer = change(&server, "/_studio/api/save", &token, &unchanged);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        std::fs::read(site.path().join("content/bai-viet.md")).unwrap(),
        original.as_bytes(),
        "saving nothing changes no byte"
    );
    let edited = serde_json::json!({
        "path": "content/bai-viet.md",
        "version": answer.json()["version"],
        "fields": {"title": "Bài mới về lừa đảo", "tags": ["lừa đảo"], "date": "30/7/2025"},
        "body": "Đoạn một.\n\nĐoạn hai đã sửa.\n",
    });
    let answer = change(&server, "/_studio/api/save", &token, &edited);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let expected = "\u{feff}---\r\n# Ghi chú của biên tập viên: đừng xóa\r\ntitle: \"Bài mới về lừa đảo\"\r\nweight: 7\r\nextra:\r\n  nguon: \"Sở LĐTBXH\"   # nguồn\r\ndate: \"30/7/2025\"\r\ntags: [\"lừa đảo\"]\r\n---\r\nĐoạn một.\r\n\r\nĐoạn hai đã sửa.\r\n";
    assert_eq!(source_text(site.path(), "content/bai-viet.md"), expected);
    let leftovers: Vec<_> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("loa-studio"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left: {leftovers:?}");
}

#[test]
fn a_file_changed_on_disk_since_it_was_opened_is_not_overwritten_and_both_versions_are_shown() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let opened = open(&server, "content/bai-viet.md");
    let theirs = "---\ntitle: Sửa trong trình soạn thảo khác\n---\nBản của người khác.\n";
    common::write(site.path(), "content/bai-viet.md", theirs);
    let mine = serde_json::json!({"path": "content/bai-viet.md", "version": opened["version"], "fields": {}, "body": "Bản của tôi.\n"});
    let answer = change(&server, "/_studio/api/save", &token, &mine);
    assert_eq!(answer.status, 409, "{}", answer.body);
    let conflict = answer.json();
    assert_eq!(conflict["theirs"], theirs, "the version on disk is shown");
    assert_eq!(source_text(site.path(), "content/bai-viet.md"), theirs, "nothing was overwritten");
    let keep_mine = serde_json::json!({"path": "content/bai-viet.md", "version": conflict["version"], "fields": {}, "body": "Bản của tôi.\n"});
    let answer = change(&server, "/_studio/api/save", &token, &keep_mine);
    assert_eq!(answer.status, 200, "the writer chose to keep theirs: {}", answer.body);
    assert!(source_text(site.path(), "content/bai-viet.md").ends_with("---\nBản của tôi.\n"));
}

#[test]
fn a_new_page_from_a_vietnamese_title_is_a_draft_named_from_it_and_never_replaces_a_page() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let new = serde_json::json!({"section": "", "title": "Cảnh giác lừa đảo “việc nhẹ lương cao”"});
    let answer = change(&server, "/_studio/api/new", &token, &new);
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.json()["path"], "content/canh-giac-lua-dao-viec-nhe-luong-cao.md");
    let text = source_text(site.path(), "content/canh-giac-lua-dao-viec-nhe-luong-cao.md");
    assert_eq!(
        text,
        "---\ntitle: \"Cảnh giác lừa đảo “việc nhẹ lương cao”\"\ndraft: true\n---\n\n"
    );
    let again = change(&server, "/_studio/api/new", &token, &new);
    assert_eq!(again.status, 409, "the same name again is refused");
    assert_eq!(source_text(site.path(), "content/canh-giac-lua-dao-viec-nhe-luong-cao.md"), text);
    let listed = send(&server, "GET", "/_studio/api/pages", &[], "").json();
    let page = listed["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "canh-giac-lua-dao-viec-nhe-luong-cao")
        .unwrap();
    assert_eq!(page["versions"]["vi"]["state"], "draft");
    assert_eq!(
        page["folded"], "canh giac lua dao “viec nhe luong cao”",
        "searchable without diacritics"
    );
}

#[test]
fn beyond_loopback_the_studio_answers_403_without_the_one_time_link_which_works_once() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "0.0.0.0");
    let link = server.studio.split("http://").nth(1).expect("a link is printed");
    let key = link.split("key=").nth(1).expect("the link carries a secret").trim().to_owned();
    assert!(key.len() >= 32, "{key}");
    assert_eq!(send(&server, "GET", "/_studio/", &[], "").status, 403);
    assert_eq!(send(&server, "GET", "/_studio/api/pages", &[], "").status, 403);
    assert_eq!(send(&server, "GET", "/_studio/?key=wrong", &[], "").status, 403);
    let granted = send(&server, "GET", &format!("/_studio/?key={key}"), &[], "");
    assert_eq!(granted.status, 303, "{}", granted.head);
    let cookie = granted
        .head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .expect("a cookie is set")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(granted.head.to_ascii_lowercase().contains("httponly"));
    assert_eq!(
        send(&server, "GET", &format!("/_studio/?key={key}"), &[], "").status,
        403,
        "the link works once"
    );
    let page = send(&server, "GET", "/_studio/", &[("Cookie", &cookie)], "");
    assert_eq!(page.status, 200);
    assert_eq!(send(&server, "GET", "/_studio/api/pages", &[("Cookie", &cookie)], "").status, 200);
    let marker = "name=\"loa-token\" content=\"";
    let start = page.body.find(marker).unwrap() + marker.len();
    let token = page.body[start..].split('"').next().unwrap();
    let opened = send(
        &server,
        "GET",
        "/_studio/api/file?path=content/bai-viet.md",
        &[("Cookie", &cookie)],
        "",
    )
    .json();
    let save = serde_json::json!({"path": "content/bai-viet.md", "version": opened["version"], "fields": {"title": "Từ máy khác"}});
    let origin = format!("http://{}", server.address);
    let without_cookie = send(
        &server,
        "POST",
        "/_studio/api/save",
        &[("x-loa-token", token), ("Origin", &origin)],
        &save.to_string(),
    );
    assert_eq!(without_cookie.status, 403, "the token alone is not enough beyond loopback");
    let with_cookie = send(
        &server,
        "POST",
        "/_studio/api/save",
        &[("x-loa-token", token), ("Origin", &origin), ("Cookie", &cookie)],
        &save.to_string(),
    );
    assert_eq!(with_cookie.status, 200, "{}", with_cookie.body);
}

#[test]
fn in_a_browser_an_article_with_a_vietnamese_title_is_written_previewed_saved_and_published() {
    let Some(tools) = crate::browser::browser_tools() else { return };
    let site = common::example();
    let server = start(site.path(), "127.0.0.1");
    let studio = format!("http://{}", server.studio.split("http://").nth(1).unwrap().trim());
    let screenshots = crate::browser::target_dir().join("browser-screenshots");
    let plan = serde_json::json!({
        "studio": studio,
        "base": format!("http://{}", server.address),
        "site": site.path(),
        "title": "Cảnh báo lừa đảo tuyển lao động đi nước ngoài",
        "slug": "canh-bao-lua-dao-tuyen-lao-dong-di-nuoc-ngoai",
        "text": "Bà con cần cảnh giác với lời hứa “việc nhẹ lương cao” ở nước ngoài.",
        "translate": "content/tin-tuc/ra-mat-ke-hoach-2024.md",
        "screenshots": screenshots,
        "chromium": tools.chromium,
    });
    let photo = site.path().join("anh-dien-thoai.jpg");
    std::fs::write(&photo, crate::photos::with_exif(&crate::photos::jpeg(64, 48), Some(6)))
        .unwrap();
    let mut plan = plan;
    plan["photo"] = serde_json::json!(photo);
    let plan_file = site.path().join("studio-plan.json");
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let report = crate::browser::run_node(&tools.script.with_file_name("studio.mjs"), &plan_file);
    let problems: Vec<&str> =
        report["problems"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert!(
        problems.is_empty(),
        "{} problems in the studio:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let file = report["file"].as_str().unwrap();
    assert!(
        file.starts_with("---\ntitle: \"Cảnh báo lừa đảo tuyển lao động đi nước ngoài\"\n"),
        "{file}"
    );
    assert!(
        file.contains("Bản của tôi.") && file.contains("{{ hotline(id=\"111\") }}"),
        "the writer kept theirs: {file}"
    );
    let written = std::fs::read(report["photo"].as_str().unwrap()).expect("the photo was stored");
    crate::photos::assert_no_exif("the photo uploaded in the browser", &written);
}

#[test]
fn publish_builds_the_whole_site_without_drafts_only_for_the_studio_page() {
    let site = common::fixture("minimal");
    common::write(
        site.path(),
        "content/nhap.md",
        "---\ntitle: Bản nháp\ndraft: true\n---\nXem [trang đã xóa](@/khong-con.md).\n",
    );
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let refused = send(
        &server,
        "POST",
        "/_studio/api/publish",
        &[("Origin", "http://evil.example"), ("x-loa-token", &token)],
        "{}",
    );
    assert_eq!(refused.status, 403);
    let stale = site.path().join("public/con-sot-lai.txt");
    std::fs::write(&stale, "left by hand").unwrap();
    let answer = change(&server, "/_studio/api/publish", &token, &serde_json::json!({}));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let summary = answer.json()["summary"].as_str().unwrap().to_owned();
    assert!(summary.starts_with("Built ") && summary.contains("public"), "{summary}");
    assert!(!stale.exists(), "a full build replaced the output folder");
    assert!(site.path().join("public/bai-viet/index.html").is_file());
    assert!(!site.path().join("public/nhap/index.html").exists(), "drafts are not published");
    let problems = send(&server, "GET", "/_studio/api/problems", &[], "");
    assert_eq!(problems.status, 200, "{}", problems.body);
    let found = problems.json();
    let draft = found["content/nhap.md"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("check looks at drafts too: {found}"));
    assert!(draft.iter().any(|p| p.as_str().unwrap().contains("khong-con.md")), "{draft:?}");
    assert!(found.get("content/bai-viet.md").is_none(), "{found}");
}

#[test]
fn the_translation_view_marks_exactly_the_paragraph_changed_in_the_source() {
    let site = common::fixture("minimal");
    let source =
        "---\ntitle: Bài viết\n---\nĐoạn một về lừa đảo.\n\nGọi 111 khi cần giúp.\n\nĐoạn ba.\n";
    common::write(site.path(), "content/bai-viet.md", source);
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let pair = serde_json::json!({"source": "content/bai-viet.md", "lang": "en"});
    let view = |server: &Server| {
        let answer = send(
            server,
            "GET",
            "/_studio/api/translate?source=content/bai-viet.md&lang=en",
            &[],
            "",
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()
    };
    let missing = view(&server);
    assert_eq!(missing["view"]["exists"], false);
    assert!(missing["view"]["rows"].as_array().unwrap().iter().all(|r| r["state"] == "missing"));
    let started = change(&server, "/_studio/api/translate/start", &token, &pair);
    assert_eq!(started.status, 201, "{}", started.body);
    let skeleton = source_text(site.path(), "content/bai-viet.en.md");
    assert!(skeleton.starts_with("---\ntitle: Bài viết\ndraft: true\n---\n"), "{skeleton}");
    assert!(
        !skeleton.contains("Đoạn") && !skeleton.contains("Gọi"),
        "no text is carried over: {skeleton}"
    );
    common::write(
        site.path(),
        "content/bai-viet.en.md",
        "---\ntitle: Article\n---\nParagraph one about scams.\n\nCall 111 for help.\n\nParagraph three.\n",
    );
    let stamped = change(&server, "/_studio/api/translate/stamp", &token, &pair);
    assert_eq!(stamped.status, 200, "{}", stamped.body);
    assert!(source_text(site.path(), "content/bai-viet.en.md").contains("translated_blocks:"));
    common::write(
        site.path(),
        "content/bai-viet.md",
        source.replace("Gọi 111 khi", "Gọi 111 hoặc 1800 1581 khi"),
    );
    let rows = view(&server)["view"]["rows"].as_array().unwrap().clone();
    let changed: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["state"] != "current").collect();
    assert_eq!(changed.len(), 1, "exactly one block is marked: {rows:?}");
    assert_eq!(changed[0]["translation"]["text"], "Call 111 for help.");
    let added: Vec<&str> = changed[0]["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p[0] == "added")
        .map(|p| p[1].as_str().unwrap())
        .collect();
    assert_eq!(added, ["hoặc 1800 1581"], "the change is shown word by word");
    let foreign = serde_json::json!({"source": "content/bai-viet.md", "lang": "../../x"});
    assert_eq!(change(&server, "/_studio/api/translate/start", &token, &foreign).status, 400);
}

#[test]
fn deleting_a_page_names_the_pages_linking_to_it_and_needs_the_version_confirmed() {
    let site = common::fixture("minimal");
    common::write(
        site.path(),
        "content/lien-ket.md",
        "---\ntitle: Liên kết\n---\nXem [bài](@/bai-viet.md).\n",
    );
    common::write(
        site.path(),
        "content/khac.md",
        "---\ntitle: Khác\n---\nXem [bài khác](@/bai-viet-2.md).\n",
    );
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let linking =
        send(&server, "GET", "/_studio/api/links?path=content/bai-viet.md", &[], "").json();
    assert_eq!(linking, serde_json::json!(["content/lien-ket.md"]));
    let opened = open(&server, "content/bai-viet.md");
    let request = serde_json::json!({"path": "content/bai-viet.md", "version": opened["version"]});
    let own = format!("http://{}", server.address);
    let refused = send(
        &server,
        "POST",
        "/_studio/api/delete",
        &[("Origin", own.as_str())],
        &request.to_string(),
    );
    assert_eq!(refused.status, 403, "no token");
    let stale = serde_json::json!({"path": "content/bai-viet.md", "version": "0-0"});
    assert_eq!(change(&server, "/_studio/api/delete", &token, &stale).status, 409);
    let outside = serde_json::json!({"path": "content/../site.yaml", "version": "0-0"});
    assert_eq!(change(&server, "/_studio/api/delete", &token, &outside).status, 400);
    assert!(
        site.path().join("content/bai-viet.md").is_file()
            && site.path().join("site.yaml").is_file()
    );
    let deleted = change(&server, "/_studio/api/delete", &token, &request);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(!site.path().join("content/bai-viet.md").exists());
    assert!(site.path().join("content/lien-ket.md").is_file(), "only that file is removed");
}

/// Sends a photo as the studio page does.
fn upload(server: &Server, query: &str, token: &str, photo: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /_studio/api/photo?{query} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nx-loa-token: {token}\r\nConnection: close\r\nContent-Length: {1}\r\n\r\n",
        server.address,
        photo.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(photo);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_owned(), body: body.to_owned() }
}

#[test]
fn an_uploaded_phone_photo_loses_its_gps_exif_is_turned_upright_and_moves_the_page_into_a_folder() {
    let site = common::fixture("minimal");
    common::write(site.path(), "content/bai-viet.en.md", "---\ntitle: Article\n---\nText.\n");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let photo = crate::photos::with_exif(&crate::photos::jpeg(40, 20), Some(6));
    let before = sources(site.path());
    let refused = [
        ("page=content/bai-viet.md&name=x.jpg", "0123", 403),
        ("page=content/../site.yaml&name=x.jpg", token.as_str(), 400),
        ("page=content%2F..%2F..%2Fx.md&name=x.jpg", token.as_str(), 400),
        ("page=content/khong-co.md&name=x.jpg", token.as_str(), 404),
    ];
    for (query, given, status) in refused {
        assert_eq!(upload(&server, query, given, &photo).status, status, "{query}");
    }
    let text =
        upload(&server, "page=content/bai-viet.md&name=a.jpg", &token, b"not a photo at all");
    assert_eq!(text.status, 415, "{}", text.body);
    let huge = upload(
        &server,
        "page=content/bai-viet.md&name=a.jpg",
        &token,
        &vec![0xFF; 26 * 1024 * 1024],
    );
    assert_eq!(huge.status, 413);
    assert_same(&before, &sources(site.path()), "refused uploads");
    let answer = upload(
        &server,
        "page=content/bai-viet.md&name=%E1%BA%A2nh%20ch%E1%BB%A3.JPG",
        &token,
        &photo,
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let stored = answer.json();
    assert_eq!(stored["page"], "content/bai-viet/index.md");
    assert_eq!(stored["name"], "anh-cho.jpg");
    assert!(
        site.path().join("content/bai-viet/index.en.md").is_file(),
        "the translation moved too"
    );
    assert!(!site.path().join("content/bai-viet.md").exists());
    let written = std::fs::read(site.path().join("content/bai-viet/anh-cho.jpg")).unwrap();
    crate::photos::assert_no_exif("the uploaded photo", &written);
    let image = image::load_from_memory(&written).unwrap();
    assert_eq!((image.width(), image.height()), (20, 40), "turned upright");
}

#[test]
fn the_page_list_shows_spoken_only_parts_as_notes_not_as_problems() {
    let site = common::fixture("minimal");
    let page = "---\ntitle: Bài viết\n---\n\nĐoạn một.\n\n{% speak %}\nBà con lưu ý.\n{% end %}\n";
    common::write(site.path(), "content/bai-viet.md", page);
    let server = start(site.path(), "127.0.0.1");
    let found = send(&server, "GET", "/_studio/api/problems", &[], "").json();
    let here = &found["content/bai-viet.md"];
    assert_eq!(here["problems"].as_array().map(Vec::len), Some(0), "{found}");
    let notes = here["notes"].as_array().unwrap_or_else(|| panic!("{found}"));
    assert!(notes.iter().any(|n| n.as_str().unwrap().contains("speak")), "{notes:?}");
}

#[test]
fn renaming_a_page_moves_its_translations_keeps_the_old_address_as_an_alias_relinks_and_refuses_a_taken_name()
 {
    let site = common::fixture("minimal");
    common::write(
        site.path(),
        "content/bai-viet.en.md",
        "---\r\ntitle: Article\r\n# kept\r\n---\r\nText.\r\n",
    );
    common::write(site.path(), "content/da-co.md", "---\ntitle: Đã có\n---\nx\n");
    common::write(
        site.path(),
        "content/lien-ket.md",
        "---\ntitle: Liên kết\n---\nXem [bài](@/bai-viet.md#muc) và [khác](@/bai-viet-2.md).\n",
    );
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let opened = open(&server, "content/bai-viet.md");
    let taken = serde_json::json!({"path": "content/bai-viet.md", "version": opened["version"], "slug": "da-co"});
    let before = sources(site.path());
    assert_eq!(change(&server, "/_studio/api/rename", &token, &taken).status, 409);
    assert_same(&before, &sources(site.path()), "a taken name moves nothing");
    let stale = serde_json::json!({"path": "content/bai-viet.md", "version": "0-0", "slug": "moi"});
    assert_eq!(change(&server, "/_studio/api/rename", &token, &stale).status, 409);
    let request = serde_json::json!({
        "path": "content/bai-viet.md", "version": opened["version"], "slug": "Bài mới"
    });
    let renamed = change(&server, "/_studio/api/rename", &token, &request);
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(renamed.json()["path"], "content/bai-moi.md");
    assert_eq!(renamed.json()["relinked"], serde_json::json!(["content/lien-ket.md"]));
    assert_eq!(
        source_text(site.path(), "content/lien-ket.md"),
        "---\ntitle: Liên kết\n---\nXem [bài](@/bai-moi.md#muc) và [khác](@/bai-viet-2.md).\n",
        "a page linking to it with @/… follows it, and nothing else changes"
    );
    assert!(!site.path().join("content/bai-viet.md").exists());
    assert!(!site.path().join("content/bai-viet.en.md").exists(), "the translation moved too");
    assert_eq!(
        source_text(site.path(), "content/bai-moi.md"),
        "---\ntitle: Bài viết\ndate: 2024-07-30\naliases: [\"/bai-viet/\"]\n---\n\nNội dung bài viết.\n"
    );
    assert_eq!(
        source_text(site.path(), "content/bai-moi.en.md"),
        "---\r\ntitle: Article\r\n# kept\r\naliases: [\"/en/bai-viet/\"]\r\n---\r\nText.\r\n",
        "the translation keeps its own old address, its comment and its line ends"
    );
    let out = site.path().join("public");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !(out.join("bai-moi/index.html").is_file() && out.join("bai-viet/index.html").is_file()) {
        assert!(std::time::Instant::now() < deadline, "the renamed page is built");
        std::thread::sleep(Duration::from_millis(100));
    }
    let redirect = std::fs::read_to_string(out.join("bai-viet/index.html")).unwrap();
    assert!(redirect.contains("/bai-moi/"), "the old address leads to the new one: {redirect}");
}

#[test]
fn new_leaflets_posters_and_campaigns_are_drafts_written_as_loa_new_writes_them() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let make = |kind: &str, title: &str, day: &str| {
        let request = serde_json::json!({"section": "", "title": title, "kind": kind, "day": day});
        change(&server, "/_studio/api/new", &token, &request)
    };
    let leaflet = make("leaflet", "Tờ rơi đường dây nóng", "");
    assert_eq!(leaflet.status, 201, "{}", leaflet.body);
    assert_eq!(leaflet.json()["path"], "content/to-roi-duong-day-nong.md");
    let text = source_text(site.path(), "content/to-roi-duong-day-nong.md");
    assert!(text.contains("draft: true\n") && text.contains("print: leaflet-trifold\n"), "{text}");
    assert!(text.contains("hotlines: [\"111\"]"), "the site's hotlines are featured: {text}");
    let poster = make("poster", "Áp phích 30/7", "");
    assert_eq!(poster.status, 201, "{}", poster.body);
    let text = source_text(site.path(), "content/ap-phich-30-7.md");
    assert!(text.contains("draft: true\n") && text.contains("print: poster-a3\n"), "{text}");
    let before = sources(site.path());
    let undated = make("campaign", "Tháng hành động", "");
    assert_eq!(undated.status, 422, "a campaign needs its day: {}", undated.body);
    assert_same(&before, &sources(site.path()), "nothing written without the day");
    let campaign = make("campaign", "Tháng hành động", "30/7/2025");
    assert_eq!(campaign.status, 201, "{}", campaign.body);
    assert_eq!(campaign.json()["path"], "content/thang-hanh-dong/_index.md");
    let text = source_text(site.path(), "content/thang-hanh-dong/_index.md");
    assert!(text.contains("draft: true\n") && text.contains("  day: 30/7/2025\n"), "{text}");
    assert_eq!(make("leaflet", "Tờ rơi đường dây nóng", "").status, 409, "never replaced");
}

#[test]
fn the_page_list_s_materials_are_the_files_the_build_s_plan_makes_for_each_page() {
    let site = common::fixture("minimal");
    common::write(
        site.path(),
        "content/to-roi.md",
        "---\ntitle: Tờ rơi\nprint: leaflet-trifold\n---\n\nGọi 111 khi nghi ngờ.\n",
    );
    let server = start(site.path(), "127.0.0.1");
    let answer = send(&server, "GET", "/_studio/api/materials", &[], "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let found = answer.json();
    let kinds = |path: &str| -> Vec<String> {
        found[path].as_array().into_iter().flatten().map(|m| m["kind"].to_string()).collect()
    };
    assert!(kinds("content/to-roi.md").contains(&"\"print\"".to_owned()), "{found}");
    assert!(!kinds("content/bai-viet.md").contains(&"\"print\"".to_owned()), "{found}");
    let out = site.path().join("public");
    for material in found["content/to-roi.md"].as_array().unwrap() {
        let path = material["path"].as_str().unwrap().trim_start_matches('/');
        assert!(out.join(path).is_file(), "the build wrote {path}");
    }
}

#[test]
fn the_preview_tells_the_problems_of_the_unsaved_text_at_their_lines() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let body = "\nĐoạn một.\n\n![](anh-khong-co.png)\n\nXem [trang khác](@/khong-co.md).\n";
    let request = serde_json::json!({"path": "content/bai-viet.md", "body": body});
    let before = sources(site.path());
    let answer = change(&server, "/_studio/api/preview", &token, &request);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let problems = answer.json()["problems"].as_array().unwrap().clone();
    let at = |line: u64, word: &str| {
        problems.iter().any(|p| p["line"] == line && p["message"].as_str().unwrap().contains(word))
    };
    assert!(at(8, "anh-khong-co.png"), "the missing image, on its line: {problems:?}");
    assert!(at(10, "khong-co.md"), "the broken link, on its line: {problems:?}");
    assert!(at(8, "alternative text"), "the missing alt text, on its line: {problems:?}");
    let hotline = serde_json::json!({
        "path": "content/bai-viet.md", "body": "\nGọi ngay:\n\n{{ hotline(id=\"999\") }}\n"
    });
    let answer = change(&server, "/_studio/api/preview", &token, &hotline);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let problems = answer.json()["problems"].as_array().unwrap().clone();
    assert!(
        problems.iter().any(|p| p["line"] == 8 && p["message"].as_str().unwrap().contains("999")),
        "the unknown hotline, on its line: {problems:?}"
    );
    assert_same(&before, &sources(site.path()), "a preview writes nothing");
}

#[test]
fn campaign_fields_and_the_print_layout_are_saved_in_place_keeping_every_other_byte() {
    let site = common::fixture("minimal");
    let section = "\u{feff}---\r\ntitle: Tháng hành động\r\ncampaign:\r\n  day: 30/7/2025 # ngày chính\r\n  start: 1/7/2025\r\n  end: 31/7/2025\r\n  # ghi chú\r\n  events:\r\n  - date: 1/7/2025\r\n    place: Xã A\r\nweight: 2\r\n---\r\nThân.\r\n";
    common::write(site.path(), "content/thang/_index.md", section);
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let opened = open(&server, "content/thang/_index.md");
    assert_eq!(opened["fields"]["campaign"]["events"][0]["place"], "Xã A", "{opened}");
    let request = serde_json::json!({
        "path": "content/thang/_index.md", "version": opened["version"],
        "fields": {"campaign": {
            "slogan": "Nói không với mua bán người",
            "events": [
                {"date": "1/7/2025", "place": "Xã A"},
                {"date": "5/7/2025", "time": "7:30", "place": "Chợ B", "district": "Huyện C"}
            ]
        }}
    });
    let saved = change(&server, "/_studio/api/save", &token, &request);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/thang/_index.md")).unwrap(),
        section.replace(
            "  events:\r\n  - date: 1/7/2025\r\n    place: Xã A\r\n",
            "  events:\r\n    - date: \"1/7/2025\"\r\n      place: \"Xã A\"\r\n    - date: \"5/7/2025\"\r\n      time: \"7:30\"\r\n      place: \"Chợ B\"\r\n      district: \"Huyện C\"\r\n  slogan: \"Nói không với mua bán người\"\r\n"
        ),
        "the day's comment, start, end, the note and weight are kept byte for byte"
    );
    let bad = serde_json::json!({
        "path": "content/thang/_index.md", "version": saved.json()["version"],
        "fields": {"campaign": {"events": [{"date": "31/2/2025"}]}}
    });
    let before = sources(site.path());
    assert_eq!(change(&server, "/_studio/api/save", &token, &bad).status, 422);
    assert_same(&before, &sources(site.path()), "a bad event date writes nothing");
    let page = open(&server, "content/bai-viet.md");
    let print = serde_json::json!({
        "path": "content/bai-viet.md", "version": page["version"], "fields": {"print": "leaflet-a5"}
    });
    assert_eq!(change(&server, "/_studio/api/save", &token, &print).status, 200);
    assert_eq!(
        source_text(site.path(), "content/bai-viet.md"),
        "---\ntitle: Bài viết\ndate: 2024-07-30\nprint: \"leaflet-a5\"\n---\n\nNội dung bài viết.\n"
    );
}

#[test]
fn the_page_list_kept_between_requests_follows_files_changed_by_another_editor() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let title = |listed: &serde_json::Value, key: &str| {
        listed["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .map(|p| p["versions"]["vi"]["title"].as_str().unwrap_or_default().to_owned())
    };
    let listed = send(&server, "GET", "/_studio/api/pages", &[], "").json();
    assert_eq!(title(&listed, "bai-viet").as_deref(), Some("Bài viết"));
    common::write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết đã đổi ở nơi khác\ndate: 2024-07-30\n---\n\nNội dung.\n",
    );
    common::write(site.path(), "content/moi.md", "---\ntitle: Trang mới từ nơi khác\n---\nx\n");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let listed = send(&server, "GET", "/_studio/api/pages", &[], "").json();
        let changed = title(&listed, "bai-viet").as_deref() == Some("Bài viết đã đổi ở nơi khác");
        if changed && title(&listed, "moi").as_deref() == Some("Trang mới từ nơi khác") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the list never followed: {listed}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_preview_follows_a_page_saved_elsewhere_since_it_was_loaded() {
    let site = common::fixture("minimal");
    common::write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\n---\n\n## Mục một\n\nNội dung.\n",
    );
    common::write(
        site.path(),
        "content/lien-ket.md",
        "---\ntitle: Liên kết\n---\n\nXem [mục một](@/bai-viet.md#muc-mot).\n",
    );
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let preview = || {
        let request = serde_json::json!({"path": "content/lien-ket.md", "fields": {}});
        let answer = change(&server, "/_studio/api/preview", &token, &request);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()["problems"].as_array().unwrap().len()
    };
    assert_eq!(preview(), 0, "the anchor exists");
    common::write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\n---\n\n## Mục khác\n\nNội dung.\n",
    );
    let page = site.path().join("public/bai-viet/index.html");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&page).unwrap_or_default().contains("Mục khác") {
        assert!(std::time::Instant::now() < deadline, "loa serve rebuilt the page");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(preview(), 1, "the preview's copy of the site follows the saved page");
}

#[test]
fn a_leaflet_whose_unsaved_text_no_longer_fits_its_layout_is_told_before_it_is_saved() {
    let site = common::fixture("minimal");
    let leaflet = "---\ntitle: Tờ rơi\nprint: leaflet-trifold\n---\n\nGọi 111 khi nghi ngờ.\n";
    common::write(site.path(), "content/to-roi.md", leaflet);
    let server = start(site.path(), "127.0.0.1");
    let token = token(&server);
    let fits = |body: &str| {
        let request = serde_json::json!({"path": "content/to-roi.md", "body": body});
        let answer = change(&server, "/_studio/api/fits", &token, &request);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()["problems"].as_array().unwrap().clone()
    };
    assert!(fits("\nGọi 111 khi nghi ngờ.\n").is_empty(), "a short text fits");
    let long = "Người dân cần cảnh giác với những lời mời đi làm việc nhẹ lương cao ở nước ngoài. "
        .repeat(400);
    let problems = fits(&format!("\n{long}\n"));
    assert!(
        problems.iter().any(|p| p["message"].as_str().unwrap().contains("does not fit")),
        "{problems:?}"
    );
    assert_eq!(source_text(site.path(), "content/to-roi.md"), leaflet, "nothing written");
}

#[test]
fn a_saved_page_is_written_and_shown_before_the_pages_that_list_it_are_rendered() {
    use loa::commands::serve::{change::Change, session::Session};
    let site = common::fixture("minimal");
    let page = "content/bai-viet.md";
    let out = site.path().join("public");
    let mut session = Session::new(site.path(), &out, common::options_at("2024-08-01"));
    session.build_all().unwrap();
    common::write(
        site.path(),
        page,
        "---\ntitle: Bài viết mới đổi tên\ndate: 2024-07-30\n---\n\nNội dung mới.\n",
    );
    let mut first: Vec<Vec<String>> = Vec::new();
    let mut shown = |rebuilt: loa::commands::serve::session::Rebuilt| {
        let page = std::fs::read_to_string(out.join("bai-viet/index.html")).unwrap();
        assert!(page.contains("Nội dung mới."), "the page is on disk when it is shown");
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(!home.contains("Bài viết mới đổi tên"), "the listing follows after");
        first.push(rebuilt.files.written);
    };
    let edited = session.apply_showing(&Change::Pages(vec![page.into()]), &mut shown).unwrap();
    let own = vec!["bai-viet/index.html".to_owned(), "en/bai-viet/index.html".to_owned()];
    assert_eq!(first, vec![own], "its own pages alone (the English one shows it too), first");
    assert!(edited.files.written.contains(&"index.html".to_owned()), "{edited:?}");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("Bài viết mới đổi tên"), "then the pages that list it");
}

#[test]
fn the_page_list_s_problems_follow_a_page_saved_since_they_were_found() {
    let site = common::fixture("minimal");
    let server = start(site.path(), "127.0.0.1");
    let problems_of = |path: &str| {
        let found = send(&server, "GET", "/_studio/api/problems", &[], "").json();
        found[path]["problems"].as_array().cloned().unwrap_or_default()
    };
    assert!(problems_of("content/bai-viet.md").is_empty());
    common::write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\ndate: 2024-07-30\n---\n\nXem [trang](@/khong-co.md).\n",
    );
    let page = site.path().join("public/bai-viet/index.html");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&page).unwrap_or_default().contains("Xem") {
        assert!(std::time::Instant::now() < deadline, "loa serve rebuilt the page");
        std::thread::sleep(Duration::from_millis(50));
    }
    let found = problems_of("content/bai-viet.md");
    assert!(
        found.iter().any(|p| p.as_str().unwrap().contains("khong-co.md")),
        "the broken link saved elsewhere is found: {found:?}"
    );
}

#[test]
fn the_preview_shows_a_leaflet_s_size_as_loa_serve_last_wrote_it() {
    let site = common::example();
    let pdf = site.path().join("public/nhan-biet/nhan-biet.pdf");
    let server = start(site.path(), "127.0.0.1");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !pdf.is_file() {
        assert!(std::time::Instant::now() < deadline, "loa serve laid out the leaflet");
        std::thread::sleep(Duration::from_millis(100));
    }
    let token = token(&server);
    let request = serde_json::json!({"path": "content/nhan-biet/index.md", "fields": {}});
    let answer = change(&server, "/_studio/api/preview", &token, &request);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let page = send(&server, "GET", "/_studio/preview?path=content/nhan-biet/index.md", &[], "");
    assert_eq!(page.status, 200, "{}", page.body);
    let kilobytes = std::fs::metadata(&pdf).unwrap().len().div_ceil(1024);
    assert!(page.body.contains(&format!("PDF, {kilobytes} KB)")), "{}", page.body);
    assert!(!page.body.contains("PDF, )"), "no leaflet without its size");
}
