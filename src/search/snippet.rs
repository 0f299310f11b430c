//! Snippets: the passage of the best-matching section around the first
//! highlight, with the query's words marked.

use super::grammar::{ParsedQuery, Scope};
use crate::index::tokenizer;
use crate::parse::sections::{Section, SectionKey};
use serde::Serialize;

/// A highlighted passage of the section that matched.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    /// Section key (or "title").
    pub section: String,
    /// The passage (normalised text; "…" marks a cut).
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The passage with highlights wrapped in `open`/`close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut s = String::new();
        let mut at = 0;
        for &(a, b) in &self.highlights {
            s.push_str(&self.text[at..a]);
            s.push_str(open);
            s.push_str(&self.text[a..b]);
            s.push_str(close);
            at = b;
        }
        s.push_str(&self.text[at..]);
        s
    }
}

/// Strings to highlight: each positive term, and the jieba words of plain words.
pub(crate) fn needles(p: &ParsedQuery) -> Vec<(String, Option<Scope>)> {
    let mut v: Vec<(String, Option<Scope>)> = Vec::new();
    for c in p.clauses.iter().filter(|c| !c.negated) {
        for t in &c.any_of {
            v.push((t.text.to_ascii_lowercase(), t.scope));
            if !t.phrase {
                for w in tokenizer::words_for_query(&t.text) {
                    if w.chars().count() > 1 || tokenizer::words_for_query(&t.text).len() == 1 {
                        v.push((w, t.scope));
                    }
                }
            }
        }
    }
    v.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
    v.dedup();
    v
}

const SNIPPET_CHARS: usize = 120;
const SNIPPET_BEFORE: usize = 30;

/// Highlighted passages of the section(s) that matched.
pub fn snippets_for(
    r: &crate::Report,
    needles: &[(String, Option<Scope>)],
    query_scope: Option<Scope>,
) -> Vec<Snippet> {
    let in_scope = |sc: Option<Scope>, key: SectionKey| match sc.or(query_scope) {
        None | Some(Scope::All) => true,
        Some(Scope::Title) => false,
        Some(Scope::Section(k)) => k == key,
    };
    // Pick the section with most distinct needles, then most occurrences.
    let mut best: Option<(usize, usize, &Section)> = None;
    for s in &r.sections {
        let lower = s.text.to_ascii_lowercase();
        let mut distinct = 0;
        let mut total = 0;
        for (n, sc) in needles {
            if !in_scope(*sc, s.key) {
                continue;
            }
            let c = lower.matches(n.as_str()).count();
            if c > 0 {
                distinct += 1;
                total += c;
            }
        }
        if distinct > 0 && best.is_none_or(|(d, t, _)| (distinct, total) > (d, t)) {
            best = Some((distinct, total, s));
        }
    }
    let Some((_, _, sec)) = best else {
        // Nothing to highlight (filters only, or a title match): open the report.
        return r
            .sections
            .iter()
            .find(|s| !s.text.trim().is_empty())
            .map(|s| vec![window(s, &[], 0)])
            .unwrap_or_default();
    };
    let lower = sec.text.to_ascii_lowercase();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (n, sc) in needles {
        if !in_scope(*sc, sec.key) || n.is_empty() {
            continue;
        }
        for (a, _) in lower.match_indices(n.as_str()) {
            found.push((a, a + n.len()));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    // Drop overlaps (keep the earliest, longest).
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in found {
        match merged.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let first = merged.first().map_or(0, |m| m.0);
    vec![window(sec, &merged, first)]
}

fn window(sec: &Section, hl: &[(usize, usize)], first: usize) -> Snippet {
    let text = &sec.text;
    let idx: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let nchars = idx.len();
    let first_char = idx.partition_point(|&i| i < first);
    let start_c = first_char.saturating_sub(SNIPPET_BEFORE);
    let end_c = (start_c + SNIPPET_CHARS).min(nchars);
    let start_b = idx.get(start_c).copied().unwrap_or(text.len());
    let mut end_b = idx.get(end_c).copied().unwrap_or(text.len());
    // Extend to cover a highlight cut by the end.
    for &(a, b) in hl {
        if a < end_b && b > end_b {
            end_b = b;
        }
    }
    let mut out = String::new();
    let mut shift: isize = -(start_b as isize);
    if start_b > 0 {
        out.push('…');
        shift += '…'.len_utf8() as isize;
    }
    out.push_str(&text[start_b..end_b].replace('\n', " "));
    if end_b < text.len() {
        out.push('…');
    }
    let highlights = hl
        .iter()
        .filter(|&&(a, b)| a >= start_b && b <= end_b)
        .map(|&(a, b)| ((a as isize + shift) as usize, (b as isize + shift) as usize))
        .collect();
    Snippet {
        section: sec.key.as_str().to_string(),
        text: out,
        highlights,
    }
}
