//! Tera 2 templates: loading the theme (and site overrides), `t()` and URL functions, errors.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tera::{Error as TeraError, Kwargs, State, Tera, Value};

use crate::base::error::{Error, Result};
use crate::load::locales::Locales;
use crate::load::templating::{convert, key_and_language, language_argument, translate};
use crate::model::Site;

/// Compiled templates and where each came from.
pub struct Templates {
    /// The Tera instance with loa's functions.
    pub tera: Tera,
    /// Template name → file shown in messages.
    files: HashMap<String, PathBuf>,
    /// Template name → its text, to tell what a change to the files touches.
    sources: HashMap<String, String>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/` and then `templates/` of the site, which override by name.
    pub fn load(site: &Site) -> Result<Templates> {
        let mut sources: HashMap<String, (PathBuf, String)> = HashMap::new();
        for file in crate::load::theme::layered_files(&site.config, "templates")? {
            let text = file.text()?;
            sources.insert(file.relative, (file.shown, text));
        }
        add_bundled_additions(&mut sources);
        let only_components = sources.is_empty();
        sources.extend(crate::model::shortcodes::component_sources(&site.config)?);
        if only_components {
            return Err(Error::at(
                Path::new("themes").join(&site.config.theme),
                None,
                msg!("templates.none"),
            )
            .with_hint(msg!("templates.none.hint")));
        }
        let files: HashMap<String, PathBuf> =
            sources.iter().map(|(k, (p, _))| (k.clone(), p.clone())).collect();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::base::text::write_escaped_xml);
        register_functions(&mut tera, site);
        let mut named: Vec<(&String, &String)> =
            sources.iter().map(|(k, (_, text))| (k, text)).collect();
        named.sort();
        if let Err(e) = tera.add_raw_templates(named) {
            return Err(convert(&e, &files));
        }
        let sources = sources.into_iter().map(|(name, (_, text))| (name, text)).collect();
        Ok(Templates { tera, files, sources })
    }
}

/// Templates the default theme gained after sites copied it (`loa init`), each with the
/// templates it needs; a theme without one gets the bundled one if it has those.
const BUNDLED_ADDITIONS: [(&str, &[&str]); 4] = [
    ("partials/loudspeaker_style.html", &[]),
    ("loudspeaker.html", &["base.html", "partials/loudspeaker_style.html"]),
    ("loudspeaker_index.html", &["base.html", "partials/loudspeaker_style.html"]),
    ("redirect.html", &["partials/hotline_banner.html"]),
];

/// Adds the bundled default theme's [`BUNDLED_ADDITIONS`] that `sources` lacks and can use.
fn add_bundled_additions(sources: &mut HashMap<String, (PathBuf, String)>) {
    for (name, needs) in BUNDLED_ADDITIONS {
        if sources.contains_key(name) || !needs.iter().all(|n| sources.contains_key(*n)) {
            continue;
        }
        let path = format!("themes/{}/templates/{name}", crate::load::theme::DEFAULT_THEME);
        if let Some(text) = crate::base::bundle::starter_text(&path) {
            sources.insert(name.to_owned(), (PathBuf::from(path), text.to_owned()));
        }
    }
}

impl Templates {
    /// The templates whose output may differ from `before`'s: those whose text changed, came
    /// or went, and every template that extends, includes or imports one of them (any that
    /// names it in quotes); all of them when a changed one defines components.
    pub fn changed_since(&self, before: &Templates) -> BTreeSet<String> {
        let names: BTreeSet<&String> = self.sources.keys().chain(before.sources.keys()).collect();
        let mut changed: BTreeSet<String> = names
            .into_iter()
            .filter(|name| self.sources.get(*name) != before.sources.get(*name))
            .cloned()
            .collect();
        let defines_components = |name: &String| {
            [self.sources.get(name), before.sources.get(name)]
                .into_iter()
                .flatten()
                .any(|text| text.contains("component "))
        };
        if changed.iter().any(defines_components) {
            return self.sources.keys().cloned().collect();
        }
        loop {
            let users: Vec<String> = self
                .sources
                .iter()
                .filter(|(name, text)| !changed.contains(*name) && names_any(text, &changed))
                .map(|(name, _)| name.clone())
                .collect();
            if users.is_empty() {
                return changed;
            }
            changed.extend(users);
        }
    }

    /// Whether a template with this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders a template, converting errors to located ones.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera.render(name, context).map_err(|e| convert(&e, &self.files))
    }

    /// Names of all templates, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.files.keys().cloned().collect();
        names.sort();
        names
    }
}

/// Whether a template's text names one of `names` in double or single quotes.
fn names_any(text: &str, names: &BTreeSet<String>) -> bool {
    names
        .iter()
        .any(|name| text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'")))
}

/// Registers `t`, `t_lang`, `inline_static`, `asset_url`, `url` and `url_for`.
fn register_functions(tera: &mut Tera, site: &Site) {
    tera.register_filter("urlencode", |text: &str, _: Kwargs, _: &State| {
        crate::base::percent::encode_component(text)
    });
    let numbers: Vec<(String, String)> = site
        .config
        .hotlines
        .iter()
        .filter(|h| h.display.contains(' '))
        .map(|h| (h.display.clone(), h.display.replace(' ', "\u{a0}")))
        .collect();
    tera.register_filter("keep_numbers", move |html: &str, _: Kwargs, _: &State| {
        keep_numbers(html, &numbers)
    });
    crate::model::shortcodes::register_functions(tera, &site.config, &site.locales, site.now);
    let locales = Arc::new(site.locales.clone());
    let codes: Arc<Vec<String>> =
        Arc::new(site.config.languages.iter().map(|l| l.code.clone()).collect());
    {
        let (locales, codes) = (locales.clone(), codes.clone());
        tera.register_function("t", move |kwargs: Kwargs, state: &State| {
            translate(&locales, &codes, &kwargs, state)
        });
    }
    {
        let (locales, codes) = (locales.clone(), codes.clone());
        tera.register_function("t_lang", move |kwargs: Kwargs, state: &State| {
            string_language(&locales, &codes, &kwargs, state)
        });
    }
    register_inline_static(tera, site);
    register_asset_url(tera, site);
    let base_path = site.base_path.clone();
    tera.register_function("url", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: String = kwargs.must_get("path")?;
        Ok(format!("{base_path}/{}", path.trim_start_matches('/')))
    });
    let urls = Arc::new(url_table(site));
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = language_argument(&kwargs, state)?;
            urls.get(&(key.clone(), lang.clone())).cloned().ok_or_else(|| {
                TeraError::message(format!("no page or section `{key}` is published in `{lang}`"))
            })
        },
    );
}

/// `t_lang(key=…)`: the code of the language whose locale gives the key (the page's own or a
/// fallback), so that templates can mark UI text that falls back with its `lang`.
fn string_language(
    locales: &Locales,
    codes: &[String],
    kwargs: &Kwargs,
    state: &State,
) -> tera::TeraResult<String> {
    let (key, lang, index) = key_and_language(codes, kwargs, state)?;
    let source = locales.source(index, &key).ok_or_else(|| {
        TeraError::message(format!(
            "the locale key `{key}` is missing for `{lang}` and its fallbacks"
        ))
    })?;
    Ok(codes[source].clone())
}

/// `inline_static(path="style.css")`: the text of a theme or site static file, to inline
/// (the theme inlines its stylesheet: see docs/theme.md). Each file is read once per build,
/// and a stylesheet is minified then, not again in every page that inlines it.
fn register_inline_static(tera: &mut Tera, site: &Site) {
    let files: HashMap<String, (crate::load::theme::LayerFile, OnceLock<String>)> =
        match crate::load::theme::layered_files(&site.config, "static") {
            Ok(files) => {
                files.into_iter().map(|f| (f.relative.clone(), (f, OnceLock::new()))).collect()
            }
            Err(_) => HashMap::new(),
        };
    let minify = site.config.minify;
    tera.register_function(
        "inline_static",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: String = kwargs.must_get("path")?;
            let (file, text) = files.get(path.trim_start_matches('/')).ok_or_else(|| {
                TeraError::message(format!("there is no static file `{path}` to inline"))
            })?;
            if let Some(text) = text.get() {
                return Ok(Value::safe_string(text));
            }
            let read = file.text().map_err(|e| TeraError::message(e.to_string()))?;
            let inlined =
                if minify && path.ends_with(".css") { minify_stylesheet(&read) } else { read };
            Ok(Value::safe_string(text.get_or_init(|| inlined)))
        },
    );
}

/// A stylesheet minified the way minify-html minifies a `<style>` element.
pub(crate) fn minify_stylesheet(css: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let element = format!("<style>{css}</style>");
    let minified = String::from_utf8(minify_html::minify(element.as_bytes(), &cfg));
    minified
        .ok()
        .and_then(|m| Some(m.strip_prefix("<style>")?.strip_suffix("</style>")?.to_owned()))
        .unwrap_or_else(|| css.to_owned())
}

/// `asset_url(path="countdown.js")`: the link to the content-hashed copy of a static CSS or
/// JS file (`/countdown.3f2a9c1e.js`), which servers may cache forever.
fn register_asset_url(tera: &mut Tera, site: &Site) {
    let hashed: HashMap<String, String> = match crate::load::assets::hashed_files(&site.config) {
        Ok(files) => files.into_iter().map(|(path, (hashed, _))| (path, hashed)).collect(),
        Err(_) => HashMap::new(),
    };
    let base_path = site.base_path.clone();
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let hashed = hashed.get(path.trim_start_matches('/')).ok_or_else(|| {
                TeraError::message(format!("there is no static CSS or JS file `{path}`"))
            })?;
            Ok(format!("{base_path}/{hashed}"))
        },
    );
}

/// Links to every page and section in every language, by key and language code.
fn url_table(site: &Site) -> HashMap<(String, String), String> {
    let mut table = HashMap::new();
    let keyed = site
        .pages
        .iter()
        .map(|p| (&p.key, &p.variants))
        .chain(site.sections.iter().map(|s| (&s.key, &s.variants)));
    for (key, variants) in keyed {
        for variant in variants.iter().flatten() {
            let code = site.config.languages[variant.lang].code.clone();
            table.insert((key.clone(), code), site.link(&variant.path));
        }
    }
    table
}

/// `keep_numbers`: hotline numbers written with spaces (`1800 1581`) get no-break spaces, so a
/// narrow table cell never breaks a number across lines.
fn keep_numbers(html: &str, numbers: &[(String, String)]) -> String {
    numbers.iter().fold(html.to_owned(), |text, (spaced, kept)| text.replace(spaced, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(sources: &[(&str, &str)]) -> Templates {
        let sources = sources.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        Templates { tera: Tera::new(), files: HashMap::new(), sources }
    }

    fn names(set: BTreeSet<String>) -> Vec<String> {
        set.into_iter().collect()
    }

    #[test]
    fn a_changed_template_touches_those_that_extend_include_or_import_it() {
        let theme = [
            (
                "base.html",
                "<html>{% include \"partials/meta.html\" %}{% block main %}{% endblock %}",
            ),
            ("partials/meta.html", "<meta>"),
            ("partials/list.html", "<ul></ul>"),
            ("page.html", "{% extends \"base.html\" %}"),
            ("section.html", "{% extends 'base.html' %}{% include 'partials/list.html' %}"),
            ("404.html", "{% extends \"base.html\" %}{% import \"macros.html\" as m %}"),
            ("macros.html", "{% macro a() %}a{% endmacro %}"),
        ];
        let before = templates(&theme);
        let edit = |name: &str, text: &str| {
            let mut sources = theme.to_vec();
            sources.iter_mut().filter(|(n, _)| *n == name).for_each(|s| s.1 = text);
            names(templates(&sources).changed_since(&before))
        };
        assert_eq!(edit("404.html", "{% extends \"base.html\" %}!"), ["404.html"]);
        assert_eq!(edit("partials/list.html", "<ol></ol>"), ["partials/list.html", "section.html"]);
        assert_eq!(
            edit("macros.html", "{% macro a() %}b{% endmacro %}"),
            ["404.html", "macros.html"]
        );
        assert_eq!(
            edit("partials/meta.html", "<meta charset=utf-8>"),
            ["404.html", "base.html", "page.html", "partials/meta.html", "section.html"]
        );
        assert!(edit("page.html", "{% extends \"base.html\" %}").is_empty(), "same text");
        let added = templates(&[theme.as_slice(), &[("tag.html", "x")]].concat());
        assert_eq!(names(added.changed_since(&before)), ["tag.html"]);
    }

    #[test]
    fn a_changed_template_defining_components_touches_every_template() {
        let before = templates(&[
            ("page.html", "a"),
            ("parts.html", "{% component c() %}x{% endcomponent c %}"),
        ]);
        let after = templates(&[
            ("page.html", "a"),
            ("parts.html", "{% component c() %}y{% endcomponent c %}"),
        ]);
        assert_eq!(names(after.changed_since(&before)), ["page.html", "parts.html"]);
    }

    #[test]
    fn hotline_numbers_with_spaces_never_wrap() {
        let numbers = vec![("1800 1581".to_owned(), "1800\u{a0}1581".to_owned())];
        let kept = keep_numbers("<td>Gọi 1800 1581 (24/7)</td>", &numbers);
        assert_eq!(kept, "<td>Gọi 1800\u{a0}1581 (24/7)</td>");
    }

    #[test]
    fn minifies_a_stylesheet_once_for_inlining() {
        let css = "/* theme */\nbody {\n  color : #ff0000 ;\n}\n.a > .b { margin: 0px }\n";
        assert_eq!(minify_stylesheet(css), "body{color:red}.a>.b{margin:0}");
    }
}
