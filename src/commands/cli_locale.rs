//! The command line in the user's language: help texts and usage errors from loa's messages.
//!
//! clap's derive gives the shape of the command line; this module replaces every text a person
//! reads (about, help, headings, examples) with catalogue messages, and turns clap's errors into
//! loa errors with hints from their kind and context, so that `--help`, `loa buld` and
//! `loa build --drafs` speak the language of `--ui-lang` or `LANG`.

use crate::base::messages::{Message, UiLang};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The UI language asked for on the command line (`--ui-lang vi`, `--ui-lang=vi`), else from LANG.
pub fn ui_lang_of(args: &[std::ffi::OsString]) -> UiLang {
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let asked = args.iter().enumerate().find_map(|(i, arg)| {
        arg.strip_prefix("--ui-lang=")
            .map(str::to_owned)
            .or_else(|| (arg == "--ui-lang").then(|| args.get(i + 1).cloned()).flatten())
    });
    asked.map_or_else(UiLang::from_env, |code| UiLang::from_code(&code))
}

/// `command` with every text a person reads in `lang`.
pub fn localize(command: Command, lang: UiLang) -> Command {
    let command = command.version(env!("CARGO_PKG_VERSION")).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(msg!("cli.arg.version").render(lang))
            .help_heading(msg!("cli.heading.options").render(lang)),
    );
    let mut command = localize_tree(command, "", lang);
    command.build();
    localize_help_commands(command, lang)
}

/// The `help` subcommands clap adds when it builds `command` (at every level that has
/// subcommands), in `lang`.
fn localize_help_commands(mut command: Command, lang: UiLang) -> Command {
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| {
            if sub.get_name() == "help" {
                let commands = msg!("cli.value.command").render(lang);
                let usage = format!("{} [{commands}]...", sub.get_bin_name().unwrap_or("loa help"));
                let sub = sub
                    .about(msg!("cli.help.about").render(lang))
                    .override_usage(usage)
                    .help_template(help_template(lang))
                    .subcommand_help_heading(msg!("cli.heading.commands").render(lang));
                localize_help_commands(sub, lang)
            } else {
                localize_help_commands(sub, lang)
            }
        });
    }
    command
}

/// The layout of a help page, with the word before the usage line in `lang`.
fn help_template(lang: UiLang) -> String {
    let usage = msg!("cli.heading.usage").render(lang);
    format!(
        "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
    )
}

/// One command and, recursively, its subcommands; `path` is the subcommand's name chain.
fn localize_tree(mut command: Command, path: &str, lang: UiLang) -> Command {
    let (about, after) = command_texts(path);
    command = command
        .about(about.render(lang))
        .help_template(help_template(lang))
        .subcommand_help_heading(msg!("cli.heading.commands").render(lang))
        .subcommand_value_name(msg!("cli.value.command").render(lang))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(msg!("cli.arg.help").render(lang))
                .help_heading(msg!("cli.heading.options").render(lang)),
        );
    if let Some(after) = after {
        command = command.after_help(after.render(lang));
    }
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|a| a.get_id() != "help" && a.get_id() != "version")
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = arg_text(path, &id).render(lang);
        let value = value_name(&id).map(|name| name.render(lang));
        command = command.mut_arg(&id, |arg| {
            let arg = match value {
                Some(value) if arg.get_action().takes_values() => arg.value_name(value),
                _ => arg,
            };
            let heading = if arg.is_positional() {
                msg!("cli.heading.arguments")
            } else {
                msg!("cli.heading.options")
            };
            let takes_values = arg.get_action().takes_values();
            arg.help(help)
                .help_heading(heading.render(lang))
                .hide_default_value(takes_values)
                .hide_possible_values(takes_values)
        });
    }
    let usage = usage_line(&command, path, lang);
    command = command.override_usage(usage);
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        let child = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        command = command.mut_subcommand(&name, |sub| localize_tree(sub, &child, lang));
    }
    command
}

