package claims

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/insurance"
	"roadcover/policies"
	"roadcover/terms"
)

// caseFile is one rule test: a policy, a first notice and the acts that
// follow, and the fields of the answers it checks.
type caseFile struct {
	ID      string                     `json:"id"`
	Title   string                     `json:"title"`
	Clauses []string                   `json:"clauses"`
	Terms   string                     `json:"terms"`
	Input   caseInput                  `json:"input"`
	Expect  map[string]json.RawMessage `json:"expect"`
}

type caseActor struct {
	ID           string `json:"id"`
	Role         string `json:"role"`
	PaymentLimit string `json:"payment_limit"`
}

type caseAct struct {
	Act  string          `json:"act"`
	At   string          `json:"at"`
	By   *caseActor      `json:"by"`
	Body json.RawMessage `json:"body"`
}

type caseInput struct {
	Policy         json.RawMessage   `json:"policy"`
	PolicyIssuedAt string            `json:"policy_issued_at"`
	PolicyChanges  []json.RawMessage `json:"policy_changes"`
	Earlier        []caseAct         `json:"earlier_reports"`
	Report         json.RawMessage   `json:"report"`
	ReportAt       string            `json:"report_at"`
	Reporter       *caseActor        `json:"reporter"`
	Acts           []caseAct         `json:"acts"`
	Lang           string            `json:"lang"`
}

func loadCases(t testing.TB) []caseFile {
	t.Helper()
	names, err := filepath.Glob("testdata/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	var cs []caseFile
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var c caseFile
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&c); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if c.ID+".json" != filepath.Base(n) {
			t.Fatalf("%s: id %q does not match the file name", n, c.ID)
		}
		cs = append(cs, c)
	}
	return cs
}

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("instant %q: %v", s, err)
	}
	return v
}

func actorOf(t testing.TB, a *caseActor) Actor {
	if a == nil {
		return Actor{ID: "h1", Role: ClaimsHandler, PaymentLimit: sek(5000000)}
	}
	act := Actor{ID: a.ID, Role: Role(a.Role)}
	if a.PaymentLimit != "" {
		m, err := roadcover.ParseMinor(a.PaymentLimit)
		if err != nil {
			t.Fatal(err)
		}
		act.PaymentLimit = sek(m)
	}
	return act
}

func errorDoc(err error) map[string]any {
	var ie *roadcover.InputError
	if errors.As(err, &ie) {
		var fs []any
		for _, f := range ie.Errors {
			fs = append(fs, f.Field)
		}
		return map[string]any{"code": string(roadcover.ProblemFor(err).Code), "fields": fs}
	}
	return map[string]any{"code": string(roadcover.ProblemFor(err).Code), "detail": err.Error()}
}

