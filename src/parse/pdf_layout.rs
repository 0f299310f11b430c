//! Page layout: positioned glyphs of a PDF page become lines of text in reading
//! order, shaped like `pdftotext -layout` output (the cells of a table row on
//! one line, separated by runs of spaces), without the page headers, footers
//! and page numbers that repeat on every page.
//!
//! Pure functions of the glyphs: the PDF reading is in [`super::pdf`].

use std::collections::HashMap;

mod cells;

/// One glyph as drawn: its text, where its baseline starts (page units, y
/// growing downwards from the top of the page), its advance and font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub ch: char,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub size: f32,
}

/// The glyphs of one page and its height (for the header and footer bands).
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub height: f32,
    pub glyphs: Vec<Glyph>,
}

/// A line of one page: its text, baseline and font size.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    text: String,
    y: f32,
    size: f32,
}

/// The top and bottom bands of a page where running headers and footers sit.
const MARGIN_BAND: f32 = 0.09;

/// Lays out the pages: lines in reading order, running headers, footers and page
/// numbers dropped, a title printed over two lines joined.
pub fn layout(pages: &[Page]) -> Vec<String> {
    let mut per_page: Vec<Vec<Line>> = pages.iter().map(page_lines).collect();
    drop_running_lines(pages, &mut per_page);
    let body = body_size(pages);
    if let Some(first) = per_page.iter_mut().find(|p| !p.is_empty()) {
        join_title(first, body);
    }
    per_page.into_iter().flatten().map(|l| l.text).collect()
}

/// Groups a page's glyphs into lines by baseline, each line's glyphs by x,
/// then into rows of cells ([`cells`]).
fn page_lines(page: &Page) -> Vec<Line> {
    let mut glyphs: Vec<Glyph> = page
        .glyphs
        .iter()
        .copied()
        .filter(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.size > 0.0)
        .collect();
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<&[Glyph]> = Vec::new();
    let mut rest = glyphs.as_mut_slice();
    while !rest.is_empty() {
        let first = rest[0];
        // Baselines of one line differ by less than a third of the font size
        // (mixed fonts, superscripts); the next line is at least a size below.
        let n = rest
            .iter()
            .position(|g| g.y - first.y > 0.35 * first.size.max(g.size))
            .unwrap_or(rest.len());
        let (line, tail) = rest.split_at_mut(n);
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        lines.push(line);
        rest = tail;
    }
    cells::rows(&lines)
}

