//! The query language, filters, search, facets and snippets.
//!
//! Query syntax: words (AND by default), "exact phrases" (match exactly the
//! reports whose normalised text contains them, like grep), `OR` between two
//! terms, `-term` / `-"phrase"` to exclude, `problems:word` / `problems:"…"`
//! to scope one term to a section (any section key, or `title`), and
//! `section:problems` to scope every unscoped term. Traditional characters
//! are folded like documents.

use crate::index::tokenizer;
use crate::index::{figure_field_name, section_code, Fields, Index, IndexError, StoredReport};
use crate::model::checks::CHECKS;
use crate::model::report::IssuerLevel;
use crate::parse::sections::SectionKey;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, ExistsQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, Term};

/// A bad query or filter: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("{source_name}: {message}{}", .column.map(|c| format!(" (column {c})")).unwrap_or_default())]
pub struct QueryError {
    /// Which input: "query", "--year", "--where 'x >= 1'", …
    pub source_name: String,
    pub message: String,
    /// 1-based character column in that input.
    pub column: Option<usize>,
}

impl QueryError {
    fn new(
        source_name: impl Into<String>,
        message: impl Into<String>,
        column: Option<usize>,
    ) -> Self {
        QueryError {
            source_name: source_name.into(),
            message: message.into(),
            column,
        }
    }
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

// ───────────────────────────── query language ─────────────────────────────

/// Where a term is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Scope {
    All,
    Title,
    Section(SectionKey),
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term_ {
    /// Normalised text.
    pub text: String,
    pub phrase: bool,
    /// None: the query-wide scope.
    pub scope: Option<Scope>,
}

/// A term or an OR of terms; negated clauses exclude.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub any_of: Vec<Term_>,
    pub negated: bool,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// Set by `section:KEY`.
    pub scope: Option<Scope>,
}

fn parse_scope(name: &str) -> Option<Scope> {
    match name {
        "all" => Some(Scope::All),
        "title" => Some(Scope::Title),
        _ => SectionKey::parse(name).map(Scope::Section),
    }
}

fn scope_names() -> String {
    let mut v: Vec<&str> = SectionKey::ALL.iter().map(|k| k.as_str()).collect();
    v.push("title");
    v.push("all");
    v.join(", ")
}

/// Parses the query language. Positions in errors are 1-based character columns.
pub fn parse_query(q: &str) -> Result<ParsedQuery, QueryError> {
    let err = |m: String, col: usize| QueryError::new("query", m, Some(col + 1));
    let chars: Vec<char> = q.chars().map(|c| if c == '＂' { '"' } else { c }).collect();
    let n = chars.len();
    let mut i = 0;
    let mut out = ParsedQuery::default();
    let mut pending_or: Option<usize> = None;
    while i < n {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // OR operator
        if chars[i] == 'O'
            && i + 1 < n
            && chars[i + 1] == 'R'
            && (i + 2 == n || chars[i + 2].is_whitespace())
        {
            if out.clauses.is_empty() || pending_or.is_some() {
                return Err(err("OR needs a term on each side".into(), start));
            }
            if out.clauses.last().is_some_and(|c| c.negated) {
                return Err(err("OR cannot follow an excluded term".into(), start));
            }
            pending_or = Some(start);
            i += 2;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' {
            negated = true;
            i += 1;
            if i == n || chars[i].is_whitespace() {
                return Err(err("`-` must be followed by a term".into(), start));
            }
        }
        // scope prefix: ascii lower-case name then ':'
        let mut scope = None;
        let mut j = i;
        while j < n && (chars[j].is_ascii_lowercase() || chars[j] == '_') {
            j += 1;
        }
        if j > i && j < n && chars[j] == ':' {
            let name: String = chars[i..j].iter().collect();
            let after = j + 1;
            if name == "section" {
                let mut k = after;
                while k < n && !chars[k].is_whitespace() {
                    k += 1;
                }
                let key: String = chars[after..k].iter().collect();
                match parse_scope(&key) {
                    Some(s) => {
                        if negated {
                            return Err(err("`section:` cannot be excluded".into(), start));
                        }
                        out.scope = Some(s);
                        i = k;
                        continue;
                    }
                    None => {
                        return Err(err(
                            format!("unknown section `{key}` (sections: {})", scope_names()),
                            after,
                        ))
                    }
                }
            }
            match parse_scope(&name) {
                Some(s) => scope = Some(s),
                None => {
                    return Err(err(
                        format!("unknown section `{name}` (sections: {})", scope_names()),
                        i,
                    ))
                }
            }
            i = after;
            if i == n || chars[i].is_whitespace() {
                return Err(err(format!("`{name}:` must be followed by a term"), start));
            }
        }
        let (raw, phrase) = if chars[i] == '"' {
            let open = i;
            let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
                return Err(err("unbalanced quote: no closing \"".into(), open));
            };
            let s: String = chars[i + 1..i + 1 + len].iter().collect();
            i = i + 2 + len;
            if s.trim().is_empty() {
                return Err(err("empty phrase".into(), open));
            }
            (s, true)
        } else {
            let mut k = i;
            while k < n && !chars[k].is_whitespace() && chars[k] != '"' {
                k += 1;
            }
            if k < n && chars[k] == '"' && k > i {
                return Err(err(
                    "a quote inside a word: put a space before the phrase".into(),
                    k,
                ));
            }
            let s: String = chars[i..k].iter().collect();
            i = k;
            (s, false)
        };
        let text = crate::parse::normalize::fold(&raw);
        if text.is_empty() {
            return Err(err("term is empty after normalisation".into(), start));
        }
        let term = Term_ {
            text,
            phrase,
            scope,
        };
        if pending_or.take().is_some() {
            if negated {
                return Err(err("OR cannot join an excluded term".into(), start));
            }
            out.clauses
                .last_mut()
                .expect("OR after a clause")
                .any_of
                .push(term);
        } else {
            out.clauses.push(Clause {
                any_of: vec![term],
                negated,
            });
        }
    }
    if let Some(p) = pending_or {
        return Err(err("OR needs a term on each side".into(), p));
    }
    Ok(out)
}

