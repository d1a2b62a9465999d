//! `--date` and `date=`: one spelling per day, and an error that says whether the date was
//! badly written or does not exist, in the CLI and in the HTTP error body alike.

#[path = "common/server.rs"]
mod common;

use assert_cmd::Command;
use common::TestServer;

fn epigraph() -> Command {
    let mut cmd = Command::cargo_bin("epigraph").unwrap();
    cmd.env_remove("EPIGRAPH_PATH").env_remove("FORTUNE_PATH");
    cmd
}

/// The stderr of `epigraph --today --date DATE`, which must fail with status 1.
fn date_error(date: &str) -> String {
    let out = epigraph()
        .args(["--today", "--date", date])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "{date}: printed a quote anyway");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn cli_says_which_dates_do_not_exist_and_which_are_badly_written() {
    assert_eq!(
        date_error("2026-02-30"),
        "epigraph: 2026-02-30 is not a day: February 2026 has 28 days\n"
    );
    assert_eq!(
        date_error("2026-13-01"),
        "epigraph: 2026-13-01 is not a day: months run from 01 to 12\n"
    );
    assert_eq!(
        date_error("0000-01-01"),
        "epigraph: 0000-01-01: the year must be from 1970 to 9999\n"
    );
    for bad in ["2024-1-1", "+2024-01-01", " 2024-01-01", "tomorrow"] {
        assert_eq!(
            date_error(bad),
            format!("epigraph: dates are written YYYY-MM-DD (4, 2 and 2 digits), got {bad:?}\n")
        );
    }
    epigraph()
        .args(["--today", "--date", "2024-02-29"])
        .assert()
        .success();
}

#[test]
fn motd_date_gives_the_same_messages() {
    let out = epigraph()
        .args(["motd", "--date", "2026-02-30"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "epigraph: 2026-02-30 is not a day: February 2026 has 28 days\n"
    );
    let out = epigraph()
        .args(["motd", "--date", "2026-2-3"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "epigraph: dates are written YYYY-MM-DD (4, 2 and 2 digits), got \"2026-2-3\"\n"
    );
}

#[test]
fn http_error_body_carries_the_same_message() {
    let server = TestServer::start();
    let cases = [
        (
            "/today?date=2026-02-30",
            "date: 2026-02-30 is not a day: February 2026 has 28 days",
        ),
        (
            "/today?date=2024-1-1",
            r#"date: dates are written YYYY-MM-DD (4, 2 and 2 digits), got "2024-1-1""#,
        ),
        (
            "/today?date=%2B2024-01-01",
            r#"date: dates are written YYYY-MM-DD (4, 2 and 2 digits), got "+2024-01-01""#,
        ),
        (
            "/today?date=0000-01-01",
            "date: 0000-01-01: the year must be from 1970 to 9999",
        ),
    ];
    for (target, message) in cases {
        let r = server.get_with(target, &[("Accept", "application/json")]);
        assert_eq!(r.status, 400, "{target}");
        let body = r.json();
        assert_eq!(body["error"]["message"], message, "{target}: {body}");
        assert_eq!(body["error"]["parameter"], "date", "{target}");
        // Plain text clients read the same sentence.
        let text = server.get_with(target, &[("Accept", "text/plain")]).text();
        assert!(text.contains(message), "{target}: {text}");
    }
    assert_eq!(server.get("/today?date=2024-02-29").status, 200);
}
