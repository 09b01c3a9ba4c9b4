//! What each page should show, and what the browser shows.

use anyhow::{Context, Result, anyhow};
use headless_chrome::Tab;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A page of the book, as SUMMARY.md lists it.
pub struct Page {
    /// Its path in the built book, `chapter1/hello.html`.
    pub html: String,
    /// How many ```bob diagrams its Markdown has.
    pub diagrams: usize,
}

/// Every page SUMMARY.md links to, in the book's order.
pub fn pages(chapters: &Path) -> Result<Vec<Page>> {
    let summary = read(&chapters.join("SUMMARY.md"))?;
    let mut pages = Vec::new();
    for (_, rest) in summary
        .match_indices("](")
        .map(|(i, _)| summary.split_at(i + 2))
    {
        let Some(md) = rest.split(')').next().filter(|l| l.ends_with(".md")) else {
            continue;
        };
        let text = read(&chapters.join(md))?;
        pages.push(Page {
            html: md.replace(".md", ".html"),
            diagrams: text.lines().filter(|l| l.trim() == "```bob").count(),
        });
    }
    if pages.is_empty() {
        return Err(anyhow!("SUMMARY.md lists no pages"));
    }
    Ok(pages)
}

/// For each example a page includes, the pages that include it: a reader
/// searching for the guide's name of an example should find one of them.
pub fn searches(chapters: &Path) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut searches: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for page in pages(chapters)? {
        let text = read(&chapters.join(page.html.replace(".html", ".md")))?;
        for (at, _) in text.match_indices("{{#rustdoc_include ") {
            let include = &text[at..];
            if let Some(name) = include
                .split("/examples/")
                .nth(1)
                .and_then(|rest| rest.split(".rs").next())
                .filter(|name| !name.contains(['}', ' ', '/']))
            {
                searches
                    .entry(name.to_string())
                    .or_default()
                    .insert(page.html.clone());
            }
        }
    }
    Ok(searches)
}

/// What the browser shows of a page, read after it has loaded.
#[derive(Default)]
pub struct Shown {
    /// Each svgbob diagram in the content: width, height, drawn elements,
    /// and the text of labels drawn outside it (cut off).
    diagrams: Vec<(f64, f64, u64, Vec<String>)>,
    /// Each code block's length in characters, trimmed.
    code: Vec<u64>,
    /// Code blocks and tables wider than the content column: a notice for
    /// the reviewer, not a failure (a long command line may have to scroll).
    pub wide: Vec<String>,
    /// Every link's resolved URL.
    links: Vec<String>,
    /// Every element id on the page.
    pub ids: BTreeSet<String>,
    /// The page's whole height, in CSS pixels.
    pub height: f64,
}

const READ_PAGE: &str = r#"JSON.stringify((() => {
  const main = document.querySelector('main');
  if (!main) return null;
  const width = main.clientWidth;
  const wide = [...main.querySelectorAll('pre > code')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .concat([...main.querySelectorAll('table')]
      .filter(e => e.getBoundingClientRect().width > width + 1))
    .map(e => e.tagName.toLowerCase() + ' "' + e.textContent.trim().slice(0, 40) + '"');
  return {
    diagrams: [...main.querySelectorAll('svg.svgbob')].map(svg => {
      const box = svg.getBoundingClientRect();
      const outside = [...svg.querySelectorAll('text')].filter(text => {
        const at = text.getBoundingClientRect();
        return at.bottom > box.bottom + 1 || at.right > box.right + 1;
      }).map(text => text.textContent);
      return [box.width, box.height,
              svg.querySelectorAll('path, line, text, circle, polygon, polyline, rect').length,
              outside];
    }),
    code: [...main.querySelectorAll('pre code')].map(c => c.textContent.trim().length),
    wide,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    height: document.documentElement.scrollHeight,
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  };
})())"#;

