package claimsdesk_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/claimsdesk"
	"roadcover/insurance"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/policies"
	"roadcover/sqlite"
	"roadcover/store"
)

// The claims desk against a real SQLite store, with a clock, ids and
// secrets of the test's own, and a ledger double that keeps what it is
// handed (the ledger's store is another part of the product).

// payables is a PayableRecorder that keeps the payables it is handed; fail
// makes it refuse them.
type payables struct {
	mu   sync.Mutex
	got  []ledger.Payable
	to   []payee.Payee
	fail error
}

func (p *payables) RecordPayable(_ context.Context, tx store.Tx, pb ledger.Payable, to payee.Payee) error {
	if tx == nil {
		return errors.New("no transaction")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.got, p.to = append(p.got, pb), append(p.to, to)
	return nil
}

type harness struct {
	t      *testing.T
	st     store.Store
	d      *claimsdesk.Desk
	ledg   *payables
	mu     sync.Mutex
	now    time.Time
	n      atomic.Int64
	anna   claims.Actor // handler, limit 20 000
	bertil claims.Actor // handler, limit 100 000
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "claims.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, st: st, ledg: &payables{}, now: time.Date(2026, 3, 11, 9, 30, 0, 0, time.UTC),
		anna: claimsdesk.Handler("tok-anna", 2000000), bertil: claimsdesk.Handler("tok-bertil", 10000000)}
	h.d = &claimsdesk.Desk{
		Clock: func() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.now },
		NewID: func(prefix string) string { return fmt.Sprintf("%s%04d", prefix, h.n.Add(1)) },
		NewSecret: func(prefix string) (string, []byte) {
			s := fmt.Sprintf("%ssecret-%d", prefix, h.n.Add(1))
			sum := sha256.Sum256([]byte(s))
			return s, sum[:]
		},
		Payables: h.ledg,
	}
	return h
}

func (h *harness) at(s string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		h.t.Fatal(err)
	}
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

func (h *harness) update(fn func(ctx context.Context, tx store.Tx) error) error {
	ctx := context.Background()
	return h.st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) })
}

func (h *harness) must(err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
}

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "claims", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// register issues the sample policy (or body) and returns it.
func (h *harness) register(body []byte) *policies.Policy {
	h.t.Helper()
	np, err := policies.DecodeNewPolicy(body)
	h.must(err)
	var p *policies.Policy
	h.must(h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		p, err = h.d.RegisterPolicy(ctx, tx, h.anna, np)
		return err
	}))
	return p
}

// report is the sample first notice under policy id.
func report(t *testing.T, id string) *claims.Report {
	t.Helper()
	body := bytes.Replace(example(t, "report.json"), []byte(`"P1"`), []byte(`"`+id+`"`), 1)
	r, err := claims.DecodeReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (h *harness) open(a claims.Actor, r *claims.Report) *claimsdesk.Claim {
	h.t.Helper()
	var c *claimsdesk.Claim
	h.must(h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		c, err = h.d.OpenClaim(ctx, tx, a, r)
		return err
	}))
	return c
}

func (h *harness) do(a claims.Actor, id string, ifVersion int64, act claimsdesk.Act) (*claimsdesk.Claim, error) {
	var c *claimsdesk.Claim
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		c, err = h.d.Do(ctx, tx, a, id, ifVersion, act)
		return err
	})
	return c, err
}

func (h *harness) load(id string) *claimsdesk.Claim {
	h.t.Helper()
	var c *claimsdesk.Claim
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		c, err = h.d.Load(context.Background(), tx, id)
		return err
	}))
	return c
}

