//! The bash completion script as bash runs it: sourced after bash-completion, the completion
//! function is called the way readline calls it, and its candidates are compared.

use assert_cmd::Command;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";

fn script(shell: &str) -> String {
    let out = Command::cargo_bin("epigraph")
        .unwrap()
        .args(["completions", shell])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// The candidates bash offers for `words`, the last being the word under the cursor.
fn complete(words: &[&str]) -> Vec<String> {
    assert!(
        std::path::Path::new(BASH_COMPLETION).exists(),
        "this test needs the bash-completion package ({BASH_COMPLETION})"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("epigraph.bash");
    std::fs::write(&file, script("bash")).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = format!(
        r#"source {BASH_COMPLETION}
source '{file}'
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
function=$(complete -p epigraph | sed -E 's/.*-F ([^ ]+) .*/\1/')
"$function" epigraph "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}"
"#,
        file = file.display(),
        words = quoted.join(" "),
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn collection_names_complete_as_arguments() {
    assert_eq!(complete(&["epigraph", "pra"]), ["pratchett"]);
    assert_eq!(complete(&["epigraph", "30%", "tax"]), ["tax-forms"]);
    assert_eq!(complete(&["epigraph", "motd", "pra"]), ["pratchett"]);
    // Subcommands still complete in first place.
    assert_eq!(complete(&["epigraph", "mot"]), ["motd"]);
    // A path matches no name, so bash's file-name fallback (`-o default`) takes over.
    assert_eq!(
        complete(&["epigraph", "/usr/share/gam"]),
        Vec::<String>::new()
    );
}

/// The candidates all start with the word typed, and `wanted` is one of them.
fn offers(words: &[&str], wanted: &str) {
    let typed = words.last().unwrap();
    let candidates = complete(words);
    assert!(
        candidates.iter().any(|c| c == wanted),
        "{words:?}: {candidates:?}"
    );
    assert!(
        candidates.iter().all(|c| c.starts_with(typed)),
        "{words:?}: {candidates:?}"
    );
}

#[test]
fn tags_and_collections_complete_as_option_values() {
    let tags = complete(&["epigraph", "--tag", ""]);
    assert!(tags.iter().any(|t| t == "death"), "{tags:?}");
    assert!(tags.iter().any(|t| t == "taxes"), "{tags:?}");
    offers(&["epigraph", "--tag", "deat"], "death");
    assert_eq!(
        complete(&["epigraph", "--collection", "art"]),
        ["article-lines"]
    );
    offers(&["epigraph", "motd", "--tag", "deat"], "death");
    assert_eq!(
        complete(&["epigraph", "motd", "--collection", "pr"]),
        ["pratchett"]
    );
}

#[test]
fn values_outside_the_hints_are_still_accepted() {
    // The names are hints for the script only: the parser takes any tag, which the filter
    // then judges (with its own message, not clap's "invalid value").
    let out = Command::cargo_bin("epigraph")
        .unwrap()
        .args(["--tag", "no-such-tag-anywhere"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("epigraph: "), "{stderr}");
    assert!(!stderr.contains("invalid value"), "{stderr}");
    let help = Command::cargo_bin("epigraph")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(!help.contains("possible values"), "{help}");
}

#[test]
fn other_shells_offer_tags_too() {
    // clap_complete's elvish and PowerShell scripts list no option values at all.
    for shell in ["zsh", "fish"] {
        let script = script(shell);
        assert!(script.contains("death"), "{shell}: no tag in the script");
        assert!(
            script.contains("tax-forms"),
            "{shell}: no collection in the script"
        );
    }
}
