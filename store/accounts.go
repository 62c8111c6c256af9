package store

// AccountTx is what a transaction offers of the desk's named accounts (operators, claims handlers) with their password hashes, and their sign-in sessions.
type AccountTx interface{}
