//! What the CLI prints: search hits as text, and the summary of an ingest.

use gongkai::index::ingest::IngestStats;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn print_text(
    out: &mut impl Write,
    resp: &gongkai::search::SearchResponse,
) -> std::io::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let (open, close) = if tty {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    writeln!(out, "{} hits", resp.total)?;
    for (i, h) in resp.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. {}  [{} · {} · {}]  score {:.3}{}",
            i + 1,
            h.title,
            h.year.map_or("?".into(), |y| y.to_string()),
            h.region.as_deref().unwrap_or("?"),
            h.issuer.as_deref().unwrap_or("?"),
            h.score,
            h.sort_value
                .map(|v| format!("  = {}", gongkai::model::report::json_num(v)))
                .unwrap_or_default()
        )?;
        writeln!(out, "   {}  id {}", h.path, h.id)?;
        for s in &h.snippets {
            writeln!(out, "   [{}] {}", s.section, s.marked(open, close))?;
        }
    }
    writeln!(out)?;
    for (name, vals) in &resp.facets {
        if vals.is_empty() {
            continue;
        }
        let list: Vec<String> = vals
            .iter()
            .map(|f| format!("{} ({})", f.value, f.count))
            .collect();
        writeln!(out, "{name}: {}", list.join(", "))?;
    }
    Ok(())
}

/// Says what an ingest did, and lists the files that failed (exit 1 if any).
pub fn report_ingest(st: &IngestStats, num_docs: u64) -> ExitCode {
    eprintln!(
        "ingested {} files ({:.1} MB) in {:.1}s ({:.1} MB/s): {} added, {} replaced, {} unchanged, {} duplicates, {} failed; index has {} reports",
        st.files,
        st.bytes as f64 / 1e6,
        st.total_secs,
        st.bytes as f64 / 1e6 / st.total_secs.max(1e-9),
        st.added,
        st.replaced,
        st.unchanged,
        st.duplicates,
        st.failed.len(),
        num_docs
    );
    if !st.skipped.is_empty() {
        eprintln!("skipped:");
        for (p, why) in &st.skipped {
            eprintln!("  {}: {why}", p.display());
        }
    }
    if st.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("failed:");
        for (p, why) in &st.failed {
            eprintln!("  {}: {why}", p.display());
        }
        let scans = st
            .failed
            .iter()
            .filter(|(_, why)| why.starts_with("no text layer"))
            .count();
        if scans > 0 {
            eprintln!("{scans} scanned PDFs have no text layer: they need OCR");
        }
        ExitCode::from(1)
    }
}
