use super::*;
use clap::Parser;

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    args: ServeArgs,
}

fn parse(argv: &[&str]) -> anyhow::Result<Config> {
    let args = Wrapper::try_parse_from(std::iter::once("serve").chain(argv.iter().copied()))?;
    Config::from_args(args.args)
}

#[test]
fn defaults_and_repeats() {
    let config = parse(&[]).unwrap();
    assert_eq!(config.listen, ["127.0.0.1:8080"]);
    assert!(config.options.workers >= 1);
    let config = parse(&[
        "--listen",
        "127.0.0.1:1",
        "--listen",
        "[::1]:2",
        "--quotes",
        "a",
        "--workers",
        "3",
        "--log-format",
        "json",
    ])
    .unwrap();
    assert_eq!(config.listen, ["127.0.0.1:1", "[::1]:2"]);
    assert_eq!(config.quotes, [PathBuf::from("a")]);
    assert_eq!(config.options.workers, 3);
    assert_eq!(config.log_format, LogFormat::Json);
}

#[test]
fn bad_values_are_refused() {
    assert!(parse(&["--workers", "0"]).is_err());
    assert!(parse(&["--log-format", "xml"]).is_err());
    assert!(parse(&["--listen", ""]).is_err());
    assert!(parse(&["--request-timeout", "0"]).is_err());
    assert!(parse(&["--max-connections", "0"]).is_err());
    assert!(parse(&["--send-buffer", "100"]).is_err());
    assert!(parse(&["--reload-timeout", "0"]).is_err());
    assert_eq!(parse(&[]).unwrap().reload_timeout, Duration::from_secs(30));
    let config = parse(&["--request-timeout", "3", "--max-connections", "7"]).unwrap();
    assert_eq!(config.options.request_timeout.0, Duration::from_secs(3));
    assert_eq!(config.options.max_connections, 7);
    assert!(parse(&["--public-url", "quotes.example"]).is_err());
    let config = parse(&["--public-url", "https://quotes.example/"]).unwrap();
    let url = config.options.public_url.expect("a public URL");
    assert_eq!(url.as_str(), "https://quotes.example");
}

#[test]
fn deny_rules_repeat_and_lowercase_tags() {
    let config = parse(&[
        "--deny-tag",
        "chat:Politics",
        "--deny-tag",
        "all:war",
        "--deny-collection",
        "http:off",
    ])
    .unwrap();
    let policy = &config.policy;
    let shown: Vec<String> = policy.tags.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["chat:politics", "all:war"]);
    assert_eq!(policy.collections[0].to_string(), "http:off");
    assert!(parse(&[]).unwrap().policy.is_empty());
    // Empty items (a variable set empty, a trailing comma) are no rule.
    let config = parse(&["--deny-tag", "", "--deny-collection", " "]).unwrap();
    assert!(config.policy.is_empty());
    let err = parse(&["--deny-tag", "web:x"]).unwrap_err().to_string();
    assert!(err.contains("unknown face \"web\""), "{err}");
}

#[test]
fn post_daily_targets_are_checked_at_start_and_errors_hide_the_url() {
    let config = parse(&[
        "--post-daily",
        "slack=https://hooks.slack.com/services/T/B/SECRET@08:00",
        "--post-daily",
        "discord=https://discord.com/api/webhooks/1/SECRET@07:30:00+01:00",
    ])
    .unwrap();
    assert_eq!(config.post_daily.len(), 2);
    assert_eq!(
        config.post_daily[1].to_string(),
        "discord to discord.com at 07:30:00+01:00"
    );
    assert!(parse(&[]).unwrap().post_daily.is_empty());
    for bad in [
        "slack=https://hooks.slack.com/SECRET@8am",
        "teams=https://example.org/SECRET@08:00",
        "slack=https://hooks.slack.com/SECRET",
        "slack=hooks.slack.com/SECRET@08:00",
    ] {
        let err = parse(&["--post-daily", bad]).unwrap_err().to_string();
        assert!(err.starts_with("--post-daily #1: "), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
    }
}
