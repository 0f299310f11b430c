//! Line breaks for bodies stored without them: some crawlers keep the whole
//! article as one line, headings and table rows run together
//! ("…附件下载一、总体情况2023年,我局坚持…二、主动公开政府信息情况第二十条第(一)项…").
//! The report's fixed vocabulary — the six headings in their template wordings
//! and the tables' numbered row labels — is found on the character stream and
//! the line is broken before each, so that the later stages see lines again.

use regex::Regex;
use std::sync::LazyLock;

/// A numbered section heading in one of its template wordings. The numbering
/// is required: "在主动公开政府信息情况方面" is a sentence, not a heading.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:[一二三四五六七八九十]{1,2}|\d{1,2}|第[一二三四五六]部分)\s*[、.]?\s*",
        r"(?:总体情况|主动公开政府信息的?情况|收到和处理政府信息公开申请情况|",
        r"政府信息公开行政复议、?行政诉讼情况|(?:政府信息公开工作)?存在的主要问题及改进情况|",
        r"其他需要报告的事项)"
    ))
    .unwrap()
});

/// Numbered row labels of the 2021 template's tables.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"第二十条第\([一五六八]\)项|",
        r"[一二三四]、(?:本年新收|上年结转|本年度办理结果|结转下年度继续办理)|",
        r"\([一二三四五六七]\)(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计)|",
        r"\d\.(?:属于国家秘密|其他法律行政法规禁止公开|危及|保护第三方|属于三类内部事务|属于四类过程性|",
        r"属于行政执法案卷|属于行政查询事项|本机关不掌握|没有现成信息|补正后申请内容仍不明确|",
        r"信访举报投诉|重复申请|要求提供公开出版物|无正当理由大量反复申请|要求行政机关确认或重新出具|",
        r"申请人无正当理由逾期不补正|申请人逾期未按收费通知|其他)"
    ))
    .unwrap()
});

/// Lines shorter than this are left alone: a run-together body is long.
const MIN_CHARS: usize = 80;

/// Byte offsets where a run-together line should break (never 0), or an empty
/// list when the line is not a run-together body: at least two section
/// headings with rising numbers must stand in it.
pub fn breaks(line: &str) -> Vec<usize> {
    if line.len() < MIN_CHARS * 3 / 2 && line.chars().count() < MIN_CHARS {
        return Vec::new();
    }
    // Every heading wording ends in 情况 or 事项: a substring search rules out
    // ordinary prose before the regex (which has no literal prefix) runs.
    if line.matches("情况").take(2).count() + line.matches("事项").take(2).count() < 2 {
        return Vec::new();
    }
    let heads: Vec<usize> = HEADING.find_iter(line).map(|m| m.start()).collect();
    if heads.len() < 2 {
        return Vec::new();
    }
    let mut at: Vec<usize> = heads;
    at.extend(ROW.find_iter(line).map(|m| m.start()));
    at.sort_unstable();
    at.dedup();
    at.retain(|&i| i > 0);
    at
}

/// Splits `s` at byte offsets (ascending, on char boundaries).
pub fn cut_at<'a>(s: &'a str, at: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(at.len() + 1);
    let mut from = 0;
    for &i in at {
        out.push(&s[from..i]);
        from = i;
    }
    out.push(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_body_breaks_at_headings_and_rows() {
        let s = "附件下载一、总体情况2023年,我局坚持公开为常态,不公开为例外,全面推进政务公开工作。二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数规章000三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量3000003(一)予以公开2000002";
        let parts = cut_at(s, &breaks(s));
        assert_eq!(
            parts,
            vec![
                "附件下载",
                "一、总体情况2023年,我局坚持公开为常态,不公开为例外,全面推进政务公开工作。",
                "二、主动公开政府信息情况",
                "第二十条第(一)项信息内容本年制发件数规章000",
                "三、收到和处理政府信息公开申请情况",
                "一、本年新收政府信息公开申请数量3000003",
                "(一)予以公开2000002",
            ]
        );
    }

    #[test]
    fn heading_words_in_a_sentence_do_not_break() {
        let s = "在主动公开政府信息情况方面,我局全年发布信息120条;在收到和处理政府信息公开申请情况方面,全年受理申请5件,均按时答复,未发生行政复议和行政诉讼,群众满意度进一步提升,工作取得实效。";
        assert!(breaks(s).is_empty());
        // One numbered heading alone is not a run-together body.
        let one = format!("一、总体情况{s}");
        assert!(breaks(&one).is_empty());
    }
}
