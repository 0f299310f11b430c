//! Shapes real reports come in besides the clean layouts: one-line bodies,
//! converter-made markdown tables, headings numbered like table rows, split
//! titles, cover blocks, navigation words in sentences, spaces at line wraps,
//! issuers named as provincial departments or development zones; and two shapes
//! seen in crawled copies of real reports: word-processor span soup, and overview
//! sub-headings worded like the sections.
//!
//! Each shape is decided for every report from its own stream (part 3), whether
//! or not the shape is enabled, so enabling a shape never changes the draws of the
//! others, and with no shape enabled a report is the same as before shapes existed.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt;
use std::str::FromStr;

/// One shape; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The body on one line, table 2 cells glued to their labels and each other.
    OneLine,
    /// Pipe tables as PDF-to-markdown converters write them.
    MdTable,
    /// Top-level headings numbered `1.` like table rows.
    DotHeads,
    /// Markdown `#` headings, `###` sub-headings in the overview.
    MdHeads,
    /// The problems part starts at `（一）…存在…问题…` with no heading of its own.
    NoProblemsHeading,
    /// The title printed over two lines (issuer / year and report name).
    TwoLineTitle,
    /// A cover block (`本报告由…编制`) before the overview.
    Cover,
    /// Leftovers around the title (`# …`, `…报告(`).
    Leftovers,
    /// Words of site navigation (在线访谈, 互动交流, 政务服务, 首页) in sentences.
    NavWords,
    /// Spaces where a line wrapped inside a word (`20 17年`, `1月1 日`).
    Wraps,
    /// A provincial department named with its province (`上海市科委`).
    ProvDept,
    /// The administrative committee of a development zone.
    DevZone,
    /// Word-processor HTML: text cut into `<span>`/`<font>` runs, digits apart.
    SpanSoup,
    /// Overview sub-headings worded like the sections (`（一）主动公开政府信息情况`).
    SectionLikeSubheads,
}

impl Shape {
    pub const ALL: [Shape; 14] = [
        Shape::OneLine,
        Shape::MdTable,
        Shape::DotHeads,
        Shape::MdHeads,
        Shape::NoProblemsHeading,
        Shape::TwoLineTitle,
        Shape::Cover,
        Shape::Leftovers,
        Shape::NavWords,
        Shape::Wraps,
        Shape::ProvDept,
        Shape::DevZone,
        Shape::SpanSoup,
        Shape::SectionLikeSubheads,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::OneLine => "one-line",
            Shape::MdTable => "md-table",
            Shape::DotHeads => "dot-heads",
            Shape::MdHeads => "md-heads",
            Shape::NoProblemsHeading => "no-problems-heading",
            Shape::TwoLineTitle => "two-line-title",
            Shape::Cover => "cover",
            Shape::Leftovers => "leftovers",
            Shape::NavWords => "nav-words",
            Shape::Wraps => "wraps",
            Shape::ProvDept => "prov-dept",
            Shape::DevZone => "dev-zone",
            Shape::SpanSoup => "span-soup",
            Shape::SectionLikeSubheads => "section-like-subheads",
        }
    }

    /// Chance of the shape among the reports it can apply to; chosen so that each
    /// shape reaches at least 5% of a corpus.
    fn chance(self) -> f64 {
        match self {
            // Text layouts only (~60% of reports), templates only for tables.
            Shape::OneLine => 0.14,
            Shape::MdTable => 0.2,
            Shape::NoProblemsHeading => 0.10,
            // HTML layouts only (~40% of reports).
            Shape::SpanSoup => 0.16,
            Shape::TwoLineTitle | Shape::Leftovers => 0.15,
            Shape::MdHeads => 0.12,
            _ => 0.07,
        }
    }

    fn bit(self) -> u16 {
        1 << Shape::ALL.iter().position(|s| *s == self).unwrap()
    }
}

/// A set of shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shapes(u16);

impl Shapes {
    pub const NONE: Shapes = Shapes(0);

    pub fn all() -> Shapes {
        Shapes(Shape::ALL.iter().fold(0, |a, s| a | s.bit()))
    }

