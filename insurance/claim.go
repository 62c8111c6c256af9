package insurance

import (
	"roadcover"
	"roadcover/terms"
)

// Claim is one decoded and checked claim, with the terms version in force on
// the incident day and the price base amount of its calendar year.
type Claim struct {
	Version    *terms.Version
	Market     string
	OccurredAt roadcover.Date
	ReportedAt roadcover.Date // zero when not given
	Language   roadcover.Language
	PBBYear    int
	PBB        int64 // öre

	Policy   Policy
	Vehicle  Vehicle
	Driver   Driver
	Incident Incident
	Costs    Costs
}

// Policy is what the insurance letter says.
type Policy struct {
	Covers                    coverSet
	Deductibles               map[string]int64 // öre by name: fire, glass, theft, rescue, collision, detached_part
	LowestCollisionDeductible int64
	HasLowestCollision        bool
	PrivatePerson             bool
	VATRegistered             bool
	BonusClass                int64
	ClaimFreeYears            int64
	DeclinedAutoCollision     bool
}

// Vehicle describes the insured car.
type Vehicle struct {
	FirstRegistered             roadcover.Date
	ModelYear                   int64
	OdometerKm                  int64
	Alarm                       string // none, approved or ssf_recommended
	AlarmLevelSensor            bool   // the alarm has a level sensor (2.4: mounted wheels)
	AlloyWheels                 bool
	LockingWheelNuts            bool
	MissedServices              int64
	PVWarrantyAtStart           bool
	LaidUp                      bool
	OwnedSinceFirstRegistration bool
	InLockedGarage              *bool
}

// Driver describes who drove at the incident.
type Driver struct {
	Age             int64
	HasAge          bool
	IsPolicyholder  bool
	Licence         bool
	Intoxicated     bool
	DrivingBan      bool
	GrossNegligence bool
	Intent          bool
	// WithoutPermission: the driver drove without the insured's
	// permission, which ends Care for everyone in the car (2.14).
	WithoutPermission bool
}

// Incident describes what happened.
type Incident struct {
	Peril                    string
	Country                  string
	PoliceReport             bool
	ReportedToOwner          bool
	Animal                   string
	GlassRepaired            bool
	AtPolestarDealer         bool
	InCollision              bool
	DetachedPart             bool
	DetachedPartUnlocked     bool
	ExplosionInsideComponent bool
	AlarmActivated           *bool
	CarUnlocked              bool
	KeyInOrNearCar           bool
	RecoveredWithin30Days    *bool
	RecoveredWithin1Day      *bool
	UnauthorisedUseByHolder  bool
	EquipmentUnproven        bool
	ByHouseholdMember        bool
	Fraud                    bool
	Component                string
	Tuned                    bool
	FaultyRepair             bool
	ExternalCause            bool
	Forum                    string
	Dispute                  string
	DisputeID                string
	AboutThisInsurance       bool
	TyreDefect               bool
	TrackOrCompetition       bool
	OtherVehicle             string
	Cause                    string
	PoliceOrMilitaryUse      bool
	FalseInformation         bool
	IceNotChecked            bool
	CoveredByWarranty        bool
	RepairDays               int64
	CausedByAnimal           bool
}

// Costs holds the amounts of the claim, in öre.
type Costs struct {
	Repair, MarketValue, ValueAfterDamage, NewCarPrice  int64
	HasRepair, HasMarketValue, HasValueAfter, HasNewCar bool
	ThirdParty, Clothes, WarrantyDeductible             int64
	HasWarrantyDeductible                               bool
	Wheels                                              *Wheels
	Rescue                                              *Rescue
	Legal                                               *Legal
	Rental                                              *Rental
	TherapySessions                                     []int64   // undated amounts
	TherapyDated                                        []Session // dated sessions (the 12-month window is checked)
	LegalClaims                                         []Legal   // further legal claims; one dispute per dispute id
	Towing, Collection                                  int64     // 4.9: towing to a workshop, collecting a recovered car
	TherapyInSweden                                     bool
	CarePersons                                         []CarePerson
}

// Wheels are stolen wheels (4.4).
type Wheels struct {
	Tyres, Rims       int64
	TyresAge, RimsAge int64
}

// Rescue holds the transport costs of 2.6.
type Rescue struct {
	PersonTransport, CarTransport, SavedFuel, CoveredElsewhere int64
}

