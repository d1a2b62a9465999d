//! `epigraph post-daily` as a cron job runs it: the real binary posts to a mock webhook on
//! 127.0.0.1, which checks each platform's exact JSON, the quote `epigraph motd` shows for the
//! same day, the retries (429 with Retry-After, 5xx, 404) and the exit status and error line.

#[path = "common/webhook.rs"]
mod webhook;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use webhook::{Answer, MockWebhook};

/// The path a real webhook keeps secret: it must never be printed.
const SECRET_PATH: &str = "/hooks/T0/B0/SECRET-PATH";
/// The day whose quote, in [`collection`], is the one with every markup hazard.
const DAY: &str = "2025-05-08";

/// Three quotes; the first mentions, formats and links as chat markup would.
fn collection() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny");
    std::fs::write(
        &file,
        "Beware of <@U123> and @everyone: *bold* claims & _small_ print.\n\t-- A. Nonymous\n%\n\
         The second quote is short.\n\t-- B. Writer\n%\n\
         A third one, with a [link](http://example.org).\n\t-- C. Author\n%\n",
    )
    .unwrap();
    (dir, file)
}

fn epigraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_epigraph"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("EPIGRAPH_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn post(platform: &str, url: &str, extra: &[&str], file: &Path) -> Output {
    epigraph()
        .args(["post-daily", "--to", platform, url, "--date", DAY])
        .args(extra)
        .arg(file)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn each_platform_receives_exactly_one_post_of_its_json() {
    let (_dir, file) = collection();
    let heading = format!("Quote of the day, {DAY}:\n");
    let expected: [(&str, Value); 3] = [
        (
            "slack",
            json!({ "text": format!("{heading}Beware of &lt;@U123&gt; and @everyone: *\u{200B}bold*\u{200B} claims &amp; _\u{200B}small_\u{200B} print.\n        -- A. Nonymous") }),
        ),
        (
            "mattermost",
            json!({ "text": "Quote of the day, 2025\\-05\\-08:\nBeware of \\<@\u{200B}U123\\> and @\u{200B}everyone: \\*bold\\* claims & \\_small\\_ print.\n        \\-\\- A. Nonymous" }),
        ),
        (
            "discord",
            json!({
                "content": "Quote of the day, 2025\\-05\\-08\\:\nBeware of \\<@\u{200B}U123\\> and @\u{200B}everyone\\: \\*bold\\* claims & \\_small\\_ print.\n        \\-\\- A. Nonymous",
                "allowed_mentions": { "parse": [] }
            }),
        ),
    ];
    for (platform, want) in expected {
        let status = if platform == "discord" { 204 } else { 200 };
        let mock = MockWebhook::start(vec![Answer::status(status)]);
        let out = post(platform, &mock.url(SECRET_PATH), &[], &file);
        assert!(out.status.success(), "{platform}: {}", stderr(&out));
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "{platform}: quiet"
        );
        // Give a stray second post time to show up.
        std::thread::sleep(Duration::from_millis(200));
        let got = mock.received();
        assert_eq!(got.len(), 1, "{platform}: exactly one POST");
        assert_eq!(got[0].method, "POST");
        assert_eq!(got[0].path, SECRET_PATH);
        assert!(
            got[0]
                .header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{platform}: {:?}",
            got[0].headers
        );
        assert_eq!(got[0].json(), want, "{platform}");
    }
}

