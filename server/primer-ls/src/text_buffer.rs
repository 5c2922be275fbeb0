//! The buffer a note's text is kept in, written once: a file is read into it and a rope is copied
//! into it directly, never into a `String` first and then copied again.

use std::sync::Arc;

/// A buffer of `len` zero bytes that no one else holds, to be written before it is shared.
pub fn zeroed(len: usize) -> Arc<[u8]> {
    let mut buffer = Arc::<[u8]>::new_uninit_slice(len);
    let slot = Arc::get_mut(&mut buffer).expect("a buffer no one else holds");
    slot.fill(std::mem::MaybeUninit::new(0));
    // SAFETY: every byte was just set.
    unsafe { buffer.assume_init() }
}

/// The buffer as text, when it is UTF-8, without copying it; else the buffer back.
pub fn into_text(bytes: Arc<[u8]>) -> Result<Arc<str>, Arc<[u8]>> {
    if std::str::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: the bytes were just checked to be UTF-8.
    Ok(unsafe { into_text_unchecked(bytes) })
}

/// [`into_text`] without the check, for bytes known to be UTF-8 (a rope's chunks one after the
/// other): checking a 1 MB note again on every keystroke would cost a tenth of a millisecond.
///
/// # Safety
/// `bytes` must be UTF-8.
pub unsafe fn into_text_unchecked(bytes: Arc<[u8]>) -> Arc<str> {
    // SAFETY: the caller vouches for UTF-8, and `str` is laid out as `[u8]`.
    unsafe { Arc::from_raw(Arc::into_raw(bytes) as *const str) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_becomes_text_only_when_it_is_utf8() {
        let mut buffer = zeroed(4);
        Arc::get_mut(&mut buffer)
            .unwrap()
            .copy_from_slice("añ!".as_bytes());
        assert_eq!(into_text(buffer).as_deref(), Ok("añ!"));
        let mut buffer = zeroed(2);
        Arc::get_mut(&mut buffer).unwrap().copy_from_slice(b"\xc3(");
        assert!(into_text(buffer).is_err());
        assert_eq!(&*zeroed(3), [0, 0, 0]);
    }
}