func wantCode(t *testing.T, err error, code roadcover.Code) {
	t.Helper()
	if p := roadcover.ProblemFor(err); err == nil || p.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestPolicyLife(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	if p.ID != "P-0001" || len(p.Versions) != 1 {
		t.Fatalf("policy %s with %d versions", p.ID, len(p.Versions))
	}
	// The same car again while the policy runs: refused.
	np, _ := policies.DecodeNewPolicy(example(t, "new-policy.json"))
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.RegisterPolicy(ctx, tx, h.anna, np)
		return err
	})
	wantCode(t, err, roadcover.CodeConflict)

	ch, err := policies.DecodeChange(example(t, "policy-change.json"))
	h.must(err)
	h.at("2026-05-20T08:00:00Z")
	var added []*policies.Version
	h.must(h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		p, added, err = h.d.ChangePolicy(ctx, tx, h.bertil, p.ID, ch)
		return err
	}))
	if len(added) != 1 || added[0].Number != 2 || added[0].IssuedBy != "tok-bertil" {
		t.Fatalf("added %+v", added)
	}
	// A change dated before the latest version is refused, naming valid_from.
	back, _ := policies.DecodeChange([]byte(`{"kind": "change", "valid_from": "2026-02-01", "reason": "x", "patch": {"premium": "1"}}`))
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		_, _, err := h.d.ChangePolicy(ctx, tx, h.anna, p.ID, back)
		return err
	})
	var ie *roadcover.InputError
	if !errors.As(err, &ie) || !ie.Has("valid_from") {
		t.Fatalf("back-dated change: %v", err)
	}
	// What the store gives back is the policy as made: every version's
	// document and the version in force on a day.
	var got *policies.Policy
	var byVIN []*policies.Policy
	var inv *policies.Invoicing
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		ctx := context.Background()
		var err error
		if got, err = h.d.Policy(ctx, tx, p.ID); err != nil {
			return err
		}
		if byVIN, err = h.d.PoliciesByVIN(ctx, tx, "LPSED3KA4NL012345"); err != nil {
			return err
		}
		inv, err = h.d.Invoices(ctx, tx, p.ID, roadcover.Date{Year: 2026, Month: 1, Day: 10})
		return err
	}))
	day := roadcover.Date{Year: 2026, Month: 7, Day: 1}
	want := policies.AppendPolicyJSON(nil, p, day, roadcover.English)
	if g := policies.AppendPolicyJSON(nil, got, day, roadcover.English); !bytes.Equal(g, want) {
		t.Fatalf("stored policy:\n%s\nwant\n%s", g, want)
	}
	if len(byVIN) != 1 || byVIN[0].ID != p.ID {
		t.Fatalf("policies of the car: %d", len(byVIN))
	}
	if v, _ := got.VersionOn(day); v.Number != 2 || v.Letter.Premium.Minor != 640000 {
		t.Fatalf("in force on %s: %+v", day, v)
	}
	// Monthly on paper: 12 invoices, 29 kr each on top (5.2); the premium
	// rises from June.
	if len(inv.Invoices) != 12 || inv.Invoices[0].Fee.Minor != 2900 || inv.Invoices[5].Version != 2 {
		t.Fatalf("invoices %+v", inv.Invoices)
	}
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		_, err := h.d.Policy(context.Background(), tx, "P-none")
		wantCode(t, err, roadcover.CodeNotFound)
		return nil
	}))
}

// warrantyPolicy is a policy of a car whose damage warranty ends on
// 2026-06-01, inside the first insurance period, without collision cover.
func warrantyPolicy(vin string) []byte {
	return []byte(`{"policyholder": {"name": "Cecilia Dahl", "id_number": "19811218-9876", "language": "en",
	                   "contact": {"email": "cecilia@example.se"}},
	  "car": {"vin": "` + vin + `", "registration": "DEF34G", "first_registered": "2023-06-01", "model_year": 2023,
	          "damage_warranty": true, "alarm": "approved"},
	  "covers": ["traffic", "fire", "glass", "theft"],
	  "deductibles": {"fire": "1500", "glass": "1500", "theft": "1500", "detached_part": "3000"},
	  "bonus_class": 5, "claim_free_years": 1, "payment": {"plan": "yearly", "invoice": "e_invoice"}, "premium": "4000",
	  "letter_date": "2026-01-10", "signed_at": "2026-01-05T14:05:00+01:00"}`)
}

