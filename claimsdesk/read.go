package claimsdesk

import (
	"bytes"
	"strings"

	"roadcover"
	"roadcover/claims"
	"roadcover/jsonin"
)

// Acts are the acts a request can ask for on a claim, by the last segment
// of its path (POST /v1/claims/{id}/payments …).
var Acts = []string{"reserves", "payments", "approvals", "recoveries", "valuations", "other-insurance", "decisions",
	"complaints", "close", "reopen", "flags"}

// ReadAct decodes the body of the act named (one of Acts) into the act to
// run; every bad field is named in one *roadcover.InputError.
//
//	reserves         {"line", "amount" | "automatic": true, "reason"}
//	payments         {"line", "kind", "payee": {…}, "amount", "reference"}
//	approvals        {"payment_id", "decision": "approve" (default) | "cancel", "reason" (for cancel)}
//	recoveries       {"kind": "third_party", "from", "line", "amount"} or {"kind": "traffic_vat", "payment_id"};
//	                 money received on one: {"recovery_id", "amount"}
//	valuations       a request {"fact", "reason"}; the valuer's statement {"valuation_id", "valuer_value", "fee"}
//	other-insurance  {"insurer", "line", "paid"}
//	decisions        {"note"}
//	complaints       {"forum", "received_on", "text"}
//	close, reopen    {"reason"}
//	flags            {"flag", "reason"}: a person clears a flag
func ReadAct(name string, body []byte) (Act, error) {
	switch name {
	case "reserves":
		r, err := claims.DecodeReserve(body)
		return fold(SetReserve, r, err)
	case "payments":
		r, err := claims.DecodePaymentRequest(body)
		return fold(OrderPayment, r, err)
	case "approvals":
		return readApproval(body)
	case "recoveries":
		if has(body, "recovery_id") {
			r, err := claims.DecodeRecoveryReceipt(body)
			return fold(ReceiveRecovery, r, err)
		}
		r, err := claims.DecodeRecoveryRequest(body)
		return fold(ClaimRecovery, r, err)
	case "valuations":
		if has(body, "valuation_id") {
			r, err := claims.DecodeValuationResult(body)
			return fold(RecordValuation, r, err)
		}
		r, err := claims.DecodeValuationRequest(body)
		return fold(RequestValuation, r, err)
	case "other-insurance":
		r, err := claims.DecodeOtherInsurance(body)
		return fold(RecordOtherInsurance, r, err)
	case "decisions":
		return readDecision(body)
	case "complaints":
		r, err := claims.DecodeComplaint(body)
		return fold(ReceiveComplaint, r, err)
	case "close", "reopen":
		reason, err := claims.DecodeReason(body, true)
		if err == nil && strings.TrimSpace(reason) == "" {
			err = invalid("reason", "is required: why the claim is "+map[string]string{"close": "closed", "reopen": "reopened"}[name])
		}
		if err != nil {
			return nil, err
		}
		if name == "close" {
			return Close(reason), nil
		}
		return Reopen(reason), nil
	case "flags":
		code, reason, err := claims.DecodeFlagClearance(body)
		if err != nil {
			return nil, err
		}
		return ClearFlag(code, reason), nil
	}
	return nil, notFound("no act " + name + " on a claim")
}

func fold[T any](mk func(T) Act, r T, err error) (Act, error) {
	if err != nil {
		return nil, err
	}
	return mk(r), nil
}

// has reports whether a JSON object names a field at its top level.
func has(body []byte, field string) bool {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	return !o.Null && o.Has(field)
}

func parse(body []byte) (*jsonin.Obj, *roadcover.InputError, error) {
	errs := &roadcover.InputError{}
	if len(bytes.TrimSpace(body)) == 0 {
		errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		return nil, errs, errs
	}
	o := jsonin.Parse(body, errs)
	if o.Null {
		if len(errs.Errors) == 0 {
			errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		}
		return nil, errs, errs.Err()
	}
	return o, errs, nil
}

// readApproval decodes a second handler's approval of a payment order, or
// its cancellation with a reason.
func readApproval(body []byte) (Act, error) {
	o, errs, err := parse(body)
	if err != nil {
		return nil, err
	}
	id, ok := o.String("payment_id")
	if !ok && !errs.Has("payment_id") || ok && strings.TrimSpace(id) == "" {
		errs.Add("payment_id", roadcover.CodeInvalidInput, "is required: the payment order to approve or cancel")
	}
	decision := "approve"
	if s, ok := o.Enum("decision", "approve", "cancel"); ok {
		decision = s
	}
	reason, _ := o.String("reason")
	if decision == "cancel" && strings.TrimSpace(reason) == "" && !errs.Has("reason") {
		errs.Add("reason", roadcover.CodeInvalidInput, "is required to cancel an order")
	}
	o.Done()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if decision == "cancel" {
		return CancelPayment(id, reason), nil
	}
	return ApprovePayment(id), nil
}

// readDecision decodes the insurer's decision on the compensation.
func readDecision(body []byte) (Act, error) {
	o, errs, err := parse(body)
	if err != nil {
		return nil, err
	}
	note, _ := o.String("note")
	if len(note) > 2000 {
		errs.Add("note", roadcover.CodeInvalidInput, "at most 2000 characters")
	}
	o.Done()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return Decide(note), nil
}

// ReadLinkHours decodes {"expires_in_hours": n}; an empty body asks for the
// default.
func ReadLinkHours(body []byte) (int64, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return DefaultLinkHours, nil
	}
	o, errs, err := parse(body)
	if err != nil {
		return 0, err
	}
	hours := int64(DefaultLinkHours)
	if h, ok := o.Int("expires_in_hours"); ok {
		if h < 1 || h > MaxLinkHours {
			errs.Add("expires_in_hours", roadcover.CodeInvalidInput, "must be from 1 to 2160")
		}
		hours = h
	}
	o.Done()
	return hours, errs.Err()
}
