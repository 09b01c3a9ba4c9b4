//! The book in a real browser. Serves the built book (book/html) over HTTP
//! and opens every page of chapters/SUMMARY.md in headless Chromium, checking
//! what a reader gets rather than what the Markdown says:
//!
//! - nothing on the console: no error logged, no script exception;
//! - every ```bob diagram of the page's source is an SVG with a size and
//!   something drawn in it;
//! - every code block has code in it;
//! - every link within the book goes to a file that exists, and its `#anchor`
//!   to an element of that page with that id;
//! - the search box finds each example's page by the example's guide name.
//!
//! A full-page screenshot of each page goes to target/book-test/, for a
//! reviewer to look at.
//!
//! Run it: cargo make book-test   (builds the book first)
//! Or:     cargo run -p workbook-book-test -- [PAGE…]
//! (only the pages whose path contains one of the PAGE words, and no search;
//! $CHROMIUM names another browser than Debian's /usr/bin/chromium)

mod checks;
mod server;

use anyhow::{Context, Result, bail};
use base64::prelude::{BASE64_STANDARD, Engine as _};
use headless_chrome::protocol::cdp::{Emulation, Page, types::Event};
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The browser window: wide enough for the sidebar and a code listing side
/// by side, as on a laptop.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

fn main() -> ExitCode {
    match run() {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failures) => {
            eprintln!("book-test: {failures} problem(s) found");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("book-test: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<usize> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let html = root.join("book/html");
    let chapters = root.join("chapters");
    let out = root.join("target/book-test");
    let chromium = chromium_path()?;
    if !html.join("index.html").exists() {
        bail!(
            "{} has no book: run `cargo make book` first",
            html.display()
        );
    }
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;

    let only: Vec<String> = std::env::args().skip(1).collect();
    let mut pages = checks::pages(&chapters)?;
    let all = pages.len();
    pages.retain(|page| only.is_empty() || only.iter().any(|word| page.html.contains(word)));
    if pages.is_empty() {
        bail!("no page's path contains any of {only:?}");
    }
    let origin = server::start(html.clone())?;
    println!("book-test: {} pages, served at {origin}", pages.len());

    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium))
            .headless(true)
            // Chromium refuses its sandbox as root (CI); the pages are our own.
            .sandbox(false)
            .window_size(Some((WIDTH, HEIGHT)))
            .idle_browser_timeout(Duration::from_secs(300))
            .build()
            .context("the browser's options")?,
    )
    .context("starting headless Chromium")?;
    let tab = browser.new_tab().context("opening a tab")?;
    tab.set_default_timeout(Duration::from_secs(20));
    let console = listen_to_console(&tab)?;
    // Overlay scrollbars, as on a phone or a Mac: the whole-page screenshot
    // grows the view for a moment, and a classic scrollbar that disappears
    // then would widen the text and move everything below it.
    tab.call_method(Emulation::SetScrollbarsHidden { hidden: true })?;

    let mut problems = Vec::new();
    let mut seen = BTreeMap::new();
    let mut notices = Vec::new();
    std::fs::create_dir_all(out.join("diagrams"))?;
    let started = Instant::now();
    for page in &pages {
        let url = format!("{origin}/{}", page.html);
        console.lock().unwrap().clear();
        open(&tab, &url).with_context(|| format!("opening {url}"))?;
        let shown = checks::Shown::read(&tab).with_context(|| format!("reading {url}"))?;
        problems.extend(shown.problems(page));
        for entry in console.lock().unwrap().iter() {
            problems.push(format!("{}: console: {entry}", page.html));
        }
        let name = page.html.replace('/', "_").replace(".html", "");
        // Each diagram on its own, the easier to look at; measured from the
        // top of the page and taken before the whole page (whose capture
        // resizes the view for a moment).
        for (n, clip) in diagram_boxes(&tab)?.into_iter().enumerate() {
            let file = out.join("diagrams").join(format!("{name}-{}.png", n + 1));
            screenshot(&tab, clip, &file).with_context(|| format!("diagram {} of {url}", n + 1))?;
        }
        let height = shown.height.max(f64::from(HEIGHT));
        let whole = [0.0, 0.0, f64::from(WIDTH), height];
        screenshot(&tab, whole, &out.join(format!("{name}.png")))
            .with_context(|| format!("screenshot of {url}"))?;
        let scrolls = shown.wide.iter();
        notices.extend(scrolls.map(|wide| format!("{}: scrolls sideways: {wide}", page.html)));
        seen.insert(page.html.clone(), shown);
    }
    problems.extend(checks::links(&origin, &html, &seen));
    let notes: String = notices.iter().map(|n| format!("{n}\n")).collect();
    std::fs::write(out.join("notices.txt"), notes)?;
    println!(
        "book-test: {} code block(s) or table(s) scroll sideways: see {}",
        notices.len(),
        out.join("notices.txt").display()
    );
    if pages.len() < all {
        println!(
            "book-test: {} of {all} pages checked, and no search",
            pages.len()
        );
        return finish(&out, problems);
    }
    println!(
        "book-test: {} pages opened and checked in {:.1} s; screenshots in {}",
        seen.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );

    let searches = checks::searches(&chapters)?;
    let found = search(&tab, &origin, &searches, &mut problems)?;
    println!(
        "book-test: the search box found {found} of {} examples' pages by their names",
        searches.len()
    );

    finish(&out, problems)
}

/// Say what is wrong, and keep it in target/book-test/problems.txt too.
fn finish(out: &Path, problems: Vec<String>) -> Result<usize> {
    for problem in &problems {
        eprintln!("book-test: {problem}");
    }
    let report: String = problems.iter().map(|p| format!("{p}\n")).collect();
    std::fs::write(out.join("problems.txt"), report)?;
    Ok(problems.len())
}

