//! primer-ls: serve LSP on stdio, or run a command-line check.

mod cli;
mod disk;
mod html;
mod load;
mod lsp;
mod primer_source;
mod scan;
mod text_buffer;
mod workspace_config;

fn main() {
    use clap::Parser;
    limit_malloc_arenas();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version print and exit 0; usage errors exit 2.
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        None | Some(cli::Command::Serve) => lsp::serve_stdio(),
        Some(command) => match cli::run(command) {
            Ok(code) => code,
            Err(cli::Fatal(message)) => {
                eprintln!("primer-ls: {message}");
                2
            }
        },
    };
    std::process::exit(code);
}

/// Caps glibc's malloc arenas at two per core before any thread starts. By default glibc gives
/// up to eight per core, and memory freed in one thread's arena is not reused by another: a
/// server whose requests, reading threads and background checks each allocate in their own
/// arena held about a third more memory at its peak (`bench/lsp_bench.py`, 10,000 notes) than
/// with the cap, and answered no faster.
///
/// And blocks of 4 MB or more always get memory of their own from the system, given back when
/// freed. By default the threshold follows the largest block freed so far, so after the first
/// large answer every later one came from the arenas, which kept what it left behind: 30
/// answers of 20,000 references raised the peak by about 20 MB, about 10 with the threshold
/// fixed (a threshold of 1 MB or less also put each edit of a 1 MB note's buffers through the
/// system, and slowed its keystrokes by half a millisecond).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = (2 * cores).clamp(2, 16) as libc::c_int;
        // SAFETY: mallopt only sets a parameter of the allocator; it is called before any
        // other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
            libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        }
    }
}
