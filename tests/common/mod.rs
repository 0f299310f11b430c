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

/// A passage of the problems section of 秦皇岛 2022 that 唐山 2022 also has.
pub const SHARED_PASSAGE: &str = "针对基层政务公开标准目录动态调整滞后的情况，我们将组织各县区逐项核对事项清单，建立目录更新台账，每季度比对一次上级部门的标准指引，确保清单内容与职责变化同步。同时在乡镇便民服务中心设立政务公开专区，配备查阅终端和专门人员，方便群众现场查询各类公开信息，并将专区运行情况纳入年度绩效考核，定期通报考核结果，推动形成常态长效的工作机制。对于群众反映集中的办事指南更新不及时问题，我们将建立办事指南动态维护机制，由各窗口单位指定专人负责，每月核查一次办理条件、申请材料和办理时限，发现变化当日更新，并在门户网站同步发布更新说明，接受社会监督。";

/// Builds under `root` (wiped first) one body across three years, and
/// another body copying from it:
/// - `qhd2020.txt`: seed 000 as 2020, 400 new requests, a problems section of its own;
/// - `qhd2021.txt`: seed 000 (2021, 513 new requests);
/// - `qhd2022.txt`: seed 000 as 2022, 600 new requests, the 2021 problems
///   section's first paragraph followed by [`SHARED_PASSAGE`];
/// - `ts2022.txt`: `qhd2022.txt` moved to 唐山, its problems section
///   [`SHARED_PASSAGE`] and a sentence of its own.
///
/// Returns the index dir.
pub fn build_years_index(root: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(root);
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let qhd = seed("000_");
    let head = "五、存在的主要问题及改进情况\n";
    let tail = "六、其他需要报告的事项";
    let (a, b) = (
        qhd.find(head).unwrap() + head.len(),
        qhd.find(tail).unwrap(),
    );
    let problems = &qhd[a..b];
    assert!(
        problems.starts_with("2021年我市政府信息公开工作虽取得"),
        "seed 000 changed"
    );
    let with_problems = |text: &str, p: &str| {
        let (a, b) = (
            text.find(head).unwrap() + head.len(),
            text.find(tail).unwrap(),
        );
        format!("{}{p}\n{}", &text[..a], &text[b..])
    };
    let new_requests = "一、本年新收政府信息公开申请数量 |\n480 |\n20 |\n2 |\n9 |\n1 |\n1 |\n513 |";
    assert!(qhd.contains(new_requests), "seed 000 changed");
    let year = |y: &str, total: u32| {
        let first = total - 33;
        qhd.replace("2021", y).replacen(
            new_requests,
            &format!("一、本年新收政府信息公开申请数量 |\n{first} |\n20 |\n2 |\n9 |\n1 |\n1 |\n{total} |"),
            1,
        )
    };
    let own_2020 = "本年度全市政务公开培训覆盖面仍然偏窄，个别部门对公开属性源头认定把关不严，网站栏目更新存在空档期。下一步将组织全员轮训，细化公开属性审查流程，开展栏目巡检，逐一销号整改到位。";
    std::fs::write(
        corpus.join("qhd2020.txt"),
        with_problems(&year("2020", 400), own_2020),
    )
    .unwrap();
    std::fs::write(corpus.join("qhd2021.txt"), &qhd).unwrap();
    let y2022 = year("2022", 600);
    let first_paragraph = problems.lines().next().unwrap();
    let p2022 = format!(
        "{}\n{SHARED_PASSAGE}",
        first_paragraph.replace("2021", "2022")
    );
    std::fs::write(corpus.join("qhd2022.txt"), with_problems(&y2022, &p2022)).unwrap();
    let ts = with_problems(
        &y2022,
        &format!("{SHARED_PASSAGE}\n此外，唐山市还将围绕港口物流和钢铁产业转型升级，编制专题公开目录，集中发布产业扶持资金分配结果。"),
    )
    .replace("秦皇岛", "唐山");
    std::fs::write(corpus.join("ts2022.txt"), ts).unwrap();
    let dir = root.join("index");
    let index = Index::open_or_create(&dir).unwrap();
    let opts = IngestOptions {
        threads: 1,
        ..IngestOptions::default()
    };
    let st = ingest(&index, std::slice::from_ref(&corpus), &opts).unwrap();
    assert_eq!(st.files, 4, "{st:?}");
    dir
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
