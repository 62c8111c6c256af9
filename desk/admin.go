package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// Secret prefixes say what a secret is when it turns up in a paste.
const (
	TokenPrefix   = "rc_"    // API tokens (Authorization: Bearer)
	WebhookPrefix = "rcwhs_" // partner webhook signing secrets
)

// TokenRequest asks for a new API token: {"role", "partner", "label",
// "payment_limit"}.
type TokenRequest struct {
	Role, Partner, Label string
	// PaymentLimit is a claims handler's payment limit in öre (SEK minor
	// units): the most one payment order may be without a second handler's
	// approval ("payment_limit": "50000.00"; 0 when not given).
	PaymentLimit    int64
	HasPaymentLimit bool
}

// ReadTokenRequest decodes a token request.
func ReadTokenRequest(body []byte) (TokenRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r TokenRequest
	r.Role, _ = o.String("role")
	r.Partner, _ = o.String("partner")
	r.Label, _ = o.String("label")
	r.PaymentLimit, r.HasPaymentLimit = o.Money("payment_limit")
	o.Done()
	if !errs.Has("body") && !errs.Has("role") {
		r.Check(errs)
	}
	return r, errs.Err()
}

// Check adds what is wrong with the request to errs.
func (r TokenRequest) Check(errs *roadcover.InputError) {
	switch {
	case r.Role == "":
		errs.Add("role", roadcover.CodeInvalidInput, "required: one of "+strings.Join(Roles, ", "))
	case !slices.Contains(Roles, r.Role):
		errs.Add("role", roadcover.CodeInvalidInput, fmt.Sprintf("unknown role %q; expected one of %s", r.Role, strings.Join(Roles, ", ")))
	case r.Role == RolePartner && r.Partner == "":
		errs.Add("partner", roadcover.CodeInvalidInput, "required for the partner role")
	case r.Role != RolePartner && r.Partner != "":
		errs.Add("partner", roadcover.CodeInvalidInput, "only for the partner role")
	}
	if len(r.Label) > 200 {
		errs.Add("label", roadcover.CodeInvalidInput, "at most 200 characters")
	}
	if (r.HasPaymentLimit || r.PaymentLimit != 0) && r.Role != RoleClaims && r.Role != "" {
		errs.Add("payment_limit", roadcover.CodeInvalidInput, "only for the claims_handler role")
	}
	if r.PaymentLimit < 0 {
		errs.Add("payment_limit", roadcover.CodeInvalidInput, "may not be negative")
	}
}

// CreateToken stores a new API token and returns it with its secret, shown
// once: the store keeps only the secret's hash.
func (d *Desk) CreateToken(ctx context.Context, tx store.Tx, r TokenRequest) (store.Token, string, error) {
	if r.Partner != "" {
		if _, err := tx.GetPartner(ctx, r.Partner); errors.Is(err, store.ErrNotFound) {
			return store.Token{}, "", invalid("partner", fmt.Sprintf("no partner %q", r.Partner))
		} else if err != nil {
			return store.Token{}, "", err
		}
	}
	secret, hash := d.NewSecret(TokenPrefix)
	t := store.Token{ID: d.NewID("tok_"), Hash: hash, Role: r.Role, Partner: r.Partner, Label: r.Label, CreatedAt: d.now(),
		PaymentLimit: r.PaymentLimit}
	if err := tx.InsertToken(ctx, t); err != nil {
		return store.Token{}, "", wrap("create token", err)
	}
	return t, secret, nil
}

// EnsureAdmin creates an admin token when the store has no usable one and
// returns its secret (to be shown once); "" when one exists.
func (d *Desk) EnsureAdmin(ctx context.Context, tx store.Tx) (string, error) {
	ts, err := tx.ListTokens(ctx)
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		if t.Role == RoleAdmin && !t.Revoked {
			return "", nil
		}
	}
	_, secret, err := d.CreateToken(ctx, tx, TokenRequest{Role: RoleAdmin, Label: "first admin (created on first start)"})
	return secret, err
}

var partnerID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// PartnerRequest registers a tow or repair partner: {"id", "name",
// "webhook_url", "phone", "trucks", "plates"}.
type PartnerRequest struct {
	ID, Name, WebhookURL string
	// Phone, Trucks (kinds, roadcover.TruckKinds) and Plates are what a
	// driver is told of who is coming; left out, they are taken from the
	// tow partner of the same id in the service network, if there is one.
	Phone          string
	Trucks, Plates []string
}

// phonePattern is an international number: "+", 7 to 15 digits, single
// spaces or hyphens between (as the service network's).
var phonePattern = regexp.MustCompile(`^\+[0-9](?:[ -]?[0-9]){6,14}$`)

func readStrings(o *jsonin.Obj, name string) []string {
	items, ok := o.Array(name)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, raw := range items {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			o.Errs.Add(fmt.Sprintf("%s.%d", name, i), roadcover.CodeInvalidInput, "must be a string")
			continue
		}
		out = append(out, s)
	}
	return out
}

