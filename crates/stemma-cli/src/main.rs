//! `stemma`: the command-line glue over the stage crates.
//! See `../shared/CONTRACT.md` for the interface benchmarks rely on.
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use stemma_core::{RawDoc, Report};

mod table;

#[derive(Parser)]
#[command(name = "stemma", version, about = "Who copied whom: derivation trees of news articles, with evidence")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
enum Format {
    /// A readable table.
    #[default]
    Human,
    /// The contract's JSON object.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Print the main text of one document, boilerplate removed.
    Extract {
        /// A .txt, .html, .jsonl(.gz) or .warc(.gz) file (first document).
        file: PathBuf,
    },
    /// Compare two documents: relation kind, direction, evidence.
    Compare {
        /// First document.
        a: PathBuf,
        /// Second document.
        b: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Analyse files and folders: documents, stories, derivations.
    Analyze {
        /// Files or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Hide the progress bar.
        #[arg(long)]
        quiet: bool,
        /// Print the time of each stage on stderr (`timing STAGE SECONDS`).
        #[arg(long)]
        timings: bool,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stemma: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let cfg = stemma_pipeline::Config::default();
    match cli.command {
        Command::Extract { file } => {
            let raw = read_one(&file)?;
            let article = stemma_extract::extract_one(&raw);
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", article.text)?;
        }
        Command::Compare { a, b, format } => {
            let raws = [read_one(&a)?, read_one(&b)?];
            let arts = stemma_pipeline::extract(&raws);
            let c = stemma_pipeline::compare(&arts[0], &arts[1], &cfg);
            match format {
                Format::Json => println!("{}", serde_json::to_string(&c)?),
                Format::Human => table::print_comparison(&c, &arts[0], &arts[1]),
            }
        }
        Command::Analyze {
            paths,
            format,
            quiet,
            timings,
        } => {
            let mut clock = Stopwatch::new(timings);
            let raws = read_all(&paths, quiet)?;
            clock.lap("read");
            let articles = stemma_pipeline::extract(&raws);
            clock.lap("extract");
            let report: Report = stemma_pipeline::analyze(&articles, &cfg);
            clock.lap("analyze");
            match format {
                Format::Json => {
                    let mut out = std::io::stdout().lock();
                    serde_json::to_writer(&mut out, &report)?;
                    writeln!(out)?;
                }
                Format::Human => table::print_report(&report),
            }
        }
    }
    Ok(())
}

/// Reads the first document of a file, or fails naming the file.
fn read_one(path: &PathBuf) -> Result<RawDoc> {
    for item in stemma_ingest::read_file(path) {
        match item {
            Ok(doc) => return Ok(doc),
            Err(e) => eprintln!("stemma: skipped {e}"),
        }
    }
    bail!("{}: no readable document", path.display())
}

/// Reads every document under `paths`, reporting bad inputs on stderr.
fn read_all(paths: &[PathBuf], quiet: bool) -> Result<Vec<RawDoc>> {
    let bar = if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} documents read {msg}")
                .context("progress template")?,
        );
        b
    };
    let mut docs = Vec::new();
    let mut bad = 0usize;
    for item in stemma_ingest::read_paths(paths) {
        match item {
            Ok(doc) => {
                docs.push(doc);
                bar.inc(1);
            }
            Err(e) => {
                bad += 1;
                bar.suspend(|| eprintln!("stemma: skipped {e}"));
            }
        }
    }
    bar.finish_and_clear();
    if docs.is_empty() {
        bail!("nothing readable in the given paths ({bad} inputs skipped)");
    }
    Ok(docs)
}

/// Prints stage times on stderr when asked to.
struct Stopwatch {
    on: bool,
    last: std::time::Instant,
}

impl Stopwatch {
    fn new(on: bool) -> Self {
        Stopwatch {
            on,
            last: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!("timing {stage} {:.3}", self.last.elapsed().as_secs_f64());
        }
        self.last = std::time::Instant::now();
    }
}
