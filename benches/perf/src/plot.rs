//! Log–log line charts for the benchmark page, written as standalone SVG.
//!
//! The output is plain text with fixed-precision numbers, so the committed
//! plots diff well and the crate needs no plotting dependency.

/// One line on the chart.
pub struct Series {
    /// Shown in the legend, e.g. "tcp · Rust".
    pub label: String,
    /// Any SVG colour, e.g. "#1f77b4".
    pub colour: &'static str,
    /// Dashed stroke; the benchmark uses it for the C tool.
    pub dashed: bool,
    /// `(x, y)` pairs, both positive; x is the message size in bytes.
    pub points: Vec<(f64, f64)>,
}

/// A titled chart with one line per series.
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
}

// The plot area is fixed so every chart on the page lines up; the legend sits
// to its right and the document grows to fit the legend, never the other way.
const PLOT_LEFT: f64 = 72.0;
const PLOT_TOP: f64 = 44.0;
const PLOT_WIDTH: f64 = 460.0;
const PLOT_HEIGHT: f64 = 310.0;
const PLOT_RIGHT: f64 = PLOT_LEFT + PLOT_WIDTH;
const PLOT_BOTTOM: f64 = PLOT_TOP + PLOT_HEIGHT;
const MIN_WIDTH: f64 = 720.0;
const MIN_HEIGHT: f64 = 420.0;
const LEGEND_LEFT: f64 = PLOT_RIGHT + 24.0;
const LEGEND_ROW: f64 = 20.0;
const LEGEND_SAMPLE: f64 = 28.0;
// A rough width of one 12 px sans-serif character, enough to size the legend.
const CHAR_WIDTH: f64 = 7.0;
const DASH: &str = "6 4";

/// A complete SVG document: starts with `<svg`, has xmlns, width/height and
/// a viewBox, and ends with `</svg>` and a newline.
pub fn svg(chart: &Chart) -> String {
    let lines: Vec<Vec<(f64, f64)>> = chart
        .series
        .iter()
        .map(|series| plottable_in_x_order(&series.points))
        .collect();
    let all_points: Vec<(f64, f64)> = lines.iter().flatten().copied().collect();
    let xs = distinct_xs(&all_points);
    let x_scale = x_scale(&xs);
    let (low_decade, high_decade) = y_decades(&all_points);
    let y_scale = Scale {
        low: f64::from(low_decade),
        high: f64::from(high_decade),
    };
    let (width, height) = document_size(chart);

    let mut doc = Document::default();
    open_document(&mut doc, &chart.title, width, height);
    draw_title(&mut doc, &chart.title, width);
    draw_y_axis(&mut doc, low_decade, high_decade, &y_scale);
    draw_x_axis(&mut doc, &xs, &x_scale);
    draw_plot_frame(&mut doc);
    draw_axis_labels(&mut doc, &chart.x_label, &chart.y_label);
    for (series, points) in chart.series.iter().zip(&lines) {
        draw_series(&mut doc, series, points, &x_scale, &y_scale);
    }
    if all_points.is_empty() {
        draw_no_data_note(&mut doc);
    }
    draw_legend(&mut doc, &chart.series);
    doc.line("</svg>".to_string());
    doc.text
}

/// Accumulates the document one element per line, which keeps diffs small.
#[derive(Default)]
struct Document {
    text: String,
}

impl Document {
    fn line(&mut self, element: String) {
        self.text.push_str(&element);
        self.text.push('\n');
    }
}

/// Maps a logarithm onto the unit interval; `high > low` always.
struct Scale {
    low: f64,
    high: f64,
}

impl Scale {
    fn fraction(&self, log_value: f64) -> f64 {
        (log_value - self.low) / (self.high - self.low)
    }

    fn x_position(&self, x: f64) -> f64 {
        PLOT_LEFT + self.fraction(x.log2()) * PLOT_WIDTH
    }

    fn y_position(&self, y: f64) -> f64 {
        PLOT_BOTTOM - self.fraction(y.log10()) * PLOT_HEIGHT
    }
}

/// Points a log scale can show, sorted by x so the polyline never doubles back.
fn plottable_in_x_order(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(x, y)| is_plottable(x) && is_plottable(y))
        .collect();
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));
    kept
}

fn is_plottable(value: f64) -> bool {
    value.is_finite() && value > 0.0
}

