//! The bytes between the editor and the server.
//!
//! tower-lsp's own transport stops for good at the first message it cannot decode, and trusts
//! every `Content-Length`. Here the server reads frames itself (`primer-transport`: bounded,
//! resynchronising after any framing error), answers a body that is not JSON with a Parse error
//! and a message that is no request, notification or response with an Invalid Request (both
//! with a null id), and hands good messages to tower-lsp's service. One writer thread sends
//! everything out, whole frames only. Only `exit` (code 0 after `shutdown`, else 1) and the end
//! of the input end the process.
//!
//! Messages are handled in the order they arrive: each handler runs on this thread up to its
//! first wait (document changes are applied there, with no wait before them), and the rest of
//! it runs on the runtime, so a slow request never holds up reading.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::task::{Context, Poll, Waker};

use futures::{FutureExt, SinkExt, StreamExt};
use primer_transport::{classify, error_response, Event, FrameReader, Incoming};
use primer_transport::{INVALID_REQUEST, PARSE_ERROR};
use tower::Service;
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::lsp_types::MessageType;
use tower_lsp::{ClientSocket, LspService};

use super::state::{AnsweringOne, Backend};

/// What the writer thread is asked to do.
enum Out {
    /// Send one message (its JSON body; the writer adds the header).
    Message(Vec<u8>),
    /// Send the answer to a message: a body in pieces, one after the other. The message is
    /// handled once it is written.
    Answer(Vec<Vec<u8>>, AnsweringOne),
    /// Send what came before, then end the process with this code.
    Exit(i32),
}

/// Serves LSP on stdin and stdout until `exit` or the end of the input; returns the exit code.
pub fn serve(
    runtime: &tokio::runtime::Runtime,
    service: LspService<Backend>,
    socket: ClientSocket,
) -> i32 {
    let (out, rx) = channel::<Out>();
    let writer = std::thread::spawn(move || write_loop(rx));
    let (mut to_client, from_client) = socket.split();
    let forward = out.clone();
    runtime.spawn(async move {
        while let Some(request) = to_client.next().await {
            if let Ok(body) = serde_json::to_vec(&request) {
                let _ = forward.send(Out::Message(body));
            }
        }
    });
    let code = Reader {
        handle: runtime.handle().clone(),
        backend: service.inner().clone(),
        service,
        from_client,
        out: out.clone(),
        shutdown: false,
        initialized: false,
    }
    .run();
    let _ = out.send(Out::Exit(code));
    let _ = writer.join();
    code
}

