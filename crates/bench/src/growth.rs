//! Growth curves: one benchmark run at several sizes (`--records
//! 10000,100000,1000000`), every figure side by side, and how much it grows
//! per tenfold of records. A figure that grows about 1x per tenfold is flat;
//! 10x grows with the work; more grows faster than the work.

use serde::Serialize;
use serde_json::Value;

/// One figure at every size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    /// Where the figure sits in one run's JSON, e.g. `sync.noop.median_ms`.
    pub figure: String,
    /// Its value at each size, in the order of [`Growth::sizes`].
    pub values: Vec<f64>,
    /// Between each size and the next: the factor the figure grew by for
    /// every tenfold of records (`(b / a)^(1 / log10(size_b / size_a))`);
    /// `None` where a value is zero or missing.
    pub per_tenfold: Vec<Option<f64>>,
}

/// Every figure of several runs.
#[derive(Clone, Debug, Serialize)]
pub struct Growth {
    pub sizes: Vec<usize>,
    pub curves: Vec<Curve>,
    /// The runs whole, for what the curves leave out (lists of samples, text).
    pub runs: Vec<Value>,
}

/// The curves of `runs`, one run per size (ascending sizes).
pub fn growth(sizes: &[usize], runs: Vec<Value>) -> Growth {
    let mut figures: Vec<(String, Vec<Option<f64>>)> = vec![];
    for (i, run) in runs.iter().enumerate() {
        let mut leaves = vec![];
        numbers(run, String::new(), &mut leaves);
        for (path, v) in leaves {
            let slot = match figures.iter().position(|(p, _)| *p == path) {
                Some(at) => at,
                None => {
                    figures.push((path, vec![None; runs.len()]));
                    figures.len() - 1
                }
            };
            figures[slot].1[i] = Some(v);
        }
    }
    let curves = figures
        .into_iter()
        .map(|(figure, values)| {
            let per_tenfold = (1..values.len())
                .map(|i| match (values[i - 1], values[i]) {
                    (Some(a), Some(b)) if a > 0.0 && b > 0.0 => {
                        let decades = (sizes[i] as f64 / sizes[i - 1] as f64).log10();
                        (decades > 0.0).then(|| (b / a).powf(1.0 / decades))
                    }
                    _ => None,
                })
                .collect();
            Curve { figure, values: values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect(), per_tenfold }
        })
        .collect();
    Growth { sizes: sizes.to_vec(), curves, runs }
}

/// The numeric leaves of `v` with their dotted paths; lists (of samples)
/// are left out.
fn numbers(v: &Value, path: String, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                out.push((path, x));
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                numbers(child, p, out);
            }
        }
        _ => {}
    }
}

/// The curves as a table for people.
pub fn table(g: &Growth) -> String {
    let width = g.curves.iter().map(|c| c.figure.len()).max().unwrap_or(6).max(6);
    let mut out = format!("{:width$}", "figure");
    for s in &g.sizes {
        out += &format!(" {:>12}", s);
    }
    for i in 1..g.sizes.len() {
        out += &format!(" {:>9}", format!("x/10x #{i}"));
    }
    out.push('\n');
    for c in &g.curves {
        out += &format!("{:width$}", c.figure);
        for v in &c.values {
            out += &format!(" {:>12}", short(*v));
        }
        for f in &c.per_tenfold {
            out += &format!(" {:>9}", f.map_or("–".to_string(), |f| format!("{f:.2}")));
        }
        out.push('\n');
    }
    out
}

fn short(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flat_linear_and_quadratic_figures_read_as_such() {
        let runs = vec![
            json!({"open_ms": 1.0, "scan": {"ms": 10.0}, "pairs": 4.0, "samples": [1, 2], "name": "a"}),
            json!({"open_ms": 1.0, "scan": {"ms": 100.0}, "pairs": 400.0, "samples": [1, 2], "name": "b"}),
            json!({"open_ms": 1.0, "scan": {"ms": 1000.0}, "pairs": 40000.0, "only_big": 3.0}),
        ];
        let g = growth(&[10_000, 100_000, 1_000_000], runs);
        let curve = |name: &str| g.curves.iter().find(|c| c.figure == name).unwrap().clone();
        let round = |c: Curve| c.per_tenfold.iter().map(|f| f.map(|f| (f * 100.0).round() / 100.0)).collect::<Vec<_>>();
        assert_eq!(round(curve("open_ms")), vec![Some(1.0), Some(1.0)]);
        assert_eq!(round(curve("scan.ms")), vec![Some(10.0), Some(10.0)]);
        assert_eq!(round(curve("pairs")), vec![Some(100.0), Some(100.0)]);
        assert_eq!(curve("only_big").per_tenfold, vec![None, None], "missing at the smaller sizes");
        assert!(g.curves.iter().all(|c| c.figure != "samples" && c.figure != "name"));
        let text = table(&g);
        assert!(text.contains("scan.ms") && text.contains("10.00"), "{text}");
    }

    #[test]
    fn a_size_twice_the_one_before_is_measured_per_tenfold_too() {
        let g = growth(&[1000, 2000], vec![json!({"t": 1.0}), json!({"t": 2.0})]);
        // Linear: twice the records, twice the time = 10x per tenfold.
        assert!((g.curves[0].per_tenfold[0].unwrap() - 10.0).abs() < 1e-9);
    }
}
