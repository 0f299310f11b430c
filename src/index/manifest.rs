//! The ingest manifest: a CSV of values (title, issuer, region, year,
//! published, url) that override what the parser found, keyed by file.

use crate::gazetteer::{self, Region};
use crate::model::report::Report;
use std::collections::HashMap;
use std::path::Path;

/// Values of a manifest row that override what the parser found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Override {
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<Region>,
    pub year: Option<i32>,
    pub published: Option<String>,
    pub url: Option<String>,
}

impl Override {
    pub(crate) fn fingerprint(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.title,
            self.issuer,
            self.region.as_ref().map(|r| &r.code),
            self.year,
            self.published,
            self.url
        )
    }

    /// Applies the overrides to a parsed report.
    pub fn apply(&self, r: &mut Report) {
        if let Some(t) = &self.title {
            r.title = t.clone();
            r.title_composed = false;
        }
        if let Some(y) = self.year {
            r.year = Some(y);
        }
        if let Some(i) = &self.issuer {
            r.issuer = Some(i.clone());
        }
        if let Some(reg) = &self.region {
            r.region = Some(reg.clone());
        }
        if let Some(p) = &self.published {
            r.published = Some(p.clone());
        }
        if self.issuer.is_some() || self.region.is_some() {
            if let Some(i) = &r.issuer {
                r.level = Some(crate::model::report::issuer_level(i, r.region.as_ref()));
            }
        }
    }
}

/// A manifest: overrides keyed by file.
#[derive(Debug, Default)]
pub struct Manifest {
    by_key: HashMap<String, Override>,
}

/// Resolves a region given as a code, a path (河北省/秦皇岛市) or a name.
pub fn resolve_region(s: &str, year: Option<i32>) -> Option<Region> {
    let s = crate::parse::normalize::fold(s);
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return gazetteer::by_code(s, year).or_else(|| gazetteer::by_code(s, None));
    }
    if let Some(r) = gazetteer::by_path(s, year) {
        return Some(r);
    }
    let names = gazetteer::by_name(s, year);
    if names.len() == 1 {
        return names.into_iter().next();
    }
    gazetteer::resolve(s, year)
}

impl Manifest {
    /// Reads a manifest CSV (header row; a `path` or `url` column, and any of
    /// title, issuer, region, year, published, url).
    pub fn load(file: &Path) -> Result<Manifest, String> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(file)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| format!("{}: {e}", file.display()))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (c_path, c_url) = (col("path"), col("url"));
        if c_path.is_none() && c_url.is_none() {
            return Err(format!(
                "{}: the header needs a `path` or `url` column",
                file.display()
            ));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        let mut by_key = HashMap::new();
        for (n, rec) in rdr.records().enumerate() {
            let line = n + 2;
            let rec = rec.map_err(|e| format!("{}:{line}: {e}", file.display()))?;
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            let year = match get(col("year")) {
                Some(y) => Some(y.parse::<i32>().map_err(|_| {
                    format!("{}:{line}: year `{y}` is not a number", file.display())
                })?),
                None => None,
            };
            let region =
                match get(col("region")) {
                    Some(s) => Some(resolve_region(&s, year).ok_or_else(|| {
                        format!("{}:{line}: unknown region `{s}`", file.display())
                    })?),
                    None => None,
                };
            let o = Override {
                title: get(col("title")),
                issuer: get(col("issuer")),
                region,
                year,
                published: get(col("published")),
                url: get(c_url),
            };
            if let Some(p) = get(c_path) {
                let full = base.join(&p);
                if let Ok(c) = full.canonicalize() {
                    by_key.insert(c.to_string_lossy().into_owned(), o.clone());
                }
                if let Some(name) = Path::new(&p).file_name() {
                    by_key
                        .entry(format!("name:{}", name.to_string_lossy()))
                        .or_insert_with(|| o.clone());
                }
                by_key.insert(p, o);
            } else if let Some(u) = get(c_url) {
                let last = u
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                if !last.is_empty() {
                    by_key.insert(format!("name:{last}"), o.clone());
                }
                by_key.insert(u, o);
            }
        }
        Ok(Manifest { by_key })
    }

    /// The overrides for a file: by canonical path, by the path as given, or by file name.
    pub fn lookup(&self, given: &Path, canonical: &str) -> Option<&Override> {
        self.by_key
            .get(canonical)
            .or_else(|| self.by_key.get(&*given.to_string_lossy()))
            .or_else(|| {
                given
                    .file_name()
                    .and_then(|n| self.by_key.get(&format!("name:{}", n.to_string_lossy())))
            })
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}
