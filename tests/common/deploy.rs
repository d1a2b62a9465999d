//! Shared fixture for the deployment tests (`tests/deploy_*.rs`): where each artefact lives, the
//! binary's own word on what `serve` accepts, the README's Install / Deploy section, and parsers
//! for systemd units and Kubernetes manifests. The Dockerfile and `.dockerignore` parsers are in
//! the `dockerfile` submodule.
//!
//! No Docker engine, kubelet or systemd runs in these tests, so each artefact is parsed and its
//! contract checked against the others and against the real binary.
#![allow(dead_code)]

#[path = "dockerfile.rs"]
pub mod dockerfile;

use serde_yaml_ng::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// The port every artefact serves HTTP on inside its sandbox.
pub const HTTP_PORT: u16 = 8080;
/// Where extra collections are mounted (Docker, Kubernetes) or dropped (systemd).
pub const QUOTES_DIR: &str = "/etc/epigraph/quotes";
/// The RFC 865 port.
pub const QOTD_PORT: u16 = 17;

pub const DOCKERFILE: &str = "Dockerfile";
pub const DOCKERIGNORE: &str = ".dockerignore";
pub const SERVICE: &str = "contrib/systemd/epigraph.service";
pub const QOTD_SOCKET: &str = "contrib/systemd/epigraph-qotd.socket";
pub const QOTD_DROPIN: &str = "contrib/systemd/qotd-capability.conf";
pub const K8S_DIR: &str = "deploy/kubernetes";
pub const DEPLOYMENT: &str = "deploy/kubernetes/deployment.yaml";
pub const K8S_SERVICE: &str = "deploy/kubernetes/service.yaml";
pub const HPA: &str = "deploy/kubernetes/hpa.yaml";
pub const PDB: &str = "deploy/kubernetes/pdb.yaml";
pub const KUSTOMIZATION: &str = "deploy/kubernetes/kustomization.yaml";
pub const CONFIGMAP: &str = "deploy/kubernetes/configmap-example.yaml";
/// The README holds the Install / Deploy section.
pub const DOCS: &str = "README.md";

