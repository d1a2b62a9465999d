//! The classic command: pick a quote (or list files, or search), like `fortune`.

use super::args::FortuneArgs;
use super::output::{Style, write_quote};
use super::plan::{Offense, Plan, search_path};
use super::{CliError, report};
use crate::corpus::resolve::Target;
use crate::corpus::seek::IndexedFile;
use crate::corpus::stream;
use crate::corpus::{
    Chooser, Corpus, Day, Filter, Source, TagQuery, build_regex, matching_spans, pick_weighted,
    quote_of_the_day,
};
use crate::layout::fit::{BadFit, Fit};
use crate::parser::{Header, outline, parse_entry, printed_text, rot13};
use crate::quote::{Quote, QuoteId};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Runs the fortune-style command.
pub fn run(args: &FortuneArgs) -> Result<ExitCode, CliError> {
    if args.version {
        writeln!(io::stdout(), "epigraph {}", env!("CARGO_PKG_VERSION"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = search_path();
    let offense = match (args.offensive, args.all) {
        (true, _) => Offense::Only,
        (false, true) => Offense::Also,
        _ => Offense::Normal,
    };
    let plan = Plan::build(&args.targets, &path, offense)?;
    if args.list_files {
        return list_files(&plan, args.equal);
    }
    let filter = filter_of(args);
    let fit = parse_fit(args.fit.as_deref())?;
    let style = Style {
        json: args.json,
        width: args.width,
        fit,
    };
    let needs_corpus = args.id.is_some() || args.today || args.deck || fit.is_some();
    let only_filtered = !filter.is_empty() && !needs_corpus;
    let quote = if let Some(pattern) = &args.pattern {
        return search(&plan, pattern, args, &(filter, fit), style);
    } else if let Some((leaf, collection, quote)) = only_filtered
        .then(|| pick_streamed(&plan, args, &filter))
        .transpose()?
        .flatten()
    {
        print(&plan, leaf, &collection, &quote, args, style)?;
        quote.text().len()
    } else if needs_corpus || !filter.is_empty() {
        let (corpus, diagnostics) = Corpus::load(&plan.leaves());
        report(&diagnostics);
        let quote = pick_from_corpus(&corpus, &plan, args, &(filter, fit))?;
        let collection = &corpus.collection_of(quote).name;
        print(&plan, quote.collection(), collection, quote, args, style)?;
        quote.text().len()
    } else {
        let (leaf, collection, quote) = pick_leaf(&plan, args)?;
        print(&plan, leaf, &collection, &quote, args, style)?;
        quote.text().len()
    };
    if args.wait {
        std::thread::sleep(Duration::from_secs((quote as u64 / 20).max(6)));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--fit` (and `motd --fit`) read: a bad value is a one-line usage error.
pub(super) fn parse_fit(text: Option<&str>) -> Result<Option<Fit>, CliError> {
    text.map(str::parse)
        .transpose()
        .map_err(|e: BadFit| CliError::Usage(e.to_string()))
}

fn chooser(args: &FortuneArgs) -> Chooser {
    args.seed.map_or_else(Chooser::random, Chooser::seeded)
}

fn filter_of(args: &FortuneArgs) -> Filter {
    let tags = args
        .tags
        .iter()
        .fold(TagQuery::default(), |acc, t| acc.and(&TagQuery::parse(t)));
    Filter {
        tags,
        collections: args.collections.clone(),
        author: args.author.clone(),
        max_bytes: args.short.then_some(args.length),
        min_bytes: args.long.then_some(args.length + 1),
        ..Filter::default()
    }
}

/// Entry counts per leaf; an unreadable file counts as empty and is reported.
fn counts(leaves: &[Source]) -> Vec<usize> {
    leaves
        .iter()
        .map(|leaf| {
            leaf.count().unwrap_or_else(|err| {
                let _ = writeln!(io::stderr(), "epigraph: {}", err.diagnostic());
                0
            })
        })
        .collect()
}

/// `-f`: the groups and files with their shares, on stderr.
fn list_files(plan: &Plan, equal: bool) -> Result<ExitCode, CliError> {
    let leaves = plan.leaves();
    let shares = plan.shares(&counts(&leaves), equal)?;
    let names = plan.leaf_names();
    let mut err = io::stderr().lock();
    let mut leaf = 0;
    for (group, (share, files)) in plan
        .groups
        .iter()
        .zip(shares.nodes.iter().zip(&shares.files))
    {
        match &group.target {
            Target::File(_) => writeln!(err, "{share:5.2}% {}", names[leaf])?,
            Target::Dir { label, .. } => {
                writeln!(err, "{share:5.2}% {label}")?;
                for (i, file_share) in files.iter().enumerate() {
                    writeln!(err, "    {file_share:5.2}% {}", names[leaf + i])?;
                }
            }
        }
        leaf += files.len();
    }
    Ok(ExitCode::SUCCESS)
}

/// Chooses a file by its share, then an entry in it, parsing only that entry. Returns the
/// leaf, its collection name and the quote.
fn pick_leaf(plan: &Plan, args: &FortuneArgs) -> Result<(usize, String, Quote), CliError> {
    let leaves = plan.leaves();
    let shares = plan.shares(&counts(&leaves), args.equal)?.flat();
    let candidates: Vec<(usize, usize)> = (0..leaves.len()).map(|i| (i, i)).collect();
    let ones = vec![1; leaves.len()];
    let mut chooser = chooser(args);
    let leaf =
        pick_weighted(&candidates, &shares, &ones, &mut chooser).ok_or(CliError::NoFortunes)?;
    let source = &leaves[leaf];
    if let Some(picked) = source
        .path()
        .and_then(|path| pick_indexed(path, leaf, &mut chooser))
    {
        let (header, quote) = picked;
        let name = header.name.unwrap_or_else(|| source.name.clone());
        return Ok((leaf, name, quote));
    }
    let read = source.read()?;
    report(&read.diagnostics);
    let (header, spans) = outline(&read.text);
    let span = *chooser.choose(&spans).ok_or(CliError::NoFortunes)?;
    let quote = parse_entry(&read.text, span, &header.tags, leaf);
    let name = header.name.unwrap_or_else(|| source.name.clone());
    Ok((leaf, name, quote))
}

/// A random entry of a file with a `.dat` index, reading only the index header, two offsets
/// and the entry (and the first entry, for a header). `None` sends the caller to the full read:
/// no usable index, or a few picks in a row that held no text.
fn pick_indexed(path: &Path, leaf: usize, chooser: &mut Chooser) -> Option<(Header, Quote)> {
    let mut file = IndexedFile::open(path)?;
    let text_of = |bytes: Vec<u8>, rotated: bool| {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if rotated { rot13(&text) } else { text }
    };
    let rotated = file.is_rotated();
    let first = text_of(file.entry(0).ok()?, rotated);
    let (header, _) = outline(&first);
    for _ in 0..8 {
        let i = chooser.below(file.len().max(1));
        let text = text_of(file.entry(i).ok()?, rotated);
        let (_, spans) = outline(&text);
        if let Some(&span) = spans.first() {
            return Some((header.clone(), parse_entry(&text, span, &header.tags, leaf)));
        }
    }
    None
}

/// A filtered random pick that reads each file once without building a corpus (see
/// [`stream`]): the same quote as the corpus would choose. `None` when the corpus must answer
/// (an unknown name, or nothing matching), so its message is the one shown.
fn pick_streamed(
    plan: &Plan,
    args: &FortuneArgs,
    filter: &Filter,
) -> Result<Option<(usize, String, Quote)>, CliError> {
    let Some(streamed) = stream::select(&plan.leaves(), filter) else {
        return Ok(None);
    };
    report(&streamed.diagnostics);
    let shares = plan.shares(&streamed.sizes, args.equal)?.flat();
    let candidates = streamed.candidates();
    let picked = pick_weighted(&candidates, &shares, &streamed.sizes, &mut chooser(args));
    Ok(picked
        .and_then(|index| streamed.quote(index))
        .map(|(name, quote)| (quote.collection(), name.to_string(), quote)))
}

fn pick_from_corpus<'c>(
    corpus: &'c Corpus,
    plan: &Plan,
    args: &FortuneArgs,
    (filter, fit): &(Filter, Option<Fit>),
) -> Result<&'c Quote, CliError> {
    if let Some(id) = &args.id {
        let id: QuoteId = id
            .parse()
            .map_err(|e: crate::quote::BadQuoteId| CliError::Usage(e.to_string()))?;
        return corpus
            .get(id)
            .ok_or_else(|| CliError::NothingMatches(format!("no quote has id {id}")));
    }
    let mut candidates = corpus.select(filter)?;
    if candidates.is_empty() {
        return Err(CliError::NothingMatches(describe(filter, args)));
    }
    if let Some(fit) = fit {
        candidates.retain(|&i| fit.fits(corpus.quotes()[i as usize].text()));
        if candidates.is_empty() {
            let why = format!("none fits {fit}; try a larger fit");
            return Err(CliError::NothingMatches(why));
        }
    }
    let index = if args.today {
        let day = match &args.date {
            Some(date) => Day::parse(date).map_err(|e| CliError::Usage(e.to_string()))?,
            None => Day::today(),
        };
        quote_of_the_day(corpus.quotes(), &candidates, day)
    } else if args.deck {
        let key = match fit {
            Some(fit) => format!("{};fit={fit}", filter.key()),
            None => filter.key(),
        };
        let name = super::deck::state_name(&plan.leaves(), &key);
        let dir = super::deck::state_dir();
        super::deck::next(dir.as_deref(), &name, corpus, &candidates, args.seed)
    } else {
        weighted_pick(corpus, plan, &candidates, args.equal, &mut chooser(args))?
    };
    let index = index.ok_or_else(|| CliError::NothingMatches(describe(filter, args)))?;
    Ok(&corpus.quotes()[index as usize])
}

/// A candidate chosen with the files' shares (`N%` arguments, or weights by size).
pub(super) fn weighted_pick(
    corpus: &Corpus,
    plan: &Plan,
    candidates: &[u32],
    equal: bool,
    chooser: &mut Chooser,
) -> Result<Option<u32>, CliError> {
    let sizes: Vec<usize> = corpus.collections().iter().map(|c| c.len()).collect();
    let shares = plan.shares(&sizes, equal)?.flat();
    let pairs: Vec<(usize, u32)> = candidates
        .iter()
        .map(|&i| (corpus.quotes()[i as usize].collection(), i))
        .collect();
    Ok(pick_weighted(&pairs, &shares, &sizes, chooser))
}

fn describe(filter: &Filter, args: &FortuneArgs) -> String {
    let mut parts = Vec::new();
    if let Some(max) = filter.max_bytes {
        parts.push(format!(
            "none is {max} bytes or shorter (-s -n {}); try a larger -n",
            args.length
        ));
    }
    if let Some(min) = filter.min_bytes {
        parts.push(format!(
            "none is {min} bytes or longer (-l -n {}); try a smaller -n",
            args.length
        ));
    }
    if parts.is_empty() {
        parts.push("the filters leave nothing to choose from".into());
    }
    parts.join("; ")
}

fn print(
    plan: &Plan,
    leaf: usize,
    collection: &str,
    quote: &Quote,
    args: &FortuneArgs,
    style: Style,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if args.show_file && !style.json {
        write!(out, "({})\n%\n", plan.leaf_names()[leaf])?;
    }
    write_quote(&mut out, collection, quote, style)?;
    out.flush()
}

/// `-m`: every matching entry, `%`-terminated on stdout, with a `(name)` header per file on
/// stderr; with `--json` one object per line and no headers; laid out with `--width`. Exit 0
/// when something matched, 1 when nothing did.
fn search(
    plan: &Plan,
    pattern: &str,
    args: &FortuneArgs,
    (filter, fit): &(Filter, Option<Fit>),
    style: Style,
) -> Result<ExitCode, CliError> {
    let re = build_regex(pattern, args.ignore_case)?;
    let names = plan.leaf_names();
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut found = false;
    for (leaf, source) in plan.leaves().iter().enumerate() {
        let view = match source.view() {
            Ok(view) => view,
            Err(err) => {
                let _ = writeln!(io::stderr(), "epigraph: {}", err.diagnostic());
                continue;
            }
        };
        report(view.diagnostics());
        let text = view.text();
        let mut header = false;
        for span in matching_spans(text, &re) {
            // Printing a match needs no parse (nor id hash) unless a filter or a layout must
            // look at it.
            let raw = &text[span.start..span.end];
            let plain = !style.json && style.width.is_none() && filter.is_empty() && fit.is_none();
            let quote = (!plain).then(|| parse_entry(text, span, &[], leaf));
            if let Some(quote) = &quote
                && !(filter_accepts(filter, quote, source)
                    && fit.is_none_or(|f| f.fits(quote.text())))
            {
                continue;
            }
            if !header && !style.json {
                out.flush()?;
                let mut err = io::stderr().lock();
                write!(err, "({})\n%\n", names[leaf])?;
                header = true;
            }
            match &quote {
                Some(quote) => write_quote(&mut out, &source.name, quote, style)?,
                None => out.write_all(printed_text(raw).as_bytes())?,
            }
            if !style.json {
                out.write_all(b"%\n")?;
            }
            found = true;
        }
    }
    out.flush()?;
    Ok(if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Applies the filter to an entry parsed outside a corpus (`-m`).
fn filter_accepts(filter: &Filter, quote: &Quote, source: &Source) -> bool {
    let bytes = quote.byte_len();
    let author_ok = filter.author.as_ref().is_none_or(|a| {
        quote
            .author()
            .as_ref()
            .is_some_and(|q| q.to_lowercase().contains(&a.to_lowercase()))
    });
    filter.tags.matches(quote)
        && author_ok
        && (filter.collections.is_empty() || filter.collections.contains(&source.name))
        && filter.max_bytes.is_none_or(|m| bytes <= m)
        && filter.min_bytes.is_none_or(|m| bytes >= m)
}
