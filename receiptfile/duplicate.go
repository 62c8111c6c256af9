package receiptfile

import (
	"math/bits"
	"strings"
	"unicode"

	"roadcover"
)

// SimilarImageDistance is the largest Hamming distance between the pHashes
// of two images taken as the same receipt photographed again. The test
// TestSimilarImageDistance justifies it: receipts photographed again (turned
// up to 2°, noised, re-encoded at JPEG quality 70, or at half the
// resolution) came within 6 (8 over 80 photographs of 40 random receipts),
// while receipts with other text came at 14 or more. Receipts printed from
// one template with only a few figures changed can come closer (6 to 10
// were seen among random receipts of one layout): a pHash match is a
// question for the operator, never a refusal.
const SimilarImageDistance = 10

// Fingerprint is what a stored receipt is compared on: its file's SHA-256
// and pHash, and what it says (day, amount, merchant).
type Fingerprint struct {
	ID       string
	SHA256   string
	PHash    uint64
	HasPHash bool
	Date     roadcover.Date
	Amount   roadcover.Money
	Merchant string
}

// Reasons a receipt may be a duplicate.
const (
	SameContent     = "same_content"      // the same bytes (SHA-256)
	SameReceiptData = "same_receipt_data" // the same day, amount, currency and merchant
	SimilarImage    = "similar_image"     // pHashes within SimilarImageDistance
)

// Match is a stored receipt the new one may duplicate, and why.
type Match struct {
	ID  string
	Why []string
	// Distance is the pHash Hamming distance when both are images.
	Distance int
}

// Duplicates flags the stored receipts the new one may duplicate: the same
// file, the same data (day, amount in minor units, currency, and merchant
// compared without case, spaces or punctuation), or an image within
// SimilarImageDistance of it. A match is a question for the operator, not
// a refusal.
func Duplicates(r Fingerprint, stored []Fingerprint) []Match {
	var out []Match
	merchant := MerchantKey(r.Merchant)
	for _, s := range stored {
		m := Match{ID: s.ID, Distance: -1}
		if r.SHA256 != "" && s.SHA256 == r.SHA256 {
			m.Why = append(m.Why, SameContent)
		}
		if !r.Date.IsZero() && r.Date == s.Date && r.Amount.Currency != "" && r.Amount == s.Amount &&
			merchant != "" && MerchantKey(s.Merchant) == merchant {
			m.Why = append(m.Why, SameReceiptData)
		}
		if r.HasPHash && s.HasPHash {
			m.Distance = Distance(r.PHash, s.PHash)
			if m.Distance <= SimilarImageDistance {
				m.Why = append(m.Why, SimilarImage)
			}
		}
		if len(m.Why) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// Distance is the Hamming distance between two 64-bit hashes.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// MerchantKey is a merchant's name reduced for comparison: lower case,
// letters and digits only ("Hotel Nord GmbH." and "HOTEL NORD GMBH" agree).
func MerchantKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
