package reimbursement

import "roadcover"

// Receipt is what a customer paid, as read from the receipt's JSON part
// (DecodeReceipt) or built by the desk. Amounts are in the receipt's own
// currency.
type Receipt struct {
	// ID names the receipt within its case; the desk gives it (it is not
	// part of the JSON).
	ID       string
	Category string
	// Amount is the total paid, VAT included.
	Amount roadcover.Money
	// VAT is the VAT shown on the receipt, in Amount's currency; nil when
	// the receipt shows none.
	VAT *roadcover.Money
	// Date is the day of the receipt (of payment).
	Date     roadcover.Date
	Merchant string
	// Country is where the service was bought (ISO 3166-1 alpha-2); "" means
	// the country where the car is.
	Country string
	// Persons is how many people the receipt is for (at least 1).
	Persons int
	// Nights (hotel) and Days (rental car) count from ServiceFrom, the
	// first night or the first rental day.
	Nights      int
	Days        int
	ServiceFrom roadcover.Date
	// Mode is how the customer travelled: required for collection
	// (train, flight, taxi), optional for onward travel (train, bus,
	// flight, taxi).
	Mode string
	// DistanceKm is the length of a taxi ride when the receipt gives it.
	DistanceKm *float64
	// ArrangedByAssistance is true when assistance arranged or approved the
	// service beforehand.
	ArrangedByAssistance bool
}

// Receipt categories. Each maps to the entitlement of the decision it is
// checked against; fuel, repair_and_parts and tyres are never paid.
const (
	OnwardTravel   = "onward_travel"    // 1.3.1 onward_travel
	Hotel          = "hotel"            // 1.3.2 hotel
	RentalCar      = "rental_car"       // 1.3.3 rental_car
	Taxi           = "taxi"             // 1.3.1 taxi_transfer (DE, PT, DK)
	Collection     = "collection"       // 1.4 collection_train, collection_flight, collection_taxi
	ExpensesAbroad = "expenses_abroad"  // 1.5 local_repair_allowance
	LocalRental    = "local_rental"     // 1.5 local_rental_car, or within the allowance
	Fuel           = "fuel"             // never paid (1.3.3)
	RepairAndParts = "repair_and_parts" // never paid (exclusions)
	Tyres          = "tyres"            // never paid (exclusions)
)

// Categories lists every receipt category, in a fixed order.
var Categories = []string{OnwardTravel, Hotel, RentalCar, Taxi, Collection, ExpensesAbroad, LocalRental,
	Fuel, RepairAndParts, Tyres}

// Travel modes.
const (
	ModeTrain  = "train"
	ModeBus    = "bus"
	ModeFlight = "flight"
	ModeTaxi   = "taxi"
)

var (
	collectionModes = []string{ModeTrain, ModeFlight, ModeTaxi}
	onwardModes     = []string{ModeTrain, ModeBus, ModeFlight, ModeTaxi}
)

// Entitlement codes of the assistance decision that receipts are checked
// against.
const (
	entOnwardTravel     = "onward_travel"
	entHotel            = "hotel"
	entRentalCar        = "rental_car"
	entTaxiTransfer     = "taxi_transfer"
	entCollectionTrain  = "collection_train"
	entCollectionFlight = "collection_flight"
	entCollectionTaxi   = "collection_taxi"
	entAllowance        = "local_repair_allowance"
	entLocalRentalCar   = "local_rental_car"
)

// categoryClause is the clause a category rests on, for the refusals that
// have no entitlement to take it from.
var categoryClause = map[string]string{
	OnwardTravel:   "1.3.1",
	Hotel:          "1.3.2",
	RentalCar:      "1.3.3",
	Taxi:           "1.3.1",
	Collection:     "1.4",
	ExpensesAbroad: "1.5",
	LocalRental:    "1.5",
	Fuel:           "1.3.3",
	RepairAndParts: "exclusions",
	Tyres:          "exclusions",
}

// nights lists the nights of a hotel receipt, or the days of a rental.
func spanDays(from roadcover.Date, n int) []roadcover.Date {
	out := make([]roadcover.Date, n)
	d := from.Time()
	for i := range n {
		out[i] = roadcover.DateOf(d.AddDate(0, 0, i))
	}
	return out
}

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}