#[test]
fn the_posted_quote_is_the_one_motd_shows_that_day() {
    let (_dir, file) = collection();
    for day in ["2025-05-05", "2025-05-07", DAY] {
        let motd = epigraph()
            .args(["motd", "--width", "200", "--date", day])
            .arg(&file)
            .output()
            .unwrap();
        assert!(motd.status.success());
        let shown = String::from_utf8(motd.stdout).unwrap();
        let mock = MockWebhook::start(vec![Answer::status(200)]);
        let out = epigraph()
            .args([
                "post-daily",
                "--to",
                "slack",
                &mock.url("/h"),
                "--date",
                day,
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = mock.received()[0].json()["text"]
            .as_str()
            .unwrap()
            .to_string();
        let first_line = shown.lines().next().unwrap();
        let first_word = first_line.split_whitespace().next().unwrap();
        assert!(
            text.starts_with(&format!("Quote of the day, {day}:\n{first_word} ")),
            "{day}: motd shows {shown:?}, posted {text:?}"
        );
        assert!(
            text.contains(shown.lines().last().unwrap()),
            "{day}: {text:?}"
        );
    }
}

#[test]
fn busy_answers_are_retried_after_retry_after() {
    let (_dir, file) = collection();
    let mock = MockWebhook::start(vec![
        Answer::status(429).with_header("Retry-After", "1"),
        Answer::status(200),
    ]);
    let out = post(
        "slack",
        &mock.url(SECRET_PATH),
        &["--backoff", "0.05"],
        &file,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let got = mock.wait_for(2, Duration::from_secs(2));
    assert_eq!(got.len(), 2, "two attempts");
    let gap = got[1].at - got[0].at;
    assert!(
        gap >= Duration::from_millis(900) && gap < Duration::from_secs(5),
        "Retry-After: 1 was not honoured: {gap:?}"
    );
    assert_eq!(got[0].body, got[1].body, "the same message again");
}

#[test]
fn a_platform_that_keeps_failing_ends_in_exit_3_naming_the_host_only() {
    let (_dir, file) = collection();
    let mock = MockWebhook::start(vec![Answer::status(500)]);
    let out = post(
        "discord",
        &mock.url(SECRET_PATH),
        &["--attempts", "3", "--backoff", "0.05"],
        &file,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(mock.received().len(), 3, "--attempts 3");
    assert_eq!(
        stderr(&out),
        format!(
            "epigraph: post-daily: {} answered HTTP 500 after 3 attempt(s)\n",
            mock.addr
        )
    );
}

#[test]
fn a_refused_post_is_not_retried() {
    let (_dir, file) = collection();
    let mock = MockWebhook::start(vec![Answer::status(404), Answer::status(200)]);
    let out = post(
        "mattermost",
        &mock.url(SECRET_PATH),
        &["--backoff", "0.05"],
        &file,
    );
    assert_eq!(out.status.code(), Some(3));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(mock.received().len(), 1, "404 is final");
    let err = stderr(&out);
    assert!(err.contains("HTTP 404 after 1 attempt(s)"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn a_redirect_is_not_followed_so_a_get_cannot_pass_for_a_post() {
    let (_dir, file) = collection();
    for status in [301, 302, 307] {
        let mock = MockWebhook::start(vec![
            Answer::status(status).with_header("Location", "/elsewhere"),
            Answer::status(200),
        ]);
        let out = post("slack", &mock.url(SECRET_PATH), &["--backoff", "0"], &file);
        assert_eq!(out.status.code(), Some(3), "{status}: {}", stderr(&out));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(mock.received().len(), 1, "{status}: followed");
        assert!(stderr(&out).contains(&format!("HTTP {status} after 1 attempt(s)")));
    }
}

#[test]
fn an_unreachable_host_is_retried_then_reported_without_its_path() {
    let (_dir, file) = collection();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}{SECRET_PATH}");
    let out = post("slack", &url, &["--attempts", "2", "--backoff", "0"], &file);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "epigraph: post-daily: could not reach 127.0.0.1:{port} after 2 attempt(s)"
        )),
        "{err}"
    );
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn the_url_may_come_from_the_environment() {
    let (_dir, file) = collection();
    let mock = MockWebhook::start(vec![Answer::status(200)]);
    // With the URL in the variable, the first argument is the collection file.
    let out = epigraph()
        .env("EPIGRAPH_WEBHOOK_URL", mock.url(SECRET_PATH))
        .env("EPIGRAPH_POST_ATTEMPTS", "1")
        .args(["post-daily", "--to", "slack", "--date", DAY])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let got = mock.received();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].json()["text"]
            .as_str()
            .unwrap()
            .contains("A. Nonymous")
    );
}

#[test]
fn bad_or_missing_urls_and_platforms_are_usage_errors() {
    let (_dir, file) = collection();
    let out = epigraph()
        .args(["post-daily", "--to", "slack"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "epigraph: post-daily needs the webhook URL, as an argument or in EPIGRAPH_WEBHOOK_URL\n"
    );
    let out = post("slack", "ftp://example.org/SECRET", &[], &file);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("SECRET"), "{}", stderr(&out));
    let out = post("teams", "https://example.org/h", &[], &file);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("slack, mattermost or discord"));
    let out = post(
        "slack",
        "https://example.org/h",
        &["--attempts", "0"],
        &file,
    );
    assert_eq!(out.status.code(), Some(1));
}
