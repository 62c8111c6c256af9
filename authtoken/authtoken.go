// Package authtoken makes and hashes the secrets the desk service hands out:
// API tokens, driver tracking-link tokens and partner webhook signing
// secrets. Stores keep only Hash(token) of API and tracking tokens.
package authtoken

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Prefixes say what a secret is when it turns up in a log or a paste.
const (
	APIPrefix      = "rc_"    // API tokens (Authorization: Bearer)
	TrackingPrefix = "rct_"   // driver tracking links
	WebhookPrefix  = "rcwhs_" // partner webhook signing secrets
)

// SecretBytes is the entropy of every secret: 256 bits.
const SecretBytes = 32

// NewSecret returns a new API token and its SHA-256 hash.
func NewSecret() (token string, hash []byte) {
	token = New(APIPrefix)
	return token, Hash(token)
}

// New returns prefix followed by 32 random bytes in unpadded base64url.
func New(prefix string) string {
	b := make([]byte, SecretBytes)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash is the SHA-256 of the token's text, the form stores keep.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewID returns prefix followed by 12 random bytes in hex, for record ids
// (token ids) that are not secret but must not collide.
func NewID(prefix string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
