//! Criterion micro-benchmarks (`benches/clients/benches/micro.rs`): request encoding and page
//! decoding per operation, cloudjobs against the floor. The estimates are read from
//! criterion's own output (`<id>  time: [low estimate high]`).

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::{Ctx, measure};

pub fn run(ctx: &mut Ctx) -> Result<Value> {
    let target = ctx.programs_target.clone();
    let mut args = vec![
        "bench",
        "--profile",
        ctx.profile,
        "--manifest-path",
        "benches/Cargo.toml",
        "-p",
        "cloudjobs-bench",
    ];
    args.extend(["--bench", "micro", "--", "--noplot"]);
    if ctx.smoke {
        args.extend([
            "--warm-up-time",
            "0.05",
            "--measurement-time",
            "0.1",
            "--sample-size",
            "10",
        ]);
    } else {
        args.extend(["--warm-up-time", "0.5", "--measurement-time", "2"]);
    }
    ctx.note(format!(
        "CARGO_TARGET_DIR={} cargo {}",
        target.display(),
        args.join(" ")
    ));
    let m = measure::run(
        "the criterion micro-benchmarks",
        ctx.cargo(&target).args(&args),
    )?;
    let rows = parse(&m.stdout);
    if rows.is_empty() {
        bail!("criterion printed no estimate:\n{}", m.stdout);
    }
    for r in &rows {
        println!(
            "{:<28} {:>10.2} us",
            r["id"].as_str().unwrap_or("?"),
            r["us"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(json!({"rows": rows}))
}

/// `{"id", "us"}` for every `time: [..]` line: the id is on the same line or the one before.
fn parse(out: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut last_id = String::new();
    for line in out.lines() {
        let (head, rest) = match line.split_once("time:") {
            Some((h, r)) => (h.trim(), Some(r)),
            None => (line.trim(), None),
        };
        if rest.is_none() {
            if !line.starts_with(' ') && !head.is_empty() && !head.contains(':') {
                last_id = head.to_string();
            }
            continue;
        }
        let id = if head.is_empty() {
            last_id.clone()
        } else {
            head.to_string()
        };
        let Some(inside) = rest
            .and_then(|r| r.split_once('['))
            .and_then(|(_, r)| r.split_once(']'))
        else {
            continue;
        };
        // `[low unit mid unit high unit]`: the middle estimate.
        let parts: Vec<&str> = inside.0.split_whitespace().collect();
        if parts.len() != 6 {
            continue;
        }
        let Ok(value) = parts[2].parse::<f64>() else {
            continue;
        };
        let scale = match parts[3] {
            "ps" => 1e-6,
            "ns" => 1e-3,
            "µs" | "us" => 1.0,
            "ms" => 1e3,
            "s" => 1e6,
            _ => continue,
        };
        rows.push(json!({"id": id, "us": value * scale}));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_estimates_on_the_same_or_the_next_line() {
        let out = "encode/ssm/ours         time:   [2.1000 µs 2.2000 µs 2.3000 µs]\n\
                   decode/partner-central/floor\n                        time:   [51.000 µs 52.500 µs 54.000 µs]\n\
                   Found 3 outliers among 100 measurements (3.00%)\n\
                   encode/x/y time: [900.00 ns 1.0000 ms 2.0 s]\n";
        let rows = parse(out);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["id"], "encode/ssm/ours");
        assert!((rows[0]["us"].as_f64().unwrap() - 2.2).abs() < 1e-9);
        assert_eq!(rows[1]["id"], "decode/partner-central/floor");
        assert!((rows[1]["us"].as_f64().unwrap() - 52.5).abs() < 1e-9);
        assert!((rows[2]["us"].as_f64().unwrap() - 1000.0).abs() < 1e-9);
    }
}
