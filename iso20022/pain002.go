package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"roadcover/ledger"
)

// Pain002Namespace is the XML namespace of pain.002.001.03.
const Pain002Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"

// StatusCode is an ISO 20022 payment status code.
type StatusCode string

// The status codes of pain.002.001.03 (group, payment information and
// transaction status).
const (
	StatusAcceptedCustomerProfile     StatusCode = "ACCP"
	StatusAcceptedSettlementCompleted StatusCode = "ACSC"
	StatusAcceptedSettlementInProcess StatusCode = "ACSP"
	StatusAcceptedTechnicalValidation StatusCode = "ACTC"
	StatusAcceptedWithChange          StatusCode = "ACWC"
	StatusPartiallyAccepted           StatusCode = "PART"
	StatusPending                     StatusCode = "PDNG"
	StatusReceived                    StatusCode = "RCVD"
	StatusRejected                    StatusCode = "RJCT"
)

// Result is what a status code means for a payment: accepted and settled or
// on its way to settlement count as paid; received, technically valid and
// pending are not yet a final word; RJCT is a rejection. PART says nothing
// about any one payment.
func (c StatusCode) Result() (ledger.Result, bool) {
	switch c {
	case StatusAcceptedCustomerProfile, StatusAcceptedSettlementCompleted, StatusAcceptedSettlementInProcess, StatusAcceptedWithChange:
		return ledger.ResultPaid, true
	case StatusAcceptedTechnicalValidation, StatusPending, StatusReceived:
		return ledger.ResultPending, true
	case StatusRejected:
		return ledger.ResultRejected, true
	}
	return "", false
}

// StatusReason is why a status was given: a code of the external status
// reason list (AC01, AC04, AM04, …) or a proprietary one, and any text.
type StatusReason struct {
	Code        string
	Proprietary bool
	Text        string
}

// StatusReport is a decoded pain.002.001.03 customer payment status report.
type StatusReport struct {
	MessageID           string
	CreatedAt           time.Time
	OriginalMessageID   string
	OriginalMessageName string
	GroupStatus         StatusCode // may be empty
	GroupReasons        []StatusReason
	Blocks              []BlockStatus
}

// BlockStatus is the status of one original payment information block.
type BlockStatus struct {
	OriginalID   string
	Status       StatusCode // may be empty
	Reasons      []StatusReason
	Transactions []TransactionStatus
}

// TransactionStatus is the status of one original transaction.
type TransactionStatus struct {
	OriginalEndToEndID string
	OriginalInstrID    string
	Status             StatusCode // may be empty
	Reasons            []StatusReason
}

type (
	p2Document struct {
		XMLName xml.Name `xml:"Document"`
		Report  *struct {
			GrpHdr struct {
				MsgId   string `xml:"MsgId"`
				CreDtTm string `xml:"CreDtTm"`
			} `xml:"GrpHdr"`
			Group struct {
				OrgnlMsgId   string     `xml:"OrgnlMsgId"`
				OrgnlMsgNmId string     `xml:"OrgnlMsgNmId"`
				GrpSts       string     `xml:"GrpSts"`
				StsRsnInf    []p2Reason `xml:"StsRsnInf"`
			} `xml:"OrgnlGrpInfAndSts"`
			Blocks []struct {
				OrgnlPmtInfId string     `xml:"OrgnlPmtInfId"`
				PmtInfSts     string     `xml:"PmtInfSts"`
				StsRsnInf     []p2Reason `xml:"StsRsnInf"`
				Tx            []struct {
					OrgnlInstrId    string     `xml:"OrgnlInstrId"`
					OrgnlEndToEndId string     `xml:"OrgnlEndToEndId"`
					TxSts           string     `xml:"TxSts"`
					StsRsnInf       []p2Reason `xml:"StsRsnInf"`
				} `xml:"TxInfAndSts"`
			} `xml:"OrgnlPmtInfAndSts"`
		} `xml:"CstmrPmtStsRpt"`
	}
	p2Reason struct {
		Rsn struct {
			Cd    string `xml:"Cd"`
			Prtry string `xml:"Prtry"`
		} `xml:"Rsn"`
		AddtlInf []string `xml:"AddtlInf"`
	}
)

