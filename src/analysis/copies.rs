//! Copied text: how much of a report repeats the same body's previous report,
//! and which report of another body in the same year it is most like.
//!
//! Texts become sets of character shingles (eight Han characters, letters or
//! digits in a row; punctuation and spaces ignored). Only shingles whose hash
//! falls in a fixed 1/[`SAMPLE`] of the hash space are kept: an unbiased sample
//! of every set (Broder's "mod m" sketch) that makes sets, boilerplate counts
//! and comparisons eight times smaller. Wording shared by many reports (the
//! template's headings, table labels, set phrases) is boilerplate, not copying:
//! shingles found in at least [`Boilerplate::min_docs`] of a sample of the corpus
//! are left out of every comparison.
//!
//! Comparing every pair is quadratic; reports of other bodies are paired only
//! when their MinHash signatures share a band (locality-sensitive hashing), so
//! the work grows with the number of reports and of true near-copies.

use std::collections::{HashMap, HashSet};

/// Characters per shingle.
pub const SHINGLE: usize = 8;
/// One shingle in `SAMPLE` is kept.
pub const SAMPLE: u64 = 8;
/// MinHash signature length and its banding (bands × rows = hashes).
const HASHES: usize = 32;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Fewer kept shingles than this (about 200 characters of text) say nothing.
pub const MIN_SHINGLES: usize = 20;
/// An LSH bucket with more reports than this is left out: a band that many
/// reports of many bodies share is template wording the boilerplate filter
/// missed, not copying (a real copy shares other bands with its source too).
/// It bounds the candidates of a report at `BANDS * BUCKET_CAP`, so the work
/// grows linearly with the reports of a year.
const BUCKET_CAP: usize = 64;

/// The sampled shingles of a text, sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shingles(Vec<u64>);

