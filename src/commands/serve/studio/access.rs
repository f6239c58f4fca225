//! Who may use the studio: a per-session token and a same-origin check on every request that
//! changes something (against cross-site requests), and, when `loa serve` listens beyond
//! loopback, a one-time link whose secret is traded for a cookie (without it, 403).
//!
//! The `Host` header is checked before any of this by the preview's guard (against DNS
//! rebinding), so an origin built from it names this server.

use std::io::Read;
use std::sync::Mutex;

use axum::http::{HeaderMap, header};

/// The header carrying the session token on requests that change something.
pub const TOKEN_HEADER: &str = "x-loa-token";

/// The cookie a browser gets for the one-time link.
pub const COOKIE: &str = "loa_studio";

/// The query parameter of the one-time link.
pub const KEY_PARAM: &str = "key";

/// The secrets of one `loa serve` session.
#[derive(Debug)]
pub struct Access {
    token: String,
    remote: Option<Remote>,
}

/// The secrets needed when the studio is reachable from other computers.
#[derive(Debug)]
struct Remote {
    /// The secret of the one-time link, until it is used.
    link: Mutex<Option<String>>,
    /// The cookie given in exchange for it.
    cookie: String,
}

/// What a request for a studio page may do.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Go on.
    Admitted,
    /// It carried the one-time link's secret: set this cookie and go on.
    Granted(String),
    /// 403.
    Refused,
}

impl Access {
    /// New secrets; `local` when the server listens on loopback only, where no link is needed.
    pub fn new(local: bool) -> std::io::Result<Access> {
        let remote = if local {
            None
        } else {
            Some(Remote { link: Mutex::new(Some(secret()?)), cookie: secret()? })
        };
        Ok(Access { token: secret()?, remote })
    }

    /// The session token written into the studio page.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The one-time link's secret, while unused (`None` on loopback).
    pub fn link_secret(&self) -> Option<String> {
        let remote = self.remote.as_ref()?;
        remote.link.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether a request may see the studio: always on loopback; else with the cookie, or with
    /// the one-time link's secret in `key`, which is then spent.
    pub fn admit(&self, headers: &HeaderMap, key: Option<&str>) -> Admission {
        let Some(remote) = &self.remote else { return Admission::Admitted };
        if cookie_of(headers).is_some_and(|c| same(c, &remote.cookie)) {
            return Admission::Admitted;
        }
        let mut link = remote.link.lock().unwrap_or_else(|e| e.into_inner());
        match (key, link.as_deref()) {
            (Some(key), Some(secret)) if same(key, secret) => {
                *link = None;
                Admission::Granted(format!(
                    "{COOKIE}={}; Path=/_studio; HttpOnly; SameSite=Strict",
                    remote.cookie
                ))
            }
            _ => Admission::Refused,
        }
    }

    /// Whether a request that changes something comes from the studio page itself: the
    /// session token in [`TOKEN_HEADER`], an `Origin` naming this server (the `Host` it was
    /// sent to), no cross-site fetch metadata, and admission as for pages.
    pub fn allows_change(&self, headers: &HeaderMap) -> bool {
        let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        token.is_some_and(|t| same(t, &self.token))
            && matches!((host, origin), (Some(host), Some(origin)) if origin == format!("http://{host}"))
            && site.is_none_or(|s| s == "same-origin")
            && self.admit(headers, None) == Admission::Admitted
    }
}

/// The value of the studio's cookie in a request.
fn cookie_of(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// Compares two secrets in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 random bytes from the system, in hex.
fn secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn a_change_needs_the_token_and_the_same_origin() {
        let access = Access::new(true).unwrap();
        let token = access.token().to_owned();
        let good = [("host", "127.0.0.1:1111"), ("origin", "http://127.0.0.1:1111")];
        let with = |extra: &[(&'static str, &str)]| {
            let mut all = good.to_vec();
            all.extend_from_slice(extra);
            headers(&all)
        };
        assert!(access.allows_change(&with(&[(TOKEN_HEADER, &token)])));
        assert!(!access.allows_change(&with(&[])), "no token");
        assert!(!access.allows_change(&with(&[(TOKEN_HEADER, "0")])), "wrong token");
        assert!(
            !access
                .allows_change(&with(&[(TOKEN_HEADER, &token), ("sec-fetch-site", "cross-site")]))
        );
        let other = headers(&[
            ("host", "127.0.0.1:1111"),
            ("origin", "http://evil.example"),
            (TOKEN_HEADER, &token),
        ]);
        assert!(!access.allows_change(&other), "other origin");
        let none = headers(&[("host", "127.0.0.1:1111"), (TOKEN_HEADER, &token)]);
        assert!(!access.allows_change(&none), "no origin");
    }

    #[test]
    fn the_one_time_link_is_traded_once_for_a_cookie() {
        let access = Access::new(false).unwrap();
        let key = access.link_secret().unwrap();
        assert_eq!(access.admit(&HeaderMap::new(), None), Admission::Refused);
        assert_eq!(access.admit(&HeaderMap::new(), Some("wrong")), Admission::Refused);
        let Admission::Granted(set_cookie) = access.admit(&HeaderMap::new(), Some(&key)) else {
            panic!("the link admits")
        };
        assert_eq!(access.admit(&HeaderMap::new(), Some(&key)), Admission::Refused, "spent");
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        assert_eq!(access.admit(&headers(&[("cookie", &cookie)]), None), Admission::Admitted);
        assert!(access.link_secret().is_none());
    }
}
