//! The Docker image's contract, checked statically (no Docker engine runs here): the Dockerfile
//! is multi-stage with pinned bases, caches the dependency layer, provides every declared cargo
//! target, runs as a numeric non-root user, has the exec-form ENTRYPOINT
//! `epigraph serve --listen 0.0.0.0:8080`, EXPOSEs that port and HEALTHCHECKs /healthz; and
//! `.dockerignore` keeps every build input (`quotes/` above all) while dropping the rest.

#[path = "common/deploy.rs"]
mod common;

use common::dockerfile::{
    DockerIgnore, FLOATING_TAGS, Instr, dockerfile_stages, dockerfile_user, exec_form,
    final_entrypoint, image_ref,
};
use common::{DOCKERFILE, HTTP_PORT, files_under, read, root};

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

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
    let assets = b.position(|i| is_copy_of(i, "assets")).expect(
        "builder: assets/ is never copied, but the binary embeds the card fonts (include_bytes)",
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
        final_build > src && final_build > quotes && final_build > assets,
        "builder: the last cargo build must come after copying src/, quotes/ and assets/"
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
    // assets/ holds the card fonts, compiled in with include_bytes.
    for dir in ["src", "quotes", "benches", "assets"] {
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
        "tests/deploy_docker.rs",
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
