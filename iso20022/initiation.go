package iso20022

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
)

// Debtor is who pays: our name, how our bank knows us, and our accounts,
// from configuration.
type Debtor struct {
	Name string
	// InitiatorID is how the bank knows the sender of the file (a customer
	// number or an organisation number); InitiatorScheme is its scheme code
	// (for example CUST or BANK), as agreed with the bank. Both are optional.
	InitiatorID     string
	InitiatorScheme string
	Accounts        []DebtorAccount // one per currency paid from
}

// DebtorAccount is an account of ours that payments in one currency leave.
type DebtorAccount struct {
	Currency string
	IBAN     string
	BIC      string // our bank's BIC
}

// Route is how a transfer travels.
type Route string

// The routes this package writes.
const (
	RouteSEPA        Route = "sepa"        // EUR to an IBAN in a SEPA country
	RouteBankgiro    Route = "se_bankgiro" // SEK to a bankgiro number
	RouteSwedishBank Route = "se_account"  // SEK to a Swedish clearing and account number
	RouteSwedishIBAN Route = "se_iban"     // SEK to a Swedish IBAN
)

const (
	serviceLevelSEPA   = "SEPA"
	serviceLevelNonUrg = "NURG"
	clearingSystem     = "SESBA"
	bankgiroMember     = "9900"
	bankgiroScheme     = "BGNR"
	bbanScheme         = "BBAN"
	maxSEPAName        = 70
	maxName            = 140
	maxRemittance      = 140
	maxSEPAAmount      = 99_999_999_999 // 999 999 999.99
)

// Transfer is one payment in a message.
type Transfer struct {
	Payable    ledger.PayableID
	EndToEndID string
	Amount     roadcover.Money
	Route      Route
	Payee      payee.Payee
	Reference  string // remittance text, as it will be written
}

// Block is one payment information block: the transfers of one execution
// date leaving one debtor account by one service level.
type Block struct {
	ID            string
	ExecutionDate roadcover.Date
	Account       DebtorAccount
	ServiceLevel  string
	Transfers     []Transfer
	Total         roadcover.Money
}

// Initiation is a customer credit transfer initiation: what one pain.001
// message says.
type Initiation struct {
	MessageID string
	CreatedAt time.Time
	Debtor    Debtor
	Blocks    []Block
	Count     int
	Total     roadcover.Money
}

