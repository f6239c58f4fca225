//! The theme's templates as every output that makes HTML pages renders them: compiled once
//! (and again when `loa serve` sees them change), with the values every template gets (the
//! site in the page's language, its hotlines, languages and the addresses the plan offers), so
//! that a page of any output carries the base template: banner, language, quick exit.

pub mod templates;
pub mod views;

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};

use tera::{Context, Value};

use crate::base::error::{Error, Result};
use crate::model::hotlines::HotlineView;
use crate::model::{Site, Variant};
use crate::render::Artifact;
use crate::render::plan::{
    LINK_LOUDSPEAKER_INDEX, LINK_PREVIEW_BANNER, LINK_SAFETY, LINK_SERVICE_WORKER, Route, SitePlan,
};
use templates::Templates;
use views::{Alternate, LanguageLink, Link, SiteView};

/// Templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 6] = [
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
];

/// The compiled templates and the values every template gets, shared by the outputs.
pub struct Theme {
    /// Swapped for newly compiled ones when `loa serve` sees a template change.
    templates: RwLock<Arc<Templates>>,
    /// `site` for templates in each language, made again once the plan gives the addresses
    /// other outputs offer.
    site_values: RwLock<Vec<Value>>,
    date_formats: Vec<String>,
    hotlines: Vec<Vec<HotlineView>>,
    hotline_values: Vec<Value>,
}

impl Theme {
    /// Compiles the templates and checks every template named in front matter exists.
    pub fn new(site: &Site) -> Result<Theme> {
        let templates = RwLock::new(Arc::new(compile_templates(site)?));
        let date_formats = date_formats(site)?;
        let hotlines: Vec<Vec<HotlineView>> =
            (0..site.config.languages.len()).map(|lang| hotline_views(site, lang)).collect();
        let site_values = RwLock::new(site_values(site, &hotlines, &SitePlan::default())?);
        let hotline_values = hotlines.iter().map(Value::from_serializable).collect();
        Ok(Theme { templates, site_values, date_formats, hotlines, hotline_values })
    }

    /// The templates as last compiled.
    pub fn templates(&self) -> Arc<Templates> {
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

    /// The date format of language `lang`.
    pub fn date_format(&self, lang: usize) -> &str {
        &self.date_formats[lang]
    }

    /// Every hotline, labelled in language `lang`.
    pub fn hotlines(&self, lang: usize) -> &[HotlineView] {
        &self.hotlines[lang]
    }

    /// Every hotline labelled in each language.
    pub fn all_hotlines(&self) -> &[Vec<HotlineView>] {
        &self.hotlines
    }

    /// Takes the addresses the outputs offer (safety page, banner, worker, loudspeaker index)
    /// into `site` for the templates.
    pub fn take_plan(&self, site: &Site, plan: &SitePlan) -> Result<()> {
        let values = site_values(site, &self.hotlines, plan)?;
        *self.site_values.write().unwrap_or_else(|e| e.into_inner()) = values;
        Ok(())
    }

    /// The values every template gets, before those of the page.
    pub fn base_context(&self, site: &Site, lang: usize) -> Context {
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

    /// The routes of [`Theme::render_in_every_language`]: none without the template.
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
    crate::model::hotlines::hotline_views(&site.config, &site.locales, lang)
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

pub(crate) fn language_homes(site: &Site, current: usize) -> Vec<LanguageLink> {
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

/// Values every template gets: languages, canonical link, alternates, fallback notice data.
pub fn common(
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

/// The page minified, unless it nests deeper than minify-html can follow.
pub fn minify(html: &str) -> Vec<u8> {
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
