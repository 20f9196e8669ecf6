//! Small hand-made SVG charts for the printable report: no scripts, no
//! external resources, readable in print (patterns of colour plus labels).

use std::fmt::Write;

/// A named series of values and its colour.
pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub values: Vec<u64>,
}

/// A "nice" upper bound for an axis (1, 2, 5 × 10^n) at or above `max`.
pub fn nice_max(max: u64) -> u64 {
    if max == 0 {
        return 1;
    }
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// Steps for an axis up to a nice maximum, so that every tick is a whole number: 5, 4, 2 or 1.
pub fn step_count(max: u64) -> u64 {
    [5, 4, 2].into_iter().find(|c| max.is_multiple_of(*c)).unwrap_or(1)
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Horizontal bars with their values written after them.
pub fn bars(title: &str, items: &[(String, u64, &str)]) -> String {
    let (w, row, left) = (640.0, 30.0, 170.0);
    let h = items.len() as f64 * row + 10.0;
    let max = nice_max(items.iter().map(|i| i.1).max().unwrap_or(0)) as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        escape(title)
    );
    for (i, (label, v, color)) in items.iter().enumerate() {
        let y = i as f64 * row + 5.0;
        let bw = (w - left - 70.0) * (*v as f64) / max;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="13">{}</text><rect x="{left}" y="{y}" width="{bw:.1}" height="{}" fill="{color}"/><text x="{}" y="{}" font-size="13">{v}</text>"#,
            left - 8.0,
            y + 16.0,
            escape(label),
            row - 8.0,
            left + bw + 6.0,
            y + 16.0
        );
    }
    s.push_str("</svg>");
    s
}

fn axes(s: &mut String, labels: &[String], max: f64, plot: (f64, f64, f64, f64)) {
    let (x0, y0, pw, ph) = plot;
    let steps = step_count(max as u64);
    for t in 0..=steps {
        let v = max * t as f64 / steps as f64;
        let y = y0 + ph - ph * t as f64 / steps as f64;
        let _ = write!(
            s,
            r##"<line x1="{x0}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            x0 + pw,
            x0 - 6.0,
            y + 4.0,
            v.round()
        );
    }
    let every = labels.len().div_ceil(12).max(1);
    let n = labels.len().max(1) as f64;
    for (i, l) in labels.iter().enumerate() {
        if i % every == 0 {
            let x = x0 + pw * (i as f64 + 0.5) / n;
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{}" text-anchor="middle" font-size="11">{}</text>"#,
                y0 + ph + 16.0,
                escape(l)
            );
        }
    }
}

fn legend(s: &mut String, series: &[Series<'_>], y: f64) {
    let mut x = 60.0;
    for se in series {
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12">{}</text>"#,
            y - 10.0,
            se.color,
            x + 16.0,
            y,
            escape(se.name)
        );
        x += 30.0 + se.name.chars().count() as f64 * 7.0;
    }
}

/// Stacked areas over time (e.g. partners per network-circle level).
pub fn stacked_area(title: &str, labels: &[String], series: &[Series<'_>]) -> String {
    let (w, h) = (640.0, 260.0);
    let plot = (50.0, 10.0, w - 60.0, h - 60.0);
    let n = labels.len();
    let totals: Vec<u64> = (0..n).map(|i| series.iter().map(|s| s.values.get(i).copied().unwrap_or(0)).sum()).collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0)) as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        escape(title)
    );
    axes(&mut s, labels, max, plot);
    let (x0, y0, pw, ph) = plot;
    let x = |i: usize| x0 + pw * (i as f64 + 0.5) / n.max(1) as f64;
    let y = |v: u64| y0 + ph - ph * v as f64 / max;
    let mut below = vec![0u64; n];
    for se in series {
        let above: Vec<u64> = (0..n).map(|i| below[i] + se.values.get(i).copied().unwrap_or(0)).collect();
        let mut pts: Vec<String> = (0..n).map(|i| format!("{:.1},{:.1}", x(i), y(above[i]))).collect();
        pts.extend((0..n).rev().map(|i| format!("{:.1},{:.1}", x(i), y(below[i]))));
        let _ = write!(s, r#"<polygon points="{}" fill="{}" fill-opacity="0.85"/>"#, pts.join(" "), se.color);
        below = above;
    }
    legend(&mut s, series, h - 10.0);
    s.push_str("</svg>");
    s
}

