//! `stemma`: the command-line glue over the stage crates.
//! See `../shared/CONTRACT.md` for the interface benchmarks rely on.
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use stemma_core::{RawDoc, Report};

mod table;

/// mimalloc rather than the system allocator: at a million documents the
/// pages freed after extraction are reused instead of left as fragments
/// (1M-document peak memory) and extraction allocates faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "stemma",
    version,
    about = "Who copied whom: derivation trees of news articles, with evidence"
)]
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
        /// Show each evidence passage's word-level diff (human format), in
        /// CriticMarkup: {~~old~>new~~}, {--cut--}, {++added++}.
        #[arg(long)]
        diff: bool,
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
        #[command(flatten)]
        focus: FocusArgs,
    },
    /// Add files and folders to the persistent store: new documents are
    /// matched against everything stored, and stories and relations updated.
    /// Re-ingesting an unchanged document is a no-op.
    Ingest {
        /// Files or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The store file (created when missing).
        #[arg(long, default_value = DEFAULT_DB)]
        db: PathBuf,
        /// Documents committed together; a crash loses at most the batch
        /// in flight, never a committed one.
        #[arg(long, default_value_t = 256)]
        batch: usize,
        /// Output format of the final summary.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Hide the progress bar.
        #[arg(long)]
        quiet: bool,
        /// Do not verify the stored documents again first when an older
        /// build made their verdicts (after an upgrade that changed the
        /// verifier): new documents are matched against the stored verdicts
        /// as they are, and the store stays marked for a later ingest (or
        /// `stemma serve`) to verify again.
        #[arg(long)]
        no_reverify: bool,
    },
    /// Print what the store holds: the same report as `analyze`.
    Report {
        /// The store file.
        #[arg(long, default_value = DEFAULT_DB)]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        #[command(flatten)]
        focus: FocusArgs,
    },
    /// Serve the HTTP API and the evidence browser over the store.
    Serve {
        /// The store file (created when missing).
        #[arg(long, default_value = DEFAULT_DB)]
        db: PathBuf,
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Largest request body, in bytes.
        #[arg(long, default_value_t = 8 * 1024 * 1024)]
        max_body: usize,
        /// Requests handled at once.
        #[arg(long, default_value_t = 64)]
        max_concurrency: usize,
        /// Longest time one request may take, in seconds.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Open the store read-only (no ingest).
        #[arg(long)]
        read_only: bool,
    },
}

/// The default store file, in the working directory.
const DEFAULT_DB: &str = "stemma.db";

