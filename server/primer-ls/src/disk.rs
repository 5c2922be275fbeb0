//! The one gate to the file system: every read of a note or a primer file asks here first.
//!
//! A path may be read when it is a regular file (told from its metadata, without opening it:
//! never a FIFO, a device or a socket), lies inside one of the allowed folders once symbolic
//! links are resolved, and is at most [`MAX_FILE_BYTES`] long. Reading checks the opened file
//! again (it may have been swapped since) and never reads more than the cap, so a symbolic link
//! to `/dev/zero` or to a file outside the workspace, or a FIFO named `x.md`, is refused.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use primer_analysis::source::Stamp;
use std::sync::Arc;

/// The most bytes a note or a primer file may have: the same cap for both.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

/// Why a path is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Missing,
    /// A folder, a FIFO, a device, a socket.
    NotAFile(&'static str),
    /// Outside every folder reading is allowed in (after resolving symbolic links).
    Outside,
    TooLarge(u64),
    Unreadable(String),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Missing => write!(f, "does not exist"),
            Refused::NotAFile(kind) => write!(f, "is a {kind}, not a file; not read"),
            Refused::Outside => write!(
                f,
                "is outside the workspace and the primer folder (after following links); not read"
            ),
            Refused::TooLarge(n) => write!(
                f,
                "is {} MB, more than the {} MB a note or primer file may have; skipped",
                n >> 20,
                MAX_FILE_BYTES >> 20
            ),
            Refused::Unreadable(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// The folders (or single files) reading is allowed in, with symbolic links resolved.
#[derive(Clone, Debug, Default)]
pub struct Allowed {
    places: Vec<PathBuf>,
    /// The places that are folders, each opened once, when a listed file is first read (Linux):
    /// a file a walk listed under one is opened from it, without following any link on the way
    /// (see [`read_listed`]). The other reads through the gate never open them.
    #[cfg(target_os = "linux")]
    folders: Arc<std::sync::OnceLock<Vec<(PathBuf, std::os::fd::OwnedFd)>>>,
}

impl Allowed {
    /// Folders that do not exist are left out.
    pub fn new<P: AsRef<Path>>(places: impl IntoIterator<Item = P>) -> Allowed {
        Allowed {
            places: places
                .into_iter()
                .filter_map(|p| std::fs::canonicalize(p.as_ref()).ok())
                .collect(),
            #[cfg(target_os = "linux")]
            folders: Arc::default(),
        }
    }

    /// The places that are folders, opened the first time a listed file is read.
    #[cfg(target_os = "linux")]
    fn folders(&self) -> &[(PathBuf, std::os::fd::OwnedFd)] {
        use std::os::unix::fs::OpenOptionsExt;
        self.folders.get_or_init(|| {
            let opened = self.places.iter().filter_map(|p| {
                let dir = std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
                    .open(p)
                    .ok()?;
                Some((p.clone(), std::os::fd::OwnedFd::from(dir)))
            });
            opened.collect()
        })
    }

    /// Whether a resolved path lies in one of the places (whole path components compared, so
    /// `/x/notes-old` is not inside `/x/notes`).
    pub fn contains(&self, resolved: &Path) -> bool {
        self.places.iter().any(|p| resolved.starts_with(p))
    }

    /// `path`, written under one of the allowed folders, opened from that folder with no link
    /// followed and no step out of it (`openat2` with `RESOLVE_BENEATH` and
    /// `RESOLVE_NO_SYMLINKS`): what it opens lies inside by construction. `None` when the path
    /// is not written under an allowed folder, when it passes through a link (a folder
    /// swapped for one since a walk), or when the system cannot open files so.
    #[cfg(target_os = "linux")]
    fn open_beneath(&self, path: &Path) -> Option<std::fs::File> {
        use std::os::fd::{AsRawFd, FromRawFd};
        use std::os::unix::ffi::OsStrExt;
        let (folder, below) = self
            .folders()
            .iter()
            .find_map(|(p, fd)| Some((fd, path.strip_prefix(p).ok()?)))?;
        if below.as_os_str().is_empty() {
            return None;
        }
        let below = std::ffi::CString::new(below.as_os_str().as_bytes()).ok()?;
        // SAFETY: `open_how` is plain data; all zeroes is a valid value of it.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_CLOEXEC) as u64;
        how.resolve =
            libc::RESOLVE_BENEATH | libc::RESOLVE_NO_SYMLINKS | libc::RESOLVE_NO_MAGICLINKS;
        // SAFETY: a valid folder descriptor, a NUL-terminated path and an `open_how` of the
        // size passed, all alive for the call; the descriptor returned is owned by the file.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                folder.as_raw_fd(),
                below.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        // SAFETY: a descriptor the call just opened, owned by no one else.
        (fd >= 0).then(|| unsafe { std::fs::File::from_raw_fd(fd as std::os::fd::RawFd) })
    }
}

/// A file's text, and whether bytes that are not UTF-8 were replaced.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: Arc<str>,
    pub lossy: bool,
    /// What tells this text from a later one of the file (see [`stamp`]).
    pub stamp: Stamp,
}

/// A file's identity, length and modification time, from the metadata of the open file it was
/// read from: a note that keeps only pieces of its text is read again only while its file has
/// the same (an editor's save changes the time; a file replaced by another changes its
/// identity).
fn stamp(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let time = (meta.mtime() as u64).wrapping_mul(1_000_000_000) ^ meta.mtime_nsec() as u64;
        Stamp([meta.ino() ^ meta.dev().rotate_left(32), time, meta.len()])
    }
    #[cfg(not(unix))]
    {
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Stamp([0, time, meta.len()])
    }
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    "special file"
}

