//! Table figures in the shapes real reports come in, and inputs built to make
//! the figure reader slow (issue 13): generated here, never committed.

use gongkai::model::report::Report;
use std::path::Path;
use std::time::{Duration, Instant};

/// The hand-made fixtures (shapes seen in public reports) against their golden files.
#[test]
fn fixtures_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden = crate::common::golden_files(&root.join("tests/fixtures/figures"), 5);
    let (stdout, ok) = crate::common::run_golden(&golden);
    assert!(ok, "golden check failed:\n{stdout}");
}

/// Parses a generated report and says how long it took.
fn timed(text: &str) -> (Report, Duration) {
    let t = Instant::now();
    let r = gongkai::parse::parse_bytes(text.as_bytes(), "txt").expect("parses");
    (r, t.elapsed())
}

fn report(tables: &str) -> String {
    format!(
        "某县2023年政府信息公开工作年度报告\n一、总体情况\n本县推进公开。\n三、收到和处理政府信息公开申请情况\n{tables}\n五、存在的主要问题及改进情况\n人员不足。\n"
    )
}

/// A debug build on a shared 2-core machine; a superlinear pass on these inputs takes minutes.
const LIMIT: Duration = Duration::from_secs(2);

#[test]
fn a_300000_digit_run_after_a_row_label_is_refused_quickly() {
    let digits: String = (0..300_000)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect();
    for text in [
        report(&format!("一、本年新收政府信息公开申请数量 {digits}")),
        report(&format!("一、本年新收政府信息公开申请数量{digits}")),
        report(&format!("行政复议 行政诉讼\n结果维持 总计\n{digits}")),
        report(&format!("规章 {digits} 0 0")),
    ] {
        let (r, took) = timed(&text);
        assert!(took < LIMIT, "{took:?}");
        assert!(
            r.figures.keys().all(|k| !k.starts_with("requests.new")),
            "no figure from a run no reading fits"
        );
        // A warning may cite the run, never copy it.
        assert!(r.warnings.iter().all(|w| w.len() < 400), "{:?}", r.warnings);
    }
}

#[test]
fn many_rows_glued_runs_and_labels_stay_linear() {
    // 20,000 rows that all name the same template row, each with seven cells.
    let rows = "（七）总计 1 2 3 4 5 6 21\n".repeat(20_000);
    // 5,000 glued runs with thousands of cuts each (only 25 rows are ever split).
    let glued = "（一）予以公开 1111111111111111111111111111111\n".repeat(5_000);
    // Labels without numbers, and number groups without labels.
    let labels = "二、上年结转政府信息公开申请数量\n".repeat(20_000);
    let numbers = "1 0 0 0 0 0 1\n".repeat(20_000);
    for body in [rows, glued, labels, numbers] {
        let (_, took) = timed(&report(&body));
        assert!(took < LIMIT, "{took:?}");
    }
}

#[test]
fn a_glued_total_row_is_settled_by_the_outcome_rows() {
    // 101000011 reads 1 0 10 0 0 0 11 or 10 1 0 0 0 0 11 by its own sum; the
    // outcome rows above it add up to 10 and 1.
    let t = "一、本年新收政府信息公开申请数量 91000010\n二、上年结转政府信息公开申请数量 1000001\n(一)予以公开 5100006\n(二)部分公开 0000000\n(四)无法提供 1.本机关不掌握相关政府信息 4000004\n(七)总计 101000011\n四、结转下年度继续办理 0000000";
    let (r, _) = timed(&report(t));
    // Not every outcome row is given: the outcome relation cannot decide, the balance leaves both.
    assert_eq!(r.figures.get("requests.handled.total"), None);
    let mut full = String::from(
        "一、本年新收政府信息公开申请数量 91000010\n二、上年结转政府信息公开申请数量 1000001\n(一)予以公开 5100006\n",
    );
    for label in [
        "(二)部分公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
    ] {
        full.push_str(&format!("{label} 0000000\n"));
    }
    full.push_str("1.本机关不掌握相关政府信息 5000005\n");
    for label in [
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "1.申请人无正当理由逾期不补正",
        "2.申请人逾期未按收费通知要求缴纳费用",
        "3.其他",
    ] {
        full.push_str(&format!("{label} 0000000\n"));
    }
    full.push_str("(七)总计 101000011\n四、结转下年度继续办理 0000000");
    let (r, _) = timed(&report(&full));
    let f = |k: &str| r.figures.get(k).copied();
    assert_eq!(f("requests.handled.natural_person"), Some(10.0));
    assert_eq!(f("requests.handled.commercial"), Some(1.0));
    assert_eq!(f("requests.handled.research"), Some(0.0));
    assert_eq!(r.checks.get("requests_outcomes_sum"), Some(&true));
}

#[test]
fn rows_order_cannot_place_are_left_unknown_with_a_warning() {
    // Two unlabelled rows between 予以公开 and 2.其他法律…, where the template has three
    // (部分公开, 国家秘密): which row is missing is not known.
    let t = "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n(一)予以公开 1 0 0 0 0 0 1\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n2.其他法律行政法规禁止公开 0 0 0 0 0 0 0";
    let (r, _) = timed(&report(t));
    assert_eq!(r.figures.get("requests.granted.total"), Some(&1.0));
    assert_eq!(r.figures.get("requests.partial.total"), None);
    assert_eq!(r.figures.get("requests.denied.state_secret.total"), None);
    assert_eq!(
        r.figures.get("requests.denied.law_prohibited.total"),
        Some(&0.0)
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("fit more than one template row")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_label_wrapped_between_its_cells_keeps_the_row() {
    // pdftotext -layout: the first cell on the label's first line, the rest after its continuation.
    let t = "一、本年新收政府信息公开申请数量 4 0 0 0 0 0 4\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n三、本年度办理结果 (一)予以公开 1 0 0 0 0 0 1\n(二)部分公开(区分处理的,只计这一情形,不 3\n计其他情形) 0 0 0 0 0 3\n1.属于国家秘密 0 0 0 0 0 0 0";
    let (r, _) = timed(&report(t));
    let f = |k: &str| r.figures.get(k).copied();
    assert_eq!(f("requests.partial.natural_person"), Some(3.0));
    assert_eq!(f("requests.partial.commercial"), Some(0.0));
    assert_eq!(f("requests.partial.total"), Some(3.0));
    assert_eq!(f("requests.denied.state_secret.total"), Some(0.0));
    // Cells that do not add up are not one row: the total alone is read.
    let t = t.replace("计其他情形) 0 0 0 0 0 3", "计其他情形) 0 0 0 0 0 5");
    let (r, _) = timed(&report(&t));
    assert_eq!(r.figures.get("requests.partial.natural_person"), None);
}
