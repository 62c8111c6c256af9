package claims

import (
	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
)

// AppendClaimJSON appends the claim document of GET /v1/claims/{id}, texts
// in lang: who and what, the loss facts, the settlement document, the
// lines with their ceilings, payments and reserves, the totals, every
// record of the claim, and its time bar. "version" counts its events (an
// ETag).
func AppendClaimJSON(b []byte, c *Claim, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	tw := textWriter{writer{&w}, lang}
	w.Obj("").Str("id", c.ID).Str("policy_id", c.PolicyID).Int("policy_version", int64(c.PolicyVersion)).
		Str("vin", c.VIN).Str("registration", c.Registration)
	w.Obj("policyholder").Str("name", c.HolderName).Str("id_number", c.HolderID).End()
	w.Str("status", string(c.Status)).StrOrNull("close_reason", c.CloseReason).Str("channel", string(c.Channel)).
		StrOrNull("desk_case_id", c.DeskCaseID).Str("language", string(c.Language)).
		Time("created_at", c.CreatedAt).Time("updated_at", c.UpdatedAt).Int("version", int64(len(c.Events)))
	w.Raw("loss", AppendLossJSON(nil, &c.Loss))
	w.Raw("settlement", c.Settlement)
	w.Str("terms_id", c.Decided.TermsID).Bool("premium_affecting", c.Decided.PremiumAffecting).
		Strs("requirements", c.Decided.Requirements)
	w.Arr("lines")
	for i := range c.Lines {
		ln := &c.Lines[i]
		w.Obj("").Str("key", ln.Key).Str("cover", ln.Cover).Str("clause", ln.Clause).Str("status", ln.Status).
			Money("assessed", ln.Assessed).Money("deductible", ln.Deductible).Money("payable", ln.Payable).
			Money("other_insurance", ln.OtherInsurance).Money("double_insurance", ln.DoubleInsurance).
			Money("ceiling", ln.Ceiling).Money("paid", ln.Paid).Money("awaiting_approval", ln.Awaiting).
			Money("reserve", ln.Reserve).Bool("manual_reserve", ln.ManualReserve).Money("overpaid", ln.Overpaid)
		visitOutcomes(tw, "outcomes", &ln.Outcomes)
		w.End()
	}
	w.End()
	t := &c.Totals
	w.Obj("totals").Money("payable", t.Payable).Money("paid", t.Paid).Money("awaiting_approval", t.Awaiting).
		Money("reserve", t.Reserve).Money("overpaid", t.Overpaid).Money("recovery_claimed", t.RecoveryClaimed).
		Money("recovered", t.Recovered).Money("receivable", t.Receivable).Str("currency", "SEK").End()
	tw.list("payments", len(c.Payments), nil, func(i int, cc codec) { c.Payments[i].visit(cc) })
	tw.list("recoveries", len(c.Recoveries), nil, func(i int, cc codec) { c.Recoveries[i].visit(cc) })
	tw.list("valuations", len(c.Valuations), nil, func(i int, cc codec) { c.Valuations[i].visit(cc) })
	tw.list("other_insurance", len(c.OtherInsurance), nil, func(i int, cc codec) { c.OtherInsurance[i].visit(cc) })
	tw.list("receivables", len(c.Receivables), nil, func(i int, cc codec) { c.Receivables[i].visit(cc) })
	tw.list("decisions", len(c.Decisions), nil, func(i int, cc codec) { c.Decisions[i].visit(cc) })
	tw.list("complaints", len(c.Complaints), nil, func(i int, cc codec) { c.Complaints[i].visit(cc) })
	tw.list("flags", len(c.Flags), nil, func(i int, cc codec) { c.Flags[i].visit(cc) })
	visitOutcomes(tw, "outcomes", &c.Outcomes)
	if lim, err := c.Limitation(); err == nil {
		w.Obj("limitation").Date("ten_years", lim.TenYears).Bool("reported_in_time", lim.ReportedInTime).
			Date("final_decision", lim.FinalDecision).Date("six_months", lim.SixMonths).Date("last_day", lim.LastDay).
			Str("clause", lim.Outcome.Clause).Str("text", lim.Outcome.Text(lang)).End()
	} else {
		w.Null("limitation")
	}
	w.End()
	return w.B
}

// AppendClaimListJSON appends the answer of GET /v1/claims?policy=: one
// summary per claim.
func AppendClaimListJSON(b []byte, ss []Summary) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("").Arr("claims")
	for i := range ss {
		w.Obj("")
		ss[i].visit(writer{&w})
		w.End()
	}
	w.End().End()
	return w.B
}

