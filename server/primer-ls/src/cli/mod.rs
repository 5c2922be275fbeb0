//! The command line, declared with clap: one module per subcommand, each with its own options
//! and help, all using the same analysis as the server. Exit codes: 0 fine, 1 problems found
//! (`check`) or an unknown term (`define`), 2 bad usage or unreadable input.

mod check;
mod define;
mod listing;
mod outcomes;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::load::load_primer;

/// primer-ls: a language server that makes Markdown course notes aware of the course text (the
/// primer). Without a command it serves the Language Server Protocol on stdin/stdout.
#[derive(Parser, Debug)]
#[command(
    name = "primer-ls",
    version,
    after_help = "Without --primer the bundled Distributed Software Systems Architecture primer is used.\nExit codes: 0 fine, 1 problems found (check) or unknown term (define), 2 bad usage or unreadable input."
)]
pub struct Cli {
    /// Serve LSP on stdin/stdout (the default; accepted for editors that pass it).
    #[arg(long, global = false)]
    pub stdio: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the Language Server Protocol on stdin/stdout.
    Serve,
    /// Lint notes (default: the current folder); with --primer, lint that primer too.
    Check(check::CheckArgs),
    /// Print a term's definition and where it is taught.
    Define(define::DefineArgs),
    /// List the primer's sections and headings, with their link ids.
    Sections(PrimerOption),
    /// List the primer's terms and the section defining each.
    Terms(PrimerOption),
    /// Learning-outcome progress of the notes in PATH, per section.
    Outcomes(outcomes::OutcomesArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `--primer DIR`: which course text to use.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PrimerOption {
    /// The course text folder (default: the bundled primer).
    #[arg(long, value_name = "DIR")]
    pub primer: Option<PathBuf>,
}

/// `--format text|json`.
#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// A usage or input error: printed, exit code 2.
pub struct Fatal(pub String);

impl From<crate::load::LoadError> for Fatal {
    fn from(e: crate::load::LoadError) -> Fatal {
        Fatal(e.0)
    }
}

/// Runs a subcommand; returns the exit code.
pub fn run(command: Command) -> Result<i32, Fatal> {
    let mut out = std::io::stdout().lock();
    match command {
        Command::Serve => unreachable!("served by main"),
        Command::Check(args) => {
            let primer = load_primer(args.primer.primer.as_deref())?;
            check::check(primer, &args, &mut out)
        }
        Command::Define(args) => {
            let primer = load_primer(args.primer.primer.as_deref())?;
            define::define(&primer, &args, &mut out)
        }
        Command::Outcomes(args) => {
            let primer = load_primer(args.primer.primer.as_deref())?;
            outcomes::outcomes(primer, &args, &mut out)
        }
        Command::Sections(p) => {
            let primer = load_primer(p.primer.as_deref())?;
            Ok(listing::sections(&primer, &mut out))
        }
        Command::Terms(p) => {
            let primer = load_primer(p.primer.as_deref())?;
            Ok(listing::terms(&primer, &mut out))
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "primer-ls", &mut out);
            Ok(0)
        }
    }
}
