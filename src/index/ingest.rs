//! `gongkai ingest`: walk files and folders, parse in parallel, index in
//! batches with periodic commits; idempotent and restartable.

use crate::gazetteer::{self, Region};
use crate::index::{content_id, Index, IndexDoc, IndexError};
use crate::model::report::Report;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A bar on a terminal, log lines otherwise.
    Auto,
    Bar,
    Log,
    Quiet,
}

/// Options of an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub manifest: Option<PathBuf>,
    /// Files parsed together (memory holds about one batch of documents).
    pub batch: usize,
    /// Commit after this many added documents…
    pub commit_docs: usize,
    /// …or this much time, whichever comes first.
    pub commit_every: Duration,
    /// Writer memory budget (bytes).
    pub heap_bytes: usize,
    pub threads: usize,
    pub progress: Progress,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            manifest: None,
            batch: 64,
            commit_docs: 5000,
            commit_every: Duration::from_secs(20),
            heap_bytes: 200_000_000,
            threads: 2,
            progress: Progress::Auto,
        }
    }
}

/// Segments an index may keep after an ingest before they are merged into one.
const MAX_SEGMENTS: usize = 4;

/// CPU seconds used by the calling thread so far.
pub fn thread_cpu_secs() -> f64 {
    cpu_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU seconds used by the whole process so far (all threads).
pub fn process_cpu_secs() -> f64 {
    cpu_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu_clock(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; both clocks exist on Linux.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestStats {
    pub files: u64,
    pub bytes: u64,
    pub added: u64,
    /// Files whose earlier version was replaced.
    pub replaced: u64,
    /// Files already indexed unchanged.
    pub unchanged: u64,
    /// Files whose content is already indexed under another path.
    pub duplicates: u64,
    pub failed: Vec<(PathBuf, String)>,
    /// CPU seconds reading and parsing files (summed over threads).
    pub parse_cpu_secs: f64,
    /// CPU seconds turning reports into index documents (summed over threads).
    pub build_cpu_secs: f64,
    /// CPU seconds of everything else until the last document is handed over:
    /// tantivy's indexing threads (jieba and n-gram tokenisation, postings,
    /// stored fields) and the periodic commits.
    pub index_cpu_secs: f64,
    /// CPU seconds of the final commit and the merge into one segment.
    pub commit_cpu_secs: f64,
    /// Wall seconds of the final commit and merge.
    pub commit_wall_secs: f64,
    pub commits: u64,
    pub total_secs: f64,
}

/// Values of a manifest row that override what the parser found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Override {
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<Region>,
    pub year: Option<i32>,
    pub published: Option<String>,
    pub url: Option<String>,
}

impl Override {
    fn fingerprint(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.title,
            self.issuer,
            self.region.as_ref().map(|r| &r.code),
            self.year,
            self.published,
            self.url
        )
    }

    /// Applies the overrides to a parsed report.
    pub fn apply(&self, r: &mut Report) {
        if let Some(t) = &self.title {
            r.title = t.clone();
            r.title_composed = false;
        }
        if let Some(y) = self.year {
            r.year = Some(y);
        }
        if let Some(i) = &self.issuer {
            r.issuer = Some(i.clone());
        }
        if let Some(reg) = &self.region {
            r.region = Some(reg.clone());
        }
        if let Some(p) = &self.published {
            r.published = Some(p.clone());
        }
        if self.issuer.is_some() || self.region.is_some() {
            if let Some(i) = &r.issuer {
                r.level = Some(crate::model::report::issuer_level(i, r.region.as_ref()));
            }
        }
    }
}

/// A manifest: overrides keyed by file.
#[derive(Debug, Default)]
pub struct Manifest {
    by_key: HashMap<String, Override>,
}

/// Resolves a region given as a code, a path (河北省/秦皇岛市) or a name.
pub fn resolve_region(s: &str, year: Option<i32>) -> Option<Region> {
    let s = crate::parse::normalize::fold(s);
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return gazetteer::by_code(s, year).or_else(|| gazetteer::by_code(s, None));
    }
    if let Some(r) = gazetteer::by_path(s, year) {
        return Some(r);
    }
    let names = gazetteer::by_name(s, year);
    if names.len() == 1 {
        return names.into_iter().next();
    }
    gazetteer::resolve(s, year)
}

