//! Shell integration: `cloudjobs completions <shell>` and `cloudjobs man`.
//!
//! Both are generated from the clap definition of [`Cli`] at run time, so they always match
//! the binary that prints them; packagers can run them at build time
//! (`cloudjobs completions bash > ...`, `cloudjobs man > cloudjobs.1`).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::args::{Cli, ManArgs};
use crate::error::CliError;

/// The completion script of `shell` for the `cloudjobs` binary.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "cloudjobs", &mut out);
    out
}

/// The man page of `cloudjobs`, in roff (section 1): name, synopsis, description, the global
/// options, the subcommands, and the version.
pub fn man_page() -> Result<Vec<u8>, CliError> {
    // As `man --dir` writes them: no page for `help`, so none is listed.
    let cmd = Cli::command().disable_help_subcommand(true);
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| CliError::Other(format!("could not render the man page: {e}")))?;
    Ok(out)
}

/// `cloudjobs completions <shell>`: the script on stdout.
pub fn print_completions(shell: Shell) -> Result<(), CliError> {
    write_stdout(&completions(shell))
}

/// `cloudjobs man`: the page on stdout, or every page into `--dir`.
pub fn man(args: &ManArgs) -> Result<(), CliError> {
    match &args.dir {
        None => write_stdout(&man_page()?),
        Some(dir) => {
            let written = man_pages_to(dir)?;
            let list: String = written
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect();
            write_stdout(list.as_bytes())
        }
    }
}

/// Writes `cloudjobs.1` and one page per subcommand into `dir`; returns the paths, sorted.
pub fn man_pages_to(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let failed = |e: std::io::Error| {
        CliError::Other(format!(
            "could not write man pages to {}: {e}",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(failed)?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(failed)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "1")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("cloudjobs"))
        })
        .collect();
    pages.sort();
    Ok(pages)
}

/// Writes to stdout; a closed pipe (`cloudjobs man | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_binary() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = String::from_utf8(completions(shell)).expect("utf-8");
            assert!(text.contains("cloudjobs"), "{shell}: {text}");
        }
    }
}