func TestAutoCollisionRunsDaily(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(warrantyPolicy("LPSED3KA4NL012345"))
	ctx := context.Background()
	run := func(through roadcover.Date) []claimsdesk.AutoChange {
		t.Helper()
		out, err := h.d.RenewWarranties(ctx, h.st, through)
		h.must(err)
		return out
	}
	if out := run(roadcover.Date{Year: 2026, Month: 5, Day: 31}); len(out) != 0 {
		t.Fatalf("a day before the warranty ends: %+v", out)
	}
	h.at("2026-06-01T03:00:00Z")
	out := run(roadcover.Date{Year: 2026, Month: 6, Day: 1})
	if len(out) != 1 || out[0].PolicyID != p.ID || out[0].Version != 2 || out[0].ValidFrom.String() != "2026-06-01" || out[0].Err != nil {
		t.Fatalf("on the day: %+v", out)
	}
	if again := run(roadcover.Date{Year: 2026, Month: 12, Day: 31}); len(again) != 0 {
		t.Fatalf("a second run changed %+v", again)
	}
	var got *policies.Policy
	h.must(h.st.View(ctx, func(tx store.Tx) error {
		var err error
		got, err = h.d.Policy(ctx, tx, p.ID)
		return err
	}))
	v := got.Latest()
	if v.Kind != policies.AutoCollision || v.IssuedBy != policies.System || !v.Letter.Has("collision") ||
		v.Letter.Deductibles["collision"].Minor != 300000 || !v.Letter.AutoCollision || v.Letter.Premium.Minor != 400000 {
		t.Fatalf("5.10 version %+v", v)
	}
}

