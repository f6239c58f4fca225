//! Shortcodes as typed Tera components from `themes/<theme>/shortcodes/` (and the site's
//! `shortcodes/`): argument checks against each component's signature, then rendering.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ComponentArgType, Context, Kwargs, State, Tera, Value};

use crate::base::dates::Moment;
use crate::base::error::{Error, Position, Result};
use crate::base::messages::Message;
use crate::load::config::Config;
use crate::load::locales::Locales;
use crate::load::markdown::{Resolved, ShortcodeHost};
use crate::load::shortcodes::{ArgValue, Call};

/// The folder of shortcode components inside a theme, and in a site.
pub const SHORTCODES_DIR: &str = "shortcodes";

/// Reads every shortcode component file of the theme, then the site's (which win by name).
pub fn component_sources(config: &Config) -> Result<BTreeMap<String, (PathBuf, String)>> {
    let mut sources = BTreeMap::new();
    for file in crate::load::theme::layered_files(config, SHORTCODES_DIR)? {
        if file.relative.ends_with(".html") && !file.relative.contains('/') {
            let text = file.text()?;
            sources.insert(format!("shortcodes/{}", file.relative), (file.shown, text));
        }
    }
    Ok(sources)
}

/// Registers the functions shortcode components use: `t`, `qr_svg`, `days_until`,
/// `format_date` and `error`.
pub fn register_functions(tera: &mut Tera, config: &Config, locales: &Locales, now: Moment) {
    tera.register_function("error", |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        Err(raised_by_component(&kwargs))
    });
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let offset = config.utc_offset;
    let (t_locales, t_codes) = (locales.clone(), codes.clone());
    tera.register_function("t", move |kwargs: Kwargs, state: &State| {
        crate::load::templating::translate(&t_locales, &t_codes, &kwargs, state)
    });
    tera.register_function("qr_svg", |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let text: String = kwargs.must_get("text")?;
        Ok(Value::safe_string(&crate::engines::qr::svg(&text).map_err(tera::Error::message)?))
    });
    tera.register_function(
        "days_until",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<i64> {
            let date: String = kwargs.must_get("date")?;
            let day = crate::base::dates::parse_date(&date, offset).map_err(|e| raise_date(&e))?;
            Ok((day.date_naive() - now.with_timezone(&offset).date_naive()).num_days())
        },
    );
    let format_locales = locales.clone();
    tera.register_function(
        "format_date",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let date: String = kwargs.must_get("date")?;
            let lang: String = kwargs.must_get("lang")?;
            let day = crate::base::dates::parse_date(&date, offset).map_err(|e| raise_date(&e))?;
            if kwargs.get::<bool>("iso")?.unwrap_or(false) {
                return Ok(day.format("%Y-%m-%d").to_string());
            }
            let index = codes.iter().position(|c| *c == lang).unwrap_or(0);
            Ok(day.format(format_locales.date_format(index)).to_string())
        },
    );
}

/// Marks the text of a Tera error that carries a loa message, so that it reaches the user in
/// their language instead of as the English text of a Tera error.
const RAISED: (&str, &str) = ("\u{2063}loa-message", "\u{2063}");

/// The error `error(key="…", hint="…", name=value, …)` raises: the catalogue message `key`
/// (and `hint`) with the other arguments as placeholders.
fn raised_by_component(kwargs: &Kwargs) -> tera::Error {
    let lookup = |name: &str| -> Option<Message> {
        let key = kwargs.get::<String>(name).ok().flatten()?;
        let mut message = Message::from_key(&key)?;
        for (arg, value) in kwargs.iter() {
            let arg = arg.to_string();
            if arg != "key" && arg != "hint" {
                let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                message = message.arg_named(arg, text);
            }
        }
        Some(message)
    };
    match lookup("key") {
        Some(message) => raise(&message, lookup("hint").as_ref()),
        None => {
            let key = kwargs.get::<String>("key").ok().flatten().unwrap_or_default();
            raise(
                &msg!("shortcode.unknown_message", key = key),
                Some(&msg!("shortcode.unknown_message.hint")),
            )
        }
    }
}

