//! `epigraph list`: collections, tags and authors with their counts, as aligned tables whose
//! columns are as wide as their longest entry, or as JSON.

use super::args::ListArgs;
use super::{CliError, report};
use crate::corpus::Corpus;
use crate::corpus::resolve::EMBEDDED_LABEL;
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;
use textwrap::core::display_width;

/// Runs `epigraph list`.
pub fn run(args: &ListArgs) -> Result<ExitCode, CliError> {
    let (corpus, diagnostics) = Corpus::load_paths(&args.paths);
    report(&diagnostics);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &as_json(&corpus)).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        out.write_all(as_text(&corpus).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn as_json(corpus: &Corpus) -> serde_json::Value {
    let collections: Vec<_> = corpus
        .collections()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "count": c.len(),
                "description": c.header.description,
                "source": c.label,
                "embedded": c.embedded,
            })
        })
        .collect();
    let counts = |pairs: Vec<(&str, usize)>| -> serde_json::Map<_, _> {
        pairs
            .into_iter()
            .map(|(k, n)| (k.to_string(), n.into()))
            .collect()
    };
    json!({
        "collections": collections,
        "tags": counts(corpus.tags()),
        "authors": counts(corpus.authors()),
    })
}

/// The three tables. Each collection row names its source — `(embedded)` or the file's path —
/// because a directory may hold a collection with the name of an embedded one.
fn as_text(corpus: &Corpus) -> String {
    let collections: Vec<Vec<String>> = corpus
        .collections()
        .iter()
        .map(|c| {
            let source = if c.embedded {
                EMBEDDED_LABEL.to_string()
            } else {
                c.label.clone()
            };
            let description = c.header.description.clone().unwrap_or_default();
            vec![c.name.clone(), c.len().to_string(), source, description]
        })
        .collect();
    let by_count = |mut pairs: Vec<(&str, usize)>| -> Vec<Vec<String>> {
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        pairs
            .into_iter()
            .map(|(name, n)| vec![name.to_string(), n.to_string()])
            .collect()
    };
    let mut text = format!("Collections ({} quotes):\n", corpus.quotes().len());
    text += &table(&collections, &[Align::Left, Align::Right, Align::Left]);
    text += "\nTags:\n";
    text += &table(&by_count(corpus.tags()), &[Align::Left, Align::Right]);
    text += "\nAuthors:\n";
    text += &table(&by_count(corpus.authors()), &[Align::Left, Align::Right]);
    text
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

/// Rows indented by two spaces, columns two apart, each padded to its widest cell (by display
/// width, so names with accents or CJK line up); counts are right-aligned. Trailing spaces are
/// dropped, so free text in a last left-aligned column is not padded. An empty table says so.
fn table(rows: &[Vec<String>], align: &[Align]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|cell| display_width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    if rows.is_empty() {
        return "  (none)\n".to_string();
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - display_width(cell));
            line.push(' ');
            match align.get(i) {
                Some(Align::Right) => line.push_str(&(pad + cell)),
                _ => line.push_str(&(cell.clone() + &pad)),
            }
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_as_wide_as_their_longest_cell() {
        let rows = rows(&[
            &["Terry Pratchett & Neil Gaiman", "22"],
            &["Kurt Gödel", "1"],
            &["漱石", "1234"],
        ]);
        assert_eq!(
            table(&rows, &[Align::Left, Align::Right]),
            "  Terry Pratchett & Neil Gaiman    22\n\
             \x20 Kurt Gödel                        1\n\
             \x20 漱石                           1234\n"
        );
    }

    #[test]
    fn tables_of_a_small_corpus_line_up_and_name_their_sources() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join("long");
        std::fs::write(
            &long,
            "%% description: Long names\n%\nOne.\n\t-- Somebody With A Remarkably Long Name\n%\n\
             Two.\n\t-- Ann\n%\nThree.\n\t-- Ann\n%\n",
        )
        .unwrap();
        let short = dir.path().join("pratchett");
        std::fs::write(&short, "Four.\n%\n").unwrap();
        let (corpus, diagnostics) = Corpus::load(&[
            Source::embedded("tax-forms").unwrap(),
            Source::file(&long),
            Source::file(&short),
        ]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let text = as_text(&corpus);
        let collections: Vec<&str> = text.lines().take(4).collect();
        let d = dir.path().display();
        let embedded = corpus.collections()[0].len();
        let width = format!("{}/pratchett", d).len();
        assert_eq!(
            collections,
            [
                format!("Collections ({} quotes):", embedded + 4),
                format!(
                    "  tax-forms  {embedded:>2}  {:<width$}  {}",
                    "(embedded)",
                    corpus.collections()[0]
                        .header
                        .description
                        .as_deref()
                        .unwrap()
                ),
                format!(
                    "  long        3  {:<width$}  Long names",
                    format!("{d}/long")
                ),
                format!("  pratchett   1  {d}/pratchett"),
            ]
        );
        // Without the embedded set, the whole text is known.
        let (corpus, _) = Corpus::load(&[Source::file(&long), Source::file(&short)]);
        let text = as_text(&corpus);
        let tail = &text[text.find("\nTags:").unwrap()..];
        assert_eq!(
            tail,
            "\nTags:\n  (none)\n\nAuthors:\n  \
             Ann                                   2\n  \
             Somebody With A Remarkably Long Name  1\n"
        );
    }
}
