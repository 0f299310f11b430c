//! Tokenizers of the index: jieba words (search mode) for keyword queries, and
//! character n-grams (unigram + bigram at each position, prefixed by the part of
//! the report they come from) for exact-phrase queries that behave like grep.

use jieba_rs::Jieba;
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Forces the jieba dictionary to load (it takes a moment; do it before timing).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Lower-cases ASCII letters (documents and queries alike).
fn term_text(w: &str) -> String {
    w.to_ascii_lowercase()
}

/// Search-mode jieba tokens of `text` as (byte start, byte end, term). Tokens
/// holding no letter or digit (punctuation, spaces) are dropped.
pub fn words_for_index(text: &str) -> Vec<(usize, usize, String)> {
    index_tokens(text)
        .into_iter()
        .map(|t| (t.offset_from, t.offset_to, t.text))
        .collect()
}

fn index_tokens(text: &str) -> Vec<Token> {
    let base = text.as_ptr() as usize;
    JIEBA
        .cut_for_search(text, false)
        .into_iter()
        .filter(|w| w.chars().any(is_word_char))
        .enumerate()
        .map(|(i, w)| {
            let start = w.as_ptr() as usize - base;
            Token {
                offset_from: start,
                offset_to: start + w.len(),
                position: i,
                text: term_text(w),
                position_length: 1,
            }
        })
        .collect()
}

/// Default-mode jieba tokens of a query word (what it must contain).
pub fn words_for_query(text: &str) -> Vec<String> {
    JIEBA
        .cut(text, false)
        .into_iter()
        .filter(|w| w.chars().any(is_word_char))
        .map(term_text)
        .collect()
}

/// The registered jieba tokenizer ("jieba"), search mode.
#[derive(Clone, Default)]
pub struct JiebaTokenizer;

pub struct VecTokenStream {
    tokens: Vec<Token>,
    i: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.i += 1;
        self.i <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.i - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.i - 1]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: index_tokens(text),
            i: 0,
        }
    }
}

/// Marks the start of a part in the text given to the n-gram tokenizer: the
/// marker character is followed by the part's code character.
pub const PART_MARK: char = '\u{1}';
/// Code of the title; sections use '1'..='6' in `SectionKey::ALL` order, the preamble '7'.
pub const TITLE_CODE: char = '0';

/// Builds the value of the n-gram field from (code, text) parts.
pub fn ngram_value<'a>(parts: impl IntoIterator<Item = (char, &'a str)>) -> String {
    let mut s = String::new();
    for (code, text) in parts {
        s.push(PART_MARK);
        s.push(code);
        // The marker must not occur in the text itself.
        s.extend(text.chars().map(|c| {
            if c == PART_MARK || c == END_MARK {
                ' '
            } else {
                c
            }
        }));
    }
    s
}

/// Follows the last character of a part in its bigram.
pub const END_MARK: char = '\u{2}';

/// The registered n-gram tokenizer ("ngram"): at each character position, the
/// bigram starting there (the last character of a part pairs with [`END_MARK`]),
/// prefixed by the part code. A single character is found by the prefix of
/// its bigrams.
#[derive(Clone, Default)]
pub struct NgramTokenizer;

pub struct NgramStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    code: char,
    pos: usize,
    token: Token,
}

impl TokenStream for NgramStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((i, c)) = self.chars.next() else {
                return false;
            };
            if c == PART_MARK {
                if let Some((_, code)) = self.chars.next() {
                    self.code = code;
                }
                self.pos += 8;
                continue;
            }
            self.token.offset_from = i;
            self.token.position = self.pos;
            self.token.position_length = 1;
            self.token.text.clear();
            self.token.text.push(self.code);
            self.token.text.push(c);
            match self.chars.peek() {
                Some(&(j, d)) if d != PART_MARK => {
                    self.token.text.push(d);
                    self.token.offset_to = j + d.len_utf8();
                }
                _ => {
                    // The last character of a part: pair it with the end mark.
                    self.token.text.push(END_MARK);
                    self.token.offset_to = i + c.len_utf8();
                }
            }
            let _ = self.text;
            self.pos += 1;
            return true;
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for NgramTokenizer {
    type TokenStream<'a> = NgramStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> NgramStream<'a> {
        NgramStream {
            text,
            chars: text.char_indices().peekable(),
            code: TITLE_CODE,
            pos: 0,
            token: Token::default(),
        }
    }
}

/// The terms (with their positions relative to the phrase start) that an exact
/// phrase of two or more characters looks for in part `code`: bigrams at even
/// offsets, and for an odd length a last bigram overlapping the one before.
/// A single character gives its prefix (code + character): match it with a
/// prefix query over the bigram terms.
pub fn phrase_terms(code: char, phrase: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = phrase.chars().collect();
    let bigram = |i: usize| [code, chars[i], chars[i + 1]].iter().collect::<String>();
    match chars.len() {
        0 => Vec::new(),
        1 => vec![(0, [code, chars[0]].iter().collect())],
        n => {
            let mut out: Vec<(usize, String)> =
                (0..n - 1).step_by(2).map(|i| (i, bigram(i))).collect();
            if n % 2 == 1 {
                out.push((n - 2, bigram(n - 2)));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngram_tokens() {
        let v = ngram_value([('0', "ab"), ('5', "c")]);
        let mut tk = NgramTokenizer;
        let mut s = tk.token_stream(&v);
        let mut got = Vec::new();
        while s.advance() {
            got.push((s.token().text.clone(), s.token().position));
        }
        assert_eq!(
            got,
            vec![
                ("0ab".into(), 8),
                ("0b\u{2}".into(), 9),
                ("5c\u{2}".into(), 18)
            ]
        );
    }

    #[test]
    fn phrase_terms_cover() {
        assert_eq!(phrase_terms('1', "甲"), vec![(0, "1甲".into())]);
        assert_eq!(
            phrase_terms('1', "甲乙丙"),
            vec![(0, "1甲乙".into()), (1, "1乙丙".into())]
        );
        assert_eq!(
            phrase_terms('1', "甲乙丙丁"),
            vec![(0, "1甲乙".into()), (2, "1丙丁".into())]
        );
    }

    #[test]
    fn jieba_offsets() {
        let t = "政府信息公开工作";
        for (s, e, w) in words_for_index(t) {
            assert_eq!(&t[s..e], w);
        }
    }
}
