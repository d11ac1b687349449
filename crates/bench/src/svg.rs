//! The latency picture: a hand-written SVG of each stack's latency by percentile, the
//! usual way to plot an HDR histogram (percentiles spread as 1 / (1 − p) on a log scale,
//! so that the tail up to 99.99 % is as visible as the median; latency on a log scale).

use std::fmt::Write as _;

use crate::latency::Latencies;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 440.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;
/// The tail shown: up to the 99.99th percentile (10^4 on the 1 / (1 − p) axis).
const DECADES: f64 = 4.0;
const POINTS: usize = 160;
const COLOURS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
];

/// An SVG document plotting each `(label, latencies)` series; `title` heads it.
pub fn percentile_plot(title: &str, series: &[(String, Latencies)]) -> String {
    let curves: Vec<(&str, Vec<(f64, f64)>)> = series
        .iter()
        .filter(|(_, l)| l.count() > 0)
        .map(|(label, l)| (label.as_str(), curve(l)))
        .collect();
    let (low, high) = latency_range(&curves);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x_of = |decades: f64| LEFT + decades / DECADES * plot_w;
    let y_of = |us: f64| TOP + plot_h - (us.log10() - low) / (high - low) * plot_h;

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{LEFT}\" y=\"22\" font-size=\"15\">{}</text>\n",
        escape(title)
    );
    for (i, label) in ["0 %", "90 %", "99 %", "99.9 %", "99.99 %"]
        .iter()
        .enumerate()
    {
        let x = x_of(i as f64);
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>\n\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>\n",
            TOP + plot_h,
            TOP + plot_h + 18.0
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">percentile</text>",
        LEFT + plot_w / 2.0,
        HEIGHT - 10.0
    );
    let mut decade = low.floor();
    while decade <= high {
        for step in [1.0, 2.0, 5.0] {
            let us = 10f64.powf(decade) * step;
            let l = us.log10();
            if l < low || l > high {
                continue;
            }
            let y = y_of(us);
            let _ = write!(
                svg,
                "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
                LEFT + plot_w,
                LEFT - 6.0,
                y + 4.0,
                format_us(us)
            );
        }
        decade += 1.0;
    }
    let _ = write!(
        svg,
        "<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">round trip</text>\n\
         <rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_w:.1}\" height=\"{plot_h:.1}\" fill=\"none\" stroke=\"#888\"/>\n",
        TOP + plot_h / 2.0
    );
    for (i, (label, points)) in curves.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(d, us)| format!("{:.1},{:.1}", x_of(d), y_of(us)))
            .collect();
        let legend_y = TOP + 10.0 + 20.0 * i as f64;
        let legend_x = LEFT + plot_w + 14.0;
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n\
             <line x1=\"{legend_x:.1}\" y1=\"{legend_y:.1}\" x2=\"{:.1}\" y2=\"{legend_y:.1}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            path.join(" "),
            legend_x + 20.0,
            legend_x + 26.0,
            legend_y + 4.0,
            escape(label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Points `(decades of 1 / (1 − p), latency µs)` from the median-free start to 99.99 %.
fn curve(latencies: &Latencies) -> Vec<(f64, f64)> {
    (0..=POINTS)
        .map(|i| {
            let decades = DECADES * i as f64 / POINTS as f64;
            let q = 1.0 - 10f64.powf(-decades);
            (decades, latencies.quantile_us(q).max(0.001))
        })
        .collect()
}

/// The log10 range of latencies to show, with some margin.
fn latency_range(curves: &[(&str, Vec<(f64, f64)>)]) -> (f64, f64) {
    let values = curves.iter().flat_map(|(_, p)| p.iter().map(|&(_, us)| us));
    let (min, max) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if min > max {
        return (1.0, 3.0);
    }
    let (low, high) = (min.log10() - 0.1, max.log10() + 0.1);
    if high - low < 0.5 {
        (low - 0.25, high + 0.25)
    } else {
        (low, high)
    }
}

fn format_us(us: f64) -> String {
    if us >= 1000.0 {
        format!("{} ms", trim(us / 1000.0))
    } else {
        format!("{} µs", trim(us))
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use super::*;

    #[test]
    fn plots_one_polyline_per_series_with_its_label() {
        let mut a = Latencies::new().unwrap();
        let mut b = Latencies::new().unwrap();
        for us in 1..1000u64 {
            a.record(Duration::from_micros(100 + us % 50));
            b.record(Duration::from_micros(200 + us));
        }
        let svg = percentile_plot("x < y", &[("ours".into(), a), ("floor & co".into(), b)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("floor &amp; co"));
        assert!(svg.contains("x &lt; y"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn formats_axis_labels() {
        assert_eq!(format_us(200.0), "200 µs");
        assert_eq!(format_us(1500.0), "1.5 ms");
    }
}
