//! `loa serve` on every bad input of `tests/fixtures/bad/`: it never panics; it keeps running
//! and shows the error in the page (or exits non-zero with a message).

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::bad;

/// A running `loa serve` whose stderr goes to a file; killed when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `loa serve --port 0` in `site`; the address it serves at, or `None` if it exited.
fn start(site: &Path, stderr: &Path) -> (Server, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(["serve", "--port", "0"])
        .current_dir(site)
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(stderr).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://").nth(1) {
                let _ = send.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
    });
    let address = receive.recv_timeout(Duration::from_secs(60)).ok();
    (Server { child }, address)
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Serves one case and checks the page shows its error, or the site when it builds.
fn serve_case(case: &bad::Case) {
    let site = bad::site(&case.name);
    let stderr = site.path().join("serve.log");
    let what = format!("loa serve on case {}", case.name);
    let (mut server, address) = start(site.path(), &stderr);
    match address {
        Some(address) => {
            let page = get(&address, "/");
            let alert = page.contains("role=\"alert\"");
            assert_eq!(
                alert, !case.builds,
                "{what}: alert shown should be {}:\n{page}",
                !case.builds
            );
            if let Some(place) = case.present.first().filter(|_| !case.builds) {
                let place = place.split(": ").next().unwrap();
                assert!(page.contains(place), "{what}: `{place}` not in the page:\n{page}");
            }
            assert!(server.child.try_wait().unwrap().is_none(), "{what}: serve stopped");
        }
        None => {
            let status = server.child.wait().unwrap();
            assert!(!status.success(), "{what}: exited successfully without serving");
            let log = std::fs::read_to_string(&stderr).unwrap();
            assert!(log.contains("error: "), "{what}: exited without a message:\n{log}");
        }
    }
    drop(server);
    bad::assert_no_panic(&std::fs::read_to_string(&stderr).unwrap(), &what);
}

#[test]
fn serve_shows_every_bad_input_without_panicking() {
    for case in bad::cases() {
        serve_case(&case);
    }
}

#[test]
fn finding_4_and_16_serve_shows_deep_pages_in_the_page_and_keeps_running() {
    let site = common::fixture("minimal");
    let quotes = format!("{} Gọi 111.\n", ">".repeat(50_000));
    let printed = format!("---\ntitle: Tờ rơi\nprint: leaflet-a5\n---\n\n{quotes}");
    common::write(site.path(), "content/to-roi.md", printed);
    let open = "{% callout(kind=\"info\") %}\n".repeat(1_200);
    let close = "{% end %}\n".repeat(1_200);
    common::write(
        site.path(),
        "content/hop.md",
        format!("---\ntitle: Hộp\n---\n\n{open}x\n{close}"),
    );
    let stderr = site.path().join("serve.log");
    let (mut server, address) = start(site.path(), &stderr);
    let address = address.expect("loa serve serves the overlay");
    let page = get(&address, "/");
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains("content/to-roi.md:6:13"), "{page}");
    assert!(page.contains("content/hop.md:37:1"), "{page}");
    assert!(server.child.try_wait().unwrap().is_none(), "serve stopped");
    drop(server);
    bad::assert_no_panic(&std::fs::read_to_string(&stderr).unwrap(), "serve on deep pages");
}