// DecodePain002 reads a pain.002.001.03 customer payment status report.
// Another message or version, an unknown status code and a missing original
// message id are errors.
func DecodePain002(data []byte) (StatusReport, error) {
	var doc p2Document
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return StatusReport{}, fmt.Errorf("iso20022: not a status report: %w", err)
	}
	if doc.XMLName.Space != Pain002Namespace {
		return StatusReport{}, fmt.Errorf("iso20022: a status report is in namespace %s, not %q", Pain002Namespace, doc.XMLName.Space)
	}
	if doc.Report == nil {
		return StatusReport{}, fmt.Errorf("iso20022: the document holds no CstmrPmtStsRpt")
	}
	d := doc.Report
	r := StatusReport{
		MessageID:           strings.TrimSpace(d.GrpHdr.MsgId),
		OriginalMessageID:   strings.TrimSpace(d.Group.OrgnlMsgId),
		OriginalMessageName: strings.TrimSpace(d.Group.OrgnlMsgNmId),
		GroupReasons:        reasons(d.Group.StsRsnInf),
	}
	if r.OriginalMessageID == "" {
		return StatusReport{}, fmt.Errorf("iso20022: status report %s names no original message", r.MessageID)
	}
	if t, err := parseDateTime(d.GrpHdr.CreDtTm); err == nil {
		r.CreatedAt = t
	} else {
		return StatusReport{}, fmt.Errorf("iso20022: status report %s: creation time %q: %w", r.MessageID, d.GrpHdr.CreDtTm, err)
	}
	var err error
	if r.GroupStatus, err = statusCode(d.Group.GrpSts, "group"); err != nil {
		return StatusReport{}, err
	}
	for _, b := range d.Blocks {
		bs := BlockStatus{OriginalID: strings.TrimSpace(b.OrgnlPmtInfId), Reasons: reasons(b.StsRsnInf)}
		if bs.Status, err = statusCode(b.PmtInfSts, "payment information "+bs.OriginalID); err != nil {
			return StatusReport{}, err
		}
		for _, t := range b.Tx {
			ts := TransactionStatus{OriginalEndToEndID: strings.TrimSpace(t.OrgnlEndToEndId), OriginalInstrID: strings.TrimSpace(t.OrgnlInstrId), Reasons: reasons(t.StsRsnInf)}
			if ts.Status, err = statusCode(t.TxSts, "transaction "+ts.OriginalEndToEndID); err != nil {
				return StatusReport{}, err
			}
			if ts.Status == StatusPartiallyAccepted {
				return StatusReport{}, fmt.Errorf("iso20022: transaction %s: PART is not a transaction status", ts.OriginalEndToEndID)
			}
			bs.Transactions = append(bs.Transactions, ts)
		}
		r.Blocks = append(r.Blocks, bs)
	}
	return r, nil
}

func statusCode(s, where string) (StatusCode, error) {
	c := StatusCode(strings.TrimSpace(s))
	if c == "" || c == StatusPartiallyAccepted {
		return c, nil
	}
	if _, ok := c.Result(); !ok {
		return "", fmt.Errorf("iso20022: %s: unknown status %q", where, s)
	}
	return c, nil
}

func reasons(in []p2Reason) []StatusReason {
	var out []StatusReason
	for _, r := range in {
		sr := StatusReason{Code: strings.TrimSpace(r.Rsn.Cd), Text: strings.TrimSpace(strings.Join(r.AddtlInf, " "))}
		if sr.Code == "" && r.Rsn.Prtry != "" {
			sr.Code, sr.Proprietary = strings.TrimSpace(r.Rsn.Prtry), true
		}
		out = append(out, sr)
	}
	return out
}

// parseDateTime reads an ISO 8601 date and time with or without a zone
// (a time without a zone is read as UTC).
func parseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO date and time")
}

