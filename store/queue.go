package store

// QueueTx is what a transaction offers of durable background work enqueued in the same transaction as the data it follows from.
type QueueTx interface{}