impl Manifest {
    /// Reads a manifest CSV (header row; a `path` or `url` column, and any of
    /// title, issuer, region, year, published, url).
    pub fn load(file: &Path) -> Result<Manifest, String> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(file)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| format!("{}: {e}", file.display()))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (c_path, c_url) = (col("path"), col("url"));
        if c_path.is_none() && c_url.is_none() {
            return Err(format!(
                "{}: the header needs a `path` or `url` column",
                file.display()
            ));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        let mut by_key = HashMap::new();
        for (n, rec) in rdr.records().enumerate() {
            let line = n + 2;
            let rec = rec.map_err(|e| format!("{}:{line}: {e}", file.display()))?;
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            let year = match get(col("year")) {
                Some(y) => Some(y.parse::<i32>().map_err(|_| {
                    format!("{}:{line}: year `{y}` is not a number", file.display())
                })?),
                None => None,
            };
            let region =
                match get(col("region")) {
                    Some(s) => Some(resolve_region(&s, year).ok_or_else(|| {
                        format!("{}:{line}: unknown region `{s}`", file.display())
                    })?),
                    None => None,
                };
            let o = Override {
                title: get(col("title")),
                issuer: get(col("issuer")),
                region,
                year,
                published: get(col("published")),
                url: get(c_url),
            };
            if let Some(p) = get(c_path) {
                let full = base.join(&p);
                if let Ok(c) = full.canonicalize() {
                    by_key.insert(c.to_string_lossy().into_owned(), o.clone());
                }
                if let Some(name) = Path::new(&p).file_name() {
                    by_key
                        .entry(format!("name:{}", name.to_string_lossy()))
                        .or_insert_with(|| o.clone());
                }
                by_key.insert(p, o);
            } else if let Some(u) = get(c_url) {
                let last = u
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                if !last.is_empty() {
                    by_key.insert(format!("name:{last}"), o.clone());
                }
                by_key.insert(u, o);
            }
        }
        Ok(Manifest { by_key })
    }

    /// The overrides for a file: by canonical path, by the path as given, or by file name.
    pub fn lookup(&self, given: &Path, canonical: &str) -> Option<&Override> {
        self.by_key
            .get(canonical)
            .or_else(|| self.by_key.get(&*given.to_string_lossy()))
            .or_else(|| {
                given
                    .file_name()
                    .and_then(|n| self.by_key.get(&format!("name:{}", n.to_string_lossy())))
            })
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// True for files ingest takes from a folder.
pub fn is_report_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".expected.json") {
        return false;
    }
    matches!(
        p.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .as_deref(),
        Some("html" | "htm" | "txt" | "md" | "pdf" | "docx" | "doc" | "wps")
    )
}

/// Streams the files under `paths` (sorted within each folder).
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = PathBuf> + '_ {
    paths.iter().flat_map(|p| {
        let it: Box<dyn Iterator<Item = PathBuf>> = if p.is_dir() {
            Box::new(
                walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file() && is_report_file(e.path()))
                    .map(|e| e.into_path()),
            )
        } else {
            Box::new(std::iter::once(p.clone()))
        };
        it
    })
}

enum Outcome {
    Unchanged,
    Failed(String),
    Parsed {
        doc: Box<TantivyDocument>,
        id: String,
        path_key: String,
    },
}

struct Parsed {
    path: PathBuf,
    bytes: u64,
    outcome: Outcome,
    parse: f64,
    build: f64,
}

