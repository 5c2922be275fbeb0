//! The command line, declared with clap: one module per subcommand, each with its own options
//! and help, all using the same analysis as the server. Exit codes: 0 fine, 1 problems found
//! (`check`) or an unknown term (`define`), 2 bad usage or unreadable input.

mod check;
mod cohort;
mod define;
mod listing;
mod outcomes;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::load::load_primer;
use crate::workspace_config::WorkspaceConfig;

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
    /// A class's outcome progress: one folder per student in DIR, as a table, JSON or a page.
    Cohort(cohort::CohortArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `--primer DIR` (which course text to use) and `--glossary` (what supplements one without a
/// glossary of its own).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PrimerOption {
    /// The course text folder (default: the bundled primer).
    #[arg(long, value_name = "DIR")]
    pub primer: Option<PathBuf>,
    /// For a course text with no glossary: the glossary that supplements it for the terms it
    /// uses (a Markdown file of definition lists), or `none` (default: the bundled glossary).
    #[arg(long, value_name = "FILE|none")]
    pub glossary: Option<String>,
}

impl PrimerOption {
    pub fn load(&self) -> Result<std::sync::Arc<primer_analysis::Primer>, crate::load::LoadError> {
        self.load_in(None)
    }

    /// The primer for a workspace: `--primer`, else the config file's `primer`, else the
    /// bundled one; the config's words that are not terms are left out.
    pub fn load_in(
        &self,
        config: Option<&WorkspaceConfig>,
    ) -> Result<std::sync::Arc<primer_analysis::Primer>, crate::load::LoadError> {
        let glossary = crate::primer_source::Supplement::from_setting(self.glossary.as_deref());
        let not_terms = config.map_or(&[][..], |c| c.not_terms.as_slice());
        load_primer(self.folder(config).as_deref(), &glossary, not_terms)
    }

    /// The notes under `paths` (default: the current folder) analysed with their workspace's
    /// primer: the workspace config file is found from the first path, and `--primer` wins
    /// over its `primer`; files in the primer folder in use are not notes.
    pub fn notes(
        &self,
        paths: &[String],
    ) -> Result<(primer_analysis::World, Vec<crate::scan::FileWarning>), crate::load::LoadError>
    {
        let config = crate::load::workspace_config(paths);
        let primer = self.load_in(config.as_ref())?;
        let folder = self.folder(config.as_ref());
        crate::load::load_notes(primer, paths, folder.as_deref(), config.as_ref())
    }

    /// The primer folder in use: `--primer`, else the config file's `primer`.
    pub fn folder(&self, config: Option<&WorkspaceConfig>) -> Option<PathBuf> {
        self.primer
            .clone()
            .or_else(|| config.and_then(|c| c.primer.clone()))
    }
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
        Command::Check(args) => check::check(&args, &mut out),
        Command::Define(args) => {
            let primer = args.primer.load()?;
            define::define(&primer, &args, &mut out)
        }
        Command::Outcomes(args) => outcomes::outcomes(&args, &mut out),
        Command::Cohort(args) => {
            let primer = args.primer.load()?;
            cohort::cohort(primer, &args, &mut out)
        }
        Command::Sections(p) => {
            let primer = p.load()?;
            Ok(listing::sections(&primer, &mut out))
        }
        Command::Terms(p) => {
            let primer = p.load()?;
            Ok(listing::terms(&primer, &mut out))
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "primer-ls", &mut out);
            Ok(0)
        }
    }
}
