package tesseract

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"roadcover"
	"roadcover/internal/receiptimage"
)

func date(y, m, d int) roadcover.Date { return roadcover.Date{Year: y, Month: time.Month(m), Day: d} }

// TestParse reads texts as Tesseract gave them for receipts, misreadings
// included.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		name, text string
		minor      int64
		currency   string
		date       roadcover.Date
		merchant   string
	}{
		{"danish hotel, K read as R", "HOTEL ROYAL AARHUS\nVESTERGADE 4. 8000 AARHUS\nDATO: 03.07.2026\n\n2 HAETTER & 2 PERS\n\nMOMS 25 = 480.00\n\nI ALT DRE 2400,00\n",
			240000, "", date(2026, 7, 3), "HOTEL ROYAL AARHUS"},
		{"date with a comma and a space, O for 0", "HOTEL ROYAL AARHUS\nDATO! O3.07, 2026\nMOMS 25 : 480,00\nI ALT DKK 2400,00",
			240000, "DKK", date(2026, 7, 3), "HOTEL ROYAL AARHUS"},
		{"german thousands", "Autohaus Keller GmbH\nRechnung 4711\nDatum 01.07.2026\nNetto 2.016,81\nMwSt 19% 383,19\nGesamtbetrag EUR 2.400,00\nGegeben 2.500,00\n",
			240000, "EUR", date(2026, 7, 1), "Autohaus Keller GmbH"},
		{"english total with pound sign", "Grand Hotel Birmingham\n2026-07-03\n2 nights 450.00\nVAT 150.00\nTOTAL £900.00\nThank you",
			90000, "GBP", date(2026, 7, 3), "Grand Hotel Birmingham"},
		{"swedish summa, two-digit year", "Taxi Göteborg AB\nKvitto 3.7.26\nAtt betala 345,50 kr\n",
			34550, "", date(2026, 7, 3), "Taxi Göteborg AB"},
		{"portuguese, no total word: the largest amount", "Restaurante O Galo\n05/07/2026\nBacalhau 18,50\nVinho 12,00\nCafé 1,20\n",
			1850, "", date(2026, 7, 5), "Restaurante O Galo"},
		{"two amounts on the total line: the last", "Europcar\nTOTAL 173,55 + IVA = 210,00 EUR\n",
			21000, "EUR", roadcover.Date{}, "Europcar"},
		{"a subtotal is not the total", "Cafe Central\nSUBTOTAL 90,00\nTrinkgeld 5,00\nSUMME 95,00\nBar 100,00\n",
			9500, "", roadcover.Date{}, "Cafe Central"},
		{"nothing readable", "~~ ||| ..\n", 0, "", roadcover.Date{}, ""},
		{"an impossible date is not a date", "Hotel\n31.02.2026\n2026-07-04\nTotal 10,00", 1000, "", date(2026, 7, 4), "Hotel"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Parse(c.text)
			if s.HasAmount != (c.minor != 0) || s.Amount.Minor != c.minor || s.Amount.Currency != c.currency {
				t.Errorf("amount %+v %v, want %d %s", s.Amount, s.HasAmount, c.minor, c.currency)
			}
			if s.Date != c.date {
				t.Errorf("date %v, want %v", s.Date, c.date)
			}
			if s.Merchant != c.merchant {
				t.Errorf("merchant %q, want %q", s.Merchant, c.merchant)
			}
			if s.Text != c.text {
				t.Error("the text read is not kept")
			}
		})
	}
}

func TestNotAvailable(t *testing.T) {
	_, err := New(context.Background(), "/nonexistent/tesseract")
	if !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("%v", err)
	}
	r := &Reader{Path: "/nonexistent/tesseract", Languages: []string{"eng"}}
	if _, err := r.Read(context.Background(), []byte("GIF89a")); err == nil {
		t.Error("a GIF is read")
	}
}

// reader returns Tesseract with the languages of the test, or skips the
// test saying why; under CI=true a missing Tesseract fails it.
func reader(t *testing.T, langs ...string) *Reader {
	t.Helper()
	r, err := New(context.Background(), "", langs...)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	return r
}

// TestReadGeneratedReceipt draws a Danish hotel receipt and reads it with
// Tesseract (English and Danish).
func TestReadGeneratedReceipt(t *testing.T) {
	r := reader(t, "eng", "dan")
	img := receiptimage.Receipt([]string{"HOTEL ROYAL AARHUS", "VESTERGADE 4, 8000 AARHUS", "DATO: 03.07.2026",
		"2 NAETTER X 2 PERS", "MOMS 25%: 480,00", "I ALT EUR 2400,00"}, 4)
	start := time.Now()
	s, err := r.Read(context.Background(), receiptimage.PNG(img))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read in %v:\n%s", time.Since(start).Round(time.Millisecond), s.Text)
	if !s.HasAmount || s.Amount != (roadcover.Money{Minor: 240000, Currency: "EUR"}) {
		t.Errorf("amount %+v", s.Amount)
	}
	if s.Date != date(2026, 7, 3) {
		t.Errorf("date %v", s.Date)
	}
	if s.Merchant != "HOTEL ROYAL AARHUS" {
		t.Errorf("merchant %q", s.Merchant)
	}
}

// TestReadTimesOut gives Tesseract no time at all.
func TestReadTimesOut(t *testing.T) {
	r := reader(t, "eng")
	r.Timeout = time.Nanosecond
	img := receiptimage.Receipt([]string{"TAXI", "TOTAL 12,00"}, 4)
	if _, err := r.Read(context.Background(), receiptimage.PNG(img)); err == nil {
		t.Error("no timeout")
	}
}

func TestMissingLanguage(t *testing.T) {
	reader(t, "eng")
	if _, err := New(context.Background(), "", "klingon"); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("%v", err)
	}
}
