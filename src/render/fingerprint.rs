//! Content-hashed copies of the theme's and site's CSS and JS (`countdown.3f2a9c1e.js`), which
//! servers may cache forever; templates name them with `asset_url(path=…)`.

use std::collections::HashMap;
use std::hash::Hasher;

use crate::base::error::Result;
use crate::load::config::Config;
use crate::model::Site;
use crate::render::plan::{Plan, Route, SitePlan};
use crate::render::{Artifact, Body, Edit, Output};

/// Publishes a content-hashed copy of every static `.css` and `.js` file.
pub struct Fingerprinted;

impl Output for Fingerprinted {
    fn name(&self) -> &'static str {
        "fingerprinted"
    }

    /// A copy of each static stylesheet and script under its hashed name.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let routes = hashed_files(&site.config)?.into_values().map(|(path, _)| Route::File(path));
        Ok(Plan { routes: routes.collect(), ..Plan::default() })
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        Ok(hashed_files(&site.config)?
            .into_iter()
            .map(|(_, (path, bytes))| Artifact { path, body: Body::Bytes(bytes) })
            .collect())
    }

    /// Edits of pages change nothing here: hashed copies come from static files.
    fn render_edit(
        &self,
        _site: &Site,
        _plan: &SitePlan,
        _edit: &Edit,
    ) -> Option<Result<Vec<Artifact>>> {
        Some(Ok(Vec::new()))
    }
}

/// Static CSS and JS files (the site's winning over the theme's): path → (hashed path, bytes).
pub fn hashed_files(config: &Config) -> Result<HashMap<String, (String, Vec<u8>)>> {
    let mut files = HashMap::new();
    for file in crate::load::theme::layered_files(config, "static")? {
        if file.relative.ends_with(".css") || file.relative.ends_with(".js") {
            let bytes = file.bytes()?;
            files.insert(file.relative.clone(), (hashed_name(&file.relative, &bytes), bytes));
        }
    }
    Ok(files)
}

/// `countdown.js` with the first 8 hex digits of its content hash: `countdown.3f2a9c1e.js`.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip::SipHasher13::new();
    hasher.write(bytes);
    let hash = format!("{:016x}", hasher.finish());
    match path.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => {
            format!("{stem}.{}.{extension}", &hash[..8])
        }
        _ => format!("{path}.{}", &hash[..8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_the_hash_before_the_extension() {
        let name = hashed_name("js/countdown.js", b"let a = 1;");
        assert!(name.starts_with("js/countdown.") && name.ends_with(".js"), "{name}");
        assert_eq!(name.len(), "js/countdown.12345678.js".len());
        assert_ne!(name, hashed_name("js/countdown.js", b"let a = 2;"));
    }
}
