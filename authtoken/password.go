package authtoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Passwords of the desk's named accounts are kept as argon2id hashes in the
// PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with the
// parameters the OWASP Password Storage Cheat Sheet recommends as its
// first choice: 19 MiB of memory, 2 passes, 1 lane, a 16-byte random salt
// and a 32-byte key. The parameters travel with each hash, so stronger ones
// later still check the hashes made before.
const (
	ArgonMemoryKiB = 19 * 1024
	ArgonPasses    = 2
	ArgonLanes     = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// HashPassword returns the argon2id hash of password as a PHC string.
func HashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, ArgonPasses, ArgonMemoryKiB, ArgonLanes, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, ArgonMemoryKiB, ArgonPasses, ArgonLanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// errHashFormat is a stored hash that is not an argon2id PHC string.
var errHashFormat = errors.New("authtoken: not an argon2id hash")

// CheckPassword reports whether password matches the PHC string encoded,
// comparing in constant time. A malformed hash matches nothing.
func CheckPassword(encoded, password string) bool {
	memory, passes, lanes, salt, key, err := parseHash(encoded)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, lanes, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when no account has the email given, so
// that an unknown email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string { return HashPassword("roadcover: no such account") })

// CheckNoPassword spends what CheckPassword spends and reports false.
func CheckNoPassword(password string) bool {
	CheckPassword(dummyHash(), password)
	return false
}

func parseHash(encoded string) (memory, passes uint32, lanes uint8, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return 0, 0, 0, nil, nil, errHashFormat
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return 0, 0, 0, nil, nil, errHashFormat
	}
	var p uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &p); err != nil ||
		memory < 8 || memory > 4<<20 || passes < 1 || passes > 100 || p < 1 || p > 255 {
		return 0, 0, 0, nil, nil, errHashFormat
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return 0, 0, 0, nil, nil, errHashFormat
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return 0, 0, 0, nil, nil, errHashFormat
	}
	return memory, passes, uint8(p), salt, key, nil
}

// passwordAlphabet has no letters or digits that read alike (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// NewPassword returns a one-time password of 20 characters from a
// 32-character alphabet (100 bits), in groups of five for reading aloud:
// "k3m9p-…".
func NewPassword() string {
	b := make([]byte, 20)
	rand.Read(b)
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(passwordAlphabet[int(c)%len(passwordAlphabet)]) // 256 is a multiple of 32: no bias
	}
	return s.String()
}

// CSRFToken is the request token of a sign-in session: an HMAC of the
// session's secret, so the server can check it without keeping it. The
// console sends it in the X-CSRF-Token header of every change.
func CSRFToken(sessionSecret string) string {
	m := hmac.New(sha256.New, []byte(sessionSecret))
	m.Write([]byte("roadcover csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether token is the session's request token
// (constant-time).
func CheckCSRF(sessionSecret, token string) bool {
	return token != "" && hmac.Equal([]byte(CSRFToken(sessionSecret)), []byte(token))
}

// SessionPrefix starts the secret of a sign-in session (its cookie's value).
const SessionPrefix = "rcs_"
