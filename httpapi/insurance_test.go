package httpapi

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roadcover/claimsdesk"
	"roadcover/internal/pgtest"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/postgres"
	"roadcover/store"
)

// ledgerDouble keeps the released payment orders it is handed and, when
// next is set, hands them on to the real ledger in the same transaction,
// so that what the ledger refuses fails the act as in the product.
type ledgerDouble struct {
	mu   sync.Mutex
	got  []ledger.Payable
	to   []payee.Payee
	next claimsdesk.PayableRecorder
}

func (l *ledgerDouble) RecordPayable(ctx context.Context, tx store.Tx, p ledger.Payable, to payee.Payee) error {
	if tx == nil {
		return fmt.Errorf("no transaction")
	}
	if l.next != nil {
		if err := l.next.RecordPayable(ctx, tx, p, to); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got, l.to = append(l.got, p), append(l.to, to)
	return nil
}

func (l *ledgerDouble) payables() []ledger.Payable {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ledger.Payable(nil), l.got...)
}

func readExample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "claims", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withLedger gives the env's claims desk a ledger double and two claims
// handlers: "anna" (limit 20 000 kr) and "bertil" (100 000 kr), made
// through POST /v1/tokens.
func (e *env) withLedger() *ledgerDouble {
	e.t.Helper()
	l := &ledgerDouble{next: payments.Claims{S: e.srv.Payments()}}
	e.srv.claims.Payables = l
	for name, limit := range map[string]string{"anna": "20000", "bertil": "100000"} {
		r := e.do("POST", "/v1/tokens", RoleAdmin, `{"role": "claims_handler", "label": "`+name+`", "payment_limit": "`+limit+`"}`)
		e.wantStatus(r, http.StatusCreated, "handler token "+name)
		m := r.json(e.t)
		if m["payment_limit"] != limit+".00" {
			e.t.Fatalf("token %s: payment limit %v", name, m["payment_limit"])
		}
		e.tokens[name] = m["token"].(string)
	}
	return l
}