// ReadPartnerRequest decodes a partner registration; allowPrivate lets its
// webhook URL name a loopback or private address.
func ReadPartnerRequest(body []byte, allowPrivate bool) (PartnerRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r PartnerRequest
	r.ID, _ = o.String("id")
	r.Name, _ = o.String("name")
	r.WebhookURL, _ = o.String("webhook_url")
	r.Phone, _ = o.String("phone")
	r.Trucks = readStrings(o, "trucks")
	r.Plates = readStrings(o, "plates")
	o.Done()
	if !errs.Has("body") {
		r.Check(errs, allowPrivate)
	}
	return r, errs.Err()
}

// Check adds what is wrong with the registration to errs. A webhook URL
// naming a loopback, private, link-local or unspecified address (or a
// local host name) is refused unless allowPrivate: a partner's webhook
// must not reach into the desk's own network.
func (r PartnerRequest) Check(errs *roadcover.InputError, allowPrivate bool) {
	if !partnerID.MatchString(r.ID) && !errs.Has("id") {
		errs.Add("id", roadcover.CodeInvalidInput, "required: 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit")
	}
	if (strings.TrimSpace(r.Name) == "" || len(r.Name) > 200) && !errs.Has("name") {
		errs.Add("name", roadcover.CodeInvalidInput, "required, at most 200 characters")
	}
	if r.WebhookURL != "" && !errs.Has("webhook_url") {
		u, err := url.Parse(r.WebhookURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(r.WebhookURL) > 2048:
			errs.Add("webhook_url", roadcover.CodeInvalidInput, "must be an absolute http or https URL")
		case u.User != nil:
			errs.Add("webhook_url", roadcover.CodeInvalidInput, "may not hold a user name or password (deliveries are signed with the partner's secret)")
		case !validPort(u.Port()):
			errs.Add("webhook_url", roadcover.CodeInvalidInput, "its port must be 1 to 65535")
		case !allowPrivate && PrivateHost(u.Hostname()):
			errs.Add("webhook_url", roadcover.CodeInvalidInput, "may not name a loopback or private address")
		}
	}
	if r.Phone != "" && !phonePattern.MatchString(r.Phone) && !errs.Has("phone") {
		errs.Add("phone", roadcover.CodeInvalidInput, "must be an international number: +, then 7 to 15 digits, single spaces or hyphens between")
	}
	for i, k := range r.Trucks {
		if !slices.Contains(roadcover.TruckKinds, k) {
			errs.Add(fmt.Sprintf("trucks.%d", i), roadcover.CodeInvalidInput, "one of "+strings.Join(roadcover.TruckKinds, ", "))
		}
	}
	for i, p := range r.Plates {
		if p = strings.TrimSpace(p); p == "" || len(p) > 20 {
			errs.Add(fmt.Sprintf("plates.%d", i), roadcover.CodeInvalidInput, "1 to 20 characters")
		}
	}
}

// validPort reports whether a URL's port is absent or 1 to 65535.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// CreatePartner stores a partner with a fresh webhook signing secret, shown
// once.
func (d *Desk) CreatePartner(ctx context.Context, tx store.Tx, r PartnerRequest) (store.Partner, string, error) {
	secret, _ := d.NewSecret(WebhookPrefix)
	pt := store.Partner{ID: r.ID, Name: r.Name, WebhookURL: r.WebhookURL, Secret: []byte(secret), CreatedAt: d.now(),
		Phone: r.Phone, Trucks: r.Trucks, Plates: r.Plates}
	if r.Phone == "" && r.Trucks == nil && r.Plates == nil && d.Env.Sites != nil {
		if s, ok := d.Env.Sites.Site(r.ID); ok && s.Kind == roadcover.SiteTow && s.Tow != nil {
			pt.Phone, pt.Trucks, pt.Plates = s.Phone, s.Tow.Trucks, s.Tow.Plates
		}
	}
	if err := tx.InsertPartner(ctx, pt); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return store.Partner{}, "", conflict(fmt.Sprintf("the partner %q exists", r.ID))
		}
		return store.Partner{}, "", wrap("create partner", err)
	}
	return pt, secret, nil
}

// PrivateHost reports whether host (a name or an IP address) is loopback,
// private, link-local, unspecified or a local-only name.
func PrivateHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	ip, err := netip.ParseAddr(h)
	if err == nil {
		return PrivateIP(ip)
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") ||
		strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".home.arpa") || !strings.Contains(h, ".") {
		return true
	}
	// A name whose last label is a number (127.1, 0x7f.1, 2130706433 in
	// parts) is an address written in a form some resolvers accept: public
	// names end in letters.
	last := h[strings.LastIndexByte(h, '.')+1:]
	return strings.HasPrefix(last, "0x") || strings.Trim(last, "0123456789") == ""
}

// PrivateIP reports whether ip is loopback, private, link-local,
// unspecified, multicast or of the shared address space (RFC 6598).
func PrivateIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	return netip.MustParsePrefix("100.64.0.0/10").Contains(ip)
}
