//! A chat message as each platform is sent it: the text escaped for its markup and cut to its
//! limit, and the JSON of an incoming webhook. The slash commands and the daily posts share
//! [`Platform::text`], so a posted quote reads exactly like a `/quote` answer.

use super::command::Answer;
use super::{discord, escape, mattermost};
use serde_json::{Value, json};

/// A chat platform epigraph answers and posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Slack (mrkdwn).
    Slack,
    /// Mattermost (Markdown).
    Mattermost,
    /// Discord (Markdown, 2000 characters).
    Discord,
}

/// The names [`Platform::parse`] accepts.
pub const PLATFORMS: &str = "slack, mattermost or discord";

impl Platform {
    /// `slack`, `mattermost` or `discord` (case-insensitive).
    pub fn parse(name: &str) -> Result<Platform, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "slack" => Ok(Platform::Slack),
            "mattermost" => Ok(Platform::Mattermost),
            "discord" => Ok(Platform::Discord),
            _ => Err(format!(
                "unknown platform {:?}: expected {PLATFORMS}",
                name.chars().take(40).collect::<String>()
            )),
        }
    }

    /// The platform's name, as [`Platform::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Slack => "slack",
            Platform::Mattermost => "mattermost",
            Platform::Discord => "discord",
        }
    }

    /// Plain text escaped for the platform's markup and cut to its longest message.
    pub fn text(self, plain: &str) -> String {
        match self {
            Platform::Slack => escape::slack(plain),
            Platform::Mattermost => {
                escape::truncate(&escape::mattermost(plain), mattermost::MAX_POST)
            }
            Platform::Discord => escape::truncate(&escape::discord(plain), discord::MAX_CONTENT),
        }
    }

    /// The body of an incoming-webhook post of `answer`: `{"text"}` for Slack and Mattermost,
    /// `{"content", "allowed_mentions": {"parse": []}}` for Discord (so nothing pings).
    pub fn webhook_body(self, answer: &Answer) -> Value {
        let text = self.text(&answer.text);
        match self {
            Platform::Slack | Platform::Mattermost => json!({ "text": text }),
            Platform::Discord => json!({ "content": text, "allowed_mentions": { "parse": [] } }),
        }
    }
}

impl std::str::FromStr for Platform {
    type Err = String;

    fn from_str(name: &str) -> Result<Platform, String> {
        Platform::parse(name)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrations::command::Kind;

    fn quote(text: &str) -> Answer {
        Answer {
            kind: Kind::Quote,
            text: text.into(),
        }
    }

    #[test]
    fn names_round_trip_and_others_are_refused() {
        for p in [Platform::Slack, Platform::Mattermost, Platform::Discord] {
            assert_eq!(Platform::parse(p.name()), Ok(p));
        }
        assert_eq!(Platform::parse(" Slack "), Ok(Platform::Slack));
        assert!(Platform::parse("teams").unwrap_err().contains(PLATFORMS));
    }

    #[test]
    fn webhook_bodies_are_each_platforms_json() {
        let answer = quote("Hi <@U1> *x* @all");
        assert_eq!(
            Platform::Slack.webhook_body(&answer),
            json!({ "text": "Hi &lt;@U1&gt; *\u{200B}x*\u{200B} @all" })
        );
        assert_eq!(
            Platform::Mattermost.webhook_body(&answer),
            json!({ "text": "Hi \\<@\u{200B}U1\\> \\*x\\* @\u{200B}all" })
        );
        assert_eq!(
            Platform::Discord.webhook_body(&answer),
            json!({
                "content": "Hi \\<@\u{200B}U1\\> \\*x\\* @\u{200B}all",
                "allowed_mentions": { "parse": [] }
            })
        );
    }

    #[test]
    fn discord_content_is_cut_to_its_limit() {
        let body = Platform::Discord.webhook_body(&quote(&"word ".repeat(1000)));
        let content = body["content"].as_str().unwrap();
        assert_eq!(content.chars().count(), discord::MAX_CONTENT - 1);
        assert!(content.ends_with('…'));
    }
}
