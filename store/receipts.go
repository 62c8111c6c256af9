package store

// ReceiptTx is what a transaction offers of receipts on cases: their files (kept once by SHA-256) and their checked lines.
type ReceiptTx interface{}
