package assistance

import (
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"roadcover"
)

// MarshalJSON writes the spec's JSON of the decision.
func (d Decision) MarshalJSON() ([]byte, error) { return d.AppendJSON(make([]byte, 0, 4096)), nil }

// AppendJSON appends the decision as JSON (the spec's output plus the place,
// the distances, the reading ids and the parameters read) to b.
func (d *Decision) AppendJSON(b []byte) []byte {
	b = append(b, `{"terms":{"id":`...)
	b = appendString(b, d.Terms.ID)
	b = append(b, `,"market":`...)
	b = appendString(b, d.Terms.Market)
	b = append(b, `,"language":`...)
	b = appendString(b, string(d.Terms.Language))
	b = append(b, `,"in_force_from":`...)
	b = appendString(b, d.Terms.InForceFrom)
	b = append(b, `},"language":`...)
	b = appendString(b, string(d.Language))
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, d.Covered)
	b = append(b, `,"refusals":[`...)
	for i, o := range d.Refusals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendString(b, o.Code)
		b = append(b, `,"clause":`...)
		b = appendString(b, o.Clause)
		b = append(b, `,"text":`...)
		b = appendString(b, o.Text)
		b = append(b, '}')
	}
	b = append(b, `],"entitlements":[`...)
	for i := range d.Entitlements {
		if i > 0 {
			b = append(b, ',')
		}
		e := d.Detail(i)
		b = e.appendJSON(b)
	}
	b = append(b, `],"not_covered":`...)
	b = appendStrings(b, d.NotCovered)
	b = append(b, `,"missing_information":`...)
	b = appendStrings(b, d.MissingInformation)
	b = append(b, `,"interpretations":`...)
	b = append(b, '[')
	for i, id := range d.rOrder[:d.nr] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, d.vi.interps[d.li][id])
	}
	b = append(b, `],"readings":[`...)
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
	b = appendString(b, d.Place.Country)
	if d.Place.Zone != "" {
		b = append(b, `,"zone":`...)
		b = appendString(b, d.Place.Zone)
	}
	b = append(b, `,"from":`...)
	b = appendString(b, d.Place.From)
	b = append(b, `,"abroad":`...)
	b = strconv.AppendBool(b, d.Place.Abroad)
	b = append(b, `,"trip":`...)
	b = appendString(b, d.Place.Trip)
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
		b = appendString(b, x.d.Method)
		b = append(b, '}')
	}
	b = append(b, `},"parameters":[`...)
	for i, id := range d.pOrder[:d.np] {
		p := &d.vi.uses[id]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, p.Name)
		b = append(b, `,"value":`...)
		b = strconv.AppendInt(b, p.Value, 10)
		b = append(b, `,"unit":`...)
		b = appendString(b, p.Unit)
		b = append(b, `,"clause":`...)
		b = appendString(b, p.Clause)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func (e *EntitlementDetail) appendJSON(b []byte) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, e.Code)
	b = append(b, `,"clause":`...)
	b = appendString(b, e.Clause)
	if e.ChooseOne != "" {
		b = append(b, `,"choose_one":`...)
		b = appendString(b, e.ChooseOne)
	}
	if e.Destination != "" {
		b = append(b, `,"destination":`...)
		b = appendString(b, e.Destination)
	}
	if e.Limit.Currency != "" {
		b = append(b, `,"limit":{"amount":"`...)
		b = roadcover.AppendAmount(b, e.Limit.Minor)
		b = append(b, `","currency":`...)
		b = appendString(b, e.Limit.Currency)
		b = append(b, `,"per":`...)
		b = appendString(b, e.Per)
		b = append(b, '}')
	}
	if e.Total.Currency != "" {
		b = append(b, `,"total_limit":{"amount":"`...)
		b = roadcover.AppendAmount(b, e.Total.Minor)
		b = append(b, `","currency":`...)
		b = appendString(b, e.Total.Currency)
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
		b = appendString(b, e.DayKind)
	}
	if !e.Until.IsZero() {
		b = append(b, `,"until":"`...)
		b = appendDate(b, e.Until)
		b = append(b, '"')
	}
	if e.AppliesTo != nil {
		b = append(b, `,"applies_to":`...)
		b = appendStrings(b, e.AppliesTo)
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
		b = appendString(b, l.Currency)
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
			b = appendDate(b, l.Published)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	b = append(b, `,"text":`...)
	b = appendString(b, e.Text)
	return append(b, '}')
}

func (s *SiteRef) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, s.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, s.Name)
	if s.Method != "" {
		b = append(b, `,"distance_km":`...)
		b = appendKm(b, s.Km)
		b = append(b, `,"distance_method":`...)
		b = appendString(b, s.Method)
	}
	return append(b, '}')
}

// appendKm writes a distance rounded to metres.
func appendKm(b []byte, km float64) []byte {
	return strconv.AppendFloat(b, math.Round(km*1000)/1000, 'f', -1, 64)
}

func appendDate(b []byte, d roadcover.Date) []byte {
	b = strconv.AppendInt(b, int64(d.Year), 10)
	b = append(b, '-', byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10), '-')
	return append(b, byte('0'+d.Day/10), byte('0'+d.Day%10))
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
