//! Shell integration: `cloudjobs completions <shell>` and `cloudjobs man`.
//!
//! Both are generated from the clap definition of [`Cli`] at run time, so they always match
//! the binary that prints them; packagers can run them at build time
//! (`cloudjobs completions bash > ...`, `cloudjobs man > cloudjobs.1`).

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::args::Cli;
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
    let cmd = Cli::command();
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

/// `cloudjobs man`: the page on stdout.
pub fn print_man() -> Result<(), CliError> {
    write_stdout(&man_page()?)
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
