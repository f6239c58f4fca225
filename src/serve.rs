//! `loa serve`: a preview server on 127.0.0.1 that rebuilds the site when a source changes,
//! reloads the browser (server-sent events) and shows build errors in the page until fixed.

pub mod change;
pub mod mirror;
pub mod session;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__loa/events";

/// The script injected into served HTML (never into `loa build` output): `reload` loads the
/// page again; `css` fetches it and swaps its inlined styles and stylesheet links in place,
/// keeping scroll position and form state.
pub const RELOAD_SCRIPT: &str = concat!(
    "<script>new EventSource(\"/__loa/events\").onmessage=function(e){",
    "if(e.data!=\"css\")return location.reload();",
    "fetch(location.href,{cache:\"no-store\"}).then(function(r){return r.text()}).then(function(t){",
    "var d=new DOMParser().parseFromString(t,\"text/html\"),",
    "q=\"style,link[rel=stylesheet]\",n=d.querySelectorAll(q),o=document.querySelectorAll(q);",
    "if(n.length!=o.length)return location.reload();",
    "o.forEach(function(s,i){if(s.tagName==\"STYLE\")s.textContent=n[i].textContent;else s.href=n[i].href})",
    "})}</script>"
);

/// Quiet time after a file event before rebuilding, so that an editor's save (write, rename,
/// backup) is one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Quiet time after the last edit before outputs that cannot follow edits one page at a time
/// (the search index) are rendered again in full.
pub const CATCH_UP_AFTER: Duration = Duration::from_secs(1);

/// What the server shows: the build number and the error of the last build, if it failed.
#[derive(Debug, Default)]
pub struct BuildState {
    /// Increases with every finished build, good or bad.
    pub version: u64,
    /// The error of the last build, as text for people.
    pub error: Option<String>,
    /// The last build after which browsers must load the page again (not just its styles).
    pub reload_at: u64,
}

/// The shared state and a signal for waiting clients.
#[derive(Debug, Default)]
pub struct Shared {
    state: Mutex<BuildState>,
    changed: Condvar,
}

impl Shared {
    /// Records a finished build and wakes the browsers; a failed build always reloads them.
    pub fn finish(&self, error: Option<String>, refresh: session::Refresh) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if refresh == session::Refresh::Nothing && error == state.error {
            return;
        }
        state.version += 1;
        if refresh != session::Refresh::Styles || error.is_some() || state.error.is_some() {
            state.reload_at = state.version;
        }
        state.error = error;
        self.changed.notify_all();
    }

    fn snapshot(&self) -> (u64, Option<String>) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.version, state.error.clone())
    }

    /// Whether a browser that saw build `seen` must load the page again.
    fn must_reload(&self, seen: u64) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).reload_at > seen
    }

    /// Waits until the build number passes `seen`, or the timeout ends.
    fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.version <= seen)
            .unwrap_or_else(|e| e.into_inner());
        state.version
    }
}

