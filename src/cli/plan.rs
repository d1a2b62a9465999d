//! Turning `[N%] FILE ...` arguments into weighted groups of collection sources.

use super::CliError;
use crate::corpus::Source;
use crate::corpus::resolve::{SearchPath, Target, resolve};
use crate::corpus::weights::{self, Node, Shares};

/// The search path for collection names: `$EPIGRAPH_PATH`, `$FORTUNE_PATH`, then the
/// fortune directories.
pub fn search_path() -> SearchPath {
    SearchPath::new(
        std::env::var("EPIGRAPH_PATH").ok().as_deref(),
        std::env::var("FORTUNE_PATH").ok().as_deref(),
    )
}

/// Which collections plain names and the default set draw from (`-o`, `-a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offense {
    /// The normal collections (default).
    Normal,
    /// Only the `off/` directories (`-o`).
    Only,
    /// Both (`-a`).
    Also,
}

/// One argument of the plan: a target with an optional percentage.
#[derive(Debug, Clone)]
pub struct Group {
    /// Percentage given on the command line.
    pub percent: Option<f64>,
    /// What it names.
    pub target: Target,
    /// Whether it was named explicitly (labels show full paths then, as in fortune).
    pub named: bool,
}

/// All groups, in argument order, with their files flattened.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The groups.
    pub groups: Vec<Group>,
}

impl Plan {
    /// Parses the targets. Errors match fortune-mod's wording.
    pub fn build(
        targets: &[String],
        path: &SearchPath,
        offense: Offense,
    ) -> Result<Plan, CliError> {
        let mut groups = Vec::new();
        let mut pending: Option<f64> = None;
        let with_embedded = offense != Offense::Only;
        let lookup_path = match offense {
            Offense::Only => path.offensive(),
            _ => path.clone(),
        };
        for arg in targets {
            let (percent, name) = split_percent(arg)?;
            if let Some(p) = percent {
                if pending.is_some() {
                    return Err(CliError::Usage("percentages must precede files".into()));
                }
                if name.is_empty() {
                    pending = Some(p);
                    continue;
                }
                pending = Some(p);
            }
            if name == "all" {
                for target in default_targets(path, offense)? {
                    groups.push(Group {
                        percent: pending.take(),
                        target,
                        named: false,
                    });
                }
                continue;
            }
            let mut found = resolve(name, &lookup_path, with_embedded);
            if found.is_err() && offense == Offense::Also {
                found = resolve(name, &path.offensive(), false);
            }
            let target = found.map_err(CliError::NotFound)?;
            groups.push(Group {
                percent: pending.take(),
                target,
                named: true,
            });
        }
        if pending.is_some() {
            return Err(CliError::Usage("percentages must precede files".into()));
        }
        if groups.is_empty() {
            groups = default_targets(path, offense)?
                .into_iter()
                .map(|target| Group {
                    percent: None,
                    target,
                    named: false,
                })
                .collect();
        }
        Ok(Plan { groups })
    }

    /// Every collection source in order; collection `i` of a corpus loaded from it is leaf `i`.
    pub fn leaves(&self) -> Vec<Source> {
        self.groups
            .iter()
            .flat_map(|g| g.target.sources().iter().cloned())
            .collect()
    }

    /// How each leaf is named in `-c`, `-m` and `-f` output: the full label when the file
    /// itself was named, the bare name when it came from a directory.
    pub fn leaf_names(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|g| {
                g.target
                    .sources()
                    .iter()
                    .map(move |s| match (&g.target, g.named) {
                        (Target::File(_), true) => s.label(),
                        _ => s.name.clone(),
                    })
            })
            .collect()
    }

    /// Shares of every group and leaf, given each leaf's entry count.
    pub fn shares(&self, counts: &[usize], equal: bool) -> Result<Shares, CliError> {
        let mut rest = counts;
        let nodes: Vec<Node> = self
            .groups
            .iter()
            .map(|g| {
                let n = g.target.sources().len();
                let (mine, tail) = rest.split_at(n);
                rest = tail;
                Node {
                    percent: g.percent,
                    counts: mine.to_vec(),
                    is_dir: matches!(g.target, Target::Dir { .. }),
                }
            })
            .collect();
        weights::assign(&nodes, equal).map_err(CliError::Weights)
    }
}

/// The collections used when no file is named.
fn default_targets(path: &SearchPath, offense: Offense) -> Result<Vec<Target>, CliError> {
    let mut targets = Vec::new();
    if offense != Offense::Only {
        targets.push(Target::embedded());
    }
    if offense != Offense::Normal {
        for dir in path.offensive().existing() {
            if let Ok(target) = Target::dir(dir) {
                targets.push(target);
            }
        }
    }
    if targets.iter().all(|t| t.sources().is_empty()) {
        return Err(CliError::NoFortunes);
    }
    Ok(targets)
}

/// Splits `30%`, `30%name` or `name` into a percentage and the rest.
fn split_percent(arg: &str) -> Result<(Option<f64>, &str), CliError> {
    let Some((number, rest)) = arg.split_once('%') else {
        return Ok((None, arg));
    };
    let looks_numeric =
        !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !looks_numeric {
        return Ok((None, arg));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| CliError::Usage("percentages must be integers".into()))?;
    if number.contains('.') {
        return Err(CliError::Usage("percentages must be integers".into()));
    }
    if value > 100.0 {
        return Err(CliError::Usage("percentages must be <= 100".into()));
    }
    Ok((Some(value), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(args: &[&str]) -> Result<Plan, CliError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Plan::build(&args, &SearchPath { dirs: vec![] }, Offense::Normal)
    }

    #[test]
    fn percentages_attach_to_the_next_file() {
        let plan = build(&["30%", "pratchett", "20%tax-forms", "article-lines"]).unwrap();
        let percents: Vec<_> = plan.groups.iter().map(|g| g.percent).collect();
        assert_eq!(percents, [Some(30.0), Some(20.0), None]);
        assert_eq!(
            plan.leaf_names(),
            ["pratchett", "tax-forms", "article-lines"]
        );
    }

    #[test]
    fn default_is_the_embedded_group() {
        let plan = build(&[]).unwrap();
        assert_eq!(plan.groups.len(), 1);
        assert!(plan.leaves().len() >= 3);
        assert!(!plan.groups[0].named);
    }

    #[test]
    fn percentage_errors() {
        let msg = |args: &[&str]| build(args).unwrap_err().to_string();
        assert_eq!(msg(&["101%", "pratchett"]), "percentages must be <= 100");
        assert_eq!(msg(&["1.5%", "pratchett"]), "percentages must be integers");
        assert_eq!(msg(&["pratchett", "30%"]), "percentages must precede files");
        assert_eq!(
            msg(&["30%", "40%", "pratchett"]),
            "percentages must precede files"
        );
        assert!(msg(&["no-such-collection"]).contains("no collection, file or directory"));
    }
}
