package world

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"roadcover"
)

func TestRatesProvider(t *testing.T) {
	day := roadcover.Date{Year: 2026, Month: 11, Day: 21}
	env, err := Env(context.Background(), Config{RatesFile: filepath.Join(t.TempDir(), "none.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if env.Rates == nil || env.Workdays == nil {
		t.Fatal("rates or workdays not registered")
	}
	if _, _, ok := env.Rates.EuroRate("DKK", day); ok {
		t.Error("a rate without a rates file")
	}
	if c, ok := env.Rates.LocalCurrency("DK", day); !ok || c != "DKK" {
		t.Errorf("LocalCurrency(DK) = %s, %v", c, ok)
	}
	env, err = Env(context.Background(), Config{RatesFile: "../fx/testdata/fixture-eurofxref-hist.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if rate, pub, ok := env.Rates.EuroRate("DKK", day); !ok || rate != 7.4604 || pub != (roadcover.Date{Year: 2026, Month: 11, Day: 20}) {
		t.Errorf("EuroRate(DKK) = %v %s %v", rate, pub, ok)
	}
	if end, ok := env.Workdays.AddWorkdays("PT", roadcover.Date{Year: 2026, Month: 6, Day: 3}, 3); !ok || end != (roadcover.Date{Year: 2026, Month: 6, Day: 9}) {
		t.Errorf("AddWorkdays(PT) = %s, %v", end, ok)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Date,DKK,\n2026-11-20,x,\n"), 0o644)
	if _, err := Env(context.Background(), Config{RatesFile: bad}); err == nil {
		t.Error("a bad rates file was accepted")
	}
}
