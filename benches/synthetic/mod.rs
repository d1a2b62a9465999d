//! Seeded synthetic collections for benchmarks: generated prose of 12 to 41 words filled at 72
//! columns, one `%% tags:` line (two of thirteen tags) and an attribution per entry, so every
//! run builds the same bytes. Shared by `examples/generate.rs` and `benches/scale.rs`.

use epigraph::corpus::Chooser;

pub const WORDS: &[&str] = &[
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
pub const TAGS: &[&str] = &[
    "a", "b", "c", "d", "e", "f", "g", "h", "death", "money", "cats", "wizards", "watch",
];

/// `count` entries, each newline-terminated, seeded by `seed`.
pub fn entries(count: usize, seed: u64) -> Vec<String> {
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
    entries
}
