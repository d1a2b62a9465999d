//! Escaping plain text for each chat platform's markup, so a quote never mentions anyone,
//! links anywhere or turns into formatting by accident.

/// Zero-width space: breaks `@everyone` and formatting pairs without changing what is shown.
const ZWSP: char = '\u{200B}';

/// Slack mrkdwn: `&`, `<` and `>` as entities (so `<!channel>`, `<@U123>` and `<url|text>`
/// stay text), and a zero-width space after `*`, `_`, `~` and `` ` `` so no pair of them
/// formats (Slack has no backslash escapes).
pub fn slack(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '~' | '`' => {
                out.push(c);
                out.push(ZWSP);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Mattermost Markdown: a backslash before each Markdown special character and a zero-width
/// space after `@`, so `@channel`, `@all` and `@user` do not notify.
pub fn mattermost(text: &str) -> String {
    markdown(text, "\\`*_~[]()<>#|!+-=")
}

/// Discord Markdown: a backslash before each Markdown special character (so `<@123>` and
/// `<#123>` stay text too) and a zero-width space after `@`. Replies also carry
/// `allowed_mentions: {parse: []}`, so nothing pings even if something slipped through.
pub fn discord(text: &str) -> String {
    markdown(text, "\\`*_~[]()<>#|-:")
}

fn markdown(text: &str, specials: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if specials.contains(c) {
            out.push('\\');
            out.push(c);
        } else if c == '@' {
            out.push(c);
            out.push(ZWSP);
        } else {
            out.push(c);
        }
    }
    out
}

/// The first `max` characters of `text`, ending in `…` when cut, never inside an escape.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(2)).collect();
    if out.ends_with('\\') && !out.ends_with("\\\\") {
        out.pop();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "<!channel> <@U123|bob> @everyone *bold* _it_ [x](http://e.org) & <#1>";

    #[test]
    fn slack_has_no_mentions_links_or_formatting() {
        let out = slack(NASTY);
        assert!(!out.contains('<') && !out.contains('>'), "{out}");
        assert!(out.contains("&lt;!channel&gt;"));
        assert!(out.contains("&amp;"));
        assert!(!out.contains("*bold*"));
        let back = out
            .replace(ZWSP, "")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        assert_eq!(back.replace("&amp;", "&"), NASTY);
    }

    #[test]
    fn markdown_platforms_escape_specials_and_mentions() {
        for out in [mattermost(NASTY), discord(NASTY)] {
            assert!(!out.contains("@everyone"), "{out}");
            assert!(out.contains("\\*bold\\*"));
            assert!(out.contains("\\<@") && !out.contains("<@U"));
            assert!(out.contains("\\[x\\]\\("));
        }
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("ééééé", 4), "éé…");
        assert_eq!(truncate("a\\*bcdef", 4), "a…");
        assert!(truncate(&"x".repeat(5000), 2000).chars().count() <= 2000);
    }
}
