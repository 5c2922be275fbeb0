//! The server's state and its snapshots: the world of notes, the open documents, the client's
//! abilities and settings. Requests read an immutable snapshot; edits go through one lock.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use primer_analysis::references::Place;
use primer_analysis::{Encoding, Primer, World};
use ropey::Rope;
use rustc_hash::FxHashMap;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::Client;

use super::config::Config;
use super::convert::{self, path_of, uri_of};
use crate::workspace_config::WorkspaceConfig;

impl Backend {
    pub(super) fn new(client: Client) -> Backend {
        let state = State {
            world: World::new(Arc::new(Primer::empty())),
            encoding: Encoding::Utf16,
            open: FxHashMap::default(),
            uris: FxHashMap::default(),
            roots: vec![],
            config: Config::default(),
            workspace_config: None,
            primer_dir: None,
            support: ClientSupport::default(),
            revisions: HashMap::new(),
            published: HashSet::new(),
            workspace_revision: 0,
            primer_generation: 0,
            primer_loading: false,
            fault_injection: std::env::var("PRIMER_LS_FAULT_INJECTION").is_ok_and(|v| v == "1"),
            indexing: 0,
            walked: false,
        };
        Backend {
            client,
            state: Arc::new(Mutex::new(state)),
            ready: Arc::new(tokio::sync::watch::Sender::new(false)),
            answering: Answering::default(),
            changed: Default::default(),
            references: Default::default(),
        }
    }

