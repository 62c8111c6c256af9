package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
)

// Pain001Namespace is the XML namespace of pain.001.001.03.
const Pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

// The pain.001.001.03 elements this package writes, in schema order.
type (
	p1Document struct {
		XMLName xml.Name     `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03 Document"`
		Initn   p1Initiation `xml:"CstmrCdtTrfInitn"`
	}
	p1Initiation struct {
		GrpHdr p1GroupHeader   `xml:"GrpHdr"`
		PmtInf []p1PaymentInfo `xml:"PmtInf"`
	}
	p1GroupHeader struct {
		MsgId    string  `xml:"MsgId"`
		CreDtTm  string  `xml:"CreDtTm"`
		NbOfTxs  string  `xml:"NbOfTxs"`
		CtrlSum  string  `xml:"CtrlSum"`
		InitgPty p1Party `xml:"InitgPty"`
	}
	p1Party struct {
		Nm string     `xml:"Nm,omitempty"`
		Id *p1PartyID `xml:"Id,omitempty"`
	}
	p1PartyID struct {
		OrgId p1OrgID `xml:"OrgId"`
	}
	p1OrgID struct {
		Othr p1GenericID `xml:"Othr"`
	}
	p1GenericID struct {
		Id      string  `xml:"Id"`
		SchmeNm *p1Code `xml:"SchmeNm,omitempty"`
	}
	p1Code struct {
		Cd    string `xml:"Cd,omitempty"`
		Prtry string `xml:"Prtry,omitempty"`
	}
	p1PaymentInfo struct {
		PmtInfId    string        `xml:"PmtInfId"`
		PmtMtd      string        `xml:"PmtMtd"`
		NbOfTxs     string        `xml:"NbOfTxs"`
		CtrlSum     string        `xml:"CtrlSum"`
		PmtTpInf    p1PaymentType `xml:"PmtTpInf"`
		ReqdExctnDt string        `xml:"ReqdExctnDt"`
		Dbtr        p1Party       `xml:"Dbtr"`
		DbtrAcct    p1Account     `xml:"DbtrAcct"`
		DbtrAgt     p1Agent       `xml:"DbtrAgt"`
		ChrgBr      string        `xml:"ChrgBr,omitempty"`
		CdtTrfTxInf []p1Transfer  `xml:"CdtTrfTxInf"`
	}
	p1PaymentType struct {
		SvcLvl p1Code `xml:"SvcLvl"`
	}
	p1Account struct {
		Id  p1AccountID `xml:"Id"`
		Ccy string      `xml:"Ccy,omitempty"`
	}
	p1AccountID struct {
		IBAN string       `xml:"IBAN,omitempty"`
		Othr *p1GenericID `xml:"Othr,omitempty"`
	}
	p1Agent struct {
		FinInstnId p1Institution `xml:"FinInstnId"`
	}
	p1Institution struct {
		BIC         string      `xml:"BIC,omitempty"`
		ClrSysMmbId *p1Clearing `xml:"ClrSysMmbId,omitempty"`
	}
	p1Clearing struct {
		ClrSysId p1Code `xml:"ClrSysId"`
		MmbId    string `xml:"MmbId"`
	}
	p1Transfer struct {
		PmtId    p1PaymentID   `xml:"PmtId"`
		Amt      p1Amount      `xml:"Amt"`
		CdtrAgt  *p1Agent      `xml:"CdtrAgt,omitempty"`
		Cdtr     p1Party       `xml:"Cdtr"`
		CdtrAcct p1Account     `xml:"CdtrAcct"`
		RmtInf   *p1Remittance `xml:"RmtInf,omitempty"`
	}
	p1PaymentID struct {
		InstrId    string `xml:"InstrId,omitempty"`
		EndToEndId string `xml:"EndToEndId"`
	}
	p1Amount struct {
		InstdAmt p1Money `xml:"InstdAmt"`
	}
	p1Money struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	}
	p1Remittance struct {
		Ustrd string `xml:"Ustrd"`
	}
)

// Pain001 writes a released batch as a pain.001.001.03 message: Initiate,
// then Encode.
func Pain001(r ledger.Released, payees map[ledger.PayeeID]payee.Payee, d Debtor) ([]byte, error) {
	in, err := Initiate(r, payees, d)
	if err != nil {
		return nil, err
	}
	return in.Encode()
}