/// The most common font size of the document's glyphs (the body text).
fn body_size(pages: &[Page]) -> f32 {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for g in pages.iter().flat_map(|p| &p.glyphs) {
        if g.size.is_finite() && g.size > 0.0 && !g.ch.is_whitespace() {
            *counts.entry((g.size * 2.0).round() as u32).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(size, n)| (n, size))
        .map_or(0.0, |(s, _)| s as f32 / 2.0)
}

/// CJK radical code points that some fonts' ToUnicode maps give for the
/// ideograph they share a glyph with (Chromium prints 民 as U+2EA0 ⺠ with Noto
/// CJK): the ideograph is what the text says.
const RADICALS: &[(char, char)] = &[
    ('⺟', '母'),
    ('⺠', '民'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻊', '足'),
    ('⻋', '车'),
    ('⻑', '長'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// The ideograph for a radical a font mapped it to, else the character itself.
fn ideograph(c: char) -> char {
    if ('\u{2f00}'..='\u{2fdf}').contains(&c) {
        // Kangxi radicals decompose to their ideographs.
        use unicode_normalization::UnicodeNormalization;
        return std::iter::once(c).nfkc().next().unwrap_or(c);
    }
    if !('\u{2e80}'..='\u{2eff}').contains(&c) {
        return c;
    }
    RADICALS
        .binary_search_by_key(&c, |&(r, _)| r)
        .map_or(c, |i| RADICALS[i].1)
}

/// Masks digits so that "3/12" and "4/12" are the same running line.
fn running_key(text: &str) -> String {
    let mut key = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    key
}

/// "3", "- 3 -", "3/12", "第3页", "第 3 页 共 12 页", "Page 3 of 12".
fn is_page_number(text: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[-—–·\s]*\d{1,4}[-—–·\s]*|\d{1,4}\s*/\s*\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$",
        )
        .expect("page number regex")
    });
    RE.is_match(text.trim())
}

/// Up to two lines at the top and the bottom of each page, inside the margin
/// bands, are running lines when they are page numbers or, digits masked, repeat
/// on two or more pages. Anything else stays: report text is never dropped on doubt.
fn drop_running_lines(pages: &[Page], per_page: &mut [Vec<Line>]) {
    let candidates = |lines: &[Line], height: f32| -> Vec<usize> {
        let top = lines
            .iter()
            .enumerate()
            .take(2)
            .filter(|(_, l)| l.y < height * MARGIN_BAND)
            .map(|(i, _)| i);
        let n = lines.len();
        let bottom = lines
            .iter()
            .enumerate()
            .skip(n.saturating_sub(2))
            .filter(|(_, l)| l.y > height * (1.0 - MARGIN_BAND))
            .map(|(i, _)| i);
        let mut v: Vec<usize> = top.chain(bottom).collect();
        v.dedup();
        v
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, lines) in pages.iter().zip(per_page.iter()) {
        let mut keys: Vec<String> = candidates(lines, page.height)
            .into_iter()
            .map(|i| running_key(&lines[i].text))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    for (page, lines) in pages.iter().zip(per_page.iter_mut()) {
        let drop: Vec<usize> = candidates(lines, page.height)
            .into_iter()
            .filter(|&i| {
                let l = &lines[i];
                is_page_number(&l.text) || seen.get(&running_key(&l.text)).is_some_and(|&n| n >= 2)
            })
            .collect();
        for i in drop.into_iter().rev() {
            lines.remove(i);
        }
    }
}

/// A title in a large font printed over two or three lines becomes one line.
fn join_title(lines: &mut Vec<Line>, body: f32) {
    let Some(i) = lines
        .iter()
        .take(12)
        .position(|l| l.size > body * 1.15 && !l.text.contains("  "))
    else {
        return;
    };
    let mut joined = 0;
    while joined < 2 && i + 1 < lines.len() {
        let (a, b) = (&lines[i], &lines[i + 1]);
        let same_size = (a.size - b.size).abs() <= 0.08 * a.size;
        let close = b.y - a.y < 2.0 * a.size;
        if !same_size || !close || b.text.contains("  ") {
            break;
        }
        let b = lines.remove(i + 1);
        let a = &mut lines[i];
        let cjk_seam = a.text.chars().last().is_some_and(|c| !c.is_ascii())
            || b.text.chars().next().is_some_and(|c| !c.is_ascii());
        if !cjk_seam {
            a.text.push(' ');
        }
        a.text.push_str(&b.text);
        joined += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut at = x;
        text.chars()
            .map(|ch| {
                let w = if ch.is_ascii() { 0.5 } else { 1.0 } * size;
                at += w;
                Glyph {
                    ch,
                    x: at - w,
                    y,
                    width: w,
                    size,
                }
            })
            .collect()
    }

    fn page(runs: Vec<Vec<Glyph>>) -> Page {
        Page {
            height: 800.0,
            glyphs: runs.into_iter().flatten().collect(),
        }
    }

    #[test]
    fn cells_of_a_row_are_separated_by_runs_of_spaces() {
        let p = page(vec![
            run("（一）予以公开", 100.0, 300.0, 10.0),
            run("12", 300.0, 300.5, 10.0),
            run("3", 360.0, 300.0, 10.0),
            run("正文第二行", 60.0, 314.0, 10.0),
        ]);
        let lines = layout(&[p]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        let cells: Vec<&str> = lines[0]
            .split("  ")
            .filter(|c| !c.trim().is_empty())
            .collect();
        assert_eq!(cells, ["（一）予以公开", "12", "3"]);
        assert_eq!(lines[1], "正文第二行");
    }

    #[test]
    fn running_headers_footers_and_page_numbers_are_dropped() {
        let mk = |n: usize, body: &str| {
            page(vec![
                run("某某市人民政府门户网站", 60.0, 30.0, 9.0),
                run(body, 60.0, 200.0, 10.0),
                run(&format!("{n}/3"), 500.0, 780.0, 9.0),
            ])
        };
        let lines = layout(&[
            mk(1, "第一页正文"),
            mk(2, "第二页正文"),
            mk(3, "第三页正文"),
        ]);
        assert_eq!(lines, ["第一页正文", "第二页正文", "第三页正文"]);
        // A single page keeps a line that only repetition would mark as a header.
        assert_eq!(layout(&[mk(1, "正文")]), ["某某市人民政府门户网站", "正文"]);
    }

    #[test]
    fn a_title_over_two_lines_is_joined() {
        let p = page(vec![
            run("2021年某某市人民政府政府信息公开工作", 60.0, 100.0, 20.0),
            run("年度报告", 60.0, 126.0, 20.0),
            run("根据条例规定，现向社会公布本年度报告。", 60.0, 170.0, 10.0),
            run("正文又一行。", 60.0, 184.0, 10.0),
        ]);
        let lines = layout(&[p]);
        assert_eq!(lines[0], "2021年某某市人民政府政府信息公开工作年度报告");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn radicals_read_as_ideographs() {
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0));
        let lines = layout(&[page(vec![run("⼈⺠政府⻔户", 10.0, 50.0, 10.0)])]);
        assert_eq!(lines, ["人民政府门户"]);
    }

    #[test]
    fn doubled_glyphs_and_spaces_between_words() {
        let mut g = run("Report 2021", 10.0, 50.0, 10.0);
        g.push(Glyph {
            x: g[0].x + 0.3,
            ..g[0]
        });
        let lines = layout(&[page(vec![g])]);
        assert_eq!(lines, ["Report 2021"]);
    }

    /// Cells of a line at the given x positions, all on baseline `y`.
    fn row(cells: &[(&str, f32)], y: f32) -> Vec<Vec<Glyph>> {
        cells.iter().map(|(t, x)| run(t, *x, y, 10.0)).collect()
    }

    #[test]
    fn wrapped_header_cells_are_joined_cell_by_cell() {
        // "结果维持" and "结果纠正" wrapped in narrow columns, centred; a row of numbers below.
        let mut runs = row(&[("行政复议", 100.0)], 100.0);
        runs.extend(row(
            &[("结果维", 60.0), ("结果纠", 94.0), ("总", 130.0)],
            130.0,
        ));
        runs.extend(row(&[("持", 70.0), ("正", 104.0), ("计", 130.0)], 144.0));
        runs.extend(row(&[("1", 70.0), ("2", 104.0), ("3", 130.0)], 170.0));
        let lines = layout(&[page(runs)]);
        assert_eq!(lines.len(), 3, "{lines:?}");
        let cells: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(cells, ["结果维持", "结果纠正", "总计"]);
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["1", "2", "3"]
        );
    }

    #[test]
    fn a_label_over_two_lines_sits_on_its_numbers_line() {
        // The numbers are centred between the label's two lines, as browsers print them.
        let mut runs = row(&[("（二）部分公开（区分处理的，只计", 60.0)], 200.0);
        runs.extend(row(&[("3", 300.0), ("0", 340.0), ("3", 380.0)], 207.0));
        runs.extend(row(&[("这一情形）", 60.0)], 214.0));
        runs.extend(row(&[("1.属于国家秘密", 60.0), ("0", 300.0)], 240.0));
        let lines = layout(&[page(runs)]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        let cells: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            cells,
            ["（二）部分公开（区分处理的，只计这一情形）", "3", "0", "3"]
        );
    }

    #[test]
    fn a_label_over_three_lines_keeps_its_middle_line_numbers() {
        let mut runs = row(&[("2.申请人逾期未按收费", 60.0)], 300.0);
        runs.extend(row(
            &[("通知要求缴纳费用、", 60.0), ("0", 300.0), ("4", 340.0)],
            314.0,
        ));
        runs.extend(row(&[("不再处理", 60.0)], 328.0));
        let lines = layout(&[page(runs)]);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let cells: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            cells,
            ["2.申请人逾期未按收费通知要求缴纳费用、不再处理", "0", "4"]
        );
    }

    #[test]
    fn prose_lines_and_header_rows_stay_apart() {
        // Two lines of a paragraph, aligned and one pitch apart: never one line.
        let mut runs = row(&[("一是进一步完善政府网站栏目设置，不断提升", 60.0)], 100.0);
        runs.extend(row(&[("答复的规范化水平。", 60.0)], 114.0));
        // A header row right above a data row: the row's label is not the header's.
        runs.extend(row(&[("信息内容", 60.0), ("本年制发件数", 200.0)], 150.0));
        runs.extend(row(&[("规章", 70.0), ("5", 220.0)], 164.0));
        let lines = layout(&[page(runs)]);
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[1], "答复的规范化水平。");
        assert!(lines[3].starts_with("规章"), "{lines:?}");
    }
}
