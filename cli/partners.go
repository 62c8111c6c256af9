package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
)

func init() {
	Register(Command{Name: "partners create", Summary: "register a tow or repair partner (prints its webhook signing secret once)", Run: partnersCreate})
	Register(Command{Name: "partners list", Summary: "list partners", Run: partnersList})
}

var partnerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func partnersCreate(ctx context.Context, env Env) error {
	fs := NewFlags("partners create", env)
	dsn := storeDSNFlag(fs, env)
	id := fs.String("id", "", "partner id: lower-case letters, digits, - and _")
	name := fs.String("name", "", "partner name")
	hook := fs.String("webhook-url", "", "https URL that receives job webhooks")
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: "partners create: unexpected arguments " + strings.Join(rest, " ")}
	}
	req := desk.PartnerRequest{ID: *id, Name: strings.TrimSpace(*name), WebhookURL: *hook}
	ie := &roadcover.InputError{}
	req.Check(ie, false)
	for i := range ie.Errors {
		if ie.Errors[i].Field == "webhook_url" {
			ie.Errors[i].Field = "webhook-url" // the flag's name
		}
	}
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	d := httpapi.NewDesk(assistance.Env{}, time.Now)
	var p store.Partner
	var secret string
	err = s.Update(ctx, func(tx store.Tx) error {
		var err error
		p, secret, err = d.CreatePartner(ctx, tx, req)
		return err
	})
	if err != nil {
		return fmt.Errorf("partners create: %w", err)
	}
	fmt.Fprintf(env.Stdout, "created partner %s (%s)\n", p.ID, p.Name)
	fmt.Fprintln(env.Stdout, "webhook signing secret (HMAC-SHA256 key, the text as printed), shown only now:")
	fmt.Fprintln(env.Stdout, secret)
	return nil
}

func partnersList(ctx context.Context, env Env) error {
	fs := NewFlags("partners list", env)
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
	var ps []store.Partner
	if err := s.View(ctx, func(tx store.Tx) error {
		var err error
		ps, err = tx.ListPartners(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("partners list: %w", err)
	}
	fmt.Fprintf(env.Stdout, "%-20s %-30s %-20s %s\n", "ID", "NAME", "CREATED", "WEBHOOK")
	for _, p := range ps {
		fmt.Fprintf(env.Stdout, "%-20s %-30s %-20s %s\n", p.ID, p.Name, p.CreatedAt.Format(time.RFC3339), dashIfEmpty(p.WebhookURL))
	}
	return nil
}