fn main() -> std::process::ExitCode {
    // A reader that stops early (`stemma report | head`) ends the program
    // quietly, as with other command-line tools, instead of a panic in
    // `println!` on the closed pipe.
    #[cfg(unix)]
    // SAFETY: called first, before any other thread exists; restores the
    // default action of one signal.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
    let cfg = stemma_pipeline::Config {
        align: stemma_resources::align_context(stemma_resources::Want::from_env()),
        ..Default::default()
    };
    if std::env::var_os("STEMMA_VERBOSE").is_some() {
        eprintln!("stemma: {}", stemma_resources::describe(&cfg.align));
    }
    match cli.command {
        Command::Extract { file } => {
            let raw = read_one(&file)?;
            let article = stemma_extract::extract_one(&raw);
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", article.text)?;
        }
        Command::Compare { a, b, format, diff } => {
            let raws = [read_one(&a)?, read_one(&b)?];
            let arts = stemma_pipeline::extract(&raws);
            let c = stemma_pipeline::compare(&arts[0], &arts[1], &cfg);
            match format {
                Format::Json => println!("{}", serde_json::to_string(&c)?),
                Format::Human => table::print_comparison(&c, &arts[0], &arts[1], diff),
            }
        }
        Command::Analyze {
            paths,
            format,
            quiet,
            timings,
            focus,
        } => {
            let mut clock = Stopwatch::new(timings);
            let raws = read_all(&paths, quiet)?;
            clock.lap("read");
            // The raw pages are not read again: each is freed once extracted.
            let articles = stemma_pipeline::extract_owned(raws);
            clock.lap("extract");
            let report: Report = stemma_pipeline::analyze(&articles, &cfg);
            clock.lap("analyze");
            print_report(narrow(report, focus), format)?;
        }
        Command::Ingest {
            paths,
            db,
            batch,
            format,
            quiet,
            no_reverify,
        } => ingest(&paths, &db, batch.max(1), format, quiet, no_reverify, &cfg)?,
        Command::Report { db, format, focus } => {
            if !db.exists() {
                bail!(
                    "{}: no such store (run `stemma ingest` first)",
                    db.display()
                );
            }
            let store = open_for_reading(&db)?;
            if let Some(old) = stemma_store::ingest::stale_verdicts(&store)? {
                eprintln!(
                    "{}; the next `stemma ingest` or `stemma serve` verifies them again",
                    stale_line(&db, old)
                );
            }
            let report = stemma_store::report(&store)?;
            print_report(narrow(report, focus), format)?;
        }
        Command::Serve {
            db,
            addr,
            max_body,
            max_concurrency,
            timeout,
            read_only,
        } => {
            let store: Arc<dyn stemma_store::Store> = if read_only {
                Arc::new(stemma_store::RedbStore::open_read_only(&db)?)
            } else {
                Arc::new(stemma_store::RedbStore::open(&db)?)
            };
            if let Some(old) = stemma_store::ingest::stale_verdicts(store.as_ref())? {
                eprintln!(
                    "{}; {}",
                    stale_line(&db, old),
                    if read_only {
                        "they are served as they are (open it for writing to verify them again)"
                    } else {
                        "they are verified again while no ingest comes"
                    }
                );
            }
            note_other_resources(store.as_ref(), &db, &cfg, "this server")?;
            let backend = Arc::new(stemma_server::StoreBackend::new(store, cfg));
            // Index rows written behind are filed while no ingest comes.
            // Declared after `backend`, so dropped first: the thread stops
            // before the store closes (and checkpoints) with the backend.
            let _maintenance = if read_only {
                None
            } else {
                Some(
                    backend
                        .spawn_maintenance(std::time::Duration::from_millis(500))
                        .context("starting the store's idle maintenance")?,
                )
            };
            let opts = stemma_server::ServerOptions {
                max_body_bytes: max_body,
                timeout: std::time::Duration::from_secs(timeout.max(1)),
                max_concurrency,
            };
            let app = stemma_server::app(backend, opts);
            stemma_server::serve_blocking(addr, app, |bound| {
                println!("listening on http://{bound} (store {})", db.display());
            })
            .with_context(|| format!("serving on {addr}"))?;
        }
    }
    Ok(())
}

/// Opens the store at `db` read-only; a store left unclean by a crash or
/// `kill -9` is first repaired by opening it for writing (redb rolls back to
/// the last commit), with a note on stderr.
fn open_for_reading(db: &std::path::Path) -> Result<stemma_store::RedbStore> {
    match stemma_store::RedbStore::open_read_only(db) {
        Err(stemma_store::StoreError::NeedsRepair { .. }) => {
            drop(stemma_store::RedbStore::open(db)?);
            eprintln!(
                "stemma: {} was not closed cleanly; repaired (rolled back to its last commit)",
                db.display()
            );
            Ok(stemma_store::RedbStore::open_read_only(db)?)
        }
        other => Ok(other?),
    }
}

