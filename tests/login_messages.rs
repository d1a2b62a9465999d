//! Every "quote of the day" a person meets shows the same quote on the same day: the shipped
//! update-motd fragment, the shell snippet, `epigraph motd`, `epigraph --today` and GET /today.

#[path = "common/server.rs"]
mod common;

use common::TestServer;
use std::path::Path;
use std::process::Command;

fn epigraph(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(args)
        .env_remove("EPIGRAPH_PATH")
        .env_remove("FORTUNE_PATH")
        .env_remove("EPIGRAPH_MOTD_WIDTH")
        .output()
        .unwrap();
    assert!(out.status.success(), "epigraph {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a shipped contrib script with the test binary first on the PATH.
fn contrib(shell: &[&str], script: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib");
    let bin = Path::new(env!("CARGO_BIN_EXE_epigraph")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut args: Vec<String> = shell.iter().map(|s| s.to_string()).collect();
    args.push(script.replace("{dir}", dir));
    let out = Command::new(&args[0])
        .args(&args[1..])
        .env("PATH", path)
        .env_remove("EPIGRAPH_MOTD_WIDTH")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_login_entry_point_shows_the_quote_of_slash_today() {
    // Retried once, in case the run straddles midnight UTC.
    for attempt in 0..2 {
        let day_before = chrono::Utc::now().date_naive();
        let server = TestServer::start();
        let (status, today) = server.json("/today");
        assert_eq!(status, 200);
        let display = today["display"].as_str().unwrap();
        let cli = epigraph(&["--today", "--json"]);
        let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
        let motd = epigraph(&["motd"]);
        let fragment = contrib(&["sh"], "{dir}/update-motd.d/60-epigraph");
        let snippet = contrib(&["bash", "-i", "-c"], ". {dir}/shell/epigraph.bashrc");
        if chrono::Utc::now().date_naive() != day_before && attempt == 0 {
            continue;
        }
        assert_eq!(cli["id"], today["id"]);
        assert_eq!(motd, epigraph::layout::entry(display, 72));
        assert_eq!(fragment, format!("\n{motd}"));
        assert_eq!(
            snippet,
            epigraph::cli::motd_text(display, 72, true),
            "the shell snippet boxes the same quote"
        );
        return;
    }
}

#[test]
fn the_same_set_asked_three_ways_gives_the_same_day() {
    let server = TestServer::start();
    for date in ["2026-12-01", "2027-02-14", "2031-07-09"] {
        let (_, web) = server.json(&format!("/today?collection=pratchett&date={date}"));
        let cli: serde_json::Value = serde_json::from_str(&epigraph(&[
            "--today",
            "--date",
            date,
            "--collection",
            "pratchett",
            "--json",
        ]))
        .unwrap();
        let named: serde_json::Value = serde_json::from_str(&epigraph(&[
            "--today",
            "--date",
            date,
            "--json",
            "pratchett",
        ]))
        .unwrap();
        assert_eq!(web["id"], cli["id"], "{date}");
        assert_eq!(
            web["id"], named["id"],
            "{date}: a named collection is the same set"
        );
        let motd = epigraph(&["motd", "--date", date, "--width", "60", "pratchett"]);
        assert_eq!(
            motd,
            epigraph::layout::entry(web["display"].as_str().unwrap(), 60)
        );
    }
}

#[test]
fn motd_reads_files_and_search_path_names_and_previews_other_days() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine"),
        "Only this one.\n\t-- Me, My Notebook (2026)\n%\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(["motd", "--box", "--width", "40", "mine"])
        .env("EPIGRAPH_PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "\
+-----------------------------------+
| Only this one.                    |
|         -- Me, My Notebook (2026) |
+-----------------------------------+
"
    );
    let a = epigraph(&["motd", "--date", "2030-01-01"]);
    let b = epigraph(&["motd", "--date", "2030-01-02"]);
    assert_eq!(a, epigraph(&["motd", "--date", "2030-01-01"]));
    assert_ne!(a, b, "consecutive days show different quotes");
}