// Encode writes the initiation as a pain.001.001.03 XML document (UTF-8,
// indented, ending in a newline). The same initiation always gives the same
// bytes. The counts, control sums and amounts of the document are checked
// before it is returned.
func (in Initiation) Encode() ([]byte, error) {
	sepa := false
	for _, b := range in.Blocks {
		sepa = sepa || b.ServiceLevel == serviceLevelSEPA
	}
	text := func(s string) string {
		if sepa {
			return sepaText(s, maxSEPAName)
		}
		return plainText(s, maxName)
	}
	doc := p1Document{Initn: p1Initiation{GrpHdr: p1GroupHeader{
		MsgId:    in.MessageID,
		CreDtTm:  in.CreatedAt.UTC().Format(time.RFC3339),
		NbOfTxs:  strconv.Itoa(in.Count),
		CtrlSum:  roadcover.FormatMinor(in.Total.Minor),
		InitgPty: p1Party{Nm: text(in.Debtor.Name), Id: initiatorID(in.Debtor)},
	}}}
	doc.Initn.PmtInf = make([]p1PaymentInfo, 0, len(in.Blocks))
	for _, b := range in.Blocks {
		pi := p1PaymentInfo{
			PmtInfId:    b.ID,
			PmtMtd:      "TRF",
			NbOfTxs:     strconv.Itoa(len(b.Transfers)),
			CtrlSum:     roadcover.FormatMinor(b.Total.Minor),
			PmtTpInf:    p1PaymentType{SvcLvl: p1Code{Cd: b.ServiceLevel}},
			ReqdExctnDt: b.ExecutionDate.String(),
			Dbtr:        p1Party{Nm: text(in.Debtor.Name)},
			DbtrAcct:    p1Account{Id: p1AccountID{IBAN: b.Account.IBAN}, Ccy: b.Account.Currency},
			DbtrAgt:     p1Agent{FinInstnId: p1Institution{BIC: b.Account.BIC}},
			CdtTrfTxInf: make([]p1Transfer, 0, len(b.Transfers)),
		}
		if b.ServiceLevel == serviceLevelSEPA {
			pi.ChrgBr = "SLEV"
		}
		for _, t := range b.Transfers {
			pi.CdtTrfTxInf = append(pi.CdtTrfTxInf, transferXML(t))
		}
		doc.Initn.PmtInf = append(doc.Initn.PmtInf, pi)
	}
	if err := checkDocument(&doc); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(600 + 700*in.Count)
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("iso20022: write pain.001 %s: %w", in.MessageID, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func initiatorID(d Debtor) *p1PartyID {
	if d.InitiatorID == "" {
		return nil
	}
	id := &p1PartyID{OrgId: p1OrgID{Othr: p1GenericID{Id: d.InitiatorID}}}
	if d.InitiatorScheme != "" {
		id.OrgId.Othr.SchmeNm = &p1Code{Cd: d.InitiatorScheme}
	}
	return id
}

func transferXML(t Transfer) p1Transfer {
	x := p1Transfer{
		PmtId: p1PaymentID{EndToEndId: t.EndToEndID},
		Amt:   p1Amount{InstdAmt: p1Money{Ccy: t.Amount.Currency, Value: roadcover.FormatMinor(t.Amount.Minor)}},
		Cdtr:  p1Party{Nm: t.Payee.Name},
	}
	a := t.Payee.Account
	switch t.Route {
	case RouteSEPA, RouteSwedishIBAN:
		x.CdtrAcct.Id.IBAN = a.IBAN
		if a.BIC != "" {
			x.CdtrAgt = &p1Agent{FinInstnId: p1Institution{BIC: a.BIC}}
		}
	case RouteBankgiro:
		x.CdtrAgt = &p1Agent{FinInstnId: p1Institution{ClrSysMmbId: &p1Clearing{ClrSysId: p1Code{Cd: clearingSystem}, MmbId: bankgiroMember}}}
		x.CdtrAcct.Id.Othr = &p1GenericID{Id: a.Bankgiro, SchmeNm: &p1Code{Prtry: bankgiroScheme}}
	case RouteSwedishBank:
		// A Swedbank clearing number 8xxx-x is written without its check
		// digit, as in the account numbers of Swedish payment files.
		clearing := a.Clearing[:4]
		x.CdtrAgt = &p1Agent{FinInstnId: p1Institution{ClrSysMmbId: &p1Clearing{ClrSysId: p1Code{Cd: clearingSystem}, MmbId: clearing}}}
		x.CdtrAcct.Id.Othr = &p1GenericID{Id: clearing + a.Number, SchmeNm: &p1Code{Cd: bbanScheme}}
	}
	if t.Reference != "" {
		x.RmtInf = &p1Remittance{Ustrd: t.Reference}
	}
	return x
}