/// `stemma ingest`: reads `paths` and commits their documents to the store
/// at `db` in batches, reporting bad inputs on stderr as it goes.
fn ingest(
    paths: &[PathBuf],
    db: &std::path::Path,
    batch: usize,
    format: Format,
    quiet: bool,
    no_reverify: bool,
    cfg: &stemma_pipeline::Config,
) -> Result<()> {
    let store = stemma_store::RedbStore::open(db)?;
    reverify(&store, db, quiet, no_reverify, cfg)?;
    let bar = progress(quiet, "{spinner} {pos} documents ingested {msg}")?;
    let mut total = stemma_store::IngestOutcome::default();
    let mut unreadable = 0usize;
    let mut pending = Vec::with_capacity(batch);
    let commit = |pending: &mut Vec<RawDoc>, total: &mut stemma_store::IngestOutcome| {
        let docs = std::mem::take(pending);
        let n = docs.len() as u64;
        let out = stemma_store::ingest::ingest(&store, docs, cfg)
            .with_context(|| format!("ingesting into {}", db.display()))?;
        for e in &out.errors {
            bar.suspend(|| eprintln!("stemma: skipped {e}"));
        }
        bar.inc(n);
        total.added += out.added;
        total.skipped += out.skipped;
        total.replaced += out.replaced;
        total.cleaned += out.cleaned;
        total.errors.extend(out.errors);
        total.generation = out.generation;
        total.relations = out.relations;
        total.stories = out.stories;
        anyhow::Ok(())
    };
    for item in stemma_ingest::read_paths(paths) {
        match item {
            Ok(doc) => {
                pending.push(doc);
                if pending.len() >= batch {
                    commit(&mut pending, &mut total)?;
                }
            }
            Err(e) => {
                unreadable += 1;
                bar.suspend(|| eprintln!("stemma: skipped {e}"));
            }
        }
    }
    if !pending.is_empty() {
        commit(&mut pending, &mut total)?;
    }
    bar.finish_and_clear();
    let counts = stemma_store::Store::counts(&store)?;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "db": db.display().to_string(),
                "added": total.added,
                "unchanged": total.skipped,
                "replaced": total.replaced,
                "cleaned": total.cleaned,
                "rejected": total.errors.len() + unreadable,
                "documents": counts.documents,
                "stories": counts.stories,
                "relations": counts.relations,
                "unseen_sources": counts.unseen_sources,
            })
        ),
        Format::Human => println!(
            "{}: {} added, {} unchanged, {} replaced, {} rejected; store holds {} documents, {} stories, {} relations",
            db.display(),
            total.added,
            total.skipped,
            total.replaced,
            total.errors.len() + unreadable,
            counts.documents,
            counts.stories,
            counts.relations
        ),
    }
    if total.cleaned > 0 && matches!(format, Format::Human) {
        println!(
            "{} stored documents lost a line their site repeats on every page (boilerplate), and were placed again",
            total.cleaned
        );
    }
    if total.added + total.skipped + total.replaced == 0
        && (unreadable > 0 || !total.errors.is_empty())
    {
        bail!("nothing readable in the given paths");
    }
    Ok(())
}

/// Verifies the store's documents again when an older build of stemma made
/// their verdicts (before new documents are matched against them), saying
/// so on stderr, unless `skip` (`--no-reverify`); warns when a newer build
/// or other resources (thesaurus, embedder) made them.
fn reverify(
    store: &stemma_store::RedbStore,
    db: &std::path::Path,
    quiet: bool,
    skip: bool,
    cfg: &stemma_pipeline::Config,
) -> Result<()> {
    use stemma_store::ingest::{newer_verdicts, stale_verdicts};
    if let Some(newer) = newer_verdicts(store)?
        && !quiet
    {
        eprintln!(
            "stemma: {}: its comparisons were made by verifier version {newer}, newer than this build's {}; documents this run adds are compared by this build, and the store is then marked for a newer build to verify again",
            db.display(),
            stemma_pipeline::VERIFIER_VERSION
        );
    }
    let Some(old) = stale_verdicts(store)? else {
        return note_other_resources(store, db, cfg, "this run");
    };
    if skip {
        eprintln!(
            "{}; not verified again (--no-reverify): new documents are matched against the stored verdicts as they are, until an ingest without the flag or `stemma serve` verifies the store again",
            stale_line(db, old)
        );
        return Ok(());
    }
    if !quiet {
        eprintln!(
            "{}; verifying the stored documents again",
            stale_line(db, old)
        );
    }
    let bar = progress(quiet, "{spinner} {pos} stored documents verified again")?;
    let n = stemma_store::ingest::reverify(store, cfg, |done| bar.set_position(done as u64))
        .with_context(|| format!("verifying {} again", db.display()))?;
    bar.finish_and_clear();
    if !quiet {
        eprintln!(
            "stemma: {}: {n} stored documents verified again",
            db.display()
        );
    }
    Ok(())
}