/// The error a date function raises for a date that cannot be read.
fn raise_date(message: &Message) -> tera::Error {
    raise(message, Some(&crate::base::dates::date_hint()))
}

/// A Tera error carrying `message` and `hint`, read back by [`raised_message`].
fn raise(message: &Message, hint: Option<&Message>) -> tera::Error {
    let encode = |m: &Message| {
        let args: BTreeMap<&str, &str> = m.text_args().collect();
        serde_json::json!({ "key": m.key(), "args": args })
    };
    let value = serde_json::json!({ "message": encode(message), "hint": hint.map(encode) });
    tera::Error::message(format!("{}{value}{}", RAISED.0, RAISED.1))
}

/// The loa message and hint a component raised, found in the text of a rendering error.
fn raised_message(detail: &str) -> Option<(Message, Option<Message>)> {
    let start = detail.find(RAISED.0)? + RAISED.0.len();
    let end = start + detail[start..].rfind(RAISED.1)?;
    let value: serde_json::Value = serde_json::from_str(&detail[start..end]).ok()?;
    let decode = |v: &serde_json::Value| -> Option<Message> {
        let mut message = Message::from_key(v.get("key")?.as_str()?)?;
        for (name, text) in v.get("args")?.as_object()? {
            message = message.arg_named(name.clone(), text.as_str().unwrap_or_default());
        }
        Some(message)
    };
    Some((decode(&value["message"])?, value.get("hint").and_then(decode)))
}

/// Shortcode components compiled once, checked and rendered for each page.
pub struct Shortcodes {
    tera: Tera,
    names: Vec<String>,
}

impl std::fmt::Debug for Shortcodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shortcodes").field("names", &self.names).finish_non_exhaustive()
    }
}

impl Shortcodes {
    /// Compiles the theme's and the site's shortcode components.
    pub fn load(config: &Config, locales: &Locales, now: Moment) -> Result<Shortcodes> {
        let sources = component_sources(config)?;
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::base::text::write_escaped_xml);
        register_functions(&mut tera, config, locales, now);
        let templates: Vec<(&String, &String)> =
            sources.iter().map(|(name, (_, text))| (name, text)).collect();
        if let Err(error) = tera.add_raw_templates(templates) {
            let files =
                sources.iter().map(|(name, (file, _))| (name.clone(), file.clone())).collect();
            return Err(crate::load::templating::convert(&error, &files));
        }
        let names: Vec<String> = tera.get_component_names().map(str::to_owned).collect();
        Ok(Shortcodes { tera, names })
    }

    /// A host that renders calls in a page shown in `lang`, at `page_url`.
    pub fn host<'a>(
        &'a self,
        lang: &str,
        page_url: &str,
        hotlines: &[crate::model::hotlines::HotlineView],
    ) -> PageShortcodes<'a> {
        let mut implicits = Context::new();
        implicits.insert("lang", lang);
        implicits.insert("page_url", page_url);
        implicits.insert("all_hotlines", hotlines);
        PageShortcodes { shortcodes: self, implicits }
    }

    fn check(&self, call: &Call) -> std::result::Result<(), (Message, Option<Message>)> {
        let Some(info) = self.tera.get_component_definition(&call.name) else {
            let hint = match crate::base::yaml::closest(
                &call.name,
                &self.names.iter().map(String::as_str).collect::<Vec<_>>(),
            ) {
                Some(best) => msg!("yaml.did_you_mean", best = best),
                None => msg!("shortcode.known", names = self.names.join(", ")),
            };
            return Err((msg!("shortcode.unknown", name = &call.name), Some(hint)));
        };
        let explicit: Vec<&tera::ComponentArg> =
            info.args().iter().filter(|a| !a.is_implicit()).collect();
        let signature = explicit.iter().map(|a| describe(a)).collect::<Vec<_>>().join(", ");
        let hint = || Some(msg!("shortcode.arguments.hint", name = &call.name, args = &signature));
        for (name, value) in &call.args {
            let Some(arg) = explicit.iter().find(|a| a.name() == name) else {
                return Err((
                    msg!("shortcode.unknown_argument", name = &call.name, arg = name),
                    hint(),
                ));
            };
            if let Some(expected) = arg.arg_type().filter(|t| !fits(value, *t)) {
                let message = msg!("shortcode.wrong_type", name = &call.name, arg = name)
                    .nested("expected", type_name(expected));
                return Err((message, hint()));
            }
        }
        if let Some(missing) = explicit
            .iter()
            .find(|a| a.is_required() && !call.args.iter().any(|(n, _)| n == a.name()))
        {
            return Err((
                msg!("shortcode.missing_argument", name = &call.name, arg = missing.name()),
                hint(),
            ));
        }
        Ok(())
    }
}

