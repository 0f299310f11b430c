//! Figures that prose reports (2008–2018) state in sentences: requests
//! received, review and litigation counts and outcomes.

use super::Extracted;
use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap()
}

static P_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:受理|收到|接收|接到|办理)[^。;,，\d]{0,14}?申请[^。;,，\d]{0,8}?(\d+)\s*(?:件|条|宗|份|人次)",
    )
});
static P_REVIEW: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:行政复议|复议申请|复议)[^。;,，\d]{0,6}?(\d+)\s*(?:件|起|宗|次)"));
static P_LITIGATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:行政诉讼|提起诉讼|起诉)[^。;,，\d]{0,6}?(\d+)\s*(?:件|起|宗|次)"));
static P_UPHELD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:维持|驳回)[^。;,，]{0,20}?(\d+)\s*(?:件|起|宗)"));
static P_CORRECTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:纠错|纠正|撤销|确认违法|责令)[^。;,，]{0,10}?(\d+)\s*(?:件|起|宗)"));
static P_NONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:没有|未|无)(?:发生|出现|产生|收到|接到|有)?[^。;]{0,24}?((?:行政复议|复议)(?:[、和及或与]|\s)*(?:行政诉讼|提起行政诉讼|诉讼)?|行政诉讼|诉讼)",
    )
});
static P_NO_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:没有|未|无)(?:收到|接到|受理)[^。;]{0,12}?(?:政府信息公开申请|公开申请|依申请)")
});

/// Figures stated in sentences: requests received, review and litigation outcomes.
pub(super) fn prose(text: &str, ex: &mut Extracted) {
    let f = &mut ex.figures;
    if let Some(c) = P_REQUESTS.captures(text) {
        f.insert("requests.new.total".into(), c[1].parse().unwrap_or(0.0));
    } else if P_NO_REQUESTS.is_match(text) {
        f.insert("requests.new.total".into(), 0.0);
    }
    // Review: the first stated count, then outcomes up to where litigation begins.
    if let Some(m) = P_REVIEW.captures(text) {
        let whole = m.get(0).unwrap();
        f.insert("review.total".into(), m[1].parse().unwrap_or(0.0));
        let tail = &text[whole.end()..];
        let stop = ["诉讼", "。"]
            .iter()
            .filter_map(|w| tail.find(w))
            .min()
            .unwrap_or(tail.len());
        let clause = &tail[..stop];
        if let Some(c) = P_UPHELD.captures(clause) {
            f.insert("review.upheld".into(), c[1].parse().unwrap_or(0.0));
        }
        if let Some(c) = P_CORRECTED.captures(clause) {
            f.insert("review.corrected".into(), c[1].parse().unwrap_or(0.0));
        }
    }
    if let Some(m) = P_LITIGATION.captures(text) {
        let whole = m.get(0).unwrap();
        f.insert("litigation.total".into(), m[1].parse().unwrap_or(0.0));
        let tail = &text[whole.end()..];
        let stop = tail.find('。').unwrap_or(tail.len());
        if let Some(c) = P_UPHELD.captures(&tail[..stop]) {
            f.insert("litigation.upheld".into(), c[1].parse().unwrap_or(0.0));
        }
    }
    for c in P_NONE.captures_iter(text) {
        let what = &c[1];
        if what.contains("复议") && !f.contains_key("review.total") {
            f.insert("review.total".into(), 0.0);
        }
        if what.contains("诉讼") && !f.contains_key("litigation.total") {
            f.insert("litigation.total".into(), 0.0);
        }
    }
}
