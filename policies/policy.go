package policies

import (
	"errors"
	"fmt"
	"time"

	"roadcover"
)

// Policyholder is who holds the policy (1.2).
type Policyholder struct {
	Name          string
	IDNumber      string // normalised: YYYYMMDD-NNNN or NNNNNN-NNNN
	Kind          HolderKind
	VATRegistered bool // 4.6: amounts are taken without VAT
	Contact       Contact
	Language      roadcover.Language
}

// Contact is how the policyholder is reached.
type Contact struct {
	Email, Phone string
	Address      Address
}

// Address is a postal address; Country is ISO 3166 alpha-2.
type Address struct {
	Street, PostalCode, City, Country string
}

// Car is the insured car (1.1: a passenger car registered in Sweden).
type Car struct {
	VIN               string
	Registration      string
	PersonalisedPlate bool
	FirstRegistered   roadcover.Date
	ModelYear         int
	// DamageWarranty: the car came new with the maker's three-year damage
	// warranty (PV-garanti; the insurance input's pv_warranty_at_start).
	DamageWarranty              bool
	OwnedSinceFirstRegistration bool   // 4.8
	Alarm                       string // none, approved, ssf_recommended, unapproved (2.4)
	AlarmLevelSensor            bool
	AlloyWheels                 bool
	LockingWheelNuts            bool
}

// Plan is how often the premium is invoiced (5.2).
type Plan string

// The payment plans of 5.2.
const (
	Yearly     Plan = "yearly"
	HalfYearly Plan = "half_yearly"
	Monthly    Plan = "monthly"
)

// InvoiceChannel is how invoices are sent (5.2): by e-invoice, or on paper
// for a fee.
type InvoiceChannel string

// The invoice channels of 5.2.
const (
	EInvoice InvoiceChannel = "e_invoice"
	Paper    InvoiceChannel = "paper"
)

// Payment is the payment plan of the letter.
type Payment struct {
	Plan    Plan
	Channel InvoiceChannel
}

// Covers are the covers and add-ons a letter can hold, in the order of the
// insurance engine (insurance.Claim's policy.covers).
var Covers = []string{"traffic", "fire", "glass", "theft", "machinery", "rescue", "legal", "collision", "layup", "bas", "plus", "animal_collision", "care"}

// DeductibleNames are the base deductibles an insurance letter states.
var DeductibleNames = []string{"fire", "glass", "theft", "rescue", "collision", "detached_part"}

// coverClause is the clause of each cover.
var coverClause = map[string]string{
	"traffic": "2.1", "fire": "2.2", "glass": "2.3", "theft": "2.4", "machinery": "2.5", "rescue": "2.6",
	"legal": "2.7", "collision": "2.8", "layup": "2.10", "bas": "2.11", "plus": "2.12",
	"animal_collision": "2.13", "care": "2.14",
}

// Letter is what an insurance letter states: the editable content of a
// version.
type Letter struct {
	Policyholder Policyholder
	Car          Car
	Covers       []string // in the order of Covers
	// AutoCollision: the collision cover was added by 5.10 when the damage
	// warranty ended, with the deductible of 5.10.
	AutoCollision             bool
	Deductibles               map[string]roadcover.Money
	LowestCollisionDeductible roadcover.Money // 2.10, 2.11.2: the lowest collision deductible on offer
	HasLowestCollision        bool
	DeclinedAutoCollision     bool // 5.10 declined
	BonusClass                int
	ClaimFreeYears            int
	LaidUp                    bool // deregistered and stored in Sweden (2.10)
	Payment                   Payment
	Premium                   roadcover.Money // the premium of the insurance period, as given
}

// Has reports whether the letter holds a cover.
func (l *Letter) Has(cover string) bool {
	for _, c := range l.Covers {
		if c == cover {
			return true
		}
	}
	return false
}

// ChangeKind says what made a version.
type ChangeKind string

// The kinds of version.
const (
	Issue         ChangeKind = "issue"          // the policy was signed (5.1)
	Amendment     ChangeKind = "change"         // a change of the letter from a day
	Renewal       ChangeKind = "renewal"        // a new insurance period from the yearly due date (5.1)
	AutoCollision ChangeKind = "auto_collision" // 5.10
	Cancellation  ChangeKind = "cancellation"   // the policy ends from a day
)

// Version is one version of a policy: the letter in force from ValidFrom,
// in its insurance period. Versions are never edited; a later version (or a
// later number on the same day) supersedes it from its own day.
type Version struct {
	PolicyID  string
	Number    int
	Kind      ChangeKind
	ValidFrom roadcover.Date
	IssuedAt  time.Time // when the insurance letter of this version was made
	IssuedBy  string    // who made the change (an actor id, or "system")
	Reason    string
	TermsID   string // the insurance terms in force on ValidFrom
	Period    Period
	Ended     bool // the policy ends from ValidFrom
	Notes     []Note
	Letter    Letter
}

// LetterNumber names the insurance letter of the version.
func (v *Version) LetterNumber() string { return fmt.Sprintf("%s-%d", v.PolicyID, v.Number) }

// Policy is one motor policy and every version of it, oldest first.
type Policy struct {
	ID       string
	DueDate  MonthDay // the yearly due date (5.1)
	Versions []*Version
}

// ErrNotInForce is returned when no version of the policy is in force on a day.
var ErrNotInForce = errors.New("policies: the policy is not in force on that day")

// VersionOn returns the version in force on day: the version with the
// latest ValidFrom not after day (the highest number on a tie), when day is
// inside its insurance period and the policy has not ended.
func (p *Policy) VersionOn(day roadcover.Date) (*Version, error) {
	var best *Version
	for _, v := range p.Versions {
		if day.Before(v.ValidFrom) {
			continue
		}
		if best == nil || best.ValidFrom.Before(v.ValidFrom) || (best.ValidFrom == v.ValidFrom && v.Number > best.Number) {
			best = v
		}
	}
	switch {
	case best == nil:
		return nil, fmt.Errorf("%s on %s: before the first insurance period: %w", p.ID, day, ErrNotInForce)
	case best.Ended:
		return nil, fmt.Errorf("%s on %s: the policy ended on %s: %w", p.ID, day, best.ValidFrom, ErrNotInForce)
	case best.Period.Until.Before(day):
		return nil, fmt.Errorf("%s on %s: the insurance period ended on %s and was not renewed: %w", p.ID, day, best.Period.Until, ErrNotInForce)
	}
	return best, nil
}

// Latest is the version with the highest number.
func (p *Policy) Latest() *Version { return p.Versions[len(p.Versions)-1] }

// sortCovers orders covers as Covers does and drops duplicates.
func sortCovers(cs []string) []string {
	var out []string
	for _, c := range Covers {
		for _, x := range cs {
			if x == c {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func cloneLetter(l Letter) Letter {
	n := l
	n.Covers = append([]string(nil), l.Covers...)
	n.Deductibles = make(map[string]roadcover.Money, len(l.Deductibles))
	for k, v := range l.Deductibles {
		n.Deductibles[k] = v
	}
	return n
}
