//! `BENCHMARKS.md` from the results of each section: the figures, the targets of issue 13
//! met or not, the machine, the date and the exact commands.

use std::fmt::Write;

use serde_json::{Map, Value};

use super::num;
use super::requests::AWS;

/// One target: what it says, the figure, and whether it is met (`None`: not measured).
struct Target {
    what: String,
    figure: String,
    met: Option<bool>,
}

pub fn render(results: &Map<String, Value>, smoke: bool) -> String {
    let mut out = String::new();
    let mut targets = Vec::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench{}` (see CONTRIBUTING.md); do not edit by hand. Every \
         comparison is a ratio against a baseline measured in the same run: the machine is \
         shared, so absolute times are noisy, ratios much less so.\n",
        if smoke { " --smoke" } else { "" }
    );
    if smoke {
        let _ = writeln!(
            out,
            "**Smoke run**: tiny sizes, warm builds, no official SDK. These figures show the \
             programs work; they measure nothing. Targets are not judged.\n"
        );
    }
    let mut sections = String::new();
    if results.contains_key("build") || results.contains_key("build-official") {
        let empty = Value::Null;
        let b = results.get("build").unwrap_or(&empty);
        let official = results.get("build-official").unwrap_or(&empty);
        build(&mut sections, b, official, &mut targets);
    }
    if let Some(r) = results.get("requests") {
        requests(&mut sections, r, &mut targets);
    }
    if let Some(m) = results.get("memory") {
        memory(&mut sections, m, &mut targets);
    }
    if let Some(l) = results.get("load") {
        load(&mut sections, l, &mut targets);
    }
    if let Some(m) = results.get("micro") {
        micro(&mut sections, m);
    }

    let _ = writeln!(out, "## Targets (issue 13)\n");
    let _ = writeln!(out, "| target | measured | met |\n|---|---|---|");
    for t in &targets {
        let met = match (smoke, t.met) {
            (true, _) => "(smoke)",
            (false, Some(true)) => "**met**",
            (false, Some(false)) => "**not met**",
            (false, None) => "not measured",
        };
        let _ = writeln!(out, "| {} | {} | {met} |", t.what, t.figure);
    }
    out.push('\n');
    out.push_str(&sections);

    let _ = writeln!(out, "## Where and how\n");
    for (name, v) in results {
        let _ = writeln!(
            out,
            "**{name}**: {}, on {}.\n\n```text",
            v["date"].as_str().unwrap_or("?"),
            v["machine"].as_str().unwrap_or("?")
        );
        for c in v["commands"].as_array().into_iter().flatten() {
            let _ = writeln!(out, "{}", c.as_str().unwrap_or(""));
        }
        let _ = writeln!(out, "```\n");
    }
    out
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

