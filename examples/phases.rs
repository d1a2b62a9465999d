use epigraph::corpus::Corpus;
fn rss() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    s.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 4096 / 1_000_000
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    eprintln!("start: {} MB", rss());
    let (c, _, check) = Corpus::load_paths_checked(&[&path]);
    eprintln!("loaded: {} MB", rss());
    let s = epigraph::server::state::Snapshot::new(c);
    eprintln!("snapshot: {} MB", rss());
    s.complete();
    eprintln!("complete: {} MB", rss());
    s.corpus.word_index();
    eprintln!("word index: {} MB", rss());
    let n = check.run(&s.corpus).len();
    unsafe {
        libc::malloc_trim(0);
    }
    eprintln!("checked ({n}), trimmed: {} MB", rss());
}