func TestClaimLife(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	h.at("2026-03-11T09:30:00+01:00")
	c := h.open(h.anna, report(t, p.ID))
	if c.Status != claims.StatusOpen || c.Channel != claims.ClaimsHandler || c.SettlementNo != 1 || len(c.Events) != 1 {
		t.Fatalf("opened %+v", c.Claim)
	}
	// The settlement is exactly `claim settle` on the claim's document.
	want, err := insurance.SettleJSON(claims.InsuranceDocument(nil, c.Version(), &c.Loss, c.Language), "")
	h.must(err)
	if !bytes.Equal(c.Settlement, want) {
		t.Fatalf("settlement\n%s\nwant\n%s", c.Settlement, want)
	}
	payment := func(amount string) claimsdesk.Act {
		r, err := claims.DecodePaymentRequest([]byte(`{"line": "collision", "payee": {"name": "Bilverkstad i Göteborg AB", "bankgiro": "5050-1055"}, "amount": "` + amount + `"}`))
		h.must(err)
		return claimsdesk.OrderPayment(r)
	}
	// Within Anna's limit: released at once and handed to the ledger.
	c, err = h.do(h.anna, c.ID, 1, payment("15000"))
	h.must(err)
	if len(h.ledg.got) != 1 {
		t.Fatalf("ledger got %d payables", len(h.ledg.got))
	}
	pb, to := h.ledg.got[0], h.ledg.to[0]
	if pb.ID != ledger.PayableID(c.ID+"-P1") || pb.Source != (ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: c.ID, Line: "P1:collision"}) ||
		pb.Terms != "insurance-se-2021-10" || pb.Clause != "2.8" ||
		pb.Amount != (roadcover.Money{Minor: 1500000, Currency: "SEK"}) || pb.Payee != "bg:50501055" ||
		to.Account.Method != payee.MethodBankgiro || to.Account.Bankgiro != "50501055" || to.Name != "Bilverkstad i Göteborg AB" {
		t.Fatalf("payable %+v to %+v", pb, to)
	}
	// Above it: waits for a second handler; Anna cannot approve her own.
	c, err = h.do(h.anna, c.ID, 0, payment("21000"))
	h.must(err)
	if p := c.Payments[1]; p.Status != claims.AwaitingApproval || len(h.ledg.got) != 1 {
		t.Fatalf("second order %+v, %d payables", p, len(h.ledg.got))
	}
	_, err = h.do(h.anna, c.ID, 0, claimsdesk.ApprovePayment(c.Payments[1].ID))
	wantCode(t, err, roadcover.CodeForbidden)
	// A stale version is refused and nothing is written.
	_, err = h.do(h.bertil, c.ID, 2, claimsdesk.ApprovePayment(c.Payments[1].ID))
	wantCode(t, err, roadcover.CodePrecondition)
	// The ledger refusing the payable rolls the approval back.
	h.ledg.fail = errors.New("ledger down")
	_, err = h.do(h.bertil, c.ID, 3, claimsdesk.ApprovePayment(c.Payments[1].ID))
	if err == nil || !strings.Contains(err.Error(), "ledger down") {
		t.Fatalf("approval with the ledger refusing: %v", err)
	}
	if got := h.load(c.ID); len(got.Events) != 3 || got.Payments[1].Status != claims.AwaitingApproval {
		t.Fatalf("after the refused hand-over: %d events, %s", len(got.Events), got.Payments[1].Status)
	}
	h.ledg.fail = nil
	c, err = h.do(h.bertil, c.ID, 3, claimsdesk.ApprovePayment(c.Payments[1].ID))
	h.must(err)
	if c.Payments[1].Status != claims.Released || c.Payments[1].ApprovedBy != "tok-bertil" || len(h.ledg.got) != 2 ||
		h.ledg.got[1].Amount.Minor != 2100000 || h.ledg.got[1].Source.Line != "P2:collision" {
		t.Fatalf("approved %+v; %d payables", c.Payments[1], len(h.ledg.got))
	}
	// New facts: settled again, a second settlement stored; the first stays.
	fc, err := claims.DecodeFactsChange(example(t, "facts-change.json"))
	h.must(err)
	c, err = h.do(h.anna, c.ID, 4, claimsdesk.ChangeFacts(fc))
	h.must(err)
	if c.SettlementNo != 2 {
		t.Fatalf("settlement number %d after new facts", c.SettlementNo)
	}
	want, err = insurance.SettleJSON(claims.InsuranceDocument(nil, c.Version(), &c.Loss, c.Language), "")
	h.must(err)
	if !bytes.Equal(c.Settlement, want) {
		t.Fatalf("new settlement\n%s\nwant\n%s", c.Settlement, want)
	}
	var first json.RawMessage
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		first, err = tx.ClaimSettlement(context.Background(), c.ID, 1)
		return err
	}))
	if !bytes.Contains(first, []byte(`"assessed":"40000.00"`)) || !bytes.Contains(c.Settlement, []byte(`"assessed":"38500.00"`)) {
		t.Fatalf("first settlement %s", first)
	}
	// Decide, a complaint out of time, close and reopen.
	c, err = h.do(h.anna, c.ID, 0, claimsdesk.Decide("as settled"))
	h.must(err)
	h.at("2027-04-01T09:00:00+02:00")
	cr, err := claims.DecodeComplaint([]byte(`{"forum": "customer_ombudsman", "received_on": "2027-03-20"}`))
	h.must(err)
	c, err = h.do(h.anna, c.ID, 0, claimsdesk.ReceiveComplaint(cr))
	h.must(err)
	// The decision was on 2026-03-11: the twelve months of 5.9 ended on
	// 2027-03-11.
	if k := c.Complaints[0]; k.Deadline.String() != "2027-03-11" || k.InTime || k.Outcome != (claims.Outcome{Code: "complaint_late", Clause: "5.9"}) {
		t.Fatalf("complaint %+v", k)
	}
	c, err = h.do(h.anna, c.ID, 0, claimsdesk.Close("paid in full"))
	h.must(err)
	c, err = h.do(h.bertil, c.ID, 0, claimsdesk.Reopen("new invoice"))
	h.must(err)
	got := h.load(c.ID)
	if got.Status != claims.StatusOpen || len(got.Events) != len(c.Events) || got.SettlementNo != 2 ||
		!bytes.Equal(claims.AppendClaimJSON(nil, got.Claim, "en"), claims.AppendClaimJSON(nil, c.Claim, "en")) {
		t.Fatalf("reloaded claim differs:\n%s\n%s", claims.AppendClaimJSON(nil, got.Claim, "en"), claims.AppendClaimJSON(nil, c.Claim, "en"))
	}
	// The register of 5.5 reads the row.
	var recs []claims.RegisterRecord
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		recs, err = h.d.Register(context.Background(), tx, store.ClaimFilter{})
		return err
	}))
	want5 := got.RegisterRecord
	r5, err := want5()
	h.must(err)
	if len(recs) != 1 || fmt.Sprint(recs[0]) != fmt.Sprint(r5) {
		t.Fatalf("register %+v\nwant %+v", recs, r5)
	}
}

