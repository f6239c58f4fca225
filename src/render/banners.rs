//! Hotline banners per language, laid out by Typst from the theme's `banners/` templates:
//! a link preview (1200×630), a square post (1080×1080) and a wide web banner (1600×400),
//! each as PNG and SVG, with the hotlines and the featured campaign's slogan.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::engines::typeset::{Job, TemplateFile, Typesetter};
use crate::model::Site;
use crate::model::hotlines::HotlineView;
use crate::render::plan::{LINK_PREVIEW_BANNER, Link, Plan, Route, SitePlan};
use crate::render::{Artifact, Output};

/// One banner layout: its template name and its size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Template name without `.typ`, also the output file name.
    pub name: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The layouts every language gets.
pub const LAYOUTS: [Layout; 3] = [
    Layout { name: "og", width: 1200, height: 630 },
    Layout { name: "square", width: 1080, height: 1080 },
    Layout { name: "wide", width: 1600, height: 400 },
];

/// The layout pages use for their link preview (`og:image`).
pub const LINK_PREVIEW: &str = "og";

/// The banner output.
pub struct Banners {
    typesetter: Arc<Typesetter>,
    templates: Vec<TemplateFile>,
}

/// What a banner template receives as `/data.json`.
#[derive(Debug, Serialize)]
struct BannerData {
    lang: String,
    width: u32,
    height: u32,
    site_title: String,
    headline: String,
    slogan: Option<String>,
    day_label: String,
    day: Option<String>,
    call: String,
    hotlines: Vec<HotlineView>,
    url: String,
}

/// The URL path of a language's banner of `layout` with `extension` (`png` or `svg`).
pub fn banner_path(site: &Site, lang: usize, layout: &str, extension: &str) -> String {
    format!("{}/banners/{layout}.{extension}", site.language_prefix(lang))
}

impl Banners {
    /// The banner output, with the theme's and the site's `banners/` templates.
    pub fn new(site: &Site, typesetter: Arc<Typesetter>) -> Result<Self> {
        let templates = crate::render::typesetting::templates(site, "banners")?;
        Ok(Banners { typesetter, templates })
    }

    fn template(&self, layout: &Layout) -> Option<&TemplateFile> {
        let name = format!("{}.typ", layout.name);
        self.templates.iter().find(|t| t.relative == name)
    }

    fn banner(&self, site: &Site, lang: usize, layout: &Layout) -> Result<Vec<Artifact>> {
        let Some(template) = self.template(layout) else { return Ok(Vec::new()) };
        let data = banner_data(site, lang, layout)?;
        self.check_coverage(site, lang, &data)?;
        let json = serde_json::to_vec(&data).map_err(std::io::Error::other)?;
        let job = Job {
            template,
            neighbours: &self.templates,
            files: vec![("data.json".to_owned(), json)],
            content: None,
        };
        let made = self.typesetter.make_cached(job, "banner", |document| {
            let png = crate::engines::typeset::png(document, 0, 1.0);
            let svg = crate::engines::typeset::svg(document, 0);
            match (png, svg) {
                (Some(png), Some(svg)) => Ok(vec![png, svg.into_bytes()]),
                _ => Err(Error::at(&template.shown, None, msg!("banners.empty"))),
            }
        })?;
        Ok(vec![
            Artifact::at_url(&banner_path(site, lang, layout.name, "png"), made[0].clone()),
            Artifact::at_url(&banner_path(site, lang, layout.name, "svg"), made[1].clone()),
        ])
    }

    /// Every character of the banner's text must be in a bundled font.
    fn check_coverage(&self, site: &Site, lang: usize, data: &BannerData) -> Result<()> {
        let fonts = self.typesetter.fonts();
        let labels = data.hotlines.iter().flat_map(|h| [&h.label, &h.display]);
        let texts = [&data.site_title, &data.headline, &data.day_label, &data.call];
        for text in texts.into_iter().chain(labels).chain(data.day.as_ref()) {
            if let Some((_, c)) = fonts.first_missing(text) {
                let shown = source_of(site, lang, text);
                return Err(crate::engines::typeset::missing_glyph(shown, None, c));
            }
        }
        Ok(())
    }
}

/// Where a banner text comes from: the campaign's source for its slogan, else the locale file.
fn source_of(site: &Site, lang: usize, text: &str) -> PathBuf {
    if let Some((_, variant)) = site.featured_campaign(lang) {
        let doc = site.doc(variant);
        if doc.front.campaign.as_ref().and_then(|c| c.slogan.as_deref()) == Some(text) {
            return doc.source.path.clone();
        }
    }
    PathBuf::from(format!("locales/{}.yaml", site.config.languages[lang].code))
}

fn banner_data(site: &Site, lang: usize, layout: &Layout) -> Result<BannerData> {
    let site_title = site.title(lang).unwrap_or_default().to_owned();
    let campaign = site.featured_campaign(lang).and_then(|(_, variant)| {
        let doc = site.doc(variant);
        Some((doc, doc.front.campaign.as_ref()?))
    });
    let slogan = campaign.and_then(|(_, c)| c.slogan.clone());
    let day = campaign
        .and_then(|(_, c)| c.day.as_ref())
        .map(|day| day.format(site.locales.date_format(lang)).to_string());
    let text_lang = campaign.map_or(lang, |(doc, _)| doc.source.lang);
    let locale = |key: &str| site.locales.get(lang, key).unwrap_or_default().to_owned();
    Ok(BannerData {
        lang: site.config.languages[text_lang].code.clone(),
        width: layout.width,
        height: layout.height,
        headline: slogan.clone().unwrap_or_else(|| site_title.clone()),
        site_title,
        slogan,
        day_label: locale("campaign.day"),
        day,
        call: locale("hotline.banner"),
        hotlines: crate::render::hotlines::page_hotlines(site, lang, None),
        url: site.permalink(&format!("{}/", site.language_prefix(lang))),
    })
}

impl Output for Banners {
    fn name(&self) -> &'static str {
        "banners"
    }

    /// A PNG and an SVG of each layout the theme has a template for, in every language.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut routes = Vec::new();
        let mut links = Vec::new();
        for (lang, language) in site.config.languages.iter().enumerate() {
            for layout in LAYOUTS.iter().filter(|l| self.template(l).is_some()) {
                for extension in ["png", "svg"] {
                    routes.push(Route::url(&banner_path(site, lang, layout.name, extension)));
                }
                if layout.name == LINK_PREVIEW {
                    let path = site.permalink(&banner_path(site, lang, LINK_PREVIEW, "png"));
                    links.push(Link {
                        name: LINK_PREVIEW_BANNER,
                        key: language.code.clone(),
                        path,
                    });
                }
            }
        }
        Ok(Plan { routes, links, ..Plan::default() }.fixed())
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let jobs: Vec<(usize, &Layout)> = (0..site.config.languages.len())
            .flat_map(|lang| LAYOUTS.iter().map(move |layout| (lang, layout)))
            .collect();
        let results: Vec<Result<Vec<Artifact>>> =
            jobs.par_iter().map(|(lang, layout)| self.banner(site, *lang, layout)).collect();
        Ok(Error::collect(results)?.into_iter().flatten().collect())
    }
}