func (e *env) setClock(s string) {
	e.t.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// createPolicy registers a policy from a body and returns its id.
func (e *env) createPolicy(body string) string {
	e.t.Helper()
	r := e.do("POST", "/v1/policies", RoleClaims, body)
	e.wantStatus(r, http.StatusCreated, "create policy")
	return r.json(e.t)["id"].(string)
}

// reportFor is the sample first notice under policy id.
func reportFor(t testing.TB, id string) string {
	return strings.Replace(readExample(t, "report.json"), `"P1"`, `"`+id+`"`, 1)
}

// openClaim opens the sample claim under policy id as role and returns it.
func (e *env) openClaim(role, policy string) map[string]any {
	e.t.Helper()
	r := e.do("POST", "/v1/claims", role, reportFor(e.t, policy))
	e.wantStatus(r, http.StatusCreated, "open claim")
	return r.json(e.t)
}

func money(v any) string { s, _ := v.(string); return s }

func TestInsuranceLifeSQLite(t *testing.T) { insuranceLife(t, newEnv(t)) }

func TestInsuranceLifePostgres(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	insuranceLife(t, newEnvOn(t, st))
}

// insuranceLife is a claim's whole life over HTTP: a policy and its
// change, the first notice settled as `claim settle` settles it, a reserve,
// a payment within the handler's limit released to the ledger, one above
// it waiting for a second handler, new facts settled again, a decision and
// a complaint too late for the customer ombudsman, close and reopen, the
// policyholder's link, the register of 5.5; and a claim reported after
// the ten years of 5.4, closed time-barred with its clause.
func insuranceLife(t *testing.T, e *env) {
	led := e.withLedger()
	e.setClock("2026-01-05T14:05:00+01:00")
	// The token's limit is only for claims handlers.
	bad := e.do("POST", "/v1/tokens", RoleAdmin, `{"role": "operator", "payment_limit": "100"}`)
	e.wantStatus(bad, http.StatusUnprocessableEntity, "limit on an operator")
	if f := problemFields(t, bad); !slices.Equal(f, []string{"payment_limit"}) {
		t.Fatalf("fields %v", f)
	}

	// The policy, idempotently.
	body := readExample(t, "new-policy.json")
	r := e.do("POST", "/v1/policies", "anna", body, "Idempotency-Key", "policy-1")
	e.wantStatus(r, http.StatusCreated, "policy")
	pol := r.json(t)
	pid := pol["id"].(string)
	if r.header.Get("Location") != "/v1/policies/"+pid || r.header.Get("ETag") != `"1"` || pol["status"] != "in_force" && pol["status"] != "not_yet_in_force" {
		t.Fatalf("policy: %s %v", r.header, pol["status"])
	}
	again := e.do("POST", "/v1/policies", "anna", body, "Idempotency-Key", "policy-1")
	if again.status != http.StatusCreated || again.json(t)["id"] != pid || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.body)
	}
	e.wantStatus(e.do("POST", "/v1/policies", "anna", body), http.StatusConflict, "the same car insured twice")
	bp := e.do("POST", "/v1/policies", "anna", strings.Replace(body, `"premium": "6000"`, `"premium": "-1"`, 1))
	e.wantStatus(bp, http.StatusUnprocessableEntity, "negative premium")
	if f := problemFields(t, bp); !slices.Contains(f, "premium") {
		t.Fatalf("fields %v", f)
	}
	ch := readExample(t, "policy-change.json")
	e.wantStatus(e.do("POST", "/v1/policies/"+pid+"/changes", "bertil", ch, "If-Match", `"2"`), http.StatusPreconditionFailed, "stale change")
	c2 := e.do("POST", "/v1/policies/"+pid+"/changes", "bertil", ch, "If-Match", `"1"`)
	e.wantStatus(c2, http.StatusCreated, "change")
	if c2.header.Get("ETag") != `"2"` || len(c2.json(t)["versions"].([]any)) != 2 {
		t.Fatalf("changed policy: %s", c2.body)
	}
	byVIN := e.do("GET", "/v1/policies?vin=LPSED3KA4NL012345", RoleClaims, "")
	e.wantStatus(byVIN, http.StatusOK, "by VIN")
	if ps := byVIN.json(t)["policies"].([]any); len(ps) != 1 || ps[0].(map[string]any)["id"] != pid {
		t.Fatalf("by VIN: %s", byVIN.body)
	}
	inv := e.do("GET", "/v1/policies/"+pid+"/invoices?from=2026-01-10", RoleClaims, "")
	e.wantStatus(inv, http.StatusOK, "invoices")
	if n := len(inv.json(t)["invoices"].([]any)); n != 12 {
		t.Fatalf("%d invoices", n)
	}

	// First notice: the settlement is `claim settle`'s for the same facts.
	e.setClock("2026-03-11T10:00:00+01:00")
	r = e.do("POST", "/v1/claims", "anna", reportFor(t, pid), "Idempotency-Key", "fnol-1")
	e.wantStatus(r, http.StatusCreated, "first notice")
	cl := r.json(t)
	cid := cl["id"].(string)
	if r.header.Get("ETag") != `"1"` || r.header.Get("Location") != "/v1/claims/"+cid || cl["status"] != "open" || cl["channel"] != "claims_handler" {
		t.Fatalf("claim %s: %s", r.header, r.body)
	}
	st := e.do("POST", "/v1/claims/settlements", RoleClaims, claimBody)
	e.wantStatus(st, http.StatusOK, "claim settle")
	got, _ := json.Marshal(cl["settlement"])
	var want any
	json.Unmarshal(st.body, &want)
	wantB, _ := json.Marshal(want)
	if string(got) != string(wantB) {
		t.Fatalf("the claim's settlement differs from claim settle's:\n%s\n%s", got, wantB)
	}
	if money(cl["totals"].(map[string]any)["payable"]) != "45675.00" {
		t.Fatalf("payable %v", cl["totals"])
	}
	// Shown in English, the stored settlement is `claim settle`'s in English:
	// given again from its codes, not settled again.
	en := e.do("GET", "/v1/claims/"+cid+"?lang=en", RoleClaims, "")
	stEn := e.do("POST", "/v1/claims/settlements?lang=en", RoleClaims, claimBody)
	got, _ = json.Marshal(en.json(t)["settlement"])
	json.Unmarshal(stEn.body, &want)
	wantB, _ = json.Marshal(want)
	if string(got) != string(wantB) || !strings.Contains(string(got), `"language":"en"`) {
		t.Fatalf("the settlement in English differs from claim settle's:\n%s\n%s", got, wantB)
	}

	// A reserve: a settled line's follows the settlement.
	rs := e.do("POST", "/v1/claims/"+cid+"/reserves", "anna", `{"line": "collision", "amount": "30000", "reason": "estimate"}`)
	e.wantStatus(rs, http.StatusUnprocessableEntity, "manual reserve on a settled line")
	if f := problemFields(t, rs); !slices.Equal(f, []string{"line"}) {
		t.Fatalf("fields %v", f)
	}
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/reserves", "anna", `{"line": "collision", "automatic": true, "reason": "follows the settlement"}`),
		http.StatusOK, "automatic reserve")

	// Payments: within Anna's limit released to the ledger at once; above
	// it waiting for a second handler, whom the ledger then gets.
	pay := func(amount string) string {
		return `{"line": "collision", "payee": {"name": "Bilverkstad i Göteborg AB", "bankgiro": "5050-1055"}, "amount": "` + amount + `", "reference": "repair"}`
	}
	badPay := e.do("POST", "/v1/claims/"+cid+"/payments", "anna", `{"line": "collision", "payee": {"name": "X", "bankgiro": "123"}, "amount": "-5"}`)
	e.wantStatus(badPay, http.StatusUnprocessableEntity, "bad payment")
	if f := problemFields(t, badPay); !slices.Equal(f, []string{"amount", "payee.bankgiro"}) {
		t.Fatalf("fields %v", f)
	}
	p1 := e.do("POST", "/v1/claims/"+cid+"/payments", "anna", pay("15000"), "Idempotency-Key", "pay-1")
	e.wantStatus(p1, http.StatusOK, "payment within the limit")
	if n := len(led.payables()); n != 1 {
		t.Fatalf("ledger got %d payables", n)
	}
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/payments", "anna", pay("15000"), "Idempotency-Key", "pay-1"), http.StatusOK, "replayed payment")
	if n := len(led.payables()); n != 1 {
		t.Fatalf("a replayed payment reached the ledger: %d payables", n)
	}
	p2 := e.do("POST", "/v1/claims/"+cid+"/payments", "anna", pay("21000"))
	e.wantStatus(p2, http.StatusOK, "payment above the limit")
	pays := p2.json(t)["payments"].([]any)
	second := pays[1].(map[string]any)
	if second["status"] != "awaiting_approval" || len(led.payables()) != 1 {
		t.Fatalf("second order %v, %d payables", second, len(led.payables()))
	}
	pid2 := second["id"].(string)
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/approvals", "anna", `{"payment_id": "`+pid2+`"}`), http.StatusForbidden, "own approval")
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/close", "anna", `{"reason": "done"}`), http.StatusConflict, "close with an order waiting")
	etag := p2.header.Get("ETag")
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/approvals", "bertil", `{"payment_id": "`+pid2+`"}`, "If-Match", `"1"`), http.StatusPreconditionFailed, "stale approval")
	ap := e.do("POST", "/v1/claims/"+cid+"/approvals", "bertil", `{"payment_id": "`+pid2+`"}`, "If-Match", etag)
	e.wantStatus(ap, http.StatusOK, "approval")
	lp := led.payables()
	if len(lp) != 2 || lp[1].ID != ledger.PayableID(pid2) || lp[1].Amount.Minor != 2100000 || lp[1].Source.ID != cid ||
		lp[1].Source.Kind != ledger.SourceInsuranceClaim || lp[1].Payee != "bg:50501055" || lp[1].Reference != "repair" {
		t.Fatalf("ledger %+v", lp)
	}
	if tot := ap.json(t)["totals"].(map[string]any); money(tot["paid"]) != "36000.00" || money(tot["awaiting_approval"]) != "0.00" {
		t.Fatalf("totals %v", tot)
	}
	// The ledger itself holds both orders of the line, each a payable of its
	// own resting on the claim's terms and the line's clause.
	inLedger := e.do("GET", "/v1/payables?source=insurance_claim:"+cid, RoleClaims, "")
	e.wantStatus(inLedger, http.StatusOK, "the claim's payables")
	var lines, rests []string
	for _, p := range inLedger.json(t)["payables"].([]any) {
		m := p.(map[string]any)
		lines = append(lines, m["source"].(map[string]any)["line"].(string))
		rests = append(rests, fmt.Sprint(m["terms"], " ", m["clause"], " ", m["amount"]))
	}
	slices.Sort(lines)
	slices.Sort(rests)
	if !slices.Equal(lines, []string{"P1:collision", "P2:collision"}) ||
		!slices.Equal(rests, []string{"insurance-se-2021-10 2.8 15000.00", "insurance-se-2021-10 2.8 21000.00"}) {
		t.Fatalf("the ledger's payables of the claim: %s", inLedger.body)
	}

	// New facts: 428 without If-Match, 412 stale, else settled again.
	fc := readExample(t, "facts-change.json")
	e.wantStatus(e.do("PATCH", "/v1/claims/"+cid, "anna", fc), http.StatusPreconditionRequired, "patch without If-Match")
	e.wantStatus(e.do("PATCH", "/v1/claims/"+cid, "anna", fc, "If-Match", `"2"`), http.StatusPreconditionFailed, "stale patch")
	pt := e.do("PATCH", "/v1/claims/"+cid, "anna", fc, "If-Match", ap.header.Get("ETag"))
	e.wantStatus(pt, http.StatusOK, "new facts")
	pc := pt.json(t)
	if lines := pc["lines"].([]any); money(lines[0].(map[string]any)["assessed"]) != "38500.00" || money(lines[0].(map[string]any)["overpaid"]) != "1500.00" {
		t.Fatalf("collision line after new facts: %v", lines[0])
	}

	// A decision; a complaint to the customer ombudsman 13 months later is
	// too late (5.9).
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/decisions", "anna", `{"note": "as settled"}`), http.StatusOK, "decision")
	e.setClock("2027-04-20T09:00:00+02:00")
	k := e.do("POST", "/v1/claims/"+cid+"/complaints", "anna", `{"forum": "customer_ombudsman", "received_on": "2027-04-19", "text": "too little"}`)
	e.wantStatus(k, http.StatusOK, "complaint")
	comp := k.json(t)["complaints"].([]any)[0].(map[string]any)
	if comp["deadline"] != "2027-03-11" || comp["in_time"] != false || comp["outcome"].(map[string]any)["code"] != "complaint_late" ||
		comp["outcome"].(map[string]any)["clause"] != "5.9" {
		t.Fatalf("complaint %v", comp)
	}
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/close", "anna", `{"reason": "paid"}`), http.StatusOK, "close")
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/close", "anna", `{"reason": "again"}`), http.StatusConflict, "close twice")
	e.wantStatus(e.do("POST", "/v1/claims/"+cid+"/payments", "anna", pay("1")), http.StatusConflict, "pay a closed claim")
	ro := e.do("POST", "/v1/claims/"+cid+"/reopen", "bertil", `{"reason": "a new invoice"}`)
	e.wantStatus(ro, http.StatusOK, "reopen")

	// The timeline holds every act, in order, with its actor.
	evs := e.do("GET", "/v1/claims/"+cid+"/events?lang=sv", RoleClaims, "")
	e.wantStatus(evs, http.StatusOK, "events")
	var kinds []string
	for _, x := range evs.json(t)["events"].([]any) {
		kinds = append(kinds, x.(map[string]any)["kind"].(string))
	}
	wantKinds := []string{"reported", "reserve_set", "payment_ordered", "payment_ordered", "payment_approved", "facts_changed",
		"decided", "complaint_received", "closed", "reopened"}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("timeline %v", kinds)
	}
	g := e.do("GET", "/v1/claims/"+cid+"?lang=de", RoleClaims, "")
	e.wantStatus(g, http.StatusOK, "get claim")
	if g.header.Get("ETag") != `"10"` {
		t.Fatalf("ETag %s", g.header.Get("ETag"))
	}
	if nm := e.do("GET", "/v1/claims/"+cid, RoleClaims, "", "If-None-Match", `"10"`); nm.status != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", nm.status)
	}

	// The policyholder's link: the claim number and nothing else internal.
	lk := e.do("POST", "/v1/claims/"+cid+"/links", "anna", `{"expires_in_hours": 24}`)
	e.wantStatus(lk, http.StatusCreated, "claim link")
	tok := lk.json(t)["token"].(string)
	hv := e.do("GET", "/v1/claim-links/"+tok+"?lang=en", "", "")
	e.wantStatus(hv, http.StatusOK, "the policyholder's view")
	for _, secret := range []string{pid, pid2, "tok_", "5050", "ordered_by"} {
		if strings.Contains(string(hv.body), secret) {
			t.Fatalf("the view shows %q: %s", secret, hv.body)
		}
	}
	if hv.json(t)["claim_number"] != cid {
		t.Fatalf("view %s", hv.body)
	}
	e.advance(25 * time.Hour)
	e.wantStatus(e.do("GET", "/v1/claim-links/"+tok, "", ""), http.StatusNotFound, "expired link")

	// The register of 5.5, as JSON and as CSV.
	reg := e.do("GET", "/v1/claims/register?from=2026-03-01&until=2026-03-31", RoleClaims, "")
	e.wantStatus(reg, http.StatusOK, "register")
	recs := reg.json(t)["records"].([]any)
	if len(recs) != 1 || recs[0].(map[string]any)["claim_id"] != cid || money(recs[0].(map[string]any)["paid_sek"]) != "36000.00" ||
		recs[0].(map[string]any)["insurer_org_number"] != "516401-8102" {
		t.Fatalf("register %s", reg.body)
	}
	csvR := e.do("GET", "/v1/claims/register", RoleClaims, "", "Accept", "text/csv")
	e.wantStatus(csvR, http.StatusOK, "register CSV")
	rows, err := csv.NewReader(strings.NewReader(string(csvR.body))).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][1] != "claim_id" || rows[1][1] != cid || rows[1][len(rows[1])-1] != "36000.00" ||
		!strings.HasPrefix(csvR.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV %v %v: %s", err, rows, csvR.body)
	}
	lst := e.do("GET", "/v1/claims?policy="+pid, RoleClaims, "")
	e.wantStatus(lst, http.StatusOK, "claims of the policy")
	if cs := lst.json(t)["claims"].([]any); len(cs) != 1 || cs[0].(map[string]any)["id"] != cid {
		t.Fatalf("claims %s", lst.body)
	}

	// 5.4: a loss of 2022 reported in 2033 is time-barred: the claim is
	// closed with the clause, and nothing is paid.
	old := strings.NewReplacer(`"LPSED3KA4NL012345"`, `"LPSED3KA6NL012346"`, `"ABC12D"`, `"GHJ56K"`, `"2026-01-10"`, `"2022-01-10"`,
		`"2026-01-05T14:05:00+01:00"`, `"2022-01-05T14:05:00+01:00"`).Replace(body)
	oldPid := e.createPolicy(old)
	e.setClock("2033-01-03T10:00:00+01:00")
	late := strings.NewReplacer(`"P1"`, `"`+oldPid+`"`, `"2026-03-10"`, `"2022-06-01"`, `"reported_at": "2026-03-11"`, `"reported_at": "2033-01-03"`).
		Replace(readExample(t, "report.json"))
	lr := e.do("POST", "/v1/claims", "anna", late)
	e.wantStatus(lr, http.StatusCreated, "late claim")
	lc := lr.json(t)
	outs := lc["outcomes"].([]any)
	if lc["status"] != "closed" || lc["close_reason"] != "time_barred" || len(outs) != 1 ||
		outs[0].(map[string]any)["code"] != "time_barred" || outs[0].(map[string]any)["clause"] != "5.4" {
		t.Fatalf("late claim: status %v, reason %v, outcomes %v", lc["status"], lc["close_reason"], outs)
	}
	if !strings.Contains(string(lr.body), `"code":"time_barred","clause":"5.4"`) {
		t.Fatalf("the settlement of a late claim names no 5.4 refusal: %s", lr.body)
	}
}

