//! The workspace config file, `.primer-ls.toml`, at the top of a notes folder:
//!
//! ```toml
//! # The course text: a folder of Markdown sections, relative to this file.
//! primer = "../course/primer"
//! # Folders and files that are not notes, in .gitignore syntax, relative to this file.
//! exclude = ["drafts/", "templates/", "*.tmp.md"]
//! # Words that are not terms in these notes (a class that says "deadline" for homework).
//! not-terms = ["deadline"]
//! ```
//!
//! The file marks the workspace root: the server indexes the notes from there (not above the
//! repository's top), and links with a leading `/` start there. Every key is optional. A key
//! the file does not know, a value of the wrong type or a file that is not TOML is reported
//! and the rest is used.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use crate::disk::{self, Allowed};

pub const FILE_NAME: &str = ".primer-ls.toml";

/// What a `.primer-ls.toml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceConfig {
    /// The file (its folder is the workspace root).
    pub file: PathBuf,
    /// `primer`: the course text folder, resolved against the file's folder.
    pub primer: Option<PathBuf>,
    /// `exclude`: patterns in .gitignore syntax, relative to the file's folder.
    pub exclude: Vec<String>,
    /// `not-terms`: words that are not terms in this workspace.
    pub not_terms: Vec<String>,
    /// What in the file could not be used, as messages that name the file.
    pub problems: Vec<String>,
    /// The file is not TOML at all (perhaps saved half-written): nothing in it was read.
    pub unreadable: bool,
}

impl WorkspaceConfig {
    /// The folder holding the file: the workspace root.
    pub fn root(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("/"))
    }

    /// Reads the file through the gate (a regular file of at most 32 MB, in its own folder).
    /// A file that cannot be read gives a config with only that problem.
    pub fn load(file: &Path) -> WorkspaceConfig {
        let folder = file.parent().unwrap_or(Path::new("/"));
        match disk::read(file, &Allowed::new([folder])) {
            Ok(read) => WorkspaceConfig::parse(file, &read.text),
            Err(refused) => WorkspaceConfig {
                file: file.to_path_buf(),
                problems: vec![format!("{}: {refused}", file.display())],
                unreadable: true,
                ..Default::default()
            },
        }
    }

    /// The settings in `text`, the contents of `file`.
    pub fn parse(file: &Path, text: &str) -> WorkspaceConfig {
        let mut config = WorkspaceConfig {
            file: file.to_path_buf(),
            ..Default::default()
        };
        let shown = file.display().to_string();
        let doc = match text.parse::<DocumentMut>() {
            Ok(doc) => doc,
            Err(e) => {
                let message = e.to_string().replace('\n', " ");
                config.problems.push(format!(
                    "{shown} is not valid TOML and is not used: {}",
                    message.trim()
                ));
                config.unreadable = true;
                return config;
            }
        };
        for (key, item) in doc.iter() {
            match key {
                "primer" => match item.as_str() {
                    Some(p) if !p.trim().is_empty() => {
                        config.primer = Some(config.root().join(p.trim()));
                    }
                    _ => config.problems.push(format!(
                        "{shown}: `primer` must be a folder's path, as a string"
                    )),
                },
                "exclude" => config.exclude = strings(item, key, &shown, &mut config.problems),
                "not-terms" => {
                    config.not_terms = strings(item, key, &shown, &mut config.problems)
                        .into_iter()
                        .map(|w| w.split_whitespace().collect::<Vec<_>>().join(" "))
                        .filter(|w| !w.is_empty())
                        .collect();
                }
                other => config.problems.push(format!(
                    "{shown}: unknown key `{other}` (the keys are primer, exclude, not-terms)"
                )),
            }
        }
        config
    }

    /// A file that could not be read keeps the settings `before` read from the same file (a
    /// file saved half-written does not undo them); its problems are its own.
    pub fn or_kept(self, before: Option<&WorkspaceConfig>) -> WorkspaceConfig {
        match before {
            Some(b) if self.unreadable && b.file == self.file => WorkspaceConfig {
                problems: self.problems,
                unreadable: true,
                ..b.clone()
            },
            _ => self,
        }
    }

    /// A matcher for `exclude`, rooted at the file's folder. Patterns it cannot read are
    /// reported in `problems`.
    pub fn excluder(&self, problems: &mut Vec<String>) -> Option<ignore::gitignore::Gitignore> {
        if self.exclude.is_empty() {
            return None;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(self.root());
        for pattern in &self.exclude {
            if let Err(e) = builder.add_line(None, pattern) {
                problems.push(format!(
                    "{}: the exclude pattern `{pattern}` is not usable: {e}",
                    self.file.display()
                ));
            }
        }
        builder.build().ok()
    }
}

/// The strings of an array setting; anything else is a problem.
fn strings(item: &Item, key: &str, shown: &str, problems: &mut Vec<String>) -> Vec<String> {
    let Some(array) = item.as_array() else {
        problems.push(format!("{shown}: `{key}` must be a list of strings"));
        return vec![];
    };
    let mut out = vec![];
    for value in array.iter() {
        match value.as_str() {
            Some(s) => out.push(s.to_string()),
            None => problems.push(format!(
                "{shown}: `{key}` holds {}, which is not a string; it is skipped",
                value.to_string().trim()
            )),
        }
    }
    out
}

