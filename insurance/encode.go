package insurance

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/jsonout"
)

// MarshalJSON encodes the settlement as the contract's JSON.
func (s *Settlement) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// AppendJSON appends the contract's JSON to b. Every field of the contract
// is always present; money is a two-place decimal string.
func (s *Settlement) AppendJSON(b []byte) []byte {
	b = append(b, `{"terms":{"id":`...)
	b = jsonout.String(b, s.TermsID)
	b = append(b, `,"market":`...)
	b = jsonout.String(b, s.TermsMarket)
	b = append(b, `,"language":`...)
	b = jsonout.String(b, string(s.TermsLanguage))
	b = append(b, `,"in_force_from":`...)
	b = jsonout.String(b, s.InForceFrom)
	b = append(b, `},"price_base_amount":{"year":`...)
	b = strconv.AppendInt(b, int64(s.PBBYear), 10)
	b = append(b, `,"amount":`...)
	b = jsonout.Amount(b, s.PBB)
	b = append(b, `,"currency":`...)
	b = jsonout.String(b, s.Currency)
	b = append(b, `},"lines":[`...)
	for i := range s.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.Lines[i].appendJSON(b)
	}
	b = append(b, `],"refusals":[`...)
	for i, r := range s.Refusals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = jsonout.String(b, r.Code)
		b = append(b, `,"clause":`...)
		b = jsonout.String(b, r.Clause)
		b = append(b, `,"cover":`...)
		b = jsonout.String(b, r.Cover)
		b = append(b, `,"text":`...)
		b = jsonout.String(b, r.Text)
		b = append(b, '}')
	}
	b = append(b, `],"payable_total":`...)
	b = jsonout.Amount(b, s.PayableTotal)
	b = append(b, `,"deductible_total":`...)
	b = jsonout.Amount(b, s.DeductibleTotal)
	b = append(b, `,"currency":`...)
	b = jsonout.String(b, s.Currency)
	b = append(b, `,"premium_affecting":`...)
	b = strconv.AppendBool(b, s.PremiumAffecting)
	b = append(b, `,"new_car_replacement":`...)
	b = strconv.AppendBool(b, s.NewCar)
	b = append(b, `,"requirements":[`...)
	for i, r := range s.Requirements {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonout.String(b, r)
	}
	b = append(b, `],"interpretations":[`...)
	for i, r := range s.Interpretations {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonout.String(b, r.Text)
	}
	b = append(b, `],"readings":[`...)
	for i, r := range s.Interpretations {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonout.String(b, r.ID)
	}
	b = append(b, `],"parameters":[`...)
	first := true
	s.eachParam(func(p *ParamUse) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"name":`...)
		b = jsonout.String(b, p.Name)
		b = append(b, `,"value":`...)
		b = strconv.AppendInt(b, p.Value, 10)
		b = append(b, `,"unit":`...)
		b = jsonout.String(b, p.Unit)
		b = append(b, `,"clause":`...)
		b = jsonout.String(b, p.Clause)
		b = append(b, '}')
	})
	b = append(b, `],"language":`...)
	b = jsonout.String(b, string(s.Language))
	return append(b, '}')
}

func (l *Line) appendJSON(b []byte) []byte {
	b = append(b, `{"cover":`...)
	b = jsonout.String(b, l.Cover)
	b = append(b, `,"clause":`...)
	b = jsonout.String(b, l.Clause)
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, l.Covered)
	b = append(b, `,"status":`...)
	b = jsonout.String(b, l.Status)
	b = append(b, `,"new_car":`...)
	b = strconv.AppendBool(b, l.NewCar)
	if l.Cover == "care" {
		b = append(b, `,"person":`...)
		b = strconv.AppendInt(b, int64(l.Person), 10)
		b = append(b, `,"care_until":`...)
		b = jsonout.String(b, l.CareUntil)
	}
	if l.DisputeID != "" {
		b = append(b, `,"dispute_id":`...)
		b = jsonout.String(b, l.DisputeID)
	}
	b = append(b, `,"valuation":[`...)
	for i, v := range l.Valuation {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, v.Code, v.Clause, -1, v.Amount, v.Text)
	}
	b = append(b, `],"assessed":`...)
	b = jsonout.Amount(b, l.Assessed)
	b = append(b, `,"deductible":`...)
	b = jsonout.Amount(b, l.Deductible)
	b = append(b, `,"deductible_parts":[`...)
	for i, p := range l.Parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, p.Code, p.Clause, -1, p.Amount, p.Text)
	}
	b = append(b, `],"net":`...)
	b = jsonout.Amount(b, l.Net)
	b = append(b, `,"reductions":[`...)
	for i, r := range l.Reductions {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, r.Code, r.Clause, r.Percent, r.Amount, r.Text)
	}
	b = append(b, `],"payable":`...)
	b = jsonout.Amount(b, l.Payable)
	b = append(b, `,"text":`...)
	b = jsonout.String(b, l.Text)
	return append(b, '}')
}

func appendItem(b []byte, code, clause string, percent, amount int64, text string) []byte {
	b = append(b, `{"code":`...)
	b = jsonout.String(b, code)
	b = append(b, `,"clause":`...)
	b = jsonout.String(b, clause)
	if percent >= 0 {
		b = append(b, `,"percent":`...)
		b = strconv.AppendInt(b, percent, 10)
	}
	b = append(b, `,"amount":`...)
	b = jsonout.Amount(b, amount)
	b = append(b, `,"text":`...)
	b = jsonout.String(b, text)
	return append(b, '}')
}

// WriteText writes the settlement for a claims handler: one block per line
// with its valuation, deductible parts and reductions, each with its clause.
func (s *Settlement) WriteText(w io.Writer) error {
	var sb strings.Builder
	h := headings[langIndex(s.Language)]
	fmt.Fprintf(&sb, "%s %s (%s, %s %s)\n", h[0], s.TermsID, s.TermsMarket, h[1], s.InForceFrom)
	fmt.Fprintf(&sb, "%s %d: %s %s\n", h[2], s.PBBYear, roadcover.FormatMinor(s.PBB), s.Currency)
	for _, l := range s.Lines {
		if l.DisputeID != "" {
			fmt.Fprintf(&sb, "\n[%s] %s (%s) — %s\n", l.Clause, l.Cover, l.DisputeID, l.Text)
		} else {
			fmt.Fprintf(&sb, "\n[%s] %s — %s\n", l.Clause, l.Cover, l.Text)
		}
		if l.Status == "eligible" {
			fmt.Fprintf(&sb, "  %s %d: %s %s\n", h[3], l.Person, h[4], l.CareUntil)
			continue
		}
		for _, v := range l.Valuation {
			fmt.Fprintf(&sb, "    %-16s %14s  [%s] %s\n", "", roadcover.FormatMinor(v.Amount), v.Clause, v.Text)
		}
		fmt.Fprintf(&sb, "  %-18s %14s\n", h[5], roadcover.FormatMinor(l.Assessed))
		for _, p := range l.Parts {
			fmt.Fprintf(&sb, "    %-16s %14s  [%s] %s\n", "", roadcover.FormatMinor(p.Amount), p.Clause, p.Text)
		}
		fmt.Fprintf(&sb, "  %-18s %14s\n", h[6], roadcover.FormatMinor(l.Deductible))
		for _, r := range l.Reductions {
			fmt.Fprintf(&sb, "    %-16s %14s  [%s] %s\n", "", "-"+roadcover.FormatMinor(r.Amount), r.Clause, r.Text)
		}
		st := ""
		if l.Status == "pending" {
			st = " (" + h[7] + ")"
		}
		fmt.Fprintf(&sb, "  %-18s %14s%s\n", h[8], roadcover.FormatMinor(l.Payable), st)
	}
	for _, r := range s.Refusals {
		fmt.Fprintf(&sb, "\n%s [%s] %s: %s (%s)\n", h[9], r.Clause, r.Cover, r.Text, r.Code)
	}
	fmt.Fprintf(&sb, "\n%-24s %14s %s\n", h[10], roadcover.FormatMinor(s.PayableTotal), s.Currency)
	fmt.Fprintf(&sb, "%-24s %14s %s\n", h[11], roadcover.FormatMinor(s.DeductibleTotal), s.Currency)
	fmt.Fprintf(&sb, "%s: %s\n", h[12], yesNo(s.PremiumAffecting, h))
	if s.NewCar {
		fmt.Fprintf(&sb, "%s\n", h[13])
	}
	for _, r := range s.Requirements {
		fmt.Fprintf(&sb, "%s: %s\n", h[14], r)
	}
	for _, r := range s.Interpretations {
		fmt.Fprintf(&sb, "%s %s: %s\n", h[15], r.ID, r.Text)
	}
	_, err := io.WriteString(w, sb.String())
	if err != nil {
		return fmt.Errorf("insurance: write text: %w", err)
	}
	return nil
}

func yesNo(b bool, h [18]string) string {
	if b {
		return h[16]
	}
	return h[17]
}

// headings are the labels of the text form, in en, de, pt, da, sv.
var headings = [5][18]string{
	{"Terms", "in force from", "Price base amount", "Person", "care until", "Assessed", "Deductible", "pending 30 days", "Payable", "Refused", "Payable total", "Deductible total", "Affects premium", "New-car replacement", "Requirement", "Reading", "yes", "no"},
	{"Bedingungen", "gültig ab", "Preisbasisbetrag", "Person", "Behandlung bis", "Bewertet", "Selbstbeteiligung", "offen 30 Tage", "Zahlbar", "Abgelehnt", "Summe zahlbar", "Summe Selbstbeteiligung", "Prämienwirksam", "Neuwertersatz", "Erforderlich", "Auslegung", "ja", "nein"},
	{"Condições", "em vigor desde", "Montante-base", "Pessoa", "cuidados até", "Avaliado", "Franquia", "pendente 30 dias", "A pagar", "Recusado", "Total a pagar", "Total de franquias", "Afeta o prémio", "Substituição por carro novo", "Requisito", "Interpretação", "sim", "não"},
	{"Betingelser", "gælder fra", "Prisbasisbeløb", "Person", "behandling til", "Opgjort", "Selvrisiko", "afventer 30 dage", "Udbetales", "Afvist", "I alt udbetales", "Selvrisiko i alt", "Påvirker præmien", "Nyværdierstatning", "Krav", "Fortolkning", "ja", "nej"},
	{"Villkor", "gäller från", "Prisbasbelopp", "Person", "vård till och med", "Värderat", "Självrisk", "väntar 30 dagar", "Att betala", "Avslag", "Summa att betala", "Summa självrisk", "Premiepåverkan", "Nyvärdesersättning", "Krav", "Tolkning", "ja", "nej"},
}
