//! The sections of one report as blocks, with the figures and sections a reader
//! can take from them: free prose before 2019, the template's tables after.

use super::figures::small;
use super::plan::{Era, Issuer};
use super::prose::{fill, CN_NUM, OTHER_2021, OTHER_NARR, PROACTIVE_NARR};
use super::tables::{table1, table2, table3, Block};
use crate::parse::figures::Figures as Figs;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What the body is made of, drawn before it is written.
pub(super) struct BodyInput<'a> {
    pub(super) iss: &'a Issuer,
    pub(super) year: i32,
    pub(super) era: Era,
    pub(super) hstyle: u8,
    pub(super) ov_first: &'a str,
    pub(super) spam_sentence: Option<&'a str>,
    pub(super) overview_paras: &'a [(String, String)],
    pub(super) prob_paras: &'a [String],
    /// Template era: the consistent (or deliberately broken) table figures.
    pub(super) figs: &'a Figs,
    pub(super) only_total: bool,
    pub(super) blank_t3: Option<usize>,
    /// Shapes: `##` headings and `###` overview sub-headings.
    pub(super) md_heads: bool,
    /// Shapes: a sentence with navigation words, after the first overview one.
    pub(super) nav_sentence: Option<&'a str>,
    /// Shapes: no problems heading; the part opens with this line instead
    /// (None: it opens with the paragraphs' own `（一）`).
    pub(super) no_problems_heading: Option<Option<&'a str>>,
}

/// The written body and the ground truth it carries.
pub(super) struct Body {
    pub(super) blocks: Vec<Block>,
    pub(super) figures: Figs,
    pub(super) absent: Vec<String>,
    pub(super) sections: Vec<&'static str>,
    /// A phrase certain to be in the "other" section (and not in problems).
    pub(super) other_phrase: Option<String>,
}

impl Body {
    fn new() -> Self {
        Body {
            blocks: Vec::new(),
            figures: Figs::new(),
            absent: Vec::new(),
            sections: vec!["overview", "proactive", "requests", "appeals", "problems"],
            other_phrase: None,
        }
    }

    /// A numbered top-level heading in the report's numbering style.
    fn heading(&mut self, b: &BodyInput, text: &str) {
        let k = self
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading(_)))
            .count();
        let h = sec_heading(b.hstyle, k, text);
        self.blocks.push(Block::Heading(if b.md_heads {
            format!("## {h}")
        } else {
            h
        }));
    }

    fn para(&mut self, s: impl Into<String>) {
        self.blocks.push(Block::Para(s.into()));
    }

    fn overview(&mut self, b: &BodyInput) {
        self.para(b.ov_first);
        if let Some(s) = b.nav_sentence {
            self.para(s);
        }
        if let Some(s) = b.spam_sentence {
            self.para(s);
        }
        for (n, (h, t)) in b.overview_paras.iter().enumerate() {
            if b.md_heads {
                self.para(format!("### （{}）{h}", CN_NUM[n]));
                self.para(t.clone());
            } else {
                self.para(format!("（{}）{h}。{t}", CN_NUM[n]));
            }
        }
    }
}

pub(super) fn sec_heading(style: u8, k: usize, text: &str) -> String {
    let n = CN_NUM[k];
    match style {
        0 => format!("{n}、{text}"),
        1 => format!("{n}.{text}"),
        2 => format!("第{n}部分 {text}"),
        3 => format!("{n}、 {text}"),
        // Numbered like table rows (`1.属于国家秘密`).
        _ => format!("{}.{text}", k + 1),
    }
}

pub(super) fn body(b: &BodyInput, rng: &mut ChaCha8Rng) -> Body {
    if b.era == Era::Narrative {
        narrative(b, rng)
    } else {
        template(b, rng)
    }
}

/// Before 2019: numbered prose sections, figures stated in sentences.
fn narrative(b: &BodyInput, rng: &mut ChaCha8Rng) -> Body {
    let (iss, year) = (b.iss, b.year);
    let mut o = Body::new();
    let h_over = ["概述", "基本情况", "总体情况", "概述"][rng.random_range(0..4)];
    o.heading(b, h_over);
    o.overview(b);
    let extras: Vec<(String, String)> = {
        let mut v: Vec<usize> = (0..OTHER_NARR.len()).collect();
        v.shuffle(rng);
        v.into_iter()
            .take(rng.random_range(0..3))
            .map(|j| {
                (
                    fill(OTHER_NARR[j].0, iss, year),
                    fill(OTHER_NARR[j].1, iss, year),
                )
            })
            .collect()
    };
    let early_extra = !extras.is_empty() && rng.random_bool(0.4);
    if early_extra {
        o.heading(b, &extras[0].0);
        o.para(extras[0].1.clone());
        o.other_phrase = Some(extras[0].1.chars().skip(4).take(16).collect());
    }
    o.heading(
        b,
        ["主动公开政府信息的情况", "主动公开政府信息情况"][rng.random_range(0..2)],
    );
    let pn = small(rng, iss.scale.max(1)) * 7 + 12;
    o.para(
        fill(PROACTIVE_NARR.choose(rng).unwrap(), iss, year)
            .replace("{n}", &pn.to_string())
            .replace("{m}", &(pn / 3).to_string()),
    );
    narrative_requests(b, &mut o, rng);
    narrative_appeals(b, &mut o, rng);
    o.heading(
        b,
        [
            "存在的不足和改进措施",
            "存在问题及改进措施",
            "工作中存在的主要问题和改进措施",
            "存在的主要问题及改进情况",
        ][rng.random_range(0..4)],
    );
    for pp in b.prob_paras {
        o.para(pp.clone());
    }
    for (h, t) in extras.iter().skip(early_extra as usize) {
        o.heading(b, h);
        o.para(t.clone());
        if o.other_phrase.is_none() {
            o.other_phrase = Some(t.chars().skip(4).take(16).collect());
        }
    }
    if !extras.is_empty() {
        o.sections.push("other");
    }
    o.absent.extend([
        "licensing.decisions".into(),
        "requests.new.natural_person".into(),
        "rules.issued".into(),
    ]);
    o
}