fn process(index: &Index, manifest: Option<&Manifest>, path: PathBuf) -> Parsed {
    let t0 = thread_cpu_secs();
    let mut out = Parsed {
        path,
        bytes: 0,
        outcome: Outcome::Unchanged,
        parse: 0.0,
        build: 0.0,
    };
    let raw = match std::fs::read(&out.path) {
        Ok(b) => b,
        Err(e) => {
            out.outcome = Outcome::Failed(format!("cannot read: {e}"));
            return out;
        }
    };
    out.bytes = raw.len() as u64;
    let path_key = out
        .path
        .canonicalize()
        .unwrap_or_else(|_| out.path.clone())
        .to_string_lossy()
        .into_owned();
    let ov = manifest.and_then(|m| m.lookup(&out.path, &path_key));
    let mut h = blake3::Hasher::new();
    h.update(&raw);
    h.update(path_key.as_bytes());
    if let Some(o) = ov {
        h.update(o.fingerprint().as_bytes());
    }
    let src = h.finalize().to_hex()[..24].to_string();
    drop(raw);
    if index.has_term(index.fields.src, &src) {
        return out;
    }
    let report = crate::parse_file(&out.path);
    out.parse = thread_cpu_secs() - t0;
    let mut report = match report {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string();
            let prefix = format!("{}: ", out.path.display());
            out.outcome = Outcome::Failed(msg.strip_prefix(&prefix).unwrap_or(&msg).to_string());
            return out;
        }
    };
    if let Some(o) = ov {
        o.apply(&mut report);
    }
    let t1 = thread_cpu_secs();
    let id = content_id(&report);
    let d = IndexDoc {
        id: id.clone(),
        src,
        path: out.path.to_string_lossy().into_owned(),
        path_key: path_key.clone(),
        url: ov.and_then(|o| o.url.clone()),
        bytes: out.bytes,
        report,
    };
    let doc = index.document(&d);
    out.build = thread_cpu_secs() - t1;
    out.outcome = Outcome::Parsed {
        doc: Box::new(doc),
        id,
        path_key,
    };
    out
}

