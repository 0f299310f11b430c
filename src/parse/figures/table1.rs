//! Table 1 (主动公开政府信息情况): a few rows named by exact labels, each with
//! as many numbers as its template columns.

use super::tokens::Tok;
use super::{key, num, Extracted, Template};

fn table1_row(label: &str) -> Option<&'static str> {
    let l = label.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "(). 、一二三四五六七八九十".contains(c)
    });
    let l = l.trim_end_matches([':', '|']);
    Some(match l {
        "规章" => "rules",
        "行政规范性文件" | "规范性文件" => "normative_docs",
        "行政许可" => "licensing",
        "行政处罚" => "penalty",
        "行政强制" => "coercion",
        "行政事业性收费" => "fees",
        "政府集中采购" => "procurement",
        _ if l.starts_with("其他对外管理服务") => "other_services",
        _ => return None,
    })
}

fn table1_columns(row: &str, n: usize, t: Template) -> Option<&'static [&'static str]> {
    Some(match (t, row, n) {
        (Template::T2021, "rules" | "normative_docs", 3) => &["issued", "repealed", "in_force"],
        (Template::T2021, "licensing" | "penalty" | "coercion", 1) => &["decisions"],
        (Template::T2021, "fees", 1) => &["amount_wan_yuan"],
        (Template::T2019, "rules" | "normative_docs", 3) => {
            &["made", "published", "total_published"]
        }
        (Template::T2019, "licensing" | "penalty" | "coercion" | "other_services", 3) => {
            &["items_prev_year", "items_change", "decisions"]
        }
        (Template::T2019, "fees", 2) => &["items_prev_year", "items_change"],
        (Template::T2019, "procurement", 2) => &["projects", "amount_wan_yuan"],
        _ => return None,
    })
}

pub(super) fn table1(toks: &[Tok], t: Template, ex: &mut Extracted) {
    let mut cur: Option<&'static str> = None;
    let mut nums: Vec<&str> = Vec::new();
    let finish = |row: Option<&'static str>, nums: &mut Vec<&str>, ex: &mut Extracted| {
        if let Some(row) = row {
            match table1_columns(row, nums.len(), t) {
                Some(cols) => {
                    for (c, v) in cols.iter().zip(nums.iter()) {
                        if let Some(v) = num(v) {
                            ex.figures.insert(key(&[row, c]), v);
                        }
                    }
                }
                None if !nums.is_empty() => ex.warnings.push(format!(
                    "table 1 row {row}: {} numbers, not the template's count",
                    nums.len()
                )),
                None => {}
            }
        }
        nums.clear();
    };
    for tok in toks {
        match tok {
            Tok::Label(l) => {
                if let Some(row) = table1_row(l) {
                    finish(cur, &mut nums, ex);
                    cur = Some(row);
                } else if cur.is_some() && !nums.is_empty() {
                    // A header or prose after the numbers closes the row.
                    finish(cur, &mut nums, ex);
                    cur = None;
                }
            }
            Tok::Num(n) => {
                if cur.is_some() {
                    nums.push(n)
                }
            }
        }
    }
    finish(cur, &mut nums, ex);
}