func (s *Summary) visit(c codec) {
	c.str("id", &s.ID)
	c.str("policy_id", &s.PolicyID)
	c.str("vin", &s.VIN)
	c.str("registration", &s.Registration)
	c.date("occurred_at", &s.OccurredAt)
	c.date("reported_at", &s.ReportedAt)
	c.str("peril", &s.Peril)
	c.str("country", &s.Country)
	c.strs("covers", &s.Covers)
	c.str("status", (*string)(&s.Status))
	c.money("payable_total", &s.PayableTotal)
	c.money("paid_total", &s.PaidTotal)
}

// AppendSummaryJSON appends one claim's summary (a store can keep it in a
// column, for the overlap check of a new claim and for lists).
func AppendSummaryJSON(b []byte, s Summary) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("")
	s.visit(writer{&w})
	w.End()
	return w.B
}

// DecodeSummary reads a summary written by AppendSummaryJSON.
func DecodeSummary(data []byte) (Summary, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	var s Summary
	s.visit(newReader(o, data))
	o.Done()
	return s, errs.Err()
}

// RegisterRecord is what the claims register shared by the insurers (GSR,
// 5.5) holds of a claim: the insurer, the claim and the policy, who claims,
// the car, what happened where and when, the covers it touches, where it
// stands and what was paid.
type RegisterRecord struct {
	InsurerOrgNumber string
	ClaimID          string
	PolicyID         string
	ClaimantIDNumber string
	ClaimantName     string
	VIN              string
	Registration     string
	OccurredAt       roadcover.Date
	ReportedAt       roadcover.Date
	Peril            string
	Country          string
	Covers           []string
	Status           Status
	Paid             roadcover.Money
	Clause           string // 5.5
}

// RegisterRecord implements 5.5: the claim as the shared claims register
// records it.
func (c *Claim) RegisterRecord() (RegisterRecord, error) {
	prm, err := ParamsOn(c.Loss.OccurredAt)
	if err != nil {
		return RegisterRecord{}, err
	}
	s := c.Summary()
	return RegisterRecord{InsurerOrgNumber: prm.InsurerOrgNumber, ClaimID: c.ID, PolicyID: c.PolicyID,
		ClaimantIDNumber: c.HolderID, ClaimantName: c.HolderName, VIN: c.VIN, Registration: c.Registration,
		OccurredAt: c.Loss.OccurredAt, ReportedAt: c.Loss.ReportedAt, Peril: s.Peril, Country: s.Country,
		Covers: s.Covers, Status: c.Status, Paid: c.Totals.Paid, Clause: "5.5"}, nil
}

// RegisterHeader names the columns of RegisterRows.
var RegisterHeader = []string{"insurer_org_number", "claim_id", "policy_id", "claimant_id_number", "claimant_name",
	"vin", "registration", "occurred_at", "reported_at", "peril", "country", "covers", "status", "paid_sek"}

// RegisterRows turns register records into rows for a CSV file: the header
// first, covers joined by "|", amounts as "1500.00".
func RegisterRows(rs []RegisterRecord) [][]string {
	rows := make([][]string, 0, len(rs)+1)
	rows = append(rows, RegisterHeader)
	for _, r := range rs {
		covers := ""
		for i, c := range r.Covers {
			if i > 0 {
				covers += "|"
			}
			covers += c
		}
		rows = append(rows, []string{r.InsurerOrgNumber, r.ClaimID, r.PolicyID, r.ClaimantIDNumber, r.ClaimantName,
			r.VIN, r.Registration, r.OccurredAt.String(), r.ReportedAt.String(), r.Peril, r.Country, covers,
			string(r.Status), r.Paid.Amount()})
	}
	return rows
}

// AppendRegisterJSON appends register records as a JSON array of objects
// with the columns of RegisterHeader.
func AppendRegisterJSON(b []byte, rs []RegisterRecord) []byte {
	w := jsondoc.Writer{B: b}
	w.Arr("")
	for _, r := range rs {
		w.Obj("").Str("insurer_org_number", r.InsurerOrgNumber).Str("claim_id", r.ClaimID).Str("policy_id", r.PolicyID).
			Str("claimant_id_number", r.ClaimantIDNumber).Str("claimant_name", r.ClaimantName).Str("vin", r.VIN).
			Str("registration", r.Registration).Date("occurred_at", r.OccurredAt).Date("reported_at", r.ReportedAt).
			Str("peril", r.Peril).Str("country", r.Country).Strs("covers", r.Covers).Str("status", string(r.Status)).
			Money("paid_sek", r.Paid).Str("clause", r.Clause).End()
	}
	w.End()
	return w.B
}
