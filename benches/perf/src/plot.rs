//! Log–log line charts for the performance page, drawn by plotters as SVG.
//!
//! The ticks are chosen here rather than by plotters: on x exactly the
//! measured message sizes, on y every decade (and 2 and 5 times it when the
//! data spans few decades), each with a short label, so a reader can match a
//! point to a row of the tables.

use anyhow::Context as _;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One line on the chart.
pub struct Series {
    /// Shown in the legend, e.g. "tcp · Rust".
    pub label: String,
    pub colour: RGBColor,
    /// Dashed, with hollow markers; the benchmark uses it for the C tool.
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

const WIDTH: u32 = 760;
const HEIGHT: u32 = 420;
/// Room right of the plot for the legend: the longest label in the
/// benchmark's charts, "TCP stream (no ZeroMQ)", takes about 150 px.
const LEGEND_WIDTH: u32 = 200;
/// The length of the stretch of line a legend shows.
const SAMPLE: i32 = 28;
const MARKER_RADIUS: i32 = 4;
/// A dashed line's dash and gap, in pixels.
const DASH: i32 = 6;
const GAP: i32 = 4;
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xe0, 0xe0, 0xe0);

/// plotters writes a font size as `size / 1.24` into the SVG; this undoes it,
/// so `font(12, FontStyle::Normal)` is 12 px text in the browser.
fn font(px: u32, style: FontStyle) -> TextStyle<'static> {
    ("sans-serif", f64::from(px) * 1.24)
        .into_font()
        .style(style)
        .color(&TEXT)
}

