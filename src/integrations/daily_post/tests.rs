use super::*;

/// 2026-12-02 00:00:00 UTC.
const MIDNIGHT: i64 = 20_789 * DAY_SECS;

fn at(text: &str) -> TimeOfDay {
    TimeOfDay::parse(text).unwrap()
}

#[test]
fn the_midnight_constant_is_the_day_it_claims() {
    assert_eq!(
        Day::from_number(MIDNIGHT / DAY_SECS).to_string(),
        "2026-12-02"
    );
}

#[test]
fn times_parse_with_seconds_offsets_and_zone_names() {
    let fixed = |secs, offset| TimeOfDay {
        secs,
        zone: Zone::Fixed(offset),
    };
    assert_eq!(at("08:00"), fixed(8 * 3600, 0));
    assert_eq!(at("08:00Z"), at("08:00"));
    assert_eq!(at("23:59:59").secs, DAY_SECS - 1);
    assert_eq!(at("08:00+01:00").zone, Zone::Fixed(3600));
    assert_eq!(at("08:00:30-05:30"), fixed(8 * 3600 + 30, -19_800));
    assert_eq!(at("00:00+18:00").zone, Zone::Fixed(18 * 3600));
    assert_eq!(at("08:00 Europe/Berlin"), at("08:00[Europe/Berlin]"));
    assert_eq!(
        at("08:00:05[Asia/Kolkata]").to_string(),
        "08:00:05 Asia/Kolkata"
    );
    for bad in [
        "",
        "8:00",
        "24:00",
        "12:60",
        "12:00:60",
        "12:00:5",
        "12",
        "12:00 ",
        "12:00+1",
        "12:00+19:00",
        "12:00+01:60",
        "aa:bb",
        "12:00:00:00",
        "+01:00",
        "1é:00",
        "12:0é",
        "08:00[]",
        "08:00[Europe/Berlin",
        "08:00Europe/Berlin",
    ] {
        assert!(TimeOfDay::parse(bad).is_err(), "{bad:?} was accepted");
    }
    let unknown = TimeOfDay::parse("08:00[Europe/Berlinn]").unwrap_err();
    assert!(
        unknown.contains("unknown time zone \"Europe/Berlinn\""),
        "{unknown}"
    );
}

#[test]
fn the_next_post_is_today_while_the_time_is_ahead_else_tomorrow() {
    let eight = at("08:00");
    assert_eq!(eight.next_after(MIDNIGHT), MIDNIGHT + 8 * 3600);
    assert_eq!(
        eight.next_after(MIDNIGHT + 8 * 3600 - 1),
        MIDNIGHT + 8 * 3600
    );
    // At the very second of a post, the next one is tomorrow's.
    assert_eq!(
        eight.next_after(MIDNIGHT + 8 * 3600),
        MIDNIGHT + DAY_SECS + 8 * 3600
    );
    assert_eq!(
        eight.next_after(MIDNIGHT + 20 * 3600),
        MIDNIGHT + DAY_SECS + 8 * 3600
    );
    assert_eq!(at("00:00").next_after(MIDNIGHT - 1), MIDNIGHT);
}

#[test]
fn offsets_move_the_moment_across_utc_midnight() {
    // 08:00 at +10:00 is 22:00 UTC of the day before.
    let sydney = at("08:00+10:00");
    assert_eq!(sydney.next_after(MIDNIGHT), MIDNIGHT + 22 * 3600);
    assert_eq!(sydney.next_after(MIDNIGHT - 3 * 3600), MIDNIGHT - 2 * 3600);
    // 20:00 at -05:00 is 01:00 UTC of the day after.
    let new_york = at("20:00-05:00");
    assert_eq!(new_york.next_after(MIDNIGHT), MIDNIGHT + 3600);
    assert_eq!(
        new_york.next_after(MIDNIGHT + 3600),
        MIDNIGHT + DAY_SECS + 3600
    );
    assert_eq!(at("08:00+01:00").next_after(MIDNIGHT), MIDNIGHT + 7 * 3600);
}

#[test]
fn counting_from_each_post_gives_exactly_one_post_a_day() {
    for time in [
        "00:00",
        "08:00",
        "23:59:59",
        "08:00+10:00",
        "20:00-05:00",
        "00:30+05:30",
        "08:00[Europe/Berlin]",
        "02:30[Europe/Berlin]",
        "12:00[America/New_York]",
        "08:00[Australia/Sydney]",
    ] {
        let time = at(time);
        let mut fire = time.next_after(MIDNIGHT + 12_345);
        let mut days = vec![fire.div_euclid(DAY_SECS)];
        for _ in 0..800 {
            let next = time.next_after(fire);
            // A day; 23 or 25 hours across a daylight saving change in a named zone.
            let step = next - fire;
            match time.zone {
                Zone::Fixed(_) => assert_eq!(step, DAY_SECS, "{time}"),
                Zone::Named(_) => assert!((step - DAY_SECS).abs() <= 3600, "{time}: {step}"),
            }
            fire = next;
            days.push(fire.div_euclid(DAY_SECS));
        }
        // One post per UTC day, no day skipped.
        assert!(days.windows(2).all(|w| w[1] == w[0] + 1), "{time}");
    }
}

