package assistance

import (
	"io"
	"math"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/jsonout"
)

// MarshalJSON writes the spec's JSON of the decision.
func (d Decision) MarshalJSON() ([]byte, error) { return d.AppendJSON(make([]byte, 0, 4096)), nil }

// AppendJSON appends the decision as JSON (the spec's output plus the place,
// the distances, the reading ids and the parameters read) to b.
func (d *Decision) AppendJSON(b []byte) []byte { return d.appendDoc(b, true) }

// AppendRecord appends the decision as a store keeps it: the document
// without its texts (refusals', entitlements', readings') and with the
// parameters by name, from which ReadDecision gives the whole decision in
// any language again.
func (d *Decision) AppendRecord(b []byte) []byte { return d.appendDoc(b, false) }

func (d *Decision) appendDoc(b []byte, texts bool) []byte {
	b = append(b, `{"terms":{"id":`...)
	b = jsonout.String(b, d.Terms.ID)
	b = append(b, `,"market":`...)
	b = jsonout.String(b, d.Terms.Market)
	b = append(b, `,"language":`...)
	b = jsonout.String(b, string(d.Terms.Language))
	b = append(b, `,"in_force_from":`...)
	b = jsonout.String(b, d.Terms.InForceFrom)
	b = append(b, `},"language":`...)
	b = jsonout.String(b, string(d.Language))
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, d.Covered)
	b = append(b, `,"refusals":[`...)
	for i, o := range d.Refusals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = jsonout.String(b, o.Code)
		b = append(b, `,"clause":`...)
		b = jsonout.String(b, o.Clause)
		if v := textVariants[o.t]; v != "" {
			b = append(b, `,"variant":`...)
			b = jsonout.String(b, v)
		}
		if texts {
			b = append(b, `,"text":`...)
			b = jsonout.String(b, o.Text)
		}
		b = append(b, '}')
	}
	b = append(b, `],"entitlements":[`...)
	for i := range d.Entitlements {
		if i > 0 {
			b = append(b, ',')
		}
		e := d.Detail(i)
		b = e.appendFields(b, texts)
	}
	b = append(b, `],"not_covered":`...)
	b = jsonout.Strings(b, d.NotCovered)
	b = append(b, `,"missing_information":`...)
	b = jsonout.Strings(b, d.MissingInformation)
	if texts {
		b = append(b, `,"interpretations":`...)
		b = append(b, '[')
		for i, id := range d.rOrder[:d.nr] {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonout.String(b, d.vi.interps[d.li][id])
		}
		b = append(b, ']')
	}
	b = append(b, `,"readings":[`...)
	for i, id := range d.rOrder[:d.nr] {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, readingNames[id]...)
		b = append(b, '"')
	}
	b = append(b, ']')
	b = append(b, `,"place":{"country":`...)
	b = jsonout.String(b, d.Place.Country)
	if d.Place.Zone != "" {
		b = append(b, `,"zone":`...)
		b = jsonout.String(b, d.Place.Zone)
	}
	b = append(b, `,"from":`...)
	b = jsonout.String(b, d.Place.From)
	b = append(b, `,"abroad":`...)
	b = strconv.AppendBool(b, d.Place.Abroad)
	b = append(b, `,"trip":`...)
	b = jsonout.String(b, d.Place.Trip)
	b = append(b, `},"distances":{`...)
	n := 0
	for _, x := range [...]struct {
		name string
		d    Distance
	}{{"home", d.Distances.Home}, {"regular_workshop", d.Distances.RegularWorkshop},
		{"workshop_to_customer", d.Distances.WorkshopToCustomer}} {
		if !x.d.Known() {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, '"')
		b = append(b, x.name...)
		b = append(b, `":{"km":`...)
		b = appendKm(b, x.d.Km)
		b = append(b, `,"method":`...)
		b = jsonout.String(b, x.d.Method)
		b = append(b, '}')
	}
	b = append(b, `},"parameters":[`...)
	for i, id := range d.pOrder[:d.np] {
		p := &d.vi.uses[id]
		if i > 0 {
			b = append(b, ',')
		}
		if !texts {
			b = jsonout.String(b, p.Name) // the version gives the rest
			continue
		}
		b = append(b, `{"name":`...)
		b = jsonout.String(b, p.Name)
		b = append(b, `,"value":`...)
		b = strconv.AppendInt(b, p.Value, 10)
		b = append(b, `,"unit":`...)
		b = jsonout.String(b, p.Unit)
		b = append(b, `,"clause":`...)
		b = jsonout.String(b, p.Clause)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func (e *EntitlementDetail) appendJSON(b []byte) []byte { return e.appendFields(b, true) }

// appendFields appends the entitlement, with its text or without.
func (e *EntitlementDetail) appendFields(b []byte, text bool) []byte {
	b = append(b, `{"code":`...)
	b = jsonout.String(b, e.Code)
	b = append(b, `,"clause":`...)
	b = jsonout.String(b, e.Clause)
	if v := textVariants[e.t]; v != "" {
		// Which of the code's texts applies, so that a stored decision
		// can be shown again in any language (ReadDecision).
		b = append(b, `,"variant":`...)
		b = jsonout.String(b, v)
	}
	if e.ChooseOne != "" {
		b = append(b, `,"choose_one":`...)
		b = jsonout.String(b, e.ChooseOne)
	}
	if e.Destination != "" {
		b = append(b, `,"destination":`...)
		b = jsonout.String(b, e.Destination)
	}
	if e.Limit.Currency != "" {
		b = append(b, `,"limit":{"amount":"`...)
		b = roadcover.AppendAmount(b, e.Limit.Minor)
		b = append(b, `","currency":`...)
		b = jsonout.String(b, e.Limit.Currency)
		b = append(b, `,"per":`...)
		b = jsonout.String(b, e.Per)
		b = append(b, '}')
	}
	if e.Total.Currency != "" {
		b = append(b, `,"total_limit":{"amount":"`...)
		b = roadcover.AppendAmount(b, e.Total.Minor)
		b = append(b, `","currency":`...)
		b = jsonout.String(b, e.Total.Currency)
		b = append(b, '}')
	}
	if e.Persons > 0 {
		b = append(b, `,"persons":`...)
		b = strconv.AppendInt(b, int64(e.Persons), 10)
	}
	if e.MaxNights > 0 {
		b = append(b, `,"max_nights":`...)
		b = strconv.AppendInt(b, int64(e.MaxNights), 10)
	}
	if e.MaxDays > 0 {
		b = append(b, `,"max_days":`...)
		b = strconv.AppendInt(b, int64(e.MaxDays), 10)
	}
	if e.DayKind != "" {
		b = append(b, `,"day_kind":`...)
		b = jsonout.String(b, e.DayKind)
	}
	if !e.Until.IsZero() {
		b = append(b, `,"until":"`...)
		b = jsonout.Date(b, e.Until)
		b = append(b, '"')
	}
	if e.AppliesTo != nil {
		b = append(b, `,"applies_to":`...)
		b = jsonout.Strings(b, e.AppliesTo)
	}
	if e.IncludesLocalRental != nil {
		b = append(b, `,"includes_local_rental":`...)
		b = strconv.AppendBool(b, *e.IncludesLocalRental)
	}
	if e.Site != nil {
		b = append(b, `,"site":`...)
		b = e.Site.appendJSON(b)
	}
	if e.Regular != nil {
		b = append(b, `,"regular_workshop":`...)
		b = e.Regular.appendJSON(b)
	}
	if l := e.Local; l != nil {
		b = append(b, `,"local_equivalent":{"currency":`...)
		b = jsonout.String(b, l.Currency)
		b = append(b, `,"rate_known":`...)
		b = strconv.AppendBool(b, l.Known)
		if l.Known {
			b = append(b, `,"amount":"`...)
			b = roadcover.AppendAmount(b, l.Amount)
			b = append(b, '"')
			if e.Total.Currency != "" {
				b = append(b, `,"total_amount":"`...)
				b = roadcover.AppendAmount(b, l.Total)
				b = append(b, '"')
			}
			b = append(b, `,"rate":`...)
			b = strconv.AppendFloat(b, l.Rate, 'f', -1, 64)
			b = append(b, `,"rate_published":"`...)
			b = jsonout.Date(b, l.Published)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	if text {
		b = append(b, `,"text":`...)
		b = jsonout.String(b, e.Text)
	}
	return append(b, '}')
}

// appendJSON writes the site; one without an id (as a driver is shown
// it) by its name alone.
func (s *SiteRef) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if s.ID != "" {
		b = append(b, `"id":`...)
		b = jsonout.String(b, s.ID)
		b = append(b, ',')
	}
	b = append(b, `"name":`...)
	b = jsonout.String(b, s.Name)
	if s.Method != "" {
		b = append(b, `,"distance_km":`...)
		b = appendKm(b, s.Km)
		b = append(b, `,"distance_method":`...)
		b = jsonout.String(b, s.Method)
	}
	return append(b, '}')
}

// appendKm writes a distance rounded to metres.
func appendKm(b []byte, km float64) []byte {
	return strconv.AppendFloat(b, math.Round(km*1000)/1000, 'f', -1, 64)
}

// labels are the headings of the text summary.
var labels = map[roadcover.Language][8]string{
	roadcover.English:    {"Covered", "Not covered", "Terms", "Refused", "Entitled to (one per group marked 'choose one')", "Never paid", "Still to ask", "Readings applied"},
	roadcover.German:     {"Gedeckt", "Nicht gedeckt", "Bedingungen", "Abgelehnt", "Anspruch auf (je Gruppe 'eine wählen' nur eine)", "Nie bezahlt", "Noch erfragen", "Angewandte Auslegungen"},
	roadcover.Portuguese: {"Coberto", "Não coberto", "Condições", "Recusado", "Direito a (uma por grupo 'escolher uma')", "Nunca pago", "Ainda perguntar", "Interpretações aplicadas"},
	roadcover.Danish:     {"Dækket", "Ikke dækket", "Vilkår", "Afvist", "Ret til (én pr. gruppe 'vælg én')", "Betales aldrig", "Spørg stadig om", "Anvendte fortolkninger"},
	roadcover.Swedish:    {"Omfattas", "Omfattas inte", "Villkor", "Avslag", "Rätt till (en per grupp 'välj en')", "Betalas aldrig", "Fråga ännu om", "Tillämpade tolkningar"},
}

// WriteText writes a short summary of the decision for a person at the desk.
func (d *Decision) WriteText(w io.Writer) error {
	lb, ok := labels[d.Language]
	if !ok {
		lb = labels[roadcover.English]
	}
	b := make([]byte, 0, 2048)
	if d.Covered {
		b = append(b, lb[0]...)
	} else {
		b = append(b, lb[1]...)
	}
	b = append(b, " — "...)
	b = append(b, lb[2]...)
	b = append(b, ' ')
	b = append(b, d.Terms.ID...)
	b = append(b, '\n')
	if len(d.Refusals) > 0 {
		b = append(b, '\n')
		b = append(b, lb[3]...)
		b = append(b, ":\n"...)
		for _, o := range d.Refusals {
			b = append(b, "  ["...)
			b = append(b, o.Clause...)
			b = append(b, "] "...)
			b = append(b, o.Text...)
			b = append(b, '\n')
		}
	}
	if len(d.Entitlements) > 0 {
		b = append(b, '\n')
		b = append(b, lb[4]...)
		b = append(b, ":\n"...)
		for _, e := range d.Details() {
			b = append(b, "  ["...)
			b = append(b, e.Clause...)
			b = append(b, "] "...)
			b = append(b, Label(e.Code, d.Language)...)
			if e.Destination != "" {
				b = append(b, ": "...)
				b = append(b, Label("tow:"+e.Destination, d.Language)...)
			}
			if e.ChooseOne != "" {
				b = append(b, " ("...)
				b = append(b, Label(e.ChooseOne, d.Language)...)
				b = append(b, ')')
			}
			if e.Total.Currency != "" {
				b = append(b, " ≤ "...)
				b = append(b, formatMoney(e.Total, d.Language)...)
			} else if e.Limit.Currency != "" {
				b = append(b, " ≤ "...)
				b = append(b, formatMoney(e.Limit, d.Language)...)
			}
			if l := e.Local; l != nil && (e.Total.Currency != "" || e.Limit.Currency != "") {
				b = appendLocalText(b, l, e.Total.Currency != "", e.Limit.Currency, d.Language)
			}
			if e.MaxDays > 0 {
				b = append(b, ", "...)
				b = strconv.AppendInt(b, int64(e.MaxDays), 10)
				b = append(b, ' ')
				kind := e.DayKind
				if e.MaxDays == 1 {
					kind += "1"
				}
				b = append(b, Label(kind, d.Language)...)
			}
			if e.Site != nil && e.Site.Name != "" {
				b = append(b, " → "...)
				b = append(b, e.Site.Name...)
			}
			b = append(b, "\n      "...)
			b = append(b, e.Text...)
			b = append(b, '\n')
		}
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		b = append(b, '\n')
		b = append(b, title...)
		b = append(b, ": "...)
		for i, s := range items {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, Label(s, d.Language)...)
		}
		b = append(b, '\n')
	}
	list(lb[5], d.NotCovered)
	list(lb[6], d.MissingInformation)
	if d.nr > 0 {
		b = append(b, '\n')
		b = append(b, lb[7]...)
		b = append(b, ":\n"...)
		for _, s := range d.Interpretations() {
			b = append(b, "  - "...)
			b = append(b, s...)
			b = append(b, '\n')
		}
	}
	_, err := w.Write(b)
	if err != nil {
		return err
	}
	return nil
}

// appendLocalText writes the local-currency equivalent of a limit for the
// text summary: " (≈ 8952,48 DKK; 1 EUR = 7,4604 DKK, 2026-11-20)", or that
// no rate is known.
func appendLocalText(b []byte, l *LocalEquivalent, total bool, from string, lang roadcover.Language) []byte {
	if !l.Known {
		return append(append(append(b, " ("+l.Currency+": "...), Label("no_rate", lang)...), ')')
	}
	amount := l.Amount
	if total {
		amount = l.Total
	}
	rate := strconv.FormatFloat(l.Rate, 'f', -1, 64)
	if lang != roadcover.English {
		rate = strings.Replace(rate, ".", ",", 1)
	}
	b = append(b, " (≈ "...)
	b = append(b, formatMoney(roadcover.Money{Minor: amount, Currency: l.Currency}, lang)...)
	b = append(b, "; 1 "+from+" = "+rate+" "+l.Currency+", "...)
	b = jsonout.Date(b, l.Published)
	return append(b, ')')
}
