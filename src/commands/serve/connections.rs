//! How `loa serve` takes connections, before hyper and the router see them: a cap on open
//! connections, a request head that must arrive whole, small and soon, and no busy loop when
//! the process runs out of file descriptors.
//!
//! Each connection first has its request head read here, bounded in size ([`REQUEST_LINE_LIMIT`],
//! [`HEAD_LIMIT`]) and time ([`HEAD_TIMEOUT`]); hyper cannot answer 414 for a request line that
//! never ends, and a connection still waiting for its head is the one to close when too many
//! wait. Only then is the connection handed to hyper, with the bytes read so far put back in
//! front of it, to answer one request.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// The longest request line taken (method, target, version), in bytes; longer gets 414.
pub const REQUEST_LINE_LIMIT: usize = 8 * 1024;

/// The largest request head taken (request line and headers), in bytes; larger gets 431.
pub const HEAD_LIMIT: usize = 32 * 1024;

/// How long a connection has to send its whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections open at once; more wait in the system's queue until one closes.
pub const MAX_OPEN: usize = 512;

/// Connections still waiting for their request head; when one more comes, the one that has
/// waited longest is closed.
pub const MAX_WAITING: usize = 128;

/// How long the accept loop rests when the process has no file descriptor left and no
/// waiting connection to close.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long, and for how many bytes, a refused connection is read and dropped after the
/// answer, so that closing it does not reset it before the client reads the answer.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;

/// Bytes read from a socket at a time.
const READ_CHUNK: usize = 8 * 1024;

const URI_TOO_LONG: &str = "414 URI Too Long";
const HEADERS_TOO_LARGE: &str = "431 Request Header Fields Too Large";
const REQUEST_TIMEOUT: &str = "408 Request Timeout";

/// The connections still waiting for their request head, the first to close when the
/// process runs out of file descriptors.
pub fn waiting_connections() -> Arc<Slots> {
    Slots::new(MAX_WAITING)
}

/// Accepts connections on `listener` and answers each with `router`, until the runtime stops;
/// `waiting` is shared with the handlers (see [`waiting_connections`]).
pub async fn serve(
    listener: std::net::TcpListener,
    router: axum::Router,
    waiting: Arc<Slots>,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let open = Arc::new(Semaphore::new(MAX_OPEN));
    loop {
        let Ok(permit) = open.clone().acquire_owned().await else { return Ok(()) };
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, permit, router.clone(), waiting.clone()));
            }
            Err(error) if is_about_one_connection(&error) => {}
            Err(_) => out_of_resources(&waiting).await,
        }
    }
}

/// Whether an accept error concerns only the connection being taken (it went away), so that
/// the next one can be taken at once.
fn is_about_one_connection(error: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionAborted
            | ConnectionReset
            | ConnectionRefused
            | Interrupted
            | WouldBlock
            | TimedOut
    )
}

/// After an accept error that is not about one connection (out of file descriptors, above
/// all): closes the connection that has waited longest for its head and tries again at once,
/// or, with none to close, rests instead of spinning on an error that will not go away.
pub async fn out_of_resources(waiting: &Slots) {
    if waiting.shed_oldest() {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(ACCEPT_BACKOFF).await;
    }
}

/// One connection: its request head read within the limits, then one request answered.
async fn connection(
    mut stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    router: axum::Router,
    waiting: Arc<Slots>,
) {
    let slot = waiting.enter();
    let head = {
        let read = std::pin::pin!(tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)));
        let shed = std::pin::pin!(slot.shed());
        match futures_util::future::select(read, shed).await {
            futures_util::future::Either::Left((head, _)) => head,
            futures_util::future::Either::Right(_) => return,
        }
    };
    drop(slot);
    match head {
        Ok(Ok(Head::Whole(bytes))) => answer(stream, bytes, router).await,
        Ok(Ok(Head::Refused(status))) => refuse(stream, status, true).await,
        Ok(Ok(Head::Closed) | Err(_)) => {}
        Err(_) => refuse(stream, REQUEST_TIMEOUT, false).await,
    }
}

