//! `loa serve`: serves the built site with live reload, rebuilds on save, shows errors in the page.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, run_loa, write};

/// A running `loa serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    output: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["serve", "--port", "0"])
        .current_dir(site)
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    Server { child, address, output: lines }
}

fn get(server: &Server, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or_default().to_owned(), body.to_owned())
}

fn wait_until(server: &Server, path: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(server, path);
        if done(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} never happened in {path}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn wait_for(server: &Server, path: &str, needle: &str) -> String {
    wait_until(server, path, needle, |body| body.contains(needle))
}

/// Waits for the server to exit by itself, failing after 20 seconds.
fn wait_for_exit(server: &mut Server) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "loa serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_during_a_save_stops_cleanly_and_leaves_whole_files() {
    let site = fixture("minimal");
    let mut server = start(site.path());
    write(site.path(), "content/bai-viet.md", "---\ntitle: Bài viết\n---\n\nLưu trước khi dừng.\n");
    // SIGINT is what a terminal sends on Ctrl+C.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let status = wait_for_exit(&mut server);
    assert_eq!(status.code(), Some(0), "a clean stop, not death by signal: {status:?}");
    let said: Vec<String> = server.output.by_ref().map_while(Result::ok).collect();
    assert!(said.iter().any(|line| line.starts_with("Stopped.")), "{said:?}");
    assert!(TcpStream::connect(&server.address).is_err(), "the port is closed");
    let page = std::fs::read_to_string(site.path().join("public/bai-viet/index.html")).unwrap();
    assert!(
        (page.contains("Nội dung bài viết.") || page.contains("Lưu trước khi dừng."))
            && page.trim_end().ends_with("</html>"),
        "the page before or after the save, whole: {page}"
    );
    let staged: Vec<_> = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains(".loa-new-"))
        .collect();
    assert!(staged.is_empty(), "no half-written files: {staged:?}");
}

/// The counts of the next "Rebuilt in … ms: R files rendered, W written, …" line.
fn next_rebuild(server: &mut Server) -> (usize, usize) {
    for line in server.output.by_ref().map_while(Result::ok) {
        if let Some((_, counts)) = line.split_once(" ms: ") {
            let numbers: Vec<usize> = counts
                .split(", ")
                .map(|part| part.split(' ').next().unwrap().parse().unwrap())
                .collect();
            return (numbers[0], numbers[1]);
        }
    }
    panic!("loa serve stopped before rebuilding");
}

#[test]
fn a_template_change_renders_only_the_pages_made_with_it() {
    let site = fixture("minimal");
    let mut server = start(site.path());
    let template = "themes/default/templates/404.html";
    let text = std::fs::read_to_string(site.path().join(template)).unwrap();
    let marked = text.replace("</h1>", "</h1><p>Mẫu mới.</p>");
    write(site.path(), template, &marked);
    let (rendered, written) = next_rebuild(&mut server);
    assert_eq!(
        (rendered, written),
        (3, 3),
        "the 404 page of each of the two languages alone, and the service worker (its cache's \
         version covers the templates)"
    );
    assert!(get(&server, "/khong-co/").1.contains("Mẫu mới."));
    assert!(get(&server, "/en/khong-co/").1.contains("Mẫu mới."));

    write(site.path(), template, text.replace("{% endblock content %}", "{% endblock %"));
    let body = wait_for(&server, "/bai-viet/", "role=\"alert\"");
    assert!(body.contains(&format!("{template}:8:")), "{body}");
    write(site.path(), template, &text);
    wait_until(&server, "/khong-co/", "the fixed template", |body| {
        !body.contains("Mẫu mới.") && !body.contains("role=\"alert\"")
    });
    assert!(get(&server, "/bai-viet/").1.contains("Nội dung bài viết."));
}

