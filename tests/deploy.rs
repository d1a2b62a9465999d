//! The deployment artefacts, checked against each other and against the real binary.
//!
//! No Docker engine, kubelet or systemd runs here, so each artefact is parsed and its contract
//! checked: the Dockerfile (multi-stage, cached dependency layer, pinned bases, non-root, exec-form
//! `epigraph serve --listen 0.0.0.0:8080`, EXPOSE, HEALTHCHECK on /healthz), `.dockerignore`
//! (keeps every build input, `quotes/` above all), the systemd units (hardening, QOTD socket and
//! capability drop-in), the Kubernetes manifests (replicas, probes, ports, security context,
//! HPA, the extra-collections ConfigMap) and the README. Every `--flag` and `EPIGRAPH_*`
//! variable they use must be accepted by `epigraph serve` itself.

use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The port every artefact serves HTTP on inside its sandbox.
const HTTP_PORT: u16 = 8080;
/// Where extra collections are mounted (Docker, Kubernetes) or dropped (systemd).
const QUOTES_DIR: &str = "/etc/epigraph/quotes";
/// The RFC 865 port.
const QOTD_PORT: u16 = 17;

const DOCKERFILE: &str = "Dockerfile";
const DOCKERIGNORE: &str = ".dockerignore";
const SERVICE: &str = "contrib/systemd/epigraph.service";
const QOTD_SOCKET: &str = "contrib/systemd/epigraph-qotd.socket";
const QOTD_DROPIN: &str = "contrib/systemd/qotd-capability.conf";
const K8S_DIR: &str = "deploy/kubernetes";
const DEPLOYMENT: &str = "deploy/kubernetes/deployment.yaml";
const K8S_SERVICE: &str = "deploy/kubernetes/service.yaml";
const HPA: &str = "deploy/kubernetes/hpa.yaml";
const PDB: &str = "deploy/kubernetes/pdb.yaml";
const KUSTOMIZATION: &str = "deploy/kubernetes/kustomization.yaml";
const CONFIGMAP: &str = "deploy/kubernetes/configmap-example.yaml";
/// The README holds the Install / Deploy section.
const DOCS: &str = "README.md";

/// The README's "Install / Deploy" section, up to the next second-level heading.
fn deploy_docs() -> String {
    let readme = read(DOCS);
    let start = readme
        .find("\n## Install / Deploy")
        .expect("README.md has no `## Install / Deploy` section");
    let section = &readme[start + 1..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    section[..end].to_string()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The binary's own word on what `serve` accepts.
// ---------------------------------------------------------------------------------------------

fn epigraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_epigraph"));
    // The artefacts' flags are checked, not whatever the developer's shell exports.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("EPIGRAPH_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn serve_help() -> String {
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
fn has_token(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The `--long` flags among `args` (`--flag=value` counts as `--flag`).
fn long_flags(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| a.starts_with("--") && a.len() > 2)
        .map(|a| a.split('=').next().unwrap_or(a).to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Instr {
    line: usize,
    keyword: String,
    args: String,
}

#[derive(Debug)]
struct Stage {
    image: String,
    name: Option<String>,
    instrs: Vec<Instr>,
}

/// Splits a Dockerfile into instructions: comments dropped (also inside continuations),
/// backslash continuations joined.
fn parse_dockerfile(text: &str) -> Vec<Instr> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_none()) {
            continue;
        }
        let (continues, body) = match trimmed.strip_suffix('\\') {
            Some(body) => (true, body.trim_end()),
            None => (false, trimmed),
        };
        let (line, mut acc) = current.take().unwrap_or((i + 1, String::new()));
        if !acc.is_empty() && !body.is_empty() {
            acc.push(' ');
        }
        acc.push_str(body);
        if continues {
            current = Some((line, acc));
        } else if !acc.is_empty() {
            let (keyword, args) = acc.split_once(char::is_whitespace).unwrap_or((&acc, ""));
            out.push(Instr {
                line,
                keyword: keyword.to_ascii_uppercase(),
                args: args.trim().to_string(),
            });
        }
    }
    assert!(
        current.is_none(),
        "Dockerfile ends inside a line continuation"
    );
    out
}

fn stages(instrs: &[Instr]) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for instr in instrs {
        if instr.keyword == "FROM" {
            let words: Vec<&str> = instr
                .args
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let image = words.first().expect("FROM without an image").to_string();
            let name = match words.as_slice() {
                [_, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
                [_] => None,
                other => panic!("Dockerfile:{}: unexpected FROM {other:?}", instr.line),
            };
            stages.push(Stage {
                image,
                name,
                instrs: Vec::new(),
            });
        } else {
            stages
                .last_mut()
                .unwrap_or_else(|| panic!("Dockerfile:{}: instruction before FROM", instr.line))
                .instrs
                .push(instr.clone());
        }
    }
    stages
}

fn dockerfile_stages() -> Vec<Stage> {
    stages(&parse_dockerfile(&read(DOCKERFILE)))
}

impl Stage {
    fn all(&self, keyword: &str) -> Vec<&Instr> {
        self.instrs
            .iter()
            .filter(|i| i.keyword == keyword)
            .collect()
    }
    fn last(&self, keyword: &str) -> Option<&Instr> {
        self.instrs.iter().rev().find(|i| i.keyword == keyword)
    }
    fn position(&self, pred: impl Fn(&Instr) -> bool) -> Option<usize> {
        self.instrs.iter().position(pred)
    }
}

/// Parses an exec-form (JSON array) argument list; panics naming the instruction otherwise.
fn exec_form(instr: &Instr, args: &str) -> Vec<String> {
    assert!(
        args.trim_start().starts_with('['),
        "Dockerfile:{}: {} must use exec form (a JSON array), got shell form: {args}",
        instr.line,
        instr.keyword
    );
    serde_json::from_str(args).unwrap_or_else(|e| {
        panic!(
            "Dockerfile:{}: {} is not a valid JSON array ({e}): {args}",
            instr.line, instr.keyword
        )
    })
}

/// `(name, tag, digest)` of an image reference.
fn image_ref(image: &str) -> (String, Option<String>, Option<String>) {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest.to_string())),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[last_slash..].rfind(':') {
        Some(colon) => {
            let at = last_slash + colon;
            (
                rest[..at].to_string(),
                Some(rest[at + 1..].to_string()),
                digest,
            )
        }
        None => (rest.to_string(), None, digest),
    }
}

