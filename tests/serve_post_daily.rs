//! `epigraph serve --post-daily`: the real server posts the quote of the day to mock webhooks
//! on 127.0.0.1 at the time asked (a few seconds ahead, in UTC and in a fixed offset), exactly
//! once, with the `/quote today` answer of the corpus it serves; it still stops at once on
//! SIGTERM; a bad target is a start-up error that does not print the webhook's path.

#[path = "common/server.rs"]
mod server;
#[path = "common/webhook.rs"]
mod webhook;

use epigraph::integrations::message::Platform;
use serde_json::json;
use server::Binary;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use webhook::{Answer, MockWebhook};

/// `secs` after midnight as `HH:MM:SS`, in the zone `offset` seconds east of UTC.
fn clock(unix: u64, offset: i64) -> String {
    let local = (unix as i64 + offset).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        local / 3600,
        local / 60 % 60,
        local % 60
    )
}

/// The UTC date of `unix`, `YYYY-MM-DD` (civil-from-days, Howard Hinnant's algorithm).
fn utc_date(unix: u64) -> String {
    let z = (unix / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[test]
fn the_date_helper_agrees_with_known_days() {
    assert_eq!(utc_date(0), "1970-01-01");
    assert_eq!(utc_date(20_789 * 86_400 + 86_399), "2026-12-02");
    assert_eq!(utc_date(951_782_400), "2000-02-29");
}

fn mock(status: u16) -> MockWebhook {
    MockWebhook::start(vec![Answer::status(status)])
}

#[test]
fn a_post_a_few_seconds_ahead_arrives_once_in_each_platforms_json() {
    let (slack, discord, mattermost) = (mock(200), mock(204), mock(200));
    // No system tz database: the bundled one answers (as in a slim image without tzdata).
    let no_tzdata = tempfile::tempdir().unwrap();
    let (mut serve, fire, fire_at) = (0..3)
        .find_map(|_| {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            let fire = now.as_secs() + 4;
            // The same moment in UTC, at +05:30 for Discord, in Asia/Kolkata for Mattermost.
            let specs = [
                format!("slack={}@{}", slack.url("/hooks/SECRET"), clock(fire, 0)),
                format!(
                    "discord={}@{}+05:30",
                    discord.url("/api/webhooks/1/SECRET"),
                    clock(fire, 19_800)
                ),
                format!(
                    "mattermost={}@{}[Asia/Kolkata]",
                    mattermost.url("/hooks/SECRET"),
                    clock(fire, 19_800)
                ),
            ];
            // An idle connection holds the drain for the request or keep-alive timeout (5 s
            // by default); 1 s each keeps that apart from a post thread that would hold it.
            let mut args = vec![
                "--log-level",
                "info",
                "--keep-alive",
                "1",
                "--request-timeout",
                "1",
            ];
            for spec in &specs {
                args.extend(["--post-daily", spec.as_str()]);
            }
            let serve =
                Binary::start_with_env(&args, &[("TZDIR", no_tzdata.path().to_str().unwrap())]);
            let left = (UNIX_EPOCH + Duration::from_secs(fire))
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            // A start slower than the lead time would wait for tomorrow's post: again.
            (left >= Duration::from_secs(1)).then(|| (serve, fire, Instant::now() + left))
        })
        .expect("the server took over 3 s to start, three times");
    let day = utc_date(fire);
    let today = serve.get(&format!("/today?date={day}")).text();
    let plain = format!(
        "Quote of the day, {day}:\n{}",
        epigraph::layout::unwrapped(&today)
    );

    let wait = fire_at + Duration::from_secs(6) - Instant::now();
    let got = slack.wait_for(1, wait);
    assert_eq!(got.len(), 1, "one post by the time asked");
    assert!(
        got[0].at + Duration::from_millis(50) >= fire_at
            && got[0].at <= fire_at + Duration::from_secs(3),
        "posted {:?} from the time asked",
        got[0].at.checked_duration_since(fire_at)
    );
    assert_eq!(got[0].path, "/hooks/SECRET");
    assert_eq!(
        got[0].json(),
        json!({ "text": Platform::Slack.text(&plain) })
    );
    let got = discord.wait_for(1, Duration::from_secs(2));
    assert_eq!(got.len(), 1, "the +05:30 post did not arrive");
    assert_eq!(
        got[0].json(),
        json!({ "content": Platform::Discord.text(&plain), "allowed_mentions": { "parse": [] } })
    );

    let got = mattermost.wait_for(1, Duration::from_secs(2));
    assert_eq!(got.len(), 1, "the Asia/Kolkata post did not arrive");
    assert_eq!(
        got[0].json(),
        json!({ "text": Platform::Mattermost.text(&plain) })
    );

    // None in the following seconds: the next post is tomorrow's.
    std::thread::sleep(Duration::from_secs(3));
    for mock in [&slack, &discord, &mattermost] {
        assert_eq!(mock.received().len(), 1, "a second post arrived");
    }

    // The sleeping post threads (a minute's nap each) do not hold up shutdown.
    let asked = Instant::now();
    serve.signal("TERM");
    let report = serve.report();
    let code = serve.wait(Duration::from_secs(10));
    assert!(
        code == Some(0) && asked.elapsed() < Duration::from_secs(3),
        "exit {code:?} after {:?}; at the signal, {report}",
        asked.elapsed()
    );
    let log = serve.stderr();
    assert!(log.contains("posted the quote of the day"), "{log}");
    assert!(!log.contains("SECRET"), "{log}");
}

#[test]
fn bad_targets_stop_the_start_without_printing_the_path() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(env!("CARGO_BIN_EXE_epigraph"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("EPIGRAPH_POST_DAILY")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(
        &[
            "--post-daily",
            "slack=https://hooks.slack.com/services/SECRET@25:00",
        ],
        &[],
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "epigraph: --post-daily #1: slack to hooks.slack.com: the time must be HH:MM or \
         HH:MM:SS (00:00 to 23:59:59), got \"25:00\"\n"
    );
    // The variable takes a comma-separated list; the second entry is the bad one here.
    let (code, err) = run(
        &[],
        &[(
            "EPIGRAPH_POST_DAILY",
            "slack=https://hooks.slack.com/a@08:00,teams=https://x.org/SECRET@08:00",
        )],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("epigraph: --post-daily #2: unknown platform"),
        "{err}"
    );
    assert!(!err.contains("SECRET"), "{err}");
    let (code, err) = run(
        &[
            "--post-daily",
            "discord=https://discord.com/SECRET@08:00[Europe/Berlinn]",
        ],
        &[],
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "epigraph: --post-daily #1: discord to discord.com: unknown time zone \"Europe/Berlinn\" \
         (IANA names such as Europe/Berlin)\n"
    );
}
