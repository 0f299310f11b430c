//! The parser's warnings in Chinese, for the page. The parser writes them in
//! English (scripts and `gongkai check` read those); this table maps each kind
//! to a sentence a Chinese reader understands, keeping its numbers and names.

use super::checks::CHECKS;
use crate::parse::sections::SectionKey;
use regex::{Captures, Regex};
use std::sync::LazyLock;

type Render = fn(&Captures) -> String;

/// One pattern per warning kind the parser emits (src/parse), anchored.
static KINDS: LazyLock<Vec<(Regex, Render)>> = LazyLock::new(|| {
    let table: [(&str, Render); 15] = [
        (r"^check failed: (\w+)$", |c| {
            format!("校验未通过：{}", check_label(&c[1]))
        }),
        (r"^title missing: composed from issuer and year$", |_| {
            "报告没有标题：标题由发布机关和年份组成".into()
        }),
        (r"^year unknown$", |_| "未识别出报告年度".into()),
        (r"^issuer unknown$", |_| "未识别出发布机关".into()),
        (r"^region unknown$", |_| "未识别出所属地区".into()),
        (r"^section (\w+) not found$", |c| {
            let label = SectionKey::parse(&c[1]).map_or(&c[1], |k| k.label_zh());
            format!("未找到章节“{label}”")
        }),
        (r"^table 3 not found$", |_| {
            "未找到表三（行政复议、行政诉讼情况）".into()
        }),
        (r"^table 2: requests received not found$", |_| {
            "表二中未找到“本年新收政府信息公开申请数量”".into()
        }),
        (
            r"^table 3: glued numbers (.*) have (\d+\+?) readings; left unknown$",
            |c| {
                format!(
                    "表三：粘连的数字 {} 有 {} 种读法，无法确定，未取值",
                    &c[1], &c[2]
                )
            },
        ),
        (r"^table 3 has (\d+) of 15 numbers; left unknown$", |c| {
            format!("表三只读到 {} 个数字（应为 15 个），未取值", &c[1])
        }),
        (
            r"^table 2: (?:an unlabelled row of numbers|the numbers after (.*)) fit more than one template row; left unknown$",
            |c| {
                let what = c.get(1).map_or("一行无标签的数字".to_string(), |l| {
                    format!("{}之后的数字", l.as_str())
                });
                format!("表二：{what}可对应模板中的多行，无法确定，未取值")
            },
        ),
        (
            r"^table 2: (\d+) groups of numbers; only the first (\d+) read$",
            |c| format!("表二：共 {} 组数字，只读取了前 {} 组", &c[1], &c[2]),
        ),
        (
            r"^table 2: stray number (.*) on a line of its own, not a cell$",
            |c| format!("表二：单独成行的数字 {} 不属于任何单元格", &c[1]),
        ),
        (
            r"^table 1 row (.*): (\d+) numbers, not the template's count$",
            |c| format!("表一“{}”行有 {} 个数字，与模板的列数不符", &c[1], &c[2]),
        ),
        (
            r"^table 2 row (.*): glued cells have (\d+\+?) readings; left unknown$",
            |c| {
                format!(
                    "表二“{}”行：粘连的单元格有 {} 种读法，无法确定，未取值",
                    &c[1], &c[2]
                )
            },
        ),
    ];
    let reader: [(&str, Render); 3] = [
        (r"^the page's </title> is missing or corrupted", |_| {
            "网页的标题标签缺失或损坏：标题按正文读取".into()
        }),
        (
            r"^elements nested deeper than (\d+): (\d+) tags flattened",
            |c| {
                format!(
                    "网页元素嵌套超过 {} 层：{} 个标签被展平（文字保留）",
                    &c[1], &c[2]
                )
            },
        ),
        (
            r"^table spans past the page's budget of grid cells: (\d+) spans ignored",
            |c| {
                format!(
                    "网页表格的合并单元格超出上限：忽略 {} 处合并（文字保留）",
                    &c[1]
                )
            },
        ),
    ];
    table
        .into_iter()
        .chain(reader)
        .map(|(re, f)| (Regex::new(re).expect("warning pattern"), f))
        .collect()
});

/// The Chinese name of a consistency check.
pub fn check_label(check: &str) -> &str {
    match check {
        "requests_balance" => "申请数平衡（新收＋上年结转＝办理总计＋结转下年）",
        "requests_outcomes_sum" => "办理结果合计（各项办理结果之和＝总计）",
        "requests_columns_sum" => "申请人列合计（各类申请人之和＝总计列）",
        "review_sum" => "复议诉讼合计（维持＋纠正＋其他＋未审结＝总计）",
        other => {
            debug_assert!(!CHECKS.contains(&other), "check {other} has no label");
            other
        }
    }
}

/// A warning in Chinese; a kind this table does not know is prefixed so the
/// reader sees it is the parser's own wording.
pub fn warning_zh(w: &str) -> String {
    KINDS
        .iter()
        .find_map(|(re, f)| re.captures(w).map(|c| f(&c)))
        .unwrap_or_else(|| format!("解析提示（原文）：{w}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_in_chinese() {
        let cases = [
            ("check failed: requests_balance", "校验未通过：申请数平衡"),
            ("section problems not found", "未找到章节“存在的主要问题及改进情况”"),
            ("table 3 has 9 of 15 numbers; left unknown", "表三只读到 9 个数字"),
            (
                "table 2: the numbers after \"(一)予以公开\" fit more than one template row; left unknown",
                "表二：\"(一)予以公开\"之后的数字",
            ),
            ("table 2: an unlabelled row of numbers fit more than one template row; left unknown", "一行无标签的数字"),
            ("region unknown", "未识别出所属地区"),
            ("table 1 row 规章: 2 numbers, not the template's count", "表一“规章”行有 2 个数字"),
        ];
        for (en, zh) in cases {
            let got = warning_zh(en);
            assert!(got.starts_with(zh) || got.contains(zh), "{en} → {got}");
            assert!(!got.contains("unknown"), "{got}");
        }
        assert_eq!(
            warning_zh("something new"),
            "解析提示（原文）：something new"
        );
        for c in CHECKS {
            assert_ne!(check_label(c), c);
        }
    }
}
