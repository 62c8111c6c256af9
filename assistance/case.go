package assistance

import (
	"time"

	"roadcover"
	"roadcover/terms"
)

// Case is one breakdown or accident as the desk reports it (the input of
// spec/assistance.md). Fields that are not given are unknown, not false:
// optional flags and numbers are pointers.
type Case struct {
	Market                   string           `json:"market"`
	Language                 string           `json:"language,omitempty"`
	OccurredAt               string           `json:"occurred_at"`
	ReportedAt               string           `json:"reported_at"`
	Contact                  Contact          `json:"contact,omitzero"`
	Customer                 Customer         `json:"customer,omitzero"`
	Vehicle                  Vehicle          `json:"vehicle,omitzero"`
	Location                 Location         `json:"location,omitzero"`
	Home                     Home             `json:"home,omitzero"`
	Distances                GivenDistances   `json:"distances_km,omitzero"`
	Trip                     string           `json:"trip,omitempty"`
	Event                    Event            `json:"event"`
	People                   People           `json:"people,omitzero"`
	Trailer                  string           `json:"trailer,omitempty"`
	Livestock                *bool            `json:"livestock,omitempty"`
	RequestedRegularWorkshop *bool            `json:"requested_regular_workshop,omitempty"`
	Repair                   Repair           `json:"repair,omitzero"`
	TrainHoursToWorkshop     *float64         `json:"train_hours_to_workshop,omitempty"`
	RegularWorkshop          *RegularWorkshop `json:"regular_workshop,omitempty"`

	// Resolved by Decode (Decide resolves them itself when they are unset).
	Occurred        time.Time      `json:"-"`
	Reported        time.Time      `json:"-"`
	FirstRegistered roadcover.Date `json:"-"`
	ReadyBy         roadcover.Date `json:"-"`
	Terms           *terms.Version `json:"-"`
	// Place is the country (and zone) of the location; PlaceKnown is false
	// when neither a country nor coordinates with a country finder are given.
	Place      roadcover.Place `json:"-"`
	PlaceKnown bool            `json:"-"`
	// PlaceFrom says how Place was found: "given" or "coordinates".
	PlaceFrom string `json:"-"`
}

// Contact is how the customer reached assistance and who they are.
type Contact struct {
	Channel string `json:"channel,omitempty"` // on_call, app, phone, none
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
}

// Customer holds what matters about the customer's tax position.
type Customer struct {
	VATRegistered *bool `json:"vat_registered,omitempty"`
}

// Vehicle identifies the car and its use.
type Vehicle struct {
	VIN             string `json:"vin,omitempty"`
	Registration    string `json:"registration,omitempty"`
	Model           string `json:"model,omitempty"`
	Colour          string `json:"colour,omitempty"`
	FirstRegistered string `json:"first_registered,omitempty"`
	Powertrain      string `json:"powertrain,omitempty"`
	Use             string `json:"use,omitempty"`
	Deregistered    *bool  `json:"deregistered,omitempty"`
}

// Location is where the car is.
type Location struct {
	Country     string   `json:"country,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Point returns the coordinates when both are given.
func (l Location) Point() (roadcover.Point, bool) { return point(l.Lat, l.Lon) }

// Home is where the customer lives.
type Home struct {
	Country string   `json:"country,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
}

// Point returns the coordinates when both are given.
func (h Home) Point() (roadcover.Point, bool) { return point(h.Lat, h.Lon) }

// RegularWorkshop is the customer's own Polestar workshop.
type RegularWorkshop struct {
	ID   string   `json:"id,omitempty"`
	Name string   `json:"name,omitempty"`
	Lat  *float64 `json:"lat,omitempty"`
	Lon  *float64 `json:"lon,omitempty"`
}

// Point returns the coordinates when both are given.
func (w RegularWorkshop) Point() (roadcover.Point, bool) { return point(w.Lat, w.Lon) }

func point(lat, lon *float64) (roadcover.Point, bool) {
	if lat == nil || lon == nil {
		return roadcover.Point{}, false
	}
	p := roadcover.Point{Lat: *lat, Lon: *lon}
	return p, p.Valid()
}

// GivenDistances are distances in km the desk already knows; they override
// what the engine would compute from coordinates.
type GivenDistances struct {
	Home               *float64 `json:"home,omitempty"`
	RegularWorkshop    *float64 `json:"regular_workshop,omitempty"`
	WorkshopToCustomer *float64 `json:"workshop_to_customer,omitempty"`
}

// Event is what happened.
type Event struct {
	Kind        string `json:"kind"`
	Immobilised *bool  `json:"immobilised,omitempty"`
	Cause       string `json:"cause,omitempty"`
	Description string `json:"description,omitempty"`
}

// People counts who travels with the driver.
type People struct {
	Passengers *int64 `json:"passengers,omitempty"`
	Pets       *int64 `json:"pets,omitempty"`
}

// Repair is what the workshop or patrol says about the repair.
type Repair struct {
	RoadsidePossible  *bool    `json:"roadside_possible,omitempty"`
	SameDayWithin4h   *bool    `json:"same_day_within_4h,omitempty"`
	WorkingDaysNeeded *float64 `json:"working_days_needed,omitempty"`
	HoursNeeded       *float64 `json:"hours_needed,omitempty"`
	ReadyBy           string   `json:"ready_by,omitempty"`
}

// Event kinds (spec: events).
const (
	KindBreakdown        = "breakdown"
	KindPuncture         = "puncture"
	KindTractionEmpty    = "traction_battery_empty"
	KindBattery12V       = "battery_12v_flat"
	KindOutOfFuel        = "out_of_fuel"
	KindWrongFuel        = "wrong_fuel"
	KindContaminatedFuel = "contaminated_fuel"
	KindLockedOut        = "locked_out"
	KindKeyLost          = "key_lost"
	KindKeyBroken        = "key_broken"
	KindAccident         = "accident"
	KindAttemptedTheft   = "attempted_theft"
	KindVandalism        = "vandalism"
	KindTheft            = "theft"
	KindFire             = "fire"
)

// The allowed values of every enumerated input field.
var (
	eventKinds = []string{KindBreakdown, KindPuncture, KindTractionEmpty, KindBattery12V, KindOutOfFuel,
		KindWrongFuel, KindContaminatedFuel, KindLockedOut, KindKeyLost, KindKeyBroken, KindAccident,
		KindAttemptedTheft, KindVandalism, KindTheft, KindFire}
	eventCauses = []string{"none", "lack_of_maintenance", "competition", "deliberate_offence", "force_majeure",
		"other_warranty_or_liability"}
	channels     = []string{"on_call", "app", "phone", "none"}
	vehicleUses  = []string{"private", "taxi", "rental", "police", "ambulance", "driving_school", "emergency"}
	trips        = []string{"domestic", "outbound", "homebound"}
	trailerKinds = []string{"none", "caravan", "trailer", "horsebox"}
)

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }
