//! Greedy first-fit filling of a run of words into lines, in whatever unit a face measures
//! (terminal columns, estimated pixels), with textwrap's first-fit algorithm.

use super::Measure;
use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;

/// A word and the space that follows it, measured.
#[derive(Debug)]
struct Piece<'a> {
    word: &'a str,
    gap: &'a str,
    width: f64,
    gap_width: f64,
}

impl Fragment for Piece<'_> {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.gap_width
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Fills `text` into lines: the first at most `first` wide, the rest at most `rest`. Runs of
/// spaces between words are kept inside a line (two after a full stop stay two) and dropped at
/// a break. A word wider than a line is cut into pieces that fit, the only time a word breaks.
pub fn fill(text: &str, measure: &dyn Measure, first: f64, rest: f64) -> Vec<String> {
    let words = split_words(text, measure, rest.min(first));
    let lines = wrap_first_fit(&words, &[first, rest]);
    lines
        .into_iter()
        .map(|line| {
            let mut out = String::new();
            for (i, piece) in line.iter().enumerate() {
                out.push_str(piece.word);
                if i + 1 < line.len() {
                    out.push_str(piece.gap);
                }
            }
            out
        })
        .collect()
}

/// Words with their trailing spaces; words wider than `max` cut into pieces no wider.
fn split_words<'a>(text: &'a str, measure: &dyn Measure, max: f64) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut rest = text.trim_start_matches(' ');
    while !rest.is_empty() {
        let end = rest.find(' ').unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let gap_len = after.len() - after.trim_start_matches(' ').len();
        let (gap, next) = after.split_at(gap_len);
        let mut chunks = cut(word, measure, max).into_iter().peekable();
        while let Some(chunk) = chunks.next() {
            let last = chunks.peek().is_none();
            let gap = if last { gap } else { "" };
            pieces.push(Piece {
                word: chunk,
                gap,
                width: measure.width(chunk),
                gap_width: measure.width(gap),
            });
        }
        rest = next;
    }
    pieces
}

/// `word` as pieces no wider than `max` (the word itself when it fits).
fn cut<'a>(word: &'a str, measure: &dyn Measure, max: f64) -> Vec<&'a str> {
    if measure.width(word) <= max {
        return vec![word];
    }
    let mut chunks = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        let end = i + c.len_utf8();
        if i > start && measure.width(&word[start..end]) > max {
            chunks.push(&word[start..i]);
            start = i;
        }
    }
    chunks.push(&word[start..]);
    chunks
}

#[cfg(test)]
mod tests {
    use super::super::Columns;
    use super::*;

    #[test]
    fn greedy_fill_keeps_sentence_spacing_inside_lines() {
        let lines = fill("one two three.  four five six", &Columns, 13.0, 13.0);
        assert_eq!(lines, ["one two", "three.  four", "five six"]);
        assert_eq!(fill("aaa bbb", &Columns, 3.0, 7.0), ["aaa", "bbb"]);
    }

    #[test]
    fn long_words_are_cut_only_when_they_cannot_fit() {
        assert_eq!(
            fill("see https://example.org/long", &Columns, 10.0, 10.0),
            ["see", "https://ex", "ample.org/", "long"]
        );
        // Wide characters count two columns each.
        assert_eq!(fill("日本語 日本", &Columns, 6.0, 6.0), ["日本語", "日本"]);
    }
}
