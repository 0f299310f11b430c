//! Table cells on a page: the runs of glyphs a line holds between wide gaps
//! (fragments), a cell's text wrapped over several lines joined back into one
//! block, and the blocks regrouped into rows by their vertical middle, so that a
//! header cell printed as "结果维" over "持" reads "结果维持" and a label
//! printed over two lines sits on the line of the numbers centred beside it.
//!
//! A fragment joins the one above it only when everything says it is the same
//! cell: text (not a number) on both, the next line of text in that column,
//! about one line pitch below, inside its width and aligned with it (left,
//! centre or right), on a line of a table (several fragments on a line, or a
//! row between), and the lower line holds no numbers (it would be a row of its
//! own). Prose lines never join: they are one fragment each with nothing between.

use super::{ideograph, Glyph, Line};

/// A gap wider than this many font sizes separates table cells (two or more spaces).
pub(super) const CELL_GAP: f32 = 0.8;
/// A gap wider than this many font sizes is a space between words.
const WORD_GAP: f32 = 0.15;
/// Wrapped lines of one cell are at most this many font sizes apart (baseline to baseline).
const WRAP_PITCH: f32 = 1.8;
/// How far (in font sizes) a wrapped line's edge or centre may be from the line above's.
const ALIGN: f32 = 0.6;

/// Glyphs of one line with no gap wider than [`CELL_GAP`] between them.
#[derive(Debug, Clone)]
struct Frag {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    numeric: bool,
}

impl Frag {
    fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// One cell's text (one fragment, or several wrapped lines joined).
#[derive(Debug, Clone)]
struct Block {
    text: String,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    size: f32,
}

impl Block {
    fn middle(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }
}

/// A number, or a blank-cell mark ("-", "/"): a data cell, never a wrapped label.
fn is_numeric(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%-/—–－ ".contains(c))
}

/// The fragments of one line's glyphs (already sorted by x).
fn fragments(glyphs: &[Glyph]) -> Vec<Frag> {
    let mut frags: Vec<Frag> = Vec::new();
    let mut last: Option<Glyph> = None;
    for g in glyphs {
        if g.ch.is_whitespace() {
            continue;
        }
        // Fake bold draws a glyph twice at nearly the same place: keep one.
        if last.is_some_and(|l| l.ch == g.ch && (g.x - l.x).abs() < 0.2 * g.size) {
            continue;
        }
        last = Some(*g);
        let ch = ideograph(g.ch);
        match frags.last_mut() {
            // A space between two CJK glyphs (the language writes none) parts cells too.
            Some(f)
                if g.x - f.x1 <= CELL_GAP * g.size
                    && (g.x - f.x1 <= WORD_GAP * g.size
                        || g.ch.is_ascii()
                        || f.text.chars().last().is_some_and(|c| c.is_ascii())) =>
            {
                if g.x - f.x1 > WORD_GAP * g.size {
                    f.text.push(' ');
                }
                f.text.push(ch);
                f.x1 = f.x1.max(g.x + g.width);
                f.size = f.size.max(g.size);
            }
            _ => frags.push(Frag {
                text: ch.to_string(),
                x0: g.x,
                x1: g.x + g.width,
                y: g.y,
                size: g.size,
                numeric: false,
            }),
        }
    }
    for f in &mut frags {
        f.numeric = is_numeric(&f.text);
    }
    frags
}

/// Whether `b`, on a line below `a`, continues `a`'s cell (sizes, pitch and alignment).
fn continues(a: &Frag, b: &Frag) -> bool {
    let s = a.size.max(b.size);
    let tol = ALIGN * s;
    !a.numeric
        && !b.numeric
        && (a.size - b.size).abs() <= 0.15 * s
        && b.y - a.y <= WRAP_PITCH * s
        && b.x0 >= a.x0 - tol
        && b.x1 <= a.x1 + tol
        && ((b.x0 - a.x0).abs() <= tol
            || (b.centre() - a.centre()).abs() <= tol
            || (b.x1 - a.x1).abs() <= tol)
}

/// Where a fragment sits: (line, index in the line).
type At = (usize, usize);

/// For each fragment of line `j`, the fragment above whose cell it may continue.
fn links(lines: &[Vec<Frag>], tabular: &[bool], j: usize) -> Vec<Option<At>> {
    let below = &lines[j];
    let mut found: Vec<Option<At>> = below
        .iter()
        .map(|b| {
            for i in (0..j).rev() {
                let up = &lines[i];
                if up.iter().all(|f| b.y - f.y > WRAP_PITCH * b.size) {
                    return None;
                }
                let mut over = up
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.x0 < b.x1 && b.x0 < a.x1);
                match (over.next(), over.next()) {
                    (None, _) => continue,
                    (Some((k, a)), None) => {
                        let table = tabular[i] || tabular[j] || i + 1 < j;
                        return (table && continues(a, b)).then_some((i, k));
                    }
                    _ => return None,
                }
            }
            None
        })
        .collect();
    // Two fragments under one: sub-headers of a spanning header, not a wrap.
    for k in 0..found.len() {
        if found[k].is_some() && found.iter().filter(|f| **f == found[k]).count() > 1 {
            let twin = found[k];
            for f in found.iter_mut().filter(|f| **f == twin) {
                *f = None;
            }
        }
    }
    found
}

/// Joins the text of a wrapped line onto its cell's (a space only between Latin letters or digits).
fn join(text: &mut String, more: &str) {
    let latin_seam = text
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && more
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if latin_seam {
        text.push(' ');
    }
    text.push_str(more);
}