#[test]
fn a_first_template_override_is_seen_though_its_folder_is_new() {
    let site = fixture("minimal");
    assert!(!site.path().join("templates").exists());
    let server = start(site.path());
    let theme = std::fs::read_to_string(site.path().join("themes/default/templates/404.html"));
    let text = theme.unwrap().replace("</h1>", "</h1><p>Mẫu riêng của trang.</p>");
    write(site.path(), "templates/404.html", &text);
    wait_for(&server, "/khong-co/", "Mẫu riêng của trang.");
    write(site.path(), "templates/404.html", text.replace("riêng", "sửa"));
    wait_for(&server, "/khong-co/", "Mẫu sửa của trang.");
}

#[test]
fn serves_rebuilds_and_shows_errors_in_the_page() {
    let site = fixture("minimal");
    let server = start(site.path());
    let (status, body) = get(&server, "/bai-viet/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Nội dung bài viết.") && body.contains("/__loa/events"), "{body}");
    assert!(
        !std::fs::read_to_string(site.path().join("public/bai-viet/index.html"))
            .unwrap()
            .contains("__loa"),
        "the reload script is never written to disk"
    );
    assert_eq!(get(&server, "/khong-co/").0, "HTTP/1.1 404 Not Found");
    assert_eq!(get(&server, "/../site.yaml").0, "HTTP/1.1 400 Bad Request");
    assert_eq!(get(&server, "/%2e%2e/site.yaml").0, "HTTP/1.1 400 Bad Request");

    write(site.path(), "content/bai-viet.md", "---\ntitle: Bài viết\n---\n\nNội dung mới.\n");
    wait_for(&server, "/bai-viet/", "Nội dung mới.");

    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\ndate: 31/2/2024\n---\n\nHỏng.\n",
    );
    let body = wait_for(&server, "/bai-viet/", "role=\"alert\"");
    assert!(body.contains("content/bai-viet.md:3:7"), "{body}");

    write(site.path(), "content/bai-viet.md", "---\ntitle: Bài viết\n---\n\nĐã sửa.\n");
    wait_until(&server, "/bai-viet/", "the fix without the error", |body| {
        body.contains("Đã sửa.") && !body.contains("role=\"alert\"")
    });
}

/// A browser's live-reload connection.
struct Events(BufReader<TcpStream>);

fn events(server: &Server) -> Events {
    Events(common::open_event_stream(&server.address, Duration::from_secs(20)))
}

impl Events {
    /// The data of the next event.
    fn next(&mut self) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            self.0.read_line(&mut line).expect("an event before the timeout");
            if let Some(data) = line.strip_prefix("data: ") {
                return data.trim().to_owned();
            }
        }
    }
}

/// When and where a file was last written: unchanged when the file was not rewritten.
fn identity(path: &std::path::Path) -> (std::time::SystemTime, u64) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.modified().unwrap(), meta.ino())
}

#[test]
fn an_edit_sends_a_reload_event_and_rewrites_only_changed_files() {
    let site = fixture("minimal");
    let server = start(site.path());
    let mut browser = events(&server);
    let untouched = ["public/robots.txt", "public/en/404.html", "public/index.html"]
        .map(|p| (p, identity(&site.path().join(p))));
    std::thread::sleep(Duration::from_millis(20));
    let edited = "---\ntitle: Bài viết\ndate: 2024-07-30\n---\n\nMột câu mới.\n";
    write(site.path(), "content/bai-viet.md", edited);
    assert_eq!(browser.next(), "reload");
    let body = wait_for(&server, "/bai-viet/", "Một câu mới.");
    assert!(body.contains("/__loa/events"), "{body}");
    assert!(get(&server, "/en/bai-viet/").1.contains("Một câu mới."), "the fallback page follows");
    for (path, before) in untouched {
        assert_eq!(identity(&site.path().join(path)), before, "{path} was written again");
    }
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = fixture("minimal");
    let server = start(site.path());
    let mut browser = events(&server);
    let css = site.path().join("themes/default/static/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.loa-test-rule{color:#123456}\n");
    std::fs::write(&css, text).unwrap();
    assert_eq!(browser.next(), "css");
    wait_for(&server, "/bai-viet/", "#123456");
}

