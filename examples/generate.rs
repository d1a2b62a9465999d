//! Writes a large synthetic collection for benchmarks: N entries of generated prose, each with
//! one `%% tags:` line and an attribution, plus its strfile `.dat` index, seeded so every run
//! writes the same bytes. Never commit its output.
//!
//! `cargo run --release --example generate -- 1000000 /tmp/big.fortune [SEED]`

use epigraph::corpus::Chooser;
use epigraph::corpus::strfile::write_fortune_file;

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "is",
    "you",
    "that",
    "it",
    "he",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "there",
    "use",
    "an",
    "each",
    "which",
    "she",
    "do",
    "how",
    "their",
    "if",
    "will",
    "up",
    "other",
    "about",
    "out",
    "many",
    "then",
    "them",
    "these",
    "so",
    "some",
    "her",
    "would",
    "make",
    "like",
    "him",
    "into",
    "time",
    "has",
    "look",
    "two",
    "more",
    "write",
    "go",
    "see",
    "number",
    "no",
    "way",
    "could",
    "people",
    "my",
    "than",
    "first",
    "water",
    "been",
    "call",
    "who",
    "oil",
    "its",
    "now",
    "find",
    "long",
    "down",
    "day",
    "did",
    "get",
    "come",
    "made",
    "may",
    "part",
    "wizard",
    "tax",
    "boots",
    "death",
    "library",
    "orangutan",
    "watch",
    "city",
];
const TAGS: &[&str] = &[
    "a", "b", "c", "d", "e", "f", "g", "h", "death", "money", "cats", "wizards", "watch",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let out = args.next().unwrap_or_else(|| "/tmp/big.fortune".into());
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut chooser = Chooser::seeded(seed);
    let mut entries = Vec::with_capacity(count);
    for n in 0..count {
        let mut text = String::with_capacity(200);
        let words = 12 + chooser.below(30);
        let mut column = 0;
        for w in 0..words {
            let word = WORDS[chooser.below(WORDS.len())];
            if column + word.len() > 72 {
                text.push('\n');
                column = 0;
            } else if w > 0 {
                text.push(' ');
                column += 1;
            }
            text.push_str(word);
            column += word.len();
        }
        let (a, b) = (chooser.below(TAGS.len()), chooser.below(TAGS.len()));
        text.push_str(&format!(
            ".\n\t-- Author {}, Work {}\n%% tags: {}, {}\n",
            n % 5000,
            n % 977,
            TAGS[a],
            TAGS[b]
        ));
        entries.push(text);
    }
    let (text, dat) = write_fortune_file(entries.iter().map(String::as_str));
    std::fs::write(&out, text).expect("write the collection");
    std::fs::write(format!("{out}.dat"), dat).expect("write the index");
    eprintln!("wrote {count} entries to {out} and {out}.dat");
}
