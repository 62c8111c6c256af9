package assistance

const groupCollection = "collection"

// collection implements 1.4: when 1.3 is due and the car was left at a
// workshop (reading collection_after_workshop), and the workshop is farther
// than the threshold from where the customer is (GB 68 miles, DE/PT/DK
// 110 km): a first-class single train ticket for one person, and a flight as
// the alternative when the train takes more than six hours. DE/PT/DK only: a
// taxi when the workshop is less than 110 km away, and also at exactly
// 110 km, which neither sentence names (reading collection_gap).
func (r *run) collection() {
	if !r.furtherGiven || r.c.Event.Kind == KindTheft {
		return
	}
	r.rely(rCollectionAfterWorkshop)
	dist := r.d.Distances.WorkshopToCustomer
	if !dist.Known() {
		return
	}
	m := meters(dist.Km)
	th := r.threshold(pCollectionMinKm, pCollectionMinMi)
	switch {
	case m > th:
		r.num(pCollectionPersons)
		train := r.grant(tCollectionTrain, "1.4")
		hours := float64(r.num(pCollectionFlightAfterTrainHours))
		if t := r.c.TrainHoursToWorkshop; t != nil && *t > hours {
			train.ChooseOne = groupCollection
			fl := r.grant(tCollectionFlight, "1.4")
			fl.ChooseOne = groupCollection
		}
	case r.pr.CollectionTaxi:
		under := r.num(pCollectionTaxiUnderKm) * 1000
		if m == under {
			r.rely(rCollectionGap)
		}
		if m <= under {
			r.grant(tCollectionTaxi, "1.4")
		}
	}
}
