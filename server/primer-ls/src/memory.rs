//! How the server has glibc's malloc keep and give back memory: its limits, set once at start,
//! and a mode for reading many notes at once.

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
pub fn limit_malloc_arenas() {
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

/// While one is held, freed memory at the top of malloc's heaps stays with the process instead
/// of going back to the system at once (see [`reading_many`]).
#[must_use]
pub struct ReadingMany(());

/// How many [`ReadingMany`] are held (a lock, not a counter alone: the last one let go and a
/// new one taken must not set the threshold in the wrong order).
static HELD: std::sync::Mutex<usize> = std::sync::Mutex::new(0);

/// glibc's threshold of free memory at a heap's top above which `free` gives it back: its
/// default, which the fixed mmap threshold above keeps from moving.
const TRIM_AS_USUAL: usize = 128 << 10;

/// The threshold while notes are read: the size of a thread's own heap (glibc's are 64 MB at
/// most), so never reached there; the main heap, which has no such size, trims only past it.
const TRIM_WHILE_READING: usize = 64 << 20;

/// For reading and analysing many notes at once: each note's analysis frees most of what it
/// allocated, and by default glibc then gives the top of the thread's heap back to the system
/// (`madvise`), only for the next note to fault the same pages in again. Over the index of
/// 10,000 notes that churn cost 4-6% of the server's processor time (index-only rounds,
/// alternated), and the memory left once indexed was the same. When the last one is let go the
/// usual threshold comes back, and what is free is given back at once.
pub fn reading_many() -> ReadingMany {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(threshold) = taken(&mut held) {
        set_trim_threshold(threshold);
    }
    ReadingMany(())
}

impl Drop for ReadingMany {
    fn drop(&mut self) {
        let last = {
            let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
            let usual = let_go(&mut held);
            if let Some(threshold) = usual {
                set_trim_threshold(threshold);
            }
            usual.is_some()
        };
        // (Outside the lock: a reading that starts meanwhile need not wait for the trim.)
        if last {
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: malloc_trim only gives free memory of the heaps back to the system.
            unsafe {
                libc::malloc_trim(0);
            }
        }
    }
}

/// One more holder of `held`: the threshold to set when it is the first.
fn taken(held: &mut usize) -> Option<usize> {
    *held += 1;
    (*held == 1).then_some(TRIM_WHILE_READING)
}

/// One holder fewer: the threshold to set when it was the last.
fn let_go(held: &mut usize) -> Option<usize> {
    *held = held.saturating_sub(1);
    (*held == 0).then_some(TRIM_AS_USUAL)
}

fn set_trim_threshold(bytes: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; the other threads' `free`
    // reads it without a lock, and sees the old or the new value.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, bytes as libc::c_int);
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_threshold_comes_back_only_when_the_last_reading_ends() {
        let mut held = 0;
        // Two readings overlap (a second workspace folder added while the first is read).
        let steps = [
            taken(&mut held),
            taken(&mut held),
            let_go(&mut held),
            let_go(&mut held),
            taken(&mut held),
        ];
        assert_eq!(
            steps,
            [
                Some(TRIM_WHILE_READING),
                None,
                None,
                Some(TRIM_AS_USUAL),
                Some(TRIM_WHILE_READING)
            ]
        );
    }
}