/// The README's "Install / Deploy" section, up to the next second-level heading.
pub fn deploy_docs() -> String {
    let readme = read(DOCS);
    let start = readme
        .find("\n## Install / Deploy")
        .expect("README.md has no `## Install / Deploy` section");
    let section = &readme[start + 1..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    section[..end].to_string()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The binary's own word on what `serve` accepts.
// ---------------------------------------------------------------------------------------------

pub fn epigraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_epigraph"));
    // The artefacts' flags are checked, not whatever the developer's shell exports.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("EPIGRAPH_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

pub fn serve_help() -> String {
    let out = epigraph()
        .args(["serve", "--help"])
        .output()
        .expect("run epigraph serve --help");
    assert!(
        out.status.success(),
        "`epigraph serve --help` failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `word` occurs in `text` as a whole token (`--qotd` is not found in `--qotd-udp`).
pub fn has_token(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The `--long` flags among `args` (`--flag=value` counts as `--flag`).
pub fn long_flags(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| a.starts_with("--") && a.len() > 2)
        .map(|a| a.split('=').next().unwrap_or(a).to_string())
        .collect()
}

/// Every file under `rel` (relative to the repository), as sorted repository-relative paths.
pub fn files_under(rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(rel)];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// systemd units
// ---------------------------------------------------------------------------------------------

/// A unit file: sections, each with its assignments in order (keys may repeat).
pub struct Unit {
    file: String,
    pub sections: BTreeMap<String, Vec<(String, String)>>,
}

impl Unit {
    pub fn load(rel: &str) -> Unit {
        let text = read(rel);
        let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let mut section: Option<String> = None;
        let mut pending = String::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.starts_with('#') || line.starts_with(';') {
                continue; // comments, also between continuation lines
            }
            if let Some(body) = line.strip_suffix('\\') {
                pending.push_str(body);
                pending.push(' ');
                continue;
            }
            let full = std::mem::take(&mut pending) + line;
            let full = full.trim();
            if full.is_empty() {
                continue;
            }
            if full.starts_with('[') && full.ends_with(']') {
                let name = full[1..full.len() - 1].to_string();
                sections.entry(name.clone()).or_default();
                section = Some(name);
                continue;
            }
            let (key, value) = full
                .split_once('=')
                .unwrap_or_else(|| panic!("{rel}:{}: not KEY=VALUE: {full}", i + 1));
            let section = section
                .as_ref()
                .unwrap_or_else(|| panic!("{rel}:{}: assignment outside a section", i + 1));
            sections
                .get_mut(section)
                .unwrap()
                .push((key.trim().to_string(), value.trim().to_string()));
        }
        assert!(pending.is_empty(), "{rel} ends inside a line continuation");
        Unit {
            file: rel.to_string(),
            sections,
        }
    }

    /// All values of a list-valued key, with systemd's rule that an empty assignment resets.
    pub fn list(&self, section: &str, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in self.sections.get(section).into_iter().flatten() {
            if k == key {
                if v.is_empty() {
                    out.clear();
                } else {
                    out.push(v.clone());
                }
            }
        }
        out
    }

    /// The effective value of a single-valued key (the last assignment wins).
    pub fn get(&self, section: &str, key: &str) -> Option<String> {
        self.sections
            .get(section)?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    pub fn expect(&self, section: &str, key: &str, want: &str) {
        let got = self.get(section, key);
        assert_eq!(
            got.as_deref(),
            Some(want),
            "{}: [{section}] {key} should be {want}",
            self.file
        );
    }

    /// Whether the key is assigned at all, even to the empty string.
    pub fn assigned(&self, section: &str, key: &str) -> bool {
        self.sections
            .get(section)
            .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
    }

    /// Space-separated tokens of a list-valued key, in order, after resets.
    pub fn tokens(&self, section: &str, key: &str) -> Vec<String> {
        self.list(section, key)
            .iter()
            .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    /// The argv of the effective `ExecStart=` (exactly one after resets).
    pub fn exec_start(&self) -> Vec<String> {
        let starts = self.list("Service", "ExecStart");
        assert_eq!(
            starts.len(),
            1,
            "{}: exactly one effective ExecStart=, got {starts:?}",
            self.file
        );
        let argv: Vec<String> = starts[0].split_whitespace().map(str::to_string).collect();
        let prog = argv[0].trim_start_matches(['-', '@', ':', '+', '!']);
        assert!(
            prog.starts_with('/'),
            "{}: ExecStart must use an absolute path: {}",
            self.file,
            argv[0]
        );
        argv
    }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests
// ---------------------------------------------------------------------------------------------

/// A parsed YAML manifest; lookups panic naming the file and the missing path.
pub struct Doc {
    file: String,
    v: Value,
}

impl Doc {
    pub fn load(rel: &str) -> Doc {
        let v: Value = serde_yaml_ng::from_str(&read(rel))
            .unwrap_or_else(|e| panic!("{rel}: invalid YAML: {e}"));
        Doc {
            file: rel.to_string(),
            v,
        }
    }

    pub fn opt(&self, path: &str) -> Option<&Value> {
        at(&self.v, path)
    }

    pub fn at(&self, path: &str) -> &Value {
        self.opt(path)
            .unwrap_or_else(|| panic!("{}: `{path}` is missing", self.file))
    }

    pub fn str(&self, path: &str) -> &str {
        self.at(path)
            .as_str()
            .unwrap_or_else(|| panic!("{}: `{path}` should be a string", self.file))
    }

    pub fn int(&self, path: &str) -> i64 {
        self.at(path)
            .as_i64()
            .unwrap_or_else(|| panic!("{}: `{path}` should be an integer", self.file))
    }

    pub fn bool(&self, path: &str) -> Option<bool> {
        self.opt(path).and_then(Value::as_bool)
    }
}

/// `a.b.0.c`-style lookup.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(v, |v, seg| match seg.parse::<usize>() {
            Ok(i) => v.as_sequence()?.get(i),
            Err(_) => v.get(seg),
        })
}

pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .map(|x| x.as_str().expect("a list of strings").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The Deployment's one container.
pub const C: &str = "spec.template.spec.containers.0";

/// The Deployment manifest, checked to be an apps/v1 Deployment with one container.
pub fn deployment() -> Doc {
    let d = Doc::load(DEPLOYMENT);
    assert_eq!(d.str("kind"), "Deployment");
    assert_eq!(d.str("apiVersion"), "apps/v1");
    let containers = d.at("spec.template.spec.containers").as_sequence().unwrap();
    assert_eq!(containers.len(), 1, "{DEPLOYMENT}: one container");
    d
}

/// The container's argv: `command` followed by `args`.
pub fn container_argv(d: &Doc) -> Vec<String> {
    let mut argv = strings(d.opt(&format!("{C}.command")));
    argv.extend(strings(d.opt(&format!("{C}.args"))));
    argv
}
