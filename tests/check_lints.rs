//! `epigraph check` on small bad files: each content lint names the file and line to fix, and
//! the summary counts files, quotes and errors in correct English.

use assert_cmd::Command;
use std::path::Path;

/// Runs `epigraph check` on `paths`; (exit code, stdout, stderr).
fn check(paths: &[&Path]) -> (i32, String, String) {
    let out = Command::cargo_bin("epigraph")
        .unwrap()
        .arg("check")
        .args(paths)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_bare_number_date_or_range_as_author_is_reported_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "years.fortune",
        "Bribes.\n\t-- IRS, Publication 17 (2013)\n%% author: 2013\n%\nRanges.\n\t-- Someone\n%% author: 1998-2001\n%\nDates.\n\t-- IRS\n%% author: 2013-04-01\n%\nFine.\n\t-- IRS, Publication 17 (2013)\n%\nYear only.\n\t-- 2013\n%\n",
    );
    let (code, out, err) = check(&[&file]);
    let f = file.display();
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for (line, author) in [(3, "2013"), (7, "1998-2001"), (11, "2013-04-01")] {
        let want = format!("{f}:{line}: error: author \"{author}\" is a number or date");
        assert!(
            lines.iter().any(|l| l.starts_with(&want)),
            "no {want:?} in\n{out}"
        );
    }
    assert_eq!(err, "checked 1 file, 5 quotes: 3 errors\n");
}

#[test]
fn near_duplicates_across_files_unless_one_names_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.fortune",
        "\"Give a man a fire and he's warm for a day.\"\n\t-- Terry Pratchett, Jingo\n%\n",
    );
    let b = write(
        dir.path(),
        "b.fortune",
        "Give a man a fire and he’s warm—for a day\n\t-- Someone Else\n%\n",
    );
    let (code, out, err) = check(&[&a, &b]);
    assert_eq!(code, 1);
    let id = epigraph::quote::QuoteId::of_body("\"Give a man a fire and he's warm for a day.\"");
    assert_eq!(
        out,
        format!(
            "{}:1: error: near-duplicate of {}:1 (id {id}): the same words apart from case, quote \
             marks, dashes and punctuation; if both are meant, add `%% duplicate-of: {id}`\n",
            b.display(),
            a.display()
        )
    );
    assert_eq!(err, "checked 2 files, 2 quotes: 1 error\n");
    let meant = format!(
        "Give a man a fire and he’s warm—for a day\n\t-- Someone Else\n%% duplicate-of: {id}\n%\n"
    );
    std::fs::write(&b, meant).unwrap();
    assert_eq!(check(&[&a, &b]).0, 0);
}

#[test]
fn a_reply_fragment_needs_its_context() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "replies.fortune",
        "So much universe, and so little time.\n\t-- A, B\n%\nthat it has now resolved the issue.\n\t-- Andy Non, reader comment\n%\nthat it has now resolved the issue, again.\n\t-- Microsoft responded\n\t   (Andy Non, reader comment)\n%\nwhich it did.\n\t-- A, B\n%% context: the answer to the question\n%\nAnd so it was.\n\t-- A, B\n%% complete: yes\n%\n",
    );
    let (code, out, _) = check(&[&file]);
    assert_eq!(code, 1);
    let f = file.display();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            format!(
                "{f}:1: error: reads as a fragment of a reply: starts with the conjunction \"So\" \
                 and has no context; add a context line (`\\t-- CONTEXT` above `(Author, Work)`) \
                 or `%% context:`, quote the whole sentence, or mark a passage that its source \
                 prints just so `%% complete: yes`"
            ),
            format!(
                "{f}:4: error: reads as a fragment of a reply: starts lower-case (\"that\") and \
                 has no context; add a context line (`\\t-- CONTEXT` above `(Author, Work)`) or \
                 `%% context:`, quote the whole sentence, or mark a passage that its source \
                 prints just so `%% complete: yes`"
            ),
        ]
    );
}

#[test]
fn the_vocabulary_binds_files_that_ask_for_it_and_the_embedded_names() {
    let dir = tempfile::tempdir().unwrap();
    let body = "A quote.\n\t-- A, B\n%% tags: income, no-such-tag\n%\n";
    let free = write(dir.path(), "free.fortune", body);
    let (code, out, err) = check(&[&free]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let strict = write(
        dir.path(),
        "strict.fortune",
        &format!("%% require: vocabulary\n%% tags: taxes\n%\n{body}"),
    );
    let (code, out, _) = check(&[&strict]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "{}:6: error: tag \"no-such-tag\" is not in the vocabulary (docs/format.md, \"Tag \
             vocabulary\")\n",
            strict.display()
        )
    );
    // A file that carries an embedded collection's name is held to the vocabulary too.
    let named = write(dir.path(), "tax-forms.fortune", body);
    let (code, out, _) = check(&[&named]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!(
        "{}:3: error: tag \"no-such-tag\"",
        named.display()
    )));
}

#[test]
fn the_shipped_tax_and_article_files_pass_every_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("quotes");
    let files = [
        root.join("tax-forms.fortune"),
        root.join("article-lines.fortune"),
    ];
    let (code, out, err) = check(&[&files[0], &files[1]]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.starts_with("checked 2 files, "), "{err}");
}
