//! The deployment artefacts against the real binary and the README: every `epigraph serve`
//! command line and `EPIGRAPH_*` variable in the Dockerfile, systemd units, Kubernetes Deployment
//! and README must be accepted by `epigraph serve` itself; the README's Install / Deploy section
//! covers every route and names only real files; and the supervisors wait longer than the server
//! drains.

#[path = "common/deploy.rs"]
mod common;

use common::dockerfile::final_entrypoint;
use common::{
    C, DEPLOYMENT, DOCS, QOTD_DROPIN, QUOTES_DIR, SERVICE, Unit, container_argv, deploy_docs,
    deployment, epigraph, has_token, long_flags, root, serve_help,
};
use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// The flags, against the binary
// ---------------------------------------------------------------------------------------------

/// Every `epigraph serve` command line in the artefacts, with where it comes from.
fn serve_command_lines() -> Vec<(String, Vec<String>)> {
    let mut lines = Vec::new();
    let entry = final_entrypoint();
    lines.push(("Dockerfile ENTRYPOINT".to_string(), entry));
    for rel in [SERVICE, QOTD_DROPIN] {
        lines.push((format!("{rel} ExecStart"), Unit::load(rel).exec_start()));
    }
    lines.push((
        format!("{DEPLOYMENT} command+args"),
        container_argv(&deployment()),
    ));
    // Command lines in the docs' code blocks.
    let mut in_code = false;
    for (i, line) in deploy_docs().lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if let Some(at) = line.find("epigraph serve").filter(|_| in_code) {
            let argv: Vec<String> = line[at..]
                .split_whitespace()
                .take_while(|w| *w != "#" && *w != "&" && *w != "|" && *w != "\\")
                .map(|w| w.trim_matches(['"', '\'']).to_string())
                .collect();
            lines.push((format!("{DOCS}:{}", i + 1), argv));
        }
    }
    for (source, argv) in &lines {
        let serve = argv.iter().position(|a| a == "serve");
        assert!(
            serve.is_some(),
            "{source}: not an `epigraph serve` command: {argv:?}"
        );
    }
    lines
}

/// `EPIGRAPH_*` variables the artefacts set for the server, with where they come from.
fn env_vars_used() -> Vec<(String, String)> {
    let mut vars = Vec::new();
    let d = deployment();
    for e in d
        .opt(&format!("{C}.env"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        if let Some(name) = e.get("name").and_then(Value::as_str) {
            vars.push((DEPLOYMENT.to_string(), name.to_string()));
        }
    }
    for rel in [SERVICE, QOTD_DROPIN] {
        for assignment in Unit::load(rel).tokens("Service", "Environment") {
            if let Some((name, _)) = assignment.trim_matches('"').split_once('=') {
                vars.push((rel.to_string(), name.to_string()));
            }
        }
    }
    let docs = deploy_docs();
    for (at, _) in docs.match_indices("EPIGRAPH_") {
        let name: String = docs[at..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        vars.push((DOCS.to_string(), name));
    }
    vars.retain(|(_, name)| name.starts_with("EPIGRAPH_") && name.len() > "EPIGRAPH_".len());
    vars.sort();
    vars.dedup();
    vars
}

#[test]
fn deploy_files_use_only_flags_and_variables_that_serve_accepts() {
    let help = serve_help();
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let lines = serve_command_lines();
    for (source, argv) in &lines {
        for flag in long_flags(argv) {
            if !has_token(&help, &flag) {
                missing.entry(flag).or_default().insert(source.clone());
            }
        }
    }
    for (source, var) in env_vars_used() {
        if !has_token(&help, &var) {
            missing.entry(var).or_default().insert(source);
        }
    }
    assert!(
        missing.is_empty(),
        "`epigraph serve --help` does not list these flags/variables, which the deployment files \
         use:\n{}\n--- epigraph serve --help ---\n{help}",
        missing
            .iter()
            .map(|(flag, sources)| format!(
                "  {flag}  (used by {})",
                sources.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );

    // Beyond names: clap parses and validates each value before it acts on --help, so every
    // command line, run with --help appended, must be accepted as it stands.
    for (source, argv) in &lines {
        let serve = argv.iter().position(|a| a == "serve").unwrap();
        let out = epigraph()
            .args(&argv[serve..])
            .arg("--help")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{source}: `epigraph {}` is rejected by the binary:\n{}",
            argv[serve..].join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// README.md: the Install / Deploy section
// ---------------------------------------------------------------------------------------------

#[test]
fn deploy_docs_cover_every_route_and_name_real_files() {
    let docs = deploy_docs();
    for needle in [
        "cargo install --path .",
        "docker build",
        "docker run",
        QUOTES_DIR,
        "EPIGRAPH_QUOTES",
        "systemctl enable --now epigraph",
        "epigraph-qotd.socket",
        "CAP_NET_BIND_SERVICE",
        "kubectl apply -k deploy/kubernetes",
        "Cache-Control",
        "Expires",
        "ETag",
        "SHA-256",
    ] {
        assert!(docs.contains(needle), "{DOCS} should mention `{needle}`");
    }
    let mut named = BTreeSet::new();
    for prefix in ["contrib/", "deploy/", "ci/"] {
        for (at, _) in docs.match_indices(prefix) {
            if at > 0
                && docs[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.')
            {
                continue;
            }
            let path: String = docs[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
                .collect();
            named.insert(path.trim_end_matches('.').to_string());
        }
    }
    for path in named {
        assert!(
            root().join(&path).exists(),
            "{DOCS} names `{path}`, which does not exist"
        );
    }
}

/// The drain time `serve` allows after SIGTERM (`--shutdown-timeout`'s default), if it has one.
fn shutdown_timeout_default(help: &str) -> Option<u64> {
    let at = help.find("--shutdown-timeout")?;
    let rest = &help[at..];
    let end = rest[2..].find("\n      --").map_or(rest.len(), |i| i + 2);
    let section = &rest[..end];
    let d = section.find("[default: ")? + "[default: ".len();
    section[d..].split(']').next()?.trim().parse().ok()
}

#[test]
fn supervisors_wait_longer_than_the_server_drains() {
    let help = serve_help();
    let Some(drain) = shutdown_timeout_default(&help) else {
        panic!(
            "`epigraph serve --help` shows no --shutdown-timeout default; the stop timeouts below assume one:\n{help}"
        );
    };
    let unit = Unit::load(SERVICE);
    let stop = unit
        .get("Service", "TimeoutStopSec")
        .expect("TimeoutStopSec=");
    let stop: u64 = stop
        .trim_end_matches('s')
        .parse()
        .expect("TimeoutStopSec in seconds");
    assert!(
        stop > drain,
        "{SERVICE}: TimeoutStopSec={stop}s must exceed the {drain}s drain"
    );
    let grace = deployment().int("spec.template.spec.terminationGracePeriodSeconds");
    assert!(
        grace > drain as i64,
        "{DEPLOYMENT}: terminationGracePeriodSeconds={grace} must exceed the {drain}s drain"
    );
}