/// The requests section of a narrative report: one sentence, usually with a count.
fn narrative_requests(b: &BodyInput, o: &mut Body, rng: &mut ChaCha8Rng) {
    let (we, year) = (b.iss.we, b.year);
    o.heading(
        b,
        [
            "依申请公开政府信息办理情况",
            "依申请公开情况",
            "依申请公开政府信息情况",
        ][rng.random_range(0..3)],
    );
    let req = small(rng, b.iss.scale);
    let granted = req * 6 / 10;
    let stated = rng.random_bool(0.92);
    let sent = if !stated {
        format!("{we}按照规定程序办理依申请公开事项，做到按时答复。")
    } else if req == 0 && rng.random_bool(0.6) {
        format!("{year}年，{we}未收到政府信息公开申请。")
    } else {
        let forms = [
            format!("{year}年，{we}共受理政府信息公开申请{req}件，已全部按时答复，其中同意公开{granted}件。"),
            format!("全年共收到信息公开申请{req}件，均在法定期限内办结。"),
            format!("{year}年度，{we}受理公开政府信息申请{req}件，其中当面申请{}件，网络申请{}件。", req / 3, req - req / 3),
            format!("本年度{we}办理政府信息公开申请共{req}件，答复率100%。"),
            format!("{year}年，{we}接到依申请公开信息申请{req}件，按期办结。"),
        ];
        forms.choose(rng).unwrap().clone()
    };
    o.para(sent);
    if stated {
        o.figures.insert("requests.new.total".into(), req as f64);
    } else {
        o.absent.push("requests.new.total".into());
    }
}

/// The appeals section of a narrative report: review and litigation in sentences.
fn narrative_appeals(b: &BodyInput, o: &mut Body, rng: &mut ChaCha8Rng) {
    let (iss, we, year) = (b.iss, b.iss.we, b.year);
    o.heading(
        b,
        [
            "因政府信息公开申请行政复议、提起行政诉讼的情况",
            "因政府信息公开申请提起行政复议、行政诉讼情况",
            "信息公开相关举报、复议、诉讼情况",
        ][rng.random_range(0..3)],
    );
    let rv = if iss.scale >= 1 && rng.random_bool(0.4) {
        rng.random_range(1..(4 + 6 * iss.scale as i64))
    } else {
        0
    };
    let lt = if iss.scale >= 1 && rng.random_bool(0.3) {
        rng.random_range(1..(3 + 5 * iss.scale as i64))
    } else {
        0
    };
    let f = &mut o.figures;
    let mut app = String::new();
    if rv == 0 && lt == 0 {
        let zero = [
            "本年度未发生因政府信息公开申请行政复议、行政诉讼的情况。".to_string(),
            format!("{year}年，{we}未发生因政府信息公开引起的行政复议和行政诉讼案件。"),
            "全年没有因政府信息公开工作被申请行政复议或提起行政诉讼的情况。".to_string(),
        ];
        app.push_str(&zero[rng.random_range(0..3)]);
        f.insert("review.total".into(), 0.0);
        f.insert("litigation.total".into(), 0.0);
        o.para(app);
        return;
    }
    if rv > 0 {
        let up = rng.random_range(0..=rv);
        let co = rv - up;
        match rng.random_range(0..3) {
            0 => app.push_str(&format!("因政府信息公开被申请行政复议{rv}件，其中维持{up}件，依法纠错{co}件。")),
            1 => app.push_str(&format!("全年涉及政府信息公开的行政复议案件共{rv}起，复议机关决定维持的{up}起，责令重新答复的{co}起。")),
            _ => app.push_str(&format!("{we}收到政府信息公开行政复议{rv}件，结果为维持原答复{up}件、撤销原答复{co}件。")),
        }
        f.insert("review.total".into(), rv as f64);
        f.insert("review.upheld".into(), up as f64);
        f.insert("review.corrected".into(), co as f64);
    } else {
        app.push_str("本年度未发生因政府信息公开引起的行政复议。");
        f.insert("review.total".into(), 0.0);
    }
    if lt > 0 {
        let up = rng.random_range(0..=lt);
        match rng.random_range(0..2) {
            0 => app.push_str(&format!(
                "被提起行政诉讼{lt}件，法院判决驳回诉讼请求{up}件。"
            )),
            _ => app.push_str(&format!(
                "涉及政府信息公开的行政诉讼{lt}件，其中维持具体行政行为或驳回原告诉讼请求{up}件。"
            )),
        }
        f.insert("litigation.total".into(), lt as f64);
        f.insert("litigation.upheld".into(), up as f64);
    } else {
        app.push_str("全年未发生政府信息公开行政诉讼。");
        f.insert("litigation.total".into(), 0.0);
    }
    o.para(app);
}

