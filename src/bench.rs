//! `gongkai bench`: ingest a corpus into a fresh index and time a fixed query mix.

use anyhow::{bail, Result};
use gongkai::index::ingest::IngestOptions;
use gongkai::index::Index;
use gongkai::search::SearchRequest;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn dir_size(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// A "Name:   N kB" line of /proc/self/status (0 where there is none).
fn status_kb(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn peak_rss_kb() -> u64 {
    status_kb("VmHWM:")
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn mix() -> Vec<(&'static str, Vec<SearchRequest>)> {
    let words = [
        "公开",
        "政务公开",
        "依申请",
        "行政复议",
        "不足",
        "培训",
        "网站",
        "政策解读",
        "平台",
        "专栏",
    ];
    let phrases = [
        "政府信息公开",
        "存在的主要问题",
        "主动公开",
        "政策解读",
        "行政诉讼",
        "依申请公开",
        "工作人员",
        "进一步",
    ];
    let sections = [
        "problems:不足",
        "section:problems 培训",
        "problems:\"有待\"",
        "requests:申请",
        "appeals:复议",
        "overview:\"政务公开\"",
    ];
    let req = |q: &str| SearchRequest::new(q);
    let mut kinds = Vec::new();
    kinds.push(("word", words.iter().map(|w| req(w)).collect()));
    kinds.push((
        "phrase",
        phrases.iter().map(|p| req(&format!("\"{p}\""))).collect(),
    ));
    kinds.push(("section", sections.iter().map(|q| req(q)).collect()));
    kinds.push((
        "faceted",
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut r = req(w);
                match i % 3 {
                    0 => r.region = Some("河北省".into()),
                    1 => r.year = Some("2020..2023".into()),
                    _ => r.level = Some("department".into()),
                }
                r
            })
            .collect(),
    ));
    kinds.push((
        "numeric",
        [
            "requests.new.total >= 10",
            "review.total > 0",
            "checks.failed",
            "requests.granted.total < 5",
        ]
        .iter()
        .map(|w| {
            let mut r = req("公开");
            r.where_ = vec![w.to_string()];
            r
        })
        .collect(),
    ));
    kinds.push((
        "sorted",
        [
            "-requests.new.total",
            "requests.denied.state_secret.total",
            "-year",
            "-review.total",
        ]
        .iter()
        .map(|s| {
            let mut r = req("");
            r.sort = Some(s.to_string());
            r
        })
        .collect(),
    ));
    kinds
}

pub fn run(
    corpus: &Path,
    index: Option<PathBuf>,
    json_out: Option<PathBuf>,
    reps: usize,
    threads: usize,
) -> Result<()> {
    let _tmp;
    let dir = match index {
        Some(d) => {
            if d.exists() && std::fs::read_dir(&d)?.next().is_some() {
                if std::env::var_os("GONGKAI_BENCH_QUERIES_ONLY").is_some() {
                    return queries(&Index::open(&d)?, reps, json_out, json!({}));
                }
                bail!("{} exists and is not empty", d.display());
            }
            d
        }
        None => {
            _tmp = TempDir::new()?;
            _tmp.0.clone()
        }
    };
    gongkai::index::tokenizer::warm_up();
    let idx = Index::open_or_create(&dir)?;
    let opts = IngestOptions {
        threads,
        ..Default::default()
    };
    // Peak RSS counts the index files mapped while merging; the heap alone is
    // what must stay bounded, so sample it while ingesting.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(status_kb("RssAnon:"));
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            peak.max(status_kb("RssAnon:"))
        })
    };
    let st = crate::ingest_showing_progress(&idx, &[corpus.to_path_buf()], &opts);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let anon_ingest = sampler.join().unwrap_or(0);
    let st = st?;
    let rss_ingest = peak_rss_kb();
    let index_bytes = dir_size(&dir);
    let mb = st.bytes as f64 / 1e6;
    println!(
        "ingest: {} files, {:.1} MB in {:.2}s: {:.0} reports/s, {:.1} MB/s ({} failed)",
        st.files,
        mb,
        st.total_secs,
        st.added as f64 / st.total_secs,
        mb / st.total_secs,
        st.failed.len()
    );
    let (jieba_ms, ngram_ms) = tokenize_sample(corpus, 500);
    let cpu_total = st.parse_cpu_secs + st.build_cpu_secs + st.index_cpu_secs + st.commit_cpu_secs;
    let share = |x: f64| 100.0 * x / cpu_total.max(1e-9);
    println!(
        "  cpu {cpu_total:.1} s ({:.2} ms/report): parse {:.1} s ({:.0}%), build documents {:.1} s ({:.0}%), \
         index (tantivy threads: tokenise, postings, store; periodic commits) {:.1} s ({:.0}%), final commit + merge {:.1} s ({:.0}%, {:.1} s wall)",
        cpu_total * 1e3 / st.added.max(1) as f64,
        st.parse_cpu_secs, share(st.parse_cpu_secs),
        st.build_cpu_secs, share(st.build_cpu_secs),
        st.index_cpu_secs, share(st.index_cpu_secs),
        st.commit_cpu_secs, share(st.commit_cpu_secs), st.commit_wall_secs,
    );
    let est = |ms: f64| ms * st.added as f64 / 1e3;
    println!(
        "  of the index cpu, tokenising alone (single-thread sample of 500 reports): jieba {jieba_ms:.3} ms/report ≈ {:.1} s, n-grams {ngram_ms:.3} ms/report ≈ {:.1} s",
        est(jieba_ms), est(ngram_ms)
    );
    println!(
        "  index {:.1} MB = {:.2} × input; peak RSS {:.0} MB, of which heap (anonymous) {:.0} MB",
        index_bytes as f64 / 1e6,
        index_bytes as f64 / st.bytes.max(1) as f64,
        rss_ingest as f64 / 1024.0,
        anon_ingest as f64 / 1024.0
    );
    let out = json!({
        "corpus": corpus,
        "files": st.files,
        "failed": st.failed.len(),
        "input_bytes": st.bytes,
        "index_bytes": index_bytes,
        "index_ratio": index_bytes as f64 / st.bytes.max(1) as f64,
        "ingest_secs": st.total_secs,
        "reports_per_sec": st.added as f64 / st.total_secs,
        "mb_per_sec": mb / st.total_secs,
        "split": {
            "parse_cpu_secs": st.parse_cpu_secs,
            "build_cpu_secs": st.build_cpu_secs,
            "index_cpu_secs": st.index_cpu_secs,
            "commit_cpu_secs": st.commit_cpu_secs,
            "commit_wall_secs": st.commit_wall_secs,
            "jieba_ms_per_report": jieba_ms,
            "ngram_ms_per_report": ngram_ms,
        },
        "peak_rss_kb_ingest": rss_ingest,
        "peak_anon_kb_ingest": anon_ingest,
        "threads": threads,
    });
    queries(&Index::open(&dir)?, reps, json_out, out)
}