// TestClaimFromDeskCaseAndPolicyholder: a claim opened from an assistance
// case of the same car and day shows on the case (its timeline and
// GET /v1/cases/{id}/claims); the policyholder reports a loss through the
// link to their policy and follows it through the claim's link.
func TestClaimFromDeskCaseAndPolicyholder(t *testing.T) {
	e := newEnv(t)
	e.withLedger()
	e.setClock("2026-03-11T10:00:00+01:00")
	pid := e.createPolicy(readExample(t, "new-policy.json"))
	caseBody := strings.NewReplacer(`"LPSVSEDEEML000001"`, `"LPSED3KA4NL012345"`, `"2026-07-01T09:30:00+02:00"`, `"2026-03-10T09:30:00+01:00"`,
		`"2026-07-01T10:05:00+02:00"`, `"2026-03-10T10:05:00+01:00"`).Replace(sampleCase)
	caseID, _, _ := e.createCase(caseBody)
	rep := strings.Replace(reportFor(t, pid), `"loss"`, `"desk_case": {"id": "`+caseID+`", "vin": "LPSED3KA4NL012345", "day": "2026-03-09"}, "loss"`, 1)
	wrong := e.do("POST", "/v1/claims", "anna", rep)
	e.wantStatus(wrong, http.StatusUnprocessableEntity, "a case of another day")
	if f := problemFields(t, wrong); !slices.Equal(f, []string{"desk_case.day"}) {
		t.Fatalf("fields %v", f)
	}
	r := e.do("POST", "/v1/claims", "anna", strings.Replace(rep, "2026-03-09", "2026-03-10", 1))
	e.wantStatus(r, http.StatusCreated, "claim from the case")
	cid := r.json(t)["id"].(string)
	if r.json(t)["desk_case_id"] != caseID {
		t.Fatalf("claim %s", r.body)
	}
	of := e.do("GET", "/v1/cases/"+caseID+"/claims", RoleOperator, "")
	e.wantStatus(of, http.StatusOK, "the case's claims")
	if cs := of.json(t)["claims"].([]any); len(cs) != 1 || cs[0].(map[string]any)["id"] != cid {
		t.Fatalf("case claims %s", of.body)
	}
	ev := e.do("GET", "/v1/cases/"+caseID+"/events", RoleOperator, "")
	if !strings.Contains(string(ev.body), `"kind":"claim_opened"`) || !strings.Contains(string(ev.body), cid) {
		t.Fatalf("case timeline %s", ev.body)
	}

	// The policyholder's report: the same car and day overlap the claim
	// above, so both wait for a person.
	pl := e.do("POST", "/v1/policies/"+pid+"/links", RoleClaims, "")
	e.wantStatus(pl, http.StatusCreated, "policy link")
	url := pl.json(t)["url"].(string)
	path := url[strings.Index(url, "/v1/"):]
	hr := e.do("POST", path, "", reportFor(t, pid), "Idempotency-Key", "holder-1")
	e.wantStatus(hr, http.StatusCreated, "the policyholder's report")
	view := hr.json(t)
	number := view["claim"].(map[string]any)["claim_number"].(string)
	if strings.Contains(string(hr.body), pid) {
		t.Fatalf("the policyholder's answer names the policy id: %s", hr.body)
	}
	again := e.do("POST", path, "", reportFor(t, pid), "Idempotency-Key", "holder-1")
	if again.status != http.StatusCreated || again.json(t)["claim"].(map[string]any)["claim_number"] != number {
		t.Fatalf("replayed report: %d %s", again.status, again.body)
	}
	e.wantStatus(e.do("POST", path, "", strings.Replace(reportFor(t, pid), pid, "P-other", 1)), http.StatusUnprocessableEntity, "another policy")
	e.wantStatus(e.do("POST", "/v1/policy-links/rcp_nothing/claims", "", reportFor(t, pid)), http.StatusNotFound, "unknown link")
	follow := view["claim_link"].(map[string]any)["token"].(string)
	e.wantStatus(e.do("GET", "/v1/claim-links/"+follow, "", ""), http.StatusOK, "follow the claim")
	c := e.do("GET", "/v1/claims/"+number, RoleClaims, "").json(t)
	if c["channel"] != "policyholder" || len(c["flags"].([]any)) != 1 {
		t.Fatalf("the policyholder's claim: channel %v, flags %v", c["channel"], c["flags"])
	}
	first := e.do("GET", "/v1/claims/"+cid, RoleClaims, "").json(t)
	if fl := first["flags"].([]any); len(fl) != 1 || !strings.Contains(fmt.Sprint(fl[0]), number) {
		t.Fatalf("the first claim's flags: %v", first["flags"])
	}
}