/// 2019 and later: the template's six sections and three tables.
fn template(b: &BodyInput, rng: &mut ChaCha8Rng) -> Body {
    let (iss, year, era) = (b.iss, b.year, b.era);
    let mut o = Body::new();
    o.heading(b, "总体情况");
    o.overview(b);
    o.heading(b, "主动公开政府信息情况");
    o.blocks.push(Block::Table(table1(b.figs, era)));
    o.heading(b, "收到和处理政府信息公开申请情况");
    o.blocks
        .push(Block::Table(table2(b.figs, era, b.only_total)));
    o.heading(b, "政府信息公开行政复议、行政诉讼情况");
    o.blocks.push(Block::Table(table3(b.figs, b.blank_t3)));
    match b.no_problems_heading {
        None => o.heading(b, "存在的主要问题及改进情况"),
        Some(Some(lead)) => o.para(lead),
        Some(None) => {}
    }
    for pp in b.prob_paras {
        o.para(pp.clone());
    }
    o.heading(b, "其他需要报告的事项");
    let other = fill(OTHER_2021.choose(rng).unwrap(), iss, year)
        .replace("{n}", &rng.random_range(1..40).to_string())
        .replace("{m}", &rng.random_range(1..30).to_string());
    o.other_phrase = Some(other.chars().take(14).collect());
    o.para(other);
    o.sections.push("other");
    template_figures(b, &mut o);
    o
}

/// Expected figures of a template report: what its tables state.
fn template_figures(b: &BodyInput, o: &mut Body) {
    for (k, v) in b.figs {
        let col = k.rsplit('.').next().unwrap();
        let t2 = k.starts_with("requests.");
        let t3 = k.starts_with("review.") || k.starts_with("litigation.");
        if t2 && b.only_total && col != "total" {
            continue;
        }
        if t3 && b.blank_t3.is_some() {
            continue;
        }
        o.figures.insert(k.clone(), *v);
    }
    if b.only_total {
        o.absent.extend([
            "requests.new.natural_person".into(),
            "requests.granted.commercial".into(),
        ]);
    }
    if b.blank_t3.is_some() {
        blank_t3_unknown(&mut o.figures, &mut o.absent);
    } else {
        o.figures.insert(
            "litigation.total".into(),
            b.figs["litigation.direct.total"] + b.figs["litigation.after_review.total"],
        );
    }
    if b.era == Era::T2021 {
        o.absent
            .extend(["rules.made".into(), "procurement.projects".into()]);
    } else {
        o.absent.extend([
            "rules.issued".into(),
            "fees.amount_wan_yuan".into(),
            "requests.other.overdue_correction.total".into(),
        ]);
    }
}

/// Table 3 with a blank cell whose place is not known: none of its figures
/// (what [`body`] expects of it until a layout keeps the blank in its place).
pub(super) fn blank_t3_unknown(figures: &mut Figs, absent: &mut Vec<String>) {
    let t3 = |k: &str| k.starts_with("review.") || k.starts_with("litigation.");
    figures.retain(|k, _| !t3(k));
    absent.retain(|k| !t3(k));
    for g in ["review", "litigation.direct", "litigation.after_review"] {
        for c in ["upheld", "corrected", "other", "pending", "total"] {
            absent.push(format!("{g}.{c}"));
        }
    }
}

/// One cell a line ending in " |" keeps a blank cell of table 3 in its place
/// (a lone "|"): only that cell's figure is unknown, and litigation.total when
/// the blank is one of its parts.
pub(super) fn blank_t3_keeps_its_place(
    figs: &Figs,
    blank: usize,
    figures: &mut Figs,
    absent: &mut Vec<String>,
) {
    let groups = ["review", "litigation.direct", "litigation.after_review"];
    let cols = ["upheld", "corrected", "other", "pending", "total"];
    let blank_key = format!("{}.{}", groups[blank / 5], cols[blank % 5]);
    absent
        .retain(|k| *k == blank_key || !(k.starts_with("review.") || k.starts_with("litigation.")));
    for (i, g) in groups.iter().enumerate() {
        for (j, c) in cols.iter().enumerate() {
            let k = format!("{g}.{c}");
            if i * 5 + j != blank {
                figures.insert(k.clone(), figs[&k]);
            }
        }
    }
    if blank != 9 && blank != 14 {
        figures.insert(
            "litigation.total".into(),
            figs["litigation.direct.total"] + figs["litigation.after_review.total"],
        );
    }
}
