//! The web output: HTML pages, sections, tags, 404 pages and alias redirects, from Tera templates.

pub mod context;

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::base::error::{Error, Result};
use crate::model::{Site, Variant};
use crate::render::plan::{Input, LINK_PAGE_IMAGE, Need, Plan, Route, RouteSet, SitePlan};
use crate::render::theme::Theme;
use crate::render::theme::templates::Templates;
use crate::render::theme::views::Link;
use crate::render::{Artifact, Output, Sink};
use context::{DateFormat, HotlineView, Views};

/// Renders the HTML pages of the site (pages, sections, tags, 404 pages, redirects) with the
/// theme shared by every output that makes pages.
pub struct Web {
    theme: Arc<Theme>,
}

/// One HTML file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Page(usize, usize),
    Section(usize, usize),
    TagList(usize),
    Tag(usize, usize),
    NotFound(usize),
}

impl Web {
    /// The web output, rendering with `theme`.
    pub fn new(theme: Arc<Theme>) -> Web {
        Web { theme }
    }

    /// Compiles the theme's templates again (see [`Theme::reload_templates`]).
    pub fn reload_templates(&self, site: &Site) -> Result<BTreeSet<String>> {
        self.theme.reload_templates(site)
    }

    fn jobs(site: &Site) -> Vec<Job> {
        let mut jobs = Vec::new();
        for lang in 0..site.config.languages.len() {
            jobs.extend(
                (0..site.pages.len())
                    .filter(|p| site.pages[*p].variants[lang].is_some())
                    .map(|p| Job::Page(p, lang)),
            );
            jobs.extend(
                (0..site.sections.len())
                    .filter(|s| site.sections[*s].variants[lang].is_some())
                    .map(|s| Job::Section(s, lang)),
            );
            if !site.tags[lang].is_empty() {
                jobs.push(Job::TagList(lang));
                jobs.extend((0..site.tags[lang].len()).map(|t| Job::Tag(lang, t)));
            }
            jobs.push(Job::NotFound(lang));
        }
        jobs
    }

    fn render_job(
        &self,
        site: &Site,
        plan: &SitePlan,
        templates: &Templates,
        job: Job,
    ) -> Result<Artifact> {
        let lang = job.lang();
        let views = Views {
            site,
            lang,
            dates: DateFormat(self.theme.date_format(lang)),
            hotlines: self.theme.hotlines(lang),
            hotlines_by_lang: self.theme.all_hotlines(),
            plan,
        };
        let mut ctx = self.theme.base_context(site, lang);
        let path = match job {
            Job::Page(p, _) => self.page_context(site, &views, p, &mut ctx)?,
            Job::Section(s, _) => self.section_context(site, &views, s, &mut ctx)?,
            Job::TagList(_) => {
                let tags: Vec<Link> = site.tags[lang]
                    .iter()
                    .map(|t| Link {
                        title: format!("{} ({})", context::tag_name(site, lang, t), t.pages.len()),
                        url: site.link(&t.path),
                    })
                    .collect();
                ctx.insert("tags", &tags);
                let path = format!("{}/tags/", site.language_prefix(lang));
                crate::render::theme::common(site, lang, lang, &path, None, &mut ctx);
                path
            }
            Job::Tag(_, t) => {
                let tag = &site.tags[lang][t];
                let items: Vec<_> = tag
                    .pages
                    .iter()
                    .filter_map(|p| site.pages[*p].variants[lang].as_ref())
                    .map(|v| views.list_item(v))
                    .collect();
                let title = context::tag_name(site, lang, tag);
                ctx.insert("tag", &Link { title, url: site.link(&tag.path) });
                ctx.insert("pages", &items);
                crate::render::theme::common(site, lang, lang, &tag.path, None, &mut ctx);
                tag.path.clone()
            }
            Job::NotFound(_) => {
                let path = format!("{}/404.html", site.language_prefix(lang));
                crate::render::theme::common(site, lang, lang, &path, None, &mut ctx);
                path
            }
        };
        if let Some(image) = plan.link(LINK_PAGE_IMAGE, &path) {
            ctx.insert("og_image", &site.permalink(image));
        }
        let html = templates.render(&job.template(site), &ctx)?;
        let bytes = if site.config.minify {
            crate::render::theme::minify(&html)
        } else {
            html.into_bytes()
        };
        Ok(Artifact::at_url(&path, bytes))
    }

