package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"unicode/utf8"

	"roadcover"
)

// Summary is what Check read from a pain.001 message.
type Summary struct {
	MessageID string
	Count     int
	Total     roadcover.Money
	Blocks    []BlockSummary
}

// BlockSummary is one payment information block of a checked message.
type BlockSummary struct {
	ID    string
	Count int
	Total roadcover.Money
}

// Check reads a pain.001.001.03 message and checks what its schema does not:
// every amount and control sum has exactly two decimals; the number of
// transactions and the control sum of the group header and of every block
// match the transactions (added with checked arithmetic); message, block and
// end-to-end ids are 1 to 35 characters and unique; all amounts share one
// currency. Use it on any file before it goes to the bank.
func Check(data []byte) (Summary, error) {
	var doc p1Document
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return Summary{}, fmt.Errorf("iso20022: not a pain.001.001.03 document: %w", err)
	}
	if err := checkDocument(&doc); err != nil {
		return Summary{}, err
	}
	return summarize(&doc), nil
}

// amountMinor reads an amount written with exactly two decimals.
func amountMinor(s string) (int64, bool) {
	if len(s) < 4 || s[len(s)-3] != '.' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if i != len(s)-3 && (s[i] < '0' || s[i] > '9') {
			return 0, false
		}
	}
	v, err := roadcover.ParseMinor(s)
	return v, err == nil
}

func checkID(what, id string) error {
	if id == "" || utf8.RuneCountInString(id) > maxID {
		return fmt.Errorf("iso20022: %s %q is not 1 to 35 characters", what, id)
	}
	return nil
}

// checkDocument is Check on a parsed or built document.
func checkDocument(doc *p1Document) error {
	g := &doc.Initn.GrpHdr
	if err := checkID("message id", g.MsgId); err != nil {
		return err
	}
	if len(doc.Initn.PmtInf) == 0 {
		return fmt.Errorf("iso20022: message %s has no payment information", g.MsgId)
	}
	blockIDs := map[string]bool{}
	e2e := map[string]bool{}
	currency := ""
	var count int
	var total int64
	for i := range doc.Initn.PmtInf {
		b := &doc.Initn.PmtInf[i]
		if err := checkID("payment information id", b.PmtInfId); err != nil {
			return err
		}
		if blockIDs[b.PmtInfId] {
			return fmt.Errorf("iso20022: payment information id %s is used twice", b.PmtInfId)
		}
		blockIDs[b.PmtInfId] = true
		if len(b.CdtTrfTxInf) == 0 {
			return fmt.Errorf("iso20022: block %s has no transactions", b.PmtInfId)
		}
		var sum int64
		for j := range b.CdtTrfTxInf {
			t := &b.CdtTrfTxInf[j]
			id := t.PmtId.EndToEndId
			if err := checkID("end-to-end id", id); err != nil {
				return err
			}
			if e2e[id] {
				return fmt.Errorf("iso20022: end-to-end id %s is used twice", id)
			}
			e2e[id] = true
			amt := t.Amt.InstdAmt
			v, ok := amountMinor(amt.Value)
			if !ok || v <= 0 {
				return fmt.Errorf("iso20022: transaction %s: amount %q is not more than zero with exactly two decimals", id, amt.Value)
			}
			if currency == "" {
				currency = amt.Ccy
			}
			if len(amt.Ccy) != 3 || amt.Ccy != currency {
				return fmt.Errorf("iso20022: transaction %s: currency %q differs from the message's %s", id, amt.Ccy, currency)
			}
			if sum, ok = roadcover.AddMinor(sum, v); !ok {
				return fmt.Errorf("iso20022: block %s: the control sum overflows", b.PmtInfId)
			}
		}
		if err := checkCount("block "+b.PmtInfId, b.NbOfTxs, len(b.CdtTrfTxInf)); err != nil {
			return err
		}
		if err := checkSum("block "+b.PmtInfId, b.CtrlSum, sum); err != nil {
			return err
		}
		count += len(b.CdtTrfTxInf)
		var ok bool
		if total, ok = roadcover.AddMinor(total, sum); !ok {
			return fmt.Errorf("iso20022: message %s: the control sum overflows", g.MsgId)
		}
	}
	if err := checkCount("message "+g.MsgId, g.NbOfTxs, count); err != nil {
		return err
	}
	return checkSum("message "+g.MsgId, g.CtrlSum, total)
}

func checkCount(where, text string, want int) error {
	n, err := strconv.Atoi(text)
	if err != nil || n != want || text != strconv.Itoa(n) {
		return fmt.Errorf("iso20022: %s: number of transactions %q; it holds %d", where, text, want)
	}
	return nil
}

func checkSum(where, text string, want int64) error {
	v, ok := amountMinor(text)
	if !ok {
		return fmt.Errorf("iso20022: %s: control sum %q is missing or has not exactly two decimals", where, text)
	}
	if v != want {
		return fmt.Errorf("iso20022: %s: control sum %s; its transactions sum to %s", where, text, roadcover.FormatMinor(want))
	}
	return nil
}

func summarize(doc *p1Document) Summary {
	s := Summary{MessageID: doc.Initn.GrpHdr.MsgId}
	for _, b := range doc.Initn.PmtInf {
		bs := BlockSummary{ID: b.PmtInfId, Count: len(b.CdtTrfTxInf)}
		for _, t := range b.CdtTrfTxInf {
			v, _ := amountMinor(t.Amt.InstdAmt.Value)
			bs.Total = roadcover.Money{Minor: bs.Total.Minor + v, Currency: t.Amt.InstdAmt.Ccy}
		}
		s.Count += bs.Count
		s.Total = roadcover.Money{Minor: s.Total.Minor + bs.Total.Minor, Currency: bs.Total.Currency}
		s.Blocks = append(s.Blocks, bs)
	}
	return s
}