fn build(out: &mut String, b: &Value, b_official: &Value, targets: &mut Vec<Target>) {
    let _ = writeln!(out, "## Build\n");
    let _ = writeln!(
        out,
        "Release builds of a hello-world that calls every operation (`benches/hello-*`), each in a \
         fresh target directory with the sources already downloaded. CPU is user + system of \
         cargo and every rustc; peak memory is the largest single process.\n"
    );
    let _ = writeln!(
        out,
        "| hello-world | wall | CPU | peak memory | crates compiled | binary | stripped |\n|---|---|---|---|---|---|---|"
    );
    let builds = &b["builds"];
    for (name, label) in [
        ("ours", "cloudjobs `full` (five services)"),
        (
            "official",
            "aws-sdk-ssm + aws-sdk-macie2 + aws-sdk-partnercentralselling + aws-config",
        ),
        (
            "floor",
            "floor: reqwest (rustls, ring) + serde + serde_json + tokio + aws-sigv4",
        ),
    ] {
        let v = if name == "official" {
            &b_official["builds"][name]
        } else {
            &builds[name]
        };
        if v.is_null() {
            let _ = writeln!(out, "| {label} | skipped | | | | | |");
            continue;
        }
        let _ = writeln!(
            out,
            "| {label} | {:.0} s | {:.0} s | {:.2} GB | {} | {} | {} |",
            num(v, "wall_s"),
            num(v, "cpu_s"),
            num(v, "max_rss_kib") / 1048576.0,
            num(v, "crates"),
            mb(num(v, "binary_bytes")),
            mb(num(v, "stripped_bytes")),
        );
    }
    let (ours, official, floor) = (
        &builds["ours"],
        &b_official["builds"]["official"],
        &builds["floor"],
    );
    let cmp = |key: &str, other: &Value| ratio(num(ours, key), num(other, key));
    if !official.is_null() && !ours.is_null() {
        let (w, c) = (cmp("wall_s", official), cmp("cpu_s", official));
        targets.push(Target {
            what: "cold build of `full` ≤ 0.25× the official three-crate build (wall and CPU)"
                .into(),
            figure: format!("wall {w:.2}×, CPU {c:.2}×"),
            met: Some(w <= 0.25 && c <= 0.25),
        });
    }
    if !floor.is_null() && !ours.is_null() {
        let (w, c) = (cmp("wall_s", floor), cmp("cpu_s", floor));
        targets.push(Target {
            what: "cold build of `full` ≤ 1.1× the floor (wall and CPU)".into(),
            figure: format!("wall {w:.2}×, CPU {c:.2}×"),
            met: Some(w <= 1.1 && c <= 1.1),
        });
        let s = cmp("stripped_bytes", floor);
        targets.push(Target {
            what: "stripped binary ≤ 1.2× the floor's".into(),
            figure: format!(
                "{} vs {} = {s:.2}×",
                mb(num(ours, "stripped_bytes")),
                mb(num(floor, "stripped_bytes"))
            ),
            met: Some(s <= 1.2),
        });
    }
    let rebuild = &b["rebuild"];
    if !rebuild.is_null() && !ours.is_null() {
        let r = ratio(num(rebuild, "wall_s"), num(ours, "wall_s"));
        let _ = writeln!(
            out,
            "\nRebuild of ours after editing one documentation string of `specs/ssm-mw.smithy.json` \
             and running `cargo xtask codegen`: {:.0} s wall, {:.0} s CPU, {} crates recompiled.",
            num(rebuild, "wall_s"),
            num(rebuild, "cpu_s"),
            num(rebuild, "crates")
        );
        targets.push(Target {
            what: "rebuild after one spec change ≤ 20% of our cold build (wall)".into(),
            figure: format!(
                "{:.0} s of {:.0} s = {:.0}%",
                num(rebuild, "wall_s"),
                num(ours, "wall_s"),
                r * 100.0
            ),
            met: Some(r <= 0.2),
        });
    }
    let codegen = &b["codegen"];
    let after = &b["codegen_after_edit"];
    if codegen.is_null() {
        return;
    }
    let _ = writeln!(
        out,
        "\n`cargo xtask codegen` (xtask already built): {:.2} s wall with nothing to change{}.\n",
        num(codegen, "wall_s"),
        if after.is_null() {
            String::new()
        } else {
            format!(", {:.2} s after the spec edit", num(after, "wall_s"))
        }
    );
    let worst = num(codegen, "wall_s").max(num(after, "wall_s"));
    targets.push(Target {
        what: "`cargo xtask codegen` ≤ 2 s".into(),
        figure: format!("{worst:.2} s"),
        met: Some(worst <= 2.0),
    });
    let skipped = b["skipped"]
        .as_array()
        .into_iter()
        .chain(b_official["skipped"].as_array());
    for s in skipped.flatten() {
        let _ = writeln!(out, "- {}", s.as_str().unwrap_or(""));
    }
    out.push('\n');
}