func anyOf(t testing.TB, b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

// policyFor issues the case's policy and makes its changes.
func policyFor(t testing.TB, in caseInput) *policies.Policy {
	np, err := policies.DecodeNewPolicy(in.Policy)
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	at := "2021-11-01T10:00:00+01:00"
	if in.PolicyIssuedAt != "" {
		at = in.PolicyIssuedAt
	}
	p, err := policies.New("P1", np, "h1", instant(t, at))
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	for _, raw := range in.PolicyChanges {
		var ch struct {
			At     string          `json:"at"`
			Change json.RawMessage `json:"change"`
		}
		json.Unmarshal(raw, &ch)
		c, err := policies.DecodeChange(ch.Change)
		if err != nil {
			t.Fatalf("policy change: %v", err)
		}
		if _, err := p.Apply(c, "h1", instant(t, ch.At)); err != nil {
			t.Fatalf("policy change: %v", err)
		}
	}
	return p
}

func withPolicy(report json.RawMessage) []byte {
	m := map[string]json.RawMessage{}
	json.Unmarshal(report, &m)
	if _, ok := m["policy_id"]; !ok {
		m["policy_id"] = json.RawMessage(`"P1"`)
	}
	b, _ := json.Marshal(m)
	return b
}

// act performs one act of a case through its request decoder.
func act(c *Claim, p *policies.Policy, a caseAct, by Actor, at time.Time) (*Event, error) {
	switch a.Act {
	case "change_facts":
		r, err := DecodeFactsChange(a.Body)
		if err != nil {
			return nil, err
		}
		return c.ChangeFacts(p, r, by, at)
	case "set_reserve":
		r, err := DecodeReserve(a.Body)
		if err != nil {
			return nil, err
		}
		return c.SetReserve(r, by, at)
	case "order_payment":
		r, err := DecodePaymentRequest(a.Body)
		if err != nil {
			return nil, err
		}
		return c.OrderPayment(r, by, at)
	case "approve_payment":
		id, _, err := DecodePaymentID(a.Body, false)
		if err != nil {
			return nil, err
		}
		return c.ApprovePayment(id, by, at)
	case "cancel_payment":
		id, reason, err := DecodePaymentID(a.Body, true)
		if err != nil {
			return nil, err
		}
		return c.CancelPayment(id, reason, by, at)
	case "claim_recovery":
		r, err := DecodeRecoveryRequest(a.Body)
		if err != nil {
			return nil, err
		}
		return c.ClaimRecovery(r, by, at)
	case "receive_recovery":
		r, err := DecodeRecoveryReceipt(a.Body)
		if err != nil {
			return nil, err
		}
		return c.ReceiveRecovery(r, by, at)
	case "request_valuation":
		r, err := DecodeValuationRequest(a.Body)
		if err != nil {
			return nil, err
		}
		return c.RequestValuation(r, by, at)
	case "record_valuation":
		r, err := DecodeValuationResult(a.Body)
		if err != nil {
			return nil, err
		}
		return c.RecordValuation(p, r, by, at)
	case "record_other_insurance":
		r, err := DecodeOtherInsurance(a.Body)
		if err != nil {
			return nil, err
		}
		return c.RecordOtherInsurance(r, by, at)
	case "decide":
		note, err := DecodeReason(a.Body, false)
		if err != nil {
			return nil, err
		}
		return c.Decide(note, by, at)
	case "complaint":
		r, err := DecodeComplaint(a.Body)
		if err != nil {
			return nil, err
		}
		return c.ReceiveComplaint(r, by, at)
	case "clear_flag":
		code, reason, err := DecodeFlagClearance(a.Body)
		if err != nil {
			return nil, err
		}
		return c.ClearFlag(code, reason, by, at)
	case "close":
		reason, err := DecodeReason(a.Body, true)
		if err != nil {
			return nil, err
		}
		return c.Close(reason, by, at)
	case "reopen":
		reason, err := DecodeReason(a.Body, true)
		if err != nil {
			return nil, err
		}
		return c.Reopen(reason, by, at)
	case "link_desk_case":
		d, err := DecodeDeskLink(a.Body)
		if err != nil {
			return nil, err
		}
		return c.LinkDeskCase(d, by, at)
	}
	return nil, fmt.Errorf("unknown act %q", a.Act)
}

// run plays a case and returns its answers as one JSON value.
func run(t *testing.T, in caseInput) map[string]any {
	out := map[string]any{}
	lang := roadcover.English
	if in.Lang != "" {
		lang = roadcover.Language(in.Lang)
	}
	p := policyFor(t, in)
	var others []Summary
	for i, e := range in.Earlier {
		r, err := DecodeReport(withPolicy(e.Body))
		if err != nil {
			t.Fatalf("earlier report %d: %v", i, err)
		}
		c, err := Open(fmt.Sprintf("C%d", i), p, r, actorOf(t, e.By), instant(t, e.At), others)
		if err != nil {
			t.Fatalf("earlier report %d: %v", i, err)
		}
		others = append(others, c.Summary())
	}
	r, err := DecodeReport(withPolicy(in.Report))
	if err != nil {
		out["error"] = errorDoc(Check(p, r, err, actorOf(t, in.Reporter), instant(t, in.ReportAt)))
		return out
	}
	c, err := Open("C9", p, r, actorOf(t, in.Reporter), instant(t, in.ReportAt), others)
	if err != nil {
		out["error"] = errorDoc(err)
		return out
	}
	checkSettlementIsEngines(t, c)
	var acts []any
	for i, a := range in.Acts {
		by := actorOf(t, a.By)
		if a.By == nil && in.Reporter != nil && in.Reporter.Role == string(ClaimsHandler) {
			by = actorOf(t, in.Reporter)
		}
		e, err := act(c, p, a, by, instant(t, a.At))
		switch {
		case err != nil:
			acts = append(acts, map[string]any{"error": errorDoc(err)})
		case e == nil:
			acts = append(acts, map[string]any{"none": true})
		default:
			acts = append(acts, map[string]any{"kind": e.Kind(), "data": anyOf(t, AppendEventDataJSON(nil, e.Data))})
		}
		if err == nil && (a.Act == "change_facts" || a.Act == "record_valuation") {
			checkSettlementIsEngines(t, c)
		}
		_ = i
	}
	out["acts"] = acts
	doc := AppendClaimJSON(nil, c, lang)
	out["claim"] = anyOf(t, doc)
	out["events"] = anyOf(t, AppendEventsJSON(nil, c.Events, lang))
	if rec, err := c.RegisterRecord(); err == nil {
		out["register"] = anyOf(t, AppendRegisterJSON(nil, []RegisterRecord{rec}))
	}
	checkReplay(t, c, p, doc, lang)
	return out
}

// checkSettlementIsEngines: the claim's settlement is exactly what the
// insurance engine gives for the same facts written as its own document.
func checkSettlementIsEngines(t *testing.T, c *Claim) {
	t.Helper()
	doc := InsuranceDocument(nil, c.Version(), &c.Loss, c.Language)
	want, err := insurance.SettleJSON(doc, string(c.Language))
	if err != nil {
		t.Fatalf("the engine refuses the claim's own document: %v\n%s", err, doc)
	}
	if !bytes.Equal(want, c.Settlement) {
		t.Errorf("settlement differs from the engine's:\n%s\n%s", c.Settlement, want)
	}
}

// checkReplay: the stored timeline makes the same claim again.
func checkReplay(t *testing.T, c *Claim, p *policies.Policy, doc []byte, lang roadcover.Language) {
	t.Helper()
	var stored []Event
	for _, e := range c.Events {
		data := AppendEventDataJSON(nil, e.Data)
		d, err := DecodeEventData(e.Kind(), data)
		if err != nil {
			t.Fatalf("event %d (%s) does not read back: %v\n%s", e.Seq, e.Kind(), err, data)
		}
		a, err := DecodeActor(AppendActorJSON(nil, e.Actor))
		if err != nil {
			t.Fatalf("actor of event %d: %v", e.Seq, err)
		}
		if again := AppendEventDataJSON(nil, d); !bytes.Equal(again, data) {
			t.Errorf("event %d reads back differently:\n%s\n%s", e.Seq, data, again)
		}
		stored = append(stored, Event{Seq: e.Seq, At: e.At, Actor: a, Data: d})
	}
	back, err := Replay(c.ID, p, stored, c.Settlement)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if got := AppendClaimJSON(nil, back, lang); !bytes.Equal(got, doc) {
		t.Errorf("the replayed claim differs:\n%s\n%s", doc, got)
	}
}

func TestCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.ID, func(t *testing.T) {
			v, ok := terms.ByID(c.Terms)
			if !ok {
				t.Fatalf("unknown terms %q", c.Terms)
			}
			for _, cl := range c.Clauses {
				if cl != "input" && cl != "authority" && !v.HasClause(cl) {
					t.Errorf("cites clause %s, which %s does not print", cl, v.ID)
				}
			}
			out := run(t, c.Input)
			for _, p := range checkExpect(out, c.Expect) {
				t.Error(p)
			}
			if t.Failed() {
				b, _ := json.MarshalIndent(out, "", " ")
				t.Logf("output: %s", b)
			}
		})
	}
}

