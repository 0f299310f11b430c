//! Shared by the tests: where the shared material is, a corpus made of the
//! seeds plus crafted reports, an index built from it, and the router driven
//! without a socket (`oneshot`).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gongkai::index::ingest::{ingest, IngestOptions};
use gongkai::index::Index;
use gongkai::server::{router, AppState};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

/// The material shared between projects, beside the checkout.
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");
/// Real reports with their golden facts.
pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/seeds");

/// A scratch directory of this test run (not wiped).
pub fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Hostile strings put in the title and a section of one report.
pub const SCRIPT: &str = "<script>alert(1)</script>";
pub const IMG: &str = "\"><img src=x onerror=alert(1)>";
/// A word found only in the hostile report's problems section.
pub const HOSTILE_WORD: &str = "注入测试";
/// A word found only in the report whose title starts with `=`.
pub const FORMULA_WORD: &str = "公式标题";

pub fn seed(name_prefix: &str) -> String {
    let dir = Path::new(SEEDS);
    let entry = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("seeds at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "txt")
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(name_prefix)
        })
        .unwrap_or_else(|| panic!("no seed {name_prefix}*.txt in {}", dir.display()));
    std::fs::read_to_string(entry).unwrap()
}

/// Writes the corpus: the seeds' .txt files, and
/// - `hostile.txt`: 秦皇岛 2021 moved to 唐山, with markup in the title and the problems section;
/// - `broken.txt`: 临淄区 2023 moved to 张店区, carried-in requests changed so that
///   new + carried in ≠ handled + carried over (requests_balance fails);
/// - `formula.txt`: 锦州 2017 moved to 大连, title starting with `=`.
pub fn write_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(SEEDS).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    let qhd = seed("000_");
    let title = "秦皇岛市2021年政府信息公开工作年度报告";
    assert!(qhd.starts_with(title), "seed 000 changed");
    // The reader drops anything shaped like a tag, then decodes entities, and
    // does so twice for a text file (read::text_document, then
    // report::parse_document); markup escaped twice is what gets through, so
    // the stored report holds the markup itself (asserted by the tests).
    let esc = |s: &str| s.replace('<', "&amp;lt;").replace('>', "&amp;gt;");
    let (script, img) = (esc(SCRIPT), esc(IMG));
    let mut hostile = qhd.replacen(title, &format!("{title}{script}{img}"), 1);
    let problems = "五、存在的主要问题及改进情况\n";
    assert!(hostile.contains(problems), "seed 000 changed");
    hostile = hostile.replacen(
        problems,
        &format!("{problems}{HOSTILE_WORD}：{script} 与 {img} 应作为文字显示。\n"),
        1,
    );
    let hostile = hostile.replace("秦皇岛", "唐山");
    std::fs::write(dir.join("hostile.txt"), hostile).unwrap();

    let lz = seed("003_");
    let a = "二、上年结转政府信息公开申请数量\n\n6\n\n0\n\n0\n\n0\n\n0\n\n0\n\n6\n\n三、";
    assert!(lz.contains(a), "seed 003 changed");
    let broken = lz
        .replacen(
            a,
            "二、上年结转政府信息公开申请数量\n\n16\n\n0\n\n0\n\n0\n\n0\n\n0\n\n16\n\n三、",
            1,
        )
        .replace("临淄区", "张店区")
        .replace("临淄", "张店");
    std::fs::write(dir.join("broken.txt"), broken).unwrap();

    let jz = seed("001_");
    let first = jz.lines().next().unwrap().to_string();
    let formula = jz.replacen(
        &first,
        &format!("=大连市2017年度政府信息公开工作报告{FORMULA_WORD}"),
        1,
    );
    let formula = formula.replace("锦州", "大连");
    std::fs::write(dir.join("formula.txt"), formula).unwrap();
}

/// Builds the index of [`write_corpus`] under `root` (wiped first); returns the index dir.
pub fn build_index(root: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(root);
    let corpus = root.join("corpus");
    write_corpus(&corpus);
    let index_dir = root.join("index");
    let index = Index::open_or_create(&index_dir).unwrap();
    let opts = IngestOptions {
        // One indexing thread: documents in file order, so ties come out the
        // same way every run (the snapshot test compares bytes).
        threads: 1,
        ..IngestOptions::default()
    };
    let stats = ingest(&index, &[corpus], &opts).unwrap();
    assert_eq!(stats.files, 8, "{stats:?}");
    index_dir
}

