//! The hotlines a page shows, labelled in its language: one list, in one order, for every
//! output that shows hotlines (web pages, printed matter, banners).

use crate::model::hotlines::{HotlineView, hotline_views};
use crate::model::{Doc, Site};

/// The hotlines `doc` shows (every hotline of the site for none), labelled in `lang`, in the
/// order of [`Site::hotlines_of`].
pub fn page_hotlines(site: &Site, lang: usize, doc: Option<&Doc>) -> Vec<HotlineView> {
    let all = hotline_views(&site.config, &site.locales, lang);
    site.hotlines_of(doc).into_iter().filter_map(|i| all.get(i).cloned()).collect()
}
