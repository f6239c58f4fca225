//! What `loa serve` answers: the built site (GET and HEAD only, no hidden files), the
//! live-reload event stream, and nothing for a request naming another host.
//!
//! Every request first passes [`guard`]: its `Host` must name this preview (against DNS
//! rebinding, where a web page the author visits reads the preview through a name of its
//! own), and a declared body must be small. The studio (`super::studio`) is merged in by
//! [`router_with`], behind the same guard.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};

use super::connections::{Slot, Slots};
use super::{EVENTS_PATH, Shared};
use crate::base::messages::UiLang;

/// The largest request body taken, in bytes; a larger declared length gets 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Browsers' event streams open at once; when one more opens, the oldest is closed (a
/// browser opens it again by itself).
pub const MAX_EVENT_STREAMS: usize = 64;

/// How often an idle event stream says it is still there.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the page shows for a missing file when the site has no `404.html`.
const NOT_FOUND: &str = "<!doctype html><title>404</title><p>Not found</p>";

/// What the handlers share: the served folder, the last build, who may ask.
#[derive(Clone)]
pub struct Preview {
    root: Arc<PathBuf>,
    shared: Arc<Shared>,
    hosts: Arc<Hosts>,
    streams: Arc<Slots>,
    waiting: Arc<Slots>,
    lang: UiLang,
}

impl Preview {
    /// The preview of the files in `root`, listening at `address`, with messages in `lang`.
    pub fn new(root: PathBuf, shared: Arc<Shared>, address: SocketAddr, lang: UiLang) -> Preview {
        Preview {
            root: Arc::new(root),
            shared,
            hosts: Arc::new(Hosts::new(address)),
            streams: Slots::new(MAX_EVENT_STREAMS),
            waiting: super::connections::waiting_connections(),
            lang,
        }
    }

    /// The connections waiting for their head, which the accept loop shares.
    pub fn waiting(&self) -> Arc<Slots> {
        self.waiting.clone()
    }
}

/// The routes of the preview.
pub fn router(preview: Preview) -> Router {
    router_with(preview, Router::new())
}

/// The routes of the preview with `extra` ones (the studio's) merged in, behind the same guard.
pub fn router_with(preview: Preview, extra: Router) -> Router {
    let site = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(preview.clone());
    extra
        .merge(site)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(preview, guard))
}