// Legal holds the costs of a dispute (2.7). Hours are in hundredths.
type Legal struct {
	LawyerCentiHours                          int64
	HourlyRate, Investigation, Witness, Other int64
	LawyerQualified                           bool
	DisputeID                                 string // the dispute this claim belongs to; default incident.dispute_id
	HasDisputeID                              bool
}

// Session is one dated crisis-therapy session (2.4).
type Session struct {
	Date   roadcover.Date
	Amount int64
}

// Rental holds the rental-car costs of 2.11.1.
type Rental struct {
	Days                            int64 // every rental day, in Sweden and abroad
	SwedenOutbound, SwedenHomebound int64 // abroad: rental days in Sweden on the way out and home
	DrivableDays, OwnDelayDays      int64
	Daily, Km                       int64
	CashInstead, NotRepaired        bool
}

// CarePerson is one injured driver or passenger (2.14).
type CarePerson struct {
	Age              int64
	ResidentInSweden bool
	Injury           string
}

// coverSet is a set of covers held, as bits.
type coverSet uint32

func (s coverSet) has(c cover) bool { return s&(1<<c) != 0 }

type cover uint8

const (
	cvTraffic cover = iota
	cvFire
	cvGlass
	cvTheft
	cvMachinery
	cvRescue
	cvLegal
	cvCollision
	cvLayup
	cvBas
	cvPlus
	cvAnimal
	cvCare
)

var coverNames = [...]string{"traffic", "fire", "glass", "theft", "machinery", "rescue", "legal", "collision", "layup", "bas", "plus", "animal_collision", "care"}

func coverByName(s string) (cover, bool) {
	for i, n := range coverNames {
		if n == s {
			return cover(i), true
		}
	}
	return 0, false
}

// Enumerations of the input.
var (
	perils = []string{
		"collision", "single_vehicle", "vandalism", "parking_damage", "animal_collision", "other_external",
		"fire", "arson", "lightning", "explosion", "short_circuit",
		"windscreen", "side_window", "rear_window",
		"vehicle_theft", "unauthorised_taking", "attempted_theft", "break_in", "parts_theft", "wheel_theft",
		"robbery", "key_theft",
		"machinery_failure", "legal_dispute", "interior_accident", "key_loss", "transport_damage",
		"warranty_repair", "third_party_injury", "third_party_property", "breakdown", "driver_illness",
	}
	alarms     = []string{"none", "approved", "ssf_recommended", "approved_level_sensor"}
	disputes   = []string{"contract", "damages", "other", "small_claim", "professional_rental", "co_owners", "group_action_member", "crime_damages", "no_justified_interest"}
	forums     = []string{"district_court", "court_of_appeal", "supreme_court", "board", "authority", "arbitration", "internal_review", "other"}
	causes     = []string{"none", "cold", "rust", "corrosion", "wet", "wear", "war", "nuclear", "dam_failure", "sanctioned"}
	otherVehs  = []string{"none", "known_swedish", "known_foreign", "unknown"}
	injuries   = []string{"physical", "dental", "mental", "illness"}
	components = append(append([]string{}, machineryComponents...), excludedComponents...)
	// machineryComponents are the parts the list of 2.5 names.
	machineryComponents = []string{
		"drive_motor", "traction_battery", "cooling_system", "energy_recovery", "dc_converter",
		"high_voltage_wiring", "charging_inlet", "inverter", "onboard_charger", "power_transmission",
		"wheel_bearing", "brake_servo", "master_cylinder", "abs", "vacuum_pump", "electric_parking_brake",
		"steering_gear", "steering_pump", "suspension_pump", "central_electronics", "instrument_cluster",
		"obd", "trip_computer", "cruise_control", "rain_sensor", "steering_lock", "headlamp_pixel",
		"climate_system", "airbag", "seat_belt", "stability_control", "active_safety", "infotainment",
	}
	// excludedComponents are known parts the list of 2.5 leaves out.
	excludedComponents = []string{"connector_wiring", "battery_12v", "steering_rod", "other"}
	// policeAnimals need a police report (2.11.2); ownerAnimals a report to
	// the owner or the police; the rest need no report.
	policeAnimals = []string{"moose", "roe_deer", "deer", "fallow_deer", "red_deer", "wild_boar", "bear", "wolf", "wolverine", "lynx", "otter", "eagle", "mouflon"}
	ownerAnimals  = []string{"reindeer", "domestic", "dog", "cat", "horse", "cow", "sheep", "goat", "pig"}
	otherAnimals  = []string{"hare", "fox", "badger", "bird", "other"}
	animals       = append(append(append([]string{}, policeAnimals...), ownerAnimals...), otherAnimals...)
)

func in(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