// Outcomes turns a status report on a message into the ledger's outcomes
// for its payables. A transaction's own status decides; a transaction the
// report does not list takes its block's status, else the group's (PART at
// either level, or no status, leaves it pending). A rejection carries the
// first reason code found on the transaction, its block or the group
// ("NARR" when there is none). A report on another message, or naming a
// block or an end-to-end id the message does not hold, is an error.
func Outcomes(rep StatusReport, in Initiation) ([]ledger.Outcome, error) {
	if rep.OriginalMessageID != in.MessageID {
		return nil, fmt.Errorf("iso20022: status report %s is about message %s, not %s", rep.MessageID, rep.OriginalMessageID, in.MessageID)
	}
	if rep.OriginalMessageName != "" && !strings.EqualFold(rep.OriginalMessageName, "pain.001.001.03") {
		return nil, fmt.Errorf("iso20022: status report %s is about a %s message, not pain.001.001.03", rep.MessageID, rep.OriginalMessageName)
	}
	type where struct {
		block int
		tx    int
	}
	byE2E := map[string]where{}
	byBlock := map[string]int{}
	for i, b := range in.Blocks {
		byBlock[b.ID] = i
		for j, t := range b.Transfers {
			byE2E[t.EndToEndID] = where{i, j}
		}
	}
	blockStatus := make([]*BlockStatus, len(in.Blocks))
	listed := map[string][]TransactionStatus{}
	for i := range rep.Blocks {
		b := &rep.Blocks[i]
		bi, ok := byBlock[b.OriginalID]
		if !ok && b.OriginalID != "" {
			return nil, fmt.Errorf("iso20022: status report %s names payment information %s, which message %s does not hold", rep.MessageID, b.OriginalID, in.MessageID)
		}
		if ok {
			blockStatus[bi] = b
		}
		for _, t := range b.Transactions {
			w, ok := byE2E[t.OriginalEndToEndID]
			if !ok {
				return nil, fmt.Errorf("iso20022: status report %s names end-to-end id %q, which message %s does not hold", rep.MessageID, t.OriginalEndToEndID, in.MessageID)
			}
			if b.OriginalID != "" && w.block != bi {
				return nil, fmt.Errorf("iso20022: status report %s places end-to-end id %s in payment information %s", rep.MessageID, t.OriginalEndToEndID, b.OriginalID)
			}
			listed[t.OriginalEndToEndID] = append(listed[t.OriginalEndToEndID], t)
		}
	}
	var out []ledger.Outcome
	for i, b := range in.Blocks {
		for _, t := range b.Transfers {
			var bs StatusCode
			var breasons []StatusReason
			if blockStatus[i] != nil {
				bs, breasons = blockStatus[i].Status, blockStatus[i].Reasons
			}
			if txs, ok := listed[t.EndToEndID]; ok {
				for _, ts := range txs {
					code := ts.Status
					if code == "" {
						code = inherited(bs, rep.GroupStatus)
					}
					out = append(out, outcome(t.Payable, code, ts.Reasons, breasons, rep.GroupReasons))
				}
				continue
			}
			out = append(out, outcome(t.Payable, inherited(bs, rep.GroupStatus), nil, breasons, rep.GroupReasons))
		}
	}
	return out, nil
}

// inherited is the status an unlisted transaction takes from its block or,
// failing that, from the group.
func inherited(block, group StatusCode) StatusCode {
	switch {
	case block != "" && block != StatusPartiallyAccepted:
		return block
	case block == "" && group != StatusPartiallyAccepted:
		return group
	}
	return ""
}

func outcome(p ledger.PayableID, code StatusCode, levels ...[]StatusReason) ledger.Outcome {
	res, ok := code.Result()
	if !ok {
		return ledger.Outcome{Payable: p, Result: ledger.ResultPending}
	}
	if res != ledger.ResultRejected {
		return ledger.Outcome{Payable: p, Result: res, Code: string(code)}
	}
	for _, rs := range levels {
		for _, r := range rs {
			if r.Code != "" {
				return ledger.Outcome{Payable: p, Result: res, Code: r.Code}
			}
		}
	}
	return ledger.Outcome{Payable: p, Result: res, Code: "NARR"}
}