    fn page_context(
        &self,
        site: &Site,
        views: &Views,
        index: usize,
        ctx: &mut Context,
    ) -> Result<String> {
        let page = &site.pages[index];
        let lang = views.lang;
        let variant = page.variants[lang].as_ref().expect("job for a published variant");
        let mut view = views.page(&page.key, variant, &page.variants)?;
        let (prev, next) = page.neighbours[lang];
        let neighbour = |p: Option<usize>| {
            p.and_then(|p| site.pages[p].variants[lang].as_ref()).map(|v| views.link(v))
        };
        view.prev = neighbour(prev);
        view.next = neighbour(next);
        ctx.insert("page", &view);
        versioned_context(site, views, (&page.variants, variant), Some(page.section), ctx);
        Ok(variant.path.clone())
    }

    fn section_context(
        &self,
        site: &Site,
        views: &Views,
        index: usize,
        ctx: &mut Context,
    ) -> Result<String> {
        let section = &site.sections[index];
        let lang = views.lang;
        let variant = section.variants[lang].as_ref().expect("job for a published variant");
        let mut view = views.page(&section.key, variant, &section.variants)?;
        view.pages = section.pages[lang]
            .iter()
            .filter_map(|p| site.pages[*p].variants[lang].as_ref())
            .map(|v| views.list_item(v))
            .collect();
        view.subsections = section
            .subsections
            .iter()
            .filter_map(|s| site.sections[*s].variants[lang].as_ref())
            .map(|v| views.list_item(v))
            .collect();
        ctx.insert("section", &view);
        ctx.insert("page", &view);
        versioned_context(site, views, (&section.variants, variant), section.parent, ctx);
        if index == 0 {
            ctx.insert("featured_campaign", &featured_campaign(site, views));
        }
        Ok(variant.path.clone())
    }
}

impl Job {
    /// The language of the file.
    fn lang(self) -> usize {
        match self {
            Job::Page(_, l)
            | Job::Section(_, l)
            | Job::TagList(l)
            | Job::Tag(l, _)
            | Job::NotFound(l) => l,
        }
    }

    /// The URL path of the file.
    fn path(self, site: &Site) -> String {
        let published = |v: &Option<Variant>| v.as_ref().map(|v| v.path.clone());
        match self {
            Job::Page(p, l) => published(&site.pages[p].variants[l]).unwrap_or_default(),
            Job::Section(s, l) => published(&site.sections[s].variants[l]).unwrap_or_default(),
            Job::TagList(l) => format!("{}/tags/", site.language_prefix(l)),
            Job::Tag(l, t) => site.tags[l][t].path.clone(),
            Job::NotFound(l) => format!("{}/404.html", site.language_prefix(l)),
        }
    }

    /// What the file is made from: the documents it shows (in every language: a page links
    /// its translations), its template, the materials its pages list, and the listings of the
    /// pages it lists or links as neighbours or breadcrumbs.
    fn inputs(self, site: &Site) -> Vec<Input> {
        let docs = |variants: &[Option<Variant>]| {
            variants.iter().flatten().map(|v| v.doc).collect::<Vec<usize>>()
        };
        let materials = |variants: &[Option<Variant>]| {
            variants.iter().flatten().map(|v| Input::Materials(v.path.clone())).collect::<Vec<_>>()
        };
        let listings = |pages: &mut dyn Iterator<Item = usize>| {
            pages
                .flat_map(|p| docs(&site.pages[p].variants))
                .map(Input::Listing)
                .collect::<Vec<_>>()
        };
        let mut inputs = vec![Input::Template(self.template(site))];
        match self {
            Job::Page(p, _) => {
                let page = &site.pages[p];
                inputs.extend(docs(&page.variants).into_iter().map(Input::Doc));
                inputs.extend(materials(&page.variants));
                let near = page.neighbours.iter().flat_map(|(prev, next)| [*prev, *next]);
                inputs.extend(listings(&mut near.flatten()));
                inputs.extend(ancestors(site, Some(page.section)).map(Input::Listing));
            }
            Job::Section(s, _) => {
                let section = &site.sections[s];
                inputs.extend(docs(&section.variants).into_iter().map(Input::Doc));
                inputs.extend(materials(&section.variants));
                let listed = subtree(site, s).flat_map(|t| site.sections[t].pages.iter().flatten());
                let listed: Vec<usize> = listed.copied().collect();
                for page in &listed {
                    inputs.extend(materials(&site.pages[*page].variants));
                }
                inputs.extend(listings(&mut listed.into_iter()));
                let below = subtree(site, s).skip(1).flat_map(|t| docs(&site.sections[t].variants));
                inputs.extend(below.map(Input::Listing));
                inputs.extend(ancestors(site, section.parent).map(Input::Listing));
            }
            Job::Tag(lang, t) => {
                let pages = &site.tags[lang][t].pages;
                for page in pages {
                    inputs.extend(materials(&site.pages[*page].variants));
                }
                inputs.extend(listings(&mut pages.iter().copied()));
            }
            Job::TagList(lang) => {
                let pages = site.tags[lang].iter().flat_map(|t| t.pages.iter().copied());
                inputs.extend(listings(&mut pages.collect::<Vec<_>>().into_iter()));
            }
            Job::NotFound(_) => {}
        }
        inputs.sort_unstable();
        inputs.dedup();
        inputs
    }

