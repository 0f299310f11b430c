//! PDF and Word files as a user hands them to `check` and `ingest`: real files
//! printed by Chromium and LibreOffice (tests/fixtures), scored against the same
//! report's golden facts, and broken files made here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("runs gongkai")
}

fn text_of(path: &Path) -> Vec<String> {
    let out = gongkai(&["check", "--text", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// `check` fails with one line on stderr naming the file; returns that line.
fn one_line_error(path: &Path) -> String {
    let out = gongkai(&["check", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gongkai-pdf-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Golden points (passed, failed) of `file` against report 1 of seed 3, the report it was printed from.
fn score_seed3_report1(file: &Path, dir: &Path) -> (u64, u64) {
    let name = file.file_name().unwrap().to_str().unwrap();
    std::fs::copy(file, dir.join(name)).unwrap();
    let mut expected = gongkai::synth::generate_one(3, 1, gongkai::synth::Shapes::NONE).expected;
    expected["source"] = name.into();
    let exp = dir.join(format!("{name}.expected.json"));
    std::fs::write(&exp, serde_json::to_string(&expected).unwrap()).unwrap();
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/golden_check.py");
    let cmd = format!("{} check --json {{file}}", env!("CARGO_BIN_EXE_gongkai"));
    let out = Command::new("python3")
        .arg(checker)
        .args(["--cmd", &cmd])
        .arg(&exp)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("");
    let nums: Vec<u64> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!(last.starts_with("golden: ") && nums.len() == 2, "{stdout}");
    eprintln!("{name}: {stdout}");
    (nums[0], nums[1])
}

#[test]
fn docx_scores_every_point_the_html_does() {
    let dir = tmp("docx-score");
    let (passed, failed) = score_seed3_report1(&fixture("docx/seed3-000001.docx"), &dir);
    assert!(passed > 100, "{passed}");
    assert_eq!(failed, 0);
}

#[test]
fn office_suite_pdf_scores_nearly_every_point() {
    let dir = tmp("pdf-score");
    let (passed, failed) = score_seed3_report1(&fixture("pdf/seed3-000001.libreoffice.pdf"), &dir);
    assert!(passed > 100, "{passed}");
    assert!(
        failed * 100 <= (passed + failed) * 10,
        "{failed} of {} points failed",
        passed + failed
    );
}

#[test]
fn browser_pdf_reads_in_order_with_rows_and_without_page_furniture() {
    let lines = text_of(&fixture("pdf/short.chromium.pdf"));
    assert_eq!(
        lines[0], "示例市人民政府2023年政府信息公开工作年度报告",
        "title printed over two lines is one line: {lines:?}"
    );
    let row = lines
        .iter()
        .find(|l| l.starts_with("规章"))
        .expect("table row");
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells, ["规章", "3", "12"]);
    // Chromium's running header (date and title), footer (file URL) and page numbers are gone.
    assert!(
        lines
            .iter()
            .all(|l| !l.contains("file://") && !l.contains("1/2") && !l.contains("AM")),
        "{lines:?}"
    );
    assert_eq!(lines.last().unwrap(), "一是公开专区建设不够规范。");
}

#[test]
fn browser_pdf_table_with_header_cells_wrapped_over_lines_is_read() {
    // Table 3 printed by Chromium in 15 narrow columns: "结果维" over "持",
    // "总" over "计"; the numbers row is 1 2 0 1 4 | 2 0 1 0 3 | 0 1 1 1 3.
    let file = fixture("pdf/appeals-wrapped-header.chromium.pdf");
    let out = gongkai(&["check", "--json", file.to_str().unwrap()]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fig = |k: &str| report["figures"][k].as_f64();
    let want = [
        ("review", [1.0, 2.0, 0.0, 1.0, 4.0]),
        ("litigation.direct", [2.0, 0.0, 1.0, 0.0, 3.0]),
        ("litigation.after_review", [0.0, 1.0, 1.0, 1.0, 3.0]),
    ];
    for (group, values) in want {
        for (col, v) in ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .zip(values)
        {
            assert_eq!(fig(&format!("{group}.{col}")), Some(v), "{group}.{col}");
        }
    }
    let lines = text_of(&file);
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]),
        "{lines:?}"
    );
}

#[test]
fn owner_password_pdf_reads_like_the_plain_one() {
    assert_eq!(
        text_of(&fixture("pdf/short.owner-password.pdf")),
        text_of(&fixture("pdf/short.chromium.pdf"))
    );
}

#[test]
fn scanned_pdf_needs_ocr() {
    let err = one_line_error(&fixture("pdf/scan.pdf"));
    assert!(
        err.ends_with("no text layer (scanned PDF): needs OCR"),
        "{err}"
    );
}

#[test]
fn broken_pdfs_are_one_line_errors() {
    let dir = tmp("broken-pdf");
    let good = std::fs::read(fixture("pdf/short.chromium.pdf")).unwrap();
    let empty = dir.join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    assert!(one_line_error(&empty).ends_with("empty file"));
    let truncated = dir.join("truncated.pdf");
    std::fs::write(&truncated, &good[..good.len() / 3]).unwrap();
    assert!(one_line_error(&truncated).contains("broken PDF"));
    let header_only = dir.join("header.pdf");
    std::fs::write(&header_only, b"%PDF-1.7\n%garbage\n").unwrap();
    assert!(one_line_error(&header_only).contains("broken PDF"));
    // An xref offset pointing nowhere: either repaired and read, or one line.
    let mut bad_xref = good.clone();
    if let Some(i) = good.windows(9).rposition(|w| w == b"startxref") {
        for b in bad_xref[i + 9..]
            .iter_mut()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
        {
            *b = b'9';
        }
    }
    assert_ne!(bad_xref, good);
    let xref = dir.join("xref.pdf");
    std::fs::write(&xref, &bad_xref).unwrap();
    let out = gongkai(&["check", "--text", xref.to_str().unwrap()]);
    if !out.status.success() {
        one_line_error(&xref);
    }
}

#[test]
fn broken_and_binary_office_files_are_one_line_errors() {
    let dir = tmp("broken-docx");
    let not_zip = dir.join("notzip.docx");
    std::fs::write(&not_zip, "这不是一个 Word 文件").unwrap();
    assert!(one_line_error(&not_zip).contains("broken DOCX"));

    // 80 MB of zeros compress to about 80 KB: refused before it is all inflated.
    let bomb = dir.join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..80 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    assert!(one_line_error(&bomb).contains("zip bomb"));

    let doc = dir.join("report.doc");
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(4096, 0);
    std::fs::write(&doc, &ole).unwrap();
    let err = one_line_error(&doc);
    assert!(
        err.contains(".doc") && err.contains("save it as .docx or PDF"),
        "{err}"
    );
}

#[test]
fn ingest_takes_a_mixed_folder_and_lists_what_it_cannot_read() {
    let dir = tmp("ingest-mixed");
    let src = dir.join("reports");
    std::fs::create_dir_all(&src).unwrap();
    for (from, to) in [
        ("pdf/short.chromium.pdf", "a.pdf"),
        ("docx/seed3-000001.docx", "b.docx"),
        ("pdf/scan.pdf", "scan.pdf"),
    ] {
        std::fs::copy(fixture(from), src.join(to)).unwrap();
    }
    let g = gongkai::synth::generate_one(3, 0, gongkai::synth::Shapes::NONE);
    std::fs::write(src.join(&g.file), &g.bytes).unwrap();
    let g = gongkai::synth::generate_one(3, 4, gongkai::synth::Shapes::NONE);
    std::fs::write(src.join(&g.file), &g.bytes).unwrap();
    std::fs::write(src.join("old.doc"), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap();
    let index = dir.join("index");
    let out = gongkai(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ingested 6 files"), "{err}");
    assert!(err.contains("4 added") && err.contains("2 failed"), "{err}");
    assert!(
        err.contains("scan.pdf: no text layer (scanned PDF): needs OCR"),
        "{err}"
    );
    assert!(
        err.contains("old.doc: Word 97-2003 document (.doc)"),
        "{err}"
    );
    assert!(err.contains("1 scanned PDFs have no text layer"), "{err}");
}
