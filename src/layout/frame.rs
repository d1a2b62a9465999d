//! An ASCII box around laid-out lines, for login messages.

use textwrap::core::display_width;

/// Frames `lines` in a box `width` columns wide overall (two columns of border and one of
/// padding on each side), or narrower when every line is shorter.
pub fn boxed(lines: &[String], width: usize) -> String {
    let inner = lines
        .iter()
        .map(|l| display_width(l))
        .max()
        .unwrap_or(0)
        .min(width.saturating_sub(4));
    let rule = format!("+{}+\n", "-".repeat(inner + 2));
    let mut out = rule.clone();
    for line in lines {
        let pad = inner.saturating_sub(display_width(line));
        out.push_str(&format!("| {line}{} |\n", " ".repeat(pad)));
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_pads_every_line_by_display_width() {
        let lines = ["ab".to_string(), "c".to_string(), "日".to_string()];
        assert_eq!(
            boxed(&lines, 72),
            "+----+\n| ab |\n| c  |\n| 日 |\n+----+\n"
        );
    }
}