// TestConcurrentActsOnOneClaim: acts sent at once with the same If-Match:
// one is recorded, the others get 412 and record nothing.
func TestConcurrentActsOnOneClaim(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *env{
		"sqlite": func(t *testing.T) *env { return newEnv(t) },
		"postgres": func(t *testing.T) *env {
			st, err := postgres.Open(context.Background(), pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return newEnvOn(t, st)
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := open(t)
			e.withLedger()
			e.setClock("2026-03-11T10:00:00+01:00")
			cid := e.openClaim("anna", e.createPolicy(readExample(t, "new-policy.json")))["id"].(string)
			const n = 6
			var wg sync.WaitGroup
			statuses := make([]int, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = e.do("POST", "/v1/claims/"+cid+"/decisions", "anna", fmt.Sprintf(`{"note": "writer %d"}`, i), "If-Match", `"1"`).status
				}()
			}
			wg.Wait()
			ok := 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusPreconditionFailed:
				default:
					t.Fatalf("statuses %v", statuses)
				}
			}
			g := e.do("GET", "/v1/claims/"+cid, RoleClaims, "")
			if ok != 1 || g.header.Get("ETag") != `"2"` || len(g.json(t)["decisions"].([]any)) != 1 {
				t.Fatalf("%d recorded (statuses %v), ETag %s", ok, statuses, g.header.Get("ETag"))
			}
		})
	}
}