    /// The template that renders this file.
    fn template(self, site: &Site) -> String {
        match self {
            Job::Page(p, lang) => {
                let variant = site.pages[p].variants[lang].as_ref();
                template_name(site, variant.expect("job for a published variant"), "page.html")
            }
            Job::Section(s, lang) => {
                let variant = site.sections[s].variants[lang].as_ref();
                let default = if s == 0 { "index.html" } else { "section.html" };
                template_name(site, variant.expect("job for a published variant"), default)
            }
            Job::TagList(_) => "taxonomy_list.html".to_owned(),
            Job::Tag(..) => "taxonomy_term.html".to_owned(),
            Job::NotFound(_) => "404.html".to_owned(),
        }
    }
}

impl Output for Web {
    fn name(&self) -> &'static str {
        "web"
    }

    /// Every page, section, tag page, 404 page and redirect; pages list the materials other
    /// outputs add, with their sizes, so web renders after the outputs that measure them.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan { needs: vec![Need::MaterialSizes], ..Plan::default() };
        for job in Web::jobs(site) {
            plan.route_from(Route::url(&job.path(site)), job.inputs(site));
        }
        for (path, doc) in alias_paths(site) {
            let inputs = vec![Input::Doc(doc), Input::Template(REDIRECT_TEMPLATE.to_owned())];
            plan.route_from(Route::url(&path), inputs);
        }
        Ok(plan)
    }

    /// Takes the addresses the other outputs offer (safety page, banner, worker, loudspeaker
    /// index) into `site` for the templates.
    fn planned(&self, site: &Site, plan: &SitePlan) -> Result<()> {
        self.theme.take_plan(site, plan)
    }

    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>> {
        let jobs = Web::jobs(site);
        let mut artifacts = self.render_jobs(site, plan, &jobs)?;
        artifacts.extend(self.redirects(site)?);
        Ok(artifacts)
    }

    /// Each page goes to `sink` as soon as it is rendered.
    fn render_into(&self, site: &Site, plan: &SitePlan, sink: &Sink) -> Result<()> {
        let templates = self.theme.templates();
        let results: Vec<Result<()>> = Web::jobs(site)
            .par_iter()
            .map(|job| sink(vec![self.render_job(site, plan, &templates, *job)?]))
            .collect();
        Error::collect(results)?;
        sink(self.redirects(site)?)
    }

    /// The pages and redirects on `routes`.
    fn render_routes(
        &self,
        site: &Site,
        plan: &SitePlan,
        routes: &[Route],
    ) -> Option<Result<Vec<Artifact>>> {
        let wanted = RouteSet::new(routes);
        let jobs: Vec<Job> = Web::jobs(site)
            .into_iter()
            .filter(|job| wanted.covers(&crate::render::file_for_url(&job.path(site))))
            .collect();
        let redirects = alias_paths(site)
            .iter()
            .any(|(path, _)| wanted.covers(&crate::render::file_for_url(path)));
        Some(self.render_jobs(site, plan, &jobs).and_then(|mut artifacts| {
            if redirects {
                artifacts.extend(self.redirects(site)?);
            }
            Ok(artifacts)
        }))
    }
}

impl Web {
    fn render_jobs(&self, site: &Site, plan: &SitePlan, jobs: &[Job]) -> Result<Vec<Artifact>> {
        let templates = self.theme.templates();
        let results: Vec<Result<Artifact>> =
            jobs.par_iter().map(|job| self.render_job(site, plan, &templates, *job)).collect();
        Error::collect(results)
    }
}

