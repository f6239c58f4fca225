//! QR codes for the share bar: `share-qr.svg` beside every page and section in every language,
//! shown by the theme only when the reader opens "Mã QR của trang" (an SVG inside each page
//! would double its weight).

use rayon::prelude::*;

use crate::base::error::{Error, Result};
use crate::model::Site;
use crate::render::plan::{Plan, Route, SitePlan};
use crate::render::{Artifact, Output, Sink};

/// The file name of a page's QR code, in the page's folder.
pub const QR_FILE: &str = "share-qr.svg";

/// Writes the QR code of every page's and section's address.
pub struct ShareCodes;

impl Output for ShareCodes {
    fn name(&self) -> &'static str {
        "share-codes"
    }

    /// A QR code in the folder of every page and section.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let routes = folders(site).into_iter().map(|path| Route::url(&format!("{path}{QR_FILE}")));
        Ok(Plan { routes: routes.collect(), ..Plan::default() }.fixed())
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        folders(site).into_par_iter().map(|path| qr_file(site, path)).collect()
    }

    /// Sends the codes a few hundred at a time, so a large site's are never all in memory.
    fn render_into(&self, site: &Site, _plan: &SitePlan, sink: &Sink) -> Result<()> {
        let sent: Vec<Result<()>> = folders(site)
            .par_chunks(CODES_AT_ONCE)
            .map(|paths| sink(paths.iter().map(|path| qr_file(site, path)).collect::<Result<_>>()?))
            .collect();
        Error::collect(sent).map(drop)
    }
}

/// How many QR codes are made before they are handed to the write step.
const CODES_AT_ONCE: usize = 256;

/// The URL paths of the pages and sections that are folders (ending in `/`).
fn folders(site: &Site) -> Vec<&str> {
    site.pages
        .iter()
        .flat_map(|p| p.variants.iter())
        .chain(site.sections.iter().flat_map(|s| s.variants.iter()))
        .flatten()
        .map(|v| v.path.as_str())
        .filter(|path| path.ends_with('/'))
        .collect()
}

/// The QR code of the page at `path`.
fn qr_file(site: &Site, path: &str) -> Result<Artifact> {
    let svg = crate::engines::qr::svg(&site.permalink(path)).map_err(|reason| {
        Error::at(path, None, msg!("share.qr_failed", reason = reason))
            .with_hint(msg!("share.qr_failed.hint"))
    })?;
    Ok(Artifact::at_url(&format!("{path}{QR_FILE}"), svg.into_bytes()))
}
