package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
)

// TokenRoles are the API token roles of the desk service.
var TokenRoles = []string{"admin", "operator", "claims_handler", "intake", "partner"}

func init() {
	Register(Command{Name: "tokens create", Summary: "create an API token (printed once; only its hash is kept)", Run: tokensCreate})
	Register(Command{Name: "tokens list", Summary: "list API tokens", Run: tokensList})
	Register(Command{Name: "tokens revoke", Summary: "revoke an API token by id", Run: tokensRevoke})
}

// storeDSNFlag adds --db with its documented default (ROADCOVER_DB, then roadcover.db).
func storeDSNFlag(fs *flag.FlagSet, env Env) func() string {
	v := fs.String("db", "", "store: SQLite file or postgres:// URL (default $ROADCOVER_DB, else roadcover.db)")
	return func() string { return database.Resolve(*v, env.Getenv) }
}

func tokensCreate(ctx context.Context, env Env) error {
	fs := NewFlags("tokens create", env)
	dsn := storeDSNFlag(fs, env)
	role := fs.String("role", "", "role: "+strings.Join(TokenRoles, ", "))
	partner := fs.String("partner", "", "partner id (role partner only)")
	label := fs.String("label", "", "free text saying whose token this is")
	limit := fs.String("payment-limit", "", "claims_handler only: the most paid out on one claim without a second handler's approval, in SEK")
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: "tokens create: unexpected arguments " + strings.Join(rest, " ")}
	}
	req := desk.TokenRequest{Role: *role, Partner: *partner, Label: *label}
	ie := &roadcover.InputError{}
	if *limit != "" {
		n, err := roadcover.ParseMinor(*limit)
		if err != nil || n < 0 {
			ie.Add("payment-limit", roadcover.CodeInvalidInput, "must be an amount in SEK such as 50000")
		}
		req.PaymentLimit, req.HasPaymentLimit = n, true
	}
	req.Check(ie)
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	d := httpapi.NewDesk(assistance.Env{}, time.Now)
	var tk store.Token
	var secret string
	err = s.Update(ctx, func(tx store.Tx) error {
		var err error
		tk, secret, err = d.CreateToken(ctx, tx, req)
		return err
	})
	if errors.As(err, &ie) {
		for i := range ie.Errors {
			if ie.Errors[i].Field == "partner" {
				ie.Errors[i].Detail += ": create it first with roadcover partners create"
			}
		}
		return ie
	}
	if err != nil {
		return fmt.Errorf("tokens create: %w", err)
	}
	fmt.Fprintf(env.Stdout, "created token %s (role %s", tk.ID, tk.Role)
	if tk.Partner != "" {
		fmt.Fprintf(env.Stdout, ", partner %s", tk.Partner)
	}
	if tk.Role == desk.RoleClaims {
		fmt.Fprintf(env.Stdout, ", payment limit %s SEK", roadcover.FormatMinor(tk.PaymentLimit))
	}
	fmt.Fprintln(env.Stdout, "); the token is shown only now:")
	fmt.Fprintln(env.Stdout, secret)
	return nil
}

func tokensList(ctx context.Context, env Env) error {
	fs := NewFlags("tokens list", env)
	dsn := storeDSNFlag(fs, env)
	if pos, err := ParseInterspersed(fs, env.Args); err != nil {
		return err
	} else if len(pos) > 0 {
		return &UsageError{Msg: fmt.Sprintf("%s: unexpected argument %q", fs.Name(), pos[0])}
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	var tokens []store.Token
	if err := s.View(ctx, func(tx store.Tx) error {
		var err error
		tokens, err = tx.ListTokens(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("tokens list: %w", err)
	}
	fmt.Fprintf(env.Stdout, "%-30s %-15s %-16s %-8s %-20s %s\n", "ID", "ROLE", "PARTNER", "STATE", "CREATED", "LABEL")
	for _, t := range tokens {
		state := "active"
		if t.Revoked {
			state = "revoked"
		}
		fmt.Fprintf(env.Stdout, "%-30s %-15s %-16s %-8s %-20s %s\n", t.ID, t.Role, dashIfEmpty(t.Partner), state,
			t.CreatedAt.Format(time.RFC3339), t.Label)
	}
	return nil
}

func tokensRevoke(ctx context.Context, env Env) error {
	fs := NewFlags("tokens revoke", env)
	dsn := storeDSNFlag(fs, env)
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return &UsageError{Msg: "usage: roadcover tokens revoke [--db …] ID"}
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	err = s.Update(ctx, func(tx store.Tx) error { return tx.RevokeToken(ctx, rest[0]) })
	if errors.Is(err, store.ErrNotFound) {
		return roadcover.Errorf(roadcover.CodeNotFound, fmt.Sprintf("no token %q", rest[0]))
	}
	if err != nil {
		return fmt.Errorf("tokens revoke: %w", err)
	}
	fmt.Fprintf(env.Stdout, "revoked token %s\n", rest[0])
	return nil
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
