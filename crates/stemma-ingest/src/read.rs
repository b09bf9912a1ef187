//! Bounded, position-tracking reading and capped gzip decompression.
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::bufread::MultiGzDecoder;

use crate::Reason;

/// Decompressed output that may be produced freely before the ratio check applies.
pub const INFLATE_FREE_BYTES: u64 = 256 << 20;
/// Past [`INFLATE_FREE_BYTES`], decompression stops when the output exceeds this many
/// times the compressed input read so far (real HTML and text stay far below it).
pub const MAX_INFLATE_RATIO: u64 = 100;

/// What [`Tracked::next_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// End of input before any byte.
    Eof,
    /// A line (without its `\n`) is in the buffer.
    Full,
    /// A line longer than the limit; it was consumed and dropped. Holds its length.
    TooLong(u64),
}

/// A `BufRead` that counts the bytes consumed.
pub(crate) struct Tracked<R> {
    inner: R,
    offset: u64,
}

impl<R: BufRead> Tracked<R> {
    pub(crate) fn new(inner: R) -> Self {
        Tracked { inner, offset: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads one line into `buf` (cleared first), keeping at most `max` bytes in memory.
    /// A final line without `\n` counts as a line.
    pub(crate) fn next_line(&mut self, max: usize, buf: &mut Vec<u8>) -> io::Result<Line> {
        buf.clear();
        let mut len: u64 = 0;
        let mut too_long = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(match (len, too_long) {
                    (0, _) => Line::Eof,
                    (n, true) => Line::TooLong(n),
                    _ => Line::Full,
                });
            }
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(p) => (p + 1, true),
                None => (avail.len(), false),
            };
            let content = if done { take - 1 } else { take };
            if !too_long {
                if buf.len() + content > max {
                    too_long = true;
                    buf.clear();
                } else {
                    buf.extend_from_slice(&avail[..content]);
                }
            }
            len += content as u64;
            self.inner.consume(take);
            self.offset += take as u64;
            if done {
                return Ok(if too_long {
                    Line::TooLong(len)
                } else {
                    Line::Full
                });
            }
        }
    }

    /// Appends up to `n` bytes to `buf`; returns how many were read (fewer only at EOF).
    pub(crate) fn read_up_to(&mut self, n: u64, buf: &mut Vec<u8>) -> io::Result<u64> {
        let got = (&mut self.inner).take(n).read_to_end(buf)? as u64;
        self.offset += got;
        Ok(got)
    }

    /// Skips up to `n` bytes; returns how many were skipped (fewer only at EOF).
    pub(crate) fn skip(&mut self, n: u64) -> io::Result<u64> {
        let got = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())?;
        self.offset += got;
        Ok(got)
    }
}

/// Error raised inside a gzip stream (wrapped so it can be told apart from other I/O).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct GzipError(String);

/// Error raised when the decompression cap is hit.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InflateLimit(String);

/// Maps an I/O error from a (possibly decompressing) reader to a [`Reason`].
pub(crate) fn io_reason(e: &io::Error) -> Reason {
    if let Some(inner) = e.get_ref() {
        if let Some(g) = inner.downcast_ref::<GzipError>() {
            return Reason::Gzip(g.0.clone());
        }
        if let Some(l) = inner.downcast_ref::<InflateLimit>() {
            return Reason::DecompressionLimit(l.0.clone());
        }
    }
    if e.kind() == io::ErrorKind::InvalidData {
        return Reason::Gzip(e.to_string());
    }
    Reason::Io(e.to_string())
}

/// Counts the bytes read through it into a shared counter.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.count.fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

/// A multi-member gzip decoder with a ratio cap and tagged errors.
struct Inflate<R: BufRead> {
    dec: MultiGzDecoder<Counting<R>>,
    compressed: Arc<AtomicU64>,
    out: u64,
}

impl<R: BufRead> Read for Inflate<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .dec
            .read(buf)
            .map_err(|e| io::Error::other(GzipError(e.to_string())))?;
        self.out += n as u64;
        let input = self.compressed.load(Ordering::Relaxed).max(1);
        if self.out > INFLATE_FREE_BYTES && self.out > input.saturating_mul(MAX_INFLATE_RATIO) {
            return Err(io::Error::other(InflateLimit(format!(
                "{} bytes from {input} compressed bytes",
                self.out
            ))));
        }
        Ok(n)
    }
}

/// True when the bytes start with the gzip magic number.
pub(crate) fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1F, 0x8B])
}

/// Wraps `reader` in a capped multi-member gzip decoder when its content starts with the
/// gzip magic number (whatever the file name says); otherwise returns it as is.
pub(crate) fn maybe_gunzip<R: BufRead + Send + 'static>(
    mut reader: R,
) -> io::Result<Box<dyn BufRead + Send>> {
    let head = loop {
        match reader.fill_buf() {
            Ok(h) => break h,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if !is_gzip(head) {
        return Ok(Box::new(reader));
    }
    let compressed = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        inner: reader,
        count: Arc::clone(&compressed),
    };
    Ok(Box::new(BufReader::with_capacity(
        64 << 10,
        Inflate {
            dec: MultiGzDecoder::new(counting),
            compressed,
            out: 0,
        },
    )))
}

/// Decompresses an in-memory gzip (multi-member) or zlib/raw-deflate body, stopping past
/// `limit` output bytes (the result is then `limit + 1` bytes long, for the caller to reject).
pub(crate) fn inflate_bytes(data: &[u8], deflate: bool, limit: u64) -> Result<Vec<u8>, Reason> {
    let mut out = Vec::new();
    let res = if deflate {
        let zlib = flate2::bufread::ZlibDecoder::new(data)
            .take(limit + 1)
            .read_to_end(&mut out);
        if zlib.is_err() {
            out.clear();
            flate2::bufread::DeflateDecoder::new(data)
                .take(limit + 1)
                .read_to_end(&mut out)
        } else {
            zlib
        }
    } else {
        MultiGzDecoder::new(data)
            .take(limit + 1)
            .read_to_end(&mut out)
    };
    res.map_err(|e| Reason::Gzip(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_table() {
        let mut t = Tracked::new(&b"ab\n\nlonger line\nlast"[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            let l = t.next_line(5, &mut buf).unwrap();
            if l == Line::Eof {
                break;
            }
            got.push((format!("{l:?}"), String::from_utf8_lossy(&buf).into_owned()));
        }
        let want = [
            ("Full", "ab"),
            ("Full", ""),
            ("TooLong(11)", ""),
            ("Full", "last"),
        ];
        assert_eq!(got.len(), want.len());
        for ((l, s), (wl, ws)) in got.iter().zip(want) {
            assert_eq!((l.as_str(), s.as_str()), (wl, ws));
        }
        assert_eq!(t.offset(), 20);
    }
}