    /// Waits (at most 10 s) until the primer is loaded.
    pub(super) async fn wait_ready(&self) {
        let mut rx = self.ready.subscribe();
        let wait = rx.wait_for(|loaded| *loaded);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), wait).await;
    }

    pub(super) fn snapshot(&self) -> (World, Encoding) {
        let s = lock(&self.state);
        (s.world.clone(), s.encoding)
    }

    pub(super) fn uri_for(&self, path: &str) -> Option<Url> {
        lock(&self.state)
            .uris
            .get(path)
            .cloned()
            .or_else(|| uri_of(path))
    }

    /// Runs `f` on a snapshot of the world, on the blocking pool, where a panic fails this
    /// request only: a slow request never holds up the runtime's threads, edits or other
    /// requests.
    pub(super) async fn analyse<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Backend, &World, Encoding) -> T + Send + 'static,
    ) -> Result<T> {
        let (world, enc) = self.snapshot();
        let b = self.clone();
        let answer = match tokio::task::spawn_blocking(move || guarded(|| f(&b, &world, enc))).await
        {
            Ok(result) => result,
            Err(_) => Err(Error::internal_error()),
        };
        // The notes it found changed on disk (the editor has not said so, or watches no files)
        // are read again, as if it had.
        for path in self.changed.take() {
            self.read_again(&path);
        }
        answer
    }

    /// [`Backend::analyse`] for an answer about the document at `path`, on a snapshot where it
    /// is whole (see [`World::with_whole`]; none when its file changed since it was read).
    pub(super) async fn analyse_at<T: Send + 'static>(
        &self,
        path: String,
        f: impl FnOnce(&Backend, &World, &str, Encoding) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        // (When its file changed since it was read, `analyse` has it read again.)
        self.analyse(move |b, world, enc| f(b, &*world.with_whole(&path)?, &path, enc))
            .await
    }

    /// [`Backend::analyse_at`] for the document at `uri` (none when the server does not know it).
    pub(super) async fn query<T: Send + 'static>(
        &self,
        uri: &Url,
        f: impl FnOnce(&World, &primer_analysis::Doc, &str, Encoding) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        self.analyse_at(path_of(uri), move |_, world, path, enc| {
            f(world, world.doc(path)?, path, enc)
        })
        .await
    }

    /// [`Backend::query`] for what the editor draws over a document (tokens, lenses, hints): when
    /// the document changes while it is computed, the answer is ContentModified, and the editor
    /// asks again for the new text.
    pub(super) async fn query_current<T: Send + 'static>(
        &self,
        uri: &Url,
        f: impl FnOnce(&World, &primer_analysis::Doc, &str, Encoding) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let path = path_of(uri);
        let revision = |b: &Backend| lock(&b.state).revisions.get(&path).copied();
        let before = revision(self);
        let answer = self.query(uri, f).await?;
        if revision(self) != before {
            let mut e = Error::new(tower_lsp::jsonrpc::ErrorCode::ServerError(-32801));
            e.message = "the document changed while this was computed".into();
            return Err(e);
        }
        Ok(answer)
    }

    pub(super) fn location_of(
        &self,
        world: &World,
        fr: &primer_analysis::FileRange,
        enc: Encoding,
    ) -> Option<Location> {
        let mut loc = convert::location(world, fr, enc)?;
        if let Some(uri) = lock(&self.state).uris.get(&*fr.path) {
            loc.uri = uri.clone();
        }
        Some(loc)
    }

    /// Many locations at once: each file's URI is made once (a common term has thousands of uses).
    pub(super) fn locations(&self, places: &[Place], enc: Encoding) -> Vec<Location> {
        let uris = lock(&self.state).uris.clone();
        let mut out = Vec::with_capacity(places.len());
        let mut parsed: Option<Url> = None;
        each_location(&uris, places, enc, |uri, _, range| {
            if parsed.as_ref().is_none_or(|p| p.as_str() != uri) {
                parsed = Url::parse(uri).ok();
            }
            if let Some(uri) = &parsed {
                out.push(Location {
                    uri: uri.clone(),
                    range,
                })
            }
        });
        out
    }

    /// [`Backend::locations`] as the JSON array it serializes to, written straight to bytes
    /// (no `Location` is built, and no URI copied, per use), in parts of whole files converted
    /// on all cores.
    pub(super) fn locations_json(&self, places: &[Place], enc: Encoding) -> Vec<Vec<u8>> {
        use rayon::prelude::*;
        let uris = lock(&self.state).uris.clone();
        let parts: Vec<Vec<u8>> = file_groups(places, 4096)
            .par_iter()
            .map(|part| {
                let mut w = super::json_out::LocationsWriter::with_capacity(part.len());
                each_location(&uris, part, enc, |uri, new, range| {
                    if new {
                        w.file(uri);
                    }
                    w.push(range)
                });
                w.into_items()
            })
            .collect();
        super::json_out::json_array(parts)
    }

    pub(super) async fn log(&self, typ: MessageType, message: String) {
        eprintln!("primer-ls: {message}");
        self.client.log_message(typ, message).await;
    }

    pub(super) fn bump(&self, s: &mut State, path: &str) -> u64 {
        let r = s.revisions.entry(path.to_string()).or_insert(0);
        *r += 1;
        *r
    }

    /// Waits for the client's answer to a request of the server's, at most `ANSWER_WAIT`: a
    /// client that never answers must not stall anything. `None` when it did not answer in time.
    pub(super) async fn ask<T>(&self, request: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::time::timeout(ANSWER_WAIT, request).await.ok()
    }

    /// Drops a note and what the server keeps about its path (a closed untitled buffer, a file
    /// deleted or no longer readable), so that state does not grow with every name ever seen.
    pub(super) fn forget(&self, s: &mut State, path: &str) {
        s.world.remove_note(path);
        s.uris.remove(path);
        s.revisions.remove(path);
    }

    /// The folders notes may be read from: the workspace folders.
    pub(super) fn allowed(&self, s: &State) -> crate::disk::Allowed {
        crate::disk::Allowed::new(&s.roots)
    }

    /// Gives the world the disk as the server reads it: notes read again through the gate of
    /// the workspace folders ([`Backend::allowed`]), and the ones found changed told to this
    /// backend, which reads them again after the answer that found them (see `analyse`).
    pub(super) fn use_disk(&self, s: &mut State) {
        s.world.set_fs(Some(Arc::new(crate::disk::Disk {
            allowed: self.allowed(s),
            changed: self.changed.clone(),
        })));
    }

    /// Whether a path belongs to the course text rather than to the notes: inside the primer
    /// folder, or one of the primer's own files wherever it lives.
    pub(super) fn in_primer(s: &State, path: &str) -> bool {
        s.primer_dir
            .as_ref()
            .is_some_and(|d| Path::new(path).starts_with(d))
            || s.world.primer.section_by_path(path).is_some()
    }
}

/// Calls `f` with the URI (and whether it changed) and range of each of `places` that can be
/// shown (its file has a URI; `uris` are the client's own spellings). Places come grouped by
/// file: the file's URI is worked out once a group.
fn each_location(
    uris: &FxHashMap<String, Url>,
    places: &[Place],
    enc: Encoding,
    mut f: impl FnMut(&str, bool, Range),
) {
    let mut uri = String::new();
    let mut fresh = false;
    let mut last: Option<(&Place, bool)> = None;
    for place in places {
        if !last.is_some_and(|(p, _)| p.same_file(place)) {
            let path = &place.doc.path;
            // The client's own spelling, else the path's URI (written directly when plain).
            let shown = if let Some(client) = uris.get(&**path) {
                uri.clear();
                uri.push_str(client.as_str());
                true
            } else if convert::plain_file_uri(path, &mut uri) {
                true
            } else if let Some(made) = uri_of(path) {
                uri.clear();
                uri.push_str(made.as_str());
                true
            } else {
                false
            };
            last = Some((place, shown));
            fresh = true;
        }
        if let Some((_, true)) = last {
            f(
                &uri,
                std::mem::take(&mut fresh),
                convert::range(place.doc, place.range, enc),
            );
        }
    }
}

