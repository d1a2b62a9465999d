//! What a reader sees on the HTML pages: the printed context line, the year, and paragraphs
//! laid out by the shared rule (filled prose reflows, the author's breaks stay).

#[path = "common/server.rs"]
mod common;

use common::TestServer;
use epigraph::corpus::Corpus;

fn page(server: &TestServer, target: &str) -> String {
    let r = server.get_with(target, &[("Accept", "text/html")]);
    assert_eq!(r.status, 200, "{target}");
    r.text()
}

fn id_of(needle: &str) -> String {
    let (corpus, _) = Corpus::embedded();
    let quote = corpus
        .quotes()
        .iter()
        .find(|q| q.text().contains(needle))
        .unwrap_or_else(|| panic!("no embedded quote contains {needle:?}"));
    quote.id.hex()
}

#[test]
fn the_context_line_is_printed_above_the_credit() {
    let server = TestServer::start();
    let html = page(&server, &format!("/quotes/{}", id_of("Reflected-sound")));
    assert!(
        html.contains(
            "<figcaption id=\"credit\"><span class=\"context\">Economics explained</span><br>\
             — Terry Pratchett, <cite>The Colour of Magic</cite></figcaption>"
        ),
        "{html}"
    );
}

#[test]
fn a_tax_year_follows_the_work() {
    let server = TestServer::start();
    let (corpus, _) = Corpus::embedded();
    let quote = corpus
        .quotes()
        .iter()
        .find(|q| q.author() == Some("IRS") && q.year().is_some() && q.context().is_none())
        .expect("an IRS quote with a year");
    let html = page(&server, &format!("/quotes/{}", quote.id.hex()));
    let credit = format!(
        "— IRS, <cite>{}</cite> ({})</figcaption>",
        quote.work().unwrap(),
        quote.year().unwrap()
    );
    assert!(html.contains(&credit), "{credit}\n{html}");
}

#[test]
fn filled_prose_is_one_paragraph_and_dialogue_keeps_its_lines() {
    let server = TestServer::start();
    let html = page(&server, &format!("/quotes/{}", id_of("Boots” theory")));
    assert!(
        html.contains(
            "<p>The reason that the rich were so rich, Vimes reasoned, was because they \
             managed to spend less money.</p><p>Take boots, for example."
        ),
        "{html}"
    );
    let boots = html.split("<blockquote").nth(1).unwrap();
    let boots = &boots[..boots.find("</blockquote>").unwrap()];
    assert!(
        !boots.contains("<br>"),
        "no forced breaks inside prose: {boots}"
    );
}
