//! `gongkai gen`: a synthetic corpus of annual reports with golden expectations.
//!
//! Report `i` of seed `s` is generated from its own ChaCha8 stream, so it is the
//! same whatever the number of reports asked for. Each report is written as
//! `NNNNNN.html` or `NNNNNN.txt` beside `NNNNNN.expected.json`, in the format of
//! the seed golden files (see `shared/tools/golden_check.py`). The expectations
//! hold only what the generated file states unambiguously.
//!
//! Stages, one module each: [`plan`] (issuer, region, year), [`figures`] (table
//! figures and their relations), [`prose`] (text pools), [`tables`] (the document
//! model), [`body`] (sections and their ground truth), [`render`] (layouts) and
//! [`expected`] (the golden JSON).

mod body;
mod expected;
mod figures;
mod plan;
mod prose;
mod render;
mod tables;

use anyhow::{Context, Result};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;

use crate::parse::figures::Figures as Figs;
use body::{Body, BodyInput};
use plan::{era_of, plan, stream, Era, Issuer};
use prose::{fill, problems_text, OVERVIEW_PARAS, SPAM};
use render::{Layout, Page};
use tables::Block;

/// One generated report: file name, bytes, and the expected JSON.
pub struct Generated {
    pub file: String,
    pub bytes: Vec<u8>,
    pub expected: Value,
}

/// Choices about how a report looks, drawn once per report.
struct Decor {
    layout: Layout,
    is_html: bool,
    only_total: bool,
    blank_t3: Option<usize>,
    glue: bool,
    untitled: bool,
    trad: bool,
    spam: bool,
    spam_tok: &'static str,
}

/// Table figures, with one relation broken in about 5% of template reports.
fn draw_figures(rng: &mut ChaCha8Rng, iss: &Issuer, era: Era) -> Figs {
    let mut figs = Figs::new();
    if era == Era::Narrative {
        return figs;
    }
    figures::table1_figures(rng, iss, era, &mut figs);
    figures::table2_figures(rng, iss.scale, era, &mut figs);
    figures::table3_figures(rng, iss.scale, &mut figs);
    if rng.random_bool(0.05) {
        let (k, by) = match rng.random_range(0..3) {
            0 => ("requests.handled.total", rng.random_range(1..4) as f64),
            1 => ("review.total", 1.0),
            _ => ("requests.new.natural_person", rng.random_range(1..3) as f64),
        };
        *figs.get_mut(k).unwrap() += by;
    }
    figs
}

fn draw_decor(rng: &mut ChaCha8Rng, iss: &Issuer, era: Era) -> Decor {
    let layout = match rng.random_range(0..100) {
        0..30 => Layout::Html,
        30..40 => Layout::HtmlGbk {
            meta: rng.random_bool(0.6),
        },
        40..62 => Layout::PipeLines,
        62..80 => Layout::BlankLines,
        _ => Layout::Pdf,
    };
    let is_html = matches!(layout, Layout::Html | Layout::HtmlGbk { .. });
    let only_total = era != Era::Narrative && iss.scale <= 1 && rng.random_bool(0.15);
    let blank_t3 = (!is_html && era != Era::Narrative && rng.random_bool(0.04))
        .then(|| rng.random_range(0..15));
    let glue = layout == Layout::Pdf && rng.random_bool(0.5);
    let untitled = rng.random_bool(0.12);
    let trad = rng.random_bool(0.08);
    let spam = iss.place.is_some() && rng.random_bool(0.08);
    let spam_tok = *SPAM.choose(rng).unwrap();
    Decor {
        layout,
        is_html,
        only_total,
        blank_t3,
        glue,
        untitled,
        trad,
        spam,
        spam_tok,
    }
}

fn draw_title(rng: &mut ChaCha8Rng, iss: &Issuer, year: i32) -> String {
    match (iss.gov, rng.random_range(0..3)) {
        (true, 0) => format!(
            "{}{year}年政府信息公开工作年度报告",
            iss.place.as_deref().unwrap()
        ),
        (true, 1) if year < 2019 => format!(
            "{}{year}年度政府信息公开工作报告",
            iss.place.as_deref().unwrap()
        ),
        (_, 2) if !iss.name.starts_with(['市', '县']) => {
            format!("{year}年{}政府信息公开工作年度报告", iss.name)
        }
        _ => format!("{}{year}年政府信息公开工作年度报告", iss.name),
    }
}

