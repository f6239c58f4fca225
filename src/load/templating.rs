//! Tera glue shared by everything compiled from the theme (its templates, rendered by the web
//! output, and its shortcode components, checked at load): Tera errors as located loa errors,
//! and the `t` function reading the locales.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Error as TeraError, ErrorKind, Kwargs, State, Value};

use crate::base::error::{Error, Position};
use crate::load::locales::Locales;

/// Turns a Tera error into a located error naming the template file.
pub fn convert(error: &TeraError, files: &HashMap<String, PathBuf>) -> Error {
    let shown = |name: &str| files.get(name).cloned().unwrap_or_else(|| PathBuf::from(name));
    match error.kind() {
        ErrorKind::SyntaxError(report) => {
            located(report, shown(report.filename()), true).with_hint(msg!("templates.syntax.hint"))
        }
        ErrorKind::RenderingError(report) => located(report, shown(report.filename()), false)
            .with_hint(msg!("templates.render.hint")),
        ErrorKind::TemplateNotFound(name) => {
            Error::at(shown(name), None, msg!("templates.not_found", name = name))
                .with_hint(msg!("templates.not_found.hint"))
        }
        ErrorKind::MissingParent { current, parent } => {
            Error::at(shown(current), None, msg!("templates.missing_parent", parent = parent))
                .with_hint(msg!("templates.missing_parent.hint"))
        }
        ErrorKind::CircularInclude { tpl, include_chain } => {
            let chain = include_chain.join(" → ");
            Error::at(
                shown(tpl),
                None,
                msg!("templates.circular_include", name = tpl, chain = chain),
            )
            .with_hint(msg!("templates.circular_include.hint"))
        }
        ErrorKind::CircularExtend { tpl, inheritance_chain } => {
            let chain = inheritance_chain.join(" → ");
            Error::at(
                shown(tpl),
                None,
                msg!("templates.circular_extend", name = tpl, chain = chain),
            )
            .with_hint(msg!("templates.circular_extend.hint"))
        }
        _ => Error::at("themes", None, msg!("templates.other", detail = error)),
    }
}

fn located(report: &tera::ReportError, file: PathBuf, syntax: bool) -> Error {
    let span = report.span();
    let position = Position::new(span.start_line, span.start_col + 1);
    let message = if syntax {
        msg!("templates.syntax", detail = report.message())
    } else {
        msg!("templates.render", detail = report.message())
    };
    Error::at(file, Some(position), message)
}

/// The `lang` argument of a template function, or the language of the page being rendered.
pub fn language_argument(kwargs: &Kwargs, state: &State) -> tera::TeraResult<String> {
    if let Some(lang) = kwargs.get::<String>("lang")? {
        return Ok(lang);
    }
    let current: Option<Value> = state.get("lang")?;
    current
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| TeraError::message("no `lang` given and none in the context"))
}

/// The `key` argument, the language (argument or page's) and its index among `codes`.
pub fn key_and_language(
    codes: &[String],
    kwargs: &Kwargs,
    state: &State,
) -> tera::TeraResult<(String, String, usize)> {
    let key: String = kwargs.must_get("key")?;
    let lang = language_argument(kwargs, state)?;
    let index = codes
        .iter()
        .position(|c| *c == lang)
        .ok_or_else(|| TeraError::message(format!("unknown language `{lang}`")))?;
    Ok((key, lang, index))
}

/// `t(key=…)`: the UI string in the page's language, with `{name}` placeholders filled from arguments.
pub fn translate(
    locales: &Locales,
    codes: &[String],
    kwargs: &Kwargs,
    state: &State,
) -> tera::TeraResult<String> {
    let (key, lang, index) = key_and_language(codes, kwargs, state)?;
    let Some(text) = locales.get(index, &key) else {
        return Err(TeraError::message(format!(
            "the locale key `{key}` is missing for `{lang}` and its fallbacks; add it to locales/{lang}.yaml or the theme's locales"
        )));
    };
    let mut text = text.to_owned();
    for (name, value) in kwargs.iter() {
        let name = name.to_string();
        if name != "key" && name != "lang" {
            let replacement = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            text = text.replace(&format!("{{{name}}}"), &replacement);
        }
    }
    Ok(text)
}