/// What came of reading a request head.
enum Head {
    /// The whole head, and whatever followed it in the same reads.
    Whole(Vec<u8>),
    /// Refused with this status: the request line or the head is too long.
    Refused(&'static str),
    /// The client closed the connection first.
    Closed,
}

/// Reads until the request head is whole, or too long.
async fn read_head(stream: &mut TcpStream) -> io::Result<Head> {
    let mut head = HeadBuffer::default();
    let mut chunk = vec![0; READ_CHUNK];
    loop {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(Head::Closed);
        }
        match head.push(&chunk[..read]) {
            Scan::Partial => {}
            Scan::Whole => return Ok(Head::Whole(head.bytes)),
            Scan::LineTooLong => return Ok(Head::Refused(URI_TOO_LONG)),
            Scan::HeadTooLarge => return Ok(Head::Refused(HEADERS_TOO_LARGE)),
        }
    }
}

/// What the bytes of a request head received so far amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// More is needed.
    Partial,
    /// The head is whole (it ends with an empty line).
    Whole,
    /// The request line is longer than [`REQUEST_LINE_LIMIT`].
    LineTooLong,
    /// The head is larger than [`HEAD_LIMIT`].
    HeadTooLarge,
}

/// The bytes of a request head as they arrive, searched once each for the ends of the request
/// line and of the head.
#[derive(Debug, Default)]
pub struct HeadBuffer {
    bytes: Vec<u8>,
    line_end: Option<usize>,
}

impl HeadBuffer {
    /// Adds bytes just read and says whether the head is whole or too long.
    pub fn push(&mut self, more: &[u8]) -> Scan {
        // The end of the head ("\n\n" or "\n\r\n") may begin in the bytes already searched.
        let from = self.bytes.len().saturating_sub(2);
        self.bytes.extend_from_slice(more);
        if self.line_end.is_none() {
            self.line_end = self.bytes[from..].iter().position(|b| *b == b'\n').map(|i| from + i);
        }
        if self.line_end.unwrap_or(self.bytes.len()) > REQUEST_LINE_LIMIT {
            return Scan::LineTooLong;
        }
        match head_end(&self.bytes, from) {
            Some(end) if end <= HEAD_LIMIT => Scan::Whole,
            Some(_) => Scan::HeadTooLarge,
            None if self.bytes.len() > HEAD_LIMIT => Scan::HeadTooLarge,
            None => Scan::Partial,
        }
    }
}

/// Where the head ends (just after its empty line), searching from `from`.
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find_map(|i| match &bytes[i..] {
        [b'\n', b'\n', ..] => Some(i + 2),
        [b'\n', b'\r', b'\n', ..] => Some(i + 3),
        _ => None,
    })
}

/// Hands the connection to hyper with the bytes already read put back, for one request.
async fn answer(stream: TcpStream, head: Vec<u8>, router: axum::Router) {
    let io = hyper_util::rt::TokioIo::new(Replay { head, at: 0, stream });
    let service = hyper_util::service::TowerToHyperService::new(router);
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(HEAD_LIMIT + READ_CHUNK)
        .keep_alive(false)
        .serve_connection(io, service)
        .await;
}

/// Answers with a bare status and closes; after a head that was too long, first reads and
/// drops what the client still sends, for a while, so that it gets to read the answer.
async fn refuse(mut stream: TcpStream, status: &str, linger: bool) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{status}\n",
        status.len() + 1
    );
    if stream.write_all(response.as_bytes()).await.is_err() || !linger {
        return;
    }
    let _ = stream.shutdown().await;
    let _ = tokio::time::timeout(LINGER, discard(&mut stream, LINGER_BYTES)).await;
}

/// Reads and drops up to `limit` bytes, until the client closes.
async fn discard(stream: &mut TcpStream, limit: usize) {
    let mut chunk = vec![0; READ_CHUNK];
    let mut left = limit;
    while left > 0 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) => left = left.saturating_sub(read),
        }
    }
}

/// A connection whose first bytes were already read: they are read again first.
struct Replay {
    head: Vec<u8>,
    at: usize,
    stream: TcpStream,
}

