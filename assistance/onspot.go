package assistance

import "roadcover"

// Tow destinations.
const (
	NearestWorkshop          = "nearest_workshop"
	RegularWorkshopDest      = "regular_workshop"
	NearestChargerOrWorkshop = "nearest_charging_station_or_workshop"
)

// roadsidePossible is repair.roadside_possible, or when not given the
// default of reading roadside_default (true for the events usually fixed on
// the spot).
func (r *run) roadsidePossible() bool {
	if b := r.c.Repair.RoadsidePossible; b != nil {
		return *b
	}
	r.rely(rRoadsideDefault)
	switch r.c.Event.Kind {
	case KindBreakdown, KindPuncture, KindBattery12V, KindOutOfFuel, KindLockedOut, KindKeyLost, KindKeyBroken:
		return true
	}
	return false
}

// onSpot implements 1.1 and its sub-clauses: help on the spot when it is
// possible, in the form the event calls for, else a tow (1.2). GB: 1.1.1
// jump start (reading gb_battery), 1.1.2 fuel delivery, 1.1.3 lock opening
// and a spare key for a lost or broken key, also when the car is towed
// (reading gb_spare_key); DE/PT/DK: 1.1.1 jump start for the 12 V battery,
// 1.1.2 lock opening only, no fuel clause. The tyre repair kit is from the
// general part. After a theft there is no car to help.
func (r *run) onSpot() {
	k := r.c.Event.Kind
	if k == KindTheft {
		return
	}
	if !r.roadsidePossible() {
		r.tow()
		r.spareKey(true)
		return
	}
	switch k {
	case KindBattery12V:
		if r.pr.BatteryReading {
			r.rely(rGbBattery)
		}
		r.grant(tJumpStart, "1.1.1")
	case KindOutOfFuel:
		if r.pr.FuelClause != "" {
			r.grant(tFuelDelivery, r.pr.FuelClause)
		} else {
			r.grant(tRoadsideRepair, "1.1")
		}
	case KindLockedOut, KindKeyLost, KindKeyBroken:
		r.grant(tLockOpening, r.pr.LockClause)
		r.spareKey(false)
	case KindPuncture:
		r.grant(tTyreRepairKit, "general")
	default:
		r.grant(tRoadsideRepair, "1.1")
	}
}

// spareKey implements GB 1.1.3: a spare key is shipped when the key does not
// work, lost as well as broken, to wherever the car is, also when it is
// towed (reading gb_spare_key); never for a car that is only locked. The
// 2023 texts have no spare key.
func (r *run) spareKey(towed bool) {
	k := r.c.Event.Kind
	if !r.pr.SpareKey || (k != KindKeyBroken && k != KindKeyLost) {
		return
	}
	if k == KindKeyLost || towed {
		r.rely(rGbSpareKey)
	}
	r.grant(tSpareKeyDelivery, r.pr.LockClause)
}

// tow implements 1.2 with the destinations of 1.1, 1.1.1 and GB 1.1.2:
//   - empty traction battery: nearest charger or workshop (1.1.1), in every
//     market, also when the regular workshop is asked for (reading
//     traction_destination);
//   - GB wrong or contaminated fuel: nearest workshop (1.1.2);
//   - GB: to the customer's workshop when at home and under 68 miles from
//     home (1.2), or on request at home when it is within 68 miles (1.1);
//     abroad the nearest whatever is asked (reading gb_tow_abroad);
//   - DE/PT/DK: to the regular workshop on request, at home, when it is at
//     most 110 km away (1.2; DE 1.1 says "under", reading de_tow_inclusive);
//   - otherwise, and always abroad (1.2 in every version), the nearest
//     workshop.
func (r *run) tow() {
	k := r.c.Event.Kind
	var e *EntitlementDetail
	switch {
	case k == KindTractionEmpty:
		if r.pr.BatteryReading {
			r.rely(rGbBattery)
		}
		r.rely(rTractionDestination)
		e = r.grant(tTowNearest, "1.1.1")
		e.Destination = NearestChargerOrWorkshop
	case r.pr.FuelClause != "" && (k == KindWrongFuel || k == KindContaminatedFuel):
		e = r.grant(tTowNearest, r.pr.FuelClause)
		e.Destination = NearestWorkshop
	default:
		dest, clause := r.towDestination()
		e = r.grant(tTowNearest, clause)
		e.Destination = dest
	}
	switch e.Destination {
	case NearestWorkshop:
		r.text(e, tTowNearest)
	case RegularWorkshopDest:
		r.text(e, tTowRegular)
	default:
		r.text(e, tTowCharger)
	}
	r.towTo = e.Destination
	r.nameSites(e)
}

func (r *run) towDestination() (dest, clause string) {
	requested := isTrue(r.c.RequestedRegularWorkshop)
	regular := r.d.Distances.RegularWorkshop
	if r.pr.TowHomeRule {
		home := r.d.Distances.Home
		if !r.abroad && home.Known() {
			th := r.threshold(pTowHomeMaxKm, pTowHomeMaxMi)
			if meters(home.Km) < th {
				return RegularWorkshopDest, "1.2"
			}
		}
		if requested && !r.abroad && regular.Known() {
			if meters(regular.Km) <= r.threshold(pRegularWorkshopMaxKm, pRegularWorkshopMaxMi) {
				return RegularWorkshopDest, "1.1"
			}
		}
		if requested && r.abroad {
			r.rely(rGbTowAbroad)
		}
		return NearestWorkshop, "1.2"
	}
	if requested && !r.abroad && regular.Known() {
		th := r.threshold(pTowRegularMaxKm, pTowRegularMaxMi)
		if r.pr.TowReading {
			r.num(pRegularWorkshopMaxKm)
			r.rely(rDeTowInclusive)
		}
		if meters(regular.Km) <= th {
			return RegularWorkshopDest, "1.2"
		}
	}
	return NearestWorkshop, "1.2"
}

// nameSites names the concrete destination from the service network (when a
// network is loaded) and the customer's regular workshop when one is on the case.
func (r *run) nameSites(e *EntitlementDetail) {
	if rw := r.c.RegularWorkshop; rw != nil && (rw.ID != "" || rw.Name != "") {
		ref := &SiteRef{ID: rw.ID, Name: rw.Name, Km: r.d.Distances.RegularWorkshop.Km,
			Method: r.d.Distances.RegularWorkshop.Method}
		if ref.Name == "" && r.env.Sites != nil {
			if s, ok := r.env.Sites.Site(rw.ID); ok {
				ref.Name = s.Name
			}
		}
		e.Regular = ref
		if e.Destination == RegularWorkshopDest {
			e.Site = ref
		}
	}
	if e.Destination == RegularWorkshopDest || r.env.Sites == nil || !r.hasPoint {
		return
	}
	kind := roadcover.SiteWorkshop
	if e.Destination == NearestChargerOrWorkshop {
		kind = ""
	}
	if near := r.env.Sites.Nearest(r.point, kind, 1); len(near) > 0 {
		s := near[0]
		e.Site = &SiteRef{ID: s.ID, Name: s.Name, Km: s.Km, Method: s.Method}
	}
}

// trailerAndLivestock implements general: caravans and trailers towed by the
// car are covered; for livestock only help to get the horsebox and animals to
// safety, the animals themselves not covered. Same in every version.
func (r *run) trailerAndLivestock() {
	if r.c.Event.Kind == KindTheft {
		return
	}
	switch r.c.Trailer {
	case "caravan", "trailer", "horsebox":
		r.grant(tTrailerRecovery, "general")
	}
	if isTrue(r.c.Livestock) {
		r.grant(tLivestockToSafety, "general")
	}
}
