package claimsdesk

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"roadcover"
	"roadcover/claims"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// Payable is what the ledger is handed for a released payment order: a
// payable of the order's own source line (ledgerLine), owed to the order's
// payee, resting on the claim's terms version and the order's clause, whose
// id is the order's and whose payee id names the account ("bg:", "se:" or
// "iban:" and its digits), so that one account is one payee.
func Payable(c *claims.Claim, o claims.PaymentOrder) (ledger.Payable, payee.Payee, error) {
	to := payee.Payee{Name: o.Payee.Name}
	switch o.Payee.Kind {
	case claims.Bankgiro:
		bg := strings.ReplaceAll(o.Payee.Bankgiro, "-", "")
		to.ID, to.Account = "bg:"+bg, payee.Account{Method: payee.MethodBankgiro, Bankgiro: bg}
	case claims.SwedishAccount:
		to.ID = "se:" + o.Payee.Clearing + ":" + o.Payee.Account
		to.Account = payee.Account{Method: payee.MethodSwedishAccount, Clearing: o.Payee.Clearing, Number: o.Payee.Account}
	case claims.IBAN:
		to.ID, to.Account = "iban:"+o.Payee.IBAN, payee.Account{Method: payee.MethodIBAN, IBAN: o.Payee.IBAN, BIC: o.Payee.BIC}
	default:
		return ledger.Payable{}, payee.Payee{}, invalid("payee", "the payment order names no account")
	}
	norm, err := payee.Normalize(to)
	if err != nil {
		return ledger.Payable{}, payee.Payee{}, prefixFields(err, "payee.")
	}
	ref := o.Reference
	if ref == "" {
		ref = "Claim " + c.ID + " " + o.Line
	}
	if utf8.RuneCountInString(ref) > 140 {
		ref = string([]rune(ref)[:140])
	}
	return ledger.Payable{ID: ledger.PayableID(o.ID), Source: ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: c.ID, Line: ledgerLine(c, o)},
		Payee: ledger.PayeeID(norm.ID), Amount: o.Amount, Reference: ref, Terms: c.Decided.TermsID, Clause: o.Clause}, norm, nil
}

// ledgerLine is the source line of an order's payable: the order's number
// in the claim, then the settlement line it pays ("P2:collision"), cut to
// the ledger's 64 bytes. The ledger holds one payable per source line, so
// each order (an advance, then the rest; two equal instalments) is a line
// of its own.
func ledgerLine(c *claims.Claim, o claims.PaymentOrder) string {
	s := strings.TrimPrefix(o.ID, c.ID+"-") + ":" + o.Line
	for len(s) > 64 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

// handOver gives a released order to the ledger.
func (d *Desk) handOver(ctx context.Context, tx store.Tx, c *claims.Claim, o claims.PaymentOrder) error {
	if d.Payables == nil {
		return ErrNoLedger
	}
	p, to, err := Payable(c, o)
	if err != nil {
		return err
	}
	if err := d.Payables.RecordPayable(ctx, tx, p, to); err != nil {
		return wrap("hand payment "+o.ID+" to the ledger", err)
	}
	return nil
}

// prefixFields names the fields of an input error under a prefix.
func prefixFields(err error, prefix string) error {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return err
	}
	out := &roadcover.InputError{}
	for _, f := range ie.Errors {
		out.Add(prefix+f.Field, f.Code, f.Detail)
	}
	return out.Err()
}