// ───────────────────────────── filters ─────────────────────────────

/// A search, as the CLI and the server receive it (filters as strings, checked by [`compile`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    pub q: String,
    /// `2019..2023`, `2021`, `2019..`, `..2020`.
    pub year: Option<String>,
    /// A region name, path (河北省/秦皇岛市) or code; matches the region and everything under it.
    pub region: Option<String>,
    /// Substring of the issuer's name.
    pub issuer: Option<String>,
    /// province, prefecture, county or department.
    pub level: Option<String>,
    /// 2021, 2019 or narrative.
    pub template: Option<String>,
    /// Conditions, ANDed: `requests.new.total >= 100`, `checks.failed`, `checks.failed = review_sum`.
    #[serde(rename = "where")]
    pub where_: Vec<String>,
    /// Section for every unscoped term.
    pub section: Option<String>,
    /// `relevance` (default), `year`, any figure key; `-` prefix for descending.
    pub sort: Option<String>,
    pub desc: bool,
    /// 0 = every hit.
    pub limit: usize,
    pub offset: usize,
    /// Build snippets for the hits returned.
    pub snippets: bool,
    /// Entries per facet (0 = all).
    pub facet_limit: usize,
}

impl SearchRequest {
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            limit: 10,
            snippets: true,
            facet_limit: 30,
            ..Default::default()
        }
    }
}

