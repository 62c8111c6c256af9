package claims

import (
	"fmt"

	"roadcover"
)

// Role is what an actor is to a claim.
type Role string

// The roles that act on claims.
const (
	Policyholder   Role = "policyholder"
	ClaimsHandler  Role = "claims_handler"
	AssistanceDesk Role = "assistance_desk"
	SystemRole     Role = "system"
)

// Actor is who does an act: an id, a role and, for a claims handler, the
// payment limit: the most they may release on one claim without a second
// handler's approval (in one order or several).
type Actor struct {
	ID           string
	Role         Role
	PaymentLimit roadcover.Money
}

// System is the actor of what the rules do by themselves.
var System = Actor{ID: "system", Role: SystemRole}

// may checks that the actor's role is one of roles.
func (a Actor) may(act string, roles ...Role) error {
	for _, r := range roles {
		if a.Role == r {
			if a.ID == "" {
				return roadcover.Errorf(roadcover.CodeForbidden, act+": the actor has no id")
			}
			return nil
		}
	}
	return roadcover.Errorf(roadcover.CodeForbidden, fmt.Sprintf("%s: not for the role %q", act, a.Role))
}
