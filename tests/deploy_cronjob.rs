//! `deploy/kubernetes/cronjob-post-daily.yaml`: a CronJob that never overlaps itself, runs the
//! Deployment's image and binary with flags and variables the binary really reads, takes the
//! webhook URL from a Secret, stays out of the servers' selectors and the kustomization — and
//! its command, run for real with the Secret's value pointed at a mock webhook, posts once.

#[path = "common/deploy.rs"]
mod common;
#[path = "common/webhook.rs"]
mod webhook;

use common::{C, Doc, K8S_SERVICE, KUSTOMIZATION, PDB, deployment, epigraph, has_token, strings};
use serde_yaml_ng::Value;
use std::time::Duration;
use webhook::{Answer, MockWebhook};

const CRONJOB: &str = "deploy/kubernetes/cronjob-post-daily.yaml";
/// The pod template inside the CronJob.
const POD: &str = "spec.jobTemplate.spec.template";
/// Its one container.
const CONTAINER: &str = "spec.jobTemplate.spec.template.spec.containers.0";

fn cronjob() -> Doc {
    let d = Doc::load(CRONJOB);
    assert_eq!(d.str("kind"), "CronJob");
    assert_eq!(d.str("apiVersion"), "batch/v1");
    d
}

fn argv(d: &Doc) -> Vec<String> {
    let mut argv = strings(d.opt(&format!("{CONTAINER}.command")));
    argv.extend(strings(d.opt(&format!("{CONTAINER}.args"))));
    argv
}

fn post_daily_help() -> String {
    let out = epigraph().args(["post-daily", "--help"]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn cronjob_runs_once_a_day_and_never_overlaps() {
    let d = cronjob();
    let schedule = d.str("spec.schedule");
    assert_eq!(
        schedule.split_whitespace().count(),
        5,
        "a five-field cron schedule"
    );
    assert!(!d.str("spec.timeZone").is_empty(), "timeZone is set");
    assert_eq!(d.str("spec.concurrencyPolicy"), "Forbid");
    assert!(d.int("spec.startingDeadlineSeconds") > 0);
    let backoff = d.int("spec.jobTemplate.spec.backoffLimit");
    assert!(
        (0..=3).contains(&backoff),
        "a small backoffLimit, got {backoff}"
    );
    let restart = d.str(&format!("{POD}.spec.restartPolicy"));
    assert!(["Never", "OnFailure"].contains(&restart), "{restart}");
    let containers = d
        .at(&format!("{POD}.spec.containers"))
        .as_sequence()
        .unwrap();
    assert_eq!(containers.len(), 1);
}

#[test]
fn cronjob_runs_the_deployments_image_with_real_flags_and_variables() {
    let d = cronjob();
    let server = deployment();
    assert_eq!(
        d.str(&format!("{CONTAINER}.image")),
        server.str(&format!("{C}.image"))
    );
    let argv = argv(&d);
    assert_eq!(
        argv.first(),
        strings(server.opt(&format!("{C}.command"))).first(),
        "the Deployment's binary"
    );
    assert_eq!(argv.get(1).map(String::as_str), Some("post-daily"));
    let help = post_daily_help();
    for flag in common::long_flags(&argv) {
        assert!(
            has_token(&help, &flag),
            "{CRONJOB}: {flag} is not a post-daily flag"
        );
    }
    let to = argv
        .iter()
        .position(|a| a == "--to")
        .map(|i| argv[i + 1].as_str());
    assert!(
        matches!(to, Some("slack" | "mattermost" | "discord")),
        "{to:?}"
    );
    let env = d.at(&format!("{CONTAINER}.env")).as_sequence().unwrap();
    let names: Vec<&str> = env.iter().map(|e| e["name"].as_str().unwrap()).collect();
    // Wrapped help may break "[env: NAME]" over lines: compare with white space normalised.
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in &names {
        assert!(
            flat.contains(&format!("[env: {name}")),
            "{CRONJOB}: the binary does not read {name}"
        );
    }
    // The URL comes from a Secret, never from a literal value or the args.
    let url = env
        .iter()
        .find(|e| e["name"].as_str() == Some("EPIGRAPH_WEBHOOK_URL"))
        .expect("EPIGRAPH_WEBHOOK_URL is set");
    assert!(url.get("value").is_none(), "the URL must not be a literal");
    assert!(url["valueFrom"]["secretKeyRef"]["name"].as_str().is_some());
    assert!(url["valueFrom"]["secretKeyRef"]["key"].as_str().is_some());
    assert!(
        !argv.iter().any(|a| a.contains("://")),
        "no URL in the args"
    );
}

#[test]
fn cronjob_pods_are_not_taken_for_servers_and_the_cronjob_is_opt_in() {
    let d = cronjob();
    let labels = d
        .at(&format!("{POD}.metadata.labels"))
        .as_mapping()
        .unwrap();
    for (file, path) in [
        (K8S_SERVICE, "spec.selector"),
        (PDB, "spec.selector.matchLabels"),
    ] {
        let doc = Doc::load(file);
        let selector = doc.at(path).as_mapping().unwrap();
        let matches = selector.iter().all(|(k, v)| labels.get(k) == Some(v));
        assert!(!matches, "{file} would select the CronJob's pods");
    }
    let resources = strings(Doc::load(KUSTOMIZATION).opt("resources"));
    assert!(
        !resources.iter().any(|r| r == "cronjob-post-daily.yaml"),
        "the CronJob needs a Secret first: not applied by default"
    );
    assert!(
        common::read(KUSTOMIZATION).contains("cronjob-post-daily.yaml"),
        "but mentioned"
    );
}

#[test]
fn cronjob_command_posts_the_quote_of_the_day_once() {
    let d = cronjob();
    let mock = MockWebhook::start(vec![Answer::status(200)]);
    let argv = argv(&d);
    let mut cmd = epigraph();
    cmd.args(&argv[1..]).args(["--date", "2025-05-05"]);
    for e in d.at(&format!("{CONTAINER}.env")).as_sequence().unwrap() {
        let name = e["name"].as_str().unwrap();
        match e.get("value").and_then(Value::as_str) {
            Some(value) => cmd.env(name, value),
            // The Secret's value, here the mock's URL.
            None => cmd.env(name, mock.url("/hooks/T/B/secret")),
        };
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::thread::sleep(Duration::from_millis(200));
    let got = mock.received();
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    let text = body["text"].as_str().or(body["content"].as_str()).unwrap();
    // Markdown platforms escape the dashes and colon of the heading; Slack does not.
    assert!(
        text.replace('\\', "")
            .starts_with("Quote of the day, 2025-05-05:\n"),
        "{text}"
    );
}
