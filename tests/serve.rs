//! `loa serve`: serves the built site with live reload, rebuilds on save, shows errors in the page.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, write};

/// A running `loa serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    _output: std::io::Lines<BufReader<std::process::ChildStdout>>,
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
    Server { child, address, _output: lines }
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