/// The blocks of a page's lines: each fragment alone or joined with the lines
/// of its cell above and below.
///
/// A line holding numbers is a row of its own, so its fragments continue no
/// cell above, except the middle line of a label wrapped over three or more
/// lines with the row's numbers centred beside it: it continues the line above
/// when the line below continues it at the same pitch.
fn blocks(lines: &[Vec<Frag>], tabular: &[bool]) -> Vec<Block> {
    let mut next: Vec<Vec<Option<At>>> = lines.iter().map(|l| vec![None; l.len()]).collect();
    let mut prev: Vec<Vec<Option<At>>> = next.clone();
    let all: Vec<Vec<Option<At>>> = (0..lines.len()).map(|j| links(lines, tabular, j)).collect();
    let numbers = |j: usize| lines[j].iter().any(|f| f.numeric);
    let mut link = |(i, k): At, (j, m): At, next: &mut Vec<Vec<Option<At>>>| {
        if next[i][k].is_none() && prev[j][m].is_none() {
            next[i][k] = Some((j, m));
            prev[j][m] = Some((i, k));
        }
    };
    for (j, ls) in all.iter().enumerate().filter(|(j, _)| !numbers(*j)) {
        for (m, l) in ls.iter().enumerate() {
            if let Some(a) = l {
                link(*a, (j, m), &mut next);
            }
        }
    }
    for (j, ls) in all.iter().enumerate().filter(|(j, _)| numbers(*j)) {
        for (m, l) in ls.iter().enumerate() {
            let (Some((i, k)), Some((n, o))) = (*l, next[j][m]) else {
                continue;
            };
            let (a, b, c) = (&lines[i][k], &lines[j][m], &lines[n][o]);
            if ((c.y - b.y) - (b.y - a.y)).abs() <= 0.1 * b.size {
                link((i, k), (j, m), &mut next);
            }
        }
    }
    // A cell whose last line is the row's numbers line: its first line shares
    // a line with a label already continued onto that numbers line.
    for (j, ls) in all.iter().enumerate().filter(|(j, _)| numbers(*j)) {
        for (m, l) in ls.iter().enumerate() {
            let Some((i, k)) = *l else { continue };
            let row_mate = next[i]
                .iter()
                .enumerate()
                .any(|(o, n)| o != k && n.is_some_and(|(nj, _)| nj == j));
            if row_mate {
                link((i, k), (j, m), &mut next);
            }
        }
    }
    let mut blocks = Vec::new();
    for (j, line) in lines.iter().enumerate() {
        for (m, f) in line.iter().enumerate() {
            if prev[j][m].is_some() {
                continue;
            }
            let mut b = Block {
                text: f.text.clone(),
                x0: f.x0,
                x1: f.x1,
                top: f.y,
                bottom: f.y,
                size: f.size,
            };
            let mut at = next[j][m];
            while let Some((i, k)) = at {
                let g = &lines[i][k];
                join(&mut b.text, &g.text);
                b.x0 = b.x0.min(g.x0);
                b.x1 = b.x1.max(g.x1);
                b.bottom = g.y;
                at = next[i][k];
            }
            blocks.push(b);
        }
    }
    blocks
}

/// Lines of a page from its glyph lines (each sorted by x): wrapped cells
/// joined, blocks grouped into rows by their vertical middle.
pub(super) fn rows(glyph_lines: &[&[Glyph]]) -> Vec<Line> {
    let mut frags: Vec<Vec<Frag>> = Vec::with_capacity(glyph_lines.len());
    let mut tabular = Vec::with_capacity(glyph_lines.len());
    for g in glyph_lines {
        let f = fragments(g);
        if !f.is_empty() {
            // A table row: a gap wider than a cell gap (a gap between CJK
            // words alone may be justified prose).
            tabular.push(
                f.windows(2)
                    .any(|w| w[1].x0 - w[0].x1 > CELL_GAP * w[1].size),
            );
            frags.push(f);
        }
    }
    let mut blocks = blocks(&frags, &tabular);
    blocks.sort_by(|a, b| {
        a.middle()
            .total_cmp(&b.middle())
            .then(a.x0.total_cmp(&b.x0))
    });
    let mut lines = Vec::new();
    let mut start = 0;
    for i in 1..=blocks.len() {
        let ends = i == blocks.len() || {
            let first = &blocks[start];
            blocks[i].middle() - first.middle() > 0.35 * first.size.max(blocks[i].size)
        };
        if ends {
            lines.push(line(&mut blocks[start..i]));
            start = i;
        }
    }
    lines
}

/// One line of blocks: by x, runs of spaces between cells as `pdftotext -layout` puts them.
fn line(blocks: &mut [Block]) -> Line {
    blocks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut text = String::new();
    let mut end: Option<f32> = None;
    let mut sizes = 0.0f32;
    for b in blocks.iter() {
        if let Some(e) = end {
            // Past a cell gap one space per half em, at least two, as
            // `pdftotext -layout` keeps columns; a narrower gap is one space.
            let gap = b.x0 - e;
            let n = if gap > CELL_GAP * b.size {
                ((gap / (0.5 * b.size)).round() as usize).clamp(2, 200)
            } else {
                1
            };
            text.extend(std::iter::repeat_n(' ', n));
        }
        text.push_str(&b.text);
        end = Some(end.map_or(b.x1, |e: f32| e.max(b.x1)));
        sizes += b.size;
    }
    Line {
        text,
        y: blocks[0].middle(),
        size: sizes / blocks.len() as f32,
    }
}