/// `places` cut into parts of about `size`, each ending where a file's places end.
fn file_groups<'p, 'w>(places: &'p [Place<'w>], size: usize) -> Vec<&'p [Place<'w>]> {
    let mut parts = vec![];
    let mut rest = places;
    while rest.len() > size {
        let mut cut = size;
        while cut < rest.len() && rest[cut].same_file(&rest[cut - 1]) {
            cut += 1;
        }
        let (part, more) = rest.split_at(cut);
        parts.push(part);
        rest = more;
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

/// How long the server waits for the client to answer one of its requests.
pub(super) const ANSWER_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub(super) struct OpenDoc {
    pub(super) rope: Rope,
    pub(super) version: i32,
}

#[derive(Clone, Copy, Default)]
pub(super) struct ClientSupport {
    pub(super) work_done_progress: bool,
    pub(super) watched_files: bool,
    pub(super) configuration: bool,
    /// The client listed `primerTerm` among its semantic token types.
    pub(super) custom_token_types: bool,
    pub(super) code_lens_refresh: bool,
    pub(super) inlay_hint_refresh: bool,
    /// The client can create a file in a workspace edit (for a first `.primer-ls.toml`).
    pub(super) create_files: bool,
}

pub(super) struct State {
    pub(super) world: World,
    pub(super) encoding: Encoding,
    pub(super) open: FxHashMap<String, OpenDoc>,
    /// The URI the client used for each path, so answers use the same spelling.
    pub(super) uris: FxHashMap<String, Url>,
    pub(super) roots: Vec<PathBuf>,
    pub(super) config: Config,
    /// The workspace's `.primer-ls.toml`, when it has one.
    pub(super) workspace_config: Option<WorkspaceConfig>,
    /// The primer folder in use; `None` for the bundled primer.
    pub(super) primer_dir: Option<PathBuf>,
    pub(super) support: ClientSupport,
    /// Bumped on every change of a path, so stale debounced work can tell.
    pub(super) revisions: HashMap<String, u64>,
    /// Paths whose last published diagnostics were not empty.
    pub(super) published: HashSet<String>,
    pub(super) workspace_revision: u64,
    /// Bumped whenever the primer should be loaded again; a load started under an older number
    /// is stale.
    pub(super) primer_generation: u64,
    /// A primer load is running (others only bump the generation).
    pub(super) primer_loading: bool,
    pub(super) fault_injection: bool,
    /// Walks of the workspace running, and whether the first one ended: until then a link to a
    /// note not read yet would look broken, so documents' diagnostics wait for the end of the
    /// walk, which publishes them all (see [`State::walking`]).
    pub(super) indexing: u32,
    pub(super) walked: bool,
}

impl State {
    /// A walk of the workspace is running or has not run yet.
    pub(super) fn walking(&self) -> bool {
        self.indexing > 0 || !self.walked
    }
}

#[derive(Clone)]
pub struct Backend {
    pub(super) client: Client,
    pub(super) state: Arc<Mutex<State>>,
    /// Becomes true once the first primer is loaded (just after `initialized`); requests that
    /// arrive earlier wait for it, so the first hover already knows the glossary.
    pub(super) ready: Arc<tokio::sync::watch::Sender<bool>>,
    /// How many messages from the editor are being handled right now (from their reading to
    /// the writing of their answer): work for every note in the background steps aside while
    /// there are any (see [`Answering::step_aside`]).
    pub(super) answering: Answering,
    /// Notes an answer found changed on disk without the editor saying so (see
    /// [`crate::disk::Disk::changed`]): read again after that answer.
    pub(super) changed: crate::disk::Changed,
    /// The last references answer, kept with the state of the world it was worked out from.
    pub(super) references: Arc<Mutex<Option<KeptReferences>>>,
}

/// The largest references answer kept for asking again: about 5,000 places. (Keeping costs a
/// copy of the answer into fresh memory: the 3.6 MB of a term used 20,000 times, asked at a new
/// place each time, took 1.5-2.8 ms more in the median and 2-5 ms more at the 99th percentile.)
pub(super) const KEPT_REFERENCES_BYTES: usize = 1 << 20;

/// A references answer with the question and the world's state it answers: the same question
/// in the same state (see [`primer_analysis::World::revision`]) is answered with it again. A
/// client that asks again and again while the notes are read (each state lasts a batch of
/// notes) or while nothing changes is then answered without the work of finding the places.
pub(super) struct KeptReferences {
    pub(super) revision: u64,
    pub(super) path: String,
    pub(super) position: Position,
    pub(super) include: bool,
    pub(super) enc: Encoding,
    pub(super) json: Vec<Vec<u8>>,
}

impl KeptReferences {
    pub(super) fn answers(&self, asked: &KeptReferences) -> bool {
        self.revision == asked.revision
            && self.path == asked.path
            && self.position == asked.position
            && self.include == asked.include
            && self.enc == asked.enc
    }
}

/// A count of the messages being handled, which background work reads between its steps.
///
/// Measured on two cores, hovers answered while the diagnostics of 10,000 notes were worked out
/// in the background took 3-4 ms now and then instead of 0.1-0.3 ms, whatever the background
/// thread's priority (nice 10, nice 19 or `SCHED_IDLE`): the scheduler's priorities do not reach
/// what a busy core costs a request here. Background work that steps aside does.
#[derive(Clone, Default)]
pub(super) struct Answering(Arc<Handling>);

#[derive(Default)]
struct Handling {
    count: std::sync::atomic::AtomicUsize,
    /// Signalled when the count comes down to nothing.
    done: std::sync::Condvar,
    lock: Mutex<()>,
}

/// Marks a message as being handled until it is dropped.
pub(super) struct AnsweringOne(Arc<Handling>);

impl Drop for AnsweringOne {
    fn drop(&mut self) {
        if self
            .0
            .count
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel)
            == 1
        {
            // (Under the lock, so that a step aside between its check and its wait hears it.)
            let _held = self.0.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.0.done.notify_all();
        }
    }
}

impl Answering {
    pub(super) fn start(&self) -> AnsweringOne {
        self.0
            .count
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        AnsweringOne(self.0.clone())
    }

    /// Waits while messages are being handled, at most [`STEP_ASIDE_AT_MOST`]: a client that
    /// never stops asking slows background work down, and does not stop it.
    pub(super) fn step_aside(&self) {
        let busy = || self.0.count.load(std::sync::atomic::Ordering::Acquire) > 0;
        if !busy() {
            return;
        }
        let held = self.0.lock.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .0
            .done
            .wait_timeout_while(held, STEP_ASIDE_AT_MOST, |_| busy());
    }
}

/// The longest background work waits for messages at one step (one note): a hover or an edit is
/// handled in well under a millisecond, and a stream of messages would make 10,000 notes wait
/// 20 s at most.
const STEP_ASIDE_AT_MOST: std::time::Duration = std::time::Duration::from_millis(2);

/// The value behind a mutex, even when a thread panicked holding it (every handler's work is
/// caught, and what it left is still the latest state).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` on a thread of its own at a lower priority, so that work for every note (seconds of
/// CPU in a large workspace) or counting what a walk left out does not hold up the hovers and
/// edits the user is waiting for. (A priority alone did not keep hovers from waiting on a busy
/// core now and then; work for every note also steps aside: see [`Answering`].)
pub(super) async fn in_background<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("primer-ls-background".into())
        .spawn(move || {
            #[cfg(target_os = "linux")]
            // SAFETY: plain system calls on this thread's own id; the nice value is a thread's
            // own on Linux, so the rest of the server keeps its priority.
            unsafe {
                let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
                libc::setpriority(libc::PRIO_PROCESS, tid, 10);
            }
            let _ = tx.send(f());
        });
    match spawned {
        Ok(_) => rx.await.ok(),
        Err(_) => None,
    }
}

/// Runs analysis where a panic becomes an InternalError for this request only.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let mut e = Error::internal_error();
        e.message = format!("primer-ls failed on this request: {what}").into();
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_steps_aside_while_a_message_is_handled_and_not_for_ever() {
        let answering = Answering::default();
        let count = |a: &Answering| a.0.count.load(std::sync::atomic::Ordering::Acquire);
        let (one, two) = (answering.start(), answering.start());
        assert_eq!(count(&answering), 2);
        // A message never answered holds background work up for the longest step, no longer.
        let since = std::time::Instant::now();
        answering.step_aside();
        assert!(since.elapsed() >= STEP_ASIDE_AT_MOST);
        drop(one);
        assert_eq!(count(&answering), 1);
        // The last one handled (here on another thread, as the writer does) wakes it.
        let waiting = answering.clone();
        let background = std::thread::spawn(move || waiting.step_aside());
        drop(two);
        background.join().unwrap();
        assert_eq!(count(&answering), 0);
    }
}
