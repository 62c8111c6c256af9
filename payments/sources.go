package payments

import (
	"context"
	"fmt"
	"strings"

	"roadcover/desk"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// The two parts of the product that owe money hand it to the ledger here,
// in their own transaction: the desk's receipts (Receipts) and the claims
// desk's released payment orders (Claims).

// Receipts is the ledger as the desk's receipts see it: it records what a
// receipt line owes (desk.PayableRecorder), withdraws it when a review
// refuses the line, and says whether a receipt was paid (desk.PaidChecker).
type Receipts struct{ S *Service }

var (
	_ desk.PayableRecorder = Receipts{}
	_ desk.PaidChecker     = Receipts{}
)

func receiptSource(caseID, receiptID string, line int64) ledger.Source {
	return ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: caseID, Line: fmt.Sprintf("%s:%d", receiptID, line)}
}

// RecordPayable records what a receipt line owes, after withdrawing the
// payable of the line it replaces when that one is not paid.
func (r Receipts) RecordPayable(ctx context.Context, tx store.Tx, p desk.Payable) error {
	if p.Replaces > 0 {
		if err := r.withdraw(ctx, tx, p.Actor, receiptSource(p.CaseID, p.ReceiptID, p.Replaces)); err != nil {
			return err
		}
	}
	ref := "Roadcover receipt " + shortRef(p.ReceiptID)
	_, err := r.S.RecordPayable(ctx, tx, p.Actor, PayableRequest{Source: receiptSource(p.CaseID, p.ReceiptID, p.LineNo),
		Payee: p.Payee, Amount: p.Amount, Terms: p.Terms, Clause: p.Clause, Reference: ref})
	return err
}

// WithdrawPayable withdraws the payable of a receipt's line when it is not
// paid; a paid one stays (a review of a paid receipt is refused before).
func (r Receipts) WithdrawPayable(ctx context.Context, tx store.Tx, w desk.PayableWithdrawal) error {
	return r.withdraw(ctx, tx, w.Actor, receiptSource(w.CaseID, w.ReceiptID, w.LineNo))
}

func (r Receipts) withdraw(ctx context.Context, tx store.Tx, a store.Actor, src ledger.Source) error {
	ps, err := r.S.Payables(ctx, tx, PayableFilter{SourceKind: src.Kind, SourceID: src.ID})
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Source == src && p.Status == ledger.StatusOpen {
			if _, err := r.S.Withdraw(ctx, tx, a, p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReceiptPaid reports whether any line of the receipt was paid or is on
// its way (in a batch, or sent).
func (r Receipts) ReceiptPaid(ctx context.Context, tx store.Tx, caseID, receiptID string) (bool, error) {
	ps, err := r.S.Payables(ctx, tx, PayableFilter{SourceKind: ledger.SourceAssistanceReceipt, SourceID: caseID})
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if strings.HasPrefix(p.Source.Line, receiptID+":") {
			switch p.Status {
			case ledger.StatusInBatch, ledger.StatusSent, ledger.StatusPaid:
				return true, nil
			}
		}
	}
	return false, nil
}

// Claims is the ledger as the claims desk sees it: a released payment
// order becomes a payable (claimsdesk.PayableRecorder).
type Claims struct{ S *Service }

// RecordPayable records a released payment order of a claim.
func (c Claims) RecordPayable(ctx context.Context, tx store.Tx, p ledger.Payable, to payee.Payee) error {
	_, err := c.S.RecordPayable(ctx, tx, store.Actor{TokenID: "claims", Role: "system"}, PayableRequest{Source: p.Source,
		Payee: to, Amount: p.Amount, Terms: p.Terms, Clause: p.Clause, Reference: p.Reference})
	return err
}

// shortRef is the end of an id, enough to find it again from a bank
// statement.
func shortRef(id string) string {
	if len(id) > 12 {
		return id[len(id)-12:]
	}
	return id
}