/// Refuses requests for another host or with a body over [`BODY_LIMIT`]; nothing answered is
/// kept by browsers (`Cache-Control: no-store`).
async fn guard(State(preview): State<Preview>, request: Request, next: Next) -> Response {
    let mut response = if !preview.hosts.allows_request(&request) {
        let address = preview.hosts.address;
        let text = msg!("serve.wrong_host", address = address).render(preview.lang);
        (StatusCode::MISDIRECTED_REQUEST, format!("{text}\n")).into_response()
    } else if declared_length(&request).is_some_and(|length| length > body_limit(&request)) {
        plain(StatusCode::PAYLOAD_TOO_LARGE)
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The largest body a request may declare: [`BODY_LIMIT`], or a photo's for the studio's uploads.
fn body_limit(request: &Request) -> u64 {
    if request.uri().path() == super::studio::PHOTO_PATH {
        super::studio::photos::MAX_BYTES as u64
    } else {
        BODY_LIMIT as u64
    }
}

/// The `Content-Length` a request declares.
fn declared_length(request: &Request) -> Option<u64> {
    request.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// A status alone, as plain text.
fn plain(status: StatusCode) -> Response {
    (status, format!("{status}\n")).into_response()
}

/// A file of the built site (HTML with the live-reload script), the site's 404 page, or a
/// refusal: 405 for methods other than GET and HEAD, 400 for a path leaving the folder.
async fn site_file(State(preview): State<Preview>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let status = StatusCode::METHOD_NOT_ALLOWED;
        return (status, [(header::ALLOW, "GET, HEAD")], format!("{status}\n")).into_response();
    }
    if super::safe_relative(uri.path()).is_none() {
        return plain(StatusCode::BAD_REQUEST);
    }
    let found = super::resolve(&preview.root, uri.path());
    let body = match &found {
        Some(file) => read_file(file, &preview.waiting).await,
        None => None,
    };
    let (status, file, body) = match (found, body) {
        (Some(file), Some(body)) => (StatusCode::OK, Some(file), body),
        _ => {
            let page = preview.root.join("404.html");
            let body = read_file(&page, &preview.waiting).await;
            let file = body.is_some().then_some(page);
            (StatusCode::NOT_FOUND, file, body.unwrap_or_else(|| NOT_FOUND.as_bytes().to_vec()))
        }
    };
    let content_type = file.as_deref().map_or("text/html; charset=utf-8", super::content_type);
    let body = if content_type.starts_with("text/html") {
        let error = preview.shared.snapshot().1;
        super::decorate(&String::from_utf8_lossy(&body), error.as_deref()).into_bytes()
    } else {
        body
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Reads a served file; when the process is out of file descriptors, closes connections that
/// still wait for their head (or waits for some to go) and tries again, for about a second.
async fn read_file(file: &std::path::Path, waiting: &Slots) -> Option<Vec<u8>> {
    for _ in 0..10 {
        match tokio::fs::read(file).await {
            Err(e) if matches!(e.raw_os_error(), Some(23 | 24)) => {
                super::connections::out_of_resources(waiting).await;
            }
            read => return read.ok(),
        }
    }
    None
}

/// The live-reload stream: `reload` or `css` after every build, until the browser goes away
/// or [`MAX_EVENT_STREAMS`] newer streams have opened.
async fn events(
    State(preview): State<Preview>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let slot = preview.streams.enter();
    let mut builds = preview.shared.subscribe();
    let seen = *builds.borrow_and_update();
    let connected = stream::once(async { Ok(Event::default().comment("connected")) });
    let after_builds = stream::unfold(
        (builds, seen, slot, preview.shared),
        |(mut builds, seen, slot, shared)| async move {
            if !next_build(&mut builds, &slot).await {
                return None;
            }
            let now = *builds.borrow_and_update();
            let data = if shared.must_reload(seen) { "reload" } else { "css" };
            Some((Ok(Event::default().data(data)), (builds, now, slot, shared)))
        },
    );
    Sse::new(connected.chain(after_builds))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
}

/// Waits for the next build; `false` when the stream is to end instead (shed for a newer one,
/// or the server is stopping).
async fn next_build(builds: &mut tokio::sync::watch::Receiver<u64>, slot: &Slot) -> bool {
    let changed = std::pin::pin!(builds.changed());
    let shed = std::pin::pin!(slot.shed());
    matches!(
        futures_util::future::select(changed, shed).await,
        futures_util::future::Either::Left((Ok(()), _))
    )
}

/// The host names a request may carry: this preview's address and loopback names, with its
/// port or none.
#[derive(Debug, Clone, Copy)]
pub struct Hosts {
    address: SocketAddr,
}

impl Hosts {
    /// The names accepted by a preview listening at `address`.
    pub fn new(address: SocketAddr) -> Hosts {
        Hosts { address }
    }

    /// Whether a request names this preview: its `Host`, and the authority of its target when
    /// it has one, are accepted, and it has at least one of them.
    pub fn allows_request(&self, request: &Request) -> bool {
        let authority = request.uri().authority().map(|a| a.as_str());
        let host = request.headers().get(header::HOST).map(|h| h.to_str().unwrap_or_default());
        (authority.is_some() || host.is_some())
            && authority.is_none_or(|a| self.allows(a))
            && host.is_none_or(|h| self.allows(h))
    }

    /// Whether a `Host` value names this preview: `localhost` or a loopback address, or the
    /// address it listens at, with its port or none. Listening on every address (`0.0.0.0`,
    /// `::`), any address is accepted, but never a name: a rebinding attack needs a name.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        if port.is_some_and(|port| port != self.address.port()) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Some(ip) = host_ip(name) else { return false };
        ip.is_loopback() || ip == self.address.ip() || self.address.ip().is_unspecified()
    }
}

/// A `Host` value's name and port (`[::1]:1111` → `[::1]`, 1111); `None` if malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let name_end = if host.starts_with('[') {
        host.find(']')? + 1
    } else {
        host.find(':').unwrap_or(host.len())
    };
    let (name, rest) = host.split_at(name_end);
    let port = match rest {
        "" => None,
        _ => Some(rest.strip_prefix(':')?.parse().ok()?),
    };
    (!name.is_empty()).then_some((name, port))
}

/// The address a host name writes literally: `127.0.0.1`, or `[::1]` in brackets.
fn host_ip(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']')?.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_hosts_naming_the_preview() {
        let hosts = Hosts::new("127.0.0.1:1111".parse().unwrap());
        for good in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.1",
            "[::1]",
        ] {
            assert!(hosts.allows(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example:1111",
            "localhost:1112",
            "127.0.0.1:",
            "127.0.0.1:x",
            "192.168.1.5:1111",
            "[127.0.0.1]:1111",
            "::1",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn bound_elsewhere_accepts_that_address_and_on_every_address_any_but_no_name() {
        let lan = Hosts::new("192.168.1.5:8080".parse().unwrap());
        assert!(lan.allows("192.168.1.5:8080") && lan.allows("localhost:8080"));
        assert!(!lan.allows("192.168.1.6:8080") && !lan.allows("evil.example:8080"));
        let every = Hosts::new("0.0.0.0:8080".parse().unwrap());
        assert!(every.allows("192.168.1.6:8080") && every.allows("[fe80::1]:8080"));
        assert!(!every.allows("evil.example:8080"));
    }
}