/// Thread-CPU milliseconds per report of jieba (search mode) and of the n-gram
/// tokenizer, on the first `n` report files of the corpus (sorted by path).
fn tokenize_sample(corpus: &Path, n: usize) -> (f64, f64) {
    use gongkai::index::ingest::thread_cpu_secs;
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let mut files: Vec<PathBuf> = gongkai::index::ingest::walk(&[corpus.to_path_buf()]).collect();
    files.sort();
    let reports: Vec<gongkai::Report> = files
        .iter()
        .filter_map(|p| gongkai::parse_file(p).ok())
        .take(n)
        .collect();
    if reports.is_empty() {
        return (0.0, 0.0);
    }
    let texts: Vec<(String, String)> = reports
        .iter()
        .map(|r| (r.full_text(), gongkai::index::ngram_text(r)))
        .collect();
    let t = thread_cpu_secs();
    let mut k = 0usize;
    for (full, _) in &texts {
        k += gongkai::index::tokenizer::words_for_index(full).len();
    }
    let jieba = thread_cpu_secs() - t;
    let t = thread_cpu_secs();
    let mut tk = gongkai::index::tokenizer::NgramTokenizer;
    for (_, ng) in &texts {
        let mut s = tk.token_stream(ng);
        while s.advance() {
            k += s.token().text.len();
        }
    }
    let ngram = thread_cpu_secs() - t;
    std::hint::black_box(k);
    let per = |x: f64| x * 1e3 / texts.len() as f64;
    (per(jieba), per(ngram))
}

fn queries(
    reader_idx: &Index,
    reps: usize,
    json_out: Option<PathBuf>,
    mut out: serde_json::Value,
) -> Result<()> {
    let mut lat = serde_json::Map::new();
    for (kind, reqs) in mix() {
        // warm
        for r in &reqs {
            gongkai::search::search(reader_idx, r)?;
        }
        let mut times = Vec::new();
        let mut total_hits = 0usize;
        for i in 0..reps {
            let r = &reqs[i % reqs.len()];
            let t = Instant::now();
            let resp = gongkai::search::search(reader_idx, r)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total_hits += resp.total;
        }
        let p50 = pct(&mut times, 0.5);
        let p99 = pct(&mut times, 0.99);
        println!(
            "query {kind:<8} p50 {p50:7.2} ms  p99 {p99:7.2} ms  (mean hits {:.0})",
            total_hits as f64 / reps.max(1) as f64
        );
        lat.insert(
            kind.to_string(),
            json!({"p50_ms": p50, "p99_ms": p99, "mean_hits": total_hits as f64 / reps.max(1) as f64}),
        );
    }
    let rss = peak_rss_kb();
    println!("peak RSS {:.0} MB", rss as f64 / 1024.0);
    out["reports"] = reader_idx.num_docs().into();
    out["peak_rss_kb"] = rss.into();
    out["latency"] = lat.into();
    if let Some(p) = json_out {
        std::fs::write(&p, serde_json::to_string_pretty(&out)?)?;
        println!("wrote {}", p.display());
    }
    Ok(())
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let p = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
        std::fs::create_dir_all(&p)?;
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
