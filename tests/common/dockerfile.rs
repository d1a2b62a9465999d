//! The Docker build's inputs, parsed: the Dockerfile (instructions, stages, exec-form argument
//! lists, image references, the runtime stage's ENTRYPOINT and USER) and `.dockerignore` (Docker's
//! matching rules). Part of the deployment tests' shared fixture (`common/deploy.rs`).

use super::{DOCKERFILE, DOCKERIGNORE, read};

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Instr {
    pub line: usize,
    pub keyword: String,
    pub args: String,
}

#[derive(Debug)]
pub struct Stage {
    pub image: String,
    pub name: Option<String>,
    pub instrs: Vec<Instr>,
}

/// Splits a Dockerfile into instructions: comments dropped (also inside continuations),
/// backslash continuations joined.
pub fn parse_dockerfile(text: &str) -> Vec<Instr> {
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

pub fn stages(instrs: &[Instr]) -> Vec<Stage> {
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

pub fn dockerfile_stages() -> Vec<Stage> {
    stages(&parse_dockerfile(&read(DOCKERFILE)))
}

impl Stage {
    pub fn all(&self, keyword: &str) -> Vec<&Instr> {
        self.instrs
            .iter()
            .filter(|i| i.keyword == keyword)
            .collect()
    }
    pub fn last(&self, keyword: &str) -> Option<&Instr> {
        self.instrs.iter().rev().find(|i| i.keyword == keyword)
    }
    pub fn position(&self, pred: impl Fn(&Instr) -> bool) -> Option<usize> {
        self.instrs.iter().position(pred)
    }
}

/// Parses an exec-form (JSON array) argument list; panics naming the instruction otherwise.
pub fn exec_form(instr: &Instr, args: &str) -> Vec<String> {
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
pub fn image_ref(image: &str) -> (String, Option<String>, Option<String>) {
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
pub const FLOATING_TAGS: &[&str] = &[
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

pub fn final_entrypoint() -> Vec<String> {
    let stages = dockerfile_stages();
    let last = stages.last().expect("Dockerfile has no FROM");
    let entry = last
        .last("ENTRYPOINT")
        .expect("the final stage of the Dockerfile has no ENTRYPOINT");
    exec_form(entry, &entry.args)
}

pub fn dockerfile_user() -> (String, Option<String>) {
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

// ---------------------------------------------------------------------------------------------
// .dockerignore
// ---------------------------------------------------------------------------------------------

/// Docker's .dockerignore rules: patterns in order, the last match wins, `!` re-includes, a
/// pattern that matches a directory matches everything under it, `*`/`?` stay within one path
/// element and `**` spans any number of them.
pub struct DockerIgnore {
    pub rules: Vec<(bool, Vec<String>)>,
}

impl DockerIgnore {
    pub fn load() -> DockerIgnore {
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

    pub fn excludes(&self, path: &str) -> bool {
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
