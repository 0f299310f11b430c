//! Maps a checked request onto the schema: text terms onto the word and
//! n-gram fields, filters onto constant-score term and range queries.

use super::grammar::{parse_query, parse_scope, scope_names, ParsedQuery, Scope, Term_};
use super::request::{
    parse_level, parse_sort, parse_template, parse_where, parse_year_range, region_paths,
    Condition, NumKey, Op, SearchRequest, SortKey,
};
use super::QueryError;
use crate::index::tokenizer;
use crate::index::{figure_field_name, schema, section_code, Fields};
use crate::parse::sections::SectionKey;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, ExistsQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::Term;

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

/// The query of a checked `where` condition.
fn condition_query(f: &Fields, c: &Condition) -> Box<dyn Query> {
    let failed = |check: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f.failed, check),
            IndexRecordOption::Basic,
        ))
    };
    let not = |q: Box<dyn Query>, within: Box<dyn Query>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, within),
            (Occur::MustNot, q),
        ]))
    };
    let field_name = |key: NumKey| match key {
        NumKey::Year => (f.year, schema::YEAR.to_string()),
        NumKey::Figure(k) => {
            let (_, fld) = f
                .figures
                .iter()
                .find(|(key, _)| *key == k)
                .expect("every key has a field");
            (*fld, figure_field_name(k))
        }
    };
    match *c {
        Condition::AnyFailed => Box::new(ExistsQuery::new(schema::FAILED.into(), false)),
        Condition::Failed { ref check, equal } => {
            if equal {
                failed(check)
            } else {
                not(failed(check), Box::new(AllQuery))
            }
        }
        Condition::Exists(key) => Box::new(ExistsQuery::new(field_name(key).1, false)),
        Condition::Compare { key, op, value } => {
            let (field, name) = field_name(key);
            let term = |x: f64| match key {
                NumKey::Year => Term::from_field_i64(field, x as i64),
                NumKey::Figure(_) => Term::from_field_f64(field, x),
            };
            use Bound::*;
            let range = |lo: Bound<Term>, hi: Bound<Term>| -> Box<dyn Query> {
                Box::new(RangeQuery::new(lo, hi))
            };
            match op {
                Op::Eq => range(Included(term(value)), Included(term(value))),
                Op::Lt => range(Unbounded, Excluded(term(value))),
                Op::Le => range(Unbounded, Included(term(value))),
                Op::Gt => range(Excluded(term(value)), Unbounded),
                Op::Ge => range(Included(term(value)), Unbounded),
                Op::Ne => not(
                    range(Included(term(value)), Included(term(value))),
                    Box::new(ExistsQuery::new(name, false)),
                ),
            }
        }
    }
}

fn text_query(f: &Fields, t: &Term_, default_scope: Scope) -> Box<dyn Query> {
    let scope = t.scope.unwrap_or(default_scope);
    let (field, codes): (Field, Vec<char>) = match scope {
        Scope::All => (
            f.all,
            std::iter::once(tokenizer::TITLE_CODE)
                .chain(SectionKey::SEARCHABLE.iter().map(|k| section_code(*k)))
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
    // Exact values (a facet's, a body id): one term each, never folded.
    for (value, field) in [(&req.issuer_exact, f.issuer), (&req.body, f.body)] {
        if let Some(v) = value.as_deref().filter(|s| !s.is_empty()) {
            must.push(filter(Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))));
        }
    }
    if let Some(l) = req.level.as_deref().filter(|s| !s.trim().is_empty()) {
        let lv = parse_level(l)?;
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.level, lv.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(t) = req.template.as_deref().filter(|s| !s.trim().is_empty()) {
        let tp = parse_template(t)?;
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.template, tp.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(t) = req.timeliness.as_deref().filter(|s| !s.trim().is_empty()) {
        let t = super::request::parse_timeliness(t)?;
        must.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.timeliness, t.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    for w in &req.where_ {
        must.push(filter(condition_query(f, &parse_where(w)?)));
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
