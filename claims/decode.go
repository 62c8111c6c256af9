package claims

import (
	"encoding/json"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
	"roadcover/policies"
)

// parse opens a request body; a body that is not one object is named alone.
func parse(data []byte) (*jsonin.Obj, *roadcover.InputError, bool) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	if o.Null {
		if len(errs.Errors) == 0 {
			errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		}
		return o, errs, false
	}
	return o, errs, true
}

func done(o *jsonin.Obj, errs *roadcover.InputError) error {
	o.Done()
	return errs.Err()
}

// Report is the first notice of a loss (POST /v1/claims).
type Report struct {
	PolicyID string
	VIN      string             // optional: must be the policy's car
	Language roadcover.Language // optional: the policyholder's language otherwise
	DeskCase *DeskCase          // the assistance desk case of the same car and day
	Loss     *Loss
}

// DeskCase is an assistance desk case as a claim sees it: its id, the
// car's VIN and the day it happened.
type DeskCase struct {
	ID  string
	VIN string
	Day roadcover.Date
}

// DecodeReport reads the body of POST /v1/claims:
// {"policy_id", "vin", "language", "desk_case": {"id", "vin", "day"},
// "loss": {"occurred_at", "reported_at", "vehicle", "driver", "incident",
// "costs"}}. The loss's driver, incident and costs are checked by the
// insurance engine when the claim is opened (Open names them as
// loss.incident.peril, …). On an input error the report as far as it was
// read comes back too (see Check).
func DecodeReport(data []byte) (*Report, error) { return decodeReport(data, "") }

// DecodeReportUnder reads a first notice made under a known policy (the
// policyholder's, behind a policy link): policy_id may be left out, and
// when given must be that policy's (checked where the link is).
func DecodeReportUnder(data []byte, policyID string) (*Report, error) {
	return decodeReport(data, policyID)
}

func decodeReport(data []byte, policyID string) (*Report, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &Report{}
	r.PolicyID, _ = jsondoc.Str(o, "policy_id", policyID == "")
	if r.PolicyID == "" && !o.Has("policy_id") {
		r.PolicyID = policyID
	}
	if s, ok := jsondoc.Str(o, "vin", false); ok {
		v, err := policies.ParseVIN(s)
		if err != nil {
			jsondoc.Bad(o, "vin", err.Error())
		}
		r.VIN = v
	}
	if s, ok := o.String("language"); ok {
		if l, ok := roadcover.ParseLanguage(s); ok {
			r.Language = l
		} else {
			jsondoc.Bad(o, "language", fmt.Sprintf("unknown language %q; expected one of en, de, pt, da, sv", s))
		}
	}
	if o.Has("desk_case") {
		r.DeskCase = decodeDeskCase(o.Object("desk_case"))
	} else {
		o.Skip("desk_case")
	}
	if jsondoc.Required(o, "loss") {
		lo := o.Object("loss")
		if !lo.Null {
			r.Loss = decodeLoss(lo, jsondoc.Fields(data)["loss"])
		}
	}
	if err := done(o, errs); err != nil {
		// What was read comes back with the error, so that Check can name
		// the fields of the loss that only the engine checks.
		return r, err
	}
	return r, nil
}

func decodeDeskCase(o *jsonin.Obj) *DeskCase {
	d := &DeskCase{}
	d.ID, _ = jsondoc.Str(o, "id", true)
	if s, ok := jsondoc.Str(o, "vin", true); ok {
		v, err := policies.ParseVIN(s)
		if err != nil {
			jsondoc.Bad(o, "vin", err.Error())
		}
		d.VIN = v
	}
	d.Day, _ = jsondoc.Date(o, "day", true)
	o.Done()
	return d
}

// DecodeDeskLink reads {"desk_case": {"id", "vin", "day"}} (POST
// /v1/claims/{id}/desk-case).
func DecodeDeskLink(data []byte) (*DeskCase, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	var d *DeskCase
	if jsondoc.Required(o, "desk_case") {
		d = decodeDeskCase(o.Object("desk_case"))
	}
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return d, nil
}

// FactsChange is a change of a claim's loss facts: a JSON merge patch
// (RFC 7396) on the loss document, with its reason.
type FactsChange struct {
	Reason string
	Patch  json.RawMessage
}

// DecodeFactsChange reads {"reason", "patch": {…}} (PATCH /v1/claims/{id}).
func DecodeFactsChange(data []byte) (*FactsChange, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	f := &FactsChange{}
	f.Reason, _ = jsondoc.Str(o, "reason", true)
	if jsondoc.Required(o, "patch") {
		if p := o.Object("patch"); !p.Null {
			p.Skip(allNames(jsondoc.Fields(data)["patch"])...)
			f.Patch = jsondoc.Compact(jsondoc.Fields(data)["patch"])
		}
	}
	if err := done(o, errs); err != nil {
		// The change as far as it was read comes back with the error, so
		// that the patch's own bad fields can be named too.
		return f, err
	}
	return f, nil
}

func allNames(raw []byte) []string {
	var out []string
	for k := range jsondoc.Fields(raw) {
		out = append(out, k)
	}
	return out
}