/// Tags that move between unrelated releases: not a pin.
const FLOATING_TAGS: &[&str] = &[
    "latest",
    "slim",
    "stable",
    "stable-slim",
    "testing",
    "testing-slim",
    "unstable",
    "sid",
    "edge",
    "rolling",
    "nightly",
    "beta",
    "current",
    "lts",
];

fn final_entrypoint() -> Vec<String> {
    let stages = dockerfile_stages();
    let last = stages.last().expect("Dockerfile has no FROM");
    let entry = last
        .last("ENTRYPOINT")
        .expect("the final stage of the Dockerfile has no ENTRYPOINT");
    exec_form(entry, &entry.args)
}

fn dockerfile_user() -> (String, Option<String>) {
    let stages = dockerfile_stages();
    let user = stages
        .last()
        .unwrap()
        .last("USER")
        .expect("the final stage of the Dockerfile sets no USER, so the image runs as root");
    match user.args.split_once(':') {
        Some((u, g)) => (u.to_string(), Some(g.to_string())),
        None => (user.args.clone(), None),
    }
}

#[test]
fn dockerfile_is_multi_stage_with_pinned_base_images() {
    let stages = dockerfile_stages();
    assert!(
        stages.len() >= 2,
        "the Dockerfile must be multi-stage (builder + runtime); found {} stage(s)",
        stages.len()
    );
    let names: Vec<&str> = stages.iter().filter_map(|s| s.name.as_deref()).collect();
    for stage in &stages {
        if names.contains(&stage.image.as_str()) {
            continue; // FROM an earlier stage
        }
        let (name, tag, digest) = image_ref(&stage.image);
        if digest.is_some() {
            continue; // pinned by content
        }
        let tag = tag.unwrap_or_else(|| {
            panic!(
                "base image `{}` has no tag: pin one (never implicit latest)",
                stage.image
            )
        });
        assert!(
            !FLOATING_TAGS.contains(&tag.as_str()),
            "base image `{name}:{tag}` uses a floating tag: pin a version or release"
        );
    }
    // The toolchain is pinned to a version, not just a Debian release.
    let builder = &stages[0];
    let (name, tag, _) = image_ref(&builder.image);
    assert!(
        name.ends_with("rust"),
        "the builder should be a rust image: {}",
        builder.image
    );
    let tag = tag.unwrap_or_default();
    assert!(
        tag.split(['-', '.'])
            .next()
            .is_some_and(|major| major.parse::<u32>().is_ok())
            && tag.contains('.'),
        "the rust builder tag should pin MAJOR.MINOR, got `{tag}`"
    );
    let builder_name = builder
        .name
        .as_deref()
        .expect("the builder stage needs a name (AS ...)");
    let last = stages.last().unwrap();
    assert!(
        last.all("COPY")
            .iter()
            .any(|c| c.args.contains(&format!("--from={builder_name}"))
                && c.args.contains("epigraph")),
        "the runtime stage must COPY the epigraph binary --from={builder_name}"
    );
    assert!(
        last.all("COPY").iter().all(|c| c.args.contains("--from=")),
        "the runtime stage should take files only from the builder (no source in the image)"
    );
}

#[test]
fn dockerfile_caches_dependencies_before_copying_sources() {
    let stages = dockerfile_stages();
    let b = &stages[0];
    let is_copy_of = |i: &Instr, what: &str| {
        i.keyword == "COPY"
            && i.args
                .split_whitespace()
                .any(|w| w.trim_end_matches('/') == what)
    };
    let manifest = b
        .position(|i| is_copy_of(i, "Cargo.toml") && is_copy_of(i, "Cargo.lock"))
        .expect("builder: no `COPY Cargo.toml Cargo.lock ...` (the dependency layer's input)");
    let dep_build = b
        .position(|i| i.keyword == "RUN" && i.args.contains("cargo build"))
        .expect("builder: no RUN cargo build");
    let src = b
        .position(|i| is_copy_of(i, "src"))
        .expect("builder: src/ is never copied");
    let quotes = b.position(|i| is_copy_of(i, "quotes")).expect(
        "builder: quotes/ is never copied, but the binary embeds it at compile time (include_dir)",
    );
    let final_build = b
        .instrs
        .iter()
        .rposition(|i| i.keyword == "RUN" && i.args.contains("cargo build"));
    assert!(
        manifest < dep_build && dep_build < src,
        "builder: the order must be COPY Cargo.toml Cargo.lock -> RUN cargo build (dependencies) -> \
         COPY src, so that source edits keep the dependency layer cached"
    );
    let final_build = final_build.unwrap();
    assert!(
        final_build > src && final_build > quotes,
        "builder: the last cargo build must come after copying src/ and quotes/"
    );
    for i in [dep_build, final_build] {
        let run = &b.instrs[i];
        assert!(
            run.args.contains("--release") && run.args.contains("--locked"),
            "Dockerfile:{}: cargo build should use --release --locked",
            run.line
        );
    }
    // The stub build must not leave epigraph's own artefacts behind: their mtimes would be newer
    // than the copied sources and cargo would keep the stub binary.
    let dep = &b.instrs[dep_build].args;
    assert!(
        dep.contains(".fingerprint/epigraph") || dep.contains("touch src/"),
        "builder: after the stub build, remove target/release/.fingerprint/epigraph-* (or touch the \
         real sources) so that the real build is not skipped"
    );
}

