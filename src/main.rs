use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kring::commands::Cli::parse();
    match kring::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
