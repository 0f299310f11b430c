//! Layouts beyond the seeds: each test builds a report in one layout and checks
//! what a user would see of it.

use gongkai::model::report::Report;

fn parse(bytes: &[u8], ext: &str) -> Report {
    gongkai::parse_bytes(bytes, ext).expect("parses")
}

fn fig(r: &Report, k: &str) -> Option<f64> {
    r.figures.get(k).copied()
}

/// Table 2 of the 2021 template as (label cells, seven numbers).
fn table2_rows() -> Vec<(Vec<&'static str>, [i64; 7])> {
    vec![
        (
            vec!["一、本年新收政府信息公开申请数量"],
            [30, 4, 0, 1, 0, 0, 35],
        ),
        (
            vec!["二、上年结转政府信息公开申请数量"],
            [2, 0, 0, 0, 0, 0, 2],
        ),
        (
            vec!["三、本年度办理结果", "(一)予以公开"],
            [20, 2, 0, 1, 0, 0, 23],
        ),
        (
            vec!["(二)部分公开(区分处理的,只计这一情形,不计其他情形)"],
            [3, 0, 0, 0, 0, 0, 3],
        ),
        (
            vec!["(三)不予公开", "1.属于国家秘密"],
            [0, 0, 0, 0, 0, 0, 0],
        ),
        (vec!["2.其他法律行政法规禁止公开"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["3.危及“三安全一稳定”"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["4.保护第三方合法权益"], [1, 0, 0, 0, 0, 0, 1]),
        (vec!["5.属于三类内部事务信息"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["6.属于四类过程性信息"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["7.属于行政执法案卷"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["8.属于行政查询事项"], [0, 0, 0, 0, 0, 0, 0]),
        (
            vec!["(四)无法提供", "1.本机关不掌握相关政府信息"],
            [5, 1, 0, 0, 0, 0, 6],
        ),
        (vec!["2.没有现成信息需要另行制作"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["3.补正后申请内容仍不明确"], [0, 0, 0, 0, 0, 0, 0]),
        (
            vec!["(五)不予处理", "1.信访举报投诉类申请"],
            [1, 0, 0, 0, 0, 0, 1],
        ),
        (vec!["2.重复申请"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["3.要求提供公开出版物"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["4.无正当理由大量反复申请"], [0, 0, 0, 0, 0, 0, 0]),
        (
            vec!["5.要求行政机关确认或重新出具已获取信息"],
            [0, 0, 0, 0, 0, 0, 0],
        ),
        (
            vec![
                "(六)其他处理",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ],
            [0, 0, 0, 0, 0, 0, 0],
        ),
        (
            vec!["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
            [0, 0, 0, 0, 0, 0, 0],
        ),
        (vec!["3.其他"], [0, 0, 0, 0, 0, 0, 0]),
        (vec!["(七)总计"], [30, 3, 0, 1, 0, 0, 34]),
        (vec!["四、结转下年度继续办理"], [2, 1, 0, 0, 0, 0, 3]),
    ]
}

fn html_report() -> String {
    let mut t2 = String::from(
        r#"<table border="1"><tr><td colspan="3" rowspan="3">(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"#,
    );
    for (labels, nums) in table2_rows() {
        t2.push_str("<tr>");
        for l in labels {
            t2.push_str(&format!("<td>{l}</td>"));
        }
        for n in nums {
            t2.push_str(&format!("<td>{n}</td>"));
        }
        t2.push_str("</tr>\n");
    }
    t2.push_str("</table>");
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>石家庄市长安区2022年政府信息公开工作年度报告_石家庄市长安区人民政府</title>
<meta name="PubDate" content="2023-01-20 09:30"></head><body>
<div class="header"><ul class="nav"><li>首页</li><li>政务公开</li></ul></div>
<div class="breadcrumb">首页 &gt; 政务公开 &gt; 年度报告</div>
<div class="article"><h1>石家庄市长安区2022年政府信息公开工作年度报告</h1>
<div class="fontsize">字体:[ 大 中 小] 打印</div>
<p>本报告统计期限自2022年1月1日起至2022年12月31日止。</p>
<p>一、总体情况</p><p>2022年,长安区推进政务公开工作。</p>
<p>二、主动公开政府信息情况</p>
<table><tr><td colspan="4">第二十条第(一)项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>行政规范性文件</td><td>3</td><td>1</td><td>12</td></tr>
<tr><td colspan="4">第二十条第(五)项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr><tr><td>行政许可</td><td colspan="3">1,204</td></tr>
<tr><td colspan="4">第二十条第(八)项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额(单位:万元)</td></tr><tr><td>行政事业性收费</td><td colspan="3">12.5</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p>{t2}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td>1</td><td>0</td><td>0</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>
<p>五、存在的主要问题及改进情况</p><p>一是依申请公开答复质量有待提高。二是政策解读形式单一。</p>
<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
</div><div class="footer">版权所有:石家庄市长安区人民政府 冀ICP备00000000号</div><script>alert(1)</script></body></html>"#
    )
}

#[test]
fn html_page_with_real_tables() {
    let r = parse(html_report().as_bytes(), "html");
    assert_eq!(r.title, "石家庄市长安区2022年政府信息公开工作年度报告");
    assert_eq!(r.year, Some(2022));
    assert_eq!(r.region.as_ref().unwrap().code, "130102");
    assert_eq!(r.published.as_deref(), Some("2023-01-20"));
    assert_eq!(r.template.as_str(), "2021");
    assert_eq!(fig(&r, "normative_docs.in_force"), Some(12.0));
    assert_eq!(fig(&r, "licensing.decisions"), Some(1204.0));
    assert_eq!(fig(&r, "fees.amount_wan_yuan"), Some(12.5));
    assert_eq!(fig(&r, "requests.new.commercial"), Some(4.0));
    assert_eq!(fig(&r, "requests.denied.third_party.total"), Some(1.0));
    assert_eq!(
        fig(&r, "requests.unable.not_held.natural_person"),
        Some(5.0)
    );
    assert_eq!(fig(&r, "requests.handled.total"), Some(34.0));
    assert_eq!(fig(&r, "requests.carried_over.total"), Some(3.0));
    assert_eq!(fig(&r, "litigation.direct.total"), Some(1.0));
    assert_eq!(fig(&r, "review.total"), Some(2.0));
    assert_eq!(r.checks.get("requests_balance"), Some(&true));
    assert_eq!(r.checks.get("requests_outcomes_sum"), Some(&true));
    assert_eq!(r.checks.get("requests_columns_sum"), Some(&true));
    assert_eq!(r.checks.get("review_sum"), Some(&true));
    let problems = &r
        .section(gongkai::parse::sections::SectionKey::Problems)
        .unwrap()
        .text;
    assert!(problems.contains("依申请公开答复质量有待提高") && !problems.contains("信息处理费"));
    let all = r.full_text();
    assert!(!all.contains("ICP") && !all.contains("alert") && !all.contains("字体"));
}

#[test]
fn gbk_page() {
    let html = html_report().replace("charset=\"utf-8\"", "charset=\"gb2312\"");
    let (bytes, _, _) = encoding_rs::GBK.encode(&html);
    let r = parse(&bytes, "htm");
    assert_eq!(r.title, "石家庄市长安区2022年政府信息公开工作年度报告");
    assert_eq!(fig(&r, "requests.new.total"), Some(35.0));
    // Without a declaration, too.
    let html = html_report().replace("<meta charset=\"utf-8\">", "");
    let (bytes, _, _) = encoding_rs::GBK.encode(&html);
    assert_eq!(
        fig(&parse(&bytes, "html"), "requests.handled.total"),
        Some(34.0)
    );
}

#[test]
fn pdf_text_rows_and_other_numbering() {
    let mut s = String::from("福州市鼓楼区2022年政府信息公开工作年度报告\n第一部分 总体情况\n2022年,我区持续推进公开。\n第二部分 主动公开政府信息情况\n无\n第三部分 收到和处理政府信息公开申请情况\n");
    for (labels, nums) in table2_rows() {
        let cells: Vec<String> = nums.iter().map(|n| n.to_string()).collect();
        s.push_str(&format!(
            "{}     {}\n",
            labels.join(" "),
            cells.join("    ")
        ));
        if labels[0].starts_with("2.申请人逾期") {
            s.push_str("- 3 -\n"); // a page number cutting through the table
        }
    }
    s.push_str("第四部分 政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n0 0 0 0 0   1 0 0 0 1   0 0 0 0 0\n");
    s.push_str(
        "第五部分 存在的主要问题及改进情况\n人员力量不足。\n第六部分 其他需要报告的事项\n无。\n",
    );
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(r.region.as_ref().unwrap().path, "福建省/福州市/鼓楼区");
    assert_eq!(fig(&r, "requests.new.natural_person"), Some(30.0));
    assert_eq!(fig(&r, "requests.other.other.total"), Some(0.0));
    assert_eq!(fig(&r, "requests.other.unpaid_fee.total"), Some(0.0));
    assert_eq!(fig(&r, "requests.carried_over.commercial"), Some(1.0));
    assert_eq!(fig(&r, "litigation.direct.upheld"), Some(1.0));
    assert_eq!(
        r.section(gongkai::parse::sections::SectionKey::Problems)
            .unwrap()
            .text,
        "人员力量不足。"
    );
    assert_eq!(r.checks.get("requests_balance"), Some(&true));
}

#[test]
fn template_2019_report() {
    let s = "某县民政局2019年政府信息公开工作年度报告\n一、总体情况\n本局推进公开。\n二、主动公开政府信息情况\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n规章 | 0 | 0 | 0\n规范性文件 | 4 | 4 | 20\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量\n行政许可 | 15 | -2 | 130\n行政事业性收费 | 3 | 0\n政府集中采购 | 6 | 58.5\n三、收到和处理政府信息公开申请情况\n(六)其他处理 | 2\n(七)总计 | 9\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n工作人员变动频繁。\n六、其他需要报告的事项\n无。";
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(r.template.as_str(), "2019");
    assert_eq!(fig(&r, "normative_docs.total_published"), Some(20.0));
    assert_eq!(fig(&r, "licensing.items_change"), Some(-2.0));
    assert_eq!(fig(&r, "licensing.decisions"), Some(130.0));
    assert_eq!(fig(&r, "fees.items_prev_year"), Some(3.0));
    assert_eq!(fig(&r, "procurement.amount_wan_yuan"), Some(58.5));
    assert_eq!(fig(&r, "requests.other.total.total"), Some(2.0));
    assert_eq!(fig(&r, "rules.issued"), None);
    assert_eq!(r.region, None, "某县 names no region");
}

#[test]
fn prose_report() {
    let s = "鹤壁市淇滨区2012年政府信息公开工作报告\n一、概述\n2012年,我区认真贯彻条例。\n二、主动公开政府信息的情况\n全年主动公开信息1200条。\n三、依申请公开政府信息和不予公开政府信息的情况\n全年共受理政府信息公开申请37件,均已办结。\n四、政府信息公开的收费及减免情况\n未收取任何费用。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n本年度没有发生因政府信息公开申请行政复议、提起行政诉讼的情况。\n六、政府信息公开工作存在的主要问题和改进措施\n公开内容不够全面。\n七、其他需要报告的事项\n无。";
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(r.template.as_str(), "narrative");
    assert_eq!(r.year, Some(2012));
    assert_eq!(r.region.as_ref().unwrap().code, "410611");
    assert_eq!(r.issuer.as_deref(), Some("鹤壁市淇滨区人民政府"));
    assert_eq!(fig(&r, "requests.new.total"), Some(37.0));
    assert_eq!(fig(&r, "review.total"), Some(0.0));
    assert_eq!(fig(&r, "litigation.total"), Some(0.0));
    assert_eq!(fig(&r, "requests.new.natural_person"), None);
    assert_eq!(
        r.section(gongkai::parse::sections::SectionKey::Problems)
            .unwrap()
            .text,
        "公开内容不够全面。"
    );
    assert!(r
        .section(gongkai::parse::sections::SectionKey::Other)
        .unwrap()
        .text
        .contains("未收取任何费用"));
}

#[test]
fn glued_cells_are_split_only_when_unambiguous() {
    let mut s = String::from("某市2022年政府信息公开工作年度报告\n一、总体情况\n甲\n三、收到和处理政府信息公开申请情况\n");
    s.push_str("一、本年新收政府信息公开申请数量 7000007\n二、上年结转政府信息公开申请数量 12131412\n(七)总计 101000011\n");
    s.push_str("五、存在的主要问题及改进情况\n乙\n");
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(fig(&r, "requests.new.natural_person"), Some(7.0));
    assert_eq!(fig(&r, "requests.new.commercial"), Some(0.0));
    assert_eq!(fig(&r, "requests.new.total"), Some(7.0));
    // 12131412: only 1 2 1 3 1 4 | 12 keeps the row's sum.
    assert_eq!(fig(&r, "requests.carried_in.research"), Some(1.0));
    assert_eq!(fig(&r, "requests.carried_in.total"), Some(12.0));
    // 101000011: 1 0 10 0 0 0 | 11 and 10 1 0 0 0 0 | 11 both hold: left unknown, with a warning.
    assert_eq!(fig(&r, "requests.handled.total"), None);
    assert!(
        r.warnings.iter().any(|w| w.contains("handled")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn empty_binary_and_unreadable_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let e = gongkai::parse_file(&empty).unwrap_err().to_string();
    assert!(e.contains("empty.txt") && e.contains("empty"), "{e}");
    let bin = dir.path().join("x.html");
    std::fs::write(&bin, [0u8, 1, 2, 3, 255, 254, 0, 0, 7, 8]).unwrap();
    let e = gongkai::parse_file(&bin).unwrap_err().to_string();
    assert!(e.contains("x.html") && e.contains("binary"), "{e}");
    let e = gongkai::parse_file(&dir.path().join("missing.txt"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.txt"), "{e}");
    // The command line says why once, not once per level of the error chain.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("check")
        .arg(dir.path().join("missing.txt"))
        .output()
        .unwrap();
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(msg.matches("os error 2").count(), 1, "{msg}");
}

#[test]
fn wrapped_labels_blank_cells_and_run_on_headings() {
    let s = "某县2022年政府信息公开工作年度报告\n一、总体情况2022年,本县推进政务公开,成效明显,群众满意度提升,各项工作有序开展,取得了新的进展。\n\
三、收到和处理政府信息公开申请情况\n\
一、本年新收政府信息公开申请数量 3 / / / / / 3\n\
(六)其他处理 1.申请人无正当理由逾期不补 0 0 0 0 0 0 0\n\
正、行政机关不再处理其政府信息公开申请\n\
2.申请人逾期未按 1 0 0 0 0 0 1\n\
收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n\
3.其他 0 0 0 0 0 0 0\n\
五、存在的主要问题及改进情况\n问题。\n";
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(fig(&r, "requests.new.natural_person"), Some(3.0));
    assert_eq!(
        fig(&r, "requests.new.commercial"),
        None,
        "a '/' cell is no figure"
    );
    assert_eq!(fig(&r, "requests.new.total"), Some(3.0));
    assert_eq!(
        fig(&r, "requests.other.overdue_correction.total"),
        Some(0.0)
    );
    assert_eq!(
        fig(&r, "requests.other.unpaid_fee.natural_person"),
        Some(1.0)
    );
    assert_eq!(fig(&r, "requests.other.other.total"), Some(0.0));
    let overview = &r
        .section(gongkai::parse::sections::SectionKey::Overview)
        .unwrap();
    assert_eq!(overview.headings, vec!["总体情况"]);
    assert!(overview.text.starts_with("2022年,本县推进政务公开"));
}

#[test]
fn signature_is_not_part_of_the_last_section_and_dates_it() {
    let s = "2022年政府信息公开工作年度报告\n发布机构: 临淄区人民政府\n一、总体情况\n甲。\n五、存在的主要问题及改进情况\n人员不足。\n淄博市临淄区人民政府办公室\n2023年1月20日\n";
    let r = parse(s.as_bytes(), "txt");
    assert_eq!(
        r.section(gongkai::parse::sections::SectionKey::Problems)
            .unwrap()
            .text,
        "人员不足。"
    );
    assert_eq!(r.published.as_deref(), Some("2023-01-20"));
    assert_eq!(r.issuer.as_deref(), Some("临淄区人民政府"));
    assert_eq!(r.region.as_ref().unwrap().code, "370305");
}