/// Cargo refuses a manifest whose explicitly declared targets have no source file, so every
/// `[[bench]]`/`[[example]]`/`[[test]]`/`[[bin]]` must exist in the image at both builds.
#[test]
fn dockerfile_provides_every_declared_cargo_target() {
    let manifest = read("Cargo.toml");
    let mut targets = Vec::new();
    let mut section = String::new();
    let mut name = None;
    let mut path = None;
    let mut flush = |section: &str, name: &mut Option<String>, path: &mut Option<String>| {
        let dir = match section {
            "[[bench]]" => "benches",
            "[[example]]" => "examples",
            "[[test]]" => "tests",
            "[[bin]]" => "src/bin",
            _ => return,
        };
        let file = path
            .take()
            .or_else(|| name.as_ref().map(|n| format!("{dir}/{n}.rs")));
        if let Some(file) = file.filter(|f| f != "src/main.rs") {
            targets.push(file);
        }
        *name = None;
    };
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&section, &mut name, &mut path);
            section = line.to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            let v = v.trim().trim_matches('"').to_string();
            match k.trim() {
                "name" => name = Some(v),
                "path" => path = Some(v),
                _ => {}
            }
        }
    }
    flush(&section, &mut name, &mut path);
    assert!(
        !root().join("build.rs").exists() || read(DOCKERFILE).contains("build.rs"),
        "Cargo runs build.rs, but the Dockerfile never copies it"
    );

    let stages = dockerfile_stages();
    let b = &stages[0];
    let stub = b
        .instrs
        .iter()
        .find(|i| i.keyword == "RUN" && i.args.contains("cargo build"))
        .unwrap();
    let copied: Vec<String> = b
        .all("COPY")
        .iter()
        .flat_map(|c| {
            let words: Vec<&str> = c
                .args
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            words[..words.len().saturating_sub(1)]
                .iter()
                .map(|w| w.trim_end_matches('/').to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let ignore = DockerIgnore::load();
    for target in targets {
        assert!(
            stub.args.contains(&target),
            "Cargo.toml declares `{target}`: the dependency-layer RUN (Dockerfile:{}) must create a \
             stub for it, or cargo will refuse the manifest",
            stub.line
        );
        assert!(
            copied
                .iter()
                .any(|c| target == *c || target.starts_with(&format!("{c}/"))),
            "Cargo.toml declares `{target}`, but the builder stage never COPYs it"
        );
        assert!(
            !ignore.excludes(&target),
            ".dockerignore excludes `{target}`"
        );
    }
}

#[test]
fn dockerfile_runs_as_a_numeric_non_root_user() {
    let (user, group) = dockerfile_user();
    let uid: u32 = user.parse().unwrap_or_else(|_| {
        panic!(
            "USER `{user}` should be numeric: Kubernetes' runAsNonRoot can only verify a numeric \
             uid"
        )
    });
    assert_ne!(uid, 0, "USER must not be root");
    if let Some(group) = group {
        let gid: u32 = group.parse().expect("USER's group should be numeric too");
        assert_ne!(gid, 0, "USER's group must not be root");
    }
    let stages = dockerfile_stages();
    let last = stages.last().unwrap();
    let user_at = last.position(|i| i.keyword == "USER").unwrap();
    assert!(
        last.instrs[user_at..].iter().all(|i| i.keyword != "RUN"),
        "no RUN after USER in the runtime stage (it would run as the user, or switch back)"
    );
}

#[test]
fn dockerfile_entrypoint_is_exec_form_epigraph_serve_listen_8080() {
    let argv = final_entrypoint();
    let expected_tail = ["serve", "--listen", &format!("0.0.0.0:{HTTP_PORT}")];
    assert!(
        argv.len() == 4 && argv[0].ends_with("/epigraph") && argv[1..] == expected_tail,
        "ENTRYPOINT must be [\"/path/to/epigraph\", \"serve\", \"--listen\", \"0.0.0.0:{HTTP_PORT}\"], \
         got {argv:?}"
    );
    let stages = dockerfile_stages();
    let last = stages.last().unwrap();
    assert_eq!(
        last.all("ENTRYPOINT").len(),
        1,
        "exactly one ENTRYPOINT in the runtime stage"
    );
    let copied_to = last
        .all("COPY")
        .iter()
        .find_map(|c| {
            let words: Vec<&str> = c.args.split_whitespace().collect();
            (c.args.contains("--from=")).then(|| words.last().unwrap().to_string())
        })
        .expect("runtime stage copies no binary");
    assert!(
        copied_to == argv[0]
            || (copied_to.ends_with('/') && argv[0] == format!("{copied_to}epigraph")),
        "ENTRYPOINT runs {} but the binary is copied to {copied_to}",
        argv[0]
    );
    if let Some(cmd) = last.last("CMD") {
        exec_form(cmd, &cmd.args);
    }
}

#[test]
fn dockerfile_exposes_the_listen_port_and_health_checks_healthz() {
    let stages = dockerfile_stages();
    let last = stages.last().unwrap();
    let exposed: Vec<String> = last
        .all("EXPOSE")
        .iter()
        .flat_map(|e| {
            e.args
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        exposed
            .iter()
            .any(|p| p == &HTTP_PORT.to_string() || p == &format!("{HTTP_PORT}/tcp")),
        "EXPOSE {HTTP_PORT} is missing (found {exposed:?})"
    );

    let hc = last
        .last("HEALTHCHECK")
        .expect("the runtime stage has no HEALTHCHECK");
    assert_ne!(
        hc.args.trim().to_ascii_uppercase(),
        "NONE",
        "HEALTHCHECK NONE is not a health check"
    );
    let (options, cmd) = hc
        .args
        .split_once("CMD ")
        .unwrap_or_else(|| panic!("Dockerfile:{}: HEALTHCHECK without CMD", hc.line));
    for opt in ["--interval=", "--timeout="] {
        assert!(options.contains(opt), "HEALTHCHECK should set {opt}");
    }
    let argv = exec_form(hc, cmd);
    let joined = argv.join(" ");
    assert!(
        joined.contains("/healthz"),
        "HEALTHCHECK must request /healthz: {joined}"
    );
    assert!(
        joined.contains(&format!("/{HTTP_PORT}")) || joined.contains(&format!(":{HTTP_PORT}")),
        "HEALTHCHECK must target the listen port {HTTP_PORT}: {joined}"
    );
    // The program must exist in the runtime image.
    let base = &last.image;
    if base.contains("distroless") || base == "scratch" {
        assert!(
            argv[0].ends_with("/epigraph"),
            "{base} has no shell or curl: the HEALTHCHECK can only run the epigraph binary, not {}",
            argv[0]
        );
    } else {
        let uses_tool = |tool: &str| argv[0].ends_with(tool);
        if uses_tool("curl") || uses_tool("wget") {
            assert!(
                last.all("RUN")
                    .iter()
                    .any(|r| r.args.contains(argv[0].rsplit('/').next().unwrap())),
                "HEALTHCHECK uses {} but the runtime stage never installs it",
                argv[0]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// .dockerignore
// ---------------------------------------------------------------------------------------------

/// Docker's .dockerignore rules: patterns in order, the last match wins, `!` re-includes, a
/// pattern that matches a directory matches everything under it, `*`/`?` stay within one path
/// element and `**` spans any number of them.
struct DockerIgnore {
    rules: Vec<(bool, Vec<String>)>,
}

impl DockerIgnore {
    fn load() -> DockerIgnore {
        let rules = read(DOCKERIGNORE)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (include, pat) = match l.strip_prefix('!') {
                    Some(p) => (true, p.trim()),
                    None => (false, l),
                };
                let segs = pat
                    .trim_start_matches('/')
                    .trim_end_matches('/')
                    .split('/')
                    .filter(|s| !s.is_empty() && *s != ".")
                    .map(str::to_string)
                    .collect();
                (include, segs)
            })
            .collect();
        DockerIgnore { rules }
    }

    fn excludes(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').collect();
        let mut excluded = false;
        for (include, pat) in &self.rules {
            let hit = (1..=segs.len()).any(|n| glob_segments(pat, &segs[..n]));
            if hit {
                excluded = !include;
            }
        }
        excluded
    }
}

fn glob_segments(pat: &[String], path: &[&str]) -> bool {
    match pat.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| glob_segments(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((seg, path_rest)) => {
                glob_one(first.as_bytes(), seg.as_bytes()) && glob_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

fn glob_one(pat: &[u8], s: &[u8]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob_one(rest, &s[i..])),
        Some((b'?', rest)) => !s.is_empty() && glob_one(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && glob_one(rest, &s[1..]),
    }
}

fn files_under(rel: &str) -> Vec<String> {
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

#[test]
fn dockerignore_keeps_every_build_input_and_drops_the_rest() {
    let ignore = DockerIgnore::load();
    // The matcher itself, on Docker's documented semantics.
    let probe = DockerIgnore {
        rules: vec![
            (false, vec!["*".into()]),
            (true, vec!["src".into()]),
            (false, vec!["**".into(), "*.swp".into()]),
        ],
    };
    assert!(
        probe.excludes("target/x") && !probe.excludes("src/a/b.rs") && probe.excludes("src/.x.swp")
    );

    let mut needed: Vec<String> = vec!["Cargo.toml".into(), "Cargo.lock".into()];
    for dir in ["src", "quotes", "benches"] {
        let files = files_under(dir);
        assert!(!files.is_empty(), "{dir}/ is empty?");
        needed.extend(files);
    }
    for file in &needed {
        assert!(
            !ignore.excludes(file),
            ".dockerignore excludes `{file}`, which the build needs{}",
            if file.starts_with("quotes/") {
                " (quotes/ is embedded into the binary at compile time)"
            } else {
                ""
            }
        );
    }
    for junk in [
        "target/release/epigraph",
        ".git/HEAD",
        "tests/deploy.rs",
        "deploy/kubernetes/deployment.yaml",
        "docs/deploy.md",
    ] {
        assert!(
            ignore.excludes(junk),
            ".dockerignore should keep `{junk}` out of the build context"
        );
    }
    // Every COPY source of the builder must reach the context.
    let stages = dockerfile_stages();
    for copy in stages[0].all("COPY") {
        let words: Vec<&str> = copy
            .args
            .split_whitespace()
            .filter(|w| !w.starts_with("--"))
            .collect();
        for src in &words[..words.len() - 1] {
            let src = src.trim_end_matches('/');
            assert!(
                root().join(src).exists(),
                "Dockerfile:{}: COPY {src}: no such path",
                copy.line
            );
            assert!(
                !ignore.excludes(src),
                "Dockerfile:{}: COPY {src}, but .dockerignore excludes it",
                copy.line
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------------------------

/// A unit file: sections, each with its assignments in order (keys may repeat).
struct Unit {
    file: String,
    sections: BTreeMap<String, Vec<(String, String)>>,
}

impl Unit {
    fn load(rel: &str) -> Unit {
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
    fn list(&self, section: &str, key: &str) -> Vec<String> {
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
    fn get(&self, section: &str, key: &str) -> Option<String> {
        self.sections
            .get(section)?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn expect(&self, section: &str, key: &str, want: &str) {
        let got = self.get(section, key);
        assert_eq!(
            got.as_deref(),
            Some(want),
            "{}: [{section}] {key} should be {want}",
            self.file
        );
    }

    /// Whether the key is assigned at all, even to the empty string.
    fn assigned(&self, section: &str, key: &str) -> bool {
        self.sections
            .get(section)
            .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
    }

    /// Space-separated tokens of a list-valued key, in order, after resets.
    fn tokens(&self, section: &str, key: &str) -> Vec<String> {
        self.list(section, key)
            .iter()
            .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    /// The argv of the effective `ExecStart=` (exactly one after resets).
    fn exec_start(&self) -> Vec<String> {
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

#[test]
fn systemd_service_is_hardened() {
    let unit = Unit::load(SERVICE);
    let yes = [
        "DynamicUser",
        "NoNewPrivileges",
        "PrivateTmp",
        "PrivateDevices",
        "PrivateMounts",
        "ProtectHome",
        "ProtectKernelTunables",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectClock",
        "ProtectHostname",
        "RestrictNamespaces",
        "RestrictRealtime",
        "RestrictSUIDSGID",
        "LockPersonality",
        "MemoryDenyWriteExecute",
    ];
    for key in yes {
        unit.expect("Service", key, "yes");
    }
    unit.expect("Service", "ProtectSystem", "strict");
    unit.expect("Service", "SystemCallArchitectures", "native");
    assert!(
        unit.get("Service", "User").is_none(),
        "{SERVICE}: no User= (DynamicUser allocates one)"
    );
    // No capabilities at all: the bounding set is assigned and empty.
    assert!(
        unit.assigned("Service", "CapabilityBoundingSet")
            && unit.tokens("Service", "CapabilityBoundingSet").is_empty(),
        "{SERVICE}: CapabilityBoundingSet= must be set and empty (the HTTP daemon needs none); got {:?}",
        unit.tokens("Service", "CapabilityBoundingSet")
    );
    assert!(
        unit.tokens("Service", "AmbientCapabilities").is_empty(),
        "{SERVICE}: no ambient capabilities"
    );
    let families: BTreeSet<String> = unit
        .tokens("Service", "RestrictAddressFamilies")
        .into_iter()
        .collect();
    assert!(
        families.contains("AF_INET") && families.contains("AF_INET6"),
        "{SERVICE}: RestrictAddressFamilies must allow AF_INET and AF_INET6, got {families:?}"
    );
    let allowed: BTreeSet<String> = ["AF_INET", "AF_INET6", "AF_UNIX"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        families.is_subset(&allowed),
        "{SERVICE}: RestrictAddressFamilies should allow only IP and unix sockets, got {families:?}"
    );
    let filter = unit.tokens("Service", "SystemCallFilter");
    assert!(
        filter.iter().any(|t| t == "@system-service"),
        "{SERVICE}: SystemCallFilter=@system-service is missing, got {filter:?}"
    );

    let argv = unit.exec_start();
    assert!(
        argv[0].ends_with("/epigraph") && argv[1] == "serve",
        "{SERVICE}: ExecStart must run `epigraph serve`: {argv:?}"
    );
    assert_eq!(
        argv[0],
        final_entrypoint()[0],
        "{SERVICE} and the Dockerfile should agree on where the binary is installed"
    );
    assert!(
        argv.iter().any(|a| a == "--listen"),
        "{SERVICE}: ExecStart should say --listen explicitly"
    );
    let quotes = argv
        .iter()
        .position(|a| a == "--quotes")
        .map(|i| argv[i + 1].clone());
    assert_eq!(
        quotes.as_deref(),
        Some(QUOTES_DIR),
        "{SERVICE}: extra collections from {QUOTES_DIR}"
    );
    assert!(
        unit.tokens("Service", "ConfigurationDirectory")
            .iter()
            .any(|d| format!("/etc/{d}") == QUOTES_DIR),
        "{SERVICE}: ConfigurationDirectory= should create {QUOTES_DIR}, or the daemon fails on a fresh host"
    );
    let reload = unit.get("Service", "ExecReload").unwrap_or_default();
    assert!(
        reload.contains("-HUP") && reload.contains("$MAINPID"),
        "{SERVICE}: ExecReload should send SIGHUP (reload collections)"
    );
    unit.expect("Install", "WantedBy", "multi-user.target");
}

#[test]
fn systemd_qotd_socket_hands_port_17_to_the_service() {
    let socket = Unit::load(QOTD_SOCKET);
    let port = |v: &str| v.rsplit(':').next().and_then(|p| p.parse::<u16>().ok());
    let streams = socket.list("Socket", "ListenStream");
    let datagrams = socket.list("Socket", "ListenDatagram");
    assert!(
        streams.iter().any(|s| port(s) == Some(QOTD_PORT)),
        "{QOTD_SOCKET}: ListenStream={QOTD_PORT} missing ({streams:?})"
    );
    assert!(
        datagrams.iter().any(|s| port(s) == Some(QOTD_PORT)),
        "{QOTD_SOCKET}: ListenDatagram={QOTD_PORT} missing ({datagrams:?})"
    );
    let service = socket
        .get("Socket", "Service")
        .expect("Service= names the daemon that gets the sockets");
    assert!(
        root().join("contrib/systemd").join(&service).exists(),
        "{QOTD_SOCKET}: Service={service} is not shipped in contrib/systemd"
    );
    assert_ne!(
        socket.get("Socket", "Accept").as_deref(),
        Some("yes"),
        "one daemon, not one per connection"
    );
    socket.expect("Socket", "FileDescriptorName", "qotd");
    socket.expect("Install", "WantedBy", "sockets.target");
}

#[test]
fn systemd_qotd_capability_dropin_grants_only_net_bind_service() {
    let base = Unit::load(SERVICE);
    let dropin = Unit::load(QOTD_DROPIN);
    let starts: Vec<&(String, String)> = dropin.sections["Service"]
        .iter()
        .filter(|(k, _)| k == "ExecStart")
        .collect();
    assert!(
        starts.len() == 2 && starts[0].1.is_empty(),
        "{QOTD_DROPIN}: a drop-in must reset ExecStart= (empty) before setting it"
    );
    let argv = dropin.exec_start();
    let base_argv = base.exec_start();
    assert_eq!(
        argv[..base_argv.len()],
        base_argv[..],
        "{QOTD_DROPIN}: ExecStart should be the service's ExecStart plus the QOTD flags"
    );
    for flag in ["--qotd", "--qotd-udp"] {
        let value = argv
            .iter()
            .position(|a| a == flag)
            .map(|i| argv[i + 1].clone());
        assert!(
            value
                .as_deref()
                .is_some_and(|v| v.ends_with(&format!(":{QOTD_PORT}"))),
            "{QOTD_DROPIN}: {flag} ADDR:{QOTD_PORT} missing ({argv:?})"
        );
    }
    assert_eq!(
        dropin.tokens("Service", "AmbientCapabilities"),
        ["CAP_NET_BIND_SERVICE"]
    );
    assert_eq!(
        dropin.tokens("Service", "CapabilityBoundingSet"),
        ["CAP_NET_BIND_SERVICE"]
    );
    dropin.expect("Service", "PrivateUsers", "no");
}

/// `systemd-analyze verify` on the units, in a scratch root with a stand-in binary. Skipped,
/// saying so, where systemd-analyze is not installed.
#[test]
fn systemd_units_pass_systemd_analyze_verify() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("systemd-analyze not installed: skipping `systemd-analyze verify`");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let r = scratch.path();
    let units = r.join("etc/systemd/system");
    std::fs::create_dir_all(units.join("epigraph.service.d")).unwrap();
    std::fs::create_dir_all(r.join("usr/local/bin")).unwrap();
    std::fs::create_dir_all(r.join("bin")).unwrap();
    std::fs::create_dir_all(r.join("lib/systemd")).unwrap();
    // A stand-in: verify only checks that ExecStart's program exists and is executable.
    let stand_in = r.join("usr/local/bin/epigraph");
    std::fs::write(&stand_in, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(
        &stand_in,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    for tool in ["/bin/kill", "/usr/bin/kill"] {
        if Path::new(tool).exists() {
            std::fs::copy(tool, r.join("bin/kill")).unwrap();
            break;
        }
    }
    copy_tree(
        Path::new("/lib/systemd/system"),
        &r.join("lib/systemd/system"),
    );
    std::fs::copy(root().join(SERVICE), units.join("epigraph.service")).unwrap();
    std::fs::copy(root().join(QOTD_SOCKET), units.join("epigraph-qotd.socket")).unwrap();
    let verify = |what: &[&str]| {
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(format!("--root={}", r.display()))
            .args(what)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "systemd-analyze verify {what:?}:\n{stderr}"
        );
    };
    verify(&["epigraph.service", "epigraph-qotd.socket"]);
    std::fs::copy(
        root().join(QOTD_DROPIN),
        units.join("epigraph.service.d/qotd.conf"),
    )
    .unwrap();
    verify(&["epigraph.service"]);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let Ok(meta) = std::fs::symlink_metadata(&src) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            if let Ok(target) = std::fs::read_link(&src) {
                let _ = std::os::unix::fs::symlink(target, &dst);
            }
        } else if meta.is_dir() {
            copy_tree(&src, &dst);
        } else {
            let _ = std::fs::copy(&src, &dst);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------------------------

struct Doc {
    file: String,
    v: Value,
}

impl Doc {
    fn load(rel: &str) -> Doc {
        let v: Value = serde_yaml_ng::from_str(&read(rel))
            .unwrap_or_else(|e| panic!("{rel}: invalid YAML: {e}"));
        Doc {
            file: rel.to_string(),
            v,
        }
    }

    fn opt(&self, path: &str) -> Option<&Value> {
        at(&self.v, path)
    }

    fn at(&self, path: &str) -> &Value {
        self.opt(path)
            .unwrap_or_else(|| panic!("{}: `{path}` is missing", self.file))
    }

    fn str(&self, path: &str) -> &str {
        self.at(path)
            .as_str()
            .unwrap_or_else(|| panic!("{}: `{path}` should be a string", self.file))
    }

    fn int(&self, path: &str) -> i64 {
        self.at(path)
            .as_i64()
            .unwrap_or_else(|| panic!("{}: `{path}` should be an integer", self.file))
    }

    fn bool(&self, path: &str) -> Option<bool> {
        self.opt(path).and_then(Value::as_bool)
    }
}

/// `a.b.0.c`-style lookup.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(v, |v, seg| match seg.parse::<usize>() {
            Ok(i) => v.as_sequence()?.get(i),
            Err(_) => v.get(seg),
        })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .map(|x| x.as_str().expect("a list of strings").to_string())
                .collect()
        })
        .unwrap_or_default()
}

const C: &str = "spec.template.spec.containers.0";

fn deployment() -> Doc {
    let d = Doc::load(DEPLOYMENT);
    assert_eq!(d.str("kind"), "Deployment");
    assert_eq!(d.str("apiVersion"), "apps/v1");
    let containers = d.at("spec.template.spec.containers").as_sequence().unwrap();
    assert_eq!(containers.len(), 1, "{DEPLOYMENT}: one container");
    d
}

/// The container port a probe or Service `port`/`targetPort` refers to (by name or number).
fn resolve_port(d: &Doc, port: &Value) -> i64 {
    if let Some(n) = port.as_i64() {
        return n;
    }
    let name = port.as_str().expect("port is a number or a name");
    d.at(&format!("{C}.ports"))
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("containerPort"))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{DEPLOYMENT}: no container port named `{name}`"))
}

/// Kubernetes quantities: `100m`, `1`, `0.5` CPU; `32Mi`, `1Gi`, `128M` bytes.
fn quantity(v: &Value) -> f64 {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a quantity: {other:?}"),
    };
    let units = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("m", 0.001),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
    ];
    for (suffix, factor) in units {
        if let Some(n) = s.strip_suffix(suffix) {
            return n
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("bad quantity {s}"))
                * factor;
        }
    }
    s.parse().unwrap_or_else(|_| panic!("bad quantity {s}"))
}

fn container_argv(d: &Doc) -> Vec<String> {
    let mut argv = strings(d.opt(&format!("{C}.command")));
    argv.extend(strings(d.opt(&format!("{C}.args"))));
    argv
}

#[test]
fn k8s_manifests_parse_and_are_labelled() {
    let mut files: Vec<String> = files_under(K8S_DIR);
    files.retain(|f| f.ends_with(".yaml") || f.ends_with(".yml"));
    assert!(
        files.len() >= 5,
        "deploy/kubernetes: expected at least 5 manifests, found {files:?}"
    );
    for file in &files {
        let d = Doc::load(file);
        d.str("apiVersion");
        let kind = d.str("kind");
        if kind != "Kustomization" {
            d.str("metadata.name");
            let labels = d.at("metadata.labels");
            assert_eq!(
                labels.get("app.kubernetes.io/name").and_then(Value::as_str),
                Some("epigraph"),
                "{file}: label app.kubernetes.io/name=epigraph"
            );
        }
    }
    let k = Doc::load(KUSTOMIZATION);
    let resources = strings(k.opt("resources"));
    for file in &files {
        let name = Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name == "kustomization.yaml" || name == "configmap-example.yaml" {
            continue;
        }
        assert!(
            resources.contains(&name),
            "{KUSTOMIZATION}: `{name}` is not in resources"
        );
    }
    for r in &resources {
        assert!(
            root().join(K8S_DIR).join(r).exists(),
            "{KUSTOMIZATION}: resource {r} does not exist"
        );
    }
}

#[test]
fn k8s_deployment_runs_three_probed_replicas() {
    let d = deployment();
    assert_eq!(d.int("spec.replicas"), 3, "{DEPLOYMENT}: 3 replicas");
    let selector = d.at("spec.selector.matchLabels").as_mapping().unwrap();
    let labels = d.at("spec.template.metadata.labels").as_mapping().unwrap();
    for (k, v) in selector {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{DEPLOYMENT}: selector label {k:?} missing on the pod template"
        );
    }

    let ports = d.at(&format!("{C}.ports")).as_sequence().unwrap();
    let http = ports
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some("http"))
        .expect("a container port named http");
    assert_eq!(
        http.get("containerPort").and_then(Value::as_i64),
        Some(i64::from(HTTP_PORT))
    );
    assert_eq!(
        http.get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP"),
        "TCP"
    );

    for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
        let p = format!("{C}.{probe}.httpGet");
        assert_eq!(
            d.str(&format!("{p}.path")),
            path,
            "{DEPLOYMENT}: {probe} must GET {path}"
        );
        assert_eq!(
            resolve_port(&d, d.at(&format!("{p}.port"))),
            i64::from(HTTP_PORT),
            "{DEPLOYMENT}: {probe} must hit the HTTP port"
        );
        let period = d
            .opt(&format!("{C}.{probe}.periodSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(10);
        let timeout = d
            .opt(&format!("{C}.{probe}.timeoutSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(1);
        assert!(
            timeout < period,
            "{DEPLOYMENT}: {probe} timeout must be shorter than its period"
        );
    }

    for resource in ["cpu", "memory"] {
        let req = quantity(d.at(&format!("{C}.resources.requests.{resource}")));
        let lim = quantity(d.at(&format!("{C}.resources.limits.{resource}")));
        assert!(
            req > 0.0 && req <= lim,
            "{DEPLOYMENT}: {resource} request must be > 0 and <= limit"
        );
    }
    // Issue 4's idle RSS target is 15 MB: the memory request must at least cover it.
    assert!(quantity(d.at(&format!("{C}.resources.requests.memory"))) >= 15e6);

    let image = d.str(&format!("{C}.image"));
    let (_, tag, digest) = image_ref(image);
    assert!(
        digest.is_some() || tag.as_deref().is_some_and(|t| !FLOATING_TAGS.contains(&t)),
        "{DEPLOYMENT}: image `{image}` must carry a version tag (or digest), not latest"
    );
}

#[test]
fn k8s_deployment_is_locked_down_and_matches_the_image_user() {
    let d = deployment();
    let sc = format!("{C}.securityContext");
    assert_eq!(
        d.bool(&format!("{sc}.allowPrivilegeEscalation")),
        Some(false),
        "allowPrivilegeEscalation: false"
    );
    assert_eq!(
        d.bool(&format!("{sc}.readOnlyRootFilesystem")),
        Some(true),
        "readOnlyRootFilesystem: true"
    );
    assert_ne!(
        d.bool(&format!("{sc}.privileged")),
        Some(true),
        "never privileged"
    );
    assert!(
        d.bool(&format!("{sc}.runAsNonRoot")) == Some(true)
            || d.bool("spec.template.spec.securityContext.runAsNonRoot") == Some(true),
        "runAsNonRoot: true"
    );
    assert_eq!(
        strings(d.opt(&format!("{sc}.capabilities.drop"))),
        ["ALL"],
        "capabilities.drop: [ALL]"
    );
    assert!(
        strings(d.opt(&format!("{sc}.capabilities.add"))).is_empty(),
        "no added capabilities"
    );
    assert_eq!(
        d.str("spec.template.spec.securityContext.seccompProfile.type"),
        "RuntimeDefault"
    );
    assert_eq!(
        d.bool("spec.template.spec.automountServiceAccountToken"),
        Some(false)
    );

    let (uid, gid) = dockerfile_user();
    let run_as = d
        .opt(&format!("{sc}.runAsUser"))
        .or_else(|| d.opt("spec.template.spec.securityContext.runAsUser"))
        .and_then(Value::as_i64)
        .expect("runAsUser");
    assert_eq!(
        run_as.to_string(),
        uid,
        "{DEPLOYMENT}: runAsUser should be the image's USER"
    );
    if let Some(gid) = gid {
        let run_as_group = d
            .opt(&format!("{sc}.runAsGroup"))
            .or_else(|| d.opt("spec.template.spec.securityContext.runAsGroup"))
            .and_then(Value::as_i64);
        assert_eq!(
            run_as_group.map(|g| g.to_string()),
            Some(gid),
            "runAsGroup should be the image's group"
        );
    }
}

#[test]
fn k8s_deployment_runs_the_image_entrypoint_on_the_container_port() {
    let d = deployment();
    let argv = container_argv(&d);
    let entry = final_entrypoint();
    assert_eq!(
        argv.first(),
        entry.first(),
        "{DEPLOYMENT}: command should be the image's binary"
    );
    assert_eq!(argv.get(1).map(String::as_str), Some("serve"));
    let listen = argv
        .iter()
        .position(|a| a == "--listen")
        .map(|i| argv[i + 1].clone());
    assert_eq!(
        listen,
        Some(format!("0.0.0.0:{HTTP_PORT}")),
        "{DEPLOYMENT}: --listen must be 0.0.0.0:<containerPort> (probes come from the node, not loopback)"
    );
}

#[test]
fn k8s_service_and_autoscaler_target_the_deployment() {
    let d = deployment();
    let labels = d.at("spec.template.metadata.labels").as_mapping().unwrap();

    let s = Doc::load(K8S_SERVICE);
    assert_eq!(s.str("kind"), "Service");
    for (k, v) in s.at("spec.selector").as_mapping().unwrap() {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{K8S_SERVICE}: selector {k:?} does not match the pods"
        );
    }
    let port = s
        .at("spec.ports")
        .as_sequence()
        .unwrap()
        .first()
        .expect("a port");
    assert_eq!(
        resolve_port(&d, port.get("targetPort").expect("targetPort")),
        i64::from(HTTP_PORT)
    );
    assert_ne!(
        s.opt("spec.sessionAffinity").and_then(Value::as_str),
        Some("ClientIP"),
        "replicas need no affinity"
    );

    let h = Doc::load(HPA);
    assert_eq!(h.str("kind"), "HorizontalPodAutoscaler");
    assert_eq!(h.str("apiVersion"), "autoscaling/v2");
    assert_eq!(h.str("spec.scaleTargetRef.kind"), "Deployment");
    assert_eq!(h.str("spec.scaleTargetRef.apiVersion"), "apps/v1");
    assert_eq!(h.str("spec.scaleTargetRef.name"), d.str("metadata.name"));
    let (min, max) = (h.int("spec.minReplicas"), h.int("spec.maxReplicas"));
    assert_eq!(
        min,
        d.int("spec.replicas"),
        "{HPA}: minReplicas should equal the Deployment's replicas"
    );
    assert!(max > min, "{HPA}: maxReplicas must exceed minReplicas");
    let metrics = h.at("spec.metrics").as_sequence().unwrap();
    for m in metrics {
        if let Some(name) = at(m, "resource.name").and_then(Value::as_str) {
            assert!(
                d.opt(&format!("{C}.resources.requests.{name}")).is_some(),
                "{HPA}: scales on {name} utilisation, so the container needs a {name} request"
            );
        }
    }

    let p = Doc::load(PDB);
    assert_eq!(p.str("kind"), "PodDisruptionBudget");
    for (k, v) in p.at("spec.selector.matchLabels").as_mapping().unwrap() {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{PDB}: selector {k:?} does not match the pods"
        );
    }
    assert!(
        p.int("spec.minAvailable") < min,
        "{PDB}: minAvailable must leave room to evict a pod"
    );
}

#[test]
fn k8s_configmap_example_is_mounted_passed_and_loads() {
    let d = deployment();
    let cm = Doc::load(CONFIGMAP);
    assert_eq!(cm.str("kind"), "ConfigMap");
    let cm_name = cm.str("metadata.name");

    let volumes = d.at("spec.template.spec.volumes").as_sequence().unwrap();
    let volume = volumes
        .iter()
        .find(|v| at(v, "configMap.name").and_then(Value::as_str) == Some(cm_name))
        .unwrap_or_else(|| panic!("{DEPLOYMENT}: no volume from ConfigMap {cm_name}"));
    assert_eq!(
        at(volume, "configMap.optional").and_then(Value::as_bool),
        Some(true),
        "{DEPLOYMENT}: the ConfigMap volume must be optional, so the Deployment runs without it"
    );
    let vname = volume.get("name").and_then(Value::as_str).unwrap();
    let mount = d
        .at(&format!("{C}.volumeMounts"))
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m.get("name").and_then(Value::as_str) == Some(vname))
        .expect("the ConfigMap volume is mounted");
    assert_eq!(
        mount.get("mountPath").and_then(Value::as_str),
        Some(QUOTES_DIR)
    );
    assert_eq!(mount.get("readOnly").and_then(Value::as_bool), Some(true));
    let env = d.at(&format!("{C}.env")).as_sequence().unwrap();
    let quotes_env = env
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some("EPIGRAPH_QUOTES"))
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str);
    assert_eq!(
        quotes_env,
        Some(QUOTES_DIR),
        "{DEPLOYMENT}: EPIGRAPH_QUOTES={QUOTES_DIR}"
    );

    // The example's collections load in the real binary, as the pod would see the directory.
    let dir = tempfile::tempdir().unwrap();
    let data = cm.at("data").as_mapping().expect("data");
    assert!(!data.is_empty(), "{CONFIGMAP}: no collections in data");
    for (k, v) in data {
        let k = k.as_str().unwrap();
        assert!(!k.contains('/'), "ConfigMap keys are file names");
        std::fs::write(dir.path().join(k), v.as_str().expect("file text")).unwrap();
    }
    let out = epigraph()
        .args(["list", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "epigraph list failed on {CONFIGMAP}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{CONFIGMAP}: warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let extra: Vec<&serde_json::Value> = listed["collections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["embedded"] == serde_json::Value::Bool(false))
        .collect();
    assert_eq!(
        extra.len(),
        data.len(),
        "{CONFIGMAP}: each key should be one collection: {extra:?}"
    );
    assert!(
        extra.iter().all(|c| c["count"].as_u64().unwrap_or(0) > 0),
        "{CONFIGMAP}: empty collection: {extra:?}"
    );
}

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