/// Sort order of hits.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Relevance,
    Year,
    Figure(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A request checked and turned into a tantivy query.
pub struct Compiled {
    pub parsed: ParsedQuery,
    pub query: Box<dyn Query>,
    pub sort: SortKey,
    pub descending: bool,
    /// Regions of the filter (facet paths), for hierarchical facet counts.
    pub regions: Vec<String>,
    pub has_text: bool,
}

fn parse_year_range(s: &str) -> Result<(Option<i64>, Option<i64>), QueryError> {
    let name = format!("--year '{s}'");
    let num = |t: &str, col: usize| -> Result<Option<i64>, QueryError> {
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>().map(Some).map_err(|_| {
            QueryError::new(
                name.clone(),
                format!("`{t}` is not a year (use 2021, 2019..2023, 2019.. or ..2020)"),
                Some(col + 1),
            )
        })
    };
    match s.find("..") {
        Some(p) => {
            let lo = num(&s[..p], 0)?;
            let hi = num(&s[p + 2..], s[..p + 2].chars().count())?;
            if lo.is_none() && hi.is_none() {
                return Err(QueryError::new(name, "empty range", Some(1)));
            }
            if let (Some(a), Some(b)) = (lo, hi) {
                if a > b {
                    return Err(QueryError::new(name, format!("{a} is after {b}"), Some(1)));
                }
            }
            Ok((lo, hi))
        }
        None => {
            let y = num(s, 0)?;
            if y.is_none() {
                return Err(QueryError::new(name, "empty year", Some(1)));
            }
            Ok((y, y))
        }
    }
}

/// Resolves a region filter to facet paths ("/河北省/秦皇岛市"); a name shared by
/// several divisions gives all of them.
pub fn region_paths(s: &str) -> Result<Vec<String>, QueryError> {
    let name = format!("--region '{s}'");
    let folded = crate::parse::normalize::fold(s);
    let t = folded.trim().trim_matches('/');
    if t.is_empty() {
        return Err(QueryError::new(name, "empty region", Some(1)));
    }
    let found: Vec<String> = if t.chars().all(|c| c.is_ascii_digit()) {
        crate::gazetteer::by_code(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect()
    } else if t.contains('/') {
        crate::gazetteer::by_path(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect()
    } else {
        let mut v: Vec<String> = crate::gazetteer::by_name(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect();
        if v.is_empty() {
            v.extend(crate::gazetteer::resolve(t, None).map(|r| r.path));
        }
        v
    };
    if found.is_empty() {
        return Err(QueryError::new(
            name,
            format!("unknown region `{t}` (give a name, a path like 河北省/秦皇岛市, or a code)"),
            Some(1),
        ));
    }
    Ok(found
        .into_iter()
        .map(|p| format!("/{}", p.trim_matches('/')))
        .collect())
}

fn parse_where(f: &Fields, s: &str) -> Result<Box<dyn Query>, QueryError> {
    let name = format!("--where '{s}'");
    let chars: Vec<char> = s.chars().collect();
    let err = |m: String, col: usize| QueryError::new(name.clone(), m, Some(col + 1));
    let mut i = 0;
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    let kstart = i;
    while i < chars.len()
        && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
    {
        i += 1;
    }
    let key: String = chars[kstart..i].iter().collect();
    if key.is_empty() {
        return Err(err("expected a figure key".into(), kstart));
    }
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    let ostart = i;
    let rest: String = chars[i..].iter().collect();
    let op = if rest.is_empty() {
        None
    } else {
        let (op, len) = if rest.starts_with("!=") {
            (Op::Ne, 2)
        } else if rest.starts_with("<=") {
            (Op::Le, 2)
        } else if rest.starts_with(">=") {
            (Op::Ge, 2)
        } else if rest.starts_with("==") {
            (Op::Eq, 2)
        } else if rest.starts_with('=') {
            (Op::Eq, 1)
        } else if rest.starts_with('<') {
            (Op::Lt, 1)
        } else if rest.starts_with('>') {
            (Op::Gt, 1)
        } else {
            return Err(err(
                format!(
                    "expected an operator (= != < <= > >=), found `{}`",
                    rest.chars().take(8).collect::<String>()
                ),
                ostart,
            ));
        };
        i += len;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let vstart = i;
        let value: String = chars[i..].iter().collect::<String>().trim().to_string();
        if value.is_empty() {
            return Err(err("missing value after the operator".into(), vstart));
        }
        Some((op, value, vstart))
    };
    let boxed = |q: Box<dyn Query>| q;
    if key == "checks.failed" {
        return Ok(match op {
            None => Box::new(ExistsQuery::new("failed".into(), false)),
            Some((op, v, col)) => {
                if !CHECKS.contains(&v.as_str()) {
                    return Err(err(
                        format!("unknown check `{v}` (checks: {})", CHECKS.join(", ")),
                        col,
                    ));
                }
                let t = boxed(Box::new(TermQuery::new(
                    Term::from_field_text(f.failed, &v),
                    IndexRecordOption::Basic,
                )));
                match op {
                    Op::Eq => t,
                    Op::Ne => Box::new(BooleanQuery::new(vec![
                        (Occur::Must, Box::new(AllQuery)),
                        (Occur::MustNot, t),
                    ])),
                    _ => return Err(err("checks.failed takes = or !=".into(), ostart)),
                }
            }
        });
    }
    let (field, field_name, is_year) = if key == "year" {
        (f.year, "year".to_string(), true)
    } else if let Some(d) = crate::model::fields::get(&key) {
        let (_, fld) = f
            .figures
            .iter()
            .find(|(k, _)| *k == d.key)
            .expect("every key has a field");
        (*fld, figure_field_name(d.key), false)
    } else {
        return Err(err(
            format!("unknown key `{key}` (see fields.tsv; also year, checks.failed)"),
            kstart,
        ));
    };
    let Some((op, v, vcol)) = op else {
        return Ok(Box::new(ExistsQuery::new(field_name, false)));
    };
    let x: f64 = v
        .parse()
        .map_err(|_| err(format!("`{v}` is not a number"), vcol))?;
    if !x.is_finite() {
        return Err(err(format!("`{v}` is not a finite number"), vcol));
    }
    let term = |x: f64| {
        if is_year {
            Term::from_field_i64(field, x as i64)
        } else {
            Term::from_field_f64(field, x)
        }
    };
    if is_year && x.fract() != 0.0 {
        return Err(err(format!("`{v}` is not a whole year"), vcol));
    }
    use Bound::*;
    let range =
        |lo: Bound<Term>, hi: Bound<Term>| -> Box<dyn Query> { Box::new(RangeQuery::new(lo, hi)) };
    Ok(match op {
        Op::Eq => range(Included(term(x)), Included(term(x))),
        Op::Lt => range(Unbounded, Excluded(term(x))),
        Op::Le => range(Unbounded, Included(term(x))),
        Op::Gt => range(Excluded(term(x)), Unbounded),
        Op::Ge => range(Included(term(x)), Unbounded),
        Op::Ne => Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(ExistsQuery::new(field_name, false)) as Box<dyn Query>,
            ),
            (Occur::MustNot, range(Included(term(x)), Included(term(x)))),
        ])),
    })
}