/// The report's opening paragraph (before the first heading).
fn intro_of(iss: &Issuer, year: i32, untitled: bool) -> String {
    let mut intro = if untitled {
        format!("现将{}{year}年度政府信息公开工作情况报告如下。", iss.name)
    } else {
        format!(
            "根据《中华人民共和国政府信息公开条例》规定，现向社会公布{}{year}年政府信息公开工作年度报告。",
            iss.name
        )
    };
    intro.push_str(&format!(
        "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    ));
    intro.push_str("如对本报告有疑问，请与本机关政务公开工作机构联系。");
    intro
}

/// A sentence naming the spam token in a name slot, as hijacked mirrors show.
fn spam_sentence(rng: &mut ChaCha8Rng, we: &str, tok: &str, year: i32) -> String {
    match rng.random_range(0..3) {
        0 => format!("根据《{tok}人民政府办公厅关于做好{year}年政务公开工作的通知》要求，{we}结合实际制定了年度工作方案。"),
        1 => format!("依托{tok}政府门户网站及政务服务网，{we}推进网上政务公开。"),
        _ => format!("{we}严格执行《{tok}政府信息公开保密审查办法》，确保涉密信息不上网。"),
    }
}

fn overview_paras(rng: &mut ChaCha8Rng, iss: &Issuer, year: i32) -> Vec<(String, String)> {
    use rand::seq::SliceRandom;
    let mut idx: Vec<usize> = (0..OVERVIEW_PARAS.len()).collect();
    idx.shuffle(rng);
    let n = rng.random_range(2..5);
    idx.iter()
        .take(n)
        .map(|&k| {
            let (h, t) = OVERVIEW_PARAS[k];
            (h.to_string(), fill(t, iss, year))
        })
        .collect()
}

/// Everything the expected JSON is built from.
struct Truth<'a> {
    file: &'a str,
    iss: &'a Issuer,
    year: i32,
    era: Era,
    title: &'a str,
    untitled: bool,
    published: Option<String>,
    body: &'a Body,
    prob_paras: &'a [String],
    prob_phrases: &'a [String],
    ov_first: &'a str,
    is_html: bool,
    spam_tok: Option<&'a str>,
    pinyin_used: Option<&'a [String]>,
}

pub fn generate_one(seed: u64, i: u64) -> Generated {
    let p = plan(seed, i, 0);
    let mut rng = stream(seed, i, 2);
    let (iss, year) = (&p.issuer, p.year);
    let era = era_of(year);
    let figs = draw_figures(&mut rng, iss, era);
    let d = draw_decor(&mut rng, iss, era);
    let title = draw_title(&mut rng, iss, year);
    let hstyle: u8 = rng.random_range(0..4);
    let intro = intro_of(iss, year, d.untitled);
    let (prob_paras, prob_phrases) = problems_text(seed, i, &p, 0);
    let spam_s = d
        .spam
        .then(|| spam_sentence(&mut rng, iss.we, d.spam_tok, year));
    let ov_paras = overview_paras(&mut rng, iss, year);
    let ov_first = format!("{year}年，{}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。", iss.name);
    let mut body = body::body(
        &BodyInput {
            iss,
            year,
            era,
            hstyle,
            ov_first: &ov_first,
            spam_sentence: spam_s.as_deref(),
            overview_paras: &ov_paras,
            prob_paras: &prob_paras,
            figs: &figs,
            only_total: d.only_total,
            blank_t3: d.blank_t3,
        },
        &mut rng,
    );
    let (top, bottom, published) = render::chrome(&mut rng, iss, year, d.layout);
    body.blocks.insert(0, Block::Para(intro));
    if d.untitled && rng.random_bool(0.5) {
        body.blocks.insert(0, Block::Para("附件".into()));
    }
    let mut page = Page {
        title: (!d.untitled).then(|| title.clone()),
        top,
        blocks: std::mem::take(&mut body.blocks),
        bottom,
    };
    let pinyin_used = d
        .trad
        .then(|| {
            let mut must: Vec<String> = vec![iss.name.clone(), title.clone()];
            must.extend(prob_phrases.iter().cloned());
            must.extend(body.other_phrase.iter().cloned());
            must.push(prob_paras[0].chars().take(14).collect());
            must.push(ov_first.clone());
            render::traditional(&mut page, &must, &mut rng)
        })
        .flatten();
    let (ext, bytes) = render::render(&page, &mut rng, iss, d.layout, d.glue);
    let file = format!("{i:06}.{ext}");
    let expected = expected::expected(&Truth {
        file: &file,
        iss,
        year,
        era,
        title: &title,
        untitled: d.untitled,
        published,
        body: &body,
        prob_paras: &prob_paras,
        prob_phrases: &prob_phrases,
        ov_first: &ov_first,
        is_html: d.is_html,
        spam_tok: d.spam.then_some(d.spam_tok),
        pinyin_used: pinyin_used.as_deref(),
    });
    Generated {
        file,
        bytes,
        expected,
    }
}

/// Writes `count` reports into `out`; returns the number written.
pub fn generate(count: u64, out: &Path, seed: u64) -> Result<u64> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    (0..count).into_par_iter().try_for_each(|i| -> Result<()> {
        let g = generate_one(seed, i);
        std::fs::write(out.join(&g.file), &g.bytes)?;
        let stem = g.file.split('.').next().unwrap();
        std::fs::write(
            out.join(format!("{stem}.expected.json")),
            serde_json::to_string_pretty(&g.expected)?,
        )?;
        Ok(())
    })?;
    Ok(count)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_index() {
        for i in [0u64, 1, 7, 123] {
            let a = generate_one(42, i);
            let b = generate_one(42, i);
            assert_eq!(a.bytes, b.bytes);
            assert_eq!(a.expected, b.expected);
            assert_eq!(a.file, b.file);
        }
        assert_ne!(generate_one(42, 3).bytes, generate_one(43, 3).bytes);
    }

    #[test]
    fn consistent_figures_unless_broken() {
        let mut broken = 0;
        for i in 0..300 {
            let g = generate_one(7, i);
            let checks = g.expected["checks"].as_object().unwrap();
            if checks.values().any(|v| v == false) {
                broken += 1;
            }
        }
        assert!(broken < 40, "{broken} broken of 300");
    }
}
