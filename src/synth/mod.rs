//! `gongkai gen`: a synthetic corpus of annual reports with golden expectations.
//!
//! Report `i` of seed `s` is generated from its own ChaCha8 stream, so it is the
//! same whatever the number of reports asked for. Each report is written as
//! `NNNNNN.html` or `NNNNNN.txt` beside `NNNNNN.expected.json`, in the format of
//! the seed golden files (see `shared/tools/golden_check.py`). The expectations
//! hold only what the generated file states unambiguously.
//!
//! Stages, one module each: `plan` (issuer, region, year), `figures` (table
//! figures and their relations), `prose` (text pools), `tables` (the document
//! model), `body` (sections and their ground truth), `render` (layouts) and
//! `expected` (the golden JSON); `shapes` and `crawled` add the shapes real
//! reports come in.

mod body;
mod crawled;
mod expected;
mod figures;
mod plan;
mod plants;
mod prose;
mod render;
mod shapes;
mod tables;

pub use shapes::{Shape, Shapes, UnknownShape};

use anyhow::{Context, Result};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;

use crate::parse::figures::Figures as Figs;
use body::{Body, BodyInput};
use plan::{era_of, plan, stream, Era, Issuer, Plan};
use prose::{fill, problems_text, NAV_SENTENCES, OVERVIEW_PARAS, SPAM};
use render::{Layout, Page};
use tables::Block;