/// The browser to drive: $CHROMIUM, or Debian's chromium package.
fn chromium_path() -> Result<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if !path.exists() {
        bail!(
            "no browser at {} (Debian: apt-get install chromium; or set CHROMIUM)",
            path.display()
        );
    }
    Ok(path)
}

/// Collect what the page reports as an error: console.error calls, log
/// entries at level error (failed loads, for one), uncaught exceptions.
fn listen_to_console(tab: &Arc<Tab>) -> Result<Arc<Mutex<Vec<String>>>> {
    let entries = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&entries);
    tab.enable_log()?.enable_runtime()?;
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let entry = match event {
            Event::LogEntryAdded(added) => {
                let entry = &added.params.entry;
                let level = format!("{:?}", entry.level);
                (level == "Error")
                    .then(|| format!("{} ({})", entry.text, entry.url.as_deref().unwrap_or("-")))
            }
            Event::RuntimeExceptionThrown(thrown) => {
                let details = &thrown.params.exception_details;
                Some(format!(
                    "exception: {}",
                    details
                        .exception
                        .as_ref()
                        .and_then(|e| e.description.clone())
                        .unwrap_or_else(|| details.text.clone())
                ))
            }
            Event::RuntimeConsoleAPICalled(called) => {
                let kind = format!("{:?}", called.params.Type);
                (kind == "Error").then(|| {
                    let args: Vec<String> = called
                        .params
                        .args
                        .iter()
                        .map(|arg| match &arg.value {
                            Some(value) => value.to_string(),
                            None => arg.description.clone().unwrap_or_default(),
                        })
                        .collect();
                    format!("console.error: {}", args.join(" "))
                })
            }
            _ => None,
        };
        if let Some(entry) = entry {
            sink.lock().unwrap().push(entry);
        }
    }))?;
    Ok(entries)
}

/// Go to `url` and wait until it has loaded, scripts and pictures included.
/// (The crate's own `wait_until_navigated` can miss a load that finishes
/// before it starts listening, as a small page served locally does.)
fn open(tab: &Tab, url: &str) -> Result<()> {
    tab.navigate_to(url)?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = tab
            .evaluate("document.readyState + ' ' + location.href", false)?
            .value;
        if state.as_ref().and_then(|v| v.as_str()) == Some(&format!("complete {url}")) {
            // Web fonts can still be on their way, and the text moves when
            // they come: wait for them before anything is measured.
            tab.evaluate("document.fonts.ready.then(() => true)", true)?;
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("not loaded after 20 s (state: {state:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where each diagram is, from the top of the page: x, y, width, height,
/// with a margin of a few pixels.
fn diagram_boxes(tab: &Tab) -> Result<Vec<[f64; 4]>> {
    let value = tab
        .evaluate(
            "window.scrollTo(0, 0); \
             JSON.stringify([...document.querySelectorAll('main svg.svgbob')].map(svg => { \
               const box = svg.getBoundingClientRect(); \
               return [box.x + window.scrollX - 4, box.y + window.scrollY - 4, \
                       box.width + 8, box.height + 8]; }))",
            false,
        )?
        .value;
    let text = value.as_ref().and_then(|v| v.as_str()).unwrap_or("[]");
    Ok(serde_json::from_str(text)?)
}

/// A PNG of part of the page: `clip` is x, y, width, height in CSS pixels
/// from the top of the page, beyond the window if need be.
fn screenshot(tab: &Tab, clip: [f64; 4], file: &Path) -> Result<()> {
    let [x, y, width, height] = clip;
    let shot = tab.call_method(Page::CaptureScreenshot {
        format: Some(Page::CaptureScreenshotFormatOption::Png),
        quality: None,
        clip: Some(Page::Viewport {
            x,
            y,
            width,
            height,
            scale: 1.0,
        }),
        from_surface: Some(true),
        capture_beyond_viewport: Some(true),
        optimize_for_speed: None,
    })?;
    let png = BASE64_STANDARD
        .decode(&shot.data)
        .context("the screenshot's data")?;
    std::fs::write(file, png).with_context(|| format!("writing {}", file.display()))
}

/// Type each example's name into the search box, as a reader would, and
/// look for its page among the results. Returns how many were found.
fn search(
    tab: &Tab,
    origin: &str,
    searches: &BTreeMap<String, BTreeSet<String>>,
    problems: &mut Vec<String>,
) -> Result<usize> {
    open(tab, &format!("{origin}/index.html"))?;
    tab.wait_for_element("#mdbook-search-toggle")?.click()?;
    tab.wait_for_element("#mdbook-searchbar")?;
    let mut found = 0;
    for (example, pages) in searches {
        tab.evaluate(
            "(() => { const bar = document.getElementById('mdbook-searchbar'); \
             bar.value = ''; bar.focus(); })()",
            false,
        )?;
        // The name goes in as typed text, and its last letter as a key press:
        // the search runs on each key's release, so once, not once a letter.
        let (most, last) = example.split_at(example.len() - 1);
        tab.send_character(most)?.type_str(last)?;
        let deadline = Instant::now() + Duration::from_secs(5);
        let results = loop {
            let results = checks::search_results(tab)?;
            if results.iter().any(|r| pages.contains(r)) || Instant::now() > deadline {
                break results;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if results.iter().any(|r| pages.contains(r)) {
            found += 1;
        } else {
            problems.push(format!(
                "search: \"{example}\" does not find {} (found: {})",
                pages.iter().cloned().collect::<Vec<_>>().join(" or "),
                if results.is_empty() {
                    "nothing".into()
                } else {
                    results.join(", ")
                }
            ));
        }
    }
    Ok(found)
}
