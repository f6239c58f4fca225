//! The `loa` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

/// loa: multilingual campaign sites against human trafficking, from Markdown.
#[derive(Parser)]
#[command(name = "loa", version, about, long_about = None)]
struct Cli {
    /// The site folder (holding site.yaml); defaults to the current folder.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site.
    ///
    /// Example: loa build --out public --now 2024-07-30
    Build(BuildArgs),
    /// Build the site, then serve it on 127.0.0.1 for preview.
    ///
    /// Example: loa serve --port 1111
    Serve {
        /// Port to try first (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Check links, anchors, images, alt text, headings, front matter and translations.
    ///
    /// Exits with 1 when there are errors, 0 with only warnings.
    /// Example: loa check --format json
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Translation workflow: coverage per language, and stamping translations as current.
    #[command(subcommand)]
    I18n(I18nCommand),
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Per language: pages translated, outdated, missing, and interface strings not translated.
    ///
    /// Example: loa i18n status --format json
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Mark a translation as made from the current version of its source.
    ///
    /// Example: loa i18n stamp content/tin-tuc/bai-viet.en.md
    Stamp {
        /// The translation file.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Output folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Publish drafts too.
    #[arg(long)]
    drafts: bool,
    /// Build as if it were this date (2024-07-30, 30/7/2024 or RFC 3339).
    #[arg(long)]
    now: Option<String>,
    /// Use this base URL instead of the one in site.yaml.
    #[arg(long)]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => {
            build(&cli.root, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, build: args } => {
            let out = build(&cli.root, &args)?;
            let listener = loa::serve::bind(port).context("cannot open a port on 127.0.0.1")?;
            let address = listener.local_addr()?;
            println!("Serving {} at http://{address}/ (press Ctrl+C to stop)", out.display());
            loa::serve::serve(listener, &out);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { format } => {
            let diagnostics = loa::check::check(&cli.root, &workflow_options());
            match format {
                Format::Text => print!("{}", loa::check::format_text(&diagnostics)),
                Format::Json => println!("{}", loa::check::format_json(&diagnostics)),
            }
            Ok(if diagnostics.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::I18n(I18nCommand::Status { format }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let statuses = loa::i18n::status::status(&site);
            match format {
                Format::Text => print!("{}", loa::i18n::status::format_text(&statuses)),
                Format::Json => println!("{}", serde_json::to_string_pretty(&statuses)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n(I18nCommand::Stamp { file }) => {
            let mut diagnostics = loa::Diagnostics::default();
            let site = loa::Site::load(&cli.root, &workflow_options(), &mut diagnostics)?;
            let stamp = loa::i18n::status::stamp_file(&site, &file)?;
            println!("{}: translated_from: {stamp}", file.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Checks and translation reports look at every page, drafts and scheduled ones included.
fn workflow_options() -> loa::BuildOptions {
    let now = chrono::Utc::now().with_timezone(&loa::dates::default_offset());
    loa::BuildOptions { drafts: true, now, base_url: None }
}

fn build(root: &std::path::Path, args: &BuildArgs) -> anyhow::Result<PathBuf> {
    let offset = loa::dates::default_offset();
    let now = match &args.now {
        Some(text) => loa::dates::parse_date(text, offset)
            .map_err(|e| anyhow::anyhow!("--now: {e}\n  hint: {}", loa::dates::DATE_HINT))?,
        None => chrono::Utc::now().with_timezone(&offset),
    };
    let options = loa::BuildOptions { drafts: args.drafts, now, base_url: args.base_url.clone() };
    let out = args.out.clone().unwrap_or_else(|| loa::default_output(root));
    let report = loa::build(root, &out, &options)?;
    for diagnostic in report.diagnostics.sorted() {
        eprintln!("{diagnostic}");
    }
    let per_language: Vec<String> = report
        .pages
        .iter()
        .map(|(code, t, f)| format!("{code}: {t} pages + {f} fallback"))
        .collect();
    println!(
        "Built {} files in {} ms ({}) → {}",
        report.files,
        report.elapsed.as_millis(),
        per_language.join(", "),
        out.display()
    );
    Ok(out)
}
