package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
)

func init() {
	Register(Command{Name: "accounts create", Summary: "create a named account that signs in to the console (prints a one-time password, or reads one from stdin)", Run: accountsCreate})
	Register(Command{Name: "accounts list", Summary: "list the named accounts", Run: accountsList})
}

func accountsCreate(ctx context.Context, env Env) error {
	fs := NewFlags("accounts create", env)
	dsn := storeDSNFlag(fs, env)
	role := fs.String("role", "", "role: "+strings.Join(desk.AccountRoles, ", "))
	name := fs.String("name", "", "the person's name")
	email := fs.String("email", "", "the email the person signs in with")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of making a one-time password")
	limit := fs.String("payment-limit", "", "claims_handler only: the most one payment order may be (SEK, e.g. 20000.00) without a second handler")
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: "accounts create: unexpected arguments " + strings.Join(rest, " ")}
	}
	req := desk.AccountRequest{Email: *email, Name: *name, Role: *role}
	if *limit != "" {
		v, err := roadcover.ParseMinor(*limit)
		if err != nil {
			ie := &roadcover.InputError{}
			ie.Add("payment-limit", roadcover.CodeInvalidInput, "must be an amount in SEK such as 20000.00")
			return ie
		}
		req.PaymentLimit = v
	}
	if *fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return &UsageError{Msg: "accounts create: --password-stdin: no password on standard input"}
		}
		req.Password = strings.TrimRight(line, "\r\n")
		if req.Password == "" {
			ie := &roadcover.InputError{}
			ie.Add("password", roadcover.CodeInvalidInput, "empty on standard input")
			return ie
		}
	}
	ie := &roadcover.InputError{}
	req.Check(ie)
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	a, oneTime, err := httpapi.NewAccount(ctx, s, httpapi.NewDesk(assistance.Env{}, time.Now), req)
	if err != nil {
		var ce *roadcover.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("accounts create: %w", err)
	}
	fmt.Fprintf(env.Stdout, "created account %s (%s, %s)\n", a.ID, a.Role, a.Email)
	if oneTime != "" {
		fmt.Fprintln(env.Stdout, "one-time password, shown only now; it must be changed at the first sign-in:")
		fmt.Fprintln(env.Stdout, oneTime)
	}
	return nil
}

func accountsList(ctx context.Context, env Env) error {
	fs := NewFlags("accounts list", env)
	dsn := storeDSNFlag(fs, env)
	if _, err := ParseInterspersed(fs, env.Args); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	var as []store.Account
	if err := s.View(ctx, func(tx store.Tx) error {
		var err error
		as, err = tx.ListAccounts(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("accounts list: %w", err)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tROLE\tEMAIL\tNAME\tSTATE")
	for _, a := range as {
		state := "active"
		switch {
		case a.Disabled:
			state = "disabled"
		case a.PasswordChangeDue:
			state = "one-time password"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Role, a.Email, a.Name, state)
	}
	return w.Flush()
}
