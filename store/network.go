package store

// NetworkTx is what a transaction offers of the service network: workshops, chargers and tow partners with their positions.
type NetworkTx interface{}
