//! `gongkai ingest`: walk files and folders, parse in parallel, index in
//! batches with periodic commits; idempotent and restartable.

pub use super::manifest::{resolve_region, Manifest, Override};
use crate::index::{content_id, Index, IndexDoc, IndexError};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// What an ingest run tells its caller as it goes (the library prints nothing;
/// the CLI draws a bar or writes log lines from these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Sent once before any file is parsed: what there is to do.
    Total { files: u64, bytes: u64 },
    /// Sent after each batch: what is done so far.
    Done {
        files: u64,
        bytes: u64,
        added: u64,
        failed: u64,
    },
    /// Every file is indexed; the final commit and merge begin.
    Committing,
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
    /// Longest one file may take to read and parse; past it the file is listed
    /// as failed and the batch goes on.
    pub file_budget: Duration,
    /// Largest file read; larger ones are listed as failed without being read.
    pub max_file_bytes: u64,
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
            file_budget: Duration::from_secs(10),
            max_file_bytes: crate::parse::read::MAX_FILE_BYTES,
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
    /// Paths met in folders and not read, with the reason (not a regular
    /// file, a symbolic link loop, unreadable folder).
    pub skipped: Vec<(PathBuf, String)>,
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
    /// The copy pass after the last commit ([`super::copies`]).
    pub copies: super::copies::CopyStats,
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

