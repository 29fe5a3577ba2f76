//! `cloudjobs completions` and `cloudjobs man` as processes: each script knows every
//! subcommand, bash accepts its script, and the man page is roff with the global options.

use std::process::{Command, Stdio};

use clap::CommandFactory;
use cloudjobs_cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");

fn stdout_of(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run cloudjobs");
    assert!(
        out.status.success(),
        "cloudjobs {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|n| n != "help")
        .collect()
}

#[test]
fn completion_scripts_know_every_subcommand() {
    let names = subcommands();
    assert!(names.contains(&"completions".to_owned()), "{names:?}");
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} misses `{name}`");
        }
        // Nested subcommands and global options too.
        assert!(script.contains("watch"), "{shell}");
        assert!(script.contains("config-profile"), "{shell}");
    }
    assert!(stdout_of(&["completions", "zsh"]).starts_with("#compdef cloudjobs"));
    assert!(stdout_of(&["completions", "fish"]).contains("complete -c cloudjobs"));
}

#[test]
fn bash_accepts_its_script() {
    let script = stdout_of(&["completions", "bash"]);
    let Ok(out) = Command::new("bash")
        .args(["-n", "-c", &script])
        .stdin(Stdio::null())
        .output()
    else {
        eprintln!("no bash here: only the contents were checked");
        return;
    };
    assert!(
        out.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The roff requests clap_mangen emits; anything else at the start of a line would be a
/// stray control character in our help text.
const REQUESTS: [&str; 13] = [
    "TH", "SH", "SS", "TP", "PP", "IP", "RS", "RE", "B", "I", "br", "ie", "el",
];

#[test]
fn the_man_page_is_roff_with_the_global_options() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH cloudjobs 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS"] {
        assert!(page.contains(section), "missing {section}");
    }
    for line in page.lines() {
        if let Some(rest) = line.strip_prefix('.').or_else(|| line.strip_prefix('\'')) {
            let request = rest.split_whitespace().next().unwrap_or("");
            assert!(
                REQUESTS.contains(&request),
                "unexpected roff request `{request}` in line {line:?}"
            );
        }
    }
    // Options are escaped as roff wants (`\-`).
    for option in [
        "endpoint-url",
        "config",
        "config-profile",
        "output",
        "region",
        "token",
    ] {
        assert!(
            page.contains(&format!("\\-\\-{}", option.replace('-', "\\-"))),
            "missing --{option}"
        );
    }
    for name in subcommands() {
        let escaped = name.replace('-', "\\-");
        assert!(page.contains(&escaped), "the page does not list `{name}`");
    }
    // With groff at hand, the page renders without a warning.
    let Ok(mut child) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("no groff here: the page was checked line by line only");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write to groff");
    let out = child.wait_with_output().expect("groff");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = std::env::temp_dir().join(format!("cloudjobs-man-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let listed = stdout_of(&["man", "--dir", dir.to_str().expect("UTF-8 temp dir")]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the directory was created")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    for expected in [
        "cloudjobs.1",
        "cloudjobs-config-show.1",
        "cloudjobs-ssm-mw-list.1",
        "cloudjobs-completions.1",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
        assert!(listed.contains(expected), "{listed}");
    }
    // The top-level page is the one `cloudjobs man` prints.
    let top = std::fs::read_to_string(dir.join("cloudjobs.1")).expect("top page");
    assert_eq!(top, stdout_of(&["man"]));
    let show = std::fs::read_to_string(dir.join("cloudjobs-config-show.1")).expect("page");
    assert!(show.contains(".TH cloudjobs-config-show 1"), "{show}");
    let _ = std::fs::remove_dir_all(&dir);
}
