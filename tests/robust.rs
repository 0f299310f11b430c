//! Arbitrary bytes and mutated seeds never panic the parser.

use proptest::prelude::*;
use std::path::Path;

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(crate::common::SEEDS);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000), html in any::<bool>()) {
        let _ = gongkai::parse_bytes(&bytes, if html { "html" } else { "txt" });
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[一二三四五六七八九十、.()|0-9 \n本年新收上年结转行政复议总计其他处理<>tdr/政府信息公开报告年]{0,600}") {
        let _ = gongkai::parse_bytes(text.as_bytes(), "txt");
        let _ = gongkai::parse_bytes(format!("<table><tr><td>{text}</td></tr></table>").as_bytes(), "html");
    }

    #[test]
    fn mutated_seeds_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..3, any::<u8>(), 1usize..200), 1..12),
    ) {
        let mut bytes = seeds()[which].clone();
        for (at, kind, b, len) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = b,
                1 => { let end = (i + len).min(bytes.len()); bytes.drain(i..end); }
                _ => { let chunk: Vec<u8> = bytes[i..(i + len).min(bytes.len())].to_vec(); bytes.splice(i..i, chunk); }
            }
        }
        let _ = gongkai::parse_bytes(&bytes, "txt");
    }
}

#[test]
fn a_large_report_parses() {
    // ~1 MB: a seed repeated. (Speed is measured by the benchmark, not here.)
    let seed = &seeds()[0];
    let mut big = Vec::new();
    while big.len() < 1_000_000 {
        big.extend_from_slice(seed);
        big.push(b'\n');
    }
    let r = gongkai::parse_bytes(&big, "txt").unwrap();
    assert_eq!(r.year, Some(2021));
    assert!(r.full_text().len() > 500_000);
}