/// Whether `path` may be read; its resolved path if so. Looks only at metadata.
pub fn check(path: &Path, allowed: &Allowed) -> Result<PathBuf, Refused> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refused::Missing,
        _ => Refused::Unreadable(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refused::TooLarge(meta.len()));
    }
    let resolved = std::fs::canonicalize(path).map_err(|e| Refused::Unreadable(e.to_string()))?;
    if !allowed.contains(&resolved) {
        return Err(Refused::Outside);
    }
    Ok(resolved)
}

/// Reads a file the gate lets through: see the module comment.
pub fn read(path: &Path, allowed: &Allowed) -> Result<Text, Refused> {
    let resolved = check(path, allowed)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Opening a FIFO swapped in after the check must not wait for a writer.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(&resolved)
        .map_err(|e| Refused::Unreadable(e.to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| Refused::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind(&meta)));
    }
    read_text(file, &meta)
}

/// [`read`] for a file a walk of an allowed folder listed as a regular file (told from the
/// folder's listing, without opening it), without resolving its path first (about ten system
/// calls a note). On Linux the file is opened from its allowed folder with no link followed
/// ([`Allowed::open_beneath`]); elsewhere, or where that cannot be done, it is opened without
/// following a last link and where it lies is checked on the open file. Anything else, such as
/// the file having become a link or a FIFO since, or a system that cannot say where an open
/// file lies, goes through [`read`].
pub fn read_listed(path: &Path, allowed: &Allowed) -> Result<Text, Refused> {
    #[cfg(target_os = "linux")]
    if let Some(file) = allowed.open_beneath(path) {
        return regular_text(file).unwrap_or_else(|| read(path, allowed));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path);
        if let Some(text) = opened
            .ok()
            .filter(|file| opened_inside(file, allowed))
            .and_then(regular_text)
        {
            return text;
        }
    }
    read(path, allowed)
}

/// The text of an opened file when it is a regular file of at most [`MAX_FILE_BYTES`]; `None`
/// for anything else, which [`read`] then tells about.
#[cfg(unix)]
fn regular_text(file: std::fs::File) -> Option<Result<Text, Refused>> {
    let meta = file.metadata().ok()?;
    (meta.is_file() && meta.len() <= MAX_FILE_BYTES).then(|| read_text(file, &meta))
}

/// Whether the file that was opened lies in one of the allowed places, by the path the system
/// gives for the open file (a folder swapped for a link after the walk cannot lead outside).
/// No when the system cannot say.
#[cfg(unix)]
fn opened_inside(file: &std::fs::File, allowed: &Allowed) -> bool {
    use std::os::fd::AsRawFd;
    std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .is_ok_and(|resolved| allowed.contains(&resolved))
}