    pub fn contains(self, s: Shape) -> bool {
        self.0 & s.bit() != 0
    }

    pub fn insert(&mut self, s: Shape) {
        self.0 |= s.bit();
    }

    pub fn remove(&mut self, s: Shape) {
        self.0 &= !s.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = Shape> {
        Shape::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// The shapes of one report: each enabled shape with its chance.
    pub(super) fn draw(self, rng: &mut ChaCha8Rng) -> Shapes {
        let mut out = Shapes::NONE;
        for s in Shape::ALL {
            // Always draw, so the other shapes' draws do not depend on `self`.
            if rng.random_bool(s.chance()) && self.contains(s) {
                out.insert(s);
            }
        }
        out
    }
}

/// Error for an unknown shape name.
#[derive(Debug, thiserror::Error)]
#[error("unknown shape {0:?} (known: all, none, {names})", names = Shape::ALL.map(Shape::name).join(", "))]
pub struct UnknownShape(String);

impl FromStr for Shapes {
    type Err = UnknownShape;

    /// `all`, `none`, or names separated by commas; `all,-one-line` removes one.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = Shapes::NONE;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (neg, name) = match part.strip_prefix('-') {
                Some(n) => (true, n),
                None => (false, part),
            };
            let set = match name {
                "all" => Shapes::all(),
                "none" => Shapes::NONE,
                _ => {
                    let sh = Shape::ALL
                        .into_iter()
                        .find(|x| x.name() == name)
                        .ok_or_else(|| UnknownShape(name.to_string()))?;
                    Shapes(sh.bit())
                }
            };
            if neg {
                out.0 &= !set.0;
            } else {
                out.0 |= set.0;
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Shapes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("none");
        }
        let names: Vec<&str> = self.iter().map(Shape::name).collect();
        f.write_str(&names.join(","))
    }
}

/// Wrap spaces in every paragraph.
pub(super) fn wrap_paragraphs(blocks: &mut [super::tables::Block], rng: &mut ChaCha8Rng) {
    for b in blocks {
        if let super::tables::Block::Para(s) = b {
            *s = wrap_spaces(s, rng);
        }
    }
}

/// Spaces where lines wrapped: every 30–45 characters, and at some boundaries
/// between digits and Han characters (`2024 年`, `20 17年`, `1月1 日`).
pub(super) fn wrap_spaces(s: &str, rng: &mut ChaCha8Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut next_wrap = rng.random_range(30..46);
    for (k, &c) in chars.iter().enumerate() {
        if k > 0 {
            let prev = chars[k - 1];
            let han = |x: char| ('\u{4e00}'..='\u{9fff}').contains(&x);
            let digit_han = (prev.is_ascii_digit() && han(c)) || (han(prev) && c.is_ascii_digit());
            let in_year = prev.is_ascii_digit()
                && c.is_ascii_digit()
                && k >= 2
                && !chars[k - 2].is_ascii_digit()
                && chars.get(k + 2).is_some_and(|x| x.is_ascii_digit());
            if k == next_wrap {
                next_wrap += rng.random_range(30..46);
                // A wrap never splits a parenthesised note (pinyin, units).
                if prev != '(' && c != ')' {
                    out.push(' ');
                }
            } else if (digit_han && rng.random_bool(0.3)) || (in_year && rng.random_bool(0.15)) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn names_round_trip_and_unknown_names_fail() {
        let all = Shapes::all();
        assert_eq!(all.to_string().parse::<Shapes>().unwrap(), all);
        assert_eq!("none".parse::<Shapes>().unwrap(), Shapes::NONE);
        let s: Shapes = "all,-one-line".parse().unwrap();
        assert!(!s.contains(Shape::OneLine) && s.contains(Shape::Wraps));
        let e = "one-lines".parse::<Shapes>().unwrap_err().to_string();
        assert!(e.contains("one-lines") && e.contains("md-table"), "{e}");
    }

    #[test]
    fn wrap_spaces_only_add_spaces() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let s = "本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止，全年共受理政府信息公开申请120件。";
        let w = wrap_spaces(s, &mut rng);
        assert!(w.contains(' '));
        assert_eq!(w.replace(' ', ""), s);
    }
}