impl AsyncRead for Replay {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.at < this.head.len() {
            let count = buf.remaining().min(this.head.len() - this.at);
            buf.put_slice(&this.head[this.at..this.at + count]);
            this.at += count;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// A bounded number of connections in one phase (waiting for their head, or streaming
/// events): when one more enters a full set, the one that entered first is told to go.
#[derive(Debug)]
pub struct Slots {
    cap: usize,
    queue: Mutex<VecDeque<(u64, Arc<Notify>)>>,
    next: AtomicU64,
}

/// A connection's place in [`Slots`], given up when dropped.
#[derive(Debug)]
pub struct Slot {
    id: u64,
    shed: Arc<Notify>,
    slots: Arc<Slots>,
}

impl Slots {
    /// An empty set holding at most `cap` connections.
    pub fn new(cap: usize) -> Arc<Slots> {
        Arc::new(Slots { cap, queue: Mutex::default(), next: AtomicU64::new(0) })
    }

    /// Takes a place, telling the oldest connection to go if the set was full.
    pub fn enter(self: &Arc<Self>) -> Slot {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let shed = Arc::new(Notify::new());
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.push_back((id, shed.clone()));
        if queue.len() > self.cap
            && let Some((_, oldest)) = queue.pop_front()
        {
            oldest.notify_one();
        }
        Slot { id, shed, slots: self.clone() }
    }

    /// Tells the oldest connection to go; `false` when there is none.
    pub fn shed_oldest(&self) -> bool {
        let oldest = self.queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        oldest.map(|(_, shed)| shed.notify_one()).is_some()
    }

    /// How many connections hold a place.
    pub fn len(&self) -> usize {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no connection holds a place.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Slot {
    /// Completes when this connection has been told to go.
    pub async fn shed(&self) {
        self.shed.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut queue = self.slots.queue.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = queue.iter().position(|(id, _)| *id == self.id) {
            queue.remove(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_in_pieces(bytes: &[u8], piece: usize) -> Scan {
        let mut head = HeadBuffer::default();
        let mut scan = Scan::Partial;
        for part in bytes.chunks(piece) {
            scan = head.push(part);
            if scan != Scan::Partial {
                break;
            }
        }
        scan
    }

    #[test]
    fn a_head_is_whole_at_its_empty_line_however_it_arrives() {
        let request = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for piece in 1..request.len() {
            assert_eq!(scan_in_pieces(request, piece), Scan::Whole, "in pieces of {piece}");
            assert_eq!(scan_in_pieces(&request[..request.len() - 1], piece), Scan::Partial);
        }
        assert_eq!(scan_in_pieces(b"GET / HTTP/1.0\n\n", 3), Scan::Whole);
    }

    #[test]
    fn a_long_request_line_or_head_is_refused_before_it_ends() {
        let line = vec![b'a'; REQUEST_LINE_LIMIT + 1];
        assert_eq!(scan_in_pieces(&line, 1000), Scan::LineTooLong, "no newline needed");
        let mut ok_line = b"GET /".to_vec();
        ok_line.resize(REQUEST_LINE_LIMIT - 2, b'a');
        ok_line.extend_from_slice(b"\r\n");
        assert_eq!(scan_in_pieces(&ok_line, 1000), Scan::Partial);
        let mut head = b"GET / HTTP/1.1\r\n".to_vec();
        while head.len() <= HEAD_LIMIT {
            head.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        }
        assert_eq!(scan_in_pieces(&head, 4096), Scan::HeadTooLarge, "no empty line needed");
        head.extend_from_slice(b"\r\n");
        assert_eq!(scan_in_pieces(&head, 100_000), Scan::HeadTooLarge);
    }

    #[test]
    fn a_full_set_of_slots_sheds_the_oldest_and_a_dropped_slot_leaves() {
        use std::future::Future;
        let slots = Slots::new(2);
        let first = slots.enter();
        let second = slots.enter();
        let third = slots.enter();
        assert_eq!(slots.len(), 2);
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let shed = |slot: &Slot, cx: &mut Context<'_>| {
            std::pin::pin!(slot.shed()).as_mut().poll(cx).is_ready()
        };
        assert!(shed(&first, &mut cx), "the oldest is told to go");
        assert!(!shed(&second, &mut cx) && !shed(&third, &mut cx));
        drop(second);
        assert_eq!(slots.len(), 1);
        assert!(slots.shed_oldest() && shed(&third, &mut cx));
        assert!(!slots.shed_oldest() && slots.is_empty());
        drop((first, third));
    }
}
