//! The `cloudjobs` binary; see the `cloudjobs_cli` library for the commands.

fn main() -> std::process::ExitCode {
    cloudjobs_cli::main()
}
