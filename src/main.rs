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
    }
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
