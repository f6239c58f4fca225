//! Helpers shared by the integration tests: fixture sites copied into temporary folders.

#![allow(dead_code)]

pub mod bad;

use std::path::{Path, PathBuf};
use std::process::Command;

use loa::BuildOptions;

/// The repository root (where the bundled theme lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `tests/fixtures/<name>` (plus the bundled default theme) into a temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("tests/fixtures").join(name), dir.path());
    copy_tree(&repo().join("themes/default"), &dir.path().join("themes/default"));
    dir
}

/// Copies the bundled example site (settings, locales, content, default theme) into a temporary folder.
pub fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    for folder in ["locales", "content", "themes/default"] {
        copy_tree(&repo().join(folder), &dir.path().join(folder));
    }
    dir
}

/// Whether a command-line tool is installed; without it a test is skipped loudly, or fails
/// when `CI` is set.
pub fn has_tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{name} is missing on CI: .ci/run installs it");
        eprintln!(
            "\n*** SKIPPED: `{name}` is not installed (apt-get install poppler-utils zbar-tools) ***\n"
        );
    }
    found
}

/// Copies the files of `from` over `to`, creating folders.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Build options at a fixed moment.
pub fn options_at(now: &str) -> BuildOptions {
    BuildOptions {
        drafts: false,
        now: loa::base::dates::parse_date(now, loa::base::dates::default_offset()).unwrap(),
        base_url: None,
        bleed: false,
        untrusted_authors: false,
    }
}

/// Builds `site` into `site/public` as of 1 August 2024.
pub fn build(site: &Path) -> loa::Result<loa::BuildReport> {
    loa::build(site, &site.join("public"), &options_at("2024-08-01"))
}

/// Reads an output file as text.
pub fn read(site: &Path, path: &str) -> String {
    let file = site.join("public").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Writes a file into a site, creating folders.
pub fn write(site: &Path, path: &str, text: impl AsRef<[u8]>) {
    let file = site.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

/// Runs the `loa` binary in `site` and returns (success, stdout, stderr).
pub fn run_loa(site: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(site)
        .env("LANG", "C")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

/// A print environment for handing bodies to Typst in tests: no images, labels as their
/// keys, every hotline known as "Số <id>".
pub struct PlainPrint;

impl loa::render::print::tree::PrintEnv for PlainPrint {
    fn image(&self, _: &str) -> Option<String> {
        None
    }
    fn label(&self, key: &str) -> String {
        key.to_owned()
    }
    fn hotline(&self, id: &str) -> Option<(String, String)> {
        Some((format!("Số {id}"), id.to_owned()))
    }
}

/// Accepts every shortcode call, as the model does once it has checked them.
struct Accepting;

impl loa::load::markdown::ShortcodeHost for Accepting {
    fn render(
        &self,
        _: &loa::load::shortcodes::Call,
        _: Option<&str>,
        _: &dyn Fn(&str) -> loa::load::markdown::Resolved,
    ) -> Result<String, (loa::base::messages::Message, Option<loa::base::messages::Message>)> {
        Ok(String::new())
    }
}

/// The print tree of a Markdown body, parsed once by load into its document tree (a body
/// whose shortcode calls cannot be read is read without them), with [`PlainPrint`].
pub fn print_tree(body: &str) -> Vec<loa::render::print::tree::Node> {
    use loa::load::markdown::{Resolved, render};
    let keep = |_: &str| Resolved::Keep;
    let rendered = render(body, 0, &keep, Some(&Accepting))
        .or_else(|_| render(body, 0, &keep, None))
        .expect("a body without shortcodes always parses");
    loa::render::print::tree::tree(&rendered.tree, &PlainPrint)
}

/// Runs `loa` with `args` in `site` as user and group 65534 (`nobody`), after opening `site`
/// and the `also` folders to them (files and folders locked with mode 000 stay locked).
/// Returns (success, stderr).
pub fn run_as_nobody(site: &Path, also: &[&Path], args: &[&str]) -> (bool, String) {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    for folder in std::iter::once(site).chain(also.iter().copied()) {
        for entry in walkdir::WalkDir::new(folder) {
            let entry = entry.unwrap();
            let mode = entry.metadata().unwrap().permissions().mode();
            if mode & 0o777 != 0 {
                let open = if entry.file_type().is_dir() { 0o777 } else { 0o666 };
                std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(open))
                    .unwrap();
            }
        }
    }
    let output = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(site)
        .env("LANG", "C")
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Opens the live-reload event stream of the preview at `address` and reads up to its first
/// comment, so that the next line is an event.
pub fn open_event_stream(
    address: &str,
    timeout: std::time::Duration,
) -> std::io::BufReader<std::net::TcpStream> {
    use std::io::{BufRead, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    write!(stream, "GET /__loa/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut reader = std::io::BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        let read = reader.read_line(&mut line).expect("the event stream opens");
        assert!(read > 0, "the event stream opens");
    }
    reader
}