/// The usage line of a command in `lang`, as clap would write it but with its own words
/// translated: `loa build [TÙY_CHỌN]`, `loa new [TÙY_CHỌN] <LOẠI> <ĐƯỜNG_DẪN>`, `loa i18n [TÙY_CHỌN] <LỆNH>`.
fn usage_line(command: &Command, path: &str, lang: UiLang) -> String {
    let mut line = if path.is_empty() { "loa".to_owned() } else { format!("loa {path}") };
    line.push(' ');
    line.push_str(&msg!("cli.value.options").render(lang));
    for arg in command.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|n| n.first())
            .map_or_else(|| arg.get_id().as_str().to_uppercase(), |n| n.as_str().to_owned());
        let many = matches!(arg.get_action(), ArgAction::Append);
        let shown = if arg.is_required_set() { format!("<{name}>") } else { format!("[{name}]") };
        line.push(' ');
        line.push_str(&shown);
        if many {
            line.push_str("...");
        }
    }
    if command.has_subcommands() {
        let name = msg!("cli.value.command").render(lang);
        let shown = if command.is_subcommand_required_set() {
            format!("<{name}>")
        } else {
            format!("[{name}]")
        };
        line.push(' ');
        line.push_str(&shown);
    }
    line
}

/// The name shown for the value of the argument `id` (`--root <THƯ_MỤC>`), when it takes one.
fn value_name(id: &str) -> Option<Message> {
    Some(match id {
        "root" | "out" | "dir" => msg!("cli.value.folder"),
        "ui_lang" | "lang" => msg!("cli.value.lang"),
        "now" | "day" => msg!("cli.value.date"),
        "base_url" => msg!("cli.value.url"),
        "port" => msg!("cli.value.port"),
        "bind" => msg!("cli.value.address"),
        "format" => msg!("cli.value.format"),
        "variant" => msg!("cli.value.variant"),
        "text" => msg!("cli.value.text"),
        "kind" => msg!("cli.value.kind"),
        "path" => msg!("cli.value.path"),
        "file" => msg!("cli.value.file"),
        "title" => msg!("cli.value.title"),
        _ => return None,
    })
}

/// The about text and examples of the command `path` (`""` for loa itself, `"i18n status"`).
fn command_texts(path: &str) -> (Message, Option<Message>) {
    match path {
        "build" => (msg!("cli.build.about"), Some(msg!("cli.build.after"))),
        "serve" => (msg!("cli.serve.about"), Some(msg!("cli.serve.after"))),
        "check" => (msg!("cli.check.about"), Some(msg!("cli.check.after"))),
        "i18n" => (msg!("cli.i18n.about"), Some(msg!("cli.i18n.after"))),
        "i18n status" => (msg!("cli.i18n_status.about"), Some(msg!("cli.i18n_status.after"))),
        "i18n stamp" => (msg!("cli.i18n_stamp.about"), Some(msg!("cli.i18n_stamp.after"))),
        "i18n diff" => (msg!("cli.i18n_diff.about"), Some(msg!("cli.i18n_diff.after"))),
        "speak" => (msg!("cli.speak.about"), Some(msg!("cli.speak.after"))),
        "init" => (msg!("cli.init.about"), Some(msg!("cli.init.after"))),
        "new" => (msg!("cli.new.about"), Some(msg!("cli.new.after"))),
        _ => (msg!("cli.about"), Some(msg!("cli.after"))),
    }
}

