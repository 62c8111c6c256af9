package desk

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// What a driver and a tow partner do for the driver's page: the partner's
// truck reports where it is on its job; the driver makes the one choice of
// further assistance (1.3) the decision offers, and corrects the car's
// position by moving a pin, which is recorded on the case's timeline for
// the operator to see, never written into the facts.

const (
	// RoleDriver is the role of what a driver does at a tracking link.
	RoleDriver = "driver"
	// EventDriverPosition is a position of the car the driver gave at the
	// link.
	EventDriverPosition = "driver_position_reported"
	// MinPositionInterval is the shortest time between two positions of one
	// job that the desk takes (a truck's device reporting faster is told to
	// wait).
	MinPositionInterval = 2 * time.Second
	// MinCorrectionInterval is the shortest time between two corrections of
	// the car's position at one case.
	MinCorrectionInterval = 5 * time.Second
)

// DriverChoiceGroups are the groups a driver may choose in at the link:
// further assistance (1.3); the other groups go through the desk.
var DriverChoiceGroups = []string{"further_assistance"}

// DriverActor is who acts at a tracking link: the driver, the link named by
// the start of its hash (which tells links apart and reveals nothing).
func DriverActor(hash []byte) Actor {
	return Actor{TokenID: "link_" + hex.EncodeToString(hash[:min(6, len(hash))]), Role: RoleDriver}
}

func tooMany(detail string) error { return roadcover.Errorf(roadcover.CodeTooManyRequests, detail) }

// PositionReport is where a partner's truck is on a job:
// {"lat", "lon", "at", "heading_deg", "speed_kmh", "accuracy_m", "truck", "plate"}.
type PositionReport struct {
	Point                           roadcover.Point
	At                              *time.Time
	HeadingDeg, SpeedKmh, AccuracyM *float64
	Truck, Plate                    string
}

// ReadPositionReport decodes a truck's position report.
func ReadPositionReport(body []byte) (PositionReport, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r PositionReport
	r.Point = readPoint(o, errs)
	r.At = readTime(o, "at", errs)
	r.HeadingDeg = readRange(o, "heading_deg", 0, 360, false)
	r.SpeedKmh = readRange(o, "speed_kmh", 0, 400, true)
	r.AccuracyM = readRange(o, "accuracy_m", 0, 100000, true)
	r.Truck, _ = o.Enum("truck", roadcover.TruckKinds...)
	if p, ok := o.String("plate"); ok {
		r.Plate = strings.TrimSpace(p)
		if r.Plate == "" || len(r.Plate) > 20 {
			errs.Add("plate", roadcover.CodeInvalidInput, "1 to 20 characters")
		}
	}
	o.Done()
	return r, errs.Err()
}

// readPoint reads the required "lat" and "lon".
func readPoint(o *jsonin.Obj, errs *roadcover.InputError) roadcover.Point {
	if errs.Has("body") {
		return roadcover.Point{}
	}
	lat, okA := o.Float("lat")
	lon, okO := o.Float("lon")
	if !okA && !errs.Has("lat") {
		errs.Add("lat", roadcover.CodeInvalidInput, "required: degrees from -90 to 90")
	} else if okA && (lat < -90 || lat > 90) {
		errs.Add("lat", roadcover.CodeInvalidInput, "must be from -90 to 90")
	}
	if !okO && !errs.Has("lon") {
		errs.Add("lon", roadcover.CodeInvalidInput, "required: degrees from -180 to 180")
	} else if okO && (lon < -180 || lon > 180) {
		errs.Add("lon", roadcover.CodeInvalidInput, "must be from -180 to 180")
	}
	return roadcover.Point{Lat: lat, Lon: lon}
}

// readRange reads an optional number from lo to hi (hi itself allowed when
// closed).
func readRange(o *jsonin.Obj, name string, lo, hi float64, closed bool) *float64 {
	f, ok := o.Float(name)
	if !ok {
		return nil
	}
	if f < lo || f > hi || (!closed && f == hi) {
		end := "below"
		if closed {
			end = "at most"
		}
		o.Errs.Add(name, roadcover.CodeInvalidInput, fmt.Sprintf("must be from %g and %s %g", lo, end, hi))
		return nil
	}
	return &f
}

func readTime(o *jsonin.Obj, name string, errs *roadcover.InputError) *time.Time {
	s, ok := o.String(name)
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		errs.Add(name, roadcover.CodeInvalidInput, "must be an RFC 3339 time")
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &t
}

func (d *Desk) slack() time.Duration {
	if d.FutureSlack > 0 {
		return d.FutureSlack
	}
	return DefaultFutureSlack
}