/// A complete SVG document of `chart`.
pub fn svg(chart: &Chart) -> anyhow::Result<String> {
    let mut document = String::new();
    {
        let root = SVGBackend::with_string(&mut document, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, chart)
            .and_then(|()| root.present())
            .with_context(|| format!("cannot draw the chart {:?}", chart.title))?;
    }
    Ok(document)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw(root: &Area, chart: &Chart) -> DrawResult {
    let lines: Vec<Vec<(f64, f64)>> = chart
        .series
        .iter()
        .map(|series| plottable_in_x_order(&series.points))
        .collect();
    let all_points: Vec<(f64, f64)> = lines.iter().flatten().copied().collect();
    let sizes = distinct_xs(&all_points);
    let (low_decade, high_decade) = y_decades(&all_points);
    let y_ticks = y_ticks(low_decade, high_decade);

    root.fill(&WHITE)?;
    // plotters keeps everything drawn on a plot inside it, so its own
    // legend could only cover the lines; this one has an area of its own.
    let (left, legend) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
    let mut context = ChartBuilder::on(&left)
        .caption(&chart.title, font(16, FontStyle::Bold))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(
            x_range(&sizes).log_scale().with_key_points(sizes.clone()),
            (10f64.powi(low_decade)..10f64.powi(high_decade))
                .log_scale()
                .with_key_points(y_ticks),
        )?;
    context
        .configure_mesh()
        // Horizontal gridlines only: the sizes have tick marks, and a
        // vertical line per size would crowd the few points there are.
        .disable_x_mesh()
        .bold_line_style(GRID)
        .axis_style(TEXT)
        .label_style(font(12, FontStyle::Normal))
        .axis_desc_style(font(13, FontStyle::Normal))
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .x_label_formatter(&|&size| size_label(size))
        .y_label_formatter(&|&tick| y_label(tick))
        .draw()?;
    // A full frame, so the top and right edges show where the decades end.
    let plot = context.plotting_area().strip_coord_spec();
    let (plot_width, plot_height) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new(
        [(0, 0), (plot_width as i32 - 1, plot_height as i32 - 1)],
        TEXT,
    ))?;

    for (series, points) in chart.series.iter().zip(&lines) {
        let style = series.colour.stroke_width(2);
        if series.dashed {
            context.draw_series(DashedLineSeries::new(
                points.iter().copied(),
                DASH,
                GAP,
                style,
            ))?;
        } else {
            context.draw_series(LineSeries::new(points.iter().copied(), style))?;
        }
        for marker in markers(series) {
            context.draw_series(PointSeries::<_, _, Circle<_, _>, _>::new(
                points.iter().copied(),
                MARKER_RADIUS,
                marker,
            ))?;
        }
    }
    if all_points.is_empty() {
        plot.draw(&Text::new(
            "no data",
            (plot_width as i32 / 2, plot_height as i32 / 2),
            font(14, FontStyle::Normal).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }

    // One row per series, from the top of the plot down: a stretch of its
    // line with a marker, and its name.
    let top = context.plotting_area().get_pixel_range().1.start - root.get_pixel_range().1.start;
    for (row, series) in chart.series.iter().enumerate() {
        let y = top + 10 + 20 * row as i32;
        let line = [(8, y), (8 + SAMPLE, y)];
        let style = series.colour.stroke_width(2);
        if series.dashed {
            legend.draw(&DashedPathElement::new(line, DASH, GAP, style))?;
        } else {
            legend.draw(&PathElement::new(line, style))?;
        }
        for marker in markers(series) {
            legend.draw(&Circle::new((8 + SAMPLE / 2, y), MARKER_RADIUS, marker))?;
        }
        legend.draw(&Text::new(
            series.label.as_str(),
            (8 + SAMPLE + 8, y),
            font(12, FontStyle::Normal).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A point is a disc and a ring around it: the disc filled for a solid
/// series, white for a dashed one, so the two stay apart in greyscale too.
fn markers(series: &Series) -> [ShapeStyle; 2] {
    let inside = if series.dashed { WHITE } else { series.colour };
    [inside.filled(), series.colour.stroke_width(2)]
}

/// Points a log scale can show, sorted by x so the line never doubles back.
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

/// The sizes' span, widened by a twentieth on either side (on the log scale)
/// so the first and last points clear the frame.
fn x_range(sorted_xs: &[f64]) -> std::ops::Range<f64> {
    let (Some(first), Some(last)) = (sorted_xs.first(), sorted_xs.last()) else {
        return 1.0..2.0;
    };
    let (mut low, mut high) = (first.log2(), last.log2());
    // A single size still needs a span to sit in the middle of.
    if high <= low {
        low -= 1.0;
        high += 1.0;
    }
    let padding = (high - low) * 0.05;
    2f64.powf(low - padding)..2f64.powf(high + padding)
}

/// The decade exponents bounding the y data, at least one decade apart, with
/// a tenth of a decade to spare at either end so that no marker sits on the
/// frame.
fn y_decades(points: &[(f64, f64)]) -> (i32, i32) {
    const SPARE: f64 = 0.1;
    let logs = points.iter().map(|&(_, y)| y.log10());
    let low = logs.clone().fold(f64::INFINITY, f64::min);
    let high = logs.fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || !high.is_finite() {
        return (0, 1);
    }
    let low = (low - SPARE).floor() as i32;
    let high = (high + SPARE).ceil() as i32;
    (low, high.max(low + 1))
}

/// Every decade from 10^`low` to 10^`high`; with two decades or fewer, 2
/// and 5 times each too, or data within one decade would sit between just
/// two labels.
fn y_ticks(low: i32, high: i32) -> Vec<f64> {
    let steps: &[f64] = if high - low <= 2 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut ticks: Vec<f64> = (low..high)
        .flat_map(|exponent| steps.iter().map(move |step| step * 10f64.powi(exponent)))
        .collect();
    ticks.push(10f64.powi(high));
    ticks
}

/// A tick, 1, 2 or 5 times a power of ten, with an SI prefix: "0.1", "2",
/// "50", "1k", "20M", "1G"; built from digits, as 10⁻³ and the like have no
/// exact f64.
fn y_label(tick: f64) -> String {
    let exponent = (tick.log10() + 1e-9).floor() as i32;
    let digit = (tick / 10f64.powi(exponent)).round() as u32;
    let zeros = |count: i32| "0".repeat(count.unsigned_abs() as usize);
    match exponent {
        e if e < 0 => format!("0.{}{digit}", zeros(-e - 1)),
        e if e < 3 => format!("{digit}{}", zeros(e)),
        e if e < 6 => format!("{digit}{}k", zeros(e - 3)),
        e if e < 9 => format!("{digit}{}M", zeros(e - 6)),
        e => format!("{digit}{}G", zeros(e - 9)),
    }
}

/// Message sizes as the benchmark names them: "16", "4K", "1M".
fn size_label(bytes: f64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    // Beyond 2⁵³ an f64 no longer holds every integer, so leave it numeric.
    if bytes.fract() != 0.0 || bytes >= 9_007_199_254_740_992.0 {
        return format!("{bytes}");
    }
    let whole = bytes as u64;
    if whole >= MIB && whole.is_multiple_of(MIB) {
        format!("{}M", whole / MIB)
    } else if whole >= KIB && whole.is_multiple_of(KIB) {
        format!("{}K", whole / KIB)
    } else {
        whole.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: &str, dashed: bool, ys: [f64; 4]) -> Series {
        Series {
            label: label.to_string(),
            colour: RGBColor(0x1f, 0x77, 0xb4),
            dashed,
            points: [16.0, 256.0, 4096.0, 65536.0].into_iter().zip(ys).collect(),
        }
    }

    fn chart(series: Vec<Series>) -> Chart {
        Chart {
            title: "Throughput".to_string(),
            x_label: "message size [B]".to_string(),
            y_label: "throughput [Mb/s]".to_string(),
            series,
        }
    }

    /// The text of every `<text>` element, in document order.
    fn texts(document: &str) -> Vec<String> {
        document
            .split("<text")
            .skip(1)
            .filter_map(|element| element.split_once('>'))
            .filter_map(|(_, rest)| rest.split_once("</text>"))
            .map(|(text, _)| text.trim().to_string())
            .collect()
    }

    #[test]
    fn charts_name_the_sizes_decades_and_series() {
        let document = svg(&chart(vec![
            series("tcp · C", true, [500.0, 3_000.0, 6_000.0, 13_000.0]),
            series("tcp · Rust", false, [30.0, 3_000.0, 6_000.0, 2_000_000.0]),
            series("a & <b>", false, [1e3; 4]),
        ]))
        .unwrap();
        assert!(document.starts_with("<svg"), "{document}");
        assert!(document.trim_end().ends_with("</svg>"), "{document}");
        let texts = texts(&document);
        for label in ["16", "256", "4K", "64K"] {
            assert!(
                texts.iter().any(|t| t == label),
                "no x tick {label}: {texts:?}"
            );
        }
        for label in ["10", "100", "1k", "10k", "100k", "1M", "10M"] {
            assert!(
                texts.iter().any(|t| t == label),
                "no y tick {label}: {texts:?}"
            );
        }
        assert!(!texts.iter().any(|t| t == "1" || t == "100M"), "{texts:?}");
        for label in [
            "Throughput",
            "message size [B]",
            "throughput [Mb/s]",
            "tcp · C",
            "tcp · Rust",
            "a &amp; &lt;b&gt;",
        ] {
            assert!(
                texts.iter().any(|t| t == label),
                "no text {label}: {texts:?}"
            );
        }
    }

    #[test]
    fn unplottable_points_and_no_data_still_give_a_chart() {
        let mut odd = series("odd", false, [1.0, 0.0, -1.0, f64::NAN]);
        odd.points.push((64.0, f64::INFINITY));
        let document = svg(&chart(vec![odd])).unwrap();
        assert!(!document.contains("NaN") && !document.contains("inf"));
        let empty = svg(&chart(vec![])).unwrap();
        assert!(texts(&empty).iter().any(|t| t == "no data"), "{empty}");
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(size_label(16.0), "16");
        assert_eq!(size_label(4096.0), "4K");
        assert_eq!(size_label(1_048_576.0), "1M");
        assert_eq!(size_label(1000.0), "1000");
        assert_eq!(size_label(1.5), "1.5");
        let labels = |ticks: Vec<f64>| ticks.into_iter().map(y_label).collect::<Vec<_>>();
        assert_eq!(
            labels(y_ticks(-2, 0)),
            ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]
        );
        assert_eq!(labels(y_ticks(1, 2)), ["10", "20", "50", "100"]);
        assert_eq!(
            labels(y_ticks(2, 9)),
            ["100", "1k", "10k", "100k", "1M", "10M", "100M", "1G"]
        );
        assert_eq!(y_label(5e3), "5k");
    }

    #[test]
    fn the_y_axis_spans_whole_decades_with_room_to_spare() {
        assert_eq!(y_decades(&[(16.0, 0.2), (32.0, 0.5)]), (-1, 0));
        // A point on or just above a decade gets the decade below as well.
        assert_eq!(y_decades(&[(16.0, 100.0)]), (1, 3));
        assert_eq!(y_decades(&[(16.0, 1_100.0), (64.0, 90_000.0)]), (2, 6));
        assert_eq!(y_decades(&[]), (0, 1));
    }
}