/// The config file for a workspace folder: the nearest `.primer-ls.toml` at or above `folder`,
/// not above the repository's top (the first folder up that holds `.git`) and, outside any
/// repository, not in or above the home folder (a file there is not a workspace's).
pub fn find(folder: &Path) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut in_repository = false;
    let mut candidates = vec![];
    for dir in folder.ancestors() {
        candidates.push(dir);
        if dir.join(".git").exists() {
            in_repository = true;
            break;
        }
    }
    candidates
        .into_iter()
        .take_while(|dir| in_repository || home.as_deref().is_none_or(|h| !h.starts_with(dir)))
        .map(|dir| dir.join(FILE_NAME))
        .find(|f| f.is_file())
}

/// The text of a config file with `word` added to `not-terms` (comments and layout kept), or
/// why it cannot be added. A word already there, in any case, leaves the text as it is.
pub fn with_word_not_a_term(text: &str, word: &str) -> Result<String, String> {
    let mut doc = text
        .parse::<DocumentMut>()
        .map_err(|e| format!("the config file is not valid TOML: {e}"))?;
    let item = doc
        .entry("not-terms")
        .or_insert(Item::Value(Value::Array(Default::default())));
    let Some(array) = item.as_array_mut() else {
        return Err("`not-terms` in the config file is not a list".into());
    };
    let present = array
        .iter()
        .any(|v| v.as_str().is_some_and(|w| w.eq_ignore_ascii_case(word)));
    if !present {
        array.push(word);
    }
    Ok(doc.to_string())
}

/// The word a term occurrence adds to `not-terms`: as written, one space between words, lower
/// case unless it is an abbreviation (matched by its exact case).
pub fn word_for(written: &str) -> String {
    let written = written.trim();
    if primer_analysis::terms::is_abbreviation(written) {
        written.to_string()
    } else {
        primer_analysis::slug::fold_name(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_and_mistakes_named() {
        let file = Path::new("/course/notes/.primer-ls.toml");
        let config = WorkspaceConfig::parse(
            file,
            "# notes\nprimer = \"../primer\"\nexclude = [\"drafts/\", 3]\nnot-terms = [\"Deadline \", \"API\"]\ncolour = \"red\"\n",
        );
        assert_eq!(
            config.primer,
            Some(PathBuf::from("/course/notes/../primer"))
        );
        assert_eq!(config.exclude, ["drafts/"]);
        assert_eq!(config.not_terms, ["Deadline", "API"]);
        assert_eq!(
            config.problems,
            [
                "/course/notes/.primer-ls.toml: `exclude` holds 3, which is not a string; it is skipped",
                "/course/notes/.primer-ls.toml: unknown key `colour` (the keys are primer, exclude, not-terms)",
            ]
        );
        let broken = WorkspaceConfig::parse(file, "primer = \n");
        assert!(broken.primer.is_none());
        assert!(
            broken.problems[0].starts_with("/course/notes/.primer-ls.toml is not valid TOML"),
            "{:?}",
            broken.problems
        );
        let wrong = WorkspaceConfig::parse(file, "not-terms = \"deadline\"\nprimer = 3\n");
        assert_eq!(wrong.problems.len(), 2, "{:?}", wrong.problems);
    }

    #[test]
    fn a_word_is_added_to_not_terms_keeping_the_file_as_written() {
        let text = "# Our class's settings.\nprimer = \"../primer\" # the course\n";
        let added = with_word_not_a_term(text, "deadline").unwrap();
        assert_eq!(
            added,
            "# Our class's settings.\nprimer = \"../primer\" # the course\nnot-terms = [\"deadline\"]\n"
        );
        let again = with_word_not_a_term(&added, "latency").unwrap();
        assert!(
            again.ends_with("not-terms = [\"deadline\", \"latency\"]\n"),
            "{again}"
        );
        assert_eq!(with_word_not_a_term(&again, "Latency").unwrap(), again);
        assert_eq!(
            with_word_not_a_term("", "cache").unwrap(),
            "not-terms = [\"cache\"]\n"
        );
        assert!(with_word_not_a_term("not-terms = 1\n", "cache").is_err());
        assert!(with_word_not_a_term("not-terms = [\n", "cache").is_err());
    }

    #[test]
    fn the_word_of_an_occurrence() {
        assert_eq!(word_for("Network\n  Partitions"), "network partitions");
        assert_eq!(word_for("circuit-breaker"), "circuit breaker");
        assert_eq!(word_for("API"), "API");
    }

    #[test]
    fn the_file_is_found_up_to_the_repository_top() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/notes/week1")).unwrap();
        std::fs::write(top.join(FILE_NAME), "").unwrap();
        // Above the repository's top: not this workspace's.
        assert_eq!(find(&top.join("repo/notes/week1")), None);
        std::fs::write(top.join("repo/notes").join(FILE_NAME), "").unwrap();
        assert_eq!(
            find(&top.join("repo/notes/week1")),
            Some(top.join("repo/notes").join(FILE_NAME))
        );
        // Outside a repository the nearest one counts.
        std::fs::create_dir_all(top.join("loose/a")).unwrap();
        std::fs::write(top.join("loose").join(FILE_NAME), "").unwrap();
        assert_eq!(
            find(&top.join("loose/a")),
            Some(top.join("loose").join(FILE_NAME))
        );
    }
}
