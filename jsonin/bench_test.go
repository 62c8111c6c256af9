package jsonin_test

import (
	"fmt"
	"strings"
	"testing"

	"roadcover"
	"roadcover/jsonin"
)

// caseBody is a typical assistance case of about 2 KB.
func caseBody() []byte {
	return []byte(`{"market":"DE","language":"de","occurred_at":"2026-07-01T09:30:00+02:00",
"reported_at":"2026-07-01T10:05:00+02:00",
"contact":{"channel":"on_call","name":"Anna Berger","address":"Leopoldstraße 12, 80802 München",
 "phone":"+49 89 1234567","email":"anna.berger@example.de"},
"customer":{"vat_registered":false},
"vehicle":{"vin":"LPSVSEDEEML012345","registration":"M-AB 1234","model":"Polestar 2","colour":"Snow",
 "first_registered":"2024-03-01","powertrain":"bev","use":"private","deregistered":false},
"location":{"country":"AT","lat":47.26,"lon":11.39,"description":"A12 near Innsbruck, exit 68, heading west, hard shoulder after the tunnel; hazard lights on, warning triangle placed"},
"home":{"country":"DE","lat":48.1372,"lon":11.5756},
"distances_km":{"home":190,"regular_workshop":195,"workshop_to_customer":190},
"trip":"outbound",
"event":{"kind":"breakdown","immobilised":true,"cause":"none",
 "description":"The car stopped on the motorway with a warning about the high-voltage system; it does not start again. The driver waited for twenty minutes and tried a restart as the manual says, without success. Two passengers and a dog are in the car."},
"people":{"passengers":2,"pets":1},
"trailer":"none","livestock":false,"requested_regular_workshop":false,
"repair":{"roadside_possible":false,"same_day_within_4h":false,"working_days_needed":3,"hours_needed":20,"ready_by":"2026-07-06"},
"train_hours_to_workshop":4.5,
"regular_workshop":{"id":"polestar-munich","name":"Polestar Space München","lat":48.14,"lon":11.56},
"notes":["first call at 09:41","callback requested","customer prefers SMS to calls, in German, between 08:00 and 20:00","roadside unit informed","second call at 10:02","tow truck ordered from the partner in Innsbruck at 10:04, arrival expected within fifty minutes","customer asked for a hotel near the workshop for two nights","dog travels in a crate","photo of the dashboard warning sent through the app at 09:52"]}`)
}

// readCase reads every field of caseBody the way the engines do.
func readCase(data []byte) *roadcover.InputError {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	o.Enum("market", "DE", "GB", "PT", "DK")
	o.String("language")
	o.String("occurred_at")
	o.String("reported_at")
	ct := o.Object("contact")
	for _, f := range []string{"channel", "name", "address", "phone", "email"} {
		ct.String(f)
	}
	ct.Done()
	cu := o.Object("customer")
	cu.Bool("vat_registered")
	cu.Done()
	v := o.Object("vehicle")
	for _, f := range []string{"vin", "registration", "model", "colour", "first_registered", "powertrain", "use"} {
		v.String(f)
	}
	v.Bool("deregistered")
	v.Done()
	for _, name := range []string{"location", "home", "regular_workshop"} {
		l := o.Object(name)
		l.String("country")
		l.String("id")
		l.String("name")
		l.Float("lat")
		l.Float("lon")
		l.String("description")
		l.Done()
	}
	dk := o.Object("distances_km")
	dk.NonNegFloat("home")
	dk.NonNegFloat("regular_workshop")
	dk.NonNegFloat("workshop_to_customer")
	dk.Done()
	o.String("trip")
	e := o.Object("event")
	e.String("kind")
	e.Bool("immobilised")
	e.String("cause")
	e.String("description")
	e.Done()
	p := o.Object("people")
	p.NonNegInt("passengers")
	p.NonNegInt("pets")
	p.Done()
	o.String("trailer")
	o.Bool("livestock")
	o.Bool("requested_regular_workshop")
	r := o.Object("repair")
	r.Bool("roadside_possible")
	r.Bool("same_day_within_4h")
	r.NonNegFloat("working_days_needed")
	r.NonNegFloat("hours_needed")
	r.String("ready_by")
	r.Done()
	o.NonNegFloat("train_hours_to_workshop")
	items, _ := o.Array("notes")
	for range items {
	}
	o.Done()
	return errs
}

// BenchmarkCase2KB reads a typical case body of about 2 KB field by field.
func BenchmarkCase2KB(b *testing.B) {
	data := caseBody()
	if err := readCase(data).Err(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readCase(data)
	}
}

// trackBody is a case with an intake position whose track has n points,
// every one with a latitude out of range and no longitude.
func trackBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"market":"DE","intake":{"position":{"lat":48.1,"lon":11.5,"track":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"lat":95}`)
	}
	b.WriteString(`]}}}`)
	return []byte(b.String())
}

// readTrack reads a track as the intake reader does: each point as an
// object, each bad coordinate added unless its field has an error.
func readTrack(data []byte) *roadcover.InputError {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	o.String("market")
	in := o.Object("intake")
	pos := in.Object("position")
	pos.Float("lat")
	pos.Float("lon")
	items, _ := pos.Array("track")
	for i, it := range items {
		p := pos.ObjectAt("track", i, it)
		if v, ok := p.Float("lat"); !ok || v < -90 || v > 90 {
			if !errs.Has(p.Path + ".lat") {
				errs.Add(p.Path+".lat", roadcover.CodeInvalidInput, "required, between -90 and 90")
			}
		}
		if v, ok := p.Float("lon"); !ok || v < -180 || v > 180 {
			if !errs.Has(p.Path + ".lon") {
				errs.Add(p.Path+".lon", roadcover.CodeInvalidInput, "required, between -180 and 180")
			}
		}
		p.String("at")
		p.Done()
	}
	pos.Done()
	in.Done()
	o.Done()
	return errs
}

// nestedBody nests n objects, each with a few members, inside one another.
func nestedBody(depth, width int) []byte {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(`{"n":`)
	}
	b.WriteString(`{}`)
	for i := 0; i < depth; i++ {
		for j := 0; j < width; j++ {
			fmt.Fprintf(&b, `,"f%d":"%s"`, j, strings.Repeat("x", 40))
		}
		b.WriteString(`}`)
	}
	return []byte(b.String())
}

// readNested reads every level of nestedBody.
func readNested(data []byte, width int) *roadcover.InputError {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	for !o.Null {
		for j := 0; j < width; j++ {
			o.String(fmt.Sprintf("f%d", j))
		}
		next := o.Object("n")
		o.Done()
		o = next
	}
	return errs
}

// BenchmarkTrack481KB reads a 481 KB body whose track has 44 770 points,
// each with two bad fields.
func BenchmarkTrack481KB(b *testing.B) {
	data := trackBody(44770)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data))/1024, "KB")
	for b.Loop() {
		readTrack(data)
	}
}

// BenchmarkNested481KB reads a 481 KB body of 48 nested objects.
func BenchmarkNested481KB(b *testing.B) {
	data := nestedBody(48, 207)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data))/1024, "KB")
	for b.Loop() {
		readNested(data, 207)
	}
}
