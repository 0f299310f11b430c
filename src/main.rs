use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use gongkai::index::ingest::{IngestOptions, IngestStats, Progress};
use gongkai::index::Index;
use gongkai::search::{SearchError, SearchRequest};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod bench;
mod output;

use output::{print_text, report_ingest};

/// Ingest allocates many small strings per report (tokens, lines, cells) from
/// several threads; glibc's allocator spent about a tenth of ingest time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Search engine for Chinese government information disclosure annual reports"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Args, Clone)]
struct IndexArg {
    /// Index directory.
    #[arg(long, env = "GONGKAI_INDEX", default_value = gongkai::index::DEFAULT_DIR)]
    index: PathBuf,
}

#[derive(Subcommand)]
enum Cmd {
    /// Parse one report and show what was understood.
    Check {
        file: PathBuf,
        /// Print one JSON object (the golden checker's format).
        #[arg(long)]
        json: bool,
        /// Also show which heading anchored each section, which heading-like lines
        /// were passed over and why, the table rows read, and the text removed.
        #[arg(long)]
        explain: bool,
        /// Print the text as read from the file (a PDF's laid-out lines, table
        /// rows of HTML and Word files as cells joined by " | ") and stop.
        #[arg(long, conflicts_with_all = ["json", "explain"])]
        text: bool,
    },
    /// Serve the web page and the HTTP API (builds a demo index first when the index is empty).
    Serve {
        #[command(flatten)]
        index: IndexArg,
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Synthetic reports in the demo index built when the index is empty.
        #[arg(long, default_value_t = 3000)]
        demo_count: u64,
        /// Longest a search may run (milliseconds) before it is cut off.
        #[arg(long, default_value_t = 5000)]
        timeout_ms: u64,
    },
    /// Generate a synthetic corpus of reports with golden expectations.
    Gen {
        /// Number of reports.
        #[arg(long)]
        count: u64,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Seed: report i of a seed is the same whatever the count.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Shapes real reports come in (one-line, md-table, dot-heads, …): `all`,
        /// `none`, or names separated by commas (`all,-one-line` leaves one out).
        #[arg(long, default_value = "all")]
        shapes: gongkai::synth::Shapes,
        /// Write into a directory that already holds files (overwriting them).
        #[arg(long)]
        force: bool,
        /// Plant what the cross-report features must find: bodies over several
        /// years (some renamed), copied problems sections, late reports, zero requests.
        #[arg(long)]
        plants: bool,
    },
    /// Parse files and folders (.html .htm .txt .md .pdf .docx; .doc and .wps are listed as needing conversion) and add them to the index.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// CSV whose values (title, issuer, region, year, published, url) override the parser's.
        #[arg(long)]
        manifest: Option<PathBuf>,
        #[command(flatten)]
        index: IndexArg,
        /// Commit after this many new documents.
        #[arg(long, default_value_t = 5000)]
        commit_docs: usize,
        /// Commit at least this often (seconds).
        #[arg(long, default_value_t = 20)]
        commit_secs: u64,
        /// Parser and indexer threads.
        #[arg(long, default_value_t = default_threads())]
        threads: usize,
        /// No progress output.
        #[arg(long, short)]
        quiet: bool,
        /// Longest one file may take to parse (seconds); slower files are listed as failed.
        #[arg(long, default_value_t = 10.0)]
        file_secs: f64,
    },
    /// Compute copied text (copied.* figures) over the whole index again; ingest
    /// does this after its last commit.
    Copies {
        #[command(flatten)]
        index: IndexArg,
    },
    /// Search the index.
    Search {
        /// Words, "exact phrases", OR, -exclusion, section:key, key:word.
        #[arg(default_value = "", allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        index: IndexArg,
        /// Year or range: 2021, 2019..2023, 2019.., ..2020.
        #[arg(long)]
        year: Option<String>,
        /// Region name, path (河北省/秦皇岛市) or code.
        #[arg(long)]
        region: Option<String>,
        /// Part of the issuer's name.
        #[arg(long)]
        issuer: Option<String>,
        /// province, prefecture, county, department.
        #[arg(long)]
        level: Option<String>,
        /// 2021, 2019, narrative.
        #[arg(long)]
        template: Option<String>,
        /// Condition on a figure (repeatable, ANDed): 'requests.new.total >= 100', 'checks.failed'.
        #[arg(long = "where", allow_hyphen_values = true)]
        where_: Vec<String>,
        /// Scope every unscoped term to this section.
        #[arg(long)]
        section: Option<String>,
        /// relevance, year, or a figure key; prefix - for descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        /// Descending sort.
        #[arg(long)]
        desc: bool,
        /// Hits to show (0: every hit).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Entries per facet (0: all).
        #[arg(long, default_value_t = 30)]
        facet_limit: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Ingest a corpus into a fresh index and time a fixed mix of queries.
    Bench {
        corpus: PathBuf,
        /// Index directory to create (must not exist; default: a temporary one).
        #[arg(long)]
        index: Option<PathBuf>,
        /// Write the results as JSON here too.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Repetitions of each query kind.
        #[arg(long, default_value_t = 100)]
        reps: usize,
        #[arg(long, default_value_t = default_threads())]
        threads: usize,
    },
}

fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A reader that stopped early (`| head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            if let Some(SearchError::Query(q)) = e.downcast_ref::<SearchError>() {
                eprintln!("gongkai: bad query: {q}");
                return ExitCode::from(2);
            }
            eprintln!("gongkai: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Bad command-line input: one line saying what is wrong (clap's first line),
/// not the usage text; `--help` and `--version` print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("bad arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("gongkai: {first} (see gongkai --help)");
    ExitCode::from(2)
}

/// True when `dir` is a directory with at least one entry.
fn is_non_empty_dir(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// `gongkai check`: one file's report, as text or JSON, with `--explain` the
/// anchors behind it, with `--text` only the lines as read.
fn check(file: &std::path::Path, json: bool, explain: bool, text: bool) -> Result<ExitCode> {
    if text {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for line in gongkai::parse::read::read_file(file)?.lines {
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (report, why) = gongkai::parse::parse_file_explained(file)?;
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = report.to_json();
        if explain {
            v["explain"] = serde_json::to_value(&why)?;
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        write!(out, "{}", gongkai::model::report::summary(&report))?;
        if explain {
            write!(out, "{why}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `gongkai gen`: a synthetic corpus with its ground truth.
fn gen(
    count: u64,
    out: &std::path::Path,
    seed: u64,
    (shapes, plants): (gongkai::synth::Shapes, bool),
    force: bool,
) -> Result<ExitCode> {
    if !force && is_non_empty_dir(out) {
        anyhow::bail!(
            "{} already holds files; give an empty or new directory, or --force to overwrite",
            out.display()
        );
    }
    let t = std::time::Instant::now();
    let n = gongkai::synth::generate_planted(count, out, seed, shapes, plants)?;
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "gen: {n} reports in {secs:.2}s ({:.0} reports/s) into {}",
        n as f64 / secs.max(1e-9),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Cmd::Check {
            file,
            json,
            explain,
            text,
        } => check(&file, json, explain, text),
        Cmd::Serve {
            index,
            addr,
            demo_count,
            timeout_ms,
        } => serve(&index.index, addr, demo_count, timeout_ms),
        Cmd::Gen {
            count,
            out,
            seed,
            shapes,
            force,
            plants,
        } => gen(count, &out, seed, (shapes, plants), force),
        Cmd::Copies { index } => {
            let idx = Index::open(&index.index)?;
            let st = gongkai::index::copies::run(&idx, 200_000_000)?;
            println!(
                "{} reports, {} rewritten, boilerplate {}+{} shingles, {:.2}s",
                st.reports, st.rewritten, st.boilerplate.0, st.boilerplate.1, st.secs
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Ingest {
            paths,
            manifest,
            index,
            commit_docs,
            commit_secs,
            threads,
            quiet,
            file_secs,
        } => {
            let idx = Index::open_or_create(&index.index)?;
            let opts = IngestOptions {
                manifest,
                commit_docs,
                commit_every: std::time::Duration::from_secs(commit_secs),
                threads,
                file_budget: std::time::Duration::try_from_secs_f64(file_secs)
                    .context("--file-secs")?,
                ..Default::default()
            };
            let st = if quiet {
                gongkai::index::ingest::ingest(&idx, &paths, &opts)?
            } else {
                ingest_showing_progress(&idx, &paths, &opts)?
            };
            Ok(report_ingest(&st, idx.num_docs()))
        }
        Cmd::Search {
            query,
            index,
            year,
            region,
            issuer,
            level,
            template,
            where_,
            section,
            sort,
            desc,
            limit,
            offset,
            facet_limit,
            json,
        } => {
            let req = SearchRequest {
                q: query,
                year,
                region,
                issuer,
                level,
                template,
                where_,
                section,
                sort,
                desc,
                limit,
                offset,
                snippets: true,
                facet_limit,
                ..SearchRequest::default()
            };
            // Check the request before touching the index, so bad input is exit 2 even without one.
            gongkai::search::validate(&req).map_err(SearchError::Query)?;
            let idx = Index::open(&index.index)?;
            let resp = gongkai::search::search(&idx, &req)?;
            let mut out = std::io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string(&resp)?)?;
            } else {
                print_text(&mut out, &resp)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench {
            corpus,
            index,
            json,
            reps,
            threads,
        } => {
            bench::run(&corpus, index, json, reps, threads).context("bench")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `gongkai serve`: opens (or builds a demo) index and serves until Ctrl-C.
fn serve(
    dir: &std::path::Path,
    addr: std::net::SocketAddr,
    demo_count: u64,
    timeout_ms: u64,
) -> Result<ExitCode> {
    let demo = ensure_index(dir, demo_count)?;
    let idx = Index::open(dir).with_context(|| format!("opening index {}", dir.display()))?;
    // Warm the per-segment caches so that the first visitor does not pay for them.
    let _ = gongkai::search::matching(&idx, &SearchRequest::new(""));
    let state = gongkai::server::AppState {
        index: std::sync::Arc::new(idx),
        demo,
        timeout: std::time::Duration::from_millis(timeout_ms),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        eprintln!(
            "gongkai: serving {} reports on http://{}",
            state.index.num_docs(),
            listener.local_addr()?
        );
        gongkai::server::serve(state, listener).await
    })
    .with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Marker file of an index that holds synthetic demo data.
const DEMO_MARKER: &str = "DEMO";

/// Makes sure `dir` holds an index: when it has no reports, generates a synthetic
/// demo corpus beside it and ingests it. Returns whether the index is demo data.
/// Safe to interrupt: a rerun regenerates the same corpus and completes the ingest.
fn ensure_index(dir: &std::path::Path, demo_count: u64) -> Result<bool> {
    let marker = dir.join(DEMO_MARKER);
    let corpus = dir.join("demo-corpus");
    if !dir.join("meta.json").exists() && is_non_empty_dir(dir) {
        anyhow::bail!(
            "{} is not an index and is not empty: refusing to write an index and a demo corpus into it (give an index, an empty or a new directory)",
            dir.display()
        );
    }
    let has_docs = Index::open(dir).map(|i| i.num_docs() > 0).unwrap_or(false);
    if has_docs && (marker.exists() || !corpus.exists()) {
        return Ok(marker.exists());
    }
    eprintln!(
        "gongkai: no index in {}; building a demo index of {demo_count} synthetic reports (clearly labelled as such)",
        dir.display()
    );
    std::fs::create_dir_all(dir)?;
    gongkai::synth::generate(demo_count, &corpus, 2026, gongkai::synth::Shapes::NONE)?;
    let idx = Index::open_or_create(dir)?;
    let opts = IngestOptions {
        threads: default_threads(),
        ..Default::default()
    };
    let st = ingest_showing_progress(&idx, &[corpus], &opts)?;
    if !st.failed.is_empty() {
        eprintln!("gongkai: {} demo files failed to parse", st.failed.len());
    }
    std::fs::write(&marker, "synthetic demo data generated by `gongkai gen`\n")?;
    Ok(true)
}

/// Ingests, drawing progress on stderr: a bar on a terminal, a line every
/// five seconds otherwise (logs).
pub(crate) fn ingest_showing_progress(
    idx: &Index,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestStats, gongkai::index::IndexError> {
    let started = std::time::Instant::now();
    let mut last_log = started;
    let mut total = (0u64, 0u64);
    let bar = std::io::stderr().is_terminal().then(|| {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
            )
            .expect("template")
            .progress_chars("=> "),
        )
    });
    let st = gongkai::index::ingest::ingest_with_progress(idx, paths, opts, &mut |p| match p {
        Progress::Total { files, bytes } => {
            total = (files, bytes);
            if let Some(b) = &bar {
                b.set_length(bytes);
            }
        }
        Progress::Done {
            files,
            bytes,
            added,
            failed,
        } => {
            if let Some(b) = &bar {
                b.set_position(bytes);
                b.set_message(format!(
                    "{files}/{} files, {added} added, {failed} failed",
                    total.0
                ));
            } else if last_log.elapsed() >= std::time::Duration::from_secs(5) {
                last_log = std::time::Instant::now();
                let rate = bytes as f64 / started.elapsed().as_secs_f64().max(1e-9);
                let eta = if rate > 0.0 {
                    total.1.saturating_sub(bytes) as f64 / rate
                } else {
                    0.0
                };
                eprintln!(
                    "ingest: {files}/{} files, {:.1}/{:.1} MB, {:.1} MB/s, ETA {eta:.0}s, {added} added, {failed} failed",
                    total.0,
                    bytes as f64 / 1e6,
                    total.1 as f64 / 1e6,
                    rate / 1e6,
                );
            }
        }
        Progress::Committing => {}
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    st
}
