//! A preview (`loa build --drafts`, `loa serve`) shows a page's problems on the page: each
//! document with problems carries what would stop `loa build` and the images that do not
//! exist, which the web output lists in a notice above the body and replaces by a line of
//! text, never a broken `<img>`.

use crate::base::error::Diagnostic;
use crate::model::{Doc, ShownProblems, Site};

use super::Problems;

/// Puts the notice on each of `docs` that has problems and takes out its missing images.
pub(super) fn show_on_pages(
    problems: &Problems,
    site: &mut Site,
    docs: impl Iterator<Item = usize>,
) {
    for index in docs {
        let Some(doc) = site.docs.get(index) else { continue };
        let path = doc.source.path.clone();
        let mut found: Vec<&Diagnostic> =
            problems.broken.iter().filter(|d| d.path == path).collect();
        found.sort();
        found.dedup();
        if found.is_empty() {
            continue;
        }
        let missing: Vec<&str> = problems
            .missing_images
            .iter()
            .filter(|(p, _)| *p == path)
            .map(|(_, image)| image.as_str())
            .collect();
        mark_doc(&mut site.docs[index], &found, &missing);
    }
}

/// The problems and missing images a preview shows on one document, and its front matter
/// `image:` taken out when it is missing.
fn mark_doc(doc: &mut Doc, found: &[&Diagnostic], missing: &[&str]) {
    doc.shown_problems = Some(ShownProblems {
        problems: found.iter().map(|d| (*d).clone()).collect(),
        missing_images: missing.iter().map(|m| (*m).to_owned()).collect(),
    });
    if doc.front.image.as_deref().is_some_and(|image| missing.contains(&image)) {
        doc.front.image = None;
    }
}