// insuranceProblems provokes every error the insurance operations document
// (TestOpenAPIProblemsAreTheRealOnes calls it with its check).
func insuranceProblems(t *testing.T, e *env, check func(env *env, key, path, role, body string, want int, hdr ...string) resp) {
	t.Helper()
	e.srv.claims.Payables = nil // no ledger: a release is refused (503)
	lim := e.do("POST", "/v1/tokens", RoleAdmin, `{"role": "claims_handler", "label": "limited", "payment_limit": "20000"}`)
	e.wantStatus(lim, http.StatusCreated, "handler token")
	e.tokens["limited"] = lim.json(t)["token"].(string)
	const ch = RoleClaims
	policy := readExample(t, "new-policy.json")
	pid := e.createPolicy(policy)
	report := func(day string) string {
		return strings.Replace(reportFor(t, pid), `"occurred_at": "2026-03-10"`, `"occurred_at": "`+day+`"`, 1)
	}
	open := func(body string) string {
		r := e.do("POST", "/v1/claims", "limited", body)
		e.wantStatus(r, http.StatusCreated, "claim")
		return r.json(t)["id"].(string)
	}
	cid := open(report("2026-03-10"))
	closed := open(report("2026-03-09"))
	e.wantStatus(e.do("POST", "/v1/claims/"+closed+"/close", ch, `{"reason": "withdrawn"}`), http.StatusOK, "close")
	traffic := open(strings.Replace(report("2026-03-08"), `"repair_sek": "40000"`, `"repair_sek": "40000", "third_party_sek": "10000"`, 1))
	// An order above the handler's limit waits; releasing it needs the
	// ledger.
	waiting := e.do("POST", "/v1/claims/"+cid+"/payments", ch, `{"line": "rental_car", "payee": {"name": "Hyrbil AB", "bankgiro": "5050-1055"}, "amount": "100"}`)
	e.wantStatus(waiting, http.StatusOK, "an order awaiting approval")
	waitingID := waiting.json(t)["payments"].([]any)[0].(map[string]any)["id"].(string)

	pay := `{"line": "collision", "payee": {"name": "Verkstad AB", "bankgiro": "5050-1055"}, "amount": "100"}`
	acts := map[string]string{
		"reserves":        `{"line": "collision", "automatic": true, "reason": "r"}`,
		"payments":        pay,
		"approvals":       `{"payment_id": "` + waitingID + `"}`,
		"recoveries":      `{"kind": "third_party", "from": "X", "line": "collision", "amount": "1"}`,
		"valuations":      `{"fact": "costs.market_value_sek", "reason": "too low"}`,
		"other-insurance": `{"insurer": "Other AB", "line": "collision", "paid": "1"}`,
		"decisions":       `{"note": "n"}`,
		"complaints":      `{"forum": "review", "received_on": "2026-03-12"}`,
		"close":           `{"reason": "r"}`,
		"reopen":          `{"reason": "r"}`,
		"flags":           `{"flag": "possible_duplicate", "reason": "r"}`,
	}
	for act, body := range acts {
		key := "POST /v1/claims/{id}/" + act
		check(e, key, "/v1/claims/nothing/"+act, "limited", body, http.StatusNotFound)
		check(e, key, "/v1/claims/"+cid+"/"+act, "limited", body, http.StatusPreconditionFailed, "If-Match", `"99"`)
		check(e, key, "/v1/claims/"+cid+"/"+act, "limited", `{"reason": 1}`, http.StatusUnprocessableEntity)
		switch act {
		case "complaints", "flags", "recoveries", "reopen":
		default:
			check(e, key, "/v1/claims/"+closed+"/"+act, "limited", body, http.StatusConflict)
		}
	}
	check(e, "POST /v1/claims/{id}/flags", "/v1/claims/"+cid+"/flags", "limited", acts["flags"], http.StatusUnprocessableEntity)
	check(e, "POST /v1/claims/{id}/reopen", "/v1/claims/"+cid+"/reopen", "limited", acts["reopen"], http.StatusConflict)
	check(e, "POST /v1/claims/{id}/payments", "/v1/claims/"+cid+"/payments", "limited", pay, http.StatusServiceUnavailable)
	check(e, "POST /v1/claims/{id}/approvals", "/v1/claims/"+cid+"/approvals", "limited", acts["approvals"], http.StatusServiceUnavailable)
	// With the ledger: the VAT of a traffic payment is claimed back once.
	e.srv.claims.Payables = &ledgerDouble{}
	tp := e.do("POST", "/v1/claims/"+traffic+"/payments", "limited", `{"line": "traffic", "payee": {"name": "Injured Party", "iban": "SE4550000000058398257466"}, "amount": "5000"}`)
	e.wantStatus(tp, http.StatusOK, "traffic payment")
	tpID := tp.json(t)["payments"].([]any)[0].(map[string]any)["id"].(string)
	vat := `{"kind": "traffic_vat", "payment_id": "` + tpID + `"}`
	check(e, "POST /v1/claims/{id}/recoveries", "/v1/claims/"+traffic+"/recoveries", "limited", vat, http.StatusOK)
	check(e, "POST /v1/claims/{id}/recoveries", "/v1/claims/"+traffic+"/recoveries", "limited", vat, http.StatusConflict)

	fc := readExample(t, "facts-change.json")
	hl := e.do("POST", "/v1/policies/"+pid+"/links", ch, "")
	e.wantStatus(hl, http.StatusCreated, "policy link")
	holderPath := hl.json(t)["url"].(string)
	holderPath = holderPath[strings.Index(holderPath, "/v1/"):]
	for _, x := range []struct {
		key, path, role, body string
		want                  int
		hdr                   []string
	}{
		{"POST /v1/policies", "/v1/policies", ch, policy, 409, nil},
		{"POST /v1/policies", "/v1/policies", ch, `{}`, 422, nil},
		{"GET /v1/policies", "/v1/policies?vin=LPS", ch, "", 422, nil},
		{"GET /v1/policies/{id}", "/v1/policies/nothing", ch, "", 404, nil},
		{"GET /v1/policies/{id}", "/v1/policies/" + pid + "?lang=fr", ch, "", 422, nil},
		{"POST /v1/policies/{id}/changes", "/v1/policies/nothing/changes", ch, readExample(t, "policy-change.json"), 404, nil},
		{"POST /v1/policies/{id}/changes", "/v1/policies/" + pid + "/changes", ch, readExample(t, "policy-change.json"), 412, []string{"If-Match", `"9"`}},
		{"POST /v1/policies/{id}/changes", "/v1/policies/" + pid + "/changes", ch, `{}`, 422, nil},
		{"GET /v1/policies/{id}/invoices", "/v1/policies/nothing/invoices", ch, "", 404, nil},
		{"GET /v1/policies/{id}/invoices", "/v1/policies/" + pid + "/invoices?from=someday", ch, "", 422, nil},
		{"POST /v1/policies/{id}/links", "/v1/policies/nothing/links", ch, `{}`, 404, nil},
		{"POST /v1/policies/{id}/links", "/v1/policies/" + pid + "/links", ch, `{"expires_in_hours": 0}`, 422, nil},
		{"POST /v1/claims", "/v1/claims", ch, `{}`, 422, nil},
		{"GET /v1/claims", "/v1/claims?limit=0", ch, "", 422, nil},
		{"GET /v1/claims", "/v1/claims?after=nothing", ch, "", 404, nil},
		{"GET /v1/claims/register", "/v1/claims/register?from=someday", ch, "", 422, nil},
		{"GET /v1/claims/register", "/v1/claims/register?after=nothing", ch, "", 404, nil},
		{"GET /v1/claims/{id}", "/v1/claims/nothing", ch, "", 404, nil},
		{"GET /v1/claims/{id}", "/v1/claims/" + cid + "?lang=fr", ch, "", 422, nil},
		{"GET /v1/claims/{id}/events", "/v1/claims/nothing/events", ch, "", 404, nil},
		{"GET /v1/claims/{id}/events", "/v1/claims/" + cid + "/events?lang=xx", ch, "", 422, nil},
		{"PATCH /v1/claims/{id}", "/v1/claims/nothing", ch, fc, 404, []string{"If-Match", `"1"`}},
		{"PATCH /v1/claims/{id}", "/v1/claims/" + cid, ch, fc, 428, nil},
		{"PATCH /v1/claims/{id}", "/v1/claims/" + cid, ch, fc, 412, []string{"If-Match", `"99"`}},
		{"PATCH /v1/claims/{id}", "/v1/claims/" + cid, ch, `{}`, 422, []string{"If-Match", "*"}},
		{"PATCH /v1/claims/{id}", "/v1/claims/" + closed, ch, fc, 409, []string{"If-Match", "*"}},
		{"POST /v1/claims/{id}/links", "/v1/claims/nothing/links", ch, `{}`, 404, nil},
		{"POST /v1/claims/{id}/links", "/v1/claims/" + cid + "/links", ch, `{"expires_in_hours": 99999}`, 422, nil},
		{"GET /v1/cases/{id}/claims", "/v1/cases/nothing/claims", ch, "", 404, nil},
		{"GET /v1/claim-links/{token}", "/v1/claim-links/nothing", "", "", 404, nil},
		{"POST /v1/policy-links/{token}/claims", "/v1/policy-links/nothing/claims", "", report("2026-03-07"), 404, nil},
		{"POST /v1/policy-links/{token}/claims", "/v1/policy-links/nothing/claims", "", `{}`, 404, nil},
		{"POST /v1/policy-links/{token}/claims", holderPath, "", `{}`, 422, nil},
	} {
		check(e, x.key, x.path, x.role, x.body, x.want, x.hdr...)
	}
}

