//! The content policy on the faces beside HTTP, through the real binary: the Slack command
//! (signed like Slack signs), the RFC 865 listener, `epigraph motd`; the rules from flags and
//! variables, bad rules refused at start with one clear line, unknown names only warned
//! about, and the rules kept across a SIGHUP reload.

#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;
#[path = "common/policy.rs"]
mod policy;

use chat::{SLACK_SECRET, form, now, post, slack_signature};
use common::{Binary, eventually, free_port, request};
use policy::{Fixture, days, markers};
use serde_json::Value;
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output};
use std::time::Duration;

fn slack(addr: SocketAddr, text: &str) -> Value {
    let body = form(text);
    let ts = now();
    let signature = slack_signature(ts, &body);
    let ts = ts.to_string();
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Slack-Request-Timestamp", ts.as_str()),
        ("X-Slack-Signature", signature.as_str()),
    ];
    let r = post(addr, "/integrations/slack", &headers, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[test]
fn slack_answers_a_denied_tag_or_collection_like_an_unknown_one() {
    let fixture = Fixture::new();
    let dir = fixture.path();
    let server = Binary::start(&[
        "--quotes",
        &dir,
        "--slack-signing-secret",
        SLACK_SECRET,
        "--deny-tag",
        "chat:wit",
        "--deny-tag",
        "http:politics",
        "--deny-collection",
        "all:off",
    ]);
    let text = |query: &str| {
        slack(server.addr, query)["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // As for a name that does not exist, but for the "did you mean" names, which depend on
    // the spelling (and must not offer what is denied).
    let hint = regex::Regex::new(r" Did you mean [^?]*\?").unwrap();
    for (denied, unknown) in [("wit", "wyt"), ("off", "ofx"), ("WIT", "wyt")] {
        let answer = text(denied);
        let quoted = |name: &str| format!("\"{}\"", name.to_lowercase());
        assert!(answer.starts_with(&quoted(denied)), "{answer}");
        assert!(
            answer.contains("is neither a collection nor a tag"),
            "{answer}"
        );
        if let Some(offered) = hint.find(&answer) {
            let offered = offered.as_str();
            assert!(
                !offered.contains(" wit,") && !offered.contains(" wit?"),
                "{offered}"
            );
            assert!(
                !offered.contains(" off,") && !offered.contains(" off?"),
                "{offered}"
            );
        }
        let answer = answer.replacen(&quoted(denied), &quoted(unknown), 1);
        assert_eq!(hint.replace(&answer, ""), hint.replace(&text(unknown), ""));
    }
    // `http:politics` does not reach chat.
    let politics = slack(server.addr, "politics");
    assert_eq!(politics["response_type"], "in_channel");
    assert!(text("search ballot").contains("Zebra ballot number"));
    for word in ["otter", "walrus"] {
        let answer = text(&format!("search {word}"));
        assert_eq!(answer, format!("No quote contains \"{word}\"."));
    }
    for query in ["", "today", "misc", "search number", "mixed"] {
        for _ in 0..15 {
            let answer = text(query);
            assert_eq!(
                markers(&answer, &["otter", "walrus"]),
                [""; 0],
                "{query}: {answer}"
            );
        }
    }
    // On http, only http's rules: `chat:wit` leaves wit quotes there.
    let r = request(server.addr, "GET", "/random?tag=wit", &[]);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Otter"));
}

fn read_qotd(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn qotd_never_sends_a_denied_quote_and_a_reload_keeps_the_rules() {
    let fixture = Fixture::new();
    let dir = fixture.path();
    let port = free_port();
    let qotd = format!("127.0.0.1:{port}");
    let mut server = Binary::start_with_env(
        &["--quotes", &dir, "--qotd", &qotd],
        &[
            ("EPIGRAPH_DENY_TAG", "qotd:politics,http:wit"),
            ("EPIGRAPH_DENY_COLLECTION", "qotd:off"),
        ],
    );
    let mut otters = 0;
    for _ in 0..120 {
        let text = read_qotd(port);
        assert!(!text.is_empty());
        assert_eq!(markers(&text, &["zebra", "walrus"]), [""; 0], "{text}");
        otters += usize::from(text.contains("Otter"));
    }
    assert!(otters > 0, "`http:wit` must not hide wit quotes from QOTD");

    // A reload re-applies the rules to what it reads.
    let file = fixture.file("mixed.fortune");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("Fresh zebra manifesto.\n\t-- Polly Tician, New\n%% tags: politics\n%\n");
    text.push_str("Fresh hedgehog thought.\n\t-- Polly Tician, New\n%% tags: misc\n%\n");
    std::fs::write(&file, text).unwrap();
    server.signal("HUP");
    let json = |target: &str| {
        request(
            server.addr,
            "GET",
            target,
            &[("Accept", "application/json")],
        )
    };
    assert!(eventually(Duration::from_secs(10), || {
        json("/search?q=hedgehog").json()["total"] == 1
    }));
    assert_eq!(
        json("/search?q=manifesto").json()["total"],
        1,
        "politics is allowed on http"
    );
    assert_eq!(json("/random?tag=wit").status, 404);
    for _ in 0..60 {
        let text = read_qotd(port);
        assert_eq!(markers(&text, &["zebra", "walrus"]), [""; 0], "{text}");
    }
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(10)), Some(0));
}

fn epigraph(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(args)
        .env_remove("EPIGRAPH_DENY_TAG")
        .env_remove("EPIGRAPH_DENY_COLLECTION")
        .envs(env.iter().copied())
        .output()
        .expect("run epigraph")
}

#[test]
fn motd_reads_the_same_variables_and_never_prints_a_denied_quote() {
    let fixture = Fixture::new();
    let (mixed, off) = (fixture.file("mixed.fortune"), fixture.file("off.fortune"));
    let env = [
        ("EPIGRAPH_DENY_COLLECTION", "motd:off"),
        ("EPIGRAPH_DENY_TAG", "all:politics,http:wit,"),
    ];
    let mut otters = 0;
    for day in days(60) {
        let out = epigraph(&["motd", "--date", &day, &mixed, &off], &env);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            markers(&text, &["zebra", "walrus"]),
            [""; 0],
            "{day}: {text}"
        );
        otters += usize::from(text.contains("Otter"));
        // Without the rules, some day of the same files shows a walrus.
    }
    assert!(otters > 0, "`http:wit` is not a motd rule");
    let walruses = days(60)
        .iter()
        .filter(|day| {
            let out = epigraph(&["motd", "--date", day, &mixed, &off], &[]);
            String::from_utf8_lossy(&out.stdout).contains("Walrus")
        })
        .count();
    assert!(walruses > 0, "the fixture must be able to show a walrus");

    for (args, line) in [
        (
            &["--collection", "off"][..],
            "epigraph: no collection named \"off\"\n",
        ),
        (
            &["--tag", "politics"][..],
            "epigraph: no quote is tagged \"politics\"\n",
        ),
        // "Did you mean" never offers a denied name.
        (
            &["--tag", "politic"][..],
            "epigraph: no quote is tagged \"politic\"\n",
        ),
    ] {
        let mut all = vec!["motd"];
        all.extend_from_slice(args);
        all.extend([mixed.as_str(), off.as_str()]);
        let out = epigraph(&all, &env);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&out.stderr), line);
    }
}