fn fnv1a(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        for b in (c as u32).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // FNV's low bits are weak: mix before sampling by `h % SAMPLE`.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

fn significant(c: char) -> bool {
    // The common cases first: `is_alphanumeric` looks most of CJK up in tables.
    c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_alphanumeric()
}

impl Shingles {
    /// One shingle in [`SAMPLE`]: for whole reports.
    pub fn of(text: &str) -> Shingles {
        Shingles::sampled(text, SAMPLE)
    }

    /// Every shingle: for short texts (a problems section) where a sample
    /// would leave too few to say anything.
    pub fn every(text: &str) -> Shingles {
        Shingles::sampled(text, 1)
    }

    fn sampled(text: &str, sample: u64) -> Shingles {
        let chars: Vec<char> = text.chars().filter(|&c| significant(c)).collect();
        let mut v: Vec<u64> = chars
            .windows(SHINGLE)
            .map(fnv1a)
            .filter(|h| h % sample == 0)
            .collect();
        v.sort_unstable();
        v.dedup();
        // Kept for the whole pass: without the slack of a growing Vec.
        v.shrink_to_fit();
        Shingles(v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Without the boilerplate shingles.
    pub fn without(&self, b: &Boilerplate) -> Shingles {
        let mut v: Vec<u64> = self
            .0
            .iter()
            .copied()
            .filter(|h| !b.common.contains(h))
            .collect();
        v.shrink_to_fit();
        Shingles(v)
    }

    /// Shingles in both (sorted merge).
    pub fn common(&self, other: &Shingles) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// Share of this text's shingles found in `source`, if this text is long
    /// enough to say.
    pub fn share_in(&self, source: &Shingles) -> Option<f64> {
        (self.len() >= MIN_SHINGLES).then(|| self.common(source) as f64 / self.len() as f64)
    }

    fn signature(&self) -> [u32; HASHES] {
        let mut sig = [u32::MAX; HASHES];
        for &h in &self.0 {
            for (i, s) in sig.iter_mut().enumerate() {
                // One cheap permutation per slot: multiply-xor with per-slot odd constants.
                let k = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                let x = (h ^ k).wrapping_mul(k);
                *s = (*s).min((x >> 32) as u32);
            }
        }
        sig
    }
}

impl AsRef<Shingles> for Shingles {
    fn as_ref(&self) -> &Shingles {
        self
    }
}

/// Shingles common to many reports.
#[derive(Debug, Default)]
pub struct Boilerplate {
    common: HashSet<u64>,
}

impl Boilerplate {
    /// Reports a shingle must occur in, out of `n`, to be boilerplate: 5%, and
    /// at least 5 so that a handful of copies in a small corpus stay copies.
    pub fn min_docs(n: usize) -> usize {
        n.div_ceil(20).max(5)
    }

    /// Counts document frequencies over `sample` (a bounded, deterministic
    /// sample of the corpus keeps memory flat however large the corpus is).
    pub fn learn<'a>(sample: impl IntoIterator<Item = &'a Shingles>) -> Boilerplate {
        let mut df: HashMap<u64, u32> = HashMap::new();
        let mut n = 0;
        for s in sample {
            n += 1;
            for &h in &s.0 {
                *df.entry(h).or_default() += 1;
            }
        }
        let min = Self::min_docs(n) as u32;
        Boilerplate {
            common: df
                .into_iter()
                .filter(|&(_, c)| c >= min)
                .map(|(h, _)| h)
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.common.len()
    }

    pub fn is_empty(&self) -> bool {
        self.common.is_empty()
    }
}

/// The most similar report of another body: its position in the input and the
/// share of this report's (non-boilerplate) shingles it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub other: usize,
    pub share: f64,
}

/// For each report (its body and its shingles, boilerplate already removed),
/// the report of another body that holds the largest share of its shingles,
/// among the candidates LSH proposes. Call it once per year.
pub fn nearest_other_body<B: Eq, S: AsRef<Shingles>>(reports: &[(B, S)]) -> Vec<Option<Nearest>> {
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    let sigs: Vec<Option<[u32; HASHES]>> = reports
        .iter()
        .map(|(_, s)| {
            let s = s.as_ref();
            (s.len() >= MIN_SHINGLES).then(|| s.signature())
        })
        .collect();
    for (i, sig) in sigs.iter().enumerate() {
        let Some(sig) = sig else { continue };
        for b in 0..BANDS {
            let bucket = buckets.entry((b, band_key(sig, b))).or_default();
            // One past the cap marks the bucket overfull; it grows no further.
            if bucket.len() <= BUCKET_CAP {
                bucket.push(i);
            }
        }
    }
    buckets.retain(|_, v| v.len() <= BUCKET_CAP);
    sigs.iter()
        .enumerate()
        .map(|(i, sig)| {
            let sig = sig.as_ref()?;
            let mut seen = HashSet::new();
            let mut best: Option<Nearest> = None;
            for b in 0..BANDS {
                for &j in buckets.get(&(b, band_key(sig, b))).into_iter().flatten() {
                    if j == i || reports[j].0 == reports[i].0 || !seen.insert(j) {
                        continue;
                    }
                    let share = reports[i].1.as_ref().share_in(reports[j].1.as_ref())?;
                    if best.is_none_or(|n| share > n.share) {
                        best = Some(Nearest { other: j, share });
                    }
                }
            }
            best
        })
        .collect()
}

fn band_key(sig: &[u32; HASHES], band: usize) -> u64 {
    let rows = &sig[band * ROWS..(band + 1) * ROWS];
    rows.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &r| {
        (h ^ u64::from(r)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Passages of `text` that also stand in `source` (runs of at least
/// `min_chars` significant characters, as byte ranges of `text`), for marking
/// copied text in the report view. Linear in both texts: every shingle of the
/// source is hashed once into a set.
pub fn copied_passages(text: &str, source: &str, min_chars: usize) -> Vec<std::ops::Range<usize>> {
    let src: Vec<char> = source.chars().filter(|&c| significant(c)).collect();
    let in_source: HashSet<u64> = src.windows(SHINGLE).map(fnv1a).collect();
    let sig: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| significant(c))
        .collect();
    let chars: Vec<char> = sig.iter().map(|&(_, c)| c).collect();
    let mut covered = vec![false; chars.len()];
    for (i, w) in chars.windows(SHINGLE).enumerate() {
        if in_source.contains(&fnv1a(w)) {
            covered[i..i + SHINGLE].iter_mut().for_each(|c| *c = true);
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && covered[i] {
            i += 1;
        }
        if i - start >= min_chars.max(SHINGLE) {
            let (last_at, last) = sig[i - 1];
            out.push(sig[start].0..last_at + last.len_utf8());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Random Chinese-like text from a small vocabulary of characters.
    fn text(rng: &mut rand_chacha::ChaCha8Rng, n: usize) -> String {
        const CHARS: &str = "政府信息公开工作年度报告存在问题改进情况人员队伍建设平台管理制度规范培训力度不足加强落实推进完善机制";
        let cs: Vec<char> = CHARS.chars().collect();
        (0..n)
            .map(|i| {
                if i % 23 == 22 {
                    '，'
                } else {
                    cs[rng.random_range(0..cs.len())]
                }
            })
            .collect()
    }

    #[test]
    fn copied_share_is_near_the_copied_fraction() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for frac in [0.0, 0.3, 0.6, 1.0] {
            let prev = text(&mut rng, 2000);
            let cut = (2000.0 * frac) as usize;
            let kept: String = prev.chars().take(cut).collect();
            let this = kept + &text(&mut rng, 2000 - cut);
            let share = Shingles::of(&this).share_in(&Shingles::of(&prev)).unwrap();
            assert!((share - frac).abs() < 0.08, "copied {frac}: share {share}");
        }
    }

    #[test]
    fn boilerplate_is_left_out() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let template = text(&mut rng, 1500);
        let docs: Vec<Shingles> = (0..100)
            .map(|_| Shingles::of(&format!("{template}{}", text(&mut rng, 800))))
            .collect();
        let b = Boilerplate::learn(&docs);
        assert!(!b.is_empty());
        // Two reports sharing only the template are not copies of each other.
        let share = docs[0].without(&b).share_in(&docs[1].without(&b)).unwrap();
        assert!(share < 0.05, "template counted as copying: {share}");
    }

    #[test]
    fn lsh_finds_planted_copies_of_other_bodies() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let n = 400;
        let mut texts: Vec<String> = (0..n).map(|_| text(&mut rng, 1200)).collect();
        // Every tenth report copies most of the next one's text (another body).
        for i in (0..n - 1).step_by(10) {
            let copy: String = texts[i + 1].chars().take(1000).collect();
            texts[i] = copy + &text(&mut rng, 200);
        }
        let reports: Vec<(usize, Shingles)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, Shingles::of(t)))
            .collect();
        let found = nearest_other_body(&reports);
        let mut hits = 0;
        for (i, f) in found.iter().enumerate() {
            let planted = i % 10 == 0 && i + 1 < n;
            let flagged = f.is_some_and(|f| f.share >= 0.5);
            if planted {
                assert!(f.is_some_and(|f| f.other == i + 1), "report {i}: {f:?}");
                hits += usize::from(flagged);
            } else {
                assert!(
                    !flagged || (i >= 1 && (i - 1) % 10 == 0),
                    "report {i} flagged: {f:?}"
                );
            }
        }
        assert_eq!(hits, (0..n - 1).step_by(10).count());
    }

    #[test]
    fn same_body_is_never_its_own_nearest() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let t = text(&mut rng, 1000);
        let reports = vec![("a", Shingles::of(&t)), ("a", Shingles::of(&t))];
        assert_eq!(nearest_other_body(&reports), vec![None, None]);
    }

    #[test]
    fn passages_mark_the_copied_run() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let src = text(&mut rng, 300);
        let copied: String = src.chars().skip(100).take(60).collect();
        let this = format!("{}{}{}", text(&mut rng, 50), copied, text(&mut rng, 50));
        let ps = copied_passages(&this, &src, 20);
        assert_eq!(ps.len(), 1, "{ps:?}");
        let got = &this[ps[0].clone()];
        assert!(copied.contains(got) && got.chars().count() >= 50, "{got}");
        assert!(copied_passages(&text(&mut rng, 200), &src, 20).is_empty());
    }
}
