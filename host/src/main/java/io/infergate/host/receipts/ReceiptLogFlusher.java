package io.infergate.host.receipts;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a SQLite journal's {@code receipt_log} into {@code receipts} every {@code every}, on a Vert.x worker, off
 * the request path ({@link ReceiptJournal#flushLog}). Reads of the journal move it themselves first, so this only
 * bounds how much one read may have to move and keeps the indexed table current for the anchorer and for backups.
 */
public final class ReceiptLogFlusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptLogFlusher.class);
  /** How often the node moves the log: about a second of paid calls per move at most. */
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final long timer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReceiptLogFlusher(Vertx vertx, ReceiptJournal journal, Duration every) {
    this.vertx = vertx;
    AtomicBoolean running = new AtomicBoolean();
    this.timer = vertx.setPeriodic(every.toMillis(), id -> {
      if (closed.get() || !running.compareAndSet(false, true)) {
        return;     // closing, or the previous move is still running
      }
      vertx.executeBlocking(journal::flushLog, false)
          .onComplete(done -> {
            running.set(false);
            if (done.failed() && !closed.get()) {
              LOG.warn("moving receipts from receipt_log into receipts failed: {}; retrying in {} ms (reads move them"
                  + " too, nothing is lost)", done.cause().toString(), every.toMillis());
            }
          });
    });
  }

  /** Starts moving {@code journal}'s log every {@code every}. */
  public static ReceiptLogFlusher start(Vertx vertx, ReceiptJournal journal, Duration every) {
    return new ReceiptLogFlusher(vertx, journal, every);
  }

  /** Stops the timer (a move in flight finishes on its own; the ledger closes after its pending writes). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      vertx.cancelTimer(timer);
    }
  }
}
