//! The chat integrations' flags and secrets for `epigraph serve`: each given directly or read from a
//! file, never empty, and the Discord key checked before the server starts.

use crate::integrations::routes::ChatSettings;
use clap::Args;
use std::path::PathBuf;

/// The flags of the chat integrations: each platform's secret, which turns its endpoints on.
#[derive(Debug, Clone, Args)]
pub struct ChatArgs {
    /// Slack app signing secret; turns on `POST /integrations/slack` (Slack slash command).
    #[arg(
        long,
        value_name = "SECRET",
        env = "EPIGRAPH_SLACK_SIGNING_SECRET",
        hide_env_values = true,
        conflicts_with = "slack_signing_secret_file"
    )]
    pub slack_signing_secret: Option<String>,

    /// File holding the Slack signing secret (surrounding whitespace ignored).
    #[arg(long, value_name = "PATH", env = "EPIGRAPH_SLACK_SIGNING_SECRET_FILE")]
    pub slack_signing_secret_file: Option<PathBuf>,

    /// Mattermost slash-command token; turns on `POST /integrations/mattermost`.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "EPIGRAPH_MATTERMOST_TOKEN",
        hide_env_values = true,
        conflicts_with = "mattermost_token_file"
    )]
    pub mattermost_token: Option<String>,

    /// File holding the Mattermost token (surrounding whitespace ignored).
    #[arg(long, value_name = "PATH", env = "EPIGRAPH_MATTERMOST_TOKEN_FILE")]
    pub mattermost_token_file: Option<PathBuf>,

    /// Where the replacement for a Slack button click may be POSTed: only `response_url`s
    /// starting with this (an http(s) URL ending its host with `/`) are; others are logged.
    #[arg(
        long,
        value_name = "URL",
        env = "EPIGRAPH_SLACK_RESPONSE_URL_PREFIX",
        default_value = "https://hooks.slack.com/"
    )]
    pub slack_response_url_prefix: String,

    /// Discord application public key (64 hex digits); turns on `POST /integrations/discord`.
    #[arg(long, value_name = "HEX", env = "EPIGRAPH_DISCORD_PUBLIC_KEY")]
    pub discord_public_key: Option<String>,
}

impl ChatArgs {
    /// The chat endpoints to serve: reads the secret files and checks the Discord key.
    pub fn settings(&self) -> anyhow::Result<ChatSettings> {
        use crate::integrations::{discord, mattermost, slack, slack_actions};
        let slack = secret(
            "--slack-signing-secret",
            &self.slack_signing_secret,
            &self.slack_signing_secret_file,
        )?;
        let token = secret(
            "--mattermost-token",
            &self.mattermost_token,
            &self.mattermost_token_file,
        )?;
        let discord = match &self.discord_public_key {
            None => None,
            Some(hex) => Some(
                discord::PublicKey::from_hex(hex)
                    .map_err(|e| anyhow::anyhow!("--discord-public-key: {e}"))?,
            ),
        };
        let slack_response_url_prefix =
            slack_actions::ResponseUrlPrefix::parse(&self.slack_response_url_prefix)
                .map_err(|e| anyhow::anyhow!(e))?;
        Ok(ChatSettings {
            slack: slack.map(|s| slack::SigningSecret(s.into_bytes())),
            mattermost: token.map(mattermost::Token),
            discord,
            slack_response_url_prefix,
        })
    }
}

/// A secret given directly or in a file; empty is an error.
fn secret(
    flag: &str,
    value: &Option<String>,
    file: &Option<PathBuf>,
) -> anyhow::Result<Option<String>> {
    let value = match (value, file) {
        (Some(value), _) => value.trim().to_string(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{flag}-file: cannot read {}: {e}", path.display()))?
            .trim()
            .to_string(),
        (None, None) => return Ok(None),
    };
    if value.is_empty() {
        anyhow::bail!("{flag} is empty; give the secret or leave the option out");
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use crate::server::config::ServeArgs;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: ServeArgs,
    }

    #[test]
    fn chat_secrets_come_from_flags_or_files_and_keys_are_checked() {
        let chat = |argv: &[&str]| {
            let args =
                Wrapper::try_parse_from(std::iter::once("serve").chain(argv.iter().copied()))?;
            args.args.chat.settings()
        };
        let off = chat(&[]).unwrap();
        assert!(off.enabled().is_empty());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "tok\n").unwrap();
        let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        let on = chat(&[
            "--slack-signing-secret",
            "s3cret",
            "--mattermost-token-file",
            file.to_str().unwrap(),
            "--discord-public-key",
            key,
        ])
        .unwrap();
        assert_eq!(
            on.enabled().len(),
            5,
            "three commands and two button endpoints"
        );
        assert!(on.mattermost.unwrap().matches("tok"));
        let err = chat(&["--discord-public-key", "xyz"]).unwrap_err();
        assert!(err.to_string().contains("--discord-public-key"), "{err}");
        assert!(chat(&["--slack-signing-secret", " "]).is_err());
        assert!(chat(&["--mattermost-token-file", "/nonexistent/x"]).is_err());
        let prefix = |p: &str| chat(&["--slack-response-url-prefix", p]);
        let local = prefix("http://127.0.0.1:9/").unwrap();
        assert!(
            local
                .slack_response_url_prefix
                .allows("http://127.0.0.1:9/x")
        );
        let err = prefix("https://hooks.slack.com").unwrap_err();
        assert!(
            err.to_string().contains("--slack-response-url-prefix"),
            "{err}"
        );
        let default = chat(&[]).unwrap().slack_response_url_prefix;
        assert!(default.allows("https://hooks.slack.com/actions/1"));
    }
}
