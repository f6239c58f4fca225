//! The web output: HTML pages, sections, tags, 404 pages and alias redirects, from Tera templates.

pub mod body;
pub mod context;
pub mod page_body;
pub mod templates;

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::base::error::{Error, Result};
use crate::model::{Site, Variant};
use crate::render::plan::{
    Input, LINK_LOUDSPEAKER_INDEX, LINK_PAGE_IMAGE, LINK_PREVIEW_BANNER, LINK_SAFETY,
    LINK_SERVICE_WORKER, Need, Plan, Route, RouteSet, SitePlan,
};
use crate::render::{Artifact, Output, Sink};
use context::{Alternate, DateFormat, HotlineView, LanguageLink, Link, SiteView, Views};
use templates::Templates;

/// Templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 6] = [
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
];

/// Renders the HTML of the site.
pub struct Web {
    /// Swapped for newly compiled ones when `loa serve` sees a template change.
    templates: RwLock<Arc<Templates>>,
    /// `site` for templates in each language, made again once the plan gives the addresses
    /// other outputs offer.
    site_values: RwLock<Vec<Value>>,
    date_formats: Vec<String>,
    hotlines: Vec<Vec<HotlineView>>,
    hotline_values: Vec<Value>,
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
    /// Compiles the templates and checks every template named in front matter exists.
    pub fn new(site: &Site) -> Result<Web> {
        let templates = RwLock::new(Arc::new(compile_templates(site)?));
        let date_formats = date_formats(site)?;
        let hotlines: Vec<Vec<HotlineView>> =
            (0..site.config.languages.len()).map(|lang| hotline_views(site, lang)).collect();
        let site_values = RwLock::new(site_values(site, &hotlines, &SitePlan::default())?);
        let hotline_values = hotlines.iter().map(Value::from_serializable).collect();
        Ok(Web { templates, site_values, date_formats, hotlines, hotline_values })
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

    /// The templates as last compiled.
    fn templates(&self) -> Arc<Templates> {
        self.templates.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Compiles the templates again from their files, keeping the old ones if that fails, and
    /// returns the names of those whose output may have changed.
    pub fn reload_templates(&self, site: &Site) -> Result<BTreeSet<String>> {
        let compiled = compile_templates(site)?;
        let changed = compiled.changed_since(&self.templates());
        *self.templates.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(compiled);
        Ok(changed)
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
            dates: DateFormat(&self.date_formats[lang]),
            hotlines: &self.hotlines[lang],
            hotlines_by_lang: &self.hotlines,
            plan,
        };
        let mut ctx = self.base_context(site, lang);
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
                common(site, lang, lang, &path, None, &mut ctx);
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
                common(site, lang, lang, &tag.path, None, &mut ctx);
                tag.path.clone()
            }
            Job::NotFound(_) => {
                let path = format!("{}/404.html", site.language_prefix(lang));
                common(site, lang, lang, &path, None, &mut ctx);
                path
            }
        };
        if let Some(image) = plan.link(LINK_PAGE_IMAGE, &path) {
            ctx.insert("og_image", &site.permalink(image));
        }
        let html = templates.render(&job.template(site), &ctx)?;
        let bytes = if site.config.minify { minify(&html) } else { html.into_bytes() };
        Ok(Artifact::at_url(&path, bytes))
    }

    /// The values every template gets, before those of the page.
    fn base_context(&self, site: &Site, lang: usize) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", &site.config.languages[lang].code);
        let site_values = self.site_values.read().unwrap_or_else(|e| e.into_inner());
        ctx.insert_value("site", site_values[lang].clone());
        ctx.insert_value("hotlines", self.hotline_values[lang].clone());
        ctx.insert_value("all_hotlines", self.hotline_values[lang].clone());
        ctx.insert("breadcrumbs", &Vec::<Link>::new());
        ctx
    }

    /// Renders `template` at `path` in `lang` for a page made by another output (such as the
    /// search page), with the values every template gets plus `extra`; none without the template.
    pub fn render_extra(
        &self,
        site: &Site,
        lang: usize,
        template: &str,
        path: &str,
        extra: &Context,
    ) -> Result<Option<Artifact>> {
        let templates = self.templates();
        if !templates.contains(template) {
            return Ok(None);
        }
        let mut ctx = self.base_context(site, lang);
        common(site, lang, lang, path, None, &mut ctx);
        ctx.extend(extra.clone());
        let html = templates.render(template, &ctx)?;
        let bytes = if site.config.minify { minify(&html) } else { html.into_bytes() };
        Ok(Some(Artifact::at_url(path, bytes)))
    }

    /// Renders `template` once in every language, at `path_of(site, lang)`, with only the values
    /// every template gets (a page another output adds, such as the offline page); none
    /// without the template.
    pub fn render_in_every_language(
        &self,
        site: &Site,
        template: &str,
        path_of: fn(&Site, usize) -> String,
    ) -> Result<Vec<Artifact>> {
        let context = Context::new();
        let pages: Vec<Option<Artifact>> = (0..site.config.languages.len())
            .map(|lang| self.render_extra(site, lang, template, &path_of(site, lang), &context))
            .collect::<Result<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// The routes of [`Web::render_in_every_language`]: none without the template.
    pub fn routes_in_every_language(
        &self,
        template: &str,
        site: &Site,
        path_of: fn(&Site, usize) -> String,
    ) -> Vec<Route> {
        if !self.templates().contains(template) {
            return Vec::new();
        }
        (0..site.config.languages.len()).map(|lang| Route::url(&path_of(site, lang))).collect()
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

/// Compiles the templates and checks that the required ones and those named in front matter
/// exist.
fn compile_templates(site: &Site) -> Result<Templates> {
    let templates = Templates::load(site)?;
    for name in REQUIRED_TEMPLATES {
        if !templates.contains(name) {
            return Err(Error::at(
                std::path::Path::new("themes")
                    .join(&site.config.theme)
                    .join("templates")
                    .join(name),
                None,
                msg!("web.missing_template", name = name),
            )
            .with_hint(msg!("web.missing_template.hint")));
        }
    }
    check_front_matter_templates(site, &templates)?;
    Ok(templates)
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
        let values = site_values(site, &self.hotlines, plan)?;
        *self.site_values.write().unwrap_or_else(|e| e.into_inner()) = values;
        Ok(())
    }

    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>> {
        let jobs = Web::jobs(site);
        let mut artifacts = self.render_jobs(site, plan, &jobs)?;
        artifacts.extend(self.redirects(site)?);
        Ok(artifacts)
    }

    /// Each page goes to `sink` as soon as it is rendered.
    fn render_into(&self, site: &Site, plan: &SitePlan, sink: &Sink) -> Result<()> {
        let templates = self.templates();
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
        let templates = self.templates();
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
    common(site, views.lang, content_lang, &variant.path, Some((variants, variant)), ctx);
    featured_hotlines(site, views.hotlines, variant, ctx);
}

/// Values every template gets: languages, canonical link, alternates, fallback notice data.
fn common(
    site: &Site,
    lang: usize,
    content_lang: usize,
    path: &str,
    versions: Option<(&[Option<Variant>], &Variant)>,
    ctx: &mut Context,
) {
    let languages = &site.config.languages;
    let name = |l: usize| site.locales.language_name(l, &languages[l].code).to_owned();
    ctx.insert("lang_name", &name(lang));
    ctx.insert("lang_prefix", &site.language_prefix(lang));
    ctx.insert("content_lang", &languages[content_lang].code);
    ctx.insert("content_lang_name", &name(content_lang));
    let in_text = |l: usize| site.locales.language_in_text(lang, l, &languages[l].code).to_owned();
    ctx.insert("lang_in_text", &in_text(lang));
    ctx.insert("content_lang_in_text", &in_text(content_lang));
    ctx.insert("is_fallback", &(content_lang != lang));
    let outdated = versions
        .is_some_and(|(_, v)| v.freshness == Some(crate::load::staleness::Freshness::Outdated));
    ctx.insert("is_outdated", &outdated);
    let changes =
        versions.and_then(|(_, v)| v.changes).filter(|c| c.changed + c.new + c.removed > 0);
    ctx.insert("outdated_blocks", &changes);
    let doc = versions.map(|(_, v)| site.doc(v));
    let image = doc.and_then(|d| d.front.image.as_deref());
    ctx.insert("og_image", &image.map(|i| image_permalink(site, path, i)));
    let (translations, alternates, canonical) = match versions {
        Some((variants, current)) => {
            let translations: Vec<LanguageLink> = variants
                .iter()
                .flatten()
                .map(|v| LanguageLink {
                    code: languages[v.lang].code.clone(),
                    name: name(v.lang),
                    in_text: in_text(v.lang),
                    url: site.link(&v.path),
                    current: v.lang == current.lang,
                    translated: v.translated,
                })
                .collect();
            let mut alternates: Vec<Alternate> = variants
                .iter()
                .flatten()
                .filter(|v| v.translated)
                .map(|v| Alternate {
                    hreflang: languages[v.lang].code.clone(),
                    url: site.permalink(&v.path),
                })
                .collect();
            if let Some(default) =
                variants[0].as_ref().filter(|v| v.translated && alternates.len() > 1)
            {
                alternates.push(Alternate {
                    hreflang: "x-default".into(),
                    url: site.permalink(&default.path),
                });
            }
            if !current.translated {
                alternates.clear();
            }
            let original = variants
                .iter()
                .flatten()
                .find(|v| v.translated && v.doc == current.doc)
                .unwrap_or(current);
            let source = site.config.languages[lang]
                .fallbacks
                .iter()
                .find_map(|l| variants[*l].as_ref().filter(|v| v.translated));
            ctx.insert("source_url", &source.map(|v| site.link(&v.path)));
            (translations, alternates, site.permalink(&original.path))
        }
        None => {
            ctx.insert("source_url", &None::<String>);
            (language_homes(site, lang), Vec::new(), site.permalink(path))
        }
    };
    ctx.insert("translations", &translations);
    ctx.insert("alternates", &alternates);
    ctx.insert("canonical", &canonical);
    ctx.insert("page_url", &site.permalink(path));
}

fn language_homes(site: &Site, current: usize) -> Vec<LanguageLink> {
    site.sections[0]
        .variants
        .iter()
        .flatten()
        .map(|v| LanguageLink {
            code: site.config.languages[v.lang].code.clone(),
            name: site
                .locales
                .language_name(v.lang, &site.config.languages[v.lang].code)
                .to_owned(),
            in_text: site
                .locales
                .language_in_text(current, v.lang, &site.config.languages[v.lang].code)
                .to_owned(),
            url: site.link(&v.path),
            current: v.lang == current,
            translated: v.translated,
        })
        .collect()
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

fn check_front_matter_templates(site: &Site, templates: &Templates) -> Result<()> {
    for doc in &site.docs {
        if let Some((name, position)) = &doc.front.template
            && !templates.contains(name)
        {
            let names = templates.names();
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match crate::base::yaml::closest(name, &candidates) {
                Some(best) => msg!("yaml.did_you_mean", best = best),
                None => msg!("web.known_templates", names = candidates.join(", ")),
            };
            return Err(Error::at(
                &doc.source.path,
                Some(*position),
                msg!("web.unknown_template", name = name),
            )
            .with_hint(hint));
        }
    }
    Ok(())
}

fn date_formats(site: &Site) -> Result<Vec<String>> {
    (0..site.config.languages.len())
        .map(|lang| {
            let format = site.locales.get(lang, "date.format").unwrap_or("%Y-%m-%d").to_owned();
            let valid = chrono::format::StrftimeItems::new(&format).parse().is_ok();
            if valid {
                Ok(format)
            } else {
                let code = &site.config.languages[lang].code;
                Err(Error::at(
                    format!("locales/{code}.yaml"),
                    None,
                    msg!("web.bad_date_format", format = &format),
                )
                .with_hint(msg!("web.bad_date_format.hint")))
            }
        })
        .collect()
}

fn hotline_views(site: &Site, lang: usize) -> Vec<HotlineView> {
    context::hotline_views(&site.config, &site.locales, lang)
}

/// `site` for templates in every language.
fn site_values(site: &Site, hotlines: &[Vec<HotlineView>], plan: &SitePlan) -> Result<Vec<Value>> {
    (0..site.config.languages.len())
        .map(|lang| site_value(site, lang, &hotlines[lang], plan))
        .collect()
}

fn site_value(
    site: &Site,
    lang: usize,
    hotlines: &[HotlineView],
    plan: &SitePlan,
) -> Result<Value> {
    let code = &site.config.languages[lang].code;
    let title = site.title(lang).ok_or_else(|| {
        Error::at(format!("locales/{code}.yaml"), None, msg!("web.no_site_title"))
            .with_hint(msg!("web.no_site_title.hint"))
    })?;
    let view = SiteView {
        title: title.to_owned(),
        base_url: site.config.base_url.clone(),
        languages: language_homes(site, lang),
        hotlines: hotlines.to_vec(),
        extra: site.config.extra.clone(),
        banner: plan.link(LINK_PREVIEW_BANNER, code).map(str::to_owned),
        quick_exit: site.config.quick_exit.clone(),
        safety_url: plan.link(LINK_SAFETY, code).map(|p| site.link(p)),
        service_worker: plan.link(LINK_SERVICE_WORKER, "").map(|p| site.link(p)),
        zalo_oa_id: site.config.zalo_oa_id.clone(),
        loudspeaker_url: plan.link(LINK_LOUDSPEAKER_INDEX, code).map(|p| site.link(p)),
    };
    Ok(Value::from_serializable(&view))
}

/// The absolute URL of a page's own `image:`, for link previews.
fn image_permalink(site: &Site, page_path: &str, image: &str) -> String {
    if image.starts_with("http://") || image.starts_with("https://") {
        image.to_owned()
    } else if image.starts_with('/') {
        site.permalink(image)
    } else {
        let folder = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        site.permalink(&format!("{folder}{image}"))
    }
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
                out.extend(self.render_extra(
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

/// Nesting deeper than this is left unminified: minify-html recurses per level and would
/// overflow the stack on, say, a list nested 1,000 deep.
const MAX_MINIFY_DEPTH: usize = 100;

/// The deepest nesting of lists, list items, quotes and divisions in `html` (a cheap upper view).
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (index, _) in html.match_indices('<') {
        let rest = &html[index + 1..];
        let closing = rest.starts_with('/');
        let name = rest.trim_start_matches('/');
        if ["ul", "ol", "li", "blockquote", "div"].iter().any(|tag| {
            name.starts_with(tag)
                && name[tag.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
        }) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

fn minify(html: &str) -> Vec<u8> {
    if nesting_depth(html) > MAX_MINIFY_DEPTH {
        return html.as_bytes().to_vec();
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_js = false;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(html.as_bytes(), &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_deeply_nested_pages_unminified() {
        assert_eq!(nesting_depth("<ul><li>a<ul><li>b</li></ul></li></ul><div>c</div>"), 4);
        let deep = "<ul><li>".repeat(1000) + &"</li></ul>".repeat(1000);
        assert_eq!(minify(&deep), deep.as_bytes());
        assert_eq!(minify("<p>a  b</p>"), b"<p>a b</p>");
    }
}
