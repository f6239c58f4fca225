//! Content-hashed copies of the theme's and site's CSS and JS (`countdown.3f2a9c1e.js`), which
//! servers may cache forever; templates name them with `asset_url(path=…)`.

use crate::base::error::Result;
use crate::load::assets::hashed_files;
use crate::model::Site;
use crate::render::plan::{Plan, Route, SitePlan};
use crate::render::{Artifact, Body, Output};

/// Publishes a content-hashed copy of every static `.css` and `.js` file.
pub struct Fingerprinted;

impl Output for Fingerprinted {
    fn name(&self) -> &'static str {
        "fingerprinted"
    }

    /// A copy of each static stylesheet and script under its hashed name.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let routes = hashed_files(&site.config)?.into_values().map(|(path, _)| Route::File(path));
        Ok(Plan { routes: routes.collect(), ..Plan::default() }.fixed())
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        Ok(hashed_files(&site.config)?
            .into_iter()
            .map(|(_, (path, bytes))| Artifact { path, body: Body::Bytes(bytes) })
            .collect())
    }
}