/// The text of an opened file of about `expected` bytes.
fn read_text(file: std::fs::File, meta: &std::fs::Metadata) -> Result<Text, Refused> {
    let before = stamp(meta);
    let bytes = read_capped(&file, meta.len()).map_err(|e| Refused::Unreadable(e.to_string()))?;
    // A file written while it was read: the text is not the one stamped, and gets a stamp no
    // file has (a note kept in pieces is then never read again as that text).
    let stamp = match file.metadata() {
        Ok(after) if stamp(&after) == before => before,
        _ => Stamp([u64::MAX; 3]),
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    Ok(match crate::text_buffer::into_text(bytes) {
        Ok(text) => Text {
            text,
            lossy: false,
            stamp,
        },
        Err(bytes) => Text {
            text: Arc::from(String::from_utf8_lossy(&bytes)),
            lossy: true,
            stamp,
        },
    })
}

/// A file's bytes, up to one more than [`MAX_FILE_BYTES`], read straight into the buffer a note
/// keeps while the file has the `expected` length (no second copy of every note's text).
fn read_capped(file: &std::fs::File, expected: u64) -> std::io::Result<Arc<[u8]>> {
    let mut bytes = Vec::new();
    if expected <= MAX_FILE_BYTES {
        let mut buffer = crate::text_buffer::zeroed(expected as usize);
        let slot = Arc::get_mut(&mut buffer).expect("a buffer no one else holds");
        let mut probe = [0u8; 1];
        let (filled, more) = fill_and_probe(file, slot, &mut probe)?;
        if filled == slot.len() && more == 0 {
            return Ok(buffer);
        }
        // The file's length changed since its metadata was read: what it holds now is read.
        bytes.extend_from_slice(&slot[..filled]);
        bytes.extend_from_slice(&probe[..more]);
    }
    let left = (MAX_FILE_BYTES + 1).saturating_sub(bytes.len() as u64);
    file.take(left).read_to_end(&mut bytes)?;
    Ok(Arc::from(bytes))
}

/// Reads into `buf` until it is full or the file ends, asking in the same calls for one byte
/// more into `probe`: how many bytes went into each. On Linux, macOS and the BSDs a call that
/// fills `buf` and not `probe` met the file's end (a regular file reads short only there), so
/// no call more is made to ask whether anything follows: one system call fewer for each note.
/// (Should the file grow after that, its stamp, taken again after the reading, tells.)
/// Elsewhere a vectored read may fill only the first buffer, so `probe` is read on its own.
fn fill_and_probe(
    file: &std::fs::File,
    buf: &mut [u8],
    probe: &mut [u8; 1],
) -> std::io::Result<(usize, usize)> {
    // (Where std reads vectors with `readv`: the systems whose regular files read short only
    // at their end.)
    let short_ends = cfg!(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly",
    ));
    fill_and_probe_from(file, buf, probe, short_ends)
}

