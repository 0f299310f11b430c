//! The sections' fixed vocabulary: the words that name each section in its
//! headings, the template's own heading wordings, and the table row labels that
//! look like headings but are not.

use super::SectionKey;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Words of each section's headings, in the order they are tried: the first
/// section with a word in the heading is its section.
const CLASS_WORDS: [(SectionKey, &[&str]); 6] = [
    (
        SectionKey::Problems,
        &[
            "存在的主要问题",
            "存在问题",
            "存在的问题",
            "存在的不足",
            "问题及改进",
            "问题和改进",
            "不足和改进",
            "不足及改进",
            "改进措施",
            "改进情况",
            "改进方向",
            "主要问题",
            "不足之处",
        ],
    ),
    (SectionKey::Appeals, &["复议", "诉讼", "举报"]),
    (
        SectionKey::Requests,
        &["依申请", "收到和处理", "申请公开", "公开申请", "申请情况"],
    ),
    (SectionKey::Proactive, &["主动公开"]),
    (
        SectionKey::Overview,
        &[
            "总体情况",
            "概述",
            "基本情况",
            "总体公开情况",
            "概况",
            "总体工作情况",
            "总述",
        ],
    ),
    (
        SectionKey::Other,
        &["其他需要报告", "其他事项", "需要说明的事项"],
    ),
];

/// All words of [`CLASS_WORDS`] in one automaton, and the section of each.
static CLASSIFIER: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut class = Vec::new();
    for (i, (_, ws)) in CLASS_WORDS.iter().enumerate() {
        for w in *ws {
            words.push(*w);
            class.push(i);
        }
    }
    (AhoCorasick::new(words).expect("heading words"), class)
});

/// Classifies a heading's text; `None` means it maps to no known section (→ other).
pub fn classify(heading: &str) -> Option<SectionKey> {
    let (ac, class) = &*CLASSIFIER;
    // Every word the heading contains (overlapping matches), as a set of sections.
    let mut found = 0u32;
    for m in ac.find_overlapping_iter(heading) {
        found |= 1 << class[m.pattern().as_usize()];
        if found & 1 != 0 {
            break;
        }
    }
    (found != 0).then(|| CLASS_WORDS[found.trailing_zeros() as usize].0)
}

/// Row labels of the tables that look like headings ("四、结转下年度继续办理",
/// "4.保护第三方合法权益", "三、本法提供年度办理结果" as a PDF cut it).
pub(crate) fn is_table_label(h: &str) -> bool {
    const INSIDE: &[&str] = &["本年新收", "上年结转", "办理结果", "结转下年", "继续办理"];
    const STARTS: &[&str] = &[
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及",
        "保护第三方合法权益",
        "属于三类内部事务",
        "属于四类过程性",
        "属于行政执法案卷",
        "属于行政查询事项",
        "本机关不掌握",
        "没有现成信息",
        "补正后申请内容仍不明确",
        "信访举报投诉",
        "重复申请",
        "要求提供公开出版物",
        "无正当理由大量反复申请",
        "要求行政机关确认或重新出具",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "总计",
    ];
    h == "其他" || INSIDE.iter().any(|w| h.contains(w)) || STARTS.iter().any(|w| h.starts_with(w))
}

/// Headings of the templates and their common older forms, longest first.
pub(crate) const KNOWN_HEADINGS: &[&str] = &[
    "政府信息公开工作存在的主要问题及改进情况",
    "政府信息公开行政复议、行政诉讼情况",
    "收到和处理政府信息公开申请情况",
    "存在的主要问题及改进情况",
    "主动公开政府信息情况",
    "其他需要报告的事项",
    "存在问题及改进措施",
    "总体公开情况",
    "总体情况",
    "基本情况",
    "概述",
];

/// True when a heading is one of the template's own wordings.
pub(super) fn is_template_heading(h: &str) -> bool {
    KNOWN_HEADINGS.contains(&h)
}