fn utc(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_second()
}

#[test]
fn named_zones_follow_daylight_saving_time() {
    // Berlin springs forward on 2026-03-29 (02:00 CET -> 03:00 CEST) and falls back on
    // 2026-10-25 (03:00 CEST -> 02:00 CET).
    let eight = at("08:00[Europe/Berlin]");
    assert_eq!(
        eight.next_after(utc("2026-03-28T07:00:00Z")),
        utc("2026-03-29T06:00:00Z")
    );
    assert_eq!(
        eight.next_after(utc("2026-10-24T06:00:00Z")),
        utc("2026-10-25T07:00:00Z")
    );
    // 02:30 does not exist on the spring day: the post is at 03:30 CEST, after the gap.
    let gap = at("02:30[Europe/Berlin]");
    assert_eq!(
        gap.next_after(utc("2026-03-28T01:30:00Z")),
        utc("2026-03-29T01:30:00Z")
    );
    // 02:30 happens twice on the autumn day: one post, at the first, then the next day's.
    let first = gap.next_after(utc("2026-10-24T00:30:00Z"));
    assert_eq!(first, utc("2026-10-25T00:30:00Z"));
    assert_eq!(gap.next_after(first), utc("2026-10-26T01:30:00Z"));
    // A zone without daylight saving is its fixed offset.
    let kolkata = at("08:00[Asia/Kolkata]");
    let fixed = at("08:00+05:30");
    for now in [MIDNIGHT, MIDNIGHT + 3 * 3600, MIDNIGHT + 2 * 3600 + 1800] {
        assert_eq!(kolkata.next_after(now), fixed.next_after(now));
    }
}

#[test]
fn targets_parse_and_never_show_the_secret_path() {
    let t = Target::parse("slack=https://hooks.slack.com/services/T0/B0/SECRET@08:00").unwrap();
    assert_eq!(t.platform, Platform::Slack);
    assert_eq!(t.url, "https://hooks.slack.com/services/T0/B0/SECRET");
    assert_eq!(t.to_string(), "slack to hooks.slack.com at 08:00:00 UTC");
    assert!(!format!("{t:?}").contains("SECRET"));
    // The URL ends at the last `@`: a user name in it is kept.
    let t = Target::parse("Discord=http://u@127.0.0.1:9/hook@07:30:15+02:00").unwrap();
    assert_eq!(t.platform, Platform::Discord);
    assert_eq!(t.url, "http://u@127.0.0.1:9/hook");
    assert_eq!(
        t.at,
        TimeOfDay {
            secs: 7 * 3600 + 30 * 60 + 15,
            zone: Zone::Fixed(7200)
        }
    );
    assert_eq!(t.to_string(), "discord to 127.0.0.1:9 at 07:30:15+02:00");
    for bad in [
        "slack",
        "teams=https://x.org/h@08:00",
        "slack=https://x.org/SECRET",
        "slack=ftp://x.org/SECRET@08:00",
        "slack=https:///SECRET@08:00",
        "slack=https://x.org/SECRET@25:00",
        "mattermost=hooks/SECRET@08:00",
    ] {
        let err = Target::parse(bad).unwrap_err();
        assert!(!err.contains("SECRET"), "{bad}: {err}");
    }
}

#[test]
fn the_body_is_the_quote_of_the_days_answer_in_the_platforms_json() {
    let (corpus, _) = Corpus::embedded();
    let candidates = corpus.select(&Default::default()).unwrap();
    let day = Day::parse("2025-05-05").unwrap();
    let index = quote_of_the_day(corpus.quotes(), &candidates, day).unwrap();
    let answer = of_the_day(&corpus, index, day);
    assert!(answer.text.starts_with("Quote of the day, 2025-05-05:\n"));
    let sent: serde_json::Value =
        serde_json::from_str(&body(Platform::Discord, &corpus, &candidates, day).unwrap()).unwrap();
    assert_eq!(sent, Platform::Discord.webhook_body(&answer));
    assert_eq!(body(Platform::Slack, &corpus, &[], day), None);
}