fn distinct_xs(points: &[(f64, f64)]) -> Vec<f64> {
    let mut xs: Vec<f64> = points.iter().map(|&(x, _)| x).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// A base-2 scale over the data, padded so edge points clear the frame.
fn x_scale(sorted_xs: &[f64]) -> Scale {
    let (Some(first), Some(last)) = (sorted_xs.first(), sorted_xs.last()) else {
        return Scale {
            low: 0.0,
            high: 1.0,
        };
    };
    let (mut low, mut high) = (first.log2(), last.log2());
    // A single size still needs a span to place it in the middle of.
    if high <= low {
        low -= 1.0;
        high += 1.0;
    }
    let padding = (high - low) * 0.05;
    Scale {
        low: low - padding,
        high: high + padding,
    }
}

/// The decade exponents bounding the y data, at least one decade apart.
fn y_decades(points: &[(f64, f64)]) -> (i32, i32) {
    let logs = points.iter().map(|&(_, y)| y.log10());
    let low = logs.clone().fold(f64::INFINITY, f64::min);
    let high = logs.fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || !high.is_finite() {
        return (0, 1);
    }
    // Snap so a value such as 1000 counts as exactly 10³ despite rounding.
    let low = snap_to_integer(low).floor() as i32;
    let high = snap_to_integer(high).ceil() as i32;
    (low, high.max(low + 1))
}

fn snap_to_integer(value: f64) -> f64 {
    let nearest = value.round();
    if (value - nearest).abs() < 1e-9 {
        nearest
    } else {
        value
    }
}

/// Widens the document for long legend labels and deepens it for many series.
fn document_size(chart: &Chart) -> (f64, f64) {
    let longest_label = chart
        .series
        .iter()
        .map(|series| series.label.chars().count())
        .max()
        .unwrap_or(0);
    let legend_right = LEGEND_LEFT + LEGEND_SAMPLE + 8.0 + longest_label as f64 * CHAR_WIDTH + 12.0;
    let legend_bottom = legend_row_y(chart.series.len()) + 8.0;
    (MIN_WIDTH.max(legend_right), MIN_HEIGHT.max(legend_bottom))
}

fn legend_row_y(row: usize) -> f64 {
    PLOT_TOP + 10.0 + row as f64 * LEGEND_ROW
}

fn open_document(doc: &mut Document, title: &str, width: f64, height: f64) {
    let (width, height) = (number(width), number(height));
    doc.line(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\" \
         role=\"img\">"
    ));
    doc.line(format!("<title>{}</title>", escape(title)));
    // An opaque background keeps the dark text legible on the book's dark themes.
    doc.line(format!(
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    ));
}

fn draw_title(doc: &mut Document, title: &str, width: f64) {
    doc.line(format!(
        "<text x=\"{}\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" \
         font-weight=\"bold\" fill=\"#222222\">{}</text>",
        number(width / 2.0),
        escape(title)
    ));
}

fn draw_y_axis(doc: &mut Document, low_decade: i32, high_decade: i32, scale: &Scale) {
    for exponent in low_decade..=high_decade {
        let y = number(PLOT_BOTTOM - scale.fraction(f64::from(exponent)) * PLOT_HEIGHT);
        doc.line(format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e0e0e0\" \
             stroke-width=\"1\"/>",
            number(PLOT_LEFT),
            number(PLOT_RIGHT)
        ));
        doc.line(format!(
            "<text x=\"{}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\" fill=\"#333333\">{}</text>",
            number(PLOT_LEFT - 8.0),
            decade_label(exponent)
        ));
    }
}

fn draw_x_axis(doc: &mut Document, xs: &[f64], scale: &Scale) {
    for &x in xs {
        let position = number(scale.x_position(x));
        doc.line(format!(
            "<line x1=\"{position}\" y1=\"{}\" x2=\"{position}\" y2=\"{}\" stroke=\"#333333\" \
             stroke-width=\"1\"/>",
            number(PLOT_BOTTOM),
            number(PLOT_BOTTOM + 5.0)
        ));
        doc.line(format!(
            "<text x=\"{position}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
            number(PLOT_BOTTOM + 19.0),
            size_label(x)
        ));
    }
}

fn draw_plot_frame(doc: &mut Document) {
    doc.line(format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333333\" \
         stroke-width=\"1\"/>",
        number(PLOT_LEFT),
        number(PLOT_TOP),
        number(PLOT_WIDTH),
        number(PLOT_HEIGHT)
    ));
}

fn draw_axis_labels(doc: &mut Document, x_label: &str, y_label: &str) {
    doc.line(format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" \
         fill=\"#222222\">{}</text>",
        number(PLOT_LEFT + PLOT_WIDTH / 2.0),
        number(PLOT_BOTTOM + 44.0),
        escape(x_label)
    ));
    doc.line(format!(
        "<text transform=\"translate(20 {}) rotate(-90)\" text-anchor=\"middle\" \
         font-size=\"13\" fill=\"#222222\">{}</text>",
        number(PLOT_TOP + PLOT_HEIGHT / 2.0),
        escape(y_label)
    ));
}