/// Streams the files under `paths` (sorted within each folder), following
/// symbolic links; what a folder holds that cannot be read as a report file
/// (a FIFO, a link loop, an unreadable folder) comes as `Err((path, reason))`.
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Result<PathBuf, (PathBuf, String)>> + '_ {
    paths.iter().flat_map(|p| {
        let it: Box<dyn Iterator<Item = _>> = if p.is_dir() {
            Box::new(
                walkdir::WalkDir::new(p)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(|e| match e {
                        Ok(e) if e.file_type().is_dir() || !is_report_file(e.path()) => None,
                        Ok(e) if e.file_type().is_file() => Some(Ok(e.into_path())),
                        Ok(e) => {
                            let kind = crate::parse::read::file_kind(&e.file_type());
                            Some(Err((e.into_path(), format!("not a regular file ({kind})"))))
                        }
                        Err(e) => {
                            let path = e.path().unwrap_or(p).to_path_buf();
                            let why = match e.loop_ancestor() {
                                Some(a) => format!("symbolic link loop back to {}", a.display()),
                                None => e
                                    .io_error()
                                    .map_or_else(|| e.to_string(), |io| io.to_string()),
                            };
                            Some(Err((path, why)))
                        }
                    }),
            )
        } else {
            Box::new(std::iter::once(Ok(p.clone())))
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

/// An error's message without the leading path (the list of failures shows it).
fn without_path(e: &crate::Error, path: &Path) -> String {
    let msg = e.to_string();
    let prefix = format!("{}: ", path.display());
    msg.strip_prefix(&prefix).unwrap_or(&msg).to_string()
}

fn process(
    index: &Index,
    manifest: Option<&Manifest>,
    path: PathBuf,
    opts: &IngestOptions,
) -> Parsed {
    let t0 = thread_cpu_secs();
    let mut out = Parsed {
        path,
        bytes: 0,
        outcome: Outcome::Unchanged,
        parse: 0.0,
        build: 0.0,
    };
    let limits = crate::parse::read::Limits {
        max_bytes: opts.max_file_bytes,
        ..crate::parse::read::Limits::with_budget(opts.file_budget)
    };
    let raw = match crate::parse::read::read_bytes(&out.path, &limits) {
        Ok(b) => b,
        Err(e) => {
            out.outcome = Outcome::Failed(without_path(&e, &out.path));
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
    let sha = blake3::hash(&raw).to_hex().to_string();
    let mut h = blake3::Hasher::new();
    h.update(&raw);
    h.update(path_key.as_bytes());
    if let Some(o) = ov {
        h.update(o.fingerprint().as_bytes());
    }
    let src = h.finalize().to_hex()[..24].to_string();
    if index.has_term(index.fields.src, &src) {
        return out;
    }
    let report = crate::parse::parse_bytes_within(&raw, &out.path, &limits);
    drop(raw);
    out.parse = thread_cpu_secs() - t0;
    let mut report = match report {
        Ok(r) => r,
        Err(e) => {
            out.outcome = Outcome::Failed(without_path(&e, &out.path));
            return out;
        }
    };
    if let Some(o) = ov {
        o.apply(&mut report);
    }
    crate::model::derived::derive(&mut report);
    let t1 = thread_cpu_secs();
    let id = content_id(&report);
    let d = IndexDoc {
        id: id.clone(),
        src,
        path: out.path.to_string_lossy().into_owned(),
        path_key: path_key.clone(),
        url: ov.and_then(|o| o.url.clone()),
        bytes: out.bytes,
        sha,
        report,
        copies: Default::default(),
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

/// Adds a parsed report, replacing an earlier version from the same path; a
/// report whose content is indexed from another path is a duplicate. Returns
/// whether the document was added.
fn add(
    index: &Index,
    writer: &mut tantivy::IndexWriter,
    doc: TantivyDocument,
    id: &str,
    path_key: &str,
    st: &mut IngestStats,
) -> Result<bool, IndexError> {
    let f = &index.fields;
    let searcher = index.searcher();
    let id_term = Term::from_field_text(f.id, id);
    let path_term = Term::from_field_text(f.path_key, path_key);
    if searcher.doc_freq(&id_term).unwrap_or(0) > 0 {
        // Same content already indexed: from this path (new manifest values)
        // → replace; from another → duplicate.
        let term = |t: &Term| -> (Occur, Box<dyn tantivy::query::Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)),
            )
        };
        let q = BooleanQuery::new(vec![term(&id_term), term(&path_term)]);
        if searcher.search(&q, &Count).unwrap_or(0) == 0 {
            st.duplicates += 1;
            return Ok(false);
        }
        writer.delete_term(id_term);
        st.replaced += 1;
    } else if searcher.doc_freq(&path_term).unwrap_or(0) > 0 {
        st.replaced += 1;
    }
    writer.delete_term(path_term);
    writer.add_document(doc).map_err(|e| index.terr(e))?;
    st.added += 1;
    Ok(true)
}

/// Ingests files and folders into `index`. Files that fail are listed in the
/// stats; an error is returned only when the index itself fails. Then the
/// files of segments this run wrote but never committed are removed (on a
/// full disk they would keep it full), and a full disk is said to be one.
pub fn ingest(
    index: &Index,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestStats, IndexError> {
    run(index, paths, opts, None).map_err(|e| after_failure(index, e))
}

/// After a failed run: removes the files of segments it wrote but never
/// committed, and names a full disk as such.
fn after_failure(index: &Index, e: IndexError) -> IndexError {
    // Measured before the clean-up frees space.
    let no_space = is_no_space(&e) || free_bytes(index.dir()).is_some_and(|b| b < 1 << 20);
    // A new writer's garbage collection deletes every file the last commit does not name.
    if let Ok(w) = index.writer(WRITER_MIN_HEAP, 1) {
        let _ = w.garbage_collect_files().wait();
        // On a full disk tantivy may not have recorded a segment's files as its
        // own, and then its collection leaves them: sweep those too, while the
        // writer's lock keeps every other writer out.
        remove_unnamed_segment_files(index);
        drop(w);
    }
    if no_space {
        IndexError::NoSpace {
            dir: index.dir().to_path_buf(),
        }
    } else {
        e
    }
}

/// Removes the files of segments that the last commit does not name
/// ("<segment id>.store", ".idx", …): only files named like a segment's, never
/// meta.json, the lock files or anything else in the folder.
fn remove_unnamed_segment_files(index: &Index) {
    let Ok(meta) = index.index.load_metas() else {
        return;
    };
    let named: HashSet<std::path::PathBuf> =
        meta.segments.iter().flat_map(|s| s.list_files()).collect();
    let Ok(entries) = std::fs::read_dir(index.dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(n) = name.to_str() else { continue };
        let Some((id, ext)) = n.split_once('.') else {
            continue;
        };
        let segment_id = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
        let component = matches!(
            ext,
            "idx" | "pos" | "term" | "store" | "store.temp" | "fast" | "fieldnorm"
        ) || ext
            .strip_suffix(".del")
            .is_some_and(|op| !op.is_empty() && op.bytes().all(|b| b.is_ascii_digit()));
        if segment_id && component && !named.contains(std::path::Path::new(n)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The smallest heap tantivy accepts for one indexing thread.
const WRITER_MIN_HEAP: usize = 15_000_000;

/// True when an I/O error in `e`'s chain is "no space left on device".
fn is_no_space(e: &IndexError) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    if let IndexError::Tantivy { reason, .. } = e {
        cur = Some(reason);
    }
    while let Some(c) = cur {
        let io = c.downcast_ref::<std::io::Error>().or_else(|| {
            match c.downcast_ref::<tantivy::TantivyError>() {
                Some(tantivy::TantivyError::IoError(io)) => Some(&**io),
                _ => None,
            }
        });
        if io.is_some_and(|io| {
            io.raw_os_error() == Some(libc::ENOSPC) || io.kind() == std::io::ErrorKind::StorageFull
        }) {
            return true;
        }
        cur = c.source();
    }
    false
}

/// Bytes available to us on the filesystem holding `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs fills the struct we own from a NUL-terminated path.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    (unsafe { libc::statvfs(c.as_ptr(), &mut st) } == 0)
        .then(|| st.f_bavail as u64 * st.f_frsize as u64)
}

/// A writer, waiting up to 3 s for another writer on the index to let go (the
/// clean-up writer of a failed run may still be closing); past that, LockBusy.
fn writer_when_free(
    index: &Index,
    opts: &IngestOptions,
) -> Result<tantivy::IndexWriter, IndexError> {
    let until = Instant::now() + Duration::from_secs(3);
    loop {
        match index.writer(opts.heap_bytes, opts.threads.max(1)) {
            Err(IndexError::Tantivy {
                reason: tantivy::TantivyError::LockFailure(..),
                ..
            }) if Instant::now() < until => std::thread::sleep(Duration::from_millis(100)),
            other => return other,
        }
    }
}

/// Like [`ingest`], telling `progress` what there is to do (the files are
/// counted first, from metadata alone) and how far it got after each batch.
pub fn ingest_with_progress(
    index: &Index,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestStats, IndexError> {
    run(index, paths, opts, Some(progress)).map_err(|e| after_failure(index, e))
}

fn run(
    index: &Index,
    paths: &[PathBuf],
    opts: &IngestOptions,
    mut progress: Option<&mut dyn FnMut(Progress)>,
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
    if let Some(p) = progress.as_mut() {
        // Count first (metadata only) so that a bar has a length.
        let (files, bytes) = walk(paths).flatten().fold((0u64, 0u64), |(n, b), p| {
            (n + 1, b + p.metadata().map(|m| m.len()).unwrap_or(0))
        });
        p(Progress::Total { files, bytes });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| IndexError::Other {
            dir: index.dir().to_path_buf(),
            msg: e.to_string(),
        })?;
    let segments_before: HashSet<tantivy::index::SegmentId> =
        index.segment_ids()?.into_iter().collect();
    let mut writer = writer_when_free(index, opts)?;
    // No merges while ingesting: the log merge policy would rewrite every
    // document several times; the single merge at the end writes it once.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut st = IngestStats::default();
    let job = Job {
        index,
        manifest: manifest.as_ref(),
        opts,
        pool: &pool,
    };
    job.add_all(paths, &mut writer, &mut st, &mut progress)?;
    if let Some(p) = progress.as_mut() {
        p(Progress::Committing);
    }
    let t = Instant::now();
    let cpu = process_cpu_secs();
    st.index_cpu_secs = (cpu - cpu_start - st.parse_cpu_secs - st.build_cpu_secs).max(0.0);
    writer.commit().map_err(|e| index.terr(e))?;
    st.commits += 1;
    writer.wait_merging_threads().map_err(|e| index.terr(e))?;
    index.reload()?;
    st.copies = pool.install(|| super::copies::run(index, opts.heap_bytes))?;
    merge_new(index, &segments_before, opts.heap_bytes)?;
    st.commit_wall_secs = t.elapsed().as_secs_f64();
    st.commit_cpu_secs = process_cpu_secs() - cpu;
    st.total_secs = start.elapsed().as_secs_f64();
    Ok(st)
}

/// The segments written since `before` become one; the whole index becomes
/// one only when segments pile up, so that a small ingest into a large index
/// does not rewrite all of it.
fn merge_new(
    index: &Index,
    before: &HashSet<tantivy::index::SegmentId>,
    heap_bytes: usize,
) -> Result<(), IndexError> {
    let new: Vec<_> = index
        .segment_ids()?
        .into_iter()
        .filter(|s| !before.contains(s))
        .collect();
    index.merge(&new, heap_bytes)?;
    if index.segment_ids()?.len() > MAX_SEGMENTS {
        index.compact(heap_bytes)?;
    }
    Ok(())
}

/// What every batch of a run shares.
struct Job<'a> {
    index: &'a Index,
    manifest: Option<&'a Manifest>,
    opts: &'a IngestOptions,
    pool: &'a rayon::ThreadPool,
}

impl Job<'_> {
    /// Parses the files in batches and adds them, committing now and then.
    fn add_all(
        &self,
        paths: &[PathBuf],
        writer: &mut tantivy::IndexWriter,
        st: &mut IngestStats,
        progress: &mut Option<&mut dyn FnMut(Progress)>,
    ) -> Result<(), IndexError> {
        let (index, opts) = (self.index, self.opts);
        let mut seen: HashSet<String> = HashSet::new();
        let mut since_commit = 0usize;
        let mut last_commit = Instant::now();
        let mut files = walk(paths);
        loop {
            let mut batch: Vec<PathBuf> = Vec::new();
            let mut ended = true;
            for f in files.by_ref() {
                match f {
                    Ok(p) => batch.push(p),
                    Err(skip) => st.skipped.push(skip),
                }
                if batch.len() >= opts.batch.max(1) {
                    ended = false;
                    break;
                }
            }
            if batch.is_empty() && ended {
                return Ok(());
            }
            let parsed: Vec<Parsed> = self.pool.install(|| {
                batch
                    .into_par_iter()
                    .map(|p| process(index, self.manifest, p, opts))
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
                        } else if add(index, writer, *doc, &id, &path_key, st)? {
                            since_commit += 1;
                        }
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
            if let Some(p) = progress.as_mut() {
                p(Progress::Done {
                    files: st.files,
                    bytes: st.bytes,
                    added: st.added,
                    failed: st.failed.len() as u64,
                });
            }
        }
    }
}