impl Shown {
    pub fn read(tab: &Tab) -> Result<Self> {
        let value = tab.evaluate(READ_PAGE, false)?.value;
        let text = value
            .as_ref()
            .and_then(|v| v.as_str())
            .context("the page's script returned nothing")?;
        let json: serde_json::Value = serde_json::from_str(text)?;
        if json.is_null() {
            return Ok(Self::default());
        }
        let list = |key: &str| json[key].as_array().cloned().unwrap_or_default();
        let strings = |key: &str| -> Vec<String> {
            list(key)
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        Ok(Self {
            diagrams: list("diagrams")
                .iter()
                .map(|d| {
                    (
                        d[0].as_f64().unwrap_or(0.0),
                        d[1].as_f64().unwrap_or(0.0),
                        d[2].as_u64().unwrap_or(0),
                        d[3].as_array()
                            .map(|cut| {
                                cut.iter()
                                    .filter_map(|t| t.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            code: list("code").iter().filter_map(|c| c.as_u64()).collect(),
            wide: strings("wide"),
            links: strings("links"),
            ids: strings("ids").into_iter().collect(),
            height: json["height"].as_f64().unwrap_or(0.0),
        })
    }

    /// What is wrong with the page as shown.
    pub fn problems(&self, page: &Page) -> Vec<String> {
        let mut problems = Vec::new();
        let at = &page.html;
        if self.diagrams.len() != page.diagrams {
            problems.push(format!(
                "{at}: {} diagram(s) in the Markdown, {} SVG picture(s) shown",
                page.diagrams,
                self.diagrams.len()
            ));
        }
        for (n, (width, height, drawn, cut)) in self.diagrams.iter().enumerate() {
            if *width < 1.0 || *height < 1.0 || *drawn == 0 {
                problems.push(format!(
                    "{at}: diagram {} is empty ({width}x{height}, {drawn} elements)",
                    n + 1
                ));
            }
            if !cut.is_empty() {
                problems.push(format!(
                    "{at}: diagram {} cuts off label(s): {}",
                    n + 1,
                    cut.join(" | ")
                ));
            }
        }
        if self.code.is_empty() && self.ids.is_empty() {
            problems.push(format!("{at}: no content at all"));
        }
        for (n, _) in self.code.iter().enumerate().filter(|(_, len)| **len == 0) {
            problems.push(format!("{at}: code block {} is empty", n + 1));
        }
        problems
    }
}

/// Every link within the book must name a file of the built book, and its
/// anchor an id on that page.
pub fn links(origin: &str, html: &Path, seen: &BTreeMap<String, Shown>) -> Vec<String> {
    let mut problems = BTreeSet::new();
    for (page, shown) in seen {
        for link in &shown.links {
            let Some(path) = link.strip_prefix(origin) else {
                continue; // Elsewhere on the web: not ours to check here.
            };
            let (path, anchor) = path.split_once('#').unwrap_or((path, ""));
            let mut path = path.trim_start_matches('/').to_string();
            if path.is_empty() || path.ends_with('/') {
                path.push_str("index.html");
            }
            if !html.join(&path).is_file() {
                problems.insert(format!("{page}: link to a missing page: {link}"));
                continue;
            }
            if anchor.is_empty() {
                continue;
            }
            let found = match seen.get(&path) {
                Some(target) => target.ids.contains(anchor),
                // A file the browser did not open (print.html, say): its ids
                // as written.
                None => std::fs::read_to_string(html.join(&path))
                    .map(|text| text.contains(&format!("id=\"{anchor}\"")))
                    .unwrap_or(false),
            };
            if !found {
                problems.insert(format!("{page}: link to a missing anchor: {link}"));
            }
        }
    }
    problems.into_iter().collect()
}

/// The pages the search box's results link to, without their anchors.
pub fn search_results(tab: &Tab) -> Result<Vec<String>> {
    let value = tab
        .evaluate(
            "JSON.stringify([...document.querySelectorAll('#mdbook-searchresults a')]\
             .map(a => a.pathname.replace(/^\\//, '')))",
            false,
        )?
        .value;
    let text = value.as_ref().and_then(|v| v.as_str()).unwrap_or("[]");
    Ok(serde_json::from_str(text)?)
}

fn read(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}
