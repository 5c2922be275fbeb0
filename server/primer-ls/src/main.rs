//! primer-ls: serve LSP on stdio, or run a command-line check.

mod cli;
mod disk;
mod html;
mod load;
mod lsp;
mod primer_source;
mod scan;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        None | Some("--stdio") | Some("serve") => lsp::serve_stdio(),
        Some("--help") | Some("-h") | Some("help") => {
            println!("{}", cli::USAGE);
            0
        }
        Some("--version") | Some("-V") => {
            println!("primer-ls {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some(command) => match cli::run(command, &args[1..]) {
            Ok(code) => code,
            Err(cli::Fatal(message)) => {
                eprintln!("primer-ls: {message}");
                2
            }
        },
    };
    std::process::exit(code);
}
