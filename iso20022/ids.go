package iso20022

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"

	"roadcover/ledger"
)

// maxID is the length of the schema's Max35Text identifiers.
const maxID = 35

// hashed is a 35-character identifier made from parts: a letter saying what
// it identifies and 34 characters of the base32 SHA-256 of the parts. It
// holds no '/', so it never equals a readable identifier built with one.
func hashed(kind byte, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := base32.StdEncoding.EncodeToString(h.Sum(nil))
	return string(kind) + sum[:maxID-1]
}

// MessageID is the pain.001 message id of a batch: the batch id, or a hash
// of it when the id is longer than 35 characters.
func MessageID(b ledger.BatchID) string {
	if len(b) <= maxID {
		return string(b)
	}
	return hashed('M', string(b))
}

// PaymentInfoID is the id of the n-th payment information block (from 1) of
// a batch's message: the message id, '/' and n, or a hash when that is
// longer than 35 characters.
func PaymentInfoID(b ledger.BatchID, n int) string {
	id := MessageID(b) + "/" + strconv.Itoa(n)
	if len(id) <= maxID {
		return id
	}
	return hashed('P', string(b), strconv.Itoa(n))
}

// EndToEndID is the end-to-end id of a payable's payment in a batch: the
// payable id, '/' and the batch id, or a hash of both when that is longer
// than 35 characters. A payable paid again after a rejection gets a new id
// in its new batch.
func EndToEndID(b ledger.BatchID, p ledger.PayableID) string {
	id := string(p) + "/" + string(b)
	if len(id) <= maxID {
		return id
	}
	return hashed('E', string(b), string(p))
}