/// When the output is a pipe (as editors start a server), asks for it to hold 1 MB instead of
/// 64 KB: a large answer (20,000 references are 3.6 MB) then goes in a few writes, without
/// waiting for the editor to drain each 64 KB. The system may refuse; nothing changes then.
fn widen_output_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: fcntl on the standard output's descriptor with an integer argument; an error
    // (not a pipe, over the system's limit) leaves the pipe as it was.
    unsafe {
        libc::fcntl(1, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// Writes one message: its header, then its body's pieces. Exits when the editor is gone.
fn write_message(w: &mut impl std::io::Write, pieces: &[Vec<u8>]) {
    let len: usize = pieces.iter().map(Vec::len).sum();
    let header = format!("Content-Length: {len}\r\n\r\n");
    let mut written = w.write_all(header.as_bytes());
    for piece in pieces {
        written = written.and_then(|_| w.write_all(piece));
    }
    if written.is_err() {
        // The editor is gone.
        std::process::exit(1);
    }
}

fn write_loop(rx: Receiver<Out>) {
    use std::io::Write;
    widen_output_pipe();
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut next = rx.recv().ok();
    while let Some(msg) = next {
        match msg {
            Out::Message(body) => write_message(&mut w, &[body]),
            Out::Answer(pieces, handled) => {
                write_message(&mut w, &pieces);
                drop(handled);
                super::json_out::give_back(pieces);
            }
            Out::Exit(code) => {
                let _ = w.flush();
                std::process::exit(code);
            }
        }
        next = match rx.try_recv() {
            Ok(m) => Some(m),
            Err(_) => {
                if w.flush().is_err() {
                    std::process::exit(1);
                }
                rx.recv().ok()
            }
        };
    }
    let _ = w.flush();
}

struct Reader<S> {
    handle: tokio::runtime::Handle,
    backend: Backend,
    service: LspService<Backend>,
    /// Where the client's answers to the server's requests go (tower-lsp's response sink).
    from_client: S,
    out: Sender<Out>,
    /// `shutdown` was asked for.
    shutdown: bool,
    /// The client said `initialized`: requests may be answered without tower-lsp.
    initialized: bool,
}

impl<S: futures::Sink<Response> + Unpin> Reader<S> {
    /// Reads and dispatches until `exit` or the end of the input; returns the exit code.
    fn run(mut self) -> i32 {
        let _runtime = self.handle.enter();
        let stdin = std::io::stdin();
        let mut frames = FrameReader::new(stdin.lock());
        while let Some(event) = frames.next_event() {
            // A panic while sorting or starting one message fails that message only.
            let step = std::panic::catch_unwind(AssertUnwindSafe(|| self.event(event)));
            match step {
                Ok(Some(code)) => return code,
                Ok(None) => {}
                Err(_) => self.log("handling a message failed; it was dropped".into()),
            }
        }
        if self.shutdown {
            0
        } else {
            1
        }
    }

    /// Handles one event; `Some(code)` when the process should end.
    fn event(&mut self, event: Event) -> Option<i32> {
        match event {
            Event::Skipped(reason) => {
                self.log(format!("skipping input that is no message: {reason}"));
            }
            Event::NotJson(reason) => {
                self.log(format!("a message that is not JSON: {reason}"));
                self.send(error_response(
                    PARSE_ERROR,
                    &format!("Parse error: {reason}"),
                ));
            }
            Event::Message(value) => match classify(value) {
                Incoming::Invalid(reason) => {
                    self.log(format!("an invalid message: {reason}"));
                    self.send(error_response(
                        INVALID_REQUEST,
                        &format!("Invalid Request: {reason}"),
                    ));
                }
                Incoming::Response(value) => match serde_json::from_value::<Response>(value) {
                    Ok(response) => {
                        let sink = &mut self.from_client;
                        let _ = self.handle.block_on(sink.send(response));
                    }
                    Err(e) => self.log(format!("a response that cannot be read: {e}")),
                },
                Incoming::Notification { method, .. } if method == "exit" => {
                    return Some(if self.shutdown { 0 } else { 1 });
                }
                Incoming::Notification { method, message } => {
                    if method == "initialized" {
                        self.initialized = true;
                    }
                    if let Ok(request) = serde_json::from_value::<Request>(message) {
                        self.dispatch(request);
                    }
                }
                Incoming::Request { method, message } => {
                    if method == "shutdown" {
                        self.shutdown = true;
                    }
                    if self.initialized && !self.shutdown {
                        if let Some(answer) = self.backend.direct(&method, &message) {
                            self.direct(&message, answer);
                            return None;
                        }
                    }
                    match serde_json::from_value::<Request>(message) {
                        Ok(request) => self.dispatch(request),
                        Err(e) => self.send(error_response(
                            INVALID_REQUEST,
                            &format!("Invalid Request: {e}"),
                        )),
                    }
                }
            },
        }
        None
    }

    /// Starts the handler of one message: it runs here up to its first wait, then on the
    /// runtime. Its answer (if any) goes to the writer; a panic is an InternalError answer.
    fn dispatch(&mut self, request: Request) {
        let id = request.id().cloned();
        // From now until its answer is written (or, for a notification, until it is handled),
        // work for every note in the background steps aside.
        let handling = self.backend.answering.start();
        // The service waits while `initialize` is being answered; it does not wake anyone.
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            match self.service.poll_ready(&mut cx) {
                Poll::Ready(Ok(())) => break,
                Poll::Ready(Err(_)) => return,
                Poll::Pending => std::thread::sleep(std::time::Duration::from_millis(1)),
            }
        }
        let mut fut = AssertUnwindSafe(self.service.call(request)).catch_unwind();
        let first = std::pin::Pin::new(&mut fut).poll(&mut cx);
        let out = self.out.clone();
        let answer = move |result: std::thread::Result<Result<Option<Response>, _>>| {
            let body = match result {
                Ok(Ok(Some(response))) => serde_json::to_vec(&response).ok(),
                Ok(_) => None,
                Err(_) => id.map(|id| {
                    super::json_out::internal_error(&serde_json::to_value(id).unwrap_or_default())
                }),
            };
            if let Some(body) = body {
                let _ = out.send(Out::Answer(vec![body], handling));
            }
        };
        match first {
            Poll::Ready(result) => answer(result),
            Poll::Pending => {
                self.handle.spawn(async move { answer(fut.await) });
            }
        }
    }

    /// Runs a request answered by [`Backend::direct`] on the runtime; a panic is an
    /// InternalError answer, as for the others.
    fn direct(
        &self,
        message: &serde_json::Value,
        answer: futures::future::BoxFuture<'static, Vec<Vec<u8>>>,
    ) {
        let id = message.get("id").cloned().unwrap_or_default();
        let out = self.out.clone();
        let handling = self.backend.answering.start();
        self.handle.spawn(async move {
            let body = match AssertUnwindSafe(answer).catch_unwind().await {
                Ok(pieces) => pieces,
                Err(_) => vec![super::json_out::internal_error(&id)],
            };
            let _ = out.send(Out::Answer(body, handling));
        });
    }

    fn send(&self, body: Vec<u8>) {
        let _ = self.out.send(Out::Message(body));
    }

    /// Logs to stderr and, once the client can take it, to its log.
    fn log(&self, message: String) {
        eprintln!("primer-ls: {message}");
        let client = self.backend.client.clone();
        self.handle.spawn(async move {
            client
                .log_message(MessageType::WARNING, format!("primer-ls: {message}"))
                .await
        });
    }
}
