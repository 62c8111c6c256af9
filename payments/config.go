package payments

import (
	"fmt"
	"slices"
	"strings"

	"roadcover"
	"roadcover/iso20022"
	"roadcover/ledger"
	"roadcover/payee"
)

// ParseDebtorAccounts reads our accounts as configuration gives them:
// "EUR:IBAN:BIC,SEK:IBAN:BIC" (one per currency; spaces in an IBAN are
// allowed).
func ParseDebtorAccounts(s string) ([]iso20022.DebtorAccount, error) {
	var out []iso20022.DebtorAccount
	for _, part := range strings.Split(s, ",") {
		f := strings.Split(strings.TrimSpace(part), ":")
		if len(f) != 3 {
			return nil, fmt.Errorf("payments: debtor account %q is not CURRENCY:IBAN:BIC", part)
		}
		out = append(out, iso20022.DebtorAccount{Currency: strings.TrimSpace(f[0]), IBAN: strings.TrimSpace(f[1]), BIC: strings.TrimSpace(f[2])})
	}
	return out, nil
}

// ParseThresholds reads the batch totals above which a second approver is
// needed: "EUR:10000.00,SEK:100000.00" (amounts with two decimals).
func ParseThresholds(s string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(s, ",") {
		cur, amount, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("payments: threshold %q is not CURRENCY:AMOUNT", part)
		}
		v, err := roadcover.ParseMinor(strings.TrimSpace(amount))
		if err != nil || v < 0 {
			return nil, fmt.Errorf("payments: threshold %q: the amount is not a decimal such as 10000.00", part)
		}
		out[strings.TrimSpace(cur)] = v
	}
	return out, nil
}

// Check names every bad part of a configuration: our name, each debtor
// account's currency, IBAN and BIC, a currency given twice, and a currency
// paid from without an approval threshold.
func (c Config) Check() error {
	ie := &roadcover.InputError{}
	if strings.TrimSpace(c.Debtor.Name) == "" {
		ie.Add("debtor.name", roadcover.CodeInvalidInput, "is required: our name as the bank knows it")
	}
	var seen []string
	for _, a := range c.Debtor.Accounts {
		field := "debtor.accounts." + a.Currency
		if len(a.Currency) != 3 || strings.ToUpper(a.Currency) != a.Currency {
			ie.Add(field, roadcover.CodeInvalidInput, "the currency must be an ISO 4217 code such as EUR")
		}
		if slices.Contains(seen, a.Currency) {
			ie.Add(field, roadcover.CodeInvalidInput, "is given twice")
		}
		seen = append(seen, a.Currency)
		if _, err := payee.NormalizeIBAN(a.IBAN); err != nil {
			ie.Add(field+".iban", roadcover.CodeInvalidInput, err.Error())
		}
		if _, err := payee.NormalizeBIC(a.BIC); err != nil {
			ie.Add(field+".bic", roadcover.CodeInvalidInput, err.Error())
		}
		if _, ok := c.Policy.SecondApprovalAbove[a.Currency]; !ok {
			ie.Add("second_approval_above."+a.Currency, roadcover.CodeInvalidInput, "is required for a currency we pay in")
		}
	}
	return ie.Err()
}

// Sample is a configuration that lets a fresh desk make and release batches
// out of the box: SAMPLE debtor accounts (the example IBANs of Swedish bank
// documentation, which belong to nobody) in EUR and SEK, and a second
// approver above 10 000.00 EUR or 100 000.00 SEK. Files written with it are
// marked SAMPLE in the debtor's name; replace it before paying anyone.
func Sample() Config {
	return Config{
		Policy: ledger.Policy{SecondApprovalAbove: map[string]int64{"EUR": 1_000_000, "SEK": 10_000_000}},
		Debtor: iso20022.Debtor{
			Name: "SAMPLE DEBTOR Roadcover - not a real account",
			Accounts: []iso20022.DebtorAccount{
				{Currency: "EUR", IBAN: "SE3550000000054910000003", BIC: "ESSESESS"},
				{Currency: "SEK", IBAN: "SE4550000000058398257466", BIC: "ESSESESS"},
			},
		},
	}
}
