package roadcover

// Place is what the product knows of a position: its country and any
// special zone inside it that the terms treat differently.
type Place struct {
	// Country is the ISO 3166-1 alpha-2 code of the country whose territory
	// holds the point; "" at sea beyond the coastal tolerance.
	Country string `json:"country"`
	// Zone names a special area: ZoneNorthernCyprus, ZoneCyprusBufferZone,
	// ZoneSovereignBase, ZoneCrimea; "" elsewhere.
	Zone string `json:"zone,omitempty"`
	// SnappedKm is above 0 when the point lay in no country's polygon and was
	// given to the nearest country within the coastal tolerance.
	SnappedKm float64 `json:"snapped_km,omitempty"`
}

// Special zones a Place may carry.
const (
	ZoneNorthernCyprus   = "cy_north"       // Turkish-controlled north of Cyprus
	ZoneCyprusBufferZone = "cy_buffer_zone" // UN buffer zone
	ZoneSovereignBase    = "gb_sovereign_base"
	ZoneCrimea           = "ua_crimea" // Crimea with Sevastopol, Ukraine under ISO 3166-1
)

// Site is a place of the service network: an authorised workshop, a
// charging station, or the base of a tow partner.
type Site struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"` // SiteWorkshop, SiteCharger or SiteTow
	Name    string   `json:"name"`
	Address string   `json:"address,omitempty"`
	Country string   `json:"country"`
	Point   Point    `json:"position"`
	Sample  bool     `json:"sample,omitempty"` // shipped demo data, not a real site
	Source  string   `json:"source,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Phone   string   `json:"phone,omitempty"` // international format, "+49 …"
	// Tow is the fleet of a tow partner (kind SiteTow only).
	Tow *TowFleet `json:"tow,omitempty"`
}

// Kinds of sites. Workshops and chargers are destinations of a tow; a tow
// partner's base is where its trucks start from.
const (
	SiteWorkshop = "workshop"
	SiteCharger  = "charger"
	SiteTow      = "tow"
)

// TowFleet is what a tow partner sends out and how far.
type TowFleet struct {
	Trucks   []string `json:"trucks"`           // kinds of truck, Truck…
	Plates   []string `json:"plates,omitempty"` // registration plates of its trucks
	RadiusKm float64  `json:"radius_km"`        // it serves breakdowns within this distance of its base
}

// Kinds of tow truck.
const (
	TruckFlatbed    = "flatbed"     // carries the car on a tilting bed: any car, electric ones with a locked drive included
	TruckWheelLift  = "wheel_lift"  // lifts the car by one axle
	TruckHeavy      = "heavy"       // heavy recovery: crane, winch, vans and trailers
	TruckServiceVan = "service_van" // repairs on the spot, tows nothing
)

// TruckKinds lists every kind of tow truck.
var TruckKinds = []string{TruckFlatbed, TruckWheelLift, TruckHeavy, TruckServiceVan}

// SiteDistance is a site with its distance from a query point.
type SiteDistance struct {
	Site
	Km     float64 `json:"distance_km"`
	Method string  `json:"distance_method"` // "great_circle" or "road"
}
