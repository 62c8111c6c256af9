package store

// InsuranceTx is what a transaction offers of insurance policies (versions from a date) and claims with their timeline.
type InsuranceTx interface{}