// TestFirstNoticeNamesEveryBadField: a first notice whose own fields are
// bad (a malformed VIN, a negative odometer) also names the loss's fields
// that only the insurance engine checks (an unknown peril, money that is
// not a decimal), from a handler and behind the policyholder's link.
func TestFirstNoticeNamesEveryBadField(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-03-11T10:00:00+01:00")
	pid := e.createPolicy(readExample(t, "new-policy.json"))
	body := `{"policy_id": "` + pid + `", "vin": "X", "loss": {"occurred_at": "2026-03-10", "vehicle": {"odometer_km": -5},
		"driver": {"age": 40}, "incident": {"peril": "meteor", "country": "SE"}, "costs": {"repair_sek": "12,50"}}}`
	want := []string{"loss.costs.repair_sek", "loss.incident.peril", "loss.vehicle.odometer_km", "vin"}
	r := e.do("POST", "/v1/claims", RoleClaims, body)
	e.wantStatus(r, http.StatusUnprocessableEntity, "a bad first notice")
	if f := problemFields(t, r); !slices.Equal(f, want) {
		t.Errorf("handler's notice: fields %v, want %v", f, want)
	}
	pl := e.do("POST", "/v1/policies/"+pid+"/links", RoleClaims, "")
	e.wantStatus(pl, http.StatusCreated, "policy link")
	url := pl.json(t)["url"].(string)
	hr := e.do("POST", url[strings.Index(url, "/v1/"):], "", body)
	e.wantStatus(hr, http.StatusUnprocessableEntity, "a bad notice behind the link")
	if f := problemFields(t, hr); !slices.Equal(f, want) {
		t.Errorf("policyholder's notice: fields %v, want %v", f, want)
	}
}

