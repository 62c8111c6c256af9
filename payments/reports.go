package payments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"roadcover"
	"roadcover/iso20022"
	"roadcover/ledger"
	"roadcover/store"
)

// MaxReport is the largest status report ImportStatusReport reads.
const MaxReport = 1 << 20

// Report is what importing a bank status report did.
type Report struct {
	Report store.StatusReport
	Batch  ledger.Batch
	// Outcomes is the bank's word per payable as the report gives it,
	// pending ones included, in the order of the bank file.
	Outcomes []ledger.Outcome
	// Replayed is true when the same report was imported before: nothing
	// changed now.
	Replayed bool
}

// ImportStatusReport reads a pain.002.001.03 status report on a released
// batch and applies it: a payment the bank accepted or settled is
// confirmed paid, one it rejected is reversed and its payable is open
// again (to go into a later batch), pending ones change nothing. A report
// imported again (the same message id and bytes) changes nothing and
// gives the first answer; the same message id with other bytes is a
// conflict, as are outcomes that contradict what the bank said before.
// The report must be about this batch's file: its original message id and
// every payment it names are checked against the file kept at release.
// Documents with a DOCTYPE, in another namespace or over MaxReport bytes
// are refused (field "body").
func (s *Service) ImportStatusReport(ctx context.Context, tx store.Tx, a store.Actor, id ledger.BatchID, data []byte) (Report, error) {
	if err := checkXML(data); err != nil {
		return Report{}, err
	}
	rep, err := iso20022.DecodePain002(data)
	if err != nil {
		return Report{}, bodyError(err.Error())
	}
	if rep.MessageID == "" {
		return Report{}, bodyError("the status report has no message id (GrpHdr/MsgId)")
	}
	st, err := s.writable(ctx, tx)
	if err != nil {
		return Report{}, err
	}
	b, ok := st.l.Batch(id)
	if !ok {
		return Report{}, roadcover.Errorf(roadcover.CodeNotFound, "no batch "+string(id))
	}
	if b.Status != ledger.BatchReleased {
		return Report{}, roadcover.Errorf(roadcover.CodeConflict, fmt.Sprintf("batch %s is %s: only a released batch has payments to report on", id, b.Status))
	}
	f, err := tx.GetPaymentFile(ctx, string(id))
	if err != nil {
		return Report{}, fmt.Errorf("payments: the bank file of released batch %s: %w", id, err)
	}
	in, err := initiationOf(f.Data, b)
	if err != nil {
		return Report{}, err
	}
	outcomes, err := iso20022.Outcomes(rep, in)
	if err != nil {
		return Report{}, bodyError(err.Error())
	}
	sum := sha256.Sum256(data)
	prev, err := tx.GetStatusReport(ctx, string(id), rep.MessageID)
	switch {
	case err == nil && bytes.Equal(prev.SHA256, sum[:]):
		prev.Data = nil
		return Report{Report: prev, Batch: b, Outcomes: outcomes, Replayed: true}, nil
	case err == nil:
		return Report{}, roadcover.Errorf(roadcover.CodeConflict, fmt.Sprintf("a different status report %s was imported for batch %s before", rep.MessageID, id))
	case !errors.Is(err, store.ErrNotFound):
		return Report{}, err
	}
	now := s.now()
	es, err := st.l.ApplyOutcomes(id, outcomes, now, actorOf(a))
	if err != nil {
		return Report{}, err
	}
	r := store.StatusReport{Batch: string(id), MessageID: rep.MessageID, Data: data, SHA256: sum[:], Actor: a, ImportedAt: now}
	if len(es) > 0 {
		r.FirstSeq, r.LastSeq = es[0].Seq, es[len(es)-1].Seq
	}
	if err := s.commit(ctx, tx, st, es); err != nil {
		return Report{}, err
	}
	if err := tx.InsertStatusReport(ctx, r); err != nil {
		return Report{}, err
	}
	r.Data = nil
	b, _ = st.l.Batch(id)
	return Report{Report: r, Batch: b, Outcomes: outcomes}, nil
}

// StatusReports lists the reports imported for a batch, oldest first.
func (s *Service) StatusReports(ctx context.Context, tx store.Tx, id ledger.BatchID) ([]store.StatusReport, error) {
	return tx.ListStatusReports(ctx, string(id))
}

func bodyError(detail string) error {
	e := &roadcover.InputError{}
	e.Add("body", roadcover.CodeInvalidInput, detail)
	return e
}

// checkXML refuses what a status report never needs and a hostile one
// might carry: more than MaxReport bytes, a DOCTYPE or entity declaration
// (encoding/xml expands no external entities, but nothing here needs any),
// and documents that are not well formed.
func checkXML(data []byte) error {
	if len(data) == 0 {
		return bodyError("is empty: send the pain.002 document")
	}
	if len(data) > MaxReport {
		return bodyError(fmt.Sprintf("is over %d bytes", MaxReport))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bodyError("is not well-formed XML: " + err.Error())
		}
		if _, ok := tok.(xml.Directive); ok {
			return bodyError("holds a DOCTYPE or another declaration, which a status report does not need")
		}
	}
}

// fileDoc is what initiationOf reads of a kept pain.001 file.
type fileDoc struct {
	Blocks []struct {
		ID  string `xml:"PmtInfId"`
		Txs []struct {
			EndToEndID string `xml:"PmtId>EndToEndId"`
		} `xml:"CdtTrfTxInf"`
	} `xml:"CstmrCdtTrfInitn>PmtInf"`
}

// initiationOf lays out the bank file kept for batch b as iso20022.Outcomes
// needs it: the message id, each block's id and end-to-end ids, and the
// payable of each (found through iso20022.EndToEndID).
func initiationOf(data []byte, b ledger.Batch) (iso20022.Initiation, error) {
	var doc fileDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		return iso20022.Initiation{}, fmt.Errorf("payments: the bank file of batch %s: %w", b.ID, err)
	}
	byE2E := make(map[string]ledger.PayableID, len(b.Members))
	for _, p := range b.Members {
		byE2E[iso20022.EndToEndID(b.ID, p)] = p
	}
	in := iso20022.Initiation{MessageID: iso20022.MessageID(b.ID)}
	for _, blk := range doc.Blocks {
		ob := iso20022.Block{ID: blk.ID}
		for _, t := range blk.Txs {
			p, ok := byE2E[t.EndToEndID]
			if !ok {
				return iso20022.Initiation{}, fmt.Errorf("payments: the bank file of batch %s pays %s, which is no payable of the batch", b.ID, t.EndToEndID)
			}
			ob.Transfers = append(ob.Transfers, iso20022.Transfer{Payable: p, EndToEndID: t.EndToEndID})
		}
		in.Blocks = append(in.Blocks, ob)
	}
	return in, nil
}