// TestClauseCoverage: every clause the package implements has a case.
func TestClauseCoverage(t *testing.T) {
	cited := map[string]bool{}
	for _, c := range loadCases(t) {
		for _, cl := range c.Clauses {
			cited[cl] = true
		}
	}
	for _, cl := range []string{"4.1", "4.10", "4.11", "5.1", "5.3", "5.4", "5.5", "5.9", "input", "authority"} {
		if !cited[cl] {
			t.Errorf("clause %s has no case", cl)
		}
	}
}

var moneyRE = regexp.MustCompile(`^-?\d+\.\d\d$`)

func get(obj any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch o := obj.(type) {
		case map[string]any:
			v, ok := o[part]
			if !ok {
				return nil
			}
			obj = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(o) {
				return nil
			}
			obj = o[i]
		default:
			return nil
		}
	}
	return obj
}

func same(got, want any) bool {
	if ws, ok := want.(string); ok && moneyRE.MatchString(ws) {
		gs, ok := got.(string)
		if !ok || !moneyRE.MatchString(gs) {
			return false
		}
		a, _ := roadcover.ParseMinor(gs)
		b, _ := roadcover.ParseMinor(ws)
		return a == b
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

func checkExpect(out any, expect map[string]json.RawMessage) []string {
	var probs []string
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		var want any
		json.Unmarshal(expect[path], &want)
		got := get(out, path)
		if ops, ok := want.(map[string]any); ok {
			items, _ := got.([]any)
			if inc, ok := ops["include"].([]any); ok {
				for _, w := range inc {
					found := false
					for _, it := range items {
						found = found || matches(it, w)
					}
					if !found {
						probs = append(probs, fmt.Sprintf("%s: missing %v in %v", path, w, got))
					}
				}
			}
			if n, ok := ops["length"].(float64); ok && len(items) != int(n) {
				probs = append(probs, fmt.Sprintf("%s: length %d, want %v", path, len(items), n))
			}
			continue
		}
		if !same(got, want) {
			probs = append(probs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
	return probs
}

func matches(item, want any) bool {
	wm, ok := want.(map[string]any)
	if !ok {
		return same(item, want)
	}
	for k, v := range wm {
		if !same(get(item, k), v) {
			return false
		}
	}
	return true
}