// ReserveRequest sets the reserve of a pending line by hand, or returns it
// to the automatic reserve.
type ReserveRequest struct {
	Line      string
	Amount    roadcover.Money
	Automatic bool
	Reason    string
}

// DecodeReserve reads {"line", "amount" | "automatic": true, "reason"}.
func DecodeReserve(data []byte) (*ReserveRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &ReserveRequest{}
	r.Line, _ = jsondoc.Str(o, "line", true)
	r.Automatic, _ = o.Bool("automatic")
	r.Amount, _ = jsondoc.SEK(o, "amount", !r.Automatic)
	if r.Automatic && o.Has("amount") {
		jsondoc.Bad(o, "amount", "give an amount or automatic, not both")
	}
	r.Reason, _ = jsondoc.Str(o, "reason", true)
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// PaymentRequest is a payment order as requested.
type PaymentRequest struct {
	Line      string
	Kind      PaymentKind
	Payee     Payee
	Amount    roadcover.Money
	Reference string
}

// DecodePaymentRequest reads {"line", "kind": "indemnity"|"advance"|
// "valuation_fee", "payee": {"name", "bankgiro" | "clearing" and
// "account" | "iban" (and "bic")}, "amount", "reference"}.
func DecodePaymentRequest(data []byte) (*PaymentRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &PaymentRequest{Kind: Indemnity}
	if s, ok := o.Enum("kind", string(Indemnity), string(Advance), string(ValuerFee)); ok {
		r.Kind = PaymentKind(s)
	}
	r.Line, _ = jsondoc.Str(o, "line", r.Kind != ValuerFee)
	if r.Kind == ValuerFee && r.Line == "" {
		r.Line = "valuation"
	}
	if jsondoc.Required(o, "payee") {
		r.Payee = decodePayee(o.Object("payee"))
	}
	r.Amount, _ = jsondoc.PositiveSEK(o, "amount", true)
	r.Reference, _ = o.String("reference")
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

func decodePayee(o *jsonin.Obj) Payee {
	var p Payee
	p.Name, _ = jsondoc.Str(o, "name", true)
	forms := 0
	if s, ok := jsondoc.Str(o, "bankgiro", false); ok {
		forms++
		bg, err := ParseBankgiro(s)
		if err != nil {
			jsondoc.Bad(o, "bankgiro", err.Error())
		}
		p.Kind, p.Bankgiro = Bankgiro, bg
	}
	if o.Has("clearing") || o.Has("account") {
		forms++
		c, _ := jsondoc.Str(o, "clearing", true)
		a, _ := jsondoc.Str(o, "account", true)
		if c != "" && a != "" {
			cc, aa, err := ParseSwedishAccount(c, a)
			if err != nil {
				field := "account"
				if strings.Contains(err.Error(), "clearing") {
					field = "clearing"
				}
				jsondoc.Bad(o, field, err.Error())
			}
			p.Kind, p.Clearing, p.Account = SwedishAccount, cc, aa
		}
	} else {
		o.Skip("clearing", "account")
	}
	if s, ok := jsondoc.Str(o, "iban", false); ok {
		forms++
		v, err := ParseIBAN(s)
		if err != nil {
			jsondoc.Bad(o, "iban", err.Error())
		}
		p.Kind, p.IBAN = IBAN, v
	}
	if s, ok := jsondoc.Str(o, "bic", false); ok {
		b := strings.ToUpper(s)
		if (len(b) != 8 && len(b) != 11) || strings.Trim(b[:6], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			jsondoc.Bad(o, "bic", fmt.Sprintf("%q is not a BIC", s))
		}
		if p.Kind != IBAN && p.IBAN == "" {
			jsondoc.Bad(o, "bic", "a BIC goes with an IBAN")
		}
		p.BIC = b
	}
	switch {
	case forms == 0:
		jsondoc.Bad(o, "bankgiro", "the payee needs a bankgiro number, a Swedish account (clearing and account) or an IBAN")
	case forms > 1:
		jsondoc.Bad(o, "bankgiro", "give one of bankgiro, clearing and account, or iban")
	}
	o.Skip("kind") // derived
	o.Done()
	return p
}

// DecodePaymentID reads {"payment_id"} (approval) or {"payment_id",
// "reason"} (cancellation; reason required when wantReason).
func DecodePaymentID(data []byte, wantReason bool) (id, reason string, err error) {
	o, errs, ok := parse(data)
	if !ok {
		return "", "", errs.Err()
	}
	id, _ = jsondoc.Str(o, "payment_id", true)
	if wantReason {
		reason, _ = jsondoc.Str(o, "reason", true)
	}
	return id, reason, done(o, errs)
}

// RecoveryRequest is a recovery as requested (5.3).
type RecoveryRequest struct {
	Kind      RecoveryKind
	From      string
	Line      string
	Amount    roadcover.Money
	PaymentID string
}

// DecodeRecoveryRequest reads {"kind": "third_party", "from", "line",
// "amount"} or {"kind": "traffic_vat", "payment_id", "from"}.
func DecodeRecoveryRequest(data []byte) (*RecoveryRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &RecoveryRequest{}
	if jsondoc.Required(o, "kind") {
		s, _ := o.Enum("kind", string(ThirdParty), string(TrafficVAT))
		r.Kind = RecoveryKind(s)
	}
	switch r.Kind {
	case ThirdParty:
		r.From, _ = jsondoc.Str(o, "from", true)
		r.Line, _ = jsondoc.Str(o, "line", true)
		r.Amount, _ = jsondoc.PositiveSEK(o, "amount", true)
	case TrafficVAT:
		r.From, _ = jsondoc.Str(o, "from", false)
		r.PaymentID, _ = jsondoc.Str(o, "payment_id", true)
		if o.Has("amount") {
			o.Skip("amount")
			jsondoc.Bad(o, "amount", "the VAT is computed from the payment")
		}
	default:
		// The kind is missing or unknown: what is given is still checked
		// for its form, so that every bad field is named at once.
		jsondoc.Str(o, "from", false)
		jsondoc.Str(o, "line", false)
		jsondoc.PositiveSEK(o, "amount", false)
		jsondoc.Str(o, "payment_id", false)
	}
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// RecoveryReceipt is money received on a recovery.
type RecoveryReceipt struct {
	RecoveryID string
	Amount     roadcover.Money
}

// DecodeRecoveryReceipt reads {"recovery_id", "amount"}.
func DecodeRecoveryReceipt(data []byte) (*RecoveryReceipt, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &RecoveryReceipt{}
	r.RecoveryID, _ = jsondoc.Str(o, "recovery_id", true)
	r.Amount, _ = jsondoc.PositiveSEK(o, "amount", true)
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// ValuableFacts are the loss facts a valuer can be asked about (4.10).
var ValuableFacts = []string{"costs.market_value_sek", "costs.repair_sek", "costs.new_car_price_sek",
	"costs.value_after_damage_sek", "costs.wheels.tyres_sek", "costs.wheels.rims_sek"}

// ValuationRequest is the policyholder's request for a valuer (4.10).
type ValuationRequest struct {
	Fact   string
	Reason string
}

// DecodeValuationRequest reads {"fact", "reason"}.
func DecodeValuationRequest(data []byte) (*ValuationRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &ValuationRequest{}
	if jsondoc.Required(o, "fact") {
		r.Fact, _ = o.Enum("fact", ValuableFacts...)
	}
	r.Reason, _ = o.String("reason")
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// ValuationResult is the valuer's statement.
type ValuationResult struct {
	ValuationID string
	ValuerValue roadcover.Money
	Fee         roadcover.Money
}

// DecodeValuationResult reads {"valuation_id", "valuer_value", "fee"}.
func DecodeValuationResult(data []byte) (*ValuationResult, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &ValuationResult{}
	r.ValuationID, _ = jsondoc.Str(o, "valuation_id", true)
	r.ValuerValue, _ = jsondoc.SEK(o, "valuer_value", true)
	r.Fee, _ = jsondoc.SEK(o, "fee", true)
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// OtherInsuranceRequest is another insurer's payment for the loss (4.11).
type OtherInsuranceRequest struct {
	Insurer string
	Line    string
	Paid    roadcover.Money
}

// DecodeOtherInsurance reads {"insurer", "line", "paid"}.
func DecodeOtherInsurance(data []byte) (*OtherInsuranceRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &OtherInsuranceRequest{}
	r.Insurer, _ = jsondoc.Str(o, "insurer", true)
	r.Line, _ = jsondoc.Str(o, "line", true)
	r.Paid, _ = jsondoc.SEK(o, "paid", true)
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// ComplaintRequest is a complaint as received (5.9).
type ComplaintRequest struct {
	Forum      Forum
	ReceivedOn roadcover.Date
	Text       string
}

// DecodeComplaint reads {"forum", "received_on", "text"}.
func DecodeComplaint(data []byte) (*ComplaintRequest, error) {
	o, errs, ok := parse(data)
	if !ok {
		return nil, errs.Err()
	}
	r := &ComplaintRequest{}
	if jsondoc.Required(o, "forum") {
		s, _ := o.Enum("forum", string(Review), string(CustomerOmbudsman), string(ARN), string(Court), string(TSN), string(PFN))
		r.Forum = Forum(s)
	}
	r.ReceivedOn, _ = jsondoc.Date(o, "received_on", true)
	r.Text, _ = o.String("text")
	if err := done(o, errs); err != nil {
		return nil, err
	}
	return r, nil
}

// DecodeReason reads {"reason"} (close, reopen, decide with a note when
// optional).
func DecodeReason(data []byte, required bool) (string, error) {
	o, errs, ok := parse(data)
	if !ok {
		return "", errs.Err()
	}
	s, _ := jsondoc.Str(o, "reason", required)
	return s, done(o, errs)
}

// DecodeFlagClearance reads {"flag", "reason"}.
func DecodeFlagClearance(data []byte) (code, reason string, err error) {
	o, errs, ok := parse(data)
	if !ok {
		return "", "", errs.Err()
	}
	code, _ = jsondoc.Str(o, "flag", true)
	reason, _ = jsondoc.Str(o, "reason", true)
	return code, reason, done(o, errs)
}
