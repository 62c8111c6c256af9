package reimbursement

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"roadcover"
	"roadcover/jsonin"
)

// Bounds of the receipt's fields.
const (
	MaxPersons     = 20
	MaxNights      = 31
	MaxDays        = 60
	MaxMerchantLen = 200
	MaxDistanceKm  = 5000
	firstYear      = 2000
	lastYear       = 2099
)

// DecodeReceipt reads the JSON part of one receipt:
//
//	{"category": "hotel", "amount": "450.00", "currency": "EUR",
//	 "date": "2026-07-03", "merchant": "Hotel Nord", "country": "DK",
//	 "persons": 2, "nights": 2, "service_from": "2026-07-01",
//	 "vat_amount": "90.00", "arranged_by_assistance": true}
//
// Amounts are decimal strings (or JSON numbers) in the receipt's currency
// with no more decimals than it has; dates are RFC 3339 full-dates. Fields
// that do not belong to the category are refused, as are unknown fields.
// Every bad field is named in one *roadcover.InputError; nothing is guessed.
func DecodeReceipt(data []byte) (Receipt, error) { return DecodeReceiptPart(data, nil) }

// DecodeReceiptPart is DecodeReceipt for a JSON part that also carries
// members of the caller's (the payee a receipt is paid to): other reads
// them from the part before it is closed, so that an unknown member is
// still refused and every bad field of both is named in one error. other
// is not called when the part is not one JSON object.
func DecodeReceiptPart(data []byte, other func(o *jsonin.Obj)) (Receipt, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	if o.Null {
		if !errs.Has("body") {
			errs.Add("body", roadcover.CodeInvalidInput, "the receipt must be one JSON object")
		}
		return Receipt{}, errs.Err()
	}
	var r Receipt
	cat, ok := o.Enum("category", Categories...)
	if ok {
		r.Category = cat
	} else if !o.Has("category") && !errs.Has("category") {
		errs.Add("category", "", "required: one of "+strings.Join(Categories, ", "))
	}

	cur, curOK := o.String("currency")
	switch {
	case !curOK && !errs.Has("currency"):
		errs.Add("currency", "", "required: an ISO 4217 code such as EUR")
	case curOK && maxUnits[cur] == 0:
		errs.Add("currency", "", fmt.Sprintf("%q is not a currency a receipt may be in (ISO 4217 codes of the covered countries and USD, CAD, AUD, JPY, CNY)", cur))
		curOK = false
	}
	r.Amount.Currency = cur
	if v, ok := amount(o, errs, "amount", cur, curOK); ok {
		if v == 0 {
			errs.Add("amount", "", "must be more than zero")
		}
		r.Amount.Minor = v
	} else if !o.Has("amount") && !errs.Has("amount") {
		errs.Add("amount", "", "required: the total paid, VAT included, such as \"450.00\"")
	}
	if o.Has("vat_amount") {
		if v, ok := amount(o, errs, "vat_amount", cur, curOK); ok {
			if r.Amount.Minor > 0 && v >= r.Amount.Minor {
				errs.Add("vat_amount", "", "must be less than the amount")
			}
			r.VAT = &roadcover.Money{Minor: v, Currency: cur}
		}
	} else {
		o.Skip("vat_amount")
	}

	r.Date = date(o, errs, "date", true)
	if m, ok := o.String("merchant"); ok {
		m = strings.TrimSpace(m)
		switch {
		case m == "":
			errs.Add("merchant", "", "may not be empty")
		case utf8.RuneCountInString(m) > MaxMerchantLen:
			errs.Add("merchant", "", fmt.Sprintf("at most %d characters", MaxMerchantLen))
		case strings.IndexFunc(m, unicode.IsControl) >= 0:
			errs.Add("merchant", "", "may not hold control characters")
		}
		r.Merchant = m
	} else if !errs.Has("merchant") {
		errs.Add("merchant", "", "required: the name on the receipt")
	}
	if c, ok := o.String("country"); ok {
		if !isCountryCode(c) {
			errs.Add("country", "", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code such as DK", c))
		}
		r.Country = c
	}
	r.Persons = 1
	if n, ok := o.Int("persons"); ok {
		if n < 1 || n > MaxPersons {
			errs.Add("persons", "", fmt.Sprintf("must be from 1 to %d", MaxPersons))
		}
		r.Persons = int(n)
	}
	if b, ok := o.Bool("arranged_by_assistance"); ok {
		r.ArrangedByAssistance = b
	} else if !errs.Has("arranged_by_assistance") {
		errs.Add("arranged_by_assistance", "", "required: true when assistance arranged or approved the service beforehand")
	}

	// Fields that belong to some categories only.
	only := func(name string, cats ...string) bool {
		if !o.Has(name) {
			o.Skip(name)
			return false
		}
		if cat != "" && !oneOf(cat, cats) {
			o.Skip(name)
			errs.Add(name, "", fmt.Sprintf("is not used for %s receipts (only for %s)", cat, strings.Join(cats, ", ")))
			return false
		}
		return true
	}
	need := func(name string, cats ...string) {
		if oneOf(cat, cats) && !o.Has(name) && !errs.Has(name) {
			errs.Add(name, "", fmt.Sprintf("required for %s receipts", cat))
		}
	}
	if only("nights", Hotel) {
		if n, ok := o.Int("nights"); ok {
			if n < 1 || n > MaxNights {
				errs.Add("nights", "", fmt.Sprintf("must be from 1 to %d", MaxNights))
			}
			r.Nights = int(n)
		}
	}
	need("nights", Hotel)
	if only("days", RentalCar, LocalRental) {
		if n, ok := o.Int("days"); ok {
			if n < 1 || n > MaxDays {
				errs.Add("days", "", fmt.Sprintf("must be from 1 to %d", MaxDays))
			}
			r.Days = int(n)
		}
	}
	need("days", RentalCar, LocalRental)
	if only("service_from", Hotel, RentalCar, LocalRental) {
		r.ServiceFrom = date(o, errs, "service_from", false)
	}
	need("service_from", Hotel, RentalCar, LocalRental)
	if only("mode", Collection, OnwardTravel) {
		allowed := onwardModes
		if cat == Collection {
			allowed = collectionModes
		}
		r.Mode, _ = o.Enum("mode", allowed...)
	}
	need("mode", Collection)
	if only("distance_km", Taxi) {
		if km, ok := o.NonNegFloat("distance_km"); ok {
			if km > MaxDistanceKm {
				errs.Add("distance_km", "", fmt.Sprintf("at most %d", MaxDistanceKm))
			}
			r.DistanceKm = &km
		}
	}
	if other != nil {
		other(o)
	}
	o.Done()
	if err := errs.Err(); err != nil {
		return Receipt{}, err
	}
	return r, nil
}

// amount reads a money field in the receipt's currency: at most that
// currency's decimals, not negative, not above its bound.
func amount(o *jsonin.Obj, errs *roadcover.InputError, name, cur string, curOK bool) (int64, bool) {
	v, ok := o.Money(name)
	if !ok {
		return 0, false
	}
	if !curOK {
		return v, true // the currency is named; the amount is read as far as it can be
	}
	if d := minorDigits(cur); d == 0 && v%100 != 0 {
		errs.Add(name, "", cur+" has no decimals")
		return 0, false
	}
	if v > maxUnits[cur]*100 {
		errs.Add(name, "", fmt.Sprintf("more than %d %s is not a plausible receipt", maxUnits[cur], cur))
		return 0, false
	}
	return v, true
}

// date reads an RFC 3339 full-date (YYYY-MM-DD) in the years the product knows.
func date(o *jsonin.Obj, errs *roadcover.InputError, name string, required bool) roadcover.Date {
	s, ok := o.String(name)
	if !ok {
		if required && !errs.Has(name) {
			errs.Add(name, "", "required: a date YYYY-MM-DD")
		}
		return roadcover.Date{}
	}
	d, err := roadcover.ParseDate(s)
	if err != nil {
		errs.Add(name, "", err.Error())
		return roadcover.Date{}
	}
	if d.Year < firstYear || d.Year > lastYear {
		errs.Add(name, "", fmt.Sprintf("must be a day from %d to %d", firstYear, lastYear))
		return roadcover.Date{}
	}
	return d
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
