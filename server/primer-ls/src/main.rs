//! primer-ls: serve LSP on stdio, or run a command-line check.

mod cli;
mod disk;
mod html;
mod load;
mod lsp;
mod memory;
mod primer_source;
mod scan;
mod text_buffer;
mod workspace_config;

fn main() {
    use clap::Parser;
    memory::limit_malloc_arenas();
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