/// What pages and sections share: breadcrumbs from `parent`, languages, links and hotlines.
fn versioned_context(
    site: &Site,
    views: &Views,
    (variants, variant): (&[Option<Variant>], &Variant),
    parent: Option<usize>,
    ctx: &mut Context,
) {
    ctx.insert("breadcrumbs", &breadcrumbs(site, views, parent));
    let content_lang = site.doc(variant).source.lang;
    crate::render::theme::common(
        site,
        views.lang,
        content_lang,
        &variant.path,
        Some((variants, variant)),
        ctx,
    );
    featured_hotlines(site, views.hotlines, variant, ctx);
}

/// The page's `hotlines:` in place of all hotlines, when it names some.
fn featured_hotlines(site: &Site, all: &[HotlineView], variant: &Variant, ctx: &mut Context) {
    let doc = site.doc(variant);
    if !doc.front.hotlines.is_empty() {
        let featured: Vec<&HotlineView> =
            site.hotlines_of(Some(doc)).into_iter().filter_map(|i| all.get(i)).collect();
        ctx.insert("hotlines", &featured);
    }
}

fn breadcrumbs(site: &Site, views: &Views, mut section: Option<usize>) -> Vec<Link> {
    let mut trail = Vec::new();
    while let Some(index) = section {
        if let Some(variant) = site.sections[index].variants[views.lang].as_ref() {
            trail.push(views.link(variant));
        }
        section = site.sections[index].parent;
    }
    trail.reverse();
    trail
}

/// The campaign under way at build time, else the next one to start, in the views' language.
fn featured_campaign(site: &Site, views: &Views) -> Option<context::FeaturedCampaign> {
    let (current, variant) = site.featured_campaign(views.lang)?;
    let campaign = site.doc(variant).front.campaign.as_ref()?;
    Some(context::FeaturedCampaign {
        link: views.link(variant),
        slogan: campaign.slogan.clone(),
        day: campaign.day.as_ref().map(|d| views.dates.display(d)),
        day_iso: campaign.day.as_ref().map(DateFormat::iso),
        current,
    })
}

fn template_name(site: &Site, variant: &Variant, default: &str) -> String {
    site.doc(variant)
        .front
        .template
        .as_ref()
        .map_or_else(|| default.to_owned(), |(name, _)| name.clone())
}

/// The URL paths of the redirect pages left at the pages' `aliases`.
fn alias_paths(site: &Site) -> Vec<(String, usize)> {
    let variants = site.all_variants().flatten().flatten().filter(|v| v.translated);
    variants
        .flat_map(|v| {
            let aliases = site.doc(v).front.aliases.iter();
            aliases.map(|(alias, _)| (crate::model::normalize_alias(alias), v.doc))
        })
        .collect()
}

/// The documents of section `from` and the sections above it, for breadcrumbs.
fn ancestors(site: &Site, from: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(from, |s| site.sections[*s].parent)
        .flat_map(|s| site.sections[s].variants.iter().flatten().map(|v| v.doc))
}

/// Section `root` and every section below it.
fn subtree(site: &Site, root: usize) -> impl Iterator<Item = usize> + '_ {
    let mut stack = vec![root];
    std::iter::from_fn(move || {
        let next = stack.pop()?;
        stack.extend(&site.sections[next].subsections);
        Some(next)
    })
}

/// The theme template of the redirect pages left at a page's `aliases`.
pub const REDIRECT_TEMPLATE: &str = "redirect.html";

impl Web {
    /// The redirect pages for `aliases`, with the theme's `redirect.html`: each in its page's
    /// language, pointing to the page as its canonical address.
    fn redirects(&self, site: &Site) -> Result<Vec<Artifact>> {
        let mut out = Vec::new();
        for variant in site.all_variants().flatten().flatten().filter(|v| v.translated) {
            let doc = site.doc(variant);
            for (alias, _) in &doc.front.aliases {
                let mut extra = Context::new();
                extra.insert("canonical", &site.permalink(&variant.path));
                extra.insert(
                    "target",
                    &Link { title: doc.front.title.clone(), url: site.link(&variant.path) },
                );
                let path = crate::model::normalize_alias(alias);
                out.extend(self.theme.render_extra(
                    site,
                    variant.lang,
                    REDIRECT_TEMPLATE,
                    &path,
                    &extra,
                )?);
            }
        }
        Ok(out)
    }
}
