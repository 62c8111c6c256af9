// Package ledger keeps the money roadcover owes and pays: an append-only
// double-entry journal in integer minor units per currency, and the payment
// batches that pay what it owes.
//
// The journal is a sequence of entries numbered 1, 2, 3, … (Entry.Seq). Three
// kinds carry money, each as postings that sum to zero per currency and per
// source, payee and currency:
//
//	payable   an approved amount owed to a payee for a source (an assistance
//	          case's receipt line or an insurance claim's line):
//	          debit expense, credit payable
//	payment   a payable paid through a released batch:
//	          debit payable, credit bank
//	reversal  a payment the bank rejected (debit bank, credit payable: the
//	          payable is open again), or a payable withdrawn (debit payable,
//	          credit expense)
//
// The other kinds record the batch workflow and carry no postings:
// batch_created (a maker gathers open payables of one currency),
// batch_approved (a first approver, when the batch needs two),
// batch_released (the last approver releases; payment entries follow),
// batch_cancelled (before release; its payables are open again) and
// payment_confirmed (the bank reported the payment accepted or settled).
//
// A Ledger is the state the journal builds. Its methods that start work
// (RecordPayable, Withdraw, CreateBatch, Approve, Release, Cancel,
// ApplyOutcomes) are pure: they read the state and return the entries to
// append, numbered from NextSeq, without changing anything. A store appends
// those entries in one transaction (the sequence number is the journal's
// primary key, so a concurrent writer loses the race instead of forking the
// journal) and then calls Apply. Apply checks every entry again, so a journal
// rebuilt from stored rows (Replay) is held to the same rules as one built
// live: nothing is paid twice, nothing is in two batches, nothing is
// unbalanced, and no amount overflows.
//
// A store keeps the journal in three append-only tables: one row per entry
// (Seq as primary key, Kind, At in UTC, Actor and the fields of its kind),
// one row per posting (Seq, position, account, currency, minor units,
// source kind, id and line, payee) and one row per batch member (Seq,
// payable). Nothing is updated or deleted. To load, read the entries in Seq
// order with their postings and members and Replay them; to write, run a
// step, insert the entries it returned in one transaction (a clash on Seq
// means another writer was first: reload and run the step again), then Apply
// them.
//
// The package does no I/O and reads no clock: times, actors and the approval
// policy are passed in.
package ledger