fn parse_sort(s: Option<&str>, desc_flag: bool) -> Result<(SortKey, bool), QueryError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((SortKey::Relevance, true));
    };
    let (neg, key) = match s.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, s),
    };
    let k = match key {
        "relevance" | "score" => return Ok((SortKey::Relevance, true)),
        "year" => SortKey::Year,
        _ => match crate::model::fields::get(key) {
            Some(d) => SortKey::Figure(d.key),
            None => {
                return Err(QueryError::new(
                    format!("--sort '{s}'"),
                    format!("unknown sort key `{key}` (relevance, year, or a key of fields.tsv)"),
                    Some(if neg { 2 } else { 1 }),
                ))
            }
        },
    };
    Ok((k, neg || desc_flag))
}

fn text_query(f: &Fields, t: &Term_, default_scope: Scope) -> Box<dyn Query> {
    let scope = t.scope.unwrap_or(default_scope);
    let (field, codes): (Field, Vec<char>) = match scope {
        Scope::All => (
            f.all,
            std::iter::once(tokenizer::TITLE_CODE)
                .chain(SectionKey::ALL.iter().map(|k| section_code(*k)))
                .collect(),
        ),
        Scope::Title => (f.title, vec![tokenizer::TITLE_CODE]),
        // No word field per section: a word scoped to a section is its literal text there.
        Scope::Section(k) => (f.ngram, vec![section_code(k)]),
    };
    let literal: Vec<(Occur, Box<dyn Query>)> = codes
        .iter()
        .map(|&c| {
            let terms: Vec<(usize, Term)> = tokenizer::phrase_terms(c, &t.text)
                .into_iter()
                .map(|(p, s)| (p, Term::from_field_text(f.ngram, &s)))
                .collect();
            let q: Box<dyn Query> = if t.text.chars().count() == 1 {
                // one character: every bigram that starts with it
                let pat = format!("{}(?s:.)", regex::escape(&format!("{c}{}", t.text)));
                match RegexQuery::from_pattern(&pat, f.ngram) {
                    Ok(q) => Box::new(q),
                    Err(_) => Box::new(tantivy::query::EmptyQuery),
                }
            } else if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms.into_iter().next().expect("one").1,
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new_with_offset(terms))
            };
            (Occur::Should, q)
        })
        .collect();
    let literal: Box<dyn Query> = if literal.len() == 1 {
        literal.into_iter().next().expect("one").1
    } else {
        Box::new(BooleanQuery::new(literal))
    };
    if t.phrase || matches!(scope, Scope::Section(_)) {
        return literal;
    }
    let words = tokenizer::words_for_query(&t.text);
    if words.is_empty() {
        return literal;
    }
    let word_q: Box<dyn Query> = Box::new(BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>,
                )
            })
            .collect(),
    ));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, word_q),
        (Occur::Should, literal),
    ]))
}

