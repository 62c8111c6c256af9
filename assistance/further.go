package assistance

import (
	"math"

	"roadcover"
)

const groupFurther = "further_assistance"

func isFuel(kind string) bool {
	return kind == KindOutOfFuel || kind == KindWrongFuel || kind == KindContaminatedFuel
}

// furtherDue implements 1.3: when the car cannot be repaired at the workshop
// within same_day_hours the same day, and it was towed to a workshop or
// stolen (reading theft_further). Not after an empty traction battery
// (reading traction_no_further), not for commercial use (1.6), and in GB not
// for fuel problems (reading gb_fuel).
func (r *run) furtherDue() bool {
	k := r.c.Event.Kind
	if k == KindTractionEmpty {
		r.rely(rTractionNoFurther)
		return false
	}
	if r.pr.FuelExcludesFurther && isFuel(k) {
		r.rely(rGbFuel)
		return false
	}
	if r.commercial {
		return false
	}
	atWorkshop := r.towTo == NearestWorkshop || r.towTo == RegularWorkshopDest
	if !atWorkshop && k != KindTheft {
		return false
	}
	r.num(pSameDayHours)
	if isTrue(r.c.Repair.SameDayWithin4h) {
		return false
	}
	if k == KindTheft {
		r.rely(rTheftFurther)
	}
	return true
}

// further grants the three options of 1.3, of which the customer takes one,
// and in DE/PT/DK the short taxi rides of 1.3.1 on top.
func (r *run) furtherAssistance() {
	if !r.furtherDue() {
		return
	}
	r.furtherGiven = true
	r.num(pFurtherOptions)
	persons := 1
	if p := r.c.People.Passengers; p != nil {
		persons += int(*p)
	}
	r.onwardTravel(persons)
	r.hotel(persons)
	r.rentalCar()
	r.taxiTransfer()
}

// onwardTravel implements 1.3.1: travel home or to the destination by rail,
// bus, air or taxi, pets and luggage included; GB 510 GBP, DE/PT/DK 600 EUR
// per person.
func (r *run) onwardTravel(persons int) {
	e := r.grant(tOnwardTravel, "1.3.1")
	e.ChooseOne = groupFurther
	e.Limit, e.Per = r.money(pOnwardTravelPerPerson), "person"
	e.Persons = persons
	e.Total = r.times(e.Limit, int64(persons))
	r.localEquivalent(e)
}

// hotel implements 1.3.2: only when home is farther than the threshold
// (strictly; GB 68 miles, DE/PT/DK 110 km) and while the car is in the
// workshop, so not after a theft; GB 170 GBP, DE/PT/DK 200 EUR per person
// and night, at most hotel_max_nights nights.
func (r *run) hotel(persons int) {
	if r.c.Event.Kind == KindTheft {
		return
	}
	home := r.d.Distances.Home
	if !home.Known() {
		return
	}
	if meters(home.Km) <= r.threshold(pHotelMinHomeKm, pHotelMinHomeMi) {
		return
	}
	e := r.grant(tHotel, "1.3.2")
	e.ChooseOne = groupFurther
	e.Limit, e.Per = r.money(pHotelPerPersonNight), "person_night"
	e.MaxNights = int(r.num(pHotelMaxNights))
	e.Persons = persons
	e.Total = r.times(e.Limit, int64(persons)*int64(e.MaxNights))
	r.localEquivalent(e)
}

// rentalCar implements 1.3.3: a car of similar size, fuel not paid, for
// rental_max_days working days, abroad rental_abroad_max_days. GB only: after
// an accident, theft or vandalism one day of car hire (reading
// gb_rental_one_day: one calendar day, also abroad, and after attempted theft).
func (r *run) rentalCar() {
	e := r.grant(tRentalCar, "1.3.3")
	e.ChooseOne = groupFurther
	switch k := r.c.Event.Kind; {
	case r.pr.OneDayRental && (k == KindAccident || k == KindTheft || k == KindVandalism || k == KindAttemptedTheft):
		r.rely(rGbRentalOneDay)
		e.MaxDays, e.DayKind = int(r.num(pRentalAfterAccidentDays)), "calendar"
		r.text(e, tRentalCarOneDay)
		return
	case r.abroad:
		e.MaxDays = int(r.num(pRentalAbroadMaxDays))
		r.text(e, tRentalCarAbroad)
	default:
		e.MaxDays = int(r.num(pRentalMaxDays))
	}
	e.DayKind = "working"
	e.Until = r.workdaysUntil(e.MaxDays)
}

