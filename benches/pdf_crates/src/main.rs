//! `pdf_crates CRATE OUT_DIR FILE...`: the text each candidate crate extracts
//! from each PDF, written to OUT_DIR/NAME.txt (empty when the crate fails; the
//! error goes to stderr). CRATE is pdf-extract, lopdf or pdf (pdf-rs).

use std::collections::HashMap;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, krate, out, files @ ..] = args.as_slice() else {
        eprintln!("usage: pdf_crates pdf-extract|lopdf|pdf OUT_DIR FILE...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(out).expect("out dir");
    std::panic::set_hook(Box::new(|_| {}));
    for f in files {
        let bytes = std::fs::read(f).expect("read pdf");
        let r = std::panic::catch_unwind(|| match krate.as_str() {
            "pdf-extract" => pdf_extract::extract_text_from_mem(&bytes).map_err(|e| e.to_string()),
            "lopdf" => with_lopdf(&bytes),
            "pdf" => with_pdf_rs(&bytes),
            _ => Err(format!("unknown crate {krate}")),
        });
        let text = match r {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => {
                eprintln!("{krate}: {f}: {e}");
                String::new()
            }
            Err(_) => {
                eprintln!("{krate}: {f}: panicked");
                String::new()
            }
        };
        let name = Path::new(f).file_stem().unwrap().to_string_lossy();
        std::fs::write(Path::new(out).join(format!("{name}.txt")), text).expect("write");
    }
}

fn with_lopdf(bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).map_err(|e| e.to_string())
}

/// pdf-rs has no text API: shown strings decoded through each font's ToUnicode
/// map (two-byte codes for Type0 fonts), a line break where the text moves down.
fn with_pdf_rs(bytes: &[u8]) -> Result<String, String> {
    use pdf::content::{Op, TextDrawAdjusted};
    use pdf::font::FontType;
    let file = pdf::file::FileOptions::cached()
        .load(bytes.to_vec())
        .map_err(|e| e.to_string())?;
    let resolver = file.resolver();
    let mut text = String::new();
    for page in file.pages() {
        let page = page.map_err(|e| e.to_string())?;
        let res = page.resources().map_err(|e| e.to_string())?;
        let mut maps = HashMap::new();
        for (name, font) in &res.fonts {
            let font = font.load(&resolver).map_err(|e| e.to_string())?;
            let map = font.to_unicode(&resolver).and_then(Result::ok);
            maps.insert(name.clone(), (matches!(font.subtype, FontType::Type0), map));
        }
        let Some(contents) = &page.contents else {
            continue;
        };
        let ops = contents.operations(&resolver).map_err(|e| e.to_string())?;
        let mut font = None;
        let show = |s: &[u8], font: &Option<pdf::primitive::Name>, text: &mut String| {
            let Some((two, Some(map))) = font.as_ref().and_then(|f| maps.get(f)) else {
                text.push_str(&String::from_utf8_lossy(s));
                return;
            };
            let codes: Vec<u16> = if *two {
                s.chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect()
            } else {
                s.iter().map(|&b| b as u16).collect()
            };
            for c in codes {
                text.push_str(map.get(c).unwrap_or(""));
            }
        };
        for op in ops {
            match op {
                Op::TextFont { name, .. } => font = Some(name),
                Op::TextDraw { text: s } => show(s.as_bytes(), &font, &mut text),
                Op::TextDrawAdjusted { array } => {
                    for a in array {
                        match a {
                            TextDrawAdjusted::Text(s) => show(s.as_bytes(), &font, &mut text),
                            TextDrawAdjusted::Spacing(n) if n < -200.0 => text.push(' '),
                            _ => {}
                        }
                    }
                }
                Op::TextNewline => text.push('\n'),
                Op::MoveTextPosition { translation } if translation.y != 0.0 => text.push('\n'),
                Op::SetTextMatrix { .. } | Op::EndText => text.push('\n'),
                _ => {}
            }
        }
        text.push('\u{c}');
    }
    Ok(text)
}
