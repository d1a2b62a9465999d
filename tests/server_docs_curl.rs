//! The `curl` examples in the README and docs/ paste into any shell: a URL with `?`, `&`, `*`
//! or `[` is quoted (zsh treats an unquoted `?` as a glob and fails with "no matches found";
//! a backslash works in both shells but is easy to lose, so the rule is quotes).

use std::path::Path;

/// Characters that a shell would act on outside quotes, found in `line` (`#` comments and
/// `&&` between commands excepted); each with its byte offset.
fn unquoted_specials(line: &str) -> Vec<(usize, char)> {
    let mut found = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    let mut previous = ' ';
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => break,
            (None, '&') if chars.peek().map(|&(_, n)| n) == Some('&') => {
                chars.next();
            }
            (None, '\\') => {
                // An escaped special is still flagged: the rule is quotes.
                if let Some((_, next)) = chars.next()
                    && "?&*[".contains(next)
                {
                    found.push((at, next));
                }
            }
            (None, '?' | '&' | '*' | '[') => found.push((at, c)),
            (None, _) => {}
        }
        previous = c;
    }
    found
}

/// The `curl` command lines inside the code blocks of a markdown file, with their line numbers.
fn curl_lines(markdown: &str) -> Vec<(usize, &str)> {
    let mut in_code = false;
    let mut lines = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if in_code && let Some(at) = line.find("curl ") {
            lines.push((i + 1, &line[at..]));
        }
    }
    lines
}

#[test]
fn the_rule_finds_what_zsh_would_trip_on() {
    let bad = |l: &str| !unquoted_specials(l).is_empty();
    assert!(bad("curl localhost:8080/random?tag=death"));
    assert!(bad("curl localhost:8080/random?tag=death\\&max_length=200"));
    assert!(bad("curl localhost:8080/random\\?tag=a"));
    assert!(bad("curl \"x\"?y"));
    assert!(!bad(
        "curl 'localhost:8080/random?tag=death&max_length=200'"
    ));
    assert!(!bad(
        "curl \"localhost:8080/random?tag=death&max_length=200\""
    ));
    assert!(!bad("curl localhost:8080/   # a quote? yes & more"));
    assert!(!bad("curl -fs localhost:8080/healthz && echo up"));
    assert!(!bad("curl 'it''s?fine'"));
}

#[test]
fn curl_examples_quote_their_urls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    let mut checked = 0;
    let mut unquoted = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in curl_lines(&text) {
            checked += 1;
            if !unquoted_specials(line).is_empty() {
                unquoted.push(format!("{}:{number}: {line}", file.display()));
            }
        }
    }
    assert!(checked >= 5, "only {checked} curl lines found");
    assert!(
        unquoted.is_empty(),
        "quote these URLs:\n{}",
        unquoted.join("\n")
    );
}