/// [`fill_and_probe`] from any reader; `short_ends` when a vectored read that fills `buf` and
/// not `probe` met the end.
fn fill_and_probe_from(
    mut file: impl Read,
    buf: &mut [u8],
    probe: &mut [u8; 1],
    short_ends: bool,
) -> std::io::Result<(usize, usize)> {
    let mut filled = 0;
    while filled < buf.len() || buf.is_empty() {
        let rest = buf.len() - filled;
        let mut parts = [
            std::io::IoSliceMut::new(&mut buf[filled..]),
            std::io::IoSliceMut::new(probe),
        ];
        match file.read_vectored(&mut parts) {
            Ok(0) => return Ok((filled, 0)),
            Ok(n) if n > rest => return Ok((buf.len(), 1)),
            Ok(n) => {
                filled += n;
                if short_ends && filled == buf.len() {
                    return Ok((filled, 0));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((filled, fill(file, probe)?))
}

/// Reads into `buf` until it is full or the file ends; how many bytes were read.
fn fill(mut file: impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The file system as the analysis asks it whether a link's target exists (by metadata only,
/// anywhere: existence is no read) and reads a note's file again (through `allowed`, the gate
/// the notes were read through).
#[derive(Debug, Clone, Default)]
pub struct Disk {
    pub allowed: Allowed,
    /// The notes whose files were found changed by an answer that read them again, until the
    /// server takes them to read again (a set: as many as there are notes at most).
    pub changed: Changed,
}

/// Paths of notes found changed on disk (see [`Disk::changed`]), shared by the disk and the
/// server that reads them again.
#[derive(Debug, Clone, Default)]
pub struct Changed(Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>);

impl Changed {
    fn set(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeSet<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The paths found changed since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.set()).into_iter().collect()
    }
}

impl primer_analysis::world::FileSystem for Disk {
    fn kind(&self, path: &str) -> Option<primer_analysis::world::FileKind> {
        let meta = std::fs::metadata(path).ok()?;
        Some(if meta.is_dir() {
            primer_analysis::world::FileKind::Folder
        } else {
            primer_analysis::world::FileKind::File
        })
    }

    /// Through the gate the notes were read through.
    fn read(&self, path: &str) -> Option<(Arc<str>, Stamp)> {
        let read = read(Path::new(path), &self.allowed).ok()?;
        Some((read.text, read.stamp))
    }

    fn changed(&self, path: &str) {
        self.changed.set().insert(path.to_string());
    }
}

/// The folder a notes repository starts at, for links with a leading `/`: the nearest folder at
/// or above `path` holding `.primer-ls.toml` or `.git`.
pub fn project_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    start
        .ancestors()
        .find(|d| d.join(".primer-ls.toml").exists() || d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A path as the analysis keys it: `/`-separated. Names that cannot be written that way and
/// read back as the same file (bytes that are not UTF-8; a backslash, which is a separator on
/// Windows) give `None`: such files are skipped with a warning.
/// The path itself, not a copy, where it is already the key (on Unix).
pub fn path_key(p: &Path) -> Option<std::borrow::Cow<'_, str>> {
    let s = p.to_str()?;
    if cfg!(windows) {
        return Some(s.replace('\\', "/").into());
    }
    (!s.contains('\\')).then_some(s.into())
}

/// A path as text for messages and for folders given by the editor (lossy; see [`path_key`]).
pub fn path_string(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lets_through_regular_files_inside_only() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("ws");
        let outside = dir.path().join("elsewhere");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(inside.join("a.md"), "# A\n").unwrap();
        std::fs::write(outside.join("secret.md"), "# Secret\n").unwrap();
        let allowed = Allowed::new([&inside]);
        assert_eq!(
            read(&inside.join("a.md"), &allowed).unwrap().text.as_ref(),
            "# A\n"
        );
        assert_eq!(
            read(&outside.join("secret.md"), &allowed).unwrap_err(),
            Refused::Outside
        );
        assert_eq!(
            read(&inside.join("gone.md"), &allowed).unwrap_err(),
            Refused::Missing
        );
        assert_eq!(
            read(&inside, &allowed).unwrap_err(),
            Refused::NotAFile("folder")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(outside.join("secret.md"), inside.join("link.md")).unwrap();
            assert_eq!(
                read(&inside.join("link.md"), &allowed).unwrap_err(),
                Refused::Outside
            );
            symlink("/dev/zero", inside.join("zero.md")).unwrap();
            assert_eq!(
                read(&inside.join("zero.md"), &allowed).unwrap_err(),
                Refused::NotAFile("device")
            );
            let fifo = inside.join("fifo.md");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert_eq!(
                    read(&fifo, &allowed).unwrap_err(),
                    Refused::NotAFile("FIFO")
                );
            }
            // `/x/notes-old` is not inside `/x/notes`.
            let old = dir.path().join("ws-old");
            std::fs::create_dir_all(&old).unwrap();
            std::fs::write(old.join("b.md"), "b").unwrap();
            assert_eq!(
                read(&old.join("b.md"), &allowed).unwrap_err(),
                Refused::Outside
            );
        }
    }

    #[test]
    fn a_file_that_changed_length_since_its_metadata_is_read_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.md");
        std::fs::write(&path, "A partition é.").unwrap();
        let bytes = |expected| read_capped(&std::fs::File::open(&path).unwrap(), expected).unwrap();
        for expected in [0, 5, 15, 16, 40] {
            assert_eq!(&*bytes(expected), "A partition é.".as_bytes(), "{expected}");
        }
        // Past the cap, one byte more than it is read (and refused by the caller).
        let big = std::fs::File::create(&path).unwrap();
        big.set_len(MAX_FILE_BYTES + 10).unwrap();
        assert_eq!(bytes(3).len() as u64, MAX_FILE_BYTES + 1);
        assert_eq!(bytes(MAX_FILE_BYTES).len() as u64, MAX_FILE_BYTES + 1);
        assert_eq!(
            read(&path, &Allowed::new([dir.path()])).unwrap_err(),
            Refused::TooLarge(MAX_FILE_BYTES + 10)
        );
    }

    /// A reader that gives at most `step` bytes a call, into the first buffer that has room
    /// (as `Read`'s own vectored read does where the system reads no vectors), and is
    /// interrupted once before its first bytes.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
        interrupted: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.step).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_byte_after_the_buffer_is_found_however_the_reads_come() {
        let text = b"A partition \xc3\xa9.";
        for expected in [0, 5, 15, 16, 40] {
            // What the file holds against a buffer of the length its metadata gave.
            let into_buf = expected.min(text.len());
            let more = usize::from(text.len() > expected);
            // The bytes read, the probe's after the buffer's: what the file holds up to one
            // byte past the buffer.
            let read = |buf: &[u8], probe: [u8; 1], (n, more): (usize, usize)| {
                [&buf[..n], &probe[..more]].concat()
            };
            let held = &text[..(expected + 1).min(text.len())];
            // Reads one byte at a time, or a few, filling one buffer a call: the probe is read
            // on its own.
            for step in [1, 3, 64] {
                let (mut buf, mut probe) = (vec![0; expected], [0]);
                let reader = Trickle {
                    bytes: text,
                    step,
                    interrupted: false,
                };
                let got = fill_and_probe_from(reader, &mut buf, &mut probe, false).unwrap();
                assert_eq!(got, (into_buf, more), "{expected} by {step}");
                assert_eq!(read(&buf, probe, got), held, "{expected} by {step}");
            }
            // Whole vectored reads, a short one meaning the end.
            let (mut buf, mut probe) = (vec![0; expected], [0]);
            let reader = std::io::Cursor::new(&text[..]);
            let got = fill_and_probe_from(reader, &mut buf, &mut probe, true).unwrap();
            assert_eq!(got, (into_buf, more), "{expected} vectored");
            assert_eq!(read(&buf, probe, got), held, "{expected} vectored");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.md");
        std::fs::write(&path, b"caf\xe9 and a partition").unwrap();
        let text = read(&path, &Allowed::new([dir.path()])).unwrap();
        assert!(text.lossy);
        assert_eq!(&*text.text, "caf\u{fffd} and a partition");
    }

    #[test]
    fn a_listed_file_is_read_as_the_gate_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("ws");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::write(inside.join("a.md"), "# A\n").unwrap();
        std::fs::write(dir.path().join("secret.md"), "# Secret\n").unwrap();
        let allowed = Allowed::new([&inside]);
        let listed = |name: &str| read_listed(&inside.join(name), &allowed);
        assert_eq!(listed("a.md").unwrap().text.as_ref(), "# A\n");
        assert_eq!(listed("gone.md").unwrap_err(), Refused::Missing);
        let big = std::fs::File::create(inside.join("big.md")).unwrap();
        big.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert_eq!(
            listed("big.md").unwrap_err(),
            Refused::TooLarge(MAX_FILE_BYTES + 1)
        );
        #[cfg(unix)]
        {
            // A file that became a link, or a FIFO, since the walk listed it.
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("secret.md"), inside.join("link.md")).unwrap();
            assert_eq!(listed("link.md").unwrap_err(), Refused::Outside);
            symlink(inside.join("a.md"), inside.join("alias.md")).unwrap();
            assert_eq!(listed("alias.md").unwrap().text.as_ref(), "# A\n");
            let made = std::process::Command::new("mkfifo")
                .arg(inside.join("fifo.md"))
                .status();
            if made.is_ok_and(|s| s.success()) {
                assert_eq!(listed("fifo.md").unwrap_err(), Refused::NotAFile("FIFO"));
            }
            // A folder of the walk swapped for a link to outside after the walk listed it.
            std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
            std::fs::write(dir.path().join("elsewhere/n.md"), "# Elsewhere\n").unwrap();
            symlink(dir.path().join("elsewhere"), inside.join("sub")).unwrap();
            assert_eq!(listed("sub/n.md").unwrap_err(), Refused::Outside);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_listed_file_is_opened_from_its_folder_through_no_link() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let inside = top.join("ws");
        std::fs::create_dir_all(inside.join("week1")).unwrap();
        std::fs::write(inside.join("week1/a.md"), "# A\n").unwrap();
        std::fs::create_dir_all(top.join("elsewhere")).unwrap();
        std::fs::write(top.join("elsewhere/n.md"), "# Elsewhere\n").unwrap();
        std::os::unix::fs::symlink(top.join("elsewhere"), inside.join("sub")).unwrap();
        std::os::unix::fs::symlink(inside.join("week1/a.md"), inside.join("alias.md")).unwrap();
        let allowed = Allowed::new([&inside]);
        let opened = |p: &Path| allowed.open_beneath(p).is_some();
        assert!(opened(&inside.join("week1/a.md")));
        // Through a folder that is a link, or to a file that is one: not opened so (the
        // full gate decides).
        assert!(!opened(&inside.join("sub/n.md")));
        assert!(!opened(&inside.join("alias.md")));
        // Not written under the folder, or climbing out of it.
        assert!(!opened(&top.join("elsewhere/n.md")));
        assert!(!opened(&inside.join("../elsewhere/n.md")));
        assert!(!opened(&inside));
    }

    #[test]
    fn names_that_cannot_round_trip_have_no_key() {
        assert_eq!(path_key(Path::new("/ws/a.md")).as_deref(), Some("/ws/a.md"));
        if cfg!(unix) {
            assert_eq!(path_key(Path::new("/ws/back\\slash.md")), None);
            use std::os::unix::ffi::OsStrExt;
            let bad = std::ffi::OsStr::from_bytes(b"/ws/\xff.md");
            assert_eq!(path_key(Path::new(bad)), None);
        }
    }
}