/// The kind of value a component argument takes, in words staff know.
fn type_name(kind: ComponentArgType) -> Message {
    match kind {
        ComponentArgType::String => msg!("type.text"),
        ComponentArgType::Integer => msg!("type.whole_number"),
        ComponentArgType::Float | ComponentArgType::Number => msg!("type.number"),
        ComponentArgType::Bool => msg!("type.boolean"),
        ComponentArgType::Array => msg!("type.list"),
        ComponentArgType::Map => msg!("type.mapping"),
        _ => msg!("type.other"),
    }
}

fn describe(arg: &tera::ComponentArg) -> String {
    match arg.arg_type() {
        Some(t) => format!("{}: {t}", arg.name()),
        None => arg.name().to_owned(),
    }
}

fn fits(value: &ArgValue, expected: ComponentArgType) -> bool {
    matches!(
        (value, expected),
        (ArgValue::Text(_), ComponentArgType::String)
            | (ArgValue::Integer(_), ComponentArgType::Integer | ComponentArgType::Number)
            | (ArgValue::Float(_), ComponentArgType::Float | ComponentArgType::Number)
            | (ArgValue::Bool(_), ComponentArgType::Bool)
    )
}

/// Shortcodes bound to one page: its language, URL and hotlines.
pub struct PageShortcodes<'a> {
    shortcodes: &'a Shortcodes,
    implicits: Context,
}

impl ShortcodeHost for PageShortcodes<'_> {
    fn render(
        &self,
        call: &Call,
        body_html: Option<&str>,
        resolve: &dyn Fn(&str) -> Resolved,
    ) -> std::result::Result<String, (Message, Option<Message>)> {
        self.shortcodes.check(call)?;
        let mut args = Context::new();
        for (name, value) in &call.args {
            match value {
                ArgValue::Text(text) if name == "src" => match resolve(text) {
                    Resolved::Rewrite(url) => args.insert(name.clone(), &url),
                    _ => args.insert(name.clone(), text),
                },
                ArgValue::Text(text) => args.insert(name.clone(), text),
                ArgValue::Integer(n) => args.insert(name.clone(), n),
                ArgValue::Float(f) => args.insert(name.clone(), f),
                ArgValue::Bool(b) => args.insert(name.clone(), b),
            }
        }
        self.shortcodes
            .tera
            .render_component_with_implicits(&call.name, &args, &self.implicits, body_html, true)
            .map(|html| html.trim().to_owned())
            .map_err(|e| {
                let detail = failure_detail(&e);
                raised_message(&detail).unwrap_or_else(|| {
                    (msg!("shortcode.failed", name = &call.name, detail = detail), None)
                })
            })
    }
}

fn failure_detail(error: &tera::Error) -> String {
    match error.kind() {
        tera::ErrorKind::RenderingError(report) | tera::ErrorKind::SyntaxError(report) => {
            report.message().to_owned()
        }
        _ => error.to_string(),
    }
}

/// The located error for a shortcode problem in a page.
pub fn located(path: &Path, position: Position, message: Message, hint: Option<Message>) -> Error {
    let error = Error::at(path, Some(position), message);
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}