func TestNoLedgerNoRelease(t *testing.T) {
	h := newHarness(t)
	h.d.Payables = nil
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	h.at("2026-03-11T09:30:00+01:00")
	c := h.open(h.anna, report(t, p.ID))
	r, err := claims.DecodePaymentRequest(example(t, "payment.json"))
	h.must(err)
	r.Amount.Minor = 100000
	_, err = h.do(h.anna, c.ID, 0, claimsdesk.OrderPayment(r))
	if !errors.Is(err, claimsdesk.ErrNoLedger) {
		t.Fatalf("release without a ledger: %v", err)
	}
	if got := h.load(c.ID); len(got.Payments) != 0 || len(got.Events) != 1 {
		t.Fatalf("the refused order was kept: %+v", got.Payments)
	}
	// An order that waits for approval releases nothing yet.
	r.Amount.Minor = 3000000
	if _, err := h.do(h.anna, c.ID, 0, claimsdesk.OrderPayment(r)); err != nil {
		t.Fatal(err)
	}
}

func TestOverlappingClaimsFlagBoth(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	h.at("2026-03-11T09:30:00+01:00")
	a := h.open(h.anna, report(t, p.ID))
	b := h.open(h.bertil, report(t, p.ID))
	a = h.load(a.ID)
	for _, c := range []*claimsdesk.Claim{a, b} {
		if len(c.Flags) != 1 || c.Flags[0].Outcome.Code != "possible_duplicate" {
			t.Fatalf("claim %s flags %+v", c.ID, c.Flags)
		}
	}
	if a.Flags[0].Claims[0] != b.ID || b.Flags[0].Claims[0] != a.ID {
		t.Fatalf("flags name %v and %v", a.Flags[0].Claims, b.Flags[0].Claims)
	}
	// Nothing is paid while the flag waits; a handler clears it.
	r, _ := claims.DecodePaymentRequest(example(t, "payment.json"))
	r.Amount.Minor = 100000
	_, err := h.do(h.anna, b.ID, 0, claimsdesk.OrderPayment(r))
	wantCode(t, err, roadcover.CodeConflict)
	if _, err := h.do(h.anna, b.ID, 0, claimsdesk.ClearFlag("possible_duplicate", "two drivers, one loss: b is the passenger's")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.do(h.anna, b.ID, 0, claimsdesk.OrderPayment(r)); err != nil {
		t.Fatal(err)
	}
}

func TestClaimFromDeskCase(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	ctx := context.Background()
	caseRec := store.Case{ID: "case-1", Status: "open", FactsNo: 1, DecisionNo: 1, Version: 1, TermsID: "assistance-se",
		Facts:    json.RawMessage(`{"market":"SE","occurred_at":"2026-03-10T23:30:00+01:00","vehicle":{"vin":"LPSED3KA4NL012345"}}`),
		Decision: json.RawMessage(`{}`), Summary: store.CaseSummary{VIN: "LPSED3KA4NL012345", MissingInformation: []string{}},
		CreatedAt: h.now, UpdatedAt: h.now}
	h.must(h.update(func(ctx context.Context, tx store.Tx) error { return tx.InsertCase(ctx, caseRec) }))
	h.at("2026-03-11T09:30:00+01:00")
	r := report(t, p.ID)
	// A desk case of another day is refused, naming the field.
	r.DeskCase = &claims.DeskCase{ID: "case-1", VIN: "LPSED3KA4NL012345", Day: roadcover.Date{Year: 2026, Month: 3, Day: 9}}
	err := h.update(func(ctx context.Context, tx store.Tx) error { _, err := h.d.OpenClaim(ctx, tx, h.anna, r); return err })
	var ie *roadcover.InputError
	if !errors.As(err, &ie) || !ie.Has("desk_case.day") {
		t.Fatalf("desk case of another day: %v", err)
	}
	r.DeskCase.Day = roadcover.Date{Year: 2026, Month: 3, Day: 10}
	c := h.open(h.anna, r)
	if c.DeskCaseID != "case-1" {
		t.Fatalf("desk case %q", c.DeskCaseID)
	}
	var evs []store.Event
	var of []claims.Summary
	h.must(h.st.View(ctx, func(tx store.Tx) error {
		var err error
		if evs, err = tx.Events(ctx, "case-1"); err != nil {
			return err
		}
		of, err = h.d.Claims(ctx, tx, store.ClaimFilter{DeskCaseID: "case-1"})
		return err
	}))
	if len(evs) != 1 || evs[0].Kind != claimsdesk.EventClaimOpened || !strings.Contains(string(evs[0].Data), c.ID) {
		t.Fatalf("case timeline %+v", evs)
	}
	if len(of) != 1 || of[0].ID != c.ID {
		t.Fatalf("claims of the case %+v", of)
	}
}

func TestPolicyholderLinks(t *testing.T) {
	h := newHarness(t)
	h.at("2026-01-05T13:00:00Z")
	p := h.register(example(t, "new-policy.json"))
	var pl claimsdesk.Link
	h.must(h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		pl, err = h.d.PolicyLink(ctx, tx, p.ID, 24*90)
		return err
	}))
	hash := func(s string) []byte { x := sha256.Sum256([]byte(s)); return x[:] }
	h.at("2026-03-11T09:30:00+01:00")
	var c *claimsdesk.Claim
	var cl claimsdesk.Link
	h.must(h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		c, cl, err = h.d.ReportByLink(ctx, tx, hash(pl.Token), report(t, p.ID), 48)
		return err
	}))
	if c.Channel != claims.Policyholder || !strings.HasPrefix(c.Events[0].Actor.ID, "link:") {
		t.Fatalf("claim by link: channel %s, actor %s", c.Channel, c.Events[0].Actor.ID)
	}
	var v claimsdesk.HolderView
	h.must(h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		v, err = h.d.ClaimByLink(context.Background(), tx, hash(cl.Token))
		return err
	}))
	doc := claimsdesk.AppendHolderJSON(nil, v, "en")
	for _, secret := range []string{p.ID, "tok-", "link:", "5050"} {
		if bytes.Contains(doc, []byte(secret)) {
			t.Errorf("the policyholder's view shows %q: %s", secret, doc)
		}
	}
	if !bytes.Contains(doc, []byte(c.ID)) || !json.Valid(doc) {
		t.Fatalf("view %s", doc)
	}
	// A claim link is not a policy link; an expired link is no link.
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, _, err := h.d.ReportByLink(ctx, tx, hash(cl.Token), report(t, p.ID), 48)
		return err
	})
	wantCode(t, err, roadcover.CodeNotFound)
	h.at("2026-03-13T09:30:01+01:00")
	err = h.st.View(context.Background(), func(tx store.Tx) error {
		_, err := h.d.ClaimByLink(context.Background(), tx, hash(cl.Token))
		return err
	})
	wantCode(t, err, roadcover.CodeNotFound)
}
