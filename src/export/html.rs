//! The printable report for the municipality: one self-contained HTML page
//! (inline CSS and SVG, no scripts, no external resources), laid out for A4.

use std::fmt::Write;

use super::svg::{self, escape, Series};
use crate::model::*;
use crate::report::Report;

const PERSPECTIVE_COLORS: [&str; 4] = ["#1b7f5b", "#3d6fb6", "#a05a2c", "#8a8f98"];
const LEVEL_COLORS: [&str; 3] = ["#9cc3e6", "#3d6fb6", "#173f73"];

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn row(s: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = write!(s, "<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(&value.to_string()));
}

pub fn report(r: &Report, workspace: &str) -> String {
    let mut s = String::new();
    let title = format!("Effects of co-creation {} – {}", r.period.from, r.period.to);
    let _ = write!(
        s,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title><style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2329;max-width:760px;margin:24px auto;padding:0 16px;line-height:1.45}}
h1{{font-size:24px;margin-bottom:4px}} h2{{font-size:19px;margin-top:32px;border-bottom:2px solid #1b7f5b;padding-bottom:4px}}
table{{border-collapse:collapse;width:100%;margin:8px 0 16px}} th,td{{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ea;font-size:14px}}
td{{text-align:right}} .lead{{color:#56606b}} figure{{margin:12px 0;break-inside:avoid}} figcaption{{font-size:13px;color:#56606b}}
section{{break-inside:avoid-page}} @page{{size:A4;margin:16mm}} @media print{{body{{margin:0;max-width:none}} h2{{break-after:avoid}}}}
</style></head><body>"#,
        escape(&title)
    );
    let _ = write!(s, "<h1>{}</h1>", escape(&title));
    let mut scope = vec![];
    if !workspace.is_empty() {
        scope.push(workspace.to_string());
    }
    if let Some(b) = &r.filter.branch {
        scope.push(format!("branch {b}"));
    }
    if let Some(k) = r.filter.partner_kind {
        scope.push(format!("partners of kind {k}"));
    }
    let _ = write!(
        s,
        r#"<p class="lead">{}Counted from the library's own logs: {} encounters, {} new activities, {} partners at the period's end.</p>"#,
        scope.iter().map(|x| format!("{} · ", escape(x))).collect::<String>(),
        r.personal.encounters,
        r.relevance.new_activities,
        r.visibility.levels_at_end.total()
    );

    // 1 Personal
    let p = &r.personal;
    s.push_str("<section><h2>1 Personal: how staff meet people</h2>");
    let items: Vec<(String, u64, &str)> = Perspective::ALL
        .iter()
        .zip(PERSPECTIVE_COLORS)
        .map(|(v, c)| (v.slug().to_string(), p.by_perspective.get(*v), c))
        .collect();
    let _ = write!(
        s,
        "<figure>{}<figcaption>Encounters by the perspective staff met people with. Co-creative: {}.</figcaption></figure>",
        svg::bars("Encounters by perspective", &items),
        pct(p.co_creative_share)
    );
    let months = &r.months;
    let co: Vec<u64> = p.per_month.iter().map(|m| m.by_perspective.co_creative).collect();
    let other: Vec<u64> = p.per_month.iter().map(|m| m.encounters - m.by_perspective.co_creative).collect();
    let _ = write!(
        s,
        "<figure>{}<figcaption>Encounters per month, co-creative and other.</figcaption></figure>",
        svg::stacked_bars(
            "Encounters per month",
            months,
            &[
                Series { name: "co-creative", color: PERSPECTIVE_COLORS[0], values: co },
                Series { name: "other", color: "#c9ced4", values: other }
            ]
        )
    );
    s.push_str("<table>");
    row(&mut s, "Initiative: citizen or partner", p.initiative.citizen);
    row(&mut s, "Initiative: the library (outreach)", p.initiative.library);
    row(&mut s, "Initiative: not said", p.initiative.unknown);
    row(&mut s, "Co-creative, library active", p.role.active);
    row(&mut s, "Co-creative, library facilitating", p.role.facilitating);
    s.push_str("</table><table><tr><th>Staff member</th><td>Encounters</td><td>Co-creative</td></tr>");
    for st in &p.per_staff {
        let name = if st.name.is_empty() { "(no staff member)" } else { &st.name };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(name),
            st.encounters,
            pct(st.co_creative_share)
        );
    }
    s.push_str("</table></section>");

    // 2 Institutional
    let n = &r.institutional;
    s.push_str("<section><h2>2 Institutional: co-creation across the team</h2>");
    let _ = write!(
        s,
        "<figure>{}<figcaption>Staff who logged encounters, and co-creative ones, each month (team: {} staff).</figcaption></figure>",
        svg::lines(
            "Staff per month",
            months,
            &[
                Series {
                    name: "logging",
                    color: "#8a8f98",
                    values: n.per_month.iter().map(|m| m.staff_logging).collect()
                },
                Series {
                    name: "co-creating",
                    color: PERSPECTIVE_COLORS[0],
                    values: n.per_month.iter().map(|m| m.staff_co_creative).collect()
                },
            ]
        ),
        n.team_size
    );
    s.push_str("<table><tr><th>Branch</th><td>Encounters</td><td>Co-creative</td><td>Staff co-creating</td></tr>");
    for b in &n.branches {
        let name = if b.branch.is_empty() { "(no branch)" } else { &b.branch };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            b.encounters,
            pct(b.co_creative_share),
            b.staff_co_creative
        );
    }
    s.push_str("</table></section>");

    // 3 Relevance
    let v = &r.relevance;
    s.push_str("<section><h2>3 Relevance: what citizens get</h2>");
    let _ = write!(
        s,
        "<figure>{}<figcaption>New activities per month, inside and outside the library room.</figcaption></figure>",
        svg::stacked_bars(
            "New activities per month",
            months,
            &[
                Series { name: "inside", color: "#3d6fb6", values: v.per_month.iter().map(|m| m.inside).collect() },
                Series { name: "outside", color: "#e0a030", values: v.per_month.iter().map(|m| m.outside).collect() },
            ]
        )
    );
    s.push_str("<table>");
    row(&mut s, "New activities", v.new_activities);
    for st in ActivityStatus::ALL {
        row(&mut s, &format!("… now {st}"), v.by_status.get(*st));
    }
    row(&mut s, "Inside the library room", v.inside);
    row(&mut s, "Outside the library room", v.outside);
    row(&mut s, "Started without extra resources", v.without_extra_resources);
    row(&mut s, "Needed extra resources", v.with_extra_resources);
    row(&mut s, "Encounters marked as leading to an activity", v.encounters_marked_new_activity);
    row(&mut s, "Encounters named as an activity's origin", v.encounters_origin_of_activity);
    row(&mut s, "Encounters outside the library room", v.encounters_outside);
    s.push_str("</table></section>");

    // 4 Visibility
    let w = &r.visibility;
    s.push_str("<section><h2>4 Visibility: the network circle</h2>");
    let series: Vec<Series<'_>> = Level::ALL
        .iter()
        .zip(LEVEL_COLORS)
        .map(|(l, c)| Series {
            name: l.slug(),
            color: c,
            values: w.levels_per_month.iter().map(|m| m.levels.get(*l)).collect(),
        })
        .collect();
    let _ = write!(
        s,
        "<figure>{}<figcaption>Partners at each level of the network circle at the end of each month.</figcaption></figure>",
        svg::stacked_area("Partners per level", months, &series)
    );
    s.push_str("<table><tr><th>Level</th><td>At start</td><td>At end</td></tr>");
    for l in Level::ALL {
        let _ = write!(
            s,
            "<tr><th>{l}</th><td>{}</td><td>{}</td></tr>",
            w.levels_at_start.get(*l),
            w.levels_at_end.get(*l)
        );
    }
    s.push_str("</table><table>");
    row(&mut s, "New partners", w.new_partners);
    row(&mut s, "Moves up the circle", w.moves_up);
    row(&mut s, "Moves down the circle", w.moves_down);
    row(&mut s, "Encounters with municipal departments", w.departments.encounters);
    row(&mut s, "… on the department's initiative", w.departments.from_departments);
    row(&mut s, "… on the library's initiative", w.departments.to_departments);
    row(&mut s, "… marked as invitations", w.departments.invitations);
    s.push_str("</table><table><tr><th>Partner kind</th><td>Partners</td><td>New</td><td>Met</td></tr>");
    for k in &w.kinds {
        let _ = write!(s, "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>", k.kind, k.partners, k.new, k.met);
    }
    s.push_str("</table></section></body></html>\n");
    s
}
