//! What to try when a query matches nothing: its phrases without quotes, and
//! its jieba words searched as words (all together, then one by one), each
//! with the number of reports it would find under the same filters.

use super::grammar::{parse_query, Clause, ParsedQuery, Scope, Term_};
use super::{matching_top, SearchError, SearchRequest};
use crate::index::{tokenizer, Index};
use serde::Serialize;

/// A query that would match, and how many reports it finds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub q: String,
    pub count: usize,
}

/// Words tried one by one, at most.
const MAX_WORDS: usize = 8;

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::All => "all",
        Scope::Title => "title",
        Scope::Section(k) => k.as_str(),
    }
}

/// A term as query text; `quote` keeps a phrase quoted.
fn term_text(t: &Term_, quote: bool) -> String {
    let text = if t.phrase && quote {
        format!("\"{}\"", t.text)
    } else {
        t.text.clone()
    };
    match t.scope {
        Some(s) => format!("{}:{text}", scope_name(s)),
        None => text,
    }
}

fn clause_text(c: &Clause, quote: bool) -> String {
    let any: Vec<String> = c.any_of.iter().map(|t| term_text(t, quote)).collect();
    let s = any.join(" OR ");
    if c.negated {
        format!("-{s}")
    } else {
        s
    }
}

/// The query-wide scope and the excluded clauses, kept in every suggestion.
fn frame(p: &ParsedQuery) -> (String, String) {
    let scope = p
        .scope
        .map(|s| format!("section:{} ", scope_name(s)))
        .unwrap_or_default();
    let negated: Vec<String> = p
        .clauses
        .iter()
        .filter(|c| c.negated)
        .map(|c| clause_text(c, true))
        .collect();
    (scope, negated.join(" "))
}

/// Candidate queries, in the order they are offered.
fn candidates(p: &ParsedQuery) -> Vec<String> {
    let (scope, negated) = frame(p);
    let with = |body: String| {
        format!("{scope}{body} {negated}")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let positive: Vec<&Clause> = p.clauses.iter().filter(|c| !c.negated).collect();
    let mut out = Vec::new();
    if positive.iter().any(|c| c.any_of.iter().any(|t| t.phrase)) {
        let body: Vec<String> = positive.iter().map(|c| clause_text(c, false)).collect();
        out.push(with(body.join(" ")));
    }
    let mut words: Vec<String> = Vec::new();
    for c in &positive {
        for t in &c.any_of {
            for w in tokenizer::words_for_query(&t.text) {
                if w.chars().count() >= 2 && !words.contains(&w) {
                    words.push(w);
                }
            }
        }
    }
    words.truncate(MAX_WORDS);
    if words.len() > 1 {
        out.push(with(words.join(" ")));
    }
    out.extend(words.into_iter().map(with));
    out
}

/// Queries close to `req.q` that match under the same filters, with their
/// counts (most first after the unquoted phrase), at most `max`.
pub fn suggest(
    index: &Index,
    req: &SearchRequest,
    max: usize,
) -> Result<Vec<Suggestion>, SearchError> {
    let parsed = parse_query(&req.q)?;
    let mut out: Vec<Suggestion> = Vec::new();
    for q in candidates(&parsed) {
        if q == req.q.trim() || out.iter().any(|s| s.q == q) {
            continue;
        }
        let mut r = req.clone();
        r.q = q.clone();
        r.limit = 0;
        r.snippets = false;
        let count = matching_top(index, &r, Some(0))?.hits.len();
        if count > 0 {
            out.push(Suggestion { q, count });
        }
    }
    // The first candidate (the phrase unquoted, or all the words) stays first.
    if out.len() > 2 {
        out[1..].sort_by_key(|s| std::cmp::Reverse(s.count));
    }
    out.truncate(max);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_unquote_then_split() {
        let p = parse_query("\"行政复议案件\" -撤销").unwrap();
        let c = candidates(&p);
        assert_eq!(c[0], "行政复议案件 -撤销");
        assert!(c.iter().any(|q| q == "行政复议 -撤销"), "{c:?}");
        let p = parse_query("section:problems \"人员不足\" -培训").unwrap();
        let c = candidates(&p);
        assert_eq!(c[0], "section:problems 人员不足 -培训");
        assert!(
            c.iter().all(|q| q.starts_with("section:problems ")),
            "{c:?}"
        );
    }
}
