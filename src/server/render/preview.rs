//! Link-preview meta for a quote's page: Open Graph (`og:*`, read by Slack, Discord,
//! Mattermost, Mastodon, Facebook) and Twitter card tags, so a pasted link unfurls with the
//! quote and its PNG card. Written as extra `<head>` lines for the HTML pages.

use super::html::escape;
use super::svg::attribution;
use crate::quote::Quote;
use std::fmt::Write;

/// Longest `og:description`, in characters; previews cut far shorter, search engines at ~300.
const MAX_DESCRIPTION: usize = 500;

/// What a preview shows. URLs are absolute.
#[derive(Debug, Clone, Copy)]
pub struct Preview<'a> {
    /// The page's title (`og:title`).
    pub title: &'a str,
    /// The page's own URL (`og:url`).
    pub url: &'a str,
    /// The PNG card (`og:image`).
    pub image: &'a str,
    /// The card's width and height in pixels.
    pub image_size: (u64, u64),
}

/// The title a preview of `quote` gets: who said it, else a plain label.
pub fn title(quote: &Quote) -> String {
    attribution(quote)
        .map(|a| a.trim_start_matches("— ").to_string())
        .unwrap_or_else(|| "A quote".to_string())
}

/// The quote on one line (its words as the reader sees them), cut at a word past
/// [`MAX_DESCRIPTION`] characters with an ellipsis.
pub fn description(quote: &Quote) -> String {
    let words: Vec<&str> = quote.body().split_whitespace().collect();
    let mut out = String::with_capacity(quote.body().len().min(MAX_DESCRIPTION + 8));
    for word in words {
        let extra = word.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > MAX_DESCRIPTION {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The `<meta>` lines for a page showing `quote`.
pub fn meta(quote: &Quote, preview: Preview) -> String {
    let description = escape(&description(quote));
    let title = escape(preview.title);
    let url = escape(preview.url);
    let image = escape(preview.image);
    let mut out = String::with_capacity(1024 + description.len() * 4);
    let mut property = |name: &str, value: &str| {
        let _ = write!(out, "<meta property=\"{name}\" content=\"{value}\">");
    };
    property("og:type", "article");
    property("og:site_name", "epigraph");
    property("og:title", &title);
    property("og:description", &description);
    property("og:url", &url);
    property("og:image", &image);
    property("og:image:type", "image/png");
    property("og:image:width", &preview.image_size.0.to_string());
    property("og:image:height", &preview.image_size.1.to_string());
    property("og:image:alt", &description);
    let mut name = |name: &str, value: &str| {
        let _ = write!(out, "<meta name=\"{name}\" content=\"{value}\">");
    };
    name("description", &description);
    name("twitter:card", "summary_large_image");
    name("twitter:title", &title);
    name("twitter:description", &description);
    name("twitter:image", &image);
    name("twitter:image:alt", &description);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_is_the_quote_on_one_line_and_markup_is_escaped() {
        let text = "Roses <are>\n  \"red\".\n\t\t-- Ann & Bo, Verse\n";
        let quote = &crate::parser::parse_collection(text, 0).quotes[0];
        assert_eq!(description(quote), "Roses <are> \"red\".");
        assert_eq!(title(quote), "Ann & Bo, Verse");
        let preview = Preview {
            title: "T",
            url: "https://q.example/quotes/1",
            image: "https://q.example/quotes/1.png",
            image_size: (600, 140),
        };
        let head = meta(quote, preview);
        assert!(head.contains(
            "<meta property=\"og:description\" content=\"Roses &lt;are&gt; &quot;red&quot;.\">"
        ));
        assert!(head.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
        assert!(head.contains("<meta property=\"og:image:height\" content=\"140\">"));
        assert!(
            head.contains(
                "<meta property=\"og:image\" content=\"https://q.example/quotes/1.png\">"
            )
        );
    }

    #[test]
    fn long_quotes_are_cut_at_a_word() {
        let text = format!("{}\n", "word ".repeat(200));
        let quote = &crate::parser::parse_collection(&text, 0).quotes[0];
        let cut = description(quote);
        assert!(cut.ends_with("word …"), "{cut}");
        assert!(cut.chars().count() <= MAX_DESCRIPTION + 2);
    }
}
