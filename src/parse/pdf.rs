//! PDF: the text layer's glyphs with their positions, read by `pdf-extract`
//! (fonts, CMaps, Identity-H and CID fonts with ToUnicode maps, Type 3 fonts)
//! on `lopdf`, then laid out into lines by [`super::pdf_layout`].
//!
//! `pdf-extract` panics on some malformed files and recurses along page-tree
//! parents and nested forms: the structure is checked first (bounded depth, no
//! cycles) and the extraction runs under `catch_unwind`, so a bad file is one
//! error line and the batch goes on.

use super::pdf_layout::{layout, Glyph, Page};
use super::read::{DecodeError, Document, Format};
use pdf_extract::{Dictionary, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};
use std::cell::Cell;
use std::collections::HashMap;

/// Deeper page trees or form nesting than this are refused (real files have a few levels).
const MAX_DEPTH: usize = 32;
/// More glyphs than this (about 50,000 pages of text) are refused.
const MAX_GLYPHS: usize = 20_000_000;

/// Reads a PDF's text layer into lines.
pub fn read_pdf(bytes: &[u8]) -> Result<Document, DecodeError> {
    let broken = |reason: String| DecodeError::Broken {
        format: "PDF",
        reason,
    };
    // An owner password only restricts printing or copying: lopdf opens such
    // files with the empty user password.
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| broken(one_line(&e)))?;
    if doc.is_encrypted() {
        return Err(DecodeError::Unsupported(
            "encrypted PDF: it needs a password to open".into(),
        ));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(broken("no pages".into()));
    }
    check_structure(&doc, pages.values().copied()).map_err(broken)?;
    let mut sink = GlyphSink::default();
    let outcome = quietly(|| pdf_extract::output_doc(&doc, &mut sink));
    match outcome {
        Some(Ok(())) => {}
        Some(Err(e)) if sink.pages.iter().all(|p| p.glyphs.is_empty()) => {
            return Err(broken(one_line(&e)));
        }
        // Text read before an error in a later page is kept.
        Some(Err(_)) => {}
        None => return Err(broken("unreadable content (the PDF reader gave up)".into())),
    }
    if sink.too_many {
        return Err(broken(format!("more than {MAX_GLYPHS} glyphs")));
    }
    if sink
        .pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.ch.is_whitespace()))
    {
        return Err(if has_images(&doc, pages.values().copied()) {
            DecodeError::NoTextLayer
        } else {
            DecodeError::Empty
        });
    }
    let lines = layout(&sink.pages);
    Ok(Document {
        lines,
        format: Format::Pdf,
        ..Default::default()
    })
}

/// The first line of an error's message.
fn one_line(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

thread_local! {
    /// Set while this thread runs the PDF reader: its panics are errors, not crashes.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without printing it.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                prev(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r.ok()
}

fn dict_of<'a>(doc: &'a pdf_extract::Document, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        Object::Reference(id) => match doc.get_object(*id).ok()? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        },
        _ => None,
    }
}

/// A page's resources, inherited from its parents when it has none.
fn resources(doc: &pdf_extract::Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_DEPTH {
        if let Ok(r) = node.get(b"Resources") {
            return dict_of(doc, r);
        }
        node = doc
            .get_dictionary(node.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

/// Page-tree parents and nested forms are finite and at most [`MAX_DEPTH`] deep.
fn check_structure(
    doc: &pdf_extract::Document,
    pages: impl Iterator<Item = ObjectId>,
) -> Result<(), String> {
    let mut depth: HashMap<ObjectId, Option<usize>> = HashMap::new();
    for page in pages {
        let mut node = doc.get_dictionary(page).ok();
        let mut steps = 0;
        while let Some(d) = node {
            steps += 1;
            if steps > MAX_DEPTH {
                return Err("page tree too deep or cyclic".into());
            }
            node = d
                .get(b"Parent")
                .and_then(Object::as_reference)
                .and_then(|id| doc.get_dictionary(id))
                .ok();
        }
        if let Some(res) = resources(doc, page) {
            for id in form_children(doc, res) {
                form_depth(doc, id, &mut depth, 1)?;
            }
        }
    }
    Ok(())
}

/// The form XObjects a resource dictionary names.
fn form_children(doc: &pdf_extract::Document, res: &Dictionary) -> Vec<ObjectId> {
    let Some(xobjects) = res.get(b"XObject").ok().and_then(|o| dict_of(doc, o)) else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, o)| o.as_reference().ok())
        .filter(|id| {
            doc.get_object(*id)
                .ok()
                .and_then(|o| dict_of(doc, o))
                .is_some_and(|d| {
                    d.get(b"Subtype")
                        .and_then(Object::as_name)
                        .is_ok_and(|n| n == b"Form")
                })
        })
        .collect()
}

/// Depth of the forms below `id`; `None` in the memo marks a form being visited (a cycle).
fn form_depth(
    doc: &pdf_extract::Document,
    id: ObjectId,
    memo: &mut HashMap<ObjectId, Option<usize>>,
    level: usize,
) -> Result<usize, String> {
    if level > MAX_DEPTH {
        return Err("forms nested too deep".into());
    }
    match memo.get(&id) {
        Some(Some(d)) => return Ok(*d),
        Some(None) => return Err("a form draws itself (cyclic XObjects)".into()),
        None => {}
    }
    memo.insert(id, None);
    let mut d = 1;
    let res = doc
        .get_object(id)
        .ok()
        .and_then(|o| dict_of(doc, o))
        .and_then(|f| f.get(b"Resources").ok())
        .and_then(|r| dict_of(doc, r));
    if let Some(res) = res {
        for child in form_children(doc, res) {
            d = d.max(1 + form_depth(doc, child, memo, level + 1)?);
        }
    }
    memo.insert(id, Some(d));
    Ok(d)
}

/// Whether any page draws an image (a scan), looked up without decoding it.
fn has_images(doc: &pdf_extract::Document, pages: impl Iterator<Item = ObjectId>) -> bool {
    pages.filter_map(|p| resources(doc, p)).any(|res| {
        res.get(b"XObject")
            .ok()
            .and_then(|o| dict_of(doc, o))
            .is_some_and(|x| {
                x.iter().any(|(_, o)| {
                    dict_of(doc, o).is_some_and(|d| {
                        d.get(b"Subtype")
                            .and_then(Object::as_name)
                            .is_ok_and(|n| n == b"Image")
                    })
                })
            })
    })
}

/// Collects the glyphs `pdf-extract` draws, page by page, in page coordinates
/// with y growing downwards.
#[derive(Default)]
struct GlyphSink {
    pages: Vec<Page>,
    top: f64,
    count: usize,
    too_many: bool,
}

impl OutputDev for GlyphSink {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.top = media_box.ury;
        self.pages.push(Page {
            height: (media_box.ury - media_box.lly).abs() as f32,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.too_many {
            return Ok(());
        }
        // The font size as drawn: the side of the square with the area the
        // text matrix gives a size × size square.
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (trm.m31, self.top - trm.m32);
        let n = text.chars().count().max(1);
        let advance = width * size / n as f64;
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        for (i, ch) in text.chars().enumerate() {
            self.count += 1;
            if self.count > MAX_GLYPHS {
                self.too_many = true;
                return Ok(());
            }
            page.glyphs.push(Glyph {
                ch,
                x: (x + advance * i as f64) as f32,
                y: y as f32,
                width: advance as f32,
                size: size as f32,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
