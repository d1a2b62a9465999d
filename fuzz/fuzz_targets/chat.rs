//! Chat webhooks past authentication, on arbitrary bodies: the Slack/Mattermost form is
//! decoded and answered from the embedded corpus, and the same bytes as a Discord interaction
//! (JSON) give a command text that is parsed and answered. No panic, and every answer has text.
#![no_main]

use epigraph::corpus::{Chooser, Corpus, Day};
use epigraph::integrations::command::{Query, answer};
use epigraph::integrations::discord::command_text;
use epigraph::integrations::routes::form_fields;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| Corpus::embedded().0)
}

fn reply(text: &str, command: &str) {
    let day = Day::parse("2026-01-02").expect("a valid day");
    let answer = answer(
        corpus(),
        &Query::parse(text),
        command,
        &mut Chooser::seeded(7),
        day,
    );
    assert!(!answer.text.is_empty());
}

fuzz_target!(|body: &[u8]| {
    let fields = form_fields(body);
    let command = fields.get("command").map_or("/quote", String::as_str);
    reply(fields.get("text").map_or("", String::as_str), command);
    if let Ok(interaction) = serde_json::from_slice::<serde_json::Value>(body) {
        reply(&command_text(&interaction["data"]), "/quote");
    }
});