// TestFactsChangeNamesEveryBadField: a change of facts without a reason
// also names its patch's bad fields, those the engine checks included.
func TestFactsChangeNamesEveryBadField(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-03-11T10:00:00+01:00")
	pid := e.createPolicy(readExample(t, "new-policy.json"))
	c := e.openClaim(RoleClaims, pid)
	cid := c["id"].(string)
	body := `{"reason": "", "patch": {"reported_at": "2026-03-11", "incident": {"peril": "meteor"}, "costs": {"repair_sek": "12,50"}}}`
	r := e.do("PATCH", "/v1/claims/"+cid, RoleClaims, body, "If-Match", `"1"`)
	e.wantStatus(r, http.StatusUnprocessableEntity, "a bad change of facts")
	want := []string{"patch.costs.repair_sek", "patch.incident.peril", "patch.reported_at", "reason"}
	if f := problemFields(t, r); !slices.Equal(f, want) {
		t.Errorf("fields %v, want %v", f, want)
	}
	if got := e.do("GET", "/v1/claims/"+cid, RoleClaims, "").json(t); got["version"] != float64(1) {
		t.Errorf("the refused change was recorded: version %v", got["version"])
	}
}

// TestHolderReportWithoutPolicyID: behind a policy link the policyholder's
// first notice needs no policy id (the answers never show it); one naming
// another policy is still refused.
func TestHolderReportWithoutPolicyID(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-03-11T10:00:00+01:00")
	pid := e.createPolicy(readExample(t, "new-policy.json"))
	pl := e.do("POST", "/v1/policies/"+pid+"/links", RoleClaims, "")
	e.wantStatus(pl, http.StatusCreated, "policy link")
	url := pl.json(t)["url"].(string)
	path := url[strings.Index(url, "/v1/"):]
	body := strings.Replace(reportFor(t, pid), `"policy_id": "`+pid+`",`, "", 1)
	if strings.Contains(body, pid) {
		t.Fatalf("the report still names the policy: %s", body)
	}
	r := e.do("POST", path, "", body)
	e.wantStatus(r, http.StatusCreated, "the policyholder's report without the policy id")
	number := r.json(t)["claim"].(map[string]any)["claim_number"].(string)
	if c := e.do("GET", "/v1/claims/"+number, RoleClaims, "").json(t); c["policy_id"] != pid {
		t.Fatalf("claim under %v, want %s", c["policy_id"], pid)
	}
	e.wantStatus(e.do("POST", path, "", strings.Replace(reportFor(t, pid), pid, "P-other", 1)), http.StatusUnprocessableEntity, "another policy")
	e.wantStatus(e.do("POST", "/v1/policy-links/rcp_nothing/claims", "", body), http.StatusNotFound, "unknown link")
}
