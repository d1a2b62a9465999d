//! The web page and the SVG card in a real browser: starts `epigraph serve`, runs headless
//! Chromium against it, checks the page's DOM holds the quote (and that the script ran) and
//! that screenshots of the page and of a card are not blank.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`; `CHROMIUM=/path` overrides). Without
//! it the test prints `SKIPPED` and passes, except under `CI`, where it fails. Screenshots are
//! kept in `target/tmp/browser/` for people to look at.

#[path = "common/server.rs"]
mod common;

use common::Binary;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single Chromium run may take before it is killed.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(60);

fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium, or `None` after saying why the test is skipped (a failure under `CI`).
fn chromium_or_skip() -> Option<PathBuf> {
    match find_chromium() {
        Some(path) => Some(path),
        None if std::env::var_os("CI").is_some() => {
            panic!(
                "chromium is not installed; the browser test needs it: apt-get install -y chromium"
            )
        }
        None => {
            eprintln!(
                "\n*** SKIPPED browser test: chromium not found (apt-get install -y chromium) ***\n"
            );
            None
        }
    }
}

/// Runs headless Chromium with `args` then `url`, killing it after [`CHROMIUM_LIMIT`]; its
/// standard output.
fn chromium(exe: &Path, work: &Path, args: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir_in(work).unwrap();
    let stdout_path = work.join("chromium.out");
    let stderr_path = work.join("chromium.err");
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + CHROMIUM_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium ran over {CHROMIUM_LIMIT:?} on {url}; stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed ({status}) on {url}; stderr:\n{}",
        std::fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout_path).unwrap()
}

/// The text of serialized HTML: tags dropped, common entities decoded, whitespace collapsed.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace('\u{a0}', " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    normalize(&text)
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes a PNG and checks it is a real picture, not one flat colour.
fn assert_not_blank(path: &Path, min_width: u32) {
    let decoder = png::Decoder::new(BufReader::new(File::open(path).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert!(
        info.width >= min_width,
        "{}: {}px wide",
        path.display(),
        info.width
    );
    let pixels = (info.width * info.height) as usize;
    let bpp = info.line_size / info.width as usize;
    let mut counts = std::collections::HashMap::new();
    for row in buf[..info.buffer_size()].chunks(info.line_size) {
        for pixel in row.chunks(bpp) {
            *counts.entry(pixel.to_vec()).or_insert(0usize) += 1;
        }
    }
    let dominant = counts.values().copied().max().unwrap_or(0);
    let others = pixels - dominant;
    assert!(
        counts.len() > 8 && others * 500 > pixels,
        "{} looks blank: {} colours, {others} of {pixels} pixels differ from the background",
        path.display(),
        counts.len()
    );
}

#[test]
fn page_and_card_render_in_headless_chromium() {
    let Some(exe) = chromium_or_skip() else {
        return;
    };
    let server = Binary::start(&[]);
    let work = tempfile::tempdir().unwrap();
    let base = format!("http://{}", server.addr);

    let quote = server.get("/random?collection=pratchett&min_length=150&format=json");
    assert_eq!(quote.status, 200);
    let quote = quote.json();
    let id = quote["id"].as_str().unwrap();
    let (corpus, _) = epigraph::corpus::Corpus::embedded();
    let embedded = corpus.quotes().iter().find(|q| q.id.to_string() == id);
    let body = normalize(embedded.expect("an embedded quote").body());
    let author = quote["author"].as_str().unwrap();
    let page = format!("{base}/quotes/{id}?format=html");

    // The DOM after scripts ran: the whole quote, the attribution, a visible copy button.
    let dom = chromium(&exe, work.path(), &["--dump-dom"], &page);
    let text = visible_text(&dom);
    assert!(
        text.contains(&body),
        "DOM text lacks the quote:\n{body}\n---\n{text}"
    );
    assert!(text.contains(author), "DOM text lacks {author}");
    assert!(
        dom.contains(&format!("href=\"/quotes/{id}\"")),
        "no permalink"
    );
    assert!(dom.contains("id=\"copy\"") && !dom.contains("id=\"copy\" hidden"));

    // Without JavaScript (the page as served; Chromium's --dump-dom needs scripts) the quote
    // is all there, and only the copy button stays hidden.
    let served = server.get(&format!("/quotes/{id}?format=html")).text();
    assert!(visible_text(&served).contains(&body), "no quote without JS");
    assert!(
        served.contains("id=\"copy\" hidden"),
        "copy button shown without JS"
    );

    // Screenshots of the page (light and dark) and of cards, all non-blank.
    let shots = [
        ("page.png", page.clone(), "900,700", vec![]),
        (
            "page-dark.png",
            page.clone(),
            "420,800",
            vec![
                "--force-dark-mode",
                "--blink-settings=preferredColorScheme=0",
            ],
        ),
        (
            "card.png",
            format!("{base}/quotes/{id}.svg"),
            "640,400",
            vec![],
        ),
        (
            "card-dark.png",
            format!("{base}/random.svg?theme=dark&width=400"),
            "440,600",
            vec![],
        ),
    ];
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&kept).unwrap();
    for (name, url, size, extra) in shots {
        let file = work.path().join(name);
        let mut args = vec![
            format!("--screenshot={}", file.display()),
            format!("--window-size={size}"),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        chromium(&exe, work.path(), &args, &url);
        assert_not_blank(&file, 300);
        std::fs::copy(&file, kept.join(name)).unwrap();
    }
    eprintln!("screenshots in {}", kept.display());
}
