package cli

import (
	"strings"
	"testing"
)

func TestPaymentsConfig(t *testing.T) {
	c, sample, err := paymentsConfig("", "", "", "")
	if err != nil || !sample || !strings.Contains(c.Debtor.Name, "SAMPLE") || len(c.Debtor.Accounts) != 2 {
		t.Fatalf("default: %+v %v %v", c, sample, err)
	}
	c, sample, err = paymentsConfig("Roadcover Assistans AB", "BANK:5566778899", "EUR:SE35 5000 0000 0549 1000 0003:ESSESESS", "EUR:2500.50")
	if err != nil || sample || c.Debtor.InitiatorScheme != "BANK" || c.Debtor.InitiatorID != "5566778899" ||
		len(c.Debtor.Accounts) != 1 || c.Policy.SecondApprovalAbove["EUR"] != 250050 {
		t.Fatalf("given: %+v %v %v", c, sample, err)
	}
	for _, bad := range [][4]string{
		{"", "5566778899", "", ""},                            // no scheme
		{"", "", "EUR:SE3550000000054910000004:ESSESESS", ""}, // check digits
		{"", "", "EUR:SE3550000000054910000003", ""},          // no BIC
		{"", "", "GBP:GB82WEST12345698765432:NWBKGB2L", ""},   // no threshold for GBP
		{"", "", "", "EUR:ten"},                               // not an amount
		{" ", "", "", ""},                                     // no name
	} {
		if _, _, err := paymentsConfig(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