/// Stacked bars per label (e.g. new activities inside / outside per month).
pub fn stacked_bars(title: &str, labels: &[String], series: &[Series<'_>]) -> String {
    let (w, h) = (640.0, 240.0);
    let plot = (50.0, 10.0, w - 60.0, h - 60.0);
    let n = labels.len();
    let totals: Vec<u64> = (0..n).map(|i| series.iter().map(|s| s.values.get(i).copied().unwrap_or(0)).sum()).collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0)) as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        escape(title)
    );
    axes(&mut s, labels, max, plot);
    let (x0, y0, pw, ph) = plot;
    let slot = pw / n.max(1) as f64;
    for i in 0..n {
        let mut base = 0u64;
        for se in series {
            let v = se.values.get(i).copied().unwrap_or(0);
            if v > 0 {
                let top = y0 + ph - ph * (base + v) as f64 / max;
                let _ = write!(
                    s,
                    r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                    x0 + slot * i as f64 + slot * 0.15,
                    slot * 0.7,
                    ph * v as f64 / max,
                    se.color
                );
            }
            base += v;
        }
    }
    legend(&mut s, series, h - 10.0);
    s.push_str("</svg>");
    s
}

/// How the n-th line is drawn, besides its colour: a dash pattern and a
/// marker, so that lines that run together (or print in grey) stay apart.
const LINE_STYLES: [(&str, &str); 3] = [("", "circle"), ("7 4", "square"), ("2 3", "triangle")];

fn marker(s: &mut String, shape: &str, x: f64, y: f64, color: &str) {
    let _ = match shape {
        "square" => write!(s, r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{color}"/>"#, x - 3.5, y - 3.5),
        "triangle" => write!(
            s,
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{color}"/>"#,
            x,
            y - 4.5,
            x - 4.5,
            y + 3.5,
            x + 4.5,
            y + 3.5
        ),
        _ => write!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{color}"/>"#),
    };
}

/// Lines over time (e.g. staff logging co-creative encounters per month).
/// Each line has its own dash and markers; where two lines share a point,
/// the later one is drawn slightly narrower so the one below still shows.
pub fn lines(title: &str, labels: &[String], series: &[Series<'_>]) -> String {
    let (w, h) = (640.0, 220.0);
    let plot = (50.0, 10.0, w - 60.0, h - 60.0);
    let n = labels.len();
    let max = nice_max(series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0)) as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        escape(title)
    );
    axes(&mut s, labels, max, plot);
    let (x0, y0, pw, ph) = plot;
    for (k, se) in series.iter().enumerate() {
        let (dash, shape) = LINE_STYLES[k % LINE_STYLES.len()];
        let pts: Vec<(f64, f64)> = se
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (x0 + pw * (i as f64 + 0.5) / n.max(1) as f64, y0 + ph - ph * *v as f64 / max))
            .collect();
        let line: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let dash = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
        let width = if k == 0 { 3.5 } else { 2.0 };
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{width}"{dash}/>"#,
            line.join(" "),
            se.color
        );
        for (x, y) in pts {
            marker(&mut s, shape, x, y, se.color);
        }
    }
    // The legend shows each line's dash and marker, not only its colour.
    let mut x = 60.0;
    let y = h - 10.0;
    for (k, se) in series.iter().enumerate() {
        let (dash, shape) = LINE_STYLES[k % LINE_STYLES.len()];
        let dash = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
        let _ = write!(
            s,
            r#"<line x1="{x}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5"{dash}/>"#,
            x + 24.0,
            y - 4.0,
            y - 4.0,
            se.color
        );
        marker(&mut s, shape, x + 12.0, y - 4.0, se.color);
        let _ = write!(s, r#"<text x="{}" y="{y}" font-size="12">{}</text>"#, x + 30.0, escape(se.name));
        x += 44.0 + se.name.chars().count() as f64 * 7.0;
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_bounds() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(4_100), 5_000);
        assert_eq!([1, 2, 5, 10, 20, 50].map(step_count), [1, 2, 5, 5, 5, 5]);
    }

    #[test]
    fn charts_are_self_contained_svg() {
        let labels = vec!["2026-01".to_string(), "2026-02".to_string()];
        let series = [Series { name: "nettverk <&>", color: "#123", values: vec![1, 2] }];
        for svg in [
            stacked_area("t", &labels, &series),
            stacked_bars("t", &labels, &series),
            lines("t", &labels, &series),
            bars("t", &[("a".into(), 3, "#000")]),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(!svg.contains("href") && !svg.contains("<script"));
            assert!(!svg.contains("<&>"), "labels are escaped");
        }
    }

    #[test]
    fn lines_differ_by_more_than_colour() {
        let labels = vec!["2026-01".to_string(), "2026-02".to_string()];
        let same = vec![2, 2];
        let svg = lines(
            "t",
            &labels,
            &[
                Series { name: "a", color: "#111", values: same.clone() },
                Series { name: "b", color: "#222", values: same },
            ],
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("stroke-dasharray").count(), 2, "the second line and its legend are dashed");
        assert!(svg.contains("<circle") && svg.contains(r#"width="7" height="7""#), "markers differ");
    }
}