/// Ingests files and folders into `index`. Files that fail are listed in the
/// stats; an error is returned only when the index itself fails.
pub fn ingest(
    index: &Index,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestStats, IndexError> {
    let start = Instant::now();
    let cpu_start = process_cpu_secs();
    crate::index::tokenizer::warm_up();
    let manifest = match &opts.manifest {
        Some(m) => Some(Manifest::load(m).map_err(|msg| IndexError::Other {
            dir: index.dir().to_path_buf(),
            msg,
        })?),
        None => None,
    };
    let mode = match opts.progress {
        Progress::Auto if std::io::stderr().is_terminal() => Progress::Bar,
        Progress::Auto => Progress::Log,
        p => p,
    };
    // Count first (metadata only) so the bar has a length.
    let (total_files, total_bytes) = if mode == Progress::Quiet {
        (0, 0)
    } else {
        walk(paths).fold((0u64, 0u64), |(n, b), p| {
            (n + 1, b + p.metadata().map(|m| m.len()).unwrap_or(0))
        })
    };
    let bar = if mode == Progress::Bar {
        let b = indicatif::ProgressBar::new(total_bytes);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
            )
            .expect("template")
            .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| IndexError::Other {
            dir: index.dir().to_path_buf(),
            msg: e.to_string(),
        })?;
    let segments_before: HashSet<tantivy::index::SegmentId> =
        index.segment_ids()?.into_iter().collect();
    let mut writer = index.writer(opts.heap_bytes, opts.threads.max(1))?;
    // No merges while ingesting: the log merge policy would rewrite every
    // document several times; the single merge at the end writes it once.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let f = index.fields.clone();
    let mut st = IngestStats::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut since_commit = 0usize;
    let mut last_commit = Instant::now();
    let mut last_log = Instant::now();
    let mut files = walk(paths);
    loop {
        let batch: Vec<PathBuf> = files.by_ref().take(opts.batch.max(1)).collect();
        if batch.is_empty() {
            break;
        }
        let parsed: Vec<Parsed> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|p| process(index, manifest.as_ref(), p))
                .collect()
        });
        for p in parsed {
            st.files += 1;
            st.bytes += p.bytes;
            st.parse_cpu_secs += p.parse;
            st.build_cpu_secs += p.build;
            match p.outcome {
                Outcome::Unchanged => st.unchanged += 1,
                Outcome::Failed(why) => st.failed.push((p.path, why)),
                Outcome::Parsed { doc, id, path_key } => {
                    if !seen.insert(id.clone()) {
                        st.duplicates += 1;
                        continue;
                    }
                    let searcher = index.searcher();
                    let id_term = Term::from_field_text(f.id, &id);
                    let path_term = Term::from_field_text(f.path_key, &path_key);
                    if searcher.doc_freq(&id_term).unwrap_or(0) > 0 {
                        // Same content already indexed: from this path (new
                        // manifest values) → replace; from another → duplicate.
                        let q = BooleanQuery::new(vec![
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(id_term.clone(), IndexRecordOption::Basic))
                                    as Box<dyn tantivy::query::Query>,
                            ),
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(
                                    path_term.clone(),
                                    IndexRecordOption::Basic,
                                )),
                            ),
                        ]);
                        if searcher.search(&q, &Count).unwrap_or(0) == 0 {
                            st.duplicates += 1;
                            continue;
                        }
                        writer.delete_term(id_term);
                        st.replaced += 1;
                    } else if searcher.doc_freq(&path_term).unwrap_or(0) > 0 {
                        st.replaced += 1;
                    }
                    writer.delete_term(path_term);
                    writer.add_document(*doc).map_err(|e| index.terr(e))?;
                    st.added += 1;
                    since_commit += 1;
                }
            }
        }
        if since_commit >= opts.commit_docs
            || (since_commit > 0 && last_commit.elapsed() >= opts.commit_every)
        {
            writer.commit().map_err(|e| index.terr(e))?;
            index.reload()?;
            st.commits += 1;
            since_commit = 0;
            last_commit = Instant::now();
        }
        match mode {
            Progress::Bar => {
                if let Some(b) = &bar {
                    b.set_position(st.bytes);
                    b.set_message(format!(
                        "{}/{} files, {} added, {} failed",
                        st.files,
                        total_files,
                        st.added,
                        st.failed.len()
                    ));
                }
            }
            Progress::Log if last_log.elapsed() >= Duration::from_secs(5) => {
                last_log = Instant::now();
                let secs = start.elapsed().as_secs_f64().max(1e-9);
                let rate = st.bytes as f64 / secs;
                let eta = if rate > 0.0 {
                    (total_bytes.saturating_sub(st.bytes)) as f64 / rate
                } else {
                    0.0
                };
                eprintln!(
                    "ingest: {}/{} files, {:.1}/{:.1} MB, {:.1} MB/s, ETA {:.0}s, {} added, {} failed",
                    st.files,
                    total_files,
                    st.bytes as f64 / 1e6,
                    total_bytes as f64 / 1e6,
                    rate / 1e6,
                    eta,
                    st.added,
                    st.failed.len()
                );
            }
            _ => {}
        }
    }
    let t = Instant::now();
    let cpu = process_cpu_secs();
    st.index_cpu_secs = (cpu - cpu_start - st.parse_cpu_secs - st.build_cpu_secs).max(0.0);
    writer.commit().map_err(|e| index.terr(e))?;
    st.commits += 1;
    writer.wait_merging_threads().map_err(|e| index.terr(e))?;
    index.reload()?;
    // The segments of this run become one; the whole index becomes one only
    // when segments pile up, so a small ingest into a large index does not
    // rewrite all of it.
    let now = index.segment_ids()?;
    let new: Vec<_> = now
        .iter()
        .filter(|s| !segments_before.contains(s))
        .cloned()
        .collect();
    index.merge(&new, opts.heap_bytes)?;
    if index.segment_ids()?.len() > MAX_SEGMENTS {
        index.compact(opts.heap_bytes)?;
    }
    st.commit_wall_secs = t.elapsed().as_secs_f64();
    st.commit_cpu_secs = process_cpu_secs() - cpu;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    st.total_secs = start.elapsed().as_secs_f64();
    Ok(st)
}