/// A polyline through the points in x order, then a marker on each point;
/// dashed series get hollow markers so they stay distinct in greyscale.
fn draw_series(
    doc: &mut Document,
    series: &Series,
    points: &[(f64, f64)],
    x_scale: &Scale,
    y_scale: &Scale,
) {
    let colour = escape(series.colour);
    let positions: Vec<(String, String)> = points
        .iter()
        .map(|&(x, y)| (number(x_scale.x_position(x)), number(y_scale.y_position(y))))
        .collect();
    if positions.len() > 1 {
        let path: Vec<String> = positions.iter().map(|(x, y)| format!("{x},{y}")).collect();
        doc.line(format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" \
             stroke-linejoin=\"round\"{}/>",
            path.join(" "),
            dash_attribute(series.dashed)
        ));
    }
    let marker_fill = if series.dashed { "#ffffff" } else { &colour };
    for (x, y) in &positions {
        doc.line(format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"3.5\" fill=\"{marker_fill}\" \
             stroke=\"{colour}\" stroke-width=\"1.5\"/>"
        ));
    }
}

fn dash_attribute(dashed: bool) -> String {
    if dashed {
        format!(" stroke-dasharray=\"{DASH}\"")
    } else {
        String::new()
    }
}

fn draw_no_data_note(doc: &mut Document) {
    doc.line(format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" \
         fill=\"#666666\">no data</text>",
        number(PLOT_LEFT + PLOT_WIDTH / 2.0),
        number(PLOT_TOP + PLOT_HEIGHT / 2.0)
    ));
}

fn draw_legend(doc: &mut Document, series: &[Series]) {
    for (row, entry) in series.iter().enumerate() {
        let y = number(legend_row_y(row));
        doc.line(format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" \
             stroke-width=\"2\"{}/>",
            number(LEGEND_LEFT),
            number(LEGEND_LEFT + LEGEND_SAMPLE),
            escape(entry.colour),
            dash_attribute(entry.dashed)
        ));
        doc.line(format!(
            "<text x=\"{}\" y=\"{y}\" dy=\"4\" fill=\"#222222\">{}</text>",
            number(LEGEND_LEFT + LEGEND_SAMPLE + 8.0),
            escape(&entry.label)
        ));
    }
}

/// "0.1", "1", "10", "1k", "1M", …, built from digits so no power overflows.
fn decade_label(exponent: i32) -> String {
    let zeros = |count: i32| "0".repeat(count.unsigned_abs() as usize);
    match exponent {
        e if e < 0 => format!("0.{}1", zeros(-e - 1)),
        e if e < 3 => format!("1{}", zeros(e)),
        e if e < 6 => format!("1{}k", zeros(e - 3)),
        e => format!("1{}M", zeros(e - 6)),
    }
}

/// Message sizes as the benchmark names them: "16", "4K", "1M".
fn size_label(bytes: f64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    // Beyond 2⁵³ an f64 no longer holds every integer, so leave it numeric.
    let exact_integer = bytes.fract() == 0.0 && bytes < 9_007_199_254_740_992.0;
    if !exact_integer {
        return number(bytes);
    }
    let whole = bytes as u64;
    if whole.is_multiple_of(MIB) {
        format!("{}M", whole / MIB)
    } else if whole.is_multiple_of(KIB) {
        format!("{}K", whole / KIB)
    } else {
        whole.to_string()
    }
}

