package assistance

// Codes of what is never paid (not_covered).
const (
	RepairAndParts          = "repair_and_parts"
	Tyres                   = "tyres"
	FuelOrEnergy            = "fuel_or_energy"
	FuelDrainAndRefill      = "fuel_drain_and_refill"
	PunctureConsequential   = "puncture_consequential_damage"
	DowntimeAndPropertyLoss = "downtime_and_property_loss"
	VATWhenRegistered       = "vat_when_registered"
)

// neverPaid implements exclusions: what assistance never pays, listed when it
// applies to the event. Repair and parts, downtime and lost property always;
// tyres and consequential damage for punctures; fuel or energy for GB fuel
// problems (GB 1.1.2 and exclusions) and with any rental car (1.3.3); GB the
// draining and refilling after wrong or contaminated fuel; VAT when the
// customer is registered for it. The same list in every version apart from
// the GB fuel items.
//
// The list is one of neverPaidLists, shared by every decision with the same
// items: callers must not change it.
func (r *run) neverPaid() []string {
	k := r.c.Event.Kind
	set := 1 << npRepairAndParts
	if k == KindPuncture {
		set |= 1<<npTyres | 1<<npPunctureConsequential
	}
	if (r.pr.FuelClause != "" && isFuel(k)) || r.has("rental_car") || r.has("local_rental_car") {
		set |= 1 << npFuelOrEnergy
	}
	if r.pr.FuelClause != "" && (k == KindWrongFuel || k == KindContaminatedFuel) {
		set |= 1 << npFuelDrainAndRefill
	}
	set |= 1 << npDowntimeAndPropertyLoss
	if isTrue(r.c.Customer.VATRegistered) {
		set |= 1 << npVATWhenRegistered
	}
	return neverPaidLists[set]
}

// The never-paid codes in the order they are listed.
const (
	npRepairAndParts = iota
	npTyres
	npFuelOrEnergy
	npFuelDrainAndRefill
	npPunctureConsequential
	npDowntimeAndPropertyLoss
	npVATWhenRegistered
	numNeverPaid
)

var neverPaidCodes = [numNeverPaid]string{RepairAndParts, Tyres, FuelOrEnergy, FuelDrainAndRefill,
	PunctureConsequential, DowntimeAndPropertyLoss, VATWhenRegistered}

// neverPaidLists holds the list of codes for every set of never-paid items.
var neverPaidLists = func() (lists [1 << numNeverPaid][]string) {
	for set := range lists {
		var l []string
		for i, code := range neverPaidCodes {
			if set&(1<<i) != 0 {
				l = append(l, code)
			}
		}
		lists[set] = l[:len(l):len(l)]
	}
	return lists
}()

// missingInformation implements general (what the operator needs when the
// customer calls): name, address, registration and VIN, model and colour,
// the location (neither a country nor coordinates), a description of the problem, a phone number or e-mail.
// Also coordinates where only they can settle the cover (Russia, Cyprus),
// and the first registration where the 1.6 footnote needs the car's age.
// Missing information never refuses a case.
func (r *run) missingInformation() []string {
	c := &r.c
	var buf [12]string
	out := buf[:0]
	add := func(ok bool, code string) {
		if !ok {
			out = append(out, code)
		}
	}
	add(c.Contact.Name != "", "name")
	add(c.Contact.Address != "", "address")
	add(c.Vehicle.Registration != "", "registration")
	add(c.Vehicle.VIN != "", "vin")
	add(c.Vehicle.Model != "", "model")
	add(c.Vehicle.Colour != "", "colour")
	add(c.PlaceKnown || c.Location.Country != "" || r.hasPoint, "location")
	add(c.Event.Description != "", "description")
	add(c.Contact.Phone != "" || c.Contact.Email != "", "phone_or_email")
	add(!(r.needCoords && !r.hasPoint), "coordinates")
	add(!(r.commercial && r.pr.Footnote && c.FirstRegistered.IsZero()), "first_registered")
	if len(out) == 0 {
		return nil
	}
	return append([]string(nil), out...)
}
