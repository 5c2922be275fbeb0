//! The command line: one module per subcommand, each using the same analysis as the server.

mod check;
mod define;
mod listing;
mod outcomes;

use std::path::PathBuf;

use crate::load::load_primer;

pub const USAGE: &str = "\
primer-ls: a language server that makes Markdown course notes aware of the course text (the primer)

Usage:
  primer-ls [--stdio]                      serve the Language Server Protocol on stdin/stdout
  primer-ls check [--primer DIR] [--format text|json] [PATH...]
                                           lint notes (default: the current folder); with --primer,
                                           lint that primer too. Exit 1 when errors were found.
  primer-ls define [--primer DIR] TERM     print a term's definition and where it is defined
  primer-ls sections [--primer DIR]        list the primer's sections and headings
  primer-ls terms [--primer DIR]           list the primer's glossary terms
  primer-ls outcomes [--primer DIR] [--format text|json] [--html FILE] [PATH...]
                                           learning-outcome progress of the notes in PATH
                                           (default: the current folder), per section; --html
                                           writes a self-contained page
  primer-ls --help | --version

Without --primer the bundled Distributed Software Systems Architecture primer is used.
Exit codes: 0 fine, 1 problems found (check) or unknown term (define), 2 bad usage or unreadable input.";

/// A usage or input error: printed, exit code 2.
pub struct Fatal(pub String);

impl From<crate::load::LoadError> for Fatal {
    fn from(e: crate::load::LoadError) -> Fatal {
        Fatal(e.0)
    }
}

pub(crate) struct Args {
    pub primer: Option<PathBuf>,
    pub json: bool,
    pub html: Option<PathBuf>,
    pub help: bool,
    pub rest: Vec<String>,
}
fn parse_args(args: &[String]) -> Result<Args, Fatal> {
    let mut out = Args {
        primer: None,
        json: false,
        html: None,
        help: false,
        rest: vec![],
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--primer" => {
                out.primer = Some(PathBuf::from(
                    it.next()
                        .ok_or_else(|| Fatal("--primer needs a folder".into()))?,
                ))
            }
            "--format" => match it.next().map(String::as_str) {
                Some("json") => out.json = true,
                Some("text") => out.json = false,
                other => {
                    return Err(Fatal(format!(
                        "--format must be text or json, not {}",
                        other.unwrap_or("nothing")
                    )))
                }
            },
            "--html" => {
                out.html = Some(PathBuf::from(
                    it.next()
                        .ok_or_else(|| Fatal("--html needs a file name".into()))?,
                ))
            }
            "--help" | "-h" => out.help = true,
            s if s.starts_with("--primer=") => {
                out.primer = Some(PathBuf::from(&s["--primer=".len()..]))
            }
            s if s.starts_with("--") => return Err(Fatal(format!("unknown option {s}"))),
            s => out.rest.push(s.to_string()),
        }
    }
    Ok(out)
}

/// Runs a subcommand; returns the exit code.
pub fn run(command: &str, args: &[String]) -> Result<i32, Fatal> {
    let args = parse_args(args)?;
    if args.help {
        println!("{USAGE}");
        return Ok(0);
    }
    let primer = load_primer(args.primer.as_deref())?;
    let mut out = std::io::stdout().lock();
    match command {
        "check" => check::check(primer, &args, &mut out),
        "define" => define::define(&primer, &args, &mut out),
        "outcomes" => outcomes::outcomes(primer, &args, &mut out),
        "sections" => Ok(listing::sections(&primer, &mut out)),
        "terms" => Ok(listing::terms(&primer, &mut out)),
        _ => Err(Fatal(format!("unknown command '{command}'\n\n{USAGE}"))),
    }
}