// ReportPosition keeps a truck's position as the last of its job: only the
// partner's own job (another's is not found), only while the job is under
// way, not more often than MinPositionInterval (429), never older than the
// one kept (409). A truck or plate must be one the partner lists, when it
// lists any; a report that names none keeps the ones reported before.
func (d *Desk) ReportPosition(ctx context.Context, tx store.Tx, a Actor, jobID string, r PositionReport) (store.JobPosition, error) {
	j, err := VisibleJob(ctx, tx, a, jobID)
	if err != nil {
		return store.JobPosition{}, err
	}
	if !JobOpen(j.Status) {
		return store.JobPosition{}, conflict(fmt.Sprintf("the job is %s; positions are taken while it is under way", j.Status))
	}
	pt, err := tx.GetPartner(ctx, j.Partner)
	if err != nil {
		return store.JobPosition{}, err
	}
	errs := &roadcover.InputError{}
	if r.Truck != "" && len(pt.Trucks) > 0 && !slices.Contains(pt.Trucks, r.Truck) {
		errs.Add("truck", roadcover.CodeInvalidInput, "not a kind of truck the partner has: "+strings.Join(pt.Trucks, ", "))
	}
	if r.Plate != "" && len(pt.Plates) > 0 && !slices.Contains(pt.Plates, r.Plate) {
		errs.Add("plate", roadcover.CodeInvalidInput, "not a plate of the partner's trucks")
	}
	now := d.now()
	at := now
	if r.At != nil {
		if r.At.After(now.Add(d.slack())) {
			errs.Add("at", roadcover.CodeInvalidInput, "lies in the future")
		}
		at = *r.At
	}
	if err := errs.Err(); err != nil {
		return store.JobPosition{}, err
	}
	prev, err := tx.JobPosition(ctx, j.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return store.JobPosition{}, err
	case now.Sub(prev.ReceivedAt) < MinPositionInterval:
		return store.JobPosition{}, tooMany(fmt.Sprintf("one position per %s per job", MinPositionInterval))
	case at.Before(prev.At):
		return store.JobPosition{}, conflict("a later position of the job is already kept")
	default:
		if r.Truck == "" {
			r.Truck = prev.Truck
		}
		if r.Plate == "" {
			r.Plate = prev.Plate
		}
	}
	p := store.JobPosition{JobID: j.ID, Lat: r.Point.Lat, Lon: r.Point.Lon, HeadingDeg: r.HeadingDeg, SpeedKmh: r.SpeedKmh,
		AccuracyM: r.AccuracyM, Truck: r.Truck, Plate: r.Plate, At: at, ReceivedAt: now}
	return p, tx.PutJobPosition(ctx, p)
}

// PositionCorrection is where the driver says the car is: {"lat", "lon", "note"}.
type PositionCorrection struct {
	Point roadcover.Point
	Note  string
}

// ReadPositionCorrection decodes a driver's correction of the car's position.
func ReadPositionCorrection(body []byte) (PositionCorrection, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r PositionCorrection
	r.Point = readPoint(o, errs)
	if n, ok := o.String("note"); ok {
		r.Note = strings.TrimSpace(n)
		if len(r.Note) > 500 {
			errs.Add("note", roadcover.CodeInvalidInput, "at most 500 characters")
		}
	}
	o.Done()
	return r, errs.Err()
}

// PositionCorrectionData is the data of a "driver_position_reported" event:
// where the driver put the pin and where the facts had the car.
type PositionCorrectionData struct {
	Lat   float64          `json:"lat"`
	Lon   float64          `json:"lon"`
	Facts *roadcover.Point `json:"facts,omitempty"`
	Note  string           `json:"note,omitempty"`
}

// CorrectPosition records the driver's position of the car as an event on
// the link's case, for the operator to see and act on; the facts are not
// changed. At most one per MinCorrectionInterval (429).
func (d *Desk) CorrectPosition(ctx context.Context, tx store.Tx, hash []byte, r PositionCorrection) (Correction, error) {
	_, c, err := d.openLink(ctx, tx, hash)
	if err != nil {
		return Correction{}, err
	}
	events, err := tx.Events(ctx, c.ID)
	if err != nil {
		return Correction{}, err
	}
	now := d.now()
	for _, e := range slices.Backward(events) {
		if e.Kind == EventDriverPosition {
			if now.Sub(e.At) < MinCorrectionInterval {
				return Correction{}, tooMany(fmt.Sprintf("one correction per %s", MinCorrectionInterval))
			}
			break
		}
	}
	data := PositionCorrectionData{Lat: r.Point.Lat, Lon: r.Point.Lon, Note: r.Note}
	if p, ok := c.Facts.Location.Point(); ok {
		data.Facts = &p
	}
	ev, err := event(c.ID, now, DriverActor(hash), EventDriverPosition, data)
	if err != nil {
		return Correction{}, err
	}
	return Correction{Point: r.Point, At: now, caseID: c.ID}, appendEvents(ctx, tx, ev)
}

// ChooseByLink records the driver's choice at the link: one of the options
// the stored decision offers in a group of DriverChoiceGroups, as Choose
// does (409 when the group already has a choice, 422 when not offered).
func (d *Desk) ChooseByLink(ctx context.Context, tx store.Tx, hash []byte, r ChoiceRequest) (Chosen, error) {
	link, _, err := d.openLink(ctx, tx, hash)
	if err != nil {
		return Chosen{}, err
	}
	if !slices.Contains(DriverChoiceGroups, r.Group) {
		return Chosen{}, invalid("group", "at the link only "+strings.Join(DriverChoiceGroups, ", ")+"; the desk records the others")
	}
	return d.Choose(ctx, tx, DriverActor(hash), link.CaseID, r)
}