// Initiate lays out a released batch as a credit transfer initiation: one
// transfer per payment, grouped into blocks by execution date, debtor
// account and service level. payees gives the details of every payee the
// batch pays. Bad or missing payee details, a currency without a route or
// without a debtor account, and amounts out of range are a
// *roadcover.InputError naming each field ("payees.<id>.account.iban",
// "debtor.accounts.SEK", "payments.<payable>.amount").
func Initiate(r ledger.Released, payees map[ledger.PayeeID]payee.Payee, d Debtor) (Initiation, error) {
	ie := &roadcover.InputError{}
	b := r.Batch
	acct, ok := debtorAccount(d, b.Currency, ie)
	if strings.TrimSpace(d.Name) == "" {
		ie.Add("debtor.name", "", "is required")
	}
	if b.ExecutionDate.IsZero() || b.ReleasedAt.IsZero() {
		ie.Add("batch", "", "is not released")
	}
	in := Initiation{MessageID: MessageID(b.ID), CreatedAt: b.ReleasedAt.UTC().Truncate(time.Second), Debtor: d, Total: roadcover.Money{Currency: b.Currency}}
	type key struct {
		date  roadcover.Date
		iban  string
		level string
	}
	blocks := map[key]*Block{}
	checked := map[ledger.PayeeID]payee.Payee{}
	for _, p := range r.Payments {
		field := "payees." + string(p.Payee) + "."
		pe, seen := checked[p.Payee]
		if !seen {
			raw, ok := payees[p.Payee]
			if !ok {
				ie.Add("payees."+string(p.Payee), "", "no details for this payee")
				continue
			}
			pe = payee.Check(raw, field, ie)
			if raw.ID != string(p.Payee) {
				ie.Add(field+"id", "", "is not the payee id "+string(p.Payee))
			}
			checked[p.Payee] = pe
		}
		if ie.Has(field+"id") || ie.Has(field+"name") || hasPrefix(ie, field+"account") {
			continue
		}
		route, level, err := routeOf(p.Amount.Currency, pe.Account)
		if err != "" {
			ie.Add(field+"account", "", err)
			continue
		}
		if p.Amount.Minor <= 0 || (route == RouteSEPA && p.Amount.Minor > maxSEPAAmount) {
			ie.Add("payments."+string(p.ID)+".amount", "", "must be from 0.01 to 999999999.99 in a SEPA credit transfer and more than zero in any")
			continue
		}
		t := Transfer{Payable: p.ID, EndToEndID: EndToEndID(b.ID, p.ID), Amount: p.Amount, Route: route, Payee: pe}
		if route == RouteSEPA {
			t.Payee.Name = sepaText(pe.Name, maxSEPAName)
			t.Reference = sepaText(p.Reference, maxRemittance)
		} else {
			t.Payee.Name = plainText(pe.Name, maxName)
			t.Reference = plainText(p.Reference, maxRemittance)
		}
		if t.Payee.Name == "" {
			ie.Add(field+"name", "", "has no letters or digits that a bank file can carry")
			continue
		}
		if !ok {
			continue
		}
		k := key{b.ExecutionDate, acct.IBAN, level}
		blk := blocks[k]
		if blk == nil {
			blk = &Block{ExecutionDate: k.date, Account: acct, ServiceLevel: level, Total: roadcover.Money{Currency: b.Currency}}
			blocks[k] = blk
		}
		total, err1 := blk.Total.Add(p.Amount)
		all, err2 := in.Total.Add(p.Amount)
		if err1 != nil || err2 != nil {
			return Initiation{}, fmt.Errorf("iso20022: batch %s: the control sum overflows: %w", b.ID, roadcover.ErrOverflow)
		}
		blk.Total, in.Total = total, all
		blk.Transfers = append(blk.Transfers, t)
		in.Count++
	}
	if err := ie.Err(); err != nil {
		return Initiation{}, err
	}
	keys := make([]key, 0, len(blocks))
	for k := range blocks {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.iban, b.iban), cmp.Compare(a.level, b.level))
	})
	for i, k := range keys {
		blk := blocks[k]
		blk.ID = PaymentInfoID(b.ID, i+1)
		in.Blocks = append(in.Blocks, *blk)
	}
	if in.Count == 0 {
		return Initiation{}, fmt.Errorf("iso20022: batch %s has no payments", b.ID)
	}
	return in, nil
}

func hasPrefix(ie *roadcover.InputError, prefix string) bool {
	for _, f := range ie.Errors {
		if strings.HasPrefix(f.Field, prefix) {
			return true
		}
	}
	return false
}

// debtorAccount finds our account for a currency and checks it.
func debtorAccount(d Debtor, currency string, ie *roadcover.InputError) (DebtorAccount, bool) {
	field := "debtor.accounts." + currency
	for _, a := range d.Accounts {
		if a.Currency != currency {
			continue
		}
		iban, err := payee.NormalizeIBAN(a.IBAN)
		if err != nil {
			ie.Add(field+".iban", "", err.Error())
			return DebtorAccount{}, false
		}
		bic, err := payee.NormalizeBIC(a.BIC)
		if err != nil {
			ie.Add(field+".bic", "", err.Error())
			return DebtorAccount{}, false
		}
		return DebtorAccount{Currency: currency, IBAN: iban, BIC: bic}, true
	}
	ie.Add(field, "", "no account of ours pays in "+currency)
	return DebtorAccount{}, false
}

// routeOf chooses how a payment in a currency reaches an account, or says
// why it cannot.
func routeOf(currency string, a payee.Account) (Route, string, string) {
	switch currency {
	case "EUR":
		if a.Method != payee.MethodIBAN {
			return "", "", "a EUR payment needs an IBAN (SEPA); this payee has a " + string(a.Method)
		}
		if !payee.SEPACountry(a.Country()) {
			return "", "", "a EUR payment goes by SEPA, and " + a.Country() + " is not a SEPA country"
		}
		return RouteSEPA, serviceLevelSEPA, ""
	case "SEK":
		switch {
		case a.Method == payee.MethodBankgiro:
			return RouteBankgiro, serviceLevelNonUrg, ""
		case a.Method == payee.MethodSwedishAccount:
			return RouteSwedishBank, serviceLevelNonUrg, ""
		case a.Method == payee.MethodIBAN && a.Country() == "SE":
			return RouteSwedishIBAN, serviceLevelNonUrg, ""
		}
		return "", "", "a SEK payment goes to a bankgiro number or a Swedish account; this payee's account is in " + a.Country()
	}
	return "", "", "no payment route for " + currency + ": payments leave in EUR (SEPA) or SEK (Swedish domestic)"
}