fn requests(out: &mut String, r: &Value, targets: &mut Vec<Target>) {
    let rows = r["rows"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(out, "## Request cost\n");
    let _ = writeln!(
        out,
        "Client CPU (getrusage of the client process, user + system) and wall time per page, \
         paging the same data from `cloudjobs emulator` in another process ({} jobs per \
         service). The first page is fetched before measuring. Best of {} runs.\n",
        num(r, "jobs_per_service"),
        num(r, "repeats")
    );
    let _ = writeln!(
        out,
        "| operation | client | page size | pages | CPU/page | wall/page | CPU vs official | CPU vs floor |\n|---|---|---|---|---|---|---|---|"
    );
    let find = |service: &str, client: &str| {
        rows.iter()
            .find(|v| v["service"] == service && v["client"] == client)
            .cloned()
    };
    for v in &rows {
        let service = v["service"].as_str().unwrap_or("?");
        let cpu = num(v, "cpu_us_per_page");
        let vs = |client: &str| {
            find(service, client)
                .map(|o| format!("{:.2}×", ratio(cpu, num(&o, "cpu_us_per_page"))))
                .unwrap_or_else(|| "–".into())
        };
        let _ = writeln!(
            out,
            "| {service} | {} | {} | {} | {cpu:.0} µs | {:.0} µs | {} | {} |",
            v["client"].as_str().unwrap_or("?"),
            num(v, "page_size"),
            num(v, "pages"),
            num(v, "wall_us_per_page"),
            vs("official"),
            vs("floor"),
        );
    }
    out.push('\n');
    for service in AWS {
        let Some(ours) = find(service, "ours") else {
            continue;
        };
        let cpu = num(&ours, "cpu_us_per_page");
        if let Some(o) = find(service, "official") {
            let x = ratio(cpu, num(&o, "cpu_us_per_page"));
            targets.push(Target {
                what: format!("{service}: client CPU/page ≤ 0.5× the official SDK"),
                figure: format!(
                    "{cpu:.0} µs vs {:.0} µs = {x:.2}×",
                    num(&o, "cpu_us_per_page")
                ),
                met: Some(x <= 0.5),
            });
        }
        if let Some(f) = find(service, "floor") {
            let x = ratio(cpu, num(&f, "cpu_us_per_page"));
            targets.push(Target {
                what: format!("{service}: client CPU/page ≤ 1.1× the typed floor"),
                figure: format!(
                    "{cpu:.0} µs vs {:.0} µs = {x:.2}×",
                    num(&f, "cpu_us_per_page")
                ),
                met: Some(x <= 1.1),
            });
        }
    }
}

fn memory(out: &mut String, m: &Value, targets: &mut Vec<Target>) {
    let rows = m["rows"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(out, "## Memory\n");
    let _ = writeln!(
        out,
        "Peak resident set size of a process that streams SSM tasks through \
         `into_paginator().items()` (pages of 100) and keeps none.\n"
    );
    let _ = writeln!(
        out,
        "| items | peak RSS | client CPU | wall |\n|---|---|---|---|"
    );
    for v in &rows {
        let _ = writeln!(
            out,
            "| {} | {:.1} MiB | {:.1} s | {:.1} s |",
            num(v, "items"),
            num(v, "peak_rss_kib") / 1024.0,
            num(v, "cpu_s"),
            num(v, "wall_s")
        );
    }
    out.push('\n');
    if let [small, large] = rows.as_slice() {
        let x = ratio(num(large, "peak_rss_kib"), num(small, "peak_rss_kib"));
        targets.push(Target {
            what: format!(
                "peak RSS at {} items ≤ 1.2× at {} items",
                num(large, "items"),
                num(small, "items")
            ),
            figure: format!("{x:.2}×"),
            met: Some(x <= 1.2),
        });
    }
}

fn load(out: &mut String, l: &Value, targets: &mut Vec<Target>) {
    let rows = l["rows"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(out, "## Emulator under load\n");
    let _ = writeln!(
        out,
        "`bench-load`: {} keep-alive HTTP/1.1 connections replaying the first page ({} items) of \
         each service for {} s; server CPU from `/proc/<pid>/stat` of the emulator (10 ms \
         ticks). The load client runs on the same cores.\n",
        num(l, "connections"),
        num(l, "page_size"),
        num(l, "seconds")
    );
    let _ = writeln!(
        out,
        "| jobs per service | service | requests/s | server CPU/page | errors |\n|---|---|---|---|---|"
    );
    for v in &rows {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} µs | {} |",
            num(v, "jobs"),
            v["service"].as_str().unwrap_or("?"),
            num(v, "rps"),
            num(v, "server_cpu_us_per_page"),
            num(v, "errors")
        );
    }
    out.push('\n');
    let sizes: Vec<f64> = {
        let mut s: Vec<f64> = rows.iter().map(|v| num(v, "jobs")).collect();
        s.dedup();
        s
    };
    if let [small, large] = sizes.as_slice() {
        for v in rows.iter().filter(|v| num(v, "jobs") == *large) {
            let service = v["service"].as_str().unwrap_or("?");
            let Some(s) = rows
                .iter()
                .find(|r| num(r, "jobs") == *small && r["service"] == service)
            else {
                continue;
            };
            let x = ratio(
                num(v, "server_cpu_us_per_page"),
                num(s, "server_cpu_us_per_page"),
            );
            targets.push(Target {
                what: format!(
                    "emulator {service}: server CPU/page at {large} jobs ≤ 1.5× at {small}"
                ),
                figure: format!(
                    "{:.0} µs vs {:.0} µs = {x:.2}×",
                    num(v, "server_cpu_us_per_page"),
                    num(s, "server_cpu_us_per_page")
                ),
                met: Some(x <= 1.5),
            });
        }
    }
    if !rows.is_empty() {
        let worst = rows
            .iter()
            .min_by(|a, b| num(a, "rps").total_cmp(&num(b, "rps")))
            .cloned()
            .unwrap_or(Value::Null);
        let best = rows.iter().map(|v| num(v, "rps")).fold(0.0, f64::max);
        targets.push(Target {
            what: "emulator ≥ 10,000 requests/s on loopback (every service and size)".into(),
            figure: format!(
                "{:.0} to {best:.0} req/s (lowest: {} at {} jobs)",
                num(&worst, "rps"),
                worst["service"].as_str().unwrap_or("?"),
                num(&worst, "jobs")
            ),
            met: Some(num(&worst, "rps") >= 10_000.0),
        });
    }
}

fn micro(out: &mut String, m: &Value) {
    let rows = m["rows"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(out, "## Micro-benchmarks (criterion)\n");
    let _ = writeln!(
        out,
        "`encode`: validation, serialization, endpoint, headers and SigV4 signature (bearer token \
         for SpaceONE and Cloud Rewind) of one request, not sent. `decode`: one full page \
         (SSM, Partner Central and SpaceONE 100 items, Macie2 25) into the output type. Mean \
         estimates.\n"
    );
    let _ = writeln!(
        out,
        "| benchmark | ours | floor | ours / floor |\n|---|---|---|---|"
    );
    for v in rows
        .iter()
        .filter(|v| v["id"].as_str().is_some_and(|id| id.ends_with("/ours")))
    {
        let id = v["id"].as_str().unwrap_or("?");
        let base = id.trim_end_matches("/ours");
        let floor = rows
            .iter()
            .find(|r| r["id"].as_str() == Some(&format!("{base}/floor")));
        let ours = num(v, "us");
        let (f, x) = match floor {
            Some(f) => (
                format!("{:.2} µs", num(f, "us")),
                format!("{:.2}×", ratio(ours, num(f, "us"))),
            ),
            None => ("–".into(), "–".into()),
        };
        let _ = writeln!(out, "| {base} | {ours:.2} µs | {f} | {x} |");
    }
    out.push('\n');
}
