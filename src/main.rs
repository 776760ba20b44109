use std::process::ExitCode;

use clap::Parser;

// Builds allocate and free millions of small JSON values for templates; mimalloc does that
// markedly faster than the system allocator (see the README's speed section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
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

/// Transparent huge pages make mimalloc hold memory in 2 MiB pieces: a 10,000-page build
/// peaked at about 280 MiB with them and 250 MiB without, at the same speed (measured side
/// by side; see the README's speed section). Only this process is affected.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // one prctl call, before the build allocates much
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's
    // memory policy; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
