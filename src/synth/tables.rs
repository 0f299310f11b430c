//! The document model (headings, paragraphs, tables of spanned cells) and the
//! three statistical tables built from figures.

use super::plan::Era;
use crate::parse::figures::{Figures as Figs, COLUMNS as COLS};

#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) rs: usize,
    pub(super) cs: usize,
}

pub(super) fn c(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        rs: 1,
        cs: 1,
    }
}
pub(super) fn cs(text: impl Into<String>, n: usize) -> Cell {
    Cell {
        text: text.into(),
        rs: 1,
        cs: n,
    }
}
pub(super) fn rs(text: impl Into<String>, n: usize) -> Cell {
    Cell {
        text: text.into(),
        rs: n,
        cs: 1,
    }
}

#[derive(Debug, Clone)]
pub(super) enum Block {
    Heading(String),
    Para(String),
    Table(Vec<Vec<Cell>>),
}

pub(super) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub(super) fn table1(f: &Figs, era: Era) -> Vec<Vec<Cell>> {
    let n = |k: &str| fmt_num(f[k]);
    let mut t = Vec::new();
    if era == Era::T2021 {
        t.push(vec![cs("第二十条第（一）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("本年制发件数"),
            c("本年废止件数"),
            c("现行有效件数"),
        ]);
        for (l, k) in [("规章", "rules"), ("行政规范性文件", "normative_docs")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.issued"))),
                c(n(&format!("{k}.repealed"))),
                c(n(&format!("{k}.in_force"))),
            ]);
        }
        t.push(vec![cs("第二十条第（五）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年处理决定数量", 3)]);
        t.push(vec![c("行政许可"), cs(n("licensing.decisions"), 3)]);
        t.push(vec![cs("第二十条第（六）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年处理决定数量", 3)]);
        t.push(vec![c("行政处罚"), cs(n("penalty.decisions"), 3)]);
        t.push(vec![c("行政强制"), cs(n("coercion.decisions"), 3)]);
        t.push(vec![cs("第二十条第（八）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年收费金额（单位：万元）", 3)]);
        t.push(vec![c("行政事业性收费"), cs(n("fees.amount_wan_yuan"), 3)]);
    } else {
        t.push(vec![cs("第二十条第（一）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("本年新制作数量"),
            c("本年新公开数量"),
            c("对外公开总数量"),
        ]);
        for (l, k) in [("规章", "rules"), ("规范性文件", "normative_docs")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.made"))),
                c(n(&format!("{k}.published"))),
                c(n(&format!("{k}.total_published"))),
            ]);
        }
        t.push(vec![cs("第二十条第（五）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("上一年项目数量"),
            c("本年增/减"),
            c("处理决定数量"),
        ]);
        for (l, k) in [
            ("行政许可", "licensing"),
            ("其他对外管理服务事项", "other_services"),
        ] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.items_prev_year"))),
                c(n(&format!("{k}.items_change"))),
                c(n(&format!("{k}.decisions"))),
            ]);
        }
        t.push(vec![cs("第二十条第（六）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("上一年项目数量"),
            c("本年增/减"),
            c("处理决定数量"),
        ]);
        for (l, k) in [("行政处罚", "penalty"), ("行政强制", "coercion")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.items_prev_year"))),
                c(n(&format!("{k}.items_change"))),
                c(n(&format!("{k}.decisions"))),
            ]);
        }
        t.push(vec![cs("第二十条第（八）项", 4)]);
        t.push(vec![c("信息内容"), c("上一年项目数量"), cs("本年增/减", 2)]);
        t.push(vec![
            c("行政事业性收费"),
            c(n("fees.items_prev_year")),
            cs(n("fees.items_change"), 2),
        ]);
        t.push(vec![cs("第二十条第（九）项", 4)]);
        t.push(vec![c("信息内容"), c("采购项目数量"), cs("采购总金额", 2)]);
        t.push(vec![
            c("政府集中采购"),
            c(n("procurement.projects")),
            cs(n("procurement.amount_wan_yuan"), 2),
        ]);
    }
    t
}