#[test]
fn new_deleted_and_renamed_pages_appear_and_go() {
    let site = fixture("minimal");
    let server = start(site.path());
    write(site.path(), "content/trang-moi.md", "---\ntitle: Trang mới\n---\n\nVừa thêm.\n");
    wait_for(&server, "/trang-moi/", "Vừa thêm.");

    std::fs::rename(
        site.path().join("content/trang-moi.md"),
        site.path().join("content/trang-doi-ten.md"),
    )
    .unwrap();
    wait_for(&server, "/trang-doi-ten/", "Vừa thêm.");
    assert_eq!(get(&server, "/trang-moi/").0, "HTTP/1.1 404 Not Found");
    assert!(!site.path().join("public/trang-moi/index.html").exists());

    std::fs::remove_file(site.path().join("content/bai-viet.md")).unwrap();
    let started = Instant::now();
    while get(&server, "/bai-viet/").0 != "HTTP/1.1 404 Not Found" {
        assert!(started.elapsed() < Duration::from_secs(20), "the deleted page is still served");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!site.path().join("public/bai-viet").exists(), "its folder is removed");
}

#[test]
fn editor_swap_and_backup_files_are_ignored_and_atomic_saves_seen() {
    let site = fixture("minimal");
    let server = start(site.path());
    let mut browser = events(&server);
    for name in [".bai-viet.md.swp", "bai-viet.md~", ".#bai-viet.md", "4913"] {
        write(site.path(), &format!("content/{name}"), "---\ntitle: [hỏng\n");
    }
    let staged = site.path().join("content/.bai-viet.md.tmp");
    std::fs::write(&staged, "---\ntitle: Bài viết\n---\n\nLưu kiểu nguyên tử.\n").unwrap();
    std::fs::rename(&staged, site.path().join("content/bai-viet.md")).unwrap();
    assert_eq!(browser.next(), "reload");
    let body = wait_for(&server, "/bai-viet/", "Lưu kiểu nguyên tử.");
    assert!(!body.contains("role=\"alert\""), "swap files are not read: {body}");
}

#[test]
fn refuses_paths_outside_the_output() {
    let site = fixture("minimal");
    let server = start(site.path());
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/bai-viet%2f..%2f..%2fsite.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "//etc/passwd",
        "/%2fetc/passwd",
    ] {
        let (status, body) = get(&server, path);
        assert!(
            status == "HTTP/1.1 400 Bad Request" || status == "HTTP/1.1 404 Not Found",
            "{path}: {status}"
        );
        assert!(!body.contains("base_url") && !body.contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn build_output_has_no_live_reload_script() {
    let site = fixture("minimal");
    let (ok, _, stderr) = run_loa(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__loa") && !text.contains("EventSource"), "{entry:?}");
        }
    }
}

#[test]
fn finding_18_serve_shows_a_page_s_dead_links_and_missing_images_in_a_notice_on_it() {
    let site = fixture("minimal");
    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\n---\n\nXem [kế hoạch](@/ke-hoach-2025.md).\n",
    );
    let server = start(site.path());
    let body = wait_for(&server, "/bai-viet/", "id=loa-problems");
    assert!(body.contains("content/ke-hoach-2025.md"), "{body}");
    assert!(body.contains("href=#loa-problems"), "{body}");
    assert!(!body.contains("href=@/") && !body.contains("href=\"@/"), "{body}");

    write(
        site.path(),
        "content/bai-viet.md",
        "---\ntitle: Bài viết\n---\n\n![Ảnh](khong-co.jpg)\n",
    );
    let body = wait_for(&server, "/bai-viet/", "loa-missing-image");
    assert!(body.contains("id=loa-problems") && body.contains("khong-co.jpg"), "{body}");
    assert!(!body.contains("src=khong-co.jpg"), "a broken <img> is served:\n{body}");

    write(site.path(), "content/bai-viet.md", "---\ntitle: Bài viết\n---\n\nĐã sửa.\n");
    wait_until(&server, "/bai-viet/", "the fix without the notice", |body| {
        body.contains("Đã sửa.") && !body.contains("loa-problems")
    });
}