#[test]
fn bad_rules_stop_the_start_with_one_clear_line_and_unknown_names_warn() {
    let fixture = Fixture::new();
    let mixed = fixture.file("mixed.fortune");
    for (args, env, expected) in [
        (
            vec!["serve", "--deny-tag", "irc:politics"],
            vec![],
            "unknown face \"irc\" in \"irc:politics\" (faces: http, feed, chat, qotd, motd, all)",
        ),
        (
            vec!["serve", "--deny-collection", "all:"],
            vec![],
            "\"all:\" names no tag or collection after the ':'",
        ),
        (
            vec!["motd", mixed.as_str()],
            vec![("EPIGRAPH_DENY_TAG", "motd:politics,politics")],
            "\"politics\" is not FACE:NAME (FACE is http, feed, chat, qotd, motd or all)",
        ),
    ] {
        let out = epigraph(&args, &env);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: invalid value"), "{stderr}");
        assert!(first.ends_with(expected), "{stderr}");
    }

    let mut server = Binary::start(&[
        "--deny-tag",
        "all:nosuchtag",
        "--deny-collection",
        "chat:nope",
    ]);
    assert_eq!(server.get("/random").status, 200);
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(10)), Some(0));
    let stderr = server.stderr();
    assert!(
        stderr.contains(
            "policy: warning: --deny-tag all:nosuchtag: no quote is tagged \"nosuchtag\" (yet)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--deny-collection chat:nope: no collection named \"nope\""));
    let out = epigraph(
        &["motd", &mixed],
        &[("EPIGRAPH_DENY_TAG", "motd:nosuchtag,chat:other")],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "epigraph: policy: warning: --deny-tag motd:nosuchtag: no quote is tagged \"nosuchtag\" (yet)\n"
    );
}

#[test]
fn mattermost_and_discord_keep_to_the_chat_rules_too() {
    use ed25519_dalek::{Signer, SigningKey};
    let fixture = Fixture::new();
    let dir = fixture.path();
    let key = SigningKey::from_bytes(&chat::SEED);
    let public = hex::encode(key.verifying_key().as_bytes());
    let server = Binary::start(&[
        "--quotes",
        &dir,
        "--mattermost-token",
        chat::MM_TOKEN,
        "--discord-public-key",
        &public,
        "--deny-tag",
        "chat:wit",
        "--deny-collection",
        "all:off",
    ]);
    let mattermost = |text: &str| {
        let body = form(text).replace("gIkuvaNzQIHg97ATvDxqgjtO", chat::MM_TOKEN);
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        let r = post(server.addr, "/integrations/mattermost", &headers, &body);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["text"].as_str().unwrap().to_string()
    };
    let discord = |text: &str| {
        let body = chat::discord_command(text);
        let ts = now().to_string();
        let signature = hex::encode(key.sign(format!("{ts}{body}").as_bytes()).to_bytes());
        let headers = [
            ("Content-Type", "application/json"),
            ("X-Signature-Ed25519", signature.as_str()),
            ("X-Signature-Timestamp", ts.as_str()),
        ];
        let r = post(server.addr, "/integrations/discord", &headers, &body);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["data"]["content"].as_str().unwrap().to_string()
    };
    for answer in [
        mattermost("wit"),
        discord("wit"),
        mattermost("off"),
        discord("off"),
    ] {
        assert!(
            answer.contains("is neither a collection nor a tag"),
            "{answer}"
        );
    }
    for _ in 0..20 {
        for answer in [mattermost("misc"), discord(""), mattermost("search number")] {
            assert_eq!(markers(&answer, &["otter", "walrus"]), [""; 0], "{answer}");
        }
    }
}
