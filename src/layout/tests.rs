//! Exact layouts of small cases, and properties over every embedded quote.

use super::*;
use crate::corpus::Corpus;

#[test]
fn the_ragged_login_message_from_the_issue_now_fills_each_line() {
    let text = "\"It would seem that you have no useful skill or talent whatsoever,\" he\nsaid.  \"Have you thought of going into teaching?\"\n\t-- Terry Pratchett, Mort\n";
    assert_eq!(
        entry(text, 46),
        "\"It would seem that you have no useful skill\n\
         or talent whatsoever,\" he said.  \"Have you\n\
         thought of going into teaching?\"\n\
         \x20       -- Terry Pratchett, Mort\n"
    );
}

#[test]
fn attribution_moves_left_then_wraps_under_its_text() {
    let text = "Words.\n\t-- Economics explained\n\t   (Terry Pratchett, The Colour of Magic)\n";
    assert_eq!(
        entry(text, 72),
        "Words.\n        -- Economics explained\n           (Terry Pratchett, The Colour of Magic)\n"
    );
    assert_eq!(
        entry(text, 44),
        "Words.\n   -- Economics explained\n      (Terry Pratchett, The Colour of Magic)\n"
    );
    assert_eq!(
        entry(text, 40),
        "Words.\n-- Economics explained\n   (Terry Pratchett, The Colour of\n    Magic)\n"
    );
    let narrow = entry(
        "Hi.\n\t-- Somebody With A Very Long Name, A Work With A Long Title\n",
        20,
    );
    assert_eq!(
        narrow,
        "Hi.\n-- Somebody With A\n   Very Long Name, A\n   Work With A Long\n   Title\n"
    );
}

#[test]
fn tabs_expand_to_eight_column_stops() {
    assert_eq!(expand_tabs("a\tb"), "a       b");
    assert_eq!(expand_tabs("\t-- X"), "        -- X");
    assert_eq!(expand_tabs("abcdefgh\tx"), "abcdefgh        x");
}

#[test]
fn chat_form_joins_soft_breaks_and_keeps_the_attribution_lines() {
    let text = "A line of prose that is long enough to be filled to the file's width,\nand its end.\n\nSecond.\n\t-- Someone, Somewhere\n";
    assert_eq!(
        unwrapped(text),
        "A line of prose that is long enough to be filled to the file's width, and its end.\n\nSecond.\n        -- Someone, Somewhere"
    );
}

#[test]
fn widths_below_the_minimum_are_refused() {
    assert_eq!(check_width(19), Err(TooNarrow(19)));
    assert_eq!(check_width(20), Ok(20));
    assert!(TooNarrow(5).to_string().contains("at least 20"));
}

/// Every line within the width, and greedy: no line could have taken the next line's first
/// word, inside a reflowed paragraph.
pub(crate) fn assert_laid_out(text: &str, width: usize) {
    let out = entry(text, width);
    for line in out.lines() {
        assert!(
            textwrap::core::display_width(line) <= width,
            "line wider than {width}: {line:?}\nin\n{out}"
        );
        assert!(!line.contains('\t'), "tab left in {line:?}");
    }
    // Greedy: inside each reflowed run, no line could have taken the next line's first word.
    let (body, _) = split_attribution(text);
    for unit in units(body) {
        let Unit::Flow { text: words, .. } = unit else {
            continue;
        };
        let lines = fill(&words, &Columns, width as f64, width as f64);
        for pair in lines.windows(2) {
            let word = pair[1].split(' ').next().unwrap_or("");
            let gap = if words.contains(&format!("{}  {word}", pair[0])) {
                2
            } else {
                1
            };
            let joined = display(&pair[0]) + gap + display(word);
            assert!(
                joined > width,
                "not greedy at {width}: {:?} could take {word:?}\n{out}",
                pair[0]
            );
        }
    }
}

fn display(text: &str) -> usize {
    textwrap::core::display_width(text)
}

#[test]
fn every_embedded_quote_lays_out_within_the_width_greedily() {
    let (corpus, _) = Corpus::embedded();
    for quote in corpus.quotes() {
        for width in [20, 33, 50, 72, 100] {
            assert_laid_out(quote.text(), width);
        }
    }
}

/// The installed Debian fortune files, or `None` (reported) when fortune-mod is missing and
/// the run does not require it.
pub(crate) fn debian_fortunes() -> Option<Corpus> {
    let dir = std::path::Path::new("/usr/share/games/fortunes");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("EPIGRAPH_REQUIRE_FORTUNE").is_none(),
            "EPIGRAPH_REQUIRE_FORTUNE is set but /usr/share/games/fortunes is missing: \
             apt-get install fortune-mod fortunes-min fortunes"
        );
        eprintln!("SKIPPED: /usr/share/games/fortunes is missing (apt-get install fortunes)");
        return None;
    }
    let sources = crate::corpus::Source::dir(dir).expect("list the fortune directory");
    Some(Corpus::load(&sources).0)
}

#[test]
fn every_debian_fortune_lays_out_within_the_width_greedily() {
    let Some(corpus) = debian_fortunes() else {
        return;
    };
    assert!(corpus.quotes().len() > 1000);
    for quote in corpus.quotes() {
        for width in [20, 40, 72] {
            assert_laid_out(quote.text(), width);
        }
    }
}
