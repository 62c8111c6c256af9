package assistance

import "time"

// validity applies the conditions of validity of the general part and the
// exclusions; every condition that is broken is listed (all versions alike:
// the general part applies to every market, reading general_part).
func (r *run) validity() {
	c := &r.c
	if r.pr.GeneralReading {
		r.rely(rGeneralPart)
	}
	if r.vi.readings[rGbInForce] != nil {
		r.rely(rGbInForce) // the version was chosen from a day the page does not give
	}
	r.contact()
	r.reportedInTime()
	if isTrue(c.Vehicle.Deregistered) {
		r.deregistered()
	}
	r.coveredArea()
	r.cause()
	if c.Vehicle.Use == "emergency" {
		r.emergency()
	}
	if c.Vehicle.Use == "police" || c.Vehicle.Use == "ambulance" {
		r.rely(rEmergencyVehicles)
	}
	r.immobilised()
	r.commercialAge()
}

// contact implements general (and the exclusion of help ordered without prior
// contact): help must be arranged through assistance directly; channel
// "none" voids everything. Same in every version.
func (r *run) contact() {
	if r.c.Contact.Channel == "none" {
		r.refuse(tNotArranged, "general")
	}
}

// reportedInTime implements general: the immobilisation is reported within
// report_within_hours (24 h; exactly 24 h is in time). Reading report_24h
// makes it a condition of validity. Same in every version.
func (r *run) reportedInTime() {
	limit := time.Duration(r.num(pReportWithinHours)) * time.Hour
	delay := r.c.Reported.Sub(r.c.Occurred)
	if delay >= limit {
		r.rely(rReport24h)
	}
	if delay > limit {
		r.refuse(tReportedLate, "general")
	}
}

// deregistered implements exclusions: a car deregistered in the vehicle
// register is not covered. Same in every version.
func (r *run) deregistered() { r.refuse(tDeregistered, "exclusions") }

// cause implements general (a breakdown counts only when it comes without
// warning and not from missed maintenance) and exclusions (competition,
// deliberate offence, force majeure, another warranty or liability). Same in
// every version.
func (r *run) cause() {
	switch r.c.Event.Cause {
	case "lack_of_maintenance":
		r.refuse(tLackOfMaintenance, "general")
	case "competition":
		r.refuse(tCompetition, "exclusions")
	case "deliberate_offence":
		r.refuse(tDeliberateOffence, "exclusions")
	case "force_majeure":
		r.refuse(tForceMajeure, "exclusions")
	case "other_warranty_or_liability":
		r.refuse(tOtherWarrantyOrLiability, "exclusions")
	}
}

// emergency implements exclusions: emergency vehicles are excluded (reading
// emergency_vehicles: police cars and ambulances fall under 1.6 instead).
func (r *run) emergency() {
	r.rely(rEmergencyVehicles)
	r.refuse(tEmergencyVehicle, "exclusions")
}

// immobilised implements general: accidents, attempted theft and vandalism
// are covered only when the car is immobilised. Same in every version.
func (r *run) immobilised() {
	switch r.c.Event.Kind {
	case KindAccident, KindAttemptedTheft, KindVandalism:
		if isFalse(r.c.Event.Immobilised) {
			r.refuse(tNotImmobilised, "general")
		}
	}
}
