package io.infergate.host.receipts.anchor;

import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.receipt.SignedReceipt;

/** A receipt journal for the anchoring tests and how a test adds signed receipts to it. */
interface TestJournal {
  ReceiptLog log();

  void append(SignedReceipt receipt);

  static TestJournal memory() {
    MemoryReceiptLog log = new MemoryReceiptLog();
    return new TestJournal() {
      @Override
      public ReceiptLog log() {
        return log;
      }

      @Override
      public void append(SignedReceipt receipt) {
        log.append(receipt);
      }
    };
  }
}
