//! How classic `fortune` shares probability among files: `N%` arguments first, the rest by
//! entry count (or equally with `-e`), and a directory's share split among its files the same
//! way.

/// One command-line argument: a file, or a directory of files, with an optional percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The percentage given before it, if any.
    pub percent: Option<f64>,
    /// Entry counts of its files (one for a file, one per file for a directory).
    pub counts: Vec<usize>,
    /// Whether the node is a directory (its share is split among `counts`).
    pub is_dir: bool,
}

/// Why the percentages cannot be honoured (fortune-mod's messages).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightError {
    /// The given percentages add up to more than 100.
    #[error("probabilities sum to {0}%!")]
    OverHundred(f64),
    /// Every argument has a percentage, and they add up to less than 100 (the number shown is
    /// the sum given, as fortune-mod shows it).
    #[error("no place to put residual probability ({0}%)")]
    Residual(f64),
    /// The percentages add up to 100 but some arguments have none.
    #[error("no probability left to put in residual files")]
    NothingLeft,
}

/// Percentages assigned to each node and to each file inside it (both out of 100).
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    /// Share of each node, in argument order.
    pub nodes: Vec<f64>,
    /// Share of each file of each node.
    pub files: Vec<Vec<f64>>,
}

impl Shares {
    /// Every file's share, flattened in argument order.
    pub fn flat(&self) -> Vec<f64> {
        self.files.iter().flatten().copied().collect()
    }
}

/// Splits `total` among `counts`, by count or equally.
fn split(total: f64, counts: &[usize], equal: bool) -> Vec<f64> {
    let sum: usize = counts.iter().sum();
    counts
        .iter()
        .map(|&c| match (equal, sum) {
            (true, _) => total / counts.len() as f64,
            (false, 0) => 0.0,
            (false, _) => total * c as f64 / sum as f64,
        })
        .collect()
}

/// Assigns shares to `nodes` as `fortune` does; `equal` is `-e`.
pub fn assign(nodes: &[Node], equal: bool) -> Result<Shares, WeightError> {
    let given: f64 = nodes.iter().filter_map(|n| n.percent).sum();
    let residual_nodes: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].percent.is_none())
        .collect();
    if given > 100.0 {
        return Err(WeightError::OverHundred(given));
    }
    if residual_nodes.is_empty() && given < 100.0 && !nodes.is_empty() {
        return Err(WeightError::Residual(given));
    }
    if !residual_nodes.is_empty() && given >= 100.0 {
        return Err(WeightError::NothingLeft);
    }
    let residual_counts: Vec<usize> = residual_nodes
        .iter()
        .map(|&i| nodes[i].counts.iter().sum())
        .collect();
    let residual_shares = split(100.0 - given, &residual_counts, equal);
    let mut node_shares: Vec<f64> = nodes.iter().map(|n| n.percent.unwrap_or(0.0)).collect();
    for (&i, share) in residual_nodes.iter().zip(residual_shares) {
        node_shares[i] = share;
    }
    let files = nodes
        .iter()
        .zip(&node_shares)
        .map(|(node, &share)| split(share, &node.counts, equal))
        .collect();
    Ok(Shares {
        nodes: node_shares,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(percent: Option<f64>, count: usize) -> Node {
        Node {
            percent,
            counts: vec![count],
            is_dir: false,
        }
    }

    #[test]
    fn residual_goes_by_count_or_equally() {
        let nodes = [file(Some(30.0), 10), file(None, 1), file(None, 3)];
        let shares = assign(&nodes, false).unwrap();
        assert_eq!(shares.nodes, [30.0, 17.5, 52.5]);
        let shares = assign(&nodes[1..], true).unwrap();
        assert_eq!(shares.nodes, [50.0, 50.0]);
    }

    #[test]
    fn directories_split_their_share() {
        let dir = Node {
            percent: Some(50.0),
            counts: vec![1, 3],
            is_dir: true,
        };
        let shares = assign(&[dir, file(None, 100)], false).unwrap();
        assert_eq!(shares.files, [vec![12.5, 37.5], vec![50.0]]);
        assert_eq!(shares.flat(), [12.5, 37.5, 50.0]);
    }

    #[test]
    fn fortune_errors() {
        let over = [file(Some(60.0), 1), file(Some(50.0), 1)];
        assert_eq!(assign(&over, false), Err(WeightError::OverHundred(110.0)));
        assert_eq!(
            assign(&over, false).unwrap_err().to_string(),
            "probabilities sum to 110%!"
        );
        assert_eq!(
            assign(&[file(Some(10.0), 1)], false),
            Err(WeightError::Residual(10.0))
        );
        let full = [file(Some(100.0), 1), file(None, 1)];
        assert_eq!(assign(&full, false), Err(WeightError::NothingLeft));
        assert_eq!(
            assign(&[file(Some(100.0), 1)], false).unwrap().nodes,
            [100.0]
        );
    }
}