/// Checks a request and builds its query.
pub fn compile(f: &Fields, req: &SearchRequest) -> Result<Compiled, QueryError> {
    let mut parsed = parse_query(&req.q)?;
    if let Some(s) = req.section.as_deref().filter(|s| !s.is_empty()) {
        let sc = parse_scope(s).ok_or_else(|| {
            QueryError::new(
                format!("--section '{s}'"),
                format!("unknown section `{s}` (sections: {})", scope_names()),
                Some(1),
            )
        })?;
        if parsed.scope.is_none() {
            parsed.scope = Some(sc);
        }
    }
    let default_scope = parsed.scope.unwrap_or(Scope::All);
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut has_text = false;
    for c in &parsed.clauses {
        let subs: Vec<Box<dyn Query>> = c
            .any_of
            .iter()
            .map(|t| text_query(f, t, default_scope))
            .collect();
        let q: Box<dyn Query> = if subs.len() == 1 {
            subs.into_iter().next().expect("one")
        } else {
            Box::new(BooleanQuery::new(
                subs.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        if c.negated {
            must.push((Occur::MustNot, q));
        } else {
            has_text = true;
            must.push((Occur::Must, q));
        }
    }
    let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
    };
    if let Some(y) = req.year.as_deref().filter(|s| !s.trim().is_empty()) {
        let (lo, hi) = parse_year_range(y.trim())?;
        let b = |v: Option<i64>| match v {
            Some(v) => Bound::Included(Term::from_field_i64(f.year, v)),
            None => Bound::Unbounded,
        };
        must.push(filter(Box::new(RangeQuery::new(b(lo), b(hi)))));
    }
    let mut regions = Vec::new();
    if let Some(r) = req.region.as_deref().filter(|s| !s.trim().is_empty()) {
        regions = region_paths(r)?;
        let subs: Vec<(Occur, Box<dyn Query>)> = regions
            .iter()
            .map(|p| {
                let facet = Facet::from_text(p).unwrap_or_else(|_| Facet::root());
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_facet(f.region, &facet),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        must.push(filter(Box::new(BooleanQuery::new(subs))));
    }
    if let Some(i) = req.issuer.as_deref().filter(|s| !s.trim().is_empty()) {
        let folded = crate::parse::normalize::fold(i);
        let pat = format!(".*{}.*", regex::escape(folded.trim()));
        let q = RegexQuery::from_pattern(&pat, f.issuer)
            .map_err(|e| QueryError::new(format!("--issuer '{i}'"), e.to_string(), Some(1)))?;
        must.push(filter(Box::new(q)));
    }
    if let Some(l) = req.level.as_deref().filter(|s| !s.trim().is_empty()) {
        let lv = IssuerLevel::parse(l.trim()).ok_or_else(|| {
            QueryError::new(
                format!("--level '{l}'"),
                "unknown level (province, prefecture, county, department)",
                Some(1),
            )
        })?;
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.level, lv.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(t) = req.template.as_deref().filter(|s| !s.trim().is_empty()) {
        let tp = crate::parse::figures::Template::parse(t.trim()).ok_or_else(|| {
            QueryError::new(
                format!("--template '{t}'"),
                "unknown template (2021, 2019, narrative)",
                Some(1),
            )
        })?;
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.template, tp.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    for w in &req.where_ {
        must.push(filter(parse_where(f, w)?));
    }
    if !has_text {
        must.push((Occur::Must, Box::new(AllQuery)));
    }
    let (sort, descending) = parse_sort(req.sort.as_deref(), req.desc)?;
    Ok(Compiled {
        parsed,
        query: Box::new(BooleanQuery::new(must)),
        sort,
        descending,
        regions,
        has_text,
    })
}

/// Checks a request without an index (for a quick exit-2 on bad input).
pub fn validate(req: &SearchRequest) -> Result<(), QueryError> {
    compile(&Fields::standard(), req).map(|_| ())
}

// ───────────────────────────── collecting ─────────────────────────────

struct Gather {
    sort_field: Option<String>,
    sort_year: bool,
    scoring: bool,
    terms: crate::index::TermCache,
}

/// All terms of a string column in ordinal order, from the cache or decoded now.
pub(crate) fn column_terms(
    cache: &crate::index::TermCache,
    seg: tantivy::index::SegmentId,
    name: &'static str,
    col: &StrColumn,
) -> std::sync::Arc<Vec<String>> {
    if let Some(t) = cache.lock().ok().and_then(|m| m.get(&(seg, name)).cloned()) {
        return t;
    }
    let mut terms = Vec::with_capacity(col.dictionary().num_terms());
    if let Ok(mut stream) = col.dictionary().stream() {
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    let terms = std::sync::Arc::new(terms);
    if let Ok(mut m) = cache.lock() {
        m.insert((seg, name), terms.clone());
    }
    terms
}

struct SegmentGather {
    seg: SegmentOrdinal,
    sort_col: Option<Column<f64>>,
    year_col: Option<Column<i64>>,
    scoring: bool,
    docs: Vec<DocId>,
    scores: Vec<Score>,
    facets: SegFacets,
}

/// A string facet of one segment: name, column, terms by ordinal.
type StrFacet = (&'static str, Option<StrColumn>, std::sync::Arc<Vec<String>>);

struct SegFacets {
    year: Option<Column<i64>>,
    strs: Vec<StrFacet>,
}

/// Counts of one string facet in one segment: the column's terms by ordinal and
/// the number of hits per ordinal.
type OrdCounts = (&'static str, std::sync::Arc<Vec<String>>, Vec<u64>);

type SegFruit = (
    SegmentOrdinal,
    Vec<(Score, DocId, Option<f64>)>,
    Vec<OrdCounts>,
    HashMap<i64, u64>,
);

const STR_FACETS: [&str; 5] = ["region_s", "issuer", "level", "template", "failed"];

/// Doc ids per batched column read.
const CHUNK: usize = 512;

/// The first value of `col` for every doc of `docs` (ascending), read in batches:
/// much cheaper than one lookup per hit when a query matches most of the corpus.
fn first_values<T>(col: &Column<T>, docs: &[DocId], mut each: impl FnMut(usize, T))
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    let mut out = [None; CHUNK];
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let out = &mut out[..chunk.len()];
        out.iter_mut().for_each(|v| *v = None);
        col.first_vals(chunk, out);
        for (i, v) in out.iter().enumerate() {
            if let Some(v) = v {
                each(c * CHUNK + i, *v);
            }
        }
    }
}

impl Collector for Gather {
    type Fruit = Vec<SegFruit>;
    type Child = SegmentGather;

    fn for_segment(
        &self,
        seg: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentGather> {
        let ff = reader.fast_fields();
        let sort_col = match &self.sort_field {
            Some(n) => Some(ff.f64(n)?),
            None => None,
        };
        let year = ff.i64("year").ok();
        let mut strs = Vec::new();
        for n in STR_FACETS {
            let col = ff.str(n)?;
            let names = match &col {
                Some(c) => column_terms(&self.terms, reader.segment_id(), n, c),
                None => Default::default(),
            };
            strs.push((n, col, names));
        }
        Ok(SegmentGather {
            seg,
            sort_col,
            year_col: if self.sort_year { year.clone() } else { None },
            scoring: self.scoring,
            docs: Vec::new(),
            scores: Vec::new(),
            facets: SegFacets { year, strs },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegFruit>) -> tantivy::Result<Vec<SegFruit>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentGather {
    type Fruit = SegFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs.push(doc);
        if self.scoring {
            self.scores.push(score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) -> SegFruit {
        let docs = &self.docs;
        // Sort keys.
        let mut keys: Vec<Option<f64>> = vec![
            None;
            if self.sort_col.is_some() || self.year_col.is_some() {
                docs.len()
            } else {
                0
            }
        ];
        if let Some(c) = &self.sort_col {
            first_values(c, docs, |i, v| keys[i] = Some(v));
        } else if let Some(c) = &self.year_col {
            first_values(c, docs, |i, v| keys[i] = Some(v as f64));
        }
        let hits = docs
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                (
                    self.scores.get(i).copied().unwrap_or(0.0),
                    d,
                    keys.get(i).copied().flatten(),
                )
            })
            .collect();
        // Facet counts by ordinal; named only when the facets are built.
        let mut strs = Vec::new();
        for (name, col, names) in &self.facets.strs {
            let mut counts = vec![0u64; names.len()];
            if let Some(col) = col {
                if col.ords().get_cardinality() == tantivy::columnar::Cardinality::Multivalued {
                    for &d in docs {
                        for o in col.term_ords(d) {
                            if let Some(c) = counts.get_mut(o as usize) {
                                *c += 1;
                            }
                        }
                    }
                } else {
                    first_values(col.ords(), docs, |_, o| {
                        if let Some(c) = counts.get_mut(o as usize) {
                            *c += 1;
                        }
                    });
                }
            }
            strs.push((*name, names.clone(), counts));
        }
        let mut years: HashMap<i64, u64> = HashMap::new();
        if let Some(c) = &self.facets.year {
            first_values(c, docs, |_, v| *years.entry(v).or_default() += 1);
        }
        (self.seg, hits, strs, years)
    }
}

// ───────────────────────────── results ─────────────────────────────

/// A facet value and how many hits have it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

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

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    /// The file as it was ingested.
    pub path: String,
    pub url: Option<String>,
    pub title: String,
    pub year: Option<i32>,
    /// Region path (河北省/秦皇岛市).
    pub region: Option<String>,
    pub issuer: Option<String>,
    pub score: f32,
    /// The sort key's value when sorting by a figure or year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_value: Option<f64>,
    pub snippets: Vec<Snippet>,
    /// The whole report, already loaded (for callers that show more than the hit).
    #[serde(skip)]
    pub report: Option<Box<crate::Report>>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet name → values with counts over the whole result set.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// Every hit of a request, sorted, before loading documents.
pub struct Matches {
    searcher: tantivy::Searcher,
    /// (score, address, sort value)
    pub hits: Vec<(f32, DocAddress, Option<f64>)>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub compiled: Compiled,
}

impl Matches {
    /// The searcher the hits' addresses belong to.
    pub fn searcher(&self) -> &tantivy::Searcher {
        &self.searcher
    }

    /// Loads the stored reports of hits `range` (in sorted order).
    pub fn reports<'a>(
        &'a self,
        idx: &'a Index,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Result<(f32, Option<f64>, StoredReport), IndexError>> + 'a {
        let end = range.end.min(self.hits.len());
        let start = range.start.min(end);
        self.hits[start..end]
            .iter()
            .map(move |(s, a, v)| idx.stored(&self.searcher, *a).map(|r| (*s, *v, r)))
    }
}

fn cmp_f64(a: f64, b: f64) -> std::cmp::Ordering {
    a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
}

impl Index {
    /// Runs a request and returns every hit (sorted) with facet counts.
    pub fn matching(&self, req: &SearchRequest) -> Result<Matches, SearchError> {
        self.matching_top(req, None)
    }

    /// Like [`Index::matching`], but only the first `top` hits are put in order
    /// (the rest follow in no particular order).
    pub fn matching_top(
        &self,
        req: &SearchRequest,
        top: Option<usize>,
    ) -> Result<Matches, SearchError> {
        let compiled = compile(&self.fields, req)?;
        let searcher = self.searcher();
        let scoring = compiled.sort == SortKey::Relevance && compiled.has_text;
        let collector = Gather {
            sort_field: match &compiled.sort {
                SortKey::Figure(k) => Some(figure_field_name(k)),
                _ => None,
            },
            sort_year: compiled.sort == SortKey::Year,
            scoring,
            terms: self.terms.clone(),
        };
        let fruits = searcher
            .search(compiled.query.as_ref(), &collector)
            .map_err(|e| self.terr(e))?;
        let mut hits = Vec::new();
        let mut parts: BTreeMap<&'static str, Vec<SegCounts>> = BTreeMap::new();
        let mut years: HashMap<i64, u64> = HashMap::new();
        for (seg, h, strs, ys) in fruits {
            hits.extend(
                h.into_iter()
                    .map(|(s, d, v)| (s, DocAddress::new(seg, d), v)),
            );
            for (name, names, counts) in strs {
                parts.entry(name).or_default().push((names, counts));
            }
            for (y, n) in ys {
                *years.entry(y).or_default() += n;
            }
        }
        let desc = compiled.descending;
        let cmp = |a: &(Score, DocAddress, Option<f64>), b: &(Score, DocAddress, Option<f64>)| {
            use std::cmp::Ordering::*;
            match compiled.sort {
                SortKey::Relevance => cmp_f64(b.0 as f64, a.0 as f64).then(a.1.cmp(&b.1)),
                _ => match (a.2, b.2) {
                    (Some(x), Some(y)) => {
                        let o = cmp_f64(x, y);
                        if desc {
                            o.reverse()
                        } else {
                            o
                        }
                    }
                    (Some(_), None) => Less,
                    (None, Some(_)) => Greater,
                    (None, None) => Equal,
                }
                .then(a.1.cmp(&b.1)),
            }
        };
        // Only the hits up to the end of the page need an order.
        match top {
            Some(k) if k < hits.len() => {
                if k > 0 {
                    hits.select_nth_unstable_by(k - 1, cmp);
                }
                hits[..k].sort_unstable_by(cmp);
            }
            _ => hits.sort_unstable_by(cmp),
        }
        let counts: Vec<(&'static str, Vec<(&str, u64)>)> = parts
            .iter()
            .map(|(name, segs)| (*name, merge_counts(segs)))
            .collect();
        let mut facets = build_facets(counts, &compiled.regions, req.facet_limit);
        let mut ys: Vec<(i64, u64)> = years.into_iter().collect();
        ys.sort();
        facets.insert(
            "year".to_string(),
            ys.into_iter()
                .map(|(y, count)| FacetCount {
                    value: y.to_string(),
                    count,
                })
                .collect(),
        );
        Ok(Matches {
            searcher,
            hits,
            facets,
            compiled,
        })
    }

    /// Runs a request: the page of hits asked for, with snippets, and facet counts.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let top = (req.limit > 0).then(|| req.offset.saturating_add(req.limit));
        let m = self.matching_top(req, top)?;
        let end = top.unwrap_or(m.hits.len());
        let needles = needles(&m.compiled.parsed);
        let scope = m.compiled.parsed.scope;
        let mut hits = Vec::new();
        for r in m.reports(self, req.offset..end) {
            let (score, sort_value, s) = r?;
            let snippets = if req.snippets {
                snippets_for(&s.report, &needles, scope)
            } else {
                Vec::new()
            };
            hits.push(Hit {
                id: s.id,
                path: s.path,
                url: s.url,
                title: s.report.title.clone(),
                year: s.report.year,
                region: s.report.region.as_ref().map(|r| r.path.clone()),
                issuer: s.report.issuer.clone(),
                score,
                sort_value,
                snippets,
                report: Some(Box::new(s.report)),
            });
        }
        Ok(SearchResponse {
            total: m.hits.len(),
            hits,
            facets: m.facets,
        })
    }
}

/// Named counts of one facet over all segments (one segment, the usual case
/// after an ingest, needs no hashing).
/// A segment's terms by ordinal and hits per ordinal, for one facet.
type SegCounts = (std::sync::Arc<Vec<String>>, Vec<u64>);

fn merge_counts(segs: &[SegCounts]) -> Vec<(&str, u64)> {
    fn nonzero<'a>(
        names: &'a [String],
        counts: &'a [u64],
    ) -> impl Iterator<Item = (&'a str, u64)> + 'a {
        names
            .iter()
            .zip(counts.iter())
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| (s.as_str(), *n))
    }
    match segs {
        [(names, counts)] => nonzero(names, counts).collect(),
        _ => {
            let mut m: HashMap<&str, u64> = HashMap::new();
            for (names, counts) in segs {
                for (k, n) in nonzero(names, counts) {
                    *m.entry(k).or_default() += n;
                }
            }
            m.into_iter().collect()
        }
    }
}

/// Most frequent first, then by value; only the first `limit` (0: all) are named.
fn top_counts(mut v: Vec<(&str, u64)>, limit: usize) -> Vec<FacetCount> {
    let cmp = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
    if limit > 0 && v.len() > limit {
        v.select_nth_unstable_by(limit - 1, cmp);
        v.truncate(limit);
    }
    v.sort_unstable_by(cmp);
    v.into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            count,
        })
        .collect()
}

fn build_facets(
    counts: Vec<(&'static str, Vec<(&str, u64)>)>,
    regions: &[String],
    limit: usize,
) -> BTreeMap<String, Vec<FacetCount>> {
    let mut out = BTreeMap::new();
    for (name, m) in counts {
        match name {
            "region_s" => {
                // Hierarchy: count every ancestor; keep provinces and prefectures,
                // and everything under a filtered region.
                let mut h: HashMap<&str, u64> = HashMap::new();
                for (path, n) in m {
                    // Prefixes "/省", "/省/市", "/省/市/县" as slices of the path.
                    let ends = path
                        .char_indices()
                        .skip(1)
                        .filter(|(_, c)| *c == '/')
                        .map(|(i, _)| i)
                        .chain(std::iter::once(path.len()));
                    for (depth, end) in ends.enumerate().map(|(d, e)| (d + 1, e)) {
                        let p = &path[..end];
                        let under_filter = regions
                            .iter()
                            .any(|r| p.starts_with(r.as_str()) && p.len() > r.len());
                        if depth <= 2 || under_filter {
                            *h.entry(p).or_default() += n;
                        }
                    }
                }
                let mut v: Vec<(&str, u64)> = h.into_iter().collect();
                v.sort_unstable();
                out.insert(
                    "region".to_string(),
                    v.into_iter()
                        .map(|(value, count)| FacetCount {
                            value: value.to_string(),
                            count,
                        })
                        .collect(),
                );
            }
            "failed" => {
                out.insert("failed_checks".to_string(), top_counts(m, 0));
            }
            _ => {
                out.insert(name.to_string(), top_counts(m, limit));
            }
        }
    }
    out
}

// ───────────────────────────── snippets ─────────────────────────────

/// Strings to highlight: each positive term, and the jieba words of plain words.
fn needles(p: &ParsedQuery) -> Vec<(String, Option<Scope>)> {
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
    let mut best: Option<(usize, usize, &crate::parse::sections::Section)> = None;
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

fn window(sec: &crate::parse::sections::Section, hl: &[(usize, usize)], first: usize) -> Snippet {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_language() {
        let p = parse_query(r#"公开 "依申请 公开" OR 复议 -诉讼 problems:不足 section:requests"#)
            .unwrap();
        assert_eq!(p.clauses.len(), 4);
        assert!(p.clauses[1].any_of.len() == 2 && p.clauses[1].any_of[0].phrase);
        assert!(p.clauses[2].negated);
        assert_eq!(
            p.clauses[3].any_of[0].scope,
            Some(Scope::Section(SectionKey::Problems))
        );
        assert_eq!(p.scope, Some(Scope::Section(SectionKey::Requests)));
        assert_eq!(
            parse_query("政務").unwrap().clauses[0].any_of[0].text,
            "政务"
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse_query(r#"公开 "依申请"#).unwrap_err();
        assert_eq!(e.column, Some(4));
        assert!(e.message.contains("quote"));
        assert_eq!(parse_query("a OR").unwrap_err().column, Some(3));
        assert_eq!(parse_query("foo:bar").unwrap_err().column, Some(1));
        assert!(parse_year_range("20x1").is_err());
        assert_eq!(parse_year_range("2019..").unwrap(), (Some(2019), None));
    }
}