/// URLs the manifest of [`build_versions_index`] gives.
pub const QHD_URL: &str = "https://www.qhd.gov.cn/zfxxgk/2021.html";
pub const JZ_URL: &str = "http://www.jz.gov.cn/2017.html";

/// Builds under `root` (wiped first) an index of seed 000 (秦皇岛 2021) four
/// times, each copy with a line of its own (four reports of one body and
/// year), and seed 001 (锦州 2017), with a manifest giving URLs, one of them
/// `javascript:` (for `qhd1.txt`). Returns the index and the corpus dirs.
pub fn build_versions_index(root: &Path) -> (PathBuf, PathBuf) {
    let _ = std::fs::remove_dir_all(root);
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let qhd = seed("000_");
    for i in 0..4 {
        let text = if i == 0 {
            qhd.clone()
        } else {
            format!("{qhd}\n本报告为第{i}次转载的版本。\n")
        };
        std::fs::write(corpus.join(format!("qhd{i}.txt")), text).unwrap();
    }
    std::fs::write(corpus.join("jz.txt"), seed("001_")).unwrap();
    let manifest = root.join("manifest.csv");
    std::fs::write(
        &manifest,
        format!("path,url\ncorpus/qhd0.txt,{QHD_URL}\ncorpus/qhd1.txt,javascript:alert(1)\ncorpus/jz.txt,{JZ_URL}\n"),
    )
    .unwrap();
    let dir = root.join("index");
    let index = Index::open_or_create(&dir).unwrap();
    let opts = IngestOptions {
        threads: 1,
        manifest: Some(manifest),
        ..IngestOptions::default()
    };
    let st = ingest(&index, std::slice::from_ref(&corpus), &opts).unwrap();
    assert_eq!(st.files, 5, "{st:?}");
    (dir, corpus)
}

fn state(index_dir: &Path) -> AppState {
    AppState {
        index: Arc::new(Index::open(index_dir).unwrap()),
        demo: false,
        timeout: Duration::from_secs(20),
    }
}

/// The router over an index, called without a socket.
pub struct App {
    router: axum::Router,
    rt: tokio::runtime::Runtime,
}

/// An answer of the router.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl App {
    pub fn new(index_dir: &Path) -> App {
        App {
            router: router(state(index_dir)),
            rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        }
    }

    /// GET `uri` (bytes outside ASCII are percent-encoded, as a client would).
    pub fn get(&self, uri: &str) -> Answer {
        let mut encoded = String::new();
        for c in uri.chars() {
            if c.is_ascii() {
                encoded.push(c);
            } else {
                let mut b = [0; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    encoded.push_str(&format!("%{byte:02X}"));
                }
            }
        }
        let req = Request::get(encoded.as_str()).body(Body::empty()).unwrap();
        self.rt.block_on(async {
            let resp = self.router.clone().oneshot(req).await.unwrap();
            let status = resp.status();
            let content_type = resp
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap();
            Answer {
                status,
                content_type,
                body: String::from_utf8(body.to_vec()).unwrap(),
            }
        })
    }
}

/// The `*.expected.json` files of a folder, sorted; at least `min` of them.
pub fn golden_files(dir: &Path, min: usize) -> Vec<PathBuf> {
    let mut golden: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    golden.sort();
    assert!(
        golden.len() >= min,
        "golden files missing in {}",
        dir.display()
    );
    golden
}

/// Scores `check --json` against golden files with the shared checker: its
/// output, and whether its last line says nothing failed.
pub fn run_golden(golden: &[PathBuf]) -> (String, bool) {
    let checker = Path::new(SHARED).join("tools/golden_check.py");
    let cmd = format!("{} check --json {{file}}", env!("CARGO_BIN_EXE_gongkai"));
    let out = std::process::Command::new("python3")
        .arg(&checker)
        .arg("--cmd")
        .arg(&cmd)
        .args(golden)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let last = stdout.lines().last().unwrap_or("");
    let ok = last.starts_with("golden: ") && last.ends_with(" 0 failed") && out.status.success();
    (stdout, ok)
}