pub(super) const T2_LABELS: &[(&str, &str)] = &[
    ("granted", "（一）予以公开"),
    (
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.query_matter", "8.属于行政查询事项"),
    ("unable.not_held", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.excessive", "4.无正当理由大量反复申请"),
    (
        "not_processed.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other.other", "3.其他"),
    ("other.total", "（六）其他处理"),
    ("handled", "（七）总计"),
];

pub(super) fn label_of(row: &str) -> &'static str {
    T2_LABELS.iter().find(|(k, _)| *k == row).unwrap().1
}

/// Table 2; `only_total` leaves the six applicant columns empty.
pub(super) fn table2(f: &Figs, era: Era, only_total: bool) -> Vec<Vec<Cell>> {
    let nums = |row: &str| -> Vec<Cell> {
        COLS.iter()
            .map(|col| {
                if only_total && *col != "total" {
                    c("")
                } else {
                    c(fmt_num(f[&format!("requests.{row}.{col}")]))
                }
            })
            .collect()
    };
    let mut t = Vec::new();
    t.push(vec![
        Cell {
            text: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）".into(),
            rs: 3,
            cs: 3,
        },
        cs("申请人情况", 7),
    ]);
    t.push(vec![
        rs("自然人", 2),
        cs("法人或其他组织", 5),
        rs("总计", 2),
    ]);
    t.push(vec![
        c("商业企业"),
        c("科研机构"),
        c("社会公益组织"),
        c("法律服务机构"),
        c("其他"),
    ]);
    let mut row = |head: Vec<Cell>, key: &str| {
        let mut r = head;
        r.extend(nums(key));
        t.push(r);
    };
    row(vec![cs("一、本年新收政府信息公开申请数量", 3)], "new");
    row(
        vec![cs("二、上年结转政府信息公开申请数量", 3)],
        "carried_in",
    );
    let n_out = if era == Era::T2019 { 19 } else { 21 } + 1;
    row(
        vec![rs("三、本年度办理结果", n_out), cs(label_of("granted"), 2)],
        "granted",
    );
    row(vec![cs(label_of("partial"), 2)], "partial");
    for (gi, (glabel, rows)) in [
        ("（三）不予公开", &crate::model::checks::OUTCOME_ROWS[2..10]),
        (
            "（四）无法提供",
            &crate::model::checks::OUTCOME_ROWS[10..13],
        ),
        (
            "（五）不予处理",
            &crate::model::checks::OUTCOME_ROWS[13..18],
        ),
    ]
    .iter()
    .enumerate()
    {
        let _ = gi;
        for (k, r) in rows.iter().enumerate() {
            let mut head = Vec::new();
            if k == 0 {
                head.push(rs(*glabel, rows.len()));
            }
            head.push(c(label_of(r)));
            row(head, r);
        }
    }
    if era == Era::T2019 {
        row(vec![cs(label_of("other.total"), 2)], "other.total");
    } else {
        for (k, r) in [
            "other.overdue_correction",
            "other.unpaid_fee",
            "other.other",
        ]
        .iter()
        .enumerate()
        {
            let mut head = Vec::new();
            if k == 0 {
                head.push(rs("（六）其他处理", 3));
            }
            head.push(c(label_of(r)));
            row(head, r);
        }
    }
    row(vec![cs(label_of("handled"), 2)], "handled");
    row(vec![cs("四、结转下年度继续办理", 3)], "carried_over");
    t
}

pub(super) fn table3(f: &Figs, blank: Option<usize>) -> Vec<Vec<Cell>> {
    let mut t = Vec::new();
    t.push(vec![cs("行政复议", 5), cs("行政诉讼", 10)]);
    let mut r2: Vec<Cell> = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        .iter()
        .map(|s| rs(*s, 2))
        .collect();
    r2.push(cs("未经复议直接起诉", 5));
    r2.push(cs("复议后起诉", 5));
    t.push(r2);
    t.push(
        (0..2)
            .flat_map(|_| ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
            .map(c)
            .collect(),
    );
    let mut nums = Vec::new();
    for g in ["review", "litigation.direct", "litigation.after_review"] {
        for k in ["upheld", "corrected", "other", "pending", "total"] {
            let s = fmt_num(f[&format!("{g}.{k}")]);
            nums.push(c(if blank == Some(nums.len()) {
                String::new()
            } else {
                s
            }));
        }
    }
    t.push(nums);
    t
}
