//! The query language, parsed without an index: words (AND by default),
//! "exact phrases", `OR` between two terms, `-term` / `-"phrase"` to exclude,
//! `problems:word` to scope one term to a section (any section key, or
//! `title`), and `section:problems` to scope every unscoped term. Terms are
//! folded like documents (traditional characters to simplified).

use super::QueryError;
use crate::parse::sections::SectionKey;
use serde::Serialize;

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

pub(crate) fn parse_scope(name: &str) -> Option<Scope> {
    match name {
        "all" => Some(Scope::All),
        "title" => Some(Scope::Title),
        _ => SectionKey::parse(name).map(Scope::Section),
    }
}

pub(crate) fn scope_names() -> String {
    let mut v: Vec<&str> = SectionKey::SEARCHABLE.iter().map(|k| k.as_str()).collect();
    v.push("title");
    v.push("all");
    v.join(", ")
}

/// Reads the phrase or word at `i`: its text, whether it is a phrase, and
/// where the next token starts.
fn read_term(chars: &[char], i: usize) -> Result<(String, bool, usize), QueryError> {
    let err = |m: &str, col: usize| QueryError::new("query", m, Some(col + 1));
    let n = chars.len();
    if chars[i] == '"' {
        let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
            return Err(err("unbalanced quote: no closing \"", i));
        };
        let s: String = chars[i + 1..i + 1 + len].iter().collect();
        if s.trim().is_empty() {
            return Err(err("empty phrase", i));
        }
        return Ok((s, true, i + 2 + len));
    }
    let mut k = i;
    while k < n && !chars[k].is_whitespace() && chars[k] != '"' {
        k += 1;
    }
    if k < n && chars[k] == '"' && k > i {
        return Err(err(
            "a quote inside a word: put a space before the phrase",
            k,
        ));
    }
    Ok((chars[i..k].iter().collect(), false, k))
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
        let (raw, phrase, next) = read_term(&chars, i)?;
        i = next;
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
    }
}