/// The start of the line that says an older verifier made the verdicts
/// of the store at `db`.
fn stale_line(db: &std::path::Path, old: u64) -> String {
    format!(
        "stemma: {}: its comparisons were made by verifier version {old} (this build has {})",
        db.display(),
        stemma_pipeline::VERIFIER_VERSION
    )
}

/// Says on stderr when other resources (thesaurus, embedder) than `who`
/// has made the verdicts of the store at `db`.
fn note_other_resources(
    store: &dyn stemma_store::Store,
    db: &std::path::Path,
    cfg: &stemma_pipeline::Config,
    who: &str,
) -> Result<()> {
    if let Some(other) = stemma_store::ingest::other_resources(store, cfg)? {
        eprintln!(
            "stemma: {}: its comparisons were made with {other}; {who} has {}, so new comparisons may read differently (STEMMA_THESAURUS, STEMMA_EMBED)",
            db.display(),
            cfg.align.resources()
        );
    }
    Ok(())
}

/// Narrows a report (`analyze`, `report`) to some sites or documents.
#[derive(Debug, Clone, Default, clap::Args)]
struct FocusArgs {
    /// Keep only what touches this site's documents (by URL host, or a
    /// host below it): its articles, their copies and their sources,
    /// independent reports beside them, and copies that cite the site
    /// when its original is not in the input. Repeatable.
    #[arg(long = "site", value_name = "SITE")]
    sites: Vec<String>,
    /// Keep only what touches this document (id). Repeatable.
    #[arg(long = "document", value_name = "ID")]
    documents: Vec<String>,
}

impl From<FocusArgs> for stemma_pipeline::Focus {
    fn from(a: FocusArgs) -> Self {
        stemma_pipeline::Focus {
            sites: a.sites,
            documents: a.documents,
        }
    }
}

/// `report` narrowed to `focus`, saying on stderr when that leaves nothing.
fn narrow(report: Report, focus: FocusArgs) -> Report {
    let focus: stemma_pipeline::Focus = focus.into();
    let out = stemma_pipeline::narrow(report, &focus);
    if !focus.is_empty() && out.documents.is_empty() {
        eprintln!(
            "stemma: no document matches --site {:?} --document {:?} (sites are read from the documents' URLs)",
            focus.sites, focus.documents
        );
    }
    out
}

/// Prints a report as a table or as the contract's JSON object.
fn print_report(report: Report, format: Format) -> Result<()> {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Human => table::print_report(&report),
    }
    Ok(())
}

/// A progress spinner on stderr, hidden when asked or when stderr is not a
/// terminal.
fn progress(quiet: bool, template: &str) -> Result<indicatif::ProgressBar> {
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return Ok(indicatif::ProgressBar::hidden());
    }
    let b = indicatif::ProgressBar::new_spinner();
    b.set_style(indicatif::ProgressStyle::with_template(template).context("progress template")?);
    Ok(b)
}

/// Reads the first document of a file, or fails naming the file.
fn read_one(path: &std::path::Path) -> Result<RawDoc> {
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
    let bar = progress(quiet, "{spinner} {pos} documents read {msg}")?;
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
