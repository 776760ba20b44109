use std::process::ExitCode;

use clap::Parser;

// Builds allocate and free millions of small JSON values for templates; mimalloc does that
// markedly faster than the system allocator (see the README's speed section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = kring::commands::Cli::parse();
    match kring::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            kring::cleanup::let_a_signal_finish();
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
