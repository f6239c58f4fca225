//! Updating the [`Site`] in place when one source changed, for `loa serve`: the source is read
//! and parsed again alone, as long as its page keeps its URL, its place and its tags.

use std::path::Path;

use crate::base::error::Result;
use crate::load::content::{self, Document};
use crate::load::staleness::{Freshness, freshness, stamp};
use crate::model::links::{self, BodyContext};
use crate::model::{BuildOptions, Doc, Site, Variant, check_hotlines, is_published};

/// How the site took a changed source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// The document was parsed again in place; `lists` is true when listings (titles, dates,
    /// order, descriptions, campaigns) may show it differently.
    Replaced {
        /// Index of the document in [`Site::docs`].
        doc: usize,
        /// Whether listings may show it differently.
        lists: bool,
    },
    /// The change adds, removes or moves pages, URLs, tags or other outputs: load the site again.
    Reload,
}

impl Site {
    /// The published document read from `path` (relative to the site root).
    pub fn doc_at(&self, path: &Path) -> Option<usize> {
        self.docs.iter().position(|d| d.source.path == path)
    }

    /// Reads the source at `path` (relative to the site root) again and puts it in place, when
    /// its page keeps its URL, place, tags and outputs; otherwise asks for a reload.
    pub fn update_source(&mut self, path: &Path, options: &BuildOptions) -> Result<Update> {
        let Some(index) = self.doc_at(path) else { return Ok(Update::Reload) };
        if !self.config.root.join(path).is_file() {
            return Ok(Update::Reload);
        }
        let source = self.docs[index].source.clone();
        let document =
            content::read_documents(vec![source], &self.config)?.pop().expect("one source read");
        self.put_document(index, document, options)
    }

    /// Like [`Site::update_source`], with the source's text given instead of read from its
    /// file (the studio's preview of unsaved text; nothing is written).
    pub fn update_source_text(
        &mut self,
        path: &Path,
        text: &str,
        options: &BuildOptions,
    ) -> Result<Update> {
        let Some(index) = self.doc_at(path) else { return Ok(Update::Reload) };
        let source = self.docs[index].source.clone();
        let document = content::document_from_text(source, text, &self.config)?;
        self.put_document(index, document, options)
    }

    /// Puts a document read again in place of document `index`, or asks for a reload.
    fn put_document(
        &mut self,
        index: usize,
        document: Document,
        options: &BuildOptions,
    ) -> Result<Update> {
        let old = &self.docs[index];
        let moved =
            !is_published(&document.front, options) || shape(&old.front) != shape(&document.front);
        if moved {
            return Ok(Update::Reload);
        }
        let lists = listed(&old.front) != listed(&document.front);
        let doc = self.parse(index, document)?;
        check_hotlines(&self.config, std::slice::from_ref(&doc))?;
        self.docs[index] = doc;
        if lists {
            self.order_sections();
            self.tags = self.collect_tags();
        }
        self.refresh_freshness(index)?;
        Ok(Update::Replaced { doc: index, lists })
    }

    /// The language versions of the page or section showing document `index`.
    pub fn variants_showing(&self, index: usize) -> Option<&[Option<Variant>]> {
        self.all_variants().find(|variants| shows(variants, index)).map(Vec::as_slice)
    }

    /// Parses a document's body as [`Site::load`] would, in its place in the site.
    fn parse(&self, index: usize, document: Document) -> Result<Doc> {
        let variants = self.variants_showing(index).unwrap_or_default();
        let own_path = variants.iter().flatten().find(|v| v.translated && v.doc == index);
        let context = BodyContext {
            index: &self.link_index,
            shortcodes: &self.shortcodes,
            config: &self.config,
            locales: &self.locales,
            base_path: &self.base_path,
        };
        let own_path = own_path.map(|v| v.path.as_str());
        let rendered = links::render_one(&context, &context.hotlines(), own_path, &document)?;
        Ok(Doc::parsed(document, rendered))
    }

    /// Compares again the translations of the page showing document `index` with their sources.
    fn refresh_freshness(&mut self, index: usize) -> Result<()> {
        let Some(position) = self.position_of(index) else { return Ok(()) };
        let variants = self.variants_at(position).to_vec();
        let mut updated = variants.clone();
        for (lang, slot) in updated.iter_mut().enumerate() {
            let Some(variant) = slot.as_mut().filter(|v| v.translated) else { continue };
            let source = self.config.languages[lang]
                .fallbacks
                .iter()
                .find_map(|l| variants[*l].as_ref().filter(|v| v.translated));
            let Some(source) = source else { continue };
            let translated_from = self.docs[variant.doc].front.translated_from.as_deref();
            let source_document = self.source_document(source.doc)?;
            let source_stamp = stamp(&source_document.front.title, &source_document.body);
            variant.freshness = match translated_from.filter(|s| !s.trim().is_empty()) {
                Some(stamped) => Some(freshness(Some(stamped), &source_stamp)),
                None => Some(Freshness::Unstamped),
            };
            variant.changes = self.docs[variant.doc].front.translated_blocks.as_deref().map(|b| {
                let stamps = crate::load::staleness::parse_block_stamps(b);
                let hashes = crate::load::staleness::block_hashes(&source_document);
                let changes = crate::load::staleness::compare_blocks(&stamps, &hashes);
                crate::load::staleness::count_changes(&changes)
            });
        }
        *self.variants_at_mut(position) = updated;
        Ok(())
    }

    /// A document read again from its file, as translations are compared with it.
    fn source_document(&self, index: usize) -> Result<content::Document> {
        let source = self.docs[index].source.clone();
        Ok(content::read_documents(vec![source], &self.config)?.pop().expect("one source read"))
    }

    /// Where the page or section showing a document is: `(is_section, index)`.
    fn position_of(&self, index: usize) -> Option<(bool, usize)> {
        self.pages.iter().position(|p| shows(&p.variants, index)).map(|p| (false, p)).or_else(
            || self.sections.iter().position(|s| shows(&s.variants, index)).map(|s| (true, s)),
        )
    }

    fn variants_at(&self, (section, index): (bool, usize)) -> &[Option<Variant>] {
        if section { &self.sections[index].variants } else { &self.pages[index].variants }
    }

    fn variants_at_mut(&mut self, (section, index): (bool, usize)) -> &mut Vec<Option<Variant>> {
        if section { &mut self.sections[index].variants } else { &mut self.pages[index].variants }
    }
}

/// What decides a page's URLs, tags and outputs beyond the web page itself.
/// Whether one of these language versions shows document `doc`.
fn shows(variants: &[Option<Variant>], doc: usize) -> bool {
    variants.iter().flatten().any(|v| v.doc == doc)
}

fn shape(front: &crate::load::front_matter::FrontMatter) -> impl PartialEq + use<> {
    let names = |list: &[(String, crate::base::error::Position)]| {
        list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
    };
    (
        front.slug.as_ref().map(|(s, _)| s.clone()),
        names(&front.aliases),
        front.tags.clone(),
        front.template.as_ref().map(|(t, _)| t.clone()),
        (front.print.clone(), (front.loudspeaker, front.loudspeaker_short), front.image.clone()),
    )
}

/// What listings, feeds and neighbours show of a page.
fn listed(front: &crate::load::front_matter::FrontMatter) -> impl PartialEq + use<> {
    (
        front.title.clone(),
        front.description.clone(),
        (front.date, front.updated, front.weight),
        format!("{:?}", front.campaign),
    )
}
