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

// Site is a place of the service network: an authorised workshop or a
// charging station.
type Site struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"` // SiteWorkshop or SiteCharger
	Name    string   `json:"name"`
	Address string   `json:"address,omitempty"`
	Country string   `json:"country"`
	Point   Point    `json:"position"`
	Sample  bool     `json:"sample,omitempty"` // shipped demo data, not a real site
	Source  string   `json:"source,omitempty"`
	Tags    []string `json:"tags,omitempty"`
}

// Kinds of sites.
const (
	SiteWorkshop = "workshop"
	SiteCharger  = "charger"
)

// SiteDistance is a site with its distance from a query point.
type SiteDistance struct {
	Site
	Km     float64 `json:"distance_km"`
	Method string  `json:"distance_method"` // "great_circle" or "road"
}