/// One generated report: file name, bytes, and the expected JSON.
pub struct Generated {
    pub file: String,
    pub bytes: Vec<u8>,
    pub expected: Value,
    /// The body's paragraphs as written (simplified script, no wrap spaces): what
    /// a reader would search for.
    pub paragraphs: Vec<String>,
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
fn draw_figures(rng: &mut ChaCha8Rng, iss: &Issuer, era: Era, zero_requests: bool) -> Figs {
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
    if zero_requests {
        figs.iter_mut()
            .filter(|(k, _)| k.starts_with("requests."))
            .for_each(|(_, v)| *v = 0.0);
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
    shapes: Shapes,
    /// Shaped text the overview must keep.
    overview_phrases: Vec<String>,
}

/// The shapes that apply to a report, given how it looks.
fn applicable(mut sh: Shapes, d: &Decor, era: Era) -> Shapes {
    let text = !d.is_html;
    let keep = |s: Shape| match s {
        Shape::OneLine => text && !d.only_total && d.blank_t3.is_none(),
        Shape::MdTable => text && era != Era::Narrative && !sh.contains(Shape::OneLine),
        Shape::TwoLineTitle | Shape::Leftovers => text && !d.untitled,
        Shape::MdHeads => text,
        Shape::NoProblemsHeading => era != Era::Narrative,
        Shape::Cover => !d.untitled,
        Shape::Wraps => !d.trad,
        Shape::DevZone => !sh.contains(Shape::ProvDept),
        Shape::SpanSoup => d.is_html,
        Shape::DotHeads | Shape::NavWords | Shape::ProvDept | Shape::SectionLikeSubheads => true,
    };
    let mut out = Shapes::NONE;
    for s in sh.iter() {
        if keep(s) {
            out.insert(s);
        }
    }
    sh = out;
    sh
}

/// Renames the issuer for the issuer shapes; drops a shape that found no name.
fn shaped_issuer(p: &mut Plan, sh: &mut Shapes, rng: &mut ChaCha8Rng) {
    for (s, f) in [
        (
            Shape::ProvDept,
            plan::prov_dept as fn(&mut ChaCha8Rng, i32) -> Option<Issuer>,
        ),
        (Shape::DevZone, plan::dev_zone),
    ] {
        if !sh.contains(s) || (s == Shape::DevZone && sh.contains(Shape::ProvDept)) {
            continue;
        }
        match (0..30).find_map(|_| f(rng, p.year)) {
            Some(iss) => p.issuer = iss,
            None => sh.remove(s),
        }
    }
}

/// How text layouts print the title.
fn title_lines(title: &str, year: i32, sh: Shapes, rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut lines = vec![title.to_string()];
    if sh.contains(Shape::TwoLineTitle) {
        // Issuer on the first line, the year and report name on the second, or
        // (when the title starts with the year) the report name alone.
        let y = year.to_string();
        let cut = if title.starts_with(&y) {
            title.find("政府信息公开")
        } else {
            title.find(&y)
        };
        if let Some(c) = cut.filter(|c| *c > 0) {
            lines = vec![title[..c].to_string(), title[c..].to_string()];
        }
    }
    if sh.contains(Shape::Leftovers) {
        match rng.random_range(0..3) {
            0 => lines[0].insert_str(0, "# "),
            1 => lines.last_mut().unwrap().push('('),
            _ => {
                lines[0].insert(0, '#');
                lines.last_mut().unwrap().push('（');
            }
        }
    } else if sh.contains(Shape::MdHeads) {
        lines[0].insert_str(0, "# ");
    }
    lines
}

/// A cover block: the issuer's name, and who compiled the report under which rules.
fn cover(iss: &Issuer, rng: &mut ChaCha8Rng) -> Vec<Block> {
    let who = if iss.gov {
        format!("{}办公室", iss.name)
    } else {
        iss.name.clone()
    };
    let mut v = Vec::new();
    if rng.random_bool(0.5) {
        v.push(Block::Para(iss.name.clone()));
    }
    v.push(Block::Para(format!(
        "本报告由{who}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求编制。"
    )));
    v
}

/// What stands before the first heading: a cover block, 附件, the intro.
fn opening(
    blocks: &mut Vec<Block>,
    intro: String,
    (d, sh, iss): (&Decor, Shapes, &Issuer),
    rng: &mut ChaCha8Rng,
    srng: &mut ChaCha8Rng,
) {
    blocks.insert(0, Block::Para(intro));
    if d.untitled && rng.random_bool(0.5) {
        blocks.insert(0, Block::Para("附件".into()));
    }
    if sh.contains(Shape::Cover) {
        blocks.splice(0..0, cover(iss, srng));
    }
}

fn paragraphs_of(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// The page in its layout, or as a crawler or converter left it; true when
/// table 3's cells lost their places (see [`crawled::render_markdown`]).
fn render_page(
    page: &Page,
    sh: Shapes,
    d: &Decor,
    iss: &Issuer,
    rng: &mut ChaCha8Rng,
    srng: &mut ChaCha8Rng,
) -> (&'static str, Vec<u8>, bool) {
    if sh.contains(Shape::OneLine) {
        ("txt", crawled::render_one_line(page).into_bytes(), false)
    } else if sh.contains(Shape::MdTable) {
        let (text, t3_unplaced) = crawled::render_markdown(page, srng);
        ("md", text.into_bytes(), t3_unplaced)
    } else {
        let (ext, bytes) = render::render(page, rng, iss, d.layout, d.glue);
        (ext, bytes, false)
    }
}

/// The navigation-words sentence (when that shape applies) and the line that
/// opens a problems part without a heading.
fn shaped_sentences(
    sh: Shapes,
    iss: &Issuer,
    year: i32,
    srng: &mut ChaCha8Rng,
) -> (Option<String>, String) {
    let nav = sh.contains(Shape::NavWords).then(|| {
        fill(
            NAV_SENTENCES[srng.random_range(0..NAV_SENTENCES.len())],
            iss,
            year,
        )
        .replace("{n}", &srng.random_range(2..13).to_string())
        .replace("{m}", &srng.random_range(10..300).to_string())
    });
    let lead = [
        "（一）存在的主要问题".to_string(),
        format!("（一）{}年工作中存在问题的改进情况", year - 1),
    ][srng.random_range(0..2)]
    .clone();
    (nav, lead)
}

pub fn generate_one(seed: u64, i: u64, shapes: Shapes) -> Generated {
    generate_one_planted(seed, i, shapes, false)
}

/// Report `i`, with the plants of `plants` when `planted` (the truth in
/// its expected JSON under `plants`).
pub fn generate_one_planted(seed: u64, i: u64, shapes: Shapes, planted: bool) -> Generated {
    let mut p = plan(seed, i, 0, planted);
    let mut srng = stream(seed, i, 3);
    let mut sh = shapes.draw(&mut srng);
    shaped_issuer(&mut p, &mut sh, &mut srng);
    let mut rng = stream(seed, i, 2);
    let (iss, year) = (&p.issuer, p.year);
    let era = era_of(year);
    let pl = plants::plants(seed, i, era, planted);
    let figs = draw_figures(&mut rng, iss, era, pl.zero_requests);
    let d = draw_decor(&mut rng, iss, era);
    sh = applicable(sh, &d, era);
    let title = draw_title(&mut rng, iss, year);
    let mut hstyle: u8 = rng.random_range(0..4);
    if sh.contains(Shape::DotHeads) {
        hstyle = 4;
    }
    let intro = intro_of(iss, year, d.untitled);
    let (prob_paras, prob_phrases) = problems_text(seed, i, &p, 0, planted);
    let spam_s = d
        .spam
        .then(|| spam_sentence(&mut rng, iss.we, d.spam_tok, year));
    let mut ov_paras = overview_paras(&mut rng, iss, year);
    if sh.contains(Shape::SectionLikeSubheads) {
        ov_paras.splice(0..0, prose::section_like_subheads(iss, year));
    }
    let ov_first = format!("{year}年，{}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。", iss.name);
    let (nav, lead) = shaped_sentences(sh, iss, year, &mut srng);
    let no_heading = sh
        .contains(Shape::NoProblemsHeading)
        .then(|| (!prob_paras[0].starts_with("（一）")).then_some(lead.as_str()));
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
            md_heads: sh.contains(Shape::MdHeads),
            nav_sentence: nav.as_deref(),
            no_problems_heading: no_heading,
        },
        &mut rng,
    );
    shaped_expectations(sh, era, &d, &figs, &mut body);
    let (top, bottom, published) = render::chrome(&mut rng, iss, year, d.layout, pl.late);
    opening(&mut body.blocks, intro, (&d, sh, iss), &mut rng, &mut srng);
    let shown_title = (!d.untitled).then(|| title.clone());
    let mut page = Page {
        title_lines: shown_title
            .as_deref()
            .map(|t| title_lines(t, year, sh, &mut srng))
            .unwrap_or_default(),
        title: shown_title,
        span_soup: sh.contains(Shape::SpanSoup),
        top,
        blocks: std::mem::take(&mut body.blocks),
        bottom,
    };
    let paragraphs = paragraphs_of(&page.blocks);
    let pinyin_used = d
        .trad
        .then(|| {
            // Only where the round trip gives back the names and checked phrases.
            let must: Vec<String> = [iss.name.clone(), title.clone()]
                .into_iter()
                .chain(prob_phrases.iter().chain(&body.other_phrase).cloned())
                .chain([prob_paras[0].chars().take(14).collect(), ov_first.clone()])
                .collect();
            render::traditional(&mut page, &must, &mut rng)
        })
        .flatten();
    if sh.contains(Shape::Wraps) {
        shapes::wrap_paragraphs(&mut page.blocks, &mut srng);
    }
    let (ext, bytes, t3_unplaced) = render_page(&page, sh, &d, iss, &mut rng, &mut srng);
    if t3_unplaced {
        body::blank_t3_unknown(&mut body.figures, &mut body.absent);
    }
    let file = format!("{i:06}.{ext}");
    let mut expected = expected::expected(&Truth {
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
        shapes: sh,
        overview_phrases: nav
            .iter()
            .cloned()
            .chain(
                sh.contains(Shape::SectionLikeSubheads)
                    .then(|| ov_paras[0].1.chars().take(20).collect()),
            )
            .collect(),
    });
    if planted {
        let unshaped = plan(seed, i, 0, true);
        expected["plants"] = plants::truth(seed, i, &unshaped, &iss.name, shapes);
    }
    Generated {
        file,
        bytes,
        expected,
        paragraphs,
    }
}

/// What the parser can know of a body once a shape has damaged it: glued rows
/// with more than one reading; and a blank table-3 cell that keeps its place,
/// on a line of its own ending in " |" or as an empty cell of a converter's
/// pipe row (both give every other cell of table 3).
fn shaped_expectations(sh: Shapes, era: Era, d: &Decor, figs: &Figs, body: &mut Body) {
    if sh.contains(Shape::OneLine) && era != Era::Narrative {
        crawled::drop_unreadable_glued_rows(figs, era, &mut body.figures, &mut body.absent);
    }
    let md = sh.contains(Shape::MdTable);
    if let Some(blank) = d.blank_t3.filter(|_| md || d.layout == Layout::PipeLines) {
        body::blank_t3_keeps_its_place(figs, blank, &mut body.figures, &mut body.absent);
    }
}

/// Writes `count` reports into `out`; returns the number written.
pub fn generate(count: u64, out: &Path, seed: u64, shapes: Shapes) -> Result<u64> {
    generate_planted(count, out, seed, shapes, false)
}

/// Like [`generate`], with the plants the cross-report features must find
/// when `planted` (`plants`).
pub fn generate_planted(
    count: u64,
    out: &Path,
    seed: u64,
    shapes: Shapes,
    planted: bool,
) -> Result<u64> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    (0..count).into_par_iter().try_for_each(|i| -> Result<()> {
        let g = generate_one_planted(seed, i, shapes, planted);
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
            let a = generate_one(42, i, Shapes::all());
            let b = generate_one(42, i, Shapes::all());
            assert_eq!(a.bytes, b.bytes);
            assert_eq!(a.expected, b.expected);
            assert_eq!(a.file, b.file);
        }
        assert_ne!(
            generate_one(42, 3, Shapes::all()).bytes,
            generate_one(43, 3, Shapes::all()).bytes
        );
    }

    #[test]
    fn consistent_figures_unless_broken() {
        let mut broken = 0;
        for i in 0..300 {
            let g = generate_one(7, i, Shapes::NONE);
            let checks = g.expected["checks"].as_object().unwrap();
            if checks.values().any(|v| v == false) {
                broken += 1;
            }
        }
        assert!(broken < 40, "{broken} broken of 300");
    }

    #[test]
    fn every_shape_reaches_five_percent_and_none_leaves_reports_unmarked() {
        let n = 1500;
        let mut count = [0usize; Shape::ALL.len()];
        for i in 0..n {
            let g = generate_one(5, i, Shapes::all());
            for s in g.expected["shapes"].as_array().into_iter().flatten() {
                let k = Shape::ALL.iter().position(|x| x.name() == s).unwrap();
                count[k] += 1;
            }
        }
        for (s, c) in Shape::ALL.iter().zip(count) {
            assert!(c * 20 >= n as usize, "{}: {c} of {n}", s.name());
        }
        assert!(generate_one(5, 1, Shapes::NONE)
            .expected
            .get("shapes")
            .is_none());
    }

    #[test]
    fn enabling_one_shape_changes_only_its_reports() {
        let only: Shapes = "wraps".parse().unwrap();
        for i in 0..200 {
            let a = generate_one(9, i, Shapes::NONE);
            let b = generate_one(9, i, only);
            if b.expected.get("shapes").is_none() {
                assert_eq!(a.bytes, b.bytes, "report {i}");
            } else {
                assert_ne!(a.bytes, b.bytes, "report {i}");
                // PDF text wraps at a character count: lines move with the spaces.
                // (GBK pages are left out: spaces land inside their byte pairs.)
                let strip = |v: &[u8]| -> Option<String> {
                    Some(std::str::from_utf8(v).ok()?.split_whitespace().collect())
                };
                if let (Some(x), Some(y)) = (strip(&a.bytes), strip(&b.bytes)) {
                    assert_eq!(x, y, "report {i}");
                }
            }
        }
    }
}
