package assistance

import "roadcover/terms"

// profile holds the structural differences between the versions that are not
// numbers (numbers live in the parameter tables): which clause a rule sits in
// and which rules a text has at all. A version whose text changes structure
// needs an entry of its own (terms/data/README.md); a version that changes
// only numbers takes the entry of the version before it (profileOf), so that
// it is one new data file and nothing else. A test checks that every
// version has a profile.
type profile struct {
	// LockClause is the clause on lock and key problems (GB 1.1.3, 2023 1.1.2).
	LockClause string
	// FuelClause is the GB clause on empty tanks and wrong fuel; "" when the
	// text has none (the 2023 texts dropped it).
	FuelClause string
	// SpareKey: GB 1.1.3 also ships a spare key.
	SpareKey bool
	// BatteryReading: GB 1.1.1 speaks only of "a flat battery".
	BatteryReading bool
	// FuelExcludesFurther: the GB fuel exclusion removes the 1.3 options.
	FuelExcludesFurther bool
	// OneDayRental: GB 1.3.3 gives one day of car hire after accidents,
	// theft and vandalism.
	OneDayRental bool
	// TowHomeRule: GB 1.2 tows to the customer's workshop when home is under
	// the threshold, without being asked.
	TowHomeRule bool
	// TowReading: the reading de_tow_inclusive is behind the inclusive 110 km
	// of 1.1/1.2.
	TowReading bool
	// TaxiTransfer and CollectionTaxi: the 2023 texts add short taxi rides
	// to 1.3.1 and a taxi under 110 km to 1.4.
	TaxiTransfer   bool
	CollectionTaxi bool
	// Footnote: the 2023 footnote on 1.6 (younger than 37 months).
	Footnote bool
	// AllowanceAppliesTo and IncludesLocalRental say what the 1.5 allowance pays.
	AllowanceAppliesTo  []string
	IncludesLocalRental bool
	// LocalRentalDayKind is how the 1.5 rental days are counted.
	LocalRentalDayKind string
	// LocalEquivalent: EUR limits are "or the equivalent in local currency".
	LocalEquivalent bool
	// GeneralReading: the reading general_part applies the UK general part
	// (not needed for GB).
	GeneralReading bool
}

var (
	localExpenses       = []string{"local_expenses"}
	localRental         = []string{"local_rental"}
	localExpensesRental = []string{"local_expenses", "local_rental"}
)

var profiles = map[string]*profile{
	"assistance-gb-2022": {
		LockClause: "1.1.3", FuelClause: "1.1.2", SpareKey: true, BatteryReading: true,
		FuelExcludesFurther: true, OneDayRental: true, TowHomeRule: true,
		AllowanceAppliesTo: localExpenses, LocalRentalDayKind: "calendar",
	},
	"assistance-de-2023-05": {
		LockClause: "1.1.2", TowReading: true, TaxiTransfer: true, CollectionTaxi: true,
		Footnote: true, AllowanceAppliesTo: localExpenses, IncludesLocalRental: true,
		LocalRentalDayKind: "working", LocalEquivalent: true, GeneralReading: true,
	},
	"assistance-pt-2023-05": {
		LockClause: "1.1.2", TaxiTransfer: true, CollectionTaxi: true, Footnote: true,
		AllowanceAppliesTo: localRental, LocalRentalDayKind: "working", LocalEquivalent: true,
		GeneralReading: true,
	},
	"assistance-dk-2023-05": {
		LockClause: "1.1.2", TaxiTransfer: true, CollectionTaxi: true, Footnote: true,
		AllowanceAppliesTo: localExpensesRental, LocalRentalDayKind: "working", LocalEquivalent: true,
		GeneralReading: true,
	},
}

// profileOf is the version's own profile, else the profile of the version of
// its market in force before it when v has the same structure as that one
// (terms.Version.SameStructure); nil when there is none, and then no
// decision can be made under v (Decide says so).
func profileOf(v *terms.Version, all []*terms.Version) *profile {
	if p, ok := profiles[v.ID]; ok {
		return p
	}
	prev, ok := terms.Previous(v, all)
	if !ok || v.SameStructure(prev) != nil {
		return nil
	}
	return profileOf(prev, all)
}
