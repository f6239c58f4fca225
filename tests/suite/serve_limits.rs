//! `loa serve` under hostile or careless clients (issue «Robustness round 2», findings 6 and
//! 19): bounded request lines, heads and bodies; idle connections shed; GET and HEAD only; no
//! other host; no hidden files; no way out of the output folder.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::fixture;

/// A running `loa serve`, killed when dropped.
struct Server {
    child: Child,
    address: String,
    port: u16,
    /// What it printed before its address.
    said: Vec<String>,
    site: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves the minimal fixture on a free port with at most `files` open file descriptors (the
/// common limit is 1024).
fn start_with(files: u32, port: u16) -> Server {
    let site = fixture("minimal");
    let script = format!("ulimit -Sn {files} && exec \"$0\" serve --port {port}");
    let mut child = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_loa")])
        .current_dir(site.path())
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = Vec::new();
    let address = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
        said.push(line);
    };
    std::thread::spawn(move || lines.for_each(drop));
    let port = address.rsplit(':').next().unwrap().parse().unwrap();
    Server { child, address, port, said, site }
}

fn start() -> Server {
    start_with(1024, 0)
}

/// A response as read from the socket.
#[derive(Debug)]
struct Answer {
    status: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` as it is and reads the answer until the server closes the connection.
fn exchange(server: &Server, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let mut chunk = [0; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => bytes.extend_from_slice(&chunk[..read]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !bytes.is_empty() => break,
            Err(e) => panic!(
                "no answer to {:?}: {e}",
                String::from_utf8_lossy(&request[..40.min(request.len())])
            ),
        }
    }
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Answer {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole head");
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Answer { status, headers, body: bytes[end + 4..].to_vec() }
}

fn request(server: &Server, method: &str, path: &str) -> Answer {
    let text = format!("{method} {path} HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.port);
    exchange(server, text.as_bytes())
}

fn with_host(server: &Server, host: &str) -> Answer {
    exchange(server, format!("GET /bai-viet/ HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
}

/// A line of `/proc/PID/status`, in kB (VmRSS, VmHWM).
fn memory_kb(server: &Server, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).expect(field);
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Checks the preview still shows the page.
fn assert_still_serves(server: &Server) {
    let answer = request(server, "GET", "/bai-viet/");
    assert_eq!(answer.status, "HTTP/1.1 200 OK");
    assert!(answer.text().contains("Nội dung bài viết."), "{}", answer.text());
}

#[test]
fn finding_6_a_request_line_over_the_bound_gets_414() {
    let server = start();
    let mut unended = b"GET /".to_vec();
    unended.resize(16 * 1024, b'a');
    assert_eq!(exchange(&server, &unended).status, "HTTP/1.1 414 URI Too Long");
    let ended = format!("GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(9000));
    assert_eq!(exchange(&server, ended.as_bytes()).status, "HTTP/1.1 414 URI Too Long");
    assert_still_serves(&server);
}

#[test]
fn finding_6_a_huge_request_line_is_cut_off_early_with_bounded_memory() {
    let server = start();
    let rss = memory_kb(&server, "VmRSS");
    // Writing 5 to clear_refs resets the peak (VmHWM) to the memory in use now.
    std::fs::write(format!("/proc/{}/clear_refs", server.child.id()), "5").unwrap();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET /").unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let (mut sent, limit) = (0, 64 * 1024 * 1024);
    let error = loop {
        if sent >= limit {
            panic!("the server read 64 MiB of one request line without closing the connection");
        }
        match stream.write(&chunk) {
            Ok(written) => sent += written,
            Err(error) => break error,
        }
    };
    assert!(
        !matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        "the server stopped reading but kept the connection open: {error}"
    );
    assert!(sent < 32 * 1024 * 1024, "cut off only after {sent} bytes");
    assert_still_serves(&server);
    let peak = memory_kb(&server, "VmHWM");
    assert!(peak < rss + 32 * 1024, "memory rose from {rss} kB to a peak of {peak} kB");
}

#[test]
fn finding_6_oversize_headers_get_431() {
    let server = start();
    let mut many = String::from("GET /bai-viet/ HTTP/1.1\r\nHost: localhost\r\n");
    while many.len() < 40 * 1024 {
        many.push_str("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    }
    many.push_str("\r\n");
    let one =
        format!("GET / HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\r\n", "a".repeat(40_000));
    for request in [many, one] {
        let answer = exchange(&server, request.as_bytes());
        assert_eq!(answer.status, "HTTP/1.1 431 Request Header Fields Too Large");
    }
    assert_still_serves(&server);
}

#[test]
fn finding_6_a_post_body_gets_405_and_one_over_the_limit_413() {
    let server = start();
    let small = "POST /bai-viet/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\n\r\na=b&c=d";
    let answer = exchange(&server, small.as_bytes());
    assert_eq!(answer.status, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    let large =
        "POST /bai-viet/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000000\r\n\r\nabc";
    assert_eq!(exchange(&server, large.as_bytes()).status, "HTTP/1.1 413 Payload Too Large");
    assert_still_serves(&server);
}

/// Raises this process's own limit of open files (not the server's) so that it can hold
/// `needed` connections.
fn allow_open_files(needed: u64) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < needed && limit.rlim_max >= needed {
            limit.rlim_cur = needed;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

/// Opens 1,100 connections that never finish their request (half send nothing, half part of
/// a head): each is accepted, a normal request is still answered within a few seconds, and
/// the server has closed most of the idle ones.
fn idle_connections_leave_the_preview_reachable(server: &Server) {
    allow_open_files(4096);
    let address: std::net::SocketAddr = server.address.parse().unwrap();
    let mut idle = Vec::new();
    for i in 0..1100 {
        let connected = TcpStream::connect_timeout(&address, Duration::from_secs(5));
        let mut stream = connected.unwrap_or_else(|e| panic!("connection {i} not taken: {e}"));
        if i % 2 == 0 {
            let _ = stream.write_all(b"GET /bai-viet/ HTTP/1.1\r\nHost: loc");
        }
        idle.push(stream);
    }
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"GET /bai-viet/ HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer while the idle connections are held");
    assert!(answer.starts_with("HTTP/1.1 200 OK") && answer.contains("Nội dung bài viết."));
    assert!(server_is_running(server));
    std::thread::sleep(Duration::from_millis(500));
    let closed = idle.iter().filter(|stream| is_closed(stream)).count();
    assert!(closed >= 900, "only {closed} of 1100 idle connections were closed by the server");
}

fn server_is_running(server: &Server) -> bool {
    let pid = server.child.id();
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "))
}

/// Whether the server has closed a connection (end of stream or reset, without waiting).
fn is_closed(mut stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0; 1];
    !matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn finding_6_idle_connections_do_not_make_the_preview_unreachable() {
    let server = start();
    idle_connections_leave_the_preview_reachable(&server);
}

#[test]
fn finding_6_running_out_of_file_descriptors_sheds_idle_connections() {
    // Fewer file descriptors than the cap on connections: accepting fails with EMFILE.
    let server = start_with(96, 0);
    idle_connections_leave_the_preview_reachable(&server);
}

#[test]
fn finding_6_a_request_head_that_never_ends_is_dropped_after_the_timeout() {
    let server = start();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(b"GET /bai-viet/ HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the server closes the connection");
    assert!(answer.starts_with(b"HTTP/1.1 408 Request Timeout"), "{answer:?}");
}

#[test]
fn finding_6_event_streams_are_capped_and_the_oldest_closed() {
    let server = start();
    let open =
        |server: &Server| common::open_event_stream(&server.address, Duration::from_secs(10));
    let mut oldest = open(&server);
    let newer: Vec<_> = (0..64).map(|_| open(&server)).collect();
    let mut rest = String::new();
    oldest.read_to_string(&mut rest).expect("the oldest stream ends instead of timing out");
    drop(newer);
    assert_still_serves(&server);
}

#[test]
fn finding_19_methods_other_than_get_and_head_get_405_with_allow() {
    let server = start();
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"] {
        for path in ["/bai-viet/", "/khong-co/"] {
            let answer = request(&server, method, path);
            assert_eq!(answer.status, "HTTP/1.1 405 Method Not Allowed", "{method} {path}");
            assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method} {path}");
            assert!(!answer.text().contains("Nội dung"), "{method} {path}: {}", answer.text());
        }
        let events = request(&server, method, "/__loa/events");
        assert_eq!(events.status, "HTTP/1.1 405 Method Not Allowed", "{method} events");
        assert!(events.header("allow").is_some_and(|allow| allow.contains("GET")));
    }
}

#[test]
fn finding_19_head_sends_the_headers_without_the_body() {
    let server = start();
    for (path, status) in
        [("/bai-viet/", "HTTP/1.1 200 OK"), ("/khong-co/", "HTTP/1.1 404 Not Found")]
    {
        let get = request(&server, "GET", path);
        let head = request(&server, "HEAD", path);
        assert_eq!((get.status.as_str(), head.status.as_str()), (status, status));
        assert!(!get.body.is_empty());
        assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
        assert_eq!(head.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(head.body.is_empty(), "HEAD {path} sent a body: {}", head.text());
    }
}

#[test]
fn finding_19_a_request_for_another_host_is_refused() {
    let server = start();
    let port = server.port;
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost:{}", port + 1),
    ] {
        let answer = with_host(&server, &host);
        assert_eq!(answer.status, "HTTP/1.1 421 Misdirected Request", "{host}");
        assert!(!answer.text().contains("Nội dung"), "{host}: {}", answer.text());
        assert!(answer.text().contains(&format!("127.0.0.1:{port}")), "{}", answer.text());
    }
    let absolute =
        format!("GET http://evil.example/bai-viet/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    assert_eq!(exchange(&server, absolute.as_bytes()).status, "HTTP/1.1 421 Misdirected Request");
    let nameless = exchange(&server, b"GET /bai-viet/ HTTP/1.0\r\n\r\n");
    assert!(nameless.status.ends_with(" 421 Misdirected Request"), "{}", nameless.status);
    let events = exchange(&server, b"GET /__loa/events HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(events.status, "HTTP/1.1 421 Misdirected Request");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")]
    {
        assert_eq!(with_host(&server, &host).status, "HTTP/1.1 200 OK", "{host}");
    }
}

#[test]
fn finding_19_hidden_files_are_not_served() {
    let server = start();
    let public = server.site.path().join("public");
    assert!(public.join(".loa-build").is_file(), "the build marker is there to be asked for");
    std::fs::create_dir_all(public.join(".hidden")).unwrap();
    std::fs::write(public.join(".hidden/x"), "bí mật").unwrap();
    std::fs::write(public.join("bai-viet/.env"), "bí mật").unwrap();
    for path in [
        "/.loa-build",
        "/.hidden/x",
        "/%2ehidden/x",
        "/.hidden/",
        "/bai-viet/.env",
        "/bai-viet/%2Eenv",
    ] {
        let answer = request(&server, "GET", path);
        assert_eq!(answer.status, "HTTP/1.1 404 Not Found", "{path}");
        assert!(!answer.text().contains("bí mật"), "{path}: {}", answer.text());
    }
}

#[test]
fn finding_19_encoded_traversal_is_refused() {
    let server = start();
    for path in [
        "/%2e%2e/site.yaml",
        "/%2E%2e/%2e%2E/etc/passwd",
        "/.%2e/site.yaml",
        "/bai-viet/%2e%2e/%2e%2e/site.yaml",
        "/%2e%2e%2fsite.yaml",
        "/%2e%2e%5csite.yaml",
    ] {
        let answer = request(&server, "GET", path);
        assert_eq!(answer.status, "HTTP/1.1 400 Bad Request", "{path}");
        assert!(!answer.text().contains("base_url"), "{path} leaked site.yaml");
    }
}

#[test]
fn serve_says_when_it_moves_to_another_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let asked = taken.local_addr().unwrap().port();
    let server = start_with(1024, asked);
    assert_ne!(server.port, asked);
    let expected = format!("Port {asked} is taken; serving on {} instead.", server.port);
    assert!(server.said.contains(&expected), "{:?}", server.said);
    assert_still_serves(&server);
}