/// Binds the first free port from `port` upwards on `address` (127.0.0.1 unless asked otherwise).
pub fn bind(address: std::net::IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(20) {
        match TcpListener::bind((address, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Serves files from `root` until the process is stopped.
pub fn serve(listener: TcpListener, root: &Path, shared: Arc<Shared>) {
    for stream in listener.incoming().flatten() {
        let root = root.to_path_buf();
        let shared = shared.clone();
        std::thread::spawn(move || {
            let _ = respond(stream, &root, &shared);
        });
    }
}

fn respond(mut stream: TcpStream, root: &Path, shared: &Shared) -> std::io::Result<()> {
    let mut request_line = String::new();
    BufReader::new(&stream).read_line(&mut request_line)?;
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    if target == EVENTS_PATH {
        return stream_events(stream, shared);
    }
    let (status, file) = match (safe_relative(target), resolve(root, target)) {
        (None, _) => ("400 Bad Request", None),
        (_, Some(file)) => ("200 OK", Some(file)),
        (Some(_), None) => {
            ("404 Not Found", root.join("404.html").is_file().then(|| root.join("404.html")))
        }
    };
    let content_type = file.as_deref().map_or("text/html; charset=utf-8", content_type);
    let mut body = match &file {
        Some(file) => std::fs::read(file)?,
        None => b"<!doctype html><title>404</title><p>Not found</p>".to_vec(),
    };
    if content_type.starts_with("text/html") {
        body =
            decorate(&String::from_utf8_lossy(&body), shared.snapshot().1.as_deref()).into_bytes();
    }
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Sends `reload` to a browser after every build, until it goes away.
fn stream_events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n: connected\n\n")?;
    let mut seen = shared.snapshot().0;
    loop {
        let now = shared.wait_past(seen, Duration::from_secs(15));
        if now > seen {
            let event: &[u8] =
                if shared.must_reload(seen) { b"data: reload\n\n" } else { b"data: css\n\n" };
            seen = now;
            stream.write_all(event)?;
        } else {
            stream.write_all(b": keep-alive\n\n")?;
        }
        stream.flush()?;
    }
}

/// Served HTML with the live-reload script and, after a failed build, the error on top.
pub fn decorate(html: &str, error: Option<&str>) -> String {
    let overlay = error.map(|e| {
        format!(
            "<div role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:99;max-height:70vh;overflow:auto;background:#fff5f5;\
             border-bottom:4px solid #9b1c1c;padding:1rem;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a\">\
             <pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
            crate::outputs::escape_xml(e)
        )
    });
    let addition = format!("{}{RELOAD_SCRIPT}", overlay.unwrap_or_default());
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// The path a request names, relative to the served folder; `None` when it tries to leave it.
pub fn safe_relative(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with("//") {
        return None;
    }
    let relative = PathBuf::from(decoded.trim_start_matches('/'));
    relative.components().all(|c| matches!(c, Component::Normal(_))).then_some(relative)
}

/// The file a request path maps to, never outside `root`.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let relative = safe_relative(target)?;
    let candidate = root.join(relative);
    let file = if candidate.is_dir() { candidate.join("index.html") } else { candidate };
    file.is_file().then_some(file)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            let byte = u8::from_str_radix(hex, 16).ok()?;
            if byte == b'/' {
                return None;
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ssml" => "application/ssml+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// What wakes the watching loop: a change to the sources, or a request to stop.
enum Wake {
    Changed(notify::Result<notify::Event>),
    Stop,
}

/// What `loa serve` watches in the site folder: the folders and the settings file loa reads.
pub const WATCHED: [&str; 7] = [
    "content",
    "locales",
    "themes",
    "static",
    "templates",
    "shortcodes",
    crate::config::CONFIG_FILE,
];

/// The site's sources being watched, with the events not yet handled.
pub struct Watching {
    watcher: notify::RecommendedWatcher,
    events: std::sync::mpsc::Receiver<Wake>,
    wake: std::sync::mpsc::Sender<Wake>,
    /// The site folder, resolved once.
    root: PathBuf,
    out: PathBuf,
}

/// Starts watching the site's sources (before the server announces itself, so that no save
/// made after the announcement is missed).
pub fn watch(root: &Path, out: &Path) -> notify::Result<Watching> {
    use notify::{RecursiveMode, Watcher};
    let (wake, events) = std::sync::mpsc::channel();
    let changed = wake.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = changed.send(Wake::Changed(event));
    })?;
    // The site folder itself, alone, so that a watched folder made later (a first
    // `templates/` override) is seen and then watched in full.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for name in WATCHED {
        let path = root.join(name);
        if path.exists() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let (root, out) = (crate::write::absolute(root), crate::write::absolute(out));
    Ok(Watching { watcher, events, wake, root, out })
}

impl Watching {
    /// Makes Ctrl+C (SIGINT) and SIGTERM stop [`Watching::run`] once the rebuild under way has
    /// written its files; a second signal exits at once.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let mut received = signals.forever();
            if received.next().is_some() {
                let _ = wake.send(Wake::Stop);
            }
            if received.next().is_some() {
                std::process::exit(130);
            }
        });
        Ok(())
    }

    /// After each burst of changes (debounced) calls `rebuild` with what changed, and `idle`
    /// when nothing has changed for [`CATCH_UP_AFTER`]; returns when asked to stop.
    pub fn run(mut self, mut rebuild: impl FnMut(&change::Change), mut idle: impl FnMut()) {
        use std::sync::mpsc::RecvTimeoutError;
        loop {
            let first = match self.events.recv_timeout(CATCH_UP_AFTER) {
                Ok(Wake::Changed(first)) => first,
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    idle();
                    continue;
                }
            };
            let mut paths = event_paths(first, &self.out);
            let mut stop = false;
            while let Ok(next) = self.events.recv_timeout(DEBOUNCE) {
                match next {
                    Wake::Changed(event) => paths.extend(event_paths(event, &self.out)),
                    Wake::Stop => {
                        stop = true;
                        break;
                    }
                }
            }
            self.watch_new_folders(&paths);
            let change = change::classify(&self.root, &paths);
            if change != change::Change::Nothing {
                rebuild(&change);
            }
            if stop {
                return;
            }
        }
    }

    /// Watches in full each folder of [`WATCHED`] that has just been made in the site folder.
    fn watch_new_folders(&mut self, paths: &[PathBuf]) {
        use notify::{RecursiveMode, Watcher};
        for path in paths {
            let relative = change::relative_to(&self.root, path);
            if WATCHED.iter().any(|name| relative == Path::new(name)) && path.is_dir() {
                let _ = self.watcher.watch(path, RecursiveMode::Recursive);
            }
        }
    }
}

/// The paths of an event, without those in the output folder and those of access events.
fn event_paths(event: notify::Result<notify::Event>, out: &Path) -> Vec<PathBuf> {
    let Ok(event) = event else { return Vec::new() };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    event.paths.into_iter().filter(|p| !p.starts_with(out)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/").is_some());
        for bad in ["/../etc/passwd", "/%2e%2e/x", "/a%2fb", "/..\\x", "//etc/passwd"] {
            assert!(resolve(dir.path(), bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn injects_reload_script_and_error_overlay() {
        let html = decorate("<html><body><p>x</p></body></html>", None);
        assert!(html.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
        let broken = decorate("<body></body>", Some("content/a.md:3:1: <lỗi>"));
        assert!(
            broken.contains("role=\"alert\"") && broken.contains("content/a.md:3:1: &lt;lỗi&gt;")
        );
    }

    #[test]
    fn wakes_waiting_clients_after_a_build() {
        let shared = Arc::new(Shared::default());
        let waiter = {
            let shared = shared.clone();
            std::thread::spawn(move || shared.wait_past(0, Duration::from_secs(5)))
        };
        std::thread::sleep(Duration::from_millis(50));
        shared.finish(Some("boom".into()), session::Refresh::Styles);
        assert_eq!(waiter.join().unwrap(), 1);
        assert_eq!(shared.snapshot(), (1, Some("boom".into())));
        assert!(shared.must_reload(0), "an error shows by reloading");
    }

    #[test]
    fn swaps_styles_without_reloading_after_a_stylesheet_change() {
        let shared = Shared::default();
        shared.finish(None, session::Refresh::Reload);
        shared.finish(None, session::Refresh::Styles);
        assert!(!shared.must_reload(1) && shared.must_reload(0));
        shared.finish(None, session::Refresh::Nothing);
        assert_eq!(shared.snapshot().0, 2, "a build that changed nothing shown wakes nobody");
    }
}
