package store

// LedgerTx is what a transaction offers of the money ledger (append-only entries) and the payment batches with their bank files.
type LedgerTx interface{}
