package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"roadcover/ledger"
	"roadcover/payments"
	"roadcover/store"
)

// sampleCounts is what the store holds, counted by kind and state, read
// by the desks themselves and the ledger replayed from the stored journal.
func sampleCounts(t *testing.T, e *env) map[string]int {
	t.Helper()
	ctx := context.Background()
	n := map[string]int{}
	err := e.st.View(ctx, func(tx store.Tx) error {
		cs, err := tx.ListCases(ctx, store.CaseFilter{Limit: 100})
		if err != nil {
			return err
		}
		for _, c := range cs {
			n["case "+c.Status]++
			evs, err := tx.Events(ctx, c.ID)
			if err != nil {
				return err
			}
			n["case events"] += len(evs)
		}
		cl, err := e.srv.claims.Claims(ctx, tx, store.ClaimFilter{Limit: 100})
		if err != nil {
			return err
		}
		policies := map[string]bool{}
		for _, s := range cl {
			n["claim "+string(s.Status)]++
			c, err := e.srv.claims.Load(ctx, tx, s.ID)
			if err != nil {
				return err
			}
			n["claim events"] += len(c.Events)
			for _, p := range c.Payments {
				n["claim payment "+string(p.Status)]++
			}
			if !policies[s.PolicyID] {
				policies[s.PolicyID] = true
				p, err := e.srv.claims.Policy(ctx, tx, s.PolicyID)
				if err != nil {
					return err
				}
				n["policy"]++
				n["policy version"] += len(p.Versions)
				if p.Latest().Letter.AutoCollision {
					n["policy with 5.10 collision"]++
				}
			}
		}
		ps, err := e.srv.pay.Payables(ctx, tx, payments.PayableFilter{})
		if err != nil {
			return err
		}
		for _, p := range ps {
			n["payable "+string(p.Status)+" "+p.Amount.Currency]++
		}
		bs, err := e.srv.pay.Batches(ctx, tx, "")
		if err != nil {
			return err
		}
		for _, b := range bs {
			n["batch "+string(b.Status)]++
		}
		as, err := tx.ListAccounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range as {
			if strings.HasPrefix(a.Name, SampleMark) {
				n["account "+a.Role]++
			}
		}
		// The journal as stored, replayed by a service that never saw it.
		l, err := payments.New(SamplePayments(), e.clock).Ledger(ctx, tx)
		if err != nil {
			return err
		}
		if err := l.TrialBalance(); err != nil {
			t.Errorf("the ledger does not balance: %v", err)
		}
		n["ledger entries"] = int(l.NextSeq() - 1)
		for _, cur := range []string{"EUR", "SEK"} {
			if l.Balance(ledger.AccountPayable, cur) >= 0 {
				t.Errorf("nothing owed in %s: payable balance %d", cur, l.Balance(ledger.AccountPayable, cur))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSeedSamples: a fresh store gets sample data of every kind, made by
// the desks (the ledger balanced, every step in its timeline); seeding
// again adds nothing; each role reaches its samples over HTTP with the
// first sign-in of its sample account and can take the step that waits
// for it.
func TestSeedSamples(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	got, err := e.srv.SeedSamples(ctx)
	if err != nil || !got.Seeded || len(got.Accounts) != 3 {
		t.Fatalf("seed: %+v, %v", got, err)
	}
	first := sampleCounts(t, e)
	want := map[string]int{
		"case open": 2, "case closed": 1,
		"claim open": 3, "claim closed": 1,
		"claim payment released": 2, "claim payment awaiting_approval": 1,
		"policy": 2, "policy version": 4, "policy with 5.10 collision": 1,
		// The hotel receipts approved and cut (EUR); the closed claim's
		// payment in the released batch, the moose repair in the draft.
		"payable open EUR": 2, "payable sent SEK": 1, "payable in_batch SEK": 1,
		"batch released": 1, "batch draft": 1,
		"account operator": 1, "account claims_handler": 1, "account payments": 1,
	}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s: %d, want %d", k, first[k], v)
		}
	}
	if first["case events"] < 10 || first["claim events"] < 8 || first["ledger entries"] < 6 {
		t.Errorf("timelines and journal: %v", first)
	}

	again, err := e.srv.SeedSamples(ctx)
	if err != nil || again.Seeded || len(again.Accounts) != 0 {
		t.Fatalf("second seed: %+v, %v", again, err)
	}
	if second := sampleCounts(t, e); fmt.Sprint(second) != fmt.Sprint(first) {
		t.Errorf("the second seed changed the store:\n%v\n%v", first, second)
	}

	// Every sample account signs in with its one-time password, chooses
	// its own and signs in with it.
	sess := map[string]browserSession{}
	for _, a := range got.Accounts {
		s, r := e.signIn(a.Email, a.Password)
		e.wantStatus(r, http.StatusCreated, "sign in as "+a.Email)
		e.wantStatus(e.do("POST", "/v1/session/password", "", `{"current_password": "`+a.Password+`", "new_password": "a long sample passphrase"}`,
			s.hdr(true)...), http.StatusOK, "choose a password as "+a.Email)
		s, r = e.signIn(a.Email, "a long sample passphrase")
		e.wantStatus(r, http.StatusCreated, "sign in again as "+a.Email)
		sess[a.Role] = s
	}

	// The operator: the receipts approved, cut and in review.
	review := e.do("GET", "/v1/receipts?status=review", "", "", sess[RoleOperator].hdr(false)...)
	e.wantStatus(review, http.StatusOK, "review queue")
	rs := review.json(t)["receipts"].([]any)
	if len(rs) != 1 {
		t.Fatalf("review queue: %s", review.body)
	}
	caseID := rs[0].(map[string]any)["case_id"].(string)
	cr := e.do("GET", "/v1/cases/"+caseID+"/receipts", "", "", sess[RoleOperator].hdr(false)...)
	e.wantStatus(cr, http.StatusOK, "case receipts")
	var statuses []string
	for _, r := range cr.json(t)["receipts"].([]any) {
		statuses = append(statuses, r.(map[string]any)["status"].(string))
	}
	slices.Sort(statuses)
	if fmt.Sprint(statuses) != "[approved cut refused]" {
		t.Errorf("receipt statuses %v: %s", statuses, cr.body)
	}

	// The claims handler: the claims, and the payment above the sample
	// handler's limit, which it approves as the second handler.
	cl := e.do("GET", "/v1/claims", "", "", sess[RoleClaims].hdr(false)...)
	e.wantStatus(cl, http.StatusOK, "claims")
	claimsSeen := cl.json(t)["claims"].([]any)
	if len(claimsSeen) != 4 {
		t.Fatalf("claims: %s", cl.body)
	}
	approved := false
	for _, c := range claimsSeen {
		id := c.(map[string]any)["id"].(string)
		doc := e.do("GET", "/v1/claims/"+id, "", "", sess[RoleClaims].hdr(false)...).json(t)
		for _, p := range doc["payments"].([]any) {
			if p := p.(map[string]any); p["status"] == "awaiting_approval" {
				r := e.do("POST", "/v1/claims/"+id+"/approvals", "", `{"payment_id": "`+p["id"].(string)+`"}`, sess[RoleClaims].hdr(true)...)
				e.wantStatus(r, http.StatusOK, "approve the sample payment")
				approved = true
			}
		}
	}
	if !approved {
		t.Error("no sample payment waited for a second handler")
	}

	// The payments clerk: the batch waiting for release, which it
	// releases as the second clerk.
	bl := e.do("GET", "/v1/payment-batches", "", "", sess[RolePayments].hdr(false)...)
	e.wantStatus(bl, http.StatusOK, "batches")
	released := false
	for _, b := range bl.json(t)["batches"].([]any) {
		if b := b.(map[string]any); b["status"] == "draft" {
			r := e.do("POST", "/v1/payment-batches/"+b["id"].(string)+"/release", "", `{}`, sess[RolePayments].hdr(true)...)
			e.wantStatus(r, http.StatusOK, "release the sample batch")
			released = true
		}
	}
	if !released {
		t.Errorf("no batch waits for release: %s", bl.body)
	}
	after := sampleCounts(t, e)
	if after["payable open SEK"] != 1 || after["batch released"] != 2 || after["claim payment awaiting_approval"] != 0 {
		t.Errorf("after the approval and the release: %v", after)
	}
}