// taxiTransfer implements the DE/PT/DK sentence of 1.3.1: taxi rides under
// 110 km to fetch or return a rental car or to a station, airport or hotel,
// up to taxi_transfer_limit for the case (reading taxi_transfer).
func (r *run) taxiTransfer() {
	if !r.pr.TaxiTransfer {
		return
	}
	r.rely(rTaxiTransfer)
	r.num(pTaxiTransferMaxKm)
	e := r.grant(tTaxiTransfer, "1.3.1")
	e.Limit, e.Per = r.money(pTaxiTransferLimit), "case"
	r.localEquivalent(e)
}

// workdaysUntil is the day on which n working days are complete, counted
// from the day after the event in the country where the car is (with no
// place at all, the home country; Åland counts as Finland): Monday to Friday
// without that country's national public holidays (reading
// national_holidays). Zero when the country or its calendar is not known.
func (r *run) workdaysUntil(n int) roadcover.Date {
	country := r.c.Place.Country
	if r.noPlace {
		country = r.homeCalendar
	}
	if country == "AX" {
		country = "FI" // reading territories; Åland's own day off is regional
	}
	if r.env.Workdays == nil || country == "" {
		return roadcover.Date{}
	}
	day, ok := r.env.Workdays.AddWorkdays(country, r.day, n)
	if !ok {
		return roadcover.Date{}
	}
	r.rely(rNationalHolidays)
	return day
}

// localEquivalent adds the local-currency equivalent of a EUR limit
// ("or the equivalent in local currency", DE/PT/DK 1.3.1, 1.3.2, 1.5) when
// the place's currency is not EUR, with the rate and its day, or says that no
// rate is known (reading local_currency). Amounts are rounded in localMinor.
func (r *run) localEquivalent(e *EntitlementDetail) {
	if !r.pr.LocalEquivalent || r.env.Rates == nil || e.Limit.Currency != "EUR" || r.c.Place.Country == "" {
		return
	}
	cur, ok := r.env.Rates.LocalCurrency(r.c.Place.Country, r.day)
	if !ok || cur == "EUR" {
		return
	}
	r.rely(rLocalCurrency)
	le := &LocalEquivalent{Currency: cur}
	if rate, pub, ok := r.env.Rates.EuroRate(cur, r.day); ok && rate > 0 {
		le.Known, le.Rate, le.Published = true, rate, pub
		le.Amount = localMinor(e.Limit.Minor, rate)
		if e.Total.Currency != "" {
			le.Total = localMinor(e.Total.Minor, rate)
		}
	}
	e.Local = le
}

// localMinor converts EUR minor units at rate (units of the local currency
// per EUR) and rounds half away from zero to the local minor unit. It is the
// one place where a local equivalent is rounded.
func localMinor(eurMinor int64, rate float64) int64 {
	return int64(math.Round(float64(eurMinor) * rate))
}

// times is m × n with the product checked: an amount out of range makes
// the decision impossible (an error), never a wrong value.
func (r *run) times(m roadcover.Money, n int64) roadcover.Money {
	v, err := m.Mul(n)
	if err != nil && r.err == nil {
		r.err = &roadcover.InputError{Code: roadcover.CodeInvalidInput, Errors: []roadcover.FieldError{{Field: "people.passengers", Code: roadcover.CodeInvalidInput,
			Detail: "the limits for this many people are out of range"}}}
	}
	return v
}
