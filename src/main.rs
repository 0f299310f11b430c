use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(Subcommand)]
enum Cmd {
    /// Parse one report and show what was understood.
    Check {
        file: PathBuf,
        /// Print one JSON object (the golden checker's format).
        #[arg(long)]
        json: bool,
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Cmd::Check { file, json } => {
            let report = gongkai::parse_file(&file)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report.to_json())?);
            } else {
                print!("{}", gongkai::report::summary(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Gen { count, out, seed } => {
            let t = std::time::Instant::now();
            let n = gongkai::gen::generate(count, &out, seed)?;
            let secs = t.elapsed().as_secs_f64();
            eprintln!(
                "gen: {n} reports in {secs:.2}s ({:.0} reports/s) into {}",
                n as f64 / secs.max(1e-9),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