/// The help of the argument `id` of the command `path`.
fn arg_text(path: &str, id: &str) -> Message {
    match (path, id) {
        (_, "root") => msg!("cli.arg.root"),
        (_, "ui_lang") => msg!("cli.arg.ui_lang"),
        (_, "quiet") => msg!("cli.arg.quiet"),
        (_, "out") => msg!("cli.arg.out"),
        (_, "drafts") => msg!("cli.arg.drafts"),
        (_, "now") => msg!("cli.arg.now"),
        (_, "base_url") => msg!("cli.arg.base_url"),
        (_, "bleed") => msg!("cli.arg.bleed"),
        (_, "port") => msg!("cli.arg.port"),
        (_, "bind") => msg!("cli.arg.bind"),
        (_, "open") => msg!("cli.arg.open"),
        (_, "format") => msg!("cli.arg.format"),
        (_, "budget") => msg!("cli.arg.budget"),
        ("speak", "lang") => msg!("cli.arg.speak_lang"),
        (_, "lang") => msg!("cli.arg.new_lang"),
        (_, "variant") => msg!("cli.arg.variant"),
        (_, "text") => msg!("cli.arg.text"),
        (_, "dir") => msg!("cli.arg.dir"),
        (_, "kind") => msg!("cli.arg.kind"),
        (_, "path") => msg!("cli.arg.path"),
        (_, "file") => msg!("cli.arg.stamp_file"),
        (_, "title") => msg!("cli.arg.title"),
        (_, "day") => msg!("cli.arg.day"),
        _ => msg!("cli.arg.unknown", name = id),
    }
}

/// A usage mistake as a loa message and hint, or `None` for help and version requests, which
/// clap prints itself.
pub fn explain(error: &clap::Error) -> Option<(Message, Option<Message>)> {
    let text = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => String::new(),
    };
    let suggestion = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => list.first().cloned(),
        _ => None,
    };
    let command = command_of_usage(&text(ContextKind::Usage));
    let see_help = msg!("cli.see_help", command = format!("{command} --help"));
    let explained = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => {
            let hint = match suggestion(ContextKind::SuggestedSubcommand) {
                Some(best) => msg!("yaml.did_you_mean", best = format!("{command} {best}")),
                None => see_help,
            };
            let value = text(ContextKind::InvalidSubcommand);
            (msg!("cli.unknown_command", value = value, command = &command), Some(hint))
        }
        ErrorKind::UnknownArgument => {
            let hint = match suggestion(ContextKind::SuggestedArg) {
                Some(best) => msg!("yaml.did_you_mean", best = best),
                None => see_help,
            };
            let value = text(ContextKind::InvalidArg);
            (msg!("cli.unknown_option", value = value, command = &command), Some(hint))
        }
        ErrorKind::InvalidValue => {
            let (value, option) = (text(ContextKind::InvalidValue), text(ContextKind::InvalidArg));
            let hint = match suggestion(ContextKind::SuggestedValue) {
                Some(best) => msg!("yaml.did_you_mean", best = best),
                None => msg!("yaml.allowed_values", values = text(ContextKind::ValidValue)),
            };
            (msg!("cli.invalid_value", value = value, option = option), Some(hint))
        }
        ErrorKind::ValueValidation => {
            let (value, option) = (text(ContextKind::InvalidValue), text(ContextKind::InvalidArg));
            (msg!("cli.invalid_value", value = value, option = option), Some(see_help))
        }
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            let missing = text(ContextKind::InvalidArg);
            (msg!("cli.missing", command = &command, missing = missing), Some(see_help))
        }
        ErrorKind::ArgumentConflict => {
            let (first, second) = (text(ContextKind::InvalidArg), text(ContextKind::PriorArg));
            (msg!("cli.conflict", first = first, second = second), Some(see_help))
        }
        _ => (msg!("cli.usage_error", command = &command), Some(see_help)),
    };
    Some(explained)
}

/// `loa build` from clap's usage line `Usage: loa build [OPTIONS]`.
fn command_of_usage(usage: &str) -> String {
    let line = usage.lines().next().unwrap_or_default();
    let words = line.split_whitespace().skip_while(|w| *w != "loa");
    let path: Vec<&str> = words
        .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        .collect();
    if path.is_empty() { "loa".to_owned() } else { path.join(" ") }
}