/// At most two decimals with trailing zeros dropped, so output is stable.
fn number(value: f64) -> String {
    let fixed = format!("{value:.2}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: &str, dashed: bool, points: &[(f64, f64)]) -> Series {
        Series {
            label: label.to_string(),
            colour: "#1f77b4",
            dashed,
            points: points.to_vec(),
        }
    }

    fn chart(series: Vec<Series>) -> Chart {
        Chart {
            title: "throughput against message size".to_string(),
            x_label: "message size [B]".to_string(),
            y_label: "throughput [Mb/s]".to_string(),
            series,
        }
    }

    fn sizes_with(ys: [f64; 4]) -> Vec<(f64, f64)> {
        [16.0, 256.0, 4096.0, 65536.0].into_iter().zip(ys).collect()
    }

    /// The numeric `cx` of every circle, in document order.
    fn circle_xs(document: &str) -> Vec<f64> {
        document
            .lines()
            .filter(|line| line.starts_with("<circle"))
            .filter_map(|line| line.split("cx=\"").nth(1))
            .filter_map(|rest| rest.split('"').next())
            .filter_map(|value| value.parse().ok())
            .collect()
    }

    fn has_text(document: &str, text: &str) -> bool {
        document.contains(&format!(">{text}</text>"))
    }

    fn assert_is_document(document: &str) {
        assert!(document.starts_with("<svg"), "{document}");
        assert!(document.ends_with("</svg>\n"), "{document}");
        assert!(document.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(document.contains("viewBox=\"0 0 "));
        assert!(document.contains("width=\"") && document.contains("height=\""));
    }

    #[test]
    fn document_is_complete_and_lists_every_series() {
        let document = svg(&chart(vec![
            series("tcp · Rust", false, &sizes_with([1.0, 10.0, 100.0, 900.0])),
            series("tcp · C", true, &sizes_with([2.0, 20.0, 200.0, 800.0])),
            series("wire ceiling", false, &sizes_with([1e4; 4])),
        ]));
        assert_is_document(&document);
        for label in ["tcp · Rust", "tcp · C", "wire ceiling"] {
            assert!(has_text(&document, label), "missing legend {label}");
        }
        assert!(document.contains("font-family=\"sans-serif\""));
    }

    #[test]
    fn text_is_escaped_for_xml() {
        let mut escaped = chart(vec![series("tcp & <ipc>", false, &[(16.0, 1.0)])]);
        escaped.title = "say \"hi\"".to_string();
        let document = svg(&escaped);
        assert!(document.contains("tcp &amp; &lt;ipc&gt;"));
        assert!(document.contains("say &quot;hi&quot;"));
        assert!(!document.contains("tcp & "));
    }

    #[test]
    fn x_ticks_name_sizes_compactly() {
        let document = svg(&chart(vec![series(
            "inproc",
            false,
            &sizes_with([1.0, 2.0, 3.0, 4.0]),
        )]));
        for label in ["16", "256", "4K", "64K"] {
            assert!(has_text(&document, label), "missing x tick {label}");
        }
        assert_eq!(size_label(1_048_576.0), "1M");
        assert_eq!(size_label(1000.0), "1000");
        assert_eq!(size_label(1.5), "1.5");
    }

    #[test]
    fn y_ticks_cover_the_decades_spanned() {
        let document = svg(&chart(vec![series(
            "tcp",
            false,
            &sizes_with([30.0, 5_000.0, 80_000.0, 2_000_000.0]),
        )]));
        for label in ["10", "100", "1k", "10k", "100k", "1M", "10M"] {
            assert!(has_text(&document, label), "missing y tick {label}");
        }
        assert!(!has_text(&document, "1"));
        assert!(!has_text(&document, "100M"));
    }

    #[test]
    fn one_decade_of_data_still_shows_both_bounds() {
        assert_eq!(y_decades(&[(16.0, 100.0)]), (2, 3));
        assert_eq!(y_decades(&[(16.0, 0.2), (32.0, 0.5)]), (-1, 0));
        assert_eq!(decade_label(-2), "0.01");
        assert_eq!(decade_label(0), "1");
    }

    #[test]
    fn dashed_series_use_a_dash_array() {
        let solid = svg(&chart(vec![series("rust", false, &sizes_with([1.0; 4]))]));
        let dashed = svg(&chart(vec![series("c", true, &sizes_with([1.0; 4]))]));
        assert!(!solid.contains("stroke-dasharray"));
        assert!(dashed.contains("<polyline") && dashed.contains("stroke-dasharray"));
    }

    #[test]
    fn larger_sizes_lie_further_right() {
        let document = svg(&chart(vec![
            series("small", false, &[(16.0, 5.0)]),
            series("large", false, &[(256.0, 5.0)]),
        ]));
        let xs = circle_xs(&document);
        assert_eq!(xs.len(), 2, "{document}");
        assert!(xs[1] > xs[0], "{xs:?}");
    }

    #[test]
    fn unplottable_points_are_skipped() {
        let document = svg(&chart(vec![series(
            "odd",
            false,
            &[
                (16.0, 1.0),
                (0.0, 1.0),
                (32.0, -1.0),
                (f64::NAN, 2.0),
                (64.0, f64::INFINITY),
            ],
        )]));
        assert_is_document(&document);
        assert_eq!(circle_xs(&document).len(), 1);
        assert!(!document.contains("NaN") && !document.contains("inf"));
    }

    #[test]
    fn empty_data_still_gives_a_document() {
        for series in [vec![], vec![series("nothing yet", false, &[])]] {
            let document = svg(&chart(series));
            assert_is_document(&document);
            assert!(has_text(&document, "no data"));
            assert!(circle_xs(&document).is_empty());
        }
    }

    #[test]
    fn output_is_deterministic_with_short_numbers() {
        let make = || {
            svg(&chart(vec![series(
                "tcp",
                false,
                &sizes_with([3.3333, 77.77777, 1234.5678, 99_999.9]),
            )]))
        };
        let document = make();
        assert_eq!(document, make());
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(720.0), "720");
        let long_decimal = document
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter_map(|token| token.split_once('.'))
            .any(|(_, decimals)| decimals.len() > 2);
        assert!(!long_decimal, "{document}");
    }
}
